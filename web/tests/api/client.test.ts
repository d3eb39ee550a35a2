import { afterEach, describe, expect, it, vi } from "vitest";
import {
  ApiError,
  answer,
  answerStream,
  changePassword,
  createInterview,
  deleteAccount,
  deleteInterview,
  getInterview,
  getMe,
  listTopics,
  onUnauthenticated,
  parseCv,
  setUserDisabled,
  signIn,
  transcriptUrl,
  voiceOfferRequest,
} from "../../src/api/client";
import { apiError, eventStream, interview, json, me, message, mockApi, unauthenticated, user } from "../support/api";

const settings = {
  topic: "Python",
  level: "advanced" as const,
  kind: "coding" as const,
  duration_minutes: 30,
  language: "en",
  job_description: null,
};

describe("api client", () => {
  it("reads JSON bodies", async () => {
    mockApi({ "GET /api/topics": () => json(200, [{ slug: "python", title: "Python", category: "engineering" }]) });
    await expect(listTopics()).resolves.toEqual([{ slug: "python", title: "Python", category: "engineering" }]);
  });

  it("starts an interview with JSON when there is no CV", async () => {
    const api = mockApi({ "POST /api/interviews": () => json(201, interview()) });
    const created = await createInterview(settings);
    expect(created.id).toBe("iv1");
    const [call] = api.calls;
    expect(call?.json).toEqual(settings);
    const init = api.fetchMock.mock.calls[0]?.[1];
    expect(new Headers(init?.headers).get("Content-Type")).toBe("application/json");
  });

  it("starts an interview with multipart, the settings and the file, when there is a CV", async () => {
    const api = mockApi({ "POST /api/interviews": () => json(201, interview()) });
    const cv = new File(["%PDF-1.4"], "cv.pdf", { type: "application/pdf" });
    await createInterview({ ...settings, job_description: "Backend role" }, cv);
    const form = api.calls[0]?.form;
    expect(form?.get("topic")).toBe("Python");
    expect(form?.get("level")).toBe("advanced");
    expect(form?.get("duration_minutes")).toBe("30");
    expect(form?.get("job_description")).toBe("Backend role");
    expect((form?.get("cv") as File).name).toBe("cv.pdf");
    const init = api.fetchMock.mock.calls[0]?.[1];
    // The browser sets the multipart boundary itself; a hand-set Content-Type would break it.
    expect(new Headers(init?.headers).has("Content-Type")).toBe(false);
  });

  it("leaves out empty optional fields from multipart", async () => {
    const api = mockApi({ "POST /api/interviews": () => json(201, interview()) });
    await createInterview(settings, new File(["x"], "cv.txt"));
    expect(api.calls[0]?.form?.has("job_description")).toBe(false);
  });

  it("sends the CV as the `cv` field for parsing", async () => {
    const api = mockApi({
      "POST /api/cv/parse": () => json(200, { format: "txt", pages: null, profile: {}, text_preview: "" }),
    });
    await parseCv(new File(["Jane"], "jane.txt"));
    expect((api.calls[0]?.form?.get("cv") as File).name).toBe("jane.txt");
  });

  it("turns the server's error body into an ApiError with its message and code", async () => {
    mockApi({ "POST /api/interviews/iv1/answer": () => apiError(409, "interview_finished", "This interview is over.") });
    const error = await answer("iv1", "hi").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: "interview_finished", message: "This interview is over." });
    expect((error as ApiError).network).toBe(false);
  });

  it("understands FastAPI's default validation error body", async () => {
    mockApi({ "POST /api/interviews": () => json(422, { detail: [{ loc: ["body", "topic"], msg: "Field required" }] }) });
    await expect(createInterview(settings)).rejects.toMatchObject({ status: 422, message: "Field required" });
  });

  it("reports a non-JSON error with its status", async () => {
    mockApi({ "GET /api/interviews/x": () => new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }) });
    await expect(getInterview("x")).rejects.toMatchObject({ status: 502, message: "The server answered 502 Bad Gateway." });
  });

  it("marks an unreachable server as a network error", async () => {
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
    const error = (await getInterview("iv1").catch((e: unknown) => e)) as ApiError;
    expect(error.network).toBe(true);
    expect(error.message).toMatch(/can't reach/i);
  });

  it("accepts 204 for delete", async () => {
    const api = mockApi({ "DELETE /api/interviews/a%2Fb": () => json(204, null) });
    await expect(deleteInterview("a/b")).resolves.toBeUndefined();
    expect(api.calls).toHaveLength(1);
  });

  it("builds transcript download URLs", () => {
    expect(transcriptUrl("iv1", "md")).toBe("/api/interviews/iv1/transcript?format=md");
    expect(transcriptUrl("iv1", "json")).toBe("/api/interviews/iv1/transcript?format=json");
  });

  describe("answerStream", () => {
    const body = {
      reply: message(3, "interviewer", "Good. How did you test it?"),
      candidate_message: message(2, "candidate", "hi"),
      status: "in_progress",
      progress: interview().progress,
    };

    it("passes on each delta and resolves with the final reply", async () => {
      const stream = eventStream();
      const api = mockApi({ "POST /api/interviews/iv1/answer/stream": () => stream.response });
      const deltas: string[] = [];
      const result = answerStream("iv1", "hi", (text) => deltas.push(text));
      // Chunks that split an event, a "\r\n" and the two bytes of "Ç".
      const bytes = new TextEncoder().encode('event: delta\r\ndata: {"text": "Good. Ça "}\r\n\r\nevent: delta\ndata: {"text": "va"}\n\n');
      const cedilla = bytes.indexOf(0xc3);
      for (const [from, to] of [[0, 13], [13, cedilla + 1], [cedilla + 1, bytes.length]] as const) {
        stream.writeBytes(bytes.slice(from, to));
      }
      stream.send("reply", body);
      stream.close();
      await expect(result).resolves.toEqual(body);
      expect(deltas).toEqual(["Good. Ça ", "va"]);
      expect(api.calls[0]?.json).toEqual({ text: "hi" });
      const init = api.fetchMock.mock.calls[0]?.[1];
      expect(new Headers(init?.headers).get("Accept")).toBe("text/event-stream");
    });

    it("turns an error event into an ApiError with its code and message", async () => {
      const stream = eventStream();
      mockApi({ "POST /api/interviews/iv1/answer/stream": () => stream.response });
      stream.send("delta", { text: "Go" });
      stream.send("error", { error: { code: "internal_error", message: "The reply failed; your answer was saved." } });
      stream.close();
      const error = (await answerStream("iv1", "hi", () => undefined).catch((e: unknown) => e)) as ApiError;
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ code: "internal_error", message: "The reply failed; your answer was saved." });
      expect(error.network).toBe(false);
      expect(error.midStream).toBe(true);
    });

    it("reports the usual JSON error before the stream starts", async () => {
      mockApi({ "POST /api/interviews/iv1/answer/stream": () => apiError(409, "interview_finished", "It is over.") });
      const error = (await answerStream("iv1", "hi", () => undefined).catch((e: unknown) => e)) as ApiError;
      expect(error).toMatchObject({ status: 409, code: "interview_finished", message: "It is over." });
      expect(error.midStream).toBe(false);
    });

    it("treats an unreachable server, a dropped stream and a stream without an outcome as network errors", async () => {
      vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
      await expect(answerStream("iv1", "hi", () => undefined)).rejects.toMatchObject({ status: 0, code: "network" });

      const dropped = eventStream();
      mockApi({ "POST /api/interviews/iv1/answer/stream": () => dropped.response });
      dropped.send("delta", { text: "Go" });
      dropped.fail();
      await expect(answerStream("iv1", "hi", () => undefined)).rejects.toMatchObject({ status: 0, message: /connection dropped/ });

      const cut = eventStream();
      mockApi({ "POST /api/interviews/iv1/answer/stream": () => cut.response });
      cut.send("delta", { text: "Go" });
      cut.close();
      await expect(answerStream("iv1", "hi", () => undefined)).rejects.toMatchObject({ status: 0, message: /connection dropped/ });
    });

    it("falls back to /answer where the browser has no ReadableStream", async () => {
      // Made before ReadableStream goes: the test's Response needs it, the app code must not.
      const reply = json(200, body);
      const api = mockApi({ "POST /api/interviews/iv1/answer": () => reply });
      vi.stubGlobal("ReadableStream", undefined);
      await expect(answerStream("iv1", "hi", () => undefined)).resolves.toEqual(body);
      expect(api.calls.map((c) => c.path)).toEqual(["/api/interviews/iv1/answer"]);
    });
  });

  describe("sessions", () => {
    const setCsrfCookie = (value: string) => {
      document.cookie = `mockroom_csrf=${value}; path=/`;
    };
    const headersOf = (fetchMock: ReturnType<typeof mockApi>["fetchMock"], index = 0) =>
      new Headers(fetchMock.mock.calls[index]?.[1]?.headers);

    afterEach(() => {
      document.cookie = "mockroom_csrf=; path=/; max-age=0";
    });

    it("sends the same-origin cookies with every request", async () => {
      const api = mockApi({ "GET /api/auth/me": () => json(200, me()), "POST /api/interviews": () => json(201, interview()) });
      await getMe();
      await createInterview(settings);
      expect(api.fetchMock.mock.calls.map(([, init]) => init?.credentials)).toEqual(["same-origin", "same-origin"]);
    });

    it("echoes the CSRF cookie in X-CSRF-Token on every write, and never on reads", async () => {
      setCsrfCookie("tok-123");
      const api = mockApi({
        "GET /api/interviews/iv1": () => json(200, interview()),
        "POST /api/interviews": () => json(201, interview()),
        "PUT /api/admin/users/u2/disabled": () => json(200, user({ id: "u2", disabled: true })),
        "DELETE /api/auth/me": () => json(204, null),
        "POST /api/auth/password": () => json(204, null),
      });
      await getInterview("iv1");
      await createInterview(settings, new File(["x"], "cv.txt"));
      await setUserDisabled("u2", true);
      await deleteAccount({ password: "correct horse battery" });
      await changePassword({ current_password: "a", new_password: "correct horse battery" });
      expect(headersOf(api.fetchMock, 0).has("X-CSRF-Token")).toBe(false);
      for (const index of [1, 2, 3, 4]) {
        expect(headersOf(api.fetchMock, index).get("X-CSRF-Token")).toBe("tok-123");
      }
      expect(api.calls[2]?.json).toEqual({ disabled: true });
      expect(api.calls[3]?.json).toEqual({ password: "correct horse battery" });
    });

    it("sends no CSRF header without the cookie (local mode, or a bearer token)", async () => {
      const api = mockApi({ "POST /api/interviews": () => json(201, interview()) });
      await createInterview(settings);
      expect(headersOf(api.fetchMock).has("X-CSRF-Token")).toBe(false);
    });

    it("sends the CSRF token with a streamed answer and the voice offer too", async () => {
      setCsrfCookie("tok-9");
      const stream = eventStream();
      const api = mockApi({ "POST /api/interviews/iv1/answer/stream": () => stream.response });
      const result = answerStream("iv1", "hi", () => undefined);
      stream.send("reply", { reply: message(3, "interviewer", "Go on."), candidate_message: message(2, "candidate", "hi"), status: "in_progress", progress: interview().progress });
      stream.close();
      await result;
      expect(headersOf(api.fetchMock).get("X-CSRF-Token")).toBe("tok-9");
      expect(api.fetchMock.mock.calls[0]?.[1]?.credentials).toBe("same-origin");
      const offer = voiceOfferRequest("iv 1");
      expect(offer.endpoint).toBe("/api/interviews/iv%201/voice/offer");
      expect(offer.headers.get("X-CSRF-Token")).toBe("tok-9");
    });

    it("tells the listeners when the server answers 401 unauthenticated, from any call", async () => {
      const listener = vi.fn();
      const stop = onUnauthenticated(listener);
      try {
        mockApi({ "GET /api/interviews/iv1": unauthenticated, "POST /api/interviews/iv1/answer/stream": unauthenticated });
        await expect(getInterview("iv1")).rejects.toMatchObject({ status: 401, code: "unauthenticated" });
        await expect(answerStream("iv1", "hi", () => undefined)).rejects.toMatchObject({ status: 401 });
        expect(listener).toHaveBeenCalledTimes(2);
      } finally {
        stop();
      }
      mockApi({ "GET /api/interviews/iv1": unauthenticated });
      await getInterview("iv1").catch(() => undefined);
      expect(listener).toHaveBeenCalledTimes(2);
    });

    it("does not treat a wrong password (401 invalid_credentials) as being signed out", async () => {
      const listener = vi.fn();
      const stop = onUnauthenticated(listener);
      try {
        mockApi({ "POST /api/auth/login": () => apiError(401, "invalid_credentials", "The e-mail or password is not right.") });
        await expect(signIn({ email: "ada@example.com", password: "nope nope" })).rejects.toMatchObject({
          code: "invalid_credentials",
          message: "The e-mail or password is not right.",
        });
        expect(listener).not.toHaveBeenCalled();
      } finally {
        stop();
      }
    });
  });
});

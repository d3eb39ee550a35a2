import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { AnswerResponse } from "../../src/api/types";
import { RoomScreen } from "../../src/room/RoomScreen";
import {
  apiError,
  deferred,
  eventStream,
  interview,
  json,
  message,
  mockApi,
  report,
  streamed,
  voiceStatus,
  type Routes,
} from "../support/api";
import { stubMediaDevices } from "../support/media";
import { FakePipecatClient } from "../support/pipecat";

vi.mock("@pipecat-ai/client-js", () => import("../support/pipecat").then((m) => m.clientModule));
vi.mock("@pipecat-ai/small-webrtc-transport", () => import("../support/pipecat").then((m) => m.transportModule));

const progress2 = {
  phase: "core",
  phase_label: "Core questions",
  question_number: 2,
  planned_questions: 6,
  elapsed_seconds: 90,
  remaining_seconds: 1410,
};

function answerBody(text: string): AnswerResponse {
  return {
    candidate_message: message(2, "candidate", text),
    reply: message(3, "interviewer", "Good. How did you test it?"),
    status: "in_progress",
    progress: progress2,
  };
}

const answered = (text: string) => streamed(answerBody(text));
const answerRoute = "POST /api/interviews/iv1/answer/stream";

function renderRoom(routes: Routes) {
  const api = mockApi({ "GET /api/interviews/iv1": () => json(200, interview()), ...routes });
  render(<RoomScreen id="iv1" />);
  return api;
}

const box = () => screen.getByLabelText("Your answer");
const voiceRoute = { "GET /api/voice": () => json(200, voiceStatus()) };

/** Opens voice mode and waits for the mic check (VoicePanel is loaded on demand). */
async function openMicCheck(user: ReturnType<typeof userEvent.setup>) {
  await screen.findByText(/Tell me about/);
  await user.click(screen.getByRole("button", { name: "Talk by voice" }));
  return screen.findByRole("heading", { name: "Check your microphone" }, { timeout: 5000 });
}

/** Through the mic check into a live call; returns the call's client. */
async function startVoiceCall(user: ReturnType<typeof userEvent.setup>) {
  FakePipecatClient.reset();
  stubMediaDevices();
  await openMicCheck(user);
  const start = screen.getByRole("button", { name: "Start talking" });
  await waitFor(() => expect(start).toBeEnabled());
  await user.click(start);
  const client = FakePipecatClient.last();
  act(() => client.serverMessage({ type: "ready" }));
  await waitFor(() => expect(screen.getByTestId("voice-status")).toHaveTextContent("Listening for your answer"));
  return client;
}
const texts = () => screen.getAllByTestId("message").map((el) => el.querySelector(".message-text")?.textContent);

describe("RoomScreen", () => {
  it("shows the conversation, the phase, the question count and the time", async () => {
    renderRoom({});
    expect(await screen.findByText("Hello! Tell me about a Python service you built.")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Python backend" })).toBeInTheDocument();
    expect(screen.getByTestId("phase")).toHaveTextContent("Warm-up");
    expect(screen.getByTestId("question-number")).toHaveTextContent("1 of 6");
    expect(screen.getByTestId("elapsed")).toHaveTextContent("0:30");
    expect(screen.getByTestId("remaining")).toHaveTextContent("24:30");
    await waitFor(() => expect(box()).toHaveFocus());
  });

  it("sends with Enter, adds a new line with Shift+Enter, and shows the reply", async () => {
    const user = userEvent.setup();
    const hold = deferred<Response>();
    const api = renderRoom({ [answerRoute]: () => hold.promise });
    await screen.findByText(/Tell me about/);
    await user.type(box(), "I built a queue{Shift>}{Enter}{/Shift}with retries");
    expect(box()).toHaveValue("I built a queue\nwith retries");
    await user.keyboard("{Enter}");

    expect(api.callsTo(answerRoute)[0]?.json).toEqual({ text: "I built a queue\nwith retries" });
    expect(box()).toBeDisabled();
    expect(box()).toHaveValue("");
    expect(screen.getByTestId("typing")).toHaveTextContent("Interviewer is typing…");
    expect(screen.getByText("Thinking…")).toBeInTheDocument();

    hold.resolve(answered("I built a queue\nwith retries"));
    expect(await screen.findByText("Good. How did you test it?")).toBeInTheDocument();
    expect(screen.queryByTestId("typing")).not.toBeInTheDocument();
    expect(texts()).toEqual([
      "Hello! Tell me about a Python service you built.",
      "I built a queue\nwith retries",
      "Good. How did you test it?",
    ]);
    expect(screen.getByTestId("question-number")).toHaveTextContent("2 of 6");
    expect(screen.getByTestId("phase")).toHaveTextContent("Core questions");
    await waitFor(() => expect(box()).toHaveFocus());
  });

  it("shows the reply as it streams in, then the final message and progress", async () => {
    const user = userEvent.setup();
    const stream = eventStream();
    renderRoom({ [answerRoute]: () => stream.response });
    await screen.findByText(/Tell me about/);
    await user.type(box(), "I built a queue{Enter}");
    expect(await screen.findByTestId("typing")).toBeInTheDocument();

    stream.send("delta", { text: "Good. How did" });
    const live = await screen.findByTestId("live-message");
    expect(live).toHaveTextContent("Good. How did");
    // Kept quiet while it grows; the final message is what the log announces.
    expect(live).toHaveAttribute("aria-live", "off");
    expect(live).toHaveAttribute("aria-busy", "true");
    expect(screen.queryByTestId("typing")).not.toBeInTheDocument();
    expect(screen.getByText("I built a queue")).toBeInTheDocument();
    expect(box()).toBeDisabled();

    stream.write("event: delta\ndata: {\"text\": \" you te");
    stream.write('st it?"}\n\n');
    await waitFor(() => expect(screen.getByTestId("live-message")).toHaveTextContent("Good. How did you test it?"));
    expect(screen.getAllByTestId("message")).toHaveLength(1);

    // The final text is the server's word, even where it differs from what streamed.
    stream.send("reply", {
      ...answerBody("I built a queue"),
      reply: message(3, "interviewer", "Good. How did you test it, end to end?"),
    });
    stream.close();
    expect(await screen.findByText("Good. How did you test it, end to end?")).toBeInTheDocument();
    expect(screen.queryByTestId("live-message")).not.toBeInTheDocument();
    expect(screen.queryByTestId("typing")).not.toBeInTheDocument();
    expect(texts()).toEqual([
      "Hello! Tell me about a Python service you built.",
      "I built a queue",
      "Good. How did you test it, end to end?",
    ]);
    expect(screen.getByRole("log", { name: "Messages" })).toHaveAttribute("aria-live", "polite");
    expect(screen.getByTestId("question-number")).toHaveTextContent("2 of 6");
    await waitFor(() => expect(box()).toHaveFocus());
  });

  it("catches up with the server when the reply fails after the answer was saved", async () => {
    const user = userEvent.setup();
    let serverHasIt = false;
    const api = renderRoom({
      "GET /api/interviews/iv1": () =>
        json(
          200,
          serverHasIt
            ? interview({
                messages: [
                  message(1, "interviewer", "Hello! Tell me about a Python service you built."),
                  message(2, "candidate", "My answer"),
                  message(3, "interviewer", "Good. How did you test it?"),
                ],
                progress: progress2,
              })
            : interview(),
        ),
      [answerRoute]: () => {
        serverHasIt = true;
        const stream = eventStream();
        stream.send("delta", { text: "Good." });
        stream.send("error", { error: { code: "internal_error", message: "The reply failed; your answer was saved." } });
        stream.close();
        return stream.response;
      },
    });
    await screen.findByText(/Tell me about/);
    await user.type(box(), "My answer{Enter}");
    expect(await screen.findByText("Good. How did you test it?")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(box()).toHaveValue("");
    expect(api.callsTo(answerRoute)).toHaveLength(1);
    expect(api.callsTo("GET /api/interviews/iv1")).toHaveLength(2);
  });

  it("keeps the answer in the box when a failed reply left no trace on the server", async () => {
    const user = userEvent.setup();
    renderRoom({
      [answerRoute]: () => {
        const stream = eventStream();
        stream.send("error", { error: { code: "brain_failed", message: "The interviewer could not reply." } });
        stream.close();
        return stream.response;
      },
    });
    await screen.findByText(/Tell me about/);
    await user.type(box(), "My answer{Enter}");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The interviewer could not reply.");
    expect(box()).toHaveValue("My answer");
    expect(box()).toBeEnabled();
  });

  it("keeps the answer when the stream drops mid-reply, and the retry finds it on the server", async () => {
    const user = userEvent.setup();
    let serverHasIt = false;
    const api = renderRoom({
      "GET /api/interviews/iv1": () =>
        json(
          200,
          serverHasIt
            ? interview({
                messages: [
                  message(1, "interviewer", "Hello! Tell me about a Python service you built."),
                  message(2, "candidate", "Dropped"),
                  message(3, "interviewer", "Good. How did you test it?"),
                ],
                progress: progress2,
              })
            : interview(),
        ),
      [answerRoute]: () => {
        serverHasIt = true;
        const stream = eventStream();
        stream.send("delta", { text: "Good. How" });
        stream.fail();
        return stream.response;
      },
    });
    await screen.findByText(/Tell me about/);
    await user.type(box(), "Dropped{Enter}");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The connection dropped before the interviewer's reply arrived.");
    expect(alert).toHaveTextContent("Your answer is still in the box below.");
    expect(screen.queryByTestId("live-message")).not.toBeInTheDocument();
    expect(box()).toHaveValue("Dropped");

    await user.click(within(alert).getByRole("button", { name: "Retry" }));
    expect(await screen.findByText("Good. How did you test it?")).toBeInTheDocument();
    expect(box()).toHaveValue("");
    expect(api.callsTo(answerRoute)).toHaveLength(1);
  });

  it("counts the clock down between server updates", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
    renderRoom({});
    await screen.findByText(/Tell me about/);
    await act(async () => {
      vi.advanceTimersByTime(5000);
    });
    expect(screen.getByTestId("elapsed")).toHaveTextContent("0:35");
    expect(screen.getByTestId("remaining")).toHaveTextContent("24:25");
  });

  it("does not send an empty answer", async () => {
    const user = userEvent.setup();
    const api = renderRoom({});
    await screen.findByText(/Tell me about/);
    await user.type(box(), "   {Enter}");
    expect(api.callsTo(answerRoute)).toHaveLength(0);
    expect(screen.getByRole("button", { name: "Send" })).toBeDisabled();
  });

  it("keeps the answer in the box when the network fails, and retries without losing it", async () => {
    const user = userEvent.setup();
    let attempts = 0;
    const api = renderRoom({
      [answerRoute]: (call) => {
        attempts += 1;
        if (attempts === 1) return Promise.reject(new TypeError("Failed to fetch"));
        return answered((call.json as { text: string }).text);
      },
    });
    await screen.findByText(/Tell me about/);
    await user.type(box(), "My answer{Enter}");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Can't reach the Mockroom server");
    expect(alert).toHaveTextContent("Your answer is still in the box below.");
    expect(box()).toHaveValue("My answer");
    expect(box()).toBeEnabled();

    await user.click(within(alert).getByRole("button", { name: "Retry" }));
    expect(await screen.findByText("Good. How did you test it?")).toBeInTheDocument();
    expect(box()).toHaveValue("");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(api.callsTo(answerRoute)).toHaveLength(2);
  });

  it("does not send twice when the server got the answer but the reply was lost", async () => {
    const user = userEvent.setup();
    let serverHasIt = false;
    const api = renderRoom({
      "GET /api/interviews/iv1": () =>
        json(
          200,
          serverHasIt
            ? interview({
                messages: [
                  message(1, "interviewer", "Hello! Tell me about a Python service you built."),
                  message(2, "candidate", "Lost reply"),
                  message(3, "interviewer", "Good. How did you test it?"),
                ],
                progress: progress2,
              })
            : interview(),
        ),
      [answerRoute]: () => {
        serverHasIt = true;
        return Promise.reject(new TypeError("Failed to fetch"));
      },
    });
    await screen.findByText(/Tell me about/);
    await user.type(box(), "Lost reply{Enter}");
    await screen.findByRole("alert");
    await user.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findByText("Good. How did you test it?")).toBeInTheDocument();
    expect(api.callsTo(answerRoute)).toHaveLength(1);
    expect(box()).toHaveValue("");
  });

  it("keeps a draft across a reload", async () => {
    const user = userEvent.setup();
    mockApi({ "GET /api/interviews/iv1": () => json(200, interview()) });
    const first = render(<RoomScreen id="iv1" />);
    await screen.findByText(/Tell me about/);
    await user.type(box(), "Half-written");
    first.unmount();
    render(<RoomScreen id="iv1" />);
    await screen.findByText(/Tell me about/);
    expect(box()).toHaveValue("Half-written");
  });

  it("ends only after confirmation, then opens the report", async () => {
    const user = userEvent.setup();
    const api = renderRoom({ "POST /api/interviews/iv1/end": () => json(200, report()) });
    await screen.findByText(/Tell me about/);
    await user.click(screen.getByRole("button", { name: "End interview" }));
    const dialog = screen.getByRole("alertdialog", { name: "End the interview?" });
    await user.click(within(dialog).getByRole("button", { name: "Keep going" }));
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(api.callsTo("POST /api/interviews/iv1/end")).toHaveLength(0);

    await user.click(screen.getByRole("button", { name: "End interview" }));
    await user.click(screen.getByRole("button", { name: "End and see report" }));
    await waitFor(() => expect(window.location.hash).toBe("#/interview/iv1/report"));
    expect(api.callsTo("POST /api/interviews/iv1/end")).toHaveLength(1);
  });

  it("sends a finished interview to its report", async () => {
    renderRoom({ "GET /api/interviews/iv1": () => json(200, interview({ status: "finished" })) });
    await waitFor(() => expect(window.location.hash).toBe("#/interview/iv1/report"));
  });

  it("offers the report when the interviewer closes the interview", async () => {
    const user = userEvent.setup();
    renderRoom({
      [answerRoute]: () =>
        streamed({
          candidate_message: message(2, "candidate", "Done"),
          reply: message(3, "interviewer", "Thanks, that's all from me."),
          status: "finished",
          progress: progress2,
        }),
    });
    await screen.findByText(/Tell me about/);
    await user.type(box(), "Done{Enter}");
    expect(await screen.findByText("The interview is over. Your report is ready.")).toBeInTheDocument();
    expect(screen.queryByLabelText("Your answer")).not.toBeInTheDocument();
    expect(screen.getAllByRole("link", { name: "See your report" })[0]).toHaveAttribute("href", "#/interview/iv1/report");
  });

  it("follows the server when an answer arrives after the interview finished", async () => {
    const user = userEvent.setup();
    let finished = false;
    renderRoom({
      "GET /api/interviews/iv1": () => json(200, interview({ status: finished ? "finished" : "in_progress" })),
      [answerRoute]: () => {
        finished = true;
        return apiError(409, "interview_finished", "This interview has finished.");
      },
    });
    await screen.findByText(/Tell me about/);
    await user.type(box(), "Late{Enter}");
    expect(await screen.findByText("The interview is over. Your report is ready.")).toBeInTheDocument();
  });

  it("shows notices from the server", async () => {
    renderRoom({
      "GET /api/interviews/iv1": () => json(200, interview({ notices: ["Your CV had no readable text."] })),
    });
    expect(await screen.findByText("Your CV had no readable text.")).toBeInTheDocument();
  });

  it("says so when the interview does not exist", async () => {
    renderRoom({ "GET /api/interviews/iv1": () => apiError(404, "not_found", "No such interview.") });
    expect(await screen.findByRole("heading", { name: "Interview not found" })).toBeInTheDocument();
  });

  it("opens the mic check when the candidate talks by voice, and goes back to typing", async () => {
    const user = userEvent.setup();
    stubMediaDevices();
    renderRoom(voiceRoute);
    expect(await openMicCheck(user)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Talk by voice" })).not.toBeInTheDocument();
    expect(screen.queryByText("Waiting for your answer")).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Keep typing" }));
    expect(screen.queryByRole("heading", { name: "Check your microphone" })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Talk by voice" })).toBeInTheDocument();
    expect(screen.getByText("Waiting for your answer")).toBeInTheDocument();
  });

  it("sends typed answers through a live voice call and reloads the transcript on each turn", async () => {
    const user = userEvent.setup();
    let turns = 0;
    const api = renderRoom({
      ...voiceRoute,
      "GET /api/interviews/iv1": () =>
        json(
          200,
          turns > 0
            ? interview({
                messages: [
                  message(1, "interviewer", "Hello! Tell me about a Python service you built."),
                  message(2, "candidate", "A queue with retries"),
                  message(3, "interviewer", "Good. How did you test it?"),
                ],
                progress: progress2,
              })
            : interview(),
        ),
    });
    const client = await startVoiceCall(user);

    await user.type(box(), "A queue with retries{Enter}");
    expect(client.sendText).toHaveBeenCalledWith("A queue with retries");
    expect(api.callsTo(answerRoute)).toHaveLength(0);
    expect(box()).toHaveValue("");
    expect(box()).toBeDisabled();
    const log = screen.getByRole("log", { name: "Messages" });
    expect(within(log).getByText("A queue with retries")).toBeInTheDocument();
    expect(screen.getByTestId("caption-candidate")).toHaveTextContent("A queue with retries");
    expect(screen.getByTestId("voice-status")).toHaveTextContent("Thinking…");

    turns += 1;
    const turn = { type: "turn", candidate_seq: 2, interviewer_seq: 3, phase: "core", finished: false };
    act(() => client.serverMessage(turn));
    expect(await screen.findByText("Good. How did you test it?")).toBeInTheDocument();
    expect(api.callsTo("GET /api/interviews/iv1")).toHaveLength(2);
    expect(box()).toBeEnabled();
    expect(screen.getByTestId("question-number")).toHaveTextContent("2 of 6");
  });

  it("keeps a typed answer in the box when the voice call could not send it", async () => {
    const user = userEvent.setup();
    renderRoom(voiceRoute);
    const client = await startVoiceCall(user);
    client.sendText.mockRejectedValueOnce(new Error("data channel closed"));
    await user.type(box(), "A queue with retries{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Your answer could not be sent through the voice call. It is still in the box below.",
    );
    expect(box()).toHaveValue("A queue with retries");
    expect(box()).toBeEnabled();
  });

  it("leaves the stage for the interviewer and no workspace in text mode", async () => {
    renderRoom({});
    await screen.findByText(/Tell me about/);
    expect(screen.getByRole("complementary", { name: "Interviewer" })).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Conversation" })).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Workspace" })).not.toBeInTheDocument();
  });
});

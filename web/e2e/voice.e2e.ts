// A spoken interview in the browser with no person and no network: Chromium's fake microphone plays
// a WAV the server's own TTS made, and every request the page makes must stay on this machine.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startInterview } from "./support/api";
import { launch, newPage, snap } from "./support/browser";
import { messageTexts } from "./support/room";
import { fakeMicrophone, speechWav } from "./support/voice";

const spoken = "I have built payment services in Python for five years.";

interface Message {
  role: string;
  text: string;
}

describe("a voice interview in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    const wav = speechWav(spoken, 14);
    browser = await launch([
      ...fakeMicrophone(wav),
      // The network is cut: any host name but this machine's fails to resolve.
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("checks the mic, talks, shows captions and the avatar, types too, and never leaves localhost", async () => {
    const { context, page, errors } = await newPage(browser);
    const outside: string[] = [];
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === "127.0.0.1" || url.protocol === "data:" || url.protocol === "blob:") {
        return route.continue();
      }
      outside.push(route.request().url());
      return route.abort("internetdisconnected");
    });
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    page.on("websocket", (socket) => requested.push(socket.url()));

    const id = await startInterview("Python backend");
    await page.goto(`/#/interview/${id}`);
    await page.getByTestId("message").first().waitFor();
    const question = (await messageTexts(page)).at(-1) ?? "";
    await page.getByRole("button", { name: "Talk by voice" }).click();

    await page.getByRole("heading", { name: "Check your microphone" }).waitFor();
    await page.getByText("Speech models ready.").waitFor({ timeout: 60_000 });
    expect(await page.getByLabel("Microphone", { exact: true }).locator("option").count()).toBeGreaterThan(0);
    await snap(page, "voice-mic-check");
    await page.getByRole("button", { name: "Start talking" }).click();

    const avatar = page.getByRole("img", { name: /^Interviewer, / });
    // Joining by voice, the candidate first hears the question on the table.
    await page.getByTestId("caption-interviewer").filter({ hasText: question.slice(0, 15) }).waitFor({ timeout: 30_000 });
    await page.getByTestId("voice-status").filter({ hasText: /Listening|Speaking|Thinking/ }).waitFor({ timeout: 30_000 });
    // The candidate's words appear as a caption, then in the transcript.
    await page.getByTestId("caption-candidate").filter({ hasText: /payment/i }).waitFor({ timeout: 45_000 });
    await page.waitForFunction(
      () => document.querySelector("[aria-label='Interviewer, speaking']") !== null,
      undefined,
      { timeout: 30_000 },
    );
    const caption = await page.getByTestId("caption-interviewer").innerText();
    expect(caption.replace("Interviewer", "").trim().length).toBeGreaterThan(3);
    await snap(page, "voice-speaking");
    await page.getByTestId("voice-latency").waitFor({ timeout: 30_000 });
    expect((await messageTexts(page)).some((text) => /payment services/i.test(text))).toBe(true);
    expect(await avatar.count()).toBe(1);

    // Typing still works during the call, and the typed answer is handled as a turn of the call.
    const before = await page.getByTestId("message").count();
    const box = page.getByLabel("Your answer");
    await box.fill("I also run PostgreSQL migrations with Alembic.");
    await box.press("Enter");
    await page.waitForFunction(
      (count) => document.querySelectorAll("[data-testid=message]").length >= count,
      before + 2,
      { timeout: 60_000 },
    );

    const stored = await call<{ messages: Message[] }>("GET", `/api/interviews/${id}`);
    const candidate = stored.body.messages.filter((m) => m.role === "candidate").map((m) => m.text);
    expect(candidate.some((text) => /payment/i.test(text))).toBe(true);
    expect(candidate).toContain("I also run PostgreSQL migrations with Alembic.");
    const latency = await call<{ transcript_ms: number; voice_to_voice_ms: number }[]>(
      "GET",
      `/api/interviews/${id}/voice/latency`,
    );
    expect(latency.body.length).toBeGreaterThanOrEqual(1);
    expect(latency.body[0]!.voice_to_voice_ms).toBeGreaterThan(latency.body[0]!.transcript_ms);

    await page.getByRole("button", { name: "Stop voice, keep typing" }).click();
    await page.getByRole("button", { name: "Talk by voice" }).waitFor();

    expect(outside).toEqual([]);
    expect(requested.filter((url) => !/^(https?|wss?):\/\/127\.0\.0\.1[:/]|^(data|blob):/.test(url))).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

// Patient turn-taking in the browser, as the issue that asked for it tried it: Chromium's fake
// microphone plays the candidate's answer made by the server's own TTS with a thinking pause after
// "and" (silence trimmed so the pause is exact). However long the pause, up to 2.4 s, the answer is
// one message and the interviewer neither talks over it nor tells the candidate to stay on topic.
import { afterAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { call, startInterview } from "./support/api";
import { launch, newPage } from "./support/browser";
import { fakeMicrophone, speechWav } from "./support/voice";

const first = "I have spent five years building payment services in Python, mostly with FastAPI and Postgres, and";
const second = "the project I am proudest of is the ledger rewrite that removed double charges.";

interface Message {
  role: string;
  text: string;
  seq: number;
}

describe("a thinking pause in a browser voice call", () => {
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  for (const pause of [1.8, 2.4]) {
    it(`keeps the answer whole across a ${pause} s pause after "and"`, async () => {
      await browser?.close();
      browser = await launch([
        ...fakeMicrophone(speechWav([first, second], 14, [pause])),
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
      ]);
      const { context, page, errors } = await newPage(browser);
      const id = await startInterview("Python backend");
      await page.goto(`/#/interview/${id}`);
      await page.getByTestId("message").first().waitFor();
      await page.getByRole("button", { name: "Talk by voice" }).click();
      await page.getByText("Speech models ready.").waitFor({ timeout: 60_000 });
      await page.getByRole("button", { name: "Start talking" }).click();

      await page.getByTestId("caption-candidate").filter({ hasText: /proudest/i }).waitFor({ timeout: 60_000 });
      await page.getByTestId("voice-latency").waitFor({ timeout: 30_000 });
      // Time for a wrongly split second half to have become a turn of its own, had it been one.
      await page.waitForTimeout(3_000);

      const stored = await call<{ messages: Message[] }>("GET", `/api/interviews/${id}`);
      const candidate = stored.body.messages.filter((m) => m.role === "candidate");
      expect(candidate.map((m) => m.text)).toHaveLength(1);
      expect(candidate[0]!.text).toMatch(/payment/i);
      expect(candidate[0]!.text).toMatch(/proudest/i);
      const replies = stored.body.messages.filter((m) => m.role === "interviewer" && m.seq > candidate[0]!.seq);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.text).not.toBe("…");
      expect(replies[0]!.text).not.toMatch(/bring it back to the question/i);
      expect(errors).toEqual([]);
      await context.close();
    }, 180_000);
  }
});

// The interviewer's 3-D head in the voice room, drawn by Chromium's software WebGL (SwiftShader, as on
// a machine without a GPU): its chunk arrives only when the call starts, its mouth moves while the
// interviewer speaks and rests while the candidate talks; without WebGL, or when its chunk can't be
// fetched, the SVG face stands in.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInterview } from "./support/api";
import { launch, newPage, snap } from "./support/browser";
import { fakeMicrophone, speechWav } from "./support/voice";

const headChunk = /\/assets\/HeadAvatar-[^/]+\.js$/;

interface Frame {
  /** The avatar's accessible name: "Interviewer, <state>". */
  label: string;
  /** Pixels drawn at all (the rest of the canvas is transparent). */
  drawn: number;
  /** Pixels of the dark red inside of the mouth: none while the lips meet. */
  mouth: number;
  /** A checksum of every pixel. */
  checksum: number;
}

/**
 * The 3-D head's canvas, read in an animation frame right after the avatar's own, while the WebGL
 * drawing buffer still holds what it drew. Unless speaking, the avatar draws every other frame, so
 * this waits up to three frames for one it drew in.
 */
async function frame(page: Page): Promise<Frame> {
  const sample = await page.evaluate(
    () =>
      new Promise<Frame | null>((done) => {
        let tries = 0;
        requestAnimationFrame(function read() {
          const avatar = document.querySelector("[data-avatar=head]");
          const canvas = avatar?.querySelector("canvas");
          if (!avatar || !canvas) return done(null);
          const copy = document.createElement("canvas");
          copy.width = canvas.width;
          copy.height = canvas.height;
          const context = copy.getContext("2d")!;
          context.drawImage(canvas, 0, 0);
          const pixels = context.getImageData(0, 0, copy.width, copy.height).data;
          let drawn = 0;
          let mouth = 0;
          let checksum = 0;
          for (let i = 0; i < pixels.length; i += 4) {
            const [r, g, b, a] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!, pixels[i + 3]!];
            checksum = (checksum * 31 + r + 7 * g + 13 * b + 17 * a) >>> 0;
            if (a < 200) continue;
            drawn++;
            if (r > 25 && r > 2.2 * g && r > 2 * b) mouth++;
          }
          if (drawn === 0 && ++tries < 3) return requestAnimationFrame(read);
          done({ label: avatar.getAttribute("aria-label") ?? "", drawn, mouth, checksum });
        });
      }),
  );
  if (!sample) throw new Error("the 3-D avatar is not on the page");
  return sample;
}

/** Frames every `everyMs` for `forMs`, keeping those taken while the avatar was in `state`. */
async function framesWhile(page: Page, state: string, forMs: number, everyMs = 60): Promise<Frame[]> {
  const frames: Frame[] = [];
  const end = Date.now() + forMs;
  while (Date.now() < end) {
    const sample = await frame(page);
    if (sample.label === `Interviewer, ${state}`) frames.push(sample);
    await page.waitForTimeout(everyMs);
  }
  return frames;
}

/** From the room, through the mic check, into the call; returns the URLs of the 3-D chunk fetched before it started. */
async function startCall(page: Page, requested: string[]): Promise<string[]> {
  const id = await startInterview("Python backend");
  await page.goto(`/#/interview/${id}`);
  await page.getByTestId("message").first().waitFor();
  await page.getByRole("button", { name: "Talk by voice" }).click();
  await page.getByText("Speech models ready.").waitFor({ timeout: 60_000 });
  const before = requested.filter((url) => headChunk.test(url));
  await page.getByRole("button", { name: "Start talking" }).click();
  return before;
}

describe("the 3-D interviewer", () => {
  let browser: Browser;
  beforeAll(async () => {
    const wav = speechWav("I have built payment services in Python for five years.", 14);
    browser = await launch([...fakeMicrophone(wav), "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("loads when the call starts, moves its mouth while speaking and rests it while listening", async () => {
    const { context, page, errors } = await newPage(browser);
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));

    const beforeCall = await startCall(page, requested);
    expect(beforeCall).toEqual([]);
    await page.locator("[data-avatar=head] canvas").waitFor({ timeout: 30_000 });
    expect(requested.filter((url) => headChunk.test(url))).toHaveLength(1);

    // Joining by voice, the candidate first hears the question on the table.
    await page.locator("[data-avatar=head][aria-label='Interviewer, speaking']").waitFor({ timeout: 30_000 });
    const speaking = await framesWhile(page, "speaking", 2500);
    expect(speaking.length).toBeGreaterThanOrEqual(8);
    expect(Math.min(...speaking.map((f) => f.drawn))).toBeGreaterThan(5000);
    expect(new Set(speaking.map((f) => f.checksum)).size).toBeGreaterThanOrEqual(speaking.length / 2);
    const mouths = speaking.map((f) => f.mouth);
    expect(Math.max(...mouths)).toBeGreaterThan(15);
    expect(new Set(mouths).size).toBeGreaterThanOrEqual(3);
    await snap(page, "voice-avatar-speaking");

    // Then the candidate answers: the interviewer listens with its lips together (the head still moves).
    await page.locator("[data-avatar=head][aria-label='Interviewer, listening']").waitFor({ timeout: 45_000 });
    await page.waitForTimeout(400);
    const listening = await framesWhile(page, "listening", 1200);
    expect(listening.length).toBeGreaterThanOrEqual(4);
    expect(Math.min(...listening.map((f) => f.drawn))).toBeGreaterThan(5000);
    expect(listening.map((f) => f.mouth)).toEqual(listening.map(() => 0));
    await snap(page, "voice-avatar-listening");

    await page.getByRole("button", { name: "Stop voice, keep typing" }).click();
    await page.getByRole("button", { name: "Talk by voice" }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the SVG face when its chunk can't be fetched", async () => {
    const { context, page, errors } = await newPage(browser);
    await context.route(headChunk, (route) => route.abort("internetdisconnected"));
    await startCall(page, []);
    await page.locator("[data-avatar=face]").waitFor();
    await page.waitForTimeout(1500);
    expect(await page.locator("[data-avatar=face]").count()).toBe(1);
    expect(await page.locator("[data-avatar=head]").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the interviewer without WebGL", () => {
  let browser: Browser;
  beforeAll(async () => {
    const wav = speechWav("Hello.", 30);
    browser = await launch([...fakeMicrophone(wav), "--disable-3d-apis"]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("is the SVG face, and the 3-D chunk is never fetched", async () => {
    const { context, page, errors } = await newPage(browser);
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    await startCall(page, requested);
    await page.locator("[data-avatar=face]").waitFor();
    await page.getByTestId("voice-status").filter({ hasText: /Listening|Speaking|Thinking/ }).waitFor({ timeout: 30_000 });
    expect(await page.locator("[data-avatar=head], .voice-panel canvas").count()).toBe(0);
    expect(requested.filter((url) => headChunk.test(url))).toEqual([]);
    await snap(page, "voice-avatar-face");
    expect(errors).toEqual([]);
    await context.close();
  });
});

import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "./support/api";
import { launch, newPage, screenshotDir, snap } from "./support/browser";
import { janeDoeCv, textPdf } from "./support/pdf";
import { answer, messageTexts, messages } from "./support/room";

const answers = [
  "At Acme I led the move from a Django monolith to FastAPI services. We split by bounded context, kept one " +
    "PostgreSQL cluster at first, and put an API gateway in front so clients did not notice. Latency dropped by 40%.",
  "I use asyncio for I/O-bound work: the event loop runs one coroutine at a time and switches at each await, so " +
    "a slow database call does not block other requests. CPU-bound work goes to a process pool instead.",
  "For testing I write pytest unit tests around the service layer, plus integration tests that run against a real " +
    "PostgreSQL in CI. Contract tests check the OpenAPI schema so a breaking change fails the build.",
  "When an incident hit, I first stopped the bleeding with a feature flag, then wrote a timeline, found the root " +
    "cause in a missing index, and added an alert on slow queries so we would see it earlier next time.",
];

describe("a whole interview", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("sets up with a PDF CV, answers, ends, reads the report and downloads the transcript", async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto("/");
    await page.getByRole("heading", { name: "Set up your mock interview" }).waitFor();
    await page.getByRole("group", { name: "Suggested topics" }).waitFor();
    await snap(page, "setup");

    await page.getByLabel("Topic or skill").fill("Python backend");
    await page.getByRole("radio", { name: /Advanced/ }).check();
    await page.getByLabel("Kind of interview").selectOption("technical");
    await page.getByLabel("Duration").selectOption("20");
    await page.locator("input[type=file]").setInputFiles({
      name: "jane-doe.pdf",
      mimeType: "application/pdf",
      buffer: textPdf(janeDoeCv),
    });
    const preview = page.getByRole("region", { name: "What we read from your CV" });
    await preview.waitFor();
    expect(await preview.innerText()).toContain("Jane Doe");
    await page.getByLabel("Job description").fill("Senior backend engineer: Python, FastAPI, PostgreSQL, on-call.");
    await snap(page, "setup-cv-preview");

    await page.getByRole("button", { name: "Start interview" }).click();
    await page.waitForURL(/#\/interview\/[^/]+$/);
    const id = decodeURIComponent(new URL(page.url()).hash.split("/")[2] ?? "");
    await messages(page).first().waitFor();
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Python backend");
    expect(await page.getByTestId("question-number").innerText()).toMatch(/^\d+ of \d+$/);

    // Every answer goes through the streaming endpoint, which answers with server-sent events.
    const answerPosts: string[] = [];
    const streamTypes: (string | undefined)[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && /\/answer(\/stream)?$/.test(request.url())) {
        answerPosts.push(new URL(request.url()).pathname);
      }
    });
    page.on("response", (response) => {
      if (response.url().endsWith("/answer/stream")) streamTypes.push(response.headers()["content-type"]);
    });
    for (const text of answers.slice(0, 3)) {
      await answer(page, text);
    }
    expect(answerPosts).toEqual(Array(3).fill(`/api/interviews/${encodeURIComponent(id)}/answer/stream`));
    expect(streamTypes).toEqual(Array(3).fill(expect.stringMatching(/^text\/event-stream/)));
    // What the room shows is the server's final transcript, with nothing left of the live reply.
    const shown = await call<{ messages: { text: string }[] }>("GET", `/api/interviews/${id}`);
    expect(await messageTexts(page)).toEqual(shown.body.messages.map((m) => m.text));
    expect(await messageTexts(page)).toEqual(expect.arrayContaining(answers.slice(0, 3)));
    expect(await page.getByTestId("live-message").count()).toBe(0);
    expect(await page.getByTestId("typing").count()).toBe(0);
    await snap(page, "room");

    // The server may close the interview on its own once the plan is done; otherwise end it here.
    if (await page.getByRole("button", { name: "End interview" }).isVisible()) {
      await answer(page, answers[3] as string);
    }
    if (await page.getByRole("button", { name: "End interview" }).isVisible()) {
      await page.getByRole("button", { name: "End interview" }).click();
      const dialog = page.getByRole("alertdialog", { name: "End the interview?" });
      await dialog.waitFor();
      await snap(page, "room-end-dialog");
      await dialog.getByRole("button", { name: "End and see report" }).click();
    } else {
      await page.getByRole("link", { name: "See your report" }).first().click();
    }

    await page.waitForURL(/#\/interview\/[^/]+\/report$/);
    await page.getByText("Interview report").waitFor();
    expect(await page.getByTestId("recommendation").innerText()).toMatch(
      /^(Strong hire|Hire|Lean no|No hire|Not enough data)$/,
    );
    expect(await page.getByTestId("overall-score").innerText()).toMatch(/\d+\s*\/100|—/);
    await page.getByRole("heading", { name: "Question by question" }).waitFor();
    expect(await page.getByTestId("question-review").count()).toBeGreaterThan(0);
    await snap(page, "report");

    const folder = mkdtempSync(join(tmpdir(), "mockroom-downloads-"));
    for (const [label, format] of [
      ["Markdown", "md"],
      ["Plain text", "txt"],
      ["JSON", "json"],
    ] as const) {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: new RegExp(label) }).click(),
      ]);
      const file = join(folder, download.suggestedFilename());
      await download.saveAs(file);
      expect(file.endsWith(`.${format}`)).toBe(true);
      expect(statSync(file).size).toBeGreaterThan(100);
      const text = readFileSync(file, "utf8");
      if (format === "json") {
        expect(JSON.stringify(JSON.parse(text))).toContain(answers[0]?.slice(0, 30));
      } else {
        expect(text.replace(/\s+/g, " ")).toContain(answers[0]?.slice(0, 30));
      }
    }

    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".site-header").isVisible()).toBe(false);
    expect(await page.getByRole("button", { name: /Print/ }).isVisible()).toBe(false);
    await page.screenshot({ path: join(screenshotDir, "report-print.png"), fullPage: true });
    await page.emulateMedia({ media: "screen" });

    const stored = await call<{ status: string; messages: { role: string; text: string }[] }>("GET", `/api/interviews/${id}`);
    expect(stored.body.status).toBe("finished");
    expect(stored.body.messages.filter((m) => m.role === "candidate").map((m) => m.text)).toEqual(
      expect.arrayContaining(answers.slice(0, 3)),
    );
    expect(errors).toEqual([]);
    await context.close();
  });
});

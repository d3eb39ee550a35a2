import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "./support/api";
import { baseURL, launch, newPage, snap } from "./support/browser";
import { answer, messages } from "./support/room";

const repo = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");

interface Exercise {
  active: boolean;
  problem: { id: string; function: { name: string; params: { name: string }[] } };
}

/** The problem's Python reference solution, read from the bank through the server's own loader. */
function referenceSolution(problemId: string): string {
  return execFileSync(
    resolve(repo, ".venv/bin/python"),
    [
      "-c",
      "import sys; from mockroom.coding.problems.loader import load_problems; " +
        "sys.stdout.write(load_problems()[sys.argv[1]].reference['python'])",
      problemId,
    ],
    { cwd: repo, encoding: "utf8" },
  );
}

/**
 * Replaces everything in the Monaco editor with `code` the way a candidate pastes a prepared
 * solution: click in, select all, paste (typing it would re-indent every line).
 */
async function pasteCode(page: Page, code: string): Promise<void> {
  await page.getByTestId("monaco-editor").locator(".view-lines").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    const event = new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true });
    document.activeElement?.dispatchEvent(event);
  }, code);
}

/** What the editor shows (Monaco renders spaces as no-break spaces). */
async function editorText(page: Page): Promise<string> {
  return (await page.getByTestId("monaco-editor").locator(".view-lines").innerText()).replace(/\u00a0/g, " ");
}

/** Clicks a code action and waits for the server's answer to it. */
async function codeAction(page: Page, button: "Run" | "Submit"): Promise<{ code: string; language: string }> {
  const path = button === "Run" ? "/code/run" : "/code/submit";
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith(path)),
    page.waitForResponse((r) => r.url().endsWith(path), { timeout: 60_000 }),
    page.getByRole("button", { name: button, exact: true }).click(),
  ]);
  await page.getByTestId("code-status").filter({ hasText: /tests passed/ }).waitFor();
  return request.postDataJSON() as { code: string; language: string };
}

describe("a coding round in the room", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("writes a solution, runs it, fixes it, submits, and sees it in the report", async () => {
    const { context, page, errors } = await newPage(browser);
    const origin = baseURL();
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    page.on("worker", (worker) => requested.push(worker.url()));

    await page.goto("/");
    await page.getByLabel("Topic or skill").fill("Python");
    await page.getByRole("radio", { name: /Beginner/ }).check();
    await page.getByLabel("Kind of interview").selectOption("coding");
    await page.getByRole("button", { name: "Start interview" }).click();
    await page.waitForURL(/#\/interview\/[^/]+$/);
    const id = decodeURIComponent(new URL(page.url()).hash.split("/")[2] ?? "");
    await messages(page).first().waitFor();

    // The plan puts a few spoken questions before the exercise: skip them.
    const panel = page.getByTestId("coding-panel");
    for (let i = 0; i < 15 && (await page.getByTestId("phase").innerText()) !== "Live coding"; i++) {
      await answer(page, "skip");
    }
    await panel.waitFor();
    const { body } = await call<{ coding: Exercise; progress: { phase: string } }>("GET", `/api/interviews/${id}`);
    expect(body.coding.active).toBe(true);
    expect(body.progress.phase).toBe("coding");
    const problem = body.coding.problem;
    await page.getByRole("heading", { level: 2 }).filter({ hasText: /\S/ }).first().waitFor();
    expect(await page.getByTestId("problem").locator("h2").innerText()).not.toBe("");
    expect(await page.getByLabel("Language").inputValue()).toBe("python");

    // Monaco comes from the app's own files; the plain text box only stands in while it loads.
    await page.getByTestId("monaco-editor").locator(".monaco-editor .view-lines").waitFor({ timeout: 30_000 });
    expect(await editorText(page)).toContain(`def ${problem.function.name}`);

    // Keyboard: Tab goes from the language picker into the editor; Ctrl+M lets Tab out to Run.
    await page.getByLabel("Language").focus();
    await page.keyboard.press("Tab");
    const inEditor = () => page.evaluate(() => Boolean(document.activeElement?.closest("[data-testid=monaco-editor]")));
    expect(await inEditor()).toBe(true);
    await page.keyboard.press("Control+M");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Run");
    await page.keyboard.press("Shift+Tab");
    expect(await inEditor()).toBe(true);
    await page.keyboard.press("Control+M");

    const params = problem.function.params.map((p) => p.name).join(", ");
    const wrong = `def ${problem.function.name}(${params}):\n    return None\n`;
    await pasteCode(page, wrong);
    const sent = await codeAction(page, "Run");
    expect(sent).toEqual({ language: "python", code: wrong });
    const results = page.getByTestId("test-results");
    expect(await results.getByTestId("results-count").innerText()).toMatch(/^0 of \d+ tests passed$/);
    expect(await results.getByTestId("test-result").first().innerText()).toMatch(/Wrong answer/);
    expect(await results.innerText()).toContain("Expected");
    const ranMessage = messages(page).last();
    expect(await ranMessage.innerText()).toMatch(/Ran Python code: 0\/\d+ tests passed/);
    expect(await ranMessage.locator("pre code").innerText()).toContain("return None");

    // A reload keeps the code (drafts live in localStorage).
    await page.reload();
    await page.getByTestId("monaco-editor").locator(".monaco-editor .view-lines").waitFor({ timeout: 30_000 });
    expect(await editorText(page)).toContain("return None");

    const fixed = referenceSolution(problem.id);
    await pasteCode(page, fixed);
    const before = await messages(page).count();
    const submitted = await codeAction(page, "Submit");
    expect(submitted.code).toBe(fixed);
    const count = await results.getByTestId("results-count").innerText();
    const [passed, total] = (count.match(/^(\d+) of (\d+)/) ?? []).slice(1).map(Number);
    expect(total).toBeGreaterThan(2);
    expect(passed).toBe(total);
    expect(await results.innerText()).toMatch(/Hidden tests: (\d+) of \1 passed/);
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=message]").length >= n, before + 2);
    expect(await messages(page).nth(before).innerText()).toMatch(/Submitted Python code: (\d+)\/\1 tests passed/);
    const followUp = await messages(page).last().innerText();
    expect(followUp).toMatch(/^Interviewer/);
    expect(await panel.getByRole("status").filter({ hasText: "Interviewer:" }).count()).toBe(1);
    await results.scrollIntoViewIfNeeded();
    await snap(page, "room-coding");

    await page.getByRole("button", { name: "Answer", exact: true }).click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("answer");
    await answer(
      page,
      "Sorting dominates, so it is O(n log n) time and O(n) extra space. Edge cases: an empty input and " +
        "neighbours that only touch. I checked them against the hidden tests.",
    );
    // Everything the coding round needed, Monaco (and any worker it started) included, came from the server.
    expect(requested.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(requested).toEqual(expect.arrayContaining([expect.stringMatching(/\/assets\/MonacoEditor-[^/]+\.js$/)]));

    if (await page.getByRole("button", { name: "End interview" }).isVisible()) {
      await page.getByRole("button", { name: "End interview" }).click();
      await page.getByRole("alertdialog").getByRole("button", { name: "End and see report" }).click();
    } else {
      await page.getByRole("link", { name: "See your report" }).first().click();
    }
    await page.waitForURL(/#\/interview\/[^/]+\/report$/);
    await page.getByTestId("dimension-bar").first().waitFor();
    const dimensions = await page.locator("[data-testid=dimension-bar] .dimension-bar-name").allInnerTexts();
    expect(dimensions).toContain("Coding");
    expect(errors).toEqual([]);
    await context.close();
  });
});

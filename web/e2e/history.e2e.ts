import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startInterview } from "./support/api";
import { launch, newPage, snap } from "./support/browser";

describe("history", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("lists interviews, opens them, and deletes one for good", async () => {
    const keep = await startInterview("History keeper: SQL");
    await call("POST", `/api/interviews/${keep}/answer`, { text: "I would add a composite index on (user_id, created_at)." });
    await call("POST", `/api/interviews/${keep}/end`);
    const doomed = await startInterview("History doomed: Rust");

    const { context, page, errors } = await newPage(browser);
    await page.goto("/#/history");
    const rows = page.getByTestId("history-row");
    await rows.first().waitFor();
    const keepRow = rows.filter({ hasText: "History keeper: SQL" });
    const doomedRow = rows.filter({ hasText: "History doomed: Rust" });
    expect(await keepRow.innerText()).toContain("Finished");
    expect(await doomedRow.innerText()).toContain("In progress");
    await snap(page, "history");

    expect(await doomedRow.getByRole("link", { name: /Resume/ }).getAttribute("href")).toBe(`#/interview/${doomed}`);
    await keepRow.getByRole("link", { name: /Open report/ }).click();
    await page.waitForURL(new RegExp(`#/interview/${keep}/report$`));
    await page.getByText("Interview report").waitFor();
    await page.goBack();
    await rows.first().waitFor();

    await doomedRow.getByRole("button", { name: /Delete/ }).click();
    const dialog = page.getByRole("alertdialog", { name: "Delete this interview?" });
    await dialog.waitFor();
    await snap(page, "history-delete-dialog");
    await dialog.getByRole("button", { name: "Delete" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await doomedRow.count()).toBe(0);

    await page.reload();
    await rows.first().waitFor();
    expect(await rows.filter({ hasText: "History doomed: Rust" }).count()).toBe(0);
    expect(await rows.filter({ hasText: "History keeper: SQL" }).count()).toBe(1);
    expect((await call("GET", `/api/interviews/${doomed}`)).status).toBe(404);
    expect(errors).toEqual([]);
    await context.close();
  });
});

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, newPage } from "./support/browser";
import { answer, messageTexts } from "./support/room";

describe("resuming an interview", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("reloads to the same conversation, with the unsent draft kept", async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto("/");
    await page.getByLabel("Topic or skill").fill("Distributed systems");
    await page.getByRole("button", { name: "Start interview" }).click();
    await page.waitForURL(/#\/interview\/[^/]+$/);
    await page.getByTestId("message").first().waitFor();
    await answer(page, "I would partition the data by customer id and replicate each partition three times.");
    const before = await messageTexts(page);
    const url = page.url();
    await page.getByLabel("Your answer").fill("A draft I have not sent yet");

    await page.reload();
    await page.getByTestId("message").first().waitFor();
    expect(page.url()).toBe(url);
    expect(await messageTexts(page)).toEqual(before);
    expect(await page.getByLabel("Your answer").inputValue()).toBe("A draft I have not sent yet");

    // A fresh tab on the same URL shows the same interview from the server.
    const other = await context.newPage();
    await other.goto(url);
    await other.getByTestId("message").first().waitFor();
    expect(await messageTexts(other)).toEqual(before);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("keeps the answer and retries when the connection drops", async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto("/");
    await page.getByLabel("Topic or skill").fill("Networking");
    await page.getByRole("button", { name: "Start interview" }).click();
    await page.waitForURL(/#\/interview\/[^/]+$/);
    await page.getByTestId("message").first().waitFor();
    const before = await messageTexts(page);

    await context.setOffline(true);
    const text = "TCP retransmits lost segments after a timeout or three duplicate acknowledgements.";
    await page.getByLabel("Your answer").fill(text);
    await page.getByLabel("Your answer").press("Enter");
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.innerText()).toContain("Your answer is still in the box");
    expect(await page.getByLabel("Your answer").inputValue()).toBe(text);
    expect(await messageTexts(page)).toEqual(before);

    await context.setOffline(false);
    await alert.getByRole("button", { name: "Retry" }).click();
    await page.waitForFunction((count) => document.querySelectorAll("[data-testid=message]").length >= count, before.length + 2);
    const after = await messageTexts(page);
    expect(after.filter((message) => message === text)).toHaveLength(1);
    expect(await page.getByLabel("Your answer").inputValue()).toBe("");
    expect(errors).toEqual([]);
    await context.close();
  });
});

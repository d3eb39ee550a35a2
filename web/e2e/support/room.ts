import { expect } from "vitest";
import type { Page } from "playwright-core";

export const messages = (page: Page) => page.getByTestId("message");

/** Types an answer, sends it with Enter, and waits for the interviewer's reply. */
export async function answer(page: Page, text: string): Promise<void> {
  const before = await messages(page).count();
  const box = page.getByLabel("Your answer");
  await box.fill(text);
  await box.press("Enter");
  await page.waitForFunction(
    (count) => document.querySelectorAll("[data-testid=message]").length >= count,
    before + 2,
    { timeout: 60_000 },
  );
  expect(await messages(page).nth(before).innerText()).toContain(text.slice(0, 40));
}

export async function messageTexts(page: Page): Promise<string[]> {
  return page.locator("[data-testid=message] .message-text").allInnerTexts();
}

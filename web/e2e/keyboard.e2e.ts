import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, newPage, phone } from "./support/browser";

interface Focused {
  label: string;
  outline: string;
}

/** Tabs through the page, recording each focused control and whether its focus is visible. */
async function tabThrough(page: Page, stopAt: string, limit = 60): Promise<Focused[]> {
  const seen: Focused[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return null;
      // The file input is visually hidden; its drop zone shows the focus instead.
      const shown = element.matches("input[type=file]") ? element.closest(".dropzone") : element;
      const segment = element.matches("input[type=radio]") ? element.nextElementSibling : null;
      const style = getComputedStyle((segment ?? shown ?? element) as Element);
      const labelledBy = element.getAttribute("aria-labelledby");
      const label =
        (labelledBy && document.getElementById(labelledBy)?.textContent) ||
        element.getAttribute("aria-label") ||
        (element as HTMLInputElement).labels?.[0]?.textContent ||
        element.textContent ||
        element.tagName;
      return { label: label.trim().replace(/\s+/g, " "), outline: `${style.outlineStyle} ${style.outlineWidth}` };
    });
    if (!focused) continue;
    seen.push(focused);
    if (focused.label === stopAt) break;
  }
  return seen;
}

describe("keyboard use", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ["desktop", undefined],
    ["375 px", phone],
  ])("reaches every set-up control with Tab, with a visible focus ring (%s)", async (_, viewport) => {
    const { context, page, errors } = await newPage(browser);
    if (viewport) await page.setViewportSize(viewport);
    await page.goto("/");
    await page.getByRole("group", { name: "Suggested topics" }).waitFor();
    const seen = await tabThrough(page, "Start interview");
    const labels = seen.map((item) => item.label);
    for (const expected of ["Skip to content", "History", "Topic or skill", "Kind of interview", "Duration", "CV", "Job description", "Start interview"]) {
      expect(labels).toContain(expected);
    }
    expect(labels.some((label) => label.startsWith("Intermediate"))).toBe(true);
    for (const item of seen) {
      expect(item.outline, `focus ring on ${item.label}`).not.toMatch(/^none/);
    }
    // The page does not scroll sideways on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});

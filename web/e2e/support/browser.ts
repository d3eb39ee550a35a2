// Headless Debian Chromium through playwright-core, and screenshots of each screen at desktop
// and phone width under web/test-results/screenshots/.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { inject } from "vitest";

export const desktop = { width: 1280, height: 860 };
export const phone = { width: 375, height: 812 };
const here = fileURLToPath(new URL(".", import.meta.url));
export const screenshotDir = resolve(here, "../../test-results/screenshots");

export function baseURL(): string {
  return inject("baseURL");
}

/** Chromium; `args` adds flags (the voice test's fake microphone and cut network). */
export async function launch(args: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      ...args,
    ],
  });
}

/**
 * A fresh context and page (on the run's server, or `server` when given); `errors` collects uncaught
 * page errors, which tests expect to stay empty.
 */
export async function newPage(
  browser: Browser,
  { server = baseURL() }: { server?: string } = {},
): Promise<{ context: BrowserContext; page: Page; errors: Error[] }> {
  const context = await browser.newContext({ baseURL: server, viewport: desktop, acceptDownloads: true });
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on("pageerror", (error) => errors.push(error));
  return { context, page, errors };
}

/**
 * Saves `<name>-desktop.png` and `<name>-375.png` (full page), then restores the desktop size.
 * Fails when the phone layout scrolls sideways, the usual sign of something not fitting.
 */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.setViewportSize(desktop);
  await page.screenshot({ path: resolve(screenshotDir, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(phone);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 0) throw new Error(`${name}: the 375 px layout is ${overflow} px wider than the screen`);
  await page.screenshot({ path: resolve(screenshotDir, `${name}-375.png`), fullPage: true });
  await page.setViewportSize(desktop);
}

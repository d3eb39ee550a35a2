import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseURL, launch, newPage, snap } from "./support/browser";

const corrupt = Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nthis is not a real PDF \x00\x01\x02", "latin1");

async function serverMessage(): Promise<string> {
  const form = new FormData();
  form.append("cv", new Blob([corrupt], { type: "application/pdf" }), "broken.pdf");
  const response = await fetch(`${baseURL()}/api/cv/parse`, { method: "POST", body: form });
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  const body = (await response.json()) as { error: { message: string } };
  return body.error.message;
}

describe("a corrupt CV", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows the server's message next to the upload and keeps the form", async () => {
    const expected = await serverMessage();
    const { context, page, errors } = await newPage(browser);
    await page.goto("/");
    await page.getByLabel("Topic or skill").fill("Go microservices");
    await page.getByRole("radio", { name: /Beginner/ }).check();
    await page.getByLabel("Job description").fill("Platform team, Kubernetes.");
    await page.locator("input[type=file]").setInputFiles({
      name: "broken.pdf",
      mimeType: "application/pdf",
      buffer: corrupt,
    });

    const error = page.locator(".cv-upload [role=alert]");
    await error.waitFor();
    expect(await error.innerText()).toContain(expected);
    expect(await error.innerText()).toContain("broken.pdf");
    // Next to the upload: inside the CV field, right under the drop zone.
    expect(await page.locator(".cv-upload .dropzone + .cv-error").count()).toBe(1);
    expect(await page.getByLabel("Topic or skill").inputValue()).toBe("Go microservices");
    expect(await page.getByLabel("Job description").inputValue()).toBe("Platform team, Kubernetes.");
    expect(await page.getByRole("radio", { name: /Beginner/ }).isChecked()).toBe(true);
    await snap(page, "setup-cv-error");

    // The form still starts an interview, without the broken file.
    await page.getByRole("button", { name: "Start interview" }).click();
    await page.waitForURL(/#\/interview\/[^/]+$/);
    await page.getByTestId("message").first().waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});

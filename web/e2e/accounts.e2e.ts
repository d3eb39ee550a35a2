// Accounts mode end to end: a server of its own with MOCKROOM_AUTH=accounts, where everything
// but /api/health needs a sign-in and each user sees only their own interviews.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, newPage, snap } from "./support/browser";
import { answer, messages } from "./support/room";
import { startServer, type RunningServer } from "./support/server";

const password = "correct horse battery";
const ada = "ada@example.com";
const bob = "bob@example.com";

async function fillCredentials(page: Page, email: string): Promise<void> {
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await fillCredentials(page, email);
  await page.getByRole("button", { name: "Sign in" }).click();
}

// Answers to the embedded interviewer's first Python questions, picked by what it asks, so the
// interview ends with a scored report (an off-topic or missing answer leaves it unscored).
const pythonAnswers: [RegExp, string][] = [
  [
    /yourself/,
    "I'm a backend developer with five years of Python experience at a payments company, where I build and run REST " +
      "APIs with FastAPI and PostgreSQL. For example, last year I cut our checkout API's p99 latency from 800 ms to " +
      "120 ms by adding a Redis cache. Next I want to grow into system design and mentoring.",
  ],
  [
    /introspection|go wrong/,
    "Without functools.wraps the wrapper hides the original function's __name__, __doc__, __module__ and __wrapped__, " +
      "so help(), stack traces, logging and debuggers show the wrapper's name instead. inspect.signature then shows " +
      "*args and **kwargs, so frameworks that read the signature, like FastAPI's dependency injection or pytest " +
      "fixtures, break or register duplicate routes under the same name.",
  ],
  [
    /example|concrete/,
    "For example, at work I wrote a retry decorator for our payment gateway client: it wraps the charge call, catches " +
      "timeouts, retries three times with exponential backoff, and uses functools.wraps so our structured logs and " +
      "FastAPI's signature inspection still see charge_card rather than wrapper. Failed charges from timeouts fell by 90%.",
  ],
  [
    /decorator/,
    "A decorator is a callable that takes a function and returns a replacement, usually a wrapper; the @ syntax is " +
      "shorthand for reassigning the function name, func = decorator(func). The wrapper accepts *args and **kwargs and " +
      "calls the original. functools.wraps copies the name, docstring and metadata to the wrapper, so logging and " +
      "introspection still see the original function. Decorators with arguments need an extra outer function layer.",
  ],
  [
    /Global Interpreter Lock|GIL/,
    "The GIL lets only one thread execute Python bytecode at a time. Threads still help for I/O-bound work because " +
      "the GIL is released while waiting on the network or disk, so I use a thread pool or asyncio there. CPU-bound " +
      "work needs multiprocessing or native code to use multiple cores, and C extensions like NumPy release the GIL " +
      "during heavy computation. Python 3.13 has an experimental free-threaded build without the GIL.",
  ],
];

/** A whole Python interview through the API with the page's cookie session (so with its CSRF token). */
async function finishPythonInterview(page: Page): Promise<void> {
  const csrf = (await page.context().cookies()).find((c) => c.name === "mockroom_csrf")?.value ?? "";
  const headers = { "X-CSRF-Token": csrf };
  const created = await page.request.post("/api/interviews", { data: { topic: "Python" }, headers });
  expect(created.status()).toBe(201);
  const { id, messages: opening } = (await created.json()) as { id: string; messages: { text: string }[] };
  let question = opening.at(-1)?.text ?? "";
  for (let turn = 0; turn < 6; turn++) {
    const text = pythonAnswers.find(([asks]) => asks.test(question))?.[1];
    if (!text) break;
    const answered = await page.request.post(`/api/interviews/${id}/answer`, { data: { text }, headers });
    expect(answered.status()).toBe(200);
    question = ((await answered.json()) as { reply: { text: string } }).reply.text;
  }
  expect((await page.request.post(`/api/interviews/${id}/end`, { headers })).status()).toBe(200);
}

async function openAccountMenu(page: Page): Promise<void> {
  const button = page.getByRole("button", { name: "Account", exact: true });
  if ((await button.getAttribute("aria-expanded")) !== "true") await button.click();
}

async function signOut(page: Page): Promise<void> {
  await openAccountMenu(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/#\/sign-in$/);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
}

describe("accounts", () => {
  let browser: Browser;
  let server: RunningServer;
  let adaContext: BrowserContext | undefined;
  let adaInterview = "";

  beforeAll(async () => {
    [browser, server] = await Promise.all([launch(), startServer({ auth: "accounts" })]);
  });
  afterAll(async () => {
    await adaContext?.close();
    await browser?.close();
    await server?.stop();
  });

  it("signs up, signs in, starts an interview, finds it in history, signs out and is sent to sign in", async () => {
    const { context, page, errors } = await newPage(browser, { server: server.baseURL });
    adaContext = context;
    expect((await page.request.get("/api/interviews")).status()).toBe(401);

    await page.goto("/");
    await page.waitForURL(/#\/sign-in$/);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.getByRole("link", { name: "New interview" }).count()).toBe(0);
    await snap(page, "sign-in");

    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByRole("heading", { name: "Create an account" }).waitFor();
    await fillCredentials(page, ada);
    await snap(page, "sign-up");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { name: "Set up your mock interview" }).waitFor();
    expect(page.url()).toMatch(/#\/$/);

    // Signing up signed Ada in; sign out and back in with the same credentials.
    await signOut(page);
    await signIn(page, ada);
    await page.getByRole("heading", { name: "Set up your mock interview" }).waitFor();
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "mockroom_session")?.httpOnly).toBe(true);
    expect(cookies.find((c) => c.name === "mockroom_csrf")?.httpOnly).toBe(false);

    // Starting and answering are cookie-authenticated writes: each carries the CSRF token.
    const writes: (string | undefined)[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && new URL(request.url()).pathname.startsWith("/api/interviews")) {
        writes.push(request.headers()["x-csrf-token"]);
      }
    });
    await page.getByLabel("Topic or skill").fill("Accounts: Python APIs");
    await page.getByRole("button", { name: "Start interview" }).click();
    await page.waitForURL(/#\/interview\/[^/]+$/);
    adaInterview = decodeURIComponent(new URL(page.url()).hash.split("/")[2] ?? "");
    await messages(page).first().waitFor();
    await answer(page, "I build payment APIs in Python with FastAPI and PostgreSQL, and I own their on-call rota.");
    const csrf = cookies.find((c) => c.name === "mockroom_csrf")?.value;
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes.every((token) => token === csrf)).toBe(true);

    await page.getByRole("link", { name: "History" }).click();
    const row = page.getByTestId("history-row").filter({ hasText: "Accounts: Python APIs" });
    await row.waitFor();
    expect(await row.innerText()).toContain("In progress");

    // The first account on the server is its admin.
    await openAccountMenu(page);
    expect(await page.getByText(`Signed in as ${ada}`).isVisible()).toBe(true);
    await page.getByRole("link", { name: "Users (admin)" }).click();
    const adminRow = page.getByTestId("admin-row").filter({ hasText: ada });
    await adminRow.waitFor();
    expect(await adminRow.innerText()).toContain("Active");
    await snap(page, "admin");

    await finishPythonInterview(page);
    await finishPythonInterview(page);
    await openAccountMenu(page);
    await snap(page, "account-menu");
    await page.getByRole("link", { name: "Progress" }).click();
    const python = page.getByTestId("progress-topic").filter({ hasText: "Python" });
    await python.waitFor();
    expect(await python.getByRole("img").locator("circle").count()).toBe(2);
    expect(await page.getByTestId("progress-dimension").count()).toBeGreaterThan(0);
    expect(await page.getByTestId("practice-step").count()).toBeGreaterThan(0);
    await snap(page, "progress");

    await openAccountMenu(page);
    await page.getByRole("link", { name: "Account settings" }).click();
    await page.getByRole("heading", { name: "Account settings" }).waitFor();
    await snap(page, "account");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download my data (JSON)" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("mockroom-export.json");

    await signOut(page);
    expect((await context.cookies()).some((c) => c.name === "mockroom_session")).toBe(false);
    await page.goto("/#/history");
    await page.waitForURL(/#\/sign-in\?next=%23%2Fhistory$/);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.getByTestId("history-row").count()).toBe(0);

    // Signing in again returns to the screen that asked for it.
    await signIn(page, ada);
    await page.waitForURL(/#\/history$/);
    await page.getByTestId("history-row").filter({ hasText: "Accounts: Python APIs" }).waitFor();
    expect(errors).toEqual([]);
  });

  it("keeps one user's interviews from another, and an admin can disable an account", async () => {
    expect(adaInterview).not.toBe("");
    const { context, page, errors } = await newPage(browser, { server: server.baseURL });
    await page.goto("/#/sign-up");
    await fillCredentials(page, bob);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { name: "Set up your mock interview" }).waitFor();

    await page.getByRole("link", { name: "History" }).click();
    await page.getByText("No interviews yet.").waitFor();
    expect(await page.getByText("Accounts: Python APIs").count()).toBe(0);

    await page.goto(`/#/interview/${encodeURIComponent(adaInterview)}`);
    await page.getByRole("heading", { name: "Interview not found" }).waitFor();
    await page.goto(`/#/interview/${encodeURIComponent(adaInterview)}/report`);
    await page.getByRole("heading", { name: "Report not found" }).waitFor();
    expect((await page.request.get(`/api/interviews/${adaInterview}`)).status()).toBe(404);

    // Bob is no admin: no link to the users page, and the page itself says so.
    await openAccountMenu(page);
    expect(await page.getByRole("link", { name: "Users (admin)" }).count()).toBe(0);
    await page.goto("/#/admin");
    await page.getByRole("heading", { name: "Administrators only" }).waitFor();

    // Ada disables Bob: his next request finds him signed out, and he can't sign in again.
    const adaPage = adaContext?.pages()[0];
    if (!adaPage) throw new Error("Ada's page is gone");
    await adaPage.goto("/#/admin");
    await adaPage.getByRole("button", { name: `Disable ${bob}` }).click();
    await adaPage.getByRole("alertdialog", { name: "Disable this account?" }).getByRole("button", { name: "Disable" }).click();
    await adaPage.getByTestId("admin-row").filter({ hasText: bob }).getByText("Disabled").waitFor();

    await page.goto("/#/history");
    await page.waitForURL(/#\/sign-in/);
    await signIn(page, bob);
    await page.getByText("This account has been disabled by an administrator.").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});

import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { SignUpScreen } from "../../src/auth/SignUpScreen";
import { apiError, json, mockApi, user } from "../support/api";
import { renderWithSession } from "../support/session";

const signedOut = { status: "ready", mode: "accounts", user: null, notice: null } as const;
const loginBody = { user: user(), access_token: "t", token_type: "bearer", expires_at: "2026-12-01T00:00:00Z" };
const credentials = { email: "ada@example.com", password: "correct horse battery" };

describe("SignUpScreen", () => {
  it("creates the account, then signs in with it", async () => {
    const person = userEvent.setup();
    const api = mockApi({
      "POST /api/auth/register": () => json(201, { user: user() }),
      "POST /api/auth/login": () => json(200, loginBody),
    });
    const { state } = renderWithSession(<SignUpScreen next="#/history" />, signedOut);
    expect(screen.getByRole("heading", { name: "Create an account" })).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveAttribute("autocomplete", "new-password");
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(/At least 8 characters/);
    await person.type(screen.getByLabelText("E-mail"), credentials.email);
    await person.type(screen.getByLabelText("Password"), credentials.password);
    await person.click(screen.getByRole("button", { name: "Create account" }));
    await waitFor(() => expect(state.signedIn).toHaveBeenCalledWith(user()));
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual(["POST /api/auth/register", "POST /api/auth/login"]);
    expect(api.calls.map((c) => c.json)).toEqual([credentials, credentials]);
    expect(screen.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "#/sign-in?next=%23%2Fhistory");
  });

  it("asks for a long enough password before sending anything", async () => {
    const person = userEvent.setup();
    const api = mockApi({});
    renderWithSession(<SignUpScreen next={null} />, signedOut);
    await person.type(screen.getByLabelText("E-mail"), credentials.email);
    await person.type(screen.getByLabelText("Password"), "short{Enter}");
    expect(screen.getByLabelText("Password")).toHaveFocus();
    expect(screen.getByText("Use at least 8 characters.")).toBeInTheDocument();
    expect(api.calls).toHaveLength(0);
  });

  it("says when the e-mail already has an account", async () => {
    const person = userEvent.setup();
    mockApi({ "POST /api/auth/register": () => apiError(409, "email_taken", "An account with this e-mail already exists.") });
    const { state } = renderWithSession(<SignUpScreen next={null} />, signedOut);
    await person.type(screen.getByLabelText("E-mail"), credentials.email);
    await person.type(screen.getByLabelText("Password"), `${credentials.password}{Enter}`);
    expect(await screen.findByRole("alert")).toHaveTextContent("An account with this e-mail already exists.");
    expect(state.signedIn).not.toHaveBeenCalled();
  });

  it("only signs in on a retry when the account was made but the sign-in failed", async () => {
    const person = userEvent.setup();
    let loginWorks = false;
    const api = mockApi({
      "POST /api/auth/register": () => json(201, { user: user() }),
      "POST /api/auth/login": () => (loginWorks ? json(200, loginBody) : apiError(503, "unavailable", "Try again in a moment.")),
    });
    const { state } = renderWithSession(<SignUpScreen next={null} />, signedOut);
    await person.type(screen.getByLabelText("E-mail"), credentials.email);
    await person.type(screen.getByLabelText("Password"), `${credentials.password}{Enter}`);
    expect(await screen.findByRole("alert")).toHaveTextContent("Try again in a moment.");
    loginWorks = true;
    await person.click(screen.getByRole("button", { name: "Create account" }));
    await waitFor(() => expect(state.signedIn).toHaveBeenCalledOnce());
    expect(api.callsTo("POST /api/auth/register")).toHaveLength(1);
    expect(api.callsTo("POST /api/auth/login")).toHaveLength(2);
  });
});

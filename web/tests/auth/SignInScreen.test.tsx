import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { SignInScreen } from "../../src/auth/SignInScreen";
import { apiError, json, mockApi, user } from "../support/api";
import { renderWithSession } from "../support/session";

const signedOut = { status: "ready", mode: "accounts", user: null, notice: null } as const;
const loginBody = { user: user(), access_token: "t", token_type: "bearer", expires_at: "2026-12-01T00:00:00Z" };

describe("SignInScreen", () => {
  it("signs in with e-mail and password and tells the session who it is", async () => {
    const person = userEvent.setup();
    const api = mockApi({ "POST /api/auth/login": () => json(200, loginBody) });
    const { state } = renderWithSession(<SignInScreen next={null} />, signedOut);
    expect(screen.getByLabelText("E-mail")).toHaveAttribute("autocomplete", "email");
    expect(screen.getByLabelText("Password")).toHaveAttribute("autocomplete", "current-password");
    await person.type(screen.getByLabelText("E-mail"), "  Ada@Example.com ");
    await person.type(screen.getByLabelText("Password"), "correct horse battery{Enter}");
    await waitFor(() => expect(state.signedIn).toHaveBeenCalledWith(user()));
    expect(api.callsTo("POST /api/auth/login")[0]?.json).toEqual({ email: "Ada@Example.com", password: "correct horse battery" });
  });

  it("checks the fields before asking the server, and moves focus to the first problem", async () => {
    const person = userEvent.setup();
    const api = mockApi({});
    renderWithSession(<SignInScreen next={null} />, signedOut);
    await person.click(screen.getByRole("button", { name: "Sign in" }));
    expect(screen.getByLabelText("E-mail")).toHaveFocus();
    expect(screen.getByLabelText("E-mail")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("E-mail")).toHaveAccessibleDescription(/Enter your e-mail address/);
    await person.type(screen.getByLabelText("E-mail"), "ada@example.com");
    await person.click(screen.getByRole("button", { name: "Sign in" }));
    expect(screen.getByLabelText("Password")).toHaveFocus();
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription("Enter your password.");
    expect(api.calls).toHaveLength(0);
  });

  it("shows the server's answer to wrong credentials and to a disabled account", async () => {
    const person = userEvent.setup();
    let answer = apiError(401, "invalid_credentials", "The e-mail or password is not right.");
    mockApi({ "POST /api/auth/login": () => answer });
    const { state } = renderWithSession(<SignInScreen next={null} />, signedOut);
    await person.type(screen.getByLabelText("E-mail"), "ada@example.com");
    await person.type(screen.getByLabelText("Password"), "wrong password{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("The e-mail or password is not right.");
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();

    answer = apiError(403, "account_disabled", "This account has been disabled by an administrator.");
    await person.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("This account has been disabled by an administrator.")).toBeInTheDocument();
    expect(state.signedIn).not.toHaveBeenCalled();
  });

  it("shows why the user landed here, and keeps where to go next on the sign-up link", () => {
    renderWithSession(<SignInScreen next="#/progress" />, { ...signedOut, notice: "Your session has ended. Sign in again to continue." });
    expect(screen.getByRole("status")).toHaveTextContent("Your session has ended.");
    expect(screen.getByRole("link", { name: "Create an account" })).toHaveAttribute("href", "#/sign-up?next=%23%2Fprogress");
  });
});

import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AccountScreen } from "../../src/account/AccountScreen";
import { apiError, json, mockApi, user } from "../support/api";
import { renderWithSession } from "../support/session";

const signedIn = (overrides = {}) => ({ status: "ready", mode: "accounts", user: user(overrides), notice: null }) as const;

describe("AccountScreen", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("shows who is signed in", () => {
    mockApi({});
    renderWithSession(<AccountScreen />, signedIn({ role: "admin" }));
    expect(screen.getByRole("heading", { level: 1, name: "Account settings" })).toBeInTheDocument();
    expect(screen.getByText("ada@example.com")).toBeInTheDocument();
    expect(screen.getByText("Administrator")).toBeInTheDocument();
  });

  describe("change password", () => {
    const form = () => screen.getByRole("form", { name: "Change password" });

    it("checks the new password twice, then changes it and sends the user to sign in again", async () => {
      const person = userEvent.setup();
      const api = mockApi({ "POST /api/auth/password": () => json(204, null) });
      const { state } = renderWithSession(<AccountScreen />, signedIn());
      const inside = within(form());
      await person.type(inside.getByLabelText("Current password"), "correct horse battery");
      await person.type(inside.getByLabelText("New password"), "a new passphrase");
      await person.type(inside.getByLabelText("New password again"), "a new passphrase!");
      await person.click(inside.getByRole("button", { name: "Change password" }));
      expect(inside.getByLabelText("New password again")).toHaveFocus();
      expect(inside.getByText("The two new passwords are not the same.")).toBeInTheDocument();
      expect(api.calls).toHaveLength(0);

      await person.type(inside.getByLabelText("New password again"), "{Backspace}");
      await person.click(inside.getByRole("button", { name: "Change password" }));
      await waitFor(() => expect(state.signedOut).toHaveBeenCalledWith(expect.stringMatching(/Sign in with the new password/)));
      expect(api.callsTo("POST /api/auth/password")[0]?.json).toEqual({
        current_password: "correct horse battery",
        new_password: "a new passphrase",
      });
      expect(window.location.hash).toBe("#/sign-in");
    });

    it("says when the current password is wrong, and stays signed in", async () => {
      const person = userEvent.setup();
      mockApi({ "POST /api/auth/password": () => apiError(401, "invalid_credentials", "The current password is not right.") });
      const { state } = renderWithSession(<AccountScreen />, signedIn());
      const inside = within(form());
      await person.type(inside.getByLabelText("Current password"), "wrong one");
      await person.type(inside.getByLabelText("New password"), "a new passphrase");
      await person.type(inside.getByLabelText("New password again"), "a new passphrase{Enter}");
      expect(await inside.findByRole("alert")).toHaveTextContent("The current password is not right.");
      expect(state.signedOut).not.toHaveBeenCalled();
    });

    it("is not offered to accounts that sign in elsewhere", () => {
      mockApi({});
      renderWithSession(<AccountScreen />, signedIn({ provider: "github" }));
      expect(screen.queryByRole("form", { name: "Change password" })).not.toBeInTheDocument();
    });
  });

  it("downloads everything as one JSON file", async () => {
    const person = userEvent.setup();
    const data = { user: { email: "ada@example.com" }, interviews: [{ id: "iv1", messages: [] }] };
    mockApi({ "GET /api/auth/export": () => json(200, data) });
    const blobs: Blob[] = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return "blob:export";
    });
    vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => undefined);
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    renderWithSession(<AccountScreen />, signedIn());
    await person.click(screen.getByRole("button", { name: "Download my data (JSON)" }));
    expect(await screen.findByText("Saved as mockroom-export.json.")).toBeInTheDocument();
    expect(clicked[0]?.download).toBe("mockroom-export.json");
    expect(clicked[0]?.getAttribute("href")).toBe("blob:export");
    expect(blobs[0]?.type).toBe("application/json");
    expect(JSON.parse(await (blobs[0] as Blob).text())).toEqual(data);
  });

  describe("delete account", () => {
    const form = () => screen.getByRole("form", { name: "Delete account" });

    it("needs the password and a second yes, then signs out for good", async () => {
      const person = userEvent.setup();
      const api = mockApi({ "DELETE /api/auth/me": () => json(204, null) });
      const { state } = renderWithSession(<AccountScreen />, signedIn());
      await person.click(within(form()).getByRole("button", { name: "Delete my account" }));
      expect(within(form()).getByLabelText("Your password")).toHaveFocus();
      expect(within(form()).getByText("Enter your password to confirm.")).toBeInTheDocument();
      expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();

      await person.type(within(form()).getByLabelText("Your password"), "correct horse battery");
      await person.click(within(form()).getByRole("button", { name: "Delete my account" }));
      const dialog = screen.getByRole("alertdialog", { name: "Delete your account?" });
      expect(dialog).toHaveTextContent("ada@example.com");
      expect(api.calls).toHaveLength(0);
      await person.click(within(dialog).getByRole("button", { name: "Delete for good" }));
      await waitFor(() => expect(state.signedOut).toHaveBeenCalledWith("Your account and all its interviews were deleted."));
      expect(api.callsTo("DELETE /api/auth/me")[0]?.json).toEqual({ password: "correct horse battery" });
      expect(window.location.hash).toBe("#/sign-in");
    });

    it("keeps the account when the password is wrong or the user cancels", async () => {
      const person = userEvent.setup();
      const api = mockApi({
        "DELETE /api/auth/me": () =>
          apiError(401, "invalid_credentials", "Confirm with your password (or your e-mail for accounts without one)."),
      });
      const { state } = renderWithSession(<AccountScreen />, signedIn());
      await person.type(within(form()).getByLabelText("Your password"), "wrong password{Enter}");
      await person.click(screen.getByRole("button", { name: "Cancel" }));
      expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
      expect(api.calls).toHaveLength(0);

      await person.click(within(form()).getByRole("button", { name: "Delete my account" }));
      await person.click(screen.getByRole("button", { name: "Delete for good" }));
      expect(await within(form()).findByRole("alert")).toHaveTextContent("Confirm with your password");
      expect(state.signedOut).not.toHaveBeenCalled();
    });

    it("confirms with the e-mail for an account without a password", async () => {
      const person = userEvent.setup();
      const api = mockApi({ "DELETE /api/auth/me": () => json(204, null) });
      renderWithSession(<AccountScreen />, signedIn({ provider: "github" }));
      await person.type(within(form()).getByLabelText("Your e-mail address"), "ada@example.com{Enter}");
      await person.click(screen.getByRole("button", { name: "Delete for good" }));
      await waitFor(() => expect(api.callsTo("DELETE /api/auth/me")[0]?.json).toEqual({ email: "ada@example.com" }));
    });
  });
});

import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../src/App";
import { apiError, json, localMe, me, mockApi, progressOverview, summary, unauthenticated, user } from "./support/api";

const go = async (hash: string) => {
  await act(async () => {
    window.location.hash = hash;
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  });
};

const accountMenu = () => screen.getByRole("button", { name: "Account" });

describe("App", () => {
  it("routes by the URL hash and marks the current page in the navigation", async () => {
    mockApi({
      "GET /api/auth/me": () => json(200, localMe()),
      "GET /api/topics": () => json(200, []),
      "GET /api/interviews": () => json(200, []),
    });
    render(<App />);
    expect(await screen.findByRole("heading", { name: "Set up your mock interview" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "New interview" })).toHaveAttribute("aria-current", "page");
    expect(document.title).toBe("New interview · Mockroom");

    await go("#/history");
    expect(await screen.findByRole("heading", { name: "Your interviews" })).toBeInTheDocument();
    expect(screen.getByRole("navigation", { name: "Main" }).querySelector("[aria-current=page]")).toHaveTextContent(
      "History",
    );
    expect(screen.getByRole("main")).toHaveFocus();
  });

  it("has a skip link to the main content", async () => {
    mockApi({ "GET /api/auth/me": () => json(200, localMe()), "GET /api/topics": () => json(200, []) });
    render(<App />);
    await screen.findByRole("heading", { name: "Set up your mock interview" });
    expect(screen.getByRole("link", { name: "Skip to content" })).toHaveAttribute("href", "#main");
  });

  it("offers a retry when the server can't be reached at start", async () => {
    const user = userEvent.setup();
    let up = false;
    mockApi({
      "GET /api/auth/me": () => (up ? json(200, localMe()) : apiError(503, "unavailable", "Mockroom is starting.")),
      "GET /api/topics": () => json(200, []),
    });
    render(<App />);
    expect(await screen.findByRole("alert")).toHaveTextContent("Mockroom is starting.");
    up = true;
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("heading", { name: "Set up your mock interview" })).toBeInTheDocument();
  });

  describe("in local mode", () => {
    it("needs no sign-in, and the account menu offers only progress", async () => {
      const user = userEvent.setup();
      mockApi({ "GET /api/auth/me": () => json(200, localMe()), "GET /api/topics": () => json(200, []) });
      render(<App />);
      await screen.findByRole("heading", { name: "Set up your mock interview" });
      await user.click(accountMenu());
      expect(accountMenu()).toHaveAttribute("aria-expanded", "true");
      expect(screen.getByText("Local mode: no sign-in needed.")).toBeVisible();
      expect(screen.getByRole("link", { name: "Progress" })).toHaveAttribute("href", "#/progress");
      expect(screen.queryByRole("link", { name: "Account settings" })).not.toBeInTheDocument();
      expect(screen.queryByRole("link", { name: /Users/ })).not.toBeInTheDocument();
      expect(screen.queryByRole("button", { name: "Sign out" })).not.toBeInTheDocument();

      await user.keyboard("{Escape}");
      expect(accountMenu()).toHaveAttribute("aria-expanded", "false");
      expect(accountMenu()).toHaveFocus();
    });

    it("explains that the sign-in and account screens are not needed", async () => {
      mockApi({ "GET /api/auth/me": () => json(200, localMe()) });
      window.location.hash = "#/sign-in";
      render(<App />);
      expect(await screen.findByRole("heading", { name: "No sign-in needed" })).toBeInTheDocument();
      await go("#/account");
      expect(screen.getByRole("heading", { name: "No sign-in needed" })).toBeInTheDocument();
    });

    it("stays on the screen when a call answers 401", async () => {
      mockApi({ "GET /api/auth/me": () => json(200, localMe()), "GET /api/interviews": unauthenticated });
      window.location.hash = "#/history";
      render(<App />);
      expect(await screen.findByRole("alert")).toHaveTextContent("Sign in first");
      expect(window.location.hash).toBe("#/history");
      expect(screen.queryByRole("heading", { name: "Sign in" })).not.toBeInTheDocument();
    });
  });

  describe("in accounts mode", () => {
    it("sends a visitor to sign in, then back to the screen they asked for", async () => {
      const person = userEvent.setup();
      let signedIn = false;
      const api = mockApi({
        "GET /api/auth/me": () => (signedIn ? json(200, me()) : unauthenticated()),
        "POST /api/auth/login": () => {
          signedIn = true;
          return json(200, { user: user(), access_token: "t", token_type: "bearer", expires_at: "2026-12-01T00:00:00Z" });
        },
        "GET /api/interviews": () => json(200, [summary()]),
      });
      window.location.hash = "#/history";
      render(<App />);
      expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
      expect(window.location.hash).toBe("#/sign-in?next=%23%2Fhistory");
      expect(document.title).toBe("Sign in · Mockroom");
      expect(screen.queryByRole("link", { name: "History" })).not.toBeInTheDocument();
      expect(screen.getByRole("link", { name: "Create an account" })).toHaveAttribute("href", "#/sign-up?next=%23%2Fhistory");
      expect(api.callsTo("GET /api/interviews")).toHaveLength(0);

      await person.type(screen.getByLabelText("E-mail"), "ada@example.com");
      await person.type(screen.getByLabelText("Password"), "correct horse battery");
      await person.click(screen.getByRole("button", { name: "Sign in" }));
      expect(await screen.findByRole("heading", { name: "Your interviews" })).toBeInTheDocument();
      expect(window.location.hash).toBe("#/history");
      expect(api.callsTo("POST /api/auth/login")[0]?.json).toEqual({ email: "ada@example.com", password: "correct horse battery" });
    });

    it("goes to sign-in, saying why, when the session ends mid-use", async () => {
      mockApi({ "GET /api/auth/me": () => json(200, me()), "GET /api/interviews": unauthenticated });
      window.location.hash = "#/history";
      render(<App />);
      expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
      expect(screen.getByText("Your session has ended. Sign in again to continue.")).toBeInTheDocument();
      expect(window.location.hash).toBe("#/sign-in?next=%23%2Fhistory");
    });

    it("signs out from the header's account menu", async () => {
      const person = userEvent.setup();
      const api = mockApi({
        "GET /api/auth/me": () => json(200, me()),
        "GET /api/topics": () => json(200, []),
        "POST /api/auth/logout": () => json(204, null),
      });
      render(<App />);
      await screen.findByRole("heading", { name: "Set up your mock interview" });
      await person.click(accountMenu());
      expect(screen.getByText("ada@example.com")).toBeVisible();
      expect(screen.getByRole("link", { name: "Account settings" })).toHaveAttribute("href", "#/account");
      expect(screen.queryByRole("link", { name: /Users/ })).not.toBeInTheDocument();
      await person.click(screen.getByRole("button", { name: "Sign out" }));

      expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
      expect(screen.getByText("You are signed out.")).toBeInTheDocument();
      expect(window.location.hash).toBe("#/sign-in");
      expect(api.callsTo("POST /api/auth/logout")).toHaveLength(1);
      expect(screen.queryByRole("button", { name: "Account" })).not.toBeInTheDocument();
      expect(screen.queryByRole("link", { name: "New interview" })).not.toBeInTheDocument();
    });

    it("keeps a signed-in user away from the sign-in screens", async () => {
      mockApi({ "GET /api/auth/me": () => json(200, me()), "GET /api/topics": () => json(200, []) });
      window.location.hash = "#/sign-up";
      render(<App />);
      expect(await screen.findByRole("heading", { name: "Set up your mock interview" })).toBeInTheDocument();
      expect(window.location.hash).toBe("#/");
    });

    it("shows admins the users page and everyone their progress, each loaded when opened", async () => {
      const person = userEvent.setup();
      mockApi({
        "GET /api/auth/me": () => json(200, me({ user: user({ role: "admin" }) })),
        "GET /api/topics": () => json(200, []),
        "GET /api/progress": () => json(200, progressOverview()),
        "GET /api/admin/users": () => json(200, []),
      });
      render(<App />);
      await screen.findByRole("heading", { name: "Set up your mock interview" });
      await person.click(accountMenu());
      const panel = screen.getByText(/Signed in as/).closest(".account-panel") as HTMLElement;
      await person.click(within(panel).getByRole("link", { name: "Users (admin)" }));
      expect(await screen.findByRole("heading", { name: "Users" })).toBeInTheDocument();
      expect(accountMenu()).toHaveAttribute("aria-expanded", "false");

      await person.click(accountMenu());
      await person.click(screen.getByRole("link", { name: "Progress" }));
      expect(await screen.findByRole("heading", { name: "Your progress" })).toBeInTheDocument();
      await waitFor(() => expect(document.title).toBe("Progress · Mockroom"));
    });
  });
});

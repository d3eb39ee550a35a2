import { act, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { App } from "../src/App";
import { json, mockApi } from "./support/api";

describe("App", () => {
  it("routes by the URL hash and marks the current page in the navigation", async () => {
    mockApi({ "GET /api/topics": () => json(200, []), "GET /api/interviews": () => json(200, []) });
    render(<App />);
    expect(screen.getByRole("heading", { name: "Set up your mock interview" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "New interview" })).toHaveAttribute("aria-current", "page");
    expect(document.title).toBe("New interview · Mockroom");

    await act(async () => {
      window.location.hash = "#/history";
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    });
    expect(await screen.findByRole("heading", { name: "Your interviews" })).toBeInTheDocument();
    expect(screen.getByRole("navigation", { name: "Main" }).querySelector("[aria-current=page]")).toHaveTextContent(
      "History",
    );
    expect(screen.getByRole("main")).toHaveFocus();
  });

  it("has a skip link to the main content", async () => {
    mockApi({ "GET /api/topics": () => json(200, []) });
    render(<App />);
    await act(async () => undefined);
    expect(screen.getByRole("link", { name: "Skip to content" })).toHaveAttribute("href", "#main");
  });
});

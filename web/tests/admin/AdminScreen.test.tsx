import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import AdminScreen from "../../src/admin/AdminScreen";
import { apiError, json, mockApi, usage, user, type Routes } from "../support/api";
import { renderWithSession } from "../support/session";

const admin = user({ id: "admin", email: "admin@example.com", role: "admin" });
const rows = [
  usage({ user: admin, interviews: 1, interview_minutes: 12, code_runs: 0, llm_tokens: 0 }),
  usage({ user: user({ id: "u2", email: "bob@example.com" }), interviews: 3, interview_minutes: 41.5, code_runs: 7, llm_tokens: 12345 }),
  usage({ user: user({ id: "u3", email: "eve@example.com", disabled: true }), interviews: 0, interview_minutes: 0, code_runs: 0, llm_tokens: 0 }),
];

function renderAdmin(routes: Routes = {}) {
  const api = mockApi({ "GET /api/admin/users": () => json(200, rows), ...routes });
  renderWithSession(<AdminScreen />, { status: "ready", mode: "accounts", user: admin, notice: null });
  return api;
}

const row = (email: string) => screen.getAllByTestId("admin-row").find((r) => r.textContent?.includes(email)) as HTMLElement;

describe("AdminScreen", () => {
  it("lists every account with interviews, minutes, code runs and LLM tokens", async () => {
    renderAdmin();
    expect(await screen.findAllByTestId("admin-row")).toHaveLength(3);
    const bob = row("bob@example.com");
    expect(within(bob).getByRole("rowheader")).toHaveTextContent("bob@example.com");
    const cells = within(bob).getAllByRole("cell").map((cell) => cell.textContent);
    expect(cells.slice(0, 5)).toEqual(["3", "41.5", "7", (12345).toLocaleString(), "Active"]);
    expect(row("eve@example.com")).toHaveTextContent("Disabled");
    expect(row("admin@example.com")).toHaveTextContent("(you)");
    expect(within(row("admin@example.com")).queryByRole("button")).not.toBeInTheDocument();
  });

  it("disables an account after confirmation, and enables one at once", async () => {
    const person = userEvent.setup();
    const api = renderAdmin({
      "PUT /api/admin/users/u2/disabled": () => json(200, user({ id: "u2", email: "bob@example.com", disabled: true })),
      "PUT /api/admin/users/u3/disabled": () => json(200, user({ id: "u3", email: "eve@example.com", disabled: false })),
    });
    await screen.findAllByTestId("admin-row");
    await person.click(screen.getByRole("button", { name: "Disable bob@example.com" }));
    const dialog = screen.getByRole("alertdialog", { name: "Disable this account?" });
    expect(dialog).toHaveTextContent("bob@example.com");
    await person.click(within(dialog).getByRole("button", { name: "Disable" }));
    await waitFor(() => expect(row("bob@example.com")).toHaveTextContent("Disabled"));
    expect(api.callsTo("PUT /api/admin/users/u2/disabled")[0]?.json).toEqual({ disabled: true });
    expect(screen.getByText("bob@example.com is disabled and signed out everywhere.")).toBeInTheDocument();

    await person.click(screen.getByRole("button", { name: "Enable eve@example.com" }));
    await waitFor(() => expect(row("eve@example.com")).toHaveTextContent("Active"));
    expect(api.callsTo("PUT /api/admin/users/u3/disabled")[0]?.json).toEqual({ disabled: false });
  });

  it("shows the server's refusal when a change fails", async () => {
    const person = userEvent.setup();
    renderAdmin({ "PUT /api/admin/users/u3/disabled": () => apiError(404, "not_found", "No such user.") });
    await screen.findAllByTestId("admin-row");
    await person.click(screen.getByRole("button", { name: "Enable eve@example.com" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("No such user.");
    expect(row("eve@example.com")).toHaveTextContent("Disabled");
  });

  it("tells a non-admin the page is for administrators", async () => {
    renderAdmin({ "GET /api/admin/users": () => apiError(403, "forbidden", "Only an administrator can do this.") });
    expect(await screen.findByRole("heading", { name: "Administrators only" })).toBeInTheDocument();
  });
});

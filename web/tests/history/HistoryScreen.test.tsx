import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { HistoryScreen } from "../../src/history/HistoryScreen";
import { apiError, json, mockApi, summary, type Routes } from "../support/api";

const items = [
  summary({ id: "b", topic: "Go services", status: "in_progress", overall_score: null, recommendation: null, ended_at: null }),
  summary({ id: "a", topic: "Python backend" }),
  summary({ id: "c", topic: "Marketing", overall_score: 10, recommendation: "insufficient_data" }),
];

function renderHistory(routes: Routes = {}) {
  const api = mockApi({ "GET /api/interviews": () => json(200, items), ...routes });
  render(<HistoryScreen />);
  return api;
}

describe("HistoryScreen", () => {
  it("lists past interviews with topic, date, duration, score and status", async () => {
    renderHistory();
    const rows = await screen.findAllByTestId("history-row");
    expect(rows).toHaveLength(3);
    const python = rows[1] as HTMLElement;
    expect(within(python).getByRole("rowheader")).toHaveTextContent("Python backend");
    expect(python).toHaveTextContent("24 min");
    expect(python).toHaveTextContent("72/100");
    expect(python).toHaveTextContent("Hire");
    expect(python).toHaveTextContent("Finished");
    expect(within(python).getByRole("link", { name: /Open report/ })).toHaveAttribute("href", "#/interview/a/report");
    expect(within(rows[0] as HTMLElement).getByRole("link", { name: /Resume/ })).toHaveAttribute("href", "#/interview/b");
    expect(rows[0]).toHaveTextContent("In progress");
    expect(rows[2]).toHaveTextContent("Not enough data");
    expect(rows[2]).not.toHaveTextContent("10/100");
  });

  it("deletes after confirmation and the row disappears", async () => {
    const user = userEvent.setup();
    const api = renderHistory({ "DELETE /api/interviews/a": () => json(204, null) });
    await screen.findAllByTestId("history-row");
    await user.click(screen.getByRole("button", { name: /Delete: Python backend/ }));
    const dialog = screen.getByRole("alertdialog", { name: "Delete this interview?" });
    expect(dialog).toHaveTextContent("Python backend");
    await user.click(within(dialog).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(screen.getAllByTestId("history-row")).toHaveLength(2));
    expect(screen.queryByText("Python backend")).not.toBeInTheDocument();
    expect(api.callsTo("DELETE /api/interviews/a")).toHaveLength(1);
    expect(screen.getByRole("heading", { name: "Your interviews" })).toHaveFocus();
  });

  it("keeps the interview when deletion is cancelled", async () => {
    const user = userEvent.setup();
    const api = renderHistory();
    await screen.findAllByTestId("history-row");
    await user.click(screen.getByRole("button", { name: /Delete: Python backend/ }));
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.getAllByTestId("history-row")).toHaveLength(3);
    expect(api.calls.filter((call) => call.method === "DELETE")).toHaveLength(0);
  });

  it("shows the server's message when deletion fails", async () => {
    const user = userEvent.setup();
    renderHistory({ "DELETE /api/interviews/a": () => apiError(404, "not_found", "No such interview.") });
    await screen.findAllByTestId("history-row");
    await user.click(screen.getByRole("button", { name: /Delete: Python backend/ }));
    await user.click(screen.getByRole("button", { name: "Delete" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("No such interview.");
  });

  it("invites a first interview when there are none", async () => {
    renderHistory({ "GET /api/interviews": () => json(200, []) });
    expect(await screen.findByText("No interviews yet.")).toBeInTheDocument();
  });
});

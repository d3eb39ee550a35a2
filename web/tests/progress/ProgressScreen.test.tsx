import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import ProgressScreen from "../../src/progress/ProgressScreen";
import { apiError, json, mockApi, progressOverview } from "../support/api";

describe("ProgressScreen", () => {
  it("charts the overall score per topic, with the numbers in words and in a table", async () => {
    mockApi({ "GET /api/progress": () => json(200, progressOverview()) });
    render(<ProgressScreen />);
    const topics = await screen.findAllByTestId("progress-topic");
    expect(topics).toHaveLength(2);
    const python = topics[0] as HTMLElement;
    expect(within(python).getByRole("heading", { name: "Python" })).toBeInTheDocument();
    expect(python).toHaveTextContent("2 interviews · latest 72/100 (+17 since the first)");
    const chart = within(python).getByRole("img", { name: /Python: overall score over time/ });
    expect(chart).toHaveAccessibleName("Python: overall score over time Scores out of 100, oldest first: 55, 72.");
    expect(chart.querySelectorAll("circle")).toHaveLength(2);
    expect(chart.querySelector("polyline")).not.toBeNull();
    const table = within(python).getByRole("table");
    expect(within(table).getAllByRole("row")).toHaveLength(3);
    expect(within(table).getAllByRole("link")[1]).toHaveAttribute("href", "#/interview/p2/report");

    const sql = topics[1] as HTMLElement;
    expect(sql).toHaveTextContent("1 interview · latest 64/100");
    expect(within(sql).getByRole("img").querySelector("polyline")).toBeNull();
  });

  it("shows each dimension's trend, first, latest and average", async () => {
    mockApi({ "GET /api/progress": () => json(200, progressOverview()) });
    render(<ProgressScreen />);
    const [communication, technical] = (await screen.findAllByTestId("progress-dimension")) as [HTMLElement, HTMLElement];
    expect(within(communication).getByRole("rowheader")).toHaveTextContent("Communication");
    expect(within(communication).getByRole("img")).toHaveAccessibleName(
      "Communication over time Scores out of 5, oldest first: 2, 3, 4.",
    );
    expect(communication).toHaveTextContent("2/5");
    expect(communication).toHaveTextContent("4/5 (+2)");
    expect(technical).toHaveTextContent("3/5 (-1)");
    expect(technical).toHaveTextContent("3.3");
  });

  it("lists the recurring themes with an example, and the practice plan", async () => {
    mockApi({ "GET /api/progress": () => json(200, progressOverview()) });
    render(<ProgressScreen />);
    const themes = await screen.findAllByTestId("progress-theme");
    expect(themes[0]).toHaveTextContent("Depth: answers that stop before the how and the why · in 3 interviews");
    expect(within(themes[0] as HTMLElement).getByText("“It depends, you follow best practices”")).toBeInTheDocument();
    expect(themes[1]).toHaveTextContent("in 1 interview");
    const plan = screen.getAllByTestId("practice-step");
    expect(plan.map((step) => step.querySelector("strong")?.textContent)).toEqual(["Communication", "SQL"]);
    expect(plan[1]).toHaveTextContent("try it again at the beginner level");
  });

  it("starts empty with the first step of the plan", async () => {
    mockApi({
      "GET /api/progress": () =>
        json(
          200,
          progressOverview({
            interviews: 1,
            scored: 0,
            topics: [],
            dimensions: [],
            themes: [],
            plan: [{ topic: "Any topic you are preparing for", why: "Finish an interview with at least three full answers." }],
          }),
        ),
    });
    render(<ProgressScreen />);
    expect(await screen.findByText(/No scored interviews yet/)).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Overall score by topic" })).not.toBeInTheDocument();
    expect(screen.getByTestId("practice-step")).toHaveTextContent("Any topic you are preparing for");
  });

  it("offers a retry when progress can't be loaded", async () => {
    const person = userEvent.setup();
    let fail = true;
    mockApi({ "GET /api/progress": () => (fail ? apiError(500, "internal_error", "Something went wrong.") : json(200, progressOverview())) });
    render(<ProgressScreen />);
    expect(await screen.findByRole("alert")).toHaveTextContent("Something went wrong.");
    fail = false;
    await person.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findAllByTestId("progress-topic")).toHaveLength(2);
  });
});

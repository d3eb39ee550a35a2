import { render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { QuestionReview } from "../../src/api/types";
import { ReportScreen } from "../../src/report/ReportScreen";
import { apiError, interview, json, mockApi, report, type Routes } from "../support/api";

function renderReport(routes: Routes = {}) {
  const api = mockApi({
    "GET /api/interviews/iv1": () =>
      json(200, interview({ status: "finished", ended_at: "2026-11-22T10:24:00Z" })),
    "GET /api/interviews/iv1/report": () => json(200, report()),
    ...routes,
  });
  render(<ReportScreen id="iv1" />);
  return api;
}

describe("ReportScreen", () => {
  it("shows the overall score, the recommendation and the summary", async () => {
    renderReport();
    expect(await screen.findByRole("heading", { name: "Python backend" })).toBeInTheDocument();
    expect(screen.getByTestId("overall-score")).toHaveTextContent("72/100");
    expect(screen.getByTestId("recommendation")).toHaveTextContent("Hire");
    expect(screen.getByText("Solid grasp of async Python with concrete examples.")).toBeInTheDocument();
    expect(screen.getByText(/24 min/)).toBeInTheDocument();
  });

  it("charts every dimension and explains it with quotes", async () => {
    renderReport();
    const chart = await screen.findByRole("figure", { name: "Scores by dimension (1 to 5)" });
    const bars = within(chart).getAllByTestId("dimension-bar");
    expect(bars.map((bar) => bar.textContent)).toEqual(["Technical depth4/5", "Communication2/5"]);
    expect(bars[0]?.querySelector(".bar-value")).toHaveAttribute("width", "80");
    expect(screen.getByText("Explained the event loop precisely.")).toBeInTheDocument();
    expect(screen.getByText("“the event loop runs one coroutine at a time”")).toBeInTheDocument();
  });

  it("lists strengths, improvements with suggestions, questions and analytics", async () => {
    renderReport();
    await screen.findByRole("heading", { name: "Strengths" });
    expect(screen.getByText("Concrete examples")).toBeInTheDocument();
    expect(screen.getByText("“we cut latency from 300 ms to 40 ms”")).toBeInTheDocument();
    expect(screen.getByText("Structure your answers")).toBeInTheDocument();
    expect(screen.getByText("Lead with the conclusion, then the reasons.")).toBeInTheDocument();
    const question = screen.getByTestId("question-review");
    expect(question).toHaveTextContent("How does asyncio schedule coroutines?");
    expect(question).toHaveTextContent("One loop, cooperative scheduling.");
    expect(question).toHaveTextContent("Correct and specific.");
    expect(question).toHaveTextContent("An event loop runs ready callbacks; await yields control.");
    expect(question).toHaveTextContent("3.8/5");
    expect(within(question).getByRole("list", { name: "Follow-up questions" })).toHaveTextContent(
      "What happens when a coroutine never awaits?",
    );
    expect(question).toHaveTextContent("1 hint used");
    expect(screen.getByText("How the interviewer decided (1 notes)")).toBeInTheDocument();
    expect(screen.getByRole("list", { name: "Notes", hidden: true })).toHaveTextContent(
      "Scored by the embedded interviewer.",
    );
    expect(screen.getByText("Words").nextElementSibling).toHaveTextContent("412");
    expect(screen.getByText("Filler words").nextElementSibling).toHaveTextContent("9");
    expect(screen.getByText("Words per minute").nextElementSibling).toHaveTextContent("—");
  });

  it("names the brains that wrote the summary and each question, but not the embedded one", async () => {
    const [first] = report().questions as [QuestionReview];
    renderReport({
      "GET /api/interviews/iv1/report": () =>
        json(
          200,
          report({
            summary_by: "llm:gemini/gemini-2.5-flash",
            questions: [
              { ...first, brain: "llm:gemini/gemini-2.5-flash" },
              { ...first, number: 2, question: "What is a race condition?", brain: "embedded" },
            ],
          }),
        ),
    });
    expect(await screen.findByTestId("summary-by")).toHaveTextContent("Summary written by llm:gemini/gemini-2.5-flash");
    const [written, embedded] = screen.getAllByTestId("question-review") as [HTMLElement, HTMLElement];
    expect(within(written).getByTestId("question-brain")).toHaveTextContent(
      "Question written by llm:gemini/gemini-2.5-flash",
    );
    expect(within(embedded).queryByTestId("question-brain")).not.toBeInTheDocument();
  });

  it("leaves out who wrote the summary when the report does not say", async () => {
    renderReport();
    await screen.findByTestId("recommendation");
    expect(screen.queryByTestId("summary-by")).not.toBeInTheDocument();
    expect(screen.queryByTestId("question-brain")).not.toBeInTheDocument();
  });

  it("adds the voice-latency appendix when turns were spoken", async () => {
    const turn = {
      seq: 4,
      text: "Thanks. How would you cache this?",
      transcript_ms: 400,
      first_brain_output_ms: 600,
      first_tts_audio_ms: 700,
      first_audio_sent_ms: 800,
      voice_to_voice_ms: 800,
    };
    const summary = {
      count: 1,
      voice_to_voice_p50_ms: 800,
      voice_to_voice_p95_ms: 800,
      median: { transcript_ms: 400, first_brain_output_ms: 600, first_tts_audio_ms: 700, first_audio_sent_ms: 800 },
    };
    renderReport({
      "GET /api/interviews/iv1/report": () => json(200, report({ voice_latency: { turns: [turn], summary } })),
    });
    const appendix = await screen.findByRole("region", { name: "Appendix: voice latency" });
    expect(within(appendix).getByRole("rowheader", { name: /How would you cache this/ })).toBeInTheDocument();
  });

  it("has no voice-latency appendix when nothing was spoken", async () => {
    renderReport();
    await screen.findByTestId("recommendation");
    expect(screen.queryByRole("region", { name: "Appendix: voice latency" })).not.toBeInTheDocument();
  });

  it("links the transcript downloads", async () => {
    renderReport();
    await screen.findByRole("heading", { name: "Python backend" });
    for (const [name, format] of [
      [/Markdown/, "md"],
      [/Plain text/, "txt"],
      [/JSON/, "json"],
    ] as const) {
      const link = screen.getByRole("link", { name });
      expect(link).toHaveAttribute("href", `/api/interviews/iv1/transcript?format=${format}`);
      expect(link).toHaveAttribute("download");
    }
  });

  it("says clearly when there was not enough data", async () => {
    renderReport({
      "GET /api/interviews/iv1/report": () =>
        json(
          200,
          report({ recommendation: "insufficient_data", insufficient_data: true, overall_score: 0, dimensions: [] }),
        ),
    });
    expect(await screen.findByTestId("recommendation")).toHaveTextContent("Not enough data");
    expect(screen.getByTestId("overall-score")).not.toHaveTextContent("0/100");
    expect(screen.getByText(/not enough in your answers/)).toBeInTheDocument();
    expect(screen.queryByRole("figure")).not.toBeInTheDocument();
  });

  it("sends an unfinished interview back to the room", async () => {
    renderReport({
      "GET /api/interviews/iv1/report": () => apiError(409, "not_finished", "The interview is still in progress."),
    });
    await waitFor(() => expect(window.location.hash).toBe("#/interview/iv1"));
  });

  it("says so when the interview is gone", async () => {
    renderReport({ "GET /api/interviews/iv1": () => apiError(404, "not_found", "No such interview.") });
    expect(await screen.findByRole("heading", { name: "Report not found" })).toBeInTheDocument();
  });
});

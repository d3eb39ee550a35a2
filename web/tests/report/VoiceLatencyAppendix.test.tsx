import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { VoiceLatency } from "../../src/api/types";
import { VoiceLatencyAppendix } from "../../src/report/VoiceLatencyAppendix";
import { report } from "../support/api";

const spoken = report({
  voice_latency: {
    turns: [
      {
        seq: 4,
        text: "Thanks. How would you cache this?",
        transcript_ms: 400,
        first_brain_output_ms: 600,
        first_tts_audio_ms: 700,
        first_audio_sent_ms: 800,
        voice_to_voice_ms: 800,
      },
      {
        seq: 6,
        text: "Got it. What happens on a cache miss?",
        transcript_ms: 500,
        first_brain_output_ms: 1200,
        first_tts_audio_ms: 1300,
        first_audio_sent_ms: null,
        voice_to_voice_ms: null,
      },
    ],
    summary: {
      count: 2,
      voice_to_voice_p50_ms: 800,
      voice_to_voice_p95_ms: 800,
      median: { transcript_ms: 450, first_brain_output_ms: 900, first_tts_audio_ms: 1000, first_audio_sent_ms: 800 },
    },
  },
});

function renderAppendix() {
  render(<VoiceLatencyAppendix latency={spoken.voice_latency as VoiceLatency} />);
  return screen.getByRole("table", { name: /Latency of each spoken turn/ });
}

describe("VoiceLatencyAppendix", () => {
  it("sums up the spoken turns", () => {
    renderAppendix();
    expect(screen.getByText("Spoken turns").nextElementSibling).toHaveTextContent("2");
    expect(screen.getByText("Voice to voice, median").nextElementSibling).toHaveTextContent("800 ms");
    expect(screen.getByText("Voice to voice, 95th percentile").nextElementSibling).toHaveTextContent("800 ms");
  });

  it("tabulates each turn's stages under column and row headers, with the medians last", () => {
    const table = renderAppendix();
    expect(within(table).getAllByRole("columnheader").map((cell) => cell.textContent)).toEqual([
      "Reply",
      "Transcript",
      "Brain",
      "TTS",
      "Sent",
      "Voice to voice",
    ]);
    const [, first, second, median] = within(table).getAllByRole("row") as [
      HTMLElement,
      HTMLElement,
      HTMLElement,
      HTMLElement,
    ];
    expect(within(first).getByRole("rowheader")).toHaveTextContent("#4 Thanks. How would you cache this?");
    expect(within(first).getAllByRole("cell").map((cell) => cell.textContent)).toEqual([
      "400 ms",
      "600 ms",
      "700 ms",
      "800 ms",
      "800 ms",
    ]);
    expect(within(second).getAllByRole("cell").map((cell) => cell.textContent)).toEqual([
      "500 ms",
      "1200 ms",
      "1300 ms",
      "—",
      "—",
    ]);
    expect(within(median).getByRole("rowheader")).toHaveTextContent("Median");
    expect(within(median).getAllByRole("cell").map((cell) => cell.textContent)).toEqual([
      "450 ms",
      "900 ms",
      "1000 ms",
      "800 ms",
      "800 ms",
    ]);
  });

  it("draws each turn's stages end to end on the scale of the slowest turn", () => {
    renderAppendix();
    const [first, second] = screen.getAllByTestId("latency-turn") as [HTMLElement, HTMLElement];
    const stretches = (row: HTMLElement) =>
      Array.from(row.querySelectorAll(".latency-bar rect:not(.bar-track)")).map((rect) => [
        rect.getAttribute("class"),
        Number(rect.getAttribute("x")).toFixed(1),
        Number(rect.getAttribute("width")).toFixed(1),
      ]);
    expect(stretches(first)).toEqual([
      ["latency-transcript_ms", "0.0", "30.8"],
      ["latency-first_brain_output_ms", "30.8", "15.4"],
      ["latency-first_tts_audio_ms", "46.2", "7.7"],
      ["latency-first_audio_sent_ms", "53.8", "7.7"],
    ]);
    expect(stretches(second).map(([name]) => name)).toEqual([
      "latency-transcript_ms",
      "latency-first_brain_output_ms",
      "latency-first_tts_audio_ms",
    ]);
    expect(stretches(second).at(-1)?.slice(1)).toEqual(["92.3", "7.7"]);
  });
  it("adds the hosted avatar's video stage as a column when an avatar spoke", () => {
    const latency = spoken.voice_latency as VoiceLatency;
    const withAvatar = { ...latency, turns: [{ ...latency.turns[0]!, first_avatar_video_ms: 950 }, latency.turns[1]!] };
    render(<VoiceLatencyAppendix latency={withAvatar} />);
    const table = screen.getByRole("table", { name: /Latency of each spoken turn/ });
    expect(within(table).getAllByRole("columnheader").at(-1)).toHaveTextContent("Avatar video");
    const [first, second] = within(table).getAllByTestId("latency-turn");
    expect(within(first!).getAllByRole("cell").at(-1)).toHaveTextContent("950 ms");
    expect(within(second!).getAllByRole("cell").at(-1)).toHaveTextContent("—");
  });
});

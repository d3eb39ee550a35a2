import { Stats } from "../components/Stats";
import type { Analytics } from "../api/types";

/** Counts about how the candidate spoke or wrote. */
export function AnalyticsPanel({ analytics }: { analytics: Analytics }) {
  const stats: [string, string][] = [
    ["Questions answered", String(analytics.answered)],
    ["Words", String(analytics.words)],
    ["Filler words", String(analytics.filler_words)],
    [
      "Words per minute",
      analytics.words_per_minute === null ? "—" : String(Math.round(analytics.words_per_minute)),
    ],
  ];
  return <Stats stats={stats} />;
}

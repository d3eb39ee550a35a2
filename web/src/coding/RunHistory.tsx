import type { CodingRunSummary } from "../api/types";
import { verdictTone } from "./format";

/** Every run and submission of the exercise so far, oldest first, as the server recorded them. */
export function RunHistory({ runs }: { runs: readonly CodingRunSummary[] }) {
  return (
    <section className="card run-history" aria-labelledby="run-history-title">
      <h3 id="run-history-title">Your runs</h3>
      <ol>
        {runs.map((run, index) => (
          <li key={index} className={`run-${verdictTone(run.verdict)}`}>
            {run.summary}
          </li>
        ))}
      </ol>
    </section>
  );
}

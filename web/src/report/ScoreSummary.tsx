import type { Report } from "../api/types";
import { labelOf, recommendationLabels } from "../components/format";

const ring = 2 * Math.PI * 52;

/** The headline: overall score, the recommendation, and the summary in words. */
export function ScoreSummary({ report }: { report: Report }) {
  const insufficient = report.insufficient_data || report.recommendation === "insufficient_data";
  const score = Math.max(0, Math.min(100, report.overall_score));
  return (
    <section className={`panel score-summary${insufficient ? " score-insufficient" : ""}`} aria-labelledby="score-title">
      <h2 id="score-title" className="visually-hidden">
        Overall result
      </h2>
      <div className="score-ring" data-testid="overall-score">
        <svg viewBox="0 0 120 120" aria-hidden="true">
          <circle cx="60" cy="60" r="52" className="score-ring-track" />
          {!insufficient && (
            <circle
              cx="60"
              cy="60"
              r="52"
              className="score-ring-value"
              strokeDasharray={`${(score / 100) * ring} ${ring}`}
              transform="rotate(-90 60 60)"
            />
          )}
        </svg>
        <p className="score-number">
          {insufficient ? (
            <span className="score-none">—</span>
          ) : (
            <>
              <span>{score}</span>
              <span className="score-max">/100</span>
            </>
          )}
          <span className="visually-hidden">{insufficient ? "No overall score" : `Overall score ${score} out of 100`}</span>
        </p>
      </div>
      <div className="score-text">
        <p className={`recommendation recommendation-${report.recommendation}`} data-testid="recommendation">
          {labelOf(recommendationLabels, report.recommendation)}
        </p>
        {insufficient && (
          <p className="insufficient-note">
            There was not enough in your answers to score this interview fairly. Answer a few more questions, in a
            few sentences each, and you'll get a full report.
          </p>
        )}
        {report.summary && <p className="summary">{report.summary}</p>}
        {report.summary && report.summary_by && (
          <p className="written-by" data-testid="summary-by">
            Summary written by {report.summary_by}
          </p>
        )}
      </div>
    </section>
  );
}

import type { Improvement, Strength } from "../api/types";
import { Quotes } from "../components/Quotes";

interface FeedbackProps {
  strengths: readonly Strength[];
  improvements: readonly Improvement[];
}

/** What went well and what to work on, each grounded in quotes. */
export function Feedback({ strengths, improvements }: FeedbackProps) {
  return (
    <div className={`feedback${strengths.length === 0 || improvements.length === 0 ? " feedback-stacked" : ""}`}>
      <section aria-labelledby="strengths-title" className="feedback-column">
        <h2 id="strengths-title">Strengths</h2>
        {strengths.length === 0 && <p className="muted">None identified from this session.</p>}
        {strengths.map((strength, index) => (
          <article key={index} className="card card-good">
            <p className="card-lead">{strength.text}</p>
            <Quotes quotes={strength.evidence} label="From your answers" />
          </article>
        ))}
      </section>
      <section aria-labelledby="improvements-title" className="feedback-column">
        <h2 id="improvements-title">To improve</h2>
        {improvements.length === 0 && <p className="muted">None identified from this session.</p>}
        {improvements.map((improvement, index) => (
          <article key={index} className="card card-improve">
            <p className="card-lead">{improvement.text}</p>
            <Quotes quotes={improvement.evidence} label="From your answers" />
            {improvement.suggestion && (
              <p className="suggestion">
                <strong>Try this:</strong> {improvement.suggestion}
              </p>
            )}
          </article>
        ))}
      </section>
    </div>
  );
}

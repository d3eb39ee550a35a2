import type { Dimension } from "../api/types";

const maxScore = 5;

/** One bar per dimension on a 1–5 scale; the numbers are in the text, the bars only show them. */
export function DimensionChart({ dimensions }: { dimensions: readonly Dimension[] }) {
  return (
    <figure className="dimension-chart" aria-labelledby="dimension-chart-title">
      <figcaption id="dimension-chart-title">Scores by dimension (1 to 5)</figcaption>
      <ul>
        {dimensions.map((dimension) => {
          const score = Math.max(0, Math.min(maxScore, dimension.score));
          return (
            <li key={dimension.name} className="dimension-bar" data-testid="dimension-bar">
              <span className="dimension-bar-name">{dimension.name}</span>
              <svg viewBox="0 0 100 12" preserveAspectRatio="none" aria-hidden="true">
                <rect x="0" y="0" width="100" height="12" rx="2" className="bar-track" />
                {[1, 2, 3, 4].map((tick) => (
                  <line key={tick} x1={tick * 20} x2={tick * 20} y1="0" y2="12" className="bar-tick" />
                ))}
                <rect x="0" y="0" width={(score / maxScore) * 100} height="12" rx="2" className={`bar-value bar-${Math.round(score)}`} />
              </svg>
              <span className="dimension-bar-score">
                {dimension.score}
                <span className="muted">/5</span>
              </span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}

import type { Dimension } from "../api/types";
import { Quotes } from "../components/Quotes";

/** Why each dimension got its score, with the quotes that back it. */
export function DimensionDetails({ dimensions }: { dimensions: readonly Dimension[] }) {
  return (
    <div className="dimension-details">
      {dimensions.map((dimension) => (
        <article key={dimension.name} className="card">
          <h3>
            {dimension.name} <span className="badge">{dimension.score}/5</span>
          </h3>
          <p>{dimension.rationale}</p>
          <Quotes quotes={dimension.evidence} label="From your answers" />
        </article>
      ))}
    </div>
  );
}

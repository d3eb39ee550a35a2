import type { CodingExercise, CodingProblem } from "../api/types";
import { ProblemView } from "./ProblemView";
import { RunHistory } from "./RunHistory";
import "./coding.css";

/** The coding exercise after it closed: what it was and how the runs went (the code is in the conversation). */
export function CodingSummary({ exercise }: { exercise: CodingExercise }) {
  const problem = exercise.problem as CodingProblem;
  return (
    <div className="coding coding-closed" data-testid="coding-summary">
      <p className="coding-closed-note">
        The coding exercise is over. Your code and every run are in the conversation
        {exercise.hints_used > 0 && ` · hints used: ${exercise.hints_used} of ${exercise.hints_total}`}.
      </p>
      <ProblemView problem={problem} open={false} />
      {exercise.runs.length > 0 ? (
        <RunHistory runs={exercise.runs} />
      ) : (
        <p className="muted">No code was run.</p>
      )}
    </div>
  );
}

import type { Progress } from "../api/types";
import { clock } from "../components/format";

interface InterviewerPanelProps {
  progress: Progress;
  elapsedSeconds: number;
  remainingSeconds: number;
  state: "waiting" | "thinking" | "finished";
  /** False in voice mode, where the avatar above says who is talking and what they are doing. */
  showIdentity?: boolean;
}

const stateLabels = {
  waiting: "Waiting for your answer",
  thinking: "Thinking…",
  finished: "Interview finished",
};

/** Who is asking, where the interview stands, and how much time is left. */
export function InterviewerPanel({
  progress,
  elapsedSeconds,
  remainingSeconds,
  state,
  showIdentity = true,
}: InterviewerPanelProps) {
  const planned = Math.max(progress.planned_questions, progress.question_number, 1);
  const done = Math.min(progress.question_number, planned);
  return (
    <div className="interviewer">
      {showIdentity && (
        <div className="interviewer-identity">
          <div className={`interviewer-avatar interviewer-${state}`} aria-hidden="true">
            <svg viewBox="0 0 24 24" width="28" height="28">
              <circle cx="12" cy="8.5" r="4" fill="currentColor" />
              <path d="M4 20.5c1.2-4 4.3-6 8-6s6.8 2 8 6" fill="currentColor" />
            </svg>
          </div>
          <div>
            <p className="interviewer-name">Interviewer</p>
            <p className="interviewer-state" aria-live="polite">
              {stateLabels[state]}
            </p>
          </div>
        </div>
      )}
      <dl className="progress-facts">
        <div>
          <dt>Phase</dt>
          <dd data-testid="phase">{progress.phase_label || progress.phase}</dd>
        </div>
        <div>
          <dt>Question</dt>
          <dd data-testid="question-number">
            {progress.question_number} of {planned}
          </dd>
        </div>
        <div>
          <dt>Elapsed</dt>
          <dd>
            <time data-testid="elapsed">{clock(elapsedSeconds)}</time>
          </dd>
        </div>
        <div>
          <dt>Remaining</dt>
          <dd>
            <time data-testid="remaining" className={remainingSeconds <= 60 && state !== "finished" ? "time-low" : ""}>
              {clock(remainingSeconds)}
            </time>
          </dd>
        </div>
      </dl>
      <div
        className="progress-bar"
        role="progressbar"
        aria-label="Questions"
        aria-valuemin={0}
        aria-valuemax={planned}
        aria-valuenow={done}
        aria-valuetext={`Question ${progress.question_number} of ${planned}`}
      >
        <span style={{ width: `${(done / planned) * 100}%` }} />
      </div>
    </div>
  );
}

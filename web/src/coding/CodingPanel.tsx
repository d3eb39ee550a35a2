import { useId, useState } from "react";
import { ApiError, codeHint, runCode, submitCode } from "../api/client";
import type { CodeRunResult, CodingExercise, CodingProblem, LanguageId, Message } from "../api/types";
import { Notice } from "../components/Notice";
import { CodeEditor } from "./CodeEditor";
import { loadCodeDrafts, saveCodeDrafts, type CodeDrafts } from "./drafts";
import { verdictLabel } from "./format";
import { ProblemView } from "./ProblemView";
import { RunHistory } from "./RunHistory";
import { TestResults } from "./TestResults";
import "./coding.css";

/** Runs a request that adds messages to the transcript (the room's `record`). */
export type RecordAction = <T>(action: () => Promise<T>, added: (result: T) => Message[]) => Promise<T>;

interface CodingPanelProps {
  interviewId: string;
  exercise: CodingExercise;
  /** An answer is on its way: code waits until the interviewer has replied. */
  blocked: boolean;
  record: RecordAction;
  /** Takes the candidate to the answer box, to answer the interviewer's follow-up to a submission. */
  onAnswer: () => void;
}

type Action = "run" | "submit" | "hint";

const workingText: Record<Action, string> = {
  run: "Running your code on the example tests…",
  submit: "Running every test, hidden ones included…",
  hint: "Asking for a hint…",
};

const DEFAULT_LANGUAGE: LanguageId = "python";

/**
 * The live coding exercise: the problem, a language picker, the editor (the candidate's code per
 * language survives a reload), Run on the examples, Submit on every test, hints, and the results.
 */
export function CodingPanel({ interviewId, exercise, blocked, record, onAnswer }: CodingPanelProps) {
  const problem = exercise.problem as CodingProblem;
  const languageId = useId();
  const [drafts, setDrafts] = useState<CodeDrafts>(() => loadCodeDrafts(interviewId, problem.id));
  const [busy, setBusy] = useState<Action | null>(null);
  const [result, setResult] = useState<CodeRunResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reply, setReply] = useState<{ kind: "hint" | "reply"; text: string } | null>(null);
  const [status, setStatus] = useState("");

  const offered = exercise.languages;
  const language =
    offered.find((l) => l.id === drafts.language) ?? offered.find((l) => l.id === DEFAULT_LANGUAGE) ?? offered[0];
  if (!language) return null;
  const languageKey = language.id as LanguageId;
  const code = drafts.code[languageKey] ?? language.starter_code;

  const update = (next: CodeDrafts) => {
    setDrafts(next);
    saveCodeDrafts(interviewId, problem.id, next);
  };

  const setCode = (text: string) => {
    const kept = { ...drafts.code };
    // Only edits are kept, so another language still opens on its starter code until it is touched.
    if (text === language.starter_code) delete kept[languageKey];
    else kept[languageKey] = text;
    update({ language: languageKey, code: kept });
  };

  const perform = async (action: Action) => {
    if (busy || blocked) return;
    if (action !== "hint" && !code.trim()) return;
    setBusy(action);
    setError(null);
    setStatus(workingText[action]);
    try {
      if (action === "hint") {
        const hint = await record(() => codeHint(interviewId), (r) => [r.request, r.reply]);
        setReply({ kind: "hint", text: hint.reply.text });
        setStatus(`Hint ${hint.hints_used} of ${hint.hints_total} is in the conversation.`);
      } else {
        const send = action === "run" ? runCode : submitCode;
        const body = { language: languageKey, code };
        const ran = await record(
          () => send(interviewId, body),
          (r) => (r.reply ? [r.candidate_message, r.reply] : [r.candidate_message]),
        );
        setResult(ran);
        setReply(ran.reply ? { kind: "reply", text: ran.reply.text } : null);
        setStatus(`${verdictLabel(ran.verdict)}: ${ran.passed} of ${ran.total} tests passed.`);
      }
    } catch (failure) {
      setStatus("");
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(null);
    }
  };

  const hintsLeft = exercise.hints_used < exercise.hints_total;
  const waiting = busy !== null || blocked;

  return (
    <div className="coding" data-testid="coding-panel">
      <ProblemView problem={problem} />

      <section className="card code-card" aria-label="Your code">
        <div className="code-toolbar">
          <label htmlFor={languageId}>Language</label>
          <select
            id={languageId}
            value={languageKey}
            onChange={(event) => update({ ...drafts, language: event.target.value as LanguageId })}
          >
            {offered.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
          <span className="hint code-keys">
            <kbd>Ctrl</kbd>+<kbd>Enter</kbd> runs · <kbd>Ctrl</kbd>+<kbd>M</kbd> lets <kbd>Tab</kbd> leave the editor
          </span>
        </div>
        <CodeEditor
          value={code}
          language={languageKey}
          label={`Code (${language.name})`}
          onChange={setCode}
          onRun={() => void perform("run")}
        />
        <div className="code-actions">
          <button
            type="button"
            className="button"
            aria-disabled={waiting || !code.trim()}
            aria-busy={busy === "run"}
            onClick={() => void perform("run")}
          >
            {busy === "run" ? "Running…" : "Run"}
          </button>
          <button
            type="button"
            className="button button-primary"
            aria-disabled={waiting || !code.trim()}
            aria-busy={busy === "submit"}
            onClick={() => void perform("submit")}
          >
            {busy === "submit" ? "Submitting…" : "Submit"}
          </button>
          <button
            type="button"
            className="button button-quiet"
            aria-disabled={waiting || !hintsLeft}
            aria-busy={busy === "hint"}
            onClick={() => hintsLeft && void perform("hint")}
          >
            Hint{" "}
            <span className="hint-count" data-testid="hint-count">
              {exercise.hints_used}/{exercise.hints_total} <span className="narrow-hidden">used</span>
            </span>
          </button>
        </div>
        <p className="code-status" role="status" data-testid="code-status">
          {blocked && !busy ? "Waiting for the interviewer's reply…" : status}
        </p>
        {error && <Notice tone="error">{error}</Notice>}
        {reply && (
          <Notice
            tone="info"
            action={
              reply.kind === "reply" && (
                <button type="button" className="button" onClick={onAnswer}>
                  Answer
                </button>
              )
            }
          >
            <span className="reply-label">Interviewer:</span> {reply.text}
          </Notice>
        )}
      </section>

      {result && <TestResults result={result} problem={problem} />}
      {exercise.runs.length > 0 && <RunHistory runs={exercise.runs} />}
    </div>
  );
}

import { useId, useState } from "react";
import type { CodingProblem } from "../api/types";
import { InlineMarkdown, Markdown } from "../components/Markdown";
import { showArguments, showValue } from "./format";

const difficultyLabels: Record<string, string> = { easy: "Easy", medium: "Medium", hard: "Hard" };

interface ProblemViewProps {
  problem: CodingProblem;
  /** Whether the statement shows at first; the candidate can fold it away to give the editor room. */
  open?: boolean;
}

/** The problem as the candidate reads it: statement, examples and constraints. */
export function ProblemView({ problem, open: openAtFirst = true }: ProblemViewProps) {
  const [open, setOpen] = useState(openAtFirst);
  const titleId = useId();
  const bodyId = useId();
  return (
    <section className="problem card" aria-labelledby={titleId} data-testid="problem">
      <div className="problem-head">
        <h2 className="problem-title" id={titleId}>
          {problem.title}
        </h2>
        <button
          type="button"
          className="button button-small problem-toggle"
          aria-expanded={open}
          aria-controls={bodyId}
          onClick={() => setOpen(!open)}
        >
          {open ? "Hide" : "Show"} <span className="narrow-hidden">problem</span>
        </button>
        <p className="problem-meta">
          <span className={`difficulty difficulty-${problem.difficulty}`}>
            {difficultyLabels[problem.difficulty] ?? problem.difficulty}
          </span>
          <span className="muted">{problem.categories.map((c) => c.replace(/-/g, " ")).join(" · ")}</span>
        </p>
      </div>
      <div className="problem-body" id={bodyId} hidden={!open}>
        <Markdown text={problem.statement} headingLevel={3} className="markdown problem-statement" />
        <h3>Examples</h3>
        {problem.examples.map((example, index) => (
          <div className="example" key={index}>
            <p className="example-title">Example {index + 1}</p>
            <dl>
              <dt>Input</dt>
              <dd>
                <code>{showArguments(example.input, problem)}</code>
              </dd>
              <dt>Output</dt>
              <dd>
                <code>{showValue(example.output)}</code>
              </dd>
              {example.explanation && (
                <>
                  <dt>Why</dt>
                  <dd>
                    <InlineMarkdown text={example.explanation} />
                  </dd>
                </>
              )}
            </dl>
          </div>
        ))}
        <h3>Constraints</h3>
        <ul className="constraints">
          {problem.constraints.map((constraint) => (
            <li key={constraint}>
              <InlineMarkdown text={constraint} />
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

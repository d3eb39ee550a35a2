import type { CodeRunResult, CodeTestResult, CodingProblem } from "../api/types";
import { showArguments, showValue, tail, verdictLabel, verdictTone, visibleDetails } from "./format";

function Verdict({ verdict }: { verdict: string }) {
  return <span className={`verdict verdict-${verdictTone(verdict)}`}>{verdictLabel(verdict)}</span>;
}

function TestItem({ test, name, problem }: { test: CodeTestResult; name: string; problem: CodingProblem }) {
  const details = test.hidden ? null : visibleDetails(test, problem);
  const failed = verdictTone(test.verdict) === "fail";
  return (
    <li className={`test-result test-${verdictTone(test.verdict)}`} data-testid="test-result">
      <div className="test-line">
        <span className="test-name">{name}</span>
        <Verdict verdict={test.verdict} />
        {test.verdict !== "compilation_error" && test.verdict !== "skipped" && (
          <span className="muted test-time">{test.time_ms} ms</span>
        )}
      </div>
      {details && (failed || test.verdict === "accepted") && test.verdict !== "compilation_error" && (
        <dl className="test-io">
          <div>
            <dt>Input</dt>
            <dd>
              <code>{showArguments(details.input, problem)}</code>
            </dd>
          </div>
          <div>
            <dt>Expected</dt>
            <dd>
              <code>{showValue(details.expected)}</code>
            </dd>
          </div>
          {test.verdict === "wrong_answer" && (
            <div>
              <dt>Your output</dt>
              <dd>
                <code>{showValue(details.actual)}</code>
              </dd>
            </div>
          )}
        </dl>
      )}
      {!test.hidden && test.message && <pre className="test-output">{tail(test.message)}</pre>}
      {!test.hidden && test.stderr && (
        <div className="test-stderr">
          <p className="test-label">Standard error (last lines)</p>
          <pre className="test-output">{tail(test.stderr)}</pre>
        </div>
      )}
    </li>
  );
}

interface TestResultsProps {
  result: CodeRunResult;
  problem: CodingProblem;
}

/** The latest run or submission: the overall verdict, compiler output, then each test. */
export function TestResults({ result, problem }: TestResultsProps) {
  const hidden = result.tests.filter((test) => test.hidden);
  const hiddenPassed = hidden.filter((test) => test.verdict === "accepted").length;
  const visible = result.tests.length - hidden.length;
  return (
    <section className="results" aria-labelledby="results-title" data-testid="test-results">
      <div className="results-head">
        <h3 id="results-title">{result.kind === "submit" ? "Submission" : "Test run"}</h3>
        <Verdict verdict={result.verdict} />
        <span className="results-count" data-testid="results-count">
          {result.passed} of {result.total} tests passed
        </span>
      </div>
      {result.message && <p className="results-message">{result.message}</p>}
      {result.compile_output && (
        <div>
          <p className="test-label">Compiler output</p>
          <pre className="test-output">{tail(result.compile_output, 40, 4000)}</pre>
        </div>
      )}
      {hidden.length > 0 && (
        <p className="muted results-hidden">
          Hidden tests: {hiddenPassed} of {hidden.length} passed. Their inputs stay hidden, as in a real interview.
        </p>
      )}
      <ol className="test-list">
        {result.tests.map((test) => (
          <TestItem
            key={test.index}
            test={test}
            name={test.hidden ? `Hidden test ${test.index - visible + 1}` : `Test ${test.index + 1}`}
            problem={problem}
          />
        ))}
      </ol>
    </section>
  );
}

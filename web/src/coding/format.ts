// Verdicts, values and test names as the coding panel shows them.
import type { CodeTestResult, CodingProblem } from "../api/types";

const verdictLabels: Record<string, string> = {
  accepted: "Accepted",
  wrong_answer: "Wrong answer",
  time_limit: "Time limit exceeded",
  memory_limit: "Memory limit exceeded",
  output_limit: "Output limit exceeded",
  runtime_error: "Runtime error",
  compilation_error: "Compilation error",
  internal_error: "Internal error",
  skipped: "Skipped",
};

export function verdictLabel(verdict: string): string {
  return verdictLabels[verdict] ?? verdict.replace(/_/g, " ");
}

/** The tone of a verdict: passed, failed, or not judged (skipped, the runner's own failure). */
export function verdictTone(verdict: string): "pass" | "fail" | "neutral" {
  if (verdict === "accepted") return "pass";
  if (verdict === "skipped" || verdict === "internal_error") return "neutral";
  return "fail";
}

/** A value as JSON on one line, cut short when it is huge (a generated performance case). */
export function showValue(value: unknown, limit = 400): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length.toLocaleString()} characters)` : text;
}

/** The arguments of a call, one `name = value` per line, in the function's parameter order. */
export function showArguments(input: unknown, problem: CodingProblem): string {
  if (!input || typeof input !== "object" || Array.isArray(input)) return showValue(input);
  const values = input as Record<string, unknown>;
  const names = problem.function.params.map((param) => param.name).filter((name) => name in values);
  const rest = Object.keys(values).filter((name) => !names.includes(name));
  return [...names, ...rest].map((name) => `${name} = ${showValue(values[name])}`).join("\n");
}

/** The last lines of a long output (a traceback's cause is at the end). */
export function tail(text: string, lines = 20, chars = 2000): string {
  const kept = text.replace(/\s+$/, "").split("\n").slice(-lines).join("\n");
  return kept.length > chars ? `…${kept.slice(-chars)}` : kept;
}

/**
 * A visible test with what the candidate may see of it: the run's own input and expected output,
 * or the problem's (the runner leaves them out of passing tests).
 */
export function visibleDetails(test: CodeTestResult, problem: CodingProblem) {
  const known = problem.visible_tests[test.index];
  return {
    input: test.input ?? known?.input ?? null,
    expected: test.expected !== undefined && test.expected !== null ? test.expected : (known?.output ?? null),
    actual: test.actual,
  };
}

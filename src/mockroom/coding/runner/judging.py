"""Verdicts from what a run produced; shared by the sandbox and the Judge0 adapter."""

import math

from mockroom.coding.runner import protocol
from mockroom.coding.runner.models import RunResult, Submission, TestResult, Verdict
from mockroom.coding.runner.values import matches, parse_json

MAX_TIME_LIMITS = 3
STDERR_TAIL = 2000
# All a candidate learns of a failure of ours: the details (sandbox or Judge0 errors) go to the server log.
RUNNER_FAILED = "The code runner failed on our side, so this run says nothing about your code. Please try again."


def internal_error(*, submission: Submission) -> RunResult:
    """A run whose every test is an internal error: the runner, not the code, failed (the caller logs why)."""
    tests = [
        TestResult(index=i, verdict=Verdict.internal_error, hidden=submission.is_hidden(i), message=RUNNER_FAILED)
        for i in range(submission.test_count)
    ]
    return RunResult(verdict=Verdict.internal_error, tests=tests, message=RUNNER_FAILED)


def stdio_matches(*, expected: str, actual: str, compare: str) -> bool:
    """Compares program output line by line, ignoring trailing whitespace and trailing blank lines."""
    want, got = _lines(expected), _lines(actual)
    if compare == "unordered":
        return sorted(want) == sorted(got)
    if compare == "float":
        return _tokens_close(" ".join(want).split(), " ".join(got).split())
    return want == got


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.replace("\r\n", "\n").rstrip().split("\n")]


def _tokens_close(want: list[str], got: list[str]) -> bool:
    if len(want) != len(got):
        return False
    for a, b in zip(want, got, strict=True):
        if a == b:
            continue
        try:
            if not math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-6):
                return False
        except ValueError:
            return False
    return True


def judge_case(*, submission: Submission, case: protocol.CaseReport, memory_kb: int) -> TestResult:
    """The verdict of a case the harness reported on: its return value compared, or its error."""
    assert submission.function is not None
    test = submission.function_tests[case.index]
    result = TestResult(
        index=case.index,
        verdict=Verdict.accepted,
        hidden=test.hidden,
        time_ms=math.ceil(case.micros / 1000),
        memory_kb=memory_kb,
    )
    if case.error_kind is not None:
        result.verdict = Verdict.memory_limit if case.error_kind == "memory" else Verdict.runtime_error
        result.message = case.error
        return result
    try:
        actual = parse_json(case.result or "")
    except ValueError:
        result.verdict = Verdict.runtime_error
        result.message = "The function's return value could not be read back."
        return result
    if not matches(expected=test.output, actual=actual, kind=submission.function.returns, compare=submission.compare):
        result.verdict = Verdict.wrong_answer
        if not test.hidden:
            result.input, result.expected, result.actual = test.input, test.output, actual
    return result


def skip(*, submission: Submission, results: dict[int, TestResult], start: int) -> None:
    """Marks the tests from `start` on as not run."""
    for index in range(start, submission.test_count):
        results[index] = TestResult(
            index=index,
            verdict=Verdict.skipped,
            hidden=submission.is_hidden(index),
            message=f"Not run: {MAX_TIME_LIMITS} tests already exceeded the time limit.",
        )


def compilation_error(*, submission: Submission, output: str) -> RunResult:
    """A run that did not compile: every test gets the verdict, the run the compiler's output."""
    tests = [
        TestResult(index=i, verdict=Verdict.compilation_error, hidden=submission.is_hidden(i))
        for i in range(submission.test_count)
    ]
    return RunResult(verdict=Verdict.compilation_error, tests=tests, compile_output=output[-20_000:])


def overall(*, submission: Submission, results: dict[int, TestResult], stdout: bytes) -> RunResult:
    """The run's result: its first failing test's verdict (or accepted), slowest time, largest memory.

    What the code printed is kept only when every test is visible: prints could show hidden inputs.
    """
    tests = [results[i] for i in range(submission.test_count)]
    if any(test.hidden for test in tests):
        stdout = b""
    verdict = next((test.verdict for test in tests if test.verdict != Verdict.accepted), Verdict.accepted)
    return RunResult(
        verdict=verdict,
        tests=tests,
        stdout=stdout[: submission.limits.output_kb * 1024].decode(errors="replace"),
        time_ms=max((test.time_ms for test in tests), default=0),
        memory_kb=max((test.memory_kb for test in tests), default=0),
    )

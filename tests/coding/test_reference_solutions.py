"""Every reference solution of every problem passes every visible and hidden test, through the sandbox.

One submission per problem and reference language, all queued at once on a two-worker pool.
"""

import os
from collections.abc import Iterator
from concurrent.futures import Future

import pytest

from mockroom.coding.problems import loader
from mockroom.coding.problems.loader import load_problems
from mockroom.coding.problems.schema import Problem
from mockroom.coding.runner import (
    FunctionTest,
    Limits,
    RunnerPool,
    RunResult,
    SandboxRunner,
    SandboxUnavailable,
    Submission,
    Verdict,
    check_sandbox,
)

pytestmark = pytest.mark.slow

CASES = [(problem_id, language) for problem_id, problem in load_problems().items() for language in problem.reference]


def submission_for(problem: Problem, language: str) -> Submission:
    """A problem's reference solution in one language against all of its tests."""
    tests = [
        FunctionTest(input=test.input, output=test.output, hidden=test.hidden)
        for test in loader.tests_for(problem, include_hidden=True)
    ]
    return Submission(
        language=language,
        source=problem.reference[language],
        function=problem.function,
        function_tests=tests,
        compare=problem.compare,
        limits=Limits(cpu_ms=problem.time_limit_ms),
    )


@pytest.fixture(scope="module")
def reference_runs() -> Iterator[dict[tuple[str, str], Future[RunResult]]]:
    """Every reference submission, queued at once."""
    try:
        check_sandbox()
    except SandboxUnavailable as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(error.reason)
    pool = RunnerPool(runner=SandboxRunner(), workers=2, max_queued=len(CASES) + 1)
    problems = load_problems()
    yield {
        (problem_id, language): pool.submit_blocking(submission=submission_for(problems[problem_id], language))
        for problem_id, language in CASES
    }
    pool.shutdown()


@pytest.mark.parametrize(("problem_id", "language"), CASES)
def test_reference_passes_every_test(
    problem_id: str, language: str, reference_runs: dict[tuple[str, str], Future[RunResult]]
) -> None:
    result = reference_runs[problem_id, language].result()
    failing = [
        (test.index, test.verdict.value, test.message, test.expected, test.actual, test.time_ms)
        for test in result.tests
        if test.verdict != Verdict.accepted
    ]
    assert result.verdict == Verdict.accepted, (result.compile_output, failing)

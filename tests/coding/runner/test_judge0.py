"""The Judge0 adapter against a local fake that speaks Judge0's batch API (and misbehaves on request)."""

import base64
import logging
from typing import Any

import pytest
from tests.coding.judge0_fake import FakeJudge0, b64
from tests.coding.runner.specs import spec

from mockroom.coding.runner import (
    FunctionTest,
    Judge0Runner,
    Limits,
    SandboxRunner,
    StdioTest,
    Submission,
    Verdict,
    make_runner,
)
from mockroom.coding.runner.judging import RUNNER_FAILED
from mockroom.core.config import Settings

TWO_SUM = spec("two_sum", "int[]", nums="int[]", target="int")
GOOD = "def two_sum(nums, target):\n    seen = {}\n    for i, x in enumerate(nums):\n        if target - x in seen:\n            return [seen[target - x], i]\n        seen[x] = i\n"
TESTS = [
    FunctionTest(input={"nums": [2, 7, 11, 15], "target": 9}, output=[0, 1]),
    FunctionTest(input={"nums": [3, 2, 4], "target": 6}, output=[1, 2]),
    FunctionTest(input={"nums": [3, 3], "target": 6}, output=[1, 0], hidden=True),
]


def _runner(judge0: FakeJudge0, **options: Any) -> Judge0Runner:
    return Judge0Runner(url=judge0.url, key="secret", poll_seconds=0.01, **options)


def test_function_tests_run_as_one_judge0_submission_each(judge0: FakeJudge0) -> None:
    result = _runner(judge0).run(
        submission=Submission(language="python", source=GOOD, function=TWO_SUM, function_tests=TESTS)
    )
    assert [test.verdict for test in result.tests] == [Verdict.accepted, Verdict.accepted, Verdict.wrong_answer]
    assert result.tests[2].actual is None  # hidden
    sent = judge0.posts[0]
    assert sent["path"] == "/submissions/batch?base64_encoded=true"
    submission = sent["body"]["submissions"][0]
    assert (
        submission["language_id"] == 71 and submission["cpu_time_limit"] == 2.0 and submission["wall_time_limit"] == 7.0
    )
    assert submission["enable_network"] is False and "expected_output" not in submission
    assert judge0.gets >= 2
    assert all(headers.get("X-Auth-Token") == "secret" for headers in judge0.headers)


def test_stdio_and_compile_errors_through_judge0(judge0: FakeJudge0) -> None:
    stdio = Submission(
        language="python",
        mode="stdio",
        source="print(sum(map(int, input().split())))",
        stdio_tests=[StdioTest(stdin="1 2", stdout="3"), StdioTest(stdin="2 2", stdout="5")],
    )
    assert [t.verdict for t in _runner(judge0).run(submission=stdio).tests] == [Verdict.accepted, Verdict.wrong_answer]
    broken = Submission(language="python", source="def two_sum(:\n", function=TWO_SUM, function_tests=TESTS)
    result = _runner(judge0).run(submission=broken)
    assert result.verdict == Verdict.compilation_error and "SyntaxError" in (result.compile_output or "")


def test_more_than_twenty_tests_go_in_batches(judge0: FakeJudge0) -> None:
    tests = [TESTS[0]] * 25
    result = _runner(judge0).run(
        submission=Submission(language="python", source=GOOD, function=TWO_SUM, function_tests=tests)
    )
    assert result.verdict == Verdict.accepted and len(result.tests) == 25
    assert [len(post["body"]["submissions"]) for post in judge0.posts] == [20, 5]


STATUSES = {
    3: Verdict.accepted, 5: Verdict.time_limit, 7: Verdict.runtime_error, 8: Verdict.runtime_error,
    9: Verdict.runtime_error, 10: Verdict.runtime_error, 11: Verdict.runtime_error, 12: Verdict.runtime_error,
    13: Verdict.internal_error, 14: Verdict.runtime_error,
}  # fmt: skip


def test_judge0_statuses_map_to_verdicts(judge0: FakeJudge0) -> None:
    statuses = list(STATUSES)

    def scripted(submission: dict[str, Any], number: int) -> dict[str, Any]:
        status = statuses[number]
        index = int(base64.b64decode(submission["stdin"]).split()[0])
        stdout = f"\n@mockroom@ S {index}\n@mockroom@ R {index} 5 [0,1]\n@mockroom@ D\n" if status == 3 else ""
        return {
            "status": {"id": status, "description": f"status {status}"},
            "stdout": b64(stdout) if stdout else None,
            "time": "0.5",
            "memory": 1234,
            "exit_code": 1 if status == 11 else None,
            "exit_signal": 11 if status == 7 else None,
        }

    judge0.scripted = scripted
    tests = [TESTS[0]] * len(statuses)
    result = _runner(judge0).run(
        submission=Submission(language="cpp", source="x", function=TWO_SUM, function_tests=tests)
    )
    assert [test.verdict for test in result.tests] == list(STATUSES.values())
    assert judge0.posts[0]["body"]["submissions"][0]["language_id"] == 54
    assert result.tests[0].memory_kb == 1234 and result.tests[1].time_ms == 2000
    assert result.tests[2].signal == 11


def test_compilation_error_status(judge0: FakeJudge0) -> None:
    judge0.scripted = lambda submission, number: {
        "status": {"id": 6, "description": "Compilation Error"},
        "compile_output": b64("main.cpp:1: error: expected ';'"),
    }
    result = _runner(judge0).run(
        submission=Submission(language="cpp", source="x", function=TWO_SUM, function_tests=TESTS)
    )
    assert result.verdict == Verdict.compilation_error and "expected ';'" in (result.compile_output or "")


def test_rate_limits_server_errors_and_timeouts_are_retried(judge0: FakeJudge0) -> None:
    judge0.failures = [429, 503]
    judge0.delays = [0, 0, 1.5]
    runner = _runner(judge0, request_timeout_seconds=0.5)
    result = runner.run(
        submission=Submission(language="python", source=GOOD, function=TWO_SUM, function_tests=TESTS[:1])
    )
    assert result.verdict == Verdict.accepted


@pytest.mark.parametrize(("failures", "words"), [([500] * 10, "HTTP 500"), ([401], "HTTP 401")])
def test_persistent_failures_are_internal_errors(
    judge0: FakeJudge0, failures: list[int], words: str, caplog: pytest.LogCaptureFixture
) -> None:
    judge0.failures = failures
    with caplog.at_level(logging.WARNING, logger="mockroom.coding.runner.judge0"):
        result = _runner(judge0, retries=2).run(
            submission=Submission(language="python", source=GOOD, function=TWO_SUM, function_tests=TESTS)
        )
    assert result.verdict == Verdict.internal_error
    # What went wrong is for the server's log; the candidate only learns that it was our failure.
    assert words in caplog.text
    assert result.message == RUNNER_FAILED and all(test.message == RUNNER_FAILED for test in result.tests)
    assert "Judge0" not in result.model_dump_json()


def test_unreachable_server_is_an_internal_error() -> None:
    runner = Judge0Runner(url="http://127.0.0.1:9", retries=1, request_timeout_seconds=0.5)
    result = runner.run(submission=Submission(language="python", source=GOOD, function=TWO_SUM, function_tests=TESTS))
    assert result.verdict == Verdict.internal_error


def test_settings_choose_the_runner() -> None:
    runner = make_runner(
        Settings(
            code_runner="judge0", judge0_url="http://127.0.0.1:2358", judge0_key="k", judge0_language_ids={"python": 92}
        )
    )
    assert isinstance(runner, Judge0Runner) and runner.language_ids == {"python": 92} and runner.key == "k"
    assert isinstance(make_runner(Settings()), SandboxRunner)
    runner = make_runner(Settings(code_runner_first_uid=70000))
    assert isinstance(runner, SandboxRunner) and runner.first_uid == 70000
    with pytest.raises(ValueError):
        make_runner(Settings(code_runner="judge0"))
    assert Limits().wall_limit_ms == 7000

"""Judge0 behind the runner interface: one Judge0 submission per test, sent in batches and polled.

Function tests use the same harnesses as the sandbox, with results on standard output after a marker;
outputs are compared here (Judge0 never sees expected outputs), so compare modes behave as in the sandbox.
Judge0 has no memory-limit or output-limit status: a harness that catches an out-of-memory error reports
it, and the output cap is checked here.
"""

import base64
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from mockroom.coding.runner import judging, protocol
from mockroom.coding.runner.languages import support_for
from mockroom.coding.runner.models import RunResult, Submission, TestResult, Verdict
from mockroom.coding.runner.values import encode_cases

logger = logging.getLogger(__name__)

BATCH_SIZE = 20
MAX_MEMORY_KB = 512_000
DEFAULT_LANGUAGE_IDS = {"python": 71, "javascript": 63, "c": 50, "cpp": 54, "java": 62, "go": 60, "rust": 73}
_FIELDS = "token,stdout,stderr,compile_output,message,status,time,memory,exit_code,exit_signal"
_RUNTIME_ERRORS = {
    7: "SIGSEGV",
    8: "SIGXFSZ",
    9: "SIGFPE",
    10: "SIGABRT",
    11: "non-zero exit code",
    12: "runtime error",
}


class Judge0Error(Exception):
    """Judge0 could not be reached or refused the request."""


@dataclass
class Judge0Runner:
    """A CodeRunner that sends submissions to a Judge0 server."""

    url: str
    key: str = ""
    key_header: str = "X-Auth-Token"
    language_ids: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_LANGUAGE_IDS))
    timeout_seconds: float = 60.0
    request_timeout_seconds: float = 10.0
    poll_seconds: float = 0.25
    retries: int = 3

    def run(self, *, submission: Submission, slot: int = 0) -> RunResult:
        """Runs every test on Judge0; an unreachable or failing server gives an internal error."""
        try:
            tokens = self._create(self._payloads(submission))
            answers = self._wait(tokens)
        except Judge0Error as error:
            logger.warning("Judge0 run failed: %s", error)
            return judging.internal_error(submission=submission)
        return _result(submission=submission, answers=answers)

    def close(self) -> None:
        """Nothing to give back: each run's requests are finished when it returns."""

    def _payloads(self, submission: Submission) -> list[dict[str, Any]]:
        support = support_for(submission.language)
        limits = submission.limits
        base = {
            "language_id": self.language_ids[submission.language],
            "cpu_time_limit": limits.cpu_ms / 1000,
            "wall_time_limit": limits.wall_limit_ms / 1000,
            "memory_limit": min((limits.memory_mb + support.toolchain.runtime_memory_mb) * 1024, MAX_MEMORY_KB),
            "enable_network": False,
        }
        if submission.mode == "function":
            assert submission.function is not None
            source = support.harness(submission.function, submission.source, True)
            stdins = [
                encode_cases(spec=submission.function, inputs=[test.input], first=index)
                for index, test in enumerate(submission.function_tests)
            ]
        else:
            source = support.program(submission.source)
            stdins = [test.stdin.encode() for test in submission.stdio_tests]
        return [base | {"source_code": _b64(source.encode()), "stdin": _b64(stdin)} for stdin in stdins]

    def _create(self, payloads: list[dict[str, Any]]) -> list[str]:
        tokens: list[str] = []
        for start in range(0, len(payloads), BATCH_SIZE):
            answer = self._request(
                "POST", "/submissions/batch?base64_encoded=true", {"submissions": payloads[start : start + BATCH_SIZE]}
            )
            if not isinstance(answer, list) or len(answer) != len(payloads[start : start + BATCH_SIZE]):
                raise Judge0Error(f"unexpected batch answer: {str(answer)[:200]}")
            for item in answer:
                if not isinstance(item, dict) or "token" not in item:
                    raise Judge0Error(f"Judge0 rejected a submission: {json.dumps(item)[:300]}")
                tokens.append(item["token"])
        return tokens

    def _wait(self, tokens: list[str]) -> list[dict[str, Any]]:
        deadline = time.monotonic() + self.timeout_seconds
        done: dict[str, dict[str, Any]] = {}
        while True:
            waiting = [token for token in tokens if token not in done]
            for start in range(0, len(waiting), BATCH_SIZE):
                query = urllib.parse.urlencode(
                    {
                        "tokens": ",".join(waiting[start : start + BATCH_SIZE]),
                        "base64_encoded": "true",
                        "fields": _FIELDS,
                    }
                )
                answer = self._request("GET", f"/submissions/batch?{query}", None)
                for item in answer.get("submissions", []) if isinstance(answer, dict) else []:
                    if isinstance(item, dict) and (item.get("status") or {}).get("id", 1) > 2:
                        done[item["token"]] = item
            if len(done) == len(tokens):
                return [done[token] for token in tokens]
            if time.monotonic() > deadline:
                raise Judge0Error(
                    f"{len(tokens) - len(done)} of {len(tokens)} runs unfinished after {self.timeout_seconds} s"
                )
            time.sleep(self.poll_seconds)

    def _request(self, method: str, path: str, body: Any) -> Any:
        """One API call, retried with backoff on 429, 5xx and timeouts."""
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.key:
            headers[self.key_header] = self.key
        data = json.dumps(body).encode() if body is not None else None
        delay = 0.5
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(self.url.rstrip("/") + path, data=data, headers=headers, method=method)
            try:
                with urllib.request.urlopen(request, timeout=self.request_timeout_seconds) as response:
                    return json.loads(response.read() or b"null")
            except urllib.error.HTTPError as error:
                detail = error.read()[:300].decode(errors="replace")
                if error.code != 429 and error.code < 500:
                    raise Judge0Error(f"HTTP {error.code} from Judge0: {detail}") from error
                problem = f"HTTP {error.code} from Judge0: {detail}"
                retry_after = error.headers.get("Retry-After", "")
                wait = float(retry_after) if retry_after.replace(".", "", 1).isdigit() else delay
            except (TimeoutError, urllib.error.URLError, ConnectionError) as error:
                problem, wait = f"Judge0 unreachable: {error}", delay
            except ValueError as error:
                raise Judge0Error(f"Judge0 answered with invalid JSON: {error}") from error
            if attempt == self.retries:
                raise Judge0Error(problem)
            time.sleep(min(wait, 10.0))
            delay *= 2
        raise Judge0Error("unreachable")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _text(item: dict[str, Any], name: str) -> str:
    value = item.get(name)
    return base64.b64decode(value).decode(errors="replace") if value else ""


def _result(*, submission: Submission, answers: list[dict[str, Any]]) -> RunResult:
    for item in answers:
        if item["status"]["id"] == 6:
            return judging.compilation_error(submission=submission, output=_text(item, "compile_output"))
    results: dict[int, TestResult] = {}
    printed = []
    for index, item in enumerate(answers):
        stdout = _text(item, "stdout")
        if submission.mode == "function":
            report = protocol.parse(stdout)
            if report.compile_error is not None:
                return judging.compilation_error(submission=submission, output=report.compile_error)
            printed.append(report.other_output)
            results[index] = _function_test(submission=submission, index=index, item=item, report=report)
        else:
            results[index] = _stdio_test(submission=submission, index=index, item=item, stdout=stdout)
    return judging.overall(submission=submission, results=results, stdout="\n".join(p for p in printed if p).encode())


def _usage(item: dict[str, Any]) -> tuple[int, int]:
    seconds = float(item.get("time") or 0)
    return round(seconds * 1000), int(item.get("memory") or 0)


def _function_test(*, submission: Submission, index: int, item: dict[str, Any], report: protocol.Report) -> TestResult:
    _, memory_kb = _usage(item)
    status = item["status"]["id"]
    case = report.cases.get(index)
    if len(report.other_output.encode()) > submission.limits.output_kb * 1024:
        return _failed(
            submission,
            index,
            item,
            Verdict.output_limit,
            f"The program printed more than {submission.limits.output_kb} KB.",
        )
    if case is not None and status in (3, 4):
        return judging.judge_case(submission=submission, case=case, memory_kb=memory_kb)
    if report.fatal is not None:
        return _failed(submission, index, item, Verdict.runtime_error, report.fatal)
    return _status_failure(submission=submission, index=index, item=item, case=case)


def _stdio_test(*, submission: Submission, index: int, item: dict[str, Any], stdout: str) -> TestResult:
    test = submission.stdio_tests[index]
    status = item["status"]["id"]
    time_ms, memory_kb = _usage(item)
    if len(stdout.encode()) > submission.limits.output_kb * 1024:
        return _failed(
            submission,
            index,
            item,
            Verdict.output_limit,
            f"The program printed more than {submission.limits.output_kb} KB.",
        )
    if status not in (3, 4):
        return _status_failure(submission=submission, index=index, item=item, case=None)
    accepted = judging.stdio_matches(expected=test.stdout, actual=stdout, compare=submission.compare)
    result = TestResult(
        index=index,
        verdict=Verdict.accepted if accepted else Verdict.wrong_answer,
        hidden=test.hidden,
        time_ms=time_ms,
        memory_kb=memory_kb,
    )
    if not accepted and not test.hidden:
        result.input, result.expected, result.actual = test.stdin, test.stdout, stdout
    return result


def _status_failure(
    *, submission: Submission, index: int, item: dict[str, Any], case: protocol.CaseReport | None
) -> TestResult:
    status = item["status"]["id"]
    description = item["status"].get("description") or f"status {status}"
    if case is not None and case.error_kind == "memory":
        return _failed(submission, index, item, Verdict.memory_limit, case.error or "out of memory")
    if status == 5:
        return _failed(submission, index, item, Verdict.time_limit, f"Time limit exceeded ({description}).")
    if status in _RUNTIME_ERRORS or status == 14:
        stderr = _text(item, "stderr")
        if any(marker in stderr for marker in ("out of memory", "OutOfMemoryError", "MemoryError", "bad_alloc")):
            return _failed(submission, index, item, Verdict.memory_limit, f"Out of memory ({description}).")
        return _failed(submission, index, item, Verdict.runtime_error, f"Runtime error: {description}.")
    logger.warning("Judge0 failed test %d: %s", index, _text(item, "message") or description)
    return _failed(submission, index, item, Verdict.internal_error, judging.RUNNER_FAILED)


def _failed(submission: Submission, index: int, item: dict[str, Any], verdict: Verdict, message: str) -> TestResult:
    time_ms, memory_kb = _usage(item)
    hidden = submission.is_hidden(index)
    stderr = _text(item, "stderr")
    return TestResult(
        index=index,
        verdict=verdict,
        hidden=hidden,
        time_ms=submission.limits.cpu_ms if verdict == Verdict.time_limit else time_ms,
        memory_kb=memory_kb,
        message=message,
        exit_code=item.get("exit_code"),
        signal=item.get("exit_signal"),
        stderr=None if hidden or verdict == Verdict.internal_error else stderr[-judging.STDERR_TAIL :] or None,
    )

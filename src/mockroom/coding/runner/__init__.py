"""Runs candidates' code: a local bubblewrap sandbox (or a Judge0 server) behind one interface.

result = run(submission=Submission(language="python", source=..., function=spec, function_tests=[...]))
pool = RunnerPool(runner=make_runner(settings))   # the web server's: one slot per worker, a bounded queue
result = await pool.submit(submission=...)        # never blocks the event loop
"""

from mockroom.coding.runner.errors import RunnerBusy, SandboxUnavailable
from mockroom.coding.runner.judge0 import Judge0Runner
from mockroom.coding.runner.languages import LANGUAGES, signature, starter_code
from mockroom.coding.runner.models import (
    CompareMode,
    FunctionTest,
    Limits,
    RunResult,
    StdioTest,
    Submission,
    TestResult,
    Verdict,
)
from mockroom.coding.runner.pool import CodeRunner, RunnerPool
from mockroom.coding.runner.sandbox import check as check_sandbox
from mockroom.coding.runner.service import SandboxRunner, run
from mockroom.core.config import Settings


def make_runner(settings: Settings) -> CodeRunner:
    """The runner the settings choose: the local sandbox (default) or a Judge0 server."""
    if settings.code_runner == "judge0":
        if not settings.judge0_url:
            raise ValueError("code_runner is judge0 but judge0_url is not set")
        return Judge0Runner(
            url=settings.judge0_url,
            key=settings.judge0_key,
            key_header=settings.judge0_key_header,
            language_ids=dict(settings.judge0_language_ids),
            timeout_seconds=settings.judge0_timeout_seconds,
        )
    if settings.code_runner != "sandbox":
        raise ValueError(f"unknown code_runner {settings.code_runner!r}; expected sandbox or judge0")
    return SandboxRunner(first_uid=settings.code_runner_first_uid or None)


__all__ = [
    "LANGUAGES",
    "CodeRunner",
    "CompareMode",
    "FunctionTest",
    "Judge0Runner",
    "Limits",
    "RunResult",
    "RunnerBusy",
    "RunnerPool",
    "SandboxRunner",
    "SandboxUnavailable",
    "StdioTest",
    "Submission",
    "TestResult",
    "Verdict",
    "check_sandbox",
    "make_runner",
    "run",
    "signature",
    "starter_code",
]

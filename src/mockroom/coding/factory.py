"""Chooses the code runner from the settings: the local sandbox (default) or a Judge0 server."""

from collections.abc import Callable
from functools import cache

from mockroom.coding.runner.errors import SandboxUnavailable
from mockroom.coding.runner.models import RunResult, Submission
from mockroom.core.config import Settings

Runner = Callable[[Submission], RunResult]


@cache
def _sandbox_works() -> bool:
    from mockroom.coding.runner import sandbox

    try:
        sandbox.check()
    except SandboxUnavailable:
        return False
    return True


def coding_available() -> bool:
    """Whether code can run safely here (checked once per process)."""
    return _sandbox_works()


def code_runner_from_settings(settings: Settings) -> Runner:
    """A callable that runs one submission and returns its result."""
    from mockroom.coding.runner.service import run

    return lambda submission: run(submission=submission)

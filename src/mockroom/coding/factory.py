"""The code runner the settings choose (the local sandbox by default, or a Judge0 server), as a worker pool."""

import logging
from functools import cache

from mockroom.coding.runner import RunnerPool, SandboxRunner, make_runner, sandbox, slots
from mockroom.coding.runner.errors import SandboxUnavailable
from mockroom.core.config import Settings

logger = logging.getLogger(__name__)


@cache
def _sandbox_works() -> bool:
    try:
        sandbox.check()
    except SandboxUnavailable as error:
        logger.warning("coding rounds are off: the code sandbox cannot run here (%s)", error.reason)
        return False
    return True


def coding_available(settings: Settings) -> bool:
    """Whether code can run safely: a Judge0 server is configured, or the local sandbox works (checked once)."""
    if settings.code_runner == "judge0":
        return bool(settings.judge0_url)
    return _sandbox_works()


def code_runner_from_settings(settings: Settings) -> RunnerPool:
    """The server's pool of code-runner workers; for the sandbox, what killed servers left is removed first."""
    runner = make_runner(settings)
    if isinstance(runner, SandboxRunner) and _sandbox_works():
        try:
            slots.clean_stale()
        except (SandboxUnavailable, OSError) as error:
            logger.warning("could not remove stale code-runner workspaces: %s", error)
    return RunnerPool(
        runner=runner, workers=settings.code_runner_workers or None, max_queued=settings.code_runner_queue or None
    )

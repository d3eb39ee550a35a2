"""The code runner the settings choose: a pool of workers on the local sandbox (default) or a Judge0 server, or
in queue mode the `mockroom runner` workers behind Redis."""

import logging
from functools import cache

from mockroom.coding.runner import RunnerPool, SandboxRunner, make_runner, sandbox, slots
from mockroom.coding.runner.errors import SandboxUnavailable
from mockroom.coding.runner.queue import QueuedRunner
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
    """Whether code can run safely: runs go to queue workers (which check their own sandbox), a Judge0 server is
    configured, or the local sandbox works (checked once)."""
    if settings.code_queue:
        return True
    if settings.code_runner == "judge0":
        return bool(settings.judge0_url)
    return _sandbox_works()


def code_runner_from_settings(settings: Settings) -> RunnerPool | QueuedRunner:
    """The server's code runner: the Redis queue in queue mode (no code runs here), else a local pool."""
    if settings.code_queue:
        if not settings.redis_url:
            raise ValueError("code_queue is redis but redis_url is not set")
        return QueuedRunner(redis_url=settings.redis_url, timeout_seconds=settings.code_queue_timeout_seconds)
    return local_pool(settings)


def local_pool(settings: Settings) -> RunnerPool:
    """A pool of code-runner workers in this process; for the sandbox, what killed servers left is removed first."""
    runner = make_runner(settings)
    if isinstance(runner, SandboxRunner) and _sandbox_works():
        try:
            slots.clean_stale()
        except (SandboxUnavailable, OSError) as error:
            logger.warning("could not remove stale code-runner workspaces: %s", error)
    return RunnerPool(
        runner=runner, workers=settings.code_runner_workers or None, max_queued=settings.code_runner_queue or None
    )

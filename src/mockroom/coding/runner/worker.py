"""`mockroom runner`: a worker that takes code runs off the Redis queue and runs them on its own sandbox slots.

It runs each job on the same RunnerPool and sandbox the web server uses in single-process mode, so a run is
isolated exactly as before; it takes as many jobs at once as it has slots. Start any number, on this machine
or others sharing MOCKROOM_REDIS_URL; on one host, each slot's uid lock keeps two workers from sharing one.
"""

import asyncio
import logging
import os
import socket
from typing import Any

from redis.exceptions import RedisError
from saq import Worker
from saq.queue.redis import RedisQueue

from mockroom.coding.factory import coding_available, local_pool
from mockroom.coding.runner.models import Submission
from mockroom.coding.runner.pool import RunnerPool
from mockroom.coding.runner.queue import JOB_NAME, redis_queue
from mockroom.core.config import Settings

logger = logging.getLogger(__name__)


def worker_id() -> str:
    """This worker's name in the queue's records, host-pid (SAQ splits its keys on colons)."""
    return f"{socket.gethostname()}-{os.getpid()}"


def make_worker(*, settings: Settings, pool: RunnerPool) -> Worker:
    """A queue worker running jobs on `pool`, one per slot at a time."""

    async def run_code(context: dict[str, Any], *, submission: dict[str, Any]) -> dict[str, Any]:
        result = await pool.submit(submission=Submission.model_validate(submission))
        return result.model_dump(mode="json")

    return Worker(
        redis_queue(settings.redis_url), functions=[(JOB_NAME, run_code)], id=worker_id(),
        concurrency=pool.workers,
    )


def serve(*, settings: Settings, slots: int | None) -> int:
    """Runs the worker until SIGINT or SIGTERM; 2 with a message when it cannot start."""
    if not settings.redis_url:
        logger.error("mockroom runner needs MOCKROOM_REDIS_URL, the Redis the web servers queue code runs on")
        return 2
    # The queue setting, shared with the web servers, must not stand in for this machine's own sandbox check.
    settings = settings.model_copy(update={"code_queue": ""})
    if not coding_available(settings):
        logger.error("mockroom runner: code cannot run safely on this machine (see the warning above)")
        return 2
    if slots is not None:
        settings = settings.model_copy(update={"code_runner_workers": slots})
    pool = local_pool(settings)
    worker = make_worker(settings=settings, pool=pool)
    logger.info("code runner %s: %d slots, queue on %s", worker.id, pool.workers, settings.redis_url.split("@")[-1])
    try:
        return asyncio.run(_work(worker, settings.redis_url))
    finally:
        pool.shutdown()


async def _work(worker: Worker, redis_url: str) -> int:
    # Once it runs, the worker rides out Redis restarts by retrying; at start, an unreachable Redis is a mistake.
    assert isinstance(worker.queue, RedisQueue)
    try:
        await worker.queue.version()
    except (RedisError, OSError) as error:
        logger.error("mockroom runner: cannot reach Redis at %s: %s", redis_url.split("@")[-1], error)
        return 2
    await worker.start()
    return 0

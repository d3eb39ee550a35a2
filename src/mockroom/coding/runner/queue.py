"""Code runs sent over Redis to `mockroom runner` workers, so the web process never runs untrusted code itself.

With MOCKROOM_CODE_QUEUE=redis the server enqueues each run on MOCKROOM_REDIS_URL and awaits its result; the
workers (any number, on this machine or others) each own their sandbox slots and take as many runs at once as
they have slots. Jobs go through SAQ (Simple Async Queue, MIT, maintained): it is asyncio-native (the server
awaits a result on the event loop, woken by Redis pub/sub), small (one dependency besides redis-py, and it
accepts the redis 7 this project pins, which arq 0.28 does not), and each job carries a timeout, a result TTL
and a number of attempts, which here is one: a run is never retried, since running a candidate's code twice
could record it twice. Jobs and results are JSON, never pickles, so whoever can write to Redis cannot make
the server or a worker run Python of their choosing.

When Redis cannot be reached, or no worker finishes the run within `code_queue_timeout_seconds`, the run is
refused with a 503 that says which; a run nobody started by then is taken off the queue.
"""

import asyncio
import collections
import contextlib
import logging
import uuid

from pydantic import ValidationError
from redis.asyncio import Redis
from redis.exceptions import RedisError
from saq import Queue
from saq.job import TERMINAL_STATUSES, Job, Status
from saq.queue.redis import RedisQueue

from mockroom.coding.runner.models import RunResult, Submission
from mockroom.core.errors import AppError

logger = logging.getLogger(__name__)

QUEUE_NAME = "mockroom-code"
JOB_NAME = "run_code"
RESULT_TTL_SECONDS = 600
CONNECT_TIMEOUT_SECONDS = 3.0
# Results arrive by pub/sub; this re-reads the job now and then in case its last message came before we listened.
_CHECK_SECONDS = 0.5


def redis_queue(redis_url: str) -> Queue:
    """The run queue on `redis_url`, failing fast (no retries) when Redis is down."""
    redis: Redis = Redis.from_url(
        redis_url, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS, retry_on_error=[], health_check_interval=30
    )
    return RedisQueue(redis, name=QUEUE_NAME)


class QueueUnavailable(AppError):
    """The run queue (Redis) cannot be reached."""

    def __init__(self) -> None:
        super().__init__(
            code="code_queue_unavailable",
            message="The code runners cannot be reached right now, so your code was not run. This is on our side; "
            "please try again in a minute.",
            status=503,
        )


class NoRunnerAnswered(AppError):
    """No worker finished the run in time: none was free or running, or the run took too long."""

    def __init__(self, *, started: bool, seconds: float) -> None:
        reason = (
            "a code runner started your code but did not finish it" if started
            else "no code runner picked up your code"
        )
        super().__init__(
            code="code_runner_timeout",
            message=f"In {seconds:g} seconds {reason}, so there is no result. This is on our side; "
            "please try again in a minute.",
            status=503,
        )


class RunnerFailed(AppError):
    """The worker failed while running the job (its log has why)."""

    def __init__(self) -> None:
        super().__init__(
            code="code_runner_failed",
            message="The code runner failed on our side, so there is no result. Please try again.",
            status=503,
        )


class QueuedRunner:
    """Runs submissions on `mockroom runner` workers through Redis; the web server's runner in queue mode."""

    def __init__(self, *, redis_url: str, timeout_seconds: float) -> None:
        self.redis_url = redis_url
        self.timeout_seconds = timeout_seconds
        # Runs each worker finished for this process, by worker id: the log's and the tests' view of the spread.
        self.runs_by_worker: collections.Counter[str] = collections.Counter()
        self._queue: Queue | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def submit(self, *, submission: Submission) -> RunResult:
        """Enqueues the run and awaits its result; 503 (an AppError) when Redis or the workers fail."""
        queue = self._current_queue()
        key = uuid.uuid4().hex
        enqueued = False
        try:
            async with asyncio.timeout(self.timeout_seconds):
                await queue.enqueue(
                    JOB_NAME, key=key, timeout=max(1, round(self.timeout_seconds)), retries=1,
                    ttl=RESULT_TTL_SECONDS, submission=submission.model_dump(mode="json"),
                )
                enqueued = True
                finished = await _finished(queue, key)
        except TimeoutError:
            if not enqueued:
                logger.warning("Redis at %s did not take a code run in time", _redacted(self.redis_url))
                raise QueueUnavailable() from None
            started = await _give_up(queue, key)
            raise NoRunnerAnswered(started=started, seconds=self.timeout_seconds) from None
        except (RedisError, OSError) as error:
            logger.warning("lost Redis at %s with a code run: %s", _redacted(self.redis_url), error)
            raise QueueUnavailable() from error
        if finished.status != Status.COMPLETE:
            logger.warning("code run %s on worker %s ended %s: %s", key, finished.worker_id, finished.status,
                           finished.error)
            raise RunnerFailed()
        try:
            result = RunResult.model_validate(finished.result)
        except ValidationError as error:
            logger.warning("code run %s on worker %s gave no result we can read: %s", key, finished.worker_id, error)
            raise RunnerFailed() from error
        self.runs_by_worker[str(finished.worker_id)] += 1
        return result

    async def shutdown(self) -> None:
        """Closes the connection to Redis."""
        if self._queue is not None:
            queue, self._queue = self._queue, None
            with contextlib.suppress(RedisError, OSError):
                await queue.disconnect()

    def _current_queue(self) -> Queue:
        # A Redis client belongs to the event loop that made it; tests and scripts may start more than one loop.
        loop = asyncio.get_running_loop()
        if self._queue is None or self._loop is not loop:
            self._queue, self._loop = redis_queue(self.redis_url), loop
        return self._queue


async def _finished(queue: Queue, key: str) -> Job:
    """The job once it reached a final status."""
    done = asyncio.Event()

    def on_status(_key: str, status: Status) -> bool:
        if status in TERMINAL_STATUSES:
            done.set()
        return done.is_set()

    listener = asyncio.create_task(queue.listen([key], on_status, timeout=None))
    try:
        while True:
            job = await queue.job(key)
            if job is None:
                raise RedisError(f"job {key} vanished from the queue")
            if job.status in TERMINAL_STATUSES:
                return job
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), _CHECK_SECONDS)
    finally:
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError, RedisError, OSError):
            await listener


async def _give_up(queue: Queue, key: str) -> bool:
    """Takes a run nobody started off the queue; returns whether a worker had started it."""
    try:
        current = await queue.job(key)
        started = current is not None and current.status == Status.ACTIVE
        if current is not None and current.status == Status.QUEUED:
            await queue.abort(current, error="the server stopped waiting")
        return started
    except (RedisError, OSError):
        return False


def _redacted(url: str) -> str:
    return url.split("@")[-1]

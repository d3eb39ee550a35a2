"""A pool of code-runner workers, one per core, with a bounded queue and an async API for the web server.

Every run goes through a pool: each worker has its own slot (for the sandbox, its own uid and cgroup), so
runs never share one, and when the queue is full a run is refused at once (RunnerBusy, with a fair
Retry-After) instead of piling up behind the others.
"""

import asyncio
import math
import os
import queue
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

from mockroom.coding.runner.errors import RunnerBusy
from mockroom.coding.runner.models import RunResult, Submission

QUEUED_PER_WORKER = 4
_FIRST_GUESS_SECONDS = 5.0


class CodeRunner(Protocol):
    """Anything that turns a submission into a result on a worker slot: the sandbox, or Judge0."""

    def run(self, *, submission: Submission, slot: int = 0) -> RunResult:
        """Runs the submission to completion; blocking."""
        ...

    def close(self) -> None:
        """Gives back what the runner holds (the sandbox's slots)."""
        ...


class RunnerPool:
    """Runs submissions on `workers` slots; at most `max_queued` wait (default four per worker)."""

    def __init__(self, *, runner: CodeRunner, workers: int | None = None, max_queued: int | None = None) -> None:
        self.runner = runner
        self.workers = workers or os.cpu_count() or 1
        self.max_queued = QUEUED_PER_WORKER * self.workers if max_queued is None else max_queued
        self._slots: queue.SimpleQueue[int] = queue.SimpleQueue()
        for slot in range(self.workers):
            self._slots.put(slot)
        self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="code-runner")
        self._pending = 0
        self._seconds_per_run = _FIRST_GUESS_SECONDS
        self._lock = threading.Lock()

    @property
    def pending(self) -> int:
        """Runs queued or running."""
        return self._pending

    def submit_blocking(self, *, submission: Submission) -> "Future[RunResult]":
        """Queues a run and returns its future; RunnerBusy when the queue is full."""
        with self._lock:
            if self._pending >= self.workers + self.max_queued:
                queued = self._pending - self.workers
                # The queue drains `workers` runs at a time; this one would start after the queue ahead of it.
                wait = self._seconds_per_run * (queued + 1) / self.workers
                raise RunnerBusy(queued=queued, retry_after=min(max(math.ceil(wait), 1), 120))
            self._pending += 1
        try:
            future = self._executor.submit(self._run_on_slot, submission)
        except BaseException:
            self._done()
            raise
        # Counted down when the run ends, or when it is cancelled before it started.
        future.add_done_callback(lambda _: self._done())
        return future

    async def submit(self, *, submission: Submission) -> RunResult:
        """Runs a submission without blocking the event loop (or holding one of its threads)."""
        return await asyncio.wrap_future(self.submit_blocking(submission=submission))

    def run(self, *, submission: Submission) -> RunResult:
        """Runs a submission and waits for it (for scripts and tests)."""
        return self.submit_blocking(submission=submission).result()

    def shutdown(self) -> None:
        """Drops queued runs, waits for running ones, and releases the runner's slots."""
        self._executor.shutdown(wait=True, cancel_futures=True)
        self.runner.close()

    def _run_on_slot(self, submission: Submission) -> RunResult:
        slot = self._slots.get()
        started = time.monotonic()
        try:
            return self.runner.run(submission=submission, slot=slot)
        finally:
            self._slots.put(slot)
            with self._lock:
                self._seconds_per_run = 0.8 * self._seconds_per_run + 0.2 * (time.monotonic() - started)

    def _done(self) -> None:
        with self._lock:
            self._pending -= 1

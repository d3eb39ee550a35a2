"""A pool of sandbox workers, one per core, with a bounded queue and an async API for the web server."""

import asyncio
import os
import queue
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

from mockroom.coding.runner.errors import RunnerBusy
from mockroom.coding.runner.models import RunResult, Submission


class CodeRunner(Protocol):
    """Anything that turns a submission into a result on a worker slot: the sandbox, or Judge0."""

    def run(self, *, submission: Submission, slot: int = 0) -> RunResult:
        """Runs the submission to completion; blocking."""
        ...


class RunnerPool:
    """Runs submissions on `workers` slots (each its own sandbox uid); at most `max_queued` wait."""

    def __init__(self, *, runner: CodeRunner, workers: int | None = None, max_queued: int = 64) -> None:
        self.runner = runner
        self.workers = workers or os.cpu_count() or 1
        self.max_queued = max_queued
        self._slots: queue.SimpleQueue[int] = queue.SimpleQueue()
        for slot in range(self.workers):
            self._slots.put(slot)
        self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="code-runner")
        self._pending = 0
        self._lock = threading.Lock()

    @property
    def pending(self) -> int:
        """Runs queued or running."""
        return self._pending

    def submit_blocking(self, *, submission: Submission) -> "Future[RunResult]":
        """Queues a run and returns its future; RunnerBusy when the queue is full."""
        with self._lock:
            if self._pending >= self.workers + self.max_queued:
                raise RunnerBusy(self._pending - self.workers)
            self._pending += 1
        try:
            return self._executor.submit(self._run_on_slot, submission)
        except BaseException:
            self._done()
            raise

    async def submit(self, *, submission: Submission) -> RunResult:
        """Runs a submission without blocking the event loop."""
        return await asyncio.wrap_future(self.submit_blocking(submission=submission))

    def run(self, *, submission: Submission) -> RunResult:
        """Runs a submission and waits for it (for scripts and tests)."""
        return self.submit_blocking(submission=submission).result()

    def shutdown(self) -> None:
        """Waits for running work and stops the workers."""
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _run_on_slot(self, submission: Submission) -> RunResult:
        slot = self._slots.get()
        try:
            return self.runner.run(submission=submission, slot=slot)
        finally:
            self._slots.put(slot)
            self._done()

    def _done(self) -> None:
        with self._lock:
            self._pending -= 1

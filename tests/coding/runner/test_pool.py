"""The worker pool: one slot per worker, a bounded queue, and an API that never blocks the event loop."""

import asyncio
import threading
import time

import pytest
from tests.coding.runner.specs import spec

from mockroom.coding.runner import FunctionTest, RunnerBusy, RunnerPool, RunResult, Submission, Verdict

SUBMISSION = Submission(
    language="python",
    source="def add(a, b):\n    return a + b\n",
    function=spec("add", "int", a="int", b="int"),
    function_tests=[FunctionTest(input={"a": 2, "b": 3}, output=5)],
)


class SlowRunner:
    """Records which slots run at once."""

    def __init__(self) -> None:
        self.active: set[int] = set()
        self.most = 0
        self.lock = threading.Lock()
        self.closed = False

    def run(self, *, submission: Submission, slot: int = 0) -> RunResult:
        with self.lock:
            assert slot not in self.active
            self.active.add(slot)
            self.most = max(self.most, len(self.active))
        time.sleep(0.05)
        with self.lock:
            self.active.discard(slot)
        return RunResult(verdict=Verdict.accepted, tests=[])

    def close(self) -> None:
        self.closed = True


class GatedRunner(SlowRunner):
    """Holds every run until the test opens the gate."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def run(self, *, submission: Submission, slot: int = 0) -> RunResult:
        self.gate.wait(10)
        return super().run(submission=submission, slot=slot)


def test_slots_are_never_shared_and_the_queue_is_bounded() -> None:
    runner = SlowRunner()
    pool = RunnerPool(runner=runner, workers=2, max_queued=3)
    futures = [pool.submit_blocking(submission=SUBMISSION) for _ in range(5)]
    with pytest.raises(RunnerBusy) as busy:
        pool.submit_blocking(submission=SUBMISSION)
    assert busy.value.status == 429 and 1 <= busy.value.retry_after <= 120
    assert "try again in about" in busy.value.message
    assert all(future.result().verdict == Verdict.accepted for future in futures)
    assert runner.most == 2 and pool.pending == 0
    pool.shutdown()
    assert runner.closed


def test_the_queue_defaults_to_four_runs_per_worker() -> None:
    pool = RunnerPool(runner=SlowRunner(), workers=3)
    assert pool.max_queued == 12
    pool.shutdown()


def test_runs_dropped_before_they_start_free_their_place_in_the_queue() -> None:
    runner = GatedRunner()
    pool = RunnerPool(runner=runner, workers=1, max_queued=2)
    running = pool.submit_blocking(submission=SUBMISSION)
    queued = [pool.submit_blocking(submission=SUBMISSION) for _ in range(2)]
    with pytest.raises(RunnerBusy):
        pool.submit_blocking(submission=SUBMISSION)
    assert all(future.cancel() for future in queued)  # e.g. their clients went away
    again = pool.submit_blocking(submission=SUBMISSION)
    runner.gate.set()
    assert running.result().verdict == again.result().verdict == Verdict.accepted
    assert pool.pending == 0
    pool.shutdown()


def test_async_submit_lets_the_event_loop_run(pool: RunnerPool) -> None:
    async def main() -> tuple[list[RunResult], int]:
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.005)

        ticker = asyncio.create_task(tick())
        results = await asyncio.gather(*(pool.submit(submission=SUBMISSION) for _ in range(3)))
        ticker.cancel()
        return list(results), ticks

    results, ticks = asyncio.run(main())
    assert [result.verdict for result in results] == [Verdict.accepted] * 3
    assert ticks > 5

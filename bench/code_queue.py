"""Code-run throughput: the in-process sandbox pool vs 1 and 2 `mockroom runner` workers behind Redis.

Each setup gets the same batch of submissions (a problem's Python reference solution on all its tests, as a
submit runs), `--concurrency` at a time, through the runner the web server would use (RunnerPool.submit, or
QueuedRunner.submit in queue mode), so the figures are the runner's, without HTTP or database work. Every
setup has `--slots` sandbox slots per process (the pool, or each worker). Prints runs/s and p50/p95 latency
per run. Needs Redis (database 14 is flushed) and a working sandbox. Usage:

    .venv/bin/python bench/code_queue.py [--runs N] [--concurrency C] [--slots S] [--redis URL]
"""

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import redis

from mockroom.coding.factory import local_pool
from mockroom.coding.problems.loader import load_problems, tests_for
from mockroom.coding.runner import FunctionTest, Limits, RunResult, Submission, Verdict
from mockroom.coding.runner.queue import QueuedRunner, redis_queue
from mockroom.core.config import Settings


def _submission(problem_id: str | None) -> Submission:
    problems = load_problems()
    problem = problems[problem_id] if problem_id else next(iter(problems.values()))
    return Submission(
        language="python", source=problem.reference["python"], function=problem.function,
        function_tests=[FunctionTest(input=t.input, output=t.output, hidden=t.hidden)
                        for t in tests_for(problem, include_hidden=True)],
        compare=problem.compare, limits=Limits(cpu_ms=problem.time_limit_ms),
    )


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


async def _measure(submit: Callable[[], Awaitable[RunResult]], *, runs: int, concurrency: int) -> tuple[float, list[float]]:
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []

    async def one() -> None:
        async with gate:
            started = time.monotonic()
            result = await submit()
            latencies.append(time.monotonic() - started)
            assert result.verdict == Verdict.accepted, result

    await submit()  # warm-up: imports, first connections
    started = time.monotonic()
    await asyncio.gather(*(one() for _ in range(runs)))
    return time.monotonic() - started, latencies


def _report(name: str, elapsed: float, latencies: list[float]) -> None:
    print(f"{name:<28} {len(latencies) / elapsed:8.1f} runs/s   p50 {_percentile(latencies, 50) * 1000:7.0f} ms"
          f"   p95 {_percentile(latencies, 95) * 1000:7.0f} ms")


def _start_workers(count: int, *, slots: int, redis_url: str, logs: Path) -> list[subprocess.Popen[bytes]]:
    env = {**os.environ, "MOCKROOM_REDIS_URL": redis_url}
    workers = []
    for n in range(count):
        with (logs / f"runner-{n}.log").open("wb") as log:
            workers.append(subprocess.Popen([sys.executable, "-m", "mockroom.cli", "runner", "--slots", str(slots)],
                                            env=env, stdout=subprocess.DEVNULL, stderr=log))
    deadline = time.monotonic() + 60
    while len(asyncio.run(_registered(redis_url))) < count:
        if time.monotonic() > deadline or any(w.poll() is not None for w in workers):
            _stop(workers)
            raise SystemExit(f"the runner workers did not start; see {logs}")
        time.sleep(0.2)
    return workers


async def _registered(redis_url: str) -> dict[str, object]:
    queue = redis_queue(redis_url)
    try:
        return dict((await queue.info())["workers"])
    finally:
        await queue.disconnect()


def _stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        worker.wait(timeout=30)


async def _queued(submission: Submission, *, redis_url: str, runs: int, concurrency: int) -> tuple[float, list[float]]:
    runner = QueuedRunner(redis_url=redis_url, timeout_seconds=120)
    try:
        return await _measure(lambda: runner.submit(submission=submission), runs=runs, concurrency=concurrency)
    finally:
        await runner.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=8, help="runs in flight at once")
    parser.add_argument("--slots", type=int, default=2, help="sandbox slots per process")
    parser.add_argument("--problem", default=None, help="problem id (default: the first)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    submission = _submission(args.problem)
    print(f"{args.runs} runs, {args.concurrency} in flight, {args.slots} slots per process, {os.cpu_count()} cores")

    pool = local_pool(Settings(code_runner_workers=args.slots, code_runner_queue=args.runs))
    try:
        elapsed, latencies = asyncio.run(
            _measure(lambda: pool.submit(submission=submission), runs=args.runs, concurrency=args.concurrency))
    finally:
        pool.shutdown()
    _report("in-process pool", elapsed, latencies)

    with tempfile.TemporaryDirectory() as logs:
        for count in (1, 2):
            redis.Redis.from_url(args.redis).flushdb()  # also forgets the workers of the last setup
            workers = _start_workers(count, slots=args.slots, redis_url=args.redis, logs=Path(logs))
            try:
                elapsed, latencies = asyncio.run(
                    _queued(submission, redis_url=args.redis, runs=args.runs, concurrency=args.concurrency))
            finally:
                _stop(workers)
            _report(f"queue, {count} runner worker{'s' if count > 1 else ''}", elapsed, latencies)


if __name__ == "__main__":
    main()

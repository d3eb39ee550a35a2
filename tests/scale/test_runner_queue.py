"""Code runs through the Redis queue: two real `mockroom runner` workers share the runs, and the web process runs
none itself; Redis down or no worker gives a clear 503, and single-process mode is unchanged."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient
from pydantic import ValidationError

from mockroom.api.app import create_app
from mockroom.cli import main
from mockroom.coding.factory import code_runner_from_settings
from mockroom.coding.problems.loader import load_problems
from mockroom.coding.runner import RunnerPool, RunResult, SandboxRunner, StdioTest, Submission
from mockroom.coding.runner.queue import QueuedRunner, redis_queue
from mockroom.coding.runner.worker import make_worker
from mockroom.core.config import Settings
from mockroom.core.errors import AppError

REDIS_URL = "redis://127.0.0.1:6379/14"
# Each run of this code takes a while, so one worker's slots fill up and the other worker has to take runs too.
_SUBMISSION = Submission(language="python", source="print(1)", mode="stdio", stdio_tests=[StdioTest(stdout="1")])
SLOW_WRONG = "def {name}(*args, **kwargs):\n    import time\n    time.sleep(0.3)\n    return None\n"


@pytest.fixture
def redis_url() -> str:
    """Redis database 14, emptied for the test."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).flushdb()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")
    return REDIS_URL


@contextmanager
def _client(tmp_path: Path, **settings: object) -> Iterator[TestClient]:
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'queue.db'}",
                              web_dist=tmp_path / "no-web", allowed_hosts=["testserver"], rate_limits_enabled=False,
                              **settings))  # type: ignore[arg-type]
    with TestClient(app) as client:
        yield client
    app.state.db.engine.dispose()


@pytest.fixture
def no_local_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Makes any attempt of this (the web) process to run code fail the test."""
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the web process ran code in queue mode")

    monkeypatch.setattr(RunnerPool, "submit_blocking", refuse)
    monkeypatch.setattr(SandboxRunner, "run", refuse)


def _coding_interview(client: TestClient) -> tuple[str, str]:
    """A new interview brought to its coding exercise: its id and the problem's id."""
    iid: str = client.post("/api/interviews", json={"topic": "Python", "kind": "coding"}).json()["id"]
    for _ in range(20):
        interview = client.get(f"/api/interviews/{iid}").json()
        if interview["progress"]["phase"] == "coding":
            return iid, interview["coding"]["problem"]["id"]
        client.post(f"/api/interviews/{iid}/answer", json={"text": "skip"})
    pytest.fail("the interview never reached its coding round")


def _start_workers(count: int, redis_url: str, logs: Path) -> list[subprocess.Popen[bytes]]:
    env = {**os.environ, "MOCKROOM_REDIS_URL": redis_url}
    workers = []
    for n in range(count):
        with (logs / f"runner-{n}.log").open("wb") as log:
            workers.append(subprocess.Popen([sys.executable, "-m", "mockroom.cli", "runner", "--slots", "2"],
                                            env=env, stdout=subprocess.DEVNULL, stderr=log))
    deadline = time.monotonic() + 60
    while len(asyncio.run(_registered(redis_url))) < count:
        if time.monotonic() > deadline or any(w.poll() is not None for w in workers):
            _stop(workers)
            pytest.fail("the runner workers did not start: " + " | ".join(
                (logs / f"runner-{n}.log").read_text()[-500:] for n in range(count)))
        time.sleep(0.2)
    return workers


async def _registered(redis_url: str) -> dict[str, object]:
    queue = redis_queue(redis_url)
    try:
        return dict((await queue.info())["workers"])
    finally:
        await queue.disconnect()


async def _queued(redis_url: str) -> int:
    queue = redis_queue(redis_url)
    try:
        return await queue.count("queued")
    finally:
        await queue.disconnect()


@contextmanager
def socket_closed() -> Iterator[int]:
    """A local TCP port nothing listens on, for the length of the block."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        yield int(probe.getsockname()[1])


def _stop(workers: list[subprocess.Popen[bytes]]) -> list[int | None]:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    codes = []
    for worker in workers:
        try:
            codes.append(worker.wait(timeout=30))
        except subprocess.TimeoutExpired:
            worker.kill()
            codes.append(None)
    return codes


@pytest.mark.slow
def test_two_runner_workers_share_the_runs_and_the_web_process_runs_none(tmp_path, redis_url, no_local_runs):
    workers = _start_workers(2, redis_url, tmp_path)
    try:
        with _client(tmp_path, code_queue="redis", redis_url=redis_url, code_queue_timeout_seconds=60) as client:
            runner = client.app.state.code_runner  # type: ignore[attr-defined]
            assert isinstance(runner, QueuedRunner)
            interviews = [_coding_interview(client) for _ in range(6)]
            problems = load_problems()

            def run_then_submit(iid: str, problem_id: str) -> tuple[dict, dict]:
                problem = problems[problem_id]
                wrong = SLOW_WRONG.format(name=problem.function.name)
                ran = client.post(f"/api/interviews/{iid}/code/run", json={"language": "python", "code": wrong})
                submitted = client.post(f"/api/interviews/{iid}/code/submit",
                                        json={"language": "python", "code": problem.reference["python"]})
                assert ran.status_code == 200, ran.text
                assert submitted.status_code == 200, submitted.text
                return ran.json(), submitted.json()

            with ThreadPoolExecutor(len(interviews)) as threads:
                results = list(threads.map(lambda pair: run_then_submit(*pair), interviews))

            for (ran, submitted), (_, problem_id) in zip(results, interviews, strict=True):
                problem = problems[problem_id]
                assert ran["verdict"] == "wrong_answer" and ran["total"] == len(problem.visible_tests)
                assert submitted["verdict"] == "accepted" and submitted["passed"] == submitted["total"]
                assert submitted["total"] > len(problem.visible_tests)
            assert sum(runner.runs_by_worker.values()) == 12
            assert set(runner.runs_by_worker) == set(asyncio.run(_registered(redis_url))), runner.runs_by_worker
            assert len(runner.runs_by_worker) == 2
    finally:
        assert _stop(workers) == [0, 0]


def test_queue_mode_with_redis_down_refuses_the_run_with_503(tmp_path, no_local_runs):
    with socket_closed() as port, _client(tmp_path, code_queue="redis",
                                          redis_url=f"redis://127.0.0.1:{port}/14") as client:
        iid, _ = _coding_interview(client)
        response = client.post(f"/api/interviews/{iid}/code/run", json={"language": "python", "code": "x = 1"})
        assert response.status_code == 503
        error = response.json()["error"]
        assert error["code"] == "code_queue_unavailable"
        assert "cannot be reached" in error["message"] and "not run" in error["message"]
        transcript = client.get(f"/api/interviews/{iid}").json()["messages"]
        assert not any(m["text"].startswith("Ran ") for m in transcript)


def test_queue_mode_without_workers_times_out_with_503_and_drops_the_run(tmp_path, redis_url, no_local_runs):
    with _client(tmp_path, code_queue="redis", redis_url=redis_url, code_queue_timeout_seconds=1) as client:
        iid, _ = _coding_interview(client)
        response = client.post(f"/api/interviews/{iid}/code/run", json={"language": "python", "code": "x = 1"})
        assert response.status_code == 503
        error = response.json()["error"]
        assert error["code"] == "code_runner_timeout"
        assert "no code runner picked up your code" in error["message"]
        assert asyncio.run(_queued(redis_url)) == 0, "a run nobody started stays off the queue"
        again = client.post(f"/api/interviews/{iid}/code/run", json={"language": "python", "code": "x = 1"})
        assert again.status_code == 503, "the interview is free for the next run"


class _FailingRunner:
    """A code runner that breaks, or hangs for `hang` seconds, on every run."""

    def __init__(self, hang: float = 0) -> None:
        self.hang = hang

    def run(self, *, submission: Submission, slot: int = 0) -> RunResult:
        if self.hang:
            time.sleep(self.hang)
        raise RuntimeError("the runner broke")

    def close(self) -> None:
        pass


async def _through_worker(runner: _FailingRunner, redis_url: str, timeout: float) -> AppError:
    """What a queued run gets from a worker built by `make_worker` on `runner`."""
    pool = RunnerPool(runner=runner, workers=1)
    worker = make_worker(settings=Settings(redis_url=redis_url), pool=pool)
    working = asyncio.create_task(worker.start())
    queued = QueuedRunner(redis_url=redis_url, timeout_seconds=timeout)
    try:
        await queued.submit(submission=_SUBMISSION)
    except AppError as error:
        return error
    finally:
        await queued.shutdown()
        await worker.stop()
        await asyncio.gather(working, return_exceptions=True)
        pool.shutdown()
    pytest.fail("the run was expected to fail")


def test_a_run_the_worker_fails_gets_503(redis_url):
    error = asyncio.run(_through_worker(_FailingRunner(), redis_url, timeout=20))
    assert (error.status, error.code) == (503, "code_runner_failed")


def test_a_run_a_worker_started_but_did_not_finish_gets_503(redis_url):
    error = asyncio.run(_through_worker(_FailingRunner(hang=3), redis_url, timeout=1))
    assert (error.status, error.code) == (503, "code_runner_timeout")
    assert "started your code but did not finish it" in error.message


def test_a_queued_runner_refuses_when_redis_is_down():
    with socket_closed() as port:
        runner = QueuedRunner(redis_url=f"redis://127.0.0.1:{port}/0", timeout_seconds=5)
        submission = _SUBMISSION
        with pytest.raises(Exception, match="cannot be reached") as raised:
            asyncio.run(runner.submit(submission=submission))
        assert getattr(raised.value, "status", None) == 503


def test_single_process_mode_keeps_the_local_pool_and_queue_mode_needs_redis(tmp_path):
    pool = code_runner_from_settings(Settings(data_dir=tmp_path, code_runner_workers=1))
    try:
        assert isinstance(pool, RunnerPool)
    finally:
        pool.shutdown()
    with pytest.raises(ValueError, match="redis_url is not set"):
        code_runner_from_settings(Settings(data_dir=tmp_path, code_queue="redis", redis_url=""))
    with pytest.raises(ValidationError):
        Settings(data_dir=tmp_path, code_queue="celery")  # type: ignore[arg-type]
    assert main(["runner", "--slots", "0"]) == 2

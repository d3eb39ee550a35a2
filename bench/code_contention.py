"""Code-run contention: many code submits at once (sleepers and a fork bomb) while another candidate is interviewed.

Starts the server in this process (uvicorn on a free port, SQLite in a temporary directory, the real sandbox
pool), brings several coding interviews to their exercise, then fires every submit at once, spread over those
interviews, while another candidate keeps answering a text interview. The same scripted answers are timed
first with the server idle. Prints the 5xx count (must be 0), how many submits got 429 (and 409: a second run
of one interview while its first is going), the verdicts of those that ran, and the other candidate's answer
latency p50/p95 under contention vs idle. Usage:

    sudo .venv/bin/python bench/code_contention.py [--submits N] [--interviews K] [--answers M]
"""

import argparse
import collections
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.interviews.personas import PERSONAS  # noqa: E402

from mockroom.api.app import create_app  # noqa: E402
from mockroom.coding.problems.loader import load_problems  # noqa: E402
from mockroom.core.config import Settings  # noqa: E402

SLEEPER = "def {name}(*args, **kwargs):\n    import time\n    time.sleep(60)\n"
FORK_BOMB = (
    "def {name}(*args, **kwargs):\n    import os\n    while True:\n        try:\n            os.fork()\n"
    "        except OSError:\n            pass\n"
)
OTHER_TOPIC = {"topic": "SQL", "level": "intermediate"}
PACE_SECONDS = 0.5


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _serve(settings: Settings) -> tuple[uvicorn.Server, threading.Thread, FastAPI]:
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="server", daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, app


def _coding_interview(client: httpx.Client) -> tuple[str, str]:
    """A coding interview brought to its exercise: (id, problem id)."""
    interview = client.post("/interviews", json={"topic": "Python", "kind": "coding"}).json()
    for _ in range(30):
        if interview["progress"]["phase"] == "coding":
            return interview["id"], interview["coding"]["problem"]["id"]
        client.post(f"/interviews/{interview['id']}/answer", json={"text": "skip"})
        interview = client.get(f"/interviews/{interview['id']}").json()
    raise RuntimeError(f"a coding interview never reached its exercise: {interview}")


class OtherCandidate:
    """Sits text interviews, one after another, with the same scripted answers; times every answer."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.persona = PERSONAS["average"]("average")
        self.interview_id = ""
        self.last = ""
        self.turn = 0

    def answer(self) -> tuple[float, int]:
        """One answer's round trip (seconds) and HTTP status."""
        if not self.interview_id:
            interview = self.client.post("/interviews", json=OTHER_TOPIC).json()
            self.interview_id, self.last, self.turn = interview["id"], interview["messages"][-1]["text"], 0
        text = self.persona.answer(self.last, self.turn)
        started = time.perf_counter()
        response = self.client.post(f"/interviews/{self.interview_id}/answer", json={"text": text})
        elapsed = time.perf_counter() - started
        self.turn += 1
        if response.status_code == 200:
            body = response.json()
            self.last = body["reply"]["text"]
            if body["status"] == "finished":
                self.interview_id = ""
        return elapsed, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--submits", type=int, default=40, help="code submits fired at once (one is a fork bomb)")
    parser.add_argument("--interviews", type=int, default=20, help="coding interviews they come from")
    parser.add_argument("--answers", type=int, default=60, help="timed answers with the server idle")
    options = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="mockroom-bench-"))
    # Many candidates' load from one client: the per-account rate limits would stop it before the runner does.
    settings = Settings(data_dir=data, database_url=f"sqlite:///{data / 'bench.db'}", web_dist=data / "none",
                        port=_port(), rate_limits_enabled=False)
    server, thread, app = _serve(settings)
    pool = app.state.code_runner
    base = f"http://127.0.0.1:{settings.port}/api"
    problems = load_problems()
    try:
        with httpx.Client(base_url=base, timeout=600) as client:
            coders = [_coding_interview(client) for _ in range(options.interviews)]
            other = OtherCandidate(client)
            other.answer()
            while other.interview_id:
                other.answer()  # warm-up, a whole interview: models loaded, caches filled
            other = OtherCandidate(client)
            idle = []
            for _ in range(options.answers):
                idle.append(other.answer()[0])
                time.sleep(PACE_SECONDS)

            other = OtherCandidate(client)
            statuses: collections.Counter[int] = collections.Counter()
            verdicts: collections.Counter[str] = collections.Counter()
            counting = threading.Lock()
            fired = threading.Event()

            refusals: list[float] = []

            def submit(index: int) -> None:
                # The fork bomb has an interview of its own and goes first; every 8th of the rest is a correct
                # solution, which must pass however the bomb and the sleepers behave.
                interview_id, problem_id = coders[0] if index == 0 else coders[1 + (index - 1) % (len(coders) - 1)]
                problem = problems[problem_id]
                kind = "fork bomb" if index == 0 else "correct" if index % 8 == 0 else "sleeper"
                code = {"fork bomb": FORK_BOMB, "sleeper": SLEEPER}.get(kind, problem.reference["python"])
                with httpx.Client(base_url=base, timeout=600) as own:
                    if index:
                        fired.wait()
                    before = time.perf_counter()
                    response = own.post(f"/interviews/{interview_id}/code/submit",
                                        json={"language": "python", "code": code.format(name=problem.function.name)})
                with counting:
                    statuses[response.status_code] += 1
                    if response.status_code == 200:
                        verdicts[f"{kind}: {response.json()['verdict']}"] += 1
                    elif response.status_code == 429:
                        assert int(response.headers["Retry-After"]) >= 1, response.headers
                        refusals.append(time.perf_counter() - before)

            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=options.submits) as threads:
                futures = [threads.submit(submit, 0)]
                time.sleep(0.3)  # the bomb is running
                futures += [threads.submit(submit, index) for index in range(1, options.submits)]
                time.sleep(0.5)  # every other submitter connected
                fired.set()
                busy: list[float] = []
                health: list[float] = []
                other_statuses: collections.Counter[int] = collections.Counter()
                while not all(future.done() for future in futures) or len(busy) < options.answers:
                    elapsed, status = other.answer()
                    busy.append(elapsed)
                    other_statuses[status] += 1
                    before = time.perf_counter()
                    client.get("/health")
                    health.append(time.perf_counter() - before)
                    time.sleep(PACE_SECONDS)
                for future in futures:
                    future.result()
            contention_seconds = time.perf_counter() - started
    finally:
        server.should_exit = True
        thread.join(timeout=120)
        shutil.rmtree(data, ignore_errors=True)

    ms = 1000
    errors = sum(count for status, count in statuses.items() if status >= 500)
    errors += sum(count for status, count in other_statuses.items() if status >= 500)
    print(f"machine: {os.cpu_count()} cores; code runner: {pool.workers} workers, at most {pool.max_queued} queued")
    print(f"code submits: {options.submits} at once from {options.interviews} interviews "
          f"(1 fork bomb, every 8th correct, the rest sleepers), all answered in {contention_seconds:.0f} s")
    print(f"  HTTP statuses: {dict(sorted(statuses.items()))}")
    print(f"  5xx responses (code and the other candidate): {errors}")
    print(f"  429 (queue full): {statuses[429]}, answered in at most {max(refusals, default=0) * ms:.0f} ms"
          f" (with Retry-After)   409 (that interview's run still going): {statuses[409]}")
    print(f"  verdicts of the runs: {dict(sorted(verdicts.items()))}")
    print(f"other candidate's answers: {len(idle)} idle, {len(busy)} under contention; statuses {dict(other_statuses)}")
    p50_idle, p95_idle = _percentile(idle, 50) * ms, _percentile(idle, 95) * ms
    p50_busy, p95_busy = _percentile(busy, 50) * ms, _percentile(busy, 95) * ms
    print(f"  idle              p50 {p50_idle:7.1f} ms   p95 {p95_idle:7.1f} ms")
    print(f"  under contention  p50 {p50_busy:7.1f} ms   p95 {p95_busy:7.1f} ms   "
          f"(x{p50_busy / p50_idle:.2f} / x{p95_busy / p95_idle:.2f}; target within x2)")
    print(f"  /api/health under contention: p50 {_percentile(health, 50) * ms:.1f} ms, max {max(health) * ms:.1f} ms")


if __name__ == "__main__":
    main()

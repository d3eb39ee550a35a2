"""Capacity of the text interview: how many answers a server turns around, and how fast, under load.

Two modes, both over HTTP against one base URL (a server this script starts, or --url of a running one):

- closed loop (default): for each client count (--clients, default 1,8,32) that many simulated candidates
  answer back to back with no think time for --seconds each; a finished interview is replaced by a new one.
  Prints answers/s, p50/p95 turn latency (POST .../answer) and errors per point.
- think time (--interviews N): N candidates start over --ramp seconds, and each waits uniformly 20–60 s
  before every answer, for --seconds in all: the load of N people interviewing at once. Prints p95 turn
  latency and errors.

Without --url the script starts `mockroom serve` on a free port (SQLite in a temporary directory, or
--database-url; --workers N is passed on) with rate limits off, since one bench address and account would
otherwise hit the per-address and per-account limits within seconds. A server given by --url must run with
MOCKROOM_RATE_LIMITS_ENABLED=false for the same reason; in accounts mode the script registers one account
(--email, --password) and uses its bearer token. Usage:

    .venv/bin/python bench/capacity.py                        # 1, 8, 32 clients, 20 s each
    .venv/bin/python bench/capacity.py --clients 1,8 --seconds 10
    .venv/bin/python bench/capacity.py --url http://127.0.0.1:8000 --interviews 1000 --seconds 600
"""

import argparse
import asyncio
import contextlib
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
TOPICS = ["Python", "SQL and databases", "Go", "Kubernetes", "React", "System design"]
ANSWERS = [
    "I would start by measuring where the time goes, then fix the slowest part first and measure again.",
    "A hash map gives constant-time lookups on average; I would use it to count items in one pass.",
    "In my last project I split the service into a queue and workers so that slow jobs never blocked requests.",
    "An index on the column we filter by turns the scan into a lookup, at the cost of slower writes.",
    "I am not sure, but I think the trade-off is between consistency and availability when the network splits.",
]
THINK_SECONDS = (20.0, 60.0)


@dataclass
class Tally:
    """What the simulated candidates saw: turn latencies and failures."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    interviews: int = 0

    def failed(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank) of values, or 0 when there are none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


class Candidate:
    """One simulated candidate: keeps an interview open and answers it, replacing it when it ends."""

    def __init__(self, client: httpx.AsyncClient, tally: Tally, rng: random.Random) -> None:
        self.client, self.tally, self.rng = client, tally, rng
        self.interview_id: str | None = None

    async def start(self) -> bool:
        body = {"topic": self.rng.choice(TOPICS), "level": "intermediate", "kind": "technical",
                "duration_minutes": 60}
        try:
            response = await self.client.post("/api/interviews", json=body)
        except httpx.HTTPError as error:
            self.tally.failed(f"start: {type(error).__name__}")
            return False
        if response.status_code != 201:
            self.tally.failed(f"start: HTTP {response.status_code}")
            return False
        self.interview_id = response.json()["id"]
        self.tally.interviews += 1
        return True

    async def answer(self) -> None:
        """Sends one answer (starting an interview first when none is open) and times the turn."""
        if self.interview_id is None and not await self.start():
            return
        began = time.perf_counter()
        try:
            response = await self.client.post(
                f"/api/interviews/{self.interview_id}/answer", json={"text": self.rng.choice(ANSWERS)}
            )
        except httpx.HTTPError as error:
            self.tally.failed(f"answer: {type(error).__name__}")
            return
        if response.status_code != 200:
            self.tally.failed(f"answer: HTTP {response.status_code}")
            if response.status_code == 409:  # the interview ended under us
                self.interview_id = None
            return
        self.tally.latencies.append(time.perf_counter() - began)
        if response.json()["status"] != "in_progress":
            self.interview_id = None


def new_client(url: str, token: str | None, connections: int) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=120.0)


async def closed_loop(url: str, token: str | None, *, clients: int, seconds: float) -> tuple[Tally, float]:
    """`clients` candidates answering back to back for `seconds`; returns the tally and the time measured."""
    tally = Tally()
    async with new_client(url, token, clients) as client:
        candidates = [Candidate(client, tally, random.Random(n)) for n in range(clients)]
        await asyncio.gather(*(c.start() for c in candidates))
        began = time.perf_counter()
        deadline = began + seconds

        async def run(candidate: Candidate) -> None:
            while time.perf_counter() < deadline:
                await candidate.answer()

        await asyncio.gather(*(run(c) for c in candidates))
        return tally, time.perf_counter() - began


async def think_time(url: str, token: str | None, *, interviews: int, seconds: float, ramp: float) -> Tally:
    """`interviews` candidates started evenly over `ramp` s, each thinking 20–60 s before every answer."""
    tally = Tally()
    deadline = time.perf_counter() + seconds
    async with new_client(url, token, interviews) as client:

        async def run(n: int) -> None:
            rng = random.Random(n)
            candidate = Candidate(client, tally, rng)
            await asyncio.sleep(ramp * n / interviews)
            if not await candidate.start():
                return
            while True:
                pause = rng.uniform(*THINK_SECONDS)
                if time.perf_counter() + pause > deadline:
                    return
                await asyncio.sleep(pause)
                await candidate.answer()

        await asyncio.gather(*(run(n) for n in range(interviews)))
    return tally


async def bearer_token(url: str, *, email: str, password: str) -> str | None:
    """None in local mode; in accounts mode, a token of the bench account (registered when new)."""
    async with httpx.AsyncClient(base_url=url, timeout=30.0) as client:
        try:
            me = await client.get("/api/auth/me")
        except httpx.HTTPError as error:
            raise SystemExit(f"Cannot reach {url}: {error}") from error
        if me.status_code == 200:
            return None
        credentials = {"email": email, "password": password}
        registered = await client.post("/api/auth/register", json=credentials)
        if registered.status_code not in (201, 409):
            raise SystemExit(f"Could not register the bench account: HTTP {registered.status_code} {registered.text}")
        login = await client.post("/api/auth/login", json=credentials)
        if login.status_code != 200:
            raise SystemExit(f"Could not sign in as {email}: HTTP {login.status_code} {login.text}")
        return str(login.json()["access_token"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def started_server(*, workers: int, database_url: str | None) -> Iterator[str]:
    """A `mockroom serve` child process with rate limits and voice off; yields its base URL."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="mockroom-capacity-") as data_dir:
        env = {**os.environ, "MOCKROOM_DATA_DIR": data_dir, "MOCKROOM_RATE_LIMITS_ENABLED": "false",
               "MOCKROOM_VOICE_ENABLED": "false"}
        if database_url:
            env["MOCKROOM_DATABASE_URL"] = database_url
        command = [sys.executable, "-m", "mockroom", "serve", "--port", str(port)]
        if workers > 1:
            command += ["--workers", str(workers)]
        log_path = Path(data_dir) / "server.log"
        with open(log_path, "wb") as log:
            server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(url, server, log_path=log_path)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def wait_until_up(url: str, server: subprocess.Popen[bytes], *, log_path: Path, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server exited ({server.returncode}):\n{log_path.read_text(errors='replace')}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/api/health", timeout=2.0).status_code == 200:
                return
        time.sleep(0.5)
    raise SystemExit(f"The server did not answer /api/health within {timeout:.0f} s")


def error_summary(tally: Tally) -> str:
    return ", ".join(f"{kind} ×{count}" for kind, count in sorted(tally.error_kinds.items())) or "-"


async def measure(url: str, args: argparse.Namespace) -> None:
    token = await bearer_token(url, email=args.email, password=args.password)
    if args.interviews:
        ramp = args.ramp if args.ramp is not None else min(60.0, args.seconds / 2)
        print(f"Think time {THINK_SECONDS[0]:.0f}–{THINK_SECONDS[1]:.0f} s, {args.interviews} interviews "
              f"started over {ramp:.0f} s, {args.seconds:.0f} s in all, against {url}")
        tally = await think_time(url, token, interviews=args.interviews, seconds=args.seconds, ramp=ramp)
        print(f"{'interviews':>10} {'answers':>8} {'answers/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}  kinds")
        rate = len(tally.latencies) / args.seconds
        print(f"{tally.interviews:>10} {len(tally.latencies):>8} {rate:>10.1f} "
              f"{percentile(tally.latencies, 50) * 1000:>8.0f} {percentile(tally.latencies, 95) * 1000:>8.0f} "
              f"{tally.errors:>7}  {error_summary(tally)}")
        return
    print(f"Closed loop, no think time, {args.seconds:.0f} s per point, against {url}")
    print(f"{'clients':>7} {'answers':>8} {'answers/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}  kinds")
    for clients in args.clients:
        tally, elapsed = await closed_loop(url, token, clients=clients, seconds=args.seconds)
        print(f"{clients:>7} {len(tally.latencies):>8} {len(tally.latencies) / elapsed:>10.1f} "
              f"{percentile(tally.latencies, 50) * 1000:>8.0f} {percentile(tally.latencies, 95) * 1000:>8.0f} "
              f"{tally.errors:>7}  {error_summary(tally)}", flush=True)


def client_counts(text: str) -> list[int]:
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of numbers") from error
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("give at least one client count, each 1 or more")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="base URL of a running server (default: start one)")
    parser.add_argument("--clients", type=client_counts, default=[1, 8, 32], help="closed-loop points, e.g. 1,8,32")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each point (or of the think-time run)")
    parser.add_argument("--interviews", type=int, default=0, help="think-time mode: this many candidates at once")
    parser.add_argument("--ramp", type=float, default=None, help="think-time mode: seconds to start them all")
    parser.add_argument("--workers", type=int, default=1, help="started server: `mockroom serve --workers`")
    parser.add_argument("--database-url", default=None, help="started server: its MOCKROOM_DATABASE_URL")
    parser.add_argument("--email", default="capacity-bench@example.com", help="bench account in accounts mode")
    parser.add_argument("--password", default="capacity-bench-password", help="its password")
    args = parser.parse_args()
    if args.seconds <= 0 or args.interviews < 0 or args.workers < 1:
        parser.error("--seconds must be positive, --interviews 0 or more, --workers 1 or more")
    if args.url:
        asyncio.run(measure(args.url.rstrip("/"), args))
        return
    with started_server(workers=args.workers, database_url=args.database_url) as url:
        asyncio.run(measure(url, args))


if __name__ == "__main__":
    main()

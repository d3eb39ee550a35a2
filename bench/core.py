"""Core benchmark: per-turn latency over whole interviews, CV parsing, report time and server memory.

Starts a real server (uvicorn, SQLite in a temporary directory), drives scripted candidates
through whole interviews over HTTP and prints the figures. Usage:

    .venv/bin/python bench/core.py [--interviews N]
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.cv.conftest import build_pdf_cv  # noqa: E402
from tests.interviews.personas import PERSONAS  # noqa: E402

TOPICS = [
    {"topic": "Python", "level": "intermediate"},
    {"topic": "growth marketing for startups", "level": "beginner"},
    {"topic": "system design", "level": "advanced", "kind": "system_design"},
    {"topic": "people management", "level": "advanced", "kind": "behavioral"},
]


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--interviews", type=int, default=16)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="mockroom-bench-"))
    port = _port()
    # A benchmark sends requests far faster than a person, so rate limits are off.
    env = {**os.environ, "MOCKROOM_DATA_DIR": str(data), "MOCKROOM_WEB_DIST": str(data / "none"),
           "MOCKROOM_RATE_LIMITS_ENABLED": "false"}
    env.pop("MOCKROOM_DATABASE_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "mockroom", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/api"
    try:
        with httpx.Client(timeout=120) as client:
            for _ in range(300):
                try:
                    client.get(f"{base}/health")
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            client.post(f"{base}/interviews", json={"topic": "warm-up"})
            rss_idle = _rss_mb(server.pid)

            pdf = build_pdf_cv()
            parse_times = []
            for _ in range(10):
                start = time.perf_counter()
                response = client.post(f"{base}/cv/parse", files={"cv": ("cv.pdf", pdf, "application/pdf")})
                parse_times.append(time.perf_counter() - start)
                assert response.status_code == 200, response.text

            turn_times, start_times, report_times = [], [], []
            personas = ["strong", "average", "weak", "asker"]
            for index in range(args.interviews):
                settings = TOPICS[index % len(TOPICS)]
                persona = PERSONAS[personas[index % len(personas)]](personas[index % len(personas)])
                start = time.perf_counter()
                interview = client.post(f"{base}/interviews", json=settings).json()
                start_times.append(time.perf_counter() - start)
                last = interview["messages"][-1]["text"]
                for turn in range(80):
                    text = persona.answer(last, turn)
                    start = time.perf_counter()
                    body = client.post(f"{base}/interviews/{interview['id']}/answer", json={"text": text}).json()
                    turn_times.append(time.perf_counter() - start)
                    last = body["reply"]["text"]
                    if body["status"] == "finished":
                        break
                start = time.perf_counter()
                client.get(f"{base}/interviews/{interview['id']}/report")
                report_times.append(time.perf_counter() - start)
                # A report built on demand: end an interview that is still in progress.
                fresh = client.post(f"{base}/interviews", json=settings).json()
                for text in ("I have five years of experience in this field at two companies.",
                             "I would start by measuring, because without data any change is a guess."):
                    client.post(f"{base}/interviews/{fresh['id']}/answer", json={"text": text})
                start = time.perf_counter()
                client.post(f"{base}/interviews/{fresh['id']}/end")
                report_times.append(time.perf_counter() - start)
            rss_after = _rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait()

    ms = 1000
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the end")
    print(f"interviews: {args.interviews}, turns: {len(turn_times)}")
    print(f"turn latency (HTTP round trip)  p50 {_percentile(turn_times, 50) * ms:6.1f} ms   "
          f"p95 {_percentile(turn_times, 95) * ms:6.1f} ms   max {max(turn_times) * ms:6.1f} ms")
    print(f"interview start                 p50 {_percentile(start_times, 50) * ms:6.1f} ms   "
          f"p95 {_percentile(start_times, 95) * ms:6.1f} ms")
    print(f"CV parse, two-page PDF (HTTP)   median {statistics.median(parse_times) * ms:6.1f} ms   "
          f"max {max(parse_times) * ms:6.1f} ms")
    print(f"report (end + build, or fetch)  p50 {_percentile(report_times, 50) * ms:6.1f} ms   "
          f"max {max(report_times) * ms:6.1f} ms")
    print(f"server RSS                      after warm-up {rss_idle:6.1f} MB   after run {rss_after:6.1f} MB")


if __name__ == "__main__":
    main()

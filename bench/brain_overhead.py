"""Brain-layer overhead: an interview turn with the LLM brain against the provider time it spends.

Runs the app in-process with the LLM brain pointed at the scripted fake model (every model call
answered after a fixed delay), drives whole interviews, and for each turn compares its latency with
(model calls in that turn) x (the raw latency of one call), measured in the same run. Also prints the
time to the first streamed token of a reply through the streaming answer endpoint. Usage:

    .venv/bin/python bench/brain_overhead.py [--delay-ms 200] [--interviews 3]
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.brains.fake_llm import FakeLLMServer  # noqa: E402
from tests.interviews.personas import PERSONAS  # noqa: E402

from mockroom.api.app import create_app  # noqa: E402
from mockroom.core.config import Settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay-ms", type=int, default=200)
    parser.add_argument("--interviews", type=int, default=3)
    args = parser.parse_args()
    with FakeLLMServer() as fake, tempfile.TemporaryDirectory() as tmp:
        fake.script.delay_seconds = args.delay_ms / 1000
        raw = []
        body = {"model": "m", "messages": [{"role": "user", "content": "Ask ONE follow-up question\n<data>\nx\n</data>"}]}
        for _ in range(10):
            start = time.perf_counter()
            httpx.post(f"{fake.base_url}/chat/completions", json=body, timeout=30)
            raw.append(time.perf_counter() - start)
        call = statistics.median(raw)

        settings = Settings(
            data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/bench.db", web_dist=Path(tmp) / "none",
            llm_provider="openai", llm_base_url=fake.base_url, llm_model="scripted", llm_api_key="k",
            rate_limits_enabled=False,
        )
        client = TestClient(create_app(settings, warm=False))
        ratios, overheads, first_tokens = [], [], []
        for _ in range(args.interviews):
            persona = PERSONAS["strong"]("strong")
            interview = client.post("/api/interviews", json={"topic": "Elixir", "level": "intermediate",
                                                              "kind": "technical"}).json()
            last = interview["messages"][-1]["text"]
            for turn in range(40):
                text = persona.answer(last, turn)
                calls_before = len(fake.script.requests)
                start = time.perf_counter()
                if turn % 2:
                    first = None
                    with client.stream("POST", f"/api/interviews/{interview['id']}/answer/stream",
                                       json={"text": text}) as response:
                        body_text = ""
                        for chunk in response.iter_text():
                            if first is None and "event: delta" in chunk:
                                first = time.perf_counter() - start
                            body_text += chunk


                    reply = json.loads(body_text.strip().split("\n\n")[-1].split("data: ", 1)[1])
                    if first is not None:
                        first_tokens.append(first)
                else:
                    reply = client.post(f"/api/interviews/{interview['id']}/answer", json={"text": text}).json()
                elapsed = time.perf_counter() - start
                calls = len(fake.script.requests) - calls_before
                if calls:
                    ratios.append(elapsed / (calls * call))
                    overheads.append(elapsed - calls * call)
                last = reply["reply"]["text"]
                if reply["status"] == "finished":
                    break
    print(f"raw model call (fake, {args.delay_ms} ms delay): median {call * 1000:.1f} ms")
    print(f"turns with model calls: {len(ratios)}")
    print(f"turn latency / model time  median {statistics.median(ratios):.3f}   max {max(ratios):.3f}")
    print(f"brain overhead per turn    median {statistics.median(overheads) * 1000:.1f} ms   "
          f"p95 {sorted(overheads)[int(0.95 * (len(overheads) - 1))] * 1000:.1f} ms")
    if first_tokens:
        print(f"time to first streamed token (SSE)  median {statistics.median(first_tokens) * 1000:.1f} ms")


if __name__ == "__main__":
    main()

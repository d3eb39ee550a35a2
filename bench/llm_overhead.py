"""LLM provider overhead: the adapter's latency over raw HTTP against a fake server with a fixed delay.

Starts the fake OpenAI-compatible server from the provider tests on a loopback port, answering every
request after a fixed pause, and compares a bare httpx request with `OpenAICompatProvider.complete()`
(whole reply) and `.stream()` (time to first token). Usage:

    .venv/bin/python bench/llm_overhead.py [--requests N] [--delay-ms MS]
"""

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.providers.fake_servers import FakeServer, openai_reply  # noqa: E402

from mockroom.providers.llm.base import ChatMessage  # noqa: E402
from mockroom.providers.llm.openai_compat import OpenAICompatProvider  # noqa: E402

MESSAGES = [
    ChatMessage(role="system", content="You are a concise technical interviewer."),
    ChatMessage(role="user", content="Ask me one question about Python generators."),
]


def _body(stream: bool) -> dict[str, object]:
    body: dict[str, object] = {
        "model": "fake-model",
        "messages": [{"role": message.role, "content": message.content} for message in MESSAGES],
        "max_tokens": 256,
        "temperature": 0.3,
    }
    if stream:
        body |= {"stream": True, "stream_options": {"include_usage": True}}
    return body


def _delta(chunk: dict[str, Any]) -> str:
    choices = chunk.get("choices") or [{}]
    return str(choices[0].get("delta", {}).get("content") or "")


def _median_ms(runs: int, call: Callable[[], None]) -> float:
    call()  # warm the connection pool
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--delay-ms", type=float, default=200.0)
    args = parser.parse_args()

    with FakeServer(openai_reply, delay=args.delay_ms / 1000) as server:
        url = f"{server.url}/v1"
        raw = httpx.Client(base_url=url, timeout=30)
        provider = OpenAICompatProvider(base_url=url, model="fake-model", timeout=30)

        def raw_complete() -> None:
            raw.post("/chat/completions", json=_body(stream=False)).json()

        def raw_first_token() -> None:
            with raw.stream("POST", "/chat/completions", json=_body(stream=True)) as response:
                for line in response.iter_lines():
                    if line.startswith("data: {") and _delta(json.loads(line[6:])):
                        return

        def adapter_complete() -> None:
            provider.complete(MESSAGES, max_tokens=256)

        def adapter_first_token() -> None:
            stream = provider.stream(MESSAGES, max_tokens=256)
            next(stream)
            stream.close()

        rows = [
            ("complete (whole reply)", _median_ms(args.requests, raw_complete), _median_ms(args.requests, adapter_complete)),
            ("stream, first token", _median_ms(args.requests, raw_first_token), _median_ms(args.requests, adapter_first_token)),
        ]
        raw.close()
        provider.close()

    print(f"Fake server delay {args.delay_ms:.0f} ms, {args.requests} requests each, medians:")
    print(f"{'call':<24} {'raw httpx ms':>13} {'adapter ms':>11} {'overhead ms':>12} {'ratio':>7}")
    for name, raw_ms, adapter_ms in rows:
        print(f"{name:<24} {raw_ms:>13.1f} {adapter_ms:>11.1f} {adapter_ms - raw_ms:>12.1f} {adapter_ms / raw_ms:>7.3f}")


if __name__ == "__main__":
    main()

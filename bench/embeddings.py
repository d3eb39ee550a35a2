"""Sentence-embedding latency of the NumPy and onnxruntime paths, side by side in one run.

Milliseconds per `encode` call for (a) one 100-word answer, (b) the same answer as its sentences in one call and
(c) 64 short texts: p50 and p95 over repeated calls, and how many times faster onnxruntime is at the p50; then the
CPU time each call takes from the machine, counting every thread and the spinning after it. Calls alternate between
the paths so that a change in the machine's load hits both alike, with a pause after each: NumPy's OpenBLAS threads
keep a core spinning for about 0.1 s after a call, which would slow whatever runs next. Usage:

    .venv/bin/python bench/embeddings.py [--repeats 30]
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mockroom.text.embeddings import SentenceEncoder  # noqa: E402
from mockroom.text.sentences import sentences, words  # noqa: E402

ANSWER = (
    "I would shard the orders table by customer id, because almost every query filters on the customer and that "
    "keeps each request on one node. A small lookup service maps customers to shards, so we can move a hot tenant "
    "later without downtime. Writes go to the primary of each shard and reads can use replicas when slightly stale "
    "data is fine. For reports that span customers I would stream changes into a warehouse instead of querying every "
    "shard. The risk is rebalancing, so I would start with many logical shards on few machines and then monitor "
    "their size closely."
)
SHORT_TEXTS = [
    f"{subject} {verb} {thing}"
    for subject in ("caching", "sharding", "indexes", "queues", "retries", "replicas", "locks", "timeouts")
    for verb, thing in (("cut", "latency"), ("add", "complexity"), ("need", "monitoring"), ("help", "throughput"),
                        ("hide", "failures"), ("cost", "memory"), ("change", "consistency"), ("fix", "hot spots"))
]


_PAUSE_SECONDS = 0.25


def _percentile(values: list[float], pct: float) -> float:
    return float(np.percentile(values, pct))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    parts = sentences(ANSWER)
    assert len(words(ANSWER)) == 100 and 5 <= len(parts) <= 8 and len(SHORT_TEXTS) == 64
    cases = {"one 100-word text": [ANSWER], f"{len(parts)} sentences, one call": parts, "64 short texts": SHORT_TEXTS}

    encoders = {}
    for runtime in ("numpy", "onnx"):
        started = time.perf_counter()
        encoders[runtime] = SentenceEncoder(runtime=runtime)
        print(f"{runtime:>5} encoder ready in {time.perf_counter() - started:.2f} s")
    for texts in cases.values():
        for encoder in encoders.values():
            encoder.encode(texts)

    print(f"\n{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; ms per call over {args.repeats} calls")
    print(f"{'case':<26}{'NumPy p50':>11}{'p95':>9}{'ONNX p50':>11}{'p95':>9}{'speed-up':>10}{'CPU ms NumPy/ONNX':>20}")
    for name, texts in cases.items():
        times: dict[str, list[float]] = {runtime: [] for runtime in encoders}
        cpu: dict[str, list[float]] = {runtime: [] for runtime in encoders}
        for _ in range(args.repeats):
            for runtime, encoder in encoders.items():
                started, cpu_started = time.perf_counter(), time.process_time()
                encoder.encode(texts)
                times[runtime].append((time.perf_counter() - started) * 1000)
                time.sleep(_PAUSE_SECONDS)
                cpu[runtime].append((time.process_time() - cpu_started) * 1000)
        numpy_p50, onnx_p50 = _percentile(times["numpy"], 50), _percentile(times["onnx"], 50)
        print(
            f"{name:<26}{numpy_p50:>11.1f}{_percentile(times['numpy'], 95):>9.1f}"
            f"{onnx_p50:>11.1f}{_percentile(times['onnx'], 95):>9.1f}{numpy_p50 / onnx_p50:>9.1f}x"
            f"{_percentile(cpu['numpy'], 50):>12.0f} / {_percentile(cpu['onnx'], 50):.0f}"
        )


if __name__ == "__main__":
    main()

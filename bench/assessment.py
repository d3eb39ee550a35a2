"""Per-answer assessment latency of the embedded brain (learned assessor included), on corpus answers.

    .venv/bin/python bench/assessment.py [--answers 300]

Prints p50/p95/max milliseconds per answer, split by answer length, after a warm-up, on whatever CPU this runs.
The encoder's thread count follows onnxruntime's or NumPy's defaults for the machine.
"""

import argparse
import random
import statistics
import time

from mockroom.assessor.dataset import load_corpus
from mockroom.assessor.train import as_draft
from mockroom.brains.embedded import EmbeddedBrain
from mockroom.questions.vectors import warm_up
from mockroom.vocabulary import InterviewContext


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--answers", type=int, default=300)
    args = parser.parse_args()
    warm_up()
    brain = EmbeddedBrain()
    context = InterviewContext(topic="bench", level="intermediate", kind="mixed", duration_minutes=25)
    examples = random.Random(7).sample(list(load_corpus()), args.answers)
    for example in examples[:20]:
        brain.assess(context=context, question=as_draft(example), answer=example.answer)
    timings: dict[str, list[float]] = {"short (<60 words)": [], "medium (60-150)": [], "long (>150)": []}
    every: list[float] = []
    for example in examples:
        draft = as_draft(example)
        started = time.perf_counter()
        brain.assess(context=context, question=draft, answer=example.answer)
        elapsed = (time.perf_counter() - started) * 1000
        count = len(example.answer.split())
        bucket = "short (<60 words)" if count < 60 else "medium (60-150)" if count <= 150 else "long (>150)"
        timings[bucket].append(elapsed)
        every.append(elapsed)
    print(f"assessment of {len(every)} corpus answers (ms per answer)")
    for name, values in [("all", every), *timings.items()]:
        if values:
            print(f"  {name:18} n={len(values):4d}  p50 {statistics.median(values):6.1f}  "
                  f"p95 {percentile(values, 0.95):6.1f}  max {max(values):6.1f}")


if __name__ == "__main__":
    main()

"""Evaluates the shipped assessor on the corpus's held-out topics and prints the figures.

    python -m mockroom.assessor.evaluate     (or: mockroom assessor evaluate)

Pairwise accuracy (of two answers to the same question with different grades, the better-graded one scores
higher; ties count half), the same over all pairs of the held-out set, Spearman correlation, mean absolute error,
a confusion table of true against predicted grade, and the two guards the product relies on: a grade-5 concrete
answer never below 3.5, a grade-2 buzzword answer never above 2.5.
"""

import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from mockroom.assessor.dataset import Example, held_out_topics, load_corpus
from mockroom.assessor.model import WEIGHTS_PATH, Array

OFF_TOPIC_STYLES = {"off_topic", "wrong_question"}


def _ranks(values: Array) -> Array:
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values), dtype=np.float64)
    for value in np.unique(values):
        tied = values == value
        ranks[tied] = ranks[tied].mean()
    return ranks


def spearman(a: Array, b: Array) -> float:
    """Spearman's rank correlation (ties get their average rank)."""
    ra, rb = _ranks(np.asarray(a, dtype=np.float64)), _ranks(np.asarray(b, dtype=np.float64))
    return float(np.corrcoef(ra, rb)[0, 1])


def pairwise_accuracy(truth: Array, predicted: Array, groups: Sequence[str] | None = None) -> float:
    """Share of pairs with different true grades that the prediction orders the same way (ties count half)."""
    members: dict[str, list[int]] = defaultdict(list)
    for index in range(len(truth)):
        members[groups[index] if groups is not None else ""].append(index)
    right = total = 0.0
    for indices in members.values():
        t, p = truth[indices], predicted[indices]
        diff_t = np.sign(t[:, None] - t[None, :])
        diff_p = np.sign(p[:, None] - p[None, :])
        mask = diff_t > 0
        total += float(mask.sum())
        right += float(((diff_p == 1) & mask).sum()) + 0.5 * float(((diff_p == 0) & mask).sum())
    return right / total if total else float("nan")


def _metrics(examples: Sequence[Example], grades: Array, on_topic: Array) -> dict[str, Any]:
    truth = np.array([e.grade for e in examples], dtype=np.float64)
    rounded = np.clip(np.rint(grades), 1, 5).astype(int)
    confusion = np.zeros((5, 5), dtype=int)
    for t, p in zip(truth.astype(int), rounded, strict=True):
        confusion[t - 1, p - 1] += 1
    concrete = [g for e, g in zip(examples, grades, strict=True) if e.grade == 5 and e.style == "concrete_story"]
    buzz = [g for e, g in zip(examples, grades, strict=True) if e.grade == 2 and e.style == "buzzword_vague"]
    off = np.array([e.style in OFF_TOPIC_STYLES for e in examples])
    solid_on_topic = np.array([e.style not in OFF_TOPIC_STYLES and e.grade >= 3 for e in examples])
    return {
        "answers": len(examples),
        "topics": sorted({e.topic for e in examples}),
        "pairwise_within_question": pairwise_accuracy(truth, grades, [e.question_id for e in examples]),
        "pairwise_all": pairwise_accuracy(truth, grades),
        "spearman": spearman(truth, grades),
        "mae": float(np.abs(truth - grades).mean()),
        "confusion": confusion.tolist(),
        "grade5_concrete_min": float(min(concrete)) if concrete else None,
        "grade5_concrete_count": len(concrete),
        "grade2_buzzword_max": float(max(buzz)) if buzz else None,
        "grade2_buzzword_count": len(buzz),
        "off_topic_recall": float((on_topic[off] < 0.5).mean()) if off.any() else None,
        "false_off_topic": float((on_topic[solid_on_topic] < 0.5).mean()) if solid_on_topic.any() else None,
        "mae_by_style": {
            style: round(float(np.abs(truth[mask] - grades[mask]).mean()), 2)
            for style in sorted({e.style for e in examples})
            for mask in [np.array([e.style == style for e in examples])]
        },
    }


def evaluate(
    examples: Sequence[Example], grades: Array, on_topic: Array, covered: Array, point_labels: Array,
    point_owner: Array,
) -> dict[str, Any]:
    """Metrics on the training and the held-out topics."""
    held = held_out_topics()
    result: dict[str, Any] = {}
    for name, keep in (("training", lambda e: e.topic not in held), ("held_out", lambda e: e.topic in held)):
        rows = [i for i, e in enumerate(examples) if keep(e)]
        result[name] = _metrics([examples[i] for i in rows], grades[rows], on_topic[rows])
        point_mask = np.isin(point_owner, rows)
        predicted = covered[point_mask] > 0.5
        labels = point_labels[point_mask] > 0.5
        true_positive = float((predicted & labels).sum())
        precision = true_positive / max(float(predicted.sum()), 1.0)
        recall = true_positive / max(float(labels.sum()), 1.0)
        result[name]["coverage"] = {
            "accuracy": float((predicted == labels).mean()),
            "precision": precision,
            "recall": recall,
        }
    return result


def print_report(result: dict[str, Any]) -> None:
    """The evaluation as a plain-text table."""
    for name in ("held_out", "training"):
        m = result[name]
        print(f"\n{name.replace('_', '-')} topics ({m['answers']} answers): {', '.join(m['topics'])}")
        print(f"  pairwise accuracy, same question   {m['pairwise_within_question']:.3f}")
        print(f"  pairwise accuracy, all pairs       {m['pairwise_all']:.3f}")
        print(f"  Spearman correlation               {m['spearman']:.3f}")
        print(f"  mean absolute error (grades)       {m['mae']:.3f}")
        if m["grade5_concrete_min"] is not None:
            print(f"  lowest grade-5 concrete answer     {m['grade5_concrete_min']:.2f} "
                  f"(of {m['grade5_concrete_count']}; must be >= 3.5)")
        if m["grade2_buzzword_max"] is not None:
            print(f"  highest grade-2 buzzword answer    {m['grade2_buzzword_max']:.2f} "
                  f"(of {m['grade2_buzzword_count']}; must be <= 2.5)")
        if m["off_topic_recall"] is not None:
            print(f"  off-topic answers caught           {m['off_topic_recall']:.3f}")
            print(f"  solid answers called off-topic     {m['false_off_topic']:.3f}")
        c = m["coverage"]
        print(f"  key-point coverage                 accuracy {c['accuracy']:.3f}, precision {c['precision']:.3f}, "
              f"recall {c['recall']:.3f}")
        print("  confusion (rows: true grade 1-5; columns: predicted, rounded)")
        for grade, row in enumerate(m["confusion"], start=1):
            print(f"    {grade}: " + " ".join(f"{n:4d}" for n in row))
        print("  mean absolute error by style: " + ", ".join(f"{k} {v}" for k, v in m["mae_by_style"].items()))


def main(argv: list[str] | None = None) -> int:
    from mockroom.assessor.train import measure_corpus, predictions

    examples = load_corpus()
    data = measure_corpus(examples)
    with WEIGHTS_PATH.open(encoding="utf-8") as handle:
        weights = json.load(handle)
    grades, on_topic, covered = predictions(weights, data)
    result = evaluate(examples, grades, on_topic, covered, data["point_labels"], data["point_owner"])
    if argv and "--json" in argv:
        json.dump(result, sys.stdout, indent=2)
        print()
    else:
        print_report(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

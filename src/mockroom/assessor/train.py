"""Trains the assessor on the training topics of the corpus and writes weights.json.

    python -m mockroom.assessor.train            # measure the corpus, train, write the weights, evaluate
    python -m mockroom.assessor.train --check    # train in memory and evaluate only

Deterministic: fixed seeds, full-batch optimisation. Measuring the corpus takes a minute or two on two cores
(every answer goes through the sentence encoder); the measurements are cached under the cache directory, keyed by
the corpus and the feature code, so retraining after a change to the model alone takes seconds.
"""

import argparse
import hashlib
import json
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mockroom.assessor import features as features_module
from mockroom.assessor.dataset import Example, held_out_topics, load_corpus
from mockroom.assessor.evaluate import evaluate, print_report
from mockroom.assessor.features import POINT_FEATURES, lexical, semantic
from mockroom.assessor.model import (
    GRADE_FEATURES,
    WEIGHTS_PATH,
    Array,
    Assessor,
    coverage_summary,
    logistic,
)
from mockroom.core.config import get_settings
from mockroom.vocabulary import QuestionDraft

HIDDEN = 6
MEMBERS = 5
EPOCHS = 1500
L2 = 1e-2
OFF_TOPIC_STYLES = {"off_topic", "wrong_question"}


def as_draft(example: Example) -> QuestionDraft:
    """The question of a corpus example as the interview would hold it."""
    return QuestionDraft(
        text=example.question, key_points=list(example.key_points), follow_ups=[],
        model_answer=example.model_answer, ref=example.question_id, kind=example.kind,
    )


def _cache_path() -> Path:
    """Where the encoder-based measurements are cached, keyed by their version and the code they depend on."""
    digest = hashlib.sha256(str(features_module.SEMANTIC_VERSION).encode())
    root = Path(features_module.__file__).parents[1]
    for path in ("text/sentences.py", "questions/rubric.py"):
        digest.update((root / path).read_bytes())
    return Path(get_settings().cache_dir) / f"assessor-semantic-{digest.hexdigest()[:16]}.pickle"


def _key(example: Example) -> str:
    return hashlib.sha256(
        "\x00".join([example.question, *example.key_points, example.model_answer, example.answer]).encode()
    ).hexdigest()


def measure_corpus(examples: Sequence[Example]) -> dict[str, Any]:
    """Answer features, per-point features with their labels, and the point-to-answer index.

    The encoder-based part of each answer's measurement is cached on disk (a local cache of our own, hence pickle),
    so adding answers or changing the word-level features only measures what is new.
    """
    path = _cache_path()
    cache: dict[str, tuple[Array, Array]] = {}
    if path.is_file():
        with path.open("rb") as handle:
            cache = pickle.load(handle)
    answer_rows, point_rows, point_labels, point_owner = [], [], [], []
    fresh = 0
    for number, example in enumerate(examples):
        key = _key(example)
        draft = as_draft(example)
        if key not in cache:
            measured = semantic(draft, example.answer)
            cache[key] = (measured.vector.astype(np.float64), measured.point_features.astype(np.float64))
            fresh += 1
            if fresh % 200 == 0:
                print(f"  measured {fresh} new answers", file=sys.stderr)
        vector, points = cache[key]
        answer_rows.append(np.concatenate([vector, lexical(draft, example.answer).astype(np.float64)]))
        for index, row in enumerate(points):
            point_rows.append(row)
            point_labels.append(float(index in example.covers))
            point_owner.append(number)
    if fresh:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            pickle.dump(cache, handle)
    return {
        "answers": np.array(answer_rows, dtype=np.float64),
        "points": np.array(point_rows, dtype=np.float64).reshape(-1, len(POINT_FEATURES)),
        "point_labels": np.array(point_labels),
        "point_owner": np.array(point_owner, dtype=np.int64),
    }


def fit_logistic(
    x: Array, y: Array, *, l2: float = 1e-3, steps: int = 3000, balanced: bool = False
) -> tuple[Array, float]:
    """Logistic regression by gradient descent (full batch; the data are small); `balanced` weighs both classes
    equally, for a rare class such as off-topic answers."""
    weights, bias = np.zeros(x.shape[1]), 0.0
    rate = 0.5
    sample = np.ones(len(y))
    if balanced:
        positives = max(float(y.sum()), 1.0)
        sample = np.where(y > 0.5, len(y) / (2 * positives), len(y) / (2 * max(len(y) - positives, 1.0)))
    for _ in range(steps):
        p = logistic(x, weights, bias)
        error = (p - y) * sample
        weights -= rate * (x.T @ error / len(y) + l2 * weights)
        bias -= rate * float(error.mean())
    return weights, bias


def fit_mlp(x: Array, y: Array, *, seed: int) -> dict[str, Array]:
    """One small tanh network regressing the grade, trained with Adam on squared error plus L2."""
    rng = np.random.default_rng(seed)
    params = {
        "w1": rng.normal(0, 1 / np.sqrt(x.shape[1]), (x.shape[1], HIDDEN)),
        "b1": np.zeros(HIDDEN),
        "w2": rng.normal(0, 1 / np.sqrt(HIDDEN), (HIDDEN, 1)),
        "b2": np.array([3.0]),
    }
    moments = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}
    rate, beta1, beta2 = 0.01, 0.9, 0.999
    for step in range(1, EPOCHS + 1):
        hidden = np.tanh(x @ params["w1"] + params["b1"])
        out = (hidden @ params["w2"] + params["b2"]).reshape(-1)
        error = (out - y)[:, None] * (2 / len(y))
        grads = {"w2": hidden.T @ error + L2 * params["w2"], "b2": error.sum(axis=0)}
        back = (error @ params["w2"].T) * (1 - hidden**2)
        grads["w1"] = x.T @ back + L2 * params["w1"]
        grads["b1"] = back.sum(axis=0)
        for key, grad in grads.items():
            m, v = moments[key]
            m[:] = beta1 * m + (1 - beta1) * grad
            v[:] = beta2 * v + (1 - beta2) * grad**2
            params[key] -= rate * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + 1e-8)
    return params


def train(examples: Sequence[Example], data: dict[str, Any], rows: Sequence[int]) -> dict[str, Any]:
    """Weights for the three models, fitted on the given example rows."""
    chosen = set(rows)
    point_mask = np.array([owner in chosen for owner in data["point_owner"]])
    coverage_w, coverage_b = fit_logistic(data["points"][point_mask], data["point_labels"][point_mask])

    grade_rows = _grade_rows(data, coverage_w, coverage_b)
    x = grade_rows[list(rows)]
    y = np.array([examples[i].grade for i in rows], dtype=np.float64)
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-6
    members = [fit_mlp((x - mean) / std, y, seed=seed) for seed in range(MEMBERS)]

    topic_y = np.array([float(examples[i].style not in OFF_TOPIC_STYLES) for i in rows])
    topic_w, topic_b = fit_logistic((x - mean) / std, topic_y, l2=1e-2, balanced=True)
    return {
        "version": hashlib.sha256(json.dumps([float(v) for v in y[:50]]).encode()).hexdigest()[:12],
        "grade_features": list(GRADE_FEATURES),
        "point_features": list(POINT_FEATURES),
        "coverage": {"weights": coverage_w.tolist(), "bias": coverage_b},
        "on_topic": {"weights": topic_w.tolist(), "bias": topic_b},
        "grade": {"mean": mean.tolist(), "std": std.tolist(),
                  "members": [{k: v.tolist() for k, v in member.items()} for member in members]},
    }


def _grade_rows(data: dict[str, Any], coverage_w: Array, coverage_b: float) -> Array:
    """Every answer's grader row: its features plus the coverage classifier's summary."""
    covered = logistic(data["points"], coverage_w, coverage_b)
    summaries = []
    for number in range(len(data["answers"])):
        summaries.append(coverage_summary(covered[data["point_owner"] == number]))
    return np.hstack([data["answers"], np.array(summaries)])


def predictions(weights: dict[str, Any], data: dict[str, Any]) -> tuple[Array, Array, Array]:
    """Grades, on-topic probabilities and per-point coverage probabilities for every answer."""
    model = Assessor(weights)
    coverage_w = np.array(weights["coverage"]["weights"])
    rows = _grade_rows(data, coverage_w, float(weights["coverage"]["bias"]))
    return model.grade(rows), model.on_topic(rows), model.covered(data["points"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="train and evaluate without writing weights.json")
    args = parser.parse_args(argv)
    examples = load_corpus()
    held = held_out_topics()
    print(f"Corpus: {len(examples)} answers, {len({e.topic for e in examples})} topics "
          f"({len(held)} held out).", file=sys.stderr)
    data = measure_corpus(examples)
    training = [i for i, e in enumerate(examples) if e.topic not in held]
    weights = train(examples, data, training)
    grades, on_topic, covered = predictions(weights, data)
    if not args.check:
        WEIGHTS_PATH.write_text(json.dumps(weights, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"Wrote {WEIGHTS_PATH}", file=sys.stderr)
    print_report(evaluate(examples, grades, on_topic, covered, data["point_labels"], data["point_owner"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

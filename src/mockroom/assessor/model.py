"""The trained assessor: features in, a 1-5 grade, per-point coverage and an on-topic probability out.

Three small models trained by `train.py` on the labelled corpus and shipped as `weights.json`: a logistic
coverage classifier per key point, a logistic on-topic classifier (is this an answer to this question, or to
another one, or about something else), and an ensemble of small neural networks that grades the answer. Inference is a few dot products in NumPy; the weights load in milliseconds.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mockroom.assessor.features import ANSWER_FEATURES, POINT_FEATURES, Measured, measure
from mockroom.vocabulary import QuestionDraft

WEIGHTS_PATH = Path(__file__).parent / "weights.json"
Array = NDArray[np.float64]
# Derived features the grader sees besides `ANSWER_FEATURES`: the trained coverage classifier's view.
COVERAGE_SUMMARY = ("covered_mean", "covered_share", "covered_top2")
GRADE_FEATURES = (*ANSWER_FEATURES, *COVERAGE_SUMMARY)


@dataclass
class Judgement:
    """The assessor's view of one answer."""

    grade: float
    on_topic: float
    covered: list[float]
    spans: list[str]
    relevance: float
    features: dict[str, float]


def logistic(x: Array, weights: Array, bias: float) -> Array:
    result: Array = 1.0 / (1.0 + np.exp(-(x @ weights + bias)))
    return result


def mlp(x: Array, member: dict[str, Array]) -> Array:
    hidden = np.tanh(x @ member["w1"] + member["b1"])
    result: Array = hidden @ member["w2"] + member["b2"]
    return result.reshape(-1)


def coverage_summary(covered: Array) -> list[float]:
    """The grader's three coverage features from per-point probabilities."""
    if not len(covered):
        return [0.0, 0.0, 0.0]
    return [float(covered.mean()), float((covered > 0.5).mean()), float(np.sort(covered)[-2:].mean())]


class Assessor:
    """Grades answers with the shipped weights."""

    def __init__(self, weights: dict[str, Any]) -> None:
        if tuple(weights["grade_features"]) != GRADE_FEATURES or tuple(weights["point_features"]) != POINT_FEATURES:
            raise ValueError("the assessor's weights were trained on other features; retrain with train.py")
        self.version = str(weights["version"])
        self._coverage = (np.array(weights["coverage"]["weights"]), float(weights["coverage"]["bias"]))
        self._on_topic = (np.array(weights["on_topic"]["weights"]), float(weights["on_topic"]["bias"]))
        self._mean = np.array(weights["grade"]["mean"])
        self._std = np.array(weights["grade"]["std"])
        self._members = [{k: np.array(v) for k, v in member.items()} for member in weights["grade"]["members"]]

    def covered(self, point_features: Array) -> Array:
        """Probability that each key point is covered, from its point features."""
        if not len(point_features):
            return np.zeros(0)
        weights, bias = self._coverage
        return logistic(point_features.astype(np.float64), weights, bias)

    def grade_vector(self, measured: Measured) -> tuple[Array, Array]:
        """The grader's input row and the per-point coverage probabilities."""
        covered = self.covered(measured.point_features.astype(np.float64))
        row = np.concatenate([measured.vector.astype(np.float64), coverage_summary(covered)])
        return row, covered

    def grade(self, rows: Array) -> Array:
        """Grades (1-5) for rows of grader features."""
        x = (rows - self._mean) / self._std
        raw = np.mean([mlp(x, member) for member in self._members], axis=0)
        result: Array = np.clip(raw, 1.0, 5.0)
        return result

    def on_topic(self, rows: Array) -> Array:
        """Probability that each answer addresses its question rather than something else."""
        weights, bias = self._on_topic
        return logistic((rows - self._mean) / self._std, weights, bias)

    def judge(self, question: QuestionDraft, answer: str) -> Judgement:
        """The assessor's judgement of one answer to one question."""
        measured = measure(question, answer)
        row, covered = self.grade_vector(measured)
        rows = row[None, :]
        return Judgement(
            grade=float(self.grade(rows)[0]),
            on_topic=float(self.on_topic(rows)[0]),
            covered=[float(c) for c in covered],
            spans=measured.point_spans,
            relevance=measured.relevance,
            features=dict(zip(GRADE_FEATURES, (float(v) for v in row), strict=True)),
        )


@cache
def assessor() -> Assessor:
    """The shipped assessor, loaded once per process."""
    with WEIGHTS_PATH.open(encoding="utf-8") as handle:
        return Assessor(json.load(handle))

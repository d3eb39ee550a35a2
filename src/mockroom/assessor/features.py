"""What the assessor measures in an answer: the signals experienced graders reward and penalise.

For each key point of the rubric: how closely some window of one to three consecutive sentences says it (in the
rubric's words or the model answer's), how many of its words appear, and whether the closest sentence contradicts
it. For the whole answer: relevance to this question rather than to another one, specificity (numbers, named
systems, first-person actions, examples), reasoning (because, trade-offs, alternatives), STAR structure, vagueness
and hedging, buzzword density, length and fillers. The model in `model.py` turns these numbers into a grade.
"""

import math
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
from numpy.typing import NDArray

from mockroom.questions.bank import load_bank
from mockroom.questions.rubric import as_answer_text
from mockroom.questions.vectors import bank_vectors
from mockroom.text import signals
from mockroom.text.embeddings import encoder
from mockroom.text.sentences import filler_count, sentences, spans, words
from mockroom.vocabulary import QuestionDraft

Vectors = NDArray[np.float32]
MAX_SPANS = 60
WINDOW = 3
POINT_FEATURES = ("window", "sentence", "model", "lexical", "window_x_lexical", "clash")
# Measured with the sentence encoder (cached while training; bump SEMANTIC_VERSION when their code changes).
SEMANTIC_VERSION = 2
SEMANTIC_FEATURES = (
    "cover_mean", "cover_max", "cover_top2", "cover_share", "window_mean", "window_max", "model_mean",
    "relevance_question", "relevance_model", "relevance_best_sentence", "margin_question", "margin_model", "clashes",
)
# Counted in the words alone: cheap, recomputed every time.
LEXICAL_FEATURES = (
    "log_words", "sentences", "words_per_sentence", "numbers", "named", "specifics", "first_person_actions",
    "examples", "reasoning", "causal", "hedges", "vague", "dont_know", "fillers", "buzz_density", "question_echo",
    "questions_asked", "past_share", "hypothetical_share", "list_runs", "abstract", "generic_verbs",
    "star_situation", "star_action", "star_result", "star_reflection", "negations", "story", "buzz",
    "kind_technical", "kind_behavioral", "kind_situational", "kind_system_design",
)
ANSWER_FEATURES = (*SEMANTIC_FEATURES, *LEXICAL_FEATURES)


@dataclass
class Measured:
    """An answer's feature vector with the per-point details the conductor and report need."""

    vector: Vectors
    point_features: Vectors
    point_spans: list[str]
    spans: list[str]
    relevance: float


def _unit(vectors: Vectors) -> Vectors:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    result: Vectors = vectors / np.clip(norms, 1e-9, None)
    return result


@lru_cache(maxsize=8192)
def _encode_one(text: str) -> Vectors:
    known = bank_vectors().get(text)
    return known if known is not None else encoder().encode([text])[0]


def _encode_texts(texts: tuple[str, ...]) -> Vectors:
    """Vectors of rubric texts: the bank's precomputed ones, others encoded once and remembered."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.stack([_encode_one(t) for t in texts])


@cache
def _distractors() -> tuple[Vectors, Vectors, dict[str, int]]:
    """Every bank question and the mean of its model answer's sentences, to tell this question from others."""
    questions: list[Vectors] = []
    answers: list[Vectors] = []
    index: dict[str, int] = {}
    for topic in load_bank().values():
        for question in topic.questions:
            index[question.text] = len(questions)
            questions.append(_encode_one(question.text))
            answers.append(_unit(_encode_texts(tuple(sentences(question.model_answer))).mean(axis=0)))
    return np.stack(questions), np.stack(answers), index


@lru_cache(maxsize=2048)
def _model_sentences(model_answer: str) -> tuple[tuple[str, ...], Vectors]:
    found = tuple(s for s in sentences(model_answer) if len(words(s)) >= 3)
    return found, _encode_texts(found)


def _windows(vectors: Vectors) -> tuple[Vectors, list[tuple[int, int]]]:
    """Unit vectors of every run of one to WINDOW consecutive spans, with the (start, end) of each."""
    rows, ranges = [], []
    count = len(vectors)
    for size in range(1, min(WINDOW, count) + 1):
        for start in range(0, count - size + 1):
            rows.append(vectors[start : start + size].sum(axis=0))
            ranges.append((start, start + size))
    return _unit(np.stack(rows)), ranges


def _rate(n: float, total_words: int) -> float:
    """Occurrences per 100 words, damped so that a long list does not dominate."""
    return math.log1p(100.0 * n / max(total_words, 20))


def measure(question: QuestionDraft, answer: str) -> Measured:
    """The assessor's features of one answer to one question."""
    measured = semantic(question, answer)
    measured.vector = np.concatenate([measured.vector, lexical(question, answer)])
    return measured


def semantic(question: QuestionDraft, answer: str) -> Measured:
    """The encoder-based features: coverage of each key point, relevance to this question rather than others."""
    answer_spans = spans(answer, max_words=30)[:MAX_SPANS] or [answer[:2000]]
    span_vectors = encoder().encode(answer_spans)
    window_vectors, ranges = _windows(span_vectors)
    answer_vector = _unit(span_vectors.sum(axis=0))
    points = tuple(question.key_points)
    point_vectors = _encode_texts(tuple(as_answer_text(p) for p in points))
    model_texts, model_vectors = _model_sentences(question.model_answer)
    question_vector = _encode_texts((question.text,))[0]

    by_window = point_vectors @ window_vectors.T if len(points) else np.zeros((0, len(ranges)))
    by_span = point_vectors @ span_vectors.T if len(points) else np.zeros((0, len(answer_spans)))
    answer_stems = set(signals.content_words(answer))
    point_rows, point_spans = [], []
    clashes = 0
    for i, point in enumerate(points):
        best_window = int(np.argmax(by_window[i]))
        best_span = int(np.argmax(by_span[i]))
        model_sim = 0.0
        if len(model_texts):
            anchor = model_vectors[int(np.argmax(model_vectors @ point_vectors[i]))]
            model_sim = float(np.max(window_vectors @ anchor))
        point_words = set(signals.content_words(point))
        overlap = len(point_words & answer_stems) / len(point_words) if point_words else 0.0
        closest = answer_spans[best_span]
        clash = float(
            by_span[i][best_span] > 0.45
            and (signals.antonym_clash(point, closest) or signals.negation_clash(point, closest))
        )
        clashes += int(clash)
        window = float(by_window[i][best_window])
        point_rows.append([window, float(by_span[i][best_span]), model_sim, overlap, window * overlap, clash])
        point_spans.append(closest)
    point_features = np.array(point_rows, dtype=np.float32).reshape(len(points), len(POINT_FEATURES))

    questions, model_means, index = _distractors()
    own = index.get(question.text)
    to_questions = questions @ answer_vector
    to_answers = model_means @ answer_vector
    if own is not None:
        to_questions[own] = -1.0
        to_answers[own] = -1.0
    relevance_question = float(answer_vector @ question_vector)
    relevance_model = float(answer_vector @ _unit(model_vectors.sum(axis=0))) if len(model_texts) else 0.0
    relevance_best = float(np.max(span_vectors @ question_vector))
    cover = _cover_estimate(point_features)
    vector = np.array([
        float(cover.mean()) if len(cover) else 0.0,
        float(cover.max()) if len(cover) else 0.0,
        float(np.sort(cover)[-2:].mean()) if len(cover) else 0.0,
        float((cover > 0.5).mean()) if len(cover) else 0.0,
        float(point_features[:, 0].mean()) if len(points) else 0.0,
        float(point_features[:, 0].max()) if len(points) else 0.0,
        float(point_features[:, 2].mean()) if len(points) else 0.0,
        relevance_question,
        relevance_model,
        relevance_best,
        relevance_question - float(np.max(to_questions)),
        relevance_model - float(np.max(to_answers)),
        float(clashes),
    ], dtype=np.float32)
    return Measured(
        vector=vector, point_features=point_features, point_spans=point_spans, spans=answer_spans,
        relevance=max(relevance_question, relevance_best),
    )


def lexical(question: QuestionDraft, answer: str) -> Vectors:
    """The word-level features: specificity, reasoning, narrative or hypothetical mood, vagueness, structure."""
    answer_words = words(answer)
    total = len(answer_words)
    sentence_list = sentences(answer) or [answer]
    star = signals.star_spans(answer)
    point_words_all = {w for p in question.key_points for w in signals.content_words(p)}
    question_words = set(signals.content_words(question.text))
    content = signals.content_words(answer)
    names = {n for n in signals.named_things(answer) if not n.replace(",", "").replace(".", "").isdigit()}
    numbers = signals.count("number", answer) + signals.count_pattern("spelled_number", answer)
    kind = question.kind if question.kind in ("technical", "behavioral", "situational", "system_design") else (
        "technical" if question.kind == "coding" else "behavioral"
    )
    past = signals.sentence_share("past", answer)
    hypothetical = signals.sentence_share("hypothetical", answer)
    actions = float(signals.count("first_person_action", answer))
    examples = float(signals.count("example", answer))
    abstract = signals.count_pattern("abstract", answer)
    generic = signals.count_pattern("generic_verb", answer)
    lists = signals.count_pattern("list_run", answer)
    return np.array([
        math.log1p(total),
        math.log1p(len(sentence_list)),
        min(total / max(len(sentence_list), 1), 60) / 20,
        _rate(numbers, total),
        _rate(len(names), total),
        math.log1p(len(names) + numbers),
        _rate(actions, total),
        _rate(examples, total),
        _rate(signals.count("reasoning", answer), total),
        _rate(signals.count_pattern("causal", answer), total),
        _rate(signals.count("hedge", answer), total),
        _rate(signals.count("vague", answer), total),
        float(signals.count("dont_know", answer) > 0),
        _rate(filler_count(answer), total),
        sum(1 for w in content if w in point_words_all) / max(len(content), 1),
        sum(1 for w in content if w in question_words) / max(len(content), 1),
        float(answer.rstrip().endswith("?")),
        past,
        hypothetical,
        _rate(lists, total),
        _rate(abstract, total),
        _rate(generic, total),
        float(bool(star["situation"])),
        float(bool(star["action"])),
        float(bool(star["result"])),
        float(bool(star["reflection"])),
        _rate(signals.count("negation", answer), total),
        # A told experience: past tense with specifics, in the candidate's own voice or a named setting.
        past * math.log1p(len(names) + numbers) * (1.0 + min(1.0, actions + examples)),
        # Slogans: hypothetical, abstract and listy, with nothing specific and no experience behind them.
        (hypothetical + _rate(abstract, total) + _rate(generic, total) + _rate(lists, total))
        * (1.0 - past) / (1.0 + math.log1p(len(names) + numbers) + actions + examples),
        float(kind == "technical"),
        float(kind == "behavioral"),
        float(kind == "situational"),
        float(kind == "system_design"),
    ], dtype=np.float32)


def _cover_estimate(point_features: Vectors) -> Vectors:
    """A fixed, untrained coverage estimate per point, used as an answer-level feature (the trained coverage
    classifier in `model.py` decides what the report calls covered)."""
    if not len(point_features):
        return np.zeros(0, dtype=np.float32)
    window, model, lexical = point_features[:, 0], point_features[:, 2], point_features[:, 3]
    score = 12.0 * (np.maximum(window, model) - 0.45) + 2.0 * lexical
    return (1.0 / (1.0 + np.exp(-score))).astype(np.float32)

"""Maps a free-text topic ("React and Node.js", "growth marketing for startups") to bank topics."""

import re
from dataclasses import dataclass
from functools import cache

import numpy as np

from mockroom.questions.bank import load_bank
from mockroom.questions.vectors import bank_vectors
from mockroom.text.embeddings import encoder

MATCH_THRESHOLD = 0.5
SECONDARY_MARGIN = 0.12
_GENERIC_TOPICS = {"behavioral", "general"}


@dataclass(frozen=True)
class TopicMatch:
    """A bank topic and how closely the requested topic matches it (cosine similarity)."""

    slug: str
    title: str
    score: float


@cache
def _topic_index() -> tuple[list[str], np.ndarray]:
    """One embedding per (topic, phrase): its title, description and each alias."""
    slugs: list[str] = []
    phrases: list[str] = []
    for topic in load_bank().values():
        if topic.topic in _GENERIC_TOPICS:
            continue
        for phrase in [topic.title, topic.description, *topic.aliases]:
            slugs.append(topic.topic)
            phrases.append(phrase)
    vectors = bank_vectors()
    return slugs, np.stack([vectors[p] for p in phrases])


def _parts(text: str) -> list[str]:
    """The whole request plus each part of a compound one ("React and Node.js")."""
    pieces = [p.strip() for p in re.split(r"\s*(?:,|/|&|\+|\band\b|\bwith\b|\bplus\b)\s*", text) if p.strip()]
    return [text, *pieces] if len(pieces) > 1 else [text]


def match_topics(text: str, *, limit: int = 3) -> list[TopicMatch]:
    """Bank topics the text is about, best first; empty when nothing matches well."""
    bank = load_bank()
    slugs, vectors = _topic_index()
    best: dict[str, float] = {}
    for part in _parts(text):
        scores = vectors @ encoder().encode([part])[0]
        lowered = part.lower()
        for slug, score, phrase in zip(slugs, scores, _phrases(), strict=True):
            bonus = 0.15 if len(phrase) > 2 and re.search(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)", lowered) else 0
            best[slug] = max(best.get(slug, -1.0), float(score) + bonus)
    ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] < MATCH_THRESHOLD:
        return []
    top = ranked[0][1]
    chosen = [(s, v) for s, v in ranked if v >= MATCH_THRESHOLD and v >= top - SECONDARY_MARGIN][:limit]
    return [TopicMatch(slug=s, title=bank[s].title, score=round(min(v, 1.0), 3)) for s, v in chosen]


@cache
def _phrases() -> list[str]:
    phrases: list[str] = []
    for topic in load_bank().values():
        if topic.topic in _GENERIC_TOPICS:
            continue
        phrases += [topic.title, topic.description, *topic.aliases]
    return phrases

"""The labelled answer corpus the assessor learns from: its schema, loader and topic split.

Each file under corpus/ holds answers to questions of one bank topic, written for Mockroom by
the team (never copied), each graded 1-5 with the key points it covers in substance. Answers to
questions that are not in the bank (the opening, CV and job-description templates, competency
questions on topics the bank lacks) carry their question inline.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from mockroom.questions.bank import load_bank, question_by_id
from mockroom.questions.schema import Question

CORPUS_DIR = Path(__file__).parent / "corpus"
SPLIT_PATH = CORPUS_DIR / "split.yaml"

Style = Literal[
    "textbook",  # correct, explained in general terms
    "concrete_story",  # knowledge shown through a real case: numbers, named systems, what they did
    "terse_correct",  # short but right
    "rambling",  # long, wanders, the substance is in there somewhere
    "buzzword_vague",  # drops the key-point words without explaining anything
    "confidently_wrong",  # fluent and wrong
    "misconception",  # a good answer with one clear error inside
    "partial",  # right about part of it, silent on the rest
    "off_topic",  # about something else entirely
    "wrong_question",  # a fine answer, but to a different question (pasted)
    "clarifying_question",  # asks what the question means instead of answering
    "non_native",  # non-native English, grammar slips, any grade
    "hedging",  # unsure, "I think maybe", a fragment of the idea
    "star_full",  # a behavioral story with situation, action, result and reflection
    "star_vague",  # a behavioral answer in generalities ("I always communicate well")
    "spoken",  # transcribed speech: fillers, restarts, little punctuation
]
Kind = Literal["technical", "behavioral", "system_design", "situational"]


class InlineQuestion(BaseModel):
    """A question that is not in the bank, written out with its rubric."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=10)
    key_points: list[str] = Field(min_length=2, max_length=6)
    kind: Kind = "behavioral"
    model_answer: str = ""


class LabelledAnswer(BaseModel):
    """One answer with its grade (1 none, 2 weak, 3 adequate, 4 good, 5 excellent) and the points it covers."""

    model_config = ConfigDict(extra="forbid")

    grade: int = Field(ge=1, le=5)
    style: Style
    covers: list[int] = Field(default_factory=list)
    text: str = Field(min_length=1, max_length=4000)


class CorpusItem(BaseModel):
    """Answers to one question: a bank question by id, or an inline one."""

    model_config = ConfigDict(extra="forbid")

    question: str | None = None
    inline: InlineQuestion | None = None
    answers: list[LabelledAnswer] = Field(min_length=1)

    @model_validator(mode="after")
    def _question_known(self) -> "CorpusItem":
        if (self.question is None) == (self.inline is None):
            raise ValueError("give exactly one of `question` (a bank id) or `inline`")
        if self.question is not None and question_by_id(self.question) is None:
            raise ValueError(f"unknown bank question id {self.question!r}")
        points = len(self.key_points)
        for answer in self.answers:
            bad = [i for i in answer.covers if not 0 <= i < points]
            if bad:
                raise ValueError(f"covers {bad} out of range for {points} key points: {answer.text[:60]!r}")
        return self

    def _bank(self) -> Question:
        found = question_by_id(self.question or "")
        assert found is not None, "validated on load"
        return found

    @property
    def text(self) -> str:
        return self.inline.text if self.inline else self._bank().text

    @property
    def key_points(self) -> list[str]:
        return list(self.inline.key_points if self.inline else self._bank().key_points)

    @property
    def kind(self) -> str:
        return self.inline.kind if self.inline else self._bank().kind

    @property
    def model_answer(self) -> str:
        return self.inline.model_answer if self.inline else self._bank().model_answer


class CorpusFile(BaseModel):
    """One corpus file: the answers written for one topic."""

    model_config = ConfigDict(extra="forbid")

    topic: str
    items: list[CorpusItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _topic_known(self) -> "CorpusFile":
        if self.topic not in load_bank() and self.topic != "templates":
            raise ValueError(f"unknown topic {self.topic!r}")
        return self


@dataclass(frozen=True)
class Example:
    """One labelled answer with everything the assessor sees of its question."""

    topic: str
    question_id: str
    question: str
    key_points: tuple[str, ...]
    kind: str
    model_answer: str
    answer: str
    grade: int
    style: str
    covers: frozenset[int]


def load_file(path: Path) -> CorpusFile:
    """Parses and validates one corpus file."""
    with path.open(encoding="utf-8") as handle:
        return CorpusFile.model_validate(yaml.safe_load(handle))


@cache
def load_corpus() -> tuple[Example, ...]:
    """Every labelled answer of the corpus, in file order."""
    examples: list[Example] = []
    for path in sorted(CORPUS_DIR.glob("*.yaml")):
        if path == SPLIT_PATH:
            continue
        corpus = load_file(path)
        for index, item in enumerate(corpus.items):
            question_id = item.question or f"{corpus.topic}-inline-{index}"
            for answer in item.answers:
                examples.append(Example(
                    topic=corpus.topic, question_id=question_id, question=item.text,
                    key_points=tuple(item.key_points), kind=item.kind, model_answer=item.model_answer,
                    answer=answer.text.strip(), grade=answer.grade, style=answer.style,
                    covers=frozenset(answer.covers),
                ))
    return tuple(examples)


@cache
def held_out_topics() -> frozenset[str]:
    """Topics kept out of training, on which the assessor is evaluated."""
    with SPLIT_PATH.open(encoding="utf-8") as handle:
        return frozenset(yaml.safe_load(handle)["held_out"])


def split() -> tuple[list[Example], list[Example]]:
    """(training, held-out) examples, split by topic."""
    held = held_out_topics()
    examples = load_corpus()
    return [e for e in examples if e.topic not in held], [e for e in examples if e.topic in held]

"""Loads and indexes the question bank shipped in questions/bank/*.yaml."""

from functools import cache
from pathlib import Path

import yaml

from mockroom.questions.schema import Question, Topic

BANK_DIR = Path(__file__).parent / "bank"


def load_topic(path: Path) -> Topic:
    """Parses and validates one topic file."""
    with path.open(encoding="utf-8") as handle:
        return Topic.model_validate(yaml.safe_load(handle))


@cache
def load_bank() -> dict[str, Topic]:
    """Every topic in the bank, keyed by its slug; ids are checked to be unique across the bank."""
    topics: dict[str, Topic] = {}
    seen: set[str] = set()
    for path in sorted(BANK_DIR.glob("*.yaml")):
        topic = load_topic(path)
        if topic.topic != path.stem:
            raise ValueError(f"{path.name}: topic slug {topic.topic!r} must match the file name")
        for question in topic.questions:
            if question.id in seen:
                raise ValueError(f"{path.name}: duplicate question id {question.id!r}")
            seen.add(question.id)
        topics[topic.topic] = topic
    return topics


def question_by_id(question_id: str) -> Question | None:
    """The bank question with this id, if any."""
    for topic in load_bank().values():
        for question in topic.questions:
            if question.id == question_id:
                return question
    return None

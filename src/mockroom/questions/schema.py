"""The schema every question-bank file follows (one YAML file per topic under bank/)."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Level = Literal["beginner", "intermediate", "advanced"]
QuestionKind = Literal["technical", "behavioral", "system_design", "situational"]
LEVELS: tuple[Level, ...] = ("beginner", "intermediate", "advanced")


class Question(BaseModel):
    """One main question: its rubric (key points), follow-ups and a short model answer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    level: Level
    kind: QuestionKind = "technical"
    text: str = Field(min_length=15, max_length=400)
    key_points: list[str] = Field(min_length=2, max_length=6)
    follow_ups: list[str] = Field(min_length=1, max_length=3)
    model_answer: str = Field(min_length=40, max_length=1500)

    @field_validator("text", "follow_ups")
    @classmethod
    def _one_question(cls, value: str | list[str]) -> str | list[str]:
        for text in [value] if isinstance(value, str) else value:
            if text.count("?") != 1 or not text.rstrip().endswith("?"):
                raise ValueError(f"must be exactly one question ending in '?': {text!r}")
        return value


class Topic(BaseModel):
    """A bank topic: what it covers (used for semantic matching) and its questions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    topic: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    category: Literal["engineering", "data", "business", "people", "general"]
    description: str = Field(min_length=20)
    aliases: list[str] = Field(default_factory=list)
    questions: list[Question]

    @field_validator("questions")
    @classmethod
    def _every_level(cls, questions: list[Question]) -> list[Question]:
        for level in LEVELS:
            if sum(q.level == level for q in questions) < 4:
                raise ValueError(f"needs at least 4 questions at level {level}")
        return questions

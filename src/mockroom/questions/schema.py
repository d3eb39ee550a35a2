"""The schema every question-bank file follows (one YAML file per topic under bank/)."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Level = Literal["beginner", "intermediate", "advanced"]
QuestionKind = Literal["technical", "behavioral", "system_design", "situational"]
LEVELS: tuple[Level, ...] = ("beginner", "intermediate", "advanced")
# Who a behavioral question suits: anyone, or only candidates who lead people or an organisation.
Audience = Literal["anyone", "manager"]
RoleFamily = Literal["engineering", "data", "business", "people", "general"]


class FollowUpSpec(BaseModel):
    """A follow-up question tied to the key point it builds on: asked once that point was covered (to go deeper)
    or missed (to draw it out without naming it), or either way."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    point: int | None = None
    when: Literal["covered", "missed", "any"] = "any"

    @model_validator(mode="before")
    @classmethod
    def _from_plain_text(cls, value: object) -> object:
        return {"text": value} if isinstance(value, str) else value


class Question(BaseModel):
    """One main question: its rubric (key points), follow-ups and a short model answer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    level: Level
    kind: QuestionKind = "technical"
    text: str = Field(min_length=15, max_length=400)
    key_points: list[str] = Field(min_length=2, max_length=6)
    follow_ups: list[FollowUpSpec] = Field(min_length=1, max_length=3)
    model_answer: str = Field(min_length=40, max_length=1500)
    # Nudges in plain sentences for a candidate who asks for help or is stuck; they never recite the key points.
    hints: list[str] = Field(default_factory=list, max_length=3)
    audience: Audience = "anyone"
    # Behavioral questions: the model answer told by someone of each role family (the default one otherwise).
    model_answers: dict[RoleFamily, str] = Field(default_factory=dict)

    @field_validator("text")
    @classmethod
    def _one_question(cls, value: str) -> str:
        _check_one_question(value)
        return value

    @model_validator(mode="after")
    def _follow_ups_fit(self) -> "Question":
        for follow_up in self.follow_ups:
            _check_one_question(follow_up.text)
            if follow_up.point is not None and not 0 <= follow_up.point < len(self.key_points):
                raise ValueError(f"follow-up point {follow_up.point} is out of range: {follow_up.text!r}")
        for hint in self.hints:
            if "?" in hint[:-1]:
                raise ValueError(f"a hint holds at most one question, at its end: {hint!r}")
        return self


def _check_one_question(text: str) -> None:
    if text.count("?") != 1 or not text.rstrip().endswith("?"):
        raise ValueError(f"must be exactly one question ending in '?': {text!r}")


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

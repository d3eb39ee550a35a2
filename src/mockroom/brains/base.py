"""The brain interface: what the conductor asks of whoever phrases questions and judges answers.

The conductor owns the interview (plan, order, moves, guards); a brain only fills in content.
The embedded brain answers from the question bank and sentence embeddings; an LLM brain can
replace it without touching the flow. Everything here is plain data so it can be persisted.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Protocol

Level = Literal["beginner", "intermediate", "advanced"]
Phase = Literal["greeting", "experience", "technical", "coding", "behavioral", "candidate_questions", "closing"]
PHASES: tuple[Phase, ...] = (
    "greeting", "experience", "technical", "coding", "behavioral", "candidate_questions", "closing"
)
Quality = Literal["strong", "adequate", "weak", "no_answer", "gibberish", "off_topic"]
Move = Literal["probe", "challenge", "hint", "simplify", "advance"]
SlotSource = Literal["intro", "cv", "job", "bank", "template", "behavioral", "coding"]

LEVELS: tuple[Level, ...] = ("beginner", "intermediate", "advanced")


@dataclass
class InterviewContext:
    """What a brain may know about the interview: settings and the candidate's documents."""

    topic: str
    level: Level
    kind: str
    duration_minutes: int
    language: str = "en"
    job_description: str | None = None
    cv_profile: dict[str, Any] | None = None
    matched_topics: list[str] = field(default_factory=list)
    interviewer_name: str = "Alex"
    coding: bool = False


@dataclass
class Slot:
    """One planned main question: which phase it belongs to and where its content comes from."""

    phase: Phase
    source: SlotSource
    level: Level
    topic: str | None = None
    kind: str = "technical"


@dataclass
class QuestionDraft:
    """A question with its rubric, as a brain produced it."""

    text: str
    key_points: list[str]
    follow_ups: list[str]
    model_answer: str
    ref: str
    kind: str = "technical"
    topic: str | None = None
    signals: dict[str, str] = field(default_factory=dict)
    brain: str = "embedded"


@dataclass
class Coverage:
    """One rubric point and, when the answer covered it, the verbatim span that did."""

    point: str
    covered: bool
    span: str | None = None
    similarity: float = 0.0


@dataclass
class Assessment:
    """A brain's judgement of one answer; the conductor turns it into the next move."""

    quality: Quality
    coverage: list[Coverage]
    relevance: float
    words: int
    signals: dict[str, float] = field(default_factory=dict)
    misconceptions: list[str] = field(default_factory=list)
    note: str = ""
    brain: str = "embedded"

    @property
    def covered_fraction(self) -> float:
        if not self.coverage:
            return 0.0
        return sum(c.covered for c in self.coverage) / len(self.coverage)

    @property
    def missed(self) -> list[str]:
        return [c.point for c in self.coverage if not c.covered]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Assessment":
        coverage = [Coverage(**c) for c in data.get("coverage", [])]
        return cls(**{**data, "coverage": coverage})


TextSink = Callable[[str], None]


class Brain(Protocol):
    """Fills the conductor's plan with content. Every method is synchronous and side-effect free."""

    name: str

    def question(self, *, context: InterviewContext, slot: Slot, exclude: set[str]) -> QuestionDraft:
        """A new main question for the slot, whose ref and text are not in `exclude`."""
        ...

    def follow_up(
        self,
        *,
        context: InterviewContext,
        question: QuestionDraft,
        answer: str,
        assessment: Assessment,
        move: Move,
        on_text: "TextSink | None" = None,
    ) -> str:
        """One follow-up question for the move; text may be streamed to `on_text` as it is generated."""
        ...

    def assess(self, *, context: InterviewContext, question: QuestionDraft, answer: str) -> Assessment:
        """Judges how well the answer addresses the question's rubric."""
        ...

    def clarify(self, *, context: InterviewContext, question: QuestionDraft, request: str) -> str:
        """Rephrases the question for a candidate who asked what it means, without giving the answer."""
        ...

    def answer_candidate_question(self, *, context: InterviewContext, text: str) -> str:
        """A short reply to a question the candidate asks at the end (no question mark inside)."""
        ...

    def summarise(self, *, context: InterviewContext, facts: dict[str, Any]) -> str | None:
        """A short narrative summary for the report, or None to keep the built-in one."""
        ...

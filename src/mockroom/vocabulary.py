"""The interview's vocabulary: levels, phases, slots, question drafts, assessments and the conductor's state.

Every part of Mockroom speaks in these types (the conductor, brains, the assessor, reports, coding, the API), so
they live here, typed, and this module imports nothing of Mockroom's. The state is persisted as JSON after every
turn: `to_dict` gives that JSON and `from_dict` reads it back, including states written by earlier versions.
"""

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

Level = Literal["beginner", "intermediate", "advanced"]
LEVELS: tuple[Level, ...] = ("beginner", "intermediate", "advanced")
Phase = Literal["greeting", "experience", "technical", "coding", "behavioral", "candidate_questions", "closing"]
PHASES: tuple[Phase, ...] = (
    "greeting", "experience", "technical", "coding", "behavioral", "candidate_questions", "closing"
)
Quality = Literal["strong", "adequate", "weak", "no_answer", "gibberish", "off_topic"]
NON_SUBSTANTIVE: tuple[Quality, ...] = ("no_answer", "gibberish", "off_topic")
Move = Literal["probe", "challenge", "hint", "simplify", "advance"]
SlotSource = Literal["intro", "cv", "job", "bank", "template", "behavioral", "coding"]
# When a planned follow-up is worth asking: once its key point was covered (to go deeper), once it was missed (to
# draw it out without naming it), or either way.
FollowUpWhen = Literal["covered", "missed", "any"]
# Role families decide which behavioral questions and model answers fit a candidate.
RoleFamily = Literal["engineering", "data", "business", "people", "general"]


def _build(cls: type, data: dict[str, Any]) -> Any:
    """An instance of a dataclass from its JSON, ignoring keys it does not know (older or newer states)."""
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


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
    role_family: RoleFamily = "general"
    manages_people: bool = False


@dataclass
class Slot:
    """One planned main question: which phase it belongs to and where its content comes from."""

    phase: Phase
    source: SlotSource
    level: Level
    topic: str | None = None
    kind: str = "technical"
    # For job-description slots: the requirement this question is about.
    requirement: str | None = None


@dataclass
class FollowUp:
    """A follow-up question a draft plans, tied to the key point it builds on (by index) when there is one."""

    text: str
    point: int | None = None
    when: FollowUpWhen = "any"

    @classmethod
    def from_json(cls, data: str | dict[str, Any]) -> "FollowUp":
        return cls(text=data) if isinstance(data, str) else _build(cls, data)


@dataclass
class QuestionDraft:
    """A question with its rubric, as a brain produced it."""

    text: str
    key_points: list[str]
    follow_ups: list[FollowUp]
    model_answer: str
    ref: str
    kind: str = "technical"
    topic: str | None = None
    signals: dict[str, str] = field(default_factory=dict)
    brain: str = "embedded"
    # Natural-sentence nudges, given only when the candidate asks or is stuck; never rubric fragments.
    hints: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "QuestionDraft":
        draft: QuestionDraft = _build(cls, data)
        draft.follow_ups = [FollowUp.from_json(f) for f in data.get("follow_ups", [])]
        return draft


@dataclass
class Coverage:
    """One rubric point and, when the answer covered it, the verbatim span that did."""

    point: str
    covered: bool
    span: str | None = None
    similarity: float = 0.0


@dataclass
class Assessment:
    """A judgement of one answer; the conductor turns it into the next move, the report into scores.

    `grade` is the learned assessor's 1-5 grade (None for non-answers and for states written before it existed);
    `model_grade` is an LLM brain's own grade when one judged the answer, kept beside the learned one as a guard.
    """

    quality: Quality
    coverage: list[Coverage]
    relevance: float
    words: int
    signals: dict[str, float] = field(default_factory=dict)
    misconceptions: list[str] = field(default_factory=list)
    note: str = ""
    brain: str = "embedded"
    grade: float | None = None
    model_grade: float | None = None

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
        assessment: Assessment = _build(cls, data)
        assessment.coverage = [_build(Coverage, c) for c in data.get("coverage", [])]
        return assessment


@dataclass
class AnswerRecord:
    """One candidate message given to a question, with what the conductor made of it."""

    seq: int
    text: str
    intent: str
    follow_up: int | None
    assessment: Assessment | None = None
    duration_seconds: float | None = None

    @property
    def substantive(self) -> bool:
        """An answer with real, on-topic content: not a non-answer, not off-topic, not one or two words."""
        if self.assessment is None or self.intent != "answer":
            return False
        return self.assessment.quality not in NON_SUBSTANTIVE and self.assessment.words >= 3

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "AnswerRecord":
        record: AnswerRecord = _build(cls, data)
        record.assessment = Assessment.from_dict(data["assessment"]) if data.get("assessment") else None
        return record


@dataclass
class AskedFollowUp:
    """A follow-up as asked: the move that chose it and its text."""

    move: str
    text: str


@dataclass
class CodeRun:
    """One Run or Submit of the candidate's code on the open exercise."""

    kind: str
    language: str
    passed: int
    total: int
    verdict: str
    seq: int = 0
    summary: str = ""

    @property
    def runner_failed(self) -> bool:
        """The runner failed (our fault), so the run says nothing about the candidate's code."""
        return self.verdict == "internal_error"


@dataclass
class CodingExercise:
    """The live coding exercise of a question: which problem, every run, hints given."""

    problem_id: str
    runs: list[CodeRun] = field(default_factory=list)
    hints: int = 0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CodingExercise":
        exercise: CodingExercise = _build(cls, data)
        exercise.runs = [_build(CodeRun, r) for r in data.get("runs", [])]
        return exercise


@dataclass
class AskedQuestion:
    """A main question as asked, with its follow-ups and every answer given to it."""

    number: int
    phase: str
    level: str
    source: str
    draft: QuestionDraft
    asked_at: float
    follow_ups: list[AskedFollowUp] = field(default_factory=list)
    answers: list[AnswerRecord] = field(default_factory=list)
    hints: int = 0
    retries: int = 0
    skipped: bool = False
    coding: CodingExercise | None = None

    @property
    def current_prompt(self) -> str:
        return self.follow_ups[-1].text if self.follow_ups else self.draft.text

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "AskedQuestion":
        question: AskedQuestion = _build(cls, data)
        question.draft = QuestionDraft.from_dict(data["draft"])
        question.follow_ups = [_build(AskedFollowUp, f) for f in data.get("follow_ups", [])]
        question.answers = [AnswerRecord.from_dict(a) for a in data.get("answers", [])]
        question.coding = CodingExercise.from_dict(data["coding"]) if data.get("coding") else None
        return question


@dataclass
class CandidateQuestion:
    """A question the candidate asked the interviewer, and whether it was answered."""

    seq: int
    text: str
    answered: bool = False


@dataclass
class Reply:
    """The interviewer's next message."""

    text: str
    phase: str
    move: str
    question_number: int | None = None


@dataclass
class ConductorState:
    """Everything needed to continue an interview after a restart."""

    context: InterviewContext
    plan: list[Slot]
    started_at: float
    phase: str = "greeting"
    next_slot: int = 0
    questions: list[AskedQuestion] = field(default_factory=list)
    level_shift: int = 0
    recent_quality: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    candidate_questions: list[CandidateQuestion] = field(default_factory=list)
    # Questions about the role asked mid-interview, answered once the candidate's questions phase begins.
    held_questions: list[CandidateQuestion] = field(default_factory=list)
    turns: int = 0
    last_prompt: str = ""
    # Tokens an LLM brain spent on this interview (0 with the embedded brain), for the admin's usage view.
    llm_tokens: int = 0
    finished: bool = False
    ended_at: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ConductorState":
        state: ConductorState = _build(cls, data)
        state.context = _build(InterviewContext, data["context"])
        state.plan = [_build(Slot, s) for s in data.get("plan", [])]
        state.questions = [AskedQuestion.from_dict(q) for q in data.get("questions", [])]
        state.candidate_questions = [_build(CandidateQuestion, c) for c in data.get("candidate_questions", [])]
        state.held_questions = [_build(CandidateQuestion, c) for c in data.get("held_questions", [])]
        return state

    @property
    def current(self) -> AskedQuestion | None:
        return self.questions[-1] if self.questions else None

"""Request and response shapes of the interviews API (the v1 contract in PRODUCT.md)."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mockroom.coding.problems.loader import PublicProblem

Level = Literal["beginner", "intermediate", "advanced"]
Kind = Literal["mixed", "technical", "behavioral", "coding", "system_design"]
Status = Literal["in_progress", "finished"]


class InterviewCreate(BaseModel):
    """Settings for a new interview (the CV comes as a multipart file alongside these fields)."""

    model_config = ConfigDict(extra="forbid")

    topic: str = Field(min_length=1, max_length=200, description="Any skill or topic, e.g. 'Python backend'.")
    level: Level = "intermediate"
    kind: Kind = "mixed"
    duration_minutes: int = Field(default=25, ge=5, le=60)
    language: str = Field(default="en", min_length=2, max_length=16, pattern=r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
    job_description: str | None = Field(default=None, max_length=20_000)

    @field_validator("topic", "job_description", mode="before")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        # PostgreSQL cannot store NUL characters in text; they never carry meaning here.
        return value.replace("\x00", "") if isinstance(value, str) else value

    @field_validator("topic")
    @classmethod
    def _topic_has_words(cls, value: str) -> str:
        value = " ".join(value.split())
        if not any(ch.isalnum() for ch in value):
            raise ValueError("topic must contain letters or digits")
        return value

    @field_validator("job_description")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None


class AnswerCreate(BaseModel):
    """One candidate message."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=20_000, description="The answer; an empty string means silence.")
    duration_seconds: float | None = Field(default=None, ge=0.1, le=3600, description="Speaking time, when known.")

    @field_validator("text", mode="before")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        return value.replace("\x00", "") if isinstance(value, str) else value


class MessageOut(BaseModel):
    id: int
    seq: int
    role: Literal["interviewer", "candidate"]
    text: str
    created_at: datetime
    phase: str | None = None
    move: str | None = None
    brain: Literal["model", "embedded"] | None = Field(
        default=None, description="Which brain wrote an interviewer message; null when no brain was asked."
    )
    fallback_reason: Literal["over_budget", "too_slow", "bad_json", "invalid_output", "provider_error"] | None = Field(
        default=None, description="Why the embedded brain stood in for the model, if it did."
    )


class ProgressOut(BaseModel):
    phase: str
    phase_label: str
    question_number: int
    planned_questions: int
    elapsed_seconds: float
    remaining_seconds: float


class TopicMatchOut(BaseModel):
    slug: str
    title: str
    score: float


class CVExperienceOut(BaseModel):
    company: str | None = None
    role: str | None = None
    start: str | None = None
    end: str | None = None
    highlights: list[str] = []


class CVProjectOut(BaseModel):
    name: str | None = None
    description: str | None = None
    technologies: list[str] = []


class CVEducationOut(BaseModel):
    institution: str | None = None
    degree: str | None = None
    start: str | None = None
    end: str | None = None


class CVProfileOut(BaseModel):
    """The structured profile parsed from a CV."""

    model_config = ConfigDict(extra="ignore")

    name: str | None = None
    headline: str | None = None
    email: str | None = None
    phone: str | None = None
    links: list[str] = []
    summary: str | None = None
    skills: list[str] = []
    experience: list[CVExperienceOut] = []
    projects: list[CVProjectOut] = []
    education: list[CVEducationOut] = []
    certifications: list[str] = []
    flags: list[str] = []


class CVParseOut(BaseModel):
    format: str
    pages: int | None
    profile: CVProfileOut
    text_preview: str


class CodingLanguageOut(BaseModel):
    id: str
    name: str
    signature: str
    starter_code: str


class CodingRunSummaryOut(BaseModel):
    kind: Literal["run", "submit"]
    language: str
    passed: int
    total: int
    verdict: str
    summary: str


class CodingTestOut(BaseModel):
    """One test's result; hidden tests show only their verdict and timing."""

    index: int
    verdict: str
    hidden: bool
    time_ms: int
    memory_kb: int
    input: Any = None
    expected: Any = None
    actual: Any = None
    message: str | None = None
    stderr: str | None = None


class CodingExerciseOut(BaseModel):
    """The coding exercise of the interview: the problem as the candidate sees it, and progress on it."""

    problem: PublicProblem
    languages: list[CodingLanguageOut]
    active: bool
    hints_used: int
    hints_total: int
    runs: list[CodingRunSummaryOut]


class CodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: Literal["python", "javascript", "c", "cpp", "java", "go", "rust"]
    code: str = Field(min_length=1, max_length=100_000)

    @field_validator("code", mode="before")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        return value.replace("\x00", "") if isinstance(value, str) else value


class CodeRunOut(BaseModel):
    kind: Literal["run", "submit"]
    verdict: str
    passed: int
    total: int
    tests: list[CodingTestOut]
    compile_output: str | None
    message: str | None
    candidate_message: "MessageOut"
    reply: "MessageOut | None"


class HintOut(BaseModel):
    request: "MessageOut"
    reply: "MessageOut"
    hints_used: int
    hints_total: int


class InterviewOut(BaseModel):
    id: str
    status: Status
    topic: str
    level: Level
    kind: Kind
    duration_minutes: int
    language: str
    job_description: str | None
    cv: CVProfileOut | None
    matched_topics: list[TopicMatchOut]
    messages: list[MessageOut]
    progress: ProgressOut
    notices: list[str]
    brain: str
    coding: CodingExerciseOut | None = None
    created_at: datetime
    ended_at: datetime | None


class InterviewSummaryOut(BaseModel):
    id: str
    topic: str
    level: Level
    kind: Kind
    status: Status
    created_at: datetime
    ended_at: datetime | None
    duration_seconds: float
    overall_score: int | None
    recommendation: str | None
    answered: int


class AnswerOut(BaseModel):
    reply: MessageOut
    candidate_message: MessageOut
    status: Status
    progress: ProgressOut


class DimensionOut(BaseModel):
    name: str
    score: int = Field(ge=1, le=5)
    rationale: str
    evidence: list[str]


class StrengthOut(BaseModel):
    text: str
    evidence: list[str]


class ImprovementOut(BaseModel):
    text: str
    evidence: list[str]
    suggestion: str


class QuestionReportOut(BaseModel):
    number: int
    phase: str
    question: str
    follow_ups: list[str]
    answer_summary: str
    assessment: str
    model_answer: str
    hints_used: int
    score: float
    brain: str = "embedded"


class AnalyticsOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    answered: int
    words: int
    filler_words: int
    words_per_minute: float | None


class VoiceLatencyStagesOut(BaseModel):
    """Milliseconds from the end of the candidate's speech to each stage of a reply; null if never reached."""

    transcript_ms: int | None = None
    first_brain_output_ms: int | None = None
    first_tts_audio_ms: int | None = None
    first_audio_sent_ms: int | None = None


class VoiceLatencyTurnOut(VoiceLatencyStagesOut):
    """One spoken turn, keyed by the interviewer reply it led to (`seq`, and the start of its text)."""

    seq: int
    text: str
    voice_to_voice_ms: int | None = None
    first_avatar_video_ms: int | None = Field(
        default=None, description="A hosted avatar's first video frame of the reply (null when the local one spoke)."
    )


class VoiceLatencySummaryOut(BaseModel):
    """Over all spoken turns: how many, voice to voice at the median and the 95th percentile, each stage's median."""

    count: int
    voice_to_voice_p50_ms: int | None
    voice_to_voice_p95_ms: int | None
    median: VoiceLatencyStagesOut


class VoiceLatencyOut(BaseModel):
    """The report's appendix on voice latency."""

    turns: list[VoiceLatencyTurnOut]
    summary: VoiceLatencySummaryOut


class StepProvenanceOut(BaseModel):
    """How often the model and the embedded brain answered one kind of step, and why the embedded brain stood in."""

    model: int
    embedded: int
    fallback_reasons: dict[str, int]


class ReportOut(BaseModel):
    interview_id: str
    overall_score: int = Field(ge=0, le=100)
    recommendation: Literal["strong_hire", "hire", "lean_no", "no", "insufficient_data"]
    insufficient_data: bool
    summary: str
    dimensions: list[DimensionOut]
    strengths: list[StrengthOut]
    improvements: list[ImprovementOut]
    questions: list[QuestionReportOut]
    analytics: AnalyticsOut
    notes: list[str]
    brains: dict[str, list[str]]
    summary_by: str | None = None
    voice_latency: VoiceLatencyOut | None = Field(default=None, description="Null when nothing was spoken.")
    provenance: dict[str, StepProvenanceOut] | None = Field(
        default=None, description="Per step kind, which brain answered; null when nothing was recorded."
    )
    generated_at: datetime


class TopicOut(BaseModel):
    slug: str
    title: str
    category: str


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorOut(BaseModel):
    error: ErrorBody

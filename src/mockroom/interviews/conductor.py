"""The interview conductor: state in, decision out.

It owns the flow of an interview (phases in order, one question per turn, follow-ups, adaptive
difficulty, time budget, replies to non-answers) and records every answer with its assessment
and a hidden note. It imports no web, database or model code: a brain supplies content, the
caller supplies the clock and persists the state after every turn.
"""

import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from typing import Any

from mockroom.brains.base import (
    LEVELS,
    Assessment,
    Brain,
    Coverage,
    InterviewContext,
    Level,
    Move,
    QuestionDraft,
    Slot,
)
from mockroom.interviews.intents import Reading, read_message
from mockroom.interviews.plan import CLOSING_RESERVE_SECONDS, build_plan

PHASE_LABELS = {
    "greeting": "Introduction",
    "experience": "Your experience",
    "technical": "Core questions",
    "coding": "Live coding",
    "behavioral": "Behavioral",
    "candidate_questions": "Your questions",
    "closing": "Wrap-up",
}
_ACKS = ("Thanks.", "Okay.", "Got it.", "Understood.", "Thank you.", "Alright.")
_PHASE_INTROS = {
    "experience": "I'd like to hear more about your background.",
    "technical": "Let's move on to some {topic} questions.",
    "behavioral": "Now a few questions about how you work with others.",
}
MAX_SUBMISSIONS = 3
# In text mode, this many messages with no Run or Submit in between means the candidate is not coding.
MAX_TALK_WITHOUT_CODE = 3
MAX_CANDIDATE_QUESTIONS = 2
# Where the reply being composed streams its text, if anywhere (set per call of `respond`).
_sink: ContextVar["_ReplyStream | None"] = ContextVar("reply_sink", default=None)


class _ReplyStream:
    """Forwards reply text as it is composed, and the rest once the reply is final."""

    def __init__(self, emit: Callable[[str], None]) -> None:
        self._emit = emit
        self.sent = ""

    def send(self, text: str) -> None:
        if text:
            self.sent += text
            self._emit(text)

    def finish(self, final: str) -> None:
        if final.startswith(self.sent):
            self.send(final[len(self.sent):])
MAX_RETRIES_PER_PROMPT = 2


@dataclass
class AnswerRecord:
    """One candidate message given as an answer, with what the conductor made of it."""

    seq: int
    text: str
    intent: str
    follow_up: int | None
    assessment: dict[str, Any] | None = None
    duration_seconds: float | None = None


@dataclass
class AskedQuestion:
    """A main question as asked, with its follow-ups and every answer given to it."""

    number: int
    phase: str
    level: str
    source: str
    draft: dict[str, Any]
    asked_at: float
    follow_ups: list[dict[str, str]] = field(default_factory=list)
    answers: list[AnswerRecord] = field(default_factory=list)
    hints: int = 0
    retries: int = 0
    skipped: bool = False
    coding: dict[str, Any] | None = None

    @property
    def question(self) -> QuestionDraft:
        return QuestionDraft(**self.draft)

    @property
    def current_prompt(self) -> str:
        return self.follow_ups[-1]["text"] if self.follow_ups else self.draft["text"]


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

    context: dict[str, Any]
    plan: list[dict[str, Any]]
    started_at: float
    phase: str = "greeting"
    next_slot: int = 0
    questions: list[AskedQuestion] = field(default_factory=list)
    level_shift: int = 0
    recent_quality: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    candidate_questions: list[dict[str, Any]] = field(default_factory=list)
    turns: int = 0
    last_prompt: str = ""
    finished: bool = False
    ended_at: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ConductorState":
        questions = [
            AskedQuestion(**{**q, "answers": [AnswerRecord(**a) for a in q["answers"]]}) for q in data["questions"]
        ]
        return cls(**{**data, "questions": questions})

    @property
    def interview_context(self) -> InterviewContext:
        return InterviewContext(**self.context)

    @property
    def current(self) -> AskedQuestion | None:
        return self.questions[-1] if self.questions else None

    def asked_texts(self) -> set[str]:
        """Every question asked so far, whole and by its final question sentence, normalised."""
        texts = set()
        for question in self.questions:
            for text in [question.draft["text"], *(f["text"] for f in question.follow_ups)]:
                texts.add(_normalise(text))
                texts.add(_normalise(_question_sentence(text)))
        return texts


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def _question_sentence(text: str) -> str:
    """The sentence holding the question mark (a lead-in like 'You said X.' is not part of it)."""
    head = text[: text.rfind("?") + 1] if "?" in text else text
    parts = re.split(r"(?<=[.!])\s+", head)
    return parts[-1] if parts else head


def start(*, context: InterviewContext, brain: Brain, now: float) -> tuple[ConductorState, list[Reply]]:
    """A new interview: the greeting and the first question."""
    state = ConductorState(
        context=asdict(context), plan=[asdict(s) for s in build_plan(context)], started_at=now
    )
    minutes = context.duration_minutes
    greeting = Reply(
        text=(
            f"Hi, I'm {brain_interviewer_name(state)}, and I'll be your interviewer today. This is a {minutes}-minute "
            f"{_level_phrase(context.level)} interview on {context.topic}. I'll ask one question at a time, "
            "so take your time to think before you answer."
        ),
        phase="greeting",
        move="greeting",
    )
    first = _ask_next_main(state, brain=brain, now=now, prefix="")
    return state, [greeting, first]


def brain_interviewer_name(state: ConductorState) -> str:
    """The interviewer's first name (configurable; stored with the context)."""
    return state.interview_context.interviewer_name


def respond(
    *,
    state: ConductorState,
    message: str,
    brain: Brain,
    now: float,
    seq: int,
    duration_seconds: float | None = None,
    emit: Callable[[str], None] | None = None,
) -> Reply:
    """The interviewer's reply to one candidate message; the state is updated in place.

    With `emit`, the reply's text is also streamed as it is composed (an LLM's follow-up token by
    token); the returned Reply is always the full, final text.
    """
    if state.finished:
        raise ValueError("the interview has finished")
    stream = _ReplyStream(emit) if emit else None
    token = _sink.set(stream)
    try:
        reply = _respond(state, message, brain=brain, now=now, seq=seq, duration_seconds=duration_seconds)
    finally:
        _sink.reset(token)
    if stream:
        stream.finish(reply.text)
    return reply


def _respond(
    state: ConductorState, message: str, *, brain: Brain, now: float, seq: int, duration_seconds: float | None
) -> Reply:
    state.turns += 1
    reading = read_message(message, phase=state.phase)
    if reading.removed_instructions:
        state.notes.append(
            f"Turn {state.turns}: ignored {len(reading.removed_instructions)} instruction(s) aimed at the interviewer."
        )
    if state.phase == "candidate_questions":
        return _handle_candidate_question(state, reading, brain=brain, now=now, seq=seq)
    question = state.current
    assert question is not None, "an interview in progress always has a current question"
    follow_up_index = len(question.follow_ups) - 1 if question.follow_ups else None
    record = AnswerRecord(
        seq=seq, text=reading.answer_text, intent=reading.intent, follow_up=follow_up_index,
        duration_seconds=duration_seconds,
    )
    question.answers.append(record)
    handler = {
        "empty": _on_empty,
        "repeat": _on_repeat,
        "clarify": _on_clarify,
        "injection": _on_injection,
        "skip": _on_skip,
        "dont_know": _on_dont_know,
    }.get(reading.intent, _on_answer)
    return handler(state, question, record, reading, brain, now)


def end(*, state: ConductorState, now: float) -> None:
    """Marks the interview finished (idempotent)."""
    if not state.finished:
        state.finished = True
        state.phase = "closing"
        state.ended_at = now


def progress(state: ConductorState, now: float) -> dict[str, Any]:
    """Where the interview stands, for the room's indicators."""
    context = state.interview_context
    elapsed = (state.ended_at or now) - state.started_at
    main_numbers = [q.number for q in state.questions]
    return {
        "phase": state.phase,
        "phase_label": PHASE_LABELS.get(state.phase, state.phase),
        "question_number": main_numbers[-1] if main_numbers else 0,
        "planned_questions": len(state.plan),
        "elapsed_seconds": round(max(0.0, elapsed), 1),
        "remaining_seconds": round(max(0.0, context.duration_minutes * 60 - elapsed), 1),
    }


def _on_empty(state, question, record, reading, brain, now) -> Reply:  # type: ignore[no-untyped-def]
    question.retries += 1
    if question.retries > MAX_RETRIES_PER_PROMPT:
        _record_non_answer(state, question, record, "no_answer", "no answer after repeated prompts")
        return _advance(state, brain=brain, now=now, prefix="Let's try a different question.")
    return _reply(state, f"Take your time, there's no rush. {question.current_prompt}", "retry", question)


def _on_repeat(state, question, record, reading, brain, now) -> Reply:  # type: ignore[no-untyped-def]
    question.answers.remove(record)
    return _reply(state, f"Of course. {question.current_prompt}", "repeat", question)


def _on_clarify(state, question, record, reading, brain, now) -> Reply:  # type: ignore[no-untyped-def]
    question.answers.remove(record)
    text = brain.clarify(context=state.interview_context, question=question.question, request=reading.answer_text)
    return _reply(state, _one_question(text, fallback=question.current_prompt), "clarify", question)


def _on_injection(state, question, record, reading, brain, now) -> Reply:  # type: ignore[no-untyped-def]
    question.answers.remove(record)
    return _reply(
        state,
        "I'll keep to the interview format: scores come only from your answers to the questions. "
        f"{question.current_prompt}",
        "redirect",
        question,
    )


def _on_skip(state, question, record, reading, brain, now) -> Reply:  # type: ignore[no-untyped-def]
    question.skipped = True
    _record_non_answer(state, question, record, "no_answer", "skipped at the candidate's request")
    return _advance(state, brain=brain, now=now, prefix="No problem, let's skip that one.")


def _on_dont_know(state, question, record, reading, brain, now) -> Reply:  # type: ignore[no-untyped-def]
    assessment = _record_non_answer(state, question, record, "no_answer", "said they did not know")
    if question.coding is not None:
        return give_hint(state=state)
    if question.hints == 0 and _has_time_for_follow_up(state, now) and question.question.key_points:
        return _follow_up(
            state, question, brain, "hint", record.text, assessment, prefix="That's fine.", now=now
        )
    return _advance(state, brain=brain, now=now, prefix="That's fine, let's move on.")


def _on_answer(state, question, record, reading, brain, now) -> Reply:  # type: ignore[no-untyped-def]
    context = state.interview_context
    assessment = brain.assess(context=context, question=question.question, answer=record.text)
    record.assessment = assessment.to_dict()
    is_main_answer = record.follow_up is None
    if question.coding is not None:
        state.notes.append(_note(question, assessment))
        return _coding_reply(state, question, brain, now)
    if is_main_answer:
        _track_quality(state, assessment.quality)
    state.notes.append(_note(question, assessment))
    move = _decide_move(state, question, assessment, now)
    if move == "advance":
        return _advance(state, brain=brain, now=now, prefix=_ack(state))
    prefix = {
        "probe": _ack(state),
        "challenge": _ack(state),
        "hint": "Let me dig into that a little." if question.draft.get("kind") == "behavioral" else "Let me give you a pointer.",
        "simplify": "Let me put that another way.",
    }[move]
    if assessment.quality == "gibberish":
        prefix = "I didn't quite follow that."
    elif assessment.quality == "off_topic":
        prefix = "Let's bring it back to the question."
    return _follow_up(state, question, brain, move, record.text, assessment, prefix=prefix, now=now)


def _decide_move(state: ConductorState, question: AskedQuestion, assessment: Assessment, now: float) -> Move:
    """The next move from the assessment, the follow-ups used so far and the time left."""
    max_follow_ups = 3 if question.draft.get("kind") == "system_design" else 2
    if question.source == "intro" or len(question.follow_ups) >= max_follow_ups:
        return "advance"
    if not _has_time_for_follow_up(state, now):
        return "advance"
    moves_used = {f["move"] for f in question.follow_ups}
    quality = assessment.quality
    if quality in ("gibberish", "off_topic"):
        return "simplify" if "simplify" not in moves_used else "advance"
    if quality in ("weak", "no_answer"):
        if "hint" not in moves_used and assessment.missed:
            return "hint"
        return "advance"
    if quality == "adequate":
        return "probe" if assessment.missed and not question.follow_ups else "advance"
    if not question.follow_ups and question.question.follow_ups:
        return "challenge"
    return "advance"


def _follow_up(
    state: ConductorState,
    question: AskedQuestion,
    brain: Brain,
    move: Move,
    answer: str,
    assessment: Assessment,
    *,
    prefix: str,
    now: float,
) -> Reply:
    stream = _sink.get()
    if stream:
        stream.send(f"{prefix} " if prefix else "")
    text = brain.follow_up(
        context=state.interview_context, question=question.question, answer=answer, assessment=assessment,
        move=move, on_text=stream.send if stream else None,
    )
    text = _one_question(text, fallback="")
    asked = state.asked_texts()
    if not text or _normalise(text) in asked or _normalise(_question_sentence(text)) in asked:
        return _advance(state, brain=brain, now=now, prefix=_ack(state))
    if move == "hint":
        question.hints += 1
    question.follow_ups.append({"move": move, "text": text})
    return _reply(state, f"{prefix} {text}".strip(), move, question)


def _advance(state: ConductorState, *, brain: Brain, now: float, prefix: str) -> Reply:
    """The next main question, or the candidate's questions once the plan or the time runs out."""
    _trim_plan_to_time(state, now)
    if state.next_slot >= len(state.plan):
        state.phase = "candidate_questions"
        text = f"{prefix} We're coming to the end of the interview. Do you have any questions for me?".strip()
        state.last_prompt = text
        return Reply(text=text, phase=state.phase, move="candidate_questions")
    return _ask_next_main(state, brain=brain, now=now, prefix=prefix)


def _ask_next_main(state: ConductorState, *, brain: Brain, now: float, prefix: str) -> Reply:
    slot = Slot(**state.plan[state.next_slot])
    state.next_slot += 1
    slot.level = _shifted_level(slot.level, state.level_shift)
    context = state.interview_context
    exclude = {q.draft["ref"] for q in state.questions} | state.asked_texts()
    draft = brain.question(context=context, slot=slot, exclude=exclude)
    if draft.ref in exclude or _normalise(draft.text) in exclude:
        raise RuntimeError(f"brain {brain.name} repeated a question: {draft.ref}")
    changed_phase = slot.phase != state.phase
    state.phase = slot.phase
    question = AskedQuestion(
        number=len(state.questions) + 1,
        phase=slot.phase,
        level=slot.level,
        source=slot.source,
        draft=asdict(draft),
        asked_at=now,
    )
    if slot.source == "coding":
        question.coding = {"problem_id": draft.ref.split(":", 1)[1], "runs": [], "hints": 0}
    state.questions.append(question)
    intro = ""
    if changed_phase and slot.phase in _PHASE_INTROS:
        titles = [t for t in [draft.topic] if t] or [context.topic]
        intro = _PHASE_INTROS[slot.phase].format(topic=titles[0] if slot.source == "bank" else context.topic)
    text = " ".join(part for part in (prefix, intro, draft.text) if part)
    return _reply(state, text, "question", question)


def _handle_candidate_question(
    state: ConductorState, reading: Reading, *, brain: Brain, now: float, seq: int
) -> Reply:
    if reading.intent in ("no_more_questions", "empty", "injection") or (
        len(state.candidate_questions) >= MAX_CANDIDATE_QUESTIONS
    ):
        if reading.intent == "answer":
            state.candidate_questions.append({"seq": seq, "text": reading.answer_text, "answered": False})
        return _close(state, now)
    answer = brain.answer_candidate_question(context=state.interview_context, text=reading.answer_text)
    answer = answer.replace("?", ".")
    state.candidate_questions.append({"seq": seq, "text": reading.answer_text, "answered": True})
    if len(state.candidate_questions) >= MAX_CANDIDATE_QUESTIONS:
        end(state=state, now=now)
        return Reply(
            text=f"{answer} Thank you for your questions and for your time today. That's the end of the interview, "
            "and your feedback report is ready.",
            phase="closing",
            move="close",
        )
    text = f"{answer} Is there anything else you'd like to ask?"
    state.last_prompt = text
    return Reply(text=text, phase=state.phase, move="answer_question")


def _close(state: ConductorState, now: float) -> Reply:
    end(state=state, now=now)
    return Reply(
        text="Thank you for your time today. That's the end of the interview, and your feedback report is ready.",
        phase="closing",
        move="close",
    )


def _record_non_answer(
    state: ConductorState, question: AskedQuestion, record: AnswerRecord, quality: str, why: str
) -> Assessment:
    draft = question.question
    assessment = Assessment(
        quality="no_answer",
        coverage=[Coverage(point=p, covered=False) for p in draft.key_points],
        relevance=0.0,
        words=len(record.text.split()),
        note=why,
    )
    record.assessment = assessment.to_dict()
    if record.follow_up is None:
        _track_quality(state, "no_answer")
    state.notes.append(f"Q{question.number}: {why}.")
    return assessment


def _track_quality(state: ConductorState, quality: str) -> None:
    """Two strong answers in a row raise the level; two weak ones lower it."""
    state.recent_quality.append(quality)
    last_two = state.recent_quality[-2:]
    if len(last_two) < 2:
        return
    if all(q == "strong" for q in last_two):
        state.level_shift = min(state.level_shift + 1, 2)
        state.recent_quality.clear()
        state.notes.append("Two strong answers in a row: raising the difficulty.")
    elif all(q in ("weak", "no_answer", "gibberish", "off_topic") for q in last_two):
        state.level_shift = max(state.level_shift - 1, -2)
        state.recent_quality.clear()
        state.notes.append("Two weak answers in a row: lowering the difficulty.")


def _shifted_level(level: str, shift: int) -> Level:
    index = max(0, min(len(LEVELS) - 1, LEVELS.index(level) + shift))  # type: ignore[arg-type]
    return LEVELS[index]


def _has_time_for_follow_up(state: ConductorState, now: float) -> bool:
    remaining_slots = len(state.plan) - state.next_slot
    remaining = _remaining_seconds(state, now)
    return remaining > (remaining_slots * 60 + CLOSING_RESERVE_SECONDS)


def _remaining_seconds(state: ConductorState, now: float) -> float:
    return state.interview_context.duration_minutes * 60 - (now - state.started_at)


def _trim_plan_to_time(state: ConductorState, now: float) -> None:
    """Drops core slots (keeping one behavioral) when the time left cannot hold the rest of the plan."""
    remaining = _remaining_seconds(state, now) - CLOSING_RESERVE_SECONDS
    left = state.plan[state.next_slot :]
    affordable = max(0, int(remaining // 75))
    if len(left) <= affordable:
        return
    behavioral = [s for s in left if s["phase"] == "behavioral"][:1]
    others = [s for s in left if s["phase"] != "behavioral"]
    kept = others[: max(0, affordable - len(behavioral))] + behavioral if affordable else []
    dropped = len(left) - len(kept)
    state.plan = state.plan[: state.next_slot] + kept
    state.notes.append(f"Time budget: dropped {dropped} planned question(s).")


def _note(question: AskedQuestion, assessment: Assessment) -> str:
    covered = [c.point for c in assessment.coverage if c.covered]
    parts = [f"Q{question.number} ({assessment.quality})"]
    if covered:
        parts.append("covered: " + "; ".join(covered))
    if assessment.missed:
        parts.append("missed: " + "; ".join(assessment.missed))
    return ". ".join(parts) + "."


def _ack(state: ConductorState) -> str:
    return _ACKS[state.turns % len(_ACKS)]


def _level_phrase(level: str) -> str:
    return {"beginner": "beginner-level", "intermediate": "intermediate-level", "advanced": "advanced-level"}[level]


def _one_question(text: str, *, fallback: str) -> str:
    """Keeps a brain's text to at most one question: everything up to and including the first '?'."""
    text = " ".join(text.split())
    if "?" not in text:
        return fallback or text
    return text[: text.index("?") + 1]


def _reply(state: ConductorState, text: str, move: str, question: AskedQuestion) -> Reply:
    state.last_prompt = text
    return Reply(text=text, phase=state.phase, move=move, question_number=question.number)


def _coding_reply(state: ConductorState, question: AskedQuestion, brain: Brain, now: float) -> Reply:
    """After the candidate talks during a coding exercise: keep them coding, or move on once done."""
    assert question.coding is not None
    submits = [r for r in question.coding["runs"] if r["kind"] == "submit"]
    if not _has_time_for_follow_up(state, now):
        return _advance(state, brain=brain, now=now, prefix="We're out of time for this exercise.")
    if submits and (submits[-1]["passed"] == submits[-1]["total"] or len(submits) >= MAX_SUBMISSIONS):
        return _advance(state, brain=brain, now=now, prefix="Thanks for walking me through it.")
    talked = sum(1 for a in question.answers if a.intent == "answer")
    idle_talk = sum(1 for a in question.answers if a.intent == "answer" and a.seq > _last_run_seq(question))
    if idle_talk > MAX_TALK_WITHOUT_CODE:
        return _advance(state, brain=brain, now=now, prefix="Let's leave the exercise there and move on.")
    if submits:
        text = "Thanks. Have another look at the failing cases, and submit again when you're ready."
    elif talked <= 1:
        text = f"{_ack(state)} Go ahead and write it; use Run to check the examples and Submit when you're ready."
    else:
        text = "Noted. Keep going, and submit whenever you're ready."
    return _reply(state, text, "coding_continue", question)


def _last_run_seq(question: AskedQuestion) -> int:
    runs = question.coding["runs"] if question.coding else []
    return max((int(r.get("seq", 0)) for r in runs), default=0)


_AFTER_PASS = (
    "All {total} tests pass. What are the time and space complexity of your solution?",
    "All {total} tests pass. Which edge cases did you make sure to handle?",
    "All {total} tests pass. How would you change the solution if the input were too large for memory?",
)
_AFTER_FAIL = (
    "{passed} of {total} tests pass. Which cases do you think your solution is missing?",
    "{passed} of {total} tests pass now. What would you check next?",
    "{passed} of {total} tests pass. Can you walk me through your code on the failing example?",
)


def record_code_run(*, state: ConductorState, run: dict[str, Any], now: float) -> Reply | None:
    """Records a Run or Submit of the candidate's code; a Submit gets the interviewer's follow-up question."""
    question = state.current
    if state.finished or question is None or question.coding is None:
        raise ValueError("no coding exercise is open")
    question.coding["runs"].append(run)
    state.turns += 1
    if run["kind"] != "submit":
        return None
    state.notes.append(
        f"Q{question.number}: submitted {run['language']} code, {run['passed']}/{run['total']} tests passed."
    )
    passed_all = run["passed"] == run["total"]
    options = _AFTER_PASS if passed_all else _AFTER_FAIL
    asked = state.asked_texts()
    for template in options:
        text = template.format(passed=run["passed"], total=run["total"])
        if _normalise(text) not in asked:
            question.follow_ups.append({"move": "challenge" if passed_all else "probe", "text": text})
            return _reply(state, text, "challenge" if passed_all else "probe", question)
    return _reply(state, "Thanks. Tell me when you'd like to move on.", "coding_continue", question)


def give_hint(*, state: ConductorState) -> Reply:
    """The next hint of the open coding exercise (hints are counted in the report)."""
    question = state.current
    if state.finished or question is None or question.coding is None:
        raise ValueError("no coding exercise is open")
    hints: list[str] = question.draft["follow_ups"]
    index = question.coding["hints"]
    if index >= len(hints):
        return _reply(state, "That's every hint I have. Try a small example by hand and trace your code.", "hint",
                      question)
    question.coding["hints"] += 1
    question.hints += 1
    state.notes.append(f"Q{question.number}: hint {index + 1} of {len(hints)} given.")
    return _reply(state, f"Here's hint {index + 1} of {len(hints)}: {hints[index]}", "hint", question)

"""Interview use cases: start, answer, end, read, list, delete.

Every message is committed the moment it exists (the candidate's answer before the interviewer
thinks about it), and the conductor's state is committed with each reply, so a crash loses
nothing and an unanswered message is picked up again after a restart. Each reply is one brain turn
(`mockroom.brains.turns`): the brain gets the turn's time budget, and the reply's meta records which brain
wrote it and why the embedded brain stood in.
"""

import copy
import secrets
import threading
import time
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mockroom.brains import turns
from mockroom.brains.base import Brain, TextSink
from mockroom.core.errors import AppError, not_found
from mockroom.cv.service import ParsedCV
from mockroom.db.engine import Database
from mockroom.db.models import Interview, Message
from mockroom.interviews import conductor
from mockroom.interviews.locks import InterviewLock, lock_engine
from mockroom.interviews.plan import manages_people, role_family, wants_coding
from mockroom.interviews.schemas import InterviewCreate
from mockroom.providers.llm.base import metered
from mockroom.questions.bank import load_bank
from mockroom.questions.matching import match_topics
from mockroom.reports import provenance, voice_latency
from mockroom.reports.builder import build_report
from mockroom.vocabulary import ConductorState, InterviewContext, Reply

# One lock per interview in use: an entry lives while some request holds or waits for it, so ids that were only
# looked up (unknown ones included) leave nothing behind.
_locks: weakref.WeakValueDictionary[str, threading.Lock] = weakref.WeakValueDictionary()
_locks_guard = threading.Lock()


def _category(slug: str) -> str:
    topic = load_bank().get(slug)
    return topic.category if topic else ""


@dataclass(frozen=True)
class TurnUndo:
    """What takes an answer's turn back: the conductor's state and reply mark before it, and the interview's
    version after it (taking it back is refused once anything else has happened to the interview)."""

    candidate_message_id: int
    reply_message_id: int
    state: dict[str, Any]
    last_seq: int
    version: int


@dataclass
class AnswerResult:
    interview: Interview
    candidate_message: Message
    reply: Message
    undo: TurnUndo | None = None


def now() -> float:
    """The clock interviews run on."""
    return time.time()


_now = now


def locked(interview_id: str, db: Database | None = None) -> InterviewLock:
    """The lock that serialises turns of one interview: within this process, and across processes too when given
    a PostgreSQL database; hold on to it while using it."""
    with _locks_guard:
        local = _locks.get(interview_id)
        if local is None:
            local = _locks[interview_id] = threading.Lock()
    return InterviewLock(local, interview_id=interview_id, engine=lock_engine(db) if db else None)


_lock = locked


def add_message(
    session: Session, interview: Interview, *, role: str, text: str, reply: Reply | None = None,
    meta: dict[str, Any] | None = None, move: str | None = None,
) -> Message:
    """Appends a message to the transcript (the caller commits)."""
    return _add_message(session, interview, role=role, text=text, reply=reply, meta=meta, move=move)


def load_open(session: Session, interview_id: str) -> Interview:
    """The interview, which must still be in progress."""
    interview = _load(session, interview_id)
    if interview.status != "in_progress":
        raise AppError(code="interview_finished", message="This interview has ended; open its report.", status=409)
    return interview


def save_state(interview: Interview, state: ConductorState, *, last_seq: int) -> None:
    """Stores the conductor's state after a turn."""
    interview.state = state.to_dict()
    interview.last_seq = last_seq
    interview.version += 1


def _add_message(session: Session, interview: Interview, *, role: str, text: str, reply: Reply | None = None,
                 meta: dict[str, Any] | None = None, move: str | None = None) -> Message:
    seq = max((m.seq for m in interview.messages), default=0) + 1
    message = Message(
        seq=seq, role=role, text=text, created_at=datetime.now(UTC),
        phase=reply.phase if reply else None, move=reply.move if reply else move, meta=meta,
    )
    interview.messages.append(message)
    return message


def _context(interview: Interview, interviewer_name: str) -> InterviewContext:
    slugs = [m["slug"] for m in interview.matched_topics]
    return InterviewContext(
        topic=interview.topic,
        level=interview.level,  # type: ignore[arg-type]
        kind=interview.kind,
        duration_minutes=interview.duration_minutes,
        language=interview.language,
        job_description=interview.job_description,
        cv_profile=interview.cv_profile,
        matched_topics=slugs,
        interviewer_name=interviewer_name,
        role_family=role_family(categories=[_category(s) for s in slugs], topic=interview.topic,
                                cv_profile=interview.cv_profile),
        manages_people=manages_people(topic=interview.topic, level=interview.level, cv_profile=interview.cv_profile,
                                      job_description=interview.job_description),
    )


def create(
    *, db: Database, brain: Brain, request: InterviewCreate, cv: ParsedCV | None, interviewer_name: str = "Alex",
    coding_available: bool = False, owner_id: str | None = None,
) -> Interview:
    """Starts an interview: plan, greeting and first question, all stored before returning."""
    matches = match_topics(request.topic)
    notices: list[str] = []
    if request.language.lower().split("-")[0] != "en" and brain.name == "embedded":
        notices.append(
            f"The embedded interviewer speaks English only; configure an LLM brain for interviews in "
            f"'{request.language}'. This interview continues in English."
        )
    if not matches:
        notices.append(
            f"'{request.topic}' is not in the question bank, so questions are competency questions about it "
            "plus behavioral ones."
        )
    if said := brain.notice():
        notices.append(said)
    coding_round = wants_coding(kind=request.kind, matched_topics=[m.slug for m in matches])
    if coding_round and not coding_available:
        notices.append("Live code execution is not available on this server (no sandbox), so coding questions "
                       "are discussed verbally.")
    interview = Interview(
        id=secrets.token_hex(8),
        owner_id=owner_id,
        status="in_progress",
        topic=request.topic,
        level=request.level,
        kind=request.kind,
        duration_minutes=request.duration_minutes,
        language=request.language,
        job_description=request.job_description,
        cv_format=cv.format if cv else None,
        cv_text=cv.text.replace("\x00", "") if cv else None,
        cv_profile=cv.profile.model_dump() if cv else None,
        matched_topics=[{"slug": m.slug, "title": m.title, "score": m.score} for m in matches],
        notices=notices,
        brain=brain.name,
        state={},
        last_seq=0,
        version=0,
    )
    context = _context(interview, interviewer_name)
    context.coding = coding_round and coding_available
    with metered() as meter, turns.turn() as opening:
        context_state, replies = conductor.start(context=context, brain=brain, now=_now())
    context_state.llm_tokens += meter.tokens
    with db.session() as session:
        session.add(interview)
        session.flush()
        for number, reply in enumerate(replies, start=1):
            meta = opening.provenance() if number == len(replies) else None
            _add_message(session, interview, role="interviewer", text=reply.text, reply=reply, meta=meta)
            session.flush()
        interview.state = context_state.to_dict()
        interview.last_seq = len(replies)
        session.commit()
        return _load(session, interview.id)


def _load(session: Session, interview_id: str) -> Interview:
    interview = session.get(Interview, interview_id)
    if interview is None:
        raise not_found(interview_id)
    _ = interview.messages
    return interview


def check_open(*, db: Database, interview_id: str) -> None:
    """Raises the API error an answer would get (unknown or finished interview), before streaming starts."""
    with db.session() as session:
        interview = _load(session, interview_id)
        if interview.status != "in_progress":
            raise AppError(code="interview_finished", message="This interview has ended; open its report.", status=409)


def get(*, db: Database, brain: Brain, interview_id: str) -> Interview:
    """The interview with its transcript; an answer left unreplied by a crash is replied to now."""
    with _lock(interview_id, db), db.session() as session:
        interview = _load(session, interview_id)
        if interview.status == "in_progress" and _pending(interview):
            _catch_up(session, interview, brain)
            session.commit()
            interview = _load(session, interview_id)
        return interview


def _pending(interview: Interview) -> list[Message]:
    """Candidate answers stored but not replied to; code runs and hint requests are handled as they come."""
    return [
        m for m in interview.messages
        if m.seq > interview.last_seq and m.role == "candidate" and not (m.move or "").startswith(("code_", "hint"))
    ]


def _catch_up(
    session: Session, interview: Interview, brain: Brain, emit: TextSink | None = None, mode: turns.Mode = "text"
) -> Message | None:
    """Replies to candidate messages stored but not yet processed (after a crash mid-turn); `mode` is the last
    one's (spoken turns get a shorter budget)."""
    reply_message = None
    pending = _pending(interview)
    for message in pending:
        state = ConductorState.from_dict(interview.state)
        if state.finished:
            break
        meta = message.meta or {}
        last = message is pending[-1]
        with metered() as meter, turns.turn(mode if last else "text") as current:
            reply = conductor.respond(
                state=state, message=message.text, brain=brain, now=_now(), seq=message.seq,
                duration_seconds=meta.get("duration_seconds"), emit=emit if last else None,
            )
        state.llm_tokens += meter.tokens
        reply_message = _add_message(
            session, interview, role="interviewer", text=reply.text, reply=reply, meta=current.provenance()
        )
        session.flush()
        interview.state = state.to_dict()
        interview.last_seq = reply_message.seq
        interview.version += 1
        if state.finished:
            _finish(session, interview, state, brain)
    return reply_message


def answer(
    *, db: Database, brain: Brain, interview_id: str, text: str, duration_seconds: float | None = None,
    emit: TextSink | None = None, voice: bool = False, continues: TurnUndo | None = None,
) -> AnswerResult:
    """Stores the candidate's message, then the interviewer's reply and the new state; a spoken answer (`voice`)
    gets the voice turn budget.

    `continues` is a spoken answer the candidate took up again as the interviewer began to reply: its reply, which
    the candidate did not hear, is taken back and `text` (the whole answer) is answered as one. When that turn can
    no longer be taken back (something else happened since), `text` is stored as an answer of its own.
    """
    with _lock(interview_id, db), db.session() as session:
        interview = _load(session, interview_id)
        if interview.status != "in_progress":
            raise AppError(code="interview_finished", message="This interview has ended; open its report.", status=409)
        candidate = _take_back(interview, continues, text, duration_seconds) if continues else None
        if candidate is None:
            if _pending(interview):
                _catch_up(session, interview, brain)
                session.commit()
                if interview.status != "in_progress":
                    raise AppError(code="interview_finished", message="This interview has ended.", status=409)
            meta = {"duration_seconds": duration_seconds} if duration_seconds else None
            candidate = _add_message(session, interview, role="candidate", text=text, meta=meta)
        session.commit()
        state_before, seq_before = copy.deepcopy(interview.state or {}), interview.last_seq
        reply = _catch_up(session, interview, brain, emit, "voice" if voice else "text")
        session.commit()
        assert reply is not None
        undo = TurnUndo(
            candidate_message_id=candidate.id, reply_message_id=reply.id, state=state_before, last_seq=seq_before,
            version=interview.version,
        )
        return AnswerResult(
            interview=_load(session, interview_id), candidate_message=candidate, reply=reply, undo=undo
        )


def _take_back(interview: Interview, undo: TurnUndo, text: str, duration_seconds: float | None) -> Message | None:
    """Removes the reply `undo` names and restores the state before it, leaving its answer, now reading `text`,
    to be answered again; None (nothing changed) when the interview has moved on since."""
    if interview.version != undo.version or not interview.messages:
        return None
    last = max(interview.messages, key=lambda m: m.seq)
    candidate = next((m for m in interview.messages if m.id == undo.candidate_message_id), None)
    if last.id != undo.reply_message_id or candidate is None or candidate.seq != last.seq - 1:
        return None
    tokens = (interview.state or {}).get("llm_tokens")
    interview.messages.remove(last)
    interview.state = {**undo.state, **({"llm_tokens": tokens} if tokens is not None else {})}
    interview.last_seq = undo.last_seq
    interview.version += 1
    candidate.text = text
    if duration_seconds:
        candidate.meta = {**(candidate.meta or {}), "duration_seconds": duration_seconds}
    return candidate


def _finish(session: Session, interview: Interview, state: ConductorState, brain: Brain) -> None:
    conductor.end(state=state, now=_now())
    interview.state = state.to_dict()
    interview.status = "finished"
    interview.ended_at = datetime.now(UTC)
    transcript = [m.text for m in interview.messages if m.role == "candidate"]
    # The report is part of the closing turn, so its model-written summary gets a budget of its own too.
    with metered() as meter, turns.turn("report"):
        interview.report = build_report(state=state, transcript=transcript, interview_id=interview.id, brain=brain)
    state.llm_tokens += meter.tokens
    interview.state = state.to_dict()


def end(*, db: Database, brain: Brain, interview_id: str) -> Interview:
    """Ends the interview (idempotent) and stores its report."""
    with _lock(interview_id, db), db.session() as session:
        interview = _load(session, interview_id)
        if interview.status == "finished":
            return interview
        if _pending(interview):
            _catch_up(session, interview, brain)
        if interview.status != "finished":
            session.flush()
            session.refresh(interview)
            _finish(session, interview, ConductorState.from_dict(interview.state), brain)
        session.commit()
        return _load(session, interview_id)


def report(*, db: Database, interview_id: str) -> dict[str, Any]:
    """The stored report of a finished interview."""
    with db.session() as session:
        return current_report(_load(session, interview_id))


def current_report(interview: Interview) -> dict[str, Any]:
    """The stored report, its voice-latency appendix read again from the transcript (the closing reply's latency
    is only stored once its audio has started, after the report was written), and which brain answered."""
    if interview.report is None:
        raise AppError(
            code="interview_in_progress",
            message="The report is written when the interview ends; end it first.",
            status=409,
        )
    return {
        **interview.report,
        "voice_latency": voice_latency.appendix(interview.messages),
        "provenance": provenance.appendix(interview.messages),
    }


def history_item(*, db: Database, interview_id: str) -> Interview:
    """One interview as stored, without catching up on pending answers."""
    with db.session() as session:
        return _load(session, interview_id)


def history(*, db: Database, owner_id: str, limit: int = 200) -> list[Interview]:
    """One user's interviews, newest first."""
    with db.session() as session:
        rows = session.scalars(
            select(Interview).where(Interview.owner_id == owner_id).order_by(Interview.created_at.desc()).limit(limit)
        ).all()
        return list(rows)


def delete(*, db: Database, interview_id: str) -> None:
    """Deletes an interview and its transcript for good."""
    with _lock(interview_id, db), db.session() as session:
        interview = _load(session, interview_id)
        session.delete(interview)
        session.commit()


def progress(interview: Interview) -> dict[str, Any]:
    """The room's indicators for an interview."""
    state = ConductorState.from_dict(interview.state)
    return conductor.progress(state, _now())


def answered_count(interview: Interview) -> int:
    """Main questions answered with substance so far (for the history of interviews in progress)."""
    state = ConductorState.from_dict(interview.state)
    return sum(1 for q in state.questions if any(a.substantive for a in q.answers))

"""What the voice layer writes into the shared transcript: latencies, interrupted replies, check-ins."""

from typing import Any

from mockroom.core.errors import not_found
from mockroom.db.engine import Database
from mockroom.db.models import Interview, Message
from mockroom.interviews import service
from mockroom.reports import voice_latency

INTERRUPTED_BEFORE_SPEAKING = "…"


def _merge_voice_meta(message: Message, **values: Any) -> None:
    meta = dict(message.meta or {})
    meta["voice"] = {**meta.get("voice", {}), **values}
    message.meta = meta


def store_latency(
    *, db: Database, interview_id: str, candidate_message_id: int | None, reply_message_id: int,
    latency: dict[str, int | None],
) -> None:
    """Puts the turn's latency breakdown into the meta of the candidate's message and of the reply."""
    with service.locked(interview_id, db), db.session() as session:
        for message_id in (candidate_message_id, reply_message_id):
            message = session.get(Message, message_id) if message_id is not None else None
            if message is not None:
                _merge_voice_meta(message, latency=latency)
        session.commit()


def store_interruption(*, db: Database, interview_id: str, reply_message_id: int, spoken_text: str) -> None:
    """Keeps in the transcript only what the candidate heard of a reply they interrupted; the full text stays
    in the message meta (`voice.full_text`)."""
    with service.locked(interview_id, db), db.session() as session:
        message = session.get(Message, reply_message_id)
        if message is None:
            return
        _merge_voice_meta(message, interrupted=True, full_text=message.text)
        message.text = spoken_text or INTERRUPTED_BEFORE_SPEAKING
        session.commit()


def store_check_in(*, db: Database, interview_id: str, text: str) -> None:
    """Adds the interviewer's check-in after a long silence (not a question: the conductor does not see it)."""
    with service.locked(interview_id, db), db.session() as session:
        interview = service.load_open(session, interview_id)
        service.add_message(session, interview, role="interviewer", text=text, move="check_in",
                            meta={"voice": {"check_in": True}})
        session.commit()


def open_question(*, db: Database, interview_id: str) -> str:
    """The interviewer's last message when it awaits an answer (the transcript ends with it); "" otherwise."""
    with db.session() as session:
        interview = session.get(Interview, interview_id)
        if interview is None or interview.status != "in_progress" or not interview.messages:
            return ""
        last = max(interview.messages, key=lambda m: m.seq)
        return last.text if last.role == "interviewer" else ""


def current_phase(*, db: Database, interview_id: str) -> str:
    """The conductor's phase of the interview (e.g. "coding")."""
    with db.session() as session:
        interview = session.get(Interview, interview_id)
        if interview is None:
            return ""
        return str((interview.state or {}).get("phase", ""))


def interview_minutes(*, db: Database, interview_id: str) -> int:
    """The interview's planned length."""
    with db.session() as session:
        interview = session.get(Interview, interview_id)
        if interview is None:
            raise not_found(interview_id)
        return int(interview.duration_minutes)


def latency_turns(*, db: Database, interview_id: str) -> list[dict[str, Any]]:
    """Each voice turn's latency breakdown, in transcript order, keyed by the interviewer message it led to; a turn
    a hosted avatar spoke also has the avatar's stage (`first_avatar_video_ms`)."""
    with db.session() as session:
        interview = session.get(Interview, interview_id)
        if interview is None:
            raise not_found(interview_id)
        return voice_latency.latency_turns(interview.messages)

"""Server → browser data-channel messages: pipecat's RTVI messages, plus `server-message`s of Mockroom's own.

See PROTOCOL.md for the shapes.
"""

from datetime import UTC, datetime
from typing import Any

from pipecat.processors.frameworks.rtvi.models import (
    PROTOCOL_VERSION,
    BotReady,
    BotReadyData,
    BotStartedSpeakingMessage,
    BotStoppedSpeakingMessage,
    BotTranscriptionMessage,
    BotTTSTextMessage,
    ServerMessage,
    TextMessageData,
    UserStartedSpeakingMessage,
    UserStoppedSpeakingMessage,
    UserTranscriptionMessage,
    UserTranscriptionMessageData,
)


def _now() -> str:
    return datetime.now(UTC).isoformat()


def bot_ready(request_id: str, interview_id: str) -> dict[str, Any]:
    """The answer to a pipecat client's `client-ready`: the call is up and the interviewer is listening."""
    about = {"library": "mockroom", "interview_id": interview_id}
    return BotReady(id=request_id, data=BotReadyData(version=PROTOCOL_VERSION, about=about)).model_dump(
        exclude_none=True
    )


def user_transcription(text: str, *, final: bool) -> dict[str, Any]:
    """A caption of the candidate's words; partial ones may still change."""
    data = UserTranscriptionMessageData(text=text, user_id="candidate", timestamp=_now(), final=final)
    return UserTranscriptionMessage(data=data).model_dump()


def bot_transcription(text: str) -> dict[str, Any]:
    """A caption of a whole sentence of the interviewer, sent when it is composed."""
    return BotTranscriptionMessage(data=TextMessageData(text=text)).model_dump()


def bot_tts_text(text: str) -> dict[str, Any]:
    """The sentence whose audio starts playing now."""
    return BotTTSTextMessage(data=TextMessageData(text=text)).model_dump()


def user_started_speaking() -> dict[str, Any]:
    return UserStartedSpeakingMessage().model_dump()


def user_stopped_speaking() -> dict[str, Any]:
    return UserStoppedSpeakingMessage().model_dump()


def bot_started_speaking() -> dict[str, Any]:
    return BotStartedSpeakingMessage().model_dump()


def bot_stopped_speaking() -> dict[str, Any]:
    return BotStoppedSpeakingMessage().model_dump()


def server_message(kind: str, **data: Any) -> dict[str, Any]:
    """One of Mockroom's own messages: {"label": "rtvi-ai", "type": "server-message", "data": {"type": kind, ...}}."""
    return ServerMessage(data={"type": kind, **data}).model_dump()

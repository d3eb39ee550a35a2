"""What the processors of one voice session share: the reply being spoken and who is talking."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from mockroom.interviews.service import TurnUndo
from mockroom.providers.tts.base import SpeechChunk
from mockroom.voice.latency import TurnLatency

Notify = Callable[[dict[str, Any]], Awaitable[None]]
_FRAME_SECONDS = 0.02


@dataclass
class Segment:
    """A chunk of reply audio and where it starts in the reply, in seconds."""

    offset: float
    chunk: SpeechChunk
    announced: bool = False


@dataclass
class SpokenReply:
    """One reply of the interviewer as it is composed, synthesized and played.

    `answer`, `answer_seconds` and `answer_audio` are the spoken answer it replies to; `undo` takes its turn back,
    and `yielded` says it was taken back because the candidate went on with that answer (`first_audio_at`: when
    it began).
    """

    reply_id: str
    latency: TurnLatency | None = None
    answer: str | None = None
    answer_seconds: float = 0.0
    answer_audio: bytes = b""
    first_audio_at: float | None = None
    yielded: bool = False
    undo: TurnUndo | None = None
    text: str = ""
    segments: list[Segment] = field(default_factory=list)
    synthesized_seconds: float = 0.0
    played_seconds: float = 0.0
    interrupted: bool = False
    candidate_message_id: int | None = None
    message_id: int | None = None
    latency_stored: bool = False

    def spoken_text(self) -> str:
        """The words the candidate heard: those whose middle had been played when the reply stopped."""
        words: list[str] = []
        for segment in self.segments:
            for word in segment.chunk.words:
                if segment.offset + (word.start + word.end) / 2 <= self.played_seconds:
                    words.append(word.text)
        return " ".join(words)


@dataclass
class VoiceState:
    """Shared by the processors of one session; lives on the event loop only."""

    interview_id: str
    notify: Notify
    reply: SpokenReply | None = None
    bot_speaking: bool = False
    candidate_speaking: bool = False
    composing: bool = False
    phase: str = "greeting"
    last_activity: float = field(default_factory=time.time)
    checked_in: bool = False
    # Cleared while a reply may not be heard yet: the turn ended on the fast signals and the sentence-end model's
    # reading is still to come (see CandidateListener._hold_reply).
    may_speak: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.may_speak.set()

    def interviewer_busy(self) -> bool:
        """Whether the interviewer is composing, speaking, or has reply audio still to play: speech from the
        candidate now talks over it (barge-in rules), while after a reply has been heard in full it is a new turn."""
        reply = self.reply
        # The transport sends whole 20 ms frames, so a reply heard in full can count a fraction of a frame short.
        unplayed = (
            reply is not None and not reply.interrupted
            and reply.synthesized_seconds - reply.played_seconds > _FRAME_SECONDS
        )
        return self.bot_speaking or self.composing or unplayed or not self.may_speak.is_set()

    def yieldable(self, window_seconds: float) -> "SpokenReply | None":
        """The reply to a spoken answer that began less than `window_seconds` ago (or is still being composed):
        if the candidate speaks now, they were not done, and the interviewer gives way to them silently."""
        reply = self.reply
        if reply is None or reply.answer is None or reply.interrupted:
            return None
        if reply.first_audio_at is not None and time.time() - reply.first_audio_at > window_seconds:
            return None
        return reply

    def touch(self) -> None:
        """Something was said: restart the silence clock used for check-ins."""
        self.last_activity = time.time()
        self.checked_in = False

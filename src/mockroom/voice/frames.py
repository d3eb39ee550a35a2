"""Frames of Mockroom's voice pipeline, on top of pipecat's."""

from dataclasses import dataclass, field

from pipecat.frames.frames import DataFrame

from mockroom.voice.latency import TurnLatency
from mockroom.voice.state import SpokenReply


@dataclass
class CandidateTurnFrame(DataFrame):
    """The candidate's finished turn: what they said (or typed), with its latency record when spoken.

    `continues` is the reply the candidate talked into just after it began: this turn takes up that answer again
    and `text` is the whole answer. `audio` is the spoken turn (16 kHz PCM), kept in case it goes on.
    """

    text: str = ""
    latency: TurnLatency | None = None
    duration_seconds: float | None = None
    typed: bool = False
    continues: "SpokenReply | None" = None
    audio: bytes = b""


@dataclass
class SentenceFrame(DataFrame):
    """One sentence of the interviewer's reply, to be spoken; `reply_id` groups the sentences of one reply."""

    text: str = ""
    reply_id: str = ""
    latency: TurnLatency | None = field(default=None)


@dataclass
class ReadQuestionFrame(DataFrame):
    """A call has just started: the interviewer says the question on the table aloud (it is already stored)."""

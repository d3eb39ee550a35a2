"""Frames of Mockroom's voice pipeline, on top of pipecat's."""

from dataclasses import dataclass, field

from pipecat.frames.frames import DataFrame

from mockroom.voice.latency import TurnLatency


@dataclass
class CandidateTurnFrame(DataFrame):
    """The candidate's finished turn: what they said (or typed), with its latency record when spoken."""

    text: str = ""
    latency: TurnLatency | None = None
    duration_seconds: float | None = None
    typed: bool = False


@dataclass
class SentenceFrame(DataFrame):
    """One sentence of the interviewer's reply, to be spoken; `reply_id` groups the sentences of one reply."""

    text: str = ""
    reply_id: str = ""
    latency: TurnLatency | None = field(default=None)


@dataclass
class ReadQuestionFrame(DataFrame):
    """A call has just started: the interviewer says the question on the table aloud (it is already stored)."""

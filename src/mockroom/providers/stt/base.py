"""The speech-to-text interface every vendor adapter implements."""

from dataclasses import dataclass, field
from typing import Protocol


class SpeechToTextError(RuntimeError):
    """The speech service failed or answered something this adapter does not understand."""


@dataclass(frozen=True)
class Word:
    """One recognised word and where it lies in the audio, in seconds from its start."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Transcript:
    """What was said in one utterance, with word timings and the language heard when the engine gives them."""

    text: str
    words: list[Word] = field(default_factory=list)
    language: str | None = None


class SpeechToText(Protocol):
    """Turns one utterance of 16-bit mono PCM into text."""

    name: str

    def transcribe(self, pcm: bytes, sample_rate: int) -> Transcript:
        """The transcript of `pcm` (little-endian int16 mono at `sample_rate`)."""
        ...

    def warm_up(self) -> None:
        """Loads whatever the first call would otherwise load."""
        ...

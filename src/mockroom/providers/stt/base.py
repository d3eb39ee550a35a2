"""The speech-to-text interface every vendor adapter implements."""

from dataclasses import dataclass, field
from typing import Protocol


class SpeechToTextError(RuntimeError):
    """The speech service failed or answered something this adapter does not understand."""


@dataclass(frozen=True)
class Word:
    """One recognised word and where it lies in the audio, in seconds from its start, with the engine's confidence
    in it (0-1) when it gives one."""

    text: str
    start: float
    end: float
    confidence: float | None = None


@dataclass(frozen=True)
class Ending:
    """How sure the engine was of how an utterance ends: the probability of its last word, and of the sentence mark
    after it (None when the text ends without one). A word the engine was unsure of may be its guess at a word cut
    short ("push to" heard as "push too."), or a term it does not know ("docstring" heard as "dox string");
    `alternatives` are the other words it nearly wrote there (at least 5 % each at its least sure token; None when
    the engine does not say), which tell the two apart: " to" next to "too", spellings next to "dox string"."""

    last_word: float
    mark: float | None = None
    alternatives: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Transcript:
    """What was said in one utterance, with word timings, the language heard, and how sure the engine was of the
    ending, when the engine gives them."""

    text: str
    words: list[Word] = field(default_factory=list)
    language: str | None = None
    ending: Ending | None = None


class SpeechToText(Protocol):
    """Turns one utterance of 16-bit mono PCM into text."""

    name: str

    def transcribe(self, pcm: bytes, sample_rate: int) -> Transcript:
        """The transcript of `pcm` (little-endian int16 mono at `sample_rate`)."""
        ...

    def warm_up(self) -> None:
        """Loads whatever the first call would otherwise load."""
        ...

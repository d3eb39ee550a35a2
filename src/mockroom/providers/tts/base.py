"""The text-to-speech interface every vendor adapter implements, and the lip-sync timing it carries."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

ENVELOPE_FRAME_MS = 20


class TextToSpeechError(RuntimeError):
    """The speech service failed or answered something this adapter does not understand."""


@dataclass(frozen=True)
class WordTiming:
    """A word of the spoken text and when it is heard, in seconds from the start of its chunk."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class SpeechChunk:
    """A piece of synthesized speech (16-bit mono PCM) with the timing an avatar's mouth follows.

    `words` holds word timings where the engine gives them; `envelope` is always there: the loudness of each
    `ENVELOPE_FRAME_MS` frame of the chunk, from 0 to 1, for engines that give no timings.
    """

    pcm: bytes
    sample_rate: int
    text: str = ""
    words: list[WordTiming] = field(default_factory=list)
    envelope: list[float] = field(default_factory=list)

    @property
    def duration(self) -> float:
        """Length of the chunk in seconds."""
        return len(self.pcm) / 2 / self.sample_rate


class TextToSpeech(Protocol):
    """Speaks text as a stream of PCM chunks, the first as early as the engine allows."""

    name: str
    sample_rate: int

    def synthesize(self, text: str) -> Iterator[SpeechChunk]:
        """The speech for `text`, chunk by chunk."""
        ...

    def warm_up(self) -> None:
        """Loads whatever the first call would otherwise load."""
        ...


def float_to_pcm16(samples: np.ndarray) -> bytes:
    """float32 samples in [-1, 1] as little-endian int16 bytes."""
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def trim_silence(
    samples: np.ndarray, sample_rate: int, *, keep_lead_ms: int = 30, keep_tail_ms: int = 150,
    threshold: float = 0.01,
) -> np.ndarray:
    """`samples` (float, -1..1) without the engine's silent lead-in and tail, keeping a little of each.

    Engines pad every sentence with ~0.3 s of silence at both ends: at the start of a reply that is latency the
    candidate hears, and between sentences it makes the voice halting.
    """
    start, end = speech_bounds(
        samples, sample_rate, keep_lead_ms=keep_lead_ms, keep_tail_ms=keep_tail_ms, threshold=threshold
    )
    return samples[start:end]


def speech_bounds(
    samples: np.ndarray, sample_rate: int, *, keep_lead_ms: int = 30, keep_tail_ms: int = 150,
    threshold: float = 0.01,
) -> tuple[int, int]:
    """Where `trim_silence` cuts: the first and past-the-last sample it keeps (engine timings shift by the first)."""
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if loud.size == 0:
        return 0, int(samples.size)
    start = max(0, int(loud[0]) - sample_rate * keep_lead_ms // 1000)
    end = min(int(samples.size), int(loud[-1]) + 1 + sample_rate * keep_tail_ms // 1000)
    return start, end


def energy_envelope(pcm: bytes, sample_rate: int, frame_ms: int = ENVELOPE_FRAME_MS) -> list[float]:
    """Loudness per frame, 0 to 1: RMS in dB mapped from -50 dBFS (closed mouth) to -10 dBFS (wide open)."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    size = max(1, sample_rate * frame_ms // 1000)
    frames = -(-samples.size // size)
    if frames == 0:
        return []
    padded = np.zeros(frames * size, dtype=np.float32)
    padded[: samples.size] = samples
    rms = np.sqrt(np.mean(padded.reshape(frames, size) ** 2, axis=1))
    decibels = 20 * np.log10(np.maximum(rms, 1e-6))
    return [round(float(v), 3) for v in np.clip((decibels + 50.0) / 40.0, 0.0, 1.0)]


def spread_words(text: str, duration: float) -> list[WordTiming]:
    """Word timings estimated by spreading the words over the audio in proportion to their length.

    For engines that give no timings, so that captions can follow the voice and an interrupted reply can be cut
    at the last word heard.
    """
    words = text.split()
    total = sum(len(w) + 1 for w in words)
    timings: list[WordTiming] = []
    at = 0.0
    for word in words:
        span = duration * (len(word) + 1) / total
        timings.append(WordTiming(text=word, start=round(at, 3), end=round(at + span, 3)))
        at += span
    return timings

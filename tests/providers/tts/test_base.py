"""The shared pieces of text-to-speech: silence trimming."""

import numpy as np

from mockroom.providers.tts.base import trim_silence

RATE = 24_000


def test_trim_keeps_a_little_silence_around_the_voice() -> None:
    voice = np.full(RATE // 2, 0.5)
    padded = np.concatenate([np.zeros(RATE // 3), voice, np.zeros(RATE // 2)])
    trimmed = trim_silence(padded, RATE, keep_lead_ms=30, keep_tail_ms=150)
    lead, tail = RATE * 30 // 1000, RATE * 150 // 1000
    assert trimmed.size == lead + voice.size + tail
    assert not trimmed[:lead].any() and trimmed[lead] == 0.5 and not trimmed[lead + voice.size:].any()


def test_trim_leaves_silence_and_unpadded_audio_alone() -> None:
    silence = np.zeros(RATE)
    assert trim_silence(silence, RATE).size == RATE
    voice = 0.5 * np.ones(RATE // 4)
    assert trim_silence(voice, RATE).size == voice.size

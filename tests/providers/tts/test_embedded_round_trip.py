"""The embedded speech stack for real: hibari speaks a sentence, faster-whisper tiny.en hears it."""

import os

import numpy as np
import pytest
from tests.providers.tts.words import spoken_words

from mockroom.core.config import Settings
from mockroom.providers.stt.whisper import WhisperSpeechToText
from mockroom.providers.tts import tts_from_settings
from mockroom.providers.tts.base import TextToSpeechError
from mockroom.providers.tts.hibari import HibariTextToSpeech

pytestmark = pytest.mark.slow
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


@pytest.fixture(scope="module")
def tts() -> HibariTextToSpeech:
    engine = tts_from_settings(Settings())
    assert isinstance(engine, HibariTextToSpeech)
    engine.warm_up()
    return engine


def test_spoken_sentence_round_trips(tts: HibariTextToSpeech, stt: WhisperSpeechToText) -> None:
    text = "I would use a hash map to cache the results. Then I would evict the oldest entry."
    chunks = list(tts.synthesize(text))
    assert len(chunks) == 2 and all(c.sample_rate == 24_000 and c.envelope for c in chunks)
    assert [w.text for c in chunks for w in c.words] == text.split()
    transcript = stt.transcribe(b"".join(c.pcm for c in chunks), 24_000)
    assert spoken_words(transcript.text) == spoken_words(text)
    assert transcript.words and transcript.words[0].start < transcript.words[-1].end


def test_silence_transcribes_to_nothing_much(stt: WhisperSpeechToText) -> None:
    assert stt.transcribe(bytes(800), 16_000).text == ""
    assert len(stt.transcribe(bytes(16_000 * 2), 16_000).text.split()) <= 2


def test_envelope_is_loud_where_the_voice_is(tts: HibariTextToSpeech) -> None:
    chunk = next(iter(tts.synthesize("Hello there.")))
    samples = np.frombuffer(chunk.pcm, dtype="<i2")
    assert len(chunk.envelope) == pytest.approx(samples.size / 480, abs=1)
    assert max(chunk.envelope) > 0.7


def test_missing_voice_is_not_downloaded() -> None:
    with pytest.raises(TextToSpeechError, match="not installed"):
        list(HibariTextToSpeech(voice="bella").synthesize("Hello."))


def test_speech_starts_at_once_and_sentences_follow_closely(tts: HibariTextToSpeech) -> None:
    for chunk in tts.synthesize("Thanks. How would you design a cache for this service?"):
        samples = np.abs(np.frombuffer(chunk.pcm, dtype="<i2").astype(np.float32))
        loud = np.flatnonzero(samples > 0.01 * 32768)
        assert loud[0] / chunk.sample_rate <= 0.05, "the lead-in silence is trimmed"
        assert (samples.size - loud[-1]) / chunk.sample_rate <= 0.2, "the tail is short"

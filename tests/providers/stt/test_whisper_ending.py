"""The embedded Whisper's own greedy decode: the same text as faster-whisper's, and how sure it was of the ending
(the end-of-turn check reads it: `mockroom.voice.turns.unsure_ending`)."""

import os

import numpy as np
import pytest

from mockroom.providers.stt.audio import pcm16_to_float, resample
from mockroom.providers.stt.whisper import WhisperSpeechToText
from mockroom.providers.tts.hibari import HibariTextToSpeech

pytestmark = pytest.mark.slow
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
HIBARI_RATE = 24_000
SENTENCES = (
    "I would put a cache in front of the database and invalidate it when the record changes.",
    "We chose to migrate.",
    "The incident started with a bad config push to production on a Friday.",
    "A list keeps order and allows duplicates, while a set gives fast membership checks.",
)


@pytest.fixture(scope="module")
def stt() -> WhisperSpeechToText:
    return WhisperSpeechToText()


@pytest.fixture(scope="module")
def tts() -> HibariTextToSpeech:
    return HibariTextToSpeech()


def _speech(tts: HibariTextToSpeech, text: str) -> bytes:
    return b"".join(chunk.pcm for chunk in tts.synthesize(text))


def test_the_decode_writes_what_faster_whisper_writes(stt: WhisperSpeechToText, tts: HibariTextToSpeech) -> None:
    model = stt._loaded()
    for text in SENTENCES:
        pcm = _speech(tts, text)
        samples = resample(pcm16_to_float(pcm), HIBARI_RATE, 16_000)
        segments, _ = model.transcribe(
            samples, language="en", beam_size=1, condition_on_previous_text=False, vad_filter=False,
            without_timestamps=True,
        )
        theirs = " ".join(segment.text.strip() for segment in segments)
        ours = stt.transcribe(pcm, HIBARI_RATE)
        assert ours.text == theirs
        assert ours.ending is not None


def test_a_clearly_finished_sentence_ends_surely(stt: WhisperSpeechToText, tts: HibariTextToSpeech) -> None:
    for text in SENTENCES:
        ending = stt.transcribe(_speech(tts, text), HIBARI_RATE).ending
        assert ending is not None and ending.mark is not None, text
        assert ending.last_word >= 0.7 and ending.mark >= 0.5, (text, ending)


def test_silence_and_quiet_noise_are_no_words_and_no_ending(stt: WhisperSpeechToText) -> None:
    noise = np.random.default_rng(1).normal(0, 300, 16_000 * 2)
    for samples in (np.zeros(16_000 * 2), noise):
        heard = stt.transcribe(samples.astype("<i2").tobytes(), 16_000)
        assert heard.text == "" and heard.ending is None

"""The embedded Whisper's own greedy decode: the same text as faster-whisper's, and how sure it was of the ending
(the end-of-turn check reads it: `mockroom.voice.turns.unsure_ending`)."""

import os

import numpy as np
import pytest

from mockroom.providers.stt.audio import pcm16_to_float, resample
from mockroom.providers.stt.whisper import WhisperSpeechToText
from mockroom.providers.tts.hibari import HibariTextToSpeech
from mockroom.voice.turns import TurnPolicy, judge, unsure_ending

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


def test_the_decode_writes_what_faster_whisper_writes(tts: HibariTextToSpeech) -> None:
    stt = WhisperSpeechToText(short_window=False)  # Whisper's own 30 s window, as faster-whisper reads it
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
    # Whisper is sure of the full stop, and of the last word or, when it wavers over how to spell it (in the short
    # window "checks." is now and then 0.62 with " Ch" next to it), of nothing that would leave the words unfinished.
    for text in SENTENCES:
        heard = stt.transcribe(_speech(tts, text), HIBARI_RATE)
        ending = heard.ending
        assert ending is not None and ending.mark is not None, text
        assert ending.mark >= 0.5 and unsure_ending(TurnPolicy(), ending, heard.text) is None, (text, heard)


def test_silence_and_quiet_noise_are_no_words_and_no_ending(stt: WhisperSpeechToText) -> None:
    noise = np.random.default_rng(1).normal(0, 300, 16_000 * 2)
    # A line with nothing on it (-80 dBFS): in a window cut to its length Whisper writes "you" for it.
    faint = np.random.default_rng(2).normal(0, 3, 16_000 * 2)
    for samples in (np.zeros(16_000 * 2), noise, faint):
        heard = stt.transcribe(samples.astype("<i2").tobytes(), 16_000)
        assert heard.text == "" and heard.ending is None


def test_a_word_cut_short_reads_unfinished_and_a_term_it_does_not_know_only_has_other_spellings(
    stt: WhisperSpeechToText, tts: HibariTextToSpeech
) -> None:
    # The phrase stops where the candidate pauses: Whisper writes "push to." or turns the cut-off "to" into "too.",
    # unsure, with " to" next to it. Either way the turn rule holds the turn.
    heard = stt.transcribe(_speech(tts, "The incident started with a bad config push to"), HIBARI_RATE)
    assert heard.ending is not None and heard.ending.alternatives is not None, heard
    verdict = judge(policy=TurnPolicy(), smart_turn_probability=0.99, text=heard.text, ending=heard.ending)
    assert verdict.end_after == TurnPolicy().max_pause_seconds, (heard, verdict)
    # A term tiny.en does not know: unsure of it, but what it nearly wrote are other spellings, no joining word.
    jargon = stt.transcribe(_speech(
        tts, "Decorators wrap a function to add behaviour, and functools wraps keeps its name and docstring."
    ), HIBARI_RATE)
    ending = jargon.ending
    assert ending is not None and ending.alternatives is not None, jargon
    assert ending.last_word < TurnPolicy().sure_last_word, jargon  # "dox string."
    assert unsure_ending(TurnPolicy(), ending, jargon.text) is None, jargon
    # Alternatives are words only: no punctuation, no empty strings.
    assert all(word and word[0].isalnum() for word in ending.alternatives), ending

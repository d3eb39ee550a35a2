"""Deepgram live STT adapter against a local fake of its WebSocket protocol."""

from collections.abc import Iterator

import pytest
from tests.providers.speech_fakes import DEEPGRAM_KEY, SpeechFakes

from mockroom.providers.stt.base import SpeechToTextError
from mockroom.providers.stt.deepgram import DeepgramSpeechToText


@pytest.fixture(scope="module")
def fakes() -> Iterator[SpeechFakes]:
    with SpeechFakes() as server:
        yield server


def test_streams_audio_and_joins_final_results(fakes: SpeechFakes) -> None:
    stt = DeepgramSpeechToText(api_key=DEEPGRAM_KEY, url=fakes.ws_url)
    pcm = bytes(16_000 * 2 * 3)
    transcript = stt.transcribe(pcm, 16_000)
    assert transcript.text == "Hello there. I heard 3.0 seconds."
    assert [w.text for w in transcript.words] == ["Hello", "there."]
    # Deepgram's per-word confidence: the last word's is how sure it was of the ending (no mark probability).
    assert [w.confidence for w in transcript.words] == [0.9, 0.9]
    assert transcript.ending is not None and transcript.ending.last_word == 0.9 and transcript.ending.mark is None
    received = fakes.received["deepgram"]
    assert received["audio"] == pcm
    assert received["query"]["encoding"] == "linear16" and received["query"]["sample_rate"] == "16000"


def test_wrong_key_is_a_clear_error(fakes: SpeechFakes) -> None:
    stt = DeepgramSpeechToText(api_key="wrong", url=fakes.ws_url)
    with pytest.raises(SpeechToTextError, match="refused"):
        stt.transcribe(bytes(3_200), 16_000)


def test_unreachable_server_is_a_clear_error() -> None:
    stt = DeepgramSpeechToText(api_key=DEEPGRAM_KEY, url="ws://127.0.0.1:9/v1/listen", timeout_seconds=2)
    with pytest.raises(SpeechToTextError, match="Could not reach"):
        stt.transcribe(bytes(3_200), 16_000)


def test_missing_key_is_refused_up_front() -> None:
    with pytest.raises(SpeechToTextError, match="API key"):
        DeepgramSpeechToText(api_key="")

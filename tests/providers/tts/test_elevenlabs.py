"""ElevenLabs streaming TTS adapter against a local fake of its HTTP protocol."""

from collections.abc import Iterator

import pytest
from tests.providers.speech_fakes import ELEVENLABS_KEY, VOICE_ID, SpeechFakes

from mockroom.providers.tts.base import TextToSpeechError
from mockroom.providers.tts.elevenlabs import ElevenLabsTextToSpeech


@pytest.fixture(scope="module")
def fakes() -> Iterator[SpeechFakes]:
    with SpeechFakes() as server:
        yield server


def test_streams_pcm_in_even_chunks_with_an_envelope(fakes: SpeechFakes) -> None:
    tts = ElevenLabsTextToSpeech(api_key=ELEVENLABS_KEY, voice_id=VOICE_ID, url=fakes.http_url)
    chunks = list(tts.synthesize("one two three four five six seven eight nine ten"))
    assert sum(c.duration for c in chunks) == pytest.approx(1.0, abs=0.01)
    assert all(len(c.pcm) % 2 == 0 and c.sample_rate == 24_000 for c in chunks)
    assert all(c.envelope and min(c.envelope) > 0.5 for c in chunks)
    received = fakes.received["elevenlabs"]
    assert received["voice_id"] == VOICE_ID and received["format"] == "pcm_24000"
    assert received["body"] == {"text": "one two three four five six seven eight nine ten",
                                "model_id": "eleven_flash_v2_5"}


def test_wrong_key_is_a_clear_error(fakes: SpeechFakes) -> None:
    tts = ElevenLabsTextToSpeech(api_key="wrong", voice_id=VOICE_ID, url=fakes.http_url)
    with pytest.raises(TextToSpeechError, match="401"):
        list(tts.synthesize("Hello."))


def test_unreachable_server_is_a_clear_error() -> None:
    tts = ElevenLabsTextToSpeech(api_key=ELEVENLABS_KEY, voice_id=VOICE_ID, url="http://127.0.0.1:9")
    with pytest.raises(TextToSpeechError, match="Could not reach"):
        list(tts.synthesize("Hello."))

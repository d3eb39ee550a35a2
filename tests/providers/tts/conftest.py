"""Shared by the text-to-speech tests: the embedded speech-to-text that listens back to what was spoken."""

import pytest

from mockroom.core.config import Settings
from mockroom.providers.stt import stt_from_settings
from mockroom.providers.stt.whisper import WhisperSpeechToText


@pytest.fixture(scope="module")
def stt() -> WhisperSpeechToText:
    """faster-whisper tiny.en with word timings, as the voice pipeline builds it."""
    engine = stt_from_settings(Settings())
    assert isinstance(engine, WhisperSpeechToText)
    engine.word_timings = True
    return engine

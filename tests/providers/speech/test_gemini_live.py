"""Gemini Live as speech-to-text and text-to-speech, against a local fake of its BidiGenerateContent protocol."""

import logging
from collections.abc import Callable, Iterator

import numpy as np
import pytest
from tests.providers.gemini_live_fake import GEMINI_LIVE_KEY, SECONDS_PER_WORD, GeminiLiveFake, voice_name

from mockroom.core.config import Settings
from mockroom.providers.speech.gemini_live import GeminiLiveError, GeminiLiveSpeech
from mockroom.providers.stt import SpeechToTextError, stt_from_settings
from mockroom.providers.tts import TextToSpeechError, tts_from_settings
from mockroom.providers.tts.base import ENVELOPE_FRAME_MS
from mockroom.voice.engine import VoiceUnavailable, create_engine

Make = Callable[..., GeminiLiveSpeech]


@pytest.fixture(scope="module")
def fake() -> Iterator[GeminiLiveFake]:
    with GeminiLiveFake() as server:
        yield server


@pytest.fixture
def live(fake: GeminiLiveFake, monkeypatch: pytest.MonkeyPatch) -> Iterator[Make]:
    """Builds adapters that trust the fake's certificate; the fake behaves normally again afterwards."""
    monkeypatch.setenv("SSL_CERT_FILE", str(fake.cert_path))
    fake.sessions.clear()

    def make(**values: object) -> GeminiLiveSpeech:
        options: dict[str, object] = {"api_key": GEMINI_LIVE_KEY, "url": fake.url, "voice": "Puck"} | values
        return GeminiLiveSpeech(**options)  # type: ignore[arg-type]

    yield make
    fake.behaviour = "normal"


def tone(seconds: float, rate: int) -> bytes:
    t = np.arange(int(rate * seconds)) / rate
    return (np.sin(2 * np.pi * 180 * t) * 8_000).astype("<i2").tobytes()


def test_setup_asks_for_audio_transcriptions_and_the_voice(live: Make, fake: GeminiLiveFake) -> None:
    live(model="gemini-live-test").transcribe(tone(0.5, 16_000), 16_000)
    setup = fake.sessions[-1]["setup"]
    assert fake.sessions[-1]["path"].endswith("GenerativeService.BidiGenerateContent")
    assert setup["model"] == "models/gemini-live-test"
    assert setup["generationConfig"]["responseModalities"] == ["AUDIO"]
    assert setup["inputAudioTranscription"] == {} and setup["outputAudioTranscription"] == {}
    assert voice_name(setup) == "Puck"


def test_transcribes_the_utterance_sent_as_realtime_audio(live: Make, fake: GeminiLiveFake) -> None:
    pcm = tone(3.0, 16_000)
    transcript = live().transcribe(pcm, 16_000)
    assert transcript.text == "I heard 3.0 seconds."
    session = fake.sessions[-1]
    assert bytes(session["audio"]) == pcm
    assert session["mime_types"] == {"audio/pcm;rate=16000"} and session["audio_stream_end"]
    assert "Do not answer" in session["setup"]["systemInstruction"]["parts"][0]["text"]


def test_other_sample_rates_are_sent_at_16_khz(live: Make, fake: GeminiLiveFake) -> None:
    assert live().transcribe(tone(2.0, 48_000), 48_000).text == "I heard 2.0 seconds."
    assert len(fake.sessions[-1]["audio"]) == 2 * 16_000 * 2


def test_speaks_the_text_verbatim_as_one_timed_chunk(live: Make, fake: GeminiLiveFake) -> None:
    text = "Thanks. How would you cache the results of this query?"
    chunks = list(live().synthesize(text))
    assert len(chunks) == 1
    chunk = chunks[0]
    assert chunk.sample_rate == 24_000
    assert len(chunk.pcm) == 2 * int(24_000 * SECONDS_PER_WORD * 10)
    assert chunk.duration == pytest.approx(1.0, abs=0.001)
    assert chunk.text == text
    assert [w.text for w in chunk.words] == text.split()
    assert chunk.words[-1].end == pytest.approx(chunk.duration, abs=0.01)
    assert len(chunk.envelope) == round(chunk.duration * 1000 / ENVELOPE_FRAME_MS) and min(chunk.envelope) > 0.5
    session = fake.sessions[-1]
    assert session["turns"] == [{"turns": [{"role": "user", "parts": [{"text": text}]}], "turnComplete": True}]
    assert "verbatim" in session["setup"]["systemInstruction"]["parts"][0]["text"]


def test_blank_text_opens_no_session(live: Make, fake: GeminiLiveFake) -> None:
    assert list(live().synthesize("  ")) == []
    assert fake.sessions == []


def test_a_closed_session_is_a_clear_error(live: Make, fake: GeminiLiveFake) -> None:
    fake.behaviour = "close"
    with pytest.raises(SpeechToTextError, match=r"closed the session \(1011\): Internal error"):
        live().transcribe(tone(0.5, 16_000), 16_000)
    with pytest.raises(TextToSpeechError, match=r"closed the session \(1011\)"):
        list(live().synthesize("Hello."))


def test_silence_times_out_with_a_clear_error(live: Make, fake: GeminiLiveFake) -> None:
    fake.behaviour = "silent"
    with pytest.raises(SpeechToTextError, match=r"no answer within 0.5 s"):
        live(timeout_seconds=0.5).transcribe(tone(0.5, 16_000), 16_000)


def test_a_bad_key_is_refused_without_showing_it(live: Make, fake: GeminiLiveFake) -> None:
    key = "AIzaWrongKey-0123456789"
    with pytest.raises(TextToSpeechError) as caught:
        list(live(api_key=key).synthesize("Hello."))
    assert "API key not valid" in str(caught.value)
    assert key not in str(caught.value) and key not in repr(live(api_key=key))


def test_the_key_stays_out_of_debug_logs(live: Make, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        live().transcribe(tone(0.2, 16_000), 16_000)
    ours = [r.getMessage() for r in caplog.records if r.name != "websockets.server"]  # the fake's side may show it
    assert "> x-goog-api-key: ***" in ours and not any(GEMINI_LIVE_KEY in line for line in ours)


def test_unreachable_service_is_a_clear_error(live: Make) -> None:
    with pytest.raises(GeminiLiveError, match="Could not reach Gemini Live"):
        live(url="https://127.0.0.1:9", timeout_seconds=2).transcribe(tone(0.2, 16_000), 16_000)


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_both_factories_pick_it() -> None:
    chosen = settings(
        stt_provider="gemini_live", tts_provider="gemini_live", gemini_api_key=GEMINI_LIVE_KEY,
        gemini_live_model="gemini-live-x", gemini_live_voice="Kore", gemini_live_url="https://127.0.0.1:1",
    )
    stt, tts = stt_from_settings(chosen), tts_from_settings(chosen)
    assert isinstance(stt, GeminiLiveSpeech) and isinstance(tts, GeminiLiveSpeech)
    assert (tts.name, tts.sample_rate, tts.model, tts.voice, tts.url) == (
        "gemini_live", 24_000, "gemini-live-x", "Kore", "https://127.0.0.1:1"
    )


def test_a_missing_key_makes_voice_unavailable() -> None:
    with pytest.raises(VoiceUnavailable, match="MOCKROOM_GEMINI_API_KEY"):
        create_engine(settings=settings(stt_provider="gemini_live"), db=None, brain=None)  # type: ignore[arg-type]
    with pytest.raises(VoiceUnavailable, match="MOCKROOM_GEMINI_API_KEY"):
        create_engine(settings=settings(tts_provider="gemini_live"), db=None, brain=None)  # type: ignore[arg-type]

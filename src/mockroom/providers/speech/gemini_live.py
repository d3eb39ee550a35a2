"""Hosted speech both ways: Gemini Live (BidiGenerateContent over a WebSocket) through the google-genai SDK.

Mockroom's conductor and brain still decide every word the interviewer says. Gemini Live only listens (the
candidate's utterance in, its input transcription out) and speaks (the interviewer's sentence in, read out verbatim in
a prebuilt voice). Each call opens its own session, so the model never builds a conversation of its own.
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Coroutine, Iterator
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from mockroom.core.config import Settings
from mockroom.providers.stt.audio import pcm16_to_float, resample
from mockroom.providers.stt.base import SpeechToTextError, Transcript
from mockroom.providers.tts.base import (
    SpeechChunk,
    TextToSpeechError,
    energy_envelope,
    float_to_pcm16,
    spread_words,
    trim_silence,
)

T = TypeVar("T")

INPUT_RATE = 16_000
OUTPUT_RATE = 24_000
_INPUT_CHUNK_BYTES = INPUT_RATE * 2 // 10  # 100 ms of realtime audio per message
_LISTEN_INSTRUCTION = (
    "You only listen. The audio is a candidate answering in a job interview; it is transcribed for someone else. "
    "Do not answer it."
)
_SPEAK_INSTRUCTION = (
    "You are the voice of a job interviewer. Every message is a line of the interviewer's script: say it aloud "
    "verbatim, exactly as written, in a calm and friendly voice. Do not answer it, comment on it, add to it or "
    "leave anything out."
)


class _HiddenKeyHeader(logging.Filter):
    """Masks the key in the request headers that websockets logs at debug level."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if record.msg == "> %s: %s" and isinstance(args, tuple) and str(args[0]).lower() == "x-goog-api-key":
            record.args = (args[0], "***")
        return True


_HEADER_LOG = logging.getLogger("websockets.client")
if not any(isinstance(f, _HiddenKeyHeader) for f in _HEADER_LOG.filters):
    _HEADER_LOG.addFilter(_HiddenKeyHeader())


class GeminiLiveError(SpeechToTextError, TextToSpeechError):
    """Gemini Live failed; either interface's callers catch it as their own error."""


class GeminiLiveSpeech:
    """Speech-to-text and text-to-speech over Gemini Live, one session per utterance or sentence.

    The methods are synchronous and run the SDK's async session on an event loop of their own, so call them from a
    worker thread (the voice pipeline does). `timeout_seconds` bounds each wait for the service: the connection and
    setup, and every gap between its messages.
    """

    name = "gemini_live"
    sample_rate = OUTPUT_RATE

    def __init__(
        self, *, api_key: str, model: str = "gemini-live-2.5-flash-preview", voice: str = "Puck",
        url: str = "https://generativelanguage.googleapis.com/", timeout_seconds: float = 15.0,
    ) -> None:
        if not api_key:
            raise GeminiLiveError("Gemini Live needs an API key: set MOCKROOM_GEMINI_API_KEY.")
        from google import genai
        from google.genai import types

        self.model = model
        self.voice = voice
        self.url = url
        self.timeout_seconds = timeout_seconds
        self._api_key = api_key
        # The SDK derives the WebSocket address from base_url (always wss://) and sends the key as x-goog-api-key.
        self._client = genai.Client(
            api_key=api_key, vertexai=False, http_options=types.HttpOptions(base_url=url or None)
        )

    def __repr__(self) -> str:
        return f"GeminiLiveSpeech(model={self.model!r}, voice={self.voice!r}, url={self.url!r})"

    def warm_up(self) -> None:
        """Nothing to load: the model runs at Google."""

    def transcribe(self, pcm: bytes, sample_rate: int) -> Transcript:
        """The input transcription of `pcm` (little-endian int16 mono), streamed as 16 kHz realtime audio."""
        if sample_rate != INPUT_RATE:
            pcm = float_to_pcm16(resample(pcm16_to_float(pcm), sample_rate, INPUT_RATE))
        text = self._run(self._listen(pcm))
        return Transcript(text=" ".join(text.split()))

    def synthesize(self, text: str) -> Iterator[SpeechChunk]:
        """`text` spoken by the model: one chunk with its output transcription, estimated word timings and envelope.

        The chunk waits for the whole turn: its caption and word timings (what an interruption keeps) need the full
        transcription of the audio they belong to.
        """
        if not text.strip():
            return
        pcm, heard = self._run(self._speak(text))
        pcm = float_to_pcm16(trim_silence(pcm16_to_float(pcm[: len(pcm) // 2 * 2]), OUTPUT_RATE))
        if not pcm:
            raise GeminiLiveError("Gemini Live answered without audio.")
        spoken = " ".join(heard.split()) or text.strip()
        duration = len(pcm) / 2 / OUTPUT_RATE
        yield SpeechChunk(
            pcm=pcm, sample_rate=OUTPUT_RATE, text=spoken, words=spread_words(spoken, duration),
            envelope=energy_envelope(pcm, OUTPUT_RATE),
        )

    async def _listen(self, pcm: bytes) -> str:
        from google.genai import types

        texts: list[str] = []
        async with self._session(_LISTEN_INSTRUCTION) as (session, messages):
            for start in range(0, len(pcm), _INPUT_CHUNK_BYTES):
                await session.send_realtime_input(audio=types.Blob(
                    data=pcm[start:start + _INPUT_CHUNK_BYTES], mime_type=f"audio/pcm;rate={INPUT_RATE}",
                ))
            await session.send_realtime_input(audio_stream_end=True)
            async for content in messages:
                heard = content.input_transcription
                if heard and heard.text:
                    texts.append(heard.text)
                if (heard and heard.finished) or content.turn_complete or content.interrupted:
                    break
        return "".join(texts)

    async def _speak(self, text: str) -> tuple[bytes, str]:
        from google.genai import types

        audio = bytearray()
        heard: list[str] = []
        async with self._session(_SPEAK_INSTRUCTION) as (session, messages):
            await session.send_client_content(
                turns=types.Content(role="user", parts=[types.Part(text=text)]), turn_complete=True
            )
            async for content in messages:
                parts = content.model_turn.parts if content.model_turn else None
                for part in parts or []:
                    if part.inline_data and part.inline_data.data:
                        audio.extend(part.inline_data.data)
                if content.output_transcription and content.output_transcription.text:
                    heard.append(content.output_transcription.text)
                if content.turn_complete or content.interrupted:
                    break
        return bytes(audio), "".join(heard)

    @asynccontextmanager
    async def _session(self, instruction: str) -> AsyncIterator[tuple[Any, AsyncIterator[Any]]]:
        """A connected session and its server contents, each wait for the service bounded by the timeout."""
        from google.genai import types

        config = types.LiveConnectConfig(
            response_modalities=[types.Modality.AUDIO],
            input_audio_transcription=types.AudioTranscriptionConfig(),
            output_audio_transcription=types.AudioTranscriptionConfig(),
            speech_config=types.SpeechConfig(voice_config=types.VoiceConfig(
                prebuilt_voice_config=types.PrebuiltVoiceConfig(voice_name=self.voice),
            )),
            system_instruction=instruction,
        )
        async with asyncio.timeout(self.timeout_seconds) as deadline:
            async with self._client.aio.live.connect(model=self.model, config=config) as session:

                async def contents() -> AsyncIterator[Any]:
                    deadline.reschedule(asyncio.get_running_loop().time() + self.timeout_seconds)
                    async for message in session.receive():
                        deadline.reschedule(asyncio.get_running_loop().time() + self.timeout_seconds)
                        if message.server_content:
                            yield message.server_content

                yield session, contents()

    def _run(self, call: Coroutine[Any, Any, T]) -> T:
        """Runs one session to its end, with the SDK's and the socket's failures as a `GeminiLiveError`."""
        from google.genai import errors
        from websockets.exceptions import InvalidStatus, WebSocketException

        try:
            return asyncio.run(call)
        except TimeoutError as error:
            raise GeminiLiveError(f"Gemini Live sent no answer within {self.timeout_seconds:g} s.") from error
        except errors.APIError as error:
            reason = error.message or (error.details if isinstance(error.details, str) else "")
            raise GeminiLiveError(
                self._redacted(f"Gemini Live closed the session ({error.code}): {reason or 'no reason given'}")
            ) from error
        except InvalidStatus as error:
            raise GeminiLiveError(
                f"Gemini Live refused the connection: HTTP {error.response.status_code}"
            ) from error
        except (OSError, WebSocketException) as error:
            raise GeminiLiveError(self._redacted(f"Could not reach Gemini Live at {self.url}: {error}")) from error

    def _redacted(self, message: str) -> str:
        return message.replace(self._api_key, "***")


def gemini_live_from_settings(settings: Settings) -> GeminiLiveSpeech:
    """The adapter as configured; the STT and TTS factories both build it from here."""
    return GeminiLiveSpeech(
        api_key=settings.gemini_api_key, model=settings.gemini_live_model, voice=settings.gemini_live_voice,
        url=settings.gemini_live_url, timeout_seconds=settings.gemini_live_timeout_seconds,
    )

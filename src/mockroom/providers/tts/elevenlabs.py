"""Hosted text-to-speech: ElevenLabs' streaming endpoint (`/v1/text-to-speech/{voice_id}/stream`), raw PCM out."""

from collections.abc import Iterator

import httpx

from mockroom.providers.tts.base import SpeechChunk, TextToSpeechError, energy_envelope

_CHUNK_SECONDS = 0.25


class ElevenLabsTextToSpeech:
    """Streams `pcm_24000` audio and cuts it into quarter-second chunks, each with its energy envelope."""

    name = "elevenlabs"
    sample_rate = 24_000

    def __init__(
        self, *, api_key: str, voice_id: str, url: str = "https://api.elevenlabs.io",
        model: str = "eleven_flash_v2_5", timeout_seconds: float = 30.0,
    ) -> None:
        if not api_key:
            raise TextToSpeechError("ElevenLabs needs an API key: set MOCKROOM_ELEVENLABS_API_KEY.")
        if not voice_id:
            raise TextToSpeechError("ElevenLabs needs a voice: set MOCKROOM_ELEVENLABS_VOICE_ID.")
        self.api_key = api_key
        self.voice_id = voice_id
        self.url = url.rstrip("/")
        self.model = model
        self.timeout_seconds = timeout_seconds

    def warm_up(self) -> None:
        """Nothing to load: the voice runs at ElevenLabs."""

    def synthesize(self, text: str) -> Iterator[SpeechChunk]:
        """The speech for `text` as it streams in."""
        size = int(self.sample_rate * _CHUNK_SECONDS) * 2
        pending = b""
        try:
            with httpx.stream(
                "POST", f"{self.url}/v1/text-to-speech/{self.voice_id}/stream",
                params={"output_format": f"pcm_{self.sample_rate}"},
                headers={"xi-api-key": self.api_key, "accept": "audio/pcm"},
                json={"text": text, "model_id": self.model}, timeout=self.timeout_seconds,
            ) as response:
                if response.status_code != 200:
                    response.read()
                    raise TextToSpeechError(
                        f"ElevenLabs answered {response.status_code}: {response.text[:200]}"
                    )
                for data in response.iter_bytes():
                    pending += data
                    while len(pending) >= size:
                        yield self._chunk(pending[:size])
                        pending = pending[size:]
        except httpx.HTTPError as error:
            raise TextToSpeechError(f"Could not reach ElevenLabs at {self.url}: {error}") from error
        pending = pending[: len(pending) // 2 * 2]
        if pending:
            yield self._chunk(pending)

    def _chunk(self, pcm: bytes) -> SpeechChunk:
        return SpeechChunk(pcm=pcm, sample_rate=self.sample_rate, envelope=energy_envelope(pcm, self.sample_rate))

"""Embedded text-to-speech: hibari-tts (Kokoro-distilled, ONNX on the CPU), voice "heart", 24 kHz."""

import threading
from collections.abc import Iterator
from typing import Any

from mockroom.providers.tts.base import (
    SpeechChunk,
    TextToSpeechError,
    energy_envelope,
    float_to_pcm16,
    spread_words,
    trim_silence,
)


class HibariTextToSpeech:
    """One chunk per sentence, synthesized as the previous one plays; timings are an energy envelope."""

    name = "hibari"
    sample_rate = 24_000

    def __init__(self, *, voice: str = "heart", threads: int = 1, speed: float = 1.0) -> None:
        self.voice = voice
        self.threads = threads
        self.speed = speed
        self._engine: Any = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()

    def _loaded(self) -> Any:
        with self._load_lock:
            if self._engine is None:
                try:
                    from hibari import Hibari
                    from hibari.voices import voice_path
                except ImportError as error:
                    raise TextToSpeechError("hibari-tts is not installed: pip install hibari-tts") from error
                # Only "heart" ships in the wheel; asking for a missing voice must not start a download.
                try:
                    model = voice_path(self.voice, download_missing=False)
                except (ValueError, FileNotFoundError) as error:
                    raise TextToSpeechError(
                        f"The hibari voice {self.voice!r} is not installed (only 'heart' ships)."
                    ) from error
                self._engine = Hibari(voice=self.voice, model=model, threads=self.threads)
            return self._engine

    def warm_up(self) -> None:
        """Loads the model and the grapheme-to-phoneme rules (the first call's ~0.3 s)."""
        for _ in self.synthesize("Hello."):
            pass

    def synthesize(self, text: str) -> Iterator[SpeechChunk]:
        """One chunk per sentence of `text`."""
        engine = self._loaded()
        for sentence in engine.split_sentences(text):
            with self._run_lock:
                audio = engine(sentence, speed=self.speed)
            pcm = float_to_pcm16(trim_silence(audio, self.sample_rate))
            if not pcm:
                continue
            duration = len(pcm) / 2 / self.sample_rate
            yield SpeechChunk(
                pcm=pcm, sample_rate=self.sample_rate, text=sentence,
                words=spread_words(sentence, duration), envelope=energy_envelope(pcm, self.sample_rate),
            )

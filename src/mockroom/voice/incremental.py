"""Transcribes a candidate's turn while they are still speaking, so that the end of the turn only waits for the tail.

Whisper costs about the same for one second as for five (its encoder always looks at a 30 s window), and more for
a whole answer; decoding stretches of the answer as they complete moves most of that work into the time the
candidate is talking. A stretch ends in the quietest moment of the speech (a pause between words or sentences),
never in the last second, which may be the middle of a word still being said.
"""

import threading

import numpy as np

from mockroom.providers.stt.base import SpeechToText, Transcript

# Only a pause this long is a cut point: between phrases, not the closure of a stop consonant inside a word, which
# in real speech is quiet for up to about 150 ms ("pipe|lines" and "e|vict" were cut there with 100 ms).
_WINDOW_SECONDS = 0.25
_FRAME_SECONDS = 0.02
# A window this much quieter than the loud part of the speech is a gap between words or phrases, safe to cut in; the
# closure of a "p" or "t" inside a word is only about ten times quieter. Near the background noise counts as quiet
# too, unless that "noise" is hardly quieter than the speech (a hum, or speech with no gap at all).
_QUIET_RATIO = 0.03
_NOISE_MARGIN = 2.0
_LOUDEST_QUIET = 0.3


class IncrementalTranscript:
    """The transcript of one turn, built stretch by stretch.

    `commit` decodes the audio between the part already transcribed and a cut point and keeps its text; `text`
    decodes what is left and joins it to the kept text, without keeping it (the candidate may go on). Stretches
    are at least `min_stretch_seconds` long (shorter ones give Whisper too little context) and end at least
    `keep_tail_seconds` before the live edge; past `max_stretch_seconds` without a quiet moment, the quietest one
    is taken anyway.
    """

    def __init__(
        self, *, stt: SpeechToText, sample_rate: int, min_stretch_seconds: float = 2.5,
        keep_tail_seconds: float = 1.0, max_stretch_seconds: float = 20.0,
    ) -> None:
        self._stt = stt
        self._sample_rate = sample_rate
        self._min_stretch = _bytes(min_stretch_seconds, sample_rate)
        self._keep_tail = _bytes(keep_tail_seconds, sample_rate)
        self._max_stretch = _bytes(max_stretch_seconds, sample_rate)
        self._lock = threading.Lock()
        self._committed = 0
        self._texts: list[str] = []

    @property
    def committed_bytes(self) -> int:
        """How much of the turn's audio (from its start) has its text kept."""
        return self._committed

    def ready(self, size: int) -> bool:
        """Whether a turn of `size` bytes has a stretch long enough to look for a cut in."""
        return size - self._committed >= self._min_stretch + self._keep_tail

    def cut_point(self, audio: bytes) -> int | None:
        """The byte offset of the last quiet moment that closes a stretch, or None when there is none yet."""
        start, end = self._committed + self._min_stretch, len(audio) - self._keep_tail
        if end <= start:
            return None
        frame = _bytes(_FRAME_SECONDS, self._sample_rate)
        samples = np.frombuffer(audio[self._committed:end], dtype="<i2").astype(np.float32) / 32768.0
        size = frame // 2
        rms = np.sqrt(np.mean(samples[: samples.size // size * size].reshape(-1, size) ** 2, axis=1))
        width = max(1, round(_WINDOW_SECONDS / _FRAME_SECONDS))
        if rms.size < width:
            return None
        windows = np.convolve(rms, np.ones(width) / width, mode="valid")
        first = (start - self._committed) // frame
        if first >= windows.size:
            return None
        candidates = windows[first:]
        loud = float(np.percentile(rms, 90))
        threshold = min(_LOUDEST_QUIET * loud, max(_QUIET_RATIO * loud, _NOISE_MARGIN * float(windows.min())))
        quiet = np.flatnonzero(candidates <= threshold)
        if quiet.size:
            index = int(quiet[-1])
        elif end - self._committed >= self._max_stretch:
            index = int(np.argmin(candidates))
        else:
            return None
        return self._committed + (first + index) * frame + width * frame // 2

    def commit(self, audio: bytes, cut: int) -> None:
        """Decodes `audio` from the committed point up to `cut` and keeps its text."""
        with self._lock:
            start = self._committed
        text = self.decode(audio[start:cut]).text
        with self._lock:
            if self._committed == start:
                self._texts.append(text)
                self._committed = cut

    def text(self, audio: bytes, *, tail: tuple[int, Transcript] | None = None) -> Transcript:
        """The whole turn's transcript: the kept stretches' text and a fresh decode of everything after them, whose
        ending is the turn's.

        `tail` is the transcript of the audio from an offset on, decoded while the stretch ending there was still
        being transcribed; it is used as is when that stretch has been kept.
        """
        with self._lock:
            start, texts = self._committed, list(self._texts)
        last = tail[1] if tail is not None and tail[0] == start else self.decode(audio[start:])
        return Transcript(text=" ".join(part for part in (*texts, last.text) if part), ending=last.ending)

    def decode(self, pcm: bytes) -> Transcript:
        """The transcript of `pcm` alone, its text stripped."""
        if not pcm:
            return Transcript(text="")
        heard = self._stt.transcribe(pcm, self._sample_rate)
        return Transcript(text=heard.text.strip(), ending=heard.ending)


def _bytes(seconds: float, sample_rate: int) -> int:
    """Whole 16-bit samples' worth of bytes in `seconds`."""
    return round(seconds * sample_rate) * 2

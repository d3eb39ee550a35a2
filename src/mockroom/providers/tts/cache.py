"""Short sentences the interviewer says again and again, synthesized once.

Most replies open with a short acknowledgement ("Got it.", "Thanks, that's clear."), spoken as a sentence of its
own while the rest is composed: its audio is the first the candidate hears. Kept here after the first time, it
starts without waiting for the speech engine (a network round trip with a hosted voice). Nothing is made ahead of
need: with a hosted voice that would be paid requests at every start.
"""

import threading
from collections import OrderedDict
from collections.abc import Iterator

from mockroom.providers.tts.base import SpeechChunk, TextToSpeech

# Longer sentences are rarely said twice; a bound keeps the memory small (a short sentence is ~50 KB of audio).
_MAX_CHARS = 40
_MAX_ENTRIES = 128


class CachedSpeech:
    """A TextToSpeech that keeps the chunks of short sentences it has spoken."""

    def __init__(self, inner: TextToSpeech) -> None:
        self.inner = inner
        self.name = inner.name
        self.sample_rate = inner.sample_rate
        self._chunks: OrderedDict[str, tuple[SpeechChunk, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def synthesize(self, text: str) -> Iterator[SpeechChunk]:
        """The speech for `text`: from the cache when it is a short sentence said before."""
        key = " ".join(text.split())
        if len(key) > _MAX_CHARS:
            yield from self.inner.synthesize(text)
            return
        with self._lock:
            kept = self._chunks.get(key)
            if kept is not None:
                self._chunks.move_to_end(key)
        if kept is None:
            made: list[SpeechChunk] = []
            for chunk in self.inner.synthesize(text):
                made.append(chunk)
                yield chunk
            self._keep(key, tuple(made))
            return
        yield from kept

    def warm_up(self) -> None:
        """Loads the engine."""
        self.inner.warm_up()

    def _keep(self, key: str, chunks: tuple[SpeechChunk, ...]) -> None:
        if not chunks:
            return
        with self._lock:
            self._chunks[key] = chunks
            while len(self._chunks) > _MAX_ENTRIES:
                self._chunks.popitem(last=False)

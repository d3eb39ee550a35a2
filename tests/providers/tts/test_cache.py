"""Short sentences said again come from the cache, the same audio without a second synthesis."""

from collections.abc import Iterator

from mockroom.providers.tts.base import SpeechChunk
from mockroom.providers.tts.cache import CachedSpeech


class CountingVoice:
    """A voice that says each text as one chunk of silence as long as the text, and counts its syntheses."""

    name = "counting"
    sample_rate = 16_000

    def __init__(self) -> None:
        self.said: list[str] = []
        self.warmed = False

    def synthesize(self, text: str) -> Iterator[SpeechChunk]:
        self.said.append(text)
        yield SpeechChunk(pcm=b"\x00\x00" * 160 * len(text), sample_rate=self.sample_rate, text=text)

    def warm_up(self) -> None:
        self.warmed = True


def test_a_short_sentence_is_synthesized_once_and_a_long_one_every_time() -> None:
    voice = CountingVoice()
    cached = CachedSpeech(voice)
    first, again = list(cached.synthesize("Got it.")), list(cached.synthesize("Got  it."))
    assert voice.said == ["Got it."] and first == again
    long = "Let's move on to some Python questions and talk about how decorators work in practice."
    list(cached.synthesize(long)), list(cached.synthesize(long))
    assert voice.said.count(long) == 2


def test_warm_up_loads_the_engine_and_synthesizes_nothing() -> None:
    voice = CountingVoice()
    CachedSpeech(voice).warm_up()
    assert voice.warmed and voice.said == []

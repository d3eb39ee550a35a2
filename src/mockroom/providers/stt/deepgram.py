"""Hosted speech-to-text: Deepgram's live WebSocket API (`/v1/listen`), one connection per utterance."""

import json
from urllib.parse import urlencode

from mockroom.providers.stt.base import Ending, SpeechToTextError, Transcript, Word

_CHUNK_BYTES = 8_000


class DeepgramSpeechToText:
    """Streams the utterance as linear16 PCM, closes the stream and joins the final results."""

    name = "deepgram"

    def __init__(
        self, *, api_key: str, url: str = "wss://api.deepgram.com/v1/listen", model: str = "nova-3",
        language: str = "en", timeout_seconds: float = 15.0,
    ) -> None:
        if not api_key:
            raise SpeechToTextError("Deepgram needs an API key: set MOCKROOM_DEEPGRAM_API_KEY.")
        self.api_key = api_key
        self.url = url
        self.model = model
        self.language = language
        self.timeout_seconds = timeout_seconds

    def warm_up(self) -> None:
        """Nothing to load: the model runs at Deepgram."""

    def _address(self, sample_rate: int) -> str:
        query = urlencode({
            "encoding": "linear16", "sample_rate": sample_rate, "channels": 1, "model": self.model,
            "language": self.language, "punctuate": "true", "smart_format": "true", "interim_results": "false",
        })
        return f"{self.url}?{query}"

    def transcribe(self, pcm: bytes, sample_rate: int) -> Transcript:
        """The finalised transcript of `pcm`, with word timings."""
        from websockets.exceptions import WebSocketException
        from websockets.sync.client import connect

        texts: list[str] = []
        words: list[Word] = []
        try:
            with connect(
                self._address(sample_rate), additional_headers={"Authorization": f"Token {self.api_key}"},
                open_timeout=self.timeout_seconds, close_timeout=2,
            ) as socket:
                for start in range(0, len(pcm), _CHUNK_BYTES):
                    socket.send(pcm[start:start + _CHUNK_BYTES])
                socket.send(json.dumps({"type": "CloseStream"}))
                while True:
                    try:
                        raw = socket.recv(timeout=self.timeout_seconds)
                    except TimeoutError as error:
                        raise SpeechToTextError("Deepgram sent no final result in time.") from error
                    except WebSocketException:
                        break
                    _collect(raw, texts, words)
        except OSError as error:
            raise SpeechToTextError(f"Could not reach Deepgram at {self.url}: {error}") from error
        except WebSocketException as error:
            raise SpeechToTextError(f"Deepgram refused the stream: {error}") from error
        last = words[-1].confidence if words else None
        return Transcript(text=" ".join(texts), words=words, ending=None if last is None else Ending(last_word=last))


def _collect(raw: str | bytes, texts: list[str], words: list[Word]) -> None:
    """Adds the text and words of one `Results` message that is final."""
    message = json.loads(raw)
    if message.get("type") != "Results" or not message.get("is_final"):
        return
    alternatives = message.get("channel", {}).get("alternatives") or [{}]
    best = alternatives[0]
    if best.get("transcript"):
        texts.append(best["transcript"].strip())
    for word in best.get("words", []):
        words.append(Word(
            text=word.get("punctuated_word") or word["word"], start=float(word["start"]), end=float(word["end"]),
            confidence=float(word["confidence"]) if isinstance(word.get("confidence"), int | float) else None,
        ))

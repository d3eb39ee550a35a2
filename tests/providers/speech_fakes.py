"""Local fakes of the hosted speech services, speaking their documented wire protocols.

Deepgram live STT: WebSocket `/v1/listen?encoding=linear16&sample_rate=…`, `Authorization: Token KEY`, binary
audio in, `{"type": "CloseStream"}` to finish, `Results` messages out (`channel.alternatives[0]`, `is_final`,
`speech_final`), then `Metadata` and close. ElevenLabs TTS: `POST /v1/text-to-speech/{voice_id}/stream
?output_format=pcm_24000` with `xi-api-key`, JSON `{"text", "model_id"}`, raw little-endian PCM streamed back.
"""

import json
import socket
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import numpy as np
import uvicorn
from fastapi import FastAPI, Request, WebSocket
from fastapi.responses import JSONResponse, Response, StreamingResponse

DEEPGRAM_KEY = "dg-test-key"
ELEVENLABS_KEY = "xi-test-key"
VOICE_ID = "voice123"


def _results(transcript: str, words: list[dict[str, Any]], *, final: bool) -> str:
    return json.dumps({
        "type": "Results", "is_final": final, "speech_final": final, "start": 0.0, "duration": 1.0,
        "channel": {"alternatives": [{"transcript": transcript, "confidence": 0.98, "words": words}]},
    })


def speech_app() -> FastAPI:
    """Both fakes on one app; `app.state.received` records what each got."""
    app = FastAPI()
    app.state.received = {}

    @app.websocket("/v1/listen")
    async def listen(socket: WebSocket) -> None:
        if socket.headers.get("authorization") != f"Token {DEEPGRAM_KEY}":
            await socket.close(code=1008)
            return
        await socket.accept()
        audio = bytearray()
        while True:
            message = await socket.receive()
            if message.get("bytes"):
                audio.extend(message["bytes"])
            elif message.get("text") and json.loads(message["text"]).get("type") == "CloseStream":
                break
            elif message["type"] == "websocket.disconnect":
                return
        app.state.received["deepgram"] = {"audio": bytes(audio), "query": dict(socket.query_params)}
        seconds = len(audio) / 2 / int(socket.query_params["sample_rate"])
        await socket.send_text(_results("hello", [], final=False))
        await socket.send_text(_results("Hello there.", [
            {"word": "hello", "start": 0.1, "end": 0.4, "confidence": 0.9, "punctuated_word": "Hello"},
            {"word": "there", "start": 0.5, "end": 0.8, "confidence": 0.9, "punctuated_word": "there."},
        ], final=True))
        await socket.send_text(_results(f"I heard {seconds:.1f} seconds.", [], final=True))
        await socket.send_text(json.dumps({"type": "Metadata", "request_id": "fake", "duration": seconds}))
        await socket.close()

    @app.post("/v1/text-to-speech/{voice_id}/stream")
    async def speak(voice_id: str, request: Request) -> Response:
        if request.headers.get("xi-api-key") != ELEVENLABS_KEY:
            return JSONResponse({"detail": {"status": "invalid_api_key"}}, status_code=401)
        body = await request.json()
        app.state.received["elevenlabs"] = {
            "voice_id": voice_id, "body": body, "format": request.query_params.get("output_format"),
        }
        seconds = 0.1 * len(body["text"].split())
        t = np.arange(int(24_000 * seconds)) / 24_000
        pcm = (np.sin(2 * np.pi * 220 * t) * 12_000).astype("<i2").tobytes()

        async def pieces() -> AsyncIterator[bytes]:
            for start in range(0, len(pcm), 3_001):  # odd sizes, as a network delivers them
                yield pcm[start:start + 3_001]

        return StreamingResponse(pieces(), media_type="audio/pcm")

    return app


class SpeechFakes:
    """Runs `speech_app` on a free loopback port for the duration of a `with` block."""

    def __enter__(self) -> "SpeechFakes":
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.app = speech_app()
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.time() + 10
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("fake speech server did not start")
            time.sleep(0.02)
        return self

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/v1/listen"

    @property
    def received(self) -> dict[str, Any]:
        return self.app.state.received  # type: ignore[no-any-return]

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)

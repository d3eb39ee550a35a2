"""One voice server (real app, real speech models) shared by the voice tests, and speech made with its TTS."""

import asyncio
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
import pytest
import uvicorn
from fastapi import FastAPI

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from mockroom.api.app import create_app
from mockroom.api.routes import voice as voice_routes
from mockroom.core.config import Settings
from mockroom.voice.engine import VoiceEngine, engine_of


def with_voice_routes(app: FastAPI) -> FastAPI:
    """The app with the voice router, unless app.py already includes it."""
    paths = {getattr(route, "path", "") for route in app.routes}
    if "/api/interviews/{interview_id}/voice/offer" not in paths:
        app.include_router(voice_routes.router, prefix="/api")
    return app


@dataclass
class VoiceServer:
    url: str
    app: FastAPI

    @property
    def engine(self) -> VoiceEngine:
        return engine_of(self.app.state)

    def new_interview(self, topic: str = "Python backend") -> str:
        response = httpx.post(f"{self.url}/api/interviews", json={"topic": topic, "duration_minutes": 30}, timeout=60)
        response.raise_for_status()
        return str(response.json()["id"])

    def transcript(self, interview_id: str) -> list[dict[str, object]]:
        response = httpx.get(f"{self.url}/api/interviews/{interview_id}", timeout=60)
        response.raise_for_status()
        return list(response.json()["messages"])

    def speech(self, text: str) -> bytes:
        """`text` spoken by the TTS, as 16 kHz mono PCM (what the microphone sends)."""
        chunks = list(self.engine.tts.synthesize(text))
        pcm = np.frombuffer(b"".join(c.pcm for c in chunks), dtype="<i2").astype(np.float32)
        rate = chunks[0].sample_rate
        times = np.arange(0, pcm.size / rate, 1 / 16_000)
        samples = np.interp(times, np.arange(pcm.size) / rate, pcm)
        # Trim the engine's lead-in and tail silence so that a scripted pause is exactly as long as scripted.
        voiced = np.flatnonzero(np.abs(samples) > 500)
        if voiced.size:
            samples = samples[max(0, voiced[0] - 800): voiced[-1] + 800]
        return samples.astype("<i2").tobytes()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def voice_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoiceServer]:
    """The real app on a real port, with its speech models loaded once."""
    data = tmp_path_factory.mktemp("voice")
    settings = Settings(
        data_dir=data, database_url=f"sqlite:///{data / 'mockroom.db'}", web_dist=Path(data / "no-web"),
        voice_check_in_seconds=600,
    )
    app = with_voice_routes(create_app(settings, warm=False))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while not server.started:
        if time.time() > deadline:
            raise RuntimeError("voice test server did not start")
        time.sleep(0.05)
    status = httpx.get(f"{url}/api/voice", timeout=120).json()
    assert status["available"], status
    yield VoiceServer(url=url, app=app)
    server.should_exit = True
    thread.join(timeout=10)


def run(coro: object) -> object:
    """Runs a coroutine of the test on its own loop."""
    return asyncio.run(coro)  # type: ignore[arg-type]

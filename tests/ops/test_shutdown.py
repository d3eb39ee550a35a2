"""Graceful shutdown: requests in flight finish after SIGTERM, and the app's shutdown hangs up voice calls."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from mockroom.api.routes.voice import _engine_for
from mockroom.voice.engine import VoiceEngine


def test_stopping_the_app_hangs_up_every_voice_call(make_app):
    app = make_app()
    engine = VoiceEngine(settings=app.state.settings, db=app.state.db, brain=app.state.brain, stt=None, tts=None,
                         smart_turn=None, handler=None)
    app.state.voice = engine
    assert _engine_for(app) is engine  # what the first voice request does: registers the hang-up

    async def call() -> None:
        await asyncio.sleep(3600)

    async def start_call() -> asyncio.Task[None]:
        task = asyncio.create_task(call())
        engine.sessions.add(task)
        task.add_done_callback(engine.sessions.discard)
        return task

    with TestClient(app) as client:
        task = client.portal.call(start_call)
        assert "mockroom_voice_calls_active 1.0" in client.get("/metrics").text
    assert task.cancelled()
    assert not engine.sessions


def _serve(tmp_path: Path, blackhole_port: int, graceful_seconds: int) -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "MOCKROOM_DATA_DIR": str(tmp_path), "MOCKROOM_WEB_DIST": str(tmp_path / "none"),
           "MOCKROOM_VOICE_ENABLED": "false", "MOCKROOM_REDIS_URL": f"redis://127.0.0.1:{blackhole_port}/0",
           "MOCKROOM_READINESS_TIMEOUT_SECONDS": "3", "MOCKROOM_GRACEFUL_SHUTDOWN_SECONDS": str(graceful_seconds)}
    env.pop("MOCKROOM_DATABASE_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "mockroom", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health/live", timeout=1).status_code == 200:
                return server, port
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError("the server did not start")


def _probe_while_stopping(server: subprocess.Popen[bytes], port: int) -> httpx.Response | Exception:
    """Asks for readiness (which waits 3 s on a Redis that never answers), sends SIGTERM one second into it, and
    returns what the probe got."""
    outcome: list[httpx.Response | Exception] = []

    def probe() -> None:
        try:
            outcome.append(httpx.get(f"http://127.0.0.1:{port}/api/health/ready", timeout=20))
        except httpx.HTTPError as error:
            outcome.append(error)

    thread = threading.Thread(target=probe)
    thread.start()
    time.sleep(1.0)
    server.send_signal(signal.SIGTERM)
    thread.join(30)
    # Uvicorn raises the signal again once it has shut down, so the exit says what stopped it.
    assert server.wait(30) == -signal.SIGTERM
    return outcome[0]


@pytest.mark.slow
def test_sigterm_lets_a_request_in_flight_finish_within_the_graceful_timeout(tmp_path: Path):
    with socket.socket() as blackhole:  # accepts connections (the kernel does) and never answers
        blackhole.bind(("127.0.0.1", 0))
        blackhole.listen(16)
        server, port = _serve(tmp_path / "patient", blackhole.getsockname()[1], graceful_seconds=30)
        finished = _probe_while_stopping(server, port)
        assert isinstance(finished, httpx.Response), finished
        assert finished.status_code == 503 and finished.json()["checks"]["redis"] != "ok"
        assert finished.elapsed.total_seconds() > 2  # it was still in flight when SIGTERM came, at one second

        server, port = _serve(tmp_path / "impatient", blackhole.getsockname()[1], graceful_seconds=0)
        cut = _probe_while_stopping(server, port)
        assert not (isinstance(cut, httpx.Response) and cut.status_code == 503), "a zero timeout waited anyway"

"""Nothing is lost: a killed server resumes the same interview, and a turn that crashed is replied to later."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from mockroom.api.app import create_app
from mockroom.core.config import Settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(data_dir: Path, port: int, database_url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MOCKROOM_DATA_DIR": str(data_dir), "MOCKROOM_DATABASE_URL": database_url,
           "MOCKROOM_WEB_DIST": str(data_dir / "no-web")}
    process = subprocess.Popen(
        [sys.executable, "-m", "mockroom", "serve", "--port", str(port)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start")


@pytest.mark.slow
def test_killed_server_loses_nothing_and_the_interview_continues(tmp_path, database_url):
    port = _free_port()
    base = f"http://127.0.0.1:{port}/api"
    server = _serve(tmp_path, port, database_url)
    try:
        interview = httpx.post(f"{base}/interviews", json={"topic": "Go", "level": "beginner"}, timeout=60).json()
        iid = interview["id"]
        said = ["I have written Go services for two years at a logistics company.",
                "A goroutine is a lightweight thread managed by the Go runtime, started with the go keyword."]
        for text in said:
            assert httpx.post(f"{base}/interviews/{iid}/answer", json={"text": text}, timeout=60).status_code == 200
        before = httpx.get(f"{base}/interviews/{iid}", timeout=30).json()
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()

    server = _serve(tmp_path, port, database_url)
    try:
        after = httpx.get(f"{base}/interviews/{iid}", timeout=30).json()
        assert after["messages"] == before["messages"]
        assert after["progress"]["question_number"] == before["progress"]["question_number"]
        reply = httpx.post(f"{base}/interviews/{iid}/answer",
                           json={"text": "Channels let goroutines send values to each other safely."}, timeout=60)
        assert reply.status_code == 200
        texts = [m["text"] for m in httpx.get(f"{base}/interviews/{iid}", timeout=30).json()["messages"]]
        assert texts[: len(before["messages"])] == [m["text"] for m in before["messages"]]
        assert len(texts) == len(before["messages"]) + 2
        report = httpx.post(f"{base}/interviews/{iid}/end", timeout=60).json()
        assert report["analytics"]["words"] > 20
    finally:
        server.terminate()
        server.wait()


class _FailingOnce:
    """Wraps a brain and fails its first assessment, like a crash in the middle of a turn."""

    def __init__(self, brain):
        self._brain, self.name, self.failed = brain, brain.name, False

    def __getattr__(self, attribute):
        return getattr(self._brain, attribute)

    def assess(self, **kwargs):
        if not self.failed:
            self.failed = True
            raise RuntimeError("simulated crash mid-turn")
        return self._brain.assess(**kwargs)


def test_an_answer_stored_before_a_crash_is_replied_to_on_the_next_read(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
                              web_dist=tmp_path / "no-web", allowed_hosts=["testserver"]))
    client = TestClient(app, raise_server_exceptions=False)
    iid = client.post("/api/interviews", json={"topic": "Python"}).json()["id"]
    client.post(f"/api/interviews/{iid}/answer", json={"text": "I build APIs in Python at a bank."})
    app.state.brain = _FailingOnce(app.state.brain)
    crashed = client.post(f"/api/interviews/{iid}/answer",
                          json={"text": "Lists are mutable and tuples are immutable, so tuples can be dict keys."})
    assert crashed.status_code == 500
    assert crashed.json()["error"]["code"] == "internal_error"
    messages = client.get(f"/api/interviews/{iid}").json()["messages"]
    assert messages[-2]["text"].startswith("Lists are mutable") and messages[-2]["role"] == "candidate"
    assert messages[-1]["role"] == "interviewer"

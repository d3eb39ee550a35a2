"""A local fake of Judge0's batch API for the coding tests: runs Python submissions for real, or as scripted."""

import base64
import json
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class FakeJudge0:
    """State of the fake server: what it was sent, and how it should misbehave next."""

    url: str = ""
    posts: list[dict[str, Any]] = field(default_factory=list)
    gets: int = 0
    headers: list[dict[str, str]] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)
    scripted: Callable[[dict[str, Any], int], dict[str, Any]] | None = None
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    polled: set[str] = field(default_factory=set)


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _execute(submission: dict[str, Any]) -> dict[str, Any]:
    """Runs a Python submission for real, as Judge0 would (this is our own test code, so unsandboxed)."""
    source = base64.b64decode(submission["source_code"]).decode()
    stdin = base64.b64decode(submission.get("stdin") or "")
    with tempfile.NamedTemporaryFile("w", suffix=".py") as handle:
        handle.write(source)
        handle.flush()
        try:
            done = subprocess.run(
                ["/usr/bin/python3", handle.name],
                input=stdin,
                capture_output=True,
                timeout=submission["cpu_time_limit"],
            )
        except subprocess.TimeoutExpired:
            return {"status": {"id": 5, "description": "Time Limit Exceeded"}, "time": "1.0", "memory": 9000}
    status = (
        {"id": 3, "description": "Accepted"}
        if done.returncode == 0
        else {"id": 11, "description": "Runtime Error (NZEC)"}
    )
    return {
        "status": status,
        "stdout": base64.b64encode(done.stdout).decode() if done.stdout else None,
        "stderr": base64.b64encode(done.stderr).decode() if done.stderr else None,
        "compile_output": None,
        "message": None,
        "exit_code": done.returncode,
        "exit_signal": None,
        "time": "0.012",
        "memory": 7800,
    }


def _handler(state: FakeJudge0) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _misbehave(self) -> bool:
            state.headers.append(dict(self.headers))
            if state.delays:
                time.sleep(state.delays.pop(0))
            if state.failures:
                code = state.failures.pop(0)
                self.send_response(code)
                self.send_header("Retry-After", "0")
                self.end_headers()
                self.wfile.write(b'{"error": "busy"}')
                return True
            return False

        def _answer(self, code: int, body: object) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            if self._misbehave():
                return
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.posts.append({"path": self.path, "body": body})
            tokens = []
            for index, submission in enumerate(body["submissions"]):
                token = str(uuid.uuid4())
                number = len(state.results)
                answer = state.scripted(submission, number) if state.scripted else _execute(submission)
                state.results[token] = {"token": token, **answer}
                tokens.append({"token": token})
                del index
            self._answer(201, tokens)

        def do_GET(self) -> None:
            if self._misbehave():
                return
            state.gets += 1
            query = parse_qs(urlsplit(self.path).query)
            assert query["base64_encoded"] == ["true"]
            answers = []
            for token in query["tokens"][0].split(","):
                if token not in state.polled:  # the first poll finds every run still processing
                    state.polled.add(token)
                    answers.append({"token": token, "status": {"id": 2, "description": "Processing"}})
                else:
                    answers.append(state.results[token])
            self._answer(200, {"submissions": answers})

    return Handler


@contextmanager
def fake_judge0() -> Iterator[FakeJudge0]:
    """A fake Judge0 on a free loopback port."""
    state = FakeJudge0()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()

"""Body caps hold on the bytes received: a chunked body (no Content-Length) over a route's cap gets a 413 at once
and the server stops reading it, on a real server over a real socket."""

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from mockroom.api.app import create_app
from mockroom.api.body_size import CODE_CAP, FORM_OVERHEAD, JSON_CAP, VOICE_CAP, route_kind
from mockroom.core.config import Settings

CHUNK = 64 * 1024
UPLOAD = 5 * 1024 * 1024


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn server on a free port, serving an app on SQLite."""
    tmp = tmp_path_factory.mktemp("body-size")
    app = create_app(Settings(data_dir=tmp, database_url=f"sqlite:///{tmp / 'db.sqlite'}", web_dist=tmp / "no-web",
                              voice_enabled=False), warm=False)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    app.state.db.engine.dispose()


def _rss_mb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) // 1024


def _chunked_post(address: str, path: str, *, content_type: str, head: bytes, total: int) -> tuple[str, dict, int]:
    """Sends head and then filler in chunks (no Content-Length) until the server answers or total bytes went out;
    returns the response head, the JSON body and how many bytes the client managed to send."""
    host, port = address.split(":")
    sock = socket.create_connection((host, int(port)))
    sock.sendall(
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n\r\n"
        .encode() + b"%x\r\n%s\r\n" % (len(head), head)
    )
    filler = b"%x\r\n%s\r\n" % (CHUNK, b"a" * CHUNK)
    sock.setblocking(False)
    sent, pending, response = len(head), b"", b""
    while sent < total and b"\r\n\r\n" not in response:
        with contextlib.suppress(BlockingIOError):
            response += sock.recv(65536)
        pending = pending or filler
        try:
            written = sock.send(pending)
        except BlockingIOError:  # the server is not reading: wait for its answer
            time.sleep(0.01)
            continue
        except (BrokenPipeError, ConnectionResetError):
            break
        pending, sent = pending[written:], sent + written
    sock.setblocking(True)
    sock.settimeout(10)
    while True:  # the answer, then the server's end of the connection
        try:
            data = sock.recv(65536)
        except ConnectionResetError:
            break
        if not data:
            break
        response += data
    sock.close()
    head_part, _, body = response.partition(b"\r\n\r\n")
    return head_part.decode(), json.loads(body), sent


@pytest.mark.parametrize(
    ("path", "content_type", "head", "cap", "code"),
    [
        ("/api/interviews/{iid}/answer", "application/json", b'{"text": "', JSON_CAP, "too_large"),
        ("/api/interviews", "application/json", b'{"topic": "Python", "job_description": "', JSON_CAP, "too_large"),
        (
            "/api/cv/parse", "multipart/form-data; boundary=XyZ",
            b'--XyZ\r\nContent-Disposition: form-data; name="cv"; filename="cv.txt"\r\nContent-Type: text/plain\r\n\r\n',
            UPLOAD + FORM_OVERHEAD, "cv_too_large",
        ),
        ("/api/interviews/{iid}/voice/offer", "application/json", b'{"type": "offer", "sdp": "v=0\\r\\n', VOICE_CAP,
         "too_large"),
        ("/api/interviews/{iid}/code/run", "application/json", b'{"language": "python", "code": "', CODE_CAP,
         "too_large"),
    ],
    ids=["answer", "start", "cv", "voice-offer", "code-run"],
)
def test_a_chunked_body_over_the_cap_is_refused_without_being_read(live, path, content_type, head, cap, code):
    iid = httpx.post(f"http://{live}/api/interviews", json={"topic": "Python"}, timeout=60).json()["id"]
    before = _rss_mb()
    started = time.monotonic()
    head, body, sent = _chunked_post(live, path.format(iid=iid), content_type=content_type, head=head,
                                     total=200 * 1024 * 1024)
    assert head.startswith("HTTP/1.1 413"), head
    assert "connection: close" in head.lower()
    assert body["error"]["code"] == code and body["error"]["message"].endswith(".")
    # The client could send the cap plus what the kernel's socket buffers hold, never the 200 MB.
    assert sent < cap + 16 * 1024 * 1024
    assert time.monotonic() - started < 10
    assert _rss_mb() - before < 64
    # Nothing was stored, and the server still answers.
    messages = httpx.get(f"http://{live}/api/interviews/{iid}", timeout=30).json()["messages"]
    assert [m["role"] for m in messages] == ["interviewer", "interviewer"]


def test_a_chunked_body_under_the_cap_is_served(live):
    iid = httpx.post(f"http://{live}/api/interviews", json={"topic": "Python"}, timeout=60).json()["id"]

    def pieces() -> Iterator[bytes]:
        yield b'{"text": "I have built '
        yield b'Django services for five years."}'

    response = httpx.post(f"http://{live}/api/interviews/{iid}/answer", content=pieces(),
                          headers={"content-type": "application/json"}, timeout=60)
    assert response.status_code == 200, response.text
    assert response.json()["candidate_message"]["text"] == "I have built Django services for five years."


def test_a_declared_length_over_the_cap_is_refused_before_any_byte_is_read(tmp_path: Path):
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
                              web_dist=tmp_path / "no-web"), warm=False)
    status, headers, body, pulled = asyncio.run(_call(
        app, "/api/interviews/abc/answer", [b"{}"], headers=[(b"content-length", str(JSON_CAP + 1).encode())],
    ))
    assert status == 413 and pulled == 0
    assert (b"connection", b"close") in headers
    assert body["error"]["code"] == "too_large"


def test_a_response_sent_before_the_body_was_read_closes_the_connection(tmp_path: Path):
    # /end reads no body: the server would otherwise go on reading (and discarding) whatever the client sends.
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
                              web_dist=tmp_path / "no-web"), warm=False)
    status, headers, _, pulled = asyncio.run(_call(app, "/api/interviews/nope/end", [b"x" * CHUNK] * 1000))
    assert status == 404 and pulled == 0
    assert (b"connection", b"close") in headers
    status, headers, _, _ = asyncio.run(_call(app, "/api/interviews/nope/end", []))
    assert status == 404 and (b"connection", b"close") not in headers


async def _call(
    app: FastAPI, path: str, chunks: list[bytes], *, headers: list[tuple[bytes, bytes]] | None = None,
) -> tuple[int, list[tuple[bytes, bytes]], dict, int]:
    """Calls the ASGI app directly with a chunked body; returns status, headers, JSON body and bytes pulled."""
    pending = list(chunks)
    pulled = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal pulled
        if not pending:
            return {"type": "http.request", "body": b"", "more_body": False}
        chunk = pending.pop(0)
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": bool(pending)}

    async def send(message: dict) -> None:
        sent.append(message)

    body_headers = headers if headers is not None else ([(b"transfer-encoding", b"chunked")] if chunks else [])
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"), *body_headers],
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
    }
    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], list(start["headers"]), json.loads(body), pulled


@pytest.mark.parametrize(
    ("path", "content_type", "kind"),
    [
        ("/api/interviews", "multipart/form-data; boundary=x", "upload"),
        ("/api/cv/parse", "multipart/form-data; boundary=x", "upload"),
        ("/api/interviews", "application/json", "json"),
        ("/api/interviews/abc/answer", "application/json", "json"),
        ("/api/interviews/abc/answer", "multipart/form-data; boundary=x", "json"),
        ("/api/interviews/abc/code/submit", "application/json", "code"),
        ("/api/interviews/abc/voice/offer", "application/json", "voice"),
        ("/api/auth/login", "application/json", "json"),
    ],
)
def test_each_route_gets_its_cap(path, content_type, kind):
    assert route_kind(path=path, content_type=content_type) == kind


def test_the_caps_leave_room_for_every_valid_body():
    # 20,000 characters each escaped as \\uXXXX, 100,000 characters of code, a 64,000-character SDP offer.
    assert JSON_CAP > 20_000 * 6 + 1024 and CODE_CAP > 100_000 * 6 and VOICE_CAP > 64_000 * 6

"""CV uploads over HTTP: a hostile PDF ends in a clear 422 within seconds (and a server asked to stop still stops),
and a form field that is not UTF-8 is refused instead of stored garbled."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.cv.hostile import hostile_pdf

from mockroom.api.app import create_app
from mockroom.core.config import Settings


@pytest.fixture(scope="module")
def sqlite_app_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("uploads")
    app = create_app(Settings(data_dir=tmp, database_url=f"sqlite:///{tmp / 'db.sqlite'}", web_dist=tmp / "no-web",
                              allowed_hosts=["testserver"]), warm=False)
    with TestClient(app) as client:
        yield client
    app.state.db.engine.dispose()


def test_a_hostile_pdf_gets_a_clear_422_within_seconds(sqlite_app_client):
    started = time.monotonic()
    response = sqlite_app_client.post("/api/cv/parse", files={"cv": ("cv.pdf", hostile_pdf(), "application/pdf")})
    assert time.monotonic() - started < 12
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "cv_too_complex" and error["message"].startswith("This CV took too long to read")


def test_a_hostile_pdf_starts_no_interview(sqlite_app_client):
    before = sqlite_app_client.get("/api/interviews").json()
    response = sqlite_app_client.post("/api/interviews", data={"topic": "Python"},
                                      files={"cv": ("cv.pdf", hostile_pdf(pages=3), "application/pdf")})
    assert response.status_code == 422 and response.json()["error"]["code"] == "cv_too_complex"
    assert sqlite_app_client.get("/api/interviews").json() == before


def _multipart(fields: dict[str, bytes], *, charset: str | None = None) -> tuple[bytes, dict[str, str]]:
    body = b"".join(
        b'--B0und\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (name.encode(), value)
        for name, value in fields.items()
    ) + b"--B0und--\r\n"
    content_type = "multipart/form-data; boundary=B0und" + (f"; charset={charset}" if charset else "")
    return body, {"content-type": content_type}


@pytest.mark.parametrize("field", ["topic", "job_description"])
def test_a_form_field_that_is_not_utf8_is_refused(client, field):
    fields = {"topic": b"Python", "job_description": b"Needs SQL.", field: b"Caf\xe9 \xff\xfe systems"}
    body, headers = _multipart(fields)
    response = client.post("/api/interviews", content=body, headers=headers)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert f"'{field}'" in error["message"] and "UTF-8" in error["message"]
    assert client.get("/api/interviews").json() == []


def test_a_form_declared_in_another_charset_is_refused(client):
    body, headers = _multipart({"topic": "Café".encode("latin-1")}, charset="latin-1")
    response = client.post("/api/interviews", content=body, headers=headers)
    assert response.status_code == 422 and "UTF-8" in response.json()["error"]["message"]


def test_utf8_form_fields_are_stored_as_sent(client):
    body, headers = _multipart({"topic": "Café systems ☕".encode(), "job_description": "Straße, 東京.".encode()})
    response = client.post("/api/interviews", content=body, headers=headers)
    assert response.status_code == 201, response.text
    interview = response.json()
    assert (interview["topic"], interview["job_description"]) == ("Café systems ☕", "Straße, 東京.")


@pytest.mark.slow
def test_sigterm_stops_the_server_promptly_while_it_reads_a_hostile_cv(tmp_path: Path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "MOCKROOM_DATA_DIR": str(tmp_path), "MOCKROOM_WEB_DIST": str(tmp_path / "no-web"),
           "MOCKROOM_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    server = subprocess.Popen([sys.executable, "-m", "mockroom", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        answers: list[httpx.Response] = []
        upload = threading.Thread(target=lambda: answers.append(httpx.post(
            f"http://127.0.0.1:{port}/api/cv/parse", files={"cv": ("cv.pdf", hostile_pdf(), "application/pdf")},
            timeout=60,
        )))
        upload.start()
        time.sleep(2)  # the worker is now deep in the PDF
        stopping = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
        assert time.monotonic() - stopping < 10
        upload.join(timeout=15)
        # The request in flight was finished, with the limit's error, before the server stopped.
        assert answers and answers[0].status_code == 422
        assert answers[0].json()["error"]["code"] == "cv_too_complex"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

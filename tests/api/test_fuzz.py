"""Property-based fuzzing of every route from the OpenAPI schema: no input may cause a 5xx."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


@pytest.mark.slow
def test_no_generated_request_gets_a_server_error(tmp_path: Path):
    """Signed in, as a user of an accounts-mode server; signing out and deleting the account are left out, since
    either would end the session the rest of the run needs."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "MOCKROOM_DATA_DIR": str(tmp_path), "MOCKROOM_WEB_DIST": str(tmp_path / "none"),
           "MOCKROOM_AUTH": "accounts"}
    env.pop("MOCKROOM_DATABASE_URL", None)
    # The server's log goes to a file: a pipe nobody reads fills up and stops the server mid-run.
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "mockroom", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=log)
    try:
        for _ in range(300):
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        base = f"http://127.0.0.1:{port}/api/auth"
        credentials = {"email": "fuzz@example.com", "password": "a long enough password"}
        assert httpx.post(f"{base}/register", json=credentials).status_code == 201
        token = httpx.post(f"{base}/login", json=credentials).json()["access_token"]
        fuzz = subprocess.run(
            [str(Path(sys.executable).with_name("schemathesis")), "run", f"http://127.0.0.1:{port}/openapi.json",
             "--checks", "not_a_server_error", "--max-examples", "12", "--workers", "1", "--seed", "1",
             "-H", f"Authorization: Bearer {token}", "--exclude-path", "/api/auth/logout",
             "--exclude-path-regex", "^/api/auth/(me|password)$"],
            capture_output=True, text=True, timeout=600,
        )
        assert fuzz.returncode == 0, fuzz.stdout[-3000:]
    finally:
        server.terminate()
        server.wait()
        log.close()

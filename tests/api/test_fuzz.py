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
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "MOCKROOM_DATA_DIR": str(tmp_path), "MOCKROOM_WEB_DIST": str(tmp_path / "none")}
    env.pop("MOCKROOM_DATABASE_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "mockroom", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(300):
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        fuzz = subprocess.run(
            [str(Path(sys.executable).with_name("schemathesis")), "run", f"http://127.0.0.1:{port}/openapi.json",
             "--checks", "not_a_server_error", "--max-examples", "12", "--workers", "1", "--seed", "1"],
            capture_output=True, text=True, timeout=600,
        )
        assert fuzz.returncode == 0, fuzz.stdout[-3000:]
    finally:
        server.terminate()
        server.wait()

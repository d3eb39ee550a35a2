"""Request ids: the X-Request-ID round trip, and the request's and interview's ids on every log line it writes,
as text or as JSON lines."""

import io
import json
import logging
import re
import sys
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from loguru import logger

from mockroom.api.observability import configure_logging, request_id_from
from mockroom.core.config import Settings


@pytest.fixture
def captured_logs() -> Iterator[Callable[[Settings], io.StringIO]]:
    """Points the server's logging at a buffer, as `mockroom serve` points it at stderr; restores it afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level

    def capture(settings: Settings) -> io.StringIO:
        buffer = io.StringIO()
        configure_logging(settings, sink=buffer)
        return buffer

    yield capture
    logger.remove()
    logger.add(sys.stderr)
    root.handlers[:], root.level = handlers, level


def _with_logging_route(app: FastAPI) -> FastAPI:
    @app.get("/api/interviews/{interview_id}/log-probe")
    def probe(interview_id: str) -> dict[str, str]:
        logger.info("loguru line")
        logging.getLogger("mockroom.probe").info("standard-library line")
        return {}

    @app.get("/api/interviews/{interview_id}/log-failure")
    def failure(interview_id: str) -> dict[str, str]:
        raise RuntimeError("the probe broke")

    return app


def test_a_safe_incoming_request_id_is_kept_and_returned(make_app):
    with TestClient(make_app()) as client:
        response = client.get("/api/health/live", headers={"x-request-id": "lb-7f3a.2_x"})
        assert response.headers["x-request-id"] == "lb-7f3a.2_x"
        generated = client.get("/api/health/live").headers["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{32}", generated)
        assert client.get("/api/health/live").headers["x-request-id"] != generated
        refused = client.get("/api/nope", headers={"x-request-id": "x" * 65})
        assert refused.status_code == 404 and re.fullmatch(r"[0-9a-f]{32}", refused.headers["x-request-id"])


@pytest.mark.parametrize("unsafe", ["", "a b", "id\"quote", "x" * 65, "new\\nline", "ünïcode"])
def test_an_unsafe_request_id_is_replaced(unsafe):
    assert re.fullmatch(r"[0-9a-f]{32}", request_id_from(unsafe))


def test_text_log_lines_carry_the_request_and_interview_ids(make_app, captured_logs):
    buffer = captured_logs(Settings())
    with TestClient(_with_logging_route(make_app())) as client:
        response = client.get("/api/interviews/int-42/log-probe", headers={"x-request-id": "req-1"})
        assert response.status_code == 200
        client.get("/api/health/live", headers={"x-request-id": "req-2"})
        logger.info("outside any request")
    lines = buffer.getvalue().splitlines()
    for message in ("loguru line", "standard-library line"):
        [line] = [line for line in lines if line.endswith(message)]
        assert "request_id=req-1 interview_id=int-42" in line
    assert "mockroom.probe" in next(line for line in lines if line.endswith("standard-library line"))
    [outside] = [line for line in lines if line.endswith("outside any request")]
    assert "request_id" not in outside


def test_json_log_lines_parse_and_carry_the_ids(make_app, captured_logs):
    buffer = captured_logs(Settings(log_format="json"))
    with TestClient(_with_logging_route(make_app()), raise_server_exceptions=False) as client:
        client.get("/api/interviews/int-42/log-probe", headers={"x-request-id": "req-1"})
        failed = client.get("/api/interviews/int-43/log-failure", headers={"x-request-id": "req-2"})
        assert failed.status_code == 500 and failed.json()["error"]["code"] == "internal_error"
    records = [json.loads(line) for line in buffer.getvalue().splitlines()]
    by_message = {record["message"]: record for record in records}
    standard = by_message["standard-library line"]
    assert standard["request_id"] == "req-1" and standard["interview_id"] == "int-42"
    assert standard["level"] == "INFO" and standard["logger"] == "mockroom.probe"
    assert by_message["loguru line"]["request_id"] == "req-1"
    [failure] = [record for record in records if record["message"].startswith("request GET")]
    assert failure["level"] == "ERROR" and failure["request_id"] == "req-2" and failure["interview_id"] == "int-43"
    assert "RuntimeError: the probe broke" in failure["exception"]

"""What an operator sees of a running server: request ids in every log line, JSON logs, Prometheus metrics.

- Request ids: every HTTP request gets an id (the caller's `X-Request-ID` when it is a short safe token, else a new
  one), returned in the `X-Request-ID` response header and bound with the interview id of the path into loguru's
  context, so each log line written while the request runs carries `request_id` and `interview_id`.
- Logs: `configure_logging` sends loguru and the standard library's loggers (uvicorn's too) to one stderr sink,
  as text or, with MOCKROOM_LOG_FORMAT=json, one JSON object per line.
- Metrics at `GET /metrics` (Prometheus text format): HTTP requests and errors by route template and status class,
  request latency by route template, answer-turn latency, active voice calls and, when a code-run queue registers
  its source with `set_queue_depth_source`, its depth. In local mode anyone who reaches the server may read them.
  In accounts mode a request needs `Authorization: Bearer <MOCKROOM_METRICS_TOKEN>` when that token is set, and
  otherwise must come from a loopback address without X-Forwarded-For (a reverse proxy on the same host adds that
  header, so the public cannot scrape through it).
- Several processes: when PROMETHEUS_MULTIPROC_DIR names an empty, writable folder (set before the server starts,
  cleared between runs), prometheus-client keeps each process's values in files there and /metrics sums every
  live process; gauges are refreshed every few seconds by each process. Without it, values are this process's.
"""

import asyncio
import contextlib
import hmac
import json
import logging
import os
import re
import sys
import time
import traceback
import uuid
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from loguru import logger
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import multiprocess as prometheus_multiprocess
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockroom.core.config import Settings

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_INTERVIEW_PATH = re.compile(r"/api/interviews/([A-Za-z0-9_-]{1,64})(?:/|$)")
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_GAUGE_REFRESH_SECONDS = 5.0

HTTP_REQUESTS = Counter(
    "mockroom_http_requests_total", "HTTP requests answered, by method, route template and status class (2xx...).",
    ["method", "route", "status"],
)
HTTP_ERRORS = Counter(
    "mockroom_http_errors_total", "HTTP requests answered with 4xx or 5xx, by method, route template and status class.",
    ["method", "route", "status"],
)
HTTP_SECONDS = Histogram(
    "mockroom_http_request_duration_seconds", "Time from a request's arrival to its response's last byte.",
    ["method", "route"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
VOICE_CALLS = Gauge("mockroom_voice_calls_active", "Voice calls in progress.", multiprocess_mode="livesum")

# Each gauge and where it reads its value, by what it counts: set by `install` (voice calls) and by the code-run
# queue (its depth).
_gauges: dict[str, tuple[Gauge, Callable[[], int]]] = {}


def multiprocess_dir() -> str | None:
    """The folder of multi-process metrics, when PROMETHEUS_MULTIPROC_DIR is set."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def set_queue_depth_source(source: Callable[[], int]) -> None:
    """Reports `mockroom_code_run_queue_depth` from `source` (runs waiting for a worker), read at every refresh.
    The code-run queue calls this once per process when it starts; the gauge exists only from then on."""
    known = _gauges.get("code-run queue depth")
    gauge = known[0] if known else Gauge(
        "mockroom_code_run_queue_depth", "Code runs waiting for a worker.", multiprocess_mode="livemax",
    )
    _gauges["code-run queue depth"] = (gauge, source)


def refresh_gauges() -> None:
    """Reads every gauge's source now; a source that fails keeps its last value (its error is logged)."""
    for counted, (gauge, source) in list(_gauges.items()):
        try:
            gauge.set(source())
        except Exception as error:  # a metric source must never fail a scrape
            logger.warning("metrics: cannot read the {}: {}", counted, error)


def request_id_from(value: str | None) -> str:
    """The caller's request id when it is a short token of letters, digits, '.', '_' and '-'; else a new one."""
    if value and _SAFE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestContext:
    """Gives each HTTP request its id, binds it and the path's interview id to the log context, and counts the
    request in the metrics once its response has been sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = [v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"]
        request_id = request_id_from(incoming[0] if incoming else None)
        context = {"request_id": request_id}
        interview = _INTERVIEW_PATH.match(scope["path"])
        if interview:
            context["interview_id"] = interview.group(1)
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        start = time.perf_counter()
        with logger.contextualize(**context):
            try:
                await self.app(scope, receive, send_with_id)
            except Exception:
                logger.exception("request {} {} failed", scope["method"], scope["path"])
                raise
            finally:
                _count(scope, status, time.perf_counter() - start)


def _count(scope: Scope, status: int, seconds: float) -> None:
    # The template, never the raw path: one series per route, whatever ids the paths carry. The route of an included
    # router knows only its path inside the router; FastAPI keeps the whole one in its route context.
    included = (scope.get("fastapi") or {}).get("effective_route_context")
    template = getattr(included, "path", None) or getattr(scope.get("route"), "path", None) or "unmatched"
    method = scope["method"]
    status_class = f"{status // 100}xx"
    HTTP_REQUESTS.labels(method=method, route=template, status=status_class).inc()
    if status >= 400:
        HTTP_ERRORS.labels(method=method, route=template, status=status_class).inc()
    HTTP_SECONDS.labels(method=method, route=template).observe(seconds)


def _may_read_metrics(request: Request, settings: Settings) -> bool:
    if settings.auth == "local":
        return True
    if settings.metrics_token:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(),
                                                                  settings.metrics_token.encode())
    client = request.client.host if request.client else ""
    return client in _LOOPBACK and "x-forwarded-for" not in request.headers


def exposition() -> bytes:
    """Every metric in Prometheus text format: this process's, or every live process's in multi-process mode."""
    refresh_gauges()
    if multiprocess_dir():
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest()


def install(app: FastAPI, settings: Settings) -> None:
    """Adds the request-id middleware, the /metrics route and the gauges' sources to the app."""

    def voice_calls() -> int:
        engine = getattr(app.state, "voice", None)
        return len(engine.sessions) if engine is not None else 0

    _gauges["voice calls"] = (VOICE_CALLS, voice_calls)

    @app.get("/metrics", include_in_schema=False)
    def metrics(request: Request) -> Response:
        if not _may_read_metrics(request, settings):
            return JSONResponse(status_code=403, content={"error": {
                "code": "forbidden", "message": "Metrics are served to loopback or with MOCKROOM_METRICS_TOKEN."}})
        return Response(exposition(), media_type=CONTENT_TYPE_LATEST)

    if multiprocess_dir():
        _refresh_in_background(app)
    # Added after every other middleware, so it is the outermost: refusals of the guards are counted and carry ids.
    app.add_middleware(RequestContext)


def _refresh_in_background(app: FastAPI) -> None:
    """Each process writes its gauges every few seconds, since a scrape reaches only one of them; its files are
    marked dead on shutdown, so live gauges leave its values out."""
    tasks: list[asyncio.Task[None]] = []

    async def refresh() -> None:
        while True:
            refresh_gauges()
            await asyncio.sleep(_GAUGE_REFRESH_SECONDS)

    async def start() -> None:
        tasks.append(asyncio.create_task(refresh()))

    async def stop() -> None:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        prometheus_multiprocess.mark_process_dead(os.getpid())

    app.router.on_startup.append(start)
    app.router.on_shutdown.append(stop)


class _ToLoguru(logging.Handler):
    """Hands standard-library log records (uvicorn's, the app's) to loguru, keeping their logger name and level."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            level: str | int = logger.level(record.levelname).name
        except ValueError:
            level = record.levelno
        def named(entry: Any) -> None:
            entry["name"] = record.name

        logger.patch(named).opt(exception=record.exc_info).log(level, record.getMessage())


def json_line(record: Any) -> str:
    """One log record as a JSON object: time, level, logger, message, the request's ids and any exception."""
    line: dict[str, Any] = {
        "time": record["time"].isoformat(), "level": record["level"].name, "logger": record["name"],
        "message": record["message"],
    }
    line.update({k: v for k, v in record["extra"].items() if isinstance(v, str | int | float | bool)})
    if record["exception"] is not None:
        error = record["exception"]
        line["exception"] = "".join(traceback.format_exception(error.type, error.value, error.traceback)).rstrip()
    return json.dumps(line, default=str)


def _text_format(record: Any) -> str:
    ids = "".join(f" {key}={{extra[{key}]}}" for key in ("request_id", "interview_id") if key in record["extra"])
    return "{time:YYYY-MM-DD HH:mm:ss.SSS} | {level: <7} | {name}" + ids + " | {message}\n{exception}"


def configure_logging(settings: Settings, sink: Any = sys.stderr) -> int:
    """Sends loguru and the standard library's loggers to `sink` in the configured format (text or JSON lines);
    returns the loguru handler id. Called once by `mockroom serve`; uvicorn then keeps no handlers of its own."""
    logger.remove()
    if settings.log_format == "json":
        def write(message: Any) -> None:
            sink.write(json_line(message.record) + "\n")
            sink.flush()

        handler = logger.add(write, level="INFO", format="{message}")
    else:
        handler = logger.add(sink, level="INFO", format=_text_format)
    logging.basicConfig(handlers=[_ToLoguru()], level=logging.INFO, force=True)
    return handler

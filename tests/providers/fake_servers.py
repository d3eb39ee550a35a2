"""Local fake LLM servers that speak the real OpenAI chat-completions and Gemini REST wire formats.

Each runs on a free loopback port in a background thread. By default it answers every request
the way the real service would (JSON bodies, or server-sent events when streaming); a test can
queue `Reply` objects to script errors, pauses, malformed bodies and broken streams, and reads
what the server received from `received`.
"""

import asyncio
import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from mockroom.providers.llm.base import ChatMessage, RetryPolicy

# A short conversation every chat adapter test sends.
CONVERSATION = [
    ChatMessage(role="system", content="You are a concise interviewer."),
    ChatMessage(role="user", content="Ask me about Python."),
    ChatMessage(role="assistant", content="What is a generator?"),
    ChatMessage(role="user", content="A function that yields values lazily."),
]
REPLY_TEXT = "Hello from the fake server, nice to meet you."
REPLY_JSON = {"answer": "fake", "score": 3}
DROP = "<drop the connection>"
OPENAI_KEY = "sk-test-0123456789-SECRET-abcdef"
GEMINI_KEY = "AIzaSy-test-SECRET-0123456789abcdef"
# Retries against the fakes: same policy shape, millisecond pauses.
FAST_RETRY = RetryPolicy(max_retries=2, backoff_base=0.01, backoff_max=0.05)


@dataclass
class Reply:
    """One scripted answer: a status with a JSON or raw body, a pause first, or a list of SSE events."""

    status: int = 200
    json: Any = None
    text: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    events: list[str] | None = None


@dataclass
class Received:
    """What the fake server was sent."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict[str, Any]


Default = Callable[[Received], Reply]


class FakeServer:
    """A scripted HTTP server on 127.0.0.1; use as a context manager."""

    def __init__(self, default: Default, *, delay: float = 0.0) -> None:
        self.default = default
        self.delay = delay
        self.replies: deque[Reply] = deque()
        self.received: list[Received] = []
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        config = uvicorn.Config(self._app(), host="127.0.0.1", port=self.port, log_level="error", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="fake-llm-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def push(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def reset(self) -> None:
        self.replies.clear()
        self.received.clear()

    def __enter__(self) -> "FakeServer":
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)

    def _app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/{path:path}")
        async def handle(path: str, request: Request) -> Response:
            raw = await request.body()
            received = Received(
                path="/" + path,
                query=dict(request.query_params),
                headers={key.lower(): value for key, value in request.headers.items()},
                body=json.loads(raw) if raw else {},
            )
            self.received.append(received)
            reply = self.replies.popleft() if self.replies else self.default(received)
            await asyncio.sleep(self.delay + reply.delay)
            return _response(reply)

        return app


def _response(reply: Reply) -> Response:
    if reply.events is not None:
        return StreamingResponse(_sse(reply.events), status_code=reply.status, media_type="text/event-stream",
                                 headers=reply.headers)
    if reply.text is not None:
        return Response(reply.text, status_code=reply.status, media_type="application/json", headers=reply.headers)
    return JSONResponse(reply.json, status_code=reply.status, headers=reply.headers)


async def _sse(events: list[str]) -> AsyncIterator[bytes]:
    for event in events:
        if event == DROP:
            raise ConnectionResetError("scripted drop")
        yield f"data: {event}\n\n".encode()
        await asyncio.sleep(0.005)


def _words(text: str) -> list[str]:
    return re.findall(r"\S+\s*", text)


# --- OpenAI chat completions -------------------------------------------------------------------


def openai_reply(received: Received) -> Reply:
    """What an OpenAI-compatible server answers to a well-formed chat completion request."""
    body = received.body
    model = body.get("model", "fake-model")
    text = json.dumps(REPLY_JSON) if body.get("response_format") else REPLY_TEXT
    if not body.get("stream"):
        return Reply(json=openai_completion(text, model=model))
    return Reply(events=openai_stream_events(text, model=model, usage=bool(body.get("stream_options"))))


def openai_completion(text: str, *, model: str = "fake-model") -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 21, "completion_tokens": 9, "total_tokens": 30},
    }


def openai_stream_events(text: str, *, model: str = "fake-model", usage: bool = True) -> list[str]:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
        return json.dumps({
            "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1_700_000_000, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        })

    events = [chunk({"role": "assistant", "content": ""})]
    events += [chunk({"content": word}) for word in _words(text)]
    events.append(chunk({}, "stop"))
    if usage:
        events.append(json.dumps({
            "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1_700_000_000, "model": model,
            "choices": [], "usage": {"prompt_tokens": 21, "completion_tokens": 9, "total_tokens": 30},
        }))
    events.append("[DONE]")
    return events


def openai_error(message: str, kind: str = "server_error") -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


# --- Gemini generateContent --------------------------------------------------------------------


def gemini_reply(received: Received) -> Reply:
    """What the Gemini API answers to generateContent and streamGenerateContent?alt=sse."""
    config = received.body.get("generationConfig") or {}
    text = json.dumps(REPLY_JSON) if config.get("responseMimeType") == "application/json" else REPLY_TEXT
    if received.path.endswith(":streamGenerateContent"):
        return Reply(events=gemini_stream_events(text))
    return Reply(json=gemini_response([text], usage=True))


def gemini_response(parts: list[str], *, usage: bool = False, finish: str | None = "STOP") -> dict[str, Any]:
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": [{"text": part} for part in parts]}, "index": 0}
    if finish:
        candidate["finishReason"] = finish
    response: dict[str, Any] = {"candidates": [candidate], "modelVersion": "gemini-fake-001", "responseId": "fake"}
    if usage:
        response["usageMetadata"] = {"promptTokenCount": 17, "candidatesTokenCount": 9, "totalTokenCount": 26}
    return response


def gemini_stream_events(text: str) -> list[str]:
    words = _words(text)
    events = [json.dumps(gemini_response([word], finish=None)) for word in words[:-1]]
    events.append(json.dumps(gemini_response([words[-1]], usage=True)))
    return events


def gemini_error(code: int, message: str, status: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details:
        error["details"] = details
    return {"error": error}

"""The request-body guard: counts a body's bytes as they arrive and answers 413 the moment a route's cap is passed.

A Content-Length check alone lets a chunked body (no Content-Length) stream on for as long as the client likes,
into memory or a spooled file. This guard sits around the whole app and wraps `receive`, so every reader of a
body (FastAPI's JSON parsing, the multipart parser, a route's own `request.body()`) stops at the cap. Once it has
answered, the app sees the client as gone and whatever it sends is dropped; the response asks the server to close
the connection, so the rest of the body is never read. Any response sent before a body was read to its end closes
the connection too, so an unread body is not drained either.
"""

import json
import re
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

KIB = 1024
# A valid JSON body is far below these even with every character escaped as \uXXXX (6 bytes): answers and job
# descriptions are at most 20,000 characters, code 100,000, an SDP offer 64,000.
JSON_CAP = 256 * KIB
CODE_CAP = 1024 * KIB
VOICE_CAP = 512 * KIB
# Room beside the CV in a multipart form: the other fields (a 20,000-character job description) and part headers.
FORM_OVERHEAD = 256 * KIB

_CODE_PATH = re.compile(r"/api/interviews/[^/]+/code/(?:run|submit)")
_VOICE_PATH = re.compile(r"/api/interviews/[^/]+/voice/offer")
_UPLOAD_PATHS = {"/api/interviews", "/api/cv/parse"}


@dataclass(frozen=True)
class Cap:
    """The most bytes one kind of request body may have, and the error that says so."""

    limit: int
    code: str
    message: str


def caps_for(*, max_upload_bytes: int) -> dict[str, Cap]:
    """The cap of each kind of body, for a server that accepts CVs of up to max_upload_bytes."""
    upload_mb = max_upload_bytes / (1024 * 1024)
    return {
        "upload": Cap(
            limit=max_upload_bytes + FORM_OVERHEAD,
            code="cv_too_large",
            message=f"This upload is larger than the {upload_mb:g} MB a CV may be. "
            "Export your CV again without large images and upload it again.",
        ),
        "code": Cap(
            limit=CODE_CAP, code="too_large",
            message=f"This request is larger than {CODE_CAP // KIB} KB; code can be at most 100,000 characters.",
        ),
        "voice": Cap(
            limit=VOICE_CAP, code="too_large",
            message=f"This voice offer is larger than {VOICE_CAP // KIB} KB; reload the page and start the call again.",
        ),
        "json": Cap(
            limit=JSON_CAP, code="too_large",
            message=f"This request is larger than {JSON_CAP // KIB} KB, the most Mockroom accepts here; answers "
            "and job descriptions can be at most 20,000 characters.",
        ),
    }


def route_kind(*, path: str, content_type: str) -> str:
    """Which cap applies to a body sent to this path with this content type."""
    if path in _UPLOAD_PATHS and content_type.startswith("multipart/form-data"):
        return "upload"
    if _CODE_PATH.fullmatch(path):
        return "code"
    if _VOICE_PATH.fullmatch(path):
        return "voice"
    return "json"


class BodySizeGuard:
    """ASGI middleware enforcing each route's body cap on the bytes received, not on what the client declares."""

    def __init__(self, app: ASGIApp, *, max_upload_bytes: int) -> None:
        self.app = app
        self.caps = caps_for(max_upload_bytes=max_upload_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cap = self.caps[route_kind(path=scope["path"], content_type=headers.get("content-type", "").lower())]
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap.limit:
            await _refuse(cap, send)
            return
        body = _GuardedBody(cap=cap, receive=receive, send=send, expected=_has_body(headers))
        try:
            await self.app(scope, body.receive, body.send)
        except Exception:
            # Once answered, the app only fails because its body was cut off; the client already has its 413.
            if not body.answered:
                raise


class _GuardedBody:
    """One request's receive and send, counting body bytes and answering for the app once the cap is passed."""

    def __init__(self, *, cap: Cap, receive: Receive, send: Send, expected: bool) -> None:
        self.cap, self._receive, self._send = cap, receive, send
        self.received = 0
        self.complete = not expected
        self.started = False
        self.answered = False

    async def receive(self) -> Message:
        if self.answered:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.disconnect":
            self.complete = True
        elif message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            self.complete = not message.get("more_body", False)
            if self.received > self.cap.limit:
                if not self.started:
                    await _refuse(self.cap, self._send)
                self.answered = True
                return {"type": "http.disconnect"}
        return message

    async def send(self, message: Message) -> None:
        if self.answered:
            return
        if message["type"] == "http.response.start":
            self.started = True
            if not self.complete:
                message = {**message, "headers": [*message.get("headers", []), (b"connection", b"close")]}
        await self._send(message)


def _has_body(headers: Headers) -> bool:
    """Whether the request declares a body: chunked, or a non-zero Content-Length."""
    return "transfer-encoding" in headers or headers.get("content-length", "0") not in ("", "0")


async def _refuse(cap: Cap, send: Send) -> None:
    """Sends the 413 for a body over its cap, asking the server to close the connection rather than read on."""
    body = json.dumps({"error": {"code": cap.code, "message": cap.message}}).encode()
    headers = [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})

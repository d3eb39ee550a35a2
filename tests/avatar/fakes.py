"""Local fakes of the hosted avatars: Tavus's and LiveAvatar's REST APIs and LiveAvatar's WebSocket on 127.0.0.1, and
stand-ins for the Daily and LiveKit clients through which pipecat receives an avatar's media.

The fake avatar is an echo, as an echo persona (Tavus) or a LITE session (LiveAvatar) is: the audio it is sent comes
back as its voice after `latency` seconds, in real time, with silence in between, and its video runs at 25 frames a
second while it is in the room. Each fake records what it was sent. A test can script HTTP errors and slow answers,
keep the avatar out of the room, make it mute, or drop it mid-call with or without saying so.
"""

import asyncio
import base64
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, ClassVar

import numpy as np
import pytest
import uvicorn
from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse
from livekit import rtc
from livekit.rtc._proto.video_frame_pb2 import VideoBufferType
from pipecat.transports.tavus import transport as tavus_transport

TAVUS_KEY = "tvs-test-SECRET-0123456789abcdef"
HEYGEN_KEY = "lav-test-SECRET-fedcba9876543210"
VIDEO_SIZE = (32, 18)
VIDEO_FPS = 25
RATE = 24_000


class EchoAvatar:
    """The avatar's side of one session: audio in, the same audio out `latency` s later in real time, and video."""

    def __init__(self, *, latency: float = 0.05) -> None:
        self.latency = latency
        self.received = bytearray()
        self.interrupts = 0
        self.present = False
        self.mute = False
        self.frames_out = 0
        self._pending = bytearray()
        self._ready_at = 0.0
        self._lock = threading.Lock()

    def speak(self, pcm: bytes, sample_rate: int) -> None:
        assert sample_rate == RATE, f"the fake avatar renders {RATE} Hz audio, got {sample_rate}"
        with self._lock:
            self.received.extend(pcm)
            if self.mute:
                return
            if not self._pending:
                self._ready_at = time.monotonic() + self.latency
            self._pending.extend(pcm)

    def interrupt(self) -> None:
        with self._lock:
            self._pending.clear()
            self.interrupts += 1

    def take(self, seconds: float) -> bytes:
        """The next `seconds` of its voice (24 kHz PCM): what it was sent once the latency has passed, or silence."""
        size = int(RATE * seconds) * 2
        with self._lock:
            if not self._pending or time.monotonic() < self._ready_at:
                return bytes(size)
            chunk = bytes(self._pending[:size])
            del self._pending[:size]
        return chunk.ljust(size, b"\x00")

    def image(self) -> bytes:
        self.frames_out += 1
        return bytes([self.frames_out % 256]) * (VIDEO_SIZE[0] * VIDEO_SIZE[1] * 3)


async def _paced(period: float, alive: Callable[[], bool], tick: Callable[[], Any]) -> None:
    """Calls `tick` every `period` seconds, without drift, while `alive()`."""
    start = time.monotonic()
    count = 0
    while alive():
        result = tick()
        if asyncio.iscoroutine(result):
            await result
        count += 1
        await asyncio.sleep(max(0.0, start + count * period - time.monotonic()))


class _ThreadedApp:
    """A FastAPI app served by uvicorn on a free loopback port in a background thread; use as a context manager."""

    def __init__(self, app: FastAPI) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="fake-avatar", daemon=True)
        self.loop: asyncio.AbstractEventLoop | None = None

    def __enter__(self) -> "_ThreadedApp":
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake avatar server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)


@dataclass
class Received:
    """One request a fake API was sent."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    at: float = field(default_factory=time.time)


@dataclass
class Script:
    """How a fake API answers its next creation: an HTTP status other than success, after a pause."""

    status: int = 200
    delay: float = 0.0


async def _received(request: Request, log: list[Received]) -> Received:
    raw = await request.body()
    item = Received(
        method=request.method, path=request.url.path,
        headers={key.lower(): value for key, value in request.headers.items()},
        body=json.loads(raw) if raw else {},
    )
    log.append(item)
    return item


# --- Tavus --------------------------------------------------------------------------------------------------------


@dataclass
class Conversation:
    conversation_id: str
    url: str
    avatar: EchoAvatar
    ended: bool = False
    joins: bool = True
    room_error: bool = False


@dataclass
class FakeTavus:
    """Tavus's v2 conversation API (create, end, persona) on 127.0.0.1; `base_url` goes in MOCKROOM_TAVUS_URL."""

    latency: float = 0.05
    persona_modes: dict[str, str] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    conversations: dict[str, Conversation] = field(default_factory=dict)
    script: Script = field(default_factory=Script)
    joins: bool = True
    room_error: bool = False
    mute: bool = False

    def __post_init__(self) -> None:
        self._server = _ThreadedApp(self._app())

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.port}/v2"

    def __enter__(self) -> "FakeTavus":
        self._server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.__exit__()

    def created(self) -> list[Received]:
        return [r for r in self.received if r.method == "POST" and r.path == "/v2/conversations"]

    def ended(self) -> list[str]:
        return [r.path.split("/")[3] for r in self.received if r.path.endswith("/end")]

    def still_open(self) -> list[str]:
        return [c.conversation_id for c in self.conversations.values() if not c.ended]

    def room(self, url: str) -> Conversation:
        return next(c for c in self.conversations.values() if c.url == url)

    def only(self) -> Conversation:
        assert len(self.conversations) == 1, self.conversations
        return next(iter(self.conversations.values()))

    def _app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v2/conversations")
        async def create(request: Request) -> JSONResponse:
            item = await _received(request, self.received)
            script, self.script = self.script, Script()
            await asyncio.sleep(script.delay)
            if item.headers.get("x-api-key") != TAVUS_KEY:
                return JSONResponse({"message": "Invalid access token"}, status_code=401)
            if script.status != 200:
                return JSONResponse({"message": "scripted failure"}, status_code=script.status)
            conversation_id = f"c{len(self.conversations) + 1:04d}"
            avatar = EchoAvatar(latency=self.latency)
            avatar.mute = self.mute
            conversation = Conversation(
                conversation_id=conversation_id, url=f"https://tavus.daily.co/{conversation_id}", avatar=avatar,
                joins=self.joins, room_error=self.room_error,
            )
            self.conversations[conversation_id] = conversation
            return JSONResponse({
                "conversation_id": conversation_id, "conversation_url": conversation.url, "status": "active",
                "conversation_name": item.body.get("conversation_name"), "replica_id": item.body.get("replica_id"),
                "persona_id": item.body.get("persona_id"),
            })

        @app.post("/v2/conversations/{conversation_id}/end")
        async def end(conversation_id: str, request: Request) -> JSONResponse:
            item = await _received(request, self.received)
            conversation = self.conversations.get(conversation_id)
            if item.headers.get("x-api-key") != TAVUS_KEY:
                return JSONResponse({"message": "Invalid access token"}, status_code=401)
            if conversation is None:
                return JSONResponse({"message": "not found"}, status_code=404)
            conversation.ended = True
            conversation.avatar.present = False
            return JSONResponse({}, status_code=200)

        @app.get("/v2/personas/{persona_id}")
        async def persona(persona_id: str, request: Request) -> JSONResponse:
            await _received(request, self.received)
            mode = self.persona_modes.get(persona_id, "echo")
            return JSONResponse({"persona_id": persona_id, "persona_name": "Interviewer", "pipeline_mode": mode})

        return app


class FakeDailyClient:
    """Stands in for pipecat's `DailyTransportClient` inside its Tavus client: the Daily room of a conversation,
    where the fake replica joins, echoes the `conversation.echo` audio it is sent and streams video."""

    tavus: ClassVar[FakeTavus | None] = None
    instances: ClassVar[list["FakeDailyClient"]] = []

    def __init__(self, room_url: str, token: str | None, bot_name: str, params: Any, callbacks: Any,
                 transport_name: str) -> None:
        assert self.tavus is not None, "set FakeDailyClient.tavus first"
        self.conversation = self.tavus.room(room_url)
        self.avatar = self.conversation.avatar
        self.bot_name = bot_name
        self._params = params
        self._callbacks = callbacks
        self.messages: list[dict[str, Any]] = []
        self.joined = False
        self.left = False
        self.released = False
        self._tasks: list[asyncio.Task[None]] = []
        self._in_sample_rate = 0
        self._out_sample_rate = 0
        FakeDailyClient.instances.append(self)

    @property
    def in_sample_rate(self) -> int:
        return self._in_sample_rate

    @property
    def out_sample_rate(self) -> int:
        return self._out_sample_rate

    async def setup(self, setup: Any) -> None:
        self._in_sample_rate = self._params.audio_in_sample_rate or setup.audio_in_sample_rate
        self._out_sample_rate = self._params.audio_out_sample_rate or setup.audio_out_sample_rate

    async def join(self) -> None:
        self.joined = True
        await self._callbacks.on_joined({"participants": {"local": {"id": "bot"}}})
        if self.conversation.room_error:
            await self._callbacks.on_error(f"Error joining {self.conversation.url}: scripted")
            return
        if self.conversation.joins:
            self._tasks.append(asyncio.ensure_future(self._replica_joins()))

    async def _replica_joins(self) -> None:
        await asyncio.sleep(0.05)
        self.avatar.present = True
        await self._callbacks.on_participant_joined({"id": "replica", "info": {"userName": "Replica"}})

    async def capture_participant_video(self, participant_id: str, callback: Any, framerate: int = 30,
                                        video_source: str = "camera", color_format: str = "RGB") -> None:
        def frame() -> Any:
            image = SimpleNamespace(
                buffer=self.avatar.image(), width=VIDEO_SIZE[0], height=VIDEO_SIZE[1], color_format="RGB"
            )
            return callback(participant_id, image, video_source)

        self._tasks.append(asyncio.ensure_future(_paced(1 / VIDEO_FPS, self._streaming, frame)))

    async def capture_participant_audio(self, participant_id: str, callback: Any, audio_source: str = "microphone",
                                        sample_rate: int = 16000, callback_interval_ms: int = 20) -> None:
        assert sample_rate == RATE, sample_rate

        def frame() -> Any:
            audio = SimpleNamespace(audio_frames=self.avatar.take(callback_interval_ms / 1000), sample_rate=RATE,
                                    num_channels=1)
            return callback(participant_id, audio, audio_source)

        self._tasks.append(asyncio.ensure_future(_paced(callback_interval_ms / 1000, self._streaming, frame)))

    def _streaming(self) -> bool:
        return self.avatar.present and self.joined and not self.left

    async def send_message(self, frame: Any) -> None:
        message = frame.message
        self.messages.append(message)
        event = message.get("event_type")
        if event == "conversation.echo":
            properties = message["properties"]
            self.avatar.speak(base64.b64decode(properties["audio"]), properties["sample_rate"])
        elif event == "conversation.interrupt":
            self.avatar.interrupt()

    async def leave(self) -> None:
        self.left = True
        await self._stop()

    async def cleanup(self) -> None:
        self.released = True
        await self._stop()

    async def drop(self, *, say_so: bool) -> None:
        """The replica leaves (Tavus ended the conversation, or the network dropped it)."""
        self.avatar.present = False
        if say_so:
            await self._callbacks.on_participant_left({"id": "replica"}, "left")

    async def update_subscriptions(self, **_: Any) -> None:
        return None

    async def register_audio_destination(self, destination: str, auto_silence: bool = True) -> None:
        return None

    async def _stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    def echoes(self) -> list[dict[str, Any]]:
        return [m for m in self.messages if m.get("event_type") == "conversation.echo"]

    def echoed_audio(self) -> bytes:
        return b"".join(base64.b64decode(m["properties"]["audio"]) for m in self.echoes())


# --- HeyGen LiveAvatar --------------------------------------------------------------------------------------------


@dataclass
class Session:
    session_id: str
    token: str
    client_token: str
    avatar: EchoAvatar
    stopped: bool = False
    socket_messages: list[dict[str, Any]] = field(default_factory=list)
    websocket: WebSocket | None = None


@dataclass
class FakeLiveAvatar:
    """LiveAvatar's v1 session API (token, start, stop) and a session's WebSocket on 127.0.0.1; `base_url` goes in
    MOCKROOM_HEYGEN_URL."""

    latency: float = 0.05
    received: list[Received] = field(default_factory=list)
    sessions: dict[str, Session] = field(default_factory=dict)
    script: Script = field(default_factory=Script)
    mute: bool = False

    def __post_init__(self) -> None:
        self._server = _ThreadedApp(self._app())
        self._tokens = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.port}/v1"

    def __enter__(self) -> "FakeLiveAvatar":
        self._server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.__exit__()

    def calls(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == f"/v1/sessions/{path}"]

    def still_running(self) -> list[str]:
        return [s.session_id for s in self.sessions.values() if not s.stopped]

    def only(self) -> Session:
        assert len(self.sessions) == 1, self.sessions
        return next(iter(self.sessions.values()))

    def by_client_token(self, token: str) -> Session | None:
        return next((s for s in self.sessions.values() if s.client_token == token), None)

    def close_socket(self, session: Session) -> None:
        """LiveAvatar closes the session's WebSocket, saying so first (as when it ends a session itself)."""
        assert session.websocket is not None and self._server.loop is not None

        async def close() -> None:
            assert session.websocket is not None
            await session.websocket.send_json({"type": "session.state_updated", "state": "closed"})
            await session.websocket.close()

        asyncio.run_coroutine_threadsafe(close(), self._server.loop).result(timeout=5)

    def _app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/sessions/token")
        async def token(request: Request) -> JSONResponse:
            self._server.loop = asyncio.get_running_loop()
            item = await _received(request, self.received)
            if item.headers.get("x-api-key") != HEYGEN_KEY:
                return JSONResponse({"code": 401, "message": "Invalid API key"}, status_code=401)
            script, self.script = self.script, Script()
            await asyncio.sleep(script.delay)
            if script.status != 200:
                return JSONResponse({"code": script.status, "message": "scripted failure"}, status_code=script.status)
            self._tokens += 1
            session_id = f"s{self._tokens:04d}"
            avatar = EchoAvatar(latency=self.latency)
            avatar.mute = self.mute
            self.sessions[session_id] = Session(
                session_id=session_id, token=f"session-token-{session_id}", client_token=f"lk-user-{session_id}",
                avatar=avatar,
            )
            return JSONResponse({"code": 1000, "data": {"session_id": session_id,
                                                        "session_token": f"session-token-{session_id}"},
                                 "message": "success"})

        def bearer(item: Received) -> Session | None:
            value = item.headers.get("authorization", "")
            return next((s for s in self.sessions.values() if value == f"Bearer {s.token}"), None)

        @app.post("/v1/sessions/start")
        async def start(request: Request) -> JSONResponse:
            item = await _received(request, self.received)
            session = bearer(item)
            if session is None:
                return JSONResponse({"code": 401, "message": "Invalid session token"}, status_code=401)
            return JSONResponse({"code": 1000, "message": "success", "data": {
                "session_id": session.session_id, "livekit_url": "wss://livekit.fake.invalid",
                "livekit_client_token": session.client_token, "livekit_agent_token": f"lk-agent-{session.session_id}",
                "max_session_duration": 1200, "ws_url": f"ws://127.0.0.1:{self._server.port}/v1/ws/{session.session_id}",
            }})

        @app.post("/v1/sessions/stop")
        async def stop(request: Request) -> JSONResponse:
            item = await _received(request, self.received)
            session = bearer(item)
            if session is None or item.body.get("session_id") != session.session_id:
                return JSONResponse({"code": 401, "message": "Invalid session token"}, status_code=401)
            session.stopped = True
            session.avatar.present = False
            return JSONResponse({"code": 1000, "message": "success", "data": {}})

        @app.websocket("/v1/ws/{session_id}")
        async def control(websocket: WebSocket, session_id: str) -> None:
            session = self.sessions[session_id]
            await websocket.accept()
            session.websocket = websocket
            await websocket.send_json({"type": "session.state_updated", "state": "connected"})
            try:
                while True:
                    message = json.loads(await websocket.receive_text())
                    session.socket_messages.append(message)
                    if message.get("type") == "agent.speak":
                        session.avatar.speak(base64.b64decode(message["audio"]), RATE)
                    elif message.get("type") == "agent.interrupt":
                        session.avatar.interrupt()
            except (WebSocketDisconnect, RuntimeError):
                return

        return app


class FakeRoom:
    """Stands in for `livekit.rtc.Room`: the LiveKit room of a LiveAvatar session, with the avatar in it."""

    liveavatar: ClassVar[FakeLiveAvatar | None] = None
    instances: ClassVar[list["FakeRoom"]] = []

    def __init__(self, *_: Any, **__: Any) -> None:
        self._handlers: dict[str, Callable[..., Any]] = {}
        self.remote_participants: dict[str, Any] = {}
        self.name = "fake-liveavatar-room"
        self.local_participant = SimpleNamespace(sid="PA_local")
        self.session: Session | None = None
        self.connected = False
        FakeRoom.instances.append(self)

    def on(self, event: str, callback: Callable[..., Any] | None = None) -> Any:
        def register(handler: Callable[..., Any]) -> Callable[..., Any]:
            self._handlers[event] = handler
            return handler

        return register(callback) if callback is not None else register

    async def connect(self, url: str, token: str, *_: Any, **__: Any) -> None:
        assert self.liveavatar is not None, "set FakeRoom.liveavatar first"
        session = self.liveavatar.by_client_token(token)
        if session is None:
            raise ConnectionError("unknown LiveKit token")
        self.session = session
        self.connected = True
        session.avatar.present = True
        self.remote_participants["avatar"] = SimpleNamespace(
            sid="PA_avatar", identity="avatar",
            track_publications={
                "TR_video": SimpleNamespace(sid="TR_video", kind=rtc.TrackKind.KIND_VIDEO, name="video",
                                            track=SimpleNamespace(kind="video", room=self)),
                "TR_audio": SimpleNamespace(sid="TR_audio", kind=rtc.TrackKind.KIND_AUDIO, name="audio",
                                            track=SimpleNamespace(kind="audio", room=self)),
            },
        )

    async def disconnect(self) -> None:
        self.connected = False

    def streaming(self) -> bool:
        return self.connected and self.session is not None and self.session.avatar.present

    def drop(self, *, say_so: bool) -> None:
        """The avatar leaves the room (LiveAvatar ended the session, or the network dropped it)."""
        assert self.session is not None
        self.session.avatar.present = False
        if say_so and "participant_disconnected" in self._handlers:
            self._handlers["participant_disconnected"](self.remote_participants["avatar"])


class _FakeVideoFrame:
    type = VideoBufferType.RGB24

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.width, self.height = VIDEO_SIZE

    def convert(self, _: Any) -> "_FakeVideoFrame":
        return self


class FakeVideoStream:
    """Stands in for `livekit.rtc.VideoStream`: the avatar's video frames, paced in real time."""

    def __init__(self, track: Any, *_: Any, **__: Any) -> None:
        self._room: FakeRoom = track.room

    def __aiter__(self) -> "FakeVideoStream":
        self._next = time.monotonic()
        return self

    async def __anext__(self) -> Any:
        self._next += 1 / VIDEO_FPS
        await asyncio.sleep(max(0.0, self._next - time.monotonic()))
        if not self._room.streaming():
            raise StopAsyncIteration
        assert self._room.session is not None
        return SimpleNamespace(frame=_FakeVideoFrame(self._room.session.avatar.image()))


class FakeAudioStream:
    """Stands in for `livekit.rtc.AudioStream`: the avatar's voice in 10 ms frames at the asked rate."""

    def __init__(self, track: Any = None, *_: Any, sample_rate: int = 48_000, **__: Any) -> None:
        assert sample_rate % RATE == 0
        self._room: FakeRoom = track.room
        self._factor = sample_rate // RATE
        self._rate = sample_rate

    def __aiter__(self) -> "FakeAudioStream":
        self._next = time.monotonic()
        return self

    async def __anext__(self) -> Any:
        self._next += 0.01
        await asyncio.sleep(max(0.0, self._next - time.monotonic()))
        if not self._room.streaming():
            raise StopAsyncIteration
        assert self._room.session is not None
        pcm = np.frombuffer(self._room.session.avatar.take(0.01), dtype="<i2")
        data = np.repeat(pcm, self._factor).astype("<i2").tobytes()
        return SimpleNamespace(frame=SimpleNamespace(data=memoryview(data), sample_rate=self._rate))


def use_fake_tavus(monkeypatch: pytest.MonkeyPatch, fake: FakeTavus) -> None:
    """Makes pipecat's Tavus client join the fake's Daily rooms instead of Daily's."""
    monkeypatch.setattr(FakeDailyClient, "tavus", fake)
    monkeypatch.setattr(FakeDailyClient, "instances", [])
    monkeypatch.setattr(tavus_transport, "DailyTransportClient", FakeDailyClient)


def use_fake_liveavatar(monkeypatch: pytest.MonkeyPatch, fake: FakeLiveAvatar) -> None:
    """Makes pipecat's LiveKit client join the fake's rooms instead of LiveKit's."""
    monkeypatch.setattr(FakeRoom, "liveavatar", fake)
    monkeypatch.setattr(FakeRoom, "instances", [])
    monkeypatch.setattr(rtc, "Room", FakeRoom)
    monkeypatch.setattr(rtc, "VideoStream", FakeVideoStream)
    monkeypatch.setattr(rtc, "AudioStream", FakeAudioStream)

"""HeyGen LiveAvatar in LITE mode: an avatar that speaks Mockroom's own audio, through pipecat's
`HeyGenVideoService` set to the LiveAvatar API (its default is HeyGen's older Interactive Avatar API).

As with Tavus, the session is started by `connect()` once the call is live rather than while the pipeline is set
up, and `disconnect()` stops it on every way out of a call. Audio goes over LiveAvatar's WebSocket (`agent.speak`,
`agent.speak_end`, `agent.interrupt`, `session.keep_alive` against its 5-minute idle timeout) and the avatar's
video and voice come back through its LiveKit room.
"""

import asyncio
import uuid
from typing import Any

import aiohttp
from loguru import logger
from pipecat.frames.frames import Frame, InterruptionFrame, OutputTransportReadyFrame
from pipecat.processors.frame_processor import FrameDirection, FrameProcessorSetup
from pipecat.services.heygen.api_liveavatar import (
    LiveAvatarApi,
    LiveAvatarApiError,
    LiveAvatarNewSessionRequest,
)
from pipecat.services.heygen.base_api import StandardSessionResponse
from pipecat.services.heygen.client import HEY_GEN_SAMPLE_RATE, HeyGenCallbacks, HeyGenClient, ServiceType
from pipecat.services.heygen.video import HeyGenVideoService
from pipecat.transports.base_transport import TransportParams

from mockroom.avatar.base import AvatarError, Lost, http_error

LABEL = "HeyGen LiveAvatar"
# Audio sent before the avatar starts moving, then per message afterwards: the sizes pipecat's service uses.
_FIRST_CHUNK_SECONDS = 0.4
_CHUNK_SECONDS = 1.0


class LiveAvatarSessions(LiveAvatarApi):
    """LiveAvatar's session endpoints as pipecat calls them, with a configurable base URL, errors that name the
    cause, and a record of the sessions still running (with the token that stops each)."""

    def __init__(self, *, api_key: str, session: aiohttp.ClientSession, base_url: str) -> None:
        super().__init__(api_key, session)
        self.BASE_URL = base_url.rstrip("/")
        self.open: dict[str, str] = {}
        self.failure: AvatarError | None = None
        self._starting: set[asyncio.Future[StandardSessionResponse]] = set()

    async def new_session(self, request_data: LiveAvatarNewSessionRequest) -> StandardSessionResponse:
        """Creates a session token and starts the session; remembers why it failed (pipecat only logs it). A start
        cut short (the connect timeout, a hang-up) still runs to its end, so that `end_open` can stop it."""
        starting = asyncio.ensure_future(self._start(request_data))
        self._starting.add(starting)
        starting.add_done_callback(self._starting.discard)
        return await asyncio.shield(starting)

    async def _start(self, request_data: LiveAvatarNewSessionRequest) -> StandardSessionResponse:
        try:
            response = await super().new_session(request_data)
        except AvatarError as error:
            self.failure = error
            raise
        if self._session_token is not None:
            self.open[response.session_id] = self._session_token
        logger.info(f"LiveAvatar session {response.session_id} started")
        return response

    async def stop_session(self, session_id: str, session_token: str) -> Any:
        """Stops a session; a failure is logged and the session stays in `open` for `end_open`."""
        try:
            result = await super().stop_session(session_id, session_token)
        except AvatarError as error:
            logger.warning(f"LiveAvatar session {session_id} could not be stopped: {error}")
            return None
        self.open.pop(session_id, None)
        logger.info(f"LiveAvatar session {session_id} stopped")
        return result

    async def end_open(self) -> None:
        """Stops every session this call started and has not stopped yet (waiting for starts under way)."""
        await asyncio.gather(*self._starting, return_exceptions=True)
        for session_id, token in sorted(self.open.items()):
            await self.stop_session(session_id, token)

    async def _request(
        self, method: str, path: str, params: dict[str, Any] | None = None, bearer_token: str | None = None
    ) -> Any:
        try:
            return await super()._request(method, path, params, bearer_token)
        except LiveAvatarApiError as error:
            raise http_error(LABEL, error.status) from None
        except aiohttp.ClientError as error:
            raise AvatarError(f"{LABEL} could not be reached.") from error
        except TimeoutError as error:
            raise AvatarError(f"{LABEL} did not answer in time.") from error


class _LiveAvatarClient(HeyGenClient):
    """pipecat's HeyGen client on `LiveAvatarSessions`, which reports a session that closes mid-call instead of
    going on sending audio nowhere, and keeps LiveKit's tokens out of the log."""

    keep_alive_seconds = 150.0  # half of LiveAvatar's 5-minute idle timeout

    def __init__(self, *, sessions: LiveAvatarSessions, on_lost: Lost, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._api = sessions
        self._on_lost = on_lost
        self._closing = False

    @property
    def connected(self) -> bool:
        """The session runs, its WebSocket is open and its room joined."""
        return self._heyGen_session is not None and self._websocket is not None and self._livekit_room is not None

    async def _initialize(self) -> None:
        self._heyGen_session = await self._api.new_session(self._session_request)

    async def _keep_alive_handler(self) -> None:
        while self._connected:
            await asyncio.sleep(self.keep_alive_seconds)
            if self._connected:
                try:
                    await self._ws_send({"type": "session.keep_alive", "event_id": str(uuid.uuid4())})
                except Exception as error:  # the receive task notices a closed socket and reports it
                    logger.warning(f"LiveAvatar keep-alive failed ({type(error).__name__})")

    async def _handle_ws_server_event(self, event: dict[str, Any]) -> None:
        await super()._handle_ws_server_event(event)
        if event.get("type") == "session.state_updated" and event.get("state") in {"closing", "closed"}:
            await self._lose(f"{LABEL} closed the session.")

    async def _ws_receive_task_handler(self) -> None:
        await super()._ws_receive_task_handler()
        await self._lose(f"{LABEL}'s connection closed.")

    async def _teardown(self) -> None:
        self._closing = True
        await super()._teardown()

    async def _lose(self, reason: str) -> None:
        if not self._closing:
            self._closing = True
            await self._on_lost(reason)


class HeyGenAvatar(HeyGenVideoService):
    """A LiveAvatar (LITE mode) for one call: audio in, the avatar's video and voice out (see the module)."""

    provider = "heygen"
    label = LABEL

    def __init__(
        self, *, api_key: str, avatar_id: str, sandbox: bool, max_call_seconds: int, session: aiohttp.ClientSession,
        sessions: LiveAvatarSessions, **kwargs: Any,
    ) -> None:
        request = LiveAvatarNewSessionRequest(
            mode="LITE", avatar_id=avatar_id, is_sandbox=sandbox, max_session_duration=max_call_seconds
        )
        super().__init__(
            api_key=api_key, session=session, session_request=request, service_type=ServiceType.LIVE_AVATAR,
            **kwargs,
        )
        self._sessions = sessions
        self.on_lost: Lost | None = None
        self._frame_setup: FrameProcessorSetup | None = None
        self._output_ready = False
        self._closing = False
        self._lock = asyncio.Lock()

    async def setup(self, setup: FrameProcessorSetup) -> None:  # type: ignore[override]  # as pipecat's own
        # The processor's own setup only: the session waits for connect().
        await super(HeyGenVideoService, self).setup(setup)
        self._frame_setup = setup
        self._first_chunk_size = int(HEY_GEN_SAMPLE_RATE * 2 * _FIRST_CHUNK_SECONDS)
        self._chunk_size = int(HEY_GEN_SAMPLE_RATE * 2 * _CHUNK_SECONDS)

    async def connect(self) -> None:
        """Starts the session, opens its WebSocket and joins its room; raises AvatarError when LiveAvatar refuses."""
        assert self._frame_setup is not None, "connect() comes after the pipeline is set up"
        client = _LiveAvatarClient(
            sessions=self._sessions, on_lost=self._lose, api_key=self._api_key, session=self._session,
            params=TransportParams(
                audio_in_sample_rate=48_000, audio_in_enabled=True, video_in_enabled=True, audio_out_enabled=True,
                audio_out_sample_rate=HEY_GEN_SAMPLE_RATE,
            ),
            session_request=self._session_request, service_type=ServiceType.LIVE_AVATAR,
            callbacks=HeyGenCallbacks(
                on_connected=self._on_connected, on_participant_connected=self._on_participant_connected,
                on_participant_disconnected=self._on_participant_disconnected,
            ),
            connect_as_user=True,
        )
        self._client = client
        await client.setup(self._frame_setup)
        if self._sessions.failure is not None:
            raise self._sessions.failure
        if not client.connected:
            raise AvatarError(f"{LABEL}'s session could not be joined.")
        if self._output_ready:
            client.transport_ready()
        await self._create_send_task()

    async def disconnect(self) -> None:
        """Closes the WebSocket and the room and stops the session; safe at any point, any number of times."""
        async with self._lock:
            self._closing = True
            await self._cancel_send_task()
            client, self._client = self._client, None
            self._other_participant_has_joined = False
            if client is not None:
                try:
                    await client.stop()
                except Exception as error:  # a session already gone; it is still stopped below
                    logger.warning(f"LiveAvatar: leaving the session failed ({type(error).__name__})")
            await self._sessions.end_open()

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        if isinstance(frame, OutputTransportReadyFrame):
            self._output_ready = True
        await super().process_frame(frame, direction)
        if isinstance(frame, InterruptionFrame) and self._client is not None:
            # pipecat interrupts the avatar on every UserStartedSpeakingFrame; Mockroom's barge-in rule decides
            # instead, and says so with an InterruptionFrame.
            await self._handle_user_started_speaking()

    async def _teardown(self) -> None:
        # Every way pipecat ends the service (EndFrame, CancelFrame, cleanup) goes through here.
        await self.disconnect()

    async def _on_participant_disconnected(self, participant_id: str) -> None:
        await super()._on_participant_disconnected(participant_id)
        await self._lose(f"The {LABEL} avatar left the room.")

    async def _lose(self, reason: str) -> None:
        if not self._closing and self.on_lost is not None:
            await self.on_lost(reason)

"""Tavus CVI: a replica that speaks Mockroom's own audio, through pipecat's `TavusVideoService`.

pipecat's service creates the conversation and joins its Daily room while the pipeline is set up; this one waits
for `connect()`, which the voice call runs once it is live, so a slow or failing Tavus never holds a call up and
nothing is created before a call starts. The conversation carries the call's limits (its longest length, and what
Tavus does if Mockroom vanishes without ending it), and `disconnect()` ends it on every way out of a call.
"""

import asyncio
import time
from typing import Any

import aiohttp
from loguru import logger
from pipecat.frames.frames import Frame, InterruptionFrame, TTSAudioRawFrame, TTSStoppedFrame
from pipecat.processors.frame_processor import FrameDirection, FrameProcessorSetup
from pipecat.services.tavus.video import TavusVideoService
from pipecat.transports.tavus.transport import TavusApi, TavusCallbacks, TavusParams, TavusTransportClient

from mockroom.avatar.base import AvatarError, Lost, http_error

LABEL = "Tavus"
# Tavus's own echo persona: it speaks the audio pipecat sends (conversation.echo) in that audio's voice.
ECHO_PERSONA = "pipecat0"
MAX_CALL_SECONDS = 3600  # the longest max_call_duration Tavus accepts
# Should Mockroom stop without ending a conversation, Tavus ends it this long after our bot left its room, or after
# its creation if our bot never joined.
PARTICIPANT_LEFT_TIMEOUT = 10
PARTICIPANT_ABSENT_TIMEOUT = 60
# pipecat sends the end of an utterance only on a TTSStoppedFrame, which Mockroom's speaker does not make; after
# this long without new audio the utterance is closed so its last 100 ms are not held back for seconds.
_UTTERANCE_GAP_SECONDS = 0.25


class TavusConversations(TavusApi):
    """Tavus's conversation endpoints as pipecat's `TavusApi` calls them, with a configurable base URL, the call's
    properties, errors that name the cause, and a record of the conversations still open."""

    def __init__(
        self, *, api_key: str, session: aiohttp.ClientSession, base_url: str, max_call_seconds: int,
        test_mode: bool = False,
    ) -> None:
        super().__init__(api_key, session)
        self.BASE_URL = base_url.rstrip("/")
        self._max_call_seconds = min(max_call_seconds, MAX_CALL_SECONDS)
        self._test_mode = test_mode
        self.open: set[str] = set()
        self.failure: AvatarError | None = None
        self._creating: set[asyncio.Future[dict[str, Any]]] = set()

    async def create_conversation(self, replica_id: str, persona_id: str) -> dict[str, Any]:
        """Creates the call's conversation; remembers why it failed (pipecat's client only logs it). A creation cut
        short (the connect timeout, a hang-up) still runs to its end, so that `end_open` can end what it made."""
        creating = asyncio.ensure_future(self._create(replica_id, persona_id))
        self._creating.add(creating)
        creating.add_done_callback(self._creating.discard)
        return await asyncio.shield(creating)

    async def _create(self, replica_id: str, persona_id: str) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "replica_id": replica_id,
            "persona_id": persona_id,
            "conversation_name": "Mockroom interview",
            "properties": {
                "max_call_duration": self._max_call_seconds,
                "participant_left_timeout": PARTICIPANT_LEFT_TIMEOUT,
                "participant_absent_timeout": PARTICIPANT_ABSENT_TIMEOUT,
            },
        }
        if self._test_mode:
            payload["test_mode"] = True
        try:
            data = await self._call("POST", "/conversations", payload)
        except AvatarError as error:
            self.failure = error
            raise
        if not data.get("conversation_id") or not data.get("conversation_url"):
            self.failure = AvatarError(f"{LABEL} answered without a conversation.")
            raise self.failure
        conversation_id = str(data["conversation_id"])
        self.open.add(conversation_id)
        logger.info(f"Tavus conversation {conversation_id} created")
        return data

    async def end_conversation(self, conversation_id: str | None) -> None:
        """Ends a conversation; a failure is logged and the conversation stays in `open` for `end_open`."""
        if conversation_id is None:
            return
        try:
            await self._call("POST", f"/conversations/{conversation_id}/end")
        except AvatarError as error:
            logger.warning(f"Tavus conversation {conversation_id} could not be ended: {error}")
            return
        self.open.discard(conversation_id)
        logger.info(f"Tavus conversation {conversation_id} ended")

    async def end_open(self) -> None:
        """Ends every conversation this call created and has not ended yet (waiting for creations under way)."""
        await asyncio.gather(*self._creating, return_exceptions=True)
        for conversation_id in sorted(self.open):
            await self.end_conversation(conversation_id)

    async def get_persona_name(self, persona_id: str) -> str:
        return str((await self.persona(persona_id)).get("persona_name", ""))

    async def persona(self, persona_id: str) -> dict[str, Any]:
        """The persona as Tavus describes it (`pipeline_mode` among the rest)."""
        return await self._call("GET", f"/personas/{persona_id}")

    async def _call(self, method: str, path: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        try:
            async with self._session.request(
                method, f"{self.BASE_URL}{path}", headers=self._headers, json=payload
            ) as response:
                if response.status >= 400:
                    raise http_error(LABEL, response.status)
                if response.content_type != "application/json":
                    return {}
                data = await response.json()
                return data if isinstance(data, dict) else {}
        except aiohttp.ClientError as error:
            raise AvatarError(f"{LABEL} could not be reached.") from error
        except TimeoutError as error:
            raise AvatarError(f"{LABEL} did not answer in time.") from error


class _TavusClient(TavusTransportClient):
    """pipecat's Tavus client on `TavusConversations`, reporting a failure of the Daily room instead of only
    logging it."""

    def __init__(self, *, conversations: TavusConversations, on_room_error: Lost, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._api = conversations
        self._on_room_error = on_room_error

    async def _on_handle_callback(self, event_name: str, *args: Any, **kwargs: Any) -> None:
        if event_name == "on_error":
            # Daily's message names the room's URL, which lets anyone in: it is not repeated.
            await self._on_room_error(f"{LABEL}'s video room failed.")
            return
        await super()._on_handle_callback(event_name, *args, **kwargs)


class TavusAvatar(TavusVideoService):
    """A Tavus replica for one call: audio in, the replica's video and voice out (see the module)."""

    provider = "tavus"
    label = LABEL

    def __init__(
        self, *, api_key: str, replica_id: str, persona_id: str, session: aiohttp.ClientSession,
        conversations: TavusConversations, **kwargs: Any,
    ) -> None:
        super().__init__(api_key=api_key, replica_id=replica_id, persona_id=persona_id, session=session, **kwargs)
        self._conversations = conversations
        self.on_lost: Lost | None = None
        self._frame_setup: FrameProcessorSetup | None = None
        self._closing = False
        self._last_audio: float | None = None
        self._utterances: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def setup(self, setup: FrameProcessorSetup) -> None:  # type: ignore[override]  # as pipecat's own
        # The processor's own setup only: the conversation waits for connect().
        await super(TavusVideoService, self).setup(setup)
        self._frame_setup = setup

    async def connect(self) -> None:
        """Creates the conversation and joins its room; raises AvatarError when Tavus refuses."""
        assert self._frame_setup is not None, "connect() comes after the pipeline is set up"
        if self._persona_id != ECHO_PERSONA:
            persona = await self._conversations.persona(self._persona_id)
            if persona.get("pipeline_mode") != "echo":
                raise AvatarError(
                    f"The {LABEL} persona does not only repeat what it is sent (its pipeline_mode is not echo)."
                )
        client = _TavusClient(
            conversations=self._conversations, on_room_error=self._lose, bot_name="Mockroom",
            callbacks=TavusCallbacks(
                on_joined=self._on_joined, on_participant_joined=self._on_participant_joined,
                on_participant_left=self._on_participant_left,
            ),
            api_key=self._api_key, replica_id=self._replica_id, persona_id=self._persona_id, session=self._session,
            params=TavusParams(audio_in_enabled=True, video_in_enabled=True, audio_out_faster_than_realtime=True),
        )
        self._client = client
        await client.setup(self._frame_setup)
        if self._conversations.failure is not None:
            raise self._conversations.failure
        if client.conversation_id is None:
            raise AvatarError(f"{LABEL} did not open a conversation.")
        await client.join()
        await client.start_send_task()
        self._utterances = self.create_task(self._close_utterances(), "tavus-utterances")

    async def disconnect(self) -> None:
        """Leaves the room and ends the conversation; safe to call at any point, any number of times."""
        async with self._lock:
            self._closing = True
            if self._utterances is not None:
                await self.cancel_task(self._utterances)
                self._utterances = None
            client, self._client = self._client, None
            self._other_participant_has_joined = False
            if client is not None:
                try:
                    await client.cancel_send_task()
                    await client.stop()
                    await client.cleanup()
                except Exception as error:  # a room that is already gone; the conversation is still ended below
                    logger.warning(f"Tavus: leaving the room failed ({type(error).__name__})")
            await self._conversations.end_open()

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, TTSAudioRawFrame) and self._client is not None:
            self._last_audio = time.monotonic()
        elif isinstance(frame, InterruptionFrame):
            self._last_audio = None

    async def _teardown(self) -> None:
        # Every way pipecat ends the service (EndFrame, CancelFrame) goes through here.
        await self.disconnect()

    async def _on_participant_left(self, participant: Any, reason: Any) -> None:
        await super()._on_participant_left(participant, reason)
        await self._lose(f"The {LABEL} replica left the call.")

    async def _lose(self, reason: str) -> None:
        if not self._closing and self.on_lost is not None:
            await self.on_lost(reason)

    async def _close_utterances(self) -> None:
        while True:
            await asyncio.sleep(0.05)
            last = self._last_audio
            if last is not None and time.monotonic() - last >= _UTTERANCE_GAP_SECONDS and self._client is not None:
                self._last_audio = None
                await self._client.queue_tts_frame(TTSStoppedFrame())

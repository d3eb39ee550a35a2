"""Between the speaker and the transport when a hosted avatar (Tavus, HeyGen) draws the interviewer.

Each reply's audio goes to the avatar service and the avatar's video and voice come back, on to the browser. The
local avatar speaks until the hosted one has sent its first video, and again, for the rest of the call, once the
hosted one fails: an HTTP error, no video within the connect timeout, a room that drops, video that stops, or audio
sent that is not spoken back. The browser hears of each change in a `server-message` `avatar`. After a failure the
reply goes on locally from the start of the sentence the candidate was hearing, so no word is lost, and the
provider's session is ended at once.
"""

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from loguru import logger
from pipecat.frames.frames import (
    CancelFrame,
    DataFrame,
    EndFrame,
    Frame,
    InterruptionFrame,
    OutputImageRawFrame,
    SpeechOutputAudioRawFrame,
    StartFrame,
    TTSAudioRawFrame,
)
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor

from mockroom.avatar.base import AvatarError, HostedAvatar, as_processor
from mockroom.voice import messages
from mockroom.voice.state import SpokenReply, VoiceState

Mode = Literal["connecting", "standby", "hosted", "local"]

_WINDOW_SECONDS = 0.01
_VOICE_RMS = 0.01  # -40 dBFS, as the listener's: quieter 10 ms windows are silence
# How far before the point the candidate had heard the local avatar may start again: the count of what was heard
# can run ahead of the avatar by its latency after a pause.
_RESUME_MARGIN_SECONDS = 0.3
# A hosted avatar's stream that has said every voiced word and then sends nothing more has played the rest too.
_TRAILING_SECONDS = 0.4
_TICK_SECONDS = 0.1
_FRAME_SECONDS = 0.02


@dataclass
class LocalAudioFrame(DataFrame):
    """Interviewer audio that passes the hosted avatar service untouched: the local avatar speaks it."""

    audio: bytes = b""
    sample_rate: int = 24_000
    context_id: str = ""


def _voiced(pcm: bytes) -> bool:
    samples = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0
    return bool(samples.size) and float(np.sqrt(np.mean(samples**2))) > _VOICE_RMS


class _Relayed:
    """The audio of one reply sent to the hosted avatar, which of it is voiced, and how much has come back."""

    def __init__(self, reply_id: str, sample_rate: int, now: float) -> None:
        self.reply_id = reply_id
        self.sample_rate = sample_rate
        self.pcm = bytearray()
        self.voiced: list[bool] = []
        self.heard = 0.0
        self.awaiting_voice = True
        self.progress_at = now
        self.last_back = now

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate

    def add(self, pcm: bytes, now: float) -> None:
        owed = self.owes_voice()
        self.pcm.extend(pcm)
        size = int(self.sample_rate * _WINDOW_SECONDS) * 2
        while (len(self.voiced) + 1) * size <= len(self.pcm):
            start = len(self.voiced) * size
            self.voiced.append(_voiced(bytes(self.pcm[start:start + size])))
        if not owed and self.owes_voice():
            self.progress_at = now

    def next_voice(self, at: float) -> float | None:
        """Where the first voiced window at or after `at` seconds starts."""
        first = int(at / _WINDOW_SECONDS + 1e-6)
        return next((i * _WINDOW_SECONDS for i in range(first, len(self.voiced)) if self.voiced[i]), None)

    def owes_voice(self) -> bool:
        """Voiced audio was sent that has not come back yet."""
        return self.next_voice(self.heard) is not None


class AvatarRelay:
    """Routes the interviewer's audio through a hosted avatar service or past it (see the module); `processors()`
    go in the pipeline between the speaker and the output transport, in that order."""

    def __init__(
        self, *, avatar: HostedAvatar, state: VoiceState, connect_timeout: float, stall_seconds: float,
        on_avatar_video: Callable[[SpokenReply], Awaitable[None]],
    ) -> None:
        self.avatar = avatar
        self.mode: Mode = "connecting"
        self.reason = ""
        self._state = state
        self._connect_timeout = connect_timeout
        self._stall_seconds = stall_seconds
        self._on_avatar_video = on_avatar_video
        self._settled = asyncio.Event()
        self._lock = asyncio.Lock()
        self._route: tuple[str, bool] | None = None
        self._relayed: _Relayed | None = None
        self._last_video = 0.0
        self._watch: asyncio.Task[None] | None = None
        self._teardown: asyncio.Future[None] | None = None
        self.entry = _Entry(self)
        self.exit = _Exit(self)
        avatar.on_lost = self.fall_back

    def processors(self) -> list[FrameProcessor]:
        return [self.entry, as_processor(self.avatar), self.exit]

    def status(self) -> dict[str, Any]:
        """The `server-message` `avatar` that tells the browser who draws the interviewer now."""
        if self.mode == "local":
            return messages.server_message("avatar", provider="local", status="live", reason=self.reason)
        status = "live" if self.mode == "hosted" else "connecting"
        return messages.server_message("avatar", provider=self.avatar.provider, status=status)

    async def settled(self) -> None:
        """Returns once the hosted avatar is ready to speak or has been given up (at most the connect timeout after
        the pipeline started)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._settled.wait(), self._connect_timeout + _TICK_SECONDS)

    async def close(self) -> None:
        """Ends the provider's session (the call is over); safe to call more than once."""
        if self._watch is not None and not self._watch.done():
            self._watch.cancel()
        if self._teardown is not None:
            await asyncio.gather(self._teardown, return_exceptions=True)
        await self.avatar.disconnect()

    async def fall_back(self, reason: str) -> None:
        """Gives the hosted avatar up for the rest of the call: the local avatar speaks on, from the sentence the
        candidate was hearing, and the provider's session is ended now so that nothing more is billed."""
        async with self._lock:
            if self.mode == "local":
                return
            was_hosted = self.mode == "hosted"
            self.mode = "local"
            self.reason = reason
            self._settled.set()
            replay = self._replay() if was_hosted else None
            self._relayed = None
            if replay is not None:
                await self.entry.push_frame(replay)
        logger.warning(f"voice call: {self.avatar.label} given up, the local avatar goes on: {reason}")
        watch = self._watch if self._watch is not asyncio.current_task() else None
        self._teardown = asyncio.ensure_future(self._end_session(watch))
        await self._state.notify(self.status())
        reply = self._state.reply
        if reply is not None and reply.latency is not None and reply.latency.first_avatar_video is None:
            reply.latency.avatar = False
            await self._on_avatar_video(reply)

    async def _end_session(self, watch: "asyncio.Task[None] | None") -> None:
        # A connect still under way is stopped first, so that it cannot join the room after the session ended.
        if watch is not None and not watch.done():
            watch.cancel()
            await asyncio.gather(watch, return_exceptions=True)
        await self.avatar.disconnect()

    def start(self, processor: FrameProcessor) -> None:
        self._watch = processor.create_task(self._run(), "avatar-relay")

    async def stop(self, processor: FrameProcessor) -> None:
        if self._watch is not None:
            await processor.cancel_task(self._watch)
            self._watch = None

    async def route(self, frame: TTSAudioRawFrame) -> None:
        """Sends one frame of a reply to the hosted avatar, or past it; every frame of a reply goes the same way
        (the hosted avatar takes over only at the start of a reply) until the hosted avatar fails."""
        reply_id = frame.context_id or ""
        went_live = False
        async with self._lock:
            if self._route is None or self._route[0] != reply_id:
                hosted = self.mode in ("standby", "hosted")
                self._route = (reply_id, hosted)
                if hosted:
                    went_live = self.mode == "standby"
                    self.mode = "hosted"
                    self._relayed = _Relayed(reply_id, frame.sample_rate, time.time())
                    reply = self._reply(reply_id)
                    if reply is not None and reply.latency is not None:
                        reply.latency.avatar = True
            relayed = self._relayed
            if self._route[1] and self.mode == "hosted" and relayed is not None and relayed.reply_id == reply_id:
                relayed.add(frame.audio, time.time())
                await self.entry.push_frame(frame)
            else:
                await self.entry.push_frame(
                    LocalAudioFrame(audio=frame.audio, sample_rate=frame.sample_rate, context_id=reply_id)
                )
        if went_live:
            await self._state.notify(self.status())

    def interrupted(self) -> None:
        """The candidate talked over the reply: what the avatar still had to say is dropped with it."""
        self._relayed = None
        self._route = None

    async def video_back(self, frame: OutputImageRawFrame) -> None:
        now = time.time()
        self._last_video = now
        if self.mode == "connecting":
            self.mode = "standby"
            self._settled.set()
        if self.mode != "hosted":
            return
        await self.exit.push_frame(frame)
        # The avatar's stage of the turn's latency: its first video frame once its voice has been sent.
        relayed = self._relayed
        reply = self._reply(relayed.reply_id) if relayed is not None else None
        latency = reply.latency if reply is not None else None
        if reply is None or latency is None or latency.first_audio_sent is None or latency.first_avatar_video:
            return
        latency.first_avatar_video = now
        await self._on_avatar_video(reply)

    async def voice_back(self, frame: SpeechOutputAudioRawFrame) -> None:
        """The avatar's voice: passed on while it speaks the reply's audio, dropped while it idles. What has been
        heard is counted in the reply's seconds, from the first voiced window it says (its voice starts there)."""
        relayed = self._relayed
        if self.mode != "hosted" or relayed is None:
            return
        now = time.time()
        relayed.last_back = now
        voiced = _voiced(frame.audio)
        if relayed.heard >= relayed.seconds - 1e-6:
            relayed.awaiting_voice = True
        if relayed.awaiting_voice:
            onset = relayed.next_voice(relayed.heard) if voiced else None
            if onset is None:
                return
            self._count(relayed, onset - relayed.heard)
            relayed.awaiting_voice = False
        if voiced:
            relayed.progress_at = now
        relayed.heard += len(frame.audio) / 2 / frame.sample_rate
        await self.exit.push_frame(TTSAudioRawFrame(
            audio=frame.audio, sample_rate=frame.sample_rate, num_channels=frame.num_channels,
            context_id=relayed.reply_id,
        ))

    async def _run(self) -> None:
        try:
            async with asyncio.timeout(self._connect_timeout):
                await self.avatar.connect()
                await self._settled.wait()
        except AvatarError as error:
            await self.fall_back(str(error))
            return
        except TimeoutError:
            await self.fall_back(f"{self.avatar.label} did not start within {self._connect_timeout:g} s.")
            return
        except Exception as error:  # a provider's SDK failing in a way of its own; the call goes on all the same
            await self.fall_back(f"{self.avatar.label} could not start ({type(error).__name__}).")
            return
        while self.mode != "local":
            await asyncio.sleep(_TICK_SECONDS)
            await self._check(time.time())

    async def _check(self, now: float) -> None:
        if now - self._last_video > self._stall_seconds:
            await self.fall_back(f"{self.avatar.label}'s video stopped.")
            return
        relayed = self._relayed
        if relayed is None or self.mode != "hosted":
            return
        if relayed.owes_voice():
            if now - relayed.progress_at > self._stall_seconds:
                await self.fall_back(f"{self.avatar.label} did not speak the interviewer's words.")
        elif relayed.heard < relayed.seconds and now - relayed.last_back > _TRAILING_SECONDS:
            self._count(relayed, relayed.seconds - relayed.heard)

    def _count(self, relayed: _Relayed, seconds: float) -> None:
        """Counts reply audio as heard without frames for it (the silence before or after the avatar's voice)."""
        relayed.heard += seconds
        reply = self._reply(relayed.reply_id)
        if reply is not None:
            reply.played_seconds += seconds

    def _replay(self) -> LocalAudioFrame | None:
        """The audio of the reply the hosted avatar was speaking, from the start of the sentence the candidate was
        hearing; None when every word had been heard (or the reply was cut short)."""
        relayed = self._relayed
        if relayed is None or not relayed.owes_voice():
            return None
        reply = self._reply(relayed.reply_id)
        if reply is None or reply.interrupted:
            return None
        point = max(0.0, relayed.heard - _RESUME_MARGIN_SECONDS)
        start = max((s.offset for s in reply.segments if s.offset <= point + 1e-6), default=0.0)
        reply.played_seconds = start
        for segment in reply.segments:
            if segment.offset >= start - 1e-6:
                segment.announced = False
        offset = int(start * relayed.sample_rate) * 2
        return LocalAudioFrame(audio=bytes(relayed.pcm[offset:]), sample_rate=relayed.sample_rate,
                               context_id=relayed.reply_id)

    def _reply(self, reply_id: str) -> SpokenReply | None:
        reply = self._state.reply
        return reply if reply is not None and reply.reply_id == reply_id else None


class _Entry(FrameProcessor):
    """Before the avatar service: each frame of reply audio goes to it, or past it (see AvatarRelay.route)."""

    def __init__(self, relay: AvatarRelay, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._relay = relay

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, TTSAudioRawFrame) and direction == FrameDirection.DOWNSTREAM:
            await self._relay.route(frame)
            return
        if isinstance(frame, InterruptionFrame):
            self._relay.interrupted()
        await self.push_frame(frame, direction)


class _Exit(FrameProcessor):
    """After the avatar service: the avatar's media while it speaks, the local avatar's audio otherwise; it also
    connects the avatar once the pipeline runs and watches it."""

    def __init__(self, relay: AvatarRelay, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._relay = relay

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, StartFrame):
            await self.push_frame(frame, direction)
            self._relay.start(self)
            return
        if isinstance(frame, (EndFrame, CancelFrame)):
            await self._relay.stop(self)
        elif direction == FrameDirection.DOWNSTREAM:
            if isinstance(frame, LocalAudioFrame):
                await self._speak(frame)
                return
            if isinstance(frame, OutputImageRawFrame):
                await self._relay.video_back(frame)
                return
            if isinstance(frame, SpeechOutputAudioRawFrame):
                await self._relay.voice_back(frame)
                return
        await self.push_frame(frame, direction)

    async def _speak(self, frame: LocalAudioFrame) -> None:
        step = int(frame.sample_rate * _FRAME_SECONDS) * 2
        for start in range(0, len(frame.audio), step):
            await self.push_frame(TTSAudioRawFrame(
                audio=frame.audio[start:start + step], sample_rate=frame.sample_rate, num_channels=1,
                context_id=frame.context_id,
            ))

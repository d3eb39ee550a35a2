"""A headless voice client: aiortc in place of the browser, TTS-made WAV audio in place of a person."""

import asyncio
import fractions
import json
import time
from dataclasses import dataclass, field
from typing import Any

import av
import httpx
import numpy as np
from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

RATE = 16_000
_FRAME = RATE // 50
_SPEECH_RMS = 300.0


class ScriptedMicrophone(MediaStreamTrack):
    """A microphone that plays queued PCM (16 kHz mono int16) in real time and silence in between."""

    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self._queue = bytearray()
        self._sent = 0
        self._start: float | None = None
        self._done: list[tuple[int, asyncio.Future[float]]] = []
        self._bytes_out = 0

    def say(self, pcm: bytes) -> "asyncio.Future[float]":
        """Queues speech; the future resolves (with the wall time) when its last sample has been sent."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._queue.extend(pcm)
        self._done.append((self._bytes_out + len(self._queue), future))
        return future

    async def recv(self) -> av.AudioFrame:
        if self._start is None:
            self._start = time.time()
        wait = self._start + self._sent * _FRAME / RATE - time.time()
        if wait > 0:
            await asyncio.sleep(wait)
        size = _FRAME * 2
        chunk = bytes(self._queue[:size])
        del self._queue[:size]
        self._bytes_out += len(chunk)
        chunk = chunk.ljust(size, b"\x00")
        for end, future in list(self._done):
            if self._bytes_out >= end and not future.done():
                future.set_result(time.time())
                self._done.remove((end, future))
        frame = av.AudioFrame(format="s16", layout="mono", samples=_FRAME)
        frame.planes[0].update(chunk)
        frame.sample_rate = RATE
        frame.pts = self._sent * _FRAME
        frame.time_base = fractions.Fraction(1, RATE)
        self._sent += 1
        return frame


@dataclass
class VoiceClient:
    """Connects to the server's offer endpoint and records what comes back: audio onsets and data messages."""

    base_url: str
    interview_id: str
    video: bool = False
    mic: ScriptedMicrophone = field(default_factory=ScriptedMicrophone)
    messages: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    audio_onsets: list[float] = field(default_factory=list)
    audio_active: bool = False
    last_audio: float = 0.0
    video_frames: list[float] = field(default_factory=list)
    _pc: RTCPeerConnection | None = None
    _tasks: list["asyncio.Task[None]"] = field(default_factory=list)

    async def connect(self) -> None:
        pc = RTCPeerConnection()
        self._pc = pc
        pc.addTrack(self.mic)
        if self.video:
            # Second transceiver, as the protocol asks: where a hosted avatar's video comes.
            pc.addTransceiver("video", direction="recvonly")
        channel = pc.createDataChannel("messages", ordered=True)

        @channel.on("message")
        def _message(raw: str) -> None:
            self.messages.append((time.time(), json.loads(raw)))

        @pc.on("track")
        def _track(track: MediaStreamTrack) -> None:
            if track.kind == "audio":
                self._tasks.append(asyncio.ensure_future(self._listen(track)))
            elif track.kind == "video":
                self._tasks.append(asyncio.ensure_future(self._watch(track)))

        self._channel = channel
        await pc.setLocalDescription(await pc.createOffer())
        async with httpx.AsyncClient(base_url=self.base_url, timeout=30) as http:
            response = await http.post(
                f"/api/interviews/{self.interview_id}/voice/offer",
                json={"sdp": pc.localDescription.sdp, "type": pc.localDescription.type},
            )
        response.raise_for_status()
        answer = response.json()
        self.pc_id = answer["pc_id"]
        await pc.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type=answer["type"]))
        self._tasks.append(asyncio.ensure_future(self._ping()))

    async def _ping(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            if self._channel.readyState == "open":
                self._channel.send(f"ping: {time.time()}")

    async def _listen(self, track: MediaStreamTrack) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            samples = frame.to_ndarray().astype(np.float32)
            rms = float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0
            now = time.time()
            if rms > _SPEECH_RMS:
                if not self.audio_active:
                    self.audio_onsets.append(now)
                self.audio_active = True
                self.last_audio = now
            elif self.audio_active and now - self.last_audio > 0.3:
                self.audio_active = False

    async def _watch(self, track: MediaStreamTrack) -> None:
        while True:
            try:
                await track.recv()
            except MediaStreamError:
                return
            self.video_frames.append(time.time())

    def send_text(self, text: str) -> None:
        """Types an answer in the room (data channel)."""
        self._channel.send(json.dumps({"type": "candidate-text", "text": text}))

    def send_rtvi(self, kind: str, data: dict[str, Any], message_id: str) -> None:
        """Sends a message as pipecat's browser client (`@pipecat-ai/client-js`) does."""
        self._channel.send(json.dumps({"label": "rtvi-ai", "type": kind, "id": message_id, "data": data}))

    def of_type(self, kind: str, since: float = 0.0) -> list[dict[str, Any]]:
        """Messages of an RTVI type (or, for server-message, of the inner data type), received after `since`."""
        out = []
        for at, message in self.messages:
            if at < since:
                continue
            if message.get("type") == kind or (
                message.get("type") == "server-message" and (message.get("data") or {}).get("type") == kind
            ):
                out.append(message)
        return out

    async def wait_for(self, predicate: Any, timeout: float) -> None:
        deadline = time.time() + timeout
        while not predicate():
            if time.time() > deadline:
                raise TimeoutError("condition not met in time")
            await asyncio.sleep(0.05)

    async def join(self, timeout: float = 30) -> None:
        """Connects and waits until the interviewer has read out the question on the table, as a person would."""
        await self.connect()
        await self.wait_for(lambda: self.of_type("ready"), timeout)
        await self.wait_for(lambda: self.of_type("bot-stopped-speaking"), timeout * 2)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._pc is not None:
            await self._pc.close()

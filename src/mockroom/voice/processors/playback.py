"""After the transport: follows the audio actually sent to the browser, for captions, lip-sync, barge-in
truncation and the last stage of the latency record."""

import time
from collections.abc import Awaitable, Callable
from typing import Any

from pipecat.frames.frames import BotStartedSpeakingFrame, BotStoppedSpeakingFrame, Frame, OutputAudioRawFrame
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor

from mockroom.providers.tts.base import ENVELOPE_FRAME_MS
from mockroom.voice import messages
from mockroom.voice.state import SpokenReply, VoiceState


class PlaybackTracker(FrameProcessor):
    """Counts the reply audio the transport has sent and announces each chunk as it starts playing.

    The output transport pushes an audio frame on only once it has been handed to WebRTC, paced in real time, so
    the seconds counted here are the seconds the candidate has heard (give or take the browser's jitter buffer).
    """

    def __init__(
        self, *, state: VoiceState, on_first_audio: Callable[[SpokenReply], Awaitable[None]], **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self._state = state
        self._on_first_audio = on_first_audio

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        await self.push_frame(frame, direction)
        if isinstance(frame, OutputAudioRawFrame) and direction == FrameDirection.DOWNSTREAM:
            await self._on_audio(frame)
        elif isinstance(frame, BotStartedSpeakingFrame):
            await self._state.notify(messages.bot_started_speaking())
        elif isinstance(frame, BotStoppedSpeakingFrame):
            await self._state.notify(messages.bot_stopped_speaking())

    async def _on_audio(self, frame: OutputAudioRawFrame) -> None:
        reply = self._state.reply
        if reply is None or reply.interrupted:
            return
        for segment in reply.segments:
            if not segment.announced and segment.offset <= reply.played_seconds:
                segment.announced = True
                await self._announce(segment.offset, segment.chunk)
        reply.played_seconds += len(frame.audio) / 2 / frame.sample_rate
        self._state.touch()
        if reply.latency is not None and reply.latency.first_audio_sent is None:
            reply.latency.first_audio_sent = time.time()
            await self._on_first_audio(reply)

    async def _announce(self, offset: float, chunk: Any) -> None:
        if chunk.text:
            await self._state.notify(messages.bot_tts_text(chunk.text))
        await self._state.notify(messages.server_message(
            "lipsync", offset=round(offset, 3), duration=round(chunk.duration, 3), text=chunk.text,
            words=[{"word": w.text, "start": w.start, "end": w.end} for w in chunk.words],
            envelope_frame_ms=ENVELOPE_FRAME_MS, envelope=chunk.envelope,
        ))

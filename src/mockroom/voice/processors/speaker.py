"""Speaks the interviewer's sentences with the configured text-to-speech provider, as they arrive."""

import asyncio
import time
from collections.abc import Iterator
from typing import Any

from pipecat.frames.frames import Frame, TTSAudioRawFrame
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor

from mockroom.providers.tts.base import SpeechChunk, TextToSpeech
from mockroom.voice.frames import SentenceFrame
from mockroom.voice.state import Segment, VoiceState

_FRAME_SECONDS = 0.02


class InterviewerSpeaker(FrameProcessor):
    """Turns each `SentenceFrame` into 20 ms audio frames; an interruption drops what is not yet synthesized. Audio
    waits while the state holds replies (`may_speak` cleared)."""

    def __init__(self, *, state: VoiceState, tts: TextToSpeech, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._state = state
        self._tts = tts

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, SentenceFrame):
            await self._speak(frame)
            return
        await self.push_frame(frame, direction)

    async def _speak(self, frame: SentenceFrame) -> None:
        reply = self._state.reply
        if reply is None or reply.reply_id != frame.reply_id or reply.interrupted:
            return
        chunks: Iterator[SpeechChunk] = iter(self._tts.synthesize(frame.text))
        while True:
            chunk = await asyncio.to_thread(next, chunks, None)
            if chunk is not None and not self._state.may_speak.is_set():
                await self._state.may_speak.wait()  # held until the candidate's turn is surely over
            if chunk is None or reply.interrupted:
                return
            if frame.latency is not None and frame.latency.first_tts_audio is None:
                frame.latency.first_tts_audio = time.time()
            reply.segments.append(Segment(offset=reply.synthesized_seconds, chunk=chunk))
            reply.synthesized_seconds += chunk.duration
            step = int(chunk.sample_rate * _FRAME_SECONDS) * 2
            for start in range(0, len(chunk.pcm), step):
                await self.push_frame(TTSAudioRawFrame(
                    audio=chunk.pcm[start:start + step], sample_rate=chunk.sample_rate, num_channels=1,
                    context_id=reply.reply_id,
                ))

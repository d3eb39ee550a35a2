"""A voice call's speaking half at frame level, run with pipecat's test utilities: a script of replies and barge-ins
→ Mockroom's speaker (on a tone-making TTS) → the hosted avatar relay → a stand-in output transport → the playback
tracker. What reaches the browser is what comes out of the end."""

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pipecat.frames.frames import (
    DataFrame,
    Frame,
    OutputImageRawFrame,
    OutputTransportReadyFrame,
    StartFrame,
    TTSAudioRawFrame,
)
from pipecat.pipeline.pipeline import Pipeline
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor
from pipecat.tests.utils import SleepFrame, run_test

from mockroom.avatar.base import HostedAvatar
from mockroom.avatar.factory import AvatarName, hosted_avatar
from mockroom.core.config import Settings
from mockroom.providers.tts.base import SpeechChunk, WordTiming, energy_envelope
from mockroom.voice.frames import SentenceFrame
from mockroom.voice.latency import TurnLatency
from mockroom.voice.processors.avatar import AvatarRelay
from mockroom.voice.processors.playback import PlaybackTracker
from mockroom.voice.processors.speaker import InterviewerSpeaker
from mockroom.voice.sentences import SentenceStream
from mockroom.voice.state import SpokenReply, VoiceState

RATE = 24_000
_WORD_SECONDS = 0.15
_GAP_SECONDS = 0.05
_LEAD_SECONDS = 0.03
_TAIL_SECONDS = 0.1

__all__ = [
    "REPLY", "SENTENCES", "Act", "BargeIn", "Call", "Say", "SleepFrame", "ToneSpeech", "assert_no_lost_words",
    "call_hosted", "run_call", "speech", "voiced_span",
]

# A reply of three sentences, and its sentences, for checking that every word reached the candidate.
REPLY = "Thanks for that. Could you walk me through the design? Start with the data model."
SENTENCES = ["Thanks for that.", "Could you walk me through the design?", "Start with the data model."]


class ToneSpeech:
    """A text-to-speech stand-in: each word a short tone of its own pitch, one chunk per sentence, with exact word
    timings, so that every word's audio can be found again in what the browser heard."""

    name = "tones"
    sample_rate = RATE

    def synthesize(self, text: str) -> Iterator[SpeechChunk]:
        parts = [np.zeros(int(RATE * _LEAD_SECONDS))]
        words: list[WordTiming] = []
        at = _LEAD_SECONDS
        for word in text.split():
            pitch = 200 + int(hashlib.sha256(word.encode()).hexdigest()[:4], 16) % 600
            t = np.arange(int(RATE * _WORD_SECONDS)) / RATE
            parts += [0.3 * np.sin(2 * np.pi * pitch * t), np.zeros(int(RATE * _GAP_SECONDS))]
            words.append(WordTiming(word, at, at + _WORD_SECONDS))
            at += _WORD_SECONDS + _GAP_SECONDS
        parts.append(np.zeros(int(RATE * _TAIL_SECONDS)))
        pcm = (np.concatenate(parts) * 32767).astype("<i2").tobytes()
        yield SpeechChunk(pcm=pcm, sample_rate=RATE, text=text, words=words, envelope=energy_envelope(pcm, RATE))

    def warm_up(self) -> None:
        return None


def voiced_span(pcm: bytes) -> bytes:
    """`pcm` from its first sound to its last."""
    samples = np.frombuffer(pcm, dtype="<i2")
    loud = np.flatnonzero(np.abs(samples) > 300)
    return samples[loud[0]: loud[-1] + 1].tobytes()


@dataclass
class Say(DataFrame):
    """The interviewer replies `text` (a new reply, as the interviewer processor starts one)."""

    text: str = ""
    reply_id: str = ""


@dataclass
class BargeIn(DataFrame):
    """The candidate talks over the reply long enough to stop it (as the listener decides)."""


@dataclass
class Act(DataFrame):
    """Something that happens outside the pipeline at this point of the script (the avatar's room drops, ...)."""

    action: Callable[[], Awaitable[None] | None] | None = None


@dataclass
class Call:
    """What one call's speaking half did: the frames that reached the browser, the messages sent to it, the replies
    and the latency breakdowns stored."""

    state: VoiceState
    relay: AvatarRelay | None
    frames: Sequence[Frame] = ()
    notes: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    replies: dict[str, SpokenReply] = field(default_factory=dict)
    latencies: list[dict[str, int | None]] = field(default_factory=list)

    def timed(self, kind: str) -> list[tuple[float, dict[str, Any]]]:
        """The server-messages of a kind, each with when it was sent."""
        return [
            (at, m["data"]) for at, m in self.notes
            if m.get("type") == "server-message" and m["data"].get("type") == kind
        ]

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [data for _, data in self.timed(kind)]

    def heard(self) -> bytes:
        """The interviewer's audio as the browser got it, as 24 kHz PCM."""
        out = bytearray()
        for frame in self.frames:
            if isinstance(frame, TTSAudioRawFrame):
                samples = np.frombuffer(frame.audio, dtype="<i2")
                out.extend(samples[:: frame.sample_rate // RATE].tobytes())
        return bytes(out)

    def video_frames(self) -> int:
        return sum(isinstance(f, OutputImageRawFrame) for f in self.frames)


class _Script(FrameProcessor):
    """Plays the interviewer's and the listener's parts: starts replies and cuts them off."""

    def __init__(self, call: Call) -> None:
        super().__init__()
        self._call = call

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        state = self._call.state
        if isinstance(frame, Say):
            now = time.time()
            latency = TurnLatency(speech_ended=now - 0.5, transcript=now - 0.2, first_brain_output=now)
            reply = SpokenReply(reply_id=frame.reply_id, latency=latency, text=frame.text)
            state.reply = reply
            self._call.replies[frame.reply_id] = reply
            stream = SentenceStream()
            sentences = [*stream.feed(frame.text + " "), stream.flush()]
            for sentence in filter(None, sentences):
                await self.push_frame(SentenceFrame(text=sentence, reply_id=frame.reply_id, latency=latency))
            return
        if isinstance(frame, Act):
            result = frame.action() if frame.action is not None else None
            if result is not None:
                await result
            return
        if isinstance(frame, BargeIn):
            if state.reply is not None:
                state.reply.interrupted = True
            await self.broadcast_interruption()
            return
        await self.push_frame(frame, direction)


class _OutputReady(FrameProcessor):
    """Where the output transport stands: says it is ready once started, as the real one does."""

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        await self.push_frame(frame, direction)
        if isinstance(frame, StartFrame):
            await self.push_frame(OutputTransportReadyFrame(), FrameDirection.UPSTREAM)


async def run_call(
    avatar: HostedAvatar | None, script: Sequence[Frame], *, connect_timeout: float = 5.0, stall_seconds: float = 1.0,
    send_end_frame: bool = True,
) -> Call:
    """Runs the script through the speaking half of a call with `avatar` (None: the local avatar only)."""
    notes: list[tuple[float, dict[str, Any]]] = []

    async def notify(message: dict[str, Any]) -> None:
        notes.append((time.time(), message))

    call = Call(state=VoiceState(interview_id="interview", notify=notify), relay=None, notes=notes)

    async def store(reply: SpokenReply) -> None:
        if reply.latency is not None and reply.latency.complete and not reply.latency_stored:
            reply.latency_stored = True
            call.latencies.append(reply.latency.breakdown())

    processors: list[FrameProcessor] = [_Script(call), InterviewerSpeaker(state=call.state, tts=ToneSpeech())]
    if avatar is not None:
        call.relay = AvatarRelay(avatar=avatar, state=call.state, connect_timeout=connect_timeout,
                                 stall_seconds=stall_seconds, on_avatar_video=store)
        processors += call.relay.processors()
    processors += [_OutputReady(), PlaybackTracker(state=call.state, on_first_audio=store)]
    try:
        down, _ = await run_test(
            Pipeline(processors), frames_to_send=list(script), send_end_frame=send_end_frame, start_timeout=5.0
        )
    finally:
        if call.relay is not None:
            await call.relay.close()
    call.frames = down
    return call


def speech(sentence: str) -> bytes:
    """The tone speech of one sentence."""
    return next(iter(ToneSpeech().synthesize(sentence))).pcm


def assert_no_lost_words(call: Call) -> None:
    """Every sentence of REPLY reached the browser whole."""
    heard = call.heard()
    for sentence in SENTENCES:
        assert voiced_span(speech(sentence)) in heard, f"not heard in full: {sentence!r}"


def call_hosted(provider: AvatarName, settings: Settings, script: Sequence[Any], **kwargs: Any) -> Call:
    """Runs `script` through a call whose hosted avatar is `provider`, built from `settings` as the server does."""

    async def scenario() -> Call:
        async with hosted_avatar(provider, settings=settings, interview_minutes=25) as avatar:
            assert avatar is not None
            return await run_call(avatar, script, **kwargs)

    return asyncio.run(scenario())

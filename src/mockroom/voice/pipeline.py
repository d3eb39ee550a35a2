"""One voice call: SmallWebRTC in → Silero VAD → listener (end of turn + STT) → interviewer → speaker → [hosted avatar]
→ SmallWebRTC out → playback tracker."""

import asyncio
import json
from typing import Any

from loguru import logger
from pipecat.audio.vad.silero import SileroVADAnalyzer
from pipecat.audio.vad.vad_analyzer import VADParams
from pipecat.frames.frames import OutputTransportMessageUrgentFrame
from pipecat.pipeline.pipeline import Pipeline
from pipecat.pipeline.worker import PipelineParams, PipelineWorker
from pipecat.processors.audio.vad_processor import VADProcessor
from pipecat.transports.base_transport import TransportParams
from pipecat.transports.smallwebrtc.connection import SmallWebRTCConnection
from pipecat.transports.smallwebrtc.transport import SmallWebRTCTransport
from pipecat.workers.runner import WorkerRunner

from mockroom.avatar.base import HostedAvatar
from mockroom.avatar.factory import hosted_avatar
from mockroom.voice import messages, transcript
from mockroom.voice.engine import VoiceEngine
from mockroom.voice.frames import CandidateTurnFrame, ReadQuestionFrame
from mockroom.voice.processors.avatar import AvatarRelay
from mockroom.voice.processors.interviewer import InterviewerProcessor
from mockroom.voice.processors.listener import CandidateListener
from mockroom.voice.processors.playback import PlaybackTracker
from mockroom.voice.processors.speaker import InterviewerSpeaker
from mockroom.voice.state import VoiceState
from mockroom.voice.turns import TurnPolicy

IN_SAMPLE_RATE = 16_000
OUT_SAMPLE_RATE = 24_000
_VAD_STOP_SECONDS = 0.2
# aiortc keeps each received audio packet until four later ones have come (80 ms): a playout buffer, for ears. The
# server only transcribes and times silences, for which the next packet is enough; packets that come out of order are
# still put back in order (a frame leaves only when every packet before it has), and a lost one is skipped as before.
_AUDIO_IN_PREFETCH = 1


def parse_client_message(raw: Any) -> dict[str, Any] | None:
    """A browser → server data-channel message as a dict, or None when it is not JSON."""
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def typed_answer(message: dict[str, Any]) -> str:
    """The text the candidate typed, from our own `candidate-text` or pipecat's RTVI `send-text`; "" otherwise."""
    kind = message.get("type")
    if kind == "candidate-text":
        text = message.get("text")
    elif kind == "send-text" and isinstance(message.get("data"), dict):
        text = message["data"].get("content")
    else:
        return ""
    return text.strip() if isinstance(text, str) else ""


def release_audio_promptly(connection: SmallWebRTCConnection) -> int:
    """Makes the call's audio receivers hand on each packet as soon as the next one has come (`_AUDIO_IN_PREFETCH`)
    rather than after four: the candidate's speech, and the silence that ends their turn, reach the listener 60 ms
    sooner. Call before media flows. Returns how many receivers were changed (0 when aiortc no longer keeps its jitter
    buffer where this looks for it: the call then runs with aiortc's own)."""
    from aiortc.jitterbuffer import JitterBuffer

    changed = 0
    for transceiver in connection.pc.getTransceivers():
        receiver = transceiver.receiver
        buffer = getattr(receiver, "_RTCRtpReceiver__jitter_buffer", None)
        if transceiver.kind != "audio" or not isinstance(buffer, JitterBuffer):
            continue
        prompt = JitterBuffer(capacity=buffer.capacity, prefetch=_AUDIO_IN_PREFETCH)
        receiver._RTCRtpReceiver__jitter_buffer = prompt  # type: ignore[attr-defined]  # aiortc's own, private
        changed += 1
    if not changed:
        logger.warning("Incoming call audio keeps aiortc's playout buffer (80 ms): its jitter buffer was not found")
    return changed


async def run_call(engine: VoiceEngine, connection: SmallWebRTCConnection, *, interview_id: str) -> None:
    """Runs the pipeline of one call until the browser hangs up; a hosted avatar's session lives exactly as long."""
    minutes = await asyncio.to_thread(transcript.interview_minutes, db=engine.db, interview_id=interview_id)
    async with hosted_avatar(engine.avatar, settings=engine.settings, interview_minutes=minutes) as avatar:
        await _run_pipeline(engine, connection, interview_id=interview_id, avatar=avatar)


async def _run_pipeline(
    engine: VoiceEngine, connection: SmallWebRTCConnection, *, interview_id: str, avatar: HostedAvatar | None
) -> None:
    settings = engine.settings
    transport = SmallWebRTCTransport(
        webrtc_connection=connection,
        params=TransportParams(
            audio_in_enabled=True, audio_out_enabled=True,
            audio_in_sample_rate=IN_SAMPLE_RATE, audio_out_sample_rate=OUT_SAMPLE_RATE,
            # The hosted avatar's video goes on the second transceiver, frame by frame as it comes.
            video_out_enabled=avatar is not None, video_out_is_live=True,
            video_out_width=settings.avatar_video_width, video_out_height=settings.avatar_video_height,
        ),
    )
    task: PipelineWorker | None = None

    async def notify(message: dict[str, Any]) -> None:
        if task is not None:
            await task.queue_frame(OutputTransportMessageUrgentFrame(message=message))

    state = VoiceState(interview_id=interview_id, notify=notify)
    interviewer = InterviewerProcessor(
        state=state, db=engine.db, brain=engine.brain, check_in_seconds=settings.voice_check_in_seconds,
        coding_quiet_seconds=settings.voice_coding_quiet_seconds,
    )
    listener = CandidateListener(
        state=state, stt=engine.stt, smart_turn=engine.smart_turn,
        policy=TurnPolicy.from_settings(settings),
        barge_in_seconds=settings.voice_barge_in_seconds, vad_stop_seconds=_VAD_STOP_SECONDS,
        incremental=settings.voice_incremental_stt, stretch_seconds=settings.voice_stt_stretch_seconds,
        sentence_end=engine.sentence_end,
    )
    relay = None if avatar is None else AvatarRelay(
        avatar=avatar, state=state, connect_timeout=settings.avatar_connect_timeout_seconds,
        stall_seconds=settings.avatar_stall_seconds, on_avatar_video=interviewer.store_latency,
    )
    vad = VADProcessor(vad_analyzer=SileroVADAnalyzer(params=VADParams(stop_secs=_VAD_STOP_SECONDS)))
    pipeline = Pipeline([
        transport.input(), vad, listener, interviewer, InterviewerSpeaker(state=state, tts=engine.tts),
        *(relay.processors() if relay is not None else []),
        transport.output(), PlaybackTracker(state=state, on_first_audio=interviewer.store_latency),
    ])
    task = PipelineWorker(
        pipeline,
        params=PipelineParams(audio_in_sample_rate=IN_SAMPLE_RATE, audio_out_sample_rate=OUT_SAMPLE_RATE),
        enable_rtvi=False, idle_timeout_secs=None,
    )

    @transport.event_handler("on_client_connected")
    async def _connected(_transport: Any, _client: Any) -> None:
        await notify(messages.server_message("ready", interview_id=interview_id))
        if relay is not None:
            await notify(relay.status())
            # The first question waits for the hosted avatar to say it (at most its connect timeout).
            await relay.settled()
        assert task is not None
        await task.queue_frame(ReadQuestionFrame())

    @transport.event_handler("on_client_disconnected")
    async def _disconnected(_transport: Any, _client: Any) -> None:
        assert task is not None
        await task.cancel()

    @transport.event_handler("on_app_message")
    async def _message(_transport: Any, raw: Any, *_: Any) -> None:
        message = parse_client_message(raw)
        if message is None:
            return
        if message.get("type") == "client-ready":
            await notify(messages.bot_ready(str(message.get("id") or "ready"), interview_id))
            return
        text = typed_answer(message)
        if text:
            assert task is not None
            await task.queue_frame(CandidateTurnFrame(text=text, typed=True))

    logger.info(f"voice call started for interview {interview_id}")
    runner = WorkerRunner(handle_sigint=False)
    await runner.add_workers(task)
    try:
        await runner.run()
    finally:
        if relay is not None:
            await relay.close()
        logger.info(f"voice call ended for interview {interview_id}")

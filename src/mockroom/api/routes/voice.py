"""Voice routes: WebRTC signalling for a live voice interview (SmallWebRTC offer/answer, trickle ICE), the voice
status used by the mic check, and each turn's latency. The protocol is in src/mockroom/voice/PROTOCOL.md."""

import asyncio
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from mockroom.api.deps import DatabaseDep
from mockroom.api.limits import rate_limit
from mockroom.api.security import require_owner
from mockroom.core.errors import AppError
from mockroom.interviews import service
from mockroom.voice import transcript
from mockroom.voice.engine import VoiceEngine, VoiceUnavailable, engine_of

router = APIRouter(tags=["voice"], dependencies=[Depends(require_owner)])


_MAX_SDP = 64_000


class VoiceOffer(BaseModel):
    """The browser's SDP offer; `pc_id` renegotiates an existing connection."""

    sdp: str = Field(min_length=10, max_length=_MAX_SDP, pattern=r"^v=0\r?\n")
    type: Literal["offer"] = "offer"
    pc_id: str | None = Field(default=None, max_length=100)
    restart_pc: bool | None = None


class VoiceAnswer(BaseModel):
    sdp: str
    type: str
    pc_id: str


class IceCandidateIn(BaseModel):
    candidate: str = Field(max_length=2_000)
    sdp_mid: str = Field(default="", max_length=100)
    sdp_mline_index: int = Field(default=0, ge=0, le=64)


class IcePatch(BaseModel):
    pc_id: str = Field(min_length=1, max_length=100)
    candidates: list[IceCandidateIn] = Field(default_factory=list, max_length=100)


class VoiceStatus(BaseModel):
    available: bool
    stt: str = ""
    tts: str = ""
    sample_rate_in: int = 16_000
    sample_rate_out: int = 24_000
    message: str = ""
    avatar: Literal["local", "tavus", "heygen"] = Field(
        default="local",
        description="Who will draw the interviewer in a call: the web app's own avatar, or a hosted one whose video "
        "comes over the call (the call still falls back to the local avatar if the hosted one fails).",
    )


class LatencyTurn(BaseModel):
    seq: int
    text: str
    transcript_ms: int | None = None
    first_brain_output_ms: int | None = None
    first_tts_audio_ms: int | None = None
    first_audio_sent_ms: int | None = None
    voice_to_voice_ms: int | None = None
    first_avatar_video_ms: int | None = Field(
        default=None, description="A hosted avatar's first video frame of the reply (null when the local one spoke)."
    )


def _check_sdp(sdp: str) -> None:
    """Parses the offer as aiortc will, so that a malformed one is the sender's error, not the server's."""
    from aiortc.sdp import SessionDescription

    try:
        parsed = SessionDescription.parse(sdp)
    except Exception as error:  # aiortc's parser fails with asserts, ValueErrors and KeyErrors alike
        raise AppError(
            code="invalid_sdp", message="The browser's voice offer could not be read; reload the page and retry.",
            status=422,
        ) from error
    if not any(media.kind == "audio" for media in parsed.media):
        raise AppError(code="invalid_sdp", message="The voice offer carries no audio track.", status=422)


def _check_candidate(candidate: str) -> None:
    """An ICE candidate line must parse; an empty one is the end-of-candidates marker."""
    from aiortc.sdp import candidate_from_sdp

    if not candidate:
        return
    try:
        candidate_from_sdp(candidate)
    except Exception as error:  # same parser, same mix of exceptions
        raise AppError(code="invalid_ice_candidate", message="An ICE candidate could not be read.", status=422) from error


def _engine_for(app: Any) -> VoiceEngine:
    """The app's voice engine; the first time, its calls are set to hang up (and end any hosted avatar's session)
    when the server stops."""
    engine = engine_of(app.state)
    if not getattr(app.state, "voice_shutdown", False):
        app.state.voice_shutdown = True
        app.router.on_shutdown.append(engine.shutdown)
    return engine


def _engine(request: Request) -> VoiceEngine:
    try:
        return _engine_for(request.app)
    except VoiceUnavailable as error:
        raise AppError(code="voice_unavailable", message=str(error), status=503) from error


@router.get("/voice", response_model=VoiceStatus)
async def voice_status(request: Request) -> VoiceStatus:
    """Whether voice works on this server; the first call loads the speech models (the room's mic check)."""
    try:
        engine = await run_in_threadpool(_engine_for, request.app)
        await run_in_threadpool(engine.warm_up)
    except VoiceUnavailable as error:
        return VoiceStatus(available=False, message=str(error))
    return VoiceStatus(available=True, stt=engine.stt.name, tts=engine.tts.name, avatar=engine.avatar)


@router.post("/interviews/{interview_id}/voice/offer", response_model=VoiceAnswer,
             dependencies=[rate_limit("voice_offer_per_user")])
async def voice_offer(interview_id: str, offer: VoiceOffer, request: Request, db: DatabaseDep) -> dict[str, Any]:
    """Starts (or renegotiates) the voice call of an interview in progress: SDP offer in, SDP answer out."""
    await run_in_threadpool(service.check_open, db=db, interview_id=interview_id)
    engine = await run_in_threadpool(_engine, request)
    from pipecat.transports.smallwebrtc.request_handler import SmallWebRTCRequest

    from mockroom.voice.pipeline import release_audio_promptly, run_call

    async def start(connection: Any) -> None:
        release_audio_promptly(connection)
        call = asyncio.create_task(run_call(engine, connection, interview_id=interview_id))
        engine.sessions.add(call)
        call.add_done_callback(engine.sessions.discard)

    _check_sdp(offer.sdp)
    answer = await engine.handler.handle_web_request(
        SmallWebRTCRequest(sdp=offer.sdp, type=offer.type, pc_id=offer.pc_id, restart_pc=offer.restart_pc), start
    )
    return dict(answer)


@router.patch("/interviews/{interview_id}/voice/offer", status_code=204)
async def voice_ice(interview_id: str, patch: IcePatch, request: Request) -> Response:
    """Trickled ICE candidates of the browser for an existing connection."""
    from pipecat.transports.smallwebrtc.request_handler import IceCandidate, SmallWebRTCPatchRequest

    engine = _engine(request)
    for candidate in patch.candidates:
        _check_candidate(candidate.candidate)
    await engine.handler.handle_patch_request(SmallWebRTCPatchRequest(
        pc_id=patch.pc_id,
        candidates=[IceCandidate(c.candidate, c.sdp_mid, c.sdp_mline_index) for c in patch.candidates],
    ))
    return Response(status_code=204)


@router.get("/interviews/{interview_id}/voice/latency", response_model=list[LatencyTurn])
async def voice_latency(interview_id: str, db: DatabaseDep) -> list[dict[str, Any]]:
    """Each voice turn's latency: end of the candidate's speech → transcript → first brain output → first TTS
    audio → first audio sent, in milliseconds."""
    return await run_in_threadpool(transcript.latency_turns, db=db, interview_id=interview_id)

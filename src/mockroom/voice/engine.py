"""The voice engine of one server: speech models loaded once, WebRTC peers, and one pipeline per call."""

import asyncio
import os
import threading
from dataclasses import dataclass, field
from typing import Any

from loguru import logger

from mockroom.avatar.factory import AvatarName, avatar_choice
from mockroom.brains.base import Brain
from mockroom.core.config import Settings
from mockroom.db.engine import Database
from mockroom.providers.stt import SpeechToText, SpeechToTextError, stt_from_settings
from mockroom.providers.tts import TextToSpeech, TextToSpeechError, tts_from_settings
from mockroom.providers.tts.cache import CachedSpeech
from mockroom.voice.sentence_end import shared_sentence_end

# onnxruntime and CTranslate2 spin waiting for work by default, which starves the other models on two cores.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


class VoiceUnavailable(RuntimeError):
    """Voice is switched off or its optional dependencies are missing."""


@dataclass
class VoiceEngine:
    """Shared by every call: the speech providers, Smart Turn, the sentence-end model (None when off or not
    installed), and the WebRTC request handler."""

    settings: Settings
    db: Database
    brain: Brain
    stt: SpeechToText
    tts: TextToSpeech
    smart_turn: Any
    handler: Any
    sentence_end: Any = None
    avatar: AvatarName = "local"
    sessions: set["asyncio.Task[None]"] = field(default_factory=set)

    def warm_up(self) -> None:
        """Loads every model now rather than on the first call's first words; a model that cannot load makes
        voice unavailable, with the provider's message (what to install or configure)."""
        try:
            self.stt.warm_up()
            self.tts.warm_up()
        except (SpeechToTextError, TextToSpeechError) as error:
            raise VoiceUnavailable(str(error)) from error

    async def shutdown(self) -> None:
        """Hangs up every call (the server is stopping): each ends its hosted avatar's session on the way out."""
        calls = list(self.sessions)
        for call in calls:
            call.cancel()
        await asyncio.gather(*calls, return_exceptions=True)


_lock = threading.Lock()


def create_engine(*, settings: Settings, db: Database, brain: Brain) -> VoiceEngine:
    """Builds the engine; raises VoiceUnavailable with what to install when pipecat is missing."""
    if not settings.voice_enabled:
        raise VoiceUnavailable("Voice interviews are switched off (MOCKROOM_VOICE_ENABLED=false).")
    try:
        from pipecat.audio.turn.smart_turn.local_smart_turn_v3 import LocalSmartTurnAnalyzerV3
        from pipecat.transports.smallwebrtc.request_handler import SmallWebRTCRequestHandler
    except ImportError as error:
        raise VoiceUnavailable(f"Voice needs pipecat-ai[webrtc]: pip install 'pipecat-ai[webrtc]' ({error}).") from error
    try:
        stt, tts = stt_from_settings(settings), CachedSpeech(tts_from_settings(settings))
    except (SpeechToTextError, TextToSpeechError) as error:
        raise VoiceUnavailable(str(error)) from error
    avatar, problem = avatar_choice(settings)
    if problem:
        logger.warning(problem)
    return VoiceEngine(
        settings=settings, db=db, brain=brain, stt=stt, tts=tts,
        smart_turn=LocalSmartTurnAnalyzerV3(sample_rate=16_000), handler=SmallWebRTCRequestHandler(), avatar=avatar,
        sentence_end=shared_sentence_end() if settings.voice_sure_sentence_end > 0 else None,
    )


def engine_of(state: Any) -> VoiceEngine:
    """The app's engine (`app.state.voice`), created on first use."""
    with _lock:
        engine: VoiceEngine | None = getattr(state, "voice", None)
        if engine is None:
            engine = create_engine(settings=state.settings, db=state.db, brain=state.brain)
            state.voice = engine
        return engine

"""Latency accounting of one voice turn, from the end of the candidate's speech to the first audio sent (and, when a
hosted avatar speaks the reply, to its first video frame showing it)."""

from dataclasses import dataclass

_STAGES = ("transcript", "first_brain_output", "first_tts_audio", "first_audio_sent")
_AVATAR_STAGE = "first_avatar_video"


@dataclass
class TurnLatency:
    """Wall-clock times (seconds since the epoch) of each stage of one turn; None until reached.

    `avatar` is set when a hosted avatar speaks the reply: then its first video frame after its first audio is a
    stage too (`first_avatar_video`), and the audio sent is the avatar's.
    """

    speech_ended: float
    transcript: float | None = None
    first_brain_output: float | None = None
    first_tts_audio: float | None = None
    first_audio_sent: float | None = None
    first_avatar_video: float | None = None
    avatar: bool = False

    def _stages(self) -> tuple[str, ...]:
        return (*_STAGES, _AVATAR_STAGE) if self.avatar else _STAGES

    @property
    def complete(self) -> bool:
        """Every stage has been reached."""
        return all(getattr(self, stage) is not None for stage in self._stages())

    def breakdown(self) -> dict[str, int | None]:
        """Milliseconds from the end of speech to each stage, and `voice_to_voice_ms` for the whole turn."""
        out: dict[str, int | None] = {}
        for stage in self._stages():
            at = getattr(self, stage)
            out[f"{stage}_ms"] = None if at is None else round((at - self.speech_ended) * 1000)
        out["voice_to_voice_ms"] = out["first_audio_sent_ms"]
        return out

"""Latency accounting of one voice turn, from the end of the candidate's speech to the first audio sent."""

from dataclasses import dataclass

_STAGES = ("transcript", "first_brain_output", "first_tts_audio", "first_audio_sent")


@dataclass
class TurnLatency:
    """Wall-clock times (seconds since the epoch) of each stage of one turn; None until reached."""

    speech_ended: float
    transcript: float | None = None
    first_brain_output: float | None = None
    first_tts_audio: float | None = None
    first_audio_sent: float | None = None

    @property
    def complete(self) -> bool:
        """Every stage has been reached."""
        return all(getattr(self, stage) is not None for stage in _STAGES)

    def breakdown(self) -> dict[str, int | None]:
        """Milliseconds from the end of speech to each stage, and `voice_to_voice_ms` for the whole turn."""
        out: dict[str, int | None] = {}
        for stage in _STAGES:
            at = getattr(self, stage)
            out[f"{stage}_ms"] = None if at is None else round((at - self.speech_ended) * 1000)
        out["voice_to_voice_ms"] = out["first_audio_sent_ms"]
        return out

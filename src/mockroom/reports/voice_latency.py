"""The report's appendix on voice latency: how long each spoken turn took, stage by stage, read from the
`meta.voice.latency` the voice layer stores on each message of the turn (see src/mockroom/voice/PROTOCOL.md)."""

from collections.abc import Iterable
from typing import Any

from mockroom.db.models import Message

STAGES = ("transcript_ms", "first_brain_output_ms", "first_tts_audio_ms", "first_audio_sent_ms")
# A hosted avatar's stage: its first video frame of the reply (None for replies the local avatar spoke).
FIGURES = (*STAGES, "voice_to_voice_ms", "first_avatar_video_ms")
_SHORT_TEXT = 80


def latency_turns(messages: Iterable[Message]) -> list[dict[str, Any]]:
    """Each voice turn's latency breakdown, in transcript order, keyed by the interviewer message it led to;
    a figure the turn never reached is None."""
    return [
        {"seq": m.seq, "text": m.text, **{figure: latency.get(figure) for figure in FIGURES}}
        for m in sorted(messages, key=lambda m: m.seq)
        if m.role == "interviewer" and (latency := ((m.meta or {}).get("voice") or {}).get("latency")) is not None
    ]


def appendix(messages: Iterable[Message]) -> dict[str, Any] | None:
    """One row per spoken turn and a summary (percentiles of voice to voice, median of each stage);
    None when nothing was spoken."""
    turns = latency_turns(messages)
    if not turns:
        return None
    voice_to_voice = [t["voice_to_voice_ms"] for t in turns if t["voice_to_voice_ms"] is not None]
    return {
        "turns": [{**turn, "text": _short(turn["text"])} for turn in turns],
        "summary": {
            "count": len(turns),
            "voice_to_voice_p50_ms": _percentile(voice_to_voice, 50),
            "voice_to_voice_p95_ms": _percentile(voice_to_voice, 95),
            "median": {
                stage: _percentile([t[stage] for t in turns if t[stage] is not None], 50) for stage in STAGES
            },
        },
    }


def _percentile(values: list[int], rank: float) -> int | None:
    """The rank-th percentile in whole milliseconds, interpolating between the closest values (so the 50th is
    the median); None without values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * rank / 100
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return round(ordered[below] + (ordered[above] - ordered[below]) * (position - below))


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _SHORT_TEXT else flat[: _SHORT_TEXT - 1].rsplit(" ", 1)[0] + "…"

"""Transcript downloads in Markdown, plain text and JSON."""

import json
from typing import Any

from mockroom.interviews.schemas import InterviewOut

_MEDIA = {"md": "text/markdown; charset=utf-8", "txt": "text/plain; charset=utf-8", "json": "application/json"}


def render_transcript(interview: InterviewOut, fmt: str) -> tuple[str, str]:
    """The transcript body and its media type."""
    if fmt == "json":
        payload: dict[str, Any] = interview.model_dump(mode="json", include={
            "id", "topic", "level", "kind", "duration_minutes", "language", "status", "created_at", "ended_at",
            "messages",
        })
        return json.dumps(payload, indent=2, ensure_ascii=False), _MEDIA["json"]
    label = {"interviewer": "Interviewer", "candidate": "Candidate"}
    if fmt == "md":
        lines = [
            f"# Mockroom interview: {interview.topic}",
            "",
            f"- Level: {interview.level}",
            f"- Kind: {interview.kind}",
            f"- Started: {interview.created_at.isoformat()}",
            f"- Status: {interview.status}",
            "",
        ]
        for message in interview.messages:
            lines += [f"**{label[message.role]}** ({message.created_at.strftime('%H:%M:%S')}):", "", message.text or "_(silence)_", ""]
        return "\n".join(lines), _MEDIA["md"]
    lines = [f"Mockroom interview: {interview.topic} ({interview.level}, {interview.kind})", ""]
    for message in interview.messages:
        lines.append(f"[{message.created_at.strftime('%H:%M:%S')}] {label[message.role]}: {message.text}")
    return "\n".join(lines) + "\n", _MEDIA["txt"]

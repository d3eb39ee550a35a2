"""Transcript downloads in Markdown, plain text and JSON.

Messages are shown as written, as the room shows them, so that no answer can pass for another turn: in Markdown
their text is escaped and fenced code (a code run, an example) stays a code block behind a fence it cannot close;
in plain text a message's later lines are indented, and only turns start a line. JSON keeps every text verbatim.
"""

import json
import re
from collections.abc import Iterator
from typing import Any

from mockroom.interviews.schemas import InterviewOut

_MEDIA = {"md": "text/markdown; charset=utf-8", "txt": "text/plain; charset=utf-8", "json": "application/json"}
_LABEL = {"interviewer": "Interviewer", "candidate": "Candidate"}
_TXT_INDENT = "    "

_LINE_BREAK = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
# Control characters (a terminal would obey ESC sequences and carriage returns) and bidi overrides, which reorder
# what a reader sees.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Fences as the web room reads them (web/src/components/markdown.ts).
_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*([^`\s]*)[^`]*")
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_BLOCK_START = re.compile(r"[#+=-]|\d{1,9}[.)]")
_BACKTICKS = re.compile(r"`+")


def render_transcript(interview: InterviewOut, fmt: str) -> tuple[str, str]:
    """The transcript body and its media type."""
    if fmt == "json":
        payload: dict[str, Any] = interview.model_dump(mode="json", include={
            "id", "topic", "level", "kind", "duration_minutes", "language", "status", "created_at", "ended_at",
            "messages",
        })
        return json.dumps(payload, indent=2, ensure_ascii=False), _MEDIA["json"]
    if fmt == "md":
        lines = [
            f"# Mockroom interview: {_markdown_line(_one_line(interview.topic))}",
            "",
            f"- Level: {interview.level}",
            f"- Kind: {interview.kind}",
            f"- Started: {interview.created_at.isoformat()}",
            f"- Status: {interview.status}",
            "",
        ]
        for message in interview.messages:
            said = markdown_text(message.text) if message.text.strip() else "_(silence)_"
            lines += [f"**{_LABEL[message.role]}** ({message.created_at.strftime('%H:%M:%S')}):", "", said, ""]
        return "\n".join(lines), _MEDIA["md"]
    lines = [f"Mockroom interview: {_one_line(interview.topic)} ({interview.level}, {interview.kind})", ""]
    for message in interview.messages:
        first, *rest = _lines(message.text)
        lines.append(f"[{message.created_at.strftime('%H:%M:%S')}] {_LABEL[message.role]}: {first}")
        lines.extend(_TXT_INDENT + line if line else "" for line in rest)
    return "\n".join(lines) + "\n", _MEDIA["txt"]


def markdown_text(text: str) -> str:
    """Text as Markdown that renders as the text itself; fenced code stays code, behind a fence it cannot close."""
    out: list[str] = []
    for language, block in _segments(_lines(text)):
        if language is None:
            out.extend(_markdown_line(line) for line in block)
        else:
            longest = max((len(run) for line in block for run in _BACKTICKS.findall(line)), default=0)
            fence = "`" * max(3, longest + 1)
            out += [fence + re.sub(r"[^\w+#.-]", "", language)[:20], *block, fence]
    return "\n".join(out)


def _lines(text: str) -> list[str]:
    """The text's lines, every kind of line break counted, control and bidi-override characters made visible."""
    return _CONTROL.sub("\ufffd", _LINE_BREAK.sub("\n", text)).split("\n")


def _one_line(text: str) -> str:
    return " ".join(" ".join(_lines(text)).split())


def _segments(lines: list[str]) -> Iterator[tuple[str | None, list[str]]]:
    """Runs of plain lines (language None) and fenced code blocks (their language, maybe ''); an unclosed fence
    runs to the end."""
    plain: list[str] = []
    index = 0
    while index < len(lines):
        opening = _FENCE_OPEN.fullmatch(lines[index])
        if opening is None:
            plain.append(lines[index])
            index += 1
            continue
        if plain:
            yield None, plain
            plain = []
        fence = opening.group(1)
        closing = re.compile(rf" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*")
        end = next((i for i in range(index + 1, len(lines)) if closing.fullmatch(lines[i])), len(lines))
        yield opening.group(2), lines[index + 1 : end]
        index = end + 1
    if plain:
        yield None, plain


def _markdown_line(line: str) -> str:
    """One line of text, escaped so that Markdown shows it literally (leading indentation dropped)."""
    line = _MD_INLINE.sub(r"\\\1", line.lstrip(" \t"))
    start = _MD_BLOCK_START.match(line)
    if start is not None:
        line = f"{line[: start.end() - 1]}\\{line[start.end() - 1 :]}"
    return line

"""Splits CV text into cleaned lines and into the sections a CV is organised by (Experience, Skills, ...)."""

import re
from dataclasses import dataclass, field
from functools import cache

from mockroom.cv.injection import looks_like_instruction
from mockroom.cv.skills import canonical_skill
from mockroom.cv.vocabulary import SectionKey, load_vocabulary

# Sections whose entries carry their own labelled lists ("Tools: ..."), which must not end the section.
_NESTED_SECTIONS = {"experience", "projects"}
# Last words that name a section in any trade's heading: "Teaching Experience", "Clinical Skills".
_KIND_WORDS: dict[str, SectionKey] = {"experience": "experience", "skills": "skills"}

_BULLET = re.compile(r"^(?:[-–*+•●▪■◦‣·∙○►▸▶➢➤→»✓✔]|\d{1,2}[.)])\s+")
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_RULE = re.compile(r"^(?:[-=_*~]\s*){3,}$")


@dataclass(frozen=True)
class Line:
    """One line of CV text without list markers or Markdown; bullet: it was a list item; marked: '#' or all capitals."""

    text: str
    bullet: bool = False
    marked: bool = False


@dataclass
class Sections:
    """The lines before the first heading (header), each section's lines, and whether instructions were dropped."""

    header: list[Line] = field(default_factory=list)
    bodies: dict[SectionKey, list[Line]] = field(default_factory=dict)
    instructions_removed: bool = False


def split_sections(*, text: str) -> Sections:
    """Cleans the text into lines, drops lines addressed to an AI, and groups the rest under their headings."""
    lines, removed = _drop_instructions(lines=[_clean(raw=raw) for raw in text.split("\n")])
    sections = Sections(instructions_removed=removed)
    current: list[Line] = sections.header
    current_key: SectionKey | None = None
    for line, following in zip(lines, _next_texts(lines=lines), strict=True):
        found = _heading(line=line, current=current_key, following=following)
        if found is None:
            current.append(line)
            continue
        current_key, rest = found
        current = sections.bodies.setdefault(current_key, [])
        if rest:
            current.append(Line(text=rest))
    return sections


def _next_texts(*, lines: list[Line]) -> list[str]:
    """For each line, the text of the next non-empty line after it ("" at the end)."""
    following: list[str] = []
    upcoming = ""
    for line in reversed(lines):
        following.append(upcoming)
        upcoming = line.text or upcoming
    return following[::-1]


def visible_text(*, sections: Sections) -> str:
    """All lines that made it past the instruction filter, section by section."""
    blocks = [sections.header, *sections.bodies.values()]
    return "\n".join(line.text for block in blocks for line in block)


def _clean(*, raw: str) -> Line:
    """A line with Markdown syntax and list markers stripped."""
    text = raw.strip()
    if not text or _RULE.match(text):
        return Line(text="")
    marked = bool(re.match(r"#{1,6}\s", text)) or (text.isupper() and len(text) > 2)
    text = re.sub(r"^#{1,6}\s+", "", text)
    text = _MD_LINK.sub(lambda match: _link_text(label=match.group(1), url=match.group(2)), text)
    text = re.sub(r"\*\*|__|`", "", text)
    text = re.sub(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", r"\1", text)
    bullet = _BULLET.match(text)
    if bullet:
        text = text[bullet.end() :]
    text = re.sub(r"[^\S\t]+", " ", text)
    return Line(text=re.sub(r" *\t[\t ]*", "\t", text).strip(), bullet=bullet is not None, marked=marked)


def _link_text(*, label: str, url: str) -> str:
    """A Markdown link as plain text that keeps its address."""
    return url if label.strip() in (url, url.removeprefix("mailto:")) else f"{label} ({url.removeprefix('mailto:')})"


def _drop_instructions(*, lines: list[Line]) -> tuple[list[Line], bool]:
    """The lines without any text that addresses an AI, also catching an instruction wrapped across two lines."""
    kept = [_without_instructions(line=line) for line in lines]
    removed = {index for index, line in enumerate(lines) if kept[index] != line}
    for index in range(len(lines) - 1):
        pair = f"{kept[index].text} {kept[index + 1].text}"
        if kept[index].text and kept[index + 1].text and looks_like_instruction(pair):
            kept[index] = kept[index + 1] = Line(text="")
            removed.update((index, index + 1))
        elif index in removed and not kept[index].text and _continues(previous=lines[index], line=lines[index + 1]):
            # The wrapped tail of a dropped instruction ("... previous" / "instructions and ...").
            kept[index + 1] = Line(text="")
            removed.add(index + 1)
    return [line for index, line in enumerate(kept) if index not in removed or line.text], bool(removed)


def _continues(*, previous: Line, line: Line) -> bool:
    """Whether a line reads as the wrapped continuation of the line before it (an unfinished sentence)."""
    return not previous.text.endswith((".", "!", "?")) and not line.bullet and line.text[:1].islower()


def _without_instructions(*, line: Line) -> Line:
    """The line without the sentences or list items that address an AI; empty when the rest still does."""
    if not looks_like_instruction(line.text):
        return line
    segments = re.split(r"(?<=[.!?;,|•])\s+", line.text)
    rest = " ".join(segment for segment in segments if not looks_like_instruction(segment)).strip(" ,;|•")
    if not rest or looks_like_instruction(rest):
        return Line(text="")
    return Line(text=rest, bullet=line.bullet, marked=line.marked)


def _heading(*, line: Line, current: SectionKey | None, following: str) -> tuple[SectionKey, str] | None:
    """The section a heading line opens and any content after its colon, or None for an ordinary line."""
    if line.bullet or not line.text or len(line.text) > 60:
        return None
    title, colon, rest = line.text.partition(":")
    key = _heading_key(text=title)
    index = _section_index()
    rest = rest.strip()
    known = index.get(key) or index.get(key.replace(" ", ""))
    kind = None if known or rest else _kind_heading(key=key)
    # Inside a Skills section "Communication skills" on its own line is a skill, not a new heading.
    section = known or (kind if kind != current else None)
    if section is None:
        return None
    if section == "skills" and rest and current in _NESTED_SECTIONS and not line.marked:
        # "Skills: Python · SQL" under a job (as LinkedIn exports write it) belongs to that job.
        return None
    vocabulary = load_vocabulary()
    if key in vocabulary.ambiguous_headings:
        # Inside Skills, a labelled line ("Languages: Czech, English") is one more list, as is a bare "Tools"
        # above known skills.
        if current == "skills" and (rest or _names_a_skill(text=following)):
            return None
        if rest and key in vocabulary.list_labels:
            return None
        if current in _NESTED_SECTIONS and not (line.marked or (colon and not rest)):
            return None
    return section, rest


def _kind_heading(*, key: str) -> SectionKey | None:
    """The section a two- or three-word heading names by its last word, whatever the trade."""
    words = key.split()
    if not 2 <= len(words) <= 3:
        return None
    return _KIND_WORDS.get(words[-1])


@cache
def _section_index() -> dict[str, SectionKey]:
    """Heading text to section, built once."""
    return load_vocabulary().section_of()


def _names_a_skill(*, text: str) -> bool:
    """Whether any item of a comma- or bar-separated line is a known skill."""
    return any(canonical_skill(item.strip()) for item in re.split(r"[,;|•·/]", text))


def _heading_key(*, text: str) -> str:
    """Heading text in comparable form: letter-spacing undone, decoration dropped, lower case, '&' as 'and'."""
    text = text.strip().strip("#*_=|:-—–. ")
    if re.fullmatch(r"(?:\w ){2,}\w", text):
        text = text.replace(" ", "")
    return re.sub(r"\s+", " ", text.replace("&", " and ").replace("/", " and ")).lower().strip()

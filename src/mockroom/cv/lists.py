"""Splits the lists CVs are full of ("Python, Go; AWS (RDS, EKS) | Figma") into their items."""

import re

from mockroom.cv.skills import canonical_skill
from mockroom.cv.vocabulary import load_vocabulary

_MARK = re.compile(r"[()\[\]]|[,;|•·]|\s+/\s+")
_OPENING, _CLOSING = {"(", "["}, {")", "]"}
_BRACKETED = re.compile(r"(?P<head>[^()\[\]]*?)\s*[(\[](?P<inner>[^()\[\]]*)[)\]]")
_CONJUNCTION = re.compile(r"^(?:and|or|&)\s+", re.IGNORECASE)
# Notes that qualify an item rather than name one: "(C1)", "(5 years)", "(2019)".
_LEVEL = re.compile(r"^(?:[abc][12]|\d[\d.,+]*\s*(?:years?|yrs?|months?)?|(?:19|20)\d{2})$", re.IGNORECASE)


def list_items(*, text: str) -> list[str]:
    """Items of a comma-, semicolon-, bar- or bullet-separated list; a bracketed list adds its items after its owner."""
    items: list[str] = []
    for piece in _pieces(text=text):
        items.extend(_item_and_parts(text=piece))
    return items


def _pieces(*, text: str) -> list[str]:
    """The text split at list separators outside brackets; brackets that don't pair up are dropped, not split on."""
    if not _balanced(text=text):
        text = re.sub(r"[()\[\]]", " ", text)
    pieces: list[str] = []
    depth = start = 0
    for match in _MARK.finditer(text):
        mark = match.group()
        if mark in _OPENING:
            depth += 1
        elif mark in _CLOSING:
            depth -= 1
        elif depth == 0:
            pieces.append(text[start : match.start()])
            start = match.end()
    pieces.append(text[start:])
    return pieces


def _balanced(*, text: str) -> bool:
    """Whether every bracket in the text closes, in order, and none is nested in another."""
    depth = 0
    for char in text:
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth -= 1
        if not 0 <= depth <= 1:
            return False
    return depth == 0


def _item_and_parts(*, text: str) -> list[str]:
    """One list item without notes like "(native)", and the items of a bracket that names known skills."""
    item = _bare(text=text)
    bracketed = _BRACKETED.fullmatch(item)
    if bracketed is None:
        return _halves(item=item) if item else []
    head = _bare(text=bracketed.group("head"))
    parts = [part for part in (_bare(text=raw) for raw in _pieces(text=bracketed.group("inner"))) if part]
    parts = [part for part in parts if not is_note(text=part)]
    if not head or not parts:
        return parts or _halves(item=head)
    # "AWS (RDS, EKS)" is three skills our vocabulary knows; "pastry (laminated doughs, choux)" is one, as written.
    if canonical_skill(head) or any(canonical_skill(part) for part in parts):
        return [*_halves(item=head), *parts]
    return [f"{head} ({', '.join(parts)})"]


def _halves(*, item: str) -> list[str]:
    """The item, or its two halves when "and" joins two skills ("Python and R", "trauma care and triage")."""
    halves = [half.strip() for half in item.split(" and ")]
    # A long item is a sentence, to be judged whole, not two skills.
    if len(halves) != 2 or len(item.split()) > 8 or canonical_skill(item):
        return [item]
    # Two known skills, or two phrases of two words or more; "Health and Safety" stays one item.
    if all(canonical_skill(half) for half in halves) or all(len(half.split()) >= 2 for half in halves):
        return halves
    return [item]


def _bare(*, text: str) -> str:
    """An item without surrounding punctuation or a leading "and" (from "Python, Go, and SQL")."""
    return _CONJUNCTION.sub("", text.strip(" .:-–—\t")).strip(" .:-–—\t")


def is_note(*, text: str) -> bool:
    """Whether a bracketed part qualifies an item ("native", "C1", "5 years") rather than naming one."""
    return bool(_LEVEL.match(text)) or text.lower() in load_vocabulary().level_notes

"""Splitting answers into verbatim sentences and spans, and counting words; shared by assessment and reports.

A sentence ends at '.', '!' or '?' followed by a space or the end, or at a line break; not after an
abbreviation ("e.g.", "Dr."), an initial ("Edgar F. Codd") or inside code and numbers ("obj.attr", "3.5").
"""

import re

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'+#.-]*")
# A candidate end: terminal punctuation (with closing quotes or brackets) and the whitespace after it.
_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)|\n")
_CLAUSE_BREAK = re.compile(r";\s+|,\s+(?:and|but|so|because|which|while|whereas)\s+|\s+[-–—]\s+|,\s+")
# Never end a sentence: "e.g. the", "Dr. Smith".
_ABBREVIATIONS = frozenset(
    ["e.g", "i.e", "cf", "approx", "vs", "incl", "resp", "dept", "fig", "vol", "nos", "al", "dr", "mr", "mrs", "prof",
     "jr", "sr", "st"]
)
# End a sentence only when a capital follows: "Acme Inc. Then we" but "Acme Inc. in 2020".
_SOMETIMES_FINAL = frozenset(
    ["etc", "inc", "ltd", "co", "corp", "govt", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
     "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "no", "avg", "est"]
)

FILLERS = ("um", "uh", "erm", "er", "hmm", "you know", "i mean", "basically", "sort of", "kind of", "like")
_FILLER = re.compile(
    r"\b(?:um+|uh+|erm+|er|hmm+|you know|i mean|basically|sort of|kind of)\b|(?<=[,.] )like\b|\blike,",
    re.IGNORECASE,
)


def words(text: str) -> list[str]:
    """The words of a text (numbers and tech tokens like C++ or node.js count as words)."""
    return _WORD.findall(text)


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    """Whether a '.', '!' or '?' really ends a sentence here."""
    if match.group(0) == "\n" or not match.group(0).startswith("."):
        return True
    if len(match.group(0).rstrip("\"')]")) > 1:  # "..." or "?!" end sentences, unless code goes on ("SELECT ... FOR")
        following = text[match.end():].lstrip().split(" ", 1)[0]
        return not (match.group(0).startswith("..") and len(following) > 1 and following.isupper())
    return _abbreviation_boundary(text, match)


def _abbreviation_boundary(text: str, match: re.Match[str]) -> bool:
    """A single '.' ends a sentence unless it follows an abbreviation or an initial."""
    before = text[: match.start()]
    token = re.search(r"(\S+)$", before)
    if token is None:
        return True
    word = token.group(1).lstrip("(\"'[")
    if re.fullmatch(r"[A-Z]", word):  # an initial, as in "Edgar F. Codd"
        return False
    lowered = word.lower().rstrip(".")
    if lowered in _ABBREVIATIONS or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
        return False
    if lowered in _SOMETIMES_FINAL:
        following = text[match.end():].lstrip()
        return bool(following) and following[0].isupper()
    return True


def sentences(text: str) -> list[str]:
    """Verbatim sentences of a text, stripped, in order; every one is a substring of the text."""
    found: list[str] = []
    start = 0
    for match in _END.finditer(text):
        if not _is_boundary(text, match):
            continue
        piece = text[start : match.end()].strip()
        if piece and any(c.isalnum() for c in piece):
            found.append(piece)
        start = match.end()
    rest = text[start:].strip()
    if rest and any(c.isalnum() for c in rest):
        found.append(rest)
    return found


def spans(text: str, max_words: int = 30) -> list[str]:
    """Verbatim spans to match rubric points against: sentences, long ones cut at clause breaks."""
    result: list[str] = []
    for sentence in sentences(text):
        if len(words(sentence)) <= max_words:
            result.append(sentence)
            continue
        cursor, pieces = 0, []
        for match in _CLAUSE_BREAK.finditer(sentence):
            pieces.append((cursor, match.start()))
            cursor = match.end()
        pieces.append((cursor, len(sentence)))
        start, end = pieces[0]
        for piece_start, piece_end in pieces[1:]:
            if len(words(sentence[start:piece_end])) > max_words:
                result.append(sentence[start:end].strip())
                start = piece_start
            end = piece_end
        result.append(sentence[start:end].strip())
    return [s for s in result if s and s in text]


def filler_count(text: str) -> int:
    """How many filler words or phrases the text contains."""
    return len(_FILLER.findall(text))

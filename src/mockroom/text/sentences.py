"""Splitting answers into verbatim spans and counting words; shared by assessment and reports."""

import re

_SENTENCE = re.compile(r"[^.!?;\n]+(?:[.!?;]+|$)", re.MULTILINE)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'+#.-]*")
_CLAUSE_BREAK = re.compile(r",\s+(?:and|but|so|because|which|while|whereas)\s+|\s+-\s+|,\s+")

FILLERS = ("um", "uh", "erm", "er", "hmm", "you know", "i mean", "basically", "sort of", "kind of", "like")
_FILLER = re.compile(
    r"\b(?:um+|uh+|erm+|er|hmm+|you know|i mean|basically|sort of|kind of)\b|(?<=[,.] )like\b|\blike,",
    re.IGNORECASE,
)


def words(text: str) -> list[str]:
    """The words of a text (numbers and tech tokens like C++ or node.js count as words)."""
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    """Verbatim sentences of a text, stripped, in order; every one is a substring of the text."""
    return [m.group(0).strip() for m in _SENTENCE.finditer(text) if m.group(0).strip()]


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

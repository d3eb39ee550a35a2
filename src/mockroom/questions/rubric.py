"""Turns rubric points written about the candidate ("describes a specific decision") into the
first-person content an answer would contain ("a specific decision"), which is what answers are
compared with."""

import re

_META_VERB = re.compile(
    r"^(?:clearly\s+|briefly\s+|honestly\s+)?(?:describes|explains|states|gives|mentions|names|summari[sz]es|"
    r"reflects on|reflects|shows|identifies|discusses|defines|outlines|proposes|provides|acknowledges|connects|"
    r"compares|backs|takes|admits|articulates|demonstrates|notes|says|walks through|is honest about)\s+",
    re.IGNORECASE,
)
_PRONOUNS = (
    (re.compile(r"\bthey are\b", re.IGNORECASE), "I am"),
    (re.compile(r"\bthey were\b", re.IGNORECASE), "I was"),
    (re.compile(r"\bthey have\b", re.IGNORECASE), "I have"),
    (re.compile(r"\bthemselves\b", re.IGNORECASE), "myself"),
    (re.compile(r"\btheir own\b", re.IGNORECASE), "my own"),
    (re.compile(r"\btheir\b", re.IGNORECASE), "my"),
    (re.compile(r"\bthey\b", re.IGNORECASE), "I"),
    (re.compile(r"\bthem\b", re.IGNORECASE), "me"),
)


def as_answer_text(point: str) -> str:
    """The rubric point phrased as answer content, for similarity matching."""
    text = _META_VERB.sub("", point.strip())
    if text == point.strip():
        return point.strip()
    for pattern, replacement in _PRONOUNS:
        text = pattern.sub(replacement, text)
    return text

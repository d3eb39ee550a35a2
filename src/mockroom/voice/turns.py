"""When the candidate's turn is over: a silence rule, the Smart Turn model and a look at the words."""

import re
from dataclasses import dataclass
from typing import Literal

# Whisper punctuates a phrase cut off by a thinking pause as if it were finished more often than not; the word it
# ends on is the better tell that more is coming.
_TRAILING = {
    "a", "an", "and", "are", "as", "at", "because", "but", "by", "for", "from", "if", "in", "into", "is", "it's",
    "like", "my", "of", "on", "or", "so", "than", "that", "the", "then", "to", "uh", "um", "was", "were", "which",
    "while", "with", "would", "i", "i'd", "i'll", "we", "our", "your", "when", "where", "um,", "well",
}
_WORD = re.compile(r"[a-z']+")

Decision = Literal["end", "wait"]


@dataclass(frozen=True)
class TurnPolicy:
    """The knobs of end-of-turn detection, in seconds (see the voice_* settings)."""

    silence_seconds: float = 0.6
    max_pause_seconds: float = 2.5
    smart_turn_threshold: float = 0.5


def looks_unfinished(text: str) -> bool:
    """True when the words stop mid-thought: nothing said, a trailing ellipsis, comma or joining word."""
    stripped = text.strip()
    if not stripped:
        return True
    if stripped.endswith(("...", "…", ",", "-", "—")):
        return True
    words = _WORD.findall(stripped.lower())
    return not words or words[-1] in _TRAILING


def decide(*, policy: TurnPolicy, silence: float, smart_turn_probability: float, text: str) -> Decision:
    """End the turn once the silence is long enough and both the model and the words say it is complete,
    or once the silence is longer than any thinking pause."""
    if silence >= policy.max_pause_seconds:
        return "end"
    if silence < policy.silence_seconds:
        return "wait"
    if smart_turn_probability >= policy.smart_turn_threshold and not looks_unfinished(text):
        return "end"
    return "wait"

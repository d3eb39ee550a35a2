"""Recognises what a candidate's message is doing before it is judged as an answer.

Plain pattern rules, deterministic and fast: requests to repeat, skip or clarify, "I don't
know", empty answers, questions at the end, and attempts to instruct the interviewer.
"""

import re
from dataclasses import dataclass
from typing import Literal

from mockroom.cv.injection import looks_like_instruction
from mockroom.text.sentences import sentences, words

Intent = Literal["empty", "repeat", "skip", "dont_know", "clarify", "injection", "no_more_questions", "answer"]


def _any(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_REPEAT = _any([
    r"^(?:sorry[,.]?\s*)?(?:can|could|would) you (?:please )?(?:repeat|say) (?:that|the question|it)(?: again)?",
    r"^(?:sorry[,.]?\s*)?(?:please )?repeat (?:that|the question|it)",
    r"^(?:sorry[,.]?\s*)?what was the question",
    r"^(?:sorry[,.]?\s*)?(?:i )?(?:didn'?t|did not) (?:catch|hear|get) (?:that|the question)",
    r"^pardon\??$|^come again\??$|^sorry\?$",
])
_SKIP = _any([
    r"^(?:can we |could we |let'?s |please )?(?:skip|pass)(?: (?:this|that|it)(?: one| question)?)?(?: please)?[.!?]*$",
    r"^(?:next question|move on|can we move on|let'?s move on)[.!?]*$",
])
_DONT_KNOW = _any([
    r"^(?:honestly,?\s*|sorry,?\s*|um,?\s*|hmm,?\s*)*i (?:really )?(?:don'?t|do not) know(?: (?:that|this|the answer))?[.!]*$",
    r"^(?:honestly,?\s*|sorry,?\s*)*(?:i'?m|i am) not sure(?: about (?:that|this))?[.!]*$",
    r"^(?:honestly,?\s*|sorry,?\s*)*i (?:have no idea|haven'?t (?:used|done|heard of) (?:that|this|it))[.!]*$",
    r"^no idea[.!]*$|^(?:i )?dunno[.!]*$|^not sure[.!]*$",
])
_CLARIFY = _any([
    r"^(?:sorry,?\s*)?what do you mean(?: by)?",
    r"^(?:sorry,?\s*)?do you mean\b",
    r"^(?:sorry,?\s*)?(?:could|can) you (?:clarify|explain|rephrase|elaborate on) (?:the|that|what|this|your)",
    r"^(?:sorry,?\s*)?(?:is|are) (?:that|this|the question) (?:about|asking)\b",
    r"^(?:sorry,?\s*)?should i (?:talk|focus|answer) (?:about|on)\b",
    r"^(?:sorry,?\s*)?(?:i'?m|i am) not sure what you(?:'re| are) asking",
])
_NO_MORE = _any([
    r"^(?:no|nope|nah|not really|none|no thanks?|no,? thank you|nothing|i'?m good|that'?s all|that'?s it)\b[^?]*$",
    r"^(?:i )?(?:don'?t|do not) have (?:any )?(?:more |other |further )?questions",
])


@dataclass
class Reading:
    """What a message does, and the part of it that is an answer once instructions are removed."""

    intent: Intent
    answer_text: str
    removed_instructions: list[str]


def read_message(text: str, *, phase: str) -> Reading:
    """Classifies a candidate message in the given phase."""
    stripped = text.strip()
    kept, removed = _strip_instructions(stripped)
    if removed and not words(kept):
        return Reading("injection", "", removed)
    body = kept if removed else stripped
    if not words(body):
        return Reading("empty", "", removed)
    if phase == "candidate_questions":
        if _NO_MORE.search(body) and "?" not in body:
            return Reading("no_more_questions", body, removed)
        return Reading("answer", body, removed)
    short = len(words(body)) <= 14
    if short and _REPEAT.search(body):
        return Reading("repeat", body, removed)
    if short and _SKIP.search(body):
        return Reading("skip", body, removed)
    if short and _DONT_KNOW.search(body):
        return Reading("dont_know", body, removed)
    if len(words(body)) <= 30 and body.rstrip().endswith("?") and _CLARIFY.search(body):
        return Reading("clarify", body, removed)
    return Reading("answer", body, removed)


def _strip_instructions(text: str) -> tuple[str, list[str]]:
    """Drops sentences that try to instruct the interviewer; what is left keeps its original wording."""
    removed = [s for s in sentences(text) if looks_like_instruction(s)]
    kept = text
    for sentence in removed:
        kept = kept.replace(sentence, " ")
    return re.sub(r"[ \t]{2,}", " ", kept).strip(), removed

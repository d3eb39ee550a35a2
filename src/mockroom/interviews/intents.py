"""Recognises what a candidate's message is doing before it is judged as an answer.

Plain pattern rules, deterministic and fast: requests to repeat, skip or clarify, asking for a hint, "I don't
know", questions about the role or about the score, empty answers, questions at the end, and attempts to
instruct the interviewer. Only a message read as an answer is assessed.
"""

import re
from dataclasses import dataclass
from typing import Literal

from mockroom.cv.injection import looks_like_instruction
from mockroom.text.sentences import sentences, words

Intent = Literal[
    "empty", "repeat", "skip", "dont_know", "hint_request", "clarify", "role_question", "score_question",
    "injection", "no_more_questions", "answer",
]


def _any(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_LEAD = r"^(?:(?:sorry|sorry,? but|excuse me|um+|uh+|hmm+|ok(?:ay)?|so|quick question|just to check)[,.]?\s*)*"
_REPEAT = _any([
    _LEAD + r"(?:can|could|would) you (?:please )?(?:repeat|say) (?:that|the question|it|this)(?: again)?",
    _LEAD + r"(?:please )?repeat (?:that|the question|it)",
    _LEAD + r"what was the question",
    _LEAD + r"(?:i )?(?:didn'?t|did not) (?:catch|hear|get) (?:that|the question|what you said)",
    _LEAD + r"(?:can|could) you (?:please )?say (?:that|it) again",
    r"^pardon\??$|^come again\??$|^sorry\?$|^what\?$",
])
_SKIP = _any([
    r"^(?:can we |could we |let'?s |please |i'?d like to |i want to )?(?:skip|pass)(?: (?:this|that|it)(?: one| question)?)?"
    r"(?: please)?[.!?]*$",
    r"^(?:next question|move on|can we move on|let'?s move on)(?: please)?[.!?]*$",
    r"^(?:(?:can we|could we|let'?s|i'?d (?:rather|like to)|i want to) )?(?:skip (?:this|that|it)|move on|go to the next "
    r"(?:one|question)|(?:the )?next question)\b[^?]{0,40}[.!?]*$",
    r"^next question,? please\b",
])
_UNSURE_LEAD = r"^(?:(?:honestly|sorry|um+|hmm+|uh+|to be honest|still|really|well|i'?m afraid),?\s*)*"
_UNSURE_TAIL = r"(?:,?\s*(?:sorry|i'?m afraid|to be honest|honestly|at all))*[.!]*$"
_DONT_KNOW = _any([
    _UNSURE_LEAD + r"i (?:really |still )?(?:don'?t|do not) know"
    r"(?: (?:that|this|the answer|much about (?:that|this|it)))?" + _UNSURE_TAIL,
    _UNSURE_LEAD + r"(?:i'?m|i am) (?:still )?not sure(?: about (?:that|this))?" + _UNSURE_TAIL,
    _UNSURE_LEAD + r"i (?:(?:still )?have no idea|haven'?t (?:used|done|heard of) (?:that|this|it))" + _UNSURE_TAIL,
    _UNSURE_LEAD + r"(?:no idea|(?:i )?dunno|not sure|no clue|i can'?t remember)" + _UNSURE_TAIL,
])
# One clause of a short "I don't know" said in more words: "I'm not sure about that one, I haven't used it much."
_THAT = r"(?:that|this|it|them|that one|this one|those)"
_UNSURE_CLAUSE = re.compile(
    r"(?:(?:honestly|sorry|um+|hmm+|uh+|to be honest|well|i'?m afraid|i think|really|still|but|and|so)\s*)*(?:"
    r"i (?:really |honestly |still )?(?:don'?t|do not) (?:know|remember|recall)(?: (?:much |a lot )?(?:about )?"
    + _THAT + r"| the answer| off the top of my head)?"
    r"|(?:i'?m|i am) (?:really |honestly |still )?not (?:sure|certain|familiar with " + _THAT + r")(?: about "
    + _THAT + r")?"
    r"|i(?: have|'ve) no (?:idea|clue)"
    r"|i(?: haven'?t| have not|'ve never| have never| never) (?:really )?(?:used|done|worked with|heard of|come across|"
    r"seen|tried|needed)(?: " + _THAT + r"| [\w.'()-]+(?: [\w.'()-]+)?)?"
    r"(?: (?:much|before|yet|in practice|at all|in my work|myself|really))*"
    r"|(?:no idea|dunno|not sure|no clue|i can'?t remember)"
    r")(?:\s*(?:sorry|i'?m afraid|to be honest|honestly|at all|yet|myself))*",
    re.IGNORECASE,
)
_FILLER_CLAUSE = re.compile(
    r"(?:honestly|sorry|um+|hmm+|uh+|well|to be honest|not really|no|i'?m afraid|ok(?:ay)?|oh)", re.IGNORECASE
)
_CLAUSE_BREAK = re.compile(r"\s*(?:[,;:.!?]+(?=\s|$)|\s[-—]\s)\s*")
_HINT = _any([
    _LEAD + r"(?:can|could|may) i (?:get|have|please have) (?:a |some |another |one more |more )?"
    r"(?:hint|clue|pointer|nudge|help)",
    _LEAD + r"(?:can|could) you (?:give|offer) me (?:a |some |another |one more |more )?(?:hint|clue|pointer|nudge)",
    _LEAD + r"(?:can|could) you (?:help me (?:out|get started)|point me in the right direction)",
    _LEAD + r"(?:any|a) (?:hints?|clues?|pointers?)(?: please)?\??$",
    _LEAD + r"(?:hint|help),? please",
    # The bare word, as people type it in a chat box: "hint", "Hint?", "another hint".
    r"^(?:a |another |one more )?(?:hint|clue)[.!?]*$",
    _LEAD + r"i'?m (?:a bit |really |completely )?stuck",
])
_CLARIFY = _any([
    _LEAD + r"what do you mean(?: by)?",
    _LEAD + r"(?:do|did) you mean\b",
    _LEAD + r"(?:could|can) you (?:clarify|explain|rephrase|elaborate on|be more specific)",
    _LEAD + r"(?:is|are) (?:that|this|the question|you asking) (?:about|asking|for)\b",
    _LEAD + r"should i (?:talk|focus|answer|describe|use|assume|pick|choose)\b",
    _LEAD + r"(?:i'?m|i am) not sure what you(?:'re| are) asking",
    _LEAD + r"(?:are you asking|you mean)\b",
    _LEAD + r"(?:which|what) (?:kind|type|part|aspect|one) (?:of|do you)\b",
    _LEAD + r"(?:does it|do you want|would you like) (?:me to|matter)\b",
    _LEAD + r"(?:in|for) (?:which|what) (?:context|situation|language|version)\b",
])
_ROLE = _any([
    r"\b(?:the|this|your|our) (?:team|role|position|company|job|office|manager|tech stack|stack|culture|product|"
    r"roadmap|department|org|organi[sz]ation|interview process|hiring process|salary|compensation|benefits|"
    r"next steps?|on-?call|onboarding)\b",
    r"\btypical (?:day|week)\b",
    r"\bwork(?:ing)? (?:remote(?:ly)?|from home|hybrid|hours)\b",
    r"\bhow (?:big|large) is\b",
    r"\b(?:do|does|will) (?:you|your team|the team|you all)\b",
])
_SCORE = _any([
    r"\b(?:my|the|a|your) (?:score|scores|grade|marks?|rating|result|verdict|evaluation)\b",
    r"\bhow (?:am i|i'?m) doing\b",
    r"\bam i (?:doing (?:ok|okay|well|good|alright|fine)|passing|on track)\b",
    r"\b(?:strong )?hire\b",
    r"\b\d{1,3}\s*/\s*100\b|\bfull marks\b|\bdid i (?:pass|get it right)\b",
    r"\bwas (?:that|my answer) (?:right|correct|good|ok(?:ay)?)\b",
])
_QUESTION_START = re.compile(
    r"^(?:do|does|did|should|shall|can|could|would|will|is|are|was|were|what|which|how|when|where|who|why|may)\b",
    re.IGNORECASE,
)
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
        if _is_question(body) and _SCORE.search(body):
            return Reading("score_question", body, removed)
        return Reading("answer", body, removed)
    count = len(words(body))
    short = count <= 14
    if short and _REPEAT.search(body):
        return Reading("repeat", body, removed)
    if short and _SKIP.search(body):
        return Reading("skip", body, removed)
    if short and _HINT.search(body):
        return Reading("hint_request", body, removed)
    if short and (_DONT_KNOW.search(body) or _unsure_throughout(body)):
        return Reading("dont_know", body, removed)
    if count <= 40 and _is_question(body):
        if _SCORE.search(body):
            return Reading("score_question", body, removed)
        if _CLARIFY.search(body):
            return Reading("clarify", body, removed)
        if _ROLE.search(body):
            return Reading("role_question", body, removed)
        if count <= 25 and _QUESTION_START.search(body):
            return Reading("clarify", body, removed)
    return Reading("answer", body, removed)


def _unsure_throughout(body: str) -> bool:
    """Whether every clause says the candidate does not know ("I'm not sure about that one, I haven't used it
    much."); a clause with an answer in it ("but tuples are immutable") makes it an answer."""
    clauses = [c for c in _CLAUSE_BREAK.split(body.strip()) if c and not _FILLER_CLAUSE.fullmatch(c)]
    return bool(clauses) and all(_UNSURE_CLAUSE.fullmatch(clause) for clause in clauses)


def _is_question(body: str) -> bool:
    """A message that is a question to the interviewer: it ends with '?' and its last sentence asks."""
    if not body.rstrip().endswith("?"):
        return False
    found = sentences(body)
    statements = [s for s in found[:-1] if not s.rstrip().endswith("?")]
    # "I'd use a hash map. Is that what you mean?" is an answer followed by a check, not only a question.
    return sum(len(words(s)) for s in statements) <= 12


def _strip_instructions(text: str) -> tuple[str, list[str]]:
    """Drops sentences that try to instruct the interviewer; what is left keeps its original wording."""
    removed = [s for s in sentences(text) if looks_like_instruction(s)]
    kept = text
    for sentence in removed:
        kept = kept.replace(sentence, " ")
    return re.sub(r"[ \t]{2,}", " ", kept).strip(), removed

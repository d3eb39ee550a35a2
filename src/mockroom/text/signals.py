"""Lexical signals in answers: real words vs gibberish, reasoning markers, STAR elements, concreteness."""

import math
import re
from functools import cache

from mockroom.text.sentences import sentences, words

_STOPWORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "if", "then", "so", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "there", "their", "they", "them", "we", "our", "you", "your", "i", "me", "my", "he", "she", "his", "her", "do", "does", "did", "done", "can", "could", "would", "should", "will", "shall", "may", "might", "must", "not", "no", "yes", "than", "too", "very", "just", "also", "into", "over", "under", "about", "more", "most", "such", "each", "any", "all", "some", "which", "who", "whom", "what", "when", "where", "why", "how", "while", "because"]
)

_REASONING = re.compile(
    r"\b(?:because|since|therefore|so that|which means|trade-?offs?|instead of|rather than|depends on|"
    r"it depends|the downside|the upside|on the other hand|first|then|finally|for example|for instance|"
    r"in order to|as a result|the reason|so that|, so|which lets|that way|otherwise)\b",
    re.IGNORECASE,
)
_SITUATION = re.compile(
    r"\b(?:when i|at my (?:last|previous|current) (?:job|company|role)|last (?:year|month|quarter)|"
    r"in my (?:last|previous|current) (?:job|role|team|company)|we had|there was a|one time|once,|"
    r"at (?:a|my) (?:startup|company)|on a project|during)\b",
    re.IGNORECASE,
)
_TASK = re.compile(r"\b(?:my (?:task|goal|job|responsibility) was|i was (?:responsible|asked|tasked)|we needed to|"
                   r"the goal was|i had to|our target)\b", re.IGNORECASE)
_ACTION = re.compile(
    r"\bi (?:\w+ )?(?:decided|built|wrote|led|organi[sz]ed|proposed|set up|talked|spoke|met|created|designed|"
    r"implemented|analy[sz]ed|reached out|asked|scheduled|negotiated|fixed|changed|introduced|started|ran|"
    r"took|made|reviewed|mentored|coached|pushed|prioriti[sz]ed|split|moved|measured|tested|migrated|rewrote)\b",
    re.IGNORECASE,
)
_RESULT = re.compile(
    r"\b(?:as a result|in the end|the result|resulted in|which (?:reduced|increased|cut|saved|improved)|"
    r"(?:reduced|increased|cut|saved|improved|grew|dropped|doubled|halved)\b.*\b(?:by|to|from)\b|"
    r"\d+\s?%|\d+ (?:percent|hours|days|weeks|users|customers|ms|seconds)|shipped|launched|on time|"
    r"we (?:hit|met|delivered|launched|shipped))",
    re.IGNORECASE,
)
_REFLECTION = re.compile(
    r"\b(?:i learned|i learnt|lesson|in hindsight|looking back|next time|i would (?:now|do|have)|"
    r"what i(?:'d| would) do differently|since then i|taught me)\b",
    re.IGNORECASE,
)
_PLAUSIBLE_LOGPROB = -6.9
_PLAUSIBLE_NAME_LOGPROB = -9.0
_NUMBER = re.compile(r"\b\d[\d,.]*\s?(?:%|k|m|ms|x)?\b", re.IGNORECASE)


@cache
def _vocabulary() -> frozenset[str]:
    from mockroom.text.embeddings import encoder

    vocab = encoder().vocabulary()
    return frozenset(token for token in vocab if token.isalpha() and not token.startswith("##"))


def content_words(text: str) -> list[str]:
    """Lower-cased words that carry meaning, crudely stemmed for matching."""
    return [_stem(w.lower()) for w in words(text) if w.lower() not in _STOPWORDS and len(w) > 1]


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@cache
def _bigram_logprob() -> dict[str, float]:
    """Letter-bigram log-probabilities learned from the vocabulary, with ^ and $ as word edges."""
    counts: dict[str, int] = {}
    for token in _vocabulary():
        padded = f"^{token}$"
        for i in range(len(padded) - 1):
            counts[padded[i : i + 2]] = counts.get(padded[i : i + 2], 0) + 1
    total = sum(counts.values())
    return {bigram: math.log(count / total) for bigram, count in counts.items()}


def _plausible(word: str) -> bool:
    """Whether an unknown word looks like English spelling or a name rather than keyboard mashing."""
    if word.isupper() and len(word) <= 6:
        return True
    lowered = word.lower()
    logprob = _bigram_logprob()
    padded = f"^{lowered}$"
    scores = [logprob.get(padded[i : i + 2], -14.0) for i in range(len(padded) - 1)]
    threshold = _PLAUSIBLE_NAME_LOGPROB if word[0].isupper() else _PLAUSIBLE_LOGPROB
    return sum(scores) / len(scores) > threshold


def real_word_ratio(text: str) -> float:
    """Share of alphabetic words that are known words or plausibly spelled jargon."""
    alpha = [w.strip("'.") for w in words(text) if any(c.isalpha() for c in w)]
    if not alpha:
        return 0.0
    vocab = _vocabulary()
    known = sum(1 for w in alpha if w.lower() in vocab or not w.isalpha() or _plausible(w))
    return known / len(alpha)


def is_gibberish(text: str) -> bool:
    """Keyboard mashing or word salad with too few real words to be an answer."""
    tokens = words(text)
    if not tokens:
        return False
    if real_word_ratio(text) < 0.5:
        return True
    # Word salad repeats itself; measured on a window, since long real answers repeat words too.
    window = [t.lower() for t in tokens[:120]]
    return len(window) >= 6 and len(set(window)) / len(window) < 0.3


def reasoning_spans(text: str) -> list[str]:
    """Sentences that explain why or weigh options."""
    return [s for s in sentences(text) if _REASONING.search(s)]


def star_spans(text: str) -> dict[str, list[str]]:
    """Sentences showing each STAR element (plus reflection) in a behavioral answer."""
    found: dict[str, list[str]] = {"situation": [], "task": [], "action": [], "result": [], "reflection": []}
    for sentence in sentences(text):
        for name, pattern in (
            ("situation", _SITUATION), ("task", _TASK), ("action", _ACTION),
            ("result", _RESULT), ("reflection", _REFLECTION),
        ):
            if pattern.search(sentence):
                found[name].append(sentence)
    return found


def concrete_spans(text: str) -> list[str]:
    """Sentences with numbers or first-person actions: the concrete parts of an answer."""
    return [s for s in sentences(text) if _NUMBER.search(s) or _ACTION.search(s)]


_BACKGROUND = re.compile(
    r"\b(?:i'?m an?|i am an?|i work(?:ed)? as|i'?ve been|i have been|years? of experience|i currently|"
    r"my (?:current )?role|i studied|i graduated|i lead|i manage)\b",
    re.IGNORECASE,
)
_GOALS = re.compile(
    r"\b(?:looking for|want to|would like to|hope to|next step|grow into|my goal|aim to|interested in)\b", re.IGNORECASE
)
_CHALLENGE = re.compile(
    r"\b(?:challeng\w*|difficult\w*|hard(?:est)?|problem|issue|struggl\w*|bottleneck|risk|tricky|obstacle)\b",
    re.IGNORECASE,
)

SIGNALS: dict[str, re.Pattern[str]] = {
    "background": _BACKGROUND,
    "goals": _GOALS,
    "challenge": _CHALLENGE,
    "situation": _SITUATION,
    "task": _TASK,
    "action": _ACTION,
    "result": _RESULT,
    "reflection": _REFLECTION,
    "reasoning": _REASONING,
    "concrete": re.compile(f"{_NUMBER.pattern}|{_ACTION.pattern}", re.IGNORECASE),
    "complexity": re.compile(
        r"\b(?:O\s*\([^)]{1,20}\)|big[- ]o|linear|quadratic|logarithmic|constant (?:time|space)|n log n)", re.IGNORECASE
    ),
    "edge_cases": re.compile(
        r"\b(?:edge cases?|empty (?:input|array|list|string)|single (?:element|item)|duplicates?|negative|overflow|"
        r"null|zero|boundary)\b",
        re.IGNORECASE,
    ),
}


def signal_span(name: str, text: str) -> str | None:
    """The first sentence of the text that shows the named signal, if any."""
    pattern = SIGNALS[name]
    return next((s for s in sentences(text) if pattern.search(s)), None)

"""Quoting the candidate back to them: a short piece of what they said, turned to the second person.

"I added an idempotency key header, stored in Postgres" gives "you added an idempotency key header", which a
follow-up can build on: "You said you added an idempotency key header. What happens when two retries arrive at
the same moment?"
"""

import re

from mockroom.cv.skills import canonical_skill
from mockroom.text import signals
from mockroom.text.sentences import words

_CLAUSES = re.compile(r"[;:]\s+|,\s+|\s+[-–—]\s+|\s+(?=(?:and|but|so|because|which|whereas|while|then)\s)")
_LEADING = re.compile(
    r"^(?:(?:and|but|so|then|also|well|basically|honestly|actually|like|um+|uh+|yeah|yes|okay|ok|right|anyway|"
    r"because|which|whereas|while|i think|i guess|i mean|you know|to be honest|of course|"
    r"(?:i|we) (?:said|told \w+|explained|thought|felt|knew|realised|realized|think|guess|mean|hope|suppose)"
    r"(?: that)?)[,]?\s+)+",
    re.IGNORECASE,
)
_SWAPS = (
    (r"\bI am\b", "you are"), (r"\bI'm\b", "you're"), (r"\bI was\b", "you were"), (r"\bI've\b", "you've"),
    (r"\bI'd\b", "you'd"), (r"\bI'll\b", "you'll"), (r"\bwe're\b", "you're"), (r"\bwe've\b", "you've"),
    (r"\bwe'd\b", "you'd"), (r"\bwe'll\b", "you'll"), (r"\bwe are\b", "you are"), (r"\bwe were\b", "you were"),
    (r"\bmyself\b", "yourself"), (r"\bourselves\b", "yourselves"), (r"\bmine\b", "yours"), (r"\bmy\b", "your"),
    (r"\bour\b", "your"), (r"\bme\b", "you"), (r"\bus\b", "you"), (r"\bI\b", "you"), (r"\bwe\b", "you"),
)
_DECISION = re.compile(r"\b(?:chose|decided|picked|went with|opted|instead of|rather than|switched to|moved to)\b",
                       re.IGNORECASE)
_VERB = re.compile(
    r"\b(?:is|are|was|were|has|had|have|will|can|could|would|did|does|do|\w{3,}ed|made|took|cut|ran|built|led|"
    r"wrote|got|kept|went|brought|gave|sent|set|put|found|felt|saw|grew|fell|rose)\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:I|we)\b", re.IGNORECASE)


def second_person(text: str) -> str:
    """The text with the speaker's pronouns turned toward them ('I added' becomes 'you added')."""
    for pattern, replacement in _SWAPS:
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE if pattern != r"\bI\b" else 0)
    return text


def _score(clause: str) -> float:
    """How good a clause is to quote back: specific things, the candidate's own actions, enough words."""
    count = len(words(clause))
    if count < 3:
        return -1.0
    first = clause.split(" ", 1)[0]
    participle = first.islower() and first.endswith("ed")
    names = [n for n in signals.named_things(clause) if not n.replace(",", "").replace(".", "").isdigit()]
    return (
        2.0 * len(names)
        - 3.0 * participle
        + 2.0 * signals.count("number", clause)
        + 1.5 * bool(_FIRST_PERSON.search(clause))
        + 1.0 * bool(_DECISION.search(clause))
        + 0.2 * len(signals.content_words(clause))
        - 1.5 * signals.count("hedge", clause)
        - 1.0 * signals.count("vague", clause)
        - (0.5 if count > 16 else 0.0)
    )


def quotable_clause(span: str, *, max_words: int = 16) -> str | None:
    """The most specific whole clause of a span, in the candidate's words; None when no clause reads well alone
    (clauses are never cut short, which would put half a phrase in the candidate's mouth)."""
    clauses = [_LEADING.sub("", c.strip(" ,.;:!?\"'()")) for c in _CLAUSES.split(span)]
    clauses = [c for c in clauses if _stands_alone(c, max_words)]
    if not clauses:
        return None
    best = max(clauses, key=_score)
    return best if _score(best) >= 1.0 else None


def _stands_alone(clause: str, max_words: int) -> bool:
    """A clause that makes sense quoted on its own: whole, not too long, not starting mid-phrase."""
    tokens = clause.split()
    if not 3 <= len(words(clause)) <= max_words or "?" in clause:
        return False
    if tokens[0].lower() in _BAD_START or tokens[-1].lower() in _DANGLING:
        return False
    return clause.count("(") == clause.count(")") and clause.count('"') % 2 == 0


_DANGLING = frozenset(
    ["a", "an", "the", "and", "or", "but", "with", "of", "to", "in", "on", "at", "for", "from", "by", "as", "into", "about", "than", "that", "which", "who", "whose", "our", "my", "your", "their", "its", "is", "are", "was", "were", "be", "been", "this", "these", "those", "so", "because", "if", "when"]
)
_BAD_START = frozenset(
    ["and", "or", "but", "with", "of", "to", "in", "on", "at", "for", "from", "by", "as", "into", "about", "than", "that", "which", "who", "whose", "so", "because", "if", "when", "while", "whereas", "then", "where", "like", "around", "over", "under", "after", "before", "during", "per", "via", "without", "within", "through", "across", "since", "until", "unless", "although", "though", "whether", "also", "even", "just", "is", "are", "was", "were", "be", "been"]
)


def echo(span: str) -> str | None:
    """'You said you added an idempotency key' or 'You mentioned the ledger rewrite', from a span of the answer."""
    clause = quotable_clause(span)
    return None if clause is None else echo_clause(clause)


def echo_clause(clause: str) -> str:
    """A clause of the candidate's, said back to them in the second person."""
    spoken = second_person(clause)
    if re.match(r"^(?:you|your)\b", spoken, re.IGNORECASE):
        return f"You said {spoken[0].lower()}{spoken[1:]}."
    if _FIRST_PERSON.search(clause) or _VERB.search(" ".join(spoken.split()[1:])):
        return f"You said {_lower_start(spoken)}."
    return f"You mentioned {_lower_start(spoken)}."


def _lower_start(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first == "I" or (len(first) > 1 and first.isupper()) or any(c.isdigit() for c in first) or (
        first[:1].isupper() and first[1:] != first[1:].lower()
    ) or canonical_skill(first.strip(",.;:")):
        return text
    return text[:1].lower() + text[1:]


def decision_in(span: str) -> bool:
    """Whether the span describes a choice the candidate made."""
    return bool(_DECISION.search(span))

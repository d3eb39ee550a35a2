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
    r"\b(?:when i|when we|when our|when my|at my (?:last|previous|current|first|old) (?:job|company|role|team|school)|"
    r"last (?:year|month|quarter|week|sprint|spring|summer|autumn|fall|winter)|a few (?:weeks|months|years) ago|"
    r"in my (?:last|previous|current|first) (?:job|role|team|company|year)|we had|there was a|one time|once,|"
    r"at (?:a|an|my|our) (?:[\w-]+ )?(?:startup|company|agency|bank|hospital|school|client|retailer|insurer|firm)|"
    r"on (?:a|one|our|my) (?:[\w-]+ )?(?:project|team|app|service|ward|shift|account|launch)|during|in (?:19|20)\d\d|"
    r"(?:a|one) (?:client|customer|patient|colleague|teammate|manager|stakeholder) (?:once|of mine|called|came|rang)|"
    r"we were|i was (?:working|leading|on)|(?<![.!?] )\bat [A-Z][a-z]+\w*)",
    re.IGNORECASE,
)
_TASK = re.compile(r"\b(?:my (?:task|goal|job|responsibility) was|i was (?:responsible|asked|tasked)|we needed to|"
                   r"the goal was|i had to|our target|i owned|i own)\b", re.IGNORECASE)
_ACTION = re.compile(
    r"\bI(?:'ve| have| had)?(?: then| also| first| personally| quickly| immediately| eventually| finally)? "
    r"(?:\w{3,}ed|built|wrote|led|ran|made|set|took|chose|found|got|put|kept|sent|spent|brought|began|drove|gave|"
    r"held|met|sold|taught|told|won|saw|split|shipped|said|rang|let|sat|went|did|paid|rebuilt|rewrote|cut|ran|"
    r"dug|broke|flagged|pushed|wrote|drew|chose|spoke)\b"
)
_RESULT = re.compile(
    r"\b(?:as a result|in the end|the result|resulted in|which (?:reduced|increased|cut|saved|improved|meant)|"
    r"(?:reduced|increased|cut|saved|improved|grew|dropped|doubled|halved|tripled|fell|rose|went (?:up|down)|"
    r"climbed|shrank)\b.*\b(?:by|to|from)\b|from [\w$£€.,%-]+ (?:\w+ )?to [\w$£€.,%-]+|"
    r"\d+\s?%|\d+ (?:percent|hours|days|weeks|users|customers|ms|seconds|minutes)|shipped|launched|on time|"
    r"we (?:hit|met|delivered|launched|shipped|kept|renewed|won)|it worked|never (?:happened|came) again|"
    r"(?:no|zero) (?:more|further) \w+|(?:disappeared|stopped|went away)|renew\w*|since then|"
    r"(?:was|were) back (?:to|on|up)|(?:haven'?t|hasn'?t) (?:had|seen))",
    re.IGNORECASE,
)
_REFLECTION = re.compile(
    r"\b(?:i learned|i learnt|lesson|in hindsight|in retrospect|looking back|next time|i would (?:now|do|have)|"
    r"what i(?:'d| would) do differently|since then i|taught me|if i did (?:it|that) again|if i were to do|"
    r"i'?d (?:do|have|push|build|involve|start|ask|plan|test|write|set|bring)\b[^.]*\b(?:differently|earlier|"
    r"sooner|first|instead)|i now|these days i|i realised|i realized|what i took away|it showed me|i still)\b",
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


_COUNT = r"(?:\d+|a few|several|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty)"
_BACKGROUND = re.compile(
    r"\b(?:i'?m an?|i am an?|i work(?:ed)? as|i'?ve been|i have been|years? of experience|i currently|"
    r"my (?:current )?role|i studied|i graduated|i lead|i manage|"
    # terse and non-native openings: "Eight months as a junior developer", "five years teaching Year 1", "four
    # years in", "... at a charity for three years", "product manager since four years", "I am working as", "I work
    # in sales", "graduate"
    + _COUNT + r" (?:years?|months?) (?:as|in|at|of|teaching|working|doing|selling|leading|running|on)|"
    r"(?:since|for) " + _COUNT + r" (?:years?|months?)|i(?:'m| am) working|"
    r"i work (?:in|at|for|on|with)|(?:computer science |cs |recent |university |a )?graduate)\b",
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


_HEDGE = re.compile(
    r"\b(?:i think|i guess|i suppose|maybe|perhaps|probably|possibly|not (?:really |totally |100% )?sure|"
    r"i believe|might be|could be|kind of|sort of|something like|somehow|i don'?t remember|if i remember|"
    r"i'?m not certain|as far as i know|or something|hard to say|difficult to say|can'?t say|couldn'?t say)\b",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"\b(?:various|several things|things like that|stuff|etc|and so on|and so forth|a lot of things|many things|"
    r"in general|generally|very important|really important|it(?:'s| is) important|best practices?|"
    r"industry standard|leverag\w+|synerg\w*|holistic\w*|robust|seamless\w*|end-to-end|streamlin\w+|"
    r"it depends|depending on the situation|all the aspects|the right way|the proper way|properly|"
    r"make sure (?:everything|things)|always (?:try|make sure)|good communication|communicate (?:well|openly|clearly))\b",
    re.IGNORECASE,
)
_EXAMPLE = re.compile(
    r"\b(?:for example|for instance|e\.g\.|such as|in my (?:last|previous|current|old|first) (?:job|role|team|company|"
    r"project|position)|at my (?:last|previous|current|old|first) (?:job|role|team|company)|at (?:a|an|my|our) "
    r"(?:[\w-]+ )?(?:company|startup|job|client|hospital|school|agency|bank|store|insurer|retailer|firm|clinic|shop|"
    r"restaurant|hotel|warehouse|charity|university|council)|last (?:year|month|quarter|week|sprint|spring|summer|"
    r"autumn|fall|winter)|one time|once,|(?:we|i) once|we had (?:a|an|exactly|this|that)|there was (?:a|an|one)|"
    r"on (?:a|one|our|my) [\w-]+ (?:project|dashboard|team|app|product|site|system|service|ward|shift|account)|"
    r"in (?:19|20)\d\d|when (?:i|we) (?:was|were) (?:at|on|in)|when (?:our|my) |a few (?:months|years|weeks) ago|"
    r"at [A-Z][a-z]+\b(?:,| where| we| i)|(?:a|one) (?:client|customer|patient|colleague|manager|student) of (?:mine|ours))",
    re.IGNORECASE,
)
_FIRST_PERSON_ACTION = re.compile(
    r"\b(?:i|we)(?:'ve| have| had)?\s+(?:\w+ly\s+)?(?:\w{3,}ed|built|wrote|led|ran|made|set|cut|took|chose|found|got|"
    r"put|kept|sent|spent|brought|began|drove|gave|held|met|paid|rebuilt|rewrote|sold|taught|told|won|saw|"
    r"split|shipped|hit|bought|fought|broke|rolled|spun|swapped|sat|dug)\b",
    re.IGNORECASE,
)
# Speaking of what the candidate or their team uses in their own work, in the present as well as the past: "we use
# it in a retry decorator around our carrier API calls", "our billing service runs on it". Only the interviewer's
# "give an example" guard reads it (the assessor's features count `_EXAMPLE`, which its weights were trained on).
_WORK_THINGS = (
    r"(?:codebase|code|service|services|api|apis|app|apps|system|systems|team|project|projects|pipeline|pipelines|"
    r"product|products|platform|stack|repo|repos|monorepo|backend|front ?end|cluster|clusters|database|databases|"
    r"jobs?|workers?|tests?|test suite|deploys?|infrastructure|infra|clients?|customers?|calls?|dashboards?|models?|"
    r"warehouse|etl|dags?|queues?|microservices?|site|website|mobile app|company|startup|shop|store)"
)
_OWN_USE = re.compile(
    r"\b(?:we|i)(?:'ve| have)?\s+(?:\w+ly\s+)?(?:use|uses|rely on|run|wrap|apply|call|keep|do|have|need|wrote|"
    r"put|added)\b[^.!?]{0,80}?\b(?:in|for|around|on|across|at|with|from|inside|behind|to) (?:our|my) \w|"
    r"\b(?:in|at|on) our (?:[\w-]+ ){0,2}" + _WORK_THINGS + r"\b|"
    r"\b(?:our|my) (?:[\w-]+ ){0,2}" + _WORK_THINGS + r" (?:uses|used|runs|ran|relies|relied|has|had|does|did|needs|"
    r"needed|calls|called|is built|was built)\b|\b(?:in production|at work)\b[^.!?]{0,60}\b(?:we|i)\b|"
    r"\b(?:we|i)\b[^.!?]{0,60}\b(?:in production|at work)\b",
    re.IGNORECASE,
)
_DONT_KNOW = re.compile(
    r"\b(?:i (?:really )?(?:don'?t|do not) know|no idea|not familiar with|(?:haven'?t|have not|never) "
    r"(?:used|done|heard|worked)|i can'?t remember|no clue)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\b(?:not|no|never|cannot|can'?t|won'?t|doesn'?t|don'?t|isn'?t|aren'?t|without|neither|nor)\b",
                       re.IGNORECASE)
_ANTONYMS = (
    ("before", "after"), ("mutable", "immutable"), ("faster", "slower"), ("increase", "decrease"), ("more", "less"),
    ("higher", "lower"), ("always", "never"), ("synchronous", "asynchronous"), ("sync", "async"),
    ("inner", "outer"), ("left", "right"), ("first", "last"), ("stateless", "stateful"), ("horizontal", "vertical"),
    ("shallow", "deep"), ("static", "dynamic"), ("public", "private"), ("read", "write"), ("server", "client"),
    ("strong", "weak"), ("upper", "lower"), ("minimum", "maximum"), ("input", "output"), ("push", "pull"),
)
_NAMED = re.compile(
    r"(?<![.!?:\n]\s)(?<![.!?:\n])(?<!^)\b(?:[A-Z][a-z]*[A-Z]\w*|[A-Z]{2,}\w*|\w*\d\w*|[A-Z][a-z]+(?:\.[a-z]+)+|"
    r"[A-Z][a-z]{2,}\w*)\b"
)


def count(name: str, text: str) -> int:
    """How many times a lexical signal occurs in the text."""
    pattern = {
        "hedge": _HEDGE, "vague": _VAGUE, "example": _EXAMPLE, "first_person_action": _FIRST_PERSON_ACTION,
        "dont_know": _DONT_KNOW, "negation": _NEGATION, "number": _NUMBER, "reasoning": _REASONING,
        "own_use": _OWN_USE,
    }[name]
    return len(pattern.findall(text))


def named_things(text: str) -> list[str]:
    """Names of systems, tools, products or figures (CamelCase, acronyms, tokens with digits), in the order they
    first appear."""
    return list(dict.fromkeys(match.group(0) for match in _NAMED.finditer(text)))


def antonym_clash(point: str, sentence: str) -> bool:
    """Whether the sentence uses the opposite word of a pair the rubric point uses ('before' vs 'after')."""
    point_words, sentence_words = set(words(point.lower())), set(words(sentence.lower()))
    for a, b in _ANTONYMS:
        if (a in point_words and b in sentence_words and a not in sentence_words) or (
            b in point_words and a in sentence_words and b not in sentence_words
        ):
            return True
    return False


def negation_clash(point: str, sentence: str) -> bool:
    """Whether exactly one of the rubric point and the sentence is negated, and what is negated is said by the
    other: "tuples are not mutable" against "tuples are mutable". A point phrased with a negation ("returns a
    generator object without running the body") does not clash with a sentence that says the same in other words
    ("returns an iterator that produces values lazily")."""
    point_negated, sentence_negated = bool(_NEGATION.search(point)), bool(_NEGATION.search(sentence))
    if point_negated == sentence_negated:
        return False
    negated, other = (point, sentence) if point_negated else (sentence, point)
    return bool(_negated_words(negated) & set(content_words(other)))


def _negated_words(text: str) -> set[str]:
    """The content words within the few words after each negation: what it denies."""
    found: set[str] = set()
    for match in _NEGATION.finditer(text):
        found.update(content_words(" ".join(text[match.end():].split()[:_NEGATION_SCOPE_WORDS])))
    return found


_NEGATION_SCOPE_WORDS = 4


_SPELLED_NUMBER = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|"
    r"hundred|hundreds|thousand|thousands|million|millions|billion|percent|half|a third|a quarter|dozen|dozens|"
    r"double|doubled|triple|tripled|halved)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:\w{3,}ed|was|were|had|did|got|made|took|went|came|found|built|led|ran|wrote|cut|set|kept|sent|spent|"
    r"brought|began|drove|gave|held|met|paid|sold|taught|told|won|saw|said|knew|thought|fell|rose|grew|broke|chose)\b",
    re.IGNORECASE,
)
_HYPOTHETICAL = re.compile(
    r"\b(?:i'?d|i would|you'?d|you would|we'?d|we would|should|need to|needs to|have to|has to|must|it'?s (?:all )?about|"
    r"it is (?:all )?about|the key is|the goal is|the idea is|you want to|you can|one can|typically|usually|always)\b",
    re.IGNORECASE,
)
_LIST_RUN = re.compile(r"(?:[\w'-]+(?:\s[\w'-]+){0,2},\s+){2,}(?:and\s+|or\s+)?[\w'-]+(?:\s[\w'-]+){0,2}")
_ABSTRACT = re.compile(r"\b\w{3,}(?:tion|tions|ment|ments|ity|ities|ness|ance|ence|ism|ship|ability|ibility)\b",
                       re.IGNORECASE)
_GENERIC_VERB = re.compile(
    r"\b(?:ensur\w+|establish\w*|leverag\w+|align\w*|enabl\w+|foster\w*|empower\w*|streamlin\w+|iterat\w+|"
    r"validat\w+|optimi[sz]\w+|prioriti[sz]\w+|facilitat\w+|drive|driving|maximi[sz]\w+|mitigat\w+|"
    r"stakeholder\w*|alignment|best[- ]practice\w*|holistic\w*|robust|scalab\w+|seamless\w*|proactive\w*|"
    r"data-driven|people-first|customer-centric\w*|mindset|framework\w*|governance|synerg\w+)\b",
    re.IGNORECASE,
)
_CAUSAL = re.compile(r"\b(?:because|since|so that|which meant|that meant|due to|caused|as a result|which is why)\b",
                     re.IGNORECASE)
_LEXICAL_PATTERNS: dict[str, re.Pattern[str]] = {
    "spelled_number": _SPELLED_NUMBER, "past": _PAST, "hypothetical": _HYPOTHETICAL, "list_run": _LIST_RUN,
    "abstract": _ABSTRACT, "generic_verb": _GENERIC_VERB, "causal": _CAUSAL,
}


def sentence_share(name: str, text: str) -> float:
    """Share of the text's sentences that show a lexical pattern (past tense, hypothetical mood, ...)."""
    pattern = _LEXICAL_PATTERNS[name]
    found = sentences(text) or [text]
    return sum(1 for s in found if pattern.search(s)) / len(found)


def count_pattern(name: str, text: str) -> int:
    """How many times one of the extra lexical patterns occurs."""
    return len(_LEXICAL_PATTERNS[name].findall(text))

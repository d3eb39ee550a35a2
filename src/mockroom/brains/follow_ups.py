"""How the embedded brain phrases follow-ups, hints and clarifications.

A follow-up either builds on something the candidate said, quoting it back in their words ("You said you added
an idempotency key header. What happens when two retries arrive at the same moment?"), or draws out a key point
the answer missed with a question written for that point, which never names it. Vague answers are asked what
they mean in practice; stories without a result, a personal action or a lesson are asked for that part. Hints are
plain sentences, authored per question or a way into it, never the rubric's words.
"""

import re
from functools import lru_cache
from typing import Any

import numpy as np

from mockroom.questions.rubric import as_answer_text
from mockroom.questions.vectors import bank_vectors
from mockroom.text import anchors, signals
from mockroom.text.embeddings import encoder
from mockroom.text.sentences import sentences, words
from mockroom.vocabulary import Assessment, FollowUp, Move, QuestionDraft

_STORY_KINDS = ("behavioral", "situational")
# An untied follow-up is only introduced by a quote of the answer when the quote is about the same thing.
QUOTE_RELEVANCE = 0.45
_VAGUE_PHRASE = re.compile(
    r"\b(?:it depends|best practices?|various (?:things|ways|tools|methods)|a lot of things|many things|stuff like "
    r"that|things like that|and so on|industry standard|the right way|the proper way|make sure (?:everything|things) "
    r"(?:is|are|works?) (?:fine|ok|okay|good|right)|good communication|communicate (?:well|openly|clearly)|"
    r"leverag\w+ synerg\w+|holistic(?:ally)?|end-to-end|it(?:'s| is) (?:very |really )?important)\b",
    re.IGNORECASE,
)


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def _fresh(text: str, asked: set[str]) -> bool:
    return _normal(text) not in asked


def compose(
    *, question: QuestionDraft, answer: str, assessment: Assessment, move: Move, asked: set[str],
    level: str = "intermediate",
) -> str:
    """The follow-up for a move, or an empty string when there is nothing worth asking."""
    planned = [f for f in question.follow_ups if _fresh(f.text, asked) and not _already_answered(f.text, answer)]
    covered = {i for i, c in enumerate(assessment.coverage) if c.covered}
    if move == "simplify":
        return f"In a sentence or two, in plain words: {question.text}"
    if move == "challenge":
        return _deeper(question, answer, assessment, planned, covered, asked)
    if move == "probe":
        return _probe(question, answer, assessment, planned, covered, asked, level)
    return ""


def _deeper(
    question: QuestionDraft, answer: str, assessment: Assessment, planned: list[FollowUp], covered: set[int],
    asked: set[str],
) -> str:
    """A question that goes further into what the candidate said well."""
    for follow_up in planned:
        if follow_up.when == "missed" or (follow_up.point is not None and follow_up.point not in covered):
            continue
        quote = _quote_about(answer, follow_up.text)
        return f"{quote} {follow_up.text}" if quote else follow_up.text
    if question.kind == "behavioral":
        story = _story_probe(assessment, asked)
        if story:
            return story
    return _anchored(question, answer, assessment, asked)


def _probe(
    question: QuestionDraft, answer: str, assessment: Assessment, planned: list[FollowUp], covered: set[int],
    asked: set[str], level: str,
) -> str:
    """A question on what the answer left vague or missed, without naming the missed point."""
    vague = _vagueness_probe(answer)
    if vague and _fresh(vague, asked):
        return vague
    missed = [i for i in range(len(assessment.coverage)) if i not in covered]
    if assessment.coverage and not missed:
        # Every point was made: nothing to probe for, so go further into what was said (asking a complete design
        # for "an example from your own work" reads as not having listened).
        return _deeper(question, answer, assessment, planned, covered, asked)
    tied = [f for f in planned if f.point is not None and f.point in missed and f.when != "covered"]
    if tied:
        return tied[0].text
    untied = [f for f in planned if f.point is None and f.when != "covered"]
    if untied and missed:
        return _closest(untied, question.key_points[missed[0]]).text
    if question.kind == "behavioral":
        story = _story_probe(assessment, asked)
        if story:
            return story
    if assessment.signals.get("example_given", 0.0) < 1.0:
        ask = ("Could you make that concrete with an example from something you've worked on or studied?"
               if level == "beginner" else "Could you make that concrete with an example from your own work?")
        if _fresh(ask, asked):
            return ask
    if untied:
        return untied[0].text
    return _anchored(question, answer, assessment, asked)


def _already_answered(follow_up: str, answer: str) -> bool:
    """Whether the answer already speaks to what the follow-up asks: at least half of its distinctive words are in
    it, a long word matching any of its forms ("introspection tools" is answered by "tools that introspect")."""
    wanted = {_root(word) for word in signals.content_words(follow_up)} - {_root(w) for w in _QUESTION_WORDS}
    if len(wanted) < 2:
        return False
    said = {_root(word) for word in signals.content_words(answer)}
    return len(wanted & said) / len(wanted) >= 0.5


def _root(word: str) -> str:
    """A word's first six letters when it is longer: enough to tell words apart, short enough to join their forms."""
    return word[:_ROOT_LETTERS]


_ROOT_LETTERS = 6


_QUESTION_WORDS = frozenset(signals.content_words(
    "would you do how what which why handle make sure think decide choose explain example describe tell walk "
    "through use change happen case situation approach there way one thing kind"
))


def _vagueness_probe(answer: str) -> str | None:
    """'You said it depends. On what, in a situation you've dealt with?' for answers that stay general."""
    match = _VAGUE_PHRASE.search(answer)
    if match is None:
        if signals.count("hedge", answer) >= 2 and len(words(answer)) < 80:
            return "You sound unsure about parts of this. Which part are you most confident about, and why?"
        return None
    phrase = match.group(0)
    lowered = phrase.lower()
    if lowered == "it depends":
        return "You said it depends. On what, in a situation you've actually dealt with?"
    if lowered.startswith("best practice"):
        return f"You mentioned {lowered}. Which ones would you apply here, and why do they matter?"
    if lowered.startswith("it") and "important" in lowered:
        return "You said it's important. Why, and what goes wrong when it's missing?"
    return f"You said \"{phrase}\". What would that look like in practice, in something you've worked on?"


def _story_probe(assessment: Assessment, asked: set[str]) -> str:
    """For a story: ask for the part it lacks (a result, the candidate's own part, a lesson)."""
    signals_ = assessment.signals
    options = []
    if not signals_.get("star_result"):
        options.append("How did it turn out in the end, and how did you know it had worked?")
    if not signals_.get("star_action") and not signals_.get("first_person_actions"):
        options.append("What did you personally do in that situation, step by step?")
    if not signals_.get("star_reflection"):
        options.append("Looking back, what would you do differently now?")
    if not signals_.get("example_given"):
        options.append("Could you pick one specific time and walk me through what happened?")
    return next((o for o in options if _fresh(o, asked)), "")


def _anchored(question: QuestionDraft, answer: str, assessment: Assessment, asked: set[str]) -> str:
    """A question built on the most specific thing the candidate said; empty when no template fits what was said
    (a generic "what was the hardest part" after a definition reads like a machine)."""
    story = question.kind == "behavioral"
    spans = [c.span for c in assessment.coverage if c.covered and c.span] + sentences(answer)
    for span in dict.fromkeys(spans):
        # The question is chosen from the very clause that is quoted, so the two are about the same thing.
        clause = anchors.quotable_clause(span)
        if not clause:
            continue
        quote = anchors.echo_clause(clause)
        if anchors.decision_in(clause):
            follow = "What alternatives did you weigh, and why did that one win?"
        elif not story:
            continue
        elif re.search(r"\b(?:cut|reduced|dropped|fell|rose|grew|increased|improved|halved|doubled|saved|went "
                       r"(?:up|down|from))\b", clause, re.IGNORECASE) and signals.count("number", clause):
            follow = "How did you know that change came from what you did?"
        elif _OWN_CHANGE.search(clause):
            follow = "What made that the right call at the time?"
        else:
            continue
        text = f"{quote} {follow}"
        if _fresh(text, asked) and _fresh(follow, asked):
            return text
    return ""


# The candidate changing something themselves: a choice worth asking about.
_OWN_CHANGE = re.compile(
    r"\bI (?:\w+ly )?(?:introduced|proposed|pushed for|changed|replaced|switched|moved|dropped|removed|added|split|"
    r"rewrote|redesigned|set up|started|stopped|cut|rolled back|escalated|called|brought in)\b"
)


def _quote_about(answer: str, follow_up: str) -> str | None:
    """A quote of the clause of the answer closest to the follow-up, if the two are about the same thing."""
    clauses = [c for c in dict.fromkeys(anchors.quotable_clause(s) for s in sentences(answer)) if c]
    if not clauses:
        return None
    vectors = encoder().encode(clauses)
    target = _vector(follow_up)
    best = int(np.argmax(vectors @ target))
    if float(vectors[best] @ target) < QUOTE_RELEVANCE:
        return None
    return anchors.echo_clause(clauses[best])


def _vector(text: str) -> Any:
    known = bank_vectors().get(text)
    return known if known is not None else _encoded(text)


@lru_cache(maxsize=4096)
def _encoded(text: str) -> Any:
    return encoder().encode([text])[0]


def _closest(options: list[FollowUp], point: str) -> FollowUp:
    target = _vector(as_answer_text(point))
    scores = [float(_vector(o.text) @ target) for o in options]
    return options[int(np.argmax(scores))]


def hint(*, question: QuestionDraft, assessment: Assessment | None, given: set[str]) -> str:
    """A nudge that ends by inviting another try; authored hints first."""
    for text in question.hints:
        if _normal(text) in given or any(_normal(text) in g for g in given):
            continue
        return text if text.rstrip().endswith("?") else f"{text} With that in mind, how would you answer?"
    if question.kind in _STORY_KINDS or question.kind == "behavioral":
        return (
            "It can help to pick one specific situation and tell it in order: what was going on, what you did "
            "yourself, and how it turned out. Which situation comes to mind?"
        )
    missed = [c.point for c in assessment.coverage if not c.covered] if assessment else list(question.key_points)
    options = [f for f in question.follow_ups if f.when != "covered"]
    if options and missed:
        tied = [f for f in options if f.point is not None and question.key_points[f.point] == missed[0]]
        choice = tied[0] if tied else _closest(options, missed[0])
        text = f"Here's a way in: {_lower_first(choice.text)}"
        if _normal(text) not in given:
            return text
    return ("Start with the part you're surest of, even if it's only a piece of the answer, and build from there. "
            "What would you say first?")


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first in ("I", "I'd", "I'm") or (len(first) > 1 and first[1:] != first[1:].lower()):
        return text
    return text[:1].lower() + text[1:]


_CHOICE = re.compile(r"\b(?:or|versus|vs\.?)\b", re.IGNORECASE)


def clarify(*, question: QuestionDraft, request: str) -> str:
    """A reply to a clarifying question that restates the question without giving the answer away."""
    if _CHOICE.search(request):
        return f"Either is fine: pick the one you know best and say which you mean. {question.text}"
    if question.kind in _STORY_KINDS:
        return (
            "I'm looking for one real example from your own experience: what happened, what you did, and how it "
            f"turned out. {question.text}"
        )
    return (
        "There's no trick here: I'd like your own understanding in plain words, with an example if you have one. "
        f"{question.text}"
    )


# Most specific first: "How is the support team measured?" is about measures, not about the team.
_ABOUT = (
    (re.compile(r"\bon-?call\b|\bout of hours\b|\bweekends?\b", re.IGNORECASE),
     "how often you'd be on call, how often it pages, and what happens the morning after"),
    (re.compile(r"\bremote|\bhybrid|\boffice\b|\bworking hours\b", re.IGNORECASE),
     "how remote and office days work in practice, and when people are expected to overlap"),
    (re.compile(r"\bmeasur\w*|\bmetrics?\b|\bkpis?\b|\bsuccess\b|\bfirst (?:30|60|90|ninety|three months)\b|"
                r"\bexpectations?\b|\bevaluat\w*|\bperformance\b", re.IGNORECASE),
     "which measures matter most, what good looks like after three months, and how you'd hear how you're doing"),
    (re.compile(r"\btypical (?:day|week)\b|\bday[- ]to[- ]day\b|\bdaily\b", re.IGNORECASE),
     "how the team plans its week and how much time goes to meetings versus focused work"),
    (re.compile(r"\bgrow\w*|\bcareer|\blearn\w*|\bmentor\w*|\bpromot\w*|\btraining\b", re.IGNORECASE),
     "how people there have actually grown, and what support for learning looks like in practice"),
    (re.compile(r"\bchalleng\w*|\bproblems?\b|\bhardest\b|\bpriorit\w*", re.IGNORECASE),
     "the team's biggest problem this year and what they've already tried"),
    (re.compile(r"\bfirst (?:few )?(?:weeks|months)\b|\bonboard\w*|\bwork on\b|\bstart(?:ing)? out\b", re.IGNORECASE),
     "what a new person's first project is, who they learn from, and what they own after three months"),
    (re.compile(r"\bdecide\w*|\bquarter\b|\broadmap\b|\bplanning\b|\bwhat goes into\b", re.IGNORECASE),
     "how the team decides what to work on, and an example of something they chose not to do"),
    (re.compile(r"\bteam\b|\bwho (?:would|will) i\b|\bcolleagues\b", re.IGNORECASE),
     "how big the team is, how work is shared, and who you would work with most"),
)


def candidate_question_reply(text: str) -> str:
    """An honest reply to a question about the role: practice cannot speak for an employer, so say what to ask."""
    advice = next((a for pattern, a in _ABOUT if pattern.search(text)),
                  "specific examples rather than general statements")
    return (f"As this is a practice interview, I can't speak for a particular employer. In a real interview it's a "
            f"good question to ask; listen for {advice}.")

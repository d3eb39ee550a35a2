"""The embedded brain: offline and deterministic.

Questions come from the curated bank (or templates for CV, job description and unknown topics);
answers are judged by how well their sentences cover each rubric point, measured with sentence
embeddings plus lexical checks; follow-ups aim at the points an answer missed.
"""

import re
from functools import lru_cache
from typing import Any

import numpy as np

from mockroom.brains.base import (
    LEVELS,
    Assessment,
    Coverage,
    InterviewContext,
    Move,
    Quality,
    QuestionDraft,
    Slot,
    TextSink,
)
from mockroom.cv.injection import looks_like_instruction
from mockroom.questions.bank import load_bank
from mockroom.questions.rubric import as_answer_text
from mockroom.questions.schema import Question
from mockroom.questions.templates import fill, load_templates
from mockroom.questions.vectors import bank_vectors
from mockroom.text import signals
from mockroom.text.embeddings import encoder
from mockroom.text.sentences import spans, words

COVERED_SIMILARITY = 0.55
COVERED_SIMILARITY_WITH_WORDS = 0.42
COVERED_WORD_OVERLAP = 0.75
OFF_TOPIC_RELEVANCE = 0.18
MIN_SUBSTANTIVE_WORDS = 4
MAX_SPANS = 60
_PAST_TENSE_IRREGULAR = {
    "built", "led", "ran", "wrote", "made", "drove", "grew", "took", "cut", "set", "won", "taught",
    "began", "brought", "sold", "kept", "held", "found", "spent", "rebuilt", "rewrote", "shipped",
}
_STAR_HINTS = {
    "situation": ("situation", "context", "specific example", "specific time", "specific project"),
    "action": ("own actions", "their own", "they personally", "what they did", "their actions", "steps they took"),
    "result": ("result", "outcome", "measurable", "impact", "metric"),
    "reflection": ("learned", "reflect", "differently", "lesson"),
}
_GENERIC_PROBES = (
    "Can you walk me through a concrete example of that from your own work?",
    "What trade-offs would you weigh when making that choice?",
    "How would you know whether that approach was working?",
)


class EmbeddedBrain:
    """Bank questions, template questions from the CV and job description, embedding-based judging."""

    name = "embedded"

    def question(self, *, context: InterviewContext, slot: Slot, exclude: set[str]) -> QuestionDraft:
        """A new main question for the slot, never one already asked."""
        templates = load_templates()
        draft: QuestionDraft | None = None
        if slot.source == "intro":
            draft = fill(templates["intro"], ref="intro", kind="behavioral", topic=context.topic)
        elif slot.source == "cv":
            draft = _cv_question(context, exclude)
        elif slot.source == "job":
            draft = _job_question(context, exclude)
        elif slot.source == "bank" and slot.topic:
            draft = _bank_question(slot.topic, slot.level, slot.kind, exclude)
        elif slot.source == "behavioral":
            draft = _bank_question("behavioral", slot.level, "behavioral", exclude)
        elif slot.source == "coding":
            draft = coding_question(context=context, level=slot.level, exclude=exclude)
        if draft is None or _seen(draft, exclude):
            draft = _competency_question(context, slot.level, exclude)
        return draft

    def follow_up(
        self,
        *,
        context: InterviewContext,
        question: QuestionDraft,
        answer: str,
        assessment: Assessment,
        move: Move,
        on_text: TextSink | None = None,
    ) -> str:
        """A follow-up for the move, aimed at the first missed rubric point where there is one."""
        missed = assessment.missed
        if question.kind == "behavioral" and move in ("hint", "probe") and missed:
            return _coaching_prompt(missed[0])
        if move == "hint" and missed:
            return f"Here's a pointer: think about how {_as_clause(missed[0])}, and how does that change your answer?"
        if move == "simplify":
            return f"In a sentence or two, in plain words: {question.text}"
        if move == "probe" and missed:
            return _closest_follow_up(question.follow_ups, missed[0]) or _GENERIC_PROBES[0]
        if question.follow_ups:
            return question.follow_ups[0]
        return _GENERIC_PROBES[1]

    def assess(self, *, context: InterviewContext, question: QuestionDraft, answer: str) -> Assessment:
        """Coverage of each rubric point by the answer's own sentences, relevance and a quality class."""
        answer_words = words(answer)
        if not answer_words:
            return Assessment(quality="no_answer", coverage=_uncovered(question), relevance=0.0, words=0)
        if signals.is_gibberish(answer):
            return Assessment(
                quality="gibberish", coverage=_uncovered(question), relevance=0.0, words=len(answer_words),
                note="The answer is not made of real words.",
            )
        # A very long answer is judged on its first MAX_SPANS sentences: enough to find every key point,
        # and it keeps a 20,000-character answer under a second.
        answer_spans = [s for s in spans(answer, max_words=30) if not looks_like_instruction(s)][:MAX_SPANS]
        answer_spans = answer_spans or [answer[:2000]]
        span_vectors = encoder().encode(answer_spans)
        point_vectors = _encode_cached(tuple(as_answer_text(p) for p in question.key_points))
        similarity = point_vectors @ span_vectors.T
        coverage = [
            _cover(point, similarity[i], answer_spans, answer, question.signals.get(point), question.kind)
            for i, point in enumerate(question.key_points)
        ]
        question_vector = _encode_cached((question.text,))
        relevance = float(
            max(float(np.max(question_vector @ span_vectors.T)), float(np.max(similarity)) if similarity.size else 0.0)
        )
        quality = _quality(coverage, relevance, len(answer_words))
        return Assessment(
            quality=quality,
            coverage=coverage,
            relevance=round(relevance, 3),
            words=len(answer_words),
            signals={
                "reasoning_sentences": float(len(signals.reasoning_spans(answer))),
                "concrete_sentences": float(len(signals.concrete_spans(answer))),
            },
        )

    def clarify(self, *, context: InterviewContext, question: QuestionDraft, request: str) -> str:
        """A rephrasing that narrows the question without giving the answer away."""
        if question.kind == "behavioral":
            return (
                "I'm looking for one real example from your own experience: what happened, what you did, and how it "
                f"turned out. {question.text}"
            )
        return (
            "There's no trick here; I'd like your own understanding in plain words, with an example if you have one. "
            f"{question.text}"
        )

    def summarise(self, *, context: InterviewContext, facts: dict[str, Any]) -> str | None:
        """The embedded brain keeps the report's built-in summary."""
        return None

    def answer_candidate_question(self, *, context: InterviewContext, text: str) -> str:
        """An honest reply: this is practice, so point the candidate at what to listen for."""
        return (
            "That's a good thing to ask. In this practice session I can't speak for a real employer, but in a real "
            "interview that question shows genuine interest, and the answer tells you a lot about the team and the "
            "role."
        )


def _seen(draft: QuestionDraft, exclude: set[str]) -> bool:
    return draft.ref in exclude or " ".join(draft.text.lower().split()) in exclude


def _from_bank(question: Question, topic: str) -> QuestionDraft:
    return QuestionDraft(
        text=question.text,
        key_points=list(question.key_points),
        follow_ups=list(question.follow_ups),
        model_answer=question.model_answer,
        ref=question.id,
        kind=question.kind,
        topic=load_bank()[topic].title,
    )


def _bank_question(topic: str, level: str, kind: str, exclude: set[str]) -> QuestionDraft | None:
    """The first unasked bank question of the topic, preferring the level, then the nearest levels."""
    bank = load_bank()
    if topic not in bank:
        return None
    wanted = LEVELS.index(level)  # type: ignore[arg-type]
    by_distance = sorted(LEVELS, key=lambda lv: (abs(LEVELS.index(lv) - wanted), LEVELS.index(lv)))
    for candidate_level in by_distance:
        candidates = [q for q in bank[topic].questions if q.level == candidate_level]
        preferred = [q for q in candidates if q.kind == kind] + [q for q in candidates if q.kind != kind]
        for question in preferred:
            draft = _from_bank(question, topic)
            if not _seen(draft, exclude):
                return draft
    return None


def _competency_question(context: InterviewContext, level: str, exclude: set[str]) -> QuestionDraft:
    templates = load_templates()["competency"]
    wanted = LEVELS.index(level)  # type: ignore[arg-type]
    for candidate_level in sorted(LEVELS, key=lambda lv: abs(LEVELS.index(lv) - wanted)):
        for index, template in enumerate(templates[candidate_level]):
            draft = fill(
                template, ref=f"competency-{candidate_level}-{index}", kind="technical", topic=context.topic
            )
            if not _seen(draft, exclude):
                return draft
    general = _bank_question("general", level, "behavioral", exclude)
    if general is None:
        raise RuntimeError("the question bank ran out of unasked questions")
    return general


def _cv_question(context: InterviewContext, exclude: set[str]) -> QuestionDraft | None:
    """A question about something specific on the CV: a highlight, a role or a project."""
    profile = context.cv_profile or {}
    templates = load_templates()
    candidates: list[QuestionDraft] = []
    for index, job in enumerate(profile.get("experience") or []):
        company = (job.get("company") or "").strip()
        role = (job.get("role") or "").strip()
        for h_index, highlight in enumerate(job.get("highlights") or []):
            clause = _highlight_clause(highlight)
            if clause and company:
                candidates.append(
                    fill(templates["cv_highlight"], ref=f"cv-highlight-{index}-{h_index}", kind="behavioral",
                         highlight=clause, company=company, topic=context.topic)
                )
        if company and role:
            candidates.append(
                fill(templates["cv_role"], ref=f"cv-role-{index}", kind="behavioral", role=role, company=company,
                     topic=context.topic)
            )
    for index, project in enumerate(profile.get("projects") or []):
        name = (project.get("name") or "").strip()
        if name and not looks_like_instruction(name) and len(name) <= 80:
            candidates.append(
                fill(templates["cv_project"], ref=f"cv-project-{index}", kind="behavioral", project=name,
                     topic=context.topic)
            )
    for draft in candidates:
        if not _seen(draft, exclude):
            return draft
    return None


def _highlight_clause(highlight: str) -> str | None:
    """'Built the payments API in Go.' becomes 'built the payments API in Go', if it reads as an action."""
    text = highlight.strip().rstrip(".;").strip()
    if not text or looks_like_instruction(text) or len(words(text)) > 18 or "?" in text:
        return None
    first, _, rest = text.partition(" ")
    verb = first.lower()
    if not rest or not (verb.endswith("ed") or verb in _PAST_TENSE_IRREGULAR):
        return None
    return f"{verb} {rest}"


_REQUIREMENT = re.compile(
    r"(?:experience (?:with|in|of)|knowledge of|familiar(?:ity)? with|proficien\w* (?:in|with)|"
    r"expertise in|skilled in|ability to|background in|understanding of)\s+(.{3,90}?)(?:[.;]|$)",
    re.IGNORECASE,
)


def job_requirements(job_description: str) -> list[str]:
    """Requirement phrases from a job description, instructions to the interviewer excluded."""
    found: list[str] = []
    for line in job_description.splitlines():
        line = line.strip(" \t-•*·")
        if not line or looks_like_instruction(line):
            continue
        for match in _REQUIREMENT.finditer(line):
            phrase = " ".join(match.group(0).rstrip(".;").split())
            if phrase.lower() not in (f.lower() for f in found):
                found.append(phrase)
    return found


def _job_question(context: InterviewContext, exclude: set[str]) -> QuestionDraft | None:
    templates = load_templates()
    for index, requirement in enumerate(job_requirements(context.job_description or "")):
        requirement = requirement[0].lower() + requirement[1:]
        draft = fill(templates["job_requirement"], ref=f"job-{index}", kind="behavioral",
                     requirement=requirement, topic=context.topic)
        if not _seen(draft, exclude):
            return draft
    draft = fill(templates["job_general"], ref="job-general", kind="behavioral", topic=context.topic)
    return None if _seen(draft, exclude) else draft


def _encode_cached(texts: tuple[str, ...]) -> Any:
    """Vectors for rubric texts: from the bank's precomputed set, or encoded once and remembered."""
    known = bank_vectors()
    if all(t in known for t in texts):
        return np.stack([known[t] for t in texts])
    return _encode_other(texts)


@lru_cache(maxsize=4096)
def _encode_other(texts: tuple[str, ...]) -> Any:
    return encoder().encode(list(texts))


def _uncovered(question: QuestionDraft) -> list[Coverage]:
    return [Coverage(point=p, covered=False) for p in question.key_points]


def _cover(
    point: str, similarities: Any, answer_spans: list[str], answer: str, check: str | None, kind: str
) -> Coverage:
    """Whether some span of the answer expresses the rubric point, and which span."""
    best = int(np.argmax(similarities))
    best_sim = float(similarities[best])
    point_words = set(signals.content_words(point))
    best_overlap, overlap_span = 0.0, answer_spans[best]
    if point_words:
        for span in answer_spans:
            overlap = len(point_words & set(signals.content_words(span))) / len(point_words)
            if overlap > best_overlap:
                best_overlap, overlap_span = overlap, span
    if best_sim >= COVERED_SIMILARITY or (
        best_sim >= COVERED_SIMILARITY_WITH_WORDS and best_overlap >= 0.34
    ):
        return Coverage(point=point, covered=True, span=answer_spans[best], similarity=round(best_sim, 3))
    if best_overlap >= COVERED_WORD_OVERLAP and len(point_words) >= 2:
        return Coverage(point=point, covered=True, span=overlap_span, similarity=round(best_sim, 3))
    signal: str | None = check
    if signal is None and kind == "behavioral":
        lowered = point.lower()
        signal = next((name for name, hints in _STAR_HINTS.items() if any(h in lowered for h in hints)), None)
    shown_in = signals.signal_span(signal, answer) if signal else None
    if shown_in and not looks_like_instruction(shown_in):
        return Coverage(point=point, covered=True, span=shown_in, similarity=round(best_sim, 3))
    return Coverage(point=point, covered=False, similarity=round(best_sim, 3))


def _quality(coverage: list[Coverage], relevance: float, word_count: int) -> Quality:
    covered = sum(c.covered for c in coverage) / len(coverage) if coverage else 0.0
    if word_count < MIN_SUBSTANTIVE_WORDS:
        return "weak"
    if relevance < OFF_TOPIC_RELEVANCE and covered == 0:
        return "off_topic"
    if covered >= 0.6 and word_count >= 25:
        return "strong"
    if covered >= 0.3 or (covered > 0 and word_count >= 40):
        return "adequate"
    return "weak"


def _closest_follow_up(follow_ups: list[str], missed_point: str) -> str | None:
    if not follow_ups:
        return None
    vectors = _encode_cached(tuple(follow_ups))
    target = _encode_cached((as_answer_text(missed_point),))[0]
    return follow_ups[int(np.argmax(vectors @ target))]


_COACHING = (
    (("result", "outcome", "measurable", "impact", "metric", "success"),
     "How did it turn out in the end, and how did you know it had worked?"),
    (("own", "personally", "their actions", "contribution", "what they did"),
     "What did you personally do in that situation, step by step?"),
    (("learned", "reflect", "differently", "lesson"), "What did you learn from it, or what would you do differently now?"),
    (("trade-off", "decision", "alternatives", "why"), "Why did you choose that approach over the alternatives?"),
    (("situation", "specific", "example", "context"), "Could you pick one specific example and describe the situation?"),
)


def _coaching_prompt(point: str) -> str:
    """A STAR-style nudge toward the missed part of a story, without putting words in the candidate's mouth."""
    lowered = point.lower()
    for cues, prompt in _COACHING:
        if any(cue in lowered for cue in cues):
            return prompt
    return "Could you give me a concrete example of that from your own work?"


def _as_clause(point: str) -> str:
    return point[0].lower() + point[1:] if point else point


_CODING_POINTS = (
    "explains the approach before or while coding",
    "states the time complexity of the solution",
    "states the space complexity of the solution",
    "considers edge cases such as empty or single-element input",
)


def coding_question(*, context: InterviewContext, level: str, exclude: set[str]) -> QuestionDraft:
    """A live coding exercise from the verified problem bank; its hints become the follow-ups."""
    from mockroom.coding.problems.loader import choose_problem

    used = {ref.split(":", 1)[1] for ref in exclude if ref.startswith("coding:")}
    problem = choose_problem(level=level, exclude=used, seed=context.topic)
    complexity = problem.complexity
    return QuestionDraft(
        text=(
            f"Let's do a live coding exercise called \"{problem.title.replace('?', '').strip()}\". "
            "The problem and an editor are on your screen. "
            "Pick a language, run your code against the examples, and submit when you're ready. "
            "Before you start, how would you approach it?"
        ),
        key_points=list(_CODING_POINTS),
        follow_ups=list(problem.hints),
        model_answer=(
            f"{problem.hints[-1]} Expected complexity: {complexity.get('time', 'n/a')} time and "
            f"{complexity.get('space', 'n/a')} space."
        ),
        ref=f"coding:{problem.id}",
        kind="coding",
        topic=problem.title,
        signals={
            _CODING_POINTS[0]: "reasoning",
            _CODING_POINTS[1]: "complexity",
            _CODING_POINTS[2]: "complexity",
            _CODING_POINTS[3]: "edge_cases",
        },
    )

"""The embedded brain: offline and deterministic.

Questions come from the curated bank (or templates for the CV, the job description and topics the bank lacks);
answers are graded by the learned assessor (`mockroom.assessor`); follow-ups build on what the candidate said or
probe what the answer missed, in phrasing from `brains/follow_ups.py`.
"""

import re
from functools import lru_cache
from typing import Any

import numpy as np

from mockroom.assessor.model import assessor
from mockroom.brains import follow_ups
from mockroom.cv.injection import looks_like_instruction
from mockroom.questions.bank import load_bank
from mockroom.questions.job import Requirement, requirements
from mockroom.questions.schema import Question
from mockroom.questions.templates import fill, load_templates
from mockroom.questions.vectors import bank_vectors
from mockroom.text import signals
from mockroom.text.embeddings import encoder
from mockroom.text.sentences import sentences, words
from mockroom.vocabulary import (
    LEVELS,
    Assessment,
    Coverage,
    FollowUp,
    InterviewContext,
    Move,
    Quality,
    QuestionDraft,
    Slot,
)

MIN_SUBSTANTIVE_WORDS = 4
STRONG_GRADE = 4.0
ADEQUATE_GRADE = 3.0
COVERED_PROBABILITY = 0.5
OFF_TOPIC_PROBABILITY = 0.5
# A job requirement this close to a bank question is asked through that question and its rubric.
JOB_BANK_SIMILARITY = 0.62
_PAST_TENSE_IRREGULAR = {
    "built", "led", "ran", "wrote", "made", "drove", "grew", "took", "cut", "set", "won", "taught",
    "began", "brought", "sold", "kept", "held", "found", "spent", "rebuilt", "rewrote", "shipped",
}


class EmbeddedBrain:
    """Bank questions, template questions from the CV and job description, learned grading."""

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
            draft = _job_question(context, slot, exclude)
        elif slot.source == "bank" and slot.topic:
            draft = _bank_question(slot.topic, slot.level, slot.kind, exclude)
        elif slot.source == "behavioral":
            draft = _behavioral_question(context, slot.level, exclude)
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
        asked: Any = (),
        on_text: Any = None,
    ) -> str:
        """A follow-up for the move that builds on the answer's own words or probes a point it missed."""
        return follow_ups.compose(question=question, answer=answer, assessment=assessment, move=move,
                                  asked=set(asked), level=context.level)

    def hint(
        self, *, context: InterviewContext, question: QuestionDraft, assessment: Assessment | None, given: Any = (),
    ) -> str:
        """A nudge in plain sentences: an authored hint, or a way into the question; never the rubric's words."""
        return follow_ups.hint(question=question, assessment=assessment, given={" ".join(g.lower().split()) for g in given})

    def assess(self, *, context: InterviewContext, question: QuestionDraft, answer: str) -> Assessment:
        """The learned assessor's grade and coverage, with the junk-answer guards applied first."""
        answer_words = words(answer)
        if not answer_words:
            return Assessment(quality="no_answer", coverage=_uncovered(question), relevance=0.0, words=0, grade=1.0)
        if signals.is_gibberish(answer):
            return Assessment(
                quality="gibberish", coverage=_uncovered(question), relevance=0.0, words=len(answer_words),
                note="The answer is not made of real words.", grade=1.0,
            )
        clean = " ".join(s for s in sentences(answer) if not looks_like_instruction(s)) or answer
        judgement = assessor().judge(question, clean)
        coverage = [
            Coverage(point=point, covered=probability >= COVERED_PROBABILITY,
                     span=span if probability >= COVERED_PROBABILITY and span in answer else None,
                     similarity=round(probability, 3))
            for point, probability, span in zip(question.key_points, judgement.covered, judgement.spans, strict=True)
        ]
        for item in coverage:
            # Template rubrics name the signal that shows a point ("gives the outcome" -> a result sentence), and
            # a story's rubric points map onto its STAR parts.
            signal = question.signals.get(item.point) or (
                _star_signal(item.point) if question.kind in ("behavioral", "situational") else None
            )
            shown = signals.signal_span(signal, clean) if signal and not item.covered else None
            if shown and shown in answer:
                item.covered, item.span = True, shown
        grade = judgement.grade
        answer_signals = _signals(clean)
        # An answer made of vague phrases is weak, not off-topic: it says little, but about this question. So is an
        # answer in the shape the question asks for (a story for a story question, a background for the opening).
        vague = answer_signals["vague_phrases"] + answer_signals["hedges"] >= 2
        on_topic = 1.0 if vague or _has_expected_shape(question, clean, answer_signals) else judgement.on_topic
        quality = _quality(grade, on_topic, len(answer_words))
        if quality == "off_topic":
            grade = min(grade, 1.5)
        return Assessment(
            quality=quality,
            coverage=coverage,
            relevance=round(judgement.relevance, 3),
            words=len(answer_words),
            signals=answer_signals,
            grade=round(grade, 2),
            note=f"on-topic {judgement.on_topic:.2f}",
        )

    def clarify(self, *, context: InterviewContext, question: QuestionDraft, request: str) -> str:
        """A narrower phrasing of the question, or an answer to a choice the candidate asked about."""
        return follow_ups.clarify(question=question, request=request)

    def summarise(self, *, context: InterviewContext, facts: dict[str, Any]) -> str | None:
        """The embedded brain keeps the report's built-in narrative."""
        return None

    def notice(self) -> str | None:
        """Nothing to say: the embedded brain answers every turn."""
        return None

    def answer_candidate_question(self, *, context: InterviewContext, text: str) -> str:
        """An honest reply: this is practice, so say what a real interviewer's answer would tell them."""
        return follow_ups.candidate_question_reply(text)


def _quality(grade: float, on_topic: float, word_count: int) -> Quality:
    if (on_topic < OFF_TOPIC_PROBABILITY and grade < ADEQUATE_GRADE) or on_topic < 0.2:
        return "off_topic"
    if word_count < MIN_SUBSTANTIVE_WORDS:
        return "weak"
    if grade >= STRONG_GRADE:
        return "strong"
    if grade >= ADEQUATE_GRADE:
        return "adequate"
    return "weak"


_STAR_CUES = (
    ("result", ("result", "outcome", "measurable", "impact", "metric", "turned out", "resolved", "success")),
    ("reflection", ("learned", "reflect", "differently", "lesson", "would change")),
    ("action", ("own action", "their own", "personally", "what they did", "their actions", "steps they took",
                "states their", "describes their", "explains what they")),
    ("situation", ("specific situation", "specific example", "specific time", "specific project", "describes a specific",
                   "a specific")),
)


def _star_signal(point: str) -> str | None:
    """The STAR part a behavioral rubric point asks for, if it names one."""
    lowered = point.lower()
    return next((name for name, cues in _STAR_CUES if any(cue in lowered for cue in cues)), None)


def _has_expected_shape(question: QuestionDraft, answer: str, shown: dict[str, float]) -> bool:
    """Whether the answer takes the form the question asks for, which an off-topic answer does not."""
    if question.kind == "coding":
        return True  # talk during a coding exercise is about the exercise; the tests judge the code
    if question.ref == "intro":
        return signals.signal_span("background", answer) is not None
    if question.kind in ("behavioral", "situational") and question.signals:
        return sum(signals.signal_span(name, answer) is not None for name in set(question.signals.values())) >= 2
    return False


def _signals(answer: str) -> dict[str, float]:
    """What the answer shows, for the conductor's guards and the report: examples, reasoning, vagueness."""
    star = signals.star_spans(answer)
    actions = signals.count("first_person_action", answer)
    example = signals.count("example", answer) + actions + signals.count("own_use", answer)
    return {
        "example_given": float(example > 0 or bool(star["situation"])),
        "first_person_actions": float(actions),
        "reasoning_sentences": float(len(signals.reasoning_spans(answer))),
        "concrete_sentences": float(len(signals.concrete_spans(answer))),
        "hedges": float(signals.count("hedge", answer)),
        "vague_phrases": float(signals.count("vague", answer)),
        "star_situation": float(bool(star["situation"])),
        "star_action": float(bool(star["action"])),
        "star_result": float(bool(star["result"])),
        "star_reflection": float(bool(star["reflection"])),
    }


def _seen(draft: QuestionDraft, exclude: set[str]) -> bool:
    return draft.ref in exclude or " ".join(draft.text.lower().split()) in exclude


def from_bank(question: Question, topic: str, *, role_family: str = "general") -> QuestionDraft:
    """A bank question as a draft; a behavioral question's model answer told by someone of the candidate's role family."""
    model_answer = question.model_answers.get(role_family, question.model_answer)  # type: ignore[call-overload]
    return QuestionDraft(
        text=question.text,
        key_points=list(question.key_points),
        follow_ups=[FollowUp(text=f.text, point=f.point, when=f.when) for f in question.follow_ups],
        model_answer=model_answer,
        ref=question.id,
        kind=question.kind,
        topic=load_bank()[topic].title,
        hints=list(question.hints),
    )


def _by_level(questions: list[Question], level: str) -> list[Question]:
    """Questions ordered by closeness to the level, nearest first, in bank order within a level."""
    wanted = LEVELS.index(level)  # type: ignore[arg-type]
    return sorted(questions, key=lambda q: (abs(LEVELS.index(q.level) - wanted), LEVELS.index(q.level)))


def _bank_question(topic: str, level: str, kind: str, exclude: set[str]) -> QuestionDraft | None:
    """The first unasked bank question of the topic, preferring the level and kind, then the nearest levels."""
    bank = load_bank()
    if topic not in bank:
        return None
    ordered = _by_level(list(bank[topic].questions), level)
    ordered = sorted(ordered, key=lambda q: (abs(LEVELS.index(q.level) - LEVELS.index(level)), q.kind != kind))  # type: ignore[arg-type]
    for question in ordered:
        draft = from_bank(question, topic)
        if not _seen(draft, exclude):
            return draft
    return None


def _behavioral_question(context: InterviewContext, level: str, exclude: set[str]) -> QuestionDraft | None:
    """A behavioral question that fits the candidate: leadership stories only for people who lead people."""
    bank = load_bank()["behavioral"]
    fitting = [q for q in bank.questions if q.audience == "anyone" or context.manages_people]
    for question in _by_level(fitting, level):
        draft = from_bank(question, "behavioral", role_family=context.role_family)
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
    """A question about one specific achievement, role or project on the CV, in natural words."""
    profile = context.cv_profile or {}
    templates = load_templates()
    candidates: list[QuestionDraft] = []
    for index, job in enumerate(profile.get("experience") or []):
        company = _short_company(job.get("company") or "")
        role = (job.get("role") or "").strip()
        for h_index, highlight in enumerate(job.get("highlights") or []):
            clause = highlight_clause(highlight)
            if clause and company:
                candidates.append(
                    fill(templates["cv_highlight"], ref=f"cv-highlight-{index}-{h_index}", kind="behavioral",
                         highlight=clause, company=company, topic=context.topic)
                )
        if company and role and not looks_like_instruction(role):
            candidates.append(
                fill(templates["cv_role"], ref=f"cv-role-{index}", kind="behavioral", role=_article(role),
                     company=company, topic=context.topic)
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


_COMPANY_SUFFIX = re.compile(
    r"[,\s]+(?:ltd|limited|inc|llc|plc|gmbh|ag|sa|sas|sarl|bv|nv|ab|as|asa|oy|oyj|aps|pty|spa|srl|kk|corp|corporation|"
    r"co|llp|lp)\.?$",
    re.IGNORECASE,
)
# Where a CV highlight's core ends: the details after it ("with", "using", "handling", a comma) are left to the
# candidate to tell.
_HIGHLIGHT_DETAIL = re.compile(
    r",|;|:|\s[-–—]\s|\s(?:with|using|via|handling|serving|across|through|by|while|which|that|resulting|leading|"
    r"so that|reducing|increasing|cutting|saving|improving|from \d)\s",
    re.IGNORECASE,
)


def _short_company(company: str) -> str:
    return _COMPANY_SUFFIX.sub("", company.strip())


def _article(role: str) -> str:
    """'Backend Engineer' becomes 'a backend engineer'; titles with an acronym keep their capitals."""
    text = role if any(w.isupper() and len(w) > 1 for w in role.split()) else role.lower()
    return f"{'an' if text[:1].lower() in 'aeiou' else 'a'} {text}"


def highlight_clause(highlight: str) -> str | None:
    """'Designed an event-driven settlement service in Go handling 2M transactions a day' becomes 'designed an
    event-driven settlement service in Go': an achievement, paraphrased to its core, if it reads as one."""
    text = highlight.strip().rstrip(".;").strip()
    if not text or looks_like_instruction(text) or "?" in text:
        return None
    first, _, rest = text.partition(" ")
    verb = first.lower()
    if not rest or not (verb.endswith("ed") or verb in _PAST_TENSE_IRREGULAR):
        return None
    core = text
    for match in _HIGHLIGHT_DETAIL.finditer(text):
        if len(words(text[: match.start()])) >= 4:
            core = text[: match.start()]
            break
    tokens = core.split()
    if len(tokens) > 12:
        tokens = tokens[:12]
        while tokens and tokens[-1].lower() in ("a", "an", "the", "and", "of", "to", "in", "for", "on", "our", "its"):
            tokens.pop()
    return f"{verb} {' '.join(tokens[1:])}".strip()


def _job_question(context: InterviewContext, slot: Slot, exclude: set[str]) -> QuestionDraft | None:
    """A question about one requirement of the job: a bank question when one asks exactly that, else a story."""
    found = requirements(context.job_description or "")
    chosen = [r for r in found if r.text == slot.requirement] or found
    templates = load_templates()
    for index, requirement in enumerate(chosen):
        banked = _bank_question_for(requirement, exclude)
        if banked is not None:
            banked.text = f"The role involves {requirement.subject}. {banked.text}"
            return banked
        name = "job_action" if requirement.is_action else "job_requirement"
        draft = fill(templates[name], ref=f"job-{found.index(requirement) if requirement in found else index}",
                     kind="behavioral", requirement=requirement.subject, topic=context.topic)
        if not _seen(draft, exclude):
            return draft
    draft = fill(templates["job_general"], ref="job-general", kind="behavioral", topic=context.topic)
    return None if _seen(draft, exclude) else draft


def _bank_question_for(requirement: Requirement, exclude: set[str]) -> QuestionDraft | None:
    """The bank's technical question closest to a job requirement, if it is close enough to ask instead."""
    _texts, vectors, owners = _technical_index()
    target = encoder().encode([requirement.text])[0]
    scores = vectors @ target
    for index in np.argsort(-scores)[:5]:
        if scores[index] < JOB_BANK_SIMILARITY:
            break
        topic, question = owners[int(index)]
        draft = from_bank(question, topic)
        if not _seen(draft, exclude):
            return draft
    return None


@lru_cache(maxsize=1)
def _technical_index() -> tuple[list[str], Any, list[tuple[str, Question]]]:
    """Every non-behavioral bank question with its vector (the bank's cached vectors)."""
    known = bank_vectors()
    texts, rows, owners = [], [], []
    for topic in load_bank().values():
        if topic.topic in ("behavioral", "general"):
            continue
        for question in topic.questions:
            if question.kind == "behavioral":
                continue
            texts.append(question.text)
            rows.append(known[question.text])
            owners.append((topic.topic, question))
    return texts, np.stack(rows), owners


def _uncovered(question: QuestionDraft) -> list[Coverage]:
    return [Coverage(point=p, covered=False) for p in question.key_points]


_CODING_POINTS = (
    "explains the approach before or while coding",
    "states the time complexity of the solution",
    "states the space complexity of the solution",
    "considers edge cases such as empty or single-element input",
)


def coding_question(*, context: InterviewContext, level: str, exclude: set[str]) -> QuestionDraft:
    """A live coding exercise from the verified problem bank; its hints are given only on request."""
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
        follow_ups=[],
        hints=list(problem.hints),
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

"""How the report is scored: each question's grade, the dimensions, the overall score and the recommendation.

Grades come from the assessment of each answer (the learned assessor's 1-5 grade, an LLM's within its guard).
A question's grade is the candidate's best showing on it, tempered by the rest of what they said and by hints
taken; a question asked but never answered with substance counts as 1. Code runs the runner itself failed never
count.
"""

from dataclasses import dataclass, field

from mockroom.text import signals
from mockroom.text.sentences import filler_count, words
from mockroom.vocabulary import AnswerRecord, AskedQuestion, Assessment, ConductorState

MIN_SUBSTANTIVE_ANSWERS = 3
INSUFFICIENT_SCORE_CAP = 20
HINT_PENALTY = 0.3
RECOMMENDATIONS = ((75, "strong_hire"), (60, "hire"), (40, "lean_no"), (0, "no"))
DIMENSION_WEIGHTS = {
    "Technical knowledge": 0.3,
    "Problem solving": 0.2,
    "Communication": 0.15,
    "Experience and relevance": 0.1,
    "Behavioral competencies": 0.15,
    "Answer structure (STAR)": 0.1,
    "Coding": 0.3,
}
STORY_SOURCES = ("cv", "job", "behavioral")


@dataclass
class Dimension:
    """One scored area: a value in 0-1 (shown as 1-5), why, and the answers it rests on."""

    name: str
    value: float
    rationale: str
    records: list[AnswerRecord] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    asked: int = 0
    # What to work on, said the way a coach would, when this is the weakest area.
    coaching: str = ""

    @property
    def score(self) -> int:
        if not self.records and not self.evidence:
            return 1
        return max(1, min(5, 1 + round(self.value * 4)))


def plural(count: int, noun_phrase: str) -> str:
    """'1 core topic question', '3 core topic questions': the phrase is given in the plural."""
    if count != 1:
        return f"{count} {noun_phrase}"
    for marker in (" about ", " of ", " to ", " from ", " with "):
        if marker in noun_phrase:
            before, _, after = noun_phrase.partition(marker)
            return f"1 {_singular(before)}{marker}{after}"
    return f"1 {_singular(noun_phrase)}"


def _singular(phrase: str) -> str:
    head, _, tail = phrase.rpartition(" ")
    tail = tail[:-1] if tail.endswith("s") and not tail.endswith("ss") else tail
    return f"{head} {tail}".strip()


def answer_grade(record: AnswerRecord) -> float:
    """An answer's 1-5 grade (records from before the learned assessor fall back on their quality class)."""
    assessment = record.assessment
    if assessment is None or not record.substantive:
        return 1.0
    if assessment.grade is not None:
        return assessment.grade
    return {"strong": 4.3, "adequate": 3.2, "weak": 2.0}.get(assessment.quality, 1.0)


def question_grade(question: AskedQuestion) -> float | None:
    """The grade of one question across its answers, or None when nothing substantive was said."""
    grades = [answer_grade(a) for a in question.answers if a.substantive]
    if not grades:
        return None
    # The best showing counts most; answers to follow-ups are judged against the main rubric, so a narrow one
    # should not pull a strong answer down much.
    combined = 0.85 * max(grades) + 0.15 * (sum(grades) / len(grades))
    if question.coding is None:
        combined -= HINT_PENALTY * question.hints
    return max(1.0, min(5.0, combined))


def answered(question: AskedQuestion) -> bool:
    return any(a.substantive for a in question.answers)


def asked_questions(state: ConductorState) -> list[AskedQuestion]:
    """Questions the candidate had a chance to answer (answered, skipped, or coded on)."""
    return [q for q in state.questions if q.answers or q.skipped or (q.coding and q.coding.runs)]


def _grade_dimension(name: str, questions: list[AskedQuestion], what: str) -> Dimension:
    if not questions:
        return Dimension(name, 0.0, f"Not assessed: this interview asked no {what}; not part of the overall score.")
    grades = [question_grade(q) or 1.0 for q in questions]
    records = [a for q in questions for a in q.answers if a.substantive]
    value = (sum(grades) / len(grades) - 1) / 4
    answered_count = sum(1 for q in questions if answered(q))
    if not records:
        rationale = f"No substantive answers to {what}, so there is no evidence to score."
    else:
        rationale = (
            f"Average grade {sum(grades) / len(grades):.1f}/5 over {plural(len(questions), what)}"
            f" ({answered_count} answered with substance)."
        )
    return Dimension(name, value, rationale, records, asked=len(questions))


def _problem_solving(questions: list[AskedQuestion]) -> Dimension:
    relevant = [q for q in questions if q.source != "intro"]
    records = [a for q in relevant for a in q.answers if a.substantive]
    if not records:
        return Dimension("Problem solving", 0.0, "No substantive answers to reason about, so no evidence to score.",
                         asked=len(relevant))
    per_answer = []
    reasoning_total = 0
    for record in records:
        reasoning = len(signals.reasoning_spans(record.text))
        reasoning_total += reasoning
        per_answer.append(0.75 * (answer_grade(record) - 1) / 4 + 0.25 * min(1.0, reasoning / 2))
    unanswered = sum(1 for q in relevant if not answered(q))
    value = sum(per_answer) / len(per_answer) * len(records) / (len(records) + unanswered)
    rationale = (
        f"{plural(reasoning_total, 'sentences')} explained reasons, trade-offs or alternatives across "
        f"{plural(len(records), 'answers')}; judged with the quality of those answers."
    )
    return Dimension("Problem solving", value, rationale, records, asked=len(relevant))


def _communication(questions: list[AskedQuestion]) -> Dimension:
    attempts = [a for q in questions for a in q.answers if a.intent == "answer" and a.assessment is not None]
    records = [a for a in attempts if a.substantive]
    if not records:
        return Dimension("Communication", 0.0, "No substantive answers, so communication cannot be judged.",
                         asked=len(questions))
    scores = []
    for record in records:
        count = len(words(record.text))
        length = 1.0 if 25 <= count <= 250 else (count / 25 if count < 25 else max(0.4, 250 / count))
        fillers = filler_count(record.text) / max(1, count)
        assessment = record.assessment or Assessment(quality="weak", coverage=[], relevance=0.0, words=count)
        clarity = (answer_grade(record) - 1) / 4
        scores.append(0.3 * length + 0.2 * max(0.0, 1 - fillers * 10) + 0.2 * min(1.0, assessment.relevance / 0.5)
                      + 0.3 * clarity)
    value = sum(scores) / len(scores) * len(records) / len(attempts)
    fillers_total = sum(filler_count(a.text) for q in questions for a in q.answers if a.text)
    rationale = (
        f"{len(records)} substantive of {plural(len(attempts), 'answers')}, {plural(fillers_total, 'filler words')}; "
        "judged on length, focus on the question, clarity and filler use."
    )
    dimension = Dimension("Communication", value, rationale, records, asked=len(questions))
    dimension.coaching = _communication_coaching(records, attempts, fillers_total)
    return dimension


def _communication_coaching(records: list[AnswerRecord], attempts: list[AnswerRecord], fillers: int) -> str:
    """What most held communication back, in one clause."""
    counts = [len(words(r.text)) for r in records]
    if len(records) < len(attempts) / 2:
        return "several answers did not address the question asked; answer it first, then add context."
    if fillers >= 2 * len(records):
        return "filler words ('um', 'basically') ran through the answers; pause instead, then lead with the point."
    if sum(1 for c in counts if c < 25) > len(counts) / 2:
        return "many answers were a sentence or two; add the reason and one example to each."
    if sum(1 for c in counts if c > 250) > len(counts) / 3:
        return "answers ran long; lead with the conclusion, then give one supporting example."
    return "the answers were sound; tightening each to its main point would make them land faster."


def _star(questions: list[AskedQuestion]) -> Dimension:
    records = [a for q in questions for a in q.answers if a.substantive]
    if not records:
        return Dimension("Answer structure (STAR)", 0.0, "No substantive story answers to judge structure.",
                         asked=len(questions))
    found_counts = []
    for record in records:
        found = signals.star_spans(record.text)
        present = [n for n in ("situation", "action", "result", "reflection") if found[n]]
        found_counts.append(len(present))
    value = sum(found_counts) / (4 * len(records))
    rationale = (
        f"Stories showed on average {sum(found_counts) / len(records):.1f} of 4 STAR elements "
        "(situation, action, result, reflection)."
    )
    return Dimension("Answer structure (STAR)", value, rationale, records, asked=len(questions))


def _coding(questions: list[AskedQuestion]) -> Dimension:
    """Correctness from the tests, complexity and edge cases from what was said, explanation while coding."""
    values, parts, evidence = [], [], []
    records: list[AnswerRecord] = []
    for question in questions:
        assert question.coding is not None
        submits = [r for r in question.coding.runs if r.kind == "submit" and not r.runner_failed]
        best = max(submits, key=lambda r: r.passed / max(1, r.total), default=None)
        correctness = best.passed / max(1, best.total) if best else 0.0
        said = [a for a in question.answers if a.substantive]
        records += said
        coverage = {c.point: c for a in said if a.assessment for c in a.assessment.coverage}
        complexity = any(c.covered for p, c in coverage.items() if "complexity" in p)
        edge_cases = any(c.covered for p, c in coverage.items() if "edge cases" in p)
        explained = min(1.0, len(said) / 2)
        value = 0.55 * correctness + 0.15 * complexity + 0.1 * edge_cases + 0.2 * explained
        values.append(max(0.0, value - 0.05 * question.hints))
        if best:
            evidence.append(best.summary)
            parts.append(f"best submission passed {best.passed}/{best.total} tests")
        else:
            parts.append("no submission")
        failed = sum(1 for r in question.coding.runs if r.runner_failed)
        if failed:
            parts.append(f"{failed} run(s) failed on our side and were not counted")
        if question.hints:
            parts.append(f"{question.hints} hint(s) used")
    rationale = ("Judged on tests passed, stating the complexity, handling edge cases and explaining while coding: "
                 + "; ".join(parts) + ".")
    return Dimension("Coding", sum(values) / len(values), rationale, records, evidence, asked=len(questions))


def dimensions(state: ConductorState) -> list[Dimension]:
    """Every dimension this interview can score (those with no questions asked are left out)."""
    asked = asked_questions(state)
    technical = ("technical", "system_design")
    core = [q for q in asked if q.phase == "technical" or (q.source == "job" and q.draft.kind in technical)]
    experience = [q for q in asked if q.phase in ("greeting", "experience") and q not in core]
    behavioral = [q for q in asked if q.phase == "behavioral"]
    stories = [q for q in asked if q.source in STORY_SOURCES or q.draft.kind in ("behavioral", "situational")]
    stories = [q for q in stories if q.source != "intro"]
    dims = [
        _grade_dimension("Technical knowledge", core, "core topic questions"),
        _problem_solving(asked),
        _communication(asked),
        _grade_dimension("Experience and relevance", experience, "questions about background and experience"),
    ]
    coding = [q for q in state.questions if q.coding is not None]
    if coding:
        dims.append(_coding(coding))
    if behavioral:
        dims.append(_grade_dimension("Behavioral competencies", behavioral, "behavioral questions"))
    if behavioral or any(q.phase == "experience" for q in stories):
        dims.append(_star(stories))
    return [d for d in dims if d.asked > 0]


def overall(dims: list[Dimension]) -> int:
    """The 0-100 score: the dimensions' values weighted."""
    total = sum(DIMENSION_WEIGHTS[d.name] for d in dims) or 1.0
    return round(100 * sum(DIMENSION_WEIGHTS[d.name] * d.value for d in dims) / total)


def recommendation(score: int, *, substantive: int) -> str:
    """The verdict for a score; too few substantive answers give insufficient_data instead."""
    if substantive < MIN_SUBSTANTIVE_ANSWERS:
        return "insufficient_data"
    return next(label for floor, label in RECOMMENDATIONS if score >= floor)

"""Builds the feedback report from the conductor's record of the interview.

Evidence or nothing: every score cites verbatim spans of the candidate's answers, every quote
is checked against the transcript before the report is returned, and too little substance gives
`insufficient_data` instead of a verdict.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mockroom.brains.base import Assessment, Brain
from mockroom.interviews.conductor import AnswerRecord, AskedQuestion, ConductorState
from mockroom.text import signals
from mockroom.text.sentences import filler_count, sentences, words

MIN_SUBSTANTIVE_ANSWERS = 3
INSUFFICIENT_SCORE_CAP = 20
_NON_SUBSTANTIVE = ("no_answer", "gibberish", "off_topic")
_RECOMMENDATIONS = ((75, "strong_hire"), (60, "hire"), (40, "lean_no"), (0, "no"))
_DIMENSION_WEIGHTS = {
    "Technical knowledge": 0.3,
    "Problem solving": 0.2,
    "Communication": 0.15,
    "Experience and relevance": 0.1,
    "Behavioral competencies": 0.15,
    "Answer structure (STAR)": 0.1,
    "Coding": 0.3,
}


@dataclass
class _Dimension:
    name: str
    value: float
    rationale: str
    evidence: list[str] = field(default_factory=list)
    answers: int = 0
    asked: int = 0

    @property
    def score(self) -> int:
        if self.answers == 0:
            return 1
        return max(1, min(5, 1 + round(self.value * 4)))


def is_substantive(record: AnswerRecord) -> bool:
    """An answer with real content: not empty, gibberish, off-topic or one or two words."""
    if record.assessment is None or record.intent != "answer":
        return False
    quality = record.assessment["quality"]
    return quality not in _NON_SUBSTANTIVE and len(words(record.text)) >= 3


def build_report(
    *, state: ConductorState, transcript: list[str], interview_id: str, brain: Brain | None = None
) -> dict[str, Any]:
    """The report in the v1 shape, every quote verified against the candidate's messages.

    Scores, evidence and guards are computed here in code; a brain may only rewrite the summary. The appendix on
    voice latency is not part of it: it is read from the transcript each time the report is (`service.current_report`).
    """
    questions = [q for q in state.questions if q.answers or q.skipped]
    answers = [a for q in state.questions for a in q.answers]
    substantive = [a for a in answers if is_substantive(a)]
    dims = _dimensions(state)
    scored = [d for d in dims if d.asked > 0]
    weight_total = sum(_DIMENSION_WEIGHTS[d.name] for d in scored) or 1.0
    overall = round(100 * sum(_DIMENSION_WEIGHTS[d.name] * d.value for d in scored) / weight_total)
    insufficient = len(substantive) < MIN_SUBSTANTIVE_ANSWERS
    if insufficient:
        overall = min(overall, INSUFFICIENT_SCORE_CAP)
        recommendation = "insufficient_data"
    else:
        recommendation = next(label for floor, label in _RECOMMENDATIONS if overall >= floor)
    report: dict[str, Any] = {
        "interview_id": interview_id,
        "overall_score": int(overall),
        "recommendation": recommendation,
        "insufficient_data": insufficient,
        "summary": _summary(state, overall, recommendation, len(substantive)),
        "dimensions": [
            {"name": d.name, "score": d.score, "rationale": d.rationale, "evidence": d.evidence[:3]} for d in scored
        ],
        "strengths": _strengths(state),
        "improvements": _improvements(state),
        "questions": [_question_entry(q) for q in questions],
        "analytics": _analytics(state, answers, substantive),
        "notes": list(state.notes),
        "brains": _brains_used(state),
        "generated_at": datetime.now(UTC).isoformat(),
    }
    report = verify_quotes(report, transcript)
    if brain is not None:
        facts = {
            "overall_score": report["overall_score"], "recommendation": recommendation,
            "dimensions": {d["name"]: d["score"] for d in report["dimensions"]},
            "strengths": [s["text"] for s in report["strengths"]][:3],
            "improvements": [i["text"] for i in report["improvements"]][:3],
        }
        written = None if insufficient else brain.summarise(context=state.interview_context, facts=facts)
        if written:
            report["summary"] = written
            report["summary_by"] = brain.name
    return report


def _brains_used(state: ConductorState) -> dict[str, list[str]]:
    """Which brain wrote the questions and which judged the answers."""
    questions = sorted({q.draft.get("brain", "embedded") for q in state.questions}) or ["embedded"]
    judged = sorted(
        {a.assessment.get("brain", "embedded") for q in state.questions for a in q.answers if a.assessment}
    )
    return {"questions": questions, "assessments": judged or ["embedded"]}


def verify_quotes(report: dict[str, Any], transcript: list[str]) -> dict[str, Any]:
    """Drops any quote that is not verbatim in one of the candidate's messages."""

    def real(quotes: list[str]) -> list[str]:
        return [q for q in quotes if q and any(q in message for message in transcript)]

    for dimension in report["dimensions"]:
        dimension["evidence"] = real(dimension["evidence"])
    for key in ("strengths", "improvements"):
        report[key] = [item for item in report[key] if (item.update(evidence=real(item["evidence"])) or True)]
        report[key] = [item for item in report[key] if item["evidence"]]
    return report


def _assessed(records: list[AnswerRecord]) -> list[tuple[AnswerRecord, Assessment]]:
    return [(r, Assessment.from_dict(r.assessment)) for r in records if r.assessment is not None]


def _question_coverage(question: AskedQuestion) -> tuple[float, list[str], list[str]]:
    """Share of the question's rubric covered across the main answer and its follow-ups, with the spans."""
    points = question.draft["key_points"]
    covered: dict[str, str] = {}
    for record, assessment in _assessed(question.answers):
        if not is_substantive(record):
            continue
        for coverage in assessment.coverage:
            if coverage.covered and coverage.span and coverage.point in points:
                covered.setdefault(coverage.point, coverage.span)
    fraction = len(covered) / len(points) if points else 0.0
    fraction = max(0.0, fraction - 0.15 * question.hints)
    missed = [p for p in points if p not in covered]
    return fraction, list(covered.values()), missed


def _dimensions(state: ConductorState) -> list[_Dimension]:
    asked = [q for q in state.questions if q.answers or q.skipped or (q.coding and q.coding["runs"])]
    core = [q for q in asked if q.phase == "technical"]
    experience = [q for q in asked if q.phase in ("greeting", "experience")]
    behavioral = [q for q in asked if q.phase == "behavioral"]
    all_records = [a for q in asked for a in q.answers if a.assessment is not None]
    dims = [
        _coverage_dimension("Technical knowledge", core, "core topic questions"),
        _problem_solving(asked),
        _communication(all_records, asked=len(asked)),
        _coverage_dimension("Experience and relevance", experience, "questions about background and experience"),
    ]
    coding = [q for q in state.questions if q.coding is not None]
    if coding:
        dims.append(_coding(coding))
    if behavioral:
        dims.append(_coverage_dimension("Behavioral competencies", behavioral, "behavioral questions"))
        dims.append(_star([q for q in asked if q.draft.get("kind") == "behavioral" and q.source != "intro"]))
    return dims


def _coverage_dimension(name: str, questions: list[AskedQuestion], what: str) -> _Dimension:
    answered = [q for q in questions if any(is_substantive(a) for a in q.answers)]
    if not questions:
        return _Dimension(name, 0.0, f"Not assessed: this interview asked no {what}; not part of the overall score.")
    if not answered:
        return _Dimension(
            name, 0.0, f"No substantive answers to {what}, so there is no evidence to score.", asked=len(questions)
        )
    fractions, evidence = [], []
    for question in questions:
        fraction, spans, _ = _question_coverage(question)
        fractions.append(fraction)
        evidence += spans
    value = sum(fractions) / len(fractions) if fractions else 0.0
    rationale = (
        f"Across {len(questions)} {what}, answers covered {round(value * 100)}% of the key points"
        f" ({len(answered)} answered with substance)."
    )
    return _Dimension(name, value, rationale, evidence, answers=len(answered), asked=len(questions))


def _problem_solving(asked: list[AskedQuestion]) -> _Dimension:
    relevant = [q for q in asked if q.source != "intro"]
    records = [a for q in relevant for a in q.answers if is_substantive(a)]
    if not records:
        return _Dimension(
            "Problem solving", 0.0, "No substantive answers to reason about, so no evidence to score.",
            asked=len(relevant),
        )
    reasoning = [s for r in records for s in signals.reasoning_spans(r.text)]
    follow_up_records = [r for r in records if r.follow_up is not None]
    follow_up_quality = [
        Assessment.from_dict(r.assessment).covered_fraction for r in follow_up_records if r.assessment
    ]
    reasoning_rate = min(1.0, len(reasoning) / max(1, len(records)))
    coverage = sum(_question_coverage(q)[0] for q in relevant) / len(relevant)
    parts = [coverage * 0.5, reasoning_rate * 0.3]
    parts.append(0.2 * (sum(follow_up_quality) / len(follow_up_quality) if follow_up_quality else coverage))
    value = sum(parts)
    rationale = (
        f"{len(reasoning)} sentence(s) explained reasoning or trade-offs across {len(records)} answer(s); "
        f"{len(follow_up_records)} follow-up answer(s)."
    )
    evidence = reasoning or [_first_sentence(records[0].text)]
    return _Dimension("Problem solving", value, rationale, evidence, len(records), asked=len(relevant))


def _communication(records: list[AnswerRecord], *, asked: int) -> _Dimension:
    substantive = [r for r in records if is_substantive(r)]
    if not substantive:
        return _Dimension(
            "Communication", 0.0, "No substantive answers, so communication cannot be judged.", asked=asked
        )
    scores = []
    for record in substantive:
        count = len(words(record.text))
        length_score = 1.0 if 20 <= count <= 250 else (count / 20 if count < 20 else max(0.4, 250 / count))
        filler_rate = filler_count(record.text) / max(1, count)
        relevance = Assessment.from_dict(record.assessment).relevance if record.assessment else 0.0
        scores.append(0.45 * length_score + 0.25 * max(0.0, 1 - filler_rate * 10) + 0.3 * min(1.0, relevance / 0.6))
    value = sum(scores) / len(scores)
    value *= len(substantive) / max(len(substantive), len([r for r in records if r.intent == "answer"]))
    best = max(substantive, key=lambda r: (len(words(r.text)) if len(words(r.text)) <= 250 else 0))
    fillers = sum(filler_count(r.text) for r in substantive)
    rationale = (
        f"{len(substantive)} substantive answer(s), {fillers} filler word(s); judged on length, focus on the "
        "question and filler use."
    )
    return _Dimension("Communication", value, rationale, [_first_sentence(best.text)], len(substantive), asked=asked)


def _star(questions: list[AskedQuestion]) -> _Dimension:
    records = [a for q in questions for a in q.answers if is_substantive(a)]
    if not records:
        return _Dimension(
            "Answer structure (STAR)", 0.0, "No substantive behavioral answers to judge structure.",
            asked=len(questions),
        )
    elements_found: list[int] = []
    evidence: list[str] = []
    for record in records:
        found = signals.star_spans(record.text)
        present = [name for name in ("situation", "action", "result", "reflection") if found[name]]
        elements_found.append(len(present))
        evidence += [found[name][0] for name in present]
    value = sum(elements_found) / (4 * len(records))
    rationale = (
        f"Behavioral answers showed on average {sum(elements_found) / len(records):.1f} of 4 STAR elements "
        "(situation, action, result, reflection)."
    )
    return _Dimension("Answer structure (STAR)", value, rationale, evidence, len(records), asked=len(questions))


def _coding(questions: list[AskedQuestion]) -> _Dimension:
    """Correctness from the tests, complexity and edge cases from what was said, explanation while coding."""
    values, evidence, parts = [], [], []
    for question in questions:
        assert question.coding is not None
        submits = [r for r in question.coding["runs"] if r["kind"] == "submit"]
        best = max(submits, key=lambda r: r["passed"] / max(1, r["total"]), default=None)
        correctness = best["passed"] / max(1, best["total"]) if best else 0.0
        said = [a for a in question.answers if is_substantive(a)]
        coverage = {c.point: c for a in said if a.assessment for c in Assessment.from_dict(a.assessment).coverage}
        complexity = any(c.covered for p, c in coverage.items() if "complexity" in p)
        edge_cases = any(c.covered for p, c in coverage.items() if "edge cases" in p)
        explained = min(1.0, len(said) / 2)
        value = 0.55 * correctness + 0.15 * complexity + 0.1 * edge_cases + 0.2 * explained
        value = max(0.0, value - 0.05 * question.hints)
        values.append(value)
        if best:
            evidence.append(best["summary"])
            parts.append(f"best submission passed {best['passed']}/{best['total']} tests")
        else:
            parts.append("no submission")
        spans = [c.span for c in coverage.values() if c.covered and c.span][:2]
        evidence += spans or [_first_sentence(said[0].text)] if said else spans
        if question.hints:
            parts.append(f"{question.hints} hint(s) used")
    answered = sum(1 for q in questions if q.coding and q.coding["runs"]) + sum(
        1 for q in questions if any(is_substantive(a) for a in q.answers)
    )
    rationale = (
        "Judged on tests passed, stating the complexity, handling edge cases and explaining while coding: "
        + "; ".join(parts) + "."
    )
    return _Dimension("Coding", sum(values) / len(values), rationale, evidence, answers=answered,
                      asked=len(questions))


def _strengths(state: ConductorState) -> list[dict[str, Any]]:
    items = []
    for question in state.questions:
        fraction, spans, _ = _question_coverage(question)
        if fraction >= 0.6 and spans:
            items.append({"text": f"Strong answer to: {question.draft['text']}", "evidence": spans[:2]})
    return items[:5]


def _improvements(state: ConductorState) -> list[dict[str, Any]]:
    items = []
    for question in state.questions:
        answered = [a for a in question.answers if a.intent == "answer" and a.text]
        if not answered:
            continue
        fraction, _, missed = _question_coverage(question)
        if missed and fraction < 0.6:
            items.append({
                "text": f"Missed key points on: {question.draft['text']}",
                "evidence": [_first_sentence(answered[0].text)],
                "suggestion": "Cover: " + "; ".join(missed[:3]) + ". Compare with the model answer.",
            })
    heavy = [a for q in state.questions for a in q.answers if a.text and filler_count(a.text) >= 3]
    if heavy:
        items.append({
            "text": "Filler words weaken otherwise clear answers.",
            "evidence": [_filler_sentence(heavy[0].text)],
            "suggestion": "Pause silently instead of saying 'um' or 'basically'; lead with the answer, then explain.",
        })
    behavioral = [a for q in state.questions if q.phase == "behavioral" for a in q.answers if is_substantive(a)]
    no_result = [a for a in behavioral if not signals.star_spans(a.text)["result"]]
    if no_result:
        items.append({
            "text": "Behavioral answers did not end with a clear result.",
            "evidence": [_first_sentence(no_result[0].text)],
            "suggestion": "Close each story with the outcome: a number, a deadline met or what changed.",
        })
    return items[:6]


def _question_entry(question: AskedQuestion) -> dict[str, Any]:
    answers = [a for a in question.answers if a.intent in ("answer", "dont_know", "skip")]
    main = next((a for a in answers if a.text), None)
    fraction, _, missed = _question_coverage(question)
    if question.skipped and not main:
        summary, assessment = "Skipped.", "Skipped at the candidate's request."
    elif main is None or not any(is_substantive(a) for a in answers):
        summary = _summarise(main.text) if main else "No answer given."
        assessment = "No substantive answer."
    else:
        summary = _summarise(main.text)
        quality = main.assessment["quality"] if main.assessment else "unassessed"
        assessment = f"{quality.capitalize()}: covered {round(fraction * 100)}% of the key points."
        if missed:
            assessment += " Missed: " + "; ".join(missed) + "."
    return {
        "number": question.number,
        "phase": question.phase,
        "question": question.draft["text"],
        "follow_ups": [f["text"] for f in question.follow_ups],
        "answer_summary": summary,
        "assessment": assessment,
        "model_answer": question.draft["model_answer"],
        "hints_used": question.hints,
        "brain": question.draft.get("brain", "embedded"),
        "score": round(fraction * 5, 1),
    }


def _analytics(
    state: ConductorState, answers: list[AnswerRecord], substantive: list[AnswerRecord]
) -> dict[str, Any]:
    texts = [a.text for a in answers if a.text]
    total_words = sum(len(words(t)) for t in texts)
    timed = [a for a in answers if a.duration_seconds and a.text]
    wpm = None
    if timed:
        seconds = sum(a.duration_seconds or 0 for a in timed)
        wpm = round(sum(len(words(a.text)) for a in timed) / (seconds / 60), 1) if seconds >= 1 else None
    answered_questions = sum(1 for q in state.questions if any(is_substantive(a) for a in q.answers))
    return {
        "answered": answered_questions,
        "questions_asked": len(state.questions),
        "substantive_answers": len(substantive),
        "words": total_words,
        "filler_words": sum(filler_count(t) for t in texts),
        "words_per_minute": wpm,
        "average_answer_words": round(total_words / len(texts), 1) if texts else 0,
        "hints_used": sum(q.hints for q in state.questions),
        "skipped": sum(1 for q in state.questions if q.skipped),
        "duration_seconds": round((state.ended_at or state.started_at) - state.started_at, 1),
    }


def _summary(state: ConductorState, overall: int, recommendation: str, substantive: int) -> str:
    topic = state.context["topic"]
    if recommendation == "insufficient_data":
        return (
            f"Not enough data: only {substantive} substantive answer(s) in this {topic} interview, so no verdict "
            "is given. Answer at least three questions in full sentences to get a scored report."
        )
    return (
        f"Overall {overall}/100 on {topic} at {state.context['level']} level, from {substantive} substantive "
        f"answer(s) to {len(state.questions)} question(s)."
    )


def _first_sentence(text: str) -> str:
    found = sentences(text)
    return found[0] if found else text.strip()


def _filler_sentence(text: str) -> str:
    return next((s for s in sentences(text) if filler_count(s)), _first_sentence(text))


def _summarise(text: str) -> str:
    found = sentences(text)
    summary = " ".join(found[:2]) if found else text
    return summary if len(summary) <= 300 else summary[:297].rsplit(" ", 1)[0] + "..."

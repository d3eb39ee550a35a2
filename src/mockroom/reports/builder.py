"""Builds the feedback report from the conductor's record of the interview.

Evidence or nothing: every score cites verbatim spans of the candidate's answers, every quote is checked against
the transcript before the report is returned, and too little substance gives `insufficient_data` instead of a
verdict. Scores come from `reports/scoring.py`; this module writes what a coach would say about them.
"""

import re
from datetime import UTC, datetime
from typing import Any

from mockroom.brains.base import Brain
from mockroom.cv.injection import looks_like_instruction
from mockroom.reports import scoring
from mockroom.reports.scoring import Dimension, answer_grade, plural, question_grade
from mockroom.text import anchors, signals
from mockroom.text.sentences import filler_count, sentences, words
from mockroom.vocabulary import AnswerRecord, AskedQuestion, ConductorState

MIN_QUOTE_WORDS = 5
# Below this coverage probability a key point is reported as not heard (the classifier's recall is about 0.7, so a
# point it calls uncovered may still have been made in other words; only clear misses are listed).
UNHEARD_PROBABILITY = 0.25
MAX_QUOTE_WORDS = 45
_VERDICT = {
    "strong_hire": "A strong interview",
    "hire": "A solid interview",
    "lean_no": "A mixed interview",
    "no": "A difficult interview",
}
_RECOMMENDATION_WORDS = {
    "strong_hire": "a strong hire", "hire": "a hire", "lean_no": "a lean no", "no": "a no",
}


def build_report(
    *, state: ConductorState, transcript: list[str], interview_id: str, brain: Brain | None = None
) -> dict[str, Any]:
    """The report in the v1 shape, every quote verified against the candidate's messages.

    Scores, evidence and guards are computed in code; a brain may only rewrite the summary. The appendix on voice
    latency is not part of it: it is read from the transcript each time the report is (`service.current_report`).
    """
    answers = [a for q in state.questions for a in q.answers]
    substantive = [a for a in answers if a.substantive]
    dims = scoring.dimensions(state)
    score = scoring.overall(dims)
    recommendation = scoring.recommendation(score, substantive=len(substantive))
    insufficient = recommendation == "insufficient_data"
    if insufficient:
        score = min(score, scoring.INSUFFICIENT_SCORE_CAP)
    strengths = _strengths(state)
    improvements = _improvements(state, transcript)
    report: dict[str, Any] = {
        "interview_id": interview_id,
        "overall_score": int(score),
        "recommendation": recommendation,
        "insufficient_data": insufficient,
        "summary": "",
        "dimensions": _dimensions_out(dims),
        "coaching": {d.name: d.coaching or _COACHING.get(d.name, "") for d in dims},
        "strengths": strengths,
        "improvements": improvements,
        "questions": [_question_entry(q) for q in state.questions if q.answers or q.skipped],
        "analytics": _analytics(state, answers, substantive),
        "notes": list(state.notes),
        "brains": _brains_used(state),
        "generated_at": datetime.now(UTC).isoformat(),
    }
    report = verify_quotes(report, transcript)
    report["summary"] = _summary(state, report, len(substantive), transcript)
    if brain is not None and not insufficient:
        facts = {
            "overall_score": report["overall_score"], "recommendation": recommendation,
            "dimensions": {d["name"]: d["score"] for d in report["dimensions"]},
            "strengths": [s["text"] for s in report["strengths"]][:3],
            "improvements": [i["text"] for i in report["improvements"]][:3],
        }
        written = brain.summarise(context=state.context, facts=facts)
        if written:
            report["summary"] = written
            report["summary_by"] = brain.name
    return report


def _dimensions_out(dims: list[Dimension]) -> list[dict[str, Any]]:
    """The dimensions with their evidence, each quote used by one dimension only where others are at hand."""
    used: set[str] = set()
    result = []
    for dimension in dims:
        candidates = _evidence(dimension, limit=6)
        fresh = [q for q in candidates if q not in used]
        evidence = (fresh + [q for q in candidates if q in used])[:3]
        used.update(evidence)
        result.append({"name": dimension.name, "score": dimension.score, "rationale": dimension.rationale,
                       "evidence": evidence})
    return result


def _brains_used(state: ConductorState) -> dict[str, list[str]]:
    """Which brain wrote the questions and which judged the answers."""
    questions = sorted({q.draft.brain for q in state.questions}) or ["embedded"]
    judged = sorted({a.assessment.brain for q in state.questions for a in q.answers if a.assessment})
    return {"questions": questions, "assessments": judged or ["embedded"]}


def verify_quotes(report: dict[str, Any], transcript: list[str]) -> dict[str, Any]:
    """Drops any quote that is not verbatim in one of the candidate's messages."""

    def real(quotes: list[str]) -> list[str]:
        return [q for q in quotes if q and any(q in message for message in transcript)]

    for dimension in report["dimensions"]:
        dimension["evidence"] = real(dimension["evidence"])
    for key in ("strengths", "improvements"):
        for item in report[key]:
            item["evidence"] = real(item["evidence"])
        report[key] = [item for item in report[key] if item["evidence"]]
    return report


def meaningful(quote: str) -> bool:
    """A quote worth showing: a real statement of some length, not 'Yes.' or 'Hmm.'."""
    count = len(words(quote))
    return MIN_QUOTE_WORDS <= count <= MAX_QUOTE_WORDS and filler_count(quote) < count / 3


def _record_quotes(record: AnswerRecord) -> list[str]:
    """The record's best quotes, most telling first: specific, reasoned sentences over general or hedged ones."""
    quotes = []
    if record.assessment:
        quotes += [c.span for c in record.assessment.coverage if c.covered and c.span]
    quotes += signals.concrete_spans(record.text) + signals.reasoning_spans(record.text)
    unique = [q for q in dict.fromkeys(quotes) if meaningful(q) and q in record.text]
    return sorted(unique, key=_telling, reverse=True)


def _telling(quote: str) -> float:
    """How much a quote shows: names, numbers, the candidate's own actions and reasons; hedges and negatives less."""
    names = [n for n in signals.named_things(quote) if not n.replace(".", "").isdigit()]
    return (1.5 * min(len(names), 3) + 1.5 * min(signals.count("number", quote), 2)
            + 1.0 * min(signals.count("first_person_action", quote), 2) + 1.0 * min(signals.count("reasoning", quote), 2)
            - 1.5 * signals.count("hedge", quote) - 1.0 * signals.count("vague", quote)
            - 1.0 * bool(re.search(r"\b(?:wasn'?t|didn'?t|not very|no idea|not sure)\b", quote, re.IGNORECASE)))


def _evidence(dimension: Dimension, limit: int = 3) -> list[str]:
    """Up to three different quotes for a dimension, from its best answers, one per answer where possible."""
    if dimension.evidence:
        return list(dict.fromkeys(dimension.evidence))[:limit]
    if dimension.name == "Answer structure (STAR)":
        story_parts = []
        for record in dimension.records:
            found = signals.star_spans(record.text)
            story_parts += [s for n in ("situation", "action", "result", "reflection") for s in found[n][:1]]
        return [q for q in dict.fromkeys(story_parts) if meaningful(q)][:limit]
    if dimension.name == "Problem solving":
        ranked = sorted(dimension.records, key=answer_grade, reverse=True)
        reasons = [s for r in ranked for s in signals.reasoning_spans(r.text)]
        picked = sorted((q for q in dict.fromkeys(reasons) if meaningful(q)), key=_telling, reverse=True)[:limit]
        if picked:
            return picked
    ranked = sorted(dimension.records, key=answer_grade, reverse=True)
    per_answer = [_record_quotes(r) for r in ranked]
    chosen: list[str] = []
    for round_ in range(limit):
        for quotes in per_answer:
            if round_ < len(quotes) and quotes[round_] not in chosen and len(chosen) < limit:
                chosen.append(quotes[round_])
    if not chosen:
        chosen = [s for r in ranked for s in sentences(r.text) if meaningful(s)][:1]
    return chosen


def _short(question_text: str, limit: int = 110) -> str:
    """A question shortened for a headline: its question sentence (with the lead-in when that says what it is
    about), cut at a word boundary."""
    parts = sentences(question_text)
    asking = [s for s in parts if s.endswith("?")]
    text = asking[-1] if asking else question_text
    if len(words(text)) < 12 and len(parts) > 1:
        text = question_text
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _strengths(state: ConductorState) -> list[dict[str, Any]]:
    items = []
    graded = [(question_grade(q), q) for q in state.questions]
    for grade, question in sorted(((g, q) for g, q in graded if g is not None and round(g, 1) >= 4.0),
                                  key=lambda item: -item[0]):
        records = sorted([a for a in question.answers if a.substantive], key=answer_grade, reverse=True)
        quotes = [q for r in records for q in _record_quotes(r)][:2]
        if not quotes:
            continue
        items.append({"text": f"Strong answer ({grade:.1f}/5) to \"{_short(question.draft.text)}\": "
                              f"{_what_made_it_strong(records[0].text)}.", "evidence": quotes})
    return items[:5]


def _what_made_it_strong(answer: str) -> str:
    """What a strong answer did, in a few words of its own: the names it used, its figures, its reasons."""
    names = [n for n in signals.named_things(answer) if not n.replace(".", "").replace(",", "").isdigit()][:2]
    parts = []
    if names:
        parts.append("precise about " + " and ".join(names))
    if signals.count("number", answer) >= 2:
        parts.append("backed by figures")
    if len(signals.reasoning_spans(answer)) >= 2:
        parts.append("clear on why")
    if signals.count("first_person_action", answer) >= 2:
        parts.append("about what you did yourself")
    if not parts:
        return "correct and to the point"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _improvements(state: ConductorState, transcript: list[str]) -> list[dict[str, Any]]:
    items = []
    weak = []
    for question in state.questions:
        attempts = [a for a in question.answers if a.intent == "answer" and a.text]
        grade = question_grade(question)
        if attempts and (grade is None or grade < 3.2) and question.coding is None:
            weak.append((grade or 1.0, question, attempts))
    for grade, question, attempts in sorted(weak, key=lambda item: item[0])[:3]:
        best = max(attempts, key=answer_grade)
        quote = next((s for s in sentences(best.text) if meaningful(s)), None)
        if quote is None:
            continue
        elsewhere = _off_topic(best)
        how = "was about something else" if elsewhere else (
            f"stayed thin ({grade:.1f}/5)" if round(grade, 1) < _ADEQUATE_LABEL else f"could have gone further ({grade:.1f}/5)"
        )
        items.append({
            "text": f"The answer to \"{_short(question.draft.text)}\" {how}.",
            "evidence": [quote],
            "suggestion": _suggestion(question, best),
        })
    answers = [a for q in state.questions for a in q.answers if a.substantive]
    vague_answers = [a for a in answers if signals.count("vague", a.text) >= 2 and signals.count("number", a.text) == 0]
    vague = [s for a in vague_answers for s in sentences(a.text) if signals.count("vague", s) and meaningful(s)
             and len([n for n in signals.named_things(s) if not n.isdigit()]) <= 1]
    if len(vague_answers) >= 2 and vague:
        sentence = max(vague, key=lambda s: signals.count("vague", s))
        items.append({
            "text": "General phrases stood in for specifics in several answers.",
            "evidence": [sentence],
            "suggestion": "Replace phrases like these with what you actually did: one named system, decision or "
                          "number from your own work says more than a general principle.",
        })
    hedged = [a for a in answers if signals.count("hedge", a.text) >= 2]
    if len(hedged) >= 2:
        unsure = next((s for s in sentences(hedged[0].text) if signals.count("hedge", s) and meaningful(s)), None)
        if unsure:
            items.append({
                "text": "Hedging made correct points sound unsure.",
                "evidence": [unsure],
                "suggestion": "Say what you know plainly, then name the one thing you would check; phrases like "
                              "\"I think\" and \"maybe\" undersell an answer that is right.",
            })
    instructions = [s for text in transcript for s in sentences(text) if looks_like_instruction(s)]
    repeated = sum(1 for note in state.notes if "was repeated" in note)
    if instructions or repeated:
        items.insert(0, {
            "text": "Some messages tried to steer the interviewer or repeated an earlier answer; they were ignored and "
                    "earned nothing.",
            "evidence": instructions[:1] or _repeated_sentence(transcript),
            "suggestion": "Spend every turn on the question asked: a plain, partial answer scores; instructions to the "
                          "interviewer and recycled answers never do.",
        })
    heavy = [a for a in answers if filler_count(a.text) >= 3]
    if heavy:
        sentence = next((s for s in sentences(heavy[0].text) if filler_count(s) and len(words(s)) >= 4), "")
        sentence = sentence or heavy[0].text.strip()
        items.append({
            "text": "Filler words weakened otherwise clear answers.",
            "evidence": [sentence],
            "suggestion": "Pause silently instead of saying 'um' or 'basically'; lead with the answer, then explain.",
        })
    no_result = [
        main for q in state.questions if q.phase == "behavioral"
        for main in [next((a for a in q.answers if a.follow_up is None and a.substantive), None)]
        if main is not None and not any(signals.star_spans(a.text)["result"] for a in q.answers if a.substantive)
    ]
    if len(no_result) >= 2 or (no_result and len(no_result) == sum(1 for q in state.questions
                                                                      if q.phase == "behavioral")):
        quote = next((s for s in sentences(no_result[0].text) if meaningful(s)), None)
        if quote:
            items.append({
                "text": "Stories stopped before the outcome.",
                "evidence": [quote],
                "suggestion": "Close each story with what changed: a number, a deadline met, or what people did "
                              "differently afterwards.",
            })
    return items[:6]


def integrity_issues(state: ConductorState, transcript: list[str]) -> list[str]:
    """What in the interview tried to game it, in plain words (for the summary and the improvements)."""
    found = []
    instructions = sum(1 for text in transcript for s in sentences(text) if looks_like_instruction(s))
    if instructions:
        found.append(f"{plural(instructions, 'instructions')} to the interviewer")
    repeated = sum(1 for note in state.notes if "was repeated" in note)
    if repeated:
        found.append(f"{plural(repeated, 'recycled answers')}")
    off_topic = sum(1 for q in state.questions for a in q.answers
                    if a.assessment and a.assessment.quality == "off_topic" and len(words(a.text)) >= 30)
    hints = sum(q.hints for q in state.questions)
    if found:
        # Only next to clear attempts to steer the interview: alone, an off-topic answer or many hints are not gaming.
        if off_topic:
            found.append(f"{plural(off_topic, 'long answers')} to a different question")
        if hints >= 3:
            found.append(f"{hints} hints")
    return found


def _repeated_sentence(transcript: list[str]) -> list[str]:
    """The first sentence of a message the candidate sent more than once, if any."""
    twice = [text for text in transcript if transcript.count(text) > 1 and len(words(text)) >= 5]
    return [next((s for s in sentences(twice[0]) if meaningful(s)), twice[0])] if twice else []


_INTRO_PARTS = (
    ("background", "your current role in one sentence"), ("concrete", "one result of your own with a number"),
    ("goals", "what you want to do next and why this kind of role fits"),
)
# The labels a question's grade gets in the report ("Strong (4.2/5)"), on the grade rounded to one decimal.
_STRONG_LABEL = 4.0
_ADEQUATE_LABEL = 3.0


def _suggestion(question: AskedQuestion, record: AnswerRecord) -> str:
    """What to add, said in the context of the candidate's own answer, with a concrete illustration."""
    missed = [c.point for c in record.assessment.coverage if not c.covered] if record.assessment else []
    said = next((anchors.echo(s) for s in sentences(record.text) if anchors.echo(s)), None)
    if _off_topic(record):
        # Building on an answer to another question would coach the candidate away from this one.
        opening = "Answer the question asked before anything else; a good answer elsewhere earns nothing here."
    else:
        opening = f"{said[:-1]}; build on that." if said else "Start from your own experience."
    if question.draft.ref == "intro":
        # The opening is not a story: what it lacks is one of the parts of a good introduction.
        shown = {question.draft.signals.get(c.point) for c in record.assessment.coverage if c.covered} \
            if record.assessment else set()
        parts = [label for name, label in _INTRO_PARTS if name not in shown] or [
            f"a sentence on the hands-on work in {question.draft.topic or 'the field'} you are proudest of"
        ]
        return f"{opening} Add {_join(parts)}."
    if question.draft.kind == "behavioral":
        star = signals.star_spans(record.text)
        gaps = [label for name, label in (("situation", "the situation"), ("action", "what you did yourself"),
                                          ("result", "the outcome"), ("reflection", "what you learned"))
                if not star[name]]
        if gaps:
            return f"{opening} Tell it as one specific story and add {_join(gaps)}."
    if question.draft.kind == "situational":
        return (f"{opening} Walk through the steps you would take, in order, with the reason for each and how you'd "
                "know it had worked.")
    illustration = _model_sentence(question, missed[0]) if missed else None
    if illustration:
        return f"{opening} A stronger answer would also cover something like: \"{illustration}\""
    return f"{opening} Add one concrete example and the reason behind your approach."


def _off_topic(record: AnswerRecord) -> bool:
    """Whether the answer was judged to be about something other than the question."""
    return record.assessment is not None and record.assessment.quality == "off_topic"


def _model_sentence(question: AskedQuestion, point: str) -> str | None:
    """The sentence of the model answer that best illustrates a key point (by shared words)."""
    point_words = set(signals.content_words(point))
    best, best_overlap = None, 0
    for sentence in sentences(question.draft.model_answer):
        overlap = len(point_words & set(signals.content_words(sentence)))
        if overlap > best_overlap and 5 <= len(words(sentence)) <= 40:
            best, best_overlap = sentence, overlap
    return best


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _question_entry(question: AskedQuestion) -> dict[str, Any]:
    answers = [a for a in question.answers if a.intent in ("answer", "dont_know", "skip")]
    main = next((a for a in answers if a.follow_up is None and a.substantive), None)
    if main is None:
        substantive = sorted((a for a in answers if a.substantive), key=answer_grade, reverse=True)
        main = substantive[0] if substantive else next((a for a in answers if a.text), None)
    grade = question_grade(question)
    heard: dict[str, float] = {}
    for answer in question.answers:
        if answer.substantive and answer.assessment:
            for coverage in answer.assessment.coverage:
                likely = 1.0 if coverage.covered else coverage.similarity
                heard[coverage.point] = max(heard.get(coverage.point, 0.0), likely)
    # Only points the assessor is fairly sure were not made: a point made in other words must not be listed.
    missed = [p for p in question.draft.key_points if heard.get(p, 0.0) < UNHEARD_PROBABILITY]
    if question.skipped and not main:
        summary, assessment = "Skipped.", "Skipped at the candidate's request."
    elif main is None or grade is None:
        summary = _summarise(main.text) if main else "No answer given."
        # "No substantive answer" would misreport a full answer judged to be about something else.
        elsewhere = main is not None and _off_topic(main)
        assessment = "Judged to be about something else, not this question." if elsewhere else "No substantive answer."
    else:
        summary = _summarise(main.text)
        shown = round(grade, 1)
        label = "Strong" if shown >= _STRONG_LABEL else "Adequate" if shown >= _ADEQUATE_LABEL else "Weak"
        assessment = f"{label} ({shown:.1f}/5)."
        if missed and shown < _STRONG_LABEL:
            assessment += " Points I did not hear: " + "; ".join(missed) + "."
    return {
        "number": question.number,
        "phase": question.phase,
        "question": question.draft.text,
        "follow_ups": [f.text for f in question.follow_ups],
        "answer_summary": summary,
        "assessment": assessment,
        "model_answer": without_role_lead_in(question.draft.model_answer),
        "hints_used": question.hints,
        "brain": question.draft.brain,
        "score": round(grade, 1) if grade is not None else 0.0,
    }


_ROLE_LEAD_IN = re.compile(
    r"^As (?:an? |the )?(?:[\w-]+ ){0,5}?(?:analyst|manager|engineer|director|lead|head|president|officer|nurse|"
    r"teacher|designer|developer|consultant|specialist|coordinator|representative|executive|owner|founder|agent|"
    r"scientist|accountant|architect|administrator|supervisor|partner|associate|student|intern)\b[^,.]{0,60}, ",
    re.IGNORECASE,
)


def without_role_lead_in(model_answer: str) -> str:
    """A model answer without a lead-in naming someone else's job ("As head of marketing at a retailer, I ..."),
    so it reads as advice for this candidate rather than a stranger's CV."""
    stripped = _ROLE_LEAD_IN.sub("", model_answer.strip(), count=1)
    return stripped[:1].upper() + stripped[1:] if stripped != model_answer.strip() else model_answer


def _analytics(state: ConductorState, answers: list[AnswerRecord], substantive: list[AnswerRecord]) -> dict[str, Any]:
    texts = [a.text for a in answers if a.text]
    total_words = sum(len(words(t)) for t in texts)
    timed = [a for a in answers if a.duration_seconds and a.text]
    wpm = None
    if timed:
        seconds = sum(a.duration_seconds or 0 for a in timed)
        wpm = round(sum(len(words(a.text)) for a in timed) / (seconds / 60), 1) if seconds >= 1 else None
    return {
        "answered": sum(1 for q in state.questions if scoring.answered(q)),
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


def _summary(state: ConductorState, report: dict[str, Any], substantive: int, transcript: list[str]) -> str:
    """Three or four sentences a coach would say: the verdict, the strongest and weakest areas with evidence, the
    next step."""
    topic, level = state.context.topic, state.context.level
    recommendation = report["recommendation"]
    if recommendation == "insufficient_data":
        return (
            f"Not enough data: only {substantive} substantive answer(s) in this {topic} interview, so no verdict is "
            "given. Answer at least three questions in full sentences, on the question asked, to get a scored report."
        )
    asked = report["analytics"]["questions_asked"]
    parts = [f"{_VERDICT[recommendation]} on {topic} at {level} level: {report['overall_score']}/100, "
             f"{_RECOMMENDATION_WORDS[recommendation]}, from {substantive} substantive answers across {asked} "
             "questions."]
    dims = sorted(report["dimensions"], key=lambda d: d["score"])
    if dims and dims[0]["score"] == dims[-1]["score"]:
        parts.append(f"Every area scored {dims[0]['score']}/5.")
    elif dims:
        best, worst = dims[-1], dims[0]
        quote = max((q for q in best["evidence"] if len(words(q)) <= 25), key=_telling, default=None)
        sentence = f"Your strongest area was {_area(best['name'])} ({best['score']}/5)"
        parts.append(f"{sentence}, for example: \"{quote}\"" if quote and _telling(quote) > 0 else f"{sentence}.")
        if worst["score"] >= 4:
            parts.append(f"Even your lowest area, {_area(worst['name'])}, scored {worst['score']}/5.")
        else:
            coaching = report["coaching"].get(worst["name"]) or _lower_first(worst["rationale"])
            parts.append(f"Your weakest was {_area(worst['name'])} ({worst['score']}/5): {coaching}")
    gaming = integrity_issues(state, transcript)
    if gaming:
        parts.append(f"Note that the interview saw {_join(gaming)}; none of it earned credit.")
    if report["improvements"]:
        advice = _CONTEXT_LEAD.sub("", report["improvements"][0]["suggestion"])
        parts.append(f"Next time: {_lower_first(advice)}")
    elif dims:
        stretch = "the next level up" if level != "advanced" else "a neighbouring topic or a system design round"
        parts.append(f"To go further, practise {stretch} and keep backing each point with something you did "
                     "yourself.")
    text = " ".join(p if p.endswith((".", "\"", "?", "!")) else p + "." for p in parts)
    return text.replace(".\".", ".\"")


_COACHING = {
    "Technical knowledge": "several core answers missed how or why things work.",
    "Problem solving": "answers rarely said why: give the reason behind each choice and the trade-off you accepted.",
    "Communication": "some answers were short, off the question or full of fillers; lead with the answer, then "
                     "explain.",
    "Experience and relevance": "the answers about your background stayed general; tie them to what you did and "
                                "what came of it.",
    "Behavioral competencies": "the stories did not show clearly what you did and how it turned out.",
    "Answer structure (STAR)": "stories lacked parts of situation, action, result and lesson.",
    "Coding": "the coding exercise did not get to a passing, explained solution.",
}


def _area(name: str) -> str:
    """A dimension's name inside a sentence: 'answer structure (STAR)', 'technical knowledge'."""
    first, _, rest = name.partition(" ")
    return f"{first.lower()} {rest}".strip() if rest else first.lower()


# A suggestion's opening that ties it to the answer ("You said X; build on that.") reads oddly in the summary.
_CONTEXT_LEAD = re.compile(r"^(?:You (?:said|mentioned) [^;]+; build on that\.|Start from your own experience\.)\s*")


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first.isupper() or (len(first) > 1 and first[1:] != first[1:].lower()):
        return text
    return text[:1].lower() + text[1:]


def _summarise(text: str) -> str:
    found = sentences(text)
    summary = " ".join(found[:2]) if found else text
    return summary if len(summary) <= 300 else summary[:297].rsplit(" ", 1)[0] + "..."

"""A user's progress: every finished interview's scores by topic and dimension over time, the improvement themes
that keep coming back, and a short practice plan (what to practise next and why)."""

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select

from mockroom.db.engine import Database
from mockroom.db.models import Interview, aware
from mockroom.questions.bank import load_bank

# Improvement headlines in reports, mapped to the theme a coach would name.
THEMES = (
    ("stayed thin", "Depth: answers that stop before the how and the why"),
    ("General phrases", "Specifics: named systems, decisions and numbers instead of general phrases"),
    ("Hedging", "Confidence: saying what you know plainly"),
    ("Filler words", "Delivery: fewer filler words"),
    ("Stories stopped before the outcome", "Stories: ending with the result"),
)
_LEVELS = ("beginner", "intermediate", "advanced")


def progress(*, db: Database, owner_id: str) -> dict[str, Any]:
    """Scores over time per topic, recurring themes and a practice plan, from the user's finished interviews."""
    with db.session() as session:
        interviews = session.scalars(
            select(Interview).where(Interview.owner_id == owner_id, Interview.status == "finished")
            .order_by(Interview.created_at)
        ).all()
        scored = [i for i in interviews if i.report and i.report.get("recommendation") != "insufficient_data"]
        by_topic: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for interview in scored:
            report = interview.report or {}
            by_topic[interview.topic].append({
                "id": interview.id,
                "date": aware(interview.created_at).isoformat(),
                "level": interview.level,
                "overall_score": report.get("overall_score", 0),
                "recommendation": report.get("recommendation"),
                "dimensions": {d["name"]: d["score"] for d in report.get("dimensions", [])},
            })
        return {
            "interviews": len(interviews),
            "scored": len(scored),
            "topics": [{"topic": topic, "points": points} for topic, points in by_topic.items()],
            "dimensions": _dimension_trends(scored),
            "themes": _themes(scored),
            "plan": _plan(scored, by_topic),
        }


def _dimension_trends(interviews: list[Interview]) -> list[dict[str, Any]]:
    """Each dimension's scores in order, with its first and latest value."""
    series: dict[str, list[int]] = defaultdict(list)
    for interview in interviews:
        for dimension in (interview.report or {}).get("dimensions", []):
            series[dimension["name"]].append(int(dimension["score"]))
    return [{"name": name, "scores": scores, "first": scores[0], "latest": scores[-1],
             "average": round(sum(scores) / len(scores), 1)} for name, scores in series.items()]


def _themes(interviews: list[Interview], limit: int = 3) -> list[dict[str, Any]]:
    """The improvement themes that recur most, each with how often and one example from the user's answers."""
    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for interview in interviews:
        seen: set[str] = set()
        for item in (interview.report or {}).get("improvements", []):
            theme = next((name for cue, name in THEMES if cue in item.get("text", "")), None)
            if theme is None or theme in seen:
                continue
            seen.add(theme)
            counts[theme] += 1
            if item.get("evidence"):
                examples.setdefault(theme, item["evidence"][0])
    return [{"theme": theme, "interviews": count, "example": examples.get(theme)}
            for theme, count in counts.most_common(limit)]


def _plan(interviews: list[Interview], by_topic: dict[str, list[dict[str, Any]]]) -> list[dict[str, str]]:
    """Three next steps: the weakest dimension, the topic that needs another go, and where to stretch next."""
    if not interviews:
        return [{"topic": "Any topic you are preparing for",
                 "why": "Finish an interview with at least three full answers to get a first scored report."}]
    steps: list[dict[str, str]] = []
    trends = sorted(_dimension_trends(interviews), key=lambda d: d["average"])
    if trends and trends[0]["average"] < 4:
        weakest = trends[0]
        steps.append({"topic": weakest["name"],
                      "why": f"Your lowest area on average ({weakest['average']}/5); practise a behavioral or core "
                             "interview that exercises it."})
    latest = {topic: points[-1] for topic, points in by_topic.items()}
    retry = min(latest.items(), key=lambda item: item[1]["overall_score"], default=None)
    if retry and retry[1]["overall_score"] < 70:
        steps.append({"topic": retry[0],
                      "why": f"Your last score here was {retry[1]['overall_score']}/100; try it again at the "
                             f"{retry[1]['level']} level before moving up."})
    strong = [(topic, point) for topic, point in latest.items() if point["overall_score"] >= 75]
    for topic, point in strong[:1]:
        level = point["level"]
        if level != "advanced":
            steps.append({"topic": topic, "why": f"You scored {point['overall_score']}/100 at {level} level; "
                                                 f"move up to {_LEVELS[_LEVELS.index(level) + 1]}."})
        else:
            steps.append({"topic": _neighbour(topic) or topic,
                          "why": f"You are strong on {topic}; widen into a related topic."})
    return steps[:3] or [{"topic": "Your last topic", "why": "Keep practising to build a trend."}]


def _neighbour(topic: str) -> str | None:
    """A bank topic related to the given one by category, for widening practice."""
    bank = load_bank()
    lowered = topic.lower()
    match = next((t for t in bank.values() if t.title.lower() == lowered or t.topic == lowered), None)
    if match is None:
        return None
    return next((t.title for t in bank.values() if t.category == match.category and t.topic != match.topic
                 and t.topic not in ("behavioral", "general")), None)

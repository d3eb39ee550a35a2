"""The interview plan: which phases, how many main questions, and where each comes from.

Decided in code from the settings (kind, duration, CV, job description, matched topics) before any brain is
asked for content. A job description's requirements get at least three questions of their own when it names that
many; leadership stories are only planned for candidates who lead people.
"""

import re
from typing import Any

from mockroom.questions.job import requirements
from mockroom.vocabulary import InterviewContext, Level, RoleFamily, Slot

SECONDS_PER_MAIN_QUESTION = 150
CLOSING_RESERVE_SECONDS = 90
# A live coding exercise takes the time of about this many spoken questions.
CODING_SLOT_WEIGHT = 3
MIN_JOB_QUESTIONS = 3
# Topics where a live coding exercise belongs in a mixed interview: programming languages and algorithms.
CODING_TOPICS = frozenset({
    "python", "java", "go", "rust", "cpp", "csharp-dotnet", "javascript-typescript", "nodejs",
    "data-structures-algorithms",
})
# Leading people, as opposed to a title with "manager" in it for an individual contributor (a product manager).
_MANAGER = re.compile(
    r"\b(?:(?:engineering|development|people|team|general|store|shop|restaurant|branch|operations|support|nursing|"
    r"ward|regional|area|department|hr|plant|site|line|delivery|practice|office|sales|account management|"
    r"customer success) manager|manager of|managing (?:a|the|my) team|management|head of|director|vp|"
    r"vice president|chief \w+ officer|cto|ceo|coo|supervisor|team lead(?:er)?|people lead|direct reports|"
    r"lead(?:ing|s)? (?:a|the|my|our) (?:[\w-]+ ){0,3}(?:team|department|organi[sz]ation|group)|leadership)\b",
    re.IGNORECASE,
)
_INDIVIDUAL_LEAD = re.compile(r"\b(?:tech(?:nical)? lead|lead (?:engineer|developer|designer|analyst))\b", re.IGNORECASE)


def main_question_count(*, duration_minutes: int, kind: str) -> int:
    """8-12 main questions for the default 25 minutes, scaled with the duration."""
    count = round(duration_minutes * 0.4)
    if kind == "system_design":
        count = round(count * 0.6)
    return max(3, min(14, count))


def role_family(*, categories: list[str], topic: str, cv_profile: dict[str, Any] | None) -> RoleFamily:
    """The candidate's role family, from the matched topics' categories, else the CV's headline."""
    for category in categories:
        if category in ("engineering", "data", "business", "people"):
            return category  # type: ignore[return-value]
    headline = " ".join(str((cv_profile or {}).get(k) or "") for k in ("headline",))
    if re.search(r"\b(?:engineer|developer|programmer|devops|architect)\b", headline, re.IGNORECASE):
        return "engineering"
    if re.search(r"\b(?:analyst|data|scientist)\b", headline, re.IGNORECASE):
        return "data"
    return "general"


def manages_people(*, topic: str, level: str, cv_profile: dict[str, Any] | None, job_description: str | None) -> bool:
    """Whether the candidate leads people, so leadership stories fit: a management topic, or a managing role on the
    CV or in the job description (a tech lead is an individual contributor here)."""
    profile = cv_profile or {}
    titles = [str(profile.get("headline") or "")] + [str(j.get("role") or "") for j in profile.get("experience") or []]
    texts = [topic, *titles[:3], (job_description or "")[:400]]
    return any(_MANAGER.search(t) and not _INDIVIDUAL_LEAD.search(t) for t in texts if t)


def build_plan(context: InterviewContext) -> list[Slot]:
    """The ordered main-question slots: intro, experience, core, coding, behavioral."""
    total = main_question_count(duration_minutes=context.duration_minutes, kind=context.kind)
    level: Level = context.level
    slots: list[Slot] = [Slot(phase="greeting", source="intro", level=level, kind="behavioral")]

    experience: list[Slot] = []
    if context.cv_profile:
        experience.append(Slot(phase="experience", source="cv", level=level, kind="behavioral"))
    job = requirements(context.job_description or "") if context.job_description else []
    job_count = min(len(job), MIN_JOB_QUESTIONS, max(1, total - 3)) if job else (1 if context.job_description else 0)
    job_slots = [
        Slot(phase="experience", source="job", level=level, kind="behavioral",
             requirement=job[index].text if index < len(job) else None)
        for index in range(job_count)
    ]
    experience += job_slots
    if context.cv_profile and total >= 8 and not job:
        experience.append(Slot(phase="experience", source="cv", level=level, kind="behavioral"))
    slots += experience

    coding_slots = _coding_slot_count(context, total)
    remaining = total - len(slots) - coding_slots * CODING_SLOT_WEIGHT
    if context.kind == "coding":
        remaining = max(remaining, 1)
    remaining = max(remaining, 1)
    if context.kind == "behavioral":
        core_count = min(2, remaining // 4) if context.matched_topics else 0
    elif context.kind in ("technical", "system_design"):
        core_count = remaining - (1 if total >= 8 else 0)
    elif remaining <= 3:
        # A long CV-and-job-description section leaves little room: keep at least one core question.
        core_count = max(1, remaining - 1)
    else:
        core_count = remaining - max(1, round(total * 0.2))
    core_count = max(0, core_count)
    behavioral_count = remaining - core_count

    core_kind = "system_design" if context.kind == "system_design" else "technical"
    topics = _core_topics(context)
    for index in range(core_count):
        topic = topics[index % len(topics)] if topics else None
        slots.append(
            Slot(
                phase="technical",
                source="bank" if topic else "template",
                level=level,
                topic=topic,
                kind="situational" if context.kind == "behavioral" else core_kind,
            )
        )
    slots += [Slot(phase="coding", source="coding", level=level, kind="coding") for _ in range(coding_slots)]
    slots += [Slot(phase="behavioral", source="behavioral", level=level, kind="behavioral")
              for _ in range(behavioral_count)]
    return slots


def wants_coding(*, kind: str, matched_topics: list[str]) -> bool:
    """A live coding round: always for the coding kind; in a mixed interview only on a programming topic."""
    return kind == "coding" or (kind == "mixed" and any(t in CODING_TOPICS for t in matched_topics[:2]))


def _coding_slot_count(context: InterviewContext, total: int) -> int:
    """Live coding for the coding kind, and for mixed interviews on a programming topic with time for it."""
    if not context.coding:
        return 0
    if context.kind == "coding":
        return 2 if context.duration_minutes >= 45 else 1
    if context.kind == "mixed" and total >= 8:
        return 1
    return 0


def _core_topics(context: InterviewContext) -> list[str]:
    if context.kind == "system_design":
        return ["system-design", *[t for t in context.matched_topics if t != "system-design"]][:2]
    if context.kind == "coding":
        return [*context.matched_topics[:2], "data-structures-algorithms"][:3]
    return context.matched_topics[:3]

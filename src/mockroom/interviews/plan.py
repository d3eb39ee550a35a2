"""The interview plan: which phases, how many main questions, and where each comes from.

Decided in code from the settings (kind, duration, CV, job description, matched topics),
before any brain is asked for content.
"""

from mockroom.brains.base import InterviewContext, Level, Slot

SECONDS_PER_MAIN_QUESTION = 150
CLOSING_RESERVE_SECONDS = 90
# A live coding exercise takes the time of about this many spoken questions.
CODING_SLOT_WEIGHT = 3


def main_question_count(*, duration_minutes: int, kind: str) -> int:
    """8-12 main questions for the default 25 minutes, scaled with the duration."""
    count = round(duration_minutes * 0.4)
    if kind == "system_design":
        count = round(count * 0.6)
    return max(3, min(14, count))


def build_plan(context: InterviewContext) -> list[Slot]:
    """The ordered main-question slots: intro, experience, core, behavioral."""
    total = main_question_count(duration_minutes=context.duration_minutes, kind=context.kind)
    level: Level = context.level
    slots: list[Slot] = [Slot(phase="greeting", source="intro", level=level, kind="behavioral")]

    experience: list[Slot] = []
    if context.cv_profile:
        experience.append(Slot(phase="experience", source="cv", level=level, kind="behavioral"))
    if context.job_description:
        experience.append(Slot(phase="experience", source="job", level=level, kind="behavioral"))
    if context.cv_profile and total >= 8:
        experience.append(Slot(phase="experience", source="cv", level=level, kind="behavioral"))
    experience = experience[: max(1, total // 4)]
    slots += experience

    coding_slots = _coding_slot_count(context, total)
    remaining = total - len(slots) - coding_slots * CODING_SLOT_WEIGHT
    if context.kind == "coding":
        remaining = max(remaining, 1)
    if context.kind == "behavioral":
        core_count = min(2, remaining // 4) if context.matched_topics else 0
    elif context.kind == "technical" or context.kind == "system_design":
        core_count = remaining - (1 if total >= 8 else 0)
    else:
        core_count = remaining - max(1, round(total * 0.2))
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


def _coding_slot_count(context: InterviewContext, total: int) -> int:
    """Live coding for the coding kind, and for mixed interviews on a technical topic with time for it."""
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

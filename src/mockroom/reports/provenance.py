"""The report's record of which brain answered: per step kind (question, follow_up, assess...), how often the
model did and how often the embedded brain did, and why it stood in, read from the `meta.steps` the service
stores on each interviewer message."""

from collections.abc import Iterable
from typing import Any

from mockroom.db.models import Message


def appendix(messages: Iterable[Message]) -> dict[str, dict[str, Any]] | None:
    """Counts per step kind; None when no brain step was recorded (an interview from before provenance)."""
    counts: dict[str, dict[str, Any]] = {}
    for message in messages:
        if message.role != "interviewer":
            continue
        for step in (message.meta or {}).get("steps") or []:
            row = counts.setdefault(step["kind"], {"model": 0, "embedded": 0, "fallback_reasons": {}})
            row[step["brain"]] += 1
            if step.get("reason"):
                reasons = row["fallback_reasons"]
                reasons[step["reason"]] = reasons.get(step["reason"], 0) + 1
    return counts or None

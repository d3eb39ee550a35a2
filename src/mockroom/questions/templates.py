"""Loads questions/templates.yaml and fills its placeholders."""

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from mockroom.vocabulary import FollowUp, QuestionDraft

TEMPLATES_PATH = Path(__file__).parent / "templates.yaml"


@cache
def load_templates() -> dict[str, Any]:
    """The raw template tree (validated by the test suite)."""
    with TEMPLATES_PATH.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def fill(template: dict[str, Any], *, ref: str, kind: str, **values: str) -> QuestionDraft:
    """A question draft from one template with every placeholder filled."""

    def sub(text: str) -> str:
        return text.format(**values) if values else text

    points = [p if isinstance(p, str) else p["text"] for p in template["key_points"]]
    checks = {sub(p["text"]): p["signal"] for p in template["key_points"] if isinstance(p, dict)}
    return QuestionDraft(
        text=sub(template["text"]),
        key_points=[sub(p) for p in points],
        signals=checks,
        follow_ups=[
            FollowUp(text=sub(f)) if isinstance(f, str) else FollowUp(text=sub(f["text"]), point=f.get("point"),
                                                                      when=f.get("when", "any"))
            for f in template["follow_ups"]
        ],
        model_answer=sub(template["model_answer"]),
        ref=ref,
        kind=kind,
        topic=values.get("topic"),
    )

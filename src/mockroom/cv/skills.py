"""Loads the skills vocabulary shipped in skills.yaml and finds those skills in CV text."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SKILLS_FILE = Path(__file__).parent / "skills.yaml"

# Skill names contain '+', '#', '.' and '/' ("C++", "C#", "Node.js", "CI/CD"), so \b is not the right boundary.
_BEFORE = r"(?<![\w+#.\-])"
_AFTER = r"(?![\w+#]|\.\w)"
# A version after a space ("Excel 2016", "Python 3.11") or glued on if short ("Python3", "HTML5"); "SAP2000" is a name.
_VERSION = re.compile(r"(?:\s+v?\d+|\s*v?(?<!\d)\d{1,2})(?:\.\d+)*\+?$")


class Skill(BaseModel):
    """One skill: its canonical name, other spellings, and how strictly its name is matched."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    match: Literal["any", "case", "list"] = "any"


class SkillsFile(BaseModel):
    """The whole vocabulary: skills by category, plus sub-headings used inside Skills sections."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    labels: list[str]
    categories: dict[str, list[Skill]]

    @field_validator("categories", mode="before")
    @classmethod
    def _plain_names(cls, categories: dict[str, list[Any]]) -> dict[str, list[Any]]:
        return {
            category: [{"name": item} if isinstance(item, str) else item for item in items]
            for category, items in categories.items()
        }

    @model_validator(mode="after")
    def _unique_spellings(self) -> "SkillsFile":
        seen: set[str] = set()
        for skills in self.categories.values():
            for skill in skills:
                for spelling in [skill.name, *skill.aliases]:
                    key = skill_key(spelling)
                    if key in seen:
                        raise ValueError(f"skill spelling {spelling!r} is listed twice")
                    seen.add(key)
        return self


@dataclass(frozen=True)
class SkillIndex:
    """The vocabulary ready for lookups: every spelling to its canonical name, and one matcher for prose."""

    canonical: dict[str, str]
    labels: frozenset[str]
    prose: re.Pattern[str]


def skill_key(text: str) -> str:
    """The form spellings are compared in: lower case, single spaces."""
    return " ".join(text.split()).lower()


@cache
def load_skills() -> SkillIndex:
    """The parsed and indexed skills vocabulary."""
    with SKILLS_FILE.open(encoding="utf-8") as handle:
        vocabulary = SkillsFile.model_validate(yaml.safe_load(handle))
    canonical: dict[str, str] = {}
    alternatives: list[tuple[str, bool]] = []
    for skills in vocabulary.categories.values():
        for skill in skills:
            canonical[skill_key(skill.name)] = skill.name
            canonical.update((skill_key(alias), skill.name) for alias in skill.aliases)
            if skill.match != "list":
                alternatives.append((skill.name, skill.match == "any"))
            alternatives.extend((alias, True) for alias in skill.aliases)
    # Longest first, so "React Native" wins over "React" and "JavaScript" over "Java" at the same position.
    alternatives.sort(key=lambda item: len(item[0]), reverse=True)
    body = "|".join(_alternative(spelling=spelling, any_case=any_case) for spelling, any_case in alternatives)
    return SkillIndex(
        canonical=canonical,
        labels=frozenset(skill_key(label) for label in vocabulary.labels),
        prose=re.compile(f"{_BEFORE}(?:{body}){_AFTER}"),
    )


def _alternative(*, spelling: str, any_case: bool) -> str:
    """One spelling as a regex alternative: spaces match any whitespace, case folded unless exact case is needed."""
    pattern = r"\s+".join(re.escape(word) for word in spelling.split())
    return f"(?i:{pattern})" if any_case else pattern


def canonical_skill(item: str) -> str | None:
    """The canonical name of a whole list item ("golang" -> "Go", "Python 3" -> "Python"), if it is a known skill."""
    index = load_skills()
    key = skill_key(item)
    return index.canonical.get(key) or index.canonical.get(_VERSION.sub("", key))


def is_skill_label(item: str) -> bool:
    """Whether a list item is a sub-heading inside a Skills section ("Languages", "Tools") rather than a skill."""
    return skill_key(item).rstrip(":") in load_skills().labels


def find_skills(text: str) -> list[str]:
    """Canonical names of the known skills mentioned in running text, in order of first mention."""
    index = load_skills()
    found: dict[str, None] = {}
    for match in index.prose.finditer(text):
        name = index.canonical.get(skill_key(match.group()))
        if name:
            found.setdefault(name)
    return list(found)

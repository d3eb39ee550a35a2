"""Loads the words the CV parser reads structure by (vocabulary.yaml): section headings, role and company words."""

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

VOCABULARY_FILE = Path(__file__).parent / "vocabulary.yaml"

SectionKey = Literal["summary", "experience", "projects", "education", "skills", "certifications", "other"]


class Vocabulary(BaseModel):
    """Section headings by section, and the word lists the entry and header parsers use."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    headings: dict[SectionKey, list[str]]
    ambiguous_headings: frozenset[str]
    list_labels: frozenset[str]
    role_words: frozenset[str]
    surname_roles: frozenset[str]
    company_words: frozenset[str]
    name_particles: frozenset[str]
    not_names: frozenset[str]
    honorifics: frozenset[str]
    post_nominals: frozenset[str]
    level_notes: frozenset[str]

    @model_validator(mode="after")
    def _consistent(self) -> "Vocabulary":
        headings = [heading for section in self.headings.values() for heading in section]
        if len(headings) != len(set(headings)):
            raise ValueError("a heading is listed under two sections")
        unknown = (self.ambiguous_headings | self.list_labels) - set(headings)
        if unknown:
            raise ValueError(f"ambiguous or label headings that are not headings: {sorted(unknown)}")
        if self.surname_roles - self.role_words:
            raise ValueError("every surname role must also be a role word")
        if self.list_labels - self.ambiguous_headings:
            raise ValueError("every list label must also be an ambiguous heading")
        return self

    def section_of(self) -> dict[str, SectionKey]:
        """Every heading (and its spelling without spaces, for letter-spaced headings) to its section."""
        index: dict[str, SectionKey] = {}
        for section, headings in self.headings.items():
            for heading in headings:
                index.setdefault(heading.replace(" ", ""), section)
                index[heading] = section
        return index


@cache
def load_vocabulary() -> Vocabulary:
    """The parsed and checked parser vocabulary."""
    with VOCABULARY_FILE.open(encoding="utf-8") as handle:
        return Vocabulary.model_validate(yaml.safe_load(handle))

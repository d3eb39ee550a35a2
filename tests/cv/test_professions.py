"""CVs from many professions (tests/data/cv/professions), each parsed and compared with what a human reads in it."""

from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field

from mockroom.cv.intake import extract_text
from mockroom.cv.profile import CVProfile, parse_profile
from mockroom.cv.skills import canonical_skill, skill_key

PROFESSIONS = Path(__file__).parents[1] / "data" / "cv" / "professions"
CVS = sorted(path for path in PROFESSIONS.iterdir() if path.suffix in {".txt", ".md"})


class ExpectedSkills(BaseModel):
    """Skills the candidate listed (compared as canonical names when known), and fragments that must not be skills."""

    model_config = ConfigDict(extra="forbid")

    present: list[str]
    absent: list[str] = Field(default_factory=list)


class ExpectedJob(BaseModel):
    """One job as a reader would note it."""

    model_config = ConfigDict(extra="forbid")

    role: str
    company: str
    start: str | None
    end: str | None


class Expected(BaseModel):
    """The expected-profile file beside each CV."""

    model_config = ConfigDict(extra="forbid")

    name: str
    headline: str | None
    skills: ExpectedSkills
    experience: list[ExpectedJob]
    education: list[str]


def expected_for(cv: Path) -> Expected:
    return Expected.model_validate(yaml.safe_load(cv.with_suffix(".yaml").read_text(encoding="utf-8")))


def profile_of(cv: Path) -> CVProfile:
    return parse_profile(extract_text(cv.read_bytes()).text)


def test_the_set_spans_many_professions():
    assert len(CVS) >= 20
    assert all(cv.with_suffix(".yaml").exists() for cv in CVS)


@pytest.mark.parametrize("cv", CVS, ids=[cv.stem for cv in CVS])
def test_profession_cv_is_read_as_a_person_would(cv: Path):
    expected, profile = expected_for(cv), profile_of(cv)
    assert (profile.name, profile.headline) == (expected.name, expected.headline)

    found = {skill_key(skill) for skill in profile.skills}
    missing = [skill for skill in expected.skills.present if skill_key(canonical_skill(skill) or skill) not in found]
    assert missing == [], f"skills missing from {profile.skills}"
    assert found.isdisjoint(skill_key(fragment) for fragment in expected.skills.absent)
    # A bracket that opens or closes inside one skill only is a fragment of a list split in the wrong place.
    assert [skill for skill in profile.skills if skill.count("(") != skill.count(")")] == []

    jobs = [
        ExpectedJob(role=job.role or "", company=job.company or "", start=job.start, end=job.end)
        for job in profile.experience
    ]
    assert jobs == expected.experience
    assert [entry.institution for entry in profile.education if entry.institution] == expected.education

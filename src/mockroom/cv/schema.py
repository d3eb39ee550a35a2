"""What Mockroom knows about a candidate from their CV: the structured profile the interviewer plans from."""

from pydantic import BaseModel, Field


class Experience(BaseModel):
    """One job: where, as what, when (dates as written, e.g. "Jan 2020", "Present"), and what was achieved."""

    company: str | None = None
    role: str | None = None
    start: str | None = None
    end: str | None = None
    highlights: list[str] = Field(default_factory=list)


class Project(BaseModel):
    """A project the candidate lists, with the technologies it names."""

    name: str
    description: str | None = None
    technologies: list[str] = Field(default_factory=list)


class Education(BaseModel):
    """One degree, diploma or course of study."""

    institution: str | None = None
    degree: str | None = None
    start: str | None = None
    end: str | None = None


class CVProfile(BaseModel):
    """The candidate's profile parsed from CV text; flags note anything done to the text (e.g. instructions_removed)."""

    name: str | None = None
    headline: str | None = None
    email: str | None = None
    phone: str | None = None
    links: list[str] = Field(default_factory=list)
    summary: str | None = None
    skills: list[str] = Field(default_factory=list)
    experience: list[Experience] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)

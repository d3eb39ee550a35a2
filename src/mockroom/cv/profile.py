"""Parses CV text into a CVProfile, offline and deterministically; text that doesn't fit yields partial data."""

import re

from mockroom.cv.entries import find_dates, list_items, parse_education, parse_experience, parse_projects
from mockroom.cv.schema import CVProfile, Education, Experience, Project
from mockroom.cv.sections import Line, Sections, split_sections, visible_text
from mockroom.cv.skills import canonical_skill, find_skills, is_skill_label, skill_key
from mockroom.cv.vocabulary import load_vocabulary

__all__ = ["CVProfile", "Education", "Experience", "Project", "parse_profile"]

MAX_SKILLS = 120
MAX_LINKS = 20
MAX_SUMMARY_CHARS = 2000
MAX_CERTIFICATIONS = 30

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w/+])(?:\+|00)?\(?\d[\d ().-]{5,20}\d(?![\w/])")
_PHONE_LABEL = re.compile(r"\b(?:phone|tel|telephone|mobile|mob|cell)\b", re.IGNORECASE)
_LINK = re.compile(
    r"https?://[^\s<>()\"']+|www\.[^\s<>()\"']+|(?<![\w@.])(?:[\w-]+\.)?(?:linkedin\.com|github\.com|gitlab\.com|"
    r"bitbucket\.org|behance\.net|dribbble\.com|medium\.com|stackoverflow\.com|kaggle\.com|twitter\.com|x\.com|"
    r"huggingface\.co|substack\.com|about\.me)/[^\s<>()\"']*",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s+[|•·—–-]\s+|\s*\|\s*|\t|\s{3,}")
_NOT_SKILLS = {"present", "current", "now", "today", "etc", "and more"}
_PLACE = re.compile(r"^[A-Z][\w.' -]*,\s*[A-Z][\w.' ]*$")


def parse_profile(text: str) -> CVProfile:
    """The candidate's profile from CV text; lines that address an AI are dropped and flagged, never used."""
    sections = split_sections(text=text)
    visible = visible_text(sections=sections)
    name, headline, used = _name_and_headline(lines=sections.header)
    return CVProfile(
        name=name,
        headline=headline,
        email=_email(sections=sections, visible=visible),
        phone=_phone(sections=sections, visible=visible),
        links=_links(text=visible),
        summary=_summary(sections=sections, used=used),
        skills=_skills(sections=sections, visible=visible),
        experience=parse_experience(lines=sections.bodies.get("experience", [])),
        projects=parse_projects(lines=sections.bodies.get("projects", [])),
        education=parse_education(lines=sections.bodies.get("education", [])),
        certifications=_certifications(lines=sections.bodies.get("certifications", [])),
        flags=["instructions_removed"] if sections.instructions_removed else [],
    )


def _name_and_headline(*, lines: list[Line]) -> tuple[str | None, str | None, set[str]]:
    """The name (first name-like header line), a headline near it, and the header lines they came from."""
    texts = [line.text for line in lines[:12] if line.text]
    for index, text in enumerate(texts):
        parts = _header_parts(text=text)
        if not parts or not _looks_like_name(text=parts[0]):
            continue
        name = parts[0].title() if parts[0].isupper() else parts[0]
        titles = [part for part in parts[1:] if _looks_like_headline(text=part)]
        if titles:
            return name, titles[0], {text}
        for nearby in texts[index + 1 : index + 4]:
            parts = _header_parts(text=nearby)
            titles = [part for part in parts if _looks_like_headline(text=part)]
            if titles:
                # A line of nothing but title fragments ("Engineer | Payments") is the headline as a whole.
                whole = len(titles) == len(parts)
                return name, nearby if whole else titles[0], {text, nearby}
        return name, None, {text}
    return None, None, set()


def _header_parts(*, text: str) -> list[str]:
    """A header line split at its separators ("Jane Doe | Engineer | jane@example.com")."""
    return [part.strip() for part in _SEPARATORS.split(text) if part.strip()]


def _looks_like_name(*, text: str) -> bool:
    """Whether a header fragment reads as a person's name: two to five capitalised words, no digits or symbols."""
    vocabulary = load_vocabulary()
    words = text.split()
    if not 2 <= len(words) <= 5 or len(text) > 50 or text.lower() in vocabulary.not_names:
        return False
    titles = vocabulary.role_words - vocabulary.surname_roles
    if _has_role_word(text=text, words=titles) or canonical_skill(text) or any(char.isdigit() for char in text):
        return False
    for word in words:
        if word.lower() in vocabulary.name_particles:
            continue
        if not (word[0].isupper() and re.fullmatch(r"[^\W\d_][\w'’.-]*", word)):
            return False
    return True


def _looks_like_headline(*, text: str) -> bool:
    """Whether a header fragment reads as a professional title rather than contact details or prose."""
    if _has_contact(text=text) or len(text) > 100 or len(text.split()) > 12 or text.endswith("."):
        return False
    if not re.search(r"[^\W\d_]{3,}", text):
        return False
    return _has_role_word(text=text, words=load_vocabulary().role_words) or not (
        _PLACE.match(text) or _looks_like_name(text=text)
    )


def _has_role_word(*, text: str, words: frozenset[str]) -> bool:
    """Whether the text contains one of these job-title words ("Engineer", "Manager", "Lead")."""
    return any(word in words for word in re.findall(r"[a-z][a-z-]*", text.lower()))


def _has_contact(*, text: str) -> bool:
    """Whether the text holds an email address, a web link or a phone number."""
    return bool(_EMAIL.search(text) or _LINK.search(text) or _phone_in(text=text))


def _email(*, sections: Sections, visible: str) -> str | None:
    """The first email address, preferring the header."""
    header = "\n".join(line.text for line in sections.header)
    match = _EMAIL.search(header) or _EMAIL.search(visible)
    return match.group() if match else None


def _phone(*, sections: Sections, visible: str) -> str | None:
    """The first phone number in the header, or on a line labelled as a phone anywhere."""
    for line in sections.header:
        phone = _phone_in(text=line.text)
        if phone:
            return phone
    for text in visible.split("\n"):
        if _PHONE_LABEL.search(text):
            phone = _phone_in(text=text)
            if phone:
                return phone
    return None


def _phone_in(*, text: str) -> str | None:
    """A phone number in the text, not mistaking date ranges or other numbers for one."""
    for match in _PHONE.finditer(text):
        candidate = match.group().strip()
        digits = re.sub(r"\D", "", candidate)
        if not 7 <= len(digits) <= 15:
            continue
        if re.fullmatch(r"\(?(?:19|20)\d{2}\)?(?:\s*[-.]\s*\(?(?:19|20)?\d{2}\)?)*", candidate):
            continue
        return candidate
    return None


def _links(*, text: str) -> list[str]:
    """Web links in the text, each once, without trailing punctuation."""
    found: dict[str, str] = {}
    for match in _LINK.finditer(text):
        link = match.group().rstrip(".,;:!?)]}'\"")
        key = re.sub(r"^(?:https?://)?(?:www\.)?", "", link.lower()).rstrip("/")
        if key and "@" not in key.split("/")[0]:
            found.setdefault(key, link)
    return list(found.values())[:MAX_LINKS]


def _summary(*, sections: Sections, used: set[str]) -> str | None:
    """The Summary section as paragraphs; failing that, prose lines in the header."""
    lines = sections.bodies.get("summary")
    if lines is None:
        lines = [
            line
            for line in sections.header
            if line.text not in used and len(line.text.split()) >= 8 and not _has_contact(text=line.text)
        ]
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.text:
            paragraphs[-1].append(line.text)
        elif paragraphs[-1]:
            paragraphs.append([])
    summary = "\n".join(" ".join(paragraph) for paragraph in paragraphs if paragraph).strip()
    return summary[:MAX_SUMMARY_CHARS] or None


def _skills(*, sections: Sections, visible: str) -> list[str]:
    """Skills listed in a Skills section (as written, or canonical when known), then known skills found anywhere."""
    found: dict[str, str] = {}
    for line in sections.bodies.get("skills", []):
        for item in _skill_items(text=line.text):
            name = canonical_skill(item) or item
            found.setdefault(skill_key(name), name)
    without_contacts = _LINK.sub(" ", _EMAIL.sub(" ", visible))
    for name in find_skills(without_contacts):
        found.setdefault(skill_key(name), name)
    return list(found.values())[:MAX_SKILLS]


def _skill_items(*, text: str) -> list[str]:
    """The skill names on one line of a Skills section, without sub-headings like "Languages:"."""
    label, colon, rest = text.partition(":")
    if colon and len(label.split()) <= 4 and rest.strip():
        text = rest
    items = list_items(text=text)
    if len(items) > 1 and is_skill_label(items[0]):
        items = items[1:]
    return [item for item in items if _is_skill_item(item=item)]


def _is_skill_item(*, item: str) -> bool:
    """Whether a list item is a skill name rather than a sentence, a sub-heading or a stray fragment."""
    if (
        item.lower() in _NOT_SKILLS
        or is_skill_label(item)
        or len(item) > 40
        or len(item.split()) > 4
        or find_dates(text=item)
    ):
        return False
    return bool(canonical_skill(item)) or (bool(re.search(r"[^\W\d_]{2,}", item)) and not item[:1].islower())


def _certifications(*, lines: list[Line]) -> list[str]:
    """One certification per line of the Certifications section."""
    return [line.text[:200] for line in lines if line.text][:MAX_CERTIFICATIONS]

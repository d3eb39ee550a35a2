"""Parses CV text into a CVProfile, offline and deterministically; text that doesn't fit yields partial data."""

import re

from mockroom.cv.entries import find_dates, parse_education, parse_experience, parse_projects
from mockroom.cv.injection import looks_like_instruction
from mockroom.cv.lists import list_items
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
# Fillers that close a list rather than name a skill: "other tools as needed", "various CRMs", "and many more".
_FILLER = re.compile(r"^(?:other|various|many|much|more|similar)\b", re.IGNORECASE)
_PLACE = re.compile(r"^[A-Z][\w.' -]*,\s*[A-Z][\w.' ]*$")
# "Label: value" header lines ("Address: 14 Meadow Close") are personal details, never a headline.
_DETAIL = re.compile(r"^[^\W\d_][\w ]{1,25}:\s")
# Registration and licence numbers ("SW123456", "GPhC 2081234") sit beside titles but are not part of them.
_ID = re.compile(r"\b[A-Z]*\d[\dA-Z]{4,}\b")
_NAME_LABEL = re.compile(r"^(?:full\s+)?name\s*:\s*", re.IGNORECASE)
_LIST_LABEL = re.compile(r"^(?P<label>[^:]{1,40}):\s+(?P<rest>\S.*)$")
_FIRST_PERSON = re.compile(r"(?<![\w&])I(?:'m|'ve)?(?![\w&])|\b(?i:my|me|we|our)\b")
_LIST_END = (",", ";", "|", "·", "•", "/")


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
        candidate = _without_titles(text=parts[0]) if parts else ""
        if not _looks_like_name(text=candidate):
            continue
        name = candidate.title() if candidate.isupper() else candidate
        titles = [part for part in parts[1:] if _looks_like_headline(text=part)]
        if titles:
            return name, titles[0], {text}
        for nearby in texts[index + 1 : index + 4]:
            parts = _header_parts(text=nearby)
            titles = [part for part in parts if _looks_like_headline(text=part)]
            if titles:
                # A line of nothing but title fragments ("Engineer | Payments") is the headline as a whole, and so is
                # a title with its speciality after a dash ("Sales Manager – Medical Devices").
                dashed = re.search(r"\s[–—]\s", nearby) is not None
                whole = all(part in titles or (dashed and _looks_like_name(text=part)) for part in parts)
                return name, nearby if whole else titles[0], {text, nearby}
        return name, None, {text}
    return None, None, set()


def _without_titles(*, text: str) -> str:
    """A name without a "Name:" label, an honorific or letters after it ("Dr. Mariam Haddad", "Jo Li, MBA, CPA")."""
    vocabulary = load_vocabulary()
    text = _NAME_LABEL.sub("", text)
    head, comma, tail = text.partition(",")
    if comma and all(_is_post_nominal(word=word) or word.isupper() for word in re.findall(r"[^\s,]+", tail)):
        text = head
    words = text.split()
    if len(words) > 2 and words[0].lower().rstrip(".") in vocabulary.honorifics:
        words = words[1:]
    while len(words) > 2 and _is_post_nominal(word=words[-1]):
        words = words[:-1]
    return " ".join(words)


def _is_post_nominal(*, word: str) -> bool:
    """Whether a word is letters after a name: a degree, a registration or a membership ("PhD", "CEng", "RN")."""
    return word.lower().replace(".", "") in load_vocabulary().post_nominals


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
    if _DETAIL.match(text) or _ID.search(text):
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
    """Every skill the candidate lists (canonical when known), then the known skills mentioned anywhere else."""
    found: dict[str, str] = {}
    for text in _skill_lines(sections=sections):
        for item in _skill_items(text=text):
            name = canonical_skill(item) or item
            found.setdefault(skill_key(name), name)
    without_contacts = _LINK.sub(" ", _EMAIL.sub(" ", visible))
    # Outside a list only the vocabulary can tell a skill from an ordinary word of prose.
    for name in find_skills(without_contacts):
        found.setdefault(skill_key(name), name)
    return list(found.values())[:MAX_SKILLS]


def _skill_lines(*, sections: Sections) -> list[str]:
    """The lines that list skills: the Skills section's, and labelled lists ("Tools: ...") anywhere but "other"."""
    texts = _unwrapped(lines=sections.bodies.get("skills", []))
    for key, lines in [("header", sections.header), *sections.bodies.items()]:
        if key not in ("skills", "other"):
            texts.extend(line.text for line in lines if _is_labelled_skill_list(text=line.text))
    return texts


def _unwrapped(*, lines: list[Line]) -> list[str]:
    """Line texts with a list that wrapped mid-item joined up again ("12-lead ECG" / "interpretation, cannulation")."""
    texts: list[str] = []
    follows = False
    for line in lines:
        if not line.text:
            follows = False
            continue
        if follows and not line.bullet and line.text[:1].islower() and not texts[-1].endswith(_LIST_END):
            # A wrapped line that starts with "and" starts the list's last item ("Python, Go" / "and SQL").
            joint = ", " if re.match(r"(?:and|or)\s", line.text) else " "
            texts[-1] = f"{texts[-1]}{joint}{line.text}"
        else:
            texts.append(line.text)
        follows = True
    return texts


def _is_labelled_skill_list(*, text: str) -> bool:
    """Whether a line outside the Skills section lists skills under a label ("Tools: ...", "Clinical skills: ...")."""
    labelled = _LIST_LABEL.match(text)
    if labelled is None:
        return False
    label = skill_key(labelled.group("label"))
    return is_skill_label(label) or label.endswith(" skills")


def _skill_items(*, text: str) -> list[str]:
    """The skill names on one line of a skills list, without sub-headings like "Languages:" or "Clinical:"."""
    labelled = _LIST_LABEL.match(text)
    if labelled and len(labelled.group("label").split()) <= 4:
        text = labelled.group("rest")
    items = list_items(text=text)
    if len(items) > 1 and is_skill_label(items[0]):
        items = items[1:]
    return [item for item in items if _is_skill_item(item=item)]


def _is_skill_item(*, item: str) -> bool:
    """Whether a listed item names a skill, known or not, rather than a date, a sentence, a sub-heading or junk."""
    if canonical_skill(item):
        return True
    # A bracket kept with its item ("pastry (laminated doughs, choux)") explains the name; only the name is measured.
    name = re.sub(r"\s*\([^()]*\)$", "", item)
    return not (
        item.lower() in _NOT_SKILLS
        or _FILLER.match(item)
        or is_skill_label(item)
        or len(name) > 60
        or len(name.split()) > 6
        or not re.search(r"[^\W\d_]{2,}", item)
        or find_dates(text=item)
        or _FIRST_PERSON.search(item)
        or _has_contact(text=item)
        or looks_like_instruction(item)
    )


def _certifications(*, lines: list[Line]) -> list[str]:
    """One certification per line of the Certifications section."""
    return [line.text[:200] for line in lines if line.text][:MAX_CERTIFICATIONS]

"""Requirements read from a job description, for questions about what the role really needs.

Bullet points under requirement-like headings count first ("Requirements", "What you'll do", "You have"), then
sentences with requirement phrases ("experience with", "knowledge of"). Benefits, boilerplate and anything
addressed to the interviewer are left out.
"""

import re
from dataclasses import dataclass

from mockroom.cv.injection import looks_like_instruction
from mockroom.cv.skills import canonical_skill
from mockroom.text.sentences import sentences, words

_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣–]|\d{1,2}[.)])\s+")
_HEADING = re.compile(r"^\s*#*\s*([A-Za-z][A-Za-z '’&/-]{2,60}?)\s*:?\s*$")
_WANTED = re.compile(
    r"requirement|qualification|what you(?:'|’)?(?:ll)? (?:need|bring|have|do|will do)|you (?:have|bring|will|are)|"
    r"must[- ]have|skills|experience|responsibilit|about you|the role|your role|nice[- ]to[- ]have|bonus points|"
    r"ideal candidate|we(?:'|’)re looking for|looking for|in this role|key tasks|duties",
    re.IGNORECASE,
)
_NOT_WANTED = re.compile(
    r"benefit|perk|we offer|what we offer|compensation|salary|about us|about the company|who we are|how to apply|"
    r"equal opportunit|diversity|our values|culture|why join",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"\b(?:salary|benefits?|equity|pension|vacation|holidays?|pto|equal opportunity|perks|visa|insurance|gym|"
    r"stipend|parental leave|apply|application|per (?:year|annum|hour)|competitive pay|401k)\b",
    re.IGNORECASE,
)
_PHRASE = re.compile(
    r"(?:experience (?:with|in|of)|knowledge of|familiar(?:ity)? with|proficien\w* (?:in|with)|"
    r"expertise in|skilled in|ability to|background in|understanding of)\s+(.{3,90}?)(?:[.;]|$)",
    re.IGNORECASE,
)
_OBJECT = re.compile(
    r"^(?:(?:strong|solid|deep|proven|good|excellent|hands-on|practical|demonstrated|working|some|\d\+? years?(?: of)?)"
    r"\s+)*(?:experience(?: (?:with|in|of))?|knowledge of|familiar(?:ity)? with|"
    r"proficien\w* (?:in|with)|expertise (?:in|with)|skilled in|background in|understanding of|"
    r"comfort(?:able)? with|track record (?:of|in))\s+",
    re.IGNORECASE,
)
_ACTION = re.compile(
    r"^(?:design|build|own|lead|manage|run|operate|develop|create|drive|deliver|maintain|write|ship|mentor|coach|"
    r"support|partner|work|collaborate|analy[sz]e|plan|coordinate|improve|scale|grow|sell|negotiate|care|teach|"
    r"handle|monitor|implement|architect|define|set|establish|report|present|prepare|review|train|hire|recruit)\b",
    re.IGNORECASE,
)


_ADJECTIVES = frozenset(["strong", "solid", "deep", "proven", "good", "excellent", "great", "hands-on", "practical", "demonstrated", "working"])


@dataclass(frozen=True)
class Requirement:
    """One thing the role asks for: the phrase as written, what it is about, and whether it is something to do."""

    text: str
    subject: str
    is_action: bool


def requirements(job_description: str, *, limit: int = 12) -> list[Requirement]:
    """The role's requirements, in the order the job description gives them, without duplicates."""
    found: list[str] = []
    section_wanted = True
    for raw in job_description.splitlines():
        line = raw.strip()
        if not line:
            continue
        heading = _HEADING.match(line)
        if heading and not _BULLET.match(line) and len(words(line)) <= 8:
            title = heading.group(1)
            section_wanted = not _NOT_WANTED.search(title) and (bool(_WANTED.search(title)) or section_wanted)
            continue
        if _BULLET.match(line):
            item = _BULLET.sub("", line).strip().rstrip(".;")
            if section_wanted and _usable(item):
                found.append(item)
            continue
        for sentence in sentences(line):
            for match in _PHRASE.finditer(sentence):
                phrase = " ".join(match.group(0).rstrip(".;").split())
                if _usable(phrase):
                    found.append(phrase)
    unique: list[Requirement] = []
    seen: set[str] = set()
    for text in found:
        key = text.lower()
        if key in seen:
            continue
        seen.add(key)
        unique.append(_requirement(text))
    return unique[:limit]


def _usable(item: str) -> bool:
    count = len(words(item))
    return 2 <= count <= 30 and not looks_like_instruction(item) and not _BOILERPLATE.search(item)


def _requirement(text: str) -> Requirement:
    subject = _OBJECT.sub("", text).strip()
    subject = re.sub(r"^(?:you(?:'|’)ll |you will |you |to )", "", subject, flags=re.IGNORECASE)
    is_action = bool(_ACTION.match(subject))
    first = subject.split(" ", 1)[0] if subject else ""
    # A capital that only starts the bullet ("Designing idempotent APIs") goes; a name's ("Kafka", "SQL") stays.
    if first[:1].isupper() and first[1:] == first[1:].lower() and first.isalpha() and (
        is_action or canonical_skill(first) is None
    ):
        subject = subject[0].lower() + subject[1:]
    return Requirement(text=text, subject=subject or text, is_action=is_action)

"""Reads the entries of a CV's Experience, Education and Projects sections from their lines."""

import re
from dataclasses import dataclass, field

from mockroom.cv.lists import list_items
from mockroom.cv.schema import Education, Experience, Project
from mockroom.cv.sections import Line
from mockroom.cv.skills import canonical_skill, find_skills
from mockroom.cv.vocabulary import load_vocabulary

MAX_ENTRIES = 40
MAX_HIGHLIGHTS = 30
MAX_FIELD_CHARS = 600

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|spring|summer|autumn|fall|winter)\.?"
)
_YEAR = r"(?:19|20)\d{2}"
_DATE = (
    rf"(?:{_MONTH}\s*,?\s*(?:'\d{{2}}|{_YEAR})|(?:0?[1-9]|1[0-2])\s*[/.]\s*{_YEAR}|{_YEAR}\s*[/.-]\s*(?:0[1-9]|1[0-2])(?!\d)"
    rf"|{_YEAR})"
)
_NOW = r"(?:present|current(?:ly)?|now|today|ongoing|to\s+date|date)"
_RANGE = re.compile(
    rf"(?<![\w/])(?P<start>{_DATE})\s*(?:-{{1,2}}|–|—|~|→|\bto\b|\buntil\b|\btill\b)\s*(?P<end>{_DATE}|{_NOW})(?![\w/])",
    re.IGNORECASE,
)
_SINCE = re.compile(rf"\b(?:since|from)\s+(?P<start>{_DATE})(?![\w/])", re.IGNORECASE)
# A lone date counts only where a heading line would put it: at the start, or after a separator or bracket.
_LONE = re.compile(
    rf"(?:^|[|,(\[–—·•]\s*|\s-\s)(?:expected\s+|graduated\s+|class\s+of\s+)?(?P<start>{_DATE})(?![\w/])", re.IGNORECASE
)

_SEPARATORS = re.compile(r"\s+[|•·—–-]\s+|\s*\|\s*|\t|\s{3,}")
_AT = re.compile(r"\s+(?:at|@)\s+", re.IGNORECASE)
_REMOTE = re.compile(r"^\(?(?:remote|hybrid|on-?site|in-office)\b", re.IGNORECASE)
# One to three capitalised words, optionally followed by a region or country: "Warsaw", "Berlin, Germany",
# or two places joined: "London and Paris".
_PLACE = re.compile(
    r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2}(?:(?:,\s*|\s+(?:and|&)\s+)[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2})?"
)
# What follows an entry's dates and introduces its description: "2017–2025: ventilator care", "(2019) — Led ...".
_DESCRIPTION_LEAD = re.compile(r"^\s*[)\]]?\s*(?:(?P<colon>:)|[—–|-](?=\s))\s*")
# Form-style entries label each heading line: "Employer: Acme Ltd", "Position: Driver", "Dates: 2018 - present".
_FIELD = re.compile(
    r"^(?:(?P<company>employer|company|organi[sz]ation)|(?P<role>position|role|job\s+title|title)|"
    r"dates?|period|location)\s*:\s*",
    re.IGNORECASE,
)

_DEGREE = re.compile(
    r"(?<![\w.])(?:b\.?\s?sc|b\.?s|b\.?a|b\.?eng|b\.?tech|b\.?com|bba|m\.?\s?sc|m\.?s|m\.?a|m\.?eng|m\.?tech|mba|"
    r"m\.?phil|ph\.?\s?d|d\.?phil|ed\.?d|ll\.?[bm]|j\.?d|m\.?d|m\.?pharm|pharm\.?d|bachelor'?s?|master'?s?|"
    r"doctor(?:ate)?|associate'?s?\s+degree|"
    r"diploma|certificate|a-levels?|gcses?|high\s+school|baccalaureate|hnd|degree|abitur|licence|licenciatura|"
    r"t[ée]cnico\s+superior|grado|m[áa]ster|laurea|nvq|btec|apprenticeship|assessment|award|level\s+\d)"
    r"\.?(?![\w])",
    re.IGNORECASE,
)
_INSTITUTION = re.compile(
    r"\b(?:university|universit[äàéy]t?|universidad|universidade|università|universiteit|uniwersytet|college|"
    r"institute|institut|instituto|istituto|school|escuela|escola|scuola|academy|polytechnic|politecnico|"
    r"politechnika|hochschule|[ée]cole|lyc[ée]e|liceo|conservatory|bootcamp|iit|mit|eth)\b",
    re.IGNORECASE,
)
_TECH_LABEL = re.compile(
    r"^(?:tech(?:nologies|nology)?(?:\s+stack)?|stack|tools|built\s+with|made\s+with|skills|languages)\s*[:—–-]\s*",
    re.IGNORECASE,
)
# A line that starts with a short label and a colon: "Tools: Jira, Figma", "Duties: ...".
_LABELLED = re.compile(r"^[A-Z][\w &/'-]{0,30}:\s+\S")
_NAMED = re.compile(r"^(?P<name>[^:—–|]{2,60}?)\s*(?::(?!//)|\s[—–|-]\s)\s*(?P<rest>.+)$")


@dataclass(frozen=True)
class Dates:
    """A date range as written, the text left once it is taken out, and the text before and after it."""

    start: str | None
    end: str | None
    rest: str
    before: str = ""
    after: str = ""


@dataclass
class _Block:
    """The lines of one entry: heading lines first, then its highlights."""

    header: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    dated: bool = False


def find_dates(*, text: str, lone: bool = True) -> Dates | None:
    """The first date range in the text ("Jan 2020 – Present", "2019-2021", "since 2020", or a lone year)."""
    patterns = [_RANGE, _SINCE, _LONE] if lone else [_RANGE, _SINCE]
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            groups = match.groupdict()
            start, end = groups.get("start"), groups.get("end")
            if pattern is _LONE:
                start, end = None, start
            before, after = text[: match.start()], text[match.end() :]
            return Dates(
                start=_tidy_date(text=start),
                end=_tidy_date(text=end),
                rest=_tidy(text=f"{before} {after}"),
                before=before,
                after=after,
            )
    return None


def parse_experience(*, lines: list[Line]) -> list[Experience]:
    """Jobs from an Experience section, in the layouts CVs commonly use."""
    jobs = []
    for block in _blocks(lines=lines)[:MAX_ENTRIES]:
        job = _experience(block=block)
        if job.role or job.company:
            jobs.append(job)
    return jobs


def parse_education(*, lines: list[Line]) -> list[Education]:
    """Degrees from an Education section: an institution, a degree and dates in any order and layout."""
    entries: list[Education] = []
    current = Education()
    for line in lines:
        if not line.text or (line.bullet and not (_DEGREE.search(line.text) or _INSTITUTION.search(line.text))):
            continue
        dates = find_dates(text=line.text)
        if dates:
            if current.start or current.end:
                current = _next_entry(entries=entries, current=current)
            current.start, current.end = dates.start, dates.end
        for kind, part in _education_parts(text=dates.rest if dates else line.text):
            if kind == "unknown":
                _fill_unknown(entry=current, text=part)
                continue
            if getattr(current, kind):
                current = _next_entry(entries=entries, current=current)
            setattr(current, kind, part)
    _next_entry(entries=entries, current=current)
    return entries[:MAX_ENTRIES]


def parse_projects(*, lines: list[Line]) -> list[Project]:
    """Projects: a name (alone, or before ':' or a dash), a description, and the technologies they name."""
    drafts: list[_ProjectDraft] = []
    for line in lines:
        if line.text:
            _read_project_line(drafts=drafts, line=line)
    return [draft.project() for draft in drafts[:MAX_ENTRIES]]


def _read_project_line(*, drafts: list["_ProjectDraft"], line: Line) -> None:
    """Adds one line of a Projects section to the drafts: a new project, its technologies or its description."""
    text = line.text
    current = drafts[-1] if drafts else None
    label = _TECH_LABEL.match(text)
    if label and current:
        current.technologies.extend(list_items(text=text[label.end() :]))
        return
    named = _NAMED.match(text)
    if named and len(named.group("name").split()) <= 6 and (not line.bullet or current is None or current.from_bullet):
        rest, technologies = _split_technologies(text=named.group("rest"))
        name = _project_name(text=named.group("name"))
        drafts.append(_ProjectDraft(name=name, description=[rest], technologies=technologies, from_bullet=line.bullet))
    elif not line.bullet and _is_title(text=text) and (current is None or current.description or current.technologies):
        name, technologies = _split_technologies(text=text)
        name, _, listed = name.partition("|")
        drafts.append(_ProjectDraft(name=_tidy(text=name), technologies=technologies + list_items(text=listed)))
    elif current:
        current.description.append(text)


def _split_technologies(*, text: str) -> tuple[str, list[str]]:
    """Text without a trailing bracketed list of known technologies ("Mockroom (Python, React)"), and that list."""
    paren = re.search(r"\(([^)]*)\)\s*$", text)
    if paren and any(canonical_skill(item) for item in list_items(text=paren.group(1))):
        return text[: paren.start()].strip(), list_items(text=paren.group(1))
    return text, []


@dataclass
class _ProjectDraft:
    """A project while its lines are being read."""

    name: str
    description: list[str] = field(default_factory=list)
    technologies: list[str] = field(default_factory=list)
    from_bullet: bool = False

    def project(self) -> Project:
        """The finished project, its technologies completed from the skills it mentions."""
        description = _cap(text=" ".join(part for part in self.description if part)) or None
        found: dict[str, None] = {}
        for item in self.technologies:
            found.setdefault(canonical_skill(item) or item)
        for name in find_skills(f"{self.name}\n{description or ''}"):
            found.setdefault(name)
        return Project(name=_cap(text=self.name), description=description, technologies=list(found)[:30])


def _blocks(*, lines: list[Line]) -> list[_Block]:
    """Lines grouped into entries: an entry starts at a dated heading line or a short line leading into one."""
    blocks: list[_Block] = []
    current: _Block | None = None
    last_was_bullet = False
    gap = False
    for index, line in enumerate(lines):
        if not line.text:
            gap = True
            continue
        heading_bullet = line.bullet and _is_bullet_heading(text=line.text)
        if line.bullet and not heading_bullet:
            if current is None:
                current = _Block()
                blocks.append(current)
            current.body.append(line.text)
            last_was_bullet, gap = True, False
            continue
        dated = find_dates(text=line.text, lone=_can_hold_lone_date(text=line.text)) is not None
        if heading_bullet or _starts_entry(lines=lines, index=index, dated=dated, gap=gap):
            if current is None or current.body or (current.dated and dated) or len(current.header) >= 4:
                current = _Block()
                blocks.append(current)
            current.header.append(line.text)
            current.dated = current.dated or dated
        elif current is None:
            current = _Block(header=[line.text])
            blocks.append(current)
        elif current.body:
            # A labelled line ("Tools: Jira, Figma") is never the wrapped end of the bullet before it.
            if (last_was_bullet or not current.body[-1].endswith((".", "!", "?"))) and not _LABELLED.match(line.text):
                current.body[-1] = f"{current.body[-1]} {line.text}"
            else:
                current.body.append(line.text)
        elif line.text[:1].islower() and not current.header[-1].endswith((".", "!", "?")):
            # A one-line entry wrapped onto the next line ("..., 2019–present: 999 response, clinical lead on").
            current.header[-1] = f"{current.header[-1]} {line.text}"
        elif not current.dated and len(current.header) < 3 and _is_title(text=line.text):
            current.header.append(line.text)
        else:
            current.body.append(line.text)
        last_was_bullet, gap = False, False
    return blocks


def _is_bullet_heading(*, text: str) -> bool:
    """Whether a bulleted line heads an entry, as in nested Markdown lists ("- Nurse, NHS Trust (2019 – 2021)")."""
    dates = find_dates(text=text, lone=False)
    if dates is None or _tidy(text=dates.after) or not _is_title(text=dates.rest):
        return False
    words = set(re.findall(r"[a-z][a-z-]*", dates.rest.lower()))
    return bool(words & load_vocabulary().role_words) and bool(re.search(r",|\s[—–|-]\s|\s(?:at|@)\s", dates.rest))


def _starts_entry(*, lines: list[Line], index: int, dated: bool, gap: bool) -> bool:
    """Whether a non-bullet line opens an entry: it is dated, or a short title leading into a date or bullets."""
    text = lines[index].text
    if dated:
        return True
    # A labelled list under a job ("Skills: triage, IV therapy") belongs to it; only form fields ("Employer:") open one.
    if not _is_title(text=text) or (_LABELLED.match(text) and not _FIELD.match(text)):
        return False
    following = [line for line in lines[index + 1 : index + 4] if line.text]
    for line in following[:2]:
        if line.bullet:
            break
        if find_dates(text=line.text, lone=_can_hold_lone_date(text=line.text)):
            return True
    return gap and bool(following) and (following[0].bullet or _is_title(text=following[0].text))


def _can_hold_lone_date(*, text: str) -> bool:
    """Whether a line is short enough that a single year in it is the entry's date rather than a detail."""
    return len(text.split()) <= 12 and not text[:1].islower()


def _is_title(*, text: str) -> bool:
    """Whether a line reads like a heading (short, not a sentence) rather than prose."""
    return len(text.split()) <= 12 and not text.endswith((".", ";")) and not text[:1].islower()


def _experience(*, block: _Block) -> Experience:
    """One job from its heading lines (role, company, dates in any common layout) and highlight lines."""
    start = end = None
    parts: list[str] = []
    role = company = None
    descriptions: list[str] = []
    for line in block.header:
        field = _FIELD.match(line)
        text = line[field.end() :] if field else line
        dates = find_dates(text=text, lone=_can_hold_lone_date(text=text)) if start is None and end is None else None
        if dates:
            start, end = dates.start, dates.end
            text, description = _heading_and_description(dates=dates)
            descriptions.extend([description] if description else [])
        if field:
            # A form field says what it holds; "Dates:" and "Location:" add nothing once the dates are read.
            role = text if field.lastgroup == "role" else role
            company = text if field.lastgroup == "company" else company
            continue
        at = _AT.split(text, maxsplit=1)
        if len(at) == 2 and role is None and company is None:
            role, company = _tidy(text=at[0]), _tidy(text=_SEPARATORS.split(at[1])[0])
            continue
        parts.extend(part for part in (_tidy(text=piece) for piece in _SEPARATORS.split(text)) if part)
    if role is None or company is None:
        guessed_role, guessed_company = _role_and_company(
            parts=parts, bar_first=any("|" in text for text in block.header)
        )
        role, company = role or guessed_role, company or guessed_company
    return Experience(
        role=_cap(text=_tidy(text=role or "")) or None,
        company=_cap(text=_without_place(text=_tidy(text=company or ""))) or None,
        start=start,
        end=end,
        highlights=[_cap(text=text) for text in [*descriptions, *block.body][:MAX_HIGHLIGHTS]],
    )


def _heading_and_description(*, dates: Dates) -> tuple[str, str | None]:
    """A dated heading line as its heading and the description after it, if any ("Org, Role, 2017–2025: ICU care")."""
    lead = _DESCRIPTION_LEAD.match(dates.after)
    if lead and _tidy(text=dates.before):
        heading, description = _tidy(text=dates.before), dates.after[lead.end() :].strip()
        title, colon, rest = description.partition(": ")
        if not lead.group("colon") and colon and len(title.split()) <= 6 and _role_score(text=title) > 0:
            # "Oakwood School (2018–2023) – Year 2 Teacher: phonics lead": the title before the colon is heading too.
            heading, description = f"{heading} | {title}", rest.strip()
        # After a dash, a word or two is one more heading part ("— Remote"), not a description.
        if description and (lead.group("colon") or colon or len(description.split()) >= 4):
            return heading, description
    head, colon, tail = dates.rest.partition(": ")
    if colon and _tidy(text=head) and len(tail.split()) >= 2:
        return head, tail
    return dates.rest, None


def _role_and_company(*, parts: list[str], bar_first: bool) -> tuple[str | None, str | None]:
    """Which heading part is the role and which the company: role words decide, else the layout's usual order."""
    parts = _split_at_commas(parts=parts)
    if not parts:
        return None, None
    scores = [_role_score(text=part) for part in parts]
    if max(scores) > 0:
        role_index = scores.index(max(scores))
        return parts[role_index], _company(parts=[part for index, part in enumerate(parts) if index != role_index])
    parts = [part for part in parts if not _is_place(text=part)] or parts
    if len(parts) == 1:
        return None, parts[0]
    return (parts[1], parts[0]) if bar_first else (parts[0], parts[1])


def _split_at_commas(*, parts: list[str]) -> list[str]:
    """Heading parts split at their commas where those join a role and an employer ("Head Chef, The Ivy, London")."""
    if len(parts) == 1:
        pieces = [piece.strip() for piece in parts[0].split(",") if piece.strip()]
        roles = [_role_score(text=piece) > 0 for piece in pieces]
        return pieces if any(roles) and not all(roles) else parts
    split: list[str] = []
    for part in parts:
        pieces = [piece.strip() for piece in part.split(",") if piece.strip()]
        scores = [_role_score(text=piece) for piece in pieces]
        # Among other parts a comma may sit inside a title ("Director, Product"); split only a role from an employer.
        split.extend(pieces if pieces and max(scores) > 0 > min(scores) else [part])
    return split


def _company(*, parts: list[str]) -> str | None:
    """The employer among the heading parts that are not the role: the first one that is not a place."""
    if not parts:
        return None
    index = next((index for index, part in enumerate(parts) if not _is_place(text=part)), 0)
    following = parts[index + 1] if index + 1 < len(parts) else ""
    if following and _role_score(text=following) < 0 <= _role_score(text=parts[index]):
        # A department followed by the organisation it belongs to: "Biozentrum, University of Basel".
        return f"{parts[index]}, {following}"
    return parts[index]


def _is_place(*, text: str, bare: bool = False) -> bool:
    """Whether a heading part is a location ("Berlin, Germany", "Remote"); bare also accepts a lone "Warsaw"."""
    if _REMOTE.match(text):
        return True
    if not (bare or "," in text) or not _PLACE.fullmatch(text):
        return False
    return not any(word in load_vocabulary().company_words for word in re.findall(r"[a-z]+", text.lower()))


def _role_score(*, text: str) -> int:
    """How strongly a heading part reads as a job title (above zero) rather than an employer (below zero)."""
    vocabulary = load_vocabulary()
    words = re.findall(r"[a-z][a-z-]*", text.lower())
    if not words:
        return 0
    # The head word counts twice: the last ("Hotel Manager", "Grand Hotel") or the one before "of" ("Head of Pharmacy").
    key = words[words.index("of", 1) - 1] if "of" in words[1:] else words[-1]
    return sum(word in vocabulary.role_words for word in [*words, key]) - sum(
        word in vocabulary.company_words for word in [*words, key]
    )


def _without_place(*, text: str | None) -> str | None:
    """A company name without a trailing location or note ("Acme Corp, Berlin", "Vinamilk (in-house team)")."""
    if not text:
        return text
    text = re.sub(r"\s*\([^()]*\)$", "", text) or text
    if "," not in text:
        return text
    name, place = text.split(",", 1)
    return name.strip() if _is_place(text=place.strip(), bare=True) else text


def _education_parts(*, text: str) -> list[tuple[str, str]]:
    """An education line (dates taken out) as (kind, text) parts: 'institution', 'degree' or 'unknown'."""
    pieces = [piece for chunk in _SEPARATORS.split(text) for piece in _AT.split(chunk)]
    raws = [part for piece in pieces for part in (_tidy(text=raw) for raw in piece.split(",")) if part]
    named = any(_education_kind(text=part) == "institution" for part in raws)
    parts: list[tuple[str, str]] = []
    after_town = False
    for part in raws:
        kind = _education_kind(text=part)
        if kind == "unknown" and re.fullmatch(r"[A-Z]{2,}[A-Z&-]*", part) and not after_town:
            kind = "institution"
        if after_town and re.fullmatch(r"[A-Z]{2}", part):
            # "Harvard University, Cambridge, MA": a US state after the town, not an MA degree.
            continue
        after_town = kind == "unknown" and _is_town_of(institution=parts[-1] if parts else None, text=part)
        if after_town:
            continue
        # "BSc (Hons), Computer Science" or "University of California, Berkeley": one part, split by a comma. After a
        # degree that names its subject, on a line naming no institution, the next part is the institution instead.
        joins = parts and parts[-1][0] != "unknown" and (named or len(parts[-1][1].split()) <= 2)
        if kind == "unknown" and joins:
            parts[-1] = (parts[-1][0], f"{parts[-1][1]}, {part}")
        else:
            parts.append((kind, part))
    if named and not any(kind == "degree" for kind, _ in parts):
        # "CAPA (Paris Bar School), École de Formation du Barreau": beside a named institution, the unnamed part is
        # the qualification.
        parts = [("degree" if kind == "unknown" else kind, part) for kind, part in parts]
    return parts


def _is_town_of(*, institution: tuple[str, str] | None, text: str) -> bool:
    """Whether a part after an institution is its town ("Mary Immaculate College, Limerick"); the campus of a
    "University of" system ("University of California, Berkeley") stays part of the name."""
    if institution is None or institution[0] != "institution" or not _PLACE.fullmatch(text):
        return False
    return not re.match(r"university\s+of\b", institution[1], re.IGNORECASE)


def _education_kind(*, text: str) -> str:
    """'institution', 'degree' or 'unknown' for one part of an education line, by its words outside brackets."""
    # "CAPA (Paris Bar School)" is a qualification; the bracket only explains it.
    text = re.sub(r"\([^()]*\)", " ", text)
    degree, institution = _DEGREE.search(text), _INSTITUTION.search(text)
    if degree and institution:
        return "degree" if degree.start() < institution.start() else "institution"
    if institution:
        return "institution"
    return "degree" if degree else "unknown"


def _fill_unknown(*, entry: Education, text: str) -> None:
    """Puts an unclassified part into the entry's free slot, unless it looks like a detail ("GPA: 3.8")."""
    if ":" in text or len(text.split()) > 8:
        return
    if entry.degree and not entry.institution:
        entry.institution = text
    elif entry.institution and not entry.degree:
        entry.degree = text
    elif not entry.institution and not entry.degree:
        entry.institution = text


def _next_entry(*, entries: list[Education], current: Education) -> Education:
    """Keeps the current entry if it names anything, and starts a fresh one."""
    if current.institution or current.degree:
        current.institution = _cap(text=current.institution) or None
        current.degree = _cap(text=current.degree) or None
        entries.append(current)
    return Education()


def _project_name(*, text: str) -> str:
    """A project name without a trailing link or bracketed note."""
    return _tidy(text=re.sub(r"\s*\(.*$", "", text)) or _tidy(text=text)


def _tidy(*, text: str) -> str:
    """A fragment without the brackets, separators and spaces left around it."""
    text = re.sub(r"[^\S\t]+", " ", re.sub(r"\(\s*\)|\[\s*\]", "", text))
    previous = None
    while text != previous:
        previous = text
        text = text.strip(" ,;:|·•—–-\t")
        # Brackets at the ends are leftovers of a removed date unless they close a pair ("BSc (Hons)").
        for opening, closing in ("()", "[]"):
            if text.endswith(opening) or (text.endswith(closing) and text.count(opening) < text.count(closing)):
                text = text[:-1]
            if text.startswith(opening) and text.count(opening) > text.count(closing):
                text = text[1:]
    return text


def _tidy_date(*, text: str | None) -> str | None:
    """A date as written, with spacing evened out."""
    return re.sub(r"\s+", " ", text).strip() if text else None


def _cap(*, text: str | None) -> str:
    """The text, cut to a length fit for a profile field."""
    if not text:
        return ""
    return text if len(text) <= MAX_FIELD_CHARS else text[: MAX_FIELD_CHARS - 1].rstrip() + "…"

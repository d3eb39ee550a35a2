"""CV intake as the API and CLI use it: bytes in, text and profile out (or a CVError to show the user)."""

from pydantic import BaseModel

from mockroom.cv.intake import Format, extract_text
from mockroom.cv.profile import CVProfile, parse_profile

MAX_STORED_TEXT_CHARS = 20_000
# Long academic CVs put education last, so the parser reads further than we store.
MAX_PARSED_TEXT_CHARS = 60_000


class ParsedCV(BaseModel):
    """An uploaded CV: its format, its text (capped for storage), its page count and the parsed profile."""

    format: Format
    text: str
    text_truncated: bool = False
    pages: int | None = None
    profile: CVProfile


def intake(*, data: bytes) -> ParsedCV:
    """Reads and parses an uploaded CV; raises CVError with a code, an HTTP status and a message for the user."""
    document = extract_text(data)
    return ParsedCV(
        format=document.format,
        text=document.text[:MAX_STORED_TEXT_CHARS],
        text_truncated=len(document.text) > MAX_STORED_TEXT_CHARS,
        pages=document.pages,
        profile=parse_profile(document.text[:MAX_PARSED_TEXT_CHARS]),
    )

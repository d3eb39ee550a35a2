import pytest

from mockroom.cv.intake import CVError
from mockroom.cv.service import MAX_STORED_TEXT_CHARS, ParsedCV, intake


def test_intake_combines_format_text_pages_and_profile(pdf_cv: bytes):
    parsed = intake(data=pdf_cv)
    assert isinstance(parsed, ParsedCV)
    assert (parsed.format, parsed.pages, parsed.text_truncated) == ("pdf", 2, False)
    assert parsed.text.startswith("Jane Doe\nSenior Backend Engineer")
    assert parsed.profile.name == "Jane Doe"
    assert [job.company for job in parsed.profile.experience] == ["Acme Payments Ltd", "Globex Corporation", "Initech"]


def test_stored_text_is_capped_but_the_profile_reads_past_the_cap(txt_cv: bytes):
    filler = "\n".join(f"Interest {number}: long walks, chess and board games" for number in range(600))
    data = txt_cv.replace(b"EDUCATION", filler.encode() + b"\n\nEDUCATION")
    parsed = intake(data=data)
    assert len(parsed.text) == MAX_STORED_TEXT_CHARS and parsed.text_truncated
    assert "University of Manchester" not in parsed.text
    assert [entry.institution for entry in parsed.profile.education] == ["University of Manchester"]


def test_intake_raises_cv_errors_for_the_api_to_show():
    with pytest.raises(CVError) as caught:
        intake(data=b"")
    assert (caught.value.code, caught.value.status) == ("cv_empty", 422)

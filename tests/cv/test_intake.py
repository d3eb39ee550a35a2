import io
import random
import zipfile
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from mockroom.cv import intake
from mockroom.cv.intake import MAX_CV_BYTES, CVError, detect_format, extract_text

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def canvas_pdf(draw) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    draw(page)
    page.save()
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def replace_in_zip(data: bytes, name: str, content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    entries[name] = content
    return zip_bytes(entries)


def encrypted(data: bytes, *, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def assert_cv_error(data: bytes, *, code: str, status: int) -> CVError:
    with pytest.raises(CVError) as caught:
        extract_text(data)
    error = caught.value
    assert (error.code, error.status) == (code, status), error.message
    assert error.message.endswith(".") and len(error.message.split()) >= 8
    return error


@pytest.mark.parametrize(
    ("fixture", "expected", "misleading_name"),
    [
        ("pdf_cv", "pdf", "resume.docx"),
        ("docx_cv", "docx", "resume.pdf"),
        ("txt_cv", "txt", "resume.md"),
        ("md_cv", "md", "cv"),
    ],
)
def test_format_is_detected_by_content_not_name(request, tmp_path: Path, fixture, expected, misleading_name):
    path = tmp_path / misleading_name
    path.write_bytes(request.getfixturevalue(fixture))
    assert detect_format(path.read_bytes()) == expected
    assert extract_text(path.read_bytes()).format == expected


def test_text_with_byte_order_marks_is_read(txt_cv: bytes):
    text = txt_cv.decode("utf-8")
    for data in (b"\xef\xbb\xbf" + txt_cv, text.encode("utf-16"), b"\xfe\xff" + text.encode("utf-16-be")):
        document = extract_text(data)
        assert document.format == "txt"
        assert document.text.startswith("PRIYA SHARMA\nData Analyst")


def test_plain_text_with_dash_bullets_is_not_markdown():
    data = b"Sam Lee\nWelder\n\nExperience\n- Welded steel frames for ten years\n- Trained three apprentices\n"
    assert detect_format(data) == "txt"


def test_pdf_text_keeps_lines_pages_and_bullets(pdf_cv: bytes):
    document = extract_text(pdf_cv)
    assert document.pages == 2
    lines = document.text.split("\n")
    assert lines[:2] == ["Jane Doe", "Senior Backend Engineer"]
    assert "• Mentored four engineers and ran the backend hiring loop" in lines
    assert "\n\nProjects" in document.text  # the page break
    assert "\x7f" not in document.text and "  " not in document.text


def test_docx_text_has_paragraphs_and_table_rows_in_document_order(docx_cv: bytes):
    text = extract_text(docx_cv).text
    assert "Marketing | SEO, Content Marketing, Email Marketing" in text
    assert text.index("Skills") < text.index("Tools | HubSpot") < text.index("Experience")
    assert "• Grew marketing-sourced pipeline by 65% in 18 months" in text


def test_docx_reads_headers_and_nested_tables_but_not_hidden_text():
    document = Document()
    document.sections[0].header.paragraphs[0].text = "Ada Byron · ada@example.org"
    document.add_paragraph("Experience")
    outer = document.add_table(rows=1, cols=1)
    outer.rows[0].cells[0].text = "Analyst at Babbage & Co"
    inner = outer.rows[0].cells[0].add_table(rows=1, cols=2)
    inner.rows[0].cells[0].text, inner.rows[0].cells[1].text = "Engines", "2019 – 2021"
    paragraph = document.add_paragraph("Wrote the first published algorithm")
    paragraph.add_run(" SECRET KEYWORDS").font.hidden = True
    buffer = io.BytesIO()
    document.save(buffer)
    text = extract_text(buffer.getvalue()).text
    assert text.startswith("Ada Byron · ada@example.org")
    assert "Engines | 2019 – 2021" in text
    assert "Wrote the first published algorithm" in text and "SECRET" not in text


def test_pdf_encrypted_with_an_empty_user_password_is_read(pdf_cv: bytes):
    document = extract_text(encrypted(pdf_cv, user_password=""))
    assert document.text.startswith("Jane Doe")


def test_too_large_is_rejected_before_parsing(monkeypatch):
    monkeypatch.setattr(intake, "detect_format", lambda data: pytest.fail("parsed a file that is too large"))
    error = assert_cv_error(b"%PDF-1.7\n" + bytes(MAX_CV_BYTES + 1 - 9), code="cv_too_large", status=413)
    assert "5 MB" in error.message


def test_exactly_the_limit_is_not_too_large():
    with pytest.raises(CVError) as caught:
        extract_text(b"%PDF-1.7\n" + bytes(MAX_CV_BYTES - 9))
    assert caught.value.code == "cv_corrupt"


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (PNG, "PNG image"),
        (zip_bytes({"notes.txt": b"hello", "photo.jpg": b"\xff\xd8\xff"}), "ZIP archive"),
        (zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}), "Excel spreadsheet"),
        (zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}), "OpenDocument"),
        (OLE_DOC, ".doc"),
        (random.Random(7).randbytes(4096), None),
        (b"\x7fELF\x02\x01\x01" + bytes(100), "program"),
        (b"<!DOCTYPE html><html><body>CV</body></html>", "web page"),
        ("Jos\xe9 Garc\xeda, ingeniero de software con experiencia".encode("latin-1"), "UTF-8"),
    ],
)
def test_unsupported_types_are_named_when_recognisable(data: bytes, named: str | None):
    error = assert_cv_error(data, code="cv_unsupported_type", status=415)
    if named:
        assert named in error.message
    assert "PDF" in error.message or "UTF-8" in error.message


def test_truncated_pdf_is_corrupt(pdf_cv: bytes):
    error = assert_cv_error(pdf_cv[: len(pdf_cv) // 2], code="cv_corrupt", status=422)
    assert "PDF" in error.message


def test_docx_with_garbage_document_xml_is_corrupt(docx_cv: bytes):
    data = replace_in_zip(docx_cv, "word/document.xml", b"<w:document>\x00 not xml at all")
    error = assert_cv_error(data, code="cv_corrupt", status=422)
    assert "Word document" in error.message


def test_broken_zip_is_corrupt(docx_cv: bytes):
    assert_cv_error(docx_cv[:-200], code="cv_corrupt", status=422)


def test_any_pdf_library_failure_becomes_cv_corrupt(monkeypatch, pdf_cv: bytes):
    def explode(stream):
        raise KeyError("/Root")

    monkeypatch.setattr(intake, "PdfReader", explode)
    assert_cv_error(pdf_cv, code="cv_corrupt", status=422)


def test_pdf_needing_a_password_is_encrypted(pdf_cv: bytes):
    error = assert_cv_error(encrypted(pdf_cv, user_password="hunter2"), code="cv_encrypted", status=422)
    assert "password" in error.message


def test_image_only_pdf_has_no_text_layer():
    from PIL import Image

    scan = Image.new("RGB", (300, 400), "white")

    def draw(page):
        page.drawImage(ImageReader(scan), 50, 300, 300, 400)
        page.showPage()

    error = assert_cv_error(canvas_pdf(draw), code="cv_no_text_layer", status=422)
    assert ".docx" in error.message


@pytest.mark.parametrize(
    "make",
    [
        lambda: canvas_pdf(lambda page: page.showPage()),
        lambda: b"",
        lambda: b"  \n\t\n   ",
    ],
    ids=["blank-page-pdf", "empty-txt", "whitespace-txt"],
)
def test_documents_without_text_are_empty(make):
    assert_cv_error(make(), code="cv_empty", status=422)


def test_whitespace_only_docx_is_empty():
    document = Document()
    for _ in range(3):
        document.add_paragraph("   \t ")
    buffer = io.BytesIO()
    document.save(buffer)
    assert_cv_error(buffer.getvalue(), code="cv_empty", status=422)


def test_pdf_with_too_many_pages_is_rejected():
    def draw(page):
        for number in range(intake.MAX_PDF_PAGES + 1):
            page.drawString(72, 720, f"Page {number} of a very long document about many things")
            page.showPage()

    assert_cv_error(canvas_pdf(draw), code="cv_too_many_pages", status=422)


def test_docx_decompression_bomb_is_rejected(docx_cv: bytes):
    bomb = replace_in_zip(docx_cv, "word/media/padding.bin", bytes(intake.MAX_DOCX_UNCOMPRESSED_BYTES + 1))
    assert len(bomb) < MAX_CV_BYTES
    assert_cv_error(bomb, code="cv_too_large", status=413)

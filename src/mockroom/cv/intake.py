"""Turns an uploaded CV file (PDF, DOCX, plain text or Markdown) into clean text, or a CVError saying why not."""

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from typing import Any, Literal

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.package import OpcPackage
from docx.opc.part import Part, XmlPart
from docx.oxml.parser import parse_xml
from pydantic import BaseModel
from pypdf import PasswordType, PdfReader

Format = Literal["pdf", "docx", "txt", "md"]

MAX_CV_BYTES = 5 * 1024 * 1024
MAX_PDF_PAGES = 50
MAX_DOCX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_DOCX_ENTRIES = 2000
# Fewer letters and digits than this is a blank page, a stray page number or a logo, not a CV.
MIN_MEANINGFUL_CHARS = 20
# A PDF with images but under this much text per page is a scan, perhaps with a page number or a heading typed on.
MIN_CHARS_PER_IMAGE_PAGE = 50

_STATUS = {"cv_too_large": 413, "cv_unsupported_type": 415}
_UPLOAD_AS = "Upload your CV as a PDF, Word (.docx), plain-text (.txt) or Markdown (.md) file."
_PICTURE = "Upload the CV itself as a PDF with selectable text, a Word (.docx) or a plain-text file."
_EXTRACT = "Unpack it and upload your CV itself as a PDF, Word (.docx), plain-text or Markdown file."

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_WORD_MAIN_TYPES = {
    CT.WML_DOCUMENT_MAIN,
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}

_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Word .doc (Office 97–2003) file",
        "Open it in Word, save it as .docx or export it as a PDF, then upload that.",
    ),
    (b"{\\rtf", "an RTF document", "Open it in your word processor, save it as .docx or PDF, then upload that."),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", _PICTURE),
    (b"\xff\xd8\xff", "a JPEG image", _PICTURE),
    (b"GIF87a", "a GIF image", _PICTURE),
    (b"GIF89a", "a GIF image", _PICTURE),
    (b"II*\x00", "a TIFF image", _PICTURE),
    (b"MM\x00*", "a TIFF image", _PICTURE),
    (b"\x7fELF", "a program (executable)", _UPLOAD_AS),
    (b"\xcf\xfa\xed\xfe", "a program (executable)", _UPLOAD_AS),
    (b"\xfe\xed\xfa\xcf", "a program (executable)", _UPLOAD_AS),
    (b"\x1f\x8b", "a compressed (gzip) archive", _EXTRACT),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", _EXTRACT),
    (b"Rar!\x1a\x07", "a RAR archive", _EXTRACT),
    (b"%!PS", "a PostScript file", "Convert it to PDF and upload that."),
)
_ZIP_KINDS: tuple[tuple[str, str], ...] = (
    ("xl/workbook.xml", "an Excel spreadsheet"),
    ("ppt/presentation.xml", "a PowerPoint presentation"),
    ("Index/Document.iwa", "an Apple Pages document"),
)
_ODF_KINDS = {
    "application/vnd.oasis.opendocument.text": "an OpenDocument text (.odt) file",
    "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (.ods)",
    "application/epub+zip": "an e-book (EPUB)",
}

_MD_HEADING = re.compile(r"^#{1,6}\s+\S", re.MULTILINE)
_MD_LINK = re.compile(r"\[[^\]\n]+\]\([^)\s]+\)")
_MD_EMPHASIS = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__|(?<![\w*])\*[^*\s][^*\n]*\*(?![\w*])")
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,2}\.)\s+\S", re.MULTILINE)
_MD_CODE = re.compile(r"`[^`\n]+`")
_MD_SETEXT = re.compile(r"^\S.*\n(?:=+|-+)[ \t]*$", re.MULTILINE)

_SPACES = dict.fromkeys(
    map(ord, "\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"),
    " ",
)
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_LINE_BREAKS = dict.fromkeys(map(ord, "\u2028\u2029\u0085"), "\n")


class CVError(Exception):
    """A CV upload that cannot be used: a machine code, an HTTP status and a sentence telling the user what to do."""

    def __init__(self, *, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = _STATUS.get(code, 422)


class ExtractedDocument(BaseModel):
    """The text of an uploaded CV, with its detected format and (for PDFs) page count."""

    format: Format
    text: str
    pages: int | None = None


def detect_format(data: bytes) -> Format:
    """The CV format of these bytes, judged by content alone; raises CVError for anything unsupported."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _detect_zip(data=data)
    for magic, what, advice in _MAGIC:
        if data.startswith(magic):
            raise _unsupported(what=what, advice=advice)
    if data.startswith(b"MZ") and b"\x00" in data[:256]:
        raise _unsupported(what="a Windows program (executable)", advice=_UPLOAD_AS)
    text = _decode_text(data=data)
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype html", "<html")):
        raise _unsupported(what="a web page (HTML)", advice="Print it to PDF from your browser and upload that.")
    return "md" if _looks_like_markdown(text=text) else "txt"


def extract_text(data: bytes) -> ExtractedDocument:
    """The normalised text of a CV file; raises CVError when it is too large, unsupported, unreadable or empty."""
    if len(data) > MAX_CV_BYTES:
        raise CVError(
            code="cv_too_large",
            message=f"This file is {len(data) / 1024 / 1024:.1f} MB; the limit is {MAX_CV_BYTES // 1024 // 1024} MB. "
            "Export your CV again without large images (or compress the PDF) and upload it again.",
        )
    file_format = detect_format(data)
    if file_format == "pdf":
        return _extract_pdf(data=data)
    text = _extract_docx(data=data) if file_format == "docx" else _normalise(text=_decode_text(data=data))
    if _meaningful_chars(text=text) < MIN_MEANINGFUL_CHARS:
        raise _empty()
    return ExtractedDocument(format=file_format, text=text)


def _unsupported(*, what: str, advice: str) -> CVError:
    """The error for a file we recognise but cannot read as a CV."""
    return CVError(code="cv_unsupported_type", message=f"This file looks like {what}, which isn't supported. {advice}")


def _empty() -> CVError:
    """The error for a readable file with no usable text in it."""
    return CVError(
        code="cv_empty",
        message="This file contains no readable text. Check that you picked your CV and upload it again.",
    )


def _corrupt(*, kind: str, advice: str) -> CVError:
    """The error for a file of a supported kind that is damaged."""
    return CVError(code="cv_corrupt", message=f"This {kind} appears to be damaged and can't be read. {advice}")


def _corrupt_docx() -> CVError:
    """The error for a Word document that cannot be opened."""
    return _corrupt(
        kind="Word document",
        advice="Open it in Word, save it again as .docx (or export it as a PDF) and upload that.",
    )


def _detect_zip(*, data: bytes) -> Format:
    """'docx' for a Word document; raises CVError for any other ZIP-based file or a broken archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip() if "mimetype" in names else ""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError) as error:
        # A ZIP whose directory is unreadable could be anything; the raw entry names say if it was a Word file.
        kind = "Word document" if b"word/" in data[:MAX_CV_BYTES] else "ZIP file"
        raise _corrupt(kind=kind, advice="Save or export your CV again and upload the new file.") from error
    what = _ODF_KINDS.get(mimetype) or next((kind for name, kind in _ZIP_KINDS if name in names), "a ZIP archive")
    advice = _EXTRACT if what == "a ZIP archive" else "Save or export it as .docx or PDF and upload that."
    raise _unsupported(what=what, advice=advice)


def _decode_text(*, data: bytes) -> str:
    """The bytes as text (UTF-8, UTF-8 with BOM, or UTF-16 with BOM); raises CVError for anything else."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        elif b"\x00" in data:
            raise UnicodeDecodeError("utf-8", data, 0, 1, "NUL byte in text")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _not_text(data=data) from error
    if not _mostly_printable(text=text):
        raise _not_text(data=data)
    return text


def _not_text(*, data: bytes) -> CVError:
    """The error for bytes that are neither a known format nor UTF-8 text, worded for near-text when it is."""
    sample = data[:4096]
    ascii_printable = sum(32 <= byte < 127 or byte in b"\r\n\t" for byte in sample)
    if b"\x00" not in sample and sample and ascii_printable / len(sample) > 0.85:
        return CVError(
            code="cv_unsupported_type",
            message="This text file isn't saved as UTF-8, so its characters can't be read reliably. "
            "Save it again with UTF-8 encoding (most editors offer it under 'Save as') and upload it again.",
        )
    return CVError(code="cv_unsupported_type", message=f"This file type isn't supported. {_UPLOAD_AS}")


def _mostly_printable(*, text: str) -> bool:
    """Whether nearly every character of the text is printable or ordinary whitespace."""
    sample = text[:20_000]
    if not sample:
        return True
    printable = sum(char.isprintable() or char in "\n\r\t\f" for char in sample)
    return printable / len(sample) >= 0.97


def _looks_like_markdown(*, text: str) -> bool:
    """Whether the text uses Markdown structure: a heading or link, or at least two other kinds of markup."""
    if _MD_HEADING.search(text) or _MD_LINK.search(text) or _MD_SETEXT.search(text):
        return True
    lesser = [_MD_EMPHASIS, _MD_LIST, _MD_CODE]
    return sum(bool(pattern.search(text)) for pattern in lesser) >= 2


def _meaningful_chars(*, text: str) -> int:
    """How many letters and digits the text has."""
    return sum(char.isalnum() for char in text)


def _normalise(*, text: str) -> str:
    """Text with unified line breaks, spaces and compatibility characters; line structure kept, blank runs shortened."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    text = text.translate(_SPACES).translate(_INVISIBLE)
    lines = []
    for raw in text.split("\n"):
        # Symbol-font bullets (Word's Wingdings) arrive as private-use characters; they only mean "bullet".
        line = re.sub(r"^[\ue000-\uf8ff]", "•", raw.strip())
        line = "".join(char for char in line if (char.isprintable() or char == "\t") and not _is_private_use(char=char))
        # A tab separates columns ("Acme Corp<tab>2019 – 2021"), so it survives as one tab.
        line = re.sub(r" *\t[\t ]*", "\t", line)
        lines.append(re.sub(r" {2,}", " ", line).strip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _is_private_use(*, char: str) -> bool:
    """Whether the character is in the Unicode private-use area (font-specific glyphs with no meaning as text)."""
    return unicodedata.category(char) == "Co"


def _extract_pdf(*, data: bytes) -> ExtractedDocument:
    """The text of a PDF, one block per page; raises CVError when it is locked, damaged, scanned or empty."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise _encrypted()
        page_count = len(reader.pages)
        if page_count > MAX_PDF_PAGES:
            raise CVError(
                code="cv_too_many_pages",
                message=f"This PDF has {page_count} pages; Mockroom reads CVs of up to {MAX_PDF_PAGES} pages. "
                "Upload a shorter version of your CV.",
            )
        texts = [page.extract_text() or "" for page in reader.pages]
        has_images = any(_page_has_images(page=page) for page in reader.pages)
    except (CVError, MemoryError):  # a file that needs too much memory is not a damaged one
        raise
    except Exception as error:  # pypdf raises many kinds (and plain Python errors) on damaged files
        if _was_encrypted(data=data):
            raise _encrypted() from error
        raise _corrupt(
            kind="PDF", advice="Open it and export or print it to a new PDF, then upload it again."
        ) from error
    # WinAnsi fonts draw a bullet at code 127, which pypdf passes through as a DEL control character.
    text = _normalise(text="\n\n".join(texts).replace("\x7f", "•"))
    meaningful = _meaningful_chars(text=text)
    if has_images and meaningful < MIN_CHARS_PER_IMAGE_PAGE * page_count:
        raise CVError(
            code="cv_no_text_layer",
            message="This PDF contains only images of text (it looks scanned), so it can't be read. "
            "Export your CV from the original document as a PDF with selectable text, or upload it as .docx or .txt.",
        )
    if meaningful < MIN_MEANINGFUL_CHARS:
        raise _empty()
    return ExtractedDocument(format="pdf", text=text, pages=page_count)


def _encrypted() -> CVError:
    """The error for a PDF that needs a password to open."""
    return CVError(
        code="cv_encrypted",
        message="This PDF is password-protected. Remove the password (for example, print it to a new PDF) "
        "and upload it again.",
    )


def _was_encrypted(*, data: bytes) -> bool:
    """Whether the PDF declares encryption, so a failure to read it is most likely the encryption's doing."""
    return re.search(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)", data) is not None


def _page_has_images(*, page: Any) -> bool:
    """Whether a PDF page draws any image (directly, in a form, or inline)."""
    try:
        return len(page.images) > 0
    except Exception:  # an image we cannot enumerate is still an image on the page
        return True


def _extract_docx(*, data: bytes) -> str:
    """The text of a Word document: page header and footer lines first, then the body in document order."""
    _check_zip_bomb(data=data)
    try:
        package = OpcPackage.open(io.BytesIO(data))
        main = package.main_document_part
        if main.content_type not in _WORD_MAIN_TYPES:
            raise _corrupt_docx()
        lines = list(_docx_part_lines(part=main))
        extras = [rel.target_part for rel in main.rels.values() if rel.reltype in (RT.HEADER, RT.FOOTER)]
        margins: list[str] = []
        for part in extras:
            margins.extend(line for line in _docx_part_lines(part=part) if line.strip() and line not in margins)
    except (CVError, MemoryError):
        raise
    except Exception as error:  # python-docx and lxml raise many kinds on damaged packages
        raise _corrupt_docx() from error
    # Templates often put the name and contact details in the page header.
    return _normalise(text="\n".join([*margins, "", *lines]))


def _check_zip_bomb(*, data: bytes) -> None:
    """Raises CVError when the archive would unpack to more than the limit (reads stop at the declared sizes)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except Exception as error:  # the directory was readable during detection, so anything here is damage
        raise _corrupt_docx() from error
    if len(entries) > MAX_DOCX_ENTRIES or sum(entry.file_size for entry in entries) > MAX_DOCX_UNCOMPRESSED_BYTES:
        raise CVError(
            code="cv_too_large",
            message="This Word document unpacks to more than "
            f"{MAX_DOCX_UNCOMPRESSED_BYTES // 1024 // 1024} MB. Remove large images or embedded files, "
            "save it again and upload it (or export it as a PDF).",
        )


def _docx_part_lines(*, part: Part) -> Iterator[str]:
    """The text lines of one Word part (document body, header or footer)."""
    element = part.element if isinstance(part, XmlPart) else parse_xml(part.blob)
    links = {rid: rel.target_ref for rid, rel in part.rels.items() if rel.is_external}
    body = element.find(f"{_W}body")
    yield from _docx_blocks(container=body if body is not None else element, links=links)


def _docx_blocks(*, container: Any, links: dict[str, str]) -> Iterator[str]:
    """Lines of the paragraphs and tables in a block container, in document order."""
    for child in container:
        if child.tag == f"{_W}p":
            yield from _docx_paragraph(paragraph=child, links=links)
        elif child.tag == f"{_W}tbl":
            yield from _docx_table(table=child, links=links)
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            # Word's CV templates wrap whole sections in content controls.
            yield from _docx_blocks(container=child, links=links)


def _docx_paragraph(*, paragraph: Any, links: dict[str, str]) -> Iterator[str]:
    """A paragraph's lines ('• ' in front for list items), then the lines of any text boxes anchored in it."""
    pieces: list[str] = []
    boxes: list[Any] = []
    _docx_runs(element=paragraph, links=links, pieces=pieces, boxes=boxes)
    text = "".join(pieces)
    if text.strip() and _docx_is_list_item(paragraph=paragraph):
        text = "• " + text.lstrip()
    yield from text.split("\n")
    for box in boxes:
        yield from _docx_blocks(container=box, links=links)


def _docx_runs(*, element: Any, links: dict[str, str], pieces: list[str], boxes: list[Any]) -> None:
    """Appends the visible text under element to pieces, and text boxes found under it to boxes."""
    for child in element:
        tag = child.tag
        if tag == f"{_W}t":
            pieces.append(child.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            pieces.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            pieces.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            pieces.append("-")
        elif tag == f"{_W}txbxContent":
            boxes.append(child)
        elif tag == _MC_FALLBACK or (tag == f"{_W}r" and _docx_is_hidden(run=child)):
            # The fallback repeats the preferred content for old readers; hidden runs are invisible to a reader.
            continue
        elif tag == f"{_W}hyperlink":
            start = len(pieces)
            _docx_runs(element=child, links=links, pieces=pieces, boxes=boxes)
            url = links.get(child.get(f"{_R}id") or "", "")
            if url.startswith("http") and url not in "".join(pieces[start:]):
                pieces.append(f" ({url})")
        else:
            _docx_runs(element=child, links=links, pieces=pieces, boxes=boxes)


def _docx_is_hidden(*, run: Any) -> bool:
    """Whether a run is formatted as hidden text."""
    vanish = run.find(f"{_W}rPr/{_W}vanish")
    return vanish is not None and vanish.get(f"{_W}val", "true") not in ("false", "0", "off")


def _docx_is_list_item(*, paragraph: Any) -> bool:
    """Whether a paragraph is numbered or bulleted, directly or through a list style."""
    properties = paragraph.find(f"{_W}pPr")
    if properties is None:
        return False
    style = properties.find(f"{_W}pStyle")
    style_name = (style.get(f"{_W}val") or "") if style is not None else ""
    return properties.find(f"{_W}numPr") is not None or style_name.lower().startswith("list")


def _docx_table(*, table: Any, links: dict[str, str]) -> Iterator[str]:
    """A table's lines: a row of one-line cells becomes 'a | b | c'; taller cells are read one after another."""
    for row in _docx_own(element=table, tag="tr", owner="tbl"):
        cells = [
            [line for line in _docx_blocks(container=cell, links=links) if line.strip()]
            for cell in _docx_own(element=row, tag="tc", owner="tr")
        ]
        cells = [cell for cell in cells if cell]
        if all(len(cell) == 1 for cell in cells):
            yield " | ".join(cell[0].strip() for cell in cells)
        else:
            for cell in cells:
                yield from cell


def _docx_own(*, element: Any, tag: str, owner: str) -> Iterator[Any]:
    """Descendants with this tag that belong to element itself, not to a table nested inside it."""
    for found in element.iter(f"{_W}{tag}"):
        if next(found.iterancestors(f"{_W}{owner}"), None) is element:
            yield found

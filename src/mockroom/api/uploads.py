"""Reading CV uploads: the form they come in (UTF-8 fields only), a hard size cap, a parse in a worker process with
limits, and intake failures turned into API errors."""

import os
from contextlib import aclosing
from functools import cache

import anyio
import anyio.to_thread
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from mockroom.core.config import Settings
from mockroom.core.errors import AppError
from mockroom.cv import isolation
from mockroom.cv.intake import CVError
from mockroom.cv.service import ParsedCV


async def read_cv(upload: UploadFile, *, settings: Settings) -> ParsedCV:
    """The parsed CV, or an AppError with the intake's code, status and advice."""
    data = await upload.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise AppError(
            code="cv_too_large",
            message=f"The CV is larger than {settings.max_upload_bytes // (1024 * 1024)} MB. "
            "Export it again without large images and upload it again.",
            status=413,
        )
    try:
        return await anyio.to_thread.run_sync(lambda: isolation.read(data=data), limiter=_parsing())
    except CVError as error:
        raise AppError(code=error.code, message=error.message, status=error.status) from error


@cache
def _parsing() -> anyio.CapacityLimiter:
    """At most one CV worker per core; further uploads wait their turn without holding a server thread."""
    return anyio.CapacityLimiter(os.cpu_count() or 1)


async def read_form(request: Request, *, settings: Settings) -> tuple[dict[str, str], ParsedCV | None]:
    """The text fields of a multipart form and its parsed CV (the `cv` file, if one was chosen)."""
    try:
        async with aclosing(request.stream()) as stream:
            form = await _StrictParser(request.headers, stream, max_files=1, max_fields=20).parse()
    except MultiPartException as error:
        raise AppError(code="invalid_request", message=f"Invalid request. {error.message}", status=422) from error
    try:
        fields = {key: value for key, value in form.items() if isinstance(value, str) and key != "cv"}
        upload = form.get("cv")
        cv = None
        if isinstance(upload, UploadFile) and (upload.filename or upload.size):
            cv = await read_cv(upload, settings=settings)
        return fields, cv
    finally:
        await form.close()


class _StrictParser(MultiPartParser):
    """Starlette's multipart parser, refusing a text field that is not UTF-8 (Starlette would silently read it as
    Latin-1, and the interview would store mojibake)."""

    def on_part_end(self) -> None:
        part = self._current_part
        if part.file is None and not _is_utf8(bytes(part.data), charset=self._charset):
            raise MultiPartException(
                f"The form field '{part.field_name[:50]}' is not valid UTF-8 text; send form fields as UTF-8."
            )
        super().on_part_end()


def _is_utf8(data: bytes, *, charset: str) -> bool:
    """Whether a field's bytes are UTF-8 and were declared as such (or not declared at all)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return charset == "utf-8"

"""Reading CV uploads with a hard size cap, and turning intake failures into API errors."""

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from mockroom.core.config import Settings
from mockroom.core.errors import AppError
from mockroom.cv.intake import CVError
from mockroom.cv.service import ParsedCV, intake


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
        return await run_in_threadpool(intake, data=data)
    except CVError as error:
        raise AppError(code=error.code, message=error.message, status=error.status) from error

"""CV preview: parse an upload and show what was understood, without starting an interview."""

from typing import Annotated

from fastapi import APIRouter, Depends, File, UploadFile
from starlette.concurrency import run_in_threadpool

from mockroom.api.deps import SettingsDep
from mockroom.api.limits import rate_limit
from mockroom.api.security import current_principal
from mockroom.api.uploads import read_cv
from mockroom.interviews.schemas import CVParseOut, CVProfileOut, ErrorOut

router = APIRouter(tags=["cv"], dependencies=[Depends(current_principal)])
CVUpload = Annotated[UploadFile, File(description="PDF, DOCX, TXT or Markdown, at most 5 MB")]


@router.post(
    "/cv/parse",
    response_model=CVParseOut,
    responses={413: {"model": ErrorOut}, 415: {"model": ErrorOut}, 422: {"model": ErrorOut}},
    dependencies=[rate_limit("cv_parse_per_user")],
)
async def parse_cv(settings: SettingsDep, cv: CVUpload) -> CVParseOut:
    """Parses a CV (detected by content) into a profile; nothing is stored."""
    parsed = await read_cv(cv, settings=settings)
    return await run_in_threadpool(
        lambda: CVParseOut(
            format=parsed.format,
            pages=parsed.pages,
            profile=CVProfileOut.model_validate(parsed.profile.model_dump()),
            text_preview=parsed.text[:500],
        )
    )

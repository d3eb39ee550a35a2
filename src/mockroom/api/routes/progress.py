"""Progress over time for the signed-in user."""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from mockroom.api.deps import DatabaseDep
from mockroom.api.security import CurrentUser
from mockroom.interviews.schemas import ErrorOut
from mockroom.progress.service import progress as compute

router = APIRouter(tags=["progress"], responses={401: {"model": ErrorOut}})


class ProgressPoint(BaseModel):
    id: str
    date: str
    level: str
    overall_score: int
    recommendation: str | None
    dimensions: dict[str, int]


class TopicProgress(BaseModel):
    topic: str
    points: list[ProgressPoint]


class DimensionTrend(BaseModel):
    name: str
    scores: list[int]
    first: int
    latest: int
    average: float


class Theme(BaseModel):
    theme: str
    interviews: int
    example: str | None


class PracticeStep(BaseModel):
    topic: str
    why: str


class UserProgressOut(BaseModel):
    interviews: int
    scored: int
    topics: list[TopicProgress]
    dimensions: list[DimensionTrend]
    themes: list[Theme]
    plan: list[PracticeStep]


@router.get("/progress", response_model=UserProgressOut)
async def progress(principal: CurrentUser, db: DatabaseDep) -> dict[str, Any]:
    """Scores over time per topic and dimension, the most frequent improvement themes, and a practice plan."""
    return await run_in_threadpool(lambda: compute(db=db, owner_id=principal.user_id))

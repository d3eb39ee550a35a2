"""Health probes and the list of bank topics (for the setup screen's suggestions).

The probes need no sign-in and pass the Host allow-list like every route: `/health/live` says the process runs
(a restart is due when it does not answer), `/health/ready` says it can serve (a load balancer sends traffic only
while it answers 200). `/health` is the older liveness probe, kept for existing checks.
"""

from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from mockroom import __version__
from mockroom.api import readiness
from mockroom.core.config import Settings
from mockroom.interviews.schemas import TopicOut
from mockroom.questions.bank import load_bank

router = APIRouter(tags=["meta"])


class LiveOut(BaseModel):
    status: Literal["ok"] = "ok"
    version: str


class ReadyOut(BaseModel):
    """Whether the server can serve, and each dependency's state: 'ok', 'not configured' or why it is not ready."""

    status: Literal["ready", "not_ready"]
    checks: dict[str, str] = Field(examples=[{"database": "ok", "redis": "not configured"}])


@router.get("/health")
def health() -> dict[str, str]:
    """Liveness: the server is up."""
    return {"status": "ok", "version": __version__}


@router.get("/health/live", response_model=LiveOut)
def live() -> LiveOut:
    """Liveness: the process is up and answering; nothing else is checked."""
    return LiveOut(version=__version__)


@router.get("/health/ready", response_model=ReadyOut,
            responses={503: {"model": ReadyOut, "description": "Not ready: `checks` names what failed."}})
async def ready(request: Request, response: Response) -> ReadyOut:
    """Readiness: the database answers and is migrated, and Redis answers when one is configured."""
    settings: Settings = request.app.state.settings
    checks = {"database": lambda: readiness.check_database(request.app.state.db)}
    if settings.redis_url:
        redis = getattr(request.app.state, "readiness_redis", None)
        if redis is None:
            redis = request.app.state.readiness_redis = readiness.redis_check(
                settings.redis_url, settings.readiness_timeout_seconds)
        checks["redis"] = redis
    results = await readiness.run_checks(checks, timeout=settings.readiness_timeout_seconds)
    if not settings.redis_url:
        results["redis"] = "not configured"
    ok = all(results[name] == "ok" for name in checks)
    response.status_code = 200 if ok else 503
    return ReadyOut(status="ready" if ok else "not_ready", checks=results)


@router.get("/topics", response_model=list[TopicOut])
def topics() -> list[TopicOut]:
    """Topics of the built-in question bank; any other topic is accepted too."""
    return [TopicOut(slug=t.topic, title=t.title, category=t.category) for t in load_bank().values()]

"""Interview routes: thin views that parse, call the service and shape the response."""

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse, StreamingResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from mockroom.api.deps import BrainDep, DatabaseDep, SettingsDep
from mockroom.api.limits import rate_limit
from mockroom.api.security import CurrentUser, require_owner
from mockroom.api.uploads import read_form
from mockroom.coding.runner.errors import RunnerBusy
from mockroom.core.errors import AppError
from mockroom.core.metrics import timed_turn
from mockroom.db.models import Interview, Message, aware
from mockroom.interviews import coding, service
from mockroom.interviews.schemas import (
    AnswerCreate,
    AnswerOut,
    CodeIn,
    CodeRunOut,
    CodingTestOut,
    ErrorOut,
    HintOut,
    InterviewCreate,
    InterviewOut,
    InterviewSummaryOut,
    MessageOut,
    ReportOut,
)
from mockroom.reports.transcript import render_transcript

router = APIRouter(tags=["interviews"], dependencies=[Depends(require_owner)])
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut}, 409: {"model": ErrorOut}, 422: {"model": ErrorOut}
}
_CREATE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": InterviewCreate.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["topic"],
                    "properties": {
                        **{
                            name: {"type": "string"}
                            for name in ("topic", "level", "kind", "language", "job_description")
                        },
                        "duration_minutes": {"type": "integer", "minimum": 5, "maximum": 60},
                        "cv": {"type": "string", "format": "binary", "description": "PDF, DOCX, TXT or MD, ≤ 5 MB"},
                    },
                }
            },
        },
    }
}


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else aware(value)


def message_out(message: Message) -> MessageOut:
    provenance = (message.meta or {}) if message.role == "interviewer" else {}
    return MessageOut(
        id=message.id, seq=message.seq, role=message.role,  # type: ignore[arg-type]
        text=message.text, created_at=_utc(message.created_at),  # type: ignore[arg-type]
        phase=message.phase, move=message.move,
        brain=provenance.get("brain"), fallback_reason=provenance.get("fallback_reason"),
    )


def interview_out(interview: Interview) -> InterviewOut:
    return InterviewOut.model_validate({
        "id": interview.id,
        "status": interview.status,
        "topic": interview.topic,
        "level": interview.level,
        "kind": interview.kind,
        "duration_minutes": interview.duration_minutes,
        "language": interview.language,
        "job_description": interview.job_description,
        "cv": interview.cv_profile,
        "matched_topics": interview.matched_topics,
        "messages": [message_out(m) for m in interview.messages],
        "progress": service.progress(interview),
        "notices": interview.notices,
        "brain": interview.brain,
        "coding": coding.exercise_view(interview),
        "created_at": _utc(interview.created_at),
        "ended_at": _utc(interview.ended_at),
    })


async def _create_request(request: Request, settings: Any) -> tuple[InterviewCreate, Any]:
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.startswith("multipart/form-data"):
            fields, cv = await read_form(request, settings=settings)
            return InterviewCreate.model_validate(fields), cv
        if content_type.startswith("application/json") or not content_type:
            return InterviewCreate.model_validate_json(await request.body()), None
    except ValidationError as error:
        details = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in error.errors()]
        where = "; ".join(f"{'.'.join(str(p) for p in d['loc'])}: {d['msg']}" for d in details[:3])
        raise AppError(code="invalid_request", message=f"Invalid request. {where}", status=422) from error
    raise AppError(
        code="unsupported_media_type",
        message="Send the settings as JSON, or as multipart/form-data when uploading a CV.",
        status=415,
    )


@router.post(
    "/interviews", status_code=201, response_model=InterviewOut, openapi_extra=_CREATE_BODY,
    responses={**_ERRORS, 413: {"model": ErrorOut}, 415: {"model": ErrorOut}},
    dependencies=[rate_limit("interview_start_per_ip", "interview_start_per_user")],
)
async def create_interview(
    request: Request, db: DatabaseDep, brain: BrainDep, settings: SettingsDep, principal: CurrentUser
) -> InterviewOut:
    """Starts an interview: JSON settings, or multipart with an optional CV file."""
    body, cv = await _create_request(request, settings)
    interview = await run_in_threadpool(
        lambda: service.create(
            db=db, brain=brain, request=body, cv=cv, interviewer_name=settings.interviewer_name,
            coding_available=request.app.state.coding_available(), owner_id=principal.user_id,
        )
    )
    return interview_out(interview)


@router.get("/interviews", response_model=list[InterviewSummaryOut])
async def list_interviews(db: DatabaseDep, principal: CurrentUser) -> list[InterviewSummaryOut]:
    """The signed-in user's past and current interviews, newest first."""
    rows = await run_in_threadpool(lambda: service.history(db=db, owner_id=principal.user_id))
    return [_summary(row) for row in rows]


def _summary(interview: Interview) -> InterviewSummaryOut:
    report = interview.report or {}
    state = interview.state or {}
    started, ended = state.get("started_at", 0.0), state.get("ended_at")
    return InterviewSummaryOut(
        id=interview.id, topic=interview.topic, level=interview.level,  # type: ignore[arg-type]
        kind=interview.kind, status=interview.status,  # type: ignore[arg-type]
        created_at=_utc(interview.created_at),  # type: ignore[arg-type]
        ended_at=_utc(interview.ended_at),
        duration_seconds=round((ended or datetime.now(UTC).timestamp()) - started, 1) if started else 0.0,
        overall_score=report.get("overall_score"), recommendation=report.get("recommendation"),
        answered=(report.get("analytics") or {}).get("answered", service.answered_count(interview)),
    )


@router.get("/interviews/{interview_id}", response_model=InterviewOut, responses=_ERRORS)
async def get_interview(interview_id: str, db: DatabaseDep, brain: BrainDep) -> InterviewOut:
    """Settings, status, progress and the full transcript."""
    interview = await run_in_threadpool(lambda: service.get(db=db, brain=brain, interview_id=interview_id))
    return interview_out(interview)


@router.post("/interviews/{interview_id}/answer", response_model=AnswerOut, responses=_ERRORS,
             dependencies=[rate_limit("answer_per_user")])
async def answer(interview_id: str, body: AnswerCreate, db: DatabaseDep, brain: BrainDep) -> AnswerOut:
    """Sends one candidate message and returns the interviewer's reply."""
    with timed_turn("plain"):
        result = await run_in_threadpool(
            lambda: service.answer(
                db=db, brain=brain, interview_id=interview_id, text=body.text, duration_seconds=body.duration_seconds
            )
        )
    return AnswerOut(
        reply=message_out(result.reply),
        candidate_message=message_out(result.candidate_message),
        status=result.interview.status,  # type: ignore[arg-type]
        progress=service.progress(result.interview),  # type: ignore[arg-type]
    )


@router.post(
    "/interviews/{interview_id}/answer/stream",
    responses={**_ERRORS, 200: {"content": {"text/event-stream": {}}, "description": "Server-sent events"}},
    response_class=StreamingResponse,
    dependencies=[rate_limit("answer_per_user")],
)
async def answer_stream(interview_id: str, body: AnswerCreate, db: DatabaseDep, brain: BrainDep) -> StreamingResponse:
    """Like /answer, but the reply streams as server-sent events while it is generated.

    Events: `delta` ({"text"}: the next piece of the reply), then `reply` (the same body as /answer:
    the final reply, the stored candidate message, status and progress), or `error` ({"error"}).
    """
    await run_in_threadpool(lambda: service.check_open(db=db, interview_id=interview_id))
    loop = asyncio.get_running_loop()
    events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

    def emit(text: str) -> None:
        loop.call_soon_threadsafe(events.put_nowait, ("delta", {"text": text}))

    async def produce() -> None:
        try:
            with timed_turn("stream"):
                result = await run_in_threadpool(
                    lambda: service.answer(
                        db=db, brain=brain, interview_id=interview_id, text=body.text,
                        duration_seconds=body.duration_seconds, emit=emit,
                    )
                )
            out = AnswerOut(
                reply=message_out(result.reply), candidate_message=message_out(result.candidate_message),
                status=result.interview.status,  # type: ignore[arg-type]
                progress=service.progress(result.interview),  # type: ignore[arg-type]
            )
            await events.put(("reply", out.model_dump(mode="json")))
        except AppError as error:
            await events.put(("error", {"error": {"code": error.code, "message": error.message}}))
        except Exception:
            await events.put(("error", {"error": {"code": "internal_error",
                                                  "message": "The reply failed; your answer was saved."}}))

    task = asyncio.create_task(produce())

    async def stream() -> AsyncIterator[str]:
        while True:
            kind, payload = await events.get()
            yield f"event: {kind}\ndata: {json.dumps(payload)}\n\n"
            if kind in ("reply", "error"):
                break
        await task

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


def _code_route(kind: Literal["run", "submit"]):  # type: ignore[no-untyped-def]
    async def handler(interview_id: str, body: CodeIn, db: DatabaseDep, request: Request) -> CodeRunOut | Response:
        try:
            result, candidate, reply = await coding.run_code(
                db=db, runner=request.app.state.code_runner, interview_id=interview_id,
                language=body.language, code=body.code, kind=kind,
            )
        except RunnerBusy as busy:
            return JSONResponse(status_code=busy.status, headers={"Retry-After": str(busy.retry_after)},
                                content={"error": {"code": busy.code, "message": busy.message}})
        return CodeRunOut(
            kind=kind, verdict=result.verdict.value, passed=result.passed, total=len(result.tests),
            tests=[CodingTestOut.model_validate(t.model_dump(mode="json")) for t in result.tests],
            compile_output=result.compile_output, message=result.message,
            candidate_message=message_out(candidate), reply=message_out(reply) if reply else None,
        )

    handler.__doc__ = (
        "Runs the code on the visible tests; nothing is scored." if kind == "run"
        else "Submits the code: every test runs, hidden ones included, and the interviewer follows up."
    )
    return handler


router.add_api_route(
    "/interviews/{interview_id}/code/run", _code_route("run"), methods=["POST"], response_model=CodeRunOut,
    responses={**_ERRORS, 429: {"model": ErrorOut}, 503: {"model": ErrorOut}}, name="run_code",
    tags=["coding"], dependencies=[rate_limit("code_run_per_user")],
)
router.add_api_route(
    "/interviews/{interview_id}/code/submit", _code_route("submit"), methods=["POST"], response_model=CodeRunOut,
    responses={**_ERRORS, 429: {"model": ErrorOut}, 503: {"model": ErrorOut}}, name="submit_code",
    tags=["coding"], dependencies=[rate_limit("code_run_per_user")],
)


@router.post("/interviews/{interview_id}/code/hint", response_model=HintOut, responses=_ERRORS, tags=["coding"],
             dependencies=[rate_limit("code_run_per_user")])
async def code_hint(interview_id: str, db: DatabaseDep) -> HintOut:
    """The next hint of the open coding exercise (hints are counted in the report)."""
    request_message, reply = await run_in_threadpool(lambda: coding.hint(db=db, interview_id=interview_id))
    interview = await run_in_threadpool(lambda: service.history_item(db=db, interview_id=interview_id))
    view = coding.exercise_view(interview) or {"hints_used": 0, "hints_total": 0}
    return HintOut(request=message_out(request_message), reply=message_out(reply),
                   hints_used=view["hints_used"], hints_total=view["hints_total"])


@router.post("/interviews/{interview_id}/end", response_model=ReportOut, responses=_ERRORS)
async def end_interview(interview_id: str, db: DatabaseDep, brain: BrainDep) -> dict[str, Any]:
    """Ends the interview (calling it again is harmless) and returns the report."""
    interview = await run_in_threadpool(lambda: service.end(db=db, brain=brain, interview_id=interview_id))
    return service.current_report(interview)


@router.get("/interviews/{interview_id}/report", response_model=ReportOut, responses=_ERRORS)
async def get_report(interview_id: str, db: DatabaseDep) -> dict[str, Any]:
    """The feedback report of a finished interview."""
    return await run_in_threadpool(lambda: service.report(db=db, interview_id=interview_id))


@router.get(
    "/interviews/{interview_id}/transcript",
    responses={**_ERRORS, 200: {"content": {"text/markdown": {}, "text/plain": {}, "application/json": {}}}},
    response_class=PlainTextResponse,
)
async def transcript(
    interview_id: str, db: DatabaseDep, brain: BrainDep,
    format: Annotated[Literal["md", "txt", "json"], Query(description="md, txt or json")] = "md",
) -> Response:
    """The transcript as a download."""
    interview = await run_in_threadpool(lambda: service.get(db=db, brain=brain, interview_id=interview_id))
    body, media_type = render_transcript(interview_out(interview), format)
    filename = f"mockroom-{interview.id}.{format}"
    return Response(
        content=body, media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.delete("/interviews/{interview_id}", status_code=204, responses=_ERRORS)
async def delete_interview(interview_id: str, db: DatabaseDep) -> Response:
    """Deletes the interview, its transcript and its report."""
    await run_in_threadpool(lambda: service.delete(db=db, interview_id=interview_id))
    return Response(status_code=204)




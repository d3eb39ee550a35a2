"""The FastAPI application: JSON API under /api, OpenAPI docs at /docs, the web app at /."""

import threading
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from loguru import logger
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from mockroom import __version__
from mockroom.api import limits, observability, security
from mockroom.api.body_size import BodySizeGuard
from mockroom.api.routes import admin, auth, cv, external_auth, interviews, meta, progress, voice
from mockroom.brains.factory import brain_from_settings
from mockroom.coding.factory import code_runner_from_settings, coding_available
from mockroom.core.config import Settings, get_settings
from mockroom.core.errors import AppError
from mockroom.db.engine import Database, migrate
from mockroom.questions.vectors import warm_up

_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type"}


def _error(status: int, code: str, message: str, details: list[dict[str, Any]] | None = None,
           headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    return JSONResponse(status_code=status, content={"error": body}, headers=headers)


def _validation_message(errors: list[dict[str, Any]]) -> str:
    parts = []
    for error in errors[:3]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
    return "Invalid request. " + "; ".join(parts)


def create_app(settings: Settings | None = None, *, warm: bool = True) -> FastAPI:
    """An app bound to one database (migrated on start) and one brain; `warm` preloads the models."""
    settings = settings or get_settings()
    app = FastAPI(
        title="Mockroom",
        version=__version__,
        description="Self-hostable AI mock interviews. Errors are JSON: {\"error\": {\"code\", \"message\"}}.",
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    database = Database(settings.resolved_database_url())
    migrate(database.engine)
    if warm:
        threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
    if settings.retention_days > 0:
        threading.Thread(target=_retention, args=(database, settings.retention_days), name="retention",
                         daemon=True).start()
    app.state.db = database
    app.state.brain = brain_from_settings(settings)
    app.state.code_runner = code_runner_from_settings(settings)
    app.router.on_shutdown.append(app.state.code_runner.shutdown)
    app.state.coding_available = partial(coding_available, settings)
    app.state.settings = settings

    security.install(app, settings)
    # Outside the guards, so it counts every body's bytes before anything reads them (only the request-id
    # middleware, which reads no body, is outside it).
    app.add_middleware(BodySizeGuard, max_upload_bytes=settings.max_upload_bytes)
    observability.install(app, settings)

    @app.exception_handler(AppError)
    async def _app_error(_: Request, error: AppError) -> JSONResponse:
        return _error(error.status, error.code, error.message, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in error.errors()
        ]
        return _error(422, "invalid_request", _validation_message(details), details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, error: StarletteHTTPException) -> JSONResponse:
        return _error(error.status_code, _HTTP_CODES.get(error.status_code, "http_error"), str(error.detail))

    @app.exception_handler(PoolTimeout)
    @app.exception_handler(DBAPIError)
    async def _database(request: Request, error: Exception) -> JSONResponse:
        # The database is down, restarting, or out of connections: the request changed nothing that was not
        # committed, so trying again shortly is safe. Anything else the driver raises is a bug, and stays a 500.
        unavailable = (PoolTimeout, OperationalError, InterfaceError)
        if not isinstance(error, unavailable) and not (isinstance(error, DBAPIError) and error.connection_invalidated):
            raise error
        logger.warning(f"database unavailable: {type(error).__name__}: {str(error).splitlines()[0][:200]}")
        return _error(503, "database_unavailable", "The database is not answering just now; nothing you sent was "
                      "lost. Try again in a few seconds.", headers={"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def _bug(_: Request, error: Exception) -> JSONResponse:
        return _error(500, "internal_error", "Something went wrong on the server; nothing you sent was lost.")

    app.include_router(meta.router, prefix="/api")
    app.include_router(auth.router, prefix="/api")
    app.include_router(external_auth.router, prefix="/api")
    app.include_router(admin.router, prefix="/api")
    app.include_router(progress.router, prefix="/api")
    app.include_router(interviews.router, prefix="/api")
    app.include_router(cv.router, prefix="/api")
    app.include_router(voice.router, prefix="/api")
    limits.install(app, settings)
    _mount_web(app, settings)
    return app


def _retention(database: Database, days: int) -> None:
    """Deletes interviews older than the retention period, now and every hour."""
    import logging
    import time

    from mockroom.accounts.service import delete_expired

    while True:
        try:
            deleted = delete_expired(db=database, retention_days=days)
            if deleted:
                logging.getLogger("mockroom.retention").info("deleted %d interview(s) older than %d days",
                                                             deleted, days)
        except Exception:  # a failed sweep is retried in an hour; serving must go on
            logging.getLogger("mockroom.retention").exception("retention sweep failed")
        time.sleep(3600)


def _mount_web(app: FastAPI, settings: Settings) -> None:
    """Serves the built web app at / with the index page as fallback for client-side routes."""
    dist = settings.web_dist or Path(__file__).resolve().parents[3] / "web" / "dist"
    index = dist / "index.html"
    if not index.is_file():
        @app.get("/", include_in_schema=False)
        def _no_web() -> JSONResponse:
            return JSONResponse(
                {"message": "Mockroom API is running. The web app is not built: run `bash scripts/run.sh`. "
                 "API docs are at /docs."}
            )
        return
    if (dist / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=dist / "assets"), name="assets")

    @app.get("/{path:path}", include_in_schema=False)
    def _web(path: str) -> FileResponse:
        if path.startswith("api/"):
            raise StarletteHTTPException(404, f"No API route /{path}.")
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and dist.resolve() in candidate.parents:
            return FileResponse(candidate)
        return FileResponse(index)

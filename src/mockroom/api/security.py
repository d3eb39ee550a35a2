"""Who a request acts for, and the guards every request passes: Host allow-list, Origin check, CSRF, headers.

- Host: only names in `Settings.hosts()` are answered, so a DNS-rebinding page cannot reach the server.
- Origin: a state-changing request that a browser marks as coming from another site is refused, so a cross-site
  form cannot create or change anything.
- Credentials: `Authorization: Bearer <token>`, or the HttpOnly session cookie, whose writes must echo the
  session's CSRF token in `X-CSRF-Token` (the token is readable from the `mockroom_csrf` cookie). In local mode a
  request without credentials acts for the one local user.
- Headers: a Content-Security-Policy that allows Monaco's workers and the voice client, nosniff, Referrer-Policy.
- Proxies: X-Forwarded-For and X-Forwarded-Proto are believed only from `Settings.trusted_proxies`, so a client
  cannot pick its own address (which the rate limits count by) or claim HTTPS.
"""

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from mockroom.accounts import service as accounts
from mockroom.accounts.service import Principal
from mockroom.core.config import Settings
from mockroom.core.errors import AppError, not_found
from mockroom.db.engine import Database
from mockroom.db.models import Interview

SESSION_COOKIE = "mockroom_session"
CSRF_COOKIE = "mockroom_csrf"
CSRF_HEADER = "x-csrf-token"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "media-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# The API docs page loads Swagger UI from its CDN when one is reachable.
_DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; style-src 'self' "
    "'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "connect-src 'self'; object-src 'none'; frame-ancestors 'none'"
)


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})


def _host_name(value: str) -> str:
    """The host of a Host header or an Origin, without port or brackets, lower-cased."""
    value = value.strip().lower()
    if "://" in value:
        value = urlsplit(value).netloc
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def install(app: FastAPI, settings: Settings) -> None:
    """Adds the Host, Origin and header guards to the app, and the trusted proxies' view of the client."""
    hosts = {_host_name(h) for h in settings.hosts()}

    @app.middleware("http")
    async def _guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        host = _host_name(request.headers.get("host", ""))
        if host not in hosts:
            return _error(400, "host_not_allowed",
                          f"This server does not answer to the host '{host}'. Add it to MOCKROOM_ALLOWED_HOSTS.")
        if request.method not in _SAFE_METHODS and _cross_site(request, hosts):
            return _error(403, "cross_site_request",
                          "Requests that change data must come from Mockroom's own pages, not another site.")
        response = await call_next(request)
        docs = request.url.path in ("/docs", "/redoc", "/docs/oauth2-redirect")
        response.headers.setdefault("Content-Security-Policy", _DOCS_CSP if docs else _CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "microphone=(self), camera=(), geolocation=()")
        return response

    if settings.trusted_proxies:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)


def _cross_site(request: Request, hosts: set[str]) -> bool:
    """Whether a browser says this request comes from another site (non-browser clients send neither header)."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site == "cross-site":
        return True
    origin = request.headers.get("origin")
    if origin is None:
        return False
    return origin == "null" or _host_name(origin) not in hosts


def _db(request: Request) -> Database:
    return request.app.state.db  # type: ignore[no-any-return]


def _unauthenticated() -> AppError:
    return AppError(code="unauthenticated", message="Sign in first: send a bearer token or the session cookie.",
                    status=401)


async def current_principal(request: Request) -> Principal:
    """Who the request acts for; 401 without valid credentials (local mode: the local user)."""
    settings: Settings = request.app.state.settings
    db = _db(request)
    authorization = request.headers.get("authorization", "")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthenticated()
        principal = await run_in_threadpool(
            lambda: accounts.principal_for_token(db=db, token=token.strip(), via_cookie=False)
        )
        if principal is None:
            raise _unauthenticated()
        return principal
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        principal = await run_in_threadpool(lambda: accounts.principal_for_token(db=db, token=cookie, via_cookie=True))
        if principal is not None:
            if request.method not in _SAFE_METHODS and request.headers.get(CSRF_HEADER) != principal.csrf_token:
                raise AppError(code="csrf_failed",
                               message="This request is missing its CSRF token; reload the page and try again.",
                               status=403)
            return principal
    if settings.auth == "local":
        cached: Principal | None = getattr(request.app.state, "local_principal", None)
        if cached is None:
            cached = await run_in_threadpool(lambda: accounts.local_principal(db=db))
            request.app.state.local_principal = cached
        return cached
    raise _unauthenticated()


CurrentUser = Annotated[Principal, Depends(current_principal)]


async def require_admin(principal: CurrentUser) -> Principal:
    if not principal.is_admin:
        raise AppError(code="forbidden", message="Only an administrator can do this.", status=403)
    return principal


AdminUser = Annotated[Principal, Depends(require_admin)]


async def require_owner(request: Request, principal: CurrentUser) -> None:
    """Every route with an interview id in its path answers only the interview's owner; for anyone else the
    interview does not exist (404), so its existence is never revealed."""
    interview_id = request.path_params.get("interview_id")
    if interview_id is None:
        return
    db = _db(request)

    def owner() -> str | None:
        with db.session() as session:
            return session.scalar(select(Interview.owner_id).where(Interview.id == str(interview_id)))

    if await run_in_threadpool(owner) != principal.user_id:
        raise not_found(str(interview_id))


_SECRET_QUERY = re.compile(r"((?:^|[?&])(?:code|state|token|id_token|access_token|password)=)[^&\s]*", re.IGNORECASE)


class RedactSecrets(logging.Filter):
    """Keeps one-time codes and tokens that arrive in query strings (an OpenID Connect callback) out of the
    access log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_SECRET_QUERY.sub(r"\1[redacted]", a) if isinstance(a, str) else a
                                for a in record.args)
        return True


def redact_access_log() -> None:
    """Installs the redaction on uvicorn's access log."""
    logging.getLogger("uvicorn.access").addFilter(RedactSecrets())

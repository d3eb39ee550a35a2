"""External sign-in routes: OpenID Connect (login redirect and callback) and Firebase ID tokens. Each ends in the
same session as /auth/login, and answers 404 until its settings are configured."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from mockroom.accounts import service as accounts
from mockroom.accounts.external import PENDING_SECONDS, FirebaseTokens, OidcSignIn, same_state, sign_in
from mockroom.accounts.schemas import LoginOut
from mockroom.api.deps import DatabaseDep, SettingsDep
from mockroom.api.limits import rate_limit
from mockroom.api.routes.auth import set_session_cookies, user_out
from mockroom.core.config import Settings
from mockroom.core.errors import AppError
from mockroom.db.engine import Database
from mockroom.db.models import User
from mockroom.interviews.schemas import ErrorOut

router = APIRouter(prefix="/auth", tags=["accounts"])
STATE_COOKIE = "mockroom_oidc_state"


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorOut} for status in statuses}


class FirebaseSignIn(BaseModel):
    """A Firebase Auth ID token, as the Firebase client SDK's getIdToken() gives it."""

    model_config = ConfigDict(extra="forbid")

    id_token: str = Field(min_length=1, max_length=16_384)


async def _oidc(request: Request, settings: SettingsDep, db: DatabaseDep) -> OidcSignIn:
    """The app's one OpenID Connect client, made on first use (on the event loop, so never twice at once)."""
    if not (settings.oidc_issuer and settings.oidc_client_id):
        raise AppError(code="not_found", message="OpenID Connect sign-in is not enabled on this server.", status=404)
    oidc: OidcSignIn | None = getattr(request.app.state, "oidc_sign_in", None)
    if oidc is None:
        oidc = OidcSignIn(db=db, issuer=settings.oidc_issuer, client_id=settings.oidc_client_id,
                          client_secret=settings.oidc_client_secret, scopes=settings.oidc_scopes,
                          timeout=settings.external_auth_timeout_seconds)
        request.app.state.oidc_sign_in = oidc
    return oidc


async def _firebase(request: Request, settings: SettingsDep) -> FirebaseTokens:
    """The app's one Firebase token verifier, made on first use."""
    if not settings.firebase_project_id:
        raise AppError(code="not_found", message="Firebase sign-in is not enabled on this server.", status=404)
    firebase: FirebaseTokens | None = getattr(request.app.state, "firebase_tokens", None)
    if firebase is None:
        firebase = FirebaseTokens(project_id=settings.firebase_project_id, certs_url=settings.firebase_certs_url,
                                  timeout=settings.external_auth_timeout_seconds)
        request.app.state.firebase_tokens = firebase
    return firebase


OidcDep = Annotated[OidcSignIn, Depends(_oidc)]
FirebaseDep = Annotated[FirebaseTokens, Depends(_firebase)]


def _secure(request: Request, settings: Settings) -> bool:
    return settings.secure_cookies == "always" or (settings.secure_cookies == "auto" and request.url.scheme == "https")


async def _start_session(response: Response, request: Request, *, db: Database, settings: Settings,
                         user: User) -> accounts.NewSession:
    session = await run_in_threadpool(lambda: accounts.start_session(db=db, user_id=user.id,
                                                                     days=settings.session_days))
    set_session_cookies(response, request, secure_setting=settings.secure_cookies, session=session,
                        max_age=int(settings.session_days * 86400))
    return session


@router.get("/oidc/login", status_code=302, response_class=RedirectResponse, responses=_errors(404, 503),
            dependencies=[rate_limit("sign_in_per_ip")])
async def oidc_login(request: Request, oidc: OidcDep, settings: SettingsDep) -> RedirectResponse:
    """Starts OpenID Connect sign-in: redirects to the provider (authorization code flow with PKCE)."""
    redirect_uri = settings.oidc_redirect_uri or str(request.url_for("oidc_callback"))
    url, state = await oidc.begin(redirect_uri=redirect_uri)
    response = RedirectResponse(url, status_code=302)
    response.set_cookie(STATE_COOKIE, state, max_age=PENDING_SECONDS, httponly=True,
                        secure=_secure(request, settings), samesite="lax", path="/")
    return response


@router.get("/oidc/callback", name="oidc_callback", status_code=303, response_class=RedirectResponse,
            responses=_errors(401, 403, 404, 409, 503))
async def oidc_callback(request: Request, oidc: OidcDep, db: DatabaseDep, settings: SettingsDep,
                        code: str | None = None, state: str | None = None,
                        error: str | None = None) -> RedirectResponse:
    """Where the provider sends the browser back: checks the state, exchanges the code, verifies the ID token,
    signs in (the same session as /auth/login) and redirects to the web app."""
    if error is not None:
        raise AppError(code="sign_in_refused", message="The provider did not sign you in; try again.", status=401)
    if not code or not same_state(state or "", request.cookies.get(STATE_COOKIE, "")):
        raise AppError(code="sign_in_expired",
                       message="This sign-in was not started in this browser, or it expired; start again.",
                       status=401)
    identity = await oidc.finish(state=state or "", code=code)
    user = await run_in_threadpool(lambda: sign_in(db=db, identity=identity))
    response = RedirectResponse("/", status_code=303)
    await _start_session(response, request, db=db, settings=settings, user=user)
    response.delete_cookie(STATE_COOKIE, path="/")
    return response


@router.post("/firebase", response_model=LoginOut, responses=_errors(401, 403, 404, 409, 422, 503),
             dependencies=[rate_limit("sign_in_per_ip")])
async def firebase_sign_in(body: FirebaseSignIn, request: Request, response: Response, tokens: FirebaseDep,
                           db: DatabaseDep, settings: SettingsDep) -> LoginOut:
    """Signs in with a Firebase Auth ID token: the same body and session cookie as /auth/login."""
    identity = await tokens.identity(body.id_token)
    user = await run_in_threadpool(lambda: sign_in(db=db, identity=identity))
    session = await _start_session(response, request, db=db, settings=settings, user=user)
    return LoginOut(user=user_out(user), access_token=session.token, expires_at=session.expires_at)

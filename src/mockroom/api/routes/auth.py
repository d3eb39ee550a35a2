"""Account routes: register, sign in and out, who am I, change password, export everything, delete the account."""

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from mockroom.accounts import service as accounts
from mockroom.accounts.schemas import (
    AccountDeletion,
    Credentials,
    LoginOut,
    MeOut,
    PasswordChange,
    RegisterOut,
    UserOut,
)
from mockroom.api.deps import DatabaseDep, SettingsDep
from mockroom.api.limits import rate_limit, sign_in_limit
from mockroom.api.security import CSRF_COOKIE, SESSION_COOKIE, CurrentUser
from mockroom.db.models import User
from mockroom.interviews.schemas import ErrorOut

router = APIRouter(prefix="/auth", tags=["accounts"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 409: {"model": ErrorOut}, 422: {"model": ErrorOut},
}


def user_out(user: User) -> UserOut:
    return UserOut(id=user.id, email=user.email, role=user.role,  # type: ignore[arg-type]
                   provider=user.provider, created_at=user.created_at, disabled=user.disabled)


def set_session_cookies(response: Response, request: Request, *, secure_setting: str, session: Any,
                        max_age: int) -> None:
    """The HttpOnly session cookie and the readable CSRF cookie (Secure under HTTPS, SameSite=Lax)."""
    secure = secure_setting == "always" or (secure_setting == "auto" and request.url.scheme == "https")
    response.set_cookie(SESSION_COOKIE, session.token, max_age=max_age, httponly=True, secure=secure,
                        samesite="lax", path="/")
    response.set_cookie(CSRF_COOKIE, session.csrf_token, max_age=max_age, httponly=False, secure=secure,
                        samesite="lax", path="/")


def signed_out() -> Response:
    """An empty 204 that clears the session and CSRF cookies."""
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.post("/register", status_code=201, response_model=RegisterOut, responses=_ERRORS,
             dependencies=[rate_limit("sign_in_per_ip")])
async def register(body: Credentials, db: DatabaseDep) -> RegisterOut:
    """Creates an account (argon2id password hash). The first account on an empty server becomes its admin."""
    user = await run_in_threadpool(lambda: accounts.register(db=db, email=body.email, password=body.password))
    return RegisterOut(user=user_out(user))


@router.post("/login", response_model=LoginOut, responses=_ERRORS,
             dependencies=[rate_limit("sign_in_per_ip"), sign_in_limit()])
async def login(body: Credentials, request: Request, response: Response, db: DatabaseDep,
                settings: SettingsDep) -> LoginOut:
    """Signs in: a bearer token for the API and the CLI, and the same session as an HttpOnly cookie."""
    user = await run_in_threadpool(lambda: accounts.authenticate(db=db, email=body.email, password=body.password))
    session = await run_in_threadpool(
        lambda: accounts.start_session(db=db, user_id=user.id, days=settings.session_days)
    )
    set_session_cookies(response, request, secure_setting=settings.secure_cookies, session=session,
                        max_age=int(settings.session_days * 86400))
    return LoginOut(user=user_out(user), access_token=session.token, expires_at=session.expires_at)


@router.post("/logout", status_code=204, responses=_ERRORS)
async def logout(request: Request, db: DatabaseDep) -> Response:
    """Signs the current session out (idempotent) and clears the cookies."""
    authorization = request.headers.get("authorization", "")
    token = authorization.partition(" ")[2].strip() if authorization.lower().startswith("bearer ") else ""
    token = token or request.cookies.get(SESSION_COOKIE, "")
    if token:
        await run_in_threadpool(lambda: accounts.end_session(db=db, token=token))
    return signed_out()


@router.get("/me", response_model=MeOut, responses=_ERRORS)
async def me(principal: CurrentUser, db: DatabaseDep, settings: SettingsDep) -> MeOut:
    """The signed-in account (in local mode, the local user) and the server's sign-in mode."""
    user = await run_in_threadpool(lambda: accounts.get_user(db=db, user_id=principal.user_id))
    return MeOut(user=user_out(user), mode=settings.auth)


@router.post("/password", status_code=204, responses=_ERRORS, dependencies=[rate_limit("sign_in_per_ip")])
async def change_password(body: PasswordChange, principal: CurrentUser, db: DatabaseDep) -> Response:
    """Changes the password; every session of the account is signed out, so sign in again."""
    await run_in_threadpool(lambda: accounts.change_password(
        db=db, user_id=principal.user_id, current=body.current_password, new=body.new_password))
    return signed_out()


@router.get("/export", responses=_ERRORS)
async def export(principal: CurrentUser, db: DatabaseDep) -> JSONResponse:
    """Everything stored about the account as JSON: the account, every interview, its transcript and report."""
    data = await run_in_threadpool(lambda: accounts.export(db=db, user_id=principal.user_id))
    return JSONResponse(data, headers={"Content-Disposition": 'attachment; filename="mockroom-export.json"'})


@router.delete("/me", status_code=204, responses=_ERRORS)
async def delete_account(body: AccountDeletion, principal: CurrentUser, db: DatabaseDep) -> Response:
    """Deletes the account and all its data for good (confirm with the password)."""
    await run_in_threadpool(lambda: accounts.delete_account(
        db=db, user_id=principal.user_id, password=body.password, email=body.email))
    return signed_out()

"""Admin routes: every account with its usage, and disabling or re-enabling an account."""

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool

from mockroom.accounts import service as accounts
from mockroom.accounts.schemas import UserOut, UserUsageOut
from mockroom.api.deps import DatabaseDep
from mockroom.api.routes.auth import user_out
from mockroom.api.security import AdminUser
from mockroom.interviews.schemas import ErrorOut

router = APIRouter(prefix="/admin", tags=["admin"],
                   responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut}})


class DisabledIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    disabled: bool


@router.get("/users", response_model=list[UserUsageOut])
async def users(admin: AdminUser, db: DatabaseDep) -> list[UserUsageOut]:
    """Every account with its interviews, interview minutes, code runs and LLM tokens."""
    rows = await run_in_threadpool(lambda: accounts.users_with_usage(db=db))
    return [UserUsageOut(user=user_out(r["user"]), interviews=r["interviews"],
                         interview_minutes=r["interview_minutes"], code_runs=r["code_runs"],
                         llm_tokens=r["llm_tokens"]) for r in rows]


@router.put("/users/{user_id}/disabled", response_model=UserOut)
async def set_disabled(user_id: str, body: DisabledIn, admin: AdminUser, db: DatabaseDep) -> UserOut:
    """Disables (signing it out everywhere) or re-enables an account."""
    user = await run_in_threadpool(
        lambda: accounts.set_disabled(db=db, user_id=user_id, disabled=body.disabled, by=admin.user_id))
    return user_out(user)

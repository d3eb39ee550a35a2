"""Request and response shapes of the accounts API."""

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mockroom.accounts.passwords import MAX_LENGTH, MIN_LENGTH

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")
Role = Literal["user", "admin"]


def normal_email(value: str) -> str:
    """An e-mail address trimmed and lower-cased, or ValueError when it cannot be one."""
    value = value.strip().lower()
    if len(value) > 320 or not _EMAIL.match(value):
        raise ValueError("enter a valid e-mail address")
    return value


class Credentials(BaseModel):
    """E-mail and password, to register or to sign in."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=320, examples=["ada@example.com"])
    password: str = Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return normal_email(value)


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(max_length=MAX_LENGTH)
    new_password: str = Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH)


class AccountDeletion(BaseModel):
    """Deleting an account needs the password again (accounts without one confirm with their e-mail)."""

    model_config = ConfigDict(extra="forbid")

    password: str | None = Field(default=None, max_length=MAX_LENGTH)
    email: str | None = Field(default=None, max_length=320)


class UserOut(BaseModel):
    id: str
    email: str
    role: Role
    provider: str
    created_at: datetime
    disabled: bool = False


class RegisterOut(BaseModel):
    user: UserOut


class LoginOut(BaseModel):
    user: UserOut
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime


class MeOut(BaseModel):
    user: UserOut
    mode: Literal["local", "accounts"]


class UserUsageOut(BaseModel):
    """One user as the admin sees them."""

    user: UserOut
    interviews: int
    interview_minutes: float
    code_runs: int
    llm_tokens: int

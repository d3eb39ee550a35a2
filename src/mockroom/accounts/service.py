"""Account use cases: register, sign in and out, sessions, password change, export, deletion, admin.

A session token is 32 random bytes shown once to the client (as the bearer token and the session cookie) and kept
only as its SHA-256 hash. In local mode one implicit local user owns everything and no sign-in is needed.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text, update

from mockroom.accounts.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from mockroom.core.errors import AppError
from mockroom.db.engine import RETENTION_LOCK_KEY, Database
from mockroom.db.models import AuthSession, Interview, Message, User, aware

LOCAL_EMAIL = "local@localhost"


@dataclass(frozen=True)
class Principal:
    """Who a request acts for, as the routes need it: the user and, for cookie sign-ins, the CSRF token."""

    user_id: str
    email: str
    role: str
    csrf_token: str | None = None
    via_cookie: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class NewSession:
    token: str
    csrf_token: str
    expires_at: datetime


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def register(*, db: Database, email: str, password: str, admin_if_first: bool = True) -> User:
    """A new account; the first one on a server with no accounts becomes its admin."""
    with db.session() as session:
        if session.scalar(select(User.id).where(User.email == email)):
            raise AppError(code="email_taken", message="An account with this e-mail already exists.", status=409)
        has_accounts = session.scalar(select(func.count(User.id)).where(User.email != LOCAL_EMAIL)) or 0
        user = User(
            id=secrets.token_hex(8), email=email, password_hash=hash_password(password),
            role="admin" if admin_if_first and not has_accounts else "user", provider="password",
            created_at=_now(),
        )
        session.add(user)
        session.commit()
        return user


def authenticate(*, db: Database, email: str, password: str) -> User:
    """The account for these credentials; the same error (and about the same time) for every wrong case."""
    with db.session() as session:
        user = session.scalar(select(User).where(User.email == email))
        if user is None or user.password_hash is None:
            verify_password(dummy_hash(), password)
            raise _bad_credentials()
        if not verify_password(user.password_hash, password):
            raise _bad_credentials()
        if user.disabled:
            raise AppError(code="account_disabled", message="This account has been disabled by an administrator.",
                           status=403)
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
            session.commit()
        return user


def _bad_credentials() -> AppError:
    return AppError(code="invalid_credentials", message="The e-mail or password is not right.", status=401)


def start_session(*, db: Database, user_id: str, days: float) -> NewSession:
    """A new sign-in session for the user."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    expires = _now() + timedelta(days=days)
    with db.session() as session:
        session.execute(delete(AuthSession).where(AuthSession.expires_at < _now()))
        session.add(AuthSession(token_hash=_token_hash(token), user_id=user_id, csrf_token=csrf,
                                created_at=_now(), expires_at=expires))
        session.commit()
    return NewSession(token=token, csrf_token=csrf, expires_at=expires)


def principal_for_token(*, db: Database, token: str, via_cookie: bool) -> Principal | None:
    """Who a session token signs in, if it is valid, unexpired and its user is enabled."""
    if not token or len(token) > 200:
        return None
    with db.session() as session:
        row = session.get(AuthSession, _token_hash(token))
        if row is None or aware(row.expires_at) <= _now():
            return None
        user = session.get(User, row.user_id)
        if user is None or user.disabled:
            return None
        return Principal(user_id=user.id, email=user.email, role=user.role, csrf_token=row.csrf_token,
                         via_cookie=via_cookie)


def end_session(*, db: Database, token: str) -> None:
    """Signs a session out (idempotent)."""
    with db.session() as session:
        session.execute(delete(AuthSession).where(AuthSession.token_hash == _token_hash(token)))
        session.commit()


def local_principal(*, db: Database) -> Principal:
    """The one user of local mode, created on first use; interviews from before accounts existed become theirs."""
    with db.session() as session:
        user = session.scalar(select(User).where(User.email == LOCAL_EMAIL))
        if user is None:
            user = User(id=secrets.token_hex(8), email=LOCAL_EMAIL, password_hash=None, role="admin",
                        provider="local", created_at=_now())
            session.add(user)
            session.flush()
            session.execute(update(Interview).where(Interview.owner_id.is_(None)).values(owner_id=user.id))
            session.commit()
        return Principal(user_id=user.id, email=user.email, role=user.role)


def get_user(*, db: Database, user_id: str) -> User:
    with db.session() as session:
        user = session.get(User, user_id)
        if user is None:
            raise AppError(code="not_found", message="No such user.", status=404)
        return user


def change_password(*, db: Database, user_id: str, current: str, new: str) -> None:
    """Sets a new password after checking the current one; every other session of the user is signed out."""
    with db.session() as session:
        user = session.get(User, user_id)
        if user is None or not verify_password(user.password_hash, current):
            raise AppError(code="invalid_credentials", message="The current password is not right.", status=401)
        user.password_hash = hash_password(new)
        user.password_changed_at = _now()
        session.execute(delete(AuthSession).where(AuthSession.user_id == user_id))
        session.commit()


def delete_account(*, db: Database, user_id: str, password: str | None, email: str | None) -> None:
    """Deletes the account, its sessions and every interview it owns (messages and reports included)."""
    with db.session() as session:
        user = session.get(User, user_id)
        if user is None:
            raise AppError(code="not_found", message="No such user.", status=404)
        confirmed = verify_password(user.password_hash, password or "") if user.password_hash else (
            (email or "").strip().lower() == user.email
        )
        if not confirmed:
            raise AppError(code="invalid_credentials",
                           message="Confirm with your password (or your e-mail for accounts without one).",
                           status=401)
        interview_ids = select(Interview.id).where(Interview.owner_id == user_id)
        session.execute(delete(Message).where(Message.interview_id.in_(interview_ids)))
        session.execute(delete(Interview).where(Interview.owner_id == user_id))
        session.execute(delete(AuthSession).where(AuthSession.user_id == user_id))
        session.delete(user)
        session.commit()


def export(*, db: Database, user_id: str) -> dict[str, Any]:
    """Everything stored about the user: the account, and each interview with its transcript and report."""
    with db.session() as session:
        user = session.get(User, user_id)
        if user is None:
            raise AppError(code="not_found", message="No such user.", status=404)
        interviews = session.scalars(
            select(Interview).where(Interview.owner_id == user_id).order_by(Interview.created_at)
        ).all()
        return {
            "exported_at": _now().isoformat(),
            "user": {"id": user.id, "email": user.email, "role": user.role, "provider": user.provider,
                     "created_at": aware(user.created_at).isoformat()},
            "interviews": [_interview_export(i) for i in interviews],
        }


def _interview_export(interview: Interview) -> dict[str, Any]:
    return {
        "id": interview.id, "topic": interview.topic, "level": interview.level, "kind": interview.kind,
        "duration_minutes": interview.duration_minutes, "language": interview.language, "status": interview.status,
        "created_at": aware(interview.created_at).isoformat(),
        "ended_at": aware(interview.ended_at).isoformat() if interview.ended_at else None,
        "job_description": interview.job_description, "cv_profile": interview.cv_profile, "cv_text": interview.cv_text,
        "messages": [
            {"seq": m.seq, "role": m.role, "text": m.text, "created_at": aware(m.created_at).isoformat(),
             "phase": m.phase, "move": m.move}
            for m in interview.messages
        ],
        "report": interview.report,
    }


def set_role(*, db: Database, email: str, role: str) -> User:
    """Makes an existing account an admin or a plain user (the CLI's `mockroom admin`)."""
    with db.session() as session:
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            raise AppError(code="not_found", message=f"No account with the e-mail {email}.", status=404)
        user.role = role
        session.commit()
        return user


def set_disabled(*, db: Database, user_id: str, disabled: bool, by: str) -> User:
    """Disables or re-enables an account; a disabled account is signed out everywhere at once."""
    if user_id == by and disabled:
        raise AppError(code="invalid_request", message="Admins cannot disable their own account.", status=422)
    with db.session() as session:
        user = session.get(User, user_id)
        if user is None:
            raise AppError(code="not_found", message="No such user.", status=404)
        user.disabled = disabled
        if disabled:
            session.execute(delete(AuthSession).where(AuthSession.user_id == user_id))
        session.commit()
        return user


def users_with_usage(*, db: Database) -> list[dict[str, Any]]:
    """Every account with its interview count, interview minutes, code runs and LLM tokens."""
    with db.session() as session:
        users = session.scalars(select(User).order_by(User.created_at)).all()
        rows = []
        for user in users:
            interviews = session.scalars(select(Interview).where(Interview.owner_id == user.id)).all()
            minutes = sum(_minutes(i) for i in interviews)
            code_runs = session.scalar(
                select(func.count(Message.id)).join(Interview).where(
                    Interview.owner_id == user.id, Message.move.in_(("code_run", "code_submit"))
                )
            ) or 0
            tokens = sum(int((i.state or {}).get("llm_tokens", 0)) for i in interviews)
            rows.append({"user": user, "interviews": len(interviews), "interview_minutes": round(minutes, 1),
                         "code_runs": int(code_runs), "llm_tokens": tokens})
        return rows


def _minutes(interview: Interview) -> float:
    state = interview.state or {}
    started, ended = state.get("started_at"), state.get("ended_at")
    if not started:
        return 0.0
    end = ended or (aware(interview.updated_at).timestamp() if interview.updated_at else started)
    return max(0.0, (end - started) / 60)


def delete_expired(*, db: Database, retention_days: int) -> int:
    """Deletes interviews older than the retention period (and expired sessions); returns how many interviews. On
    PostgreSQL a sweep another app process is already running is left to it (0)."""
    with db.session() as session:
        if db.engine.dialect.name == "postgresql" and not session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": RETENTION_LOCK_KEY}
        ):
            return 0
        session.execute(delete(AuthSession).where(AuthSession.expires_at < _now()))
        if retention_days <= 0:
            session.commit()
            return 0
        cutoff = _now() - timedelta(days=retention_days)
        old = select(Interview.id).where(Interview.created_at < cutoff)
        ids = list(session.scalars(old))
        if ids:
            session.execute(delete(Message).where(Message.interview_id.in_(ids)))
            session.execute(delete(Interview).where(Interview.id.in_(ids)))
        session.commit()
        return len(ids)

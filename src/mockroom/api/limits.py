"""Rate limits: per account, per client address and per e-mail, with a growing lockout after failed sign-ins.

Each limit is a setting in the `limits` library's notation ("20/hour", "10/15 minutes", "5/minute;50/day"), counted
over a moving window in Redis when `MOCKROOM_REDIS_URL` is set (so every server using that Redis shares one budget)
and in this process's memory otherwise. A refused request gets 429 `rate_limited` with `Retry-After` in seconds.
The client address is the connection's peer: X-Forwarded-For is believed only from `MOCKROOM_TRUSTED_PROXIES`
(see `security.install`). When Redis cannot be reached the request is let through and the failure logged, so an
outage of the counter store never takes interviews down with it.
"""

import hashlib
import logging
import math
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import Depends, FastAPI, Request
from fastapi.params import Depends as DependsParam
from fastapi.routing import iter_route_contexts
from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter
from redis import RedisError
from starlette.concurrency import run_in_threadpool

from mockroom.accounts.schemas import normal_email
from mockroom.api.security import CurrentUser
from mockroom.core.config import Settings
from mockroom.core.errors import AppError

RouteLimit = Literal[
    "interview_start_per_user", "interview_start_per_ip", "answer_per_user", "code_run_per_user",
    "cv_parse_per_user", "voice_offer_per_user", "sign_in_per_ip",
]
LimitName = Literal[RouteLimit, "sign_in_per_email"]

# What each limit counts, as the refusal says it; the keys are the limits (setting `rate_limit_<name>`).
_COUNTS: dict[LimitName, str] = {
    "interview_start_per_user": "interviews started on this account",
    "interview_start_per_ip": "interviews started from this address",
    "answer_per_user": "answers from this account",
    "code_run_per_user": "code runs from this account",
    "cv_parse_per_user": "CV uploads from this account",
    "voice_offer_per_user": "voice calls started from this account",
    "sign_in_per_ip": "sign-in attempts from this address",
    "sign_in_per_email": "sign-in attempts for this e-mail",
}
_KEY_PREFIX = "mockroom"
_REDIS_TIMEOUT_SECONDS = 0.5
# Failed sign-ins are counted for an hour from the first one; the lockout grows with the count.
_FAILURES_KEPT_SECONDS = 3600
_TOO_MANY: dict[str, Any] = {
    "description": "Too many requests (`rate_limited`): wait the seconds in Retry-After.",
    "headers": {"Retry-After": {"description": "Seconds until a retry can succeed.", "schema": {"type": "integer"}}},
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
}
_LIMITED: set[Callable[..., Any]] = set()
_log = logging.getLogger("mockroom.limits")


@dataclass(frozen=True)
class Refusal:
    """A request over a limit: what was counted and how many seconds until a retry can succeed."""

    counted: str
    retry_after: int

    def error(self) -> AppError:
        return AppError(code="rate_limited", message=f"Too many {self.counted}; try again in {_wait(self.retry_after)}.",
                        status=429, headers={"Retry-After": str(self.retry_after)})


class RateLimits:
    """The limits of one app and the store their counts live in."""

    def __init__(self, settings: Settings) -> None:
        self.enabled = settings.rate_limits_enabled
        self._storage: Storage
        self._unavailable: tuple[type[Exception], ...]
        if settings.redis_url:
            self._storage = RedisStorage(
                settings.redis_url, key_prefix=_KEY_PREFIX, wrap_exceptions=True,
                socket_connect_timeout=_REDIS_TIMEOUT_SECONDS, socket_timeout=_REDIS_TIMEOUT_SECONDS,
            )
            self._unavailable = (StorageError, RedisError)
        else:
            self._storage = MemoryStorage()
            self._unavailable = ()
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._rates: dict[LimitName, list[RateLimitItem]] = {
            name: parse_many(getattr(settings, f"rate_limit_{name}")) for name in _COUNTS
        }
        self._lockout_after = settings.sign_in_lockout_after_failures
        self._lockout_first = settings.sign_in_lockout_seconds
        self._lockout_max = settings.sign_in_lockout_max_seconds

    def spend(self, counts: Sequence[tuple[LimitName, str]]) -> Refusal | None:
        """Counts one request against each (limit, who); the first limit it would exceed refuses it."""
        try:
            for name, who in counts:
                for rate in self._rates[name]:
                    if not self._limiter.hit(rate, name, who):
                        reset = self._limiter.get_window_stats(rate, name, who).reset_time
                        return Refusal(_COUNTS[name], _seconds_until(reset))
        except self._unavailable as error:
            _log.warning("rate-limit store unavailable, request let through: %s", error)
        return None

    def sign_in_refusal(self, who: str) -> Refusal | None:
        """A sign-in for this (pseudonymous) e-mail while it is locked out, or over its own limit."""
        try:
            if self._storage.get(_lockout_key(who)):
                seconds = _seconds_until(self._storage.get_expiry(_lockout_key(who)))
                return Refusal("failed sign-ins for this e-mail", seconds)
        except self._unavailable as error:
            _log.warning("rate-limit store unavailable, sign-in let through: %s", error)
        return self.spend([("sign_in_per_email", who)])

    def sign_in_failed(self, who: str) -> None:
        """Counts a failed sign-in; from the configured count on, each failure locks the e-mail out twice as long
        as the one before, up to the maximum."""
        try:
            failures = self._storage.incr(_failures_key(who), _FAILURES_KEPT_SECONDS)
            beyond = failures - self._lockout_after
            if beyond >= 0:
                seconds = min(self._lockout_first * 2 ** min(beyond, 32), self._lockout_max)
                self._storage.clear(_lockout_key(who))
                self._storage.incr(_lockout_key(who), seconds)
        except self._unavailable as error:
            _log.warning("rate-limit store unavailable, failed sign-in not counted: %s", error)

    def sign_in_succeeded(self, who: str) -> None:
        """A successful sign-in forgets the e-mail's failures and ends any lockout."""
        try:
            self._storage.clear(_failures_key(who))
            self._storage.clear(_lockout_key(who))
        except self._unavailable as error:
            _log.warning("rate-limit store unavailable, sign-in failures not reset: %s", error)


def install(app: FastAPI, settings: Settings) -> None:
    """The app's rate-limit counts, and the 429 answer documented on every operation that has a limit."""
    app.state.rate_limits = RateLimits(settings)
    build = app.openapi

    def openapi() -> dict[str, Any]:
        schema = build()
        for route in iter_route_contexts(app.routes):
            if not any(d.dependency in _LIMITED for d in getattr(route, "dependencies", ())):
                continue
            for method in route.methods or ():
                operation = schema["paths"].get(route.path_format, {}).get(method.lower())
                if operation is not None:
                    too_many = operation["responses"].setdefault("429", dict(_TOO_MANY))
                    too_many.setdefault("headers", _TOO_MANY["headers"])
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def rate_limit(*names: RouteLimit) -> DependsParam:
    """A route dependency that counts each request against the named limits (`*_per_user` by the signed-in
    account, `*_per_ip` by the client address) and refuses it with 429 once one is spent."""
    per_ip = [name for name in names if name.endswith("_per_ip")]
    per_user = [name for name in names if name.endswith("_per_user")]

    async def by_address(request: Request) -> None:
        await _spend(request, [(name, client_address(request)) for name in per_ip])

    async def by_account(request: Request, principal: CurrentUser) -> None:
        await _spend(request, [(name, client_address(request)) for name in per_ip]
                     + [(name, principal.user_id) for name in per_user])

    check = by_account if per_user else by_address
    _LIMITED.add(check)
    return Depends(check)


def sign_in_limit() -> DependsParam:
    """The sign-in route's dependency: the per-e-mail limit and the lockout after repeated failures, counted from
    the route's outcome (a wrong password counts as a failure, a sign-in ends the lockout)."""

    async def guard(request: Request) -> AsyncIterator[None]:
        limits = _limits(request)
        email = await _email(request)
        if not limits.enabled or email is None:
            yield
            return
        who = hashlib.sha256(email.encode()).hexdigest()[:32]  # e-mail addresses never reach the store
        refusal = await run_in_threadpool(limits.sign_in_refusal, who)
        if refusal is not None:
            raise refusal.error()
        try:
            yield
        except AppError as error:
            if error.code == "invalid_credentials":
                await run_in_threadpool(limits.sign_in_failed, who)
            raise
        await run_in_threadpool(limits.sign_in_succeeded, who)

    _LIMITED.add(guard)
    # Function scope: the outcome is counted before the response goes out, so the next attempt sees it.
    return Depends(guard, scope="function")


def client_address(request: Request) -> str:
    """The address the request came from (the proxy's client only when the proxy is trusted)."""
    return request.client.host if request.client else "unknown"


async def _spend(request: Request, counts: Sequence[tuple[LimitName, str]]) -> None:
    limits = _limits(request)
    if not limits.enabled:
        return
    refusal = await run_in_threadpool(limits.spend, counts)
    if refusal is not None:
        raise refusal.error()


def _limits(request: Request) -> RateLimits:
    return request.app.state.rate_limits  # type: ignore[no-any-return]


async def _email(request: Request) -> str | None:
    """The e-mail of a sign-in body, normalised as the account stores it; None when the body has no valid one
    (the route then refuses the body itself)."""
    try:
        body = await request.json()
        email = body.get("email") if isinstance(body, dict) else None
        return normal_email(email) if isinstance(email, str) else None
    except ValueError:
        return None


def _failures_key(who: str) -> str:
    return f"sign-in-failures/{who}"


def _lockout_key(who: str) -> str:
    return f"sign-in-lockout/{who}"


def _seconds_until(moment: float) -> int:
    return max(1, math.ceil(moment - time.time()))


def _wait(seconds: int) -> str:
    if seconds < 120:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"

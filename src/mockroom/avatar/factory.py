"""Which avatar draws the interviewer on this server, and the hosted avatar service of one call."""

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

import aiohttp

from mockroom.avatar.base import HostedAvatar
from mockroom.core.config import Settings

AvatarName = Literal["local", "tavus", "heygen"]
LABELS = {"local": "the local avatar", "tavus": "Tavus", "heygen": "HeyGen LiveAvatar"}
# What each hosted avatar needs beyond pipecat's core: the module that tells it is installed, and its extra.
_NEEDS = {"tavus": ("daily", "pipecat-ai[daily]"), "heygen": ("livekit.rtc", "pipecat-ai[heygen]")}
_REST_TIMEOUT_SECONDS = 10.0
# A call may run past the interview's planned length (a long last answer, the candidate's questions).
_OVERRUN_SECONDS = 600


def avatar_choice(settings: Settings) -> tuple[AvatarName, str]:
    """The avatar calls will use ("local", "tavus" or "heygen") and, when a configured hosted one cannot be used,
    why not (which setting or package is missing)."""
    provider = settings.avatar_provider
    if provider == "local":
        return "local", ""
    required = {
        "tavus": {"MOCKROOM_TAVUS_API_KEY": settings.tavus_api_key, "MOCKROOM_TAVUS_REPLICA_ID": settings.tavus_replica_id},
        "heygen": {"MOCKROOM_HEYGEN_API_KEY": settings.heygen_api_key, "MOCKROOM_HEYGEN_AVATAR_ID": settings.heygen_avatar_id},
    }[provider]
    missing = [name for name, value in required.items() if not value.strip()]
    if missing:
        return "local", f"{LABELS[provider]} needs {' and '.join(missing)}; calls use the local avatar."
    module, extra = _NEEDS[provider]
    try:
        importlib.import_module(module)
    except ImportError as error:
        return "local", (
            f"{LABELS[provider]} needs {extra}: pip install -e '.[avatar]' ({error}); calls use the local avatar."
        )
    return provider, ""


def max_call_seconds(interview_minutes: int) -> int:
    """The longest a hosted avatar session of the call may run: the interview's length and some slack."""
    return max(1, interview_minutes) * 60 + _OVERRUN_SECONDS


@asynccontextmanager
async def hosted_avatar(provider: AvatarName, *, settings: Settings, interview_minutes: int) -> AsyncIterator[HostedAvatar | None]:
    """The hosted avatar service of one call (None for the local avatar) with its HTTP session. Nothing is created at
    the provider until the service's `connect()`, and whatever was is ended when the block exits, however it does."""
    if provider == "local":
        yield None
        return
    timeout = aiohttp.ClientTimeout(total=min(_REST_TIMEOUT_SECONDS, settings.avatar_connect_timeout_seconds))
    async with aiohttp.ClientSession(timeout=timeout) as http:
        avatar = _build(provider, settings=settings, http=http, seconds=max_call_seconds(interview_minutes))
        try:
            yield avatar
        finally:
            await avatar.disconnect()


def _build(provider: str, *, settings: Settings, http: aiohttp.ClientSession, seconds: int) -> HostedAvatar:
    if provider == "tavus":
        from mockroom.avatar.tavus import ECHO_PERSONA, TavusAvatar, TavusConversations

        conversations = TavusConversations(
            api_key=settings.tavus_api_key, session=http, base_url=settings.tavus_url, max_call_seconds=seconds,
            test_mode=settings.tavus_test_mode,
        )
        return TavusAvatar(
            api_key=settings.tavus_api_key, replica_id=settings.tavus_replica_id,
            persona_id=settings.tavus_persona_id or ECHO_PERSONA, session=http, conversations=conversations,
        )
    if provider == "heygen":
        from mockroom.avatar.heygen import HeyGenAvatar, LiveAvatarSessions

        sessions = LiveAvatarSessions(api_key=settings.heygen_api_key, session=http, base_url=settings.heygen_url)
        return HeyGenAvatar(
            api_key=settings.heygen_api_key, avatar_id=settings.heygen_avatar_id, sandbox=settings.heygen_sandbox,
            max_call_seconds=seconds, session=http, sessions=sessions,
        )
    raise ValueError(f"no hosted avatar called {provider!r}")

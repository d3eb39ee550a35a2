"""The providers' keys stay on the server: in no log line (pipecat's included, at every level) and in nothing sent
to the browser, on the happy path and on the failures."""

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from loguru import logger
from tests.avatar.fakes import HEYGEN_KEY, TAVUS_KEY, FakeLiveAvatar, FakeTavus, Script
from tests.avatar.harness import Say, SleepFrame, run_call

from mockroom.avatar.factory import AvatarName, hosted_avatar
from mockroom.core.config import Settings

REPLY = "Thanks. Tell me about a system you built."


@pytest.fixture
def log() -> Iterator[list[str]]:
    lines: list[str] = []
    sink = logger.add(lines.append, level="TRACE", format="{level} {name}:{function} {message} {extra}\n{exception}")
    yield lines
    logger.remove(sink)


def _run(provider: AvatarName, settings: Settings) -> list[dict[str, Any]]:
    async def scenario() -> list[dict[str, Any]]:
        async with hosted_avatar(provider, settings=settings, interview_minutes=20) as avatar:
            call = await run_call(avatar, [SleepFrame(0.4), Say(text=REPLY, reply_id="r1"), SleepFrame(2.5)])
        return [message for _, message in call.notes]

    return asyncio.run(scenario())


@pytest.mark.parametrize("status", [200, 401, 429])
def test_the_tavus_key_is_never_logged_nor_sent_to_the_browser(tavus: FakeTavus, log: list[str], status: int) -> None:
    tavus.script = Script(status=status)
    settings = Settings(avatar_provider="tavus", tavus_api_key=TAVUS_KEY, tavus_replica_id="r", tavus_url=tavus.base_url)
    notes = _run("tavus", settings)
    assert notes and log
    assert not [line for line in log if TAVUS_KEY in line]
    assert TAVUS_KEY not in repr(notes)


@pytest.mark.parametrize("status", [200, 402])
def test_the_liveavatar_key_is_never_logged_nor_sent_to_the_browser(
    liveavatar: FakeLiveAvatar, log: list[str], status: int
) -> None:
    liveavatar.script = Script(status=status)
    settings = Settings(avatar_provider="heygen", heygen_api_key=HEYGEN_KEY, heygen_avatar_id="a",
                        heygen_url=liveavatar.base_url)
    notes = _run("heygen", settings)
    assert notes and log
    assert not [line for line in log if HEYGEN_KEY in line]
    assert HEYGEN_KEY not in repr(notes)

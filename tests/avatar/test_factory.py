"""Which avatar a server uses, and what a call's hosted avatar is made of; nothing here reaches a provider."""

import asyncio

import pytest
from tests.avatar.fakes import TAVUS_KEY, FakeTavus

from mockroom.avatar import factory
from mockroom.avatar.factory import avatar_choice, hosted_avatar, max_call_seconds
from mockroom.avatar.heygen import HeyGenAvatar
from mockroom.avatar.tavus import TavusAvatar
from mockroom.core.config import Settings


def test_the_local_avatar_is_the_default() -> None:
    assert avatar_choice(Settings()) == ("local", "")


def test_a_hosted_avatar_without_its_key_or_id_falls_back_to_local_and_says_which_setting_is_missing() -> None:
    avatar, problem = avatar_choice(Settings(avatar_provider="tavus", tavus_api_key="k"))
    assert avatar == "local" and "MOCKROOM_TAVUS_REPLICA_ID" in problem and "MOCKROOM_TAVUS_API_KEY" not in problem
    avatar, problem = avatar_choice(Settings(avatar_provider="heygen", heygen_avatar_id="a"))
    assert avatar == "local" and "MOCKROOM_HEYGEN_API_KEY" in problem


def test_a_hosted_avatar_without_its_media_client_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(factory._NEEDS, "tavus", ("no_such_daily_module", "pipecat-ai[daily]"))
    avatar, problem = avatar_choice(Settings(avatar_provider="tavus", tavus_api_key="k", tavus_replica_id="r"))
    assert avatar == "local" and "pip install -e '.[avatar]'" in problem


def test_configured_hosted_avatars_are_used() -> None:
    assert avatar_choice(Settings(avatar_provider="tavus", tavus_api_key="k", tavus_replica_id="r"))[0] == "tavus"
    assert avatar_choice(Settings(avatar_provider="heygen", heygen_api_key="k", heygen_avatar_id="a"))[0] == "heygen"


def test_a_call_may_run_the_interview_s_length_and_ten_minutes() -> None:
    assert max_call_seconds(25) == 25 * 60 + 600
    assert max_call_seconds(0) == 60 + 600


def test_each_provider_gets_its_pipecat_service_and_the_local_avatar_none() -> None:
    settings = Settings(tavus_api_key="k", tavus_replica_id="r", heygen_api_key="k", heygen_avatar_id="a")

    async def build(provider: factory.AvatarName) -> object:
        async with hosted_avatar(provider, settings=settings, interview_minutes=30) as avatar:
            return avatar

    assert asyncio.run(build("local")) is None
    assert isinstance(asyncio.run(build("tavus")), TavusAvatar)
    assert isinstance(asyncio.run(build("heygen")), HeyGenAvatar)


def test_tavus_test_mode_creates_conversations_in_test_mode(tavus: FakeTavus) -> None:
    settings = Settings(tavus_api_key=TAVUS_KEY, tavus_replica_id="r", tavus_url=tavus.base_url, tavus_test_mode=True)

    async def create() -> None:
        async with hosted_avatar("tavus", settings=settings, interview_minutes=20) as avatar:
            assert isinstance(avatar, TavusAvatar)
            await avatar._conversations.create_conversation("r", "pipecat0")

    asyncio.run(create())
    [created] = tavus.created()
    assert created.body["test_mode"] is True and created.body["properties"]["max_call_duration"] == 20 * 60 + 600
    assert tavus.still_open() == [], "the block's exit ends the conversation it made"

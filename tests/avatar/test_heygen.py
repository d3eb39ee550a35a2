"""HeyGen LiveAvatar (LITE mode) through pipecat's HeyGenVideoService, at frame level against the local fake (REST API,
control WebSocket and LiveKit room)."""

import asyncio
import base64
import time
from typing import Any

import pytest
from tests.avatar.fakes import HEYGEN_KEY, FakeLiveAvatar, FakeRoom, Script
from tests.avatar.harness import (
    REPLY,
    SENTENCES,
    Act,
    BargeIn,
    Call,
    Say,
    SleepFrame,
    assert_no_lost_words,
    call_hosted,
    run_call,
    speech,
    voiced_span,
)

from mockroom.avatar import heygen
from mockroom.avatar.factory import hosted_avatar
from mockroom.core.config import Settings


def _settings(fake: FakeLiveAvatar, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "avatar_provider": "heygen", "heygen_api_key": HEYGEN_KEY, "heygen_avatar_id": "a-interviewer",
        "heygen_url": fake.base_url, **overrides,
    }
    return Settings(**values)


def _call(fake: FakeLiveAvatar, script: list[Any], **kwargs: Any) -> Call:
    return call_hosted("heygen", _settings(fake, **kwargs.pop("settings", {})), script, **kwargs)


def test_one_lite_session_per_call_started_with_our_limits_and_stopped_when_the_call_ends(
    liveavatar: FakeLiveAvatar,
) -> None:
    call = _call(liveavatar, [SleepFrame(0.4), Say(text=REPLY, reply_id="r1"), SleepFrame(4.0)])

    [token] = liveavatar.calls("token")
    assert token.headers["x-api-key"] == HEYGEN_KEY
    assert token.body["mode"] == "LITE" and token.body["avatar_id"] == "a-interviewer"
    assert token.body["is_sandbox"] is False and token.body["max_session_duration"] == 25 * 60 + 600
    [start] = liveavatar.calls("start")
    assert start.headers["authorization"] == "Bearer session-token-s0001" and "x-api-key" not in start.headers
    [stop] = liveavatar.calls("stop")
    assert stop.body == {"session_id": "s0001"} and stop.headers["authorization"] == "Bearer session-token-s0001"
    assert liveavatar.still_running() == []
    [room] = FakeRoom.instances
    assert not room.connected
    assert call.of_type("avatar") == [{"type": "avatar", "provider": "heygen", "status": "live"}]


def test_our_audio_goes_to_liveavatar_verbatim_and_its_video_and_voice_come_back(liveavatar: FakeLiveAvatar) -> None:
    call = _call(liveavatar, [SleepFrame(0.4), Say(text=REPLY, reply_id="r1"), SleepFrame(4.0)])

    session = liveavatar.only()
    speaks = [m for m in session.socket_messages if m["type"] == "agent.speak"]
    assert b"".join(base64.b64decode(m["audio"]) for m in speaks) == b"".join(speech(s) for s in SENTENCES)
    ends = [m for m in session.socket_messages if m["type"] == "agent.speak_end"]
    assert ends and ends[-1]["event_id"] == speaks[-1]["event_id"], "each utterance is closed"
    assert call.video_frames() > 10
    assert_no_lost_words(call)
    reply = call.replies["r1"]
    assert abs(reply.played_seconds - reply.synthesized_seconds) < 0.05
    [latency] = call.latencies
    assert latency["first_tts_audio_ms"] <= latency["first_audio_sent_ms"] <= latency["first_avatar_video_ms"]


def test_barge_in_interrupts_the_avatar(liveavatar: FakeLiveAvatar) -> None:
    call = _call(liveavatar, [SleepFrame(0.4), Say(text=REPLY, reply_id="r1"), SleepFrame(0.9), BargeIn(),
                              SleepFrame(1.5)])

    session = liveavatar.only()
    assert any(m["type"] == "agent.interrupt" for m in session.socket_messages)
    assert session.avatar.interrupts >= 1
    assert voiced_span(speech(SENTENCES[-1])) not in call.heard()
    assert call.of_type("avatar") == [{"type": "avatar", "provider": "heygen", "status": "live"}]


def test_keep_alive_is_sent_while_the_session_runs(liveavatar: FakeLiveAvatar, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heygen._LiveAvatarClient, "keep_alive_seconds", 0.3)
    _call(liveavatar, [SleepFrame(1.5)])

    keep_alives = [m for m in liveavatar.only().socket_messages if m["type"] == "session.keep_alive"]
    assert len(keep_alives) >= 3 and all(m["event_id"] for m in keep_alives)


@pytest.mark.parametrize("status", [401, 402, 429])
def test_a_refused_session_leaves_the_call_to_the_local_avatar(liveavatar: FakeLiveAvatar, status: int) -> None:
    liveavatar.script = Script(status=status)
    started = time.time()
    call = _call(liveavatar, [SleepFrame(0.2), Say(text=REPLY, reply_id="r1"), SleepFrame(0.5)])

    [(at, note)] = call.timed("avatar")
    assert note["provider"] == "local" and note["reason"].startswith("HeyGen LiveAvatar ")
    assert at - started < 2.0
    assert liveavatar.calls("start") == [] and FakeRoom.instances == []
    assert_no_lost_words(call)


def test_a_slow_start_times_out_and_the_session_it_started_late_is_still_stopped(liveavatar: FakeLiveAvatar) -> None:
    liveavatar.script = Script(delay=1.0)
    call = _call(liveavatar, [Say(text=REPLY, reply_id="r1"), SleepFrame(0.8)], connect_timeout=0.4)

    assert "did not start within 0.4 s" in call.of_type("avatar")[0]["reason"]
    assert_no_lost_words(call)
    assert len(liveavatar.sessions) == 1 and liveavatar.still_running() == []


@pytest.mark.parametrize("how", ["socket-closed", "avatar-left", "media-stopped"])
def test_a_session_lost_mid_reply_goes_on_locally_within_two_seconds_without_losing_a_word(
    liveavatar: FakeLiveAvatar, how: str
) -> None:
    lost: list[float] = []

    def lose() -> None:
        lost.append(time.time())
        if how == "socket-closed":
            liveavatar.close_socket(liveavatar.only())
        else:
            FakeRoom.instances[0].drop(say_so=how == "avatar-left")

    call = _call(liveavatar, [SleepFrame(0.4), Say(text=REPLY, reply_id="r1"), SleepFrame(1.6), Act(action=lose),
                              SleepFrame(4.5)])

    notes = call.timed("avatar")
    assert [n["provider"] for _, n in notes] == ["heygen", "local"]
    assert notes[1][0] - lost[0] < 2.0
    assert_no_lost_words(call)
    [stop] = liveavatar.calls("stop")
    assert stop.at - lost[0] < 2.5 and liveavatar.still_running() == []


def test_an_avatar_that_does_not_speak_what_it_is_sent_is_given_up(liveavatar: FakeLiveAvatar) -> None:
    liveavatar.mute = True
    call = _call(liveavatar, [SleepFrame(0.4), Say(text=REPLY, reply_id="r1"), SleepFrame(4.0)])

    assert call.of_type("avatar")[-1]["reason"] == "HeyGen LiveAvatar did not speak the interviewer's words."
    assert_no_lost_words(call)
    assert liveavatar.still_running() == []


def test_the_session_is_stopped_when_the_call_is_cut_off(liveavatar: FakeLiveAvatar) -> None:
    settings = _settings(liveavatar)

    async def scenario() -> None:
        async with hosted_avatar("heygen", settings=settings, interview_minutes=25) as avatar:
            call = asyncio.ensure_future(run_call(avatar, [Say(text=REPLY, reply_id="r1"), SleepFrame(30)]))
            deadline = time.time() + 5
            while not (FakeRoom.instances and FakeRoom.instances[0].connected):
                assert time.time() < deadline, "the call never joined LiveAvatar's room"
                await asyncio.sleep(0.05)
            call.cancel()
            await asyncio.gather(call, return_exceptions=True)

    asyncio.run(scenario())
    assert len(liveavatar.calls("stop")) == 1 and liveavatar.still_running() == []

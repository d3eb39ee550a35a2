"""Tavus through pipecat's TavusVideoService, at frame level against the local fake (REST API and Daily room)."""

import asyncio
import time
from typing import Any

import pytest
from tests.avatar.fakes import TAVUS_KEY, FakeDailyClient, FakeTavus, Script
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

from mockroom.avatar.factory import hosted_avatar
from mockroom.core.config import Settings


def _settings(fake: FakeTavus, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "avatar_provider": "tavus", "tavus_api_key": TAVUS_KEY, "tavus_replica_id": "r-interviewer",
        "tavus_url": fake.base_url, **overrides,
    }
    return Settings(**values)


def _call(fake: FakeTavus, script: list[Any], **kwargs: Any) -> Call:
    return call_hosted("tavus", _settings(fake, **kwargs.pop("settings", {})), script, **kwargs)


def test_one_conversation_per_call_with_the_interviews_limits_ended_when_the_call_ends(tavus: FakeTavus) -> None:
    call = _call(tavus, [SleepFrame(0.4), Say(text=REPLY, reply_id="r1"), SleepFrame(3.5)])

    [created] = tavus.created()
    assert created.headers["x-api-key"] == TAVUS_KEY
    assert created.body["replica_id"] == "r-interviewer" and created.body["persona_id"] == "pipecat0"
    assert created.body["properties"] == {
        "max_call_duration": 25 * 60 + 600, "participant_left_timeout": 10, "participant_absent_timeout": 60,
    }
    assert "test_mode" not in created.body
    assert tavus.ended() == ["c0001"] and tavus.still_open() == []
    [daily] = FakeDailyClient.instances
    assert daily.left and daily.released
    assert call.of_type("avatar") == [{"type": "avatar", "provider": "tavus", "status": "live"}]


def test_our_audio_goes_to_tavus_verbatim_and_its_video_and_voice_come_back(tavus: FakeTavus) -> None:
    call = _call(tavus, [SleepFrame(0.4), Say(text=REPLY, reply_id="r1"), SleepFrame(3.5)])

    [daily] = FakeDailyClient.instances
    sent = b"".join(speech(s) for s in SENTENCES)
    echoed = daily.echoed_audio()
    assert echoed[: len(sent)] == sent and not any(echoed[len(sent):]), "ours, then the end-of-utterance silence"
    echoes = daily.echoes()
    assert {e["conversation_id"] for e in echoes} == {"c0001"}
    assert all(e["properties"]["sample_rate"] == 24_000 for e in echoes)
    assert echoes[-1]["properties"]["done"] is True, "the utterance is closed once the reply's audio has been sent"
    assert call.video_frames() > 10
    assert_no_lost_words(call)
    reply = call.replies["r1"]
    assert abs(reply.played_seconds - reply.synthesized_seconds) < 0.05, "heard to the end, no more, no less"
    [latency] = call.latencies
    assert latency["first_avatar_video_ms"] is not None and latency["first_audio_sent_ms"] is not None
    assert latency["first_tts_audio_ms"] <= latency["first_audio_sent_ms"] <= latency["first_avatar_video_ms"]


def test_barge_in_interrupts_the_replica(tavus: FakeTavus) -> None:
    call = _call(tavus, [SleepFrame(0.4), Say(text=REPLY, reply_id="r1"), SleepFrame(0.7), BargeIn(), SleepFrame(1.5)])

    [daily] = FakeDailyClient.instances
    interrupts = [m for m in daily.messages if m.get("event_type") == "conversation.interrupt"]
    assert interrupts and interrupts[0]["conversation_id"] == "c0001"
    assert daily.avatar.interrupts >= 1
    assert voiced_span(speech(SENTENCES[-1])) not in call.heard(), "nothing of the reply after the barge-in"
    assert call.of_type("avatar") == [{"type": "avatar", "provider": "tavus", "status": "live"}], "no fallback"
    assert tavus.still_open() == []


@pytest.mark.parametrize("status", [401, 402, 429])
def test_a_refused_conversation_leaves_the_call_to_the_local_avatar(tavus: FakeTavus, status: int) -> None:
    tavus.script = Script(status=status)
    started = time.time()
    call = _call(tavus, [SleepFrame(0.2), Say(text=REPLY, reply_id="r1"), SleepFrame(0.5)])

    [note] = call.of_type("avatar")
    assert note["provider"] == "local" and note["reason"].startswith("Tavus ")
    assert call.timed("avatar")[0][0] - started < 2.0
    assert tavus.conversations == {} and FakeDailyClient.instances == []
    assert_no_lost_words(call)
    assert call.video_frames() == 0


def test_a_slow_tavus_times_out_and_the_conversation_it_made_late_is_still_ended(tavus: FakeTavus) -> None:
    tavus.script = Script(delay=1.0)
    call = _call(tavus, [Say(text=REPLY, reply_id="r1"), SleepFrame(0.8)], connect_timeout=0.4)

    [note] = call.of_type("avatar")
    assert note["provider"] == "local" and "did not start within 0.4 s" in note["reason"]
    assert_no_lost_words(call)
    assert len(tavus.conversations) == 1 and tavus.still_open() == [], "created after the timeout, ended all the same"


def test_a_replica_that_never_joins_is_given_up_and_its_conversation_ended(tavus: FakeTavus) -> None:
    tavus.joins = False
    call = _call(tavus, [Say(text=REPLY, reply_id="r1"), SleepFrame(1.0)], connect_timeout=0.5)

    assert call.of_type("avatar")[0]["provider"] == "local"
    assert tavus.still_open() == [] and tavus.ended() == ["c0001"]
    assert_no_lost_words(call)


def test_a_room_that_fails_to_join_falls_back_at_once(tavus: FakeTavus) -> None:
    tavus.room_error = True
    started = time.time()
    call = _call(tavus, [SleepFrame(0.3), Say(text=REPLY, reply_id="r1"), SleepFrame(0.5)])

    [note] = call.of_type("avatar")
    assert note["provider"] == "local" and note["reason"] == "Tavus's video room failed."
    assert call.timed("avatar")[0][0] - started < 1.0
    assert tavus.still_open() == []
    assert_no_lost_words(call)


def test_a_persona_that_is_not_an_echo_is_refused(tavus: FakeTavus) -> None:
    tavus.persona_modes["p-full"] = "full"
    call = _call(tavus, [SleepFrame(0.2), Say(text=REPLY, reply_id="r1"), SleepFrame(0.3)],
                 settings={"tavus_persona_id": "p-full"})

    assert "echo" in call.of_type("avatar")[0]["reason"]
    assert tavus.created() == [], "Tavus's own LLM never gets a conversation"


@pytest.mark.parametrize("say_so", [True, False], ids=["replica-left", "media-stopped"])
def test_a_room_dropped_mid_reply_goes_on_locally_within_two_seconds_without_losing_a_word(
    tavus: FakeTavus, say_so: bool
) -> None:
    dropped: list[float] = []

    async def drop() -> None:
        dropped.append(time.time())
        await FakeDailyClient.instances[0].drop(say_so=say_so)

    call = _call(tavus, [SleepFrame(0.4), Say(text=REPLY, reply_id="r1"), SleepFrame(1.2), Act(action=drop),
                         SleepFrame(4.0)])

    notes = call.timed("avatar")
    assert [n["provider"] for _, n in notes] == ["tavus", "local"]
    assert notes[1][0] - dropped[0] < 2.0, "the browser hears of it within two seconds"
    assert_no_lost_words(call)
    assert call.heard().count(voiced_span(speech(SENTENCES[0]))) == 1, "resumed at the sentence being heard"
    [end] = [r for r in tavus.received if r.path.endswith("/end")]
    assert end.at - dropped[0] < 2.5, "nothing more is billed"
    assert tavus.still_open() == []
    reply = call.replies["r1"]
    assert abs(reply.played_seconds - reply.synthesized_seconds) < 0.05


def test_a_replica_that_does_not_speak_what_it_is_sent_is_given_up(tavus: FakeTavus) -> None:
    tavus.mute = True
    call = _call(tavus, [SleepFrame(0.4), Say(text=REPLY, reply_id="r1"), SleepFrame(3.5)])

    [_live, local] = call.of_type("avatar")
    assert local["reason"] == "Tavus did not speak the interviewer's words."
    assert_no_lost_words(call)
    assert tavus.still_open() == []


def test_the_conversation_is_ended_when_the_call_is_cut_off(tavus: FakeTavus) -> None:
    settings = _settings(tavus)

    async def scenario() -> None:
        async with hosted_avatar("tavus", settings=settings, interview_minutes=25) as avatar:
            call = asyncio.ensure_future(run_call(avatar, [Say(text=REPLY, reply_id="r1"), SleepFrame(30)]))
            await _joined(tavus)
            call.cancel()
            await asyncio.gather(call, return_exceptions=True)

    asyncio.run(scenario())
    assert tavus.ended() == ["c0001"] and tavus.still_open() == []


def test_the_conversation_is_ended_when_the_call_crashes(tavus: FakeTavus) -> None:
    settings = _settings(tavus)

    async def scenario() -> None:
        async with hosted_avatar("tavus", settings=settings, interview_minutes=25) as avatar:
            call = asyncio.ensure_future(run_call(avatar, [Say(text=REPLY, reply_id="r1"), SleepFrame(30)]))
            try:
                await _joined(tavus)
                raise RuntimeError("a bug in the call")
            finally:
                call.cancel()

    with pytest.raises(RuntimeError):
        asyncio.run(scenario())
    assert len(tavus.conversations) == 1 and tavus.still_open() == []


async def _joined(tavus: FakeTavus) -> None:
    deadline = time.time() + 5
    while not (tavus.conversations and FakeDailyClient.instances and FakeDailyClient.instances[0].joined):
        assert time.time() < deadline, "the call never joined Tavus's room"
        await asyncio.sleep(0.05)

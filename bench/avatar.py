"""Hosted avatar benchmark against the local fakes (Tavus, HeyGen LiveAvatar): the latency each hosted path adds to a
reply over the local avatar, how long a call waits for the avatar's first video, and how long a dropped room takes to
hand the call back to the local avatar.

The fake avatars answer with no rendering delay of their own (`--render-ms` sets one), so the added latency printed
is what Mockroom's relay and pipecat's service add (pipecat buffers 100 ms of audio per Tavus message and 400 ms
before LiveAvatar's first one); a real provider adds its own rendering time on top, which no fake can tell. Usage:

    .venv/bin/python bench/avatar.py [--replies N] [--render-ms MS]
"""

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from livekit import rtc  # noqa: E402
from loguru import logger  # noqa: E402
from pipecat.transports.tavus import transport as tavus_transport  # noqa: E402
from tests.avatar import fakes  # noqa: E402
from tests.avatar.harness import Act, Call, Say, SleepFrame, run_call  # noqa: E402

from mockroom.avatar.factory import AvatarName, hosted_avatar  # noqa: E402
from mockroom.core.config import Settings  # noqa: E402

REPLY = "Thanks, that helps. How would you make that service survive a restart?"


def _settings(provider: AvatarName, tavus: fakes.FakeTavus, liveavatar: fakes.FakeLiveAvatar) -> Settings:
    return Settings(
        avatar_provider=provider, tavus_api_key=fakes.TAVUS_KEY, tavus_replica_id="r", tavus_url=tavus.base_url,
        heygen_api_key=fakes.HEYGEN_KEY, heygen_avatar_id="a", heygen_url=liveavatar.base_url,
    )


async def _call(provider: AvatarName, settings: Settings, script: list[Any]) -> tuple[Call, float]:
    started = time.time()
    async with hosted_avatar(provider, settings=settings, interview_minutes=30) as avatar:
        return await run_call(avatar, script), started


def _reply_script(replies: int) -> list[Any]:
    script: list[Any] = [SleepFrame(0.5)]
    for index in range(replies):
        script += [Say(text=REPLY, reply_id=f"r{index}"), SleepFrame(4.0)]
    return script


def _tts_to_first_audio(call: Call) -> list[float]:
    return [float(t["first_audio_sent_ms"] - t["first_tts_audio_ms"]) for t in call.latencies
            if t["first_audio_sent_ms"] is not None and t["first_tts_audio_ms"] is not None]


async def main(replies: int, render_ms: float) -> None:
    logger.remove()
    with fakes.FakeTavus(latency=render_ms / 1000) as tavus, fakes.FakeLiveAvatar(latency=render_ms / 1000) as live:
        fakes.FakeDailyClient.tavus = tavus
        fakes.FakeRoom.liveavatar = live
        tavus_transport.DailyTransportClient = fakes.FakeDailyClient  # type: ignore[misc]
        rtc.Room, rtc.VideoStream, rtc.AudioStream = (  # type: ignore[misc]
            fakes.FakeRoom, fakes.FakeVideoStream, fakes.FakeAudioStream,
        )
        local, _ = await _call("local", _settings("local", tavus, live), _reply_script(replies))
        base = statistics.median(_tts_to_first_audio(local))
        print(f"fake rendering delay {render_ms:.0f} ms, {replies} replies per path; medians in ms\n")
        print(f"{'path':<20}{'TTS→first audio':>17}{'added':>9}{'first video':>13}{'drop→local':>12}")
        print(f"{'local':<20}{base:>17.0f}{0:>9.0f}{'-':>13}{'-':>12}")
        for provider in ("tavus", "heygen"):
            settings = _settings(provider, tavus, live)
            call, started = await _call(provider, settings, _reply_script(replies))
            figures = _tts_to_first_audio(call)
            first_video = min(at for at, _ in call.timed("avatar")) - started
            dropped: list[float] = []

            def drop(provider: str = provider, dropped: list[float] = dropped) -> None:
                dropped.append(time.time())
                if provider == "tavus":
                    fakes.FakeDailyClient.instances[-1].avatar.present = False
                else:
                    fakes.FakeRoom.instances[-1].drop(say_so=False)

            lost, _ = await _call(provider, settings, [SleepFrame(0.5), Say(text=REPLY, reply_id="r"), SleepFrame(1.2),
                                                       Act(action=drop), SleepFrame(3.0)])
            fallback = [at for at, note in lost.timed("avatar") if note["provider"] == "local"]
            drop_ms = f"{(fallback[0] - dropped[0]) * 1000:.0f}" if fallback else "none"
            median = statistics.median(figures)
            print(f"{provider:<20}{median:>17.0f}{median - base:>9.0f}{first_video * 1000:>13.0f}{drop_ms:>12}")
    print("\nfirst video: from the call's start to the avatar going live (REST calls, room join, first frame);")
    print("drop→local: from the avatar's media stopping unannounced to the browser being told (watchdog).")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replies", type=int, default=5)
    parser.add_argument("--render-ms", type=float, default=0.0)
    args = parser.parse_args()
    asyncio.run(main(args.replies, args.render_ms))

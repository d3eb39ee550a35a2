"""Whole voice calls with a hosted avatar (the fake Tavus): the real server and pipeline, a headless WebRTC client
that receives the avatar's video and voice over the call, and a room that drops."""

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from tests.avatar.fakes import TAVUS_KEY, VIDEO_SIZE, FakeDailyClient, FakeTavus, use_fake_tavus
from tests.voice.client import VoiceClient
from tests.voice.conftest import VoiceServer, _free_port

from mockroom.api.app import create_app
from mockroom.core.config import Settings

pytestmark = pytest.mark.slow


class _Server:
    """The app on a real port, with Tavus as its avatar; `stop()` shuts it down as a signal would."""

    def __init__(self, data: Path, tavus: FakeTavus) -> None:
        settings = Settings(
            data_dir=data, database_url=f"sqlite:///{data / 'mockroom.db'}", web_dist=data / "no-web",
            voice_check_in_seconds=600, avatar_provider="tavus", tavus_api_key=TAVUS_KEY,
            tavus_replica_id="r-interviewer", tavus_url=tavus.base_url, avatar_connect_timeout_seconds=10,
            avatar_video_width=VIDEO_SIZE[0], avatar_video_height=VIDEO_SIZE[1],
        )
        self.app = create_app(settings, warm=False)
        port = _free_port()
        self._server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=port, log_level="warning"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        self.voice = VoiceServer(url=f"http://127.0.0.1:{port}", app=self.app)
        deadline = time.time() + 30
        while not self._server.started:
            assert time.time() < deadline, "server did not start"
            time.sleep(0.05)
        status = httpx.get(f"{self.voice.url}/api/voice", timeout=120).json()
        assert status["available"] and status["avatar"] == "tavus", status

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)


@pytest.fixture
def tavus(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTavus]:
    with FakeTavus() as fake:
        use_fake_tavus(monkeypatch, fake)
        yield fake


@pytest.fixture
def server(tmp_path: Path, tavus: FakeTavus) -> Iterator[_Server]:
    running = _Server(tmp_path, tavus)
    yield running
    running.stop()


def _avatar_notes(client: VoiceClient) -> list[tuple[str, str]]:
    return [(m["data"]["provider"], m["data"]["status"]) for m in client.of_type("avatar")]


async def _wait(predicate: object, timeout: float) -> None:
    deadline = time.time() + timeout
    while not predicate():  # type: ignore[operator]
        assert time.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


def test_the_avatars_video_and_voice_reach_the_browser_over_the_call(server: _Server, tavus: FakeTavus) -> None:
    interview_id = server.voice.new_interview()
    answer = server.voice.speech("I have built payment services in Python for five years.")

    async def scenario() -> VoiceClient:
        client = VoiceClient(server.voice.url, interview_id, video=True)
        await client.join()
        assert _avatar_notes(client) == [("tavus", "connecting"), ("tavus", "live")]
        assert client.video_frames and client.audio_onsets, "the question is read out by the avatar, on video"
        before = len(client.audio_onsets)
        await client.mic.say(answer)
        await client.wait_for(lambda: len(client.audio_onsets) > before, 30)
        await client.wait_for(lambda: client.of_type("latency"), 20)
        await client.close()
        return client

    client = asyncio.run(scenario())
    [daily] = FakeDailyClient.instances
    assert len(daily.echoed_audio()) > 24_000 * 2, "the interviewer's audio went to the replica"
    latency = client.of_type("latency")[0]["data"]
    assert latency["first_avatar_video_ms"] >= latency["first_audio_sent_ms"] > 0
    turns = httpx.get(f"{server.voice.url}/api/interviews/{interview_id}/voice/latency", timeout=30).json()
    assert turns[0]["first_avatar_video_ms"] == latency["first_avatar_video_ms"]
    asyncio.run(_wait(lambda: tavus.still_open() == [], 10))
    assert tavus.ended() == ["c0001"], "one conversation for the call, ended when the browser hung up"


def test_a_room_that_drops_mid_call_leaves_the_interview_to_the_local_avatar(server: _Server, tavus: FakeTavus) -> None:
    interview_id = server.voice.new_interview()
    answer = server.voice.speech("I mostly work on data pipelines and web services in Python.")

    async def scenario() -> VoiceClient:
        client = VoiceClient(server.voice.url, interview_id, video=True)
        await client.join()
        daily = FakeDailyClient.instances[0]
        daily.avatar.present = False  # the replica's media stop, with no word from Daily
        dropped = time.time()
        await client.wait_for(lambda: ("local", "live") in _avatar_notes(client), 5)
        [fallback] = client.of_type("avatar")[-1:]
        assert fallback["data"]["reason"] and time.time() - dropped < 3
        before = len(client.audio_onsets)
        await client.mic.say(answer)
        await client.wait_for(lambda: len(client.audio_onsets) > before, 30)
        await client.close()
        return client

    asyncio.run(scenario())
    candidate = [m for m in server.voice.transcript(interview_id) if m["role"] == "candidate"]
    assert len(candidate) == 1 and "pipelines" in str(candidate[0]["text"]).lower()
    assert tavus.still_open() == []


def test_stopping_the_server_ends_the_conversation_of_a_call_under_way(server: _Server, tavus: FakeTavus) -> None:
    interview_id = server.voice.new_interview()

    async def scenario() -> None:
        client = VoiceClient(server.voice.url, interview_id, video=True)
        await client.join()
        assert tavus.still_open() == ["c0001"]
        await asyncio.to_thread(server.stop)
        await client.close()

    asyncio.run(scenario())
    assert tavus.still_open() == [] and tavus.ended() == ["c0001"]

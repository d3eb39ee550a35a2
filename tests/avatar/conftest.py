"""The fake Tavus and LiveAvatar of the avatar tests, with pipecat's Daily and LiveKit clients swapped for the fakes'
(nothing outside 127.0.0.1 is reached)."""

from collections.abc import Iterator

import pytest
from livekit import rtc
from pipecat.transports.tavus import transport as tavus_transport
from tests.avatar.fakes import (
    FakeAudioStream,
    FakeDailyClient,
    FakeLiveAvatar,
    FakeRoom,
    FakeTavus,
    FakeVideoStream,
)


@pytest.fixture
def tavus(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTavus]:
    with FakeTavus() as fake:
        monkeypatch.setattr(FakeDailyClient, "tavus", fake)
        monkeypatch.setattr(FakeDailyClient, "instances", [])
        monkeypatch.setattr(tavus_transport, "DailyTransportClient", FakeDailyClient)
        yield fake


@pytest.fixture
def liveavatar(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLiveAvatar]:
    with FakeLiveAvatar() as fake:
        monkeypatch.setattr(FakeRoom, "liveavatar", fake)
        monkeypatch.setattr(FakeRoom, "instances", [])
        monkeypatch.setattr(rtc, "Room", FakeRoom)
        monkeypatch.setattr(rtc, "VideoStream", FakeVideoStream)
        monkeypatch.setattr(rtc, "AudioStream", FakeAudioStream)
        yield fake

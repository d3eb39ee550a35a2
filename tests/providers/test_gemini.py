"""The Gemini adapter, through the real google-genai SDK, against a local server speaking Gemini's REST format."""

import json
import re
import time
from collections.abc import Iterator

import pytest
from tests.providers.fake_servers import (
    CONVERSATION,
    DROP,
    FAST_RETRY,
    GEMINI_KEY,
    REPLY_JSON,
    REPLY_TEXT,
    FakeServer,
    Reply,
    gemini_error,
    gemini_response,
    gemini_stream_events,
)

from mockroom.providers.llm.base import ProviderError, RetryPolicy
from mockroom.providers.llm.gemini import GeminiProvider

SCHEMA = {
    "type": "object",
    "properties": {"answer": {"type": "string"}, "score": {"type": "integer"}},
    "required": ["answer", "score"],
}
# google-genai 3.4 sends the Gemini API's stable version (v1); older SDKs sent v1beta. Either is the real format.
GENERATE = re.compile(r"^/v1(beta)?/models/gemini-test:generateContent$")
STREAM = re.compile(r"^/v1(beta)?/models/gemini-test:streamGenerateContent$")
RETRY_INFO = {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1s"}


@pytest.fixture
def server(gemini_server: FakeServer) -> FakeServer:
    gemini_server.reset()
    return gemini_server


@pytest.fixture
def provider(server: FakeServer) -> Iterator[GeminiProvider]:
    llm = GeminiProvider(api_key=GEMINI_KEY, model="gemini-test", base_url=server.url, timeout=2.0, retry=FAST_RETRY)
    yield llm
    llm.close()


def test_complete_sends_generate_content_and_reads_reply(provider: GeminiProvider, server: FakeServer) -> None:
    completion = provider.complete(CONVERSATION, max_tokens=64, temperature=0.2)

    assert completion.text == REPLY_TEXT
    assert (completion.provider, completion.model) == ("gemini", "gemini-fake-001")
    assert (completion.input_tokens, completion.output_tokens) == (17, 9)
    [request] = server.received
    assert GENERATE.match(request.path)
    assert request.headers["x-goog-api-key"] == GEMINI_KEY
    assert request.body["systemInstruction"]["parts"] == [{"text": "You are a concise interviewer."}]
    assert [(c["role"], c["parts"][0]["text"]) for c in request.body["contents"]] == [
        ("user", "Ask me about Python."),
        ("model", "What is a generator?"),
        ("user", "A function that yields values lazily."),
    ]
    assert request.body["generationConfig"] == {"temperature": 0.2, "maxOutputTokens": 64}


def test_stream_reads_sse_chunks(provider: GeminiProvider, server: FakeServer) -> None:
    deltas = list(provider.stream(CONVERSATION, max_tokens=32))

    assert len(deltas) > 3
    assert "".join(deltas) == REPLY_TEXT
    [request] = server.received
    assert STREAM.match(request.path)
    assert request.query == {"alt": "sse"}
    assert request.headers["x-goog-api-key"] == GEMINI_KEY


def test_thought_parts_are_not_returned(provider: GeminiProvider, server: FakeServer) -> None:
    body = gemini_response(["The answer."], usage=True)
    body["candidates"][0]["content"]["parts"].insert(0, {"text": "Let me think...", "thought": True})
    server.push(Reply(json=body))
    assert provider.complete(CONVERSATION).text == "The answer."


def test_json_schema_uses_response_json_schema(provider: GeminiProvider, server: FakeServer) -> None:
    completion = provider.complete(CONVERSATION, json_schema=SCHEMA)

    assert json.loads(completion.text) == REPLY_JSON
    config = server.received[0].body["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert config["responseJsonSchema"] == SCHEMA


def test_a_rejected_response_json_schema_falls_back_to_the_openapi_response_schema(
    provider: GeminiProvider, server: FakeServer
) -> None:
    nested = {
        "type": "object",
        "title": "review",
        "properties": {"title": {"type": "string"}, "points": {"type": "array", "items": {"$ref": "#/$defs/point"}}},
        "required": ["title", "points"],
        "additionalProperties": False,
        "$defs": {
            "point": {"type": "object", "properties": {"quote": {"type": "string"}}, "additionalProperties": False}
        },
    }
    unknown = 'Invalid JSON payload received. Unknown name "responseJsonSchema"'
    server.push(Reply(status=400, json=gemini_error(400, unknown, "INVALID_ARGUMENT")))

    first = provider.complete(CONVERSATION, json_schema=nested)
    second = provider.complete(CONVERSATION, json_schema=nested)

    assert json.loads(first.text) == json.loads(second.text) == REPLY_JSON
    configs = [request.body["generationConfig"] for request in server.received]
    assert configs[0]["responseJsonSchema"] == nested and "responseSchema" not in configs[0]
    for config in configs[1:]:
        assert config["responseMimeType"] == "application/json" and "responseJsonSchema" not in config
        sent = json.dumps(config["responseSchema"])
        assert "additionalProperties" not in sent and "$ref" not in sent and "$defs" not in sent
        assert "title" not in config["responseSchema"]
        properties = config["responseSchema"]["properties"]
        assert set(properties) == {"title", "points"}
        assert properties["points"]["items"]["properties"] == {"quote": {"type": "STRING"}}


def test_a_400_the_response_schema_does_not_cure_is_raised(provider: GeminiProvider, server: FakeServer) -> None:
    invalid = Reply(status=400, json=gemini_error(400, "Request contains an invalid argument.", "INVALID_ARGUMENT"))
    server.push(invalid, invalid)

    with pytest.raises(ProviderError, match="invalid argument") as caught:
        provider.complete(CONVERSATION, json_schema=SCHEMA)
    provider.complete(CONVERSATION, json_schema=SCHEMA)

    assert caught.value.kind == "config"
    assert ["responseJsonSchema" in request.body["generationConfig"] for request in server.received] == [
        True, False, True
    ]


def test_429_waits_for_retry_info_then_succeeds(provider: GeminiProvider, server: FakeServer) -> None:
    server.push(Reply(status=429, json=gemini_error(429, "Resource has been exhausted", "RESOURCE_EXHAUSTED", [RETRY_INFO])))
    started = time.perf_counter()

    assert provider.complete(CONVERSATION).text == REPLY_TEXT

    assert time.perf_counter() - started >= 1.0
    assert len(server.received) == 2


def test_429_honours_retry_after_header(provider: GeminiProvider, server: FakeServer) -> None:
    server.push(
        Reply(status=429, json=gemini_error(429, "Quota", "RESOURCE_EXHAUSTED"), headers={"Retry-After": "3600"})
    )
    with pytest.raises(ProviderError) as caught:
        provider.complete(CONVERSATION)
    assert caught.value.kind == "rate_limited" and caught.value.retry_after == 3600
    assert len(server.received) == 1


def test_500_then_success_is_retried(provider: GeminiProvider, server: FakeServer) -> None:
    server.push(Reply(status=500, json=gemini_error(500, "Internal error encountered.", "INTERNAL")))
    assert provider.complete(CONVERSATION).text == REPLY_TEXT
    assert len(server.received) == 2


def test_persistent_503_raises_server_after_retries(provider: GeminiProvider, server: FakeServer) -> None:
    server.push(*[Reply(status=503, json=gemini_error(503, "The model is overloaded.", "UNAVAILABLE"))] * 3)

    with pytest.raises(ProviderError) as caught:
        provider.complete(CONVERSATION)

    assert caught.value.kind == "server" and caught.value.status == 503
    assert "overloaded" in caught.value.message
    assert len(server.received) == 3


def test_malformed_json_body_is_bad_response(provider: GeminiProvider, server: FakeServer) -> None:
    server.push(Reply(text='{"candidates": [{"content": '))

    with pytest.raises(ProviderError) as caught:
        provider.complete(CONVERSATION)

    assert caught.value.kind == "bad_response"
    assert len(server.received) == 1


def test_structured_output_that_is_not_json_is_bad_response(provider: GeminiProvider, server: FakeServer) -> None:
    server.push(Reply(json=gemini_response(["```json\n{answer: fake\n```"], usage=True)))

    with pytest.raises(ProviderError) as caught:
        provider.complete(CONVERSATION, json_schema=SCHEMA)

    assert caught.value.kind == "bad_response"


def test_blocked_prompt_is_bad_response(provider: GeminiProvider, server: FakeServer) -> None:
    server.push(Reply(json={"promptFeedback": {"blockReason": "SAFETY"}, "modelVersion": "gemini-fake-001"}))
    with pytest.raises(ProviderError, match="SAFETY") as caught:
        provider.complete(CONVERSATION)
    assert caught.value.kind == "bad_response"


def test_slow_server_times_out(server: FakeServer) -> None:
    llm = GeminiProvider(
        api_key=GEMINI_KEY, model="gemini-test", base_url=server.url, timeout=0.3,
        retry=RetryPolicy(max_retries=1, backoff_base=0.01),
    )
    late = Reply(json=gemini_response(["late"]), delay=1.0)
    server.push(late, late)

    with pytest.raises(ProviderError) as caught:
        llm.complete(CONVERSATION)

    assert caught.value.kind == "timeout"
    assert len(server.received) == 2


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (400, gemini_error(400, "API key not valid. Please pass a valid API key.", "INVALID_ARGUMENT",
                           [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"}])),
        (403, gemini_error(403, "Method doesn't allow unregistered callers.", "PERMISSION_DENIED")),
    ],
)
def test_bad_key_is_auth_and_not_retried(
    provider: GeminiProvider, server: FakeServer, status: int, body: dict[str, object]
) -> None:
    server.push(Reply(status=status, json=body))

    with pytest.raises(ProviderError) as caught:
        provider.complete(CONVERSATION)

    assert caught.value.kind == "auth" and not caught.value.retryable
    assert len(server.received) == 1


def test_unknown_model_is_config(provider: GeminiProvider, server: FakeServer) -> None:
    server.push(Reply(status=404, json=gemini_error(404, "models/gemini-test is not found", "NOT_FOUND")))
    with pytest.raises(ProviderError, match="not found") as caught:
        provider.complete(CONVERSATION)
    assert caught.value.kind == "config"


def test_stream_error_before_first_delta_is_retried(provider: GeminiProvider, server: FakeServer) -> None:
    server.push(Reply(status=503, json=gemini_error(503, "The model is overloaded.", "UNAVAILABLE")))
    assert "".join(provider.stream(CONVERSATION)) == REPLY_TEXT
    assert len(server.received) == 2


@pytest.mark.parametrize(
    ("broken", "kind"),
    [(json.dumps(gemini_error(500, "Internal error", "INTERNAL")), "server"), ("{not json", "bad_response"),
     (DROP, "unavailable")],
)
def test_stream_breaking_after_first_delta_raises(
    provider: GeminiProvider, server: FakeServer, broken: str, kind: str
) -> None:
    events = gemini_stream_events(REPLY_TEXT)
    server.push(Reply(events=[*events[:2], broken, *events[2:]]))
    received: list[str] = []

    with pytest.raises(ProviderError) as caught:
        for delta in provider.stream(CONVERSATION):
            received.append(delta)

    assert caught.value.kind == kind
    assert "".join(received) == "Hello from "
    assert len(server.received) == 1


def test_a_deadline_cuts_the_call_short_and_no_retry_starts_that_cannot_finish(
    provider: GeminiProvider, server: FakeServer
) -> None:
    server.push(Reply(delay=1.0, json=gemini_response([REPLY_TEXT])))
    started = time.monotonic()
    with pytest.raises(ProviderError) as caught:
        provider.complete(CONVERSATION, deadline=started + 0.3)
    assert caught.value.kind == "timeout"
    assert time.monotonic() - started < 0.6
    assert len(server.received) == 1

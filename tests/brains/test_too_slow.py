"""A model too slow for live turns on this machine: timed at start-up, it sits those turns out (the embedded brain
answers at once, reason `too_slow`), the room says so, and the model still writes the report's summary."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.brains.fake_llm import FakeLLMServer
from tests.brains.test_turn_budget import INTRO_ANSWER, _client, _openai

from mockroom.brains import turns
from mockroom.brains.llm import LLMBrain
from mockroom.providers.llm.base import ModelSpeed
from mockroom.vocabulary import InterviewContext

ANSWER = "Generators yield values lazily, which saves memory when a pipeline reads big files line by line."
MORE = (
    "I would profile first with py-spy, then cache the hot query in Redis with a short TTL and measure p95 again; "
    "last year that cut our checkout latency from 800 ms to 200 ms.",
    "For concurrency I use asyncio for I/O-bound work and a process pool for CPU-bound parsing, because the GIL "
    "serialises threads; in our ingest service that took a batch from 40 minutes to 9.",
    "I test with pytest fixtures against a real PostgreSQL in CI, and I add a property-based test with Hypothesis "
    "for the parser, which found two unicode bugs before release.",
)
# SmolLM2-135M on this machine's two cores reads ~180 prompt tokens a second and writes ~30-50.
SLOW = ModelSpeed(prompt_tokens_per_second=180, generation_tokens_per_second=40)
FAST = ModelSpeed(prompt_tokens_per_second=2000, generation_tokens_per_second=400)


@pytest.fixture(scope="module")
def fake_llm() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as server:
        yield server


def _calibrated(client: TestClient, speed: ModelSpeed) -> LLMBrain:
    brain: LLMBrain = client.app.state.brain  # type: ignore[attr-defined]
    brain.provider.measure_speed = lambda: speed  # type: ignore[method-assign]
    assert brain.calibrate() == speed
    return brain


def _prompts(model: FakeLLMServer) -> list[str]:
    return [str(body["messages"][-1]["content"]) for body in model.script.requests]


def test_a_model_too_slow_for_live_turns_is_used_for_the_report_only(tmp_path: Path, fake_llm: FakeLLMServer) -> None:
    fake_llm.script.__init__()  # type: ignore[misc]
    with _client(tmp_path, **_openai(fake_llm, 6.0)) as client:
        brain = _calibrated(client, SLOW)
        assert set(brain.too_slow) == {"text", "voice"} and brain.too_slow["text"] > 6.0

        created = client.post("/api/interviews", json={"topic": "Python", "level": "intermediate"}).json()
        assert any("too slow for live turns" in notice for notice in created["notices"])
        iid = created["id"]
        asked_before = len(fake_llm.script.requests)
        for text in (INTRO_ANSWER, ANSWER, *MORE):
            body: dict[str, Any] = client.post(f"/api/interviews/{iid}/answer", json={"text": text}).json()
            assert body["reply"]["brain"] == "embedded" and body["reply"]["fallback_reason"] == "too_slow"
        assert len(fake_llm.script.requests) == asked_before, "no live turn waited on the model"

        client.post(f"/api/interviews/{iid}/end").raise_for_status()

        # The report (its own turn mode and budget, as the service opens it when the interview ends) still asks it.
        context = InterviewContext(topic="Python", level="intermediate", kind="technical", duration_minutes=30)
        with turns.turn("text"):
            assert brain.summarise(context=context, facts={"overall_score": 70}) is None
        assert len(fake_llm.script.requests) == asked_before
        with turns.turn("report"):
            assert brain.summarise(context=context, facts={"overall_score": 70})
        assert any("summary of this mock interview" in prompt for prompt in _prompts(fake_llm)[asked_before:])


def test_a_model_fast_enough_answers_every_turn_and_the_room_says_nothing(
    tmp_path: Path, fake_llm: FakeLLMServer,
) -> None:
    fake_llm.script.__init__()  # type: ignore[misc]
    with _client(tmp_path, **_openai(fake_llm, 6.0)) as client:
        brain = _calibrated(client, FAST)
        assert brain.too_slow == {} and brain.notice() is None
        created = client.post("/api/interviews", json={"topic": "Python", "level": "intermediate"}).json()
        assert not any("too slow" in notice for notice in created["notices"])
        iid = created["id"]
        client.post(f"/api/interviews/{iid}/answer", json={"text": INTRO_ANSWER}).raise_for_status()
        body = client.post(f"/api/interviews/{iid}/answer", json={"text": ANSWER}).json()
        assert body["reply"]["fallback_reason"] != "too_slow"
        assert len(fake_llm.script.requests) > 0


def test_a_model_fast_enough_for_typed_turns_only_sits_out_the_spoken_ones(
    tmp_path: Path, fake_llm: FakeLLMServer,
) -> None:
    fake_llm.script.__init__()  # type: ignore[misc]
    with _client(tmp_path, **_openai(fake_llm, 6.0)) as client:
        brain = _calibrated(client, ModelSpeed(prompt_tokens_per_second=1000, generation_tokens_per_second=100))
        assert set(brain.too_slow) == {"voice"}
        notice = brain.notice()
        assert notice is not None and "spoken turns" in notice

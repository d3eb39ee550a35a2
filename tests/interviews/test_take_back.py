"""A spoken answer the candidate took up again just as the interviewer began to reply: the unheard reply is taken
back and the whole answer is answered, and assessed, once."""

from typing import Any

from fastapi.testclient import TestClient

from mockroom.interviews import service
from mockroom.vocabulary import ConductorState

FIRST = "I have spent five years building payment services in Python, mostly with FastAPI and Postgres, and"
REST = "the project I am proudest of is the ledger rewrite that removed double charges with idempotency keys."


def _start(client: TestClient) -> str:
    response = client.post("/api/interviews", json={"topic": "Python backend", "duration_minutes": 30})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _answer(client: TestClient, interview_id: str, text: str, **kwargs: Any) -> service.AnswerResult:
    state = client.app.state  # type: ignore[attr-defined]
    return service.answer(db=state.db, brain=state.brain, interview_id=interview_id, text=text, voice=True, **kwargs)


def _messages(client: TestClient, interview_id: str) -> list[dict[str, Any]]:
    return list(client.get(f"/api/interviews/{interview_id}").json()["messages"])


def _answers_recorded(client: TestClient, interview_id: str) -> list[str]:
    db = client.app.state.db  # type: ignore[attr-defined]
    interview = service.history_item(db=db, interview_id=interview_id)
    state = ConductorState.from_dict(interview.state)
    return [answer.text for question in state.questions for answer in question.answers]


def test_a_continued_answer_replaces_the_unheard_reply_and_is_assessed_once(client: TestClient) -> None:
    interview_id = _start(client)
    before = _messages(client, interview_id)
    first = _answer(client, interview_id, FIRST, duration_seconds=6.0)
    assert first.undo is not None

    whole = f"{FIRST} {REST}"
    second = _answer(client, interview_id, whole, duration_seconds=11.0, continues=first.undo)

    messages = _messages(client, interview_id)
    assert [m["seq"] for m in messages] == list(range(1, len(messages) + 1))
    added = messages[len(before):]
    assert [m["role"] for m in added] == ["candidate", "interviewer"]
    assert added[0]["text"] == whole and added[0]["id"] == first.candidate_message.id
    assert added[1]["id"] == second.reply.id and added[1]["seq"] == first.reply.seq
    assert _answers_recorded(client, interview_id) == [whole]


def test_a_turn_that_moved_on_is_not_taken_back(client: TestClient) -> None:
    interview_id = _start(client)
    first = _answer(client, interview_id, FIRST)
    _answer(client, interview_id, "I would also add retries with backoff.")
    assert first.undo is not None

    _answer(client, interview_id, REST, continues=first.undo)

    candidate = [m["text"] for m in _messages(client, interview_id) if m["role"] == "candidate"]
    assert candidate == [FIRST, "I would also add retries with backoff.", REST]

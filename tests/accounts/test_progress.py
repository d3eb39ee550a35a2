"""Progress over time: scores per topic and dimension, recurring themes and a practice plan, per user."""

from fastapi.testclient import TestClient
from tests.accounts.conftest import sign_up
from tests.interviews.personas import Strong


def _sit(client: TestClient, headers: dict[str, str], topic: str) -> str:
    """Five answers from the strong scripted candidate, then the end."""
    persona = Strong("strong", topic=topic)
    interview = client.post("/api/interviews", json={"topic": topic}, headers=headers).json()
    last = interview["messages"][-1]["text"]
    for turn in range(5):
        last = client.post(f"/api/interviews/{interview['id']}/answer", headers=headers,
                           json={"text": persona.answer(last, turn)}).json()["reply"]["text"]
    client.post(f"/api/interviews/{interview['id']}/end", headers=headers)
    return interview["id"]


def test_progress_tracks_scores_themes_and_plans_per_user(accounts_client: TestClient):
    ada = sign_up(accounts_client, "ada@example.com")
    bob = sign_up(accounts_client, "bob@example.com")
    empty = accounts_client.get("/api/progress", headers=bob).json()
    assert empty["scored"] == 0 and empty["plan"] and empty["topics"] == []
    first, second = _sit(accounts_client, ada, "Python"), _sit(accounts_client, ada, "Python")
    data = accounts_client.get("/api/progress", headers=ada).json()
    assert data["interviews"] == 2
    [python] = [t for t in data["topics"] if t["topic"] == "Python"]
    assert [p["id"] for p in python["points"]] == [first, second]
    assert all(0 <= p["overall_score"] <= 100 and p["dimensions"] for p in python["points"])
    assert any(d["name"] == "Technical knowledge" and len(d["scores"]) == 2 for d in data["dimensions"])
    assert 1 <= len(data["plan"]) <= 3 and all(step["why"] for step in data["plan"])
    assert accounts_client.get("/api/progress", headers=bob).json()["interviews"] == 0

"""Progress over time: scores per topic and dimension, recurring themes and a practice plan, per user."""

from fastapi.testclient import TestClient
from tests.accounts.conftest import sign_up

ANSWERS = (
    "I'm a backend developer with five years of Python experience at a payments company, mostly APIs.",
    "A list is mutable and a tuple is not, so a tuple can be a dictionary key because it is hashable; I use "
    "tuples for fixed records like coordinates and lists for collections that grow, for example a queue of jobs.",
    "It depends, you follow best practices and make sure everything is fine, I think, basically.",
    "At my last job I moved a slow report to a background worker because it blocked requests, and the page went "
    "from eight seconds to under one.",
)


def _sit(client: TestClient, headers: dict[str, str], topic: str) -> str:
    iid = client.post("/api/interviews", json={"topic": topic}, headers=headers).json()["id"]
    for text in ANSWERS:
        client.post(f"/api/interviews/{iid}/answer", json={"text": text}, headers=headers)
    client.post(f"/api/interviews/{iid}/end", headers=headers)
    return iid


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

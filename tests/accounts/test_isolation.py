"""Per-user isolation: a second user tries every route of the OpenAPI schema on the first user's interview, and
not one read or write succeeds; the interview is exactly as it was."""

from fastapi.testclient import TestClient
from tests.accounts.conftest import sign_up

SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n"
BODIES = {
    "answer": {"text": "I would use a hash map."},
    "stream": {"text": "I would use a hash map."},
    "run": {"language": "python", "code": "x = 1"},
    "submit": {"language": "python", "code": "x = 1"},
    "offer": {"sdp": SDP, "type": "offer"},
}


def _body(path: str, method: str) -> dict | None:
    if method == "patch":
        return {"pc_id": "someone-elses", "candidates": []}
    return BODIES.get(path.rstrip("/").rsplit("/", 1)[-1]) if method in ("post", "put") else None


def test_no_route_reads_or_writes_another_users_interview(accounts_client: TestClient):
    client = accounts_client
    owner = sign_up(client, "owner@example.com")
    other = sign_up(client, "other@example.com")
    iid = client.post("/api/interviews", json={"topic": "Python", "kind": "coding"}, headers=owner).json()["id"]
    client.post(f"/api/interviews/{iid}/answer", headers=owner, json={"text": "I build APIs in Python at a bank."})
    before = client.get(f"/api/interviews/{iid}", headers=owner).json()

    tried = []
    for path, operations in client.app.openapi()["paths"].items():
        if "{interview_id}" not in path:
            continue
        for method in operations:
            url = path.replace("{interview_id}", iid)
            params = {"format": "md"} if path.endswith("/transcript") else None
            response = client.request(method.upper(), url, headers=other, json=_body(path, method), params=params)
            tried.append((method, path))
            assert response.status_code == 404, (method, path, response.status_code, response.text[:200])
            assert response.json()["error"]["code"] == "interview_not_found"
            assert iid not in response.text or "No interview with id" in response.text
    assert len(tried) >= 12, tried

    assert iid not in [i["id"] for i in client.get("/api/interviews", headers=other).json()]
    after = client.get(f"/api/interviews/{iid}", headers=owner).json()
    assert after["messages"] == before["messages"] and after["status"] == "in_progress"


def test_an_unknown_interview_and_someone_elses_look_the_same(accounts_client: TestClient):
    owner = sign_up(accounts_client, "owner@example.com")
    other = sign_up(accounts_client, "other@example.com")
    iid = accounts_client.post("/api/interviews", json={"topic": "Python"}, headers=owner).json()["id"]
    theirs = accounts_client.get(f"/api/interviews/{iid}", headers=other)
    missing = accounts_client.get("/api/interviews/0123456789abcdef", headers=other)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["error"]["code"] == missing.json()["error"]["code"]

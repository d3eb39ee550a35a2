"""The streaming answer endpoint: deltas, then the final reply, and clear errors."""

import json


def _events(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_reply_streams_and_matches_the_stored_message(client):
    interview = client.post("/api/interviews", json={"topic": "Python"}).json()
    iid = interview["id"]
    with client.stream("POST", f"/api/interviews/{iid}/answer/stream",
                       json={"text": "I write Python services for a logistics startup."}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        body = "".join(response.iter_text())
    events = _events(body)
    kinds = [kind for kind, _ in events]
    assert kinds[-1] == "reply" and "delta" in kinds
    final = events[-1][1]
    streamed = "".join(data["text"] for kind, data in events if kind == "delta")
    assert streamed == final["reply"]["text"]
    stored = client.get(f"/api/interviews/{iid}").json()["messages"]
    assert stored[-1]["text"] == final["reply"]["text"]
    assert stored[-2]["text"] == "I write Python services for a logistics startup."


def test_streaming_to_an_unknown_or_finished_interview_is_a_json_error(client):
    assert client.post("/api/interviews/nope/answer/stream", json={"text": "hi"}).status_code == 404
    iid = client.post("/api/interviews", json={"topic": "Python"}).json()["id"]
    client.post(f"/api/interviews/{iid}/end")
    finished = client.post(f"/api/interviews/{iid}/answer/stream", json={"text": "hi"})
    assert finished.status_code == 409 and finished.json()["error"]["code"] == "interview_finished"

"""The v1 HTTP contract, on SQLite and PostgreSQL."""

import json

import pytest

from mockroom.voice.transcript import store_latency


def _start(client, **overrides):
    body = {"topic": "Python", "level": "intermediate", **overrides}
    response = client.post("/api/interviews", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_start_returns_greeting_and_first_question(client):
    interview = _start(client)
    assert interview["status"] == "in_progress"
    assert interview["level"] == "intermediate" and interview["kind"] == "mixed"
    assert interview["duration_minutes"] == 25 and interview["language"] == "en"
    greeting, first = interview["messages"]
    assert greeting["role"] == first["role"] == "interviewer"
    assert "?" not in greeting["text"]
    assert first["text"].count("?") == 1 and first["text"].endswith("?")
    assert interview["matched_topics"][0]["slug"] == "python"
    assert interview["progress"]["planned_questions"] >= 8


def test_answer_end_report_and_transcripts(client):
    interview = _start(client)
    iid = interview["id"]
    answers = [
        "I have five years of Python experience building backend services with Django and FastAPI at a fintech.",
        "A decorator is a function that takes a function and returns a wrapped one; functools.wraps copies the "
        "name and docstring so debugging and introspection keep working.",
    ]
    for text in answers:
        response = client.post(f"/api/interviews/{iid}/answer", json={"text": text})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == "in_progress"
        assert body["candidate_message"]["text"] == text
        assert body["reply"]["role"] == "interviewer" and body["reply"]["text"].count("?") == 1
    full = client.get(f"/api/interviews/{iid}").json()
    assert [m["role"] for m in full["messages"]] == ["interviewer", "interviewer", "candidate", "interviewer",
                                                      "candidate", "interviewer"]
    assert client.get(f"/api/interviews/{iid}/report").status_code == 409

    report = client.post(f"/api/interviews/{iid}/end").json()
    assert report["interview_id"] == iid
    assert report["recommendation"] == "insufficient_data"
    assert client.post(f"/api/interviews/{iid}/end").json()["generated_at"] == report["generated_at"]
    assert client.get(f"/api/interviews/{iid}/report").json() == report
    late = client.post(f"/api/interviews/{iid}/answer", json={"text": "one more thing"})
    assert late.status_code == 409 and late.json()["error"]["code"] == "interview_finished"

    md = client.get(f"/api/interviews/{iid}/transcript?format=md")
    assert md.status_code == 200 and "attachment" in md.headers["content-disposition"]
    assert answers[1] in md.text and md.text.startswith("# Mockroom interview: Python")
    txt = client.get(f"/api/interviews/{iid}/transcript", params={"format": "txt"})
    assert "Candidate: " + answers[0] in txt.text
    data = json.loads(client.get(f"/api/interviews/{iid}/transcript?format=json").text)
    assert [m["text"] for m in data["messages"] if m["role"] == "candidate"] == answers
    assert client.get(f"/api/interviews/{iid}/transcript?format=pdf").status_code == 422


def test_report_appendix_has_voice_latency_stored_after_the_end(client):
    # The voice layer stores a turn's latency once its reply starts playing: for the closing reply, after the report.
    iid = _start(client)["id"]
    turn = client.post(f"/api/interviews/{iid}/answer", json={"text": "I build backend services in Python."}).json()
    assert client.post(f"/api/interviews/{iid}/end").json()["voice_latency"] is None
    latency = {"transcript_ms": 380, "first_brain_output_ms": 610, "first_tts_audio_ms": 690,
               "first_audio_sent_ms": 750, "voice_to_voice_ms": 750}
    store_latency(db=client.app.state.db, interview_id=iid, candidate_message_id=turn["candidate_message"]["id"],
                  reply_message_id=turn["reply"]["id"], latency=latency)

    report = client.get(f"/api/interviews/{iid}/report").json()
    [row] = report["voice_latency"]["turns"]
    assert row == {"seq": turn["reply"]["seq"], "text": row["text"], **latency, "first_avatar_video_ms": None}
    assert turn["reply"]["text"].startswith(row["text"].removesuffix("…"))
    assert report["voice_latency"]["summary"]["voice_to_voice_p95_ms"] == 750
    assert client.post(f"/api/interviews/{iid}/end").json() == report


def test_history_is_newest_first_and_delete_removes_everything(client):
    first = _start(client, topic="React")
    second = _start(client, topic="SQL")
    history = client.get("/api/interviews").json()
    assert [h["id"] for h in history][:2] == [second["id"], first["id"]]
    assert history[0]["topic"] == "SQL" and history[0]["overall_score"] is None
    assert client.delete(f"/api/interviews/{first['id']}").status_code == 204
    assert client.get(f"/api/interviews/{first['id']}").status_code == 404
    assert client.delete(f"/api/interviews/{first['id']}").status_code == 404
    assert [h["id"] for h in client.get("/api/interviews").json()] == [second["id"]]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({}, "topic"),
        ({"topic": ""}, "topic"),
        ({"topic": "x" * 201}, "topic"),
        ({"topic": "   "}, "topic"),
        ({"topic": "Python", "level": "expert"}, "level"),
        ({"topic": "Python", "kind": "panel"}, "kind"),
        ({"topic": "Python", "duration_minutes": 4}, "duration_minutes"),
        ({"topic": "Python", "duration_minutes": 61}, "duration_minutes"),
        ({"topic": "Python", "language": "english please"}, "language"),
        ({"topic": "Python", "surprise": 1}, "surprise"),
    ],
)
def test_invalid_settings_are_422_with_a_clear_message(client, body, where):
    response = client.post("/api/interviews", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and where in error["message"]
    assert client.get("/api/interviews").json() == []


def test_malformed_bodies_and_unknown_ids_are_4xx(client):
    bad_json = client.post("/api/interviews", content=b"{not json", headers={"content-type": "application/json"})
    assert bad_json.status_code == 422 and bad_json.json()["error"]["code"] == "invalid_request"
    xml = client.post("/api/interviews", content=b"<x/>", headers={"content-type": "application/xml"})
    assert xml.status_code == 415
    assert client.get("/api/interviews/nope").json()["error"]["code"] == "interview_not_found"
    assert client.post("/api/interviews/nope/answer", json={"text": "hi"}).status_code == 404
    assert client.post("/api/interviews/nope/end").status_code == 404
    interview = _start(client)
    too_long = client.post(f"/api/interviews/{interview['id']}/answer", json={"text": "a" * 20_001})
    assert too_long.status_code == 422
    assert client.post(f"/api/interviews/{interview['id']}/answer", json={"txt": "hi"}).status_code == 422
    assert client.get("/api/nothing-here").status_code == 404


def test_multipart_start_with_a_cv_asks_about_it(client):
    cv = (
        "Jane Doe\nSenior Backend Engineer\njane@example.com\n\nExperience\n"
        "Backend Engineer — TechStart (Jan 2020 – Present)\n- Built the e-commerce API serving 2M requests a day\n"
        "- Led the migration from MySQL to PostgreSQL\n\nSkills\nPython, FastAPI, PostgreSQL, Redis\n"
    )
    response = client.post(
        "/api/interviews",
        data={"topic": "Python backend", "level": "advanced", "job_description": "Experience with Kubernetes."},
        files={"cv": ("cv.txt", cv.encode(), "text/plain")},
    )
    assert response.status_code == 201, response.text
    interview = response.json()
    assert interview["cv"]["name"] == "Jane Doe"
    assert "Python" in interview["cv"]["skills"]
    iid = interview["id"]
    reply = client.post(f"/api/interviews/{iid}/answer", json={"text": "I am a backend engineer at TechStart."})
    assert "TechStart" in reply.json()["reply"]["text"]


def test_bad_cv_is_refused_and_nothing_is_stored(client):
    response = client.post(
        "/api/interviews", data={"topic": "Python"}, files={"cv": ("cv.pdf", b"%PDF-1.7\n garbage", "application/pdf")}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "cv_corrupt"
    png = client.post(
        "/api/interviews", data={"topic": "Python"}, files={"cv": ("cv.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "x/y")}
    )
    assert png.status_code == 415
    assert client.get("/api/interviews").json() == []


def test_huge_upload_is_413(client):
    big = b"a" * (5 * 1024 * 1024 + 10)
    response = client.post("/api/cv/parse", files={"cv": ("cv.txt", big, "text/plain")})
    assert response.status_code == 413
    assert response.json()["error"]["code"] in ("cv_too_large", "too_large")
    huge = b"a" * (6 * 1024 * 1024)
    assert client.post("/api/interviews", data={"topic": "Python"}, files={"cv": ("cv.txt", huge)}).status_code == 413


def test_topics_list_the_bank(client):
    topics = client.get("/api/topics").json()
    assert len(topics) >= 30
    assert {"slug": "python", "title": "Python", "category": "engineering"} in topics


def test_openapi_documents_the_contract(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/interviews", "/api/interviews/{interview_id}/answer", "/api/interviews/{interview_id}/end",
                 "/api/interviews/{interview_id}/report", "/api/interviews/{interview_id}/transcript"):
        assert path in schema["paths"]
    create = schema["paths"]["/api/interviews"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(create)
    assert client.get("/docs").status_code == 200


def test_nul_characters_are_dropped_not_a_500(client):
    interview = _start(client, topic="Py\x00thon", job_description="Needs SQL\x00 skills.")
    assert interview["topic"] == "Python"
    response = client.post(f"/api/interviews/{interview['id']}/answer", json={"text": "I use\x00 Python daily."})
    assert response.status_code == 200
    assert response.json()["candidate_message"]["text"] == "I use Python daily."

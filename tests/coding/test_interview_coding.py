"""A coding round inside an interview, through the HTTP API and the real sandbox."""

import pytest

from mockroom.coding.problems.loader import load_problems


def _to_coding(client, iid):
    interview = client.get(f"/api/interviews/{iid}").json()
    for _ in range(20):
        if interview["progress"]["phase"] == "coding":
            return interview
        client.post(f"/api/interviews/{iid}/answer", json={"text": "skip"})
        interview = client.get(f"/api/interviews/{iid}").json()
    pytest.fail("the interview never reached its coding round")


@pytest.mark.slow
def test_coding_round_run_fix_submit_hint_and_report(sqlite_client):
    client = sqlite_client
    created = client.post("/api/interviews", json={"topic": "Python", "level": "beginner", "kind": "coding"}).json()
    assert created["coding"] is None
    iid = created["id"]
    interview = _to_coding(client, iid)
    exercise = interview["coding"]
    assert exercise["active"] and exercise["hints_used"] == 0
    problem = load_problems()[exercise["problem"]["id"]]
    assert "hidden_tests" not in exercise["problem"] and "reference" not in exercise["problem"]
    python = next(lang for lang in exercise["languages"] if lang["id"] == "python")
    assert f"def {problem.function.name}(" in python["starter_code"]
    assert {lang["id"] for lang in exercise["languages"]} == {"python", "javascript", "c", "cpp", "java", "go", "rust"}

    talk = client.post(f"/api/interviews/{iid}/answer", json={
        "text": "I would use a hash map to count things, which is O(n) time, and check empty input first."})
    assert talk.json()["reply"]["move"] == "coding_continue"

    wrong = f"def {problem.function.name}(*args):\n    return None\n"
    run = client.post(f"/api/interviews/{iid}/code/run", json={"language": "python", "code": wrong}).json()
    assert run["kind"] == "run" and run["verdict"] == "wrong_answer" and run["reply"] is None
    assert run["total"] == len(problem.visible_tests)
    assert run["tests"][0]["expected"] is not None and run["tests"][0]["actual"] is None

    hint = client.post(f"/api/interviews/{iid}/code/hint").json()
    assert hint["reply"]["text"].startswith("Here's hint 1 of 3") and hint["hints_used"] == 1

    reference = problem.reference["python"]
    submit = client.post(f"/api/interviews/{iid}/code/submit", json={"language": "python", "code": reference}).json()
    assert submit["verdict"] == "accepted" and submit["passed"] == submit["total"] > len(problem.visible_tests)
    hidden = [t for t in submit["tests"] if t["hidden"]]
    assert hidden and all(t["input"] is None and t["expected"] is None for t in hidden)
    assert submit["reply"]["text"].startswith(f"All {submit['total']} tests pass.")

    client.post(f"/api/interviews/{iid}/answer", json={
        "text": "It runs in O(n) time and O(n) space because of the map, and empty input returns early."})
    after = client.get(f"/api/interviews/{iid}").json()
    assert after["progress"]["phase"] != "coding" or after["status"] == "finished"
    transcript = [m["text"] for m in after["messages"]]
    assert any(t.startswith("Ran Python code: 0/") for t in transcript)
    assert any(reference.strip().splitlines()[0] in t for t in transcript)

    report = client.post(f"/api/interviews/{iid}/end").json()
    dimension = next(d for d in report["dimensions"] if d["name"] == "Coding")
    assert dimension["score"] >= 3 and "1 hint(s) used" in dimension["rationale"]
    assert any(q.startswith("Submitted Python code:") for q in dimension["evidence"])


def test_code_routes_refuse_when_no_exercise_is_open(client):
    iid = client.post("/api/interviews", json={"topic": "Python"}).json()["id"]
    response = client.post(f"/api/interviews/{iid}/code/run", json={"language": "python", "code": "x = 1"})
    assert response.status_code == 409 and response.json()["error"]["code"] == "no_coding_exercise"
    bad = client.post(f"/api/interviews/{iid}/code/run", json={"language": "cobol", "code": "x"})
    assert bad.status_code == 422
    assert client.post(f"/api/interviews/{iid}/code/hint").status_code == 409


def test_a_runner_failure_is_ours_and_never_counts(client):
    from mockroom.coding.runner import judging

    client.app.state.coding_available = lambda: True
    client.app.state.code_runner = lambda submission: judging.internal_error(
        submission=submission, message="the sandbox crashed")
    iid = client.post("/api/interviews", json={"topic": "Python", "kind": "coding"}).json()["id"]
    interview = _to_coding(client, iid)
    problem = load_problems()[interview["coding"]["problem"]["id"]]
    submit = client.post(f"/api/interviews/{iid}/code/submit",
                         json={"language": "python", "code": problem.reference["python"]}).json()
    assert submit["verdict"] == "internal_error"
    reply = submit["reply"]["text"]
    assert "on our side" in reply and "doesn't count" in reply and "missing" not in reply
    transcript = [m["text"] for m in client.get(f"/api/interviews/{iid}").json()["messages"]]
    assert any("the code runner failed on our side" in t for t in transcript)
    assert not any("0/" in t and "tests passed" in t for t in transcript)
    report = client.post(f"/api/interviews/{iid}/end").json()
    coding = next(d for d in report["dimensions"] if d["name"] == "Coding")
    assert "failed on our side and were not counted" in coding["rationale"]
    assert not any("runner failed" in q for q in coding["evidence"])

"""A coding round inside an interview, through the HTTP API: the real sandbox, Judge0 (a fake), and the pool."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from tests.coding.judge0_fake import FakeJudge0

from mockroom.api.app import create_app
from mockroom.coding.problems.loader import load_problems
from mockroom.coding.runner import RunnerPool, RunResult, Submission, TestResult, Verdict
from mockroom.coding.runner.judging import RUNNER_FAILED
from mockroom.core.config import Settings


class ScriptedRunner:
    """A runner that gives every test one verdict (with a message), held at a gate until the test opens it."""

    def __init__(self, verdict: Verdict = Verdict.accepted, message: str | None = None, *, gated: bool = False):
        self.verdict, self.message = verdict, message
        self.gate = threading.Event()
        if not gated:
            self.gate.set()
        self.started = threading.Semaphore(0)

    def run(self, *, submission: Submission, slot: int = 0) -> RunResult:
        self.started.release()
        assert self.gate.wait(30)
        tests = [
            TestResult(index=i, verdict=self.verdict, hidden=submission.is_hidden(i), message=self.message)
            for i in range(submission.test_count)
        ]
        return RunResult(verdict=self.verdict, tests=tests, message=self.message)

    def close(self) -> None:
        self.gate.set()


def _use_runner(client: TestClient, runner: ScriptedRunner, **pool: int) -> RunnerPool:
    code_runner = RunnerPool(runner=runner, **pool)
    client.app.state.coding_available = lambda: True  # type: ignore[attr-defined]
    client.app.state.code_runner = code_runner  # type: ignore[attr-defined]
    return code_runner


def _coding_interview(client: TestClient) -> str:
    iid: str = client.post("/api/interviews", json={"topic": "Python", "kind": "coding"}).json()["id"]
    _to_coding(client, iid)
    return iid


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
    leak = "bwrap: Creating new namespace failed: Resource temporarily unavailable"
    pool = _use_runner(client, ScriptedRunner(Verdict.internal_error, leak))
    iid = client.post("/api/interviews", json={"topic": "Python", "kind": "coding"}).json()["id"]
    interview = _to_coding(client, iid)
    problem = load_problems()[interview["coding"]["problem"]["id"]]
    submit = client.post(f"/api/interviews/{iid}/code/submit",
                         json={"language": "python", "code": problem.reference["python"]}).json()
    assert submit["verdict"] == "internal_error"
    # Whatever the runner said about its own failure stays on the server.
    assert submit["message"] == RUNNER_FAILED and all(t["message"] == RUNNER_FAILED for t in submit["tests"])
    assert "bwrap" not in str(submit)
    reply = submit["reply"]["text"]
    assert "on our side" in reply and "doesn't count" in reply and "missing" not in reply
    transcript = [m["text"] for m in client.get(f"/api/interviews/{iid}").json()["messages"]]
    assert any("the code runner failed on our side" in t for t in transcript)
    assert not any("0/" in t and "tests passed" in t for t in transcript)
    assert not any("bwrap" in t for t in transcript)
    pool.shutdown()
    report = client.post(f"/api/interviews/{iid}/end").json()
    coding = next(d for d in report["dimensions"] if d["name"] == "Coding")
    assert "failed on our side and were not counted" in coding["rationale"]
    assert not any("runner failed" in q for q in coding["evidence"])


def test_code_runs_queue_in_the_pool_without_holding_the_database(client):
    runner = ScriptedRunner(gated=True)
    pool = _use_runner(client, runner, workers=2, max_queued=2)
    coders = [_coding_interview(client) for _ in range(5)]
    other = client.post("/api/interviews", json={"topic": "SQL"}).json()["id"]
    engine = client.app.state.db.engine
    with ThreadPoolExecutor(max_workers=5) as threads:
        submits = {
            iid: threads.submit(client.post, f"/api/interviews/{iid}/code/submit",
                                json={"language": "python", "code": "def f(): pass"})
            for iid in coders
        }
        for _ in range(2):
            assert runner.started.acquire(timeout=10)  # two runs on the workers, two queued, one refused
        deadline = time.monotonic() + 10
        while pool.pending < 4 or sum(future.done() for future in submits.values()) < 1:
            assert time.monotonic() < deadline, (pool.pending, [f.done() for f in submits.values()])
            time.sleep(0.01)
        refused = next(iid for iid, future in submits.items() if future.done())
        busy = submits[refused].result()
        assert busy.status_code == 429 and busy.json()["error"]["code"] == "runner_busy"
        assert 1 <= int(busy.headers["Retry-After"]) <= 120
        assert "try again" in busy.json()["error"]["message"]

        # While four runs wait on the pool, no database connection is held for them ...
        assert engine.pool.checkedout() == 0
        # ... so another candidate's interview and the health check carry on.
        started = time.monotonic()
        answer = client.post(f"/api/interviews/{other}/answer", json={"text": "I index the join columns."})
        assert answer.status_code == 200 and time.monotonic() - started < 5
        assert client.get("/api/health").status_code == 200
        # One run per interview at a time.
        waiting = next(iid for iid in coders if iid != refused)
        again = client.post(f"/api/interviews/{waiting}/code/run", json={"language": "python", "code": "x = 1"})
        assert again.status_code == 409 and again.json()["error"]["code"] == "code_run_in_progress"

        runner.gate.set()
        done = {iid: future.result() for iid, future in submits.items() if iid != refused}
    assert [response.status_code for response in done.values()] == [200] * 4
    assert all(response.json()["verdict"] == "accepted" for response in done.values())
    assert pool.pending == 0 and engine.pool.checkedout() == 0
    pool.shutdown()


def test_an_interviews_turns_never_interleave_with_its_code_run(client):
    runner = ScriptedRunner(gated=True)
    pool = _use_runner(client, runner, workers=1)
    iid = _coding_interview(client)
    with ThreadPoolExecutor(max_workers=2) as threads:
        submit = threads.submit(client.post, f"/api/interviews/{iid}/code/submit",
                                json={"language": "python", "code": "def f(): pass"})
        assert runner.started.acquire(timeout=10)
        answer = threads.submit(client.post, f"/api/interviews/{iid}/answer",
                                json={"text": "It is O(n) time because each element is visited once."})
        time.sleep(0.5)
        assert not answer.done()  # the answer waits for the run to be recorded
        runner.gate.set()
        assert submit.result().status_code == 200 and answer.result().status_code == 200
    messages = client.get(f"/api/interviews/{iid}").json()["messages"]
    moves = [(m["role"], m["move"]) for m in messages[-4:]]
    assert moves[0] == ("candidate", "code_submit") and moves[1][0] == "interviewer"
    assert moves[2] == ("candidate", None) and moves[3][0] == "interviewer"
    pool.shutdown()


def test_the_judge0_setting_sends_runs_to_judge0(settings: Settings, judge0: FakeJudge0):
    app = create_app(settings.model_copy(update={"code_runner": "judge0", "judge0_url": judge0.url}))
    with TestClient(app) as client:
        assert app.state.coding_available()
        iid = client.post("/api/interviews", json={"topic": "Python", "kind": "coding"}).json()["id"]
        problem = load_problems()[_to_coding(client, iid)["coding"]["problem"]["id"]]
        submit = client.post(f"/api/interviews/{iid}/code/submit",
                             json={"language": "python", "code": problem.reference["python"]}).json()
    app.state.db.engine.dispose()
    assert submit["verdict"] == "accepted", submit
    sent = [item for post in judge0.posts for item in post["body"]["submissions"]]
    assert len(sent) == submit["total"] and judge0.gets > 0
    assert {item["language_id"] for item in sent} == {71}

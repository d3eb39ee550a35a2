"""Three real app processes on one PostgreSQL database and one Redis: an interview's turns may go to any of them,
in turn or at the same moment, and a process killed mid-turn loses nothing."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
import sqlalchemy as sa
from tests.brains.fake_llm import FakeLLMServer
from tests.conftest import empty_postgres

from mockroom.interviews.locks import ADVISORY_NAMESPACE, advisory_key

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

REDIS_URL = "redis://127.0.0.1:6379/15"
TIMEOUT = 60


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return httpx.post(f"{self.base}{path}", json=body, timeout=TIMEOUT)

    def get(self, path: str) -> httpx.Response:
        return httpx.get(f"{self.base}{path}", timeout=TIMEOUT)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(folder: Path, database_url: str, *options: str, **settings: str) -> Server:
    port = _free_port()
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ, "MOCKROOM_AUTH": "local", "MOCKROOM_DATA_DIR": str(folder),
        "MOCKROOM_DATABASE_URL": database_url, "MOCKROOM_REDIS_URL": REDIS_URL,
        "MOCKROOM_WEB_DIST": str(folder / "no-web"),
        # The suite answers far faster than a person; the limits are still counted in Redis.
        "MOCKROOM_RATE_LIMIT_ANSWER_PER_USER": "100000/minute",
        "MOCKROOM_RATE_LIMIT_INTERVIEW_START_PER_USER": "100000/hour",
        "MOCKROOM_RATE_LIMIT_INTERVIEW_START_PER_IP": "100000/hour",
        **settings,
    }
    log = folder / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "mockroom", "serve", "--host", "127.0.0.1", "--port", str(port), *options],
            env=env, stdout=output, stderr=subprocess.STDOUT,
        )
    return Server(process=process, base=f"http://127.0.0.1:{port}/api", log=log)


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            if server.get("/health").status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    server.process.kill()
    raise RuntimeError(f"server did not start:\n{server.log.read_text(errors='replace')[-3000:]}")


def _stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@pytest.fixture(scope="module")
def database_url(postgres_url: str) -> str:
    """The session's PostgreSQL database, emptied so the processes starting together migrate it from scratch."""
    empty_postgres(postgres_url)
    return postgres_url


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[list[Server]]:
    """Three app processes started at once, sharing the database and Redis database 15 (emptied first)."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).flushdb()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")
    folder = tmp_path_factory.mktemp("processes")
    started = [_start(folder / name, database_url) for name in "abc"]
    try:
        for server in started:
            _wait_ready(server)
        yield started
    finally:
        for server in started:
            _stop(server)


def _start_interview(server: Server) -> str:
    response = server.post("/interviews", {"topic": "Python", "level": "intermediate", "duration_minutes": 60})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _answer(server: Server, iid: str, text: str) -> dict[str, Any]:
    response = server.post(f"/interviews/{iid}/answer", {"text": text})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["candidate_message"]["text"] == text
    assert body["reply"]["seq"] == body["candidate_message"]["seq"] + 1  # the reply is to this answer
    return body


def _messages(server: Server, iid: str) -> list[dict[str, Any]]:
    response = server.get(f"/interviews/{iid}")
    assert response.status_code == 200, response.text
    return list(response.json()["messages"])


def _assert_whole(messages: list[dict[str, Any]], said: list[str]) -> None:
    """Seq runs 1, 2, 3...; after the opening every answer is followed by its reply; each answer is there once."""
    assert [m["seq"] for m in messages] == list(range(1, len(messages) + 1))
    first_answer = next(i for i, m in enumerate(messages) if m["role"] == "candidate")
    turns = messages[first_answer:]
    assert [m["role"] for m in turns] == ["candidate", "interviewer"] * (len(turns) // 2)
    assert len(turns) % 2 == 0
    assert [m["text"] for m in turns[::2]] == said


def _said(iid: str, number: int) -> str:
    return (f"Answer {number} of {iid}: I have built Python services with FastAPI and PostgreSQL, "
            f"and I test them with pytest against a real database.")


def test_turns_of_each_interview_go_round_the_processes_and_every_process_sees_the_same_transcript(servers):
    interviews = [_start_interview(server) for server in servers]

    def walk(index: int) -> list[str]:
        said = []
        for number in range(6):
            server = servers[(index + number) % len(servers)]  # answer 1 via one process, answer 2 via the next...
            said.append(_said(interviews[index], number))
            _answer(server, interviews[index], said[-1])
        return said

    with ThreadPoolExecutor(len(interviews)) as pool:
        said = list(pool.map(walk, range(len(interviews))))
    for iid, texts in zip(interviews, said, strict=True):
        seen = [_messages(server, iid) for server in servers]
        assert seen[0] == seen[1] == seen[2]
        _assert_whole(seen[0], texts)


def test_two_answers_sent_at_once_through_two_processes_are_taken_one_after_the_other(servers):
    iid = _start_interview(servers[0])
    first, second = servers[0], servers[1]
    bodies: list[dict[str, Any]] = []

    def send(together: threading.Barrier, server: Server, text: str) -> dict[str, Any]:
        together.wait()
        return _answer(server, iid, text)

    for round_number in range(6):
        together = threading.Barrier(2)
        with ThreadPoolExecutor(2) as pool:
            sent = [pool.submit(send, together, first, f"Round {round_number}, first process: I would add an index."),
                    pool.submit(send, together, second,
                                f"Round {round_number}, second process: I would cache the result.")]
            bodies += [future.result() for future in sent]
    messages = _messages(servers[2], iid)
    by_seq = {m["seq"]: m for m in messages}
    for body in bodies:  # each answer's stored reply is the one its sender got, right after it
        assert by_seq[body["candidate_message"]["seq"]]["text"] == body["candidate_message"]["text"]
        assert by_seq[body["reply"]["seq"]]["text"] == body["reply"]["text"]
    candidate_seqs = sorted(body["candidate_message"]["seq"] for body in bodies)
    _assert_whole(messages, [by_seq[seq]["text"] for seq in candidate_seqs])
    assert len(candidate_seqs) == 12


def test_a_turn_in_one_process_waits_while_another_process_holds_the_interview(servers, database_url):
    iid = _start_interview(servers[0])
    opening = len(_messages(servers[0], iid))
    holder = sa.create_engine(database_url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool).connect()
    holder.execute(sa.text("SELECT pg_advisory_lock(:n, :k)"), {"n": ADVISORY_NAMESPACE, "k": advisory_key(iid)})
    with ThreadPoolExecutor(2) as pool:
        try:
            waiting = [pool.submit(_answer, server, iid, _said(iid, number))
                       for number, server in enumerate(servers[1:])]
            time.sleep(1.0)
            assert not any(future.done() for future in waiting)  # both wait for the holder
            stored = holder.execute(sa.text("SELECT count(*) FROM messages WHERE interview_id = :i"), {"i": iid})
            assert stored.scalar() == opening  # and stored nothing in the meantime (reading the table: a GET waits too)
        finally:
            holder.close()  # the holder's connection ends, as when its process dies
        bodies = [future.result() for future in waiting]
    messages = _messages(servers[0], iid)
    _assert_whole(messages, [b["candidate_message"]["text"] for b in sorted(bodies, key=lambda b: b["reply"]["seq"])])
    assert len(messages) == opening + 4


def test_a_process_killed_mid_turn_loses_nothing_and_another_carries_on(servers, database_url, tmp_path):
    with FakeLLMServer() as model:
        # The victim thinks with a (fake) LLM, so a turn can be caught while it holds the interview.
        victim = _start(tmp_path / "victim", database_url, MOCKROOM_LLM_PROVIDER="openai",
                        MOCKROOM_LLM_BASE_URL=model.base_url, MOCKROOM_LLM_MODEL="scripted-1",
                        MOCKROOM_LLM_MAX_RETRIES="0")
        try:
            _wait_ready(victim)
            iid = _start_interview(servers[0])
            said = [_said(iid, number) for number in range(4)]
            for number, text in enumerate(said[:3]):
                _answer([servers[0], victim, servers[1]][number], iid, text)
            model.script.delay_seconds = 5
            asked = len(model.script.requests)
            with ThreadPoolExecutor(1) as pool:
                sending = pool.submit(victim.post, f"/interviews/{iid}/answer", {"text": said[3]})
                deadline = time.monotonic() + 30
                while len(model.script.requests) == asked and time.monotonic() < deadline:
                    time.sleep(0.01)
                assert len(model.script.requests) > asked  # the victim is thinking: the answer is stored, unreplied
                victim.process.send_signal(signal.SIGKILL)
                victim.process.wait()
                with pytest.raises(httpx.HTTPError):
                    sending.result()
        finally:
            _stop(victim)
    # Another process replies to the stored answer (the dead process's hold on the interview went with it).
    _assert_whole(_messages(servers[1], iid), said)
    for number in range(4, 7):
        said.append(_said(iid, number))
        _answer(servers[number % 2 + 1], iid, said[-1])
    _assert_whole(_messages(servers[0], iid), said)
    report = servers[2].post(f"/interviews/{iid}/end", {})
    assert report.status_code == 200, report.text


def test_serve_with_two_workers_runs_two_processes_on_one_port(database_url, tmp_path):
    server = _start(tmp_path / "workers", database_url, "--workers", "2")
    try:
        _wait_ready(server)
        children = subprocess.run(["ps", "-o", "args=", "--ppid", str(server.process.pid)], capture_output=True,
                                  text=True, check=True).stdout.splitlines()
        assert sum("multiprocessing.spawn" in line for line in children) == 2
        iid = _start_interview(server)
        said = [_said(iid, number) for number in range(4)]
        with ThreadPoolExecutor(2) as pool:  # the answers race each other to whichever worker takes them
            list(pool.map(lambda text: _answer(server, iid, text), said[:2]))
        for text in said[2:]:
            _answer(server, iid, text)
        messages = _messages(server, iid)
        _assert_whole(messages, [m["text"] for m in messages if m["role"] == "candidate"])
        assert sorted(m["text"] for m in messages if m["role"] == "candidate") == sorted(said)
    finally:
        _stop(server)

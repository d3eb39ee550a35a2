"""The per-interview lock table: turns of one interview are serialised (across processes on PostgreSQL), and a
lock lives only while it is in use,
so looking up ids (unknown ones included) leaves nothing behind."""

import threading

import anyio
import pytest
import sqlalchemy as sa

from mockroom.core.errors import AppError
from mockroom.interviews import service
from mockroom.interviews.locks import ADVISORY_NAMESPACE, advisory_key


def test_unknown_ids_leave_no_trace(client):
    for number in range(50):
        assert client.get(f"/api/interviews/{number:016x}").status_code == 404
    assert len(service._locks) == 0
    db, brain = client.app.state.db, client.app.state.brain
    for number in range(500):
        with pytest.raises(AppError):
            service.get(db=db, brain=brain, interview_id=f"unknown-{number:08x}")
        with pytest.raises(AppError):
            service.end(db=db, brain=brain, interview_id=f"unknown-{number:08x}")
    assert len(service._locks) == 0


def test_turns_of_one_interview_wait_for_each_other_and_the_lock_goes_afterwards(client):
    iid = client.post("/api/interviews", json={"topic": "Python"}).json()["id"]
    db, brain = client.app.state.db, client.app.state.brain
    held = service.locked(iid)
    held.acquire()
    answered = threading.Event()

    def answer() -> None:
        service.answer(db=db, brain=brain, interview_id=iid, text="I build APIs in Python at a bank.")
        answered.set()

    turn = threading.Thread(target=answer)
    turn.start()
    assert not answered.wait(0.5)  # the turn waits for the lock
    assert service.locked(iid).local is held.local  # everyone in the meantime gets the same lock
    held.release()
    turn.join(timeout=30)
    assert answered.is_set()
    del held
    assert iid not in service._locks



@pytest.fixture
def postgres_client(tmp_path, postgres_url):
    from fastapi.testclient import TestClient

    from mockroom.api.app import create_app
    from mockroom.core.config import Settings

    app = create_app(Settings(data_dir=tmp_path, database_url=postgres_url, web_dist=tmp_path / "no-web",
                              allowed_hosts=["testserver"], rate_limits_enabled=False))
    with TestClient(app) as test_client:
        yield test_client
    app.state.db.engine.dispose()


def _hold_elsewhere(postgres_url: str, iid: str) -> sa.Connection:
    """Takes the interview's advisory lock the way another app process would, on a connection of this test."""
    connection = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool).connect()
    connection.execute(sa.text("SELECT pg_advisory_lock(:n, :k)"), {"n": ADVISORY_NAMESPACE, "k": advisory_key(iid)})
    return connection


@pytest.mark.postgres
def test_on_postgres_a_turn_waits_for_the_holder_in_another_process(postgres_client, postgres_url):
    client = postgres_client
    iid = client.post("/api/interviews", json={"topic": "Python"}).json()["id"]
    db, brain = client.app.state.db, client.app.state.brain
    opening = len(service.history_item(db=db, interview_id=iid).messages)
    elsewhere = _hold_elsewhere(postgres_url, iid)
    answered = threading.Event()

    def answer() -> None:
        service.answer(db=db, brain=brain, interview_id=iid, text="I build APIs in Python at a bank.")
        answered.set()

    turn = threading.Thread(target=answer)
    turn.start()
    try:
        assert not answered.wait(1.0)  # the turn waits for the other process's turn
        assert len(service.history_item(db=db, interview_id=iid).messages) == opening  # and has stored nothing yet
    finally:
        elsewhere.close()  # a dead process's connection closes, which frees the lock
    turn.join(timeout=30)
    assert answered.is_set()
    roles = [m.role for m in service.history_item(db=db, interview_id=iid).messages]
    assert len(roles) == opening + 2 and roles[-2:] == ["candidate", "interviewer"]


@pytest.mark.postgres
def test_on_postgres_a_code_run_gives_up_waiting_and_takes_the_lock_once_free(postgres_client, postgres_url):
    db = postgres_client.app.state.db
    elsewhere = _hold_elsewhere(postgres_url, "some-interview")
    lock = service.locked("some-interview", db)
    assert not anyio.run(lock.acquire_within, 0.3)
    assert lock.local.acquire(blocking=False)  # giving up let go of this process's lock too
    lock.local.release()
    elsewhere.close()
    assert anyio.run(lock.acquire_within, 5.0)
    try:
        assert not _hold_elsewhere_nowait(postgres_url, "some-interview")
    finally:
        lock.release()
    assert _hold_elsewhere_nowait(postgres_url, "some-interview")


def _hold_elsewhere_nowait(postgres_url: str, iid: str) -> bool:
    engine = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    with engine.connect() as connection:
        taken = connection.execute(sa.text("SELECT pg_try_advisory_lock(:n, :k)"),
                                   {"n": ADVISORY_NAMESPACE, "k": advisory_key(iid)}).scalar()
    engine.dispose()
    return bool(taken)

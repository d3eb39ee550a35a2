"""The per-interview lock table: turns of one interview are serialised, and a lock lives only while it is in use,
so looking up ids (unknown ones included) leaves nothing behind."""

import threading

import pytest

from mockroom.core.errors import AppError
from mockroom.interviews import service


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
    assert service.locked(iid) is held  # everyone in the meantime gets the same lock
    held.release()
    turn.join(timeout=30)
    assert answered.is_set()
    del held
    assert iid not in service._locks


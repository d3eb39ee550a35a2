"""Worker slots: uids no two runners share (in one process or two servers), and nothing left behind."""

import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tests.coding.runner.specs import spec

from mockroom.coding.factory import code_runner_from_settings
from mockroom.coding.runner import FunctionTest, Limits, SandboxRunner, SandboxUnavailable, Submission, Verdict, slots
from mockroom.coding.runner import sandbox as sandbox_module
from mockroom.coding.runner import service as service_module
from mockroom.coding.runner.cgroups import hierarchy
from mockroom.core.config import Settings

# Far above the uids the tests' own pools lease (the lowest free ones).
SPARE_UID = slots.FIRST_UID + slots.MAX_SLOTS - 1
ADD = spec("add", "int", a="int", b="int")


def _add(source: str = "def add(a, b):\n    return a + b\n", **limits: int) -> Submission:
    return Submission(
        language="python",
        source=source,
        function=ADD,
        function_tests=[FunctionTest(input={"a": 1, "b": 2}, output=3)],
        limits=Limits(**limits),
    )


@contextmanager
def _other_server(uid: int, *, then: str = "") -> Iterator[subprocess.Popen[str]]:
    """Another process that leases `uid` (and runs `then` with the slot as `slot`), holding it until killed."""
    program = textwrap.dedent(
        f"""
        import sys, time
        from mockroom.coding.runner import slots
        slot = slots.lease(uid={uid})
        {then}
        print("ready", flush=True)
        time.sleep(60)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        yield process
    finally:
        process.kill()
        process.wait()


def test_two_runners_in_one_process_never_share_a_uid(sandbox: None) -> None:
    first, second = SandboxRunner(), SandboxRunner()
    try:
        uids = [runner.uid(slot) for runner in (first, second) for slot in (0, 1)]
        assert len(set(uids)) == 4 and all(uid >= slots.FIRST_UID for uid in uids)
    finally:
        first.close()
        second.close()


def test_a_uid_another_server_holds_is_never_taken(sandbox: None) -> None:
    with _other_server(SPARE_UID):
        with pytest.raises(SandboxUnavailable, match="in use by another Mockroom server"):
            slots.lease(uid=SPARE_UID)
        configured = SandboxRunner(first_uid=SPARE_UID)
        with pytest.raises(SandboxUnavailable):
            configured.run(submission=_add())
        configured.close()
    slot = slots.lease(uid=SPARE_UID)  # the lock died with its holder
    slots.release(slot)


def test_a_killed_servers_workspaces_and_cgroups_are_removed_at_startup(sandbox: None, tmp_path: Path) -> None:
    plant = (
        "import pathlib; work = pathlib.Path(slot.workspaces) / 'tmp-run'; (work / 'src').mkdir(parents=True); "
        "(work / 'src' / 'main.py').write_text('candidate code'); slot.cgroups.create(memory_bytes=1 << 26, pids=8)"
    )
    with _other_server(SPARE_UID, then=plant) as server:
        planted = slots.work_root() / f"slot-{SPARE_UID}" / "tmp-run" / "src" / "main.py"
        assert planted.read_text() == "candidate code"
        slots.clean_stale()
        assert planted.exists()  # a live server's workspace is left alone
        server.send_signal(signal.SIGKILL)
        server.wait()
    cgroups = hierarchy().child(f"uid-{SPARE_UID}")
    assert any(path.is_dir() for path in cgroups.memory.iterdir())
    pool = code_runner_from_settings(Settings(data_dir=tmp_path))  # what the server does when it starts
    pool.shutdown()
    assert not (slots.work_root() / f"slot-{SPARE_UID}").exists()
    assert not cgroups.memory.exists()


def test_every_runs_workspace_is_removed_however_it_ends(sandbox: None, monkeypatch) -> None:
    runner = SandboxRunner()
    workspaces = slots.work_root() / f"slot-{runner.uid(0)}"
    try:
        assert runner.run(submission=_add()).verdict == Verdict.accepted
        assert list(workspaces.iterdir()) == []
        sleeper = _add("import time\ndef add(a, b):\n    time.sleep(30)\n", cpu_ms=200, wall_ms=500)
        assert runner.run(submission=sleeper).verdict == Verdict.time_limit
        assert list(workspaces.iterdir()) == []
        assert runner.run(submission=_add("def add(a, b)\n")).verdict == Verdict.compilation_error
        assert list(workspaces.iterdir()) == []

        original = sandbox_module._bwrap_args
        monkeypatch.setattr(sandbox_module, "_bwrap_args", lambda **kw: [*original(**kw)[:1], "--bad", *original(**kw)[1:]])
        assert runner.run(submission=_add("def add(a, b):\n    return 4\n")).verdict == Verdict.internal_error
        monkeypatch.undo()
        assert list(workspaces.iterdir()) == []

        def broken(**_: object) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(service_module, "_run_functions", broken)
        assert runner.run(submission=_add("def add(a, b):\n    return 5\n")).verdict == Verdict.internal_error
        assert list(workspaces.iterdir()) == []
    finally:
        runner.close()
    assert not workspaces.exists()


def test_a_run_without_a_worker_slot_leases_one_for_itself(sandbox: None) -> None:
    before = set(slots.work_root().glob("slot-*"))
    assert service_module.run(submission=_add()).verdict == Verdict.accepted
    assert set(slots.work_root().glob("slot-*")) == before

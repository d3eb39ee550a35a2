"""Worker slots of the sandbox: each its own uid, cgroup and workspace folder, held under an exclusive lock.

A slot is identified by its uid. Leasing one takes an exclusive flock on that uid's lock file, so no two
runners (in this process or in another Mockroom server on the host) ever run code as the same uid at once:
one program's processes can then never count against, signal or starve another's. The lock dies with its
process, so whatever a lease finds in a slot's workspace folder or cgroup was left by a killed server, and
is removed before the slot is used.
"""

import contextlib
import fcntl
import logging
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mockroom.coding.runner.cgroups import Hierarchy, hierarchy
from mockroom.coding.runner.errors import SandboxUnavailable

logger = logging.getLogger(__name__)

FIRST_UID = 60001
MAX_SLOTS = 1024
# Every run has its own (lower) process limit; this caps what one slot can ever hold at once.
SLOT_PIDS = 512
# uids are host-wide, so their locks must be too (the temporary directory can differ between servers).
HOST_LOCKS = Path("/run/lock/mockroom-runner")
# Workspaces of the layout before slots, left by a killed server, once surely no run can still use them.
LEGACY_WORKSPACE_SECONDS = 15 * 60


@dataclass
class Slot:
    """A leased uid with its workspace folder and cgroup; released by `release`."""

    uid: int
    workspaces: Path
    cgroups: Hierarchy
    lock_fd: int = field(repr=False)


def private_dir(path: Path, *, mode: int = 0o711) -> Path:
    """Creates (if missing) a directory only this user can change; refuses one someone else planted."""
    path.mkdir(mode=mode, exist_ok=True)
    status = os.lstat(path)
    # In a shared /tmp another user could have made it first, to see or swap what runs.
    if stat.S_ISLNK(status.st_mode) or status.st_uid != os.geteuid() or status.st_mode & 0o022:
        raise SandboxUnavailable(f"{path} belongs to someone else or is writable by others; remove it")
    return path


def work_root() -> Path:
    """The host directory holding the slots' workspaces and the compile cache."""
    return private_dir(Path(tempfile.gettempdir()) / "mockroom-runner")


def remove_tree(path: Path) -> None:
    """Deletes a directory tree, even one whose folders the sandboxed compiler made unwritable. Only folders
    inside the tree are made writable: the folder holding it (the compile cache, shared with the sandbox's uid)
    keeps its mode, even when another worker removed the same tree first."""
    top = os.path.abspath(path)

    def allow_and_retry(function, failed: str, error) -> None:  # type: ignore[no-untyped-def]
        if issubclass(error[0], FileNotFoundError):
            return  # gone already
        with contextlib.suppress(OSError):
            parent = os.path.dirname(failed)
            if os.path.commonpath([top, parent]) == top:
                os.chmod(parent, 0o700)
            if os.path.isdir(failed) and not os.path.islink(failed):
                os.chmod(failed, 0o700)
            function(failed)

    if path.is_symlink():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path, onerror=allow_and_retry)


def lease(*, uid: int | None = None) -> Slot:
    """Locks a slot: exactly `uid` when given (refused if another runner holds it), else the lowest free uid."""
    candidates: Iterable[int] = [uid] if uid is not None else range(FIRST_UID, FIRST_UID + MAX_SLOTS)
    for candidate in candidates:
        fd = _try_lock(candidate)
        if fd is None:
            continue
        try:
            return Slot(uid=candidate, workspaces=_fresh_workspaces(candidate), cgroups=_fresh_cgroups(candidate),
                        lock_fd=fd)
        except BaseException:
            os.close(fd)
            raise
    if uid is not None:
        raise SandboxUnavailable(
            f"sandbox uid {uid} is in use by another Mockroom server on this host; "
            "give each server its own MOCKROOM_CODE_RUNNER_FIRST_UID, or leave it at 0 to pick free uids"
        )
    raise SandboxUnavailable(f"all {MAX_SLOTS} sandbox uids from {FIRST_UID} are in use")


def release(slot: Slot) -> None:
    """Empties the slot's workspace folder and cgroup, then unlocks it."""
    try:
        remove_tree(slot.workspaces)
        slot.cgroups.clear()
        slot.cgroups.remove()
    finally:
        os.close(slot.lock_fd)


def clean_stale() -> int:
    """Removes what killed servers left: workspaces and cgroups of slots nobody holds; returns how many."""
    root = work_root()
    removed = 0
    for path in root.glob("slot-*"):
        uid = _uid_of(path.name)
        if uid is None:
            continue
        fd = _try_lock(uid)
        if fd is None:
            continue  # a live runner's slot
        try:
            remove_tree(path)
            with contextlib.suppress(SandboxUnavailable, OSError):
                slot_cgroups = hierarchy().child(f"uid-{uid}")
                slot_cgroups.clear()
                slot_cgroups.remove()
            removed += 1
        finally:
            os.close(fd)
    cutoff = time.time() - LEGACY_WORKSPACE_SECONDS
    for path in root.glob("tmp*"):
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink() and path.stat().st_mtime < cutoff:
                remove_tree(path)
                removed += 1
    if removed:
        logger.info("removed %d stale code-runner workspace folder(s) left by a stopped server", removed)
    return removed


def _locks_dir() -> Path:
    if os.geteuid() == 0 and HOST_LOCKS.parent.is_dir():
        return private_dir(HOST_LOCKS, mode=0o700)
    return private_dir(work_root() / "locks", mode=0o700)


def _try_lock(uid: int) -> int | None:
    """An fd holding the uid's exclusive lock, or None when another runner has it."""
    fd = os.open(_locks_dir() / f"uid-{uid}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


def _uid_of(name: str) -> int | None:
    number = name.removeprefix("slot-")
    return int(number) if number.isdigit() else None


def _fresh_workspaces(uid: int) -> Path:
    path = private_dir(work_root() / f"slot-{uid}")
    for stale in path.iterdir():
        remove_tree(stale)
    return path


def _fresh_cgroups(uid: int) -> Hierarchy:
    cgroups = hierarchy().child(f"uid-{uid}")
    cgroups.clear()
    cgroups.limit_pids(SLOT_PIDS)
    return cgroups

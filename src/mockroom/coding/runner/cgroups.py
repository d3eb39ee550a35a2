"""A fresh cgroup per sandboxed process: memory (swap included), process count and CPU time.

cgroup v2 is used where its memory and pids controllers are available; otherwise the v1 memory, pids and
cpuacct hierarchies (on this project's machines v2 is mounted without those controllers).
"""

import contextlib
import itertools
import os
import signal
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mockroom.coding.runner.errors import SandboxUnavailable

_PARENT = "mockroom-runner"
_counter = itertools.count()


@dataclass(frozen=True)
class Hierarchy:
    """Where run cgroups are made: one v2 directory, or one directory per v1 controller."""

    version: int
    memory: Path
    pids: Path
    cpu: Path

    @property
    def dirs(self) -> tuple[Path, ...]:
        """Its directory in each hierarchy (one for v2)."""
        return tuple(dict.fromkeys((self.memory, self.pids, self.cpu)))

    def create(self, *, memory_bytes: int, pids: int) -> "RunCgroup":
        """A new, empty cgroup with these limits."""
        name = f"{os.getpid()}-{next(_counter)}-{time.monotonic_ns()}"
        group = self._run_cgroup(name)
        for path in group.dirs:
            path.mkdir()
        try:
            group.limit(memory_bytes=memory_bytes, pids=pids)
        except OSError:
            group.remove()
            raise
        return group

    def child(self, name: str) -> "Hierarchy":
        """A sub-hierarchy (one worker slot's), made if missing, whose own cgroups are made inside it."""
        child = Hierarchy(version=self.version, memory=self.memory / name, pids=self.pids / name, cpu=self.cpu / name)
        for path in child.dirs:
            path.mkdir(exist_ok=True)
        if self.version == 2:
            _write(child.memory / "cgroup.subtree_control", "+memory +pids")
        return child

    def limit_pids(self, pids: int) -> None:
        """Caps the processes and threads of everything inside, together."""
        _write(self.pids / "pids.max", pids)

    def clear(self) -> None:
        """Kills and removes every cgroup inside (what a killed server's runs left)."""
        names = {path.name for folder in self.dirs if folder.is_dir() for path in folder.iterdir() if path.is_dir()}
        for name in names:
            group = self._run_cgroup(name)
            group.kill()
            group.remove()

    def remove(self) -> None:
        """Deletes its directories once empty."""
        _remove_dirs(self.dirs)

    def _run_cgroup(self, name: str) -> "RunCgroup":
        return RunCgroup(
            version=self.version,
            dirs=tuple(dict.fromkeys(path / name for path in (self.memory, self.pids, self.cpu))),
            memory=self.memory / name,
            pids=self.pids / name,
            cpu=self.cpu / name,
        )


@dataclass(frozen=True)
class RunCgroup:
    """One sandboxed process tree's cgroup: limits in, usage out, and a kill switch."""

    version: int
    dirs: tuple[Path, ...]
    memory: Path
    pids: Path
    cpu: Path

    @property
    def procs_files(self) -> list[Path]:
        """The files a process writes its pid into to join (one per hierarchy)."""
        return [path / "cgroup.procs" for path in self.dirs]

    def limit(self, *, memory_bytes: int, pids: int) -> None:
        """Sets the memory (with swap counted in) and process-count limits."""
        if self.version == 2:
            _write(self.memory / "memory.max", memory_bytes)
            if (self.memory / "memory.swap.max").exists():
                _write(self.memory / "memory.swap.max", 0)
        else:
            _write(self.memory / "memory.limit_in_bytes", memory_bytes)
            if (self.memory / "memory.memsw.limit_in_bytes").exists():
                _write(self.memory / "memory.memsw.limit_in_bytes", memory_bytes)
            _write(self.memory / "memory.swappiness", 0)
        _write(self.pids / "pids.max", pids)

    def cpu_ns(self) -> int:
        """CPU time used by every process and thread that was ever in the cgroup."""
        if self.version == 2:
            for line in (self.cpu / "cpu.stat").read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "usage_usec":
                    return int(value) * 1000
            return 0
        return int((self.cpu / "cpuacct.usage").read_text())

    def memory_peak_bytes(self) -> int:
        """The most memory the cgroup held at once."""
        name = "memory.peak" if self.version == 2 else "memory.max_usage_in_bytes"
        try:
            return int((self.memory / name).read_text())
        except (OSError, ValueError):
            return 0

    def oom_killed(self) -> bool:
        """Whether the kernel killed a process for exceeding the memory limit."""
        name = "memory.events" if self.version == 2 else "memory.oom_control"
        for line in (self.memory / name).read_text().splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill" and int(value) > 0:
                return True
        return False

    def memory_limit_hit(self, *, limit_bytes: int) -> bool:
        """Whether usage reached the limit; there the kernel reclaims, and may thrash, long before it kills."""
        # The fail counters can stay at 0 while the kernel keeps reclaiming at the limit, so the peak decides.
        return self.memory_peak_bytes() >= limit_bytes - (1 << 20)

    def pids_exhausted(self) -> bool:
        """Whether a fork or thread creation was refused by the process-count limit."""
        try:
            for line in (self.pids / "pids.events").read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "max" and int(value) > 0:
                    return True
        except OSError:
            pass
        return False

    def kill(self) -> None:
        """Kills every process still in the cgroup and waits (briefly) until none is left."""
        if self.version == 2 and (self.memory / "cgroup.kill").exists():
            _write(self.memory / "cgroup.kill", 1)
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            pids = _members(self.memory)
            if not pids:
                return
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.005)

    def remove(self) -> None:
        """Deletes the cgroup; its dying processes may need a moment to leave, so it retries."""
        _remove_dirs(self.dirs)


def _remove_dirs(dirs: tuple[Path, ...]) -> None:
    for path in dirs:
        for _ in range(200):
            try:
                path.rmdir()
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.01)


def _members(path: Path) -> list[int]:
    try:
        return [int(line) for line in (path / "cgroup.procs").read_text().split()]
    except FileNotFoundError:
        return []


def _write(path: Path, value: object) -> None:
    path.write_text(f"{value}\n")


@cache
def hierarchy() -> Hierarchy:
    """The cgroup hierarchy runs are made in, set up on first use; refuses when there is none usable."""
    mounts = _cgroup_mounts()
    for mount, _ in (m for m in mounts if m[1] == "cgroup2"):
        found = _v2_hierarchy(mount)
        if found is not None:
            return found
    found = _v1_hierarchy(mounts)
    if found is not None:
        return found
    raise SandboxUnavailable(
        "no writable cgroup with memory and pids controllers (cgroup v2 with them enabled, or v1 memory, "
        "pids and cpuacct hierarchies); the runner needs one to limit memory, processes and CPU time"
    )


def _cgroup_mounts() -> list[tuple[Path, str]]:
    """(mount point, "cgroup2" or the v1 super options) for every cgroup mount."""
    found = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        fstype, _source, options = ([*right.split(), "", "", ""])[:3]
        if fstype == "cgroup2":
            found.append((Path(left.split()[4]), "cgroup2"))
        elif fstype == "cgroup":
            found.append((Path(left.split()[4]), options))
    return found


def _v2_hierarchy(mount: Path) -> Hierarchy | None:
    try:
        controllers = (mount / "cgroup.controllers").read_text().split()
    except OSError:
        return None
    if not {"memory", "pids"} <= set(controllers):
        return None
    parent = mount / _PARENT
    try:
        _write(mount / "cgroup.subtree_control", "+memory +pids")
        parent.mkdir(exist_ok=True)
        _write(parent / "cgroup.subtree_control", "+memory +pids")
    except OSError:
        return None
    return Hierarchy(version=2, memory=parent, pids=parent, cpu=parent)


def _v1_hierarchy(mounts: list[tuple[Path, str]]) -> Hierarchy | None:
    roots: dict[str, Path] = {}
    for mount, options in mounts:
        for controller in ("memory", "pids", "cpuacct"):
            if controller in options.split(","):
                roots.setdefault(controller, mount)
    if set(roots) != {"memory", "pids", "cpuacct"}:
        return None
    parents = {controller: root / _PARENT for controller, root in roots.items()}
    try:
        for parent in parents.values():
            parent.mkdir(exist_ok=True)
        # Without hierarchy, a v1 child's memory is not limited by (nor counted in) its parent.
        use_hierarchy = parents["memory"] / "memory.use_hierarchy"
        if use_hierarchy.exists() and use_hierarchy.read_text().strip() != "1":
            _write(use_hierarchy, 1)
        probe = parents["memory"] / f"probe-{os.getpid()}"
        probe.mkdir(exist_ok=True)
        probe.rmdir()
    except OSError:
        return None
    return Hierarchy(version=1, memory=parents["memory"], pids=parents["pids"], cpu=parents["cpuacct"])

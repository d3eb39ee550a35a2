"""Runs one untrusted process inside bubblewrap, as an unprivileged per-slot uid, in a fresh cgroup.

The wall, in layers: every namespace (no network, private PID space, no further user namespaces),
read-only /usr and a few /etc files as the only host files, a size-capped private /tmp, a cleared
environment, a seccomp deny-list, rlimits as a backstop, and a cgroup for memory (swap counted),
process count and CPU time. bwrap runs as the slot's uid because RLIMIT_NPROC is not enforced for
root, and it cannot report its child's CPU time, so the cgroup is polled instead.
"""

import contextlib
import ctypes
import fcntl
import os
import selectors
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from mockroom.coding.runner import slots
from mockroom.coding.runner.cgroups import RunCgroup, hierarchy
from mockroom.coding.runner.errors import SandboxUnavailable
from mockroom.coding.runner.seccomp import deny_list_program
from mockroom.coding.runner.slots import Slot

BWRAP = Path("/usr/bin/bwrap")
SETPRIV = Path("/usr/bin/setpriv")
SHELL = Path("/bin/sh")
# Host files the toolchains need: the loader cache, and the alternatives and JDK configuration
# that /usr/bin/java and the JDK's conf/ symlink into.
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives", "/etc/java-17-openjdk")
_POLL_SECONDS = 0.01
_PR_SET_CHILD_SUBREAPER = 36
_F_SETPIPE_SZ = 1031
_READ_CHUNK = 65536


@dataclass
class Jail:
    """One process to run in the sandbox and its limits."""

    argv: list[str]
    src: Path
    build: Path
    build_writable: bool = False
    extra_ro_binds: tuple[tuple[Path, str], ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    stdin: Path | None = None
    cpu_ms: int = 2000
    wall_ms: int = 5000
    memory_bytes: int = 256 << 20
    pids: int = 64
    tmp_bytes: int = 64 << 20
    file_bytes: int = 64 << 20
    stack_bytes: int = 256 << 20
    address_space_bytes: int | None = None
    open_files: int = 256
    output_bytes: int = 64 << 10
    kill_on_output_limit: bool = True
    channel_bytes: int = 64 << 20


@dataclass
class Outcome:
    """How the process ended and what it used and wrote."""

    exit_code: int | None
    signal: int | None
    cpu_ms: int
    wall_ms: int
    memory_kb: int
    oom_killed: bool
    memory_limit_hit: bool
    cpu_exceeded: bool
    wall_exceeded: bool
    output_exceeded: bool
    pids_exhausted: bool
    stdout: bytes
    stderr: bytes
    channel: bytes

    @property
    def time_exceeded(self) -> bool:
        """Whether the CPU or the wall-clock limit ended the process."""
        return self.cpu_exceeded or self.wall_exceeded


@dataclass
class _Streams:
    """Bytes read so far from the process's stdout, stderr and result channel, with their caps."""

    output_cap: int
    channel_cap: int
    stdout: bytearray = field(default_factory=bytearray)
    stderr: bytearray = field(default_factory=bytearray)
    channel: bytearray = field(default_factory=bytearray)
    output_total: int = 0
    output_exceeded: bool = False

    def take(self, name: str, data: bytes) -> None:
        """Keeps what fits; output past its cap is counted and dropped."""
        if name == "channel":
            room = self.channel_cap - len(self.channel)
            self.channel += data[: max(room, 0)]
            self.output_exceeded |= len(data) > room
            return
        self.output_total += len(data)
        buffer = self.stdout if name == "stdout" else self.stderr
        room = self.output_cap - len(self.stdout) - len(self.stderr)
        buffer += data[: max(room, 0)]
        self.output_exceeded |= self.output_total > self.output_cap


@cache
def _checked() -> None:
    """Checks once that code can be isolated here; raises SandboxUnavailable with the reason if not."""
    if not BWRAP.exists():
        raise SandboxUnavailable("bubblewrap (/usr/bin/bwrap) is not installed; run scripts/setup-sandbox.sh")
    version = subprocess.run([str(BWRAP), "--version"], capture_output=True, text=True, check=False).stdout
    numbers = tuple(int(part) for part in version.split()[-1].split(".")[:2] if part.isdigit()) if version else ()
    if numbers < (0, 8):
        raise SandboxUnavailable(f"bubblewrap 0.8 or newer is needed (found {version.strip() or 'unknown'})")
    if os.geteuid() == 0 and not SETPRIV.exists():
        raise SandboxUnavailable("setpriv (util-linux) is needed to drop to the sandbox's uid")
    if Path("/proc/sys/user/max_user_namespaces").read_text().strip() == "0":
        raise SandboxUnavailable("user namespaces are disabled (user.max_user_namespaces is 0)")
    hierarchy()
    seccomp = deny_list_program()
    if os.geteuid() == 0:
        _become_subreaper()
    slot = slots.lease()
    try:
        probe = Path(tempfile.mkdtemp(dir=slot.workspaces))
        probe.chmod(0o755)
        jail = Jail(argv=["/usr/bin/true"], src=probe, build=probe, cpu_ms=5000, wall_ms=10_000)
        outcome = _execute(jail=jail, slot=slot, seccomp=seccomp)
    finally:
        slots.release(slot)
    if outcome.exit_code != 0:
        detail = outcome.stderr.decode(errors="replace").strip()[-300:]
        raise SandboxUnavailable(f"a trial sandbox failed to start ({detail or f'exit {outcome.exit_code}'})")


def check() -> None:
    """Raises SandboxUnavailable when this machine cannot run the sandbox."""
    _checked()


def execute(*, jail: Jail, slot: Slot) -> Outcome:
    """Runs the jail's command as the slot's uid, to completion or to a limit, whichever comes first."""
    _checked()
    return _execute(jail=jail, slot=slot, seccomp=deny_list_program())


def _execute(*, jail: Jail, slot: Slot, seccomp: bytes) -> Outcome:
    group = slot.cgroups.create(memory_bytes=jail.memory_bytes, pids=jail.pids)
    try:
        return _supervise(jail=jail, uid=slot.uid, group=group, seccomp=seccomp)
    finally:
        group.kill()
        _reap_orphans(slot.uid)
        group.remove()


def _become_subreaper() -> None:
    """Orphans of the sandbox come to this process rather than to a PID 1 that may reap them late.

    bwrap's outer process exits as soon as it has the exit status, while its init (PID 1 of the sandbox)
    is still tearing the namespace down; orphaned, that init and its last children would linger as
    zombies of the slot's uid, and count against the next run's process limit until reaped.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise SandboxUnavailable(f"cannot become a child subreaper (errno {ctypes.get_errno()})")


def _reap_orphans(uid: int) -> None:
    """Waits for (and reaps) the orphans of this slot's uid; other children of this process are left alone."""
    if os.geteuid() != 0:
        return
    deadline = time.monotonic() + 2.0
    while True:
        orphans = [pid for pid in _children() if _owner(pid) == uid]
        for pid in orphans:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
        if not orphans or time.monotonic() > deadline:
            return
        time.sleep(0.001)


def _children() -> list[int]:
    found: list[int] = []
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):
            found += [int(pid) for pid in (task / "children").read_text().split()]
    return found


def _owner(pid: int) -> int | None:
    try:
        return os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return None


def _supervise(*, jail: Jail, uid: int, group: RunCgroup, seccomp: bytes) -> Outcome:
    seccomp_read, seccomp_write = os.pipe()
    channel_read, channel_write = os.pipe()
    os.write(seccomp_write, seccomp)
    os.close(seccomp_write)
    if os.geteuid() == 0:
        # Java can only reach the channel by reopening /proc/self/fd/N, which checks the pipe's owner.
        os.fchown(channel_write, uid, uid)
    argv = _launcher(jail=jail, uid=uid, group=group) + _bwrap_args(
        jail=jail, seccomp_fd=seccomp_read, channel_fd=channel_write
    )
    stdin = jail.stdin.open("rb") if jail.stdin else subprocess.DEVNULL
    started = time.monotonic()
    try:
        process = subprocess.Popen(
            argv,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=(seccomp_read, channel_write),
            env={},
            cwd="/",  # bwrap's own PID 1 keeps the launcher's environment, PWD included: show nothing
            start_new_session=True,
        )
    finally:
        os.close(seccomp_read)
        os.close(channel_write)
        if jail.stdin and not isinstance(stdin, int):
            stdin.close()
    assert process.stdout is not None and process.stderr is not None
    for stream in (process.stdout, process.stderr):
        # A small pipe keeps the program at most a page ahead of the output cap, so the flood is caught in
        # the case that printed it (the harnesses flush prints before each result).
        with contextlib.suppress(OSError):
            fcntl.fcntl(stream.fileno(), _F_SETPIPE_SZ, 4096)
    streams = _Streams(output_cap=jail.output_bytes, channel_cap=jail.channel_bytes)
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ, "stdout")
    selector.register(process.stderr, selectors.EVENT_READ, "stderr")
    channel = os.fdopen(channel_read, "rb", buffering=0)
    selector.register(channel, selectors.EVENT_READ, "channel")
    cpu_exceeded = wall_exceeded = False
    exited_at: float | None = None
    try:
        while selector.get_map():
            for key, _ in selector.select(_POLL_SECONDS):
                data = os.read(key.fd, _READ_CHUNK)
                if data:
                    streams.take(key.data, data)
                else:
                    selector.unregister(key.fileobj)
            now = time.monotonic()
            if group.cpu_ns() > jail.cpu_ms * 1_000_000:
                cpu_exceeded = True
            elif (now - started) * 1000 > jail.wall_ms:
                wall_exceeded = True
            if cpu_exceeded or wall_exceeded or (streams.output_exceeded and jail.kill_on_output_limit):
                break
            if process.poll() is not None:
                # Everything in the PID namespace dies with bwrap; a pipe still open after that is stale.
                exited_at = exited_at or now
                if now - exited_at > 0.5:
                    break
    finally:
        group.kill()
        process.kill()
        returncode = process.wait()
        selector.close()
        channel.close()
        process.stdout.close()
        process.stderr.close()
    wall_ms = int((time.monotonic() - started) * 1000)
    exit_code, signal_number = _decode_status(returncode)
    return Outcome(
        exit_code=exit_code,
        signal=signal_number,
        cpu_ms=group.cpu_ns() // 1_000_000,
        wall_ms=wall_ms,
        memory_kb=group.memory_peak_bytes() // 1024,
        oom_killed=group.oom_killed(),
        memory_limit_hit=group.memory_limit_hit(limit_bytes=jail.memory_bytes),
        cpu_exceeded=cpu_exceeded,
        wall_exceeded=wall_exceeded,
        output_exceeded=streams.output_exceeded,
        pids_exhausted=group.pids_exhausted(),
        stdout=bytes(streams.stdout),
        stderr=bytes(streams.stderr),
        channel=bytes(streams.channel),
    )


def _decode_status(returncode: int) -> tuple[int | None, int | None]:
    """bwrap reports a child killed by signal N as exit status 128 + N."""
    if returncode < 0:
        return None, -returncode
    if 128 < returncode <= 128 + 64:
        return None, returncode - 128
    return returncode, None


def _launcher(*, jail: Jail, uid: int, group: RunCgroup) -> list[str]:
    """sh joins the cgroup and sets rlimits, then (as root) drops to the slot's uid before bwrap starts."""
    limits = [
        "ulimit -c 0",
        f"ulimit -n {jail.open_files}",
        f"ulimit -p {jail.pids}",
        f"ulimit -f {jail.file_bytes // 512}",
        f"ulimit -s {jail.stack_bytes // 1024}",
        f"ulimit -t {jail.cpu_ms // 1000 + 2}",
    ]
    if jail.address_space_bytes:
        limits.append(f"ulimit -v {jail.address_space_bytes // 1024}")
    files = [str(path) for path in group.procs_files]
    script = (
        'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n - 1)); done; '
        + "; ".join(limits)
        + ' || exit 125; exec "$@"'
    )
    argv = [str(SHELL), "-c", script, "sh", str(len(files)), *files]
    if os.geteuid() == 0:
        argv += [str(SETPRIV), f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs", "--"]
    return argv


def _bwrap_args(*, jail: Jail, seccomp_fd: int, channel_fd: int) -> list[str]:
    args = [str(BWRAP), "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session"]
    args += ["--hostname", "sandbox", "--ro-bind", "/usr", "/usr"]
    for name in ("/bin", "/sbin", "/lib", "/lib64", "/lib32"):
        path = Path(name)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), name]
        elif path.is_dir():
            args += ["--ro-bind", name, name]
    for name in ETC_FILES:
        if Path(name).exists():
            args += ["--ro-bind", name, name]
    args += ["--proc", "/proc", "--dev", "/dev", "--size", str(jail.tmp_bytes), "--tmpfs", "/tmp"]
    args += ["--ro-bind", str(jail.src), "/box/src"]
    for host, inside in jail.extra_ro_binds:
        args += ["--ro-bind", str(host), inside]
    args += ["--bind" if jail.build_writable else "--ro-bind", str(jail.build), "/box/build", "--chdir", "/box/build"]
    args += ["--clearenv"]
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8"} | jail.env
    env["MOCKROOM_CHANNEL_FD"] = str(channel_fd)
    for key, value in env.items():
        args += ["--setenv", key, value]
    args += ["--seccomp", str(seccomp_fd), "--", *jail.argv]
    return args

"""Hostile code, all contained: each attack either fails inside the sandbox or ends in a verdict."""

import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.coding.runner.specs import spec

import mockroom
from mockroom.coding.runner import FunctionTest, Limits, RunnerPool, RunResult, StdioTest, Submission, Verdict
from mockroom.coding.runner.slots import FIRST_UID, MAX_SLOTS

pytestmark = pytest.mark.slow

ATTACK = spec("attack", "string", name="string", target="string")
# Each attack returns "blocked" when the sandbox stopped it and "ESCAPED ..." when it got through.
PYTHON_ATTACKS = r"""
import ctypes, os, socket, time

libc = ctypes.CDLL(None, use_errno=True)

def attack(name: str, target: str) -> str:
    try:
        return "ESCAPED " + str(ATTACKS[name](target))
    except Exception as error:
        return "blocked"

def read(path):
    with open(path, "rb") as handle:
        return handle.read(100)

def list_root(_):
    names = os.listdir("/")
    if {"work", "root", "home", "var"} & set(names):
        return names
    raise PermissionError(names)

def tcp(port):
    socket.create_connection(("127.0.0.1", int(port)), timeout=2).close()

def tcp6(port):
    socket.create_connection(("::1", int(port)), timeout=2).close()

def unix(path):
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect(path)

def write(path):
    with open(path, "w") as handle:
        handle.write("x")
    if path.startswith("/tmp/"):
        raise PermissionError("private /tmp")  # the test checks the host's /tmp separately

def failing(call):
    def check(_):
        result = call()
        if result == -1:
            raise OSError(ctypes.get_errno())
        return result
    return check

def escape(seconds):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(float(seconds))
            os._exit(0)
        os._exit(0)
    raise ChildProcessError("forked a daemon; the test checks it died with the run")

def kill_all(_):
    os.kill(-1, 9)
    raise ProcessLookupError("sent; the test checks its own processes survived")

ATTACKS = {
    "read": read,
    "list_root": list_root,
    "tcp": tcp,
    "tcp6": tcp6,
    "unix": unix,
    "write": write,
    "ptrace": failing(lambda: libc.ptrace(0, 0, None, None)),
    "unshare_user": failing(lambda: libc.unshare(0x10000000)),
    "unshare_net": failing(lambda: libc.unshare(0x40000000)),
    "mount": failing(lambda: libc.mount(b"none", b"/tmp", b"tmpfs", 0, None)),
    "escape": escape,
    "kill_all": kill_all,
}
"""


def _sandbox_processes() -> list[int]:
    """Host processes owned by any sandbox slot's uid."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            uid_line = next(line for line in (entry / "status").read_text().splitlines() if line.startswith("Uid:"))
        except (OSError, StopIteration):
            continue
        if FIRST_UID <= int(uid_line.split()[1]) < FIRST_UID + MAX_SLOTS:
            found.append(int(entry.name))
    return found


def _attack(pool: RunnerPool, cases: list[tuple[str, str]], **limits: int) -> RunResult:
    tests = [FunctionTest(input={"name": name, "target": target}, output="blocked") for name, target in cases]
    submission = Submission(
        language="python", source=PYTHON_ATTACKS, function=ATTACK, function_tests=tests, limits=Limits(**limits)
    )
    return pool.run(submission=submission)


@pytest.fixture
def tcp_server() -> Iterator[tuple[int, list[object]]]:
    """A loopback TCP service that records every connection it gets."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    accepted: list[object] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                accepted.append(server.accept())
            except TimeoutError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    server.close()


def test_files_network_and_kernel_are_out_of_reach(pool: RunnerPool, tcp_server, tmp_path) -> None:
    port, accepted = tcp_server
    unix_server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix_path = tmp_path / "app.sock"
    unix_server.bind(str(unix_path))
    unix_server.listen()
    abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    abstract.bind(f"\0mockroom-test-{os.getpid()}")
    abstract.listen()
    escape_marker = f"/tmp/mockroom-escape-{os.getpid()}"
    cases = [
        ("read", str(Path(mockroom.__file__).resolve())),
        ("read", "/etc/shadow"),
        ("read", "/etc/passwd"),
        ("read", str(Path.home() / ".bash_history")),
        ("list_root", ""),
        ("tcp", str(port)),
        ("tcp6", str(port)),
        ("unix", str(unix_path)),
        ("unix", f"\0mockroom-test-{os.getpid()}"),
        ("write", "/box/build/planted"),
        ("write", "/box/src/planted"),
        ("write", "/usr/planted"),
        ("write", escape_marker),
        ("ptrace", ""),
        ("unshare_user", ""),
        ("unshare_net", ""),
        ("mount", ""),
    ]
    try:
        result = _attack(pool, cases)
    finally:
        unix_server.close()
        abstract.close()
    outcome = {
        f"{name} {target}": (test.verdict, test.actual)
        for (name, target), test in zip(cases, result.tests, strict=True)
    }
    assert all(verdict == Verdict.accepted for verdict, _ in outcome.values()), outcome
    assert accepted == []
    assert not Path(escape_marker).exists()


def test_setsid_double_fork_does_not_outlive_the_run(pool: RunnerPool) -> None:
    result = _attack(pool, [("escape", "30"), ("escape", "30")])
    assert [test.verdict for test in result.tests] == [Verdict.accepted, Verdict.accepted]
    assert _sandbox_processes() == []


def test_kill_minus_one_cannot_reach_the_host(pool: RunnerPool) -> None:
    # Host processes with the very uids the attacks run as: only the PID namespace stands between them.
    uids = [pool.runner.uid(slot) for slot in range(pool.workers)]  # type: ignore[attr-defined]
    sleepers = [
        subprocess.Popen(["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "sleep", "60"])
        for uid in uids
    ]
    try:
        result = _attack(pool, [("kill_all", "")] * 2)
        assert [sleeper.poll() for sleeper in sleepers] == [None] * len(uids)
        assert {test.verdict for test in result.tests} <= {Verdict.accepted, Verdict.runtime_error}
    finally:
        for sleeper in sleepers:
            sleeper.send_signal(signal.SIGKILL)
            sleeper.wait()


@pytest.mark.parametrize(
    ("source", "verdicts"),
    [
        ("import time\ndef attack(name, target):\n    time.sleep(60)\n", {Verdict.time_limit}),
        (
            "import os\ndef attack(name, target):\n    while True:\n        try:\n            os.fork()\n"
            "        except OSError:\n            pass\n",
            {Verdict.time_limit, Verdict.runtime_error, Verdict.memory_limit},
        ),
        (
            "def attack(name, target):\n    with open('/tmp/huge', 'wb') as f:\n        while True:\n"
            "            f.write(b'x' * (1 << 20))\n",
            {Verdict.runtime_error, Verdict.memory_limit},
        ),
        ("def attack(name, target):\n    while True:\n        print('x' * 1000)\n", {Verdict.output_limit}),
    ],
    ids=["sleep", "fork-bomb", "huge-file", "output-flood"],
)
def test_resource_attacks_end_in_a_verdict(pool: RunnerPool, source: str, verdicts: set[Verdict]) -> None:
    started = time.monotonic()
    tests = [FunctionTest(input={"name": "", "target": ""}, output="")]
    limits = Limits(cpu_ms=1000, wall_ms=3000, memory_mb=128)
    result = pool.run(
        submission=Submission(language="python", source=source, function=ATTACK, function_tests=tests, limits=limits)
    )
    assert result.tests[0].verdict in verdicts, result.tests[0]
    assert time.monotonic() - started < 15
    assert _sandbox_processes() == []


MEMORY_BOMBS = {
    "python": "def bomb(n: int) -> int:\n    hoard = []\n    while True:\n        hoard.append(bytearray(n))\n",
    "c": "long long bomb(long long n) { for (;;) { char* p = malloc(n); if (!p) abort(); memset(p, 1, n); } }\n",
    "javascript": "function bomb(n) { const hoard = []; for (;;) hoard.push(Buffer.alloc(n, 1)); }\n",
    "java": "import java.nio.*;\nimport java.util.*;\nclass Solution { static long bomb(long n) { List<ByteBuffer> hoard = new ArrayList<>();"
    " while (true) { ByteBuffer b = ByteBuffer.allocateDirect((int) n); while (b.hasRemaining()) b.put((byte) 1); hoard.add(b); } } }\n",
}


@pytest.mark.parametrize("language", MEMORY_BOMBS)
def test_memory_bombs_hit_the_memory_limit(pool: RunnerPool, language: str) -> None:
    tests = [FunctionTest(input={"n": 1 << 20}, output=0)]
    limits = Limits(cpu_ms=3000, memory_mb=128)
    submission = Submission(
        language=language,
        source=MEMORY_BOMBS[language],
        function=spec("bomb", "int", n="int"),
        function_tests=tests,
        limits=limits,
    )
    result = pool.run(submission=submission)
    assert result.tests[0].verdict == Verdict.memory_limit, result.tests[0]


def test_compile_time_include_of_an_app_file_finds_nothing(pool: RunnerPool) -> None:
    secret = Path(mockroom.__file__).resolve()
    source = f'#include "{secret}"\nint main(void) {{ return 0; }}\n'
    result = pool.run(submission=Submission(language="c", mode="stdio", source=source, stdio_tests=[StdioTest()]))
    assert result.verdict == Verdict.compilation_error
    assert "No such file" in (result.compile_output or "")
    assert "Mockroom" not in (result.compile_output or "")


def test_native_code_meets_the_seccomp_deny_list(pool: RunnerPool) -> None:
    source = r"""
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
    long results[] = {
        socket(AF_INET, SOCK_STREAM, 0) == -1 ? errno : 0,
        socket(AF_NETLINK, SOCK_RAW, 0) == -1 ? errno : 0,
        unshare(CLONE_NEWUSER) == -1 ? errno : 0,
        ptrace(PTRACE_TRACEME, 0, 0, 0) == -1 ? errno : 0,
        mount("none", "/tmp", "tmpfs", 0, 0) == -1 ? errno : 0,
        syscall(SYS_clone3, 0, 0) == -1 ? errno : 0,
        syscall(SYS_bpf, 0, 0, 0) == -1 ? errno : 0,
        syscall(SYS_io_uring_setup, 1, 0) == -1 ? errno : 0,
        socket(AF_UNIX, SOCK_STREAM, 0) >= 0,
    };
    for (int i = 0; i < 9; i++) printf("%ld ", results[i]);
    return 0;
}
"""
    result = pool.run(
        submission=Submission(language="c", mode="stdio", source=source, stdio_tests=[StdioTest(stdout="")])
    )
    codes = [int(word) for word in (result.tests[0].actual or "").split()]
    assert codes == [97, 97, 1, 1, 1, 38, 1, 1, 1], result.tests[0]

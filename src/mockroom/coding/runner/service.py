"""Runs a submission in the sandbox: compile once (inside the sandbox), then every test.

Function tests all run in one process, the harness reporting case by case; when a case ends the process
(a crash, a limit), that case gets the verdict and the rest run in a fresh process. Stdio tests run one
process each. After three time limits the remaining tests are skipped, so a hopeless submission cannot
hold a worker for long. Each run works in a fresh folder of its slot, removed when it ends however it ends.
"""

import contextlib
import hashlib
import logging
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mockroom.coding.runner import judging, protocol, sandbox, slots
from mockroom.coding.runner.errors import SandboxUnavailable
from mockroom.coding.runner.languages import LanguageSupport, support_for
from mockroom.coding.runner.models import Limits, RunResult, Submission, TestResult, Verdict
from mockroom.coding.runner.sandbox import Jail, Outcome
from mockroom.coding.runner.slots import Slot
from mockroom.coding.runner.values import encode_cases

logger = logging.getLogger(__name__)

COMPILE_CPU_MS = 30_000
COMPILE_WALL_MS = 90_000
COMPILE_MEMORY_MB = 1536
# No file the compiler writes, and no compiled program, may be larger; the largest real ones are ~12 MB.
BUILD_MAX_MB = 64
CACHE_ENTRIES = 64
CACHE_MAX_MB = 512
# What runtimes print when their own heap limit (not the cgroup's) stops them.
_OUT_OF_MEMORY = (
    "JavaScript heap out of memory",
    "java.lang.OutOfMemoryError",
    "runtime: out of memory",
    "memory allocation of",
    "MemoryError",
    "std::bad_alloc",
)


class SandboxFailure(Exception):
    """The sandbox itself (not the candidate's code) failed to run a process."""


def run(*, submission: Submission, slot: Slot | None = None) -> RunResult:
    """Compiles and runs a submission on a worker slot (a slot leased for this run alone when none is given).

    Refuses (SandboxUnavailable) rather than run bare. A failure of the sandbox itself is logged with its
    details and returned as an internal error whose message says only that the failure was ours.
    """
    try:
        sandbox.check()
        with _leased(slot) as leased, _workspace(leased) as workspace:
            return _run(submission=submission, workspace=workspace, slot=leased)
    except SandboxUnavailable as error:
        logger.error("the code sandbox is unavailable: %s", error.reason)
        raise
    except Exception:
        logger.exception("a %s run failed inside the code runner", submission.language)
        return judging.internal_error(submission=submission)


@contextmanager
def _leased(slot: Slot | None) -> Iterator[Slot]:
    if slot is not None:
        yield slot
        return
    slot = slots.lease()
    try:
        yield slot
    finally:
        slots.release(slot)


def _run(*, submission: Submission, workspace: Path, slot: Slot) -> RunResult:
    support = support_for(submission.language)
    if submission.mode == "function":
        assert submission.function is not None
        program = support.harness(submission.function, submission.source, False)
    else:
        program = support.program(submission.source)
    build, compile_output = _build(
        support=support, program=program, workspace=workspace, slot=slot, check=submission.mode == "stdio"
    )
    if build is None:
        return judging.compilation_error(submission=submission, output=compile_output or "")
    if submission.mode == "function":
        return _run_functions(submission=submission, support=support, build=build, workspace=workspace, slot=slot)
    return _run_stdio(submission=submission, support=support, build=build, workspace=workspace, slot=slot)


@contextmanager
def _workspace(slot: Slot) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(dir=slot.workspaces))
    try:
        path.chmod(0o755)
        (path / "src").mkdir(mode=0o755)
        (path / "empty").mkdir(mode=0o755)
        yield path
    finally:
        slots.remove_tree(path)


def _build(
    *, support: LanguageSupport, program: str, workspace: Path, slot: Slot, check: bool
) -> tuple[Path | None, str | None]:
    """The directory holding the compiled program (cached by content), or None and the compiler's output."""
    toolchain = support.toolchain
    source = workspace / "src" / toolchain.source_file
    source.write_text(program, encoding="utf-8")
    source.chmod(0o644)
    command = toolchain.compile or (toolchain.check if check else None)
    if command is None:
        return workspace / "empty", None
    key = hashlib.sha256(f"{support.language}\0{command}\0{program}".encode()).hexdigest()
    cached = _cache_root() / key
    if cached.exists():
        os.utime(cached)
        return cached, None
    build = _writable_build_dir(workspace / "build", slot=slot)
    pch = _precompiled_header(support=support, slot=slot) or workspace / "empty"
    jail = Jail(
        argv=list(command),
        src=workspace / "src",
        build=build,
        build_writable=True,
        env=toolchain.compile_env,
        extra_ro_binds=((pch, "/box/pch"),),
        cpu_ms=COMPILE_CPU_MS,
        wall_ms=COMPILE_WALL_MS,
        memory_bytes=COMPILE_MEMORY_MB << 20,
        pids=256,
        tmp_bytes=512 << 20,
        file_bytes=BUILD_MAX_MB << 20,
        open_files=1024,
        kill_on_output_limit=False,
    )
    outcome = sandbox.execute(jail=jail, slot=slot)
    _raise_if_sandbox_failed(outcome)
    if outcome.time_exceeded or outcome.oom_killed or outcome.exit_code != 0:
        return None, _compiler_message(outcome)
    if _tree_bytes(build) > BUILD_MAX_MB << 20:
        return None, f"The compiled program is larger than {BUILD_MAX_MB} MB."
    _publish(build, cached)
    return cached, None


def _writable_build_dir(path: Path, *, slot: Slot) -> Path:
    path.mkdir(mode=0o700)
    if os.geteuid() == 0:
        os.chown(path, slot.uid, slot.uid)
    return path


_header_lock = threading.Lock()


def _precompiled_header(*, support: LanguageSupport, slot: Slot) -> Path | None:
    """The language's precompiled-header directory, built in the sandbox on first use; None without one."""
    command = support.toolchain.precompiled_header
    if command is None:
        return None
    key = hashlib.sha256(f"{command}\0{Path(command[0]).stat().st_mtime}".encode()).hexdigest()[:16]
    target = slots.work_root() / f"pch-{support.language}-{key}"
    with _header_lock:
        if target.exists():
            return target
        with _workspace(slot) as workspace:
            build = _writable_build_dir(workspace / "build", slot=slot)
            bits = _writable_build_dir(build / "bits", slot=slot)
            jail = Jail(
                argv=list(command),
                src=workspace / "src",
                build=build,
                build_writable=True,
                cpu_ms=COMPILE_CPU_MS,
                wall_ms=COMPILE_WALL_MS,
                memory_bytes=COMPILE_MEMORY_MB << 20,
                pids=64,
                file_bytes=512 << 20,
                kill_on_output_limit=False,
            )
            outcome = sandbox.execute(jail=jail, slot=slot)
            if outcome.exit_code != 0 or not any(bits.iterdir()):
                logger.warning("precompiling a header failed: %s", outcome.stderr[-500:].decode(errors="replace"))
                return None
            _publish(build, target, prune=False)
    return target


def _compiler_message(outcome: Outcome) -> str:
    text = (outcome.stderr + outcome.stdout).decode(errors="replace").replace("/box/src/", "")
    if outcome.time_exceeded:
        return f"Compilation took longer than {COMPILE_CPU_MS // 1000} s.\n{text}"
    if outcome.oom_killed:
        return f"The compiler needed more than {COMPILE_MEMORY_MB} MB of memory.\n{text}"
    if outcome.signal == signal.SIGXFSZ or "File size limit exceeded" in text:
        return f"The compiler's output would be larger than {BUILD_MAX_MB} MB.\n{text}"
    return text


def _cache_root() -> Path:
    root = slots.work_root() / "cache"
    root.mkdir(mode=0o755, exist_ok=True)
    # The sandbox's uid reads builds through it: a mode narrowed since (an older remove_tree did) breaks every run.
    if root.stat().st_mode & 0o777 != 0o755:
        root.chmod(0o755)
    return root


def _tree_bytes(path: Path) -> int:
    """Disk bytes of the files under `path` (hard links and symlinks counted once, as themselves)."""
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(folder, name)).st_blocks * 512
    return total


def prune_cache(root: Path, *, keep: Path, max_entries: int = CACHE_ENTRIES, max_mb: int = CACHE_MAX_MB) -> None:
    """Deletes the least recently used builds until at most `max_entries` and `max_mb` remain (never `keep`)."""
    entries = []
    for path in root.iterdir():
        with contextlib.suppress(OSError):
            entries.append((path.stat().st_mtime, path, _tree_bytes(path)))
    entries.sort(key=lambda entry: entry[0])
    count, total = len(entries), sum(size for _, _, size in entries)
    for _, path, size in entries:
        if count <= max_entries and total <= max_mb << 20:
            return
        if path == keep:
            continue
        slots.remove_tree(path)
        count, total = count - 1, total - size


def _publish(build: Path, cached: Path, *, prune: bool = True) -> None:
    """Makes a fresh build read-only and root-owned, and files it in the artifact cache."""
    owner = os.lstat(build).st_uid
    for folder, _, files in os.walk(build):
        for path in [Path(folder)] + [Path(folder) / name for name in files]:
            status = os.lstat(path)
            # Only what the compile job created: never a symlink or a hard link to a host file.
            if (
                status.st_uid != owner
                or stat.S_ISLNK(status.st_mode)
                or (not stat.S_ISDIR(status.st_mode) and status.st_nlink > 1)
            ):
                path.unlink()
                continue
            if os.geteuid() == 0:
                os.lchown(path, 0, 0)
            path.chmod(0o755 if stat.S_ISDIR(status.st_mode) or status.st_mode & 0o100 else 0o644)
    try:
        build.rename(cached)
    except OSError:
        slots.remove_tree(build)  # another worker filed the same build first
    if prune:
        prune_cache(cached.parent, keep=cached)


def _run_jail(*, support: LanguageSupport, limits: Limits, workspace: Path, build: Path, stdin: Path) -> Jail:
    toolchain = support.toolchain
    memory_mb = limits.memory_mb
    return Jail(
        argv=toolchain.run(memory_mb),
        src=workspace / "src",
        build=build,
        env=toolchain.run_env(memory_mb),
        stdin=stdin,
        cpu_ms=limits.cpu_ms,
        wall_ms=limits.wall_limit_ms,
        memory_bytes=(memory_mb + toolchain.runtime_memory_mb) << 20,
        pids=toolchain.run_pids,
        address_space_bytes=(4 * memory_mb + 1024) << 20 if toolchain.address_space_limit else None,
        output_bytes=limits.output_kb * 1024,
    )


def _run_functions(
    *, submission: Submission, support: LanguageSupport, build: Path, workspace: Path, slot: Slot
) -> RunResult:
    assert submission.function is not None
    tests = submission.function_tests
    results: dict[int, TestResult] = {}
    printed = bytearray()
    next_case = 0
    while next_case < len(tests):
        if sum(r.verdict == Verdict.time_limit for r in results.values()) >= judging.MAX_TIME_LIMITS:
            judging.skip(submission=submission, results=results, start=next_case)
            break
        stdin = workspace / f"cases-{next_case}.txt"
        stdin.write_bytes(
            encode_cases(spec=submission.function, inputs=[t.input for t in tests[next_case:]], first=next_case)
        )
        jail = _run_jail(support=support, limits=submission.limits, workspace=workspace, build=build, stdin=stdin)
        outcome = sandbox.execute(jail=jail, slot=slot)
        _raise_if_sandbox_failed(outcome)
        printed += outcome.stdout
        report = protocol.parse(outcome.channel.decode(errors="replace"))
        if report.compile_error is not None:
            return judging.compilation_error(submission=submission, output=report.compile_error)
        for index, case in report.cases.items():
            if index < len(tests):
                results[index] = judging.judge_case(submission=submission, case=case, memory_kb=outcome.memory_kb)
        if report.fatal is not None:
            for index in range(next_case, len(tests)):
                results.setdefault(
                    index,
                    _failure(
                        submission=submission,
                        index=index,
                        outcome=outcome,
                        verdict=Verdict.runtime_error,
                        message=report.fatal,
                    ),
                )
            break
        failed = report.unfinished
        if failed is None:
            failed = next((i for i in range(next_case, len(tests)) if i not in results), None)
            if failed is None:
                break
            if not report.started:
                # It stopped before the first case (loading the code, starting the runtime): same for all.
                for index in range(next_case, len(tests)):
                    results[index] = _abnormal(submission=submission, index=index, outcome=outcome)
                break
        results[failed] = _abnormal(submission=submission, index=failed, outcome=outcome)
        next_case = failed + 1
    return judging.overall(submission=submission, results=results, stdout=bytes(printed))


def _run_stdio(
    *, submission: Submission, support: LanguageSupport, build: Path, workspace: Path, slot: Slot
) -> RunResult:
    results: dict[int, TestResult] = {}
    for index, test in enumerate(submission.stdio_tests):
        if sum(r.verdict == Verdict.time_limit for r in results.values()) >= judging.MAX_TIME_LIMITS:
            judging.skip(submission=submission, results=results, start=index)
            break
        stdin = workspace / f"stdin-{index}.txt"
        stdin.write_bytes(test.stdin.encode())
        jail = _run_jail(support=support, limits=submission.limits, workspace=workspace, build=build, stdin=stdin)
        outcome = sandbox.execute(jail=jail, slot=slot)
        _raise_if_sandbox_failed(outcome)
        if outcome.time_exceeded or outcome.oom_killed or outcome.output_exceeded or outcome.exit_code != 0:
            results[index] = _abnormal(submission=submission, index=index, outcome=outcome)
            continue
        actual = outcome.stdout.decode(errors="replace")
        accepted = judging.stdio_matches(expected=test.stdout, actual=actual, compare=submission.compare)
        result = TestResult(
            index=index,
            verdict=Verdict.accepted if accepted else Verdict.wrong_answer,
            hidden=test.hidden,
            time_ms=outcome.cpu_ms,
            memory_kb=outcome.memory_kb,
        )
        if not accepted and not test.hidden:
            result.input, result.expected, result.actual = test.stdin, test.stdout, actual
        results[index] = result
    return judging.overall(submission=submission, results=results, stdout=b"")


def _abnormal(*, submission: Submission, index: int, outcome: Outcome) -> TestResult:
    """The verdict of the test that was running when the process ended early."""
    stderr = outcome.stderr.decode(errors="replace")
    limits = submission.limits
    if outcome.output_exceeded:
        verdict, message = Verdict.output_limit, f"The program printed more than {limits.output_kb} KB."
    elif outcome.oom_killed or any(marker in stderr for marker in _OUT_OF_MEMORY):
        verdict, message = Verdict.memory_limit, f"The program used more than {limits.memory_mb} MB of memory."
    elif outcome.time_exceeded and outcome.memory_limit_hit:
        # At the cgroup limit without swap the kernel reclaims the program's own code pages and it thrashes.
        verdict, message = Verdict.memory_limit, f"The program used more than {limits.memory_mb} MB of memory."
    elif outcome.cpu_exceeded:
        verdict, message = Verdict.time_limit, f"The program used more than {limits.cpu_ms} ms of CPU time."
    elif outcome.wall_exceeded:
        verdict = Verdict.time_limit
        message = f"The program ran for more than {limits.wall_limit_ms} ms (waiting or sleeping counts here)."
    elif outcome.signal is not None:
        verdict, message = Verdict.runtime_error, f"The program was killed by {_signal_name(outcome.signal)}."
    elif outcome.exit_code:
        verdict, message = Verdict.runtime_error, f"The program exited with code {outcome.exit_code}."
    else:
        verdict, message = Verdict.runtime_error, "The program exited in the middle of the test."
    if outcome.pids_exhausted:
        message += " It tried to start more processes or threads than allowed."
    return _failure(submission=submission, index=index, outcome=outcome, verdict=verdict, message=message)


def _failure(*, submission: Submission, index: int, outcome: Outcome, verdict: Verdict, message: str) -> TestResult:
    hidden = submission.is_hidden(index)
    time_ms = submission.limits.cpu_ms if verdict == Verdict.time_limit else outcome.cpu_ms
    return TestResult(
        index=index,
        verdict=verdict,
        hidden=hidden,
        time_ms=time_ms,
        memory_kb=outcome.memory_kb,
        message=message,
        exit_code=outcome.exit_code,
        signal=outcome.signal,
        stderr=None if hidden else outcome.stderr.decode(errors="replace")[-judging.STDERR_TAIL :] or None,
    )


def _signal_name(number: int) -> str:
    try:
        return f"{signal.Signals(number).name} (signal {number})"
    except ValueError:
        return f"signal {number}"


def _raise_if_sandbox_failed(outcome: Outcome) -> None:
    """bwrap and the launcher say why they could not start the process; that is our failure, not the code's."""
    stderr = outcome.stderr.decode(errors="replace")
    launcher_failed = outcome.exit_code in (126, 127) and stderr.startswith(("setpriv:", "sh:"))
    if outcome.exit_code == 125 or ((launcher_failed or stderr.startswith("bwrap:")) and not outcome.channel):
        raise SandboxFailure(stderr.strip()[-500:] or "the sandbox launcher failed")


class SandboxRunner:
    """The local sandbox as a CodeRunner: worker slot N runs as the Nth uid this runner leased.

    Slots are leased on first use and held until `close`; with `first_uid`, slot N is exactly uid
    first_uid + N (refused if another server holds it), else the lowest free uids are taken.
    """

    def __init__(self, *, first_uid: int | None = None) -> None:
        self.first_uid = first_uid
        self._slots: dict[int, Slot] = {}
        self._lock = threading.Lock()

    def run(self, *, submission: Submission, slot: int = 0) -> RunResult:
        """Runs the submission in the sandbox on this worker slot."""
        return run(submission=submission, slot=self._slot(slot))

    def uid(self, slot: int) -> int:
        """The uid worker slot `slot` runs as (leasing it now if needed)."""
        return self._slot(slot).uid

    def close(self) -> None:
        """Empties and releases every leased slot."""
        with self._lock:
            leased, self._slots = list(self._slots.values()), {}
        for slot in leased:
            slots.release(slot)

    def _slot(self, index: int) -> Slot:
        with self._lock:
            if index not in self._slots:
                uid = None if self.first_uid is None else self.first_uid + index
                try:
                    self._slots[index] = slots.lease(uid=uid)
                except SandboxUnavailable as error:
                    logger.error("no sandbox slot for worker %d: %s", index, error.reason)
                    raise
            return self._slots[index]

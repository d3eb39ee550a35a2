"""Reads a CV in a child process under CPU, memory and wall-clock limits, so a hostile file costs seconds, not minutes.

A PDF of dense content streams can keep pypdf busy for many minutes, and a thread cannot be stopped: so each CV is
read by a fresh process (`python -m mockroom.cv.isolation`) that exits afterwards and is killed when it overruns.
One spare worker is kept started, its parsers already imported, so an upload does not wait for Python to start.
The child reads a header (CPU seconds, memory bytes, size) and the CV bytes on stdin and writes JSON on stdout.
"""

import atexit
import json
import logging
import math
import os
import resource
import struct
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from mockroom.cv.intake import CVError
from mockroom.cv.service import ParsedCV, intake

_HEADER = struct.Struct(">QQQ")
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
_HEADROOM_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What reading one CV may cost: CPU seconds, memory beyond what the worker had loaded, and seconds waited."""

    cpu_seconds: int = 4
    memory_bytes: int = 512 * 1024 * 1024
    wall_seconds: float = 8.0


LIMITS = Limits()


def read(*, data: bytes, limits: Limits = LIMITS) -> ParsedCV:
    """The parsed CV, read in a worker process; raises CVError, also when the file needs more than the limits."""
    worker = _spare.take()
    header = _HEADER.pack(limits.cpu_seconds, limits.memory_bytes, len(data))
    try:
        out, _ = worker.communicate(header + data, timeout=limits.wall_seconds)
    except subprocess.TimeoutExpired as error:
        raise _too_slow() from error
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()
    return _result(out=out, returncode=worker.returncode)


def _result(*, out: bytes, returncode: int) -> ParsedCV:
    """The worker's answer as a ParsedCV or a CVError."""
    if returncode < 0:  # killed by the kernel at the CPU limit (SIGXCPU, then SIGKILL)
        raise _too_slow()
    try:
        answer = json.loads(out)
        if "error" in answer:
            raise CVError(code=answer["error"]["code"], message=answer["error"]["message"])
        return ParsedCV.model_validate(answer["cv"])
    except (ValueError, KeyError, TypeError) as error:  # a worker that crashed wrote nothing usable
        logging.getLogger("mockroom.cv").warning("CV worker exited with status %s and no answer", returncode)
        raise CVError(
            code="cv_unreadable",
            message="Mockroom could not read this CV. Export it again as a PDF from your word processor, "
            "or upload it as .docx or .txt.",
        ) from error


def _too_slow() -> CVError:
    return CVError(
        code="cv_too_complex",
        message="This CV took too long to read, so Mockroom stopped. Export it again as a PDF from your word "
        "processor (not a scan or a printout of a printout), or upload it as .docx or .txt.",
    )


def _too_big() -> CVError:
    return CVError(
        code="cv_too_complex",
        message="This CV needs too much memory to read, so Mockroom stopped. Export it again as a PDF from your "
        "word processor without large images, or upload it as .docx or .txt.",
    )


def _start_worker() -> subprocess.Popen[bytes]:
    """A new worker, importing the parsers while it waits for a CV on stdin."""
    python_path = os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))
    return subprocess.Popen(
        [sys.executable, "-m", "mockroom.cv.isolation"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": python_path},
    )


class _Spare:
    """The one worker started ahead of need; each taken worker is replaced by a new one at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None

    def take(self) -> subprocess.Popen[bytes]:
        with self._lock:
            spare, self._process = self._process, _start_worker()
        return spare if spare is not None and spare.poll() is None else _start_worker()

    def close(self) -> None:
        with self._lock:
            spare, self._process = self._process, None
        if spare is not None:
            spare.kill()
            spare.communicate()


_spare = _Spare()
atexit.register(_spare.close)


def _apply_limits(*, cpu_seconds: int, memory_bytes: int) -> None:
    """Caps this process's CPU time (beyond what the imports used), address space and core dumps.

    The address-space hard limit sits a little above the soft one, so that after a MemoryError the worker can lift
    its own limit and still has room to say so.
    """
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = math.ceil(usage.ru_utime + usage.ru_stime) + cpu_seconds
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    with open("/proc/self/statm") as statm:
        loaded = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (loaded + memory_bytes, loaded + memory_bytes + _HEADROOM_BYTES))


def _lift_memory_limit() -> None:
    """Raises the address-space limit to its hard cap: the headroom a worker out of memory needs to answer."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def _serve_one() -> None:
    """The worker: reads one CV from stdin under the limits it is sent, writes the result to stdout, exits."""
    header = sys.stdin.buffer.read(_HEADER.size)
    if len(header) < _HEADER.size:  # the server stopped before sending a CV
        return
    cpu_seconds, memory_bytes, size = _HEADER.unpack(header)
    data = sys.stdin.buffer.read(size)
    out_of_memory = _error_answer(_too_big())
    # Only the result goes to the server's pipe; anything a parser prints goes where stderr goes.
    result_fd = os.dup(1)
    os.dup2(2, 1)
    _apply_limits(cpu_seconds=cpu_seconds, memory_bytes=memory_bytes)
    answer = out_of_memory
    try:
        answer = json.dumps({"cv": intake(data=data).model_dump(mode="json")}).encode()
    except CVError as error:
        answer = _error_answer(error)
    except MemoryError:
        _lift_memory_limit()
    with memoryview(answer) as rest:
        while rest:
            rest = rest[os.write(result_fd, rest):]
    # Leave without the interpreter's clean-up: after running out of memory it can fail and change the exit status.
    os._exit(0)


def _error_answer(error: CVError) -> bytes:
    """The worker's answer for a CV it could not read."""
    return json.dumps({"error": {"code": error.code, "message": error.message}}).encode()


if __name__ == "__main__":
    _serve_one()

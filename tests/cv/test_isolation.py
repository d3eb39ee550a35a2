"""CVs are read in a worker process with CPU, memory and wall-clock limits: a hostile PDF costs seconds, not minutes,
and ends in a clear error; ordinary CVs read exactly as in-process."""

import io
import resource
import subprocess
import sys
import time

import pytest
from pypdf import PdfReader
from tests.cv.hostile import hostile_pdf

from mockroom.cv import isolation
from mockroom.cv.intake import CVError
from mockroom.cv.service import intake

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[bytes]]:
    """Every worker process handed out during the test."""
    taken: list[subprocess.Popen[bytes]] = []
    take = isolation._spare.take

    def spy() -> subprocess.Popen[bytes]:
        taken.append(take())
        return taken[-1]

    monkeypatch.setattr(isolation._spare, "take", spy)
    return taken


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def test_the_hostile_pdf_is_a_real_many_page_pdf():
    data = hostile_pdf()
    assert len(PdfReader(io.BytesIO(data)).pages) == 49 and len(data) < 1024 * 1024


@pytest.mark.slow
def test_in_process_the_whole_of_it_would_take_ten_times_the_limit():
    started = time.process_time()
    PdfReader(io.BytesIO(hostile_pdf(pages=1))).pages[0].extract_text()
    one_page = time.process_time() - started
    assert one_page > 1 and 49 * one_page > 10 * isolation.LIMITS.cpu_seconds


def test_a_hostile_pdf_is_stopped_at_the_cpu_limit_with_a_clear_error(workers):
    cpu_before, started = _children_cpu_seconds(), time.monotonic()
    with pytest.raises(CVError) as caught:
        isolation.read(data=hostile_pdf())
    elapsed, cpu = time.monotonic() - started, _children_cpu_seconds() - cpu_before
    assert (caught.value.code, caught.value.status) == ("cv_too_complex", 422)
    assert caught.value.message.startswith("This CV took too long to read")
    # The limit is on the parse; the worker's imports (about a second) come on top.
    assert cpu < isolation.LIMITS.cpu_seconds + 3
    assert elapsed < isolation.LIMITS.wall_seconds + 2
    [worker] = workers
    assert worker.returncode is not None  # killed and reaped, not left running


def test_the_wall_clock_limit_kills_a_worker_that_hangs(monkeypatch, workers):
    hanging = isolation._Spare()
    monkeypatch.setattr(isolation, "_spare", hanging)
    monkeypatch.setattr(isolation, "_start_worker", lambda: subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    ))
    started = time.monotonic()
    with pytest.raises(CVError) as caught:
        isolation.read(data=b"Jane Doe, engineer", limits=isolation.Limits(wall_seconds=1))
    assert time.monotonic() - started < 3
    assert caught.value.code == "cv_too_complex"
    hanging.close()


def test_the_memory_limit_ends_in_a_clear_error_wherever_the_memory_runs_out():
    # Where in the parse the memory runs out differs by limit; before the worker kept headroom to answer, a third
    # of these limits ended with the worker dying silently (a 'could not read' error instead of this one).
    codes = []
    for megabytes in range(8, 56, 4):
        with pytest.raises(CVError) as caught:
            isolation.read(data=hostile_pdf(pages=1), limits=isolation.Limits(memory_bytes=megabytes * 1024 * 1024,
                                                                               cpu_seconds=30))
        assert "too much memory" in caught.value.message, megabytes
        codes.append((caught.value.code, caught.value.status))
    assert set(codes) == {("cv_too_complex", 422)}


def test_a_worker_that_dies_without_an_answer_is_a_422(monkeypatch):
    dying = isolation._Spare()
    monkeypatch.setattr(isolation, "_spare", dying)
    monkeypatch.setattr(isolation, "_start_worker", lambda: subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.buffer.read(); sys.exit(3)"], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    ))
    with pytest.raises(CVError) as caught:
        isolation.read(data=b"Jane Doe, engineer")
    assert (caught.value.code, caught.value.status) == ("cv_unreadable", 422)
    dying.close()


@pytest.mark.parametrize("fixture", ["pdf_cv", "docx_cv", "txt_cv", "md_cv"])
def test_a_worker_reads_a_cv_exactly_as_in_process(request, fixture):
    data = request.getfixturevalue(fixture)
    assert isolation.read(data=data) == intake(data=data)


@pytest.mark.parametrize(("data", "code", "status"), [(b"", "cv_empty", 422), (PNG, "cv_unsupported_type", 415)])
def test_intake_errors_come_back_from_the_worker_unchanged(data, code, status):
    with pytest.raises(CVError) as caught:
        isolation.read(data=data)
    assert (caught.value.code, caught.value.status) == (code, status)
    with pytest.raises(CVError) as in_process:
        intake(data=data)
    assert caught.value.message == in_process.value.message

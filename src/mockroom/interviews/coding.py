"""Live coding inside an interview: run or submit the candidate's code on the open problem.

The code and every result go into the transcript as the candidate's messages; a submission gets
the interviewer's follow-up. The runner (a pool of sandbox workers, or Judge0) is passed in. A run holds
the interview's lock from start to end, so the interview's turns never interleave, but no database
connection while the code runs: what the run needs is read in one short session, the code runs on the
pool, and the result is written in another.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal, Protocol

import anyio.to_thread

from mockroom.coding.problems.loader import load_problems, public_view, tests_for
from mockroom.coding.runner.judging import RUNNER_FAILED
from mockroom.coding.runner.languages import LANGUAGES, signature, starter_code
from mockroom.coding.runner.models import FunctionTest, Limits, RunResult, Submission, Verdict
from mockroom.core.errors import AppError
from mockroom.db.engine import Database
from mockroom.db.models import Interview, Message
from mockroom.interviews import conductor, service
from mockroom.vocabulary import AskedQuestion, CodeRun, ConductorState

LANGUAGE_NAMES = {
    "python": "Python", "javascript": "JavaScript", "c": "C", "cpp": "C++", "java": "Java", "go": "Go", "rust": "Rust",
}
# How long a run waits for the interview's other turn (an answer being replied to) before giving up.
LOCK_WAIT_SECONDS = 30.0
_running: set[str] = set()
_running_lock = threading.Lock()


class Runner(Protocol):
    """Runs a submission without blocking the event loop (a RunnerPool)."""

    async def submit(self, *, submission: Submission) -> RunResult:
        """The submission's result; RunnerBusy when the runner's queue is full."""
        ...


@dataclass(frozen=True)
class PendingRun:
    """A run read from the interview, before its code runs."""

    interview_id: str
    kind: Literal["run", "submit"]
    language: str
    code: str
    question_number: int
    submission: Submission


def _open_exercise(state: ConductorState) -> AskedQuestion:
    question = state.current
    if state.finished or question is None or question.coding is None:
        raise AppError(
            code="no_coding_exercise", message="There is no coding exercise open in this interview right now.",
            status=409,
        )
    return question


async def run_code(
    *, db: Database, runner: Runner, interview_id: str, language: str, code: str, kind: Literal["run", "submit"],
) -> tuple[RunResult, Message, Message | None]:
    """Runs the code on the visible tests (run) or on every test (submit) and records it.

    One run per interview at a time (a second gets 409 at once); RunnerBusy (429) when the runner is full.
    """
    if language not in LANGUAGES:
        raise AppError(code="unsupported_language", message=f"Choose one of: {', '.join(LANGUAGE_NAMES)}.",
                       status=422)
    with _only_run(interview_id):
        lock = service.locked(interview_id, db)
        if not await lock.acquire_within(LOCK_WAIT_SECONDS):
            raise AppError(
                code="interview_busy",
                message="The interview is still busy with your last message; run the code again in a moment.",
                status=409,
            )
        try:
            pending = await anyio.to_thread.run_sync(
                partial(prepare_run, db=db, interview_id=interview_id, language=language, code=code, kind=kind)
            )
            result = await runner.submit(submission=pending.submission)
            return await anyio.to_thread.run_sync(partial(record_run, db=db, pending=pending, result=result))
        finally:
            lock.release()


@contextmanager
def _only_run(interview_id: str) -> Iterator[None]:
    with _running_lock:
        if interview_id in _running:
            raise AppError(
                code="code_run_in_progress",
                message="Your last run is still going; wait for its result before running the code again.",
                status=409,
            )
        _running.add(interview_id)
    try:
        yield
    finally:
        with _running_lock:
            _running.discard(interview_id)


def prepare_run(
    *, db: Database, interview_id: str, language: str, code: str, kind: Literal["run", "submit"]
) -> PendingRun:
    """Reads the open exercise and makes the submission; the session is closed before any code runs."""
    with db.session() as session:
        interview = service.load_open(session, interview_id)
        question = _open_exercise(ConductorState.from_dict(interview.state))
        assert question.coding is not None
        problem = load_problems()[question.coding.problem_id]
    tests = tests_for(problem, include_hidden=kind == "submit")
    submission = Submission(
        language=language,  # type: ignore[arg-type]
        source=code,
        function=problem.function,
        function_tests=[FunctionTest(input=t.input, output=t.output, hidden=t.hidden) for t in tests],
        compare=problem.compare,
        limits=Limits(cpu_ms=problem.time_limit_ms),
    )
    return PendingRun(interview_id=interview_id, kind=kind, language=language, code=code,
                      question_number=question.number, submission=submission)


def record_run(*, db: Database, pending: PendingRun, result: RunResult) -> tuple[RunResult, Message, Message | None]:
    """Writes a finished run into the transcript, in a fresh session, with the interviewer's reply if any."""
    kind, language, code = pending.kind, pending.language, pending.code
    with db.session() as session:
        interview = service.load_open(session, pending.interview_id)
        state = ConductorState.from_dict(interview.state)
        if _open_exercise(state).number != pending.question_number:
            raise AppError(code="no_coding_exercise", message="The coding exercise closed while your code ran.",
                           status=409)
        total = len(result.tests)
        action = "Submitted" if kind == "submit" else "Ran"
        if result.verdict == Verdict.internal_error:
            # Our runner failed: say so, and never as a score of the candidate's code.
            summary = f"{action} {LANGUAGE_NAMES[language]} code: the code runner failed on our side, so no tests ran."
        else:
            summary = (
                f"{action} {LANGUAGE_NAMES[language]} code: "
                f"{result.passed}/{total} tests passed ({result.verdict.value.replace('_', ' ')})."
            )
        text = f"{summary}\n```{language}\n{code.rstrip()}\n```"
        meta = {"language": language, "verdict": result.verdict.value, "passed": result.passed, "total": total}
        candidate = service.add_message(session, interview, role="candidate", text=text, meta=meta,
                                        move=f"code_{kind}")
        session.flush()
        reply = conductor.record_code_run(
            state=state,
            run=CodeRun(kind=kind, language=language, passed=result.passed, total=total,
                        verdict=result.verdict.value, seq=candidate.seq, summary=summary),
            now=service.now(),
        )
        reply_message = None
        if reply is not None:
            reply_message = service.add_message(session, interview, role="interviewer", text=reply.text, reply=reply)
            session.flush()
        service.save_state(interview, state, last_seq=(reply_message or candidate).seq)
        session.commit()
        return _public_result(result), candidate, reply_message


def hint(*, db: Database, interview_id: str) -> tuple[Message, Message]:
    """The next hint of the open exercise, recorded in the transcript and counted."""
    with service.locked(interview_id, db), db.session() as session:
        interview = service.load_open(session, interview_id)
        state = ConductorState.from_dict(interview.state)
        _open_exercise(state)
        request = service.add_message(session, interview, role="candidate", text="(Asked for a hint.)",
                                      move="hint_request")
        session.flush()
        reply = conductor.give_hint(state=state)
        message = service.add_message(session, interview, role="interviewer", text=reply.text, reply=reply)
        session.flush()
        service.save_state(interview, state, last_seq=message.seq)
        session.commit()
        return request, message


def _public_result(result: RunResult) -> RunResult:
    """The result as the candidate may see it: hidden tests keep only their verdict and timing, and a failure
    of our runner only that it was ours (whatever a runner put in its message stays out)."""
    tests = [
        t.model_copy(update={"input": None, "expected": None, "actual": None, "stderr": None})
        if t.hidden else t
        for t in result.tests
    ]
    tests = [
        t.model_copy(update={"message": RUNNER_FAILED, "stderr": None}) if t.verdict == Verdict.internal_error else t
        for t in tests
    ]
    message = RUNNER_FAILED if result.verdict == Verdict.internal_error else result.message
    return result.model_copy(update={"tests": tests, "message": message})


def exercise_view(interview: Interview) -> dict[str, Any] | None:
    """The open (or last) coding exercise for the room: problem, starter code, runs and hints."""
    state = ConductorState.from_dict(interview.state)
    exercises = [q for q in state.questions if q.coding is not None]
    if not exercises:
        return None
    question = exercises[-1]
    assert question.coding is not None
    problem = load_problems()[question.coding.problem_id]
    return {
        "problem": public_view(problem).model_dump(mode="json"),
        "languages": [
            {"id": lang, "name": LANGUAGE_NAMES[lang], "signature": signature(spec=problem.function, language=lang),
             "starter_code": starter_code(spec=problem.function, language=lang)}
            for lang in LANGUAGE_NAMES
        ],
        "active": question is state.current and not state.finished,
        "hints_used": question.coding.hints,
        "hints_total": len(problem.hints),
        "runs": [
            {"kind": run.kind, "language": run.language, "passed": run.passed, "total": run.total,
             "verdict": run.verdict, "summary": run.summary}
            for run in question.coding.runs
        ],
    }

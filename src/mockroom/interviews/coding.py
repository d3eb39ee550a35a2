"""Live coding inside an interview: run or submit the candidate's code on the open problem.

The code and every result go into the transcript as the candidate's messages; a submission gets
the interviewer's follow-up. The runner itself (a sandbox pool or Judge0) is passed in.
"""

from collections.abc import Callable
from typing import Any, Literal

from mockroom.brains.base import Brain
from mockroom.coding.problems.loader import load_problems, public_view, tests_for
from mockroom.coding.runner.languages import LANGUAGES, signature, starter_code
from mockroom.coding.runner.models import FunctionTest, Limits, RunResult, Submission
from mockroom.core.errors import AppError
from mockroom.db.engine import Database
from mockroom.db.models import Interview, Message
from mockroom.interviews import conductor, service
from mockroom.vocabulary import AskedQuestion, CodeRun, ConductorState

Runner = Callable[[Submission], RunResult]
LANGUAGE_NAMES = {
    "python": "Python", "javascript": "JavaScript", "c": "C", "cpp": "C++", "java": "Java", "go": "Go", "rust": "Rust",
}


def _open_exercise(state: ConductorState) -> AskedQuestion:
    question = state.current
    if state.finished or question is None or question.coding is None:
        raise AppError(
            code="no_coding_exercise", message="There is no coding exercise open in this interview right now.",
            status=409,
        )
    return question


def run_code(
    *, db: Database, brain: Brain, runner: Runner, interview_id: str, language: str, code: str,
    kind: Literal["run", "submit"],
) -> tuple[RunResult, Message, Message | None]:
    """Runs the code on the visible tests (run) or on every test (submit) and records it."""
    if language not in LANGUAGES:
        raise AppError(code="unsupported_language", message=f"Choose one of: {', '.join(LANGUAGE_NAMES)}.",
                       status=422)
    with service.locked(interview_id), db.session() as session:
        interview = service.load_open(session, interview_id)
        state = ConductorState.from_dict(interview.state)
        question = _open_exercise(state)
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
        result = runner(submission)
        total = len(result.tests)
        action = "Submitted" if kind == "submit" else "Ran"
        if result.verdict.value == "internal_error":
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
    with service.locked(interview_id), db.session() as session:
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
    """The result as the candidate may see it: hidden tests keep only their verdict and timing."""
    tests = [
        t.model_copy(update={"input": None, "expected": None, "actual": None, "stderr": None})
        if t.hidden else t
        for t in result.tests
    ]
    return result.model_copy(update={"tests": tests})


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

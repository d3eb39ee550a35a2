"""The `mockroom` command: serve the app, practise in the terminal, print a report."""

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from mockroom.core.config import Settings, get_settings


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `mockroom` console script."""
    parser = argparse.ArgumentParser(prog="mockroom", description="Self-hostable AI mock interviews.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the server and web app")
    serve.add_argument("--host", default=None, help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8000)")
    serve.add_argument("--workers", type=int, default=1,
                       help="app processes sharing the port (default 1; more than one needs PostgreSQL)")

    practice = commands.add_parser("practice", help="run a whole interview in the terminal")
    practice.add_argument("--topic", required=True)
    practice.add_argument("--level", default="intermediate", choices=["beginner", "intermediate", "advanced"])
    practice.add_argument(
        "--kind", default="mixed", choices=["mixed", "technical", "behavioral", "coding", "system_design"]
    )
    practice.add_argument("--duration", type=int, default=25, help="minutes, 5-60")
    practice.add_argument("--cv", type=Path, help="a CV file (PDF, DOCX, TXT or Markdown)")
    practice.add_argument("--job-description", type=Path, help="a text file with the job description")
    practice.add_argument("--format", default="md", choices=["md", "json"], help="report format")

    report = commands.add_parser("report", help="print the report of an interview")
    report.add_argument("id")
    report.add_argument("--format", default="md", choices=["md", "json"])

    evaluate = commands.add_parser("eval", help="grade the interviewer with simulated candidates and an LLM judge")
    evaluate.add_argument("--topics", default="Python,SQL and databases", help="comma-separated topics")
    evaluate.add_argument("--level", default="intermediate", choices=["beginner", "intermediate", "advanced"])
    evaluate.add_argument("--duration", type=int, default=10, help="minutes per interview (5-60)")
    evaluate.add_argument("--candidate-model", default=None, help="model playing the candidates (default: same)")
    evaluate.add_argument("--judge-model", default=None, help="model judging the interviewer (default: same)")

    admin = commands.add_parser("admin", help="manage accounts from the server's shell")
    admin.add_argument("action", choices=["make-admin", "revoke-admin", "create-user"])
    admin.add_argument("email")
    admin.add_argument("--password", help="create-user: the password (else read from the MOCKROOM_NEW_PASSWORD "
                                          "environment variable)")

    runner = commands.add_parser("runner", help="run candidates' code from the Redis queue (MOCKROOM_CODE_QUEUE=redis)")
    runner.add_argument("--slots", type=int, default=None,
                        help="sandbox slots, so runs at once (default MOCKROOM_CODE_RUNNER_WORKERS, else one per core)")

    assessor_command = commands.add_parser("assessor", help="evaluate or retrain the learned answer assessor")
    assessor_command.add_argument("action", choices=["evaluate", "train"],
                                  help="evaluate: print held-out figures; train: refit weights.json on the corpus")
    assessor_command.add_argument("--json", action="store_true", help="evaluate: print the figures as JSON")

    args = parser.parse_args(argv)
    if args.command == "assessor":
        return _assessor(args)
    settings = get_settings()
    if args.command == "serve":
        return _serve(settings, host=args.host, port=args.port, workers=args.workers)
    if args.command == "admin":
        return _admin(settings, args)
    if args.command == "runner":
        return _runner(settings, args)
    if args.command == "practice":
        return _practice(settings, args)
    if args.command == "eval":
        return _eval(settings, args)
    return _report(settings, args.id, args.format)


def _assessor(args: argparse.Namespace) -> int:
    if args.action == "train":
        from mockroom.assessor.train import main as train

        return train([])
    from mockroom.assessor.evaluate import main as evaluate

    return evaluate(["--json"] if args.json else [])


def _runner(settings: Settings, args: argparse.Namespace) -> int:
    import logging

    from mockroom.coding.runner.worker import serve

    if args.slots is not None and args.slots < 1:
        print("mockroom runner: --slots must be at least 1.", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return serve(settings=settings, slots=args.slots)


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def worker_app() -> Any:
    """The app of one `serve --workers N` process, its settings read from the environment (uvicorn calls this)."""
    from mockroom.api.app import create_app
    from mockroom.api.observability import configure_logging
    from mockroom.api.security import redact_access_log

    settings = get_settings()
    configure_logging(settings)
    redact_access_log()
    return create_app(settings)


def _workers_can_share(settings: Settings, workers: int) -> bool:
    """Whether `workers` processes can serve together: they need PostgreSQL, whose locks and rows they share."""
    if workers < 1:
        print("mockroom serve: --workers must be at least 1.", file=sys.stderr)
        return False
    if workers > 1 and settings.resolved_database_url().startswith("sqlite"):
        print(
            f"Refusing to start {workers} workers on SQLite: it is one process's database. Set "
            "MOCKROOM_DATABASE_URL=postgresql+psycopg://USER:PASSWORD@HOST/DATABASE (and MOCKROOM_REDIS_URL=redis://HOST:6379/0 "
            "so every worker counts the same rate limits), or serve with --workers 1.",
            file=sys.stderr,
        )
        return False
    if workers > 1 and not settings.redis_url:
        print(f"MOCKROOM_REDIS_URL is not set: each of the {workers} workers counts rate limits on its own.",
              file=sys.stderr)
    return True


def _serve(settings: Settings, *, host: str | None, port: int | None, workers: int = 1) -> int:
    import uvicorn

    from mockroom.api.app import create_app

    address = host or settings.host
    if settings.auth == "local" and address not in LOOPBACK:
        print(
            f"Refusing to listen on {address} in local mode: anyone who reaches it could read every interview. "
            "Set MOCKROOM_AUTH=accounts (and MOCKROOM_ALLOWED_HOSTS to the names clients use), or listen on "
            "127.0.0.1.",
            file=sys.stderr,
        )
        return 2
    if not _workers_can_share(settings, workers):
        return 2
    if address not in LOOPBACK:
        settings = settings.model_copy(update={"allowed_hosts": [*settings.allowed_hosts, address]})
    from mockroom.api.observability import configure_logging
    from mockroom.api.security import redact_access_log

    configure_logging(settings)
    app: Any = "mockroom.cli:worker_app"
    if workers > 1:
        # Uvicorn starts workers from an import string; each builds its app from the environment, this host included.
        os.environ["MOCKROOM_HOST"] = address
    else:
        app = create_app(settings)
        redact_access_log()
    # Forwarded headers are the app's to believe (only from MOCKROOM_TRUSTED_PROXIES), not uvicorn's; log lines go
    # where configure_logging sends them (log_config=None keeps uvicorn from replacing it). On SIGTERM uvicorn stops
    # accepting, gives requests in flight the graceful timeout, then shuts the app down (voice calls hang up).
    uvicorn.run(app, factory=workers > 1, workers=workers, host=address, port=port or settings.port, log_level="info", log_config=None, proxy_headers=False,
                timeout_graceful_shutdown=settings.graceful_shutdown_seconds)
    return 0


def _admin(settings: Settings, args: argparse.Namespace) -> int:
    from mockroom.accounts import service as accounts
    from mockroom.accounts.schemas import normal_email
    from mockroom.core.errors import AppError
    from mockroom.db.engine import Database, migrate

    database = Database(settings.resolved_database_url())
    migrate(database.engine)
    try:
        email = normal_email(args.email)
        if args.action == "create-user":
            password = args.password or os.environ.get("MOCKROOM_NEW_PASSWORD", "")
            if len(password) < 8:
                print("Give a password of at least 8 characters (--password or MOCKROOM_NEW_PASSWORD).",
                      file=sys.stderr)
                return 2
            user = accounts.register(db=database, email=email, password=password, admin_if_first=False)
        else:
            user = accounts.set_role(db=database, email=email, role="admin" if args.action == "make-admin" else "user")
    except (AppError, ValueError) as error:
        print(getattr(error, "message", str(error)), file=sys.stderr)
        return 1
    print(f"{user.email}: {user.role}")
    return 0


def _practice(settings: Settings, args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from mockroom.brains.factory import brain_from_settings
    from mockroom.core.errors import AppError
    from mockroom.cv.intake import CVError
    from mockroom.cv.service import intake
    from mockroom.db.engine import Database, migrate
    from mockroom.interviews import service
    from mockroom.interviews.schemas import InterviewCreate
    from mockroom.reports.render import report_markdown

    interactive = sys.stdin.isatty()
    try:
        request = InterviewCreate(
            topic=args.topic, level=args.level, kind=args.kind, duration_minutes=args.duration,
            job_description=args.job_description.read_text(encoding="utf-8") if args.job_description else None,
        )
        cv = intake(data=args.cv.read_bytes()) if args.cv else None
    except (ValidationError, CVError, OSError) as error:
        print(f"mockroom: {getattr(error, 'message', error)}", file=sys.stderr)
        return 2
    database = Database(settings.resolved_database_url())
    migrate(database.engine)
    brain = brain_from_settings(settings)
    interview = service.create(db=database, brain=brain, request=request, cv=cv,
                               interviewer_name=settings.interviewer_name)
    for notice in interview.notices:
        print(f"[note] {notice}")
    for message in interview.messages:
        print(f"\nInterviewer: {message.text}")
    if interactive:
        print("\n(Type your answer and press Enter. /end finishes early.)")
    status = interview.status
    while status == "in_progress":
        if interactive:
            print("\nYou: ", end="", flush=True)
        line = sys.stdin.readline()
        if not line or line.strip() == "/end":
            break
        text = line.rstrip("\n")
        if not interactive:
            print(f"\nYou: {text}")
        try:
            result = service.answer(db=database, brain=brain, interview_id=interview.id, text=text)
        except AppError as error:
            print(f"mockroom: {error.message}", file=sys.stderr)
            break
        print(f"\nInterviewer: {result.reply.text}")
        status = result.interview.status
    finished = service.end(db=database, brain=brain, interview_id=interview.id)
    assert finished.report is not None
    print(f"\nInterview {finished.id} finished.\n")
    if args.format == "json":
        print(json.dumps(finished.report, indent=2))
    else:
        print(report_markdown(finished.report, topic=finished.topic))
    return 0


def _eval(settings: Settings, args: argparse.Namespace) -> int:
    from mockroom.brains.factory import brain_from_settings
    from mockroom.evals.harness import run_eval
    from mockroom.providers.llm import provider_from_settings
    from mockroom.providers.llm.base import ProviderError

    if settings.llm_provider in ("", "none"):
        print("mockroom: eval needs an LLM to play candidates and judge; set MOCKROOM_LLM_PROVIDER "
              "(openai, gemini or local) and its model.", file=sys.stderr)
        return 2
    try:
        candidate = provider_from_settings(settings.model_copy(update={"llm_model": args.candidate_model})
                                           if args.candidate_model else settings)
        judge = provider_from_settings(settings.model_copy(update={"llm_model": args.judge_model})
                                       if args.judge_model else settings)
    except ProviderError as error:
        print(f"mockroom: {error}", file=sys.stderr)
        return 2
    assert candidate is not None and judge is not None
    topics = [t.strip() for t in args.topics.split(",") if t.strip()]
    result = run_eval(
        brain=brain_from_settings(settings), candidate=candidate, judge=judge, topics=topics, level=args.level,
        duration_minutes=args.duration,
    )
    print(result.table())
    return 0


def _report(settings: Settings, interview_id: str, fmt: str) -> int:
    from mockroom.core.errors import AppError
    from mockroom.db.engine import Database, migrate
    from mockroom.interviews import service
    from mockroom.reports.render import report_markdown

    database = Database(settings.resolved_database_url())
    migrate(database.engine)
    try:
        report = service.report(db=database, interview_id=interview_id)
    except AppError as error:
        print(f"mockroom: {error.message}", file=sys.stderr)
        return 1
    print(json.dumps(report, indent=2) if fmt == "json" else report_markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())

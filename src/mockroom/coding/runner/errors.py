"""Errors of the code runner that reach the candidate as a sentence (the technical reason stays in the log)."""

from mockroom.core.errors import AppError


class SandboxUnavailable(AppError):
    """This machine cannot isolate untrusted code, so the runner refuses to run any (never runs it bare)."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            code="sandbox_unavailable",
            message="Code cannot run on this server right now, so nothing was run. This is on our side.",
            status=503,
        )
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class RunnerBusy(AppError):
    """Every worker is busy and the run queue is full; `retry_after` is a fair guess, in seconds, of when not."""

    def __init__(self, *, queued: int, retry_after: int) -> None:
        super().__init__(
            code="runner_busy",
            message=(
                f"The code runner is busy with {queued} other runs waiting, so your code was not run. "
                f"Please try again in about {retry_after} seconds."
            ),
            status=429,
        )
        self.retry_after = retry_after

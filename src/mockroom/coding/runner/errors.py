"""Errors of the code runner that reach the candidate as a sentence."""

from mockroom.core.errors import AppError


class SandboxUnavailable(AppError):
    """This machine cannot isolate untrusted code, so the runner refuses to run any (never runs it bare)."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            code="sandbox_unavailable",
            message=f"Code cannot run safely on this server: {reason}",
            status=503,
        )
        self.reason = reason


class RunnerBusy(AppError):
    """The run queue is full."""

    def __init__(self, queued: int) -> None:
        super().__init__(
            code="runner_busy",
            message=f"The code runner has {queued} runs waiting; try again in a few seconds.",
            status=429,
        )

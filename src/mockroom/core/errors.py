"""Errors the API turns into `{"error": {"code", "message"}}` with a 4xx status."""


class AppError(Exception):
    """A request Mockroom cannot serve, with a machine code and a sentence for the user."""

    def __init__(self, *, code: str, message: str, status: int = 400, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.headers = headers


def not_found(interview_id: str) -> AppError:
    return AppError(code="interview_not_found", message=f"No interview with id {interview_id!r}.", status=404)

"""What every hosted avatar adapter offers the voice pipeline, and the error that sends a call back to the local
avatar."""

from collections.abc import Awaitable, Callable
from typing import Protocol

from pipecat.processors.frame_processor import FrameProcessor

Lost = Callable[[str], Awaitable[None]]

# Each limit of a provider, said the way the candidate's room can show it.
_STATUS_REASONS = {
    401: "refused the API key",
    403: "refused the API key",
    402: "has no credit left on the account",
    429: "is over its rate or concurrency limit",
}


class AvatarError(RuntimeError):
    """The hosted avatar cannot serve this call. The message is safe to show and to log: never a key or a URL."""


def http_error(provider: str, status: int) -> AvatarError:
    """The error for an HTTP status the provider answered with."""
    reason = _STATUS_REASONS.get(status, f"answered HTTP {status}")
    return AvatarError(f"{provider} {reason}.")


class HostedAvatar(Protocol):
    """A pipecat video service for one call that joins its provider's room only when `connect()` is called.

    Placed after the text-to-speech in the pipeline, it takes the interviewer's audio frames (`TTSAudioRawFrame`)
    and pushes the avatar's video (`OutputImageRawFrame`) and voice (`SpeechOutputAudioRawFrame`) downstream.
    `disconnect()` ends the provider's session whatever state it is in, and may be called any number of times.
    `on_lost` is awaited with a reason when the provider drops the session mid-call.
    """

    provider: str
    label: str
    on_lost: Lost | None

    async def connect(self) -> None: ...

    async def disconnect(self) -> None: ...


def as_processor(avatar: HostedAvatar) -> FrameProcessor:
    """The avatar as the frame processor it is (every adapter subclasses a pipecat service)."""
    assert isinstance(avatar, FrameProcessor)
    return avatar

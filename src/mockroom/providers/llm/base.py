"""The LLM provider interface: one small, synchronous surface every vendor adapter implements.

An adapter only translates messages to its vendor's API and the vendor's failures to
`ProviderError`; retries with backoff, JSON checking, key redaction and call logging live
here so every vendor behaves alike. Calls are blocking because the conductor runs in a
worker thread.
"""

import json
import logging
import random
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Generator, Iterator, Mapping
from contextlib import closing, contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Literal, TypeVar

logger = logging.getLogger("mockroom.llm")

Role = Literal["system", "user", "assistant"]
ErrorKind = Literal["rate_limited", "server", "timeout", "bad_response", "auth", "config", "unavailable"]
RETRYABLE_KINDS: frozenset[ErrorKind] = frozenset({"rate_limited", "server", "timeout", "unavailable"})
REDACTED = "[redacted]"
_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)

T = TypeVar("T")


@dataclass
class ChatMessage:
    """One turn of a chat, as every vendor understands it."""

    role: Role
    content: str


@dataclass
class Completion:
    """A finished reply with what it cost; `latency_ms` is the whole call, retries included."""

    text: str
    model: str
    provider: str
    latency_ms: float
    input_tokens: int | None = None
    output_tokens: int | None = None


@dataclass
class Usage:
    """Token counts an adapter reports at the end of a stream."""

    input_tokens: int | None = None
    output_tokens: int | None = None


class TokenMeter:
    """Counts the tokens of every LLM call made while it is active (see `metered`)."""

    def __init__(self) -> None:
        self.tokens = 0


_meter: ContextVar[TokenMeter | None] = ContextVar("llm_token_meter", default=None)


@contextmanager
def metered() -> Iterator[TokenMeter]:
    """Counts the tokens of the LLM calls made inside the block, in this thread or task (for usage reports)."""
    meter = TokenMeter()
    token = _meter.set(meter)
    try:
        yield meter
    finally:
        _meter.reset(token)


Events = Generator[str | Usage, None, None]
"""What an adapter's stream yields: text deltas, and optionally a final `Usage`."""


class ProviderError(Exception):
    """A provider call that failed; the message is safe to show (it never contains a key)."""

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        retryable: bool | None = None,
        retry_after: float | None = None,
        status: int | None = None,
        output: str | None = None,
    ) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.message = message
        self.retryable = kind in RETRYABLE_KINDS if retryable is None else retryable
        self.retry_after = retry_after
        self.status = status
        # The model's reply when one arrived but was unusable (structured output that is not JSON),
        # so a caller can ask the model to repair it.
        self.output = output

    def __repr__(self) -> str:
        return f"ProviderError(kind={self.kind!r}, message={self.message!r}, retryable={self.retryable})"


@dataclass
class RetryPolicy:
    """How often and how long to wait before trying a failed call again."""

    max_retries: int = 2
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    max_retry_after: float = 30.0

    def delay(self, attempt: int, error: ProviderError) -> float | None:
        """Seconds to wait before retry number `attempt` (0-based), or None to give up."""
        if not error.retryable or attempt >= self.max_retries:
            return None
        if error.retry_after is not None:
            # A server asking for a longer pause than an interview can wait is a failure, not a retry.
            return error.retry_after if error.retry_after <= self.max_retry_after else None
        return random.uniform(0, min(self.backoff_max, self.backoff_base * 2**attempt))


@dataclass(frozen=True)
class ModelSpeed:
    """How fast a model runs on this machine, in tokens a second: reading the prompt, and writing the reply."""

    prompt_tokens_per_second: float
    generation_tokens_per_second: float

    def seconds(self, *, prompt_tokens: int, output_tokens: int) -> float:
        """The time one request of that size takes."""
        return prompt_tokens / self.prompt_tokens_per_second + output_tokens / self.generation_tokens_per_second


class LLMProvider(ABC):
    """A chat model behind one vendor's API: complete, stream, close.

    Subclasses implement `_complete` and `_stream`, raising `ProviderError` for every failure,
    and pass their secrets to `__init__` so they are scrubbed from every error message.
    """

    name: str
    model: str

    def __init__(
        self, *, model: str, timeout: float = 60.0, retry: RetryPolicy | None = None, secrets: tuple[str, ...] = ()
    ) -> None:
        self.model = model
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._secrets = tuple(secret for secret in secrets if secret)

    def measure_speed(self) -> ModelSpeed | None:
        """The model's speed on this machine, measured with a short request; None where it is not this machine's
        to measure (a hosted service, whose speed is its own and varies)."""
        return None

    def complete(
        self,
        messages: list[ChatMessage],
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int = 512,
        temperature: float = 0.3,
        deadline: float | None = None,
    ) -> Completion:
        """The whole reply; with `json_schema` the vendor's structured output and text that parses as JSON.

        With `deadline` (monotonic seconds) each attempt's timeout is cut to the time left, and no retry starts that
        could not finish before it (see `_with_retries`)."""
        started = time.perf_counter()
        try:
            completion = self._with_retries(
                lambda timeout: self._complete(
                    messages, json_schema=json_schema, max_tokens=max_tokens, temperature=temperature, timeout=timeout
                ),
                deadline,
            )
            if json_schema is not None:
                completion.text = _json_text(completion.text)
        except ProviderError as error:
            self._log("complete", started, error=error)
            raise
        completion.latency_ms = (time.perf_counter() - started) * 1000
        self._log("complete", started, usage=Usage(completion.input_tokens, completion.output_tokens))
        return completion

    def stream(
        self, messages: list[ChatMessage], *, max_tokens: int = 512, temperature: float = 0.3,
        deadline: float | None = None,
    ) -> Iterator[str]:
        """Text deltas as they arrive; a failure before the first delta is retried, one after it raises. With
        `deadline`, the whole stream must end before it, and a retry starts only if it could."""
        started = time.perf_counter()
        usage = Usage()
        first_ms: float | None = None
        attempt = 0
        try:
            while True:
                tried = time.monotonic()
                try:
                    timeout = _time_left(deadline)
                    with closing(self._guarded_stream(messages, max_tokens, temperature, timeout)) as events:
                        for event in events:
                            if isinstance(event, Usage):
                                usage = event
                            elif event:
                                if first_ms is None:
                                    first_ms = (time.perf_counter() - started) * 1000
                                yield event
                    break
                except ProviderError as error:
                    delay = None if first_ms is not None else self.retry.delay(attempt, error)
                    delay = _within(deadline, delay, time.monotonic() - tried)
                    if delay is None:
                        self._log("stream", started, error=error, first_ms=first_ms)
                        raise
                    self._log_retry("stream", attempt, delay, error)
                    time.sleep(delay)
                    attempt += 1
        except GeneratorExit:
            self._log("stream", started, usage=usage, first_ms=first_ms, outcome="stopped_by_caller")
            raise
        self._log("stream", started, usage=usage, first_ms=first_ms)

    @abstractmethod
    def close(self) -> None:
        """Release connections or the loaded model."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, model={self.model!r})"

    @abstractmethod
    def _complete(
        self, messages: list[ChatMessage], *, json_schema: dict[str, Any] | None, max_tokens: int, temperature: float,
        timeout: float | None,
    ) -> Completion:
        """One attempt at a whole reply; `timeout`, when given, is all the time it may take (else `self.timeout`)."""

    @abstractmethod
    def _stream(
        self, messages: list[ChatMessage], *, max_tokens: int, temperature: float, timeout: float | None
    ) -> Events:
        """One attempt at a streamed reply: text deltas, and optionally a final `Usage`; `timeout` as in
        `_complete`."""

    def _guarded_stream(
        self, messages: list[ChatMessage], max_tokens: int, temperature: float, timeout: float | None
    ) -> Events:
        events = self._stream(messages, max_tokens=max_tokens, temperature=temperature, timeout=timeout)
        with closing(events):
            try:
                yield from events
            except ProviderError as error:
                raise self._scrubbed(error) from None
            except Exception as error:
                raise self._unexpected(error) from None

    def _with_retries(self, call: Callable[[float | None], T], deadline: float | None) -> T:
        attempt = 0
        while True:
            tried = time.monotonic()
            try:
                try:
                    return call(_time_left(deadline))
                except ProviderError as error:
                    raise self._scrubbed(error) from None
                except Exception as error:
                    raise self._unexpected(error) from None
            except ProviderError as error:
                delay = _within(deadline, self.retry.delay(attempt, error), time.monotonic() - tried)
                if delay is None:
                    raise
                self._log_retry("complete", attempt, delay, error)
                time.sleep(delay)
                attempt += 1

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def _scrubbed(self, error: ProviderError) -> ProviderError:
        return ProviderError(
            error.kind,
            self._redact(error.message),
            retryable=error.retryable,
            retry_after=error.retry_after,
            status=error.status,
            output=None if error.output is None else self._redact(error.output),
        )

    def _unexpected(self, error: Exception) -> ProviderError:
        return ProviderError("bad_response", self._redact(f"{self.name}: unexpected {type(error).__name__}: {error}"))

    def _log(
        self,
        call: str,
        started: float,
        *,
        usage: Usage | None = None,
        error: ProviderError | None = None,
        first_ms: float | None = None,
        outcome: str = "ok",
    ) -> None:
        latency_ms = (time.perf_counter() - started) * 1000
        first = f" first_token_ms={first_ms:.0f}" if first_ms is not None else ""
        if error is None:
            usage = usage or Usage()
            meter = _meter.get()
            if meter is not None:
                meter.tokens += (usage.input_tokens or 0) + (usage.output_tokens or 0)
            logger.info(
                "llm %s provider=%s model=%s outcome=%s latency_ms=%.0f%s input_tokens=%s output_tokens=%s",
                call, self.name, self.model, outcome, latency_ms, first, usage.input_tokens, usage.output_tokens,
            )
        else:
            logger.warning(
                "llm %s provider=%s model=%s outcome=%s latency_ms=%.0f%s error=%s",
                call, self.name, self.model, error.kind, latency_ms, first, error.message,
            )

    def _log_retry(self, call: str, attempt: int, delay: float, error: ProviderError) -> None:
        logger.info(
            "llm %s provider=%s model=%s retry=%d after=%.2fs reason=%s",
            call, self.name, self.model, attempt + 1, delay, error.kind,
        )


def _time_left(deadline: float | None) -> float | None:
    """Seconds until the deadline (None without one); ProviderError(timeout) when it has passed."""
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise ProviderError("timeout", "No time left in the turn's budget for the model.", retryable=False)
    return left


def _within(deadline: float | None, delay: float | None, last_attempt: float) -> float | None:
    """The retry delay, or None when a retry would start too late: after the pause it needs at least as long as
    the attempt that just failed."""
    if delay is None or deadline is None:
        return delay
    return delay if time.monotonic() + delay + last_attempt < deadline else None


def _json_text(text: str) -> str:
    """The reply as JSON text, unwrapped from a Markdown code fence that servers without native schemas add."""
    fenced = _FENCE.match(text.strip())
    candidate = fenced.group(1) if fenced else text
    try:
        json.loads(candidate)
    except ValueError:
        raise ProviderError(
            "bad_response", f"Structured output is not valid JSON: {text[:120]!r}", output=text
        ) from None
    return candidate


def error_text(payload: Any, limit: int = 300) -> str:
    """The human part of a vendor's error body (`{"error": {"message": ...}}` and kin), shortened."""
    if isinstance(payload, dict):
        inner = payload.get("error", payload)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return str(inner["message"])[:limit]
        if isinstance(inner, str):
            return inner[:limit]
    return str(payload)[:limit]


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """The pause a 429 or 503 asks for: `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date."""
    if not headers:
        return None
    lowered = {key.lower(): value for key, value in headers.items()}
    if "retry-after-ms" in lowered:
        with suppress(ValueError):
            return max(0.0, float(lowered["retry-after-ms"]) / 1000)
    value = lowered.get("retry-after")
    if value is None:
        return None
    with suppress(ValueError):
        return max(0.0, float(value))
    with suppress(TypeError, ValueError):
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    return None

"""One candidate turn as the brain sees it: when it started, whether it is spoken, and which brain wrote each step.

The service opens a turn around each reply. The LLM brain gives every model call only the time left in the turn's
budget and notes each step's provenance here, so the reply's message can say which brain answered and why the
embedded brain stood in.
"""

import contextvars
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

# A typed or spoken reply of the interviewer, or the report written when the interview ends.
Mode = Literal["text", "voice", "report"]
BrainKind = Literal["model", "embedded"]
# Why the embedded brain answered a step the model was asked for.
FallbackReason = Literal["over_budget", "too_slow", "bad_json", "invalid_output", "provider_error"]

T = TypeVar("T")


@dataclass
class Step:
    """One brain call of a turn: its kind (question, follow_up, assess...), who answered, and why not the model."""

    kind: str
    brain: BrainKind
    reason: FallbackReason | None = None


@dataclass
class Turn:
    """The turn in progress; `started` is on the monotonic clock."""

    mode: Mode = "text"
    started: float = field(default_factory=time.monotonic)
    steps: list[Step] = field(default_factory=list)

    def provenance(self) -> dict[str, Any] | None:
        """What the reply's message records: the brain that wrote its text (the model only when every writing step
        was the model's), the first fallback reason, and each step; None when no brain was asked."""
        if not self.steps:
            return None
        writing = [step for step in self.steps if step.kind != "assess"]
        brain = "model" if writing and all(step.brain == "model" for step in writing) else "embedded"
        reason = next((step.reason for step in writing if step.reason), None)
        return {
            "brain": brain,
            "fallback_reason": reason,
            "steps": [{"kind": step.kind, "brain": step.brain, "reason": step.reason} for step in self.steps],
        }


class OverBudget(Exception):
    """The model did not finish inside the turn's budget; its result, when it comes, is dropped."""


_current: ContextVar[Turn | None] = ContextVar("brain_turn", default=None)


@contextmanager
def turn(mode: Mode = "text") -> Iterator[Turn]:
    """Opens a turn for the brain calls made inside the block (in this thread or task)."""
    opened = Turn(mode=mode)
    token = _current.set(opened)
    try:
        yield opened
    finally:
        _current.reset(token)


def current() -> Turn | None:
    """The turn in progress, or None outside one (the report, the CLI's tools)."""
    return _current.get()


def note(kind: str, brain: BrainKind, reason: FallbackReason | None = None) -> None:
    """Records a step's provenance in the turn in progress, if any."""
    opened = _current.get()
    if opened is not None:
        opened.steps.append(Step(kind=kind, brain=brain, reason=reason))


def run_until(deadline: float | None, call: Callable[[], T], *, on_abandon: Callable[[], None] | None = None) -> T:
    """The call's result, or OverBudget when it has not returned by `deadline` (monotonic seconds).

    The call runs on a daemon thread so a late model cannot hold the turn; `on_abandon` runs before OverBudget is
    raised, to cut the call off from anything it could still write to. Without a deadline the call runs here.
    """
    if deadline is None:
        return call()
    done = threading.Event()
    outcome: dict[str, Any] = {}
    context = contextvars.copy_context()

    def run() -> None:
        try:
            outcome["value"] = context.run(call)
        except BaseException as error:  # handed to the waiting thread, which re-raises it
            outcome["error"] = error
        finally:
            done.set()

    threading.Thread(target=run, name="mockroom-llm-step", daemon=True).start()
    if not done.wait(max(0.0, deadline - time.monotonic())):
        if on_abandon is not None:
            on_abandon()
        raise OverBudget
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value


class Gate:
    """Passes streamed text on until closed; once `close` returns, nothing more gets through."""

    def __init__(self, sink: Callable[[str], None]) -> None:
        self._sink = sink
        self._open = True
        self._lock = threading.Lock()

    def send(self, text: str) -> None:
        with self._lock:
            if self._open:
                self._sink(text)

    def close(self) -> None:
        with self._lock:
            self._open = False

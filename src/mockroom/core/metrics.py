"""The turn-time metric, shared by the HTTP routes and the voice pipeline (the rest of the metrics live with the
HTTP layer in `mockroom.api.observability`, which serves them all)."""

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Histogram

TURN_SECONDS = Histogram(
    "mockroom_turn_duration_seconds",
    "Time for the interviewer to take in one answer and reply (plain, streamed or spoken), counted for turns that "
    "succeed.",
    ["mode"], buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60),
)


@contextmanager
def timed_turn(mode: str) -> Iterator[None]:
    """Counts the block in `mockroom_turn_duration_seconds` when it ends without an error."""
    start = time.perf_counter()
    yield
    TURN_SECONDS.labels(mode=mode).observe(time.perf_counter() - start)

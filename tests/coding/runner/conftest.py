"""Fixtures for the runner's tests: a checked sandbox and a two-worker pool on it."""

import os
from collections.abc import Iterator

import pytest

from mockroom.coding.runner import RunnerPool, SandboxRunner, SandboxUnavailable, check_sandbox


@pytest.fixture(scope="session")
def sandbox() -> None:
    """Fails in CI (and skips elsewhere) when this machine cannot run the sandbox."""
    try:
        check_sandbox()
    except SandboxUnavailable as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(error.reason)


@pytest.fixture(scope="session")
def pool(sandbox: None) -> Iterator[RunnerPool]:
    """Two sandbox workers, so independent runs in a test overlap."""
    workers = RunnerPool(runner=SandboxRunner(), workers=2, max_queued=500)
    yield workers
    workers.shutdown()

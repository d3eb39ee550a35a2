"""Apps on SQLite for the operations tests, with any setting changed."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from mockroom.api.app import create_app
from mockroom.core.config import Settings


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[Callable[..., FastAPI]]:
    """Builds apps on one SQLite file; each is disposed of after the test."""
    apps: list[FastAPI] = []

    def make(**overrides: Any) -> FastAPI:
        chosen = {"data_dir": tmp_path, "database_url": f"sqlite:///{tmp_path / 'ops.db'}",
                  "web_dist": tmp_path / "no-web", "allowed_hosts": ["testserver"], **overrides}
        settings = Settings(**chosen)
        app = create_app(settings, warm=False)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.state.db.engine.dispose()

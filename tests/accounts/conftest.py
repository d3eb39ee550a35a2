"""An app in accounts mode, and helpers to register and sign in."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mockroom.api.app import create_app
from mockroom.core.config import Settings


@pytest.fixture
def accounts_settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(data_dir=tmp_path, database_url=database_url, web_dist=tmp_path / "no-web",
                    allowed_hosts=["testserver"], auth="accounts")


@pytest.fixture
def accounts_client(accounts_settings: Settings) -> Iterator[TestClient]:
    app = create_app(accounts_settings, warm=False)
    with TestClient(app) as client:
        yield client
    app.state.db.engine.dispose()


def sign_up(client: TestClient, email: str, password: str = "correct horse battery") -> dict[str, str]:
    """Registers and signs in; returns the bearer header."""
    assert client.post("/api/auth/register", json={"email": email, "password": password}).status_code == 201
    login = client.post("/api/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {login.json()['access_token']}"}

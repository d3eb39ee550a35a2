"""Liveness and readiness probes: no sign-in, the Host allow-list, and 503 naming what is not ready."""

import asyncio
import time

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from mockroom import __version__
from mockroom.api import readiness
from mockroom.db.engine import Database

NOWHERE_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"
NOWHERE_REDIS = "redis://127.0.0.1:1/0"


def test_live_and_ready_on_each_database(client):
    live = client.get("/api/health/live")
    assert live.status_code == 200 and live.json() == {"status": "ok", "version": __version__}
    ready = client.get("/api/health/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "redis": "not configured"}}
    assert client.get("/api/health").json()["status"] == "ok"


def test_probes_need_no_sign_in_in_accounts_mode_but_pass_the_host_check(make_app):
    with TestClient(make_app(auth="accounts")) as client:
        assert client.get("/api/interviews").status_code == 401
        assert client.get("/api/health/live").status_code == 200
        assert client.get("/api/health/ready").status_code == 200
        foreign = client.get("/api/health/ready", headers={"host": "evil.example"})
        assert foreign.status_code == 400 and foreign.json()["error"]["code"] == "host_not_allowed"


def test_ready_is_503_when_the_database_is_unreachable(make_app):
    app = make_app()
    working = app.state.db
    app.state.db = Database(NOWHERE_POSTGRES)
    try:
        with TestClient(app) as client:
            response = client.get("/api/health/ready")
            assert client.get("/api/health/live").status_code == 200
    finally:
        app.state.db.engine.dispose()
        app.state.db = working
    assert response.status_code == 503
    body = response.json()
    assert body == {"status": "not_ready", "checks": {"database": "unreachable", "redis": "not configured"}}
    assert "127.0.0.1" not in response.text  # no connection details for an unauthenticated caller


def test_ready_is_503_while_migrations_are_pending(make_app):
    app = make_app()
    with app.state.db.engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = 'old0001'"))
    with TestClient(app) as client:
        response = client.get("/api/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "migrations pending (at old0001)"


def test_ready_is_503_when_redis_is_configured_but_down(make_app):
    with TestClient(make_app(redis_url=NOWHERE_REDIS, readiness_timeout_seconds=1.0)) as client:
        response = client.get("/api/health/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "not_ready", "checks": {"database": "ok", "redis": "unreachable"}}


def test_ready_checks_a_running_redis(make_app):
    try:
        readiness.redis_check("redis://127.0.0.1:6379/0", 1.0)()
    except readiness.NotReady:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    with TestClient(make_app(redis_url="redis://127.0.0.1:6379/0")) as client:
        response = client.get("/api/health/ready")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


def test_a_check_that_hangs_is_reported_after_the_timeout():
    def hangs() -> str:
        time.sleep(1.0)
        return "ok"

    started = time.perf_counter()
    results = asyncio.run(readiness.run_checks({"database": hangs, "redis": lambda: "ok"}, timeout=0.1))
    assert results == {"database": "no answer within 0.1 s", "redis": "ok"}
    assert time.perf_counter() - started < 0.9

"""A PostgreSQL outage or restart and a Redis outage, seen by a running app: clear 503s while the database is away,
no 500s, nothing lost, and turns going on by themselves once it is back."""

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from tests.conftest import empty_postgres

from mockroom.api.app import create_app
from mockroom.core.config import Settings

pytestmark = pytest.mark.postgres


class CuttableProxy:
    """A TCP proxy to PostgreSQL on a port of its own: `cut()` drops every connection and refuses new ones (the
    server is down or restarting), `restore()` accepts again on the same port."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._sockets: list[socket.socket] = []
        self._guard = threading.Lock()
        self._listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._guard:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._guard:
                self._sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def proxied(postgres_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, CuttableProxy]]:
    url = sa.make_url(postgres_url)
    empty_postgres(postgres_url)
    proxy = CuttableProxy((url.host or "127.0.0.1", url.port or 5432))
    through = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    app = create_app(Settings(data_dir=tmp_path, database_url=through, web_dist=tmp_path / "no-web",
                              allowed_hosts=["testserver"], rate_limits_enabled=False))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, proxy
    proxy.cut()
    app.state.db.engine.dispose()


def _start(client: TestClient) -> str:
    response = client.post("/api/interviews", json={"topic": "Python", "level": "intermediate"})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _answer(client: TestClient, iid: str, text: str) -> int:
    return client.post(f"/api/interviews/{iid}/answer", json={"text": text}).status_code


def test_while_postgres_is_away_requests_get_a_clear_503_and_turns_go_on_once_it_is_back(proxied) -> None:
    client, proxy = proxied
    iid = _start(client)
    assert _answer(client, iid, "I built a job queue on PostgreSQL with SKIP LOCKED and retries.") == 200

    proxy.cut()
    refused = [client.post(f"/api/interviews/{iid}/answer", json={"text": "An answer sent while it is down."})
               for _ in range(3)]
    refused.append(client.get(f"/api/interviews/{iid}"))
    assert [r.status_code for r in refused] == [503] * 4, [r.text for r in refused]
    assert {r.json()["error"]["code"] for r in refused} == {"database_unavailable"}
    assert all(r.headers.get("retry-after") == "5" for r in refused)

    proxy.restore()
    assert _answer(client, iid, "Each job row is locked by the worker that takes it, so no two run it.") == 200
    texts = [m["text"] for m in client.get(f"/api/interviews/{iid}").json()["messages"] if m["role"] == "candidate"]
    assert texts == [
        "I built a job queue on PostgreSQL with SKIP LOCKED and retries.",
        "Each job row is locked by the worker that takes it, so no two run it.",
    ], "the answers before and after the outage are kept, and none sent during it half-stored"


def test_a_postgres_restart_that_drops_every_connection_costs_no_request(proxied, postgres_url: str) -> None:
    client, _ = proxied
    iid = _start(client)
    name = sa.make_url(postgres_url).database
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
    admin.dispose()
    # The pool's connections are dead; each is checked before use and replaced.
    assert _answer(client, iid, "I would add an index on the foreign key.") == 200
    assert client.get(f"/api/interviews/{iid}").status_code == 200


def test_a_redis_outage_leaves_interviews_working(postgres_url: str, tmp_path: Path) -> None:
    dead = socket.socket()
    dead.bind(("127.0.0.1", 0))
    port = dead.getsockname()[1]
    dead.close()  # nothing listens there: Redis is down
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'm.db'}",
                              web_dist=tmp_path / "no-web", allowed_hosts=["testserver"],
                              redis_url=f"redis://127.0.0.1:{port}/0"))
    with TestClient(app, raise_server_exceptions=False) as client:
        iid = _start(client)
        assert _answer(client, iid, "I would cache the hot keys with a TTL.") == 200
        ready = client.get("/api/health/ready")
        assert ready.status_code == 503 and ready.json()["checks"]["redis"] != "ok"
    app.state.db.engine.dispose()

"""Rate limits through the HTTP API: every limited route answers 429 with Retry-After once its budget is spent,
budgets are per account, per address (behind trusted proxies only) and per e-mail, failed sign-ins lock an e-mail
out for longer each time until a sign-in succeeds, and two servers on one Redis share one budget."""

import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import limits.storage.memory
import pytest
import redis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.accounts.conftest import sign_up

from mockroom.api import limits as rate_limits
from mockroom.api.app import create_app
from mockroom.core.config import Settings

REDIS_URL = "redis://127.0.0.1:6379/0"
PASSWORD = "correct horse battery"
CV = ("cv.txt", b"Ada Lovelace\nBackend engineer\n\nExperience\nBuilt payment APIs in Python at a bank.\n",
      "text/plain")
MakeClient = Callable[..., TestClient]


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[MakeClient]:
    """Clients of apps with rate limits on (every limit generous unless the test sets it), on one SQLite file;
    `app` puts a second client, from another address, on an app made before."""
    apps: list[FastAPI] = []

    def make(*, address: str = "testclient", app: FastAPI | None = None, **overrides: Any) -> TestClient:
        if app is None:
            settings = Settings(**{
                "data_dir": tmp_path, "database_url": f"sqlite:///{tmp_path / 'mockroom.db'}",
                "web_dist": tmp_path / "no-web", "allowed_hosts": ["testserver"], "rate_limits_enabled": True,
                "redis_url": "", "trusted_proxies": [],
                **{name: "1000/hour" for name in Settings.model_fields if name.startswith("rate_limit_")},
                **overrides,
            })
            app = create_app(settings, warm=False)
            apps.append(app)
        return TestClient(app, client=(address, 50000))

    yield make
    for app in apps:
        app.state.db.engine.dispose()


def assert_limited(response: Any) -> int:
    """The response is the 429 refusal; returns its Retry-After."""
    assert response.status_code == 429, response.text
    error = response.json()["error"]
    assert error["code"] == "rate_limited" and "try again in" in error["message"]
    retry_after = int(response.headers["Retry-After"])
    assert retry_after >= 1
    return retry_after


def start(client: TestClient, headers: dict[str, str] | None = None) -> Any:
    return client.post("/api/interviews", json={"topic": "Python"}, headers=headers)


def test_interview_starts_are_limited_per_account(make_client: MakeClient):
    client = make_client(rate_limit_interview_start_per_user="2/hour")
    assert start(client).status_code == start(client).status_code == 201
    retry_after = assert_limited(start(client))
    assert 3500 <= retry_after <= 3600
    assert "interviews started on this account" in start(client).json()["error"]["message"]


def test_separate_accounts_do_not_share_a_budget(make_client: MakeClient):
    client = make_client(auth="accounts", rate_limit_interview_start_per_user="1/hour")
    ada, bob = sign_up(client, "ada@example.com"), sign_up(client, "bob@example.com")
    assert start(client, ada).status_code == 201
    assert_limited(start(client, ada))
    assert start(client, bob).status_code == 201
    assert_limited(start(client, bob))


def test_interview_starts_are_limited_per_address_across_accounts(make_client: MakeClient):
    client = make_client(auth="accounts", rate_limit_interview_start_per_ip="2/hour")
    ada, bob = sign_up(client, "ada@example.com"), sign_up(client, "bob@example.com")
    assert start(client, ada).status_code == start(client, bob).status_code == 201
    assert "from this address" in start(client, bob).json()["error"]["message"]
    elsewhere = make_client(app=client.app, address="198.51.100.7")
    assert start(elsewhere, bob).status_code == 201


def test_answers_plain_and_streamed_share_one_budget(make_client: MakeClient):
    client = make_client(rate_limit_answer_per_user="2/minute")
    iid = start(client).json()["id"]
    body = {"text": "I build payment APIs in Python with FastAPI and PostgreSQL."}
    assert client.post(f"/api/interviews/{iid}/answer", json=body).status_code == 200
    assert client.post(f"/api/interviews/{iid}/answer/stream", json=body).status_code == 200
    assert 1 <= assert_limited(client.post(f"/api/interviews/{iid}/answer", json=body)) <= 60
    assert_limited(client.post(f"/api/interviews/{iid}/answer/stream", json=body))


def test_code_runs_submissions_and_hints_share_one_budget(make_client: MakeClient):
    client = make_client(rate_limit_code_run_per_user="2/minute")
    iid = start(client).json()["id"]
    code = {"language": "cobol", "code": "DISPLAY 'HI'."}
    # The limit counts a request before the route looks at it, so refused languages spend the budget too.
    assert client.post(f"/api/interviews/{iid}/code/run", json=code).status_code == 422
    assert client.post(f"/api/interviews/{iid}/code/submit", json=code).status_code == 422
    assert_limited(client.post(f"/api/interviews/{iid}/code/hint"))
    assert_limited(client.post(f"/api/interviews/{iid}/code/run", json=code))


def test_cv_previews_are_limited(make_client: MakeClient):
    client = make_client(rate_limit_cv_parse_per_user="1/hour")
    assert client.post("/api/cv/parse", files={"cv": CV}).status_code == 200
    assert_limited(client.post("/api/cv/parse", files={"cv": CV}))


def test_voice_offers_are_limited(make_client: MakeClient):
    client = make_client(rate_limit_voice_offer_per_user="1/hour")
    iid = start(client).json()["id"]
    assert client.post(f"/api/interviews/{iid}/voice/offer", json={"sdp": "not an offer"}).status_code == 422
    assert_limited(client.post(f"/api/interviews/{iid}/voice/offer", json={"sdp": "not an offer"}))


def test_registrations_and_sign_ins_are_limited_per_address(make_client: MakeClient):
    client = make_client(auth="accounts", rate_limit_sign_in_per_ip="2/15 minutes")
    credentials = {"email": "ada@example.com", "password": PASSWORD}
    assert client.post("/api/auth/register", json=credentials).status_code == 201
    assert client.post("/api/auth/login", json=credentials).status_code == 200
    assert 800 <= assert_limited(client.post("/api/auth/login", json=credentials)) <= 900
    assert_limited(client.post("/api/auth/register", json={**credentials, "email": "bob@example.com"}))
    elsewhere = make_client(app=client.app, address="198.51.100.7")
    assert elsewhere.post("/api/auth/login", json=credentials).status_code == 200


def test_sign_ins_are_limited_per_email(make_client: MakeClient):
    client = make_client(auth="accounts", rate_limit_sign_in_per_email="2/15 minutes")
    for email in ("ada@example.com", "bob@example.com"):
        client.post("/api/auth/register", json={"email": email, "password": PASSWORD})
    for _ in range(2):
        assert client.post("/api/auth/login", json={"email": "ada@example.com", "password": PASSWORD}).status_code == 200
    limited = client.post("/api/auth/login", json={"email": " ADA@example.com", "password": PASSWORD})
    assert "for this e-mail" in limited.json()["error"]["message"]
    assert_limited(limited)
    assert client.post("/api/auth/login", json={"email": "bob@example.com", "password": PASSWORD}).status_code == 200


class Clock:
    """A clock the limits read instead of the real one, moved on by the test."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now


def test_failed_sign_ins_lock_the_email_out_for_longer_each_time_until_one_succeeds(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
):
    clock = Clock()
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    monkeypatch.setattr(rate_limits, "time", clock)
    client = make_client(auth="accounts", sign_in_lockout_after_failures=3, sign_in_lockout_seconds=30,
                         sign_in_lockout_max_seconds=100)
    client.post("/api/auth/register", json={"email": "ada@example.com", "password": PASSWORD})
    client.post("/api/auth/register", json={"email": "bob@example.com", "password": PASSWORD})

    def login(password: str, email: str = "ada@example.com") -> Any:
        return client.post("/api/auth/login", json={"email": email, "password": password})

    for _ in range(2):
        assert login("wrong password").status_code == 401
    assert login(PASSWORD).status_code == 200  # two failures: no lockout yet, and a success resets the count
    for _ in range(2):
        assert login("wrong password").status_code == 401
    assert login("wrong password").status_code == 401  # the third failure in a row locks the e-mail out
    waits = [assert_limited(login(PASSWORD))]  # even the right password is refused while locked out
    for _ in range(3):
        clock.now += waits[-1] + 0.5
        assert login("wrong password").status_code == 401
        waits.append(assert_limited(login("wrong password")))
    assert waits == [30, 60, 100, 100]
    assert "failed sign-ins for this e-mail" in login(PASSWORD).json()["error"]["message"]
    assert login(PASSWORD, "bob@example.com").status_code == 200  # another e-mail is not locked out
    unknown = [login("wrong password", "nobody@example.com").status_code for _ in range(4)]
    assert unknown == [401, 401, 401, 429]  # unknown e-mails lock out alike, so lockouts reveal no accounts

    clock.now += 100.5
    assert login(PASSWORD).status_code == 200
    for _ in range(2):
        assert login("wrong password").status_code == 401
    assert login(PASSWORD).status_code == 200


def test_forwarded_addresses_count_only_from_trusted_proxies(make_client: MakeClient):
    proxied = make_client(address="10.0.0.2", trusted_proxies=["10.0.0.0/24"], rate_limit_interview_start_per_ip="1/hour")

    def start_for(client: TestClient, address: str) -> int:
        return client.post("/api/interviews", json={"topic": "Python"},
                           headers={"X-Forwarded-For": f"{address}, 10.0.0.3"}).status_code

    assert start_for(proxied, "203.0.113.1") == 201
    assert start_for(proxied, "203.0.113.1") == 429
    assert start_for(proxied, "203.0.113.2") == 201
    direct = make_client(app=proxied.app, address="198.51.100.9")
    assert start_for(direct, "203.0.113.1") == 201
    assert start_for(direct, "203.0.113.2") == 429  # a client that is no proxy cannot pick its own address


def test_limits_can_be_turned_off(make_client: MakeClient):
    client = make_client(rate_limits_enabled=False, rate_limit_interview_start_per_user="1/hour",
                         rate_limit_interview_start_per_ip="1/hour")
    assert [start(client).status_code for _ in range(3)] == [201, 201, 201]


def test_an_unreachable_redis_lets_requests_through(make_client: MakeClient, caplog: pytest.LogCaptureFixture):
    client = make_client(redis_url=f"redis://127.0.0.1:{closed_port()}/0", rate_limit_interview_start_per_user="1/hour")
    assert [start(client).status_code for _ in range(2)] == [201, 201]
    assert "rate-limit store unavailable, request let through" in caplog.text


def test_openapi_documents_429_on_limited_routes_only(make_client: MakeClient):
    paths = make_client().get("/openapi.json").json()["paths"]
    limited = [("/api/interviews", "post"), ("/api/interviews/{interview_id}/answer", "post"),
               ("/api/interviews/{interview_id}/answer/stream", "post"),
               ("/api/interviews/{interview_id}/code/run", "post"), ("/api/interviews/{interview_id}/code/submit",
                                                                     "post"),
               ("/api/interviews/{interview_id}/code/hint", "post"), ("/api/cv/parse", "post"),
               ("/api/interviews/{interview_id}/voice/offer", "post"), ("/api/auth/login", "post"),
               ("/api/auth/register", "post")]
    for path, method in limited:
        assert "429" in paths[path][method]["responses"], path
    assert "Retry-After" in paths["/api/interviews"]["post"]["responses"]["429"]["headers"]
    assert "429" not in paths["/api/interviews"]["get"]["responses"]
    assert "429" not in paths["/api/interviews/{interview_id}/end"]["post"]["responses"]


def closed_port() -> int:
    """A local TCP port that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url() -> str:
    """The local Redis server, started the way scripts/services.sh starts it when it is installed but stopped."""
    if not _redis_answers() and shutil.which("redis-server"):
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
                        "--save", "", "--appendonly", "no"], check=False, capture_output=True, timeout=30)
        for _ in range(50):
            if _redis_answers():
                break
            time.sleep(0.1)
    if not _redis_answers():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL} and could not be started")
        pytest.skip(f"Redis is not reachable at {REDIS_URL} and redis-server could not be started here")
    return REDIS_URL


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def test_two_servers_on_one_redis_share_one_budget(make_client: MakeClient, redis_url: str):
    # A fresh address per run, so counts other runs left in Redis do not matter.
    address = f"198.18.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"
    shared = {"redis_url": redis_url, "address": address, "rate_limit_interview_start_per_user": "3/hour",
              "rate_limit_interview_start_per_ip": "1000/hour"}
    first, second = make_client(**shared), make_client(**shared)
    assert [start(first).status_code, start(second).status_code, start(first).status_code] == [201, 201, 201]
    assert_limited(start(second))
    assert_limited(start(first))
    stored = redis.Redis.from_url(redis_url).keys("mockroom:*interview_start_per_user*")
    assert stored, "the counts live in Redis"


def test_a_lockout_on_one_server_holds_on_another_through_redis(make_client: MakeClient, redis_url: str):
    shared = {"auth": "accounts", "redis_url": redis_url, "sign_in_lockout_after_failures": 2}
    first, second = make_client(**shared), make_client(**shared)
    email = f"nobody-{secrets.token_hex(6)}@example.com"
    wrong = {"email": email, "password": "wrong password"}
    assert first.post("/api/auth/login", json=wrong).status_code == 401
    assert second.post("/api/auth/login", json=wrong).status_code == 401
    assert 29 <= assert_limited(first.post("/api/auth/login", json=wrong)) <= 30
    assert_limited(second.post("/api/auth/login", json=wrong))
    keys = redis.Redis.from_url(redis_url).keys("mockroom:sign-in-*")
    assert keys and not any(email.encode() in key for key in keys)  # the store holds no e-mail address

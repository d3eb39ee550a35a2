"""Accounts through the HTTP API: register, sign in, bearer and cookie sessions with CSRF, password change,
export, deletion, admin, and the guards on hosts and cross-site requests."""

from fastapi.testclient import TestClient
from tests.accounts.conftest import sign_up

PASSWORD = "correct horse battery"


def test_register_login_me_logout(accounts_client: TestClient):
    client = accounts_client
    registered = client.post("/api/auth/register", json={"email": " Ada@Example.com ", "password": PASSWORD})
    assert registered.status_code == 201
    user = registered.json()["user"]
    assert user["email"] == "ada@example.com" and user["role"] == "admin"  # the first account
    assert "argon2" not in registered.text and "hash" not in registered.text
    duplicate = client.post("/api/auth/register", json={"email": "ada@example.com", "password": PASSWORD})
    assert duplicate.status_code == 409 and duplicate.json()["error"]["code"] == "email_taken"

    login = client.post("/api/auth/login", json={"email": "ada@example.com", "password": PASSWORD})
    assert login.status_code == 200
    body = login.json()
    assert body["token_type"] == "bearer" and len(body["access_token"]) >= 40
    cookie = login.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookie if c.startswith("mockroom_session="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie and "Max-Age" in session_cookie
    client.cookies.clear()

    bearer = {"Authorization": f"Bearer {body['access_token']}"}
    me = client.get("/api/auth/me", headers=bearer)
    assert me.status_code == 200 and me.json()["user"]["email"] == "ada@example.com"
    assert me.json()["mode"] == "accounts"
    assert client.post("/api/auth/logout", headers=bearer).status_code == 204
    assert client.get("/api/auth/me", headers=bearer).status_code == 401


def test_without_credentials_everything_but_health_and_sign_in_is_401(accounts_client: TestClient):
    client = accounts_client
    assert client.get("/api/health").status_code == 200
    for method, path in (("get", "/api/interviews"), ("post", "/api/interviews"), ("get", "/api/auth/me"),
                         ("get", "/api/interviews/abc"), ("post", "/api/interviews/abc/answer"),
                         ("get", "/api/admin/users"), ("get", "/api/voice")):
        response = getattr(client, method)(path, json={"topic": "Python"} if method == "post" else None) \
            if method == "post" else client.get(path)
        assert response.status_code == 401, (method, path, response.text)
        assert response.json()["error"]["code"] == "unauthenticated"
    bad = client.get("/api/interviews", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401


def test_wrong_password_and_unknown_email_look_the_same(accounts_client: TestClient):
    sign_up(accounts_client, "ada@example.com")
    wrong = accounts_client.post("/api/auth/login", json={"email": "ada@example.com", "password": "wrong password"})
    unknown = accounts_client.post("/api/auth/login", json={"email": "bob@example.com", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_bad_input_gets_422(accounts_client: TestClient):
    for body in ({"email": "not-an-email", "password": PASSWORD}, {"email": "a@b.co", "password": "short"},
                 {"email": "a@b.co"}, {"email": "a@b.co", "password": PASSWORD, "role": "admin"}):
        response = accounts_client.post("/api/auth/register", json=body)
        assert response.status_code == 422, body


def test_cookie_session_needs_the_csrf_token_for_writes(accounts_client: TestClient):
    client = accounts_client
    client.post("/api/auth/register", json={"email": "ada@example.com", "password": PASSWORD})
    client.post("/api/auth/login", json={"email": "ada@example.com", "password": PASSWORD})
    assert client.get("/api/interviews").status_code == 200  # reads ride on the cookie alone
    refused = client.post("/api/interviews", json={"topic": "Python"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    csrf = client.cookies.get("mockroom_csrf")
    created = client.post("/api/interviews", json={"topic": "Python"}, headers={"X-CSRF-Token": csrf})
    assert created.status_code == 201


def test_password_change_signs_out_every_session(accounts_client: TestClient):
    bearer = sign_up(accounts_client, "ada@example.com")
    wrong = accounts_client.post("/api/auth/password", headers=bearer,
                                 json={"current_password": "nope nope", "new_password": "a new passphrase"})
    assert wrong.status_code == 401
    changed = accounts_client.post("/api/auth/password", headers=bearer,
                                   json={"current_password": PASSWORD, "new_password": "a new passphrase"})
    assert changed.status_code == 204
    assert accounts_client.get("/api/auth/me", headers=bearer).status_code == 401
    old = accounts_client.post("/api/auth/login", json={"email": "ada@example.com", "password": PASSWORD})
    new = accounts_client.post("/api/auth/login", json={"email": "ada@example.com", "password": "a new passphrase"})
    assert old.status_code == 401 and new.status_code == 200


def test_export_holds_every_interview_with_its_transcript(accounts_client: TestClient):
    bearer = sign_up(accounts_client, "ada@example.com")
    iid = accounts_client.post("/api/interviews", json={"topic": "Python"}, headers=bearer).json()["id"]
    accounts_client.post(f"/api/interviews/{iid}/answer", headers=bearer,
                         json={"text": "I build payment APIs in Python at a bank."})
    accounts_client.post(f"/api/interviews/{iid}/end", headers=bearer)
    export = accounts_client.get("/api/auth/export", headers=bearer)
    assert export.status_code == 200 and "attachment" in export.headers["content-disposition"]
    data = export.json()
    assert data["user"]["email"] == "ada@example.com"
    [interview] = data["interviews"]
    assert interview["id"] == iid and interview["report"]["overall_score"] >= 0
    assert any(m["text"] == "I build payment APIs in Python at a bank." for m in interview["messages"])


def test_deleting_an_account_deletes_its_data_and_nobody_elses(accounts_client: TestClient):
    ada = sign_up(accounts_client, "ada@example.com")
    bob = sign_up(accounts_client, "bob@example.com")
    ada_interview = accounts_client.post("/api/interviews", json={"topic": "Python"}, headers=ada).json()["id"]
    bob_interview = accounts_client.post("/api/interviews", json={"topic": "SQL"}, headers=bob).json()["id"]
    refused = accounts_client.request("DELETE", "/api/auth/me", headers=ada, json={"password": "wrong password"})
    assert refused.status_code == 401
    deleted = accounts_client.request("DELETE", "/api/auth/me", headers=ada, json={"password": PASSWORD})
    assert deleted.status_code == 204
    assert accounts_client.get("/api/auth/me", headers=ada).status_code == 401
    assert accounts_client.post("/api/auth/login", json={"email": "ada@example.com", "password": PASSWORD}
                                ).status_code == 401
    assert accounts_client.get(f"/api/interviews/{bob_interview}", headers=bob).status_code == 200
    db = accounts_client.app.state.db
    from sqlalchemy import text

    with db.session() as session:
        assert session.execute(text("SELECT count(*) FROM interviews WHERE id = :i"), {"i": ada_interview}).scalar() == 0
        assert session.execute(text("SELECT count(*) FROM messages WHERE interview_id = :i"),
                               {"i": ada_interview}).scalar() == 0


def test_admin_sees_usage_and_can_disable_a_user(accounts_client: TestClient):
    admin = sign_up(accounts_client, "admin@example.com")
    user = sign_up(accounts_client, "user@example.com")
    accounts_client.post("/api/interviews", json={"topic": "Python"}, headers=user)
    assert accounts_client.get("/api/admin/users", headers=user).status_code == 403
    users = accounts_client.get("/api/admin/users", headers=admin).json()
    row = next(u for u in users if u["user"]["email"] == "user@example.com")
    assert row["interviews"] == 1 and row["code_runs"] == 0 and row["user"]["role"] == "user"
    disabled = accounts_client.put(f"/api/admin/users/{row['user']['id']}/disabled", headers=admin,
                                   json={"disabled": True})
    assert disabled.status_code == 200 and disabled.json()["disabled"] is True
    assert accounts_client.get("/api/interviews", headers=user).status_code == 401
    login = accounts_client.post("/api/auth/login", json={"email": "user@example.com", "password": PASSWORD})
    assert login.status_code == 403 and login.json()["error"]["code"] == "account_disabled"


def test_unknown_hosts_and_cross_site_writes_are_refused(accounts_client: TestClient):
    rebinding = accounts_client.get("/api/health", headers={"Host": "attacker.example"})
    assert rebinding.status_code == 400 and rebinding.json()["error"]["code"] == "host_not_allowed"
    bearer = sign_up(accounts_client, "ada@example.com")
    form = accounts_client.post("/api/interviews", data={"topic": "Python"},
                                headers={**bearer, "Origin": "https://evil.example"})
    assert form.status_code == 403 and form.json()["error"]["code"] == "cross_site_request"
    fetched = accounts_client.post("/api/interviews", json={"topic": "Python"},
                                   headers={**bearer, "Sec-Fetch-Site": "cross-site"})
    assert fetched.status_code == 403
    same = accounts_client.post("/api/interviews", json={"topic": "Python"},
                                headers={**bearer, "Origin": "http://testserver"})
    assert same.status_code == 201


def test_security_headers_on_pages_and_api(accounts_client: TestClient):
    response = accounts_client.get("/api/health")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "worker-src 'self' blob:" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_local_mode_needs_no_sign_in(client: TestClient):
    created = client.post("/api/interviews", json={"topic": "Python"})
    assert created.status_code == 201
    me = client.get("/api/auth/me").json()
    assert me["mode"] == "local" and me["user"]["role"] == "admin"
    assert [i["id"] for i in client.get("/api/interviews").json()] == [created.json()["id"]]


def test_local_mode_refuses_to_listen_beyond_loopback(capsys, monkeypatch):
    from mockroom.cli import main

    monkeypatch.setenv("MOCKROOM_AUTH", "local")
    from mockroom.core import config

    config.get_settings.cache_clear()
    try:
        assert main(["serve", "--host", "0.0.0.0"]) == 2
    finally:
        config.get_settings.cache_clear()
    assert "MOCKROOM_AUTH=accounts" in capsys.readouterr().err


def test_cli_makes_an_admin(accounts_settings, monkeypatch, capsys):
    from mockroom.cli import main
    from mockroom.core import config

    monkeypatch.setenv("MOCKROOM_DATABASE_URL", accounts_settings.resolved_database_url())
    monkeypatch.setenv("MOCKROOM_DATA_DIR", str(accounts_settings.data_dir))
    config.get_settings.cache_clear()
    try:
        assert main(["admin", "create-user", "eve@example.com", "--password", PASSWORD]) == 0
        assert "eve@example.com: user" in capsys.readouterr().out
        assert main(["admin", "make-admin", "eve@example.com"]) == 0
        assert "eve@example.com: admin" in capsys.readouterr().out
        assert main(["admin", "make-admin", "nobody@example.com"]) == 1
    finally:
        config.get_settings.cache_clear()


def test_retention_deletes_old_interviews_only(accounts_client: TestClient):
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from mockroom.accounts.service import delete_expired
    from mockroom.db.models import Interview

    bearer = sign_up(accounts_client, "ada@example.com")
    old = accounts_client.post("/api/interviews", json={"topic": "Python"}, headers=bearer).json()["id"]
    new = accounts_client.post("/api/interviews", json={"topic": "SQL"}, headers=bearer).json()["id"]
    db = accounts_client.app.state.db
    with db.session() as session:
        session.execute(update(Interview).where(Interview.id == old)
                        .values(created_at=datetime.now(UTC) - timedelta(days=40)))
        session.commit()
    assert delete_expired(db=db, retention_days=0) == 0
    if db.engine.dialect.name == "postgresql":
        # Another app process sweeping at the same time (holding the sweep's lock): this one leaves it to that one.
        from sqlalchemy import text

        from mockroom.db.engine import RETENTION_LOCK_KEY

        with db.engine.connect() as other:
            other.execute(text("SELECT pg_advisory_lock(:key)"), {"key": RETENTION_LOCK_KEY})
            assert delete_expired(db=db, retention_days=30) == 0
            other.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": RETENTION_LOCK_KEY})
    assert delete_expired(db=db, retention_days=30) == 1
    remaining = [i["id"] for i in accounts_client.get("/api/interviews", headers=bearer).json()]
    assert remaining == [new]


def test_codes_and_tokens_in_query_strings_stay_out_of_the_access_log():
    import logging

    from mockroom.api.security import RedactSecrets

    record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", "/api/auth/oidc/callback?code=SECRET123&state=abc", "1.1",
                                302), None)
    RedactSecrets().filter(record)
    line = record.getMessage()
    assert "SECRET123" not in line and "abc" not in line and "code=[redacted]" in line

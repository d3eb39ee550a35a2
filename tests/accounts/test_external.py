"""External sign-in against a local fake provider: the OpenID Connect round trip (PKCE, state, nonce), ID tokens
that must be refused, Firebase ID tokens good and bad, and which accounts an external identity may sign in to."""

import base64
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest
from fastapi.testclient import TestClient
from tests.accounts.conftest import sign_up
from tests.accounts.fake_identity import (
    CLIENT_ID,
    CLIENT_SECRET,
    PROJECT_ID,
    FakeIdentityProvider,
    SigningKey,
    tampered,
)

from mockroom.accounts import service as accounts
from mockroom.api.app import create_app
from mockroom.core.config import Settings
from mockroom.db.models import User

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def served() -> Iterator[FakeIdentityProvider]:
    with FakeIdentityProvider() as provider:
        yield provider


@pytest.fixture
def provider(served: FakeIdentityProvider) -> FakeIdentityProvider:
    served.reset()
    return served


def external_settings(settings: Settings, provider_url: str) -> Settings:
    return settings.model_copy(update={
        "oidc_issuer": provider_url, "oidc_client_id": CLIENT_ID, "oidc_client_secret": CLIENT_SECRET,
        "firebase_project_id": PROJECT_ID, "firebase_certs_url": f"{provider_url}/firebase/certs",
        "external_auth_timeout_seconds": 5.0,
    })


@pytest.fixture
def client(accounts_settings: Settings, provider: FakeIdentityProvider) -> Iterator[TestClient]:
    """An app in accounts mode with both kinds of external sign-in pointed at the fake provider."""
    app = create_app(external_settings(accounts_settings, provider.url), warm=False)
    with TestClient(app) as test_client:
        yield test_client
    app.state.db.engine.dispose()


def unsigned(token: str) -> str:
    """The token's claims under {"alg": "none"} with no signature."""
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "kid": "firebase-1"}).encode()).rstrip(b"=")
    return f"{header.decode()}.{token.split('.')[1]}."


def oidc_sign_in(client: TestClient) -> httpx.Response:
    """What a browser does: our login route, the provider's sign-in page, back to our callback."""
    login = client.get("/api/auth/oidc/login", follow_redirects=False)
    assert login.status_code == 302, login.text
    at_provider = httpx.get(login.headers["location"], follow_redirects=False)
    assert at_provider.status_code == 302, at_provider.text
    return client.get(at_provider.headers["location"], follow_redirects=False)


def users(client: TestClient) -> list[User]:
    with client.app.state.db.session() as session:  # type: ignore[attr-defined]
        return list(session.query(User).order_by(User.created_at))


def assert_refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert "mockroom_session" not in response.headers.get("set-cookie", "")


# OpenID Connect


def test_oidc_round_trip_signs_in_with_a_session_like_password_login(client: TestClient,
                                                                     provider: FakeIdentityProvider):
    callback = oidc_sign_in(client)
    assert callback.status_code == 303 and callback.headers["location"] == "/"
    cookies = callback.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("mockroom_session="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie and "Max-Age" in session_cookie
    assert any(c.startswith("mockroom_csrf=") for c in cookies)
    assert any(c.startswith("mockroom_oidc_state=") and "Max-Age=0" in c for c in cookies)  # used up

    me = client.get("/api/auth/me")
    assert me.status_code == 200, me.text
    user = me.json()["user"]
    assert user["email"] == "ada@example.com" and user["provider"] == "oidc" and user["role"] == "admin"
    csrf = client.cookies.get("mockroom_csrf")
    assert client.post("/api/interviews", json={"topic": "Python"}, headers={"X-CSRF-Token": csrf}).status_code == 201

    authorize = provider.authorize_requests[-1]
    assert authorize["redirect_uri"] == "http://testserver/api/auth/oidc/callback"
    assert authorize["code_challenge_method"] == "S256" and len(authorize["code_challenge"]) == 43
    assert authorize["scope"] == "openid email profile" and authorize["nonce"] and authorize["state"]
    token_request = provider.token_requests[-1]
    assert token_request["form"]["code_verifier"] and "client_secret" not in token_request["form"]
    assert token_request["authorization"].startswith("Basic ")

    client.cookies.clear()
    again = oidc_sign_in(client)
    assert again.status_code == 303
    assert client.get("/api/auth/me").json()["user"]["id"] == user["id"]  # found by (provider, subject)
    assert len(users(client)) == 1
    assert provider.fetches["discovery"] == 1 and provider.fetches["jwks"] == 1  # both cached


def test_a_callback_can_be_used_once_and_only_in_the_browser_that_started_it(client: TestClient):
    login = client.get("/api/auth/oidc/login", follow_redirects=False)
    callback_url = httpx.get(login.headers["location"], follow_redirects=False).headers["location"]
    state_cookie = client.cookies.get("mockroom_oidc_state")

    client.cookies.clear()  # another browser: a login CSRF attempt with someone else's code
    assert_refused(client.get(callback_url, follow_redirects=False), 401, "sign_in_expired")

    client.cookies.set("mockroom_oidc_state", state_cookie)
    forged = callback_url.replace("state=", "state=x")
    assert_refused(client.get(forged, follow_redirects=False), 401, "sign_in_expired")
    assert client.get(callback_url, follow_redirects=False).status_code == 303

    client.cookies.clear()
    client.cookies.set("mockroom_oidc_state", state_cookie)
    assert_refused(client.get(callback_url, follow_redirects=False), 401, "sign_in_expired")  # replayed


def test_a_sign_in_begun_in_one_app_process_finishes_in_another_once(accounts_settings: Settings,
                                                                     provider: FakeIdentityProvider):
    """Behind a load balancer the callback may reach another process: what the sign-in needs is in the database."""
    settings = external_settings(accounts_settings, provider.url)
    first, second = create_app(settings, warm=False), create_app(settings, warm=False)
    with TestClient(first) as one, TestClient(second) as other:
        login = one.get("/api/auth/oidc/login", follow_redirects=False)
        callback_url = httpx.get(login.headers["location"], follow_redirects=False).headers["location"]
        other.cookies.set("mockroom_oidc_state", one.cookies.get("mockroom_oidc_state") or "")
        signed_in = other.get(callback_url, follow_redirects=False)
        assert signed_in.status_code == 303, signed_in.text
        assert "mockroom_session=" in signed_in.headers.get("set-cookie", "")
        assert_refused(one.get(callback_url, follow_redirects=False), 401, "sign_in_expired")  # used, everywhere
    for app in (first, second):
        app.state.db.engine.dispose()


def test_a_sign_in_left_longer_than_ten_minutes_has_expired_and_its_state_is_kept_only_hashed(client: TestClient):
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select, update

    from mockroom.db.models import SignInPending

    login = client.get("/api/auth/oidc/login", follow_redirects=False)
    callback_url = httpx.get(login.headers["location"], follow_redirects=False).headers["location"]
    state = client.cookies.get("mockroom_oidc_state") or ""
    db = client.app.state.db  # type: ignore[attr-defined]
    with db.session() as session:
        stored = list(session.scalars(select(SignInPending.state_hash)))
        assert len(stored) == 1 and state not in stored[0] and len(stored[0]) == 64
        session.execute(update(SignInPending).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        session.commit()
    assert_refused(client.get(callback_url, follow_redirects=False), 401, "sign_in_expired")
    with db.session() as session:
        assert not list(session.scalars(select(SignInPending.state_hash)))


def test_a_provider_error_or_a_missing_code_is_a_json_401(client: TestClient):
    client.get("/api/auth/oidc/login", follow_redirects=False)
    state = client.cookies.get("mockroom_oidc_state")
    denied = client.get("/api/auth/oidc/callback", params={"error": "access_denied", "state": state})
    assert_refused(denied, 401, "sign_in_refused")
    assert_refused(client.get("/api/auth/oidc/callback", params={"state": state}), 401, "sign_in_expired")


def _expired(provider: FakeIdentityProvider) -> None:
    provider.edits = {"iat": int(time.time()) - 7200, "exp": int(time.time()) - 3600}


@pytest.mark.parametrize("spoil", [
    pytest.param(lambda p: setattr(p, "tamper", True), id="tampered"),
    pytest.param(lambda p: setattr(p, "signer", SigningKey("oidc-1")), id="signed-by-another-key"),
    pytest.param(_expired, id="expired"),
    pytest.param(lambda p: setattr(p, "edits", {"aud": "someone-elses-client"}), id="wrong-audience"),
    pytest.param(lambda p: setattr(p, "edits", {"aud": ["someone-elses-client", CLIENT_ID]}),
                 id="shared-audience-without-azp"),
    pytest.param(lambda p: setattr(p, "edits", {"nonce": "a-nonce-from-another-sign-in"}), id="wrong-nonce"),
    pytest.param(lambda p: setattr(p, "edits", {"nonce": None}), id="no-nonce"),
    pytest.param(lambda p: setattr(p, "edits", {"iss": "https://evil.example"}), id="wrong-issuer"),
    pytest.param(lambda p: setattr(p, "edits", {"iat": int(time.time()) + 3600}), id="issued-in-the-future"),
    pytest.param(lambda p: setattr(p, "edits", {"sub": ""}), id="empty-subject"),
    pytest.param(lambda p: setattr(p, "edits", {"at_hash": "AAAAAAAAAAAAAAAAAAAAAA"}), id="wrong-at-hash"),
])
def test_id_tokens_that_do_not_check_out_are_refused(client: TestClient, provider: FakeIdentityProvider, spoil):
    spoil(provider)
    assert_refused(oidc_sign_in(client), 401, "invalid_token")
    assert users(client) == []


def test_signing_keys_are_read_again_when_the_provider_rotates_them(client: TestClient,
                                                                     provider: FakeIdentityProvider):
    assert oidc_sign_in(client).status_code == 303
    rotated = SigningKey("oidc-2")
    provider.jwks_keys, provider.signer = [rotated], rotated
    client.cookies.clear()
    assert oidc_sign_in(client).status_code == 303
    assert provider.fetches["jwks"] == 2


def test_the_redirect_uri_setting_replaces_the_derived_one(accounts_settings: Settings,
                                                           provider: FakeIdentityProvider):
    settings = external_settings(accounts_settings, provider.url).model_copy(
        update={"oidc_redirect_uri": "https://mockroom.example/api/auth/oidc/callback"})
    app = create_app(settings, warm=False)
    with TestClient(app) as client:
        login = client.get("/api/auth/oidc/login", follow_redirects=False)
        assert "redirect_uri=https%3A%2F%2Fmockroom.example%2Fapi%2Fauth%2Foidc%2Fcallback" in login.headers["location"]
    app.state.db.engine.dispose()


def test_an_unreachable_provider_is_a_json_503(accounts_settings: Settings):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    app = create_app(external_settings(accounts_settings, closed), warm=False)
    with TestClient(app) as client:
        login = client.get("/api/auth/oidc/login", follow_redirects=False)
        assert_refused(login, 503, "sign_in_unavailable")
        token = SigningKey("firebase-1").sign({"sub": "x"})
        assert_refused(client.post("/api/auth/firebase", json={"id_token": token}), 503, "sign_in_unavailable")
    app.state.db.engine.dispose()


# Firebase


def test_a_valid_firebase_token_signs_in_like_password_login(client: TestClient, provider: FakeIdentityProvider):
    response = client.post("/api/auth/firebase", json={"id_token": provider.firebase_token()})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"]["email"] == "ada@example.com" and body["user"]["provider"] == "firebase"
    assert body["token_type"] == "bearer" and len(body["access_token"]) >= 40 and body["expires_at"]
    session_cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("mockroom_session="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
    client.cookies.clear()
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and me.json()["user"]["id"] == body["user"]["id"]

    again = client.post("/api/auth/firebase", json={"id_token": provider.firebase_token()})
    assert again.json()["user"]["id"] == body["user"]["id"]
    assert provider.fetches["certs"] == 1  # kept for as long as Cache-Control allows


def _firebase_spoilers() -> list[Any]:
    now = int(time.time())
    other_key = SigningKey("firebase-1")
    return [
        pytest.param(lambda p: tampered(p.firebase_token(), sub="someone-else"), id="tampered"),
        pytest.param(lambda p: p.firebase_token(signer=other_key), id="signed-by-another-key"),
        pytest.param(lambda p: p.firebase_token(signer=SigningKey("unknown-kid")), id="unknown-key-id"),
        pytest.param(lambda p: jwt.encode({"sub": "x", "aud": PROJECT_ID}, "s" * 32, algorithm="HS256",
                                          headers={"kid": "firebase-1"}), id="hs256"),
        pytest.param(lambda p: p.firebase_token().rsplit(".", 1)[0] + ".", id="signature-removed"),
        pytest.param(lambda p: unsigned(p.firebase_token()), id="alg-none"),
        pytest.param(lambda p: p.firebase_token(iat=now - 7200, exp=now - 3600), id="expired"),
        pytest.param(lambda p: p.firebase_token(iat=now + 3600), id="issued-in-the-future"),
        pytest.param(lambda p: p.firebase_token(auth_time=now + 3600), id="signed-in-in-the-future"),
        pytest.param(lambda p: p.firebase_token(auth_time=None), id="no-auth-time"),
        pytest.param(lambda p: p.firebase_token(aud="another-project"), id="wrong-audience"),
        pytest.param(lambda p: p.firebase_token(aud=[PROJECT_ID, "another-project"]), id="list-audience"),
        pytest.param(lambda p: p.firebase_token(iss="https://securetoken.google.com/another-project"),
                     id="wrong-issuer"),
        pytest.param(lambda p: p.firebase_token(sub=""), id="empty-subject"),
        pytest.param(lambda p: p.firebase_token(sub="x" * 129), id="subject-too-long"),
        pytest.param(lambda p: "not-a-token", id="garbage"),
    ]


@pytest.mark.parametrize("make_token", _firebase_spoilers())
def test_firebase_tokens_that_do_not_check_out_are_refused(client: TestClient, provider: FakeIdentityProvider,
                                                           make_token):
    response = client.post("/api/auth/firebase", json={"id_token": make_token(provider)})
    assert_refused(response, 401, "invalid_token")
    assert users(client) == []


def test_a_made_up_key_id_does_not_send_every_request_to_google(client: TestClient,
                                                                 provider: FakeIdentityProvider):
    stranger = SigningKey("made-up")
    for _ in range(3):
        response = client.post("/api/auth/firebase", json={"id_token": provider.firebase_token(signer=stranger)})
        assert response.status_code == 401
    assert provider.fetches["certs"] == 1


def test_firebase_certificates_are_read_again_for_a_new_key_after_a_minute(client: TestClient,
                                                                          provider: FakeIdentityProvider,
                                                                          monkeypatch: pytest.MonkeyPatch):
    assert client.post("/api/auth/firebase", json={"id_token": provider.firebase_token()}).status_code == 200
    rotated = SigningKey("firebase-2")
    provider.firebase_keys = [provider.firebase_key, rotated]
    later = time.monotonic() + 61
    monkeypatch.setattr("mockroom.accounts.external.time.monotonic", lambda: later)
    response = client.post("/api/auth/firebase", json={"id_token": provider.firebase_token(signer=rotated)})
    assert response.status_code == 200, response.text
    assert provider.fetches["certs"] == 2


# Which account an external identity signs in to


def test_a_verified_email_links_the_password_account(client: TestClient, provider: FakeIdentityProvider):
    sign_up(client, "ada@example.com")
    password_user = users(client)[0]
    response = client.post("/api/auth/firebase", json={"id_token": provider.firebase_token()})
    assert response.status_code == 200, response.text
    assert response.json()["user"]["id"] == password_user.id and response.json()["user"]["provider"] == "firebase"
    login = client.post("/api/auth/login", json={"email": "ada@example.com", "password": PASSWORD})
    assert login.status_code == 200  # the password still works


def test_an_unverified_or_unsaid_email_never_takes_over_a_password_account(client: TestClient,
                                                                           provider: FakeIdentityProvider):
    sign_up(client, "ada@example.com")
    provider.user = {"sub": "oidc-user-1", "email": "ada@example.com"}  # no email_verified claim at all
    assert_refused(oidc_sign_in(client), 409, "account_exists")
    unverified = client.post("/api/auth/firebase", json={"id_token": provider.firebase_token(email_verified=False)})
    assert_refused(unverified, 403, "email_not_verified")
    [user] = users(client)
    assert user.provider == "password" and user.subject is None


def test_an_email_already_linked_to_another_identity_is_not_taken_over(client: TestClient,
                                                                       provider: FakeIdentityProvider):
    assert oidc_sign_in(client).status_code == 303
    other = client.post("/api/auth/firebase", json={"id_token": provider.firebase_token()})
    assert_refused(other, 409, "account_exists")
    client.cookies.clear()
    provider.user = {**provider.user, "sub": "oidc-user-2"}  # same e-mail, another person at the provider
    assert_refused(oidc_sign_in(client), 409, "account_exists")
    assert len(users(client)) == 1


def test_new_accounts_need_an_email_and_only_the_first_becomes_admin(client: TestClient,
                                                                     provider: FakeIdentityProvider):
    no_email = client.post("/api/auth/firebase", json={"id_token": provider.firebase_token(
        email=None, email_verified=None)})
    assert_refused(no_email, 403, "email_required")
    first = client.post("/api/auth/firebase", json={"id_token": provider.firebase_token()}).json()["user"]
    provider.user = {"sub": "oidc-user-9", "email": "Grace@Example.com"}  # unverified is fine for a new account
    assert oidc_sign_in(client).status_code == 303
    second = client.get("/api/auth/me").json()["user"]
    assert first["role"] == "admin" and second["role"] == "user" and second["email"] == "grace@example.com"
    taken = client.post("/api/auth/register", json={"email": "grace@example.com", "password": PASSWORD})
    assert taken.status_code == 409


def test_a_disabled_account_cannot_sign_in_externally(client: TestClient, provider: FakeIdentityProvider):
    admin = sign_up(client, "admin@example.com")
    user = client.post("/api/auth/firebase", json={"id_token": provider.firebase_token()}).json()["user"]
    admin_id = client.get("/api/auth/me", headers=admin).json()["user"]["id"]
    accounts.set_disabled(db=client.app.state.db, user_id=user["id"], disabled=True, by=admin_id)  # type: ignore[attr-defined]
    client.cookies.clear()
    assert_refused(client.post("/api/auth/firebase", json={"id_token": provider.firebase_token()}), 403,
                   "account_disabled")


# Off unless configured


def test_without_settings_the_routes_answer_a_json_404(accounts_client: TestClient):
    for method, path, body in (("GET", "/api/auth/oidc/login", None), ("GET", "/api/auth/oidc/callback", None),
                               ("POST", "/api/auth/firebase", {"id_token": "x.y.z"}),
                               ("POST", "/api/auth/firebase", {})):
        response = accounts_client.request(method, path, json=body, follow_redirects=False)
        assert response.status_code == 404, (path, response.text)
        assert response.json()["error"]["code"] == "not_found"

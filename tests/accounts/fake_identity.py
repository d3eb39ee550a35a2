"""A local fake identity provider: an OpenID Connect server (discovery, authorization, token and JWKS endpoints) and
Firebase's securetoken X.509 certificate endpoint, with RSA keys made for the test run.

The authorization endpoint signs `user` in at once and redirects back with a code. The token endpoint checks the
client's credentials, the redirect URI and the PKCE verifier as a real provider does, and answers with an ID token
that a test can spoil through `edits` (claims to replace, None removes one), `tamper` (the payload changed after
signing) and `signer` (another key under the same key id). `firebase_token` mints Firebase ID tokens the same way.
"""

import base64
import hashlib
import json
import secrets
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import jwt
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

CLIENT_ID = "mockroom-web.apps.example"
CLIENT_SECRET = "fake-client-secret"
PROJECT_ID = "mockroom-seeds"
FIREBASE_ISSUER = f"https://securetoken.google.com/{PROJECT_ID}"


class SigningKey:
    """An RSA key pair under a key id, published as a JWK (OpenID) or a self-signed certificate (Firebase)."""

    def __init__(self, kid: str) -> None:
        self.kid = kid
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def sign(self, claims: dict[str, Any], **headers: Any) -> str:
        return jwt.encode(claims, self.private, algorithm="RS256", headers={"kid": self.kid, **headers})

    def jwk(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private.public_key()))
        return {**public, "kid": self.kid, "alg": "RS256", "use": "sig"}

    def certificate(self) -> str:
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "securetoken.system.gserviceaccount.com")])
        now = datetime.now(UTC)
        certificate = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(self.private.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=7)).sign(self.private, hashes.SHA256())
        )
        return certificate.public_bytes(serialization.Encoding.PEM).decode()


def tampered(token: str, **changes: Any) -> str:
    """The token with its payload changed and the original signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def edited(claims: dict[str, Any], edits: dict[str, Any]) -> dict[str, Any]:
    claims = {**claims, **edits}
    return {k: v for k, v in claims.items() if v is not None}


class FakeIdentityProvider:
    """The fake server; use as a context manager, `reset()` between tests."""

    def __init__(self) -> None:
        self.oidc_key = SigningKey("oidc-1")
        self.firebase_key = SigningKey("firebase-1")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        config = uvicorn.Config(self._app(), host="127.0.0.1", port=self.port, log_level="error", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="fake-identity-provider", daemon=True)
        self.reset()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def reset(self) -> None:
        self.user: dict[str, Any] = {"sub": "oidc-user-1", "email": "ada@example.com", "email_verified": True}
        self.edits: dict[str, Any] = {}
        self.tamper = False
        self.signer: SigningKey | None = None
        self.jwks_keys = [self.oidc_key]
        self.firebase_keys = [self.firebase_key]
        self.codes: dict[str, dict[str, str]] = {}
        self.authorize_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, Any]] = []
        self.fetches: dict[str, int] = {"discovery": 0, "jwks": 0, "certs": 0}

    def firebase_token(self, *, signer: SigningKey | None = None, headers: dict[str, Any] | None = None,
                       **edits: Any) -> str:
        now = int(time.time())
        claims = {
            "iss": FIREBASE_ISSUER, "aud": PROJECT_ID, "auth_time": now - 120, "iat": now - 60, "exp": now + 3540,
            "sub": "firebase-uid-1", "user_id": "firebase-uid-1", "email": "ada@example.com", "email_verified": True,
            "firebase": {"identities": {"email": ["ada@example.com"]}, "sign_in_provider": "password"},
        }
        return (signer or self.firebase_key).sign(edited(claims, edits), **(headers or {}))

    def __enter__(self) -> "FakeIdentityProvider":
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake identity provider did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)

    def _id_token(self, *, nonce: str, access_token: str) -> str:
        now = int(time.time())
        claims = {"iss": self.url, "aud": CLIENT_ID, "iat": now, "exp": now + 3600, "nonce": nonce,
                  "at_hash": _at_hash(access_token), **self.user}
        token = (self.signer or self.oidc_key).sign(edited(claims, self.edits))
        return tampered(token, email="mallory@example.com") if self.tamper else token

    def _app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/openid-configuration")
        def discovery() -> dict[str, Any]:
            self.fetches["discovery"] += 1
            return {
                "issuer": self.url, "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token", "jwks_uri": f"{self.url}/jwks",
                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"], "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "scopes_supported": ["openid", "email", "profile"],
            }

        @app.get("/authorize")
        def authorize(request: Request) -> Response:
            query = dict(request.query_params)
            self.authorize_requests.append(query)
            if (query.get("client_id") != CLIENT_ID or query.get("response_type") != "code"
                    or "openid" not in query.get("scope", "").split() or query.get("code_challenge_method") != "S256"
                    or not query.get("code_challenge") or not query.get("state") or not query.get("nonce")):
                return JSONResponse({"error": "invalid_request"}, status_code=400)
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"challenge": query["code_challenge"], "nonce": query["nonce"],
                                "redirect_uri": query["redirect_uri"]}
            back = urlencode({"code": code, "state": query["state"]})
            return RedirectResponse(f"{query['redirect_uri']}?{back}", status_code=302)

        @app.post("/token")
        async def token(request: Request) -> JSONResponse:
            form = dict(await request.form())
            self.token_requests.append({"form": form, "authorization": request.headers.get("authorization")})
            expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if request.headers.get("authorization") != f"Basic {expected}":
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            issued = self.codes.pop(str(form.get("code")), None)
            verifier = str(form.get("code_verifier", ""))
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if (form.get("grant_type") != "authorization_code" or issued is None
                    or form.get("redirect_uri") != issued["redirect_uri"] or challenge != issued["challenge"]):
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            access_token = secrets.token_urlsafe(24)
            return JSONResponse({"access_token": access_token, "token_type": "Bearer", "expires_in": 3600,
                                 "scope": "openid email profile",
                                 "id_token": self._id_token(nonce=issued["nonce"], access_token=access_token)})

        @app.get("/jwks")
        def jwks() -> dict[str, Any]:
            self.fetches["jwks"] += 1
            return {"keys": [key.jwk() for key in self.jwks_keys]}

        @app.get("/firebase/certs")
        def certs() -> JSONResponse:
            self.fetches["certs"] += 1
            return JSONResponse({key.kid: key.certificate() for key in self.firebase_keys},
                                headers={"Cache-Control": "public, max-age=19766, must-revalidate, no-transform"})

        return app


def _at_hash(access_token: str) -> str:
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()

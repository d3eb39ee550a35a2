"""External sign-in: OpenID Connect (authorization code flow with PKCE, state and nonce) and Firebase Auth ID tokens,
and the Mockroom account each identity signs in to.

Both end in an `ExternalIdentity`; `sign_in` finds its account by (provider, subject), else links the password
account with the same e-mail when the provider has verified that e-mail, else opens a new account. Failures are
`AppError`s: 401 for a token or sign-in state that does not check out, 403 for an unverified e-mail or a disabled
account, 409 for an e-mail whose account this identity may not take over, 503 when the provider cannot be reached.
"""

import asyncio
import hashlib
import hmac
import logging
import math
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

# authlib's httpx integration runs on httpx2 (which google-genai already brings), so its network errors are httpx2's;
# every request in this module goes through httpx2 for that reason.
import httpx2
import jwt as pyjwt
from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError
from authlib.oidc.core import CodeIDToken
from cryptography import x509
from joserfc import jwt as jose_jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mockroom.accounts.schemas import normal_email
from mockroom.accounts.service import LOCAL_EMAIL
from mockroom.core.errors import AppError
from mockroom.db.engine import Database
from mockroom.db.models import SignInPending, User, aware

OIDC = "oidc"
FIREBASE = "firebase"
PENDING_SECONDS = 600
_LEEWAY_SECONDS = 60
_MAX_PENDING = 10_000
_DISCOVERY_SECONDS = 24 * 3600
_DEFAULT_CERTS_SECONDS = 3600
# Firebase tokens come from clients, so a made-up key id must not send every request on to Google.
_CERTS_REFETCH_SECONDS = 60
# Asymmetric algorithms only: an ID token MACed with the client secret, or not signed at all, is never accepted.
_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
# Google documents that its ID tokens' iss is either form.
_ISSUER_ALIASES = {"https://accounts.google.com": "accounts.google.com"}
_MAX_AGE = re.compile(r"max-age=(\d+)")

log = logging.getLogger("mockroom.accounts")


@dataclass(frozen=True)
class ExternalIdentity:
    """Who a provider vouches for: its stable subject id and, if it shared one, the e-mail address."""

    provider: str
    subject: str
    email: str | None
    email_verified: bool | None  # None: the provider did not say


def sign_in(*, db: Database, identity: ExternalIdentity) -> User:
    """The account of an external identity: found by (provider, subject); else the password account with the same
    e-mail, linked only when the provider verified that e-mail; else a new one (the first account on a server with
    none becomes its admin, as with registration)."""
    if identity.email_verified is False:
        raise AppError(code="email_not_verified",
                       message="Verify your e-mail address with your sign-in provider first, then sign in again.",
                       status=403)
    try:
        return _account(db=db, identity=identity)
    except IntegrityError:
        # The same person's other first sign-in opened the account a moment ago; this time it is found.
        return _account(db=db, identity=identity)


def _account(*, db: Database, identity: ExternalIdentity) -> User:
    with db.session() as session:
        user = session.scalar(
            select(User).where(User.provider == identity.provider, User.subject == identity.subject)
        )
        if user is None:
            user = _linked_or_new(session, identity)
        if user.disabled:
            raise AppError(code="account_disabled", message="This account has been disabled by an administrator.",
                           status=403)
        session.commit()
        return user


def _linked_or_new(session: Session, identity: ExternalIdentity) -> User:
    if not identity.email:
        raise AppError(code="email_required",
                       message="Your sign-in provider did not share an e-mail address; Mockroom needs one.",
                       status=403)
    user = session.scalar(select(User).where(User.email == identity.email))
    if user is None:
        has_accounts = session.scalar(select(func.count(User.id)).where(User.email != LOCAL_EMAIL)) or 0
        user = User(id=secrets.token_hex(8), email=identity.email, password_hash=None,
                    role="user" if has_accounts else "admin", provider=identity.provider,
                    subject=identity.subject, created_at=datetime.now(UTC))
        session.add(user)
        return user
    if user.provider != "password" or user.subject is not None:
        raise AppError(code="account_exists",
                       message="An account with this e-mail already signs in another way; sign in that way.",
                       status=409)
    if not identity.email_verified:
        raise AppError(code="account_exists",
                       message="An account with this e-mail already exists: sign in with its password. It can be "
                       "linked once your sign-in provider has verified the e-mail address.",
                       status=409)
    user.provider, user.subject = identity.provider, identity.subject
    return user


@dataclass(frozen=True)
class _Pending:
    nonce: str
    code_verifier: str
    redirect_uri: str


class OidcSignIn:
    """Sign-in with one OpenID Connect provider: authorization code flow with PKCE (S256), state and nonce.

    What a sign-in under way needs (nonce, PKCE verifier, redirect URI) stays on the server, in the database keyed
    by the hash of its state, for ten minutes and for one use, so the callback may reach any app process; the
    browser holds only the state, in a cookie the callback must present with the same value. The discovery document
    is read again daily, the provider's keys whenever a token names a key not seen before.
    """

    def __init__(
        self, *, db: Database, issuer: str, client_id: str, client_secret: str, scopes: str, timeout: float
    ) -> None:
        self.db = db
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.scopes = scopes
        self.timeout = timeout
        self._metadata: dict[str, Any] | None = None
        self._metadata_read_at = 0.0
        self._keys: KeySet | None = None

    async def begin(self, *, redirect_uri: str) -> tuple[str, str]:
        """The provider's authorization URL for a new sign-in, and its state (for the browser's cookie)."""
        metadata = await self._discovery()
        state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48)
        async with self._client(redirect_uri) as client:
            url, _ = client.create_authorization_url(metadata["authorization_endpoint"], state=state,
                                                     code_verifier=verifier, nonce=nonce)
        await asyncio.to_thread(
            self._remember, state, _Pending(nonce=nonce, code_verifier=verifier, redirect_uri=redirect_uri)
        )
        return url, state

    async def finish(self, *, state: str, code: str) -> ExternalIdentity:
        """Exchanges the code of the sign-in with this state and verifies the ID token it brings back."""
        pending = await asyncio.to_thread(self._take, state)
        if pending is None:
            raise AppError(code="sign_in_expired", message="This sign-in expired or was already used; start again.",
                           status=401)
        metadata = await self._discovery()
        try:
            async with self._client(pending.redirect_uri) as client:
                token = await client.fetch_token(metadata["token_endpoint"], grant_type="authorization_code",
                                                 code=code, code_verifier=pending.code_verifier)
        except OAuthError as error:
            log.info("OpenID token endpoint refused the code: %s", error)
            raise _token_refused() from error
        except (httpx2.HTTPError, ValueError) as error:
            raise _unavailable("The OpenID provider's token endpoint") from error
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            log.info("OpenID token response has no ID token")
            raise _token_refused()
        claims = await self._claims(id_token, nonce=pending.nonce, access_token=token.get("access_token"))
        return ExternalIdentity(provider=OIDC, subject=claims["sub"], email=_email(claims.get("email")),
                                email_verified=_verified(claims))

    def _client(self, redirect_uri: str) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(client_id=self.client_id, client_secret=self.client_secret or None,
                                 scope=self.scopes, redirect_uri=redirect_uri, code_challenge_method="S256",
                                 timeout=self.timeout)

    def _remember(self, state: str, pending: _Pending) -> None:
        """Stores a new sign-in, dropping the expired ones and, past `_MAX_PENDING` under way, the oldest."""
        now = datetime.now(UTC)
        with self.db.session() as session:
            session.execute(delete(SignInPending).where(SignInPending.expires_at < now))
            under_way = session.scalar(select(func.count()).select_from(SignInPending)) or 0
            if under_way >= _MAX_PENDING:
                oldest = select(SignInPending.state_hash).order_by(SignInPending.expires_at)
                session.execute(delete(SignInPending).where(
                    SignInPending.state_hash.in_(oldest.limit(under_way - _MAX_PENDING + 1).scalar_subquery())
                ))
            session.add(SignInPending(
                state_hash=_state_hash(state), nonce=pending.nonce, code_verifier=pending.code_verifier,
                redirect_uri=pending.redirect_uri, expires_at=now + timedelta(seconds=PENDING_SECONDS),
            ))
            session.commit()

    def _take(self, state: str) -> _Pending | None:
        """The sign-in with this state, removed in the same statement so that it is used once, whichever process
        asks; None when there is none or it has expired."""
        with self.db.session() as session:
            row = session.execute(
                delete(SignInPending).where(SignInPending.state_hash == _state_hash(state))
                .returning(SignInPending.nonce, SignInPending.code_verifier, SignInPending.redirect_uri,
                           SignInPending.expires_at)
            ).one_or_none()
            session.commit()
        if row is None or aware(row.expires_at) < datetime.now(UTC):
            return None
        return _Pending(nonce=row.nonce, code_verifier=row.code_verifier, redirect_uri=row.redirect_uri)

    async def _discovery(self) -> dict[str, Any]:
        if self._metadata is None or time.monotonic() - self._metadata_read_at > _DISCOVERY_SECONDS:
            metadata, _ = await _get_json(self.issuer + "/.well-known/openid-configuration", timeout=self.timeout,
                                          what="The OpenID provider's discovery document")
            issuer = metadata.get("issuer")
            if not isinstance(issuer, str) or issuer.rstrip("/") != self.issuer or not all(
                isinstance(metadata.get(k), str) for k in ("authorization_endpoint", "token_endpoint", "jwks_uri")
            ):
                log.warning("discovery document of %s names another issuer or lacks endpoints", self.issuer)
                raise _unavailable("The OpenID provider's discovery document")
            self._metadata, self._metadata_read_at = metadata, time.monotonic()
        return self._metadata

    async def _key_set(self, *, refresh: bool) -> KeySet:
        if self._keys is None or refresh:
            metadata = await self._discovery()
            jwks, _ = await _get_json(metadata["jwks_uri"], timeout=self.timeout,
                                      what="The OpenID provider's signing keys")
            try:
                self._keys = KeySet.import_key_set(jwks)  # type: ignore[arg-type]
            except (JoseError, ValueError, TypeError, KeyError) as error:
                raise _unavailable("The OpenID provider's signing keys") from error
        return self._keys

    async def _claims(self, id_token: str, *, nonce: str, access_token: object) -> CodeIDToken:
        metadata = await self._discovery()
        offered = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
        registry = JWSRegistry(algorithms=[a for a in offered if a in _ALGORITHMS] or ["RS256"],
                               strict_check_header=False)
        issuers = [metadata["issuer"], *filter(None, [_ISSUER_ALIASES.get(self.issuer)])]
        try:
            try:
                token = jose_jwt.decode(id_token, await self._key_set(refresh=False), registry=registry)
            except InvalidKeyIdError:
                token = jose_jwt.decode(id_token, await self._key_set(refresh=True), registry=registry)
            claims = CodeIDToken(
                token.claims, token.header,
                {"iss": {"essential": True, "values": issuers}, "aud": {"essential": True, "value": self.client_id},
                 "sub": {"essential": True}},
                {"nonce": nonce, "client_id": self.client_id,
                 "access_token": access_token if isinstance(access_token, str) else None},
            )
            claims.validate(leeway=_LEEWAY_SECONDS)
        except (JoseError, ValueError, TypeError) as error:
            log.info("OpenID ID token refused: %s", error)
            raise _token_refused() from error
        if not isinstance(claims.get("sub"), str) or len(claims["sub"]) > 255:
            raise _token_refused()
        return claims


class FirebaseTokens:
    """Verifies Firebase Auth ID tokens as Firebase documents for third-party JWT libraries.

    RS256, signed by a key from Google's securetoken X.509 certificates (kept as long as their Cache-Control says),
    aud = the project id, iss = https://securetoken.google.com/<project id>, exp in the future, iat and auth_time
    in the past, sub non-empty. PyJWT does the checks: firebase-admin would do the same but brings Google's Cloud
    and API client libraries along, and its certificate address cannot be pointed at a local fake (its emulator
    switch turns signature checks off instead). Revoked tokens are not detected (that needs admin credentials).
    """

    def __init__(self, *, project_id: str, certs_url: str, timeout: float) -> None:
        self.project_id = project_id
        self.certs_url = certs_url
        self.timeout = timeout
        self._keys: dict[str, Any] = {}
        self._fresh_until = float("-inf")
        self._read_at = float("-inf")

    async def identity(self, id_token: str) -> ExternalIdentity:
        """Who a Firebase ID token signs in, or 401 when it does not check out."""
        try:
            header = pyjwt.get_unverified_header(id_token)
        except pyjwt.PyJWTError as error:
            raise _token_refused() from error
        kid = header.get("kid")
        if header.get("alg") != "RS256" or not isinstance(kid, str):
            log.info("Firebase token refused: alg %r, kid %r", header.get("alg"), kid)
            raise _token_refused()
        key = await self._key(kid)
        if key is None:
            log.info("Firebase token refused: unknown key id %r", kid)
            raise _token_refused()
        try:
            claims = pyjwt.decode(
                id_token, key, algorithms=["RS256"], audience=self.project_id,
                issuer=f"https://securetoken.google.com/{self.project_id}", leeway=_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "auth_time", "aud", "iss", "sub"], "strict_aud": True},
            )
        except pyjwt.PyJWTError as error:
            log.info("Firebase token refused: %s", error)
            raise _token_refused() from error
        auth_time, subject = claims["auth_time"], claims["sub"]
        if not _timestamp(auth_time) or auth_time > time.time() + _LEEWAY_SECONDS:
            log.info("Firebase token refused: auth_time %r", auth_time)
            raise _token_refused()
        if not isinstance(subject, str) or not subject or len(subject) > 128:
            raise _token_refused()
        return ExternalIdentity(provider=FIREBASE, subject=subject, email=_email(claims.get("email")),
                                email_verified=_verified(claims))

    async def _key(self, kid: str) -> Any:
        now = time.monotonic()
        unknown = kid not in self._keys and now - self._read_at >= _CERTS_REFETCH_SECONDS
        if now >= self._fresh_until or unknown:
            certificates, max_age = await _get_json(self.certs_url, timeout=self.timeout,
                                                    what="Firebase's token certificates")
            try:
                keys = {str(k): x509.load_pem_x509_certificate(str(pem).encode()).public_key()
                        for k, pem in certificates.items()}
            except ValueError as error:
                raise _unavailable("Firebase's token certificates") from error
            self._keys, self._read_at = keys, now
            self._fresh_until = now + (max_age if max_age is not None else _DEFAULT_CERTS_SECONDS)
        return self._keys.get(kid)


async def _get_json(url: str, *, timeout: float, what: str) -> tuple[dict[str, Any], int | None]:
    """A JSON object from the URL, and the max-age its Cache-Control allows (if any)."""
    try:
        async with httpx2.AsyncClient(timeout=timeout) as client:
            response = await client.get(url, headers={"Accept": "application/json"})
            response.raise_for_status()
            data = response.json()
    except (httpx2.HTTPError, ValueError) as error:
        log.warning("%s could not be read from %s: %s", what, url, error)
        raise _unavailable(what) from error
    if not isinstance(data, dict):
        raise _unavailable(what)
    match = _MAX_AGE.search(response.headers.get("cache-control", ""))
    return data, int(match.group(1)) if match else None


def same_state(query_state: str, cookie_state: str) -> bool:
    """Whether the callback's state is the one this browser's cookie holds (in constant time)."""
    return bool(query_state) and hmac.compare_digest(query_state.encode(), cookie_state.encode())


def _state_hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def _email(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return normal_email(value)
    except ValueError:
        return None


def _verified(claims: dict[str, Any]) -> bool | None:
    """The email_verified claim; some providers send it as the string "true"."""
    value = claims.get("email_verified")
    if value is None:
        return None
    return value is True or value == "true"


def _timestamp(value: object) -> bool:
    """Whether the value is a JSON NumericDate (a finite number; NaN would pass every comparison)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _token_refused() -> AppError:
    return AppError(code="invalid_token", message="The sign-in could not be verified; please sign in again.",
                    status=401)


def _unavailable(what: str) -> AppError:
    return AppError(code="sign_in_unavailable", message=f"{what} did not answer as expected; try again in a minute.",
                    status=503)

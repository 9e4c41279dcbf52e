"""JWT access tokens (HS256 via joserfc, the JOSE library of the authlib project) and secrets."""

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from joserfc.jwt import JWTClaimsRegistry

from app.core.config import Settings
from app.core.errors import Unauthorized

ALGORITHM = "HS256"


@dataclass(frozen=True)
class AccessClaims:
    subject: str  # "user:<uuid>" or "client:<uuid>"
    scopes: frozenset[str]
    expires_at: int

    @property
    def user_id(self) -> uuid.UUID | None:
        kind, _, value = self.subject.partition(":")
        return uuid.UUID(value) if kind == "user" else None

    @property
    def client_id(self) -> uuid.UUID | None:
        kind, _, value = self.subject.partition(":")
        return uuid.UUID(value) if kind == "client" else None


def _key(settings: Settings) -> OctKey:
    return OctKey.import_key(settings.signing_key().encode())


def issue_access_token(
    settings: Settings, subject: str, scopes: frozenset[str] | set[str], ttl_seconds: int
) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": settings.public_base_url,
        "sub": subject,
        "iat": now,
        "exp": now + ttl_seconds,
        "jti": uuid.uuid4().hex,
        "scope": " ".join(sorted(scopes)),
        "typ": "access",
    }
    return jwt.encode({"alg": ALGORITHM}, claims, _key(settings), algorithms=[ALGORITHM])


def decode_access_token(settings: Settings, token: str) -> AccessClaims:
    """Verify signature, issuer, expiry and type; any failure is the same 401."""
    try:
        decoded = jwt.decode(token, _key(settings), algorithms=[ALGORITHM])
        JWTClaimsRegistry(
            iss={"essential": True, "value": settings.public_base_url},
            sub={"essential": True},
            exp={"essential": True},
            typ={"essential": True, "value": "access"},
        ).validate(decoded.claims)
        claims = decoded.claims
        subject = str(claims["sub"])
        kind, _, value = subject.partition(":")
        if kind not in {"user", "client"}:
            raise ValueError("unknown subject kind")
        uuid.UUID(value)
    except (JoseError, ValueError, KeyError, TypeError) as exc:
        raise Unauthorized("The access token is invalid or has expired.") from exc
    return AccessClaims(
        subject=subject,
        scopes=frozenset(str(claims.get("scope", "")).split()),
        expires_at=int(claims["exp"]),
    )


def new_secret(nbytes: int = 32) -> str:
    """An unguessable token for refresh, invitation and reset links."""
    return secrets.token_urlsafe(nbytes)


def hash_secret(secret: str) -> str:
    """Store only digests of bearer secrets (they are random, so a fast hash is enough)."""
    return hashlib.sha256(secret.encode()).hexdigest()

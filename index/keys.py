"""API keys: made once, shown once, kept only as a digest.

A key reads ``sayso_<prefix>_<secret>``: the prefix (12 hex characters) is public, it
names the key in lists, logs and the audit trail; the secret is 32 random bytes
(256 bits) in hex, so the whole key is one word to copy. The store keeps the SHA-256 of the whole key, which is enough for a
random secret of that length (a slow password hash guards guessable secrets).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, Optional

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from .store import CorpusStore, utc
from .tables import ApiKey

CHECK, READ, INGEST, FEEDBACK, ADMIN = "check", "read", "ingest", "feedback", "admin"
SCOPES = (CHECK, READ, INGEST, FEEDBACK, ADMIN)
KEY_PREFIX = "sayso_"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_scopes(value: str | Iterable[str]) -> list[str]:
    """["check", "read"] from "check,read"; ValueError naming an unknown scope."""
    names = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    unknown = [n for n in names if n not in SCOPES]
    if unknown or not names:
        raise ValueError(f"scopes must be some of {', '.join(SCOPES)} (got {', '.join(unknown) or 'none'})")
    return [s for s in SCOPES if s in names]


@dataclass
class Verdict:
    """What a presented key turned out to be: ``key`` when it is good, else why not."""

    key: Optional[ApiKey] = None
    reason: str = ""


class KeyRing:
    def __init__(self, store: CorpusStore):
        self.store = store

    def create(self, name: str, scopes: Iterable[str], expires_at: Optional[datetime] = None) -> tuple[ApiKey, str]:
        """A new key: (its row, the key itself; shown this once and never stored)."""
        scopes = parse_scopes(scopes)
        for _ in range(5):
            prefix, secret = secrets.token_hex(6), secrets.token_hex(32)
            key = f"{KEY_PREFIX}{prefix}_{secret}"
            row = ApiKey(
                prefix=prefix, digest=digest(key), name=name, scopes=" ".join(scopes),
                created_at=datetime.now(timezone.utc), expires_at=utc(expires_at),
            )
            try:
                with self.store.session.begin() as session:
                    session.add(row)
                return row, key
            except IntegrityError:  # the one-in-2^48 prefix clash: draw again
                continue
        raise RuntimeError("could not draw a unique key prefix")

    def verify(self, key: str, now: Optional[datetime] = None) -> Verdict:
        parts = key.split("_", 2) if key.startswith(KEY_PREFIX) else []
        if len(parts) < 3:
            return Verdict(reason="This is not a Sayso API key.")
        prefix = parts[1]
        with self.store.session() as session:
            row = session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).first()
        if row is None or not hmac.compare_digest(row.digest, digest(key)):
            return Verdict(reason="The API key is not known.")
        if row.revoked_at is not None:
            return Verdict(reason=f"The API key {row.prefix} was revoked.")
        now = now or datetime.now(timezone.utc)
        if row.expires_at is not None and utc(row.expires_at) <= now:
            return Verdict(reason=f"The API key {row.prefix} has expired.")
        return Verdict(key=row)

    def list(self) -> list[ApiKey]:
        with self.store.session() as session:
            return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))

    def revoke(self, prefix: str) -> Optional[ApiKey]:
        """Revoke a key by its id (prefix); None when there is no such key."""
        with self.store.session.begin() as session:
            row = session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).first()
            if row is not None and row.revoked_at is None:
                row.revoked_at = datetime.now(timezone.utc)
        return row

    def any(self) -> bool:
        """Whether a key was ever made (revoked ones count: revoking every key does not open the service)."""
        with self.store.session() as session:
            return bool(session.scalar(select(exists().select_from(ApiKey))))


def scopes_of(key: ApiKey) -> list[str]:
    return key.scopes.split()

"""A service with API keys, one per scope and more, on a store of its own."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from core.settings import Settings
from index.keys import SCOPES, KeyRing
from service import create_app
from service.limits import DEFAULT_LIMITS

NO_LIMITS = {scope: "off" for scope in DEFAULT_LIMITS}


@dataclass
class Keys:
    only: dict[str, str] = field(default_factory=dict)      # scope -> a key with just that scope
    all_but: dict[str, str] = field(default_factory=dict)   # scope -> a key with every other scope
    every: str = ""
    revoked: str = ""
    expired: str = ""


def secured_app(data_dir, database_url, **settings):
    """(app, keys): keys are made before the first request, so the app requires them."""
    app = create_app(Settings(data_dir=data_dir, database_url=database_url, **{"rate_limits": NO_LIMITS, **settings}))
    ring = KeyRing(app.extensions["sayso"].store)
    keys = Keys()
    for scope in SCOPES:
        keys.only[scope] = ring.create(f"only {scope}", [scope])[1]
        keys.all_but[scope] = ring.create(f"all but {scope}", [s for s in SCOPES if s != scope])[1]
    keys.every = ring.create("every scope", SCOPES)[1]
    row, keys.revoked = ring.create("revoked", SCOPES)
    ring.revoke(row.prefix)
    keys.expired = ring.create("expired", SCOPES, datetime.now(timezone.utc) - timedelta(seconds=1))[1]
    return app, keys


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def stop_background(app) -> None:
    """Stop an app's background threads (the index's catch-up and the batch job runner),
    before its store is dropped, so that neither keeps polling a store that is gone."""
    app.extensions["sayso_jobs"].stop()
    app.extensions["sayso"].index.stop()

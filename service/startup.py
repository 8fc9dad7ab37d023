"""Checks made once, in the gunicorn master, before any worker starts: the store is
upgraded to the newest schema, and a service bound beyond loopback with no API key
refuses to start unless SAYSO_AUTH=off says open on purpose."""
from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Iterable, Union

from core.settings import Settings
from index.keys import KeyRing
from index.store import CorpusStore


class RefuseToStart(SystemExit):
    pass


def loopback_only(addresses: Iterable[Union[tuple, str]]) -> bool:
    """Whether every bound address is loopback (a unix socket counts: only local processes reach it)."""
    for address in addresses:
        if isinstance(address, (str, bytes)):
            continue
        host = str(address[0]).strip("[]")
        if host == "localhost":
            continue
        try:
            if not ipaddress.ip_address(host).is_loopback:
                return False
        except ValueError:
            return False  # a host name: it may resolve beyond loopback
    return True


def check(addresses, log) -> None:
    settings = Settings.from_env()
    if settings.auth not in ("auto", "off"):
        raise RefuseToStart(f"SAYSO_AUTH must be 'auto' or 'off', not {settings.auth!r}")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = CorpusStore(settings.store_url)
    try:
        store.create_schema(upgrade=settings.auto_upgrade)
        has_keys = KeyRing(store).any()
    finally:
        store.engine.dispose()
    if has_keys:
        log.info("API keys required")
    elif loopback_only(addresses):
        log.warning("No API key exists: running open to loopback clients (create one with `sayso keys create`)")
    elif settings.auth == "off":
        log.warning("No API key exists and SAYSO_AUTH=off: running OPEN to every client that can reach this address")
    else:
        raise RefuseToStart(
            "Refusing to start: bound beyond loopback with no API key. Create one with "
            "`sayso keys create --name NAME --scopes check,read`, or set SAYSO_AUTH=off to run open on purpose."
        )


def fresh_metrics_dir() -> None:
    """Empty PROMETHEUS_MULTIPROC_DIR, so counts start from zero with the server."""
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):  # prometheus_client's files only
        stale.unlink()

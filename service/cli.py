"""The `sayso` command: run the service, manage API keys, upgrade the store.

    sayso serve [--bind 127.0.0.1:8000] [--workers 2]
    sayso import SOURCE (--url URL | --direct)   # see imports/command.py
    sayso worker [--concurrency 1]               # Celery worker for import jobs
    sayso keys create --name NAME --scopes check,read [--expires 2027-06-30]
    sayso keys list
    sayso keys revoke KEY_ID
    sayso db upgrade | sayso db current
    sayso reembed [--batch 256]     # re-embed a store written by another embedding model
"""
from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="sayso", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP service under gunicorn")
    serve.add_argument("--bind", default=os.environ.get("SAYSO_BIND", "127.0.0.1:8000"))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("SAYSO_WORKERS", "2")))
    from imports import command as imports

    imports.add_arguments(commands)

    keys = commands.add_parser("keys", help="API keys (the store named by SAYSO_DATABASE_URL / SAYSO_DATA_DIR)")
    key_commands = keys.add_subparsers(dest="keys_command", required=True)
    create = key_commands.add_parser("create", help="make a key and print it (once: only its digest is kept)")
    create.add_argument("--name", required=True, help="who or what uses it, e.g. 'wordpress-prod'")
    create.add_argument("--scopes", required=True, help="comma-separated: check, read, ingest, feedback, admin")
    create.add_argument("--expires", type=_expiry, help="a date (expires at its start, UTC) or an ISO time")
    key_commands.add_parser("list", help="every key: id, name, scopes, state")
    revoke = key_commands.add_parser("revoke", help="revoke a key by its id (the public prefix)")
    revoke.add_argument("key_id")

    db = commands.add_parser("db", help="the store's schema (Alembic migrations)")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="bring the store to the newest schema")
    db_commands.add_parser("current", help="print the store's schema revision and the newest")
    reembed = commands.add_parser("reembed", help="re-embed the store's claim sentences if another model embedded them")
    reembed.add_argument("--batch", type=int, default=256, help="sentences per batch (one transaction each)")
    args = parser.parse_args(argv)
    if args.command == "import":
        return imports.run_import(args)
    if args.command == "worker":
        return imports.run_worker(args)

    if args.command == "reembed":
        return _reembed(args.batch)

    if args.command == "serve":
        gunicorn = [
            sys.executable, "-m", "gunicorn",
            "--config", "python:service.gunicorn_conf",
            "--bind", args.bind,
            "--workers", str(args.workers),
            "service:create_app()",
        ]
        os.execv(sys.executable, gunicorn)
    if args.command == "keys":
        return _keys(args)
    return _db(args)


def _expiry(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date or ISO time: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    if moment <= datetime.now(timezone.utc):
        raise argparse.ArgumentTypeError(f"{value} is not in the future")
    return moment


def _store(upgrade: bool = True):
    from core.settings import Settings
    from index.store import CorpusStore

    settings = Settings.from_env()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = CorpusStore(settings.store_url)
    if upgrade:
        store.create_schema(upgrade=settings.auto_upgrade)
    return store


def _keys(args) -> int:
    from index.keys import KeyRing, parse_scopes, scopes_of

    ring = KeyRing(_store())
    if args.keys_command == "create":
        try:
            scopes = parse_scopes(args.scopes)
        except ValueError as error:
            print(f"sayso keys create: {error}", file=sys.stderr)
            return 2
        row, key = ring.create(args.name, scopes, args.expires)
        print(key)
        print(f"key id {row.prefix} ({row.name}; scopes: {' '.join(scopes)}"
              f"{'; expires ' + row.expires_at.isoformat() if row.expires_at else ''}). "
              "Keep the key now: it is not stored and cannot be shown again.", file=sys.stderr)
        return 0
    if args.keys_command == "list":
        now = datetime.now(timezone.utc)
        print(f"{'id':<14}{'state':<9}{'scopes':<32}{'expires':<27}name")
        for row in ring.list():
            expires = row.expires_at.replace(tzinfo=row.expires_at.tzinfo or timezone.utc) if row.expires_at else None
            state = "revoked" if row.revoked_at else "expired" if expires and expires <= now else "active"
            print(f"{row.prefix:<14}{state:<9}{','.join(scopes_of(row)):<32}"
                  f"{expires.isoformat() if expires else '-':<27}{row.name}")
        return 0
    if ring.revoke(args.key_id) is None:
        print(f"sayso keys revoke: no key {args.key_id}", file=sys.stderr)
        return 1
    print(f"revoked {args.key_id}")
    return 0


def _db(args) -> int:
    from index import migrate

    store = _store(upgrade=False)
    if args.db_command == "upgrade":
        before = migrate.upgrade(store.engine)
        print(f"store at {migrate.current(store.engine)} (was {before or 'unversioned or empty'})")
        store.create_schema(upgrade=False)  # and give a new store its identity
        return 0
    print(f"store at {migrate.current(store.engine) or 'unversioned or empty'}; newest {migrate.head()}")
    return 0


def _reembed(batch: int) -> int:
    """What a service process does at start (FactChecker.open), without serving."""
    import logging

    from core.settings import Settings
    from index.reembed import ensure_embedding_model
    from index.store import CorpusStore
    from models.encoder import load_encoder

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s: %(message)s")
    settings = Settings.from_env()
    store = CorpusStore(settings.store_url)
    store.create_schema()
    encoder = load_encoder(settings.threads)
    count = ensure_embedding_model(store, encoder, batch=batch)
    print(f"{count} claim sentences re-embedded; the store's embedding model is {store.embedding_model()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The `sayso` command: run the service under gunicorn.

    sayso serve [--bind 127.0.0.1:8000] [--workers 2]
    sayso reembed [--batch 256]     # re-embed a store written by another embedding model
"""
from __future__ import annotations

import argparse
import os
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="sayso", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP service under gunicorn")
    serve.add_argument("--bind", default=os.environ.get("SAYSO_BIND", "127.0.0.1:8000"))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("SAYSO_WORKERS", "2")))
    reembed = commands.add_parser("reembed", help="re-embed the store's claim sentences if another model embedded them")
    reembed.add_argument("--batch", type=int, default=256, help="sentences per batch (one transaction each)")
    args = parser.parse_args(argv)

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

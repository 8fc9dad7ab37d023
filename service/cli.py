"""The `sayso` command: run the service under gunicorn.

    sayso serve [--bind 127.0.0.1:8000] [--workers 2]
    sayso import SOURCE (--url URL | --direct)   # see imports/command.py
    sayso worker [--concurrency 1]               # Celery worker for import jobs
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
    from imports import command as imports

    imports.add_arguments(commands)
    args = parser.parse_args(argv)
    if args.command == "import":
        return imports.run_import(args)
    if args.command == "worker":
        return imports.run_worker(args)

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


if __name__ == "__main__":
    sys.exit(main())

"""Schema migrations of the corpus store, with Alembic (the scripts are in
``index/migrations``, shipped inside the package).

    upgrade(engine)   # to the newest schema; safe when several processes start at once

A store made before migrations existed (tables, no ``alembic_version``) is first
stamped with the revision its tables match, then upgraded from there.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator, Optional

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from filelock import FileLock
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

BASELINE = "0001_baseline"
# Tables that `create_all` made before migrations, newest first, and the revision that adds each.
UNVERSIONED = [("feedback", "0002_feedback"), ("articles", BASELINE)]
POSTGRES_LOCK = 7261534  # pg_advisory_xact_lock key: one migrating process per database


def config(connection: Optional[Connection] = None) -> Config:
    alembic = Config()
    alembic.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    if connection is not None:
        alembic.attributes["connection"] = connection
    return alembic


def head() -> str:
    return ScriptDirectory.from_config(config()).get_current_head()


def current(engine: Engine) -> Optional[str]:
    """The store's revision; None for an empty store or one made before migrations."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> Optional[str]:
    """Bring the store to ``revision``; return the revision it was at before (None: new or
    unversioned). Processes that start together take turns; the later ones find it done."""
    with _migration_lock(engine):
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"SELECT pg_advisory_xact_lock({POSTGRES_LOCK})"))
            before = MigrationContext.configure(connection).get_current_revision()
            if before is None:
                stamp = unversioned_revision(connection)
                if stamp is not None:
                    command.stamp(config(connection), stamp)
            command.upgrade(config(connection), revision)
    return before


def unversioned_revision(connection: Connection) -> Optional[str]:
    """The revision a store made by `create_all` before migrations matches (None: empty)."""
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables:
        return None
    return next((revision for table, revision in UNVERSIONED if table in tables), None)


@contextlib.contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """SQLite: a lock file beside the database (PostgreSQL locks inside the transaction)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with FileLock(str(Path(database).resolve()) + ".migrate.lock", timeout=300):
        yield

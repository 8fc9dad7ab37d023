"""Alembic migrations on SQLite and PostgreSQL: a store made before migrations (by
`create_all`, the schema of commit a37231b), with articles in it, is stamped and
upgraded with nothing lost; the migrated schema is what index/tables.py declares;
processes that start together upgrade once; `sayso db upgrade` works."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import (JSON, Boolean, Column, DateTime, ForeignKey, Integer, LargeBinary, MetaData, String, Table,
                        Text, func, inspect, insert, select)

from index import migrate
from index.store import CorpusStore, make_engine
from index.tables import Base

ROOT = Path(__file__).resolve().parents[2]

# The tables as commit a37231b made them with create_all (index/schema.py then), frozen here.
legacy = MetaData()
Table("sayso_meta", legacy, Column("key", String(64), primary_key=True), Column("value", Text, nullable=False))
Table(
    "articles", legacy,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", Text), Column("url", String(2048), unique=True), Column("outlet", String(200), index=True),
    Column("author", String(500)), Column("published_at", DateTime(timezone=True), index=True),
    Column("external_id", String(200), unique=True), Column("text_sha256", String(64), index=True, nullable=False),
    Column("dedup_key", String(2100), unique=True, nullable=False), Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)
Table(
    "sentences", legacy,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("position", Integer, nullable=False), Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False),
    Column("is_claim", Boolean, nullable=False), Column("section", String(16), nullable=False),
    Column("speaker", JSON), Column("embedding", LargeBinary),
)
Table(
    "index_log", legacy,
    Column("seq", Integer, primary_key=True, autoincrement=True), Column("op", String(8), nullable=False),
    Column("article_id", Integer, nullable=False), Column("sentence_ids", JSON, nullable=False),
)
# The feedback table as create_all made it between a37231b and migrations.
Table(
    "feedback", legacy,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), server_default=func.now(), index=True, nullable=False),
    Column("claim", Text, nullable=False), Column("sentence_id", Integer, index=True, nullable=False),
    Column("article_id", Integer, nullable=False), Column("sentence_text", Text, nullable=False),
    Column("stance", String(16), nullable=False), Column("verdict", String(16), nullable=False),
    Column("note", Text), Column("embedding_model", String(200), nullable=False),
    Column("stance_model", String(200), nullable=False),
)
BASELINE_TABLES = ["sayso_meta", "articles", "sentences", "index_log"]


def legacy_store(url: str, reader, samples, with_feedback: bool) -> dict[int, dict]:
    """A store as create_all made it before migrations, holding the sample articles read
    by the real pipeline; returns what it holds, by article id."""
    engine = make_engine(url)
    tables = [legacy.tables[name] for name in BASELINE_TABLES + (["feedback"] if with_feedback else [])]
    legacy.create_all(engine, tables=tables)
    t = legacy.tables
    with engine.begin() as connection:
        connection.execute(insert(t["sayso_meta"]).values(key="store_id", value="legacy-store"))
        for name, text in samples.items():
            read = reader.read(text)
            article_id = connection.execute(insert(t["articles"]).values(
                url=f"https://example.test/{name}", text=text, text_sha256=hashlib.sha256(text.encode()).hexdigest(),
                dedup_key=f"url:https://example.test/{name}", title=name,
            )).inserted_primary_key[0]
            ids = []
            for position, s in enumerate(read.sentences):
                vector = read.claim_vectors.get(position)
                sentence_id = connection.execute(insert(t["sentences"]).values(
                    article_id=article_id, position=position, text=s.text, start=s.start, end=s.end,
                    is_claim=s.is_claim, section=s.section, speaker=s.speaker.to_dict() if s.speaker else None,
                    embedding=None if vector is None else np.asarray(vector, "<f4").tobytes(),
                )).inserted_primary_key[0]
                if vector is not None:
                    ids.append(sentence_id)
            connection.execute(insert(t["index_log"]).values(op="add", article_id=article_id, sentence_ids=ids))
        if with_feedback:
            connection.execute(insert(t["feedback"]).values(
                claim="A claim", sentence_id=1, article_id=1, sentence_text="A sentence.", stance="corroborates",
                verdict="confirm", embedding_model="m", stance_model="s",
            ))
    held = snapshot(engine)
    engine.dispose()
    return held


def snapshot(engine) -> dict:
    """Every row of the baseline tables (and feedback), as plain values."""
    with engine.connect() as connection:
        names = set(inspect(connection).get_table_names())
        return {
            name: sorted(tuple(row) for row in connection.execute(select(legacy.tables[name]).order_by(*legacy.tables[name].primary_key)))
            for name in BASELINE_TABLES + ["feedback"] if name in names
        }


def schema_differences(engine) -> list:
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)


@pytest.mark.parametrize("with_feedback", [False, True], ids=["a37231b", "with-feedback"])
def test_migrations_upgrade_a_store_made_before_them_and_lose_nothing(empty_database_url, reader, samples, with_feedback):
    held = legacy_store(empty_database_url, reader, samples, with_feedback)
    store = CorpusStore(empty_database_url)
    assert migrate.current(store.engine) is None
    store.create_schema()  # what the service does at start
    assert migrate.current(store.engine) == migrate.head()
    assert {name: rows for name, rows in snapshot(store.engine).items() if rows or name in held} == held
    assert store.store_id() == "legacy-store"  # so the index files on disk stay valid
    assert schema_differences(store.engine) == []
    article = store.get_article(1)
    assert article.url.startswith("https://example.test/") and any(s.embedding for s in article.sentences)
    assert {"api_keys", "audit_log", "feedback"} <= set(inspect(store.engine).get_table_names())


def test_migrations_make_a_new_store_as_the_tables_declare(empty_database_url):
    store = CorpusStore(empty_database_url)
    store.create_schema()
    assert migrate.current(store.engine) == migrate.head()
    assert schema_differences(store.engine) == []
    assert migrate.upgrade(store.engine) == migrate.head()  # again: nothing to do


def test_migrations_run_once_when_processes_start_together(empty_database_url):
    stores = [CorpusStore(empty_database_url) for _ in range(4)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda s: s.create_schema(), stores))
    assert {migrate.current(s.engine) for s in stores} == {migrate.head()}
    assert len({s.store_id() for s in stores}) == 1


def test_migrations_refuse_an_old_store_when_auto_upgrade_is_off(empty_database_url):
    engine = make_engine(empty_database_url)
    legacy.create_all(engine, tables=[legacy.tables[n] for n in BASELINE_TABLES])
    with pytest.raises(RuntimeError, match="sayso db upgrade"):
        CorpusStore(empty_database_url).create_schema(upgrade=False)


def test_migrations_sayso_db_upgrade(tmp_path, reader, samples):
    url = f"sqlite:///{tmp_path / 'data' / 'sayso.db'}"
    (tmp_path / "data").mkdir()
    held = legacy_store(url, reader, dict(list(samples.items())[:1]), with_feedback=False)
    env = dict(os.environ, SAYSO_DATA_DIR=str(tmp_path / "data"))
    run = lambda *args: subprocess.run([sys.executable, "-m", "service.cli", "db", *args], cwd=ROOT, env=env,
                                       capture_output=True, text=True, timeout=120)
    assert "unversioned" in run("current").stdout
    upgraded = run("upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert migrate.head() in upgraded.stdout
    engine = make_engine(url)
    assert migrate.current(engine) == migrate.head()
    assert {name: rows for name, rows in snapshot(engine).items() if name in held} == held


def test_migrations_ship_inside_the_package():
    import tomllib

    from setuptools import find_packages

    packages = find_packages(str(ROOT), include=["index*"])
    assert "index.migrations" in packages and "index.migrations.versions" in packages
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["*"]
    assert "*.mako" in package_data
    assert (ROOT / "index" / "migrations" / "script.py.mako").exists()

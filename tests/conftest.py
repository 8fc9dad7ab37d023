"""Shared fixtures. Heavy models load once per session; the real ones, never stand-ins.

PostgreSQL tests run where the server answers (SAYSO_TEST_POSTGRES_URL, default the
local `test` database); each session works in a schema of its own and drops it after.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
SAMPLES = SHARED / "samples"
POSTGRES_URL = os.environ.get("SAYSO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False, help="run slow tests")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: opt in with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def samples() -> dict[str, str]:
    """The two crawled sample articles, by file stem."""
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*.txt"))}


@pytest.fixture(scope="session")
def nlp():
    from models.language import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def encoder():
    from models.encoder import load_encoder

    return load_encoder()


@pytest.fixture(scope="session")
def stance_dir():
    """The stance artifact the suite judges with: SAYSO_STANCE_DIR's (a retrained candidate
    under test), else None, the bundled one."""
    from core.settings import Settings

    return Settings.from_env().stance_dir


@pytest.fixture(scope="session")
def reader(nlp, encoder):
    from models.pipeline import ArticleReader

    return ArticleReader(nlp=nlp, encoder=encoder)


def postgres_reachable() -> bool:
    try:
        import sqlalchemy

        engine = sqlalchemy.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(sqlalchemy.text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def postgres_schema_url(schema: str) -> str:
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"


class PostgresSchemas:
    """Fresh schemas of the PostgreSQL test database, dropped at the end of the session."""

    def __init__(self):
        import sqlalchemy

        self.engine = sqlalchemy.create_engine(POSTGRES_URL)
        self.created: list[str] = []

    def new_url(self) -> str:
        import sqlalchemy

        schema = "sayso_test_" + uuid.uuid4().hex[:10]
        with self.engine.begin() as connection:
            connection.execute(sqlalchemy.text(f"CREATE SCHEMA {schema}"))
        self.created.append(schema)
        return postgres_schema_url(schema)

    def drop_all(self) -> None:
        import sqlalchemy

        with self.engine.begin() as connection:
            for schema in self.created:
                connection.execute(sqlalchemy.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        self.engine.dispose()


@pytest.fixture(scope="session")
def postgres_schemas():
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable at " + POSTGRES_URL)
    schemas = PostgresSchemas()
    yield schemas
    schemas.drop_all()


@pytest.fixture(scope="session")
def postgres_url(postgres_schemas):
    """A URL for a fresh schema of the PostgreSQL test database (skips if none answers)."""
    return postgres_schemas.new_url()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def database_url(request, tmp_path_factory):
    """The service's store URL for each backend the suite runs against (one per session)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'sayso.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database_url(request, tmp_path):
    """A store URL of its own for one test, on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres_schemas").new_url()

"""The service under test. Models load once per session (the real ones); stores are
fresh: one per backend shared by the read-only tests (``client``, with the two samples
ingested), and one per test for tests that write (``own_client``)."""
from __future__ import annotations

import pytest

from core import FactChecker
from service.limits import DEFAULT_LIMITS
from core.settings import Settings
from service import create_app

NO_LIMITS = {scope: "off" for scope in DEFAULT_LIMITS}


@pytest.fixture(scope="session")
def stance_judge(nlp, stance_dir):
    from models.stance import StanceJudge

    return StanceJudge(stance_dir, nlp=nlp)


def _open_app(data_dir, database_url, reader, judge, **settings):
    settings = Settings(data_dir=data_dir, database_url=database_url, **{"rate_limits": NO_LIMITS, **settings})
    return create_app(settings, checker=FactChecker.open(settings, reader=reader, judge=judge))


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory, reader, stance_judge):
    """The real service on each backend; ``ingested`` puts the two samples in it. Open (no
    key exists; the test client is a loopback client) and without rate limits: the tests
    of keys and limits (test_auth.py, test_operations.py) make apps of their own."""
    app = _open_app(tmp_path_factory.mktemp("data"), database_url, reader, stance_judge)
    yield app
    app.extensions["sayso_jobs"].stop()  # the batch job runner
    app.extensions["sayso"].close()


@pytest.fixture(scope="session")
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def ingested(client, samples):
    """Article JSON of each sample, posted once per backend."""
    articles = {}
    for name, text in samples.items():
        response = client.post("/v1/articles", json={"text": text, "url": f"https://example.test/{name}"})
        assert response.status_code in (200, 201), response.get_json()
        articles[name] = response.get_json()
    return articles


@pytest.fixture
def own_client(empty_database_url, tmp_path, reader, stance_judge):
    """A client of a service with a store of its own, for a test that writes."""
    app = _open_app(tmp_path / "data", empty_database_url, reader, stance_judge)
    yield app.test_client()
    app.extensions["sayso_jobs"].stop()
    app.extensions["sayso"].close()


@pytest.fixture(scope="session")
def bare_app(tmp_path_factory):
    """The HTTP layer over a real store with no models loaded: enough for requests that
    are refused before any model would run (4xx), at none of the models' cost."""
    from index.live import LiveIndex
    from index.store import CorpusStore
    from models.encoder import DIMENSION, EMBEDDING_MODEL

    settings = Settings(data_dir=tmp_path_factory.mktemp("bare"))
    store = CorpusStore(settings.store_url)
    store.create_schema()
    index = LiveIndex(store, DIMENSION, EMBEDDING_MODEL).open()
    checker = FactChecker(settings, store, index, reader=None, encoder=None, judge=None)
    return create_app(settings, checker=checker)


@pytest.fixture(scope="session")
def bare_client(bare_app):
    return bare_app.test_client()

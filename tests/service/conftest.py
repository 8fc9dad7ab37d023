from __future__ import annotations

import pytest

from service import create_app
from service.limits import DEFAULT_LIMITS
from core.settings import Settings

NO_LIMITS = {scope: "off" for scope in DEFAULT_LIMITS}


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory, encoder, nlp):
    """The real service on each backend, with the two sample articles ingested. Open (no
    key exists; the test client is a loopback client) and without rate limits: the
    tests of keys and limits (test_auth.py, test_operations.py) make apps of their own."""
    data_dir = tmp_path_factory.mktemp("data")
    app = create_app(Settings(data_dir=data_dir, database_url=database_url, rate_limits=NO_LIMITS))
    yield app
    app.extensions["sayso"].index.stop()


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

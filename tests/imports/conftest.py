from __future__ import annotations

import time

import pytest

from core.settings import Settings
from service import create_app


@pytest.fixture(scope="module")
def app(database_url, tmp_path_factory, encoder, nlp):
    """The real service on each backend; jobs run in its own background thread."""
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("data"), database_url=database_url))
    yield app
    app.extensions["sayso_jobs"].stop()
    app.extensions["sayso"].index.stop()


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def wait_done(client, location: str, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        job = client.get(location).get_json()
        if job["state"] == "done" or time.monotonic() > deadline:
            return job
        time.sleep(0.2)

"""POST /v1/articles/batch and GET /v1/jobs/{id} on SQLite and PostgreSQL: the contract,
item results, and a job that outlives the service that accepted it."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from core.settings import Settings
from imports.jobs import JobStore, NewItem
from imports.tables import ImportJob
from service import create_app
from tests.service.contract import assert_conforms

from .conftest import wait_done

BATCH = "/v1/articles/batch"
JOB = "/v1/jobs/{job_id}"


def articles(n: int, tag: str) -> list[dict]:
    return [{"text": f"The {tag} ferry carried {100 + i} passengers on Monday, the operator said.",
             "url": f"https://harbour.example/{tag}/{i}"} for i in range(n)]


def test_jobs_batch_answers_202_with_the_job_and_runs_it(client):
    tag = uuid.uuid4().hex[:8]
    response = client.post(BATCH, json={"articles": articles(3, tag)})
    assert response.status_code == 202
    assert_conforms(response, BATCH, "POST")
    job = response.get_json()
    assert response.headers["Location"] == f"/v1/jobs/{job['id']}"
    assert job["counts"]["total"] == 3 and len(job["items"]) == 3

    done = wait_done(client, response.headers["Location"])
    final = client.get(response.headers["Location"])
    assert_conforms(final, JOB, "GET")
    assert done["state"] == "done" and done["finished_at"]
    assert done["counts"] == {"total": 3, "pending": 0, "created": 3, "existing": 0, "failed": 0}
    for item, sent in zip(done["items"], articles(3, tag)):
        stored = client.get(f"/v1/articles/{item['article_id']}").get_json()
        assert item["state"] == "created" and item["url"] == sent["url"] == stored["url"]


def test_jobs_bad_articles_fail_alone_and_repeats_are_existing(client):
    tag = uuid.uuid4().hex[:8]
    good = articles(2, tag)
    batch = [good[0], {"text": "   "}, {"text": "x", "colour": "red"}, "not an object", good[0], good[1]]
    response = client.post(BATCH, json={"articles": batch})
    assert response.status_code == 202
    done = wait_done(client, response.headers["Location"])
    states = [item["state"] for item in done["items"]]
    assert states == ["created", "failed", "failed", "failed", "existing", "created"]
    assert done["items"][1]["error"]["errors"] == {"text": ["Must not be blank."]}
    assert "colour" in done["items"][2]["error"]["errors"]
    assert done["items"][4]["article_id"] == done["items"][0]["article_id"]
    assert_conforms(client.get(response.headers["Location"]), JOB, "GET")

    again = wait_done(client, client.post(BATCH, json={"articles": good}).headers["Location"])
    assert [item["state"] for item in again["items"]] == ["existing", "existing"]


def test_jobs_bad_batches_are_problems(client):
    cases = [
        ({"articles": []}, 422),
        ({"articles": [{"text": "a"}] * 501}, 422),
        ({"articles": [{"text": "a"}], "priority": 1}, 422),
        ({"stories": [{"text": "a"}]}, 422),
        ([{"text": "a"}], 400),
    ]
    for body, status in cases:
        response = client.post(BATCH, json=body)
        assert response.status_code == status, body
        assert response.mimetype == "application/problem+json"
        assert_conforms(response, BATCH, "POST")
    response = client.post(BATCH, data="articles", content_type="text/plain")
    assert response.status_code == 415
    assert_conforms(response, BATCH, "POST")


def test_jobs_unknown_job_is_404(client):
    for job_id in ("0" * 32, "nope", "../articles"):
        response = client.get(f"/v1/jobs/{job_id}")
        assert response.status_code == 404
        assert_conforms(response, JOB, "GET")


def test_jobs_a_job_left_by_a_crashed_service_finishes_at_the_next_start(empty_database_url, tmp_path, encoder, nlp):
    """The service accepted a batch (committed) and died holding it: the next service
    on the same store takes the job once its lease has run out and finishes it."""
    from index.store import CorpusStore
    import imports.tables  # noqa: F401

    store = CorpusStore(empty_database_url)
    store.create_schema()
    jobs = JobStore(store)
    tag = uuid.uuid4().hex[:8]
    job = jobs.create([NewItem(fields=a) for a in articles(3, tag)])
    with store.session.begin() as session:  # the dead process's lease, already run out
        session.get(ImportJob, job.id).lease_owner = "crashed-host:1234"
        session.get(ImportJob, job.id).lease_until = datetime.now(timezone.utc) - timedelta(seconds=1)

    app = create_app(Settings(data_dir=tmp_path, database_url=empty_database_url))
    try:
        done = wait_done(app.test_client(), f"/v1/jobs/{job.id}")
    finally:
        app.extensions["sayso_jobs"].stop()
        app.extensions["sayso"].index.stop()
    assert done["state"] == "done"
    assert [item["state"] for item in done["items"]] == ["created"] * 3
    assert store.counts()["articles"] == 3

"""Ingest a job's pending items: the same steps wherever the job runs.

Each new article is stored with its sentences, vectors, index log rows and its item's
result in one transaction; an article already in the store (from an earlier job, an
earlier delivery of this task, or earlier in this batch) is recorded as existing. So a
task delivered twice stores nothing twice and changes no result already written.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Callable, Optional, Sequence

from sqlalchemy.exc import DBAPIError

from core import FactChecker
from core.settings import Settings
from index.store import CorpusStore

from .jobs import JobStore
from .tables import CREATED, EXISTING, FAILED

log = logging.getLogger(__name__)


def ingest_checker(settings: Settings, reader=None) -> FactChecker:
    """A FactChecker that stores articles and nothing else: no vector index (the API
    nodes' indexes follow the store's index_log) and no stance model. ``reader``: an
    ArticleReader already loaded (a Celery worker loads it once, before forking)."""
    from . import tables  # noqa: F401  (the job tables join the store's schema)

    if reader is None:
        reader = load_reader()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = CorpusStore(settings.store_url)
    store.create_schema()
    return FactChecker(settings, store, None, reader, reader.encoder, None)


def load_reader():
    from models.encoder import load_encoder
    from models.language import load_nlp
    from models.pipeline import ArticleReader

    return ArticleReader(nlp=load_nlp(), encoder=load_encoder())


def article_fields(stored: dict[str, Any]) -> dict[str, Any]:
    """An item's stored fields (JSON) as ingest takes them."""
    fields = dict(stored)
    if fields.get("published_at"):
        fields["published_at"] = datetime.fromisoformat(fields["published_at"])
    return fields


def run_items(checker: FactChecker, job_id: str, positions: Optional[Sequence[int]] = None,
              keep_going: Callable[[], bool] = lambda: True) -> bool:
    """Ingest the job's pending items (among ``positions``, when given); return whether
    the job is now done. Store errors propagate (the caller tries again later); an
    article the pipeline cannot read fails alone, with the reason."""
    jobs = JobStore(checker.store)
    jobs.mark_running(job_id)
    for item in jobs.pending(job_id, positions):
        if not keep_going():
            break
        position = item.position

        def stored(session, article, position=position):
            JobStore.record_in(session, job_id, position, CREATED, article_id=article.id)

        try:
            article, created = checker.ingest(article_fields(item.fields), on_stored=stored)
        except DBAPIError:
            raise
        except Exception as error:  # this article, not the store: it fails alone
            log.exception("job %s item %d failed", job_id, position)
            jobs.record(job_id, position, FAILED, error={"detail": f"{type(error).__name__}: {error}"[:1000]})
            continue
        if not created:
            jobs.record(job_id, position, EXISTING, article_id=article.id)
    return jobs.finish_if_complete(job_id)

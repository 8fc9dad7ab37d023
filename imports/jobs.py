"""Jobs in the store: create one with its items in one transaction, read it back, and
record each item's result exactly once.

Every write here is idempotent: an item's result is written only while it is pending,
and a job is marked done only once, so a task delivered twice changes nothing the
second time.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Optional, Sequence

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from index.store import CorpusStore

from .tables import DONE, FAILED, ITEM_STATES, PENDING, QUEUED, RUNNING, ImportItem, ImportJob


def now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class NewItem:
    """An article of a batch as accepted: its fields, or why it cannot be taken in."""

    fields: Optional[dict[str, Any]] = None
    error: Optional[dict[str, Any]] = None


@dataclass
class JobView:
    job: ImportJob
    counts: dict[str, int]
    items: list[ImportItem]

    @property
    def final(self) -> bool:
        return self.job.state == DONE


def is_job_id(value: str) -> bool:
    return len(value) == 32 and all(c in "0123456789abcdef" for c in value)


class JobStore:
    def __init__(self, store: CorpusStore):
        self.store = store
        self.session = store.session

    def create(self, items: Sequence[NewItem]) -> ImportJob:
        """Store a job and all its items in one transaction (an item that cannot be taken
        in is stored as failed, with its reason). Returns the job once committed."""
        job_id = uuid.uuid4().hex
        job = ImportJob(id=job_id, state=QUEUED, total=len(items))
        with self.session.begin() as session:
            session.add(job)
            session.flush()
            session.add_all(
                ImportItem(
                    job_id=job_id,
                    position=position,
                    state=PENDING if item.error is None else FAILED,
                    fields=item.fields if item.error is None else None,
                    url=(item.fields or {}).get("url"),
                    external_id=(item.fields or {}).get("external_id"),
                    error=item.error,
                )
                for position, item in enumerate(items)
            )
        if all(item.error is not None for item in items):
            self.finish_if_complete(job_id)
        return job

    def view(self, job_id: str) -> Optional[JobView]:
        if not is_job_id(job_id):
            return None
        with self.session() as session:
            job = session.get(ImportJob, job_id)
            if job is None:
                return None
            items = list(
                session.scalars(select(ImportItem).where(ImportItem.job_id == job_id).order_by(ImportItem.position))
            )
        counts = {state: 0 for state in ITEM_STATES}
        for item in items:
            counts[item.state] += 1
        return JobView(job, counts, items)

    def pending(self, job_id: str, positions: Optional[Sequence[int]] = None) -> list[ImportItem]:
        """The job's items still without a result (among ``positions``, when given)."""
        query = select(ImportItem).where(ImportItem.job_id == job_id, ImportItem.state == PENDING)
        if positions is not None:
            query = query.where(ImportItem.position.in_(list(positions)))
        with self.session() as session:
            return list(session.scalars(query.order_by(ImportItem.position)))

    # -- results (each written once) ----------------------------------------------------
    @staticmethod
    def record_in(session: Session, job_id: str, position: int, state: str,
                  article_id: Optional[int] = None, error: Optional[dict] = None) -> bool:
        """Write an item's result in ``session`` if it has none yet; return whether it did."""
        result = session.execute(
            update(ImportItem)
            .where(ImportItem.job_id == job_id, ImportItem.position == position, ImportItem.state == PENDING)
            .values(state=state, article_id=article_id, error=error, fields=None)
        )
        return result.rowcount == 1

    def record(self, job_id: str, position: int, state: str,
               article_id: Optional[int] = None, error: Optional[dict] = None) -> bool:
        with self.session.begin() as session:
            return self.record_in(session, job_id, position, state, article_id, error)

    def mark_running(self, job_id: str) -> None:
        with self.session.begin() as session:
            session.execute(update(ImportJob).where(ImportJob.id == job_id, ImportJob.state == QUEUED)
                            .values(state=RUNNING))

    def finish_if_complete(self, job_id: str) -> bool:
        """Mark the job done once no item is pending; return whether it is done."""
        with self.session.begin() as session:
            left = session.scalar(select(func.count()).select_from(ImportItem)
                                  .where(ImportItem.job_id == job_id, ImportItem.state == PENDING))
            if left:
                return False
            session.execute(update(ImportJob).where(ImportJob.id == job_id, ImportJob.state != DONE)
                            .values(state=DONE, finished_at=now(), lease_owner=None, lease_until=None))
        return True

    # -- which jobs need work ----------------------------------------------------------------
    def unfinished(self, limit: int = 100) -> list[str]:
        with self.session() as session:
            return list(session.scalars(select(ImportJob.id).where(ImportJob.state != DONE)
                                        .order_by(ImportJob.created_at).limit(limit)))

    def undispatched(self, limit: int = 100) -> list[str]:
        with self.session() as session:
            return list(session.scalars(select(ImportJob.id).where(ImportJob.state != DONE,
                                                                   ImportJob.dispatched_at.is_(None))
                                        .order_by(ImportJob.created_at).limit(limit)))

    def mark_dispatched(self, job_id: str) -> None:
        with self.session.begin() as session:
            session.execute(update(ImportJob).where(ImportJob.id == job_id).values(dispatched_at=now()))

    def claim(self, owner: str, seconds: float) -> Optional[str]:
        """Take the oldest unfinished job whose lease is free or expired (or ours) for
        ``seconds``; None when there is none. Several processes may ask at once: the
        conditional update lets exactly one of them have it."""
        for job_id in self.unfinished(limit=20):
            if self.renew(job_id, owner, seconds):
                return job_id
        return None

    def renew(self, job_id: str, owner: str, seconds: float) -> bool:
        at = now()
        with self.session.begin() as session:
            result = session.execute(
                update(ImportJob)
                .where(ImportJob.id == job_id, ImportJob.state != DONE,
                       or_(ImportJob.lease_until.is_(None), ImportJob.lease_until < at,
                           ImportJob.lease_owner == owner))
                .values(lease_owner=owner, lease_until=at + timedelta(seconds=seconds))
            )
            return result.rowcount == 1

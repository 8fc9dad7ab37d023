"""The job tables, on the store's own metadata (created with the corpus tables).

A job is one batch as it was accepted; each article of it is an item. An item keeps
the article's fields until it is done, so a job interrupted by a crash resumes from
its pending items, and is then cleared down to its result.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from index.tables import Base

# Job states
QUEUED, RUNNING, DONE = "queued", "running", "done"
# Item states: pending until it has a result, then one of the other three.
PENDING, CREATED, EXISTING, FAILED = "pending", "created", "existing", "failed"
ITEM_STATES = (PENDING, CREATED, EXISTING, FAILED)


class ImportJob(Base):
    __tablename__ = "import_jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex
    state: Mapped[str] = mapped_column(String(16), default=QUEUED, index=True)
    total: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    # Celery: set once the job's tasks are published (a job left unset is published again).
    dispatched_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    # Embedded runner: the process working on the job, and until when (renewed as it goes).
    lease_owner: Mapped[Optional[str]] = mapped_column(String(64))
    lease_until: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))


class ImportItem(Base):
    __tablename__ = "import_items"
    job_id: Mapped[str] = mapped_column(ForeignKey("import_jobs.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default=PENDING)
    # The article's fields as accepted (JSON-ready); None once the item is done.
    fields: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    url: Mapped[Optional[str]] = mapped_column(String(2048))
    external_id: Mapped[Optional[str]] = mapped_column(String(200))
    article_id: Mapped[Optional[int]] = mapped_column(Integer)
    # {"detail": ..., "errors": {field: [messages]}} for a failed item
    error: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)

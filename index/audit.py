"""The audit trail: one row per ingest, delete, feedback or admin call, allowed or denied."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import select

from .store import CorpusStore
from .tables import AuditEntry


class AuditTrail:
    def __init__(self, store: CorpusStore):
        self.store = store

    def record(self, key_id: Optional[str], action: str, target: str, status: int, request_id: str,
               client: Optional[str] = None) -> None:
        with self.store.session.begin() as session:
            session.add(AuditEntry(
                at=datetime.now(timezone.utc), key_id=key_id, action=action[:100], target=target[:2048],
                status=status, request_id=request_id[:128], client=(client or None) and client[:64],
            ))

    def page(self, after_id: int, limit: int) -> list[AuditEntry]:
        """Oldest first, after ``after_id`` (the cursor)."""
        query = select(AuditEntry).where(AuditEntry.id > after_id).order_by(AuditEntry.id).limit(limit)
        with self.store.session() as session:
            return list(session.scalars(query))

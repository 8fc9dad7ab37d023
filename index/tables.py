"""The corpus tables. The store is the source of truth, embeddings included.

``index_log`` orders every change that the vector index must follow: each service
process replays it from the last sequence number it applied, so all processes that
share one database converge on the same index.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ADD = "add"
REMOVE = "remove"
MAX_ID = 2**31 - 1  # ids are 32-bit integers (PostgreSQL `integer`)


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Facts about this store, such as its identity (so a stale index file is noticed)."""

    __tablename__ = "sayso_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Article(Base):
    __tablename__ = "articles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[Optional[str]] = mapped_column(Text)
    url: Mapped[Optional[str]] = mapped_column(String(2048), unique=True)
    outlet: Mapped[Optional[str]] = mapped_column(String(200), index=True)
    author: Mapped[Optional[str]] = mapped_column(String(500))
    published_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), index=True)
    external_id: Mapped[Optional[str]] = mapped_column(String(200), unique=True)
    text_sha256: Mapped[str] = mapped_column(String(64), index=True)
    # What makes two posts the same article: the URL, else the external id, else the text.
    dedup_key: Mapped[str] = mapped_column(String(2100), unique=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    sentences: Mapped[list["SentenceRow"]] = relationship(
        back_populates="article",
        order_by="SentenceRow.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class SentenceRow(Base):
    __tablename__ = "sentences"
    # By article, then position: an article's sentences, and a result's neighbours.
    __table_args__ = (Index("ix_sentences_article_position", "article_id", "position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    is_claim: Mapped[bool] = mapped_column(Boolean)
    # models.checkworthiness, in [0, 1]; null for sentences stored before it existed.
    check_worthiness: Mapped[Optional[float]] = mapped_column(Float, nullable=True)
    # body, headline or teaser (a crawled line of another story): see models.article
    section: Mapped[str] = mapped_column(String(16), default="body")
    speaker: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    # float32 little-endian, normalised; only sentences that read as claims (models.claims,
    # whatever their check-worthiness) are embedded and indexed.
    embedding: Mapped[Optional[bytes]] = mapped_column(LargeBinary)
    article: Mapped[Article] = relationship(back_populates="sentences")


class IndexLogEntry(Base):
    __tablename__ = "index_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op: Mapped[str] = mapped_column(String(8))
    article_id: Mapped[int] = mapped_column(Integer)
    sentence_ids: Mapped[list[int]] = mapped_column(JSON)


class FeedbackRow(Base):
    """An editor's word on one result: confirmed, rejected, or the stance they would give.
    The sentence and claim are kept as they were, so the row still means something after
    the article is deleted (and can become a training pair: scripts/train_stance.py)."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    claim: Mapped[str] = mapped_column(Text)
    sentence_id: Mapped[int] = mapped_column(Integer, index=True)
    article_id: Mapped[int] = mapped_column(Integer)
    sentence_text: Mapped[str] = mapped_column(Text)
    stance: Mapped[str] = mapped_column(String(16))    # the stance the editor was shown
    verdict: Mapped[str] = mapped_column(String(16))   # confirm | reject | the stance they would give
    note: Mapped[Optional[str]] = mapped_column(Text)
    embedding_model: Mapped[str] = mapped_column(String(200))
    stance_model: Mapped[str] = mapped_column(String(200))


class ApiKey(Base):
    """A client's API key. Only its digest is stored; ``prefix`` is its public part
    (the key id shown in lists, logs and the audit trail)."""

    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the whole key, hex
    name: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[str] = mapped_column(String(200))  # space-separated
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """One row per ingest, delete, feedback or admin call, allowed or denied."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    key_id: Mapped[Optional[str]] = mapped_column(String(32), index=True)  # the key's public prefix
    action: Mapped[str] = mapped_column(String(100))
    target: Mapped[str] = mapped_column(String(2048))
    status: Mapped[int] = mapped_column(Integer)
    request_id: Mapped[str] = mapped_column(String(128))
    client: Mapped[Optional[str]] = mapped_column(String(64))

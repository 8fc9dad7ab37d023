"""The corpus store: articles, their sentences and embeddings, through SQLAlchemy.

SQLite (a file in the data directory) by default, PostgreSQL by URL. Every write is
one transaction that also appends to ``index_log``; a 2xx is only sent after it commits.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import threading
import uuid
import zlib
from bisect import bisect_left
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterator, Optional, Sequence

import numpy as np
from sqlalchemy import Text, and_, cast, create_engine, event, func, or_, select, text as sql, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer, selectinload, sessionmaker

from models.article import BODY, ReadArticle

from . import migrate
from .tables import ADD, MAX_ID, REMOVE, Article, FeedbackRow, IndexLogEntry, Meta, SentenceRow

STORE_ID = "store_id"
log = logging.getLogger(__name__)

EMBEDDING_MODEL = "embedding_model"  # the model that embedded the stored sentences
REEMBEDDING = "reembedding"  # "<model> <last sentence id done>" while a re-embedding runs


def utc(value: Optional[datetime]) -> Optional[datetime]:
    """``value`` in UTC; a time without a zone is taken as UTC (SQLite hands back UTC
    without its zone, and clients may send times without one)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def dedup_key(url: Optional[str], external_id: Optional[str], text: str) -> str:
    if url:
        return "url:" + url
    if external_id:
        return "external_id:" + external_id
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged article survives a crash
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


@dataclass
class Change:
    """One entry of ``index_log``. ``sentence_ids`` is None when the entry's ids are not a
    list of sentence ids this version can read (say, written by a newer one)."""

    seq: int
    op: str
    sentence_ids: Optional[list[int]]


def _sentence_ids(raw: Optional[str]) -> Optional[list[int]]:
    try:
        ids = json.loads(raw) if raw is not None else None
    except ValueError:
        return None
    if not isinstance(ids, list) or not all(type(i) is int and 0 < i <= MAX_ID for i in ids):
        return None
    return ids


@dataclass
class Candidate:
    """A stored claim sentence with its article, as a check sees it."""

    sentence: SentenceRow
    article: Article


class CorpusStore:
    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.is_postgres = self.engine.dialect.name == "postgresql"
        self.session = sessionmaker(self.engine, expire_on_commit=False)

    # -- schema ---------------------------------------------------------------------
    def create_schema(self, upgrade: bool = True) -> None:
        """Bring the tables to the newest schema (Alembic migrations: ``index.migrate``);
        safe when several processes start together. With ``upgrade=False`` a store that
        is not at the newest schema is an error (``sayso db upgrade`` first)."""
        if upgrade:
            migrate.upgrade(self.engine)
        elif migrate.current(self.engine) != migrate.head():
            raise RuntimeError(
                f"the store is at schema {migrate.current(self.engine)}, not {migrate.head()}: run `sayso db upgrade`"
            )
        try:
            with self.session.begin() as session:
                if session.get(Meta, STORE_ID) is None:
                    session.add(Meta(key=STORE_ID, value=uuid.uuid4().hex))
        except IntegrityError:  # another process wrote it at the same moment
            pass

    def store_id(self) -> str:
        with self.session() as session:
            return session.get(Meta, STORE_ID).value

    def _meta(self, key: str) -> Optional[str]:
        with self.session() as session:
            row = session.get(Meta, key)
            return None if row is None else row.value

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """Held by one process (and thread) at a time across everything sharing this store:
        a PostgreSQL advisory lock, or a lock file beside the SQLite database."""
        if self.is_postgres:
            key = zlib.crc32(("sayso:" + name).encode())
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(sql("SELECT pg_advisory_lock(:key)"), {"key": key})
                try:
                    yield
                finally:
                    connection.execute(sql("SELECT pg_advisory_unlock(:key)"), {"key": key})
            return
        database = self.engine.url.database
        if not database or database == ":memory:":
            with _memory_locks.setdefault(name, threading.Lock()):
                yield
            return
        with open(f"{database}.{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    # -- the embedding model --------------------------------------------------------
    def embedding_model(self) -> Optional[str]:
        """The model that embedded the stored sentences (None: not recorded)."""
        return self._meta(EMBEDDING_MODEL)

    def record_embedding_model(self, name: str) -> None:
        with self.session.begin() as session:
            session.merge(Meta(key=EMBEDDING_MODEL, value=name))
            progress = session.get(Meta, REEMBEDDING)
            if progress is not None:
                session.delete(progress)

    def reembedding_progress(self, name: str) -> int:
        """The last sentence id re-embedded with ``name`` by a re-embedding cut short (0: none)."""
        value = self._meta(REEMBEDDING)
        if value is None:
            return 0
        model, _, through = value.rpartition(" ")
        return int(through) if model == name else 0

    def embedded_sentences(self, after: int, limit: int) -> tuple[list[int], list[str]]:
        """(ids, texts) of up to ``limit`` embedded sentences with ids above ``after``, in id order."""
        query = (
            select(SentenceRow.id, SentenceRow.text)
            .where(SentenceRow.id > after, SentenceRow.embedding.is_not(None))
            .order_by(SentenceRow.id)
            .limit(limit)
        )
        with self.session() as session:
            rows = session.execute(query).all()
        return [r[0] for r in rows], [r[1] for r in rows]

    def replace_embeddings(self, ids: Sequence[int], vectors: np.ndarray, model: str) -> None:
        """New vectors for these sentences, and the re-embedding's progress, in one transaction."""
        rows = [{"id": int(i), "embedding": np.asarray(v, "<f4").tobytes()} for i, v in zip(ids, vectors)]
        with self.session.begin() as session:
            session.execute(update(SentenceRow), rows)
            session.merge(Meta(key=REEMBEDDING, value=f"{model} {max(ids)}"))

    # -- articles -------------------------------------------------------------------
    def find_duplicate(self, session: Session, url, external_id, text: str) -> Optional[Article]:
        clauses = [Article.dedup_key == dedup_key(url, external_id, text)]
        if url:
            clauses.append(Article.url == url)
        if external_id:
            clauses.append(Article.external_id == external_id)
        for clause in clauses:
            found = session.scalars(
                select(Article).options(selectinload(Article.sentences)).where(clause)
            ).first()
            if found is not None:
                return found
        return None

    def existing(self, url, external_id, text: str) -> Optional[Article]:
        with self.session() as session:
            return self.find_duplicate(session, url, external_id, text)

    def add_article(
        self, fields: dict[str, Any], read: ReadArticle, embeddings: dict[int, np.ndarray],
        on_stored: Optional[Callable[[Session, Article], None]] = None,
    ) -> tuple[Article, bool]:
        """Store an article and its sentences; return (article, created).

        ``embeddings`` maps a sentence's position to its vector (the sentences to index).
        A concurrent post of the same article returns the one that won, with created=False.
        ``on_stored(session, article)`` runs in the same transaction, after the insert.
        """
        text = fields["text"]
        article = Article(
            title=fields.get("title"),
            url=fields.get("url"),
            outlet=fields.get("outlet"),
            author=fields.get("author"),
            published_at=utc(fields.get("published_at")),
            external_id=fields.get("external_id"),
            text=text,
            text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            dedup_key=dedup_key(fields.get("url"), fields.get("external_id"), text),
        )
        for position, sentence in enumerate(read.sentences):
            vector = embeddings.get(position)
            article.sentences.append(
                SentenceRow(
                    position=position,
                    text=sentence.text,
                    start=sentence.start,
                    end=sentence.end,
                    is_claim=sentence.is_claim,
                    check_worthiness=sentence.check_worthiness,
                    section=sentence.section,
                    speaker=sentence.speaker.to_dict() if sentence.speaker else None,
                    embedding=None if vector is None else np.asarray(vector, "<f4").tobytes(),
                )
            )
        try:
            with self.session.begin() as session:
                session.add(article)
                session.flush()
                indexed = [s.id for s in article.sentences if s.embedding is not None]
                self._log(session, ADD, article.id, indexed)
                if on_stored is not None:
                    on_stored(session, article)
        except IntegrityError:
            existing = self.existing(fields.get("url"), fields.get("external_id"), text)
            if existing is None:
                raise
            return existing, False
        return article, True

    def get_article(self, article_id: int) -> Optional[Article]:
        if not 0 < article_id <= MAX_ID:
            return None
        with self.session() as session:
            return session.scalars(
                select(Article).options(selectinload(Article.sentences)).where(Article.id == article_id)
            ).first()

    def article_ids(self, url: Optional[str] = None, external_id: Optional[str] = None) -> list[int]:
        """Ids of the stored articles with this URL or this external id."""
        clauses = ([Article.url == url] if url else []) + ([Article.external_id == external_id] if external_id else [])
        if not clauses:
            return []
        with self.session() as session:
            return list(session.scalars(select(Article.id).where(or_(*clauses))))

    def list_articles(self, outlet: Optional[str], limit: int, before_id: Optional[int]) -> list[Article]:
        """Newest first; ``before_id`` is the cursor (the last id of the previous page).
        Every id is below one past MAX_ID."""
        query = select(Article).order_by(Article.id.desc()).limit(limit)
        if outlet:
            query = query.where(Article.outlet == outlet)
        if before_id is not None and before_id <= MAX_ID:
            query = query.where(Article.id < before_id)
        with self.session() as session:
            return list(session.scalars(query))

    def sentence_counts(self, article_ids: Sequence[int]) -> dict[int, int]:
        if not article_ids:
            return {}
        query = (
            select(SentenceRow.article_id, func.count())
            .where(SentenceRow.article_id.in_(article_ids))
            .group_by(SentenceRow.article_id)
        )
        with self.session() as session:
            return dict(session.execute(query).all())

    def delete_article(self, article_id: int) -> bool:
        if not 0 < article_id <= MAX_ID:
            return False
        with self.session.begin() as session:
            article = session.get(Article, article_id)
            if article is None:
                return False
            indexed = list(
                session.scalars(
                    select(SentenceRow.id).where(
                        SentenceRow.article_id == article_id, SentenceRow.embedding.is_not(None)
                    )
                )
            )
            session.delete(article)
            self._log(session, REMOVE, article_id, indexed)
        return True

    # -- checks ---------------------------------------------------------------------
    def candidates(
        self,
        sentence_ids: Sequence[int],
        outlets: Optional[Sequence[str]] = None,
        since: Optional[datetime] = None,
        until: Optional[datetime] = None,
    ) -> dict[int, Candidate]:
        """The stored sentences among ``sentence_ids`` whose article passes the filters.

        Deleted articles are gone from the store, so they drop out here at once, even
        before a process's vector index has caught up with the deletion.
        """
        if not sentence_ids:
            return {}
        query = (
            select(SentenceRow, Article)
            .join(Article, SentenceRow.article_id == Article.id)
            .where(SentenceRow.id.in_([int(i) for i in sentence_ids]))
            # A check needs neither the article's text nor the embeddings: leave them in the store.
            .options(defer(Article.text), defer(SentenceRow.embedding))
        )
        if outlets:
            query = query.where(Article.outlet.in_(list(outlets)))
        if since is not None:
            query = query.where(Article.published_at >= utc(since))
        if until is not None:
            query = query.where(Article.published_at <= utc(until))
        with self.session() as session:
            return {row.id: Candidate(row, article) for row, article in session.execute(query)}

    def context(self, sentences: Sequence[SentenceRow], reach: int = 4) -> dict[int, tuple[Optional[str], Optional[str]]]:
        """For each sentence, the article body sentences just before and after it, at most
        ``reach`` positions away (headlines and teasers of other stories are skipped).
        One query for all of them: a range of positions for each run of findings within
        reach of one another in an article (a draft's 200 findings), each found through
        the (article_id, position) index."""
        if not sentences:
            return {}
        ranges: list[tuple[int, int, int]] = []  # (article_id, first, last position)
        for article_id, position in sorted({(s.article_id, s.position) for s in sentences}):
            if ranges and ranges[-1][0] == article_id and position - reach <= ranges[-1][2] + 1:
                ranges[-1] = (article_id, ranges[-1][1], position + reach)
            else:
                ranges.append((article_id, position - reach, position + reach))
        nearby = or_(*(and_(SentenceRow.article_id == article_id, SentenceRow.position.between(first, last))
                       for article_id, first, last in ranges))
        query = select(SentenceRow.article_id, SentenceRow.position, SentenceRow.text).where(
            nearby, SentenceRow.section == BODY
        )
        with self.session() as session:
            rows = session.execute(query).tuples().all()
        body: dict[int, list[tuple[int, str]]] = {}
        for article_id, position, text in sorted(rows):
            body.setdefault(article_id, []).append((position, text))
        found: dict[int, tuple[Optional[str], Optional[str]]] = {}
        for s in sentences:
            same = body.get(s.article_id, [])
            at = bisect_left(same, (s.position,))  # the sentence itself, or the first after it
            after_at = at + 1 if at < len(same) and same[at][0] == s.position else at
            before = same[at - 1] if at > 0 else None
            after = same[after_at] if after_at < len(same) else None
            found[s.id] = (before[1] if before and s.position - before[0] <= reach else None,
                           after[1] if after and after[0] - s.position <= reach else None)
        return found

    # -- editors' feedback ------------------------------------------------------------
    def add_feedback(self, fields: dict[str, Any], versions: dict[str, str]) -> Optional[FeedbackRow]:
        """Store an editor's feedback on a result; None when the sentence does not exist."""
        with self.session.begin() as session:
            sentence = session.get(SentenceRow, fields["sentence_id"]) if 0 < fields["sentence_id"] <= MAX_ID else None
            if sentence is None:
                return None
            row = FeedbackRow(
                claim=fields["claim"], sentence_id=sentence.id, article_id=sentence.article_id,
                sentence_text=sentence.text, stance=fields["stance"], verdict=fields["verdict"],
                note=fields.get("note"), embedding_model=versions["embedding"], stance_model=versions["stance"],
                created_at=datetime.now(timezone.utc),
            )
            session.add(row)
        return row

    def feedback_page(self, after_id: int, limit: int) -> list[FeedbackRow]:
        """Feedback in the order it came, after ``after_id`` (the cursor)."""
        query = select(FeedbackRow).where(FeedbackRow.id > after_id).order_by(FeedbackRow.id).limit(limit)
        with self.session() as session:
            return list(session.scalars(query))

    # -- the log the vector index follows -------------------------------------------
    def _log(self, session: Session, op: str, article_id: int, sentence_ids: list[int]) -> None:
        if self.is_postgres:
            # Hold the log's write lock until commit, so sequence order is commit order
            # and a reader that has seen seq N has seen everything below it.
            session.execute(sql("LOCK TABLE index_log IN EXCLUSIVE MODE"))
        session.add(IndexLogEntry(op=op, article_id=article_id, sentence_ids=sentence_ids))

    def last_seq(self) -> int:
        with self.session() as session:
            return session.scalar(select(func.coalesce(func.max(IndexLogEntry.seq), 0)))

    def changes_since(self, seq: int) -> list[Change]:
        # The ids are read as text and parsed entry by entry, so one unreadable entry
        # cannot make the whole log unreadable.
        query = (
            select(IndexLogEntry.seq, IndexLogEntry.op, cast(IndexLogEntry.sentence_ids, Text))
            .where(IndexLogEntry.seq > seq)
            .order_by(IndexLogEntry.seq)
        )
        with self.session() as session:
            return [Change(seq, op, _sentence_ids(ids)) for seq, op, ids in session.execute(query)]

    def embeddings(self, sentence_ids: Sequence[int], dimension: Optional[int] = None) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) for the given sentences that still exist and are embedded: none
        at all for an article deleted since. Rows whose embedding is not ``dimension``
        float32s are left out (and logged)."""
        if not sentence_ids:
            return _stack([])
        query = select(SentenceRow.id, SentenceRow.embedding).where(
            SentenceRow.id.in_([int(i) for i in sentence_ids]), SentenceRow.embedding.is_not(None)
        )
        with self.session() as session:
            rows = session.execute(query).all()
        return _stack(rows, dimension)

    def snapshot(
        self, batch: int = 20000, dimension: Optional[int] = None
    ) -> tuple[int, Iterator[tuple[np.ndarray, np.ndarray]]]:
        """(seq, batches of (ids, vectors)) of every indexed sentence, as of one moment
        (rows whose embedding is not ``dimension`` float32s left out, as in ``embeddings``).

        Replaying the log after ``seq`` on top of the batches gives the current index. On
        PostgreSQL the batches read one REPEATABLE READ snapshot; SQLite gives no snapshot
        across statements, but it has one writer, so ids grow in commit order and rows
        past the highest id at ``seq`` are left to the replay."""
        connection = self.engine.connect()
        if self.is_postgres:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        transaction = connection.begin()
        # One statement, so both maxima come from the same moment.
        seq, last_id = connection.execute(
            select(
                select(func.coalesce(func.max(IndexLogEntry.seq), 0)).scalar_subquery(),
                select(func.coalesce(func.max(SentenceRow.id), 0)).scalar_subquery(),
            )
        ).one()

        def batches():
            try:
                last = 0
                while True:
                    rows = connection.execute(
                        select(SentenceRow.id, SentenceRow.embedding)
                        .where(SentenceRow.id > last, SentenceRow.id <= last_id, SentenceRow.embedding.is_not(None))
                        .order_by(SentenceRow.id)
                        .limit(batch)
                    ).all()
                    if not rows:
                        return
                    last = rows[-1][0]
                    yield _stack(rows, dimension)
            finally:
                transaction.rollback()
                connection.close()

        return seq, batches()

    def indexed_count(self, through: Optional[int] = None) -> int:
        """How many sentences carry an embedding (what a complete index holds); with
        ``through``, only those with ids up to it."""
        query = select(func.count()).select_from(SentenceRow).where(SentenceRow.embedding.is_not(None))
        if through is not None:
            query = query.where(SentenceRow.id <= through)
        with self.session() as session:
            return session.scalar(query)

    def embedding_sample(self, n: int, dimension: Optional[int] = None) -> np.ndarray:
        """About ``n`` stored embeddings spread evenly over the corpus, to train an index on."""
        step = max(1, self.indexed_count() // max(n, 1))
        query = (
            select(SentenceRow.id, SentenceRow.embedding)
            .where(SentenceRow.embedding.is_not(None), SentenceRow.id % step == 0)
            .limit(n)
        )
        with self.session() as session:
            rows = session.execute(query).all()
        return _stack(rows, dimension)[1]

    # -- numbers --------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        with self.session() as session:
            return {
                "articles": session.scalar(select(func.count()).select_from(Article)),
                "sentences": session.scalar(select(func.count()).select_from(SentenceRow)),
                "claims": session.scalar(
                    select(func.count()).select_from(SentenceRow).where(SentenceRow.is_claim.is_(True))
                ),
            }

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(sql("SELECT 1"))


_memory_locks: dict[str, threading.Lock] = {}


def _stack(rows, dimension: Optional[int] = None) -> tuple[np.ndarray, np.ndarray]:
    """(ids, vectors) of (id, embedding bytes) rows; (0,) and (0, dimension) for none.

    A row whose embedding is not ``dimension`` float32s (by default, the first row's
    size) cannot go into the index: it is logged and left out, not allowed to stop the
    rows around it."""
    if dimension is None and rows:
        dimension = len(rows[0][1]) // 4
    size = 4 * (dimension or 0)
    bad = [r[0] for r in rows if len(r[1]) != size]
    if bad:
        log.error("left out sentences %s: their embeddings are not %d float32s", bad[:20], dimension)
        rows = [r for r in rows if len(r[1]) == size]
    ids = np.fromiter((r[0] for r in rows), dtype="int64", count=len(rows))
    vectors = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").astype("float32")
    return ids, vectors.reshape(len(rows), dimension or 0)

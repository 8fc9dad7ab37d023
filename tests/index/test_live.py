"""index.store + index.live: the vector index follows the store, on each backend."""
from __future__ import annotations

import json
import uuid

import numpy as np
import pytest

from index.live import META_FILE, LiveIndex
from index.store import CorpusStore
from models.article import ReadArticle, Sentence

DIM = 8


def _vectors(n, seed):
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, DIM)).astype("float32")
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _article(store, n=3, seed=0, claims=True):
    text = " ".join(f"Sentence {i} {uuid.uuid4().hex}." for i in range(n))
    sentences, offset = [], 0
    for part in text.split(" Sentence"):
        part = part if part.startswith("Sentence") else "Sentence" + part
        start = text.index(part, offset)
        sentences.append(Sentence(part, start, start + len(part), is_claim=claims))
        offset = start + len(part)
    vectors = _vectors(len(sentences), seed)
    embeddings = {i: vectors[i] for i in range(len(sentences))} if claims else {}
    article, created = store.add_article({"text": text}, ReadArticle(text, sentences=sentences), embeddings)
    assert created
    return article, vectors


@pytest.fixture
def store(empty_database_url):
    store = CorpusStore(empty_database_url)
    store.create_schema()
    return store


def test_live_index_finds_what_any_process_stored(store, tmp_path):
    mine = LiveIndex(store, DIM, "test-model", tmp_path / "a").open()
    other = LiveIndex(store, DIM, "test-model", tmp_path / "b").open()
    article, vectors = _article(store, seed=1)
    hits = other.search(vectors[1], 1)  # catches up before searching
    assert hits[0][0] == article.sentences[1].id and hits[0][1] == pytest.approx(1.0, abs=1e-5)
    assert mine.search(vectors[2], 1)[0][0] == article.sentences[2].id


def test_live_index_forgets_deleted_articles(store, tmp_path):
    live = LiveIndex(store, DIM, "test-model", tmp_path).open()
    article, vectors = _article(store, seed=2)
    size = len(live.search(vectors[0], 1)) and len(live)
    assert store.delete_article(article.id)
    live.catch_up()
    assert len(live) == size - 3
    assert all(hit[0] not in {s.id for s in article.sentences} for hit in live.search(vectors[0], 5))


def test_live_index_reloads_its_file_and_catches_up(store, tmp_path):
    live = LiveIndex(store, DIM, "test-model", tmp_path).open()
    _article(store, seed=3)
    live.catch_up()
    live.save()
    later, vectors = _article(store, seed=4)  # stored after the save
    reopened = LiveIndex(store, DIM, "test-model", tmp_path).open()
    assert reopened.seq == store.last_seq() and len(reopened) == len(LiveIndex(store, DIM, "test-model").open())
    assert reopened.search(vectors[0], 1)[0][0] == later.sentences[0].id


@pytest.mark.parametrize("damage", ["other_store", "other_model", "future_seq", "torn"])
def test_live_index_rebuilds_from_the_store_when_its_file_cannot_be_trusted(store, tmp_path, damage):
    live = LiveIndex(store, DIM, "test-model", tmp_path).open()
    _article(store, seed=5)
    live.catch_up()
    live.save()
    meta_path = tmp_path / META_FILE
    meta = json.loads(meta_path.read_text())
    if damage == "torn":
        meta_path.write_text(meta_path.read_text()[:10])
    else:
        meta.update(
            {"other_store": {"store_id": "elsewhere"}, "other_model": {"model": "another"}, "future_seq": {"seq": 10**9}}[damage]
        )
        meta_path.write_text(json.dumps(meta))
    reopened = LiveIndex(store, DIM, "test-model", tmp_path).open()
    fresh = LiveIndex(store, DIM, "test-model").open()
    assert len(reopened) == len(fresh) and reopened.seq == fresh.seq


def test_store_non_claims_are_stored_but_not_indexed(store, tmp_path):
    live = LiveIndex(store, DIM, "test-model").open()
    before = len(live)
    article, _ = _article(store, claims=False)
    live.catch_up()
    assert len(live) == before
    assert len(store.get_article(article.id).sentences) == 3


def test_store_duplicate_url_returns_the_first_article(store):
    text = "The ferry sank in 1994. " + uuid.uuid4().hex
    read = ReadArticle(text, sentences=[Sentence(text, 0, len(text), is_claim=False)])
    url = f"https://example.test/{uuid.uuid4().hex}"
    first, created = store.add_article({"text": text, "url": url}, read, {})
    second, created_again = store.add_article({"text": text + " (updated)", "url": url}, read, {})
    assert (created, created_again) == (True, False) and second.id == first.id


def test_store_schema_creation_is_safe_when_processes_start_together(empty_database_url):
    from concurrent.futures import ThreadPoolExecutor

    stores = [CorpusStore(empty_database_url) for _ in range(4)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda s: s.create_schema(), stores))
    assert len({s.store_id() for s in stores}) == 1


# -- one bad log entry never stops the index ------------------------------------------


def _log_entry(store, op, sentence_ids, article_id=0):
    """Append an entry to index_log as another writer (a newer version, a bad tool) might."""
    from index.tables import IndexLogEntry

    with store.session.begin() as session:
        session.add(IndexLogEntry(op=op, article_id=article_id, sentence_ids=sentence_ids))


def test_live_index_replays_an_add_whose_article_is_already_deleted(store, tmp_path):
    live = LiveIndex(store, DIM, "test-model", tmp_path / "a").open()
    lagging = LiveIndex(store, DIM, "test-model", tmp_path / "b").open()
    before = len(lagging)
    article, vectors = _article(store, seed=6)
    live.catch_up()
    assert store.delete_article(article.id)  # before `lagging` has seen the ADD
    assert lagging.catch_up() == 2 and lagging.seq == store.last_seq()
    assert len(lagging) == before and lagging.trouble() is None
    later, later_vectors = _article(store, seed=7)  # and it goes on following the store
    assert lagging.search(later_vectors[0], 1)[0][0] == later.sentences[0].id


def test_live_index_ignores_a_remove_of_ids_it_never_had(store, tmp_path):
    live = LiveIndex(store, DIM, "test-model", tmp_path).open()
    _, vectors = _article(store, seed=8)
    live.catch_up()
    size = len(live)
    _log_entry(store, "remove", [2**31 - 1, 2**31 - 2])
    assert live.catch_up() == 1 and live.seq == store.last_seq()
    assert len(live) == size and live.trouble() is None


def test_live_index_skips_entries_it_cannot_apply_and_says_so(store, tmp_path):
    live = LiveIndex(store, DIM, "test-model", tmp_path).open()
    _article(store, seed=9)
    live.catch_up()
    live.save()
    saved_seq = json.loads((tmp_path / META_FILE).read_text())["seq"]
    _log_entry(store, "reindex", [1, 2])  # an op of a newer version
    _log_entry(store, "add", {"ids": [1, 2]})  # ids in a shape this version cannot read
    _log_entry(store, "add", [1, "two"])
    skipped = list(range(saved_seq + 1, saved_seq + 4))
    later, vectors = _article(store, seed=10)

    assert live.catch_up() == 4 and live.seq == store.last_seq()
    assert live.search(vectors[0], 1)[0][0] == later.sentences[0].id
    trouble = live.trouble()
    assert [entry["seq"] for entry in trouble["skipped"]] == skipped
    assert "unknown op 'reindex'" in trouble["skipped"][0]["reason"] and trouble["seq"] == live.seq
    # The file is not saved past what it lacks: a restart (after an upgrade, say) replays those entries.
    live.save()
    assert json.loads((tmp_path / META_FILE).read_text())["seq"] == saved_seq
    reopened = LiveIndex(store, DIM, "test-model", tmp_path).open()
    assert [entry["seq"] for entry in reopened.trouble()["skipped"]] == skipped
    assert len(reopened) == len(live)


def test_live_index_leaves_out_a_stored_embedding_of_the_wrong_size(store, tmp_path):
    from sqlalchemy import update

    from index.tables import SentenceRow

    lagging = LiveIndex(store, DIM, "test-model", tmp_path / "a").open()
    before = len(lagging)
    article, vectors = _article(store, seed=11)
    with store.session.begin() as session:
        session.execute(update(SentenceRow).where(SentenceRow.id == article.sentences[0].id).values(embedding=b"\x00" * 12))
    lagging.catch_up()  # replaying the ADD
    rebuilt = LiveIndex(store, DIM, "test-model", tmp_path / "b").open()  # building from the store
    for live in (lagging, rebuilt):
        assert live.seq == store.last_seq()
        assert live.search(vectors[1], 1)[0][0] == article.sentences[1].id
    assert len(lagging) == before + 2 and len(rebuilt) == len(lagging)


def test_live_index_serves_what_it_has_while_the_store_cannot_be_followed(store, tmp_path):
    from sqlalchemy import text

    live = LiveIndex(store, DIM, "test-model", tmp_path).open()
    article, vectors = _article(store, seed=12)
    live.catch_up()
    with store.engine.begin() as connection:
        connection.execute(text("ALTER TABLE index_log RENAME TO index_log_away"))
    try:
        assert live.catch_up() == 0
        assert live.search(vectors[0], 1)[0][0] == article.sentences[0].id
        trouble = live.trouble()
        assert trouble["seq"] == live.seq and "cannot catch up with the store" in trouble["reason"]
    finally:
        with store.engine.begin() as connection:
            connection.execute(text("ALTER TABLE index_log_away RENAME TO index_log"))
    later, later_vectors = _article(store, seed=13)
    assert live.search(later_vectors[0], 1)[0][0] == later.sentences[0].id
    assert live.trouble() is None

"""index.vectors + the kind switching of index.live: exact while small, IVF above."""
from __future__ import annotations

import numpy as np
import pytest

from index import vectors as vector_module
from index.live import META_FILE, LiveIndex
from index.store import CorpusStore
from index.vectors import FLAT, IVF, Plan, VectorIndex, lists_for, plan
from models.article import ReadArticle, Sentence

DIM = 16


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype("float32")


def _clustered(n: int, seed: int, clusters: int = 50) -> np.ndarray:
    """Unit vectors around a few centres, like topics in a news corpus."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, DIM))
    return _unit(centres[rng.integers(0, clusters, n)] + 0.6 * rng.normal(size=(n, DIM)))


def test_plan_is_exact_up_to_the_threshold_then_ivf_with_more_lists_as_the_corpus_grows():
    limit = vector_module.EXACT_UP_TO
    assert plan(0) == plan(limit) == Plan(FLAT)
    assert plan(limit + 1) == Plan(IVF, lists_for(limit + 1))
    assert lists_for(1_000_000) == 512 and lists_for(10_000_000) == 2048
    ivf = Plan(IVF, 256)
    # Kept until the corpus calls for twice the lists (512^2 vectors), then retrained...
    assert plan(512**2 - 1, ivf) == ivf and plan(512**2, ivf) == Plan(IVF, 512)
    # ...never for fewer lists, and back to exact only when it shrinks below half the threshold.
    assert plan(limit, ivf) == ivf and plan(limit // 2 - 1, ivf) == Plan(FLAT)


def test_flat_search_of_many_queries_at_once_finds_what_each_finds_alone():
    # 40 queries go through one matrix product (distance_compute_blas_threshold), one
    # query through a scan: the same hits either way.
    corpus, queries = _clustered(5_000, seed=3), _clustered(40, seed=4)
    index = VectorIndex(DIM)
    index.add(np.arange(len(corpus)), corpus)
    scores, ids = index.search(queries, 10)
    for query, row_scores, row_ids in zip(queries, scores, ids):
        alone_scores, alone_ids = index.search(query[None, :], 10)
        np.testing.assert_allclose(row_scores, alone_scores[0], atol=1e-5)
        assert set(row_ids) == set(alone_ids[0])


def test_ivf_recall_at_10_against_exact_search_on_a_synthetic_corpus():
    corpus, queries = _clustered(20_000, seed=1), _clustered(200, seed=2)
    ids = np.arange(100, 100 + len(corpus))
    exact, approximate = VectorIndex(DIM), VectorIndex.trained(DIM, 64, corpus[::5])
    exact.add(ids, corpus)
    approximate.add(ids, corpus)
    assert (exact.kind, approximate.kind) == (FLAT, IVF)
    truth, found = exact.search(queries, 10)[1], approximate.search(queries, 10)[1]
    recall = np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found)])
    assert recall >= 0.95


def test_ivf_removes_ids_at_once():
    corpus = _clustered(2_000, seed=3)
    index = VectorIndex.trained(DIM, 16, corpus)
    index.add(np.arange(len(corpus)), corpus)
    assert index.remove([5, 6, 7]) == 3 and len(index) == len(corpus) - 3
    assert 5 not in set(index.search(corpus[5:6], 10)[1][0])


# -- the live index switches kind as the store grows -------------------------------------
@pytest.fixture
def small_threshold(monkeypatch):
    """Exact up to 100 vectors, so a few hundred make an IVF index."""
    monkeypatch.setattr(vector_module, "EXACT_UP_TO", 100)


@pytest.fixture
def store(empty_database_url):
    store = CorpusStore(empty_database_url)
    store.create_schema()
    return store


def _add(store, vectors: np.ndarray, tag: str):
    sentences, parts, offset = [], [], 0
    for i in range(len(vectors)):
        text = f"Sentence {tag} {i}."
        sentences.append(Sentence(text, offset, offset + len(text), is_claim=True))
        parts.append(text)
        offset += len(text) + 1
    text = " ".join(parts)
    article, created = store.add_article(
        {"text": text, "url": f"https://example.test/{tag}"}, ReadArticle(text, sentences=sentences),
        dict(enumerate(vectors)),
    )
    assert created
    return article


def test_live_index_becomes_ivf_when_the_corpus_passes_the_threshold(store, tmp_path, small_threshold):
    live = LiveIndex(store, DIM, "test-model", tmp_path).open()
    first = _add(store, _clustered(60, seed=4), "first")
    live.catch_up()
    assert live.kind == FLAT and not live.rebuild_if_outgrown()

    vectors = _clustered(400, seed=5)
    second = _add(store, vectors, "second")
    live.catch_up()
    assert live.rebuild_if_outgrown() and live.kind == IVF and len(live) == 460
    assert live.search(vectors[7], 1)[0][0] == second.sentences[7].id

    # Deleting an article takes its sentences out of the IVF index at once.
    assert store.delete_article(second.id)
    assert all(i in {s.id for s in first.sentences} for i, _ in live.search(vectors[7], 20))
    assert len(live) == 60


def test_live_index_replays_what_was_stored_while_it_was_building(store, tmp_path, small_threshold, monkeypatch):
    live = LiveIndex(store, DIM, "test-model", tmp_path).open()
    _add(store, _clustered(300, seed=6), "before")
    live.catch_up()
    snapshot = store.snapshot
    late_vectors = _clustered(5, seed=7)
    late = []

    def snapshot_then_write(*args, **kwargs):
        taken = snapshot(*args, **kwargs)
        if not late:  # a check arriving mid-build still searches the old index
            late.append(_add(store, late_vectors, "during"))
            assert live.search(late_vectors[0], 1)[0][0] == late[0].sentences[0].id
        return taken

    monkeypatch.setattr(store, "snapshot", snapshot_then_write)
    assert live.rebuild_if_outgrown() and live.kind == IVF
    assert len(live) == 305
    assert live.search(late_vectors[2], 1)[0][0] == late[0].sentences[2].id


def test_live_index_saves_and_reloads_an_ivf_index(store, tmp_path, small_threshold):
    vectors = _clustered(400, seed=8)
    article = _add(store, vectors, "saved")
    built = LiveIndex(store, DIM, "test-model", tmp_path).open()  # builds IVF from the store and saves it
    assert built.kind == IVF
    meta_file = (tmp_path / META_FILE).read_text()
    assert '"kind": "ivf"' in meta_file

    later = _add(store, _clustered(3, seed=9), "later")
    reopened = LiveIndex(store, DIM, "test-model", tmp_path).open()
    assert reopened.kind == IVF and reopened.vectors.plan == built.vectors.plan
    assert len(reopened) == 403 and reopened.seq == store.last_seq()
    assert reopened.search(vectors[11], 1)[0][0] == article.sentences[11].id
    assert later.id


def test_a_second_process_loads_the_ivf_index_the_first_one_built(store, tmp_path, small_threshold):
    _add(store, _clustered(400, seed=10), "shared")
    first = LiveIndex(store, DIM, "test-model", tmp_path).open()
    second = LiveIndex(store, DIM, "test-model", tmp_path)
    assert second._read_file(first.vectors.plan) is not None
    second.open()
    assert second.kind == IVF and len(second) == len(first)

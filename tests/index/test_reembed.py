"""index.reembed: a store embedded by another model is re-embedded before it is searched."""
from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from index.live import LiveIndex
from index.reembed import UNRECORDED_MODEL, ensure_embedding_model
from index.store import CorpusStore
from models.article import ReadArticle, Sentence
from models.encoder import DIMENSION

ROOT = Path(__file__).resolve().parents[2]
OTHER_MODEL = "all-MiniLM-L6-v2"  # the torch model the service ran before
ARTICLES = [
    ["The Nordhavn desalination plant produced 9,400 cubic metres of water a day.",
     "Engineers expect output to double by 2027."],
    ["The city council voted to close the central library on Sundays.",
     "The mayor said the savings would pay for two new bus lines."],
    ["Wheat prices rose 12 percent after the drought in the south.",
     "Farmers asked the ministry for emergency loans."],
]
CLAIM = "The mayor says closing the library pays for new buses"


def _add(store: CorpusStore, sentences: list[str], seed: int):
    """An article whose claim sentences carry another model's vectors (here: random ones,
    so that only re-embedded vectors can find them)."""
    text = " ".join(sentences)
    read = ReadArticle(text, sentences=[Sentence(s, text.index(s), text.index(s) + len(s), is_claim=True)
                                        for s in sentences])
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(len(sentences), DIMENSION)).astype("float32")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    article, created = store.add_article({"text": text}, read, dict(enumerate(vectors)))
    assert created
    return article


def _stored_vectors(store: CorpusStore, article) -> np.ndarray:
    return store.embeddings([s.id for s in article.sentences])[1]


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """The same texts' embeddings (up to float rounding: batches are padded differently)."""
    return bool(np.sum(a * b, axis=1).min() >= 0.999)


@pytest.fixture
def old_store(empty_database_url):
    store = CorpusStore(empty_database_url)
    store.create_schema()
    store.record_embedding_model(OTHER_MODEL)
    articles = [_add(store, sentences, seed) for seed, sentences in enumerate(ARTICLES)]
    return store, articles


def test_reembed_store_of_another_model_then_searchable(old_store, encoder, tmp_path):
    store, articles = old_store
    seen = []
    assert ensure_embedding_model(store, encoder, batch=4, progress=lambda done, total: seen.append((done, total))) == 6
    assert store.embedding_model() == encoder.name
    assert seen == [(4, 6), (6, 6)]
    for article, sentences in zip(articles, ARTICLES):
        assert _same(_stored_vectors(store, article), encoder.encode(sentences))
    index = LiveIndex(store, DIMENSION, encoder.name, tmp_path).open()
    best = index.search(encoder.encode([CLAIM])[0], 1)[0][0]
    assert best == articles[1].sentences[1].id
    assert ensure_embedding_model(store, encoder) == 0  # done once


def test_reembed_new_store_records_the_model(empty_database_url, encoder):
    store = CorpusStore(empty_database_url)
    store.create_schema()
    assert store.embedding_model() is None
    assert ensure_embedding_model(store, encoder) == 0
    assert store.embedding_model() == encoder.name


def test_reembed_store_without_a_recorded_model_counts_as_the_torch_one(empty_database_url, encoder):
    store = CorpusStore(empty_database_url)
    store.create_schema()
    article = _add(store, ARTICLES[0], seed=9)
    assert UNRECORDED_MODEL == OTHER_MODEL
    assert ensure_embedding_model(store, encoder) == 2
    assert _same(_stored_vectors(store, article), encoder.encode(ARTICLES[0]))


def test_reembed_resumes_after_the_last_batch_committed(old_store, encoder):
    store, articles = old_store
    first = articles[0]
    # A re-embedding cut short after the first article's batch:
    store.replace_embeddings([s.id for s in first.sentences], encoder.encode(ARTICLES[0]), model=encoder.name)
    assert store.reembedding_progress(encoder.name) == first.sentences[-1].id
    assert store.reembedding_progress("another-model") == 0
    assert ensure_embedding_model(store, encoder, batch=2) == 4
    assert store.reembedding_progress(encoder.name) == 0 and store.embedding_model() == encoder.name


def test_reembed_processes_starting_together_reembed_once(old_store, encoder, empty_database_url):
    store, _ = old_store
    stores = [CorpusStore(empty_database_url) for _ in range(4)]  # as four worker processes would
    with ThreadPoolExecutor(4) as pool:
        counts = list(pool.map(lambda s: ensure_embedding_model(s, encoder, batch=2), stores))
    assert sorted(counts) == [0, 0, 0, 6]
    assert store.embedding_model() == encoder.name


def test_reembed_command_line(tmp_path, encoder):
    store = CorpusStore(f"sqlite:///{tmp_path / 'sayso.db'}")
    store.create_schema()
    store.record_embedding_model(OTHER_MODEL)
    article = _add(store, ARTICLES[2], seed=3)
    env = dict(os.environ, SAYSO_DATA_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "service.cli", "reembed"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "2 claim sentences re-embedded" in done.stdout and "re-embedded 2/2" in done.stderr
    assert store.embedding_model() == encoder.name
    assert _same(_stored_vectors(store, article), encoder.encode(ARTICLES[2]))

"""index.store: what a check reads back from the store besides the candidates."""
from __future__ import annotations

import pytest

from index.store import CorpusStore
from models.article import BODY, TEASER, ReadArticle, Sentence


@pytest.fixture
def store(empty_database_url):
    store = CorpusStore(empty_database_url)
    store.create_schema()
    return store


def _article(store, sections, tag):
    """An article whose sentence i reads "<tag> i." with the section given."""
    texts = [f"{tag} {i}." for i in range(len(sections))]
    text = " ".join(texts)
    sentences, start = [], 0
    for sentence, section in zip(texts, sections):
        sentences.append(Sentence(sentence, start, start + len(sentence), is_claim=False, section=section))
        start += len(sentence) + 1
    article, created = store.add_article({"text": text}, ReadArticle(text, sentences=sentences), {})
    assert created
    return {row.position: row for row in store.get_article(article.id).sentences}


def test_store_context_gives_each_sentence_its_body_neighbours_within_reach(store):
    # A: body 0-2, a teaser at 3, body 4-5, teasers 6-10, body 11.
    a = _article(store, [BODY] * 3 + [TEASER] + [BODY] * 2 + [TEASER] * 5 + [BODY], "A")
    b = _article(store, [BODY] * 3, "B")
    asked = [a[0], a[2], a[4], a[5], a[11], b[1]]
    context = store.context(asked)
    assert context[a[0].id] == (None, "A 1.")
    assert context[a[2].id] == ("A 1.", "A 4.")  # the teaser between is skipped
    assert context[a[4].id] == ("A 2.", "A 5.")
    assert context[a[5].id] == ("A 4.", None)  # the next body sentence is 6 away, past reach 4
    assert context[a[11].id] == (None, None)
    assert context[b[1].id] == ("B 0.", "B 2.")
    # Asked alone, a sentence gets what it gets among others.
    assert all(store.context([row])[row.id] == context[row.id] for row in asked)
    assert store.context([]) == {}

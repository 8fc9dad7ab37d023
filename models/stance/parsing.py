"""The one spaCy pipeline the stance detectors share, and small lemma helpers.

Both detectors (quantities, refutation) read the dependency parse; loading the
pipeline once per process and caching parses of repeated claims keeps a check fast.
"""
from __future__ import annotations


# Words that carry no topic: auxiliaries, reporting verbs, generic nouns.
UNINFORMATIVE = {
    "be", "have", "do", "say", "tell", "report", "state", "claim", "add", "according",
    "also", "now", "then", "on", "in", "the", "a", "an", "its", "their", "his", "her",
    "thursday", "monday", "tuesday", "wednesday", "friday", "saturday", "sunday",
    "earlier", "later", "today", "yesterday", "-PRON-",
}
CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"}


def nlp():
    """The service's spaCy pipeline (tagger, parser, lemmatizer, NER), loaded once per process."""
    from models.language import load_nlp

    return load_nlp()


_CACHE_SIZE = 4096
_docs: dict[str, object] = {}


def parse_many(texts: list[str]) -> list:
    """spaCy Docs of ``texts``; cached, so a claim checked against many sentences is parsed once."""
    missing = [t for t in dict.fromkeys(texts) if t not in _docs]
    if len(_docs) + len(missing) > _CACHE_SIZE:
        _docs.clear()
        missing = list(dict.fromkeys(texts))  # what was cached went with the rest
    for text, doc in zip(missing, nlp().pipe(missing)):
        _docs[text] = doc
    return [_docs[t] for t in texts]


def parse(text: str):
    return parse_many([text])[0]


def lemma(token) -> str:
    """Lower-case lemma of a token."""
    return token.lemma_.lower()


def key(token) -> str:
    """A crude stem for matching words across claim and sentence: the lemma's first 7
    letters, so "Azerbaijani" meets "Azerbaijan" and "Armenian" meets "Armenia"."""
    return lemma(token)[:7]


def content_keys(tokens) -> set[str]:
    """Stems of the topic-bearing words among ``tokens`` (no stop words, no reporting verbs)."""
    return {
        key(t)
        for t in tokens
        if t.pos_ in CONTENT_POS and not t.is_stop and not t.is_punct and lemma(t) not in UNINFORMATIVE
    }

"""Parses for the stance detectors, and small lemma helpers.

Both detectors (quantities, refutation) read the dependency parse. The judge is handed
a spaCy pipeline (as the article reader is) and keeps a ``Parser`` that caches parses,
so a claim checked against many sentences, or a sentence met in many checks, is
parsed once.
"""
from __future__ import annotations

from collections import OrderedDict


# Words that carry no topic: auxiliaries, reporting verbs, generic nouns.
UNINFORMATIVE = {
    "be", "have", "do", "say", "tell", "report", "state", "claim", "add", "according",
    "also", "now", "then", "on", "in", "the", "a", "an", "its", "their", "his", "her",
    "thursday", "monday", "tuesday", "wednesday", "friday", "saturday", "sunday",
    "earlier", "later", "today", "yesterday", "-PRON-",
}
CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"}


class Parser:
    """spaCy Docs of texts, the most recently used ``cache_size`` of them kept."""

    def __init__(self, nlp, cache_size: int = 4096):
        self.nlp = nlp
        self.cache_size = cache_size
        self._docs: OrderedDict[str, object] = OrderedDict()

    def parse_many(self, texts: list[str]) -> list:
        wanted = list(dict.fromkeys(texts))
        missing = [t for t in wanted if t not in self._docs]
        for text, doc in zip(missing, self.nlp.pipe(missing)):
            self._docs[text] = doc
        found = {t: self._docs[t] for t in wanted}
        for text in wanted:
            self._docs.move_to_end(text)
        while len(self._docs) > max(self.cache_size, len(wanted)):
            self._docs.popitem(last=False)
        return [found[t] for t in texts]

    def parse(self, text: str):
        return self.parse_many([text])[0]


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

"""Cues: the words that tie a sentence to the one who says it.

A cue is a verb of saying ("said", "boasted", "told reporters"), "according to",
a passive agent ("claimed by Hamas") or a medium phrase ("in a statement, ...").
Each cue found here comes with the token heading its source noun phrase, read
off spaCy's dependency parse.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from spacy.tokens import Span, Token

from models.attribution.constants import (
    ACCORDING,
    CONTENT_DEPS,
    MEDIUM_NOUNS,
    SPEECH_VERBS,
    WEAK_SPEECH_VERBS,
)

# Cue.kind
VERB = "verb"
ACCORDING_TO = "according to"
PASSIVE = "passive"
MEDIUM = "medium"

# Among cues equally close to the root, a verb of saying wins.
_PRIORITY = {VERB: 0, PASSIVE: 1, ACCORDING_TO: 2, MEDIUM: 3}

_SUBJECT_DEPS = ("nsubj", "csubj")
_PASSIVE_SUBJECT_DEPS = ("nsubjpass", "csubjpass")
# A verb without a subject of its own takes the subject of the verb it hangs on:
# "He laughed and said ...", "Trump hit back, saying ...".
_INHERITS_SUBJECT = ("conj", "advcl", "xcomp")
_MAX_INHERIT = 3


@dataclass
class Cue:
    kind: str
    text: str            # the cue word(s) as written
    token: Token         # the token heading the cue
    source: Token        # the token heading the source noun phrase
    depth: int           # distance of the cue from the sentence root

    @property
    def is_passive(self) -> bool:
        return self.kind == PASSIVE


def find_cues(sentence: Span, is_quoted: Callable[[Token], bool]) -> list[Cue]:
    """All cues of ``sentence`` that lie outside quotation marks, outermost first."""
    cues = []
    for token in sentence:
        if is_quoted(token):
            continue
        cue = _verb_cue(token, sentence) or _according_cue(token) or _medium_cue(token)
        if cue is not None and not is_quoted(cue.source):
            cues.append(cue)
    cues.sort(key=lambda cue: (cue.depth, _PRIORITY[cue.kind], cue.token.i))
    return cues


def _depth(token: Token) -> int:
    depth = 0
    while token.head is not token and depth < 50:
        token = token.head
        depth += 1
    return depth


def _subject(verb: Token) -> Optional[Token]:
    """The subject of ``verb``, borrowed from the governing verb when it has none."""
    for _ in range(_MAX_INHERIT + 1):
        for child in verb.children:
            if child.dep_ in _SUBJECT_DEPS and child.lower_ not in ("it", "there"):
                return child
        if any(child.dep_ in _PASSIVE_SUBJECT_DEPS for child in verb.children):
            return None
        if verb.dep_ in _INHERITS_SUBJECT and verb.head is not verb and verb.head.pos_ in ("VERB", "AUX"):
            verb = verb.head
        else:
            return None
    return None


def _inverted_subject(verb: Token) -> Optional[Token]:
    """The proper noun after the verb in "..., said Smith." when the parser missed it."""
    for child in verb.rights:
        if child.dep_ in ("dobj", "attr", "npadvmod", "oprd") and child.pos_ == "PROPN":
            return child
    return None


def _agent(verb: Token) -> Optional[Token]:
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _has_content(verb: Token, sentence: Span) -> bool:
    """Whether a weak cue verb introduces reported content."""
    if any(child.dep_ in ("ccomp", "parataxis") for child in verb.children):
        return True
    return any(token.text in ('"', "“", "”") for token in sentence)


def _verb_cue(token: Token, sentence: Span) -> Optional[Cue]:
    if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in SPEECH_VERBS:
        return None
    if token.lemma_.lower() in WEAK_SPEECH_VERBS and not _has_content(token, sentence):
        return None
    agent = _agent(token)
    if agent is not None:
        return Cue(PASSIVE, f"{token.text} by", token, agent, _depth(token))
    source = _subject(token) or _inverted_subject(token)
    if source is None:
        return None
    return Cue(VERB, _verb_phrase(token), token, source, _depth(token))


def _verb_phrase(verb: Token) -> str:
    """The verb with its particle: "pointed out", "called for"."""
    words = [verb.text]
    for child in verb.rights:
        if child.dep_ == "prt":
            words.append(child.text)
    return " ".join(words)


def _according_cue(token: Token) -> Optional[Cue]:
    if token.lower_ != ACCORDING:
        return None
    for to in token.children:
        if to.lower_ == "to":
            for pobj in to.children:
                if pobj.dep_ == "pobj":
                    return Cue(ACCORDING_TO, f"{token.text} {to.text}", token, pobj, _depth(token.head))
    return None


def _medium_cue(token: Token) -> Optional[Cue]:
    """ "In a statement, the ministry condemned ...": the statement is the cue."""
    if token.lower_ not in MEDIUM_NOUNS or token.dep_ != "pobj":
        return None
    preposition = token.head
    if preposition.lower_ not in ("in", "on") or preposition.head.pos_ not in ("VERB", "AUX"):
        return None
    verb = preposition.head
    source = _subject(verb)
    if source is None:
        return None
    words = [t.text for t in token.doc[preposition.i : token.i + 1]]
    return Cue(MEDIUM, " ".join(words), token, source, _depth(verb))

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

from models.attribution.names import is_proper
from models.attribution.constants import (
    ACCORDING,
    CONTENT_DEPS,
    DASHES,
    HEADING_WORDS,
    MEDIUM_NOUNS,
    ORGANIZATION_LABELS,
    PERSON_LABELS,
    INVERSION_MARKS,
    PARENTHESIS_MAX_TOKENS,
    SPEECH_VERBS,
    STATEMENT_NOUNS,
    SUBORDINATE_DEPTH,
    SUBORDINATORS,
    WEAK_SPEECH_VERBS,
)

COLON_MAX_SOURCE_WORDS = 8
# ... and at most this many words unless all of them name a person.
COLON_MAX_NAME_WORDS = 3


# Cue.kind
VERB = "verb"
ACCORDING_TO = "according to"
PASSIVE = "passive"
MEDIUM = "medium"
COLON = "colon"

# Among cues equally close to the root, "according to" wins (it reports the report:
# "Trump said ..., according to The New York Times" is the Times's), then a verb of saying.
_PRIORITY = {COLON: -1, ACCORDING_TO: 0, VERB: 1, PASSIVE: 2, MEDIUM: 3}

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
    span: Optional[Span] = None  # the source's words, when not the subtree of ``source``

    @property
    def is_passive(self) -> bool:
        return self.kind == PASSIVE


def find_cues(sentence: Span, is_quoted: Callable[[Token], bool]) -> list[Cue]:
    """All cues of ``sentence`` that lie outside quotation marks, outermost first."""
    cues = []
    colon = _colon_cue(sentence)
    if colon is not None:
        return [colon]
    for token in sentence:
        if is_quoted(token):
            continue
        cue = _verb_cue(token, sentence) or _according_cue(token) or _medium_cue(token, sentence)
        if cue is not None and not is_quoted(cue.source):
            cue.source = _outside_parentheses(cue.source)
            cues.append(cue)
    cues.sort(key=lambda cue: (cue.depth, _PRIORITY[cue.kind], cue.token.i))
    return cues


def is_bare(cue: Cue) -> bool:
    """A verb of saying that reports nothing itself ("Murphy tweeted on Friday"): it
    attributes the quote next to it."""
    return cue.kind == VERB and not any(child.dep_ in CONTENT_DEPS | {"dobj"} for child in cue.token.children)


def _outside_parentheses(token: Token) -> Token:
    """ "Sen. Richard Blumenthal (D-Conn.)": the parser may head the phrase with "Conn.";
    the speaker is the name before the parenthesis."""
    doc = token.doc
    i = token.i
    while i > max(token.sent.start, token.i - PARENTHESIS_MAX_TOKENS):
        i -= 1
        if doc[i].text == ")":
            return token
        if doc[i].text == "(":
            before = doc[i - 1] if i > token.sent.start else None
            if before is not None and is_proper(before):
                return before
            return token
    return token


def _depth(token: Token) -> int:
    """Distance from the sentence root, where a subordinate clause counts extra: in
    "While Comey said ..., he insisted ..." the main clause's cue wins."""
    depth = 0
    for _ in range(50):
        if _is_subordinate(token):
            depth += SUBORDINATE_DEPTH
        if token.head == token:
            break
        token = token.head
        depth += 1
    return depth


def _is_subordinate(token: Token) -> bool:
    if token.dep_ in ("csubj", "relcl", "acl", "pcomp"):
        return True
    return token.dep_ == "advcl" and any(
        child.dep_ == "mark" and child.lower_ in SUBORDINATORS for child in token.children
    )


def _subject(verb: Token) -> Optional[Token]:
    """The subject of ``verb``, borrowed from the governing verb when it has none."""
    for _ in range(_MAX_INHERIT + 1):
        # The parser may hang a quoted clause's subject on the verb too ("“... Ohio,”
        # Mr. Trump said."): of several subjects, the one nearest the verb speaks.
        subjects = [child for child in verb.children
                    if child.dep_ in _SUBJECT_DEPS and child.lower_ not in ("it", "there")]
        if subjects:
            return min(subjects, key=lambda child: abs(child.i - verb.i))
        if any(child.dep_ in _PASSIVE_SUBJECT_DEPS for child in verb.children):
            return None
        if verb.dep_ in _INHERITS_SUBJECT and verb.head != verb and verb.head.pos_ in ("VERB", "AUX"):
            verb = verb.head
        elif verb.dep_ == "acl" and verb.head.dep_ == "dobj" and verb.head.lemma_.lower() in MEDIUM_NOUNS:
            # "She released a statement saying ...": the statement's issuer speaks.
            verb = verb.head.head
        elif verb.dep_ == "pcomp" and verb.head.dep_ in ("prep", "advcl") and verb.head.head.pos_ in ("VERB", "AUX"):
            # "After saying he was nervous, the man ...", "... by saying he would help".
            verb = verb.head.head
        else:
            return None
    return None


def _inverted_subject(verb: Token) -> Optional[Token]:
    """The speaker after the verb in "..., said Smith." / "“...,” says the report."."""
    doc = verb.doc
    if verb.i == 0 or verb.i + 1 >= len(doc) or doc[verb.i - 1].text not in INVERSION_MARKS:
        return None
    for child in verb.rights:
        if child.dep_ in ("nsubj", "dobj", "attr", "npadvmod", "oprd", "appos") and child.left_edge.i == verb.i + 1:
            return child
    return None


def _mistagged_subject(verb: Token) -> Optional[Token]:
    """A capitalised word right before the verb that the tagger took for something
    else ("Jolly said ..." read as an adverb)."""
    if verb.i == 0:
        return None
    before = verb.doc[verb.i - 1]
    if before.head == verb and before.text[:1].isupper() and before.is_alpha and before.i == verb.sent.start:
        return before
    return None


def _stranded_subject(verb: Token) -> Optional[Token]:
    """A name just before a verb with no subject, which the parser hung elsewhere as an
    appositive or conjunct: "Alarmed by the unrest in Nevada, Senator Harry Reid, the
    minority leader, said ..." (Reid read as a conjunct of Nevada)."""
    if verb.dep_ != "ROOT" or verb.i == verb.sent.start:
        return None
    token = verb.doc[verb.i - 1]
    if token.text != "," or token.i == verb.sent.start:
        return None
    token = verb.doc[token.i - 1]
    # climb out of the appositives ("the minority leader", "44") to the name they describe
    while token.dep_ == "appos" and token.head.i < token.i:
        if is_proper(token) and token.head.pos_ not in ("PROPN", "PRON"):
            break
        token = token.head
    if token.dep_ in ("appos", "conj") and token.right_edge.i == verb.i - 2 and is_proper(token) \
            and token.ent_type_ in PERSON_LABELS | ORGANIZATION_LABELS:
        return token
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
    if any(child.dep_ in CONTENT_DEPS for child in verb.children):
        return True
    return any(token.text in ('"', "“", "”") for token in sentence)


def _verb_cue(token: Token, sentence: Span) -> Optional[Cue]:
    if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in SPEECH_VERBS:
        return None
    if token.lemma_.lower() in WEAK_SPEECH_VERBS and not _has_content(token, sentence):
        return None
    if token.tag_ == "VB" and token.dep_ == "xcomp" and not _has_content(token, sentence):
        return None
    agent = _agent(token)
    if agent is not None:
        return Cue(PASSIVE, f"{token.text} by", token, agent, _depth(token))
    source = _subject(token) or _inverted_subject(token) or _mistagged_subject(token) or _stranded_subject(token)
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
                    depth = 0 if _frames_sentence(token) else _depth(token.head)
                    return Cue(ACCORDING_TO, f"{token.text} {to.text}", token, pobj, depth)
    return None


def _frames_sentence(according: Token) -> bool:
    """Whether "according to X" opens the sentence or closes it after a comma: then it
    reports all of it, wherever the parser attached it ("Kasich said he would have
    fired him, according to press reports.")."""
    sentence = according.sent
    words = [t for t in sentence if not t.is_punct]
    if not words:
        return False
    if according.i == words[0].i:
        return True
    before = according.doc[according.i - 1] if according.i > sentence.start else None
    return before is not None and before.text == "," and according.right_edge.i >= words[-1].i


def _medium_cue(token: Token, sentence: Span) -> Optional[Cue]:
    """ "In a statement, the ministry condemned ...": the statement is the cue. Other
    media report speech only with content: "In an interview, Trump said ..." does,
    "In an interview, Trump did not rule out ..." does not."""
    if token.lower_ not in MEDIUM_NOUNS or token.dep_ != "pobj":
        return None
    preposition = token.head
    if preposition.lower_ not in ("in", "on") or preposition.head.pos_ not in ("VERB", "AUX"):
        return None
    verb = preposition.head
    if token.lemma_.lower() not in STATEMENT_NOUNS and not _has_content(verb, sentence):
        return None
    source = _subject(verb)
    if source is None:
        return None
    words = [t.text for t in token.doc[preposition.i : token.i + 1]]
    return Cue(MEDIUM, " ".join(words), token, source, _depth(verb))


def _colon_cue(sentence: Span) -> Optional[Cue]:
    """ "Matthews: Well, speculation is bad." / "TAPPER: Do you think ..." / "Lessons
    learned - Carl Bialik: “...”": a name (or a speaker label in capitals) opening the
    sentence or following a dash, a colon, then a clause."""
    colon = next((t for t in sentence if t.text == ":"), None)
    if colon is None or colon.i == sentence.start or colon.i + 1 >= sentence.end:
        return None
    opening = sentence.start
    for token in sentence.doc[sentence.start : colon.i]:
        if token.text in DASHES and token.i > sentence.start:
            opening = token.i + 1  # "Pollsters agree - Carl Bialik:"
    words = [t for t in sentence.doc[opening : colon.i] if not t.is_punct]
    if not words or len(words) > COLON_MAX_SOURCE_WORDS or (len(words) == 1 and len(words[0].text) == 1):
        return None  # "Q:" / "A:" in an interview transcript
    if any(t.lower_ in HEADING_WORDS or not t.text[:1].isalnum() for t in words):
        return None  # "Editor's Note:", "The Latest:", "Breaking:"
    # Headlines are in title case, where the tagger often misses names ("Sanders" as a noun).
    named = all(t.ent_type_ or t.pos_ == "PROPN" or (t.pos_ == "NOUN" and t.text[:1].isupper())
                for t in words if not t.is_stop)
    short = len(words) <= COLON_MAX_NAME_WORDS or all(t.ent_type_ in PERSON_LABELS for t in words)
    label = len(words) == 1 and words[0].text.isupper()
    said = sentence.doc[colon.i + 1 : sentence.end]
    if not ((named and short) or label) or not any(t.pos_ in ("VERB", "AUX") for t in said):
        return None  # a heading ("Delegate Update: ...") or a tally ("Clinton: 2,316.")
    span = sentence.doc[words[0].i : words[-1].i + 1]
    return Cue(COLON, ":", colon, span.root, -1, span)

"""Names: who a source noun phrase stands for.

``read_source`` splits a source noun phrase into a name and a role ("Russian
President Vladimir Putin" -> "Vladimir Putin", "Russian President") and guesses
its kind. ``NameBook`` remembers the people and bodies an article has named, so
that later short names ("Putin"), pronouns ("he") and relative pronouns ("who")
come back as the canonical full name.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Optional

from spacy.tokens import Doc, Span, Token

from models.article import GOVERNMENT, ORGANIZATION, PERSON, UNKNOWN
from models.attribution.constants import (
    GOVERNMENT_LABELS,
    GOVERNMENT_METONYMS,
    GOVERNMENT_NOUNS,
    DASHES,
    DATELINE_MAX_TOKENS,
    FOCUS_WORDS,
    GROUP_PRONOUNS,
    MEDIUM_NOUNS,
    ORGANIZATION_LABELS,
    ORGANIZATION_NOUNS,
    PERSON_LABELS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
    PRONOUN_WINDOW,
    PRONOUNS,
    RELATIVE_PRONOUNS,
    SPEECH_VERBS,
    STANCE_VERBS,
    THING_PRONOUNS,
    TITLE_WORDS,
)

# Dependency labels of a noun phrase that may later be referred to by a pronoun.
NOUN_PHRASE_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj", "attr", "ROOT", "dative"})
_POSSESSIVE_ENDINGS = ("'s", "’s", "'", "’")
_EDGE_PUNCT = " \t\n,;:.!?\"“”'‘’()[]—–-"


@dataclass
class Referent:
    """Who a noun phrase refers to."""

    name: str
    kind: str = UNKNOWN
    role: Optional[str] = None


def mention_span(token: Token) -> Span:
    """The noun phrase headed by ``token``, as news attribution marks its source.

    Kept: determiners, titles, appositives and most clauses ("Mike Morrell, a CIA
    veteran who retired in 2013"). Cut: a relative clause that is itself reported
    speech ("one staffer, who said he left on good terms"), a participle set off by
    commas ("Trump, speaking at a rally"), a leading focus word ("just", "even"), a
    dateline ("NEW YORK —"), and punctuation at the edges.
    """
    doc = token.doc
    start, end = token.left_edge.i, token.right_edge.i + 1
    for child in (token, *[c for c in token.rights if c.dep_ == "appos"]):
        for clause in child.rights:
            if _is_cut_clause(clause):
                end = min(end, clause.left_edge.i)
    if token.lemma_.lower() in MEDIUM_NOUNS:
        # "The campaign's statement said": the campaign speaks.
        owner = next((c for c in token.lefts if c.dep_ == "poss"), None)
        if owner is not None:
            start, end = owner.left_edge.i, owner.right_edge.i + 1
    start = _after_dateline(doc, start, end)
    while start < end - 1 and (doc[start].is_punct or doc[start].lower_ in FOCUS_WORDS):
        start += 1
    while end - 1 > start and doc[end - 1].is_punct:
        end -= 1
    return doc[start:end]


def _is_cut_clause(clause: Token) -> bool:
    if clause.dep_ == "relcl":
        return clause.lemma_.lower() in SPEECH_VERBS | STANCE_VERBS
    if clause.dep_ == "acl" and clause.tag_ == "VBG":
        return clause.left_edge.i > 0 and clause.doc[clause.left_edge.i - 1].text == ","
    return False


def _after_dateline(doc: Doc, start: int, end: int) -> int:
    """Skip "NEW YORK (AP) —" at the start of a paragraph's first sentence."""
    for i in range(start, min(end - 1, start + DATELINE_MAX_TOKENS)):
        if doc[i].text in DASHES:
            words = [t for t in doc[start:i] if not t.is_punct]
            at_sentence_start = start == doc[start].sent.start
            if at_sentence_start and words and all(t.text.isupper() or t.pos_ == "PROPN" for t in words):
                return i + 1
            return start
    return start


def is_proper(token: Token) -> bool:
    """A proper noun, also when the tagger missed it but the entity recogniser did not."""
    if token.pos_ == "PROPN":
        return True
    named = PERSON_LABELS | ORGANIZATION_LABELS | GOVERNMENT_LABELS
    return token.ent_type_ in named and token.text[:1].isupper()


def is_title(token: Token) -> bool:
    return token.lower_ in TITLE_WORDS or token.lower_.rstrip(".") + "." in TITLE_WORDS


def strip_possessive(text: str) -> str:
    for ending in _POSSESSIVE_ENDINGS:
        if text.endswith(ending) and len(text) > len(ending) + 1:
            return text[: -len(ending)]
    return text


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(_EDGE_PUNCT)


def is_metonym(name: str) -> bool:
    """Whether ``name`` is a place that stands for its government ("Yerevan says")."""
    lowered = name.lower()
    return lowered in GOVERNMENT_METONYMS or lowered.removeprefix("the ") in GOVERNMENT_METONYMS


def _kind_of_name(name: str, head: Token, label: Optional[str] = None) -> str:
    if is_metonym(name):
        return GOVERNMENT
    label = label if label is not None else head.ent_type_
    if label in PERSON_LABELS:
        return PERSON
    if label in GOVERNMENT_LABELS:
        return GOVERNMENT
    if label in ORGANIZATION_LABELS:
        words = set(name.lower().split())
        return GOVERNMENT if words & GOVERNMENT_NOUNS else ORGANIZATION
    return _kind_of_noun(head)


def _kind_of_noun(head: Token) -> str:
    lemma = head.lemma_.lower()
    if lemma in PERSON_NOUNS or head.lower_ in PERSON_NOUNS or is_title(head):
        return PERSON
    if lemma in GOVERNMENT_NOUNS:
        return GOVERNMENT
    if lemma in ORGANIZATION_NOUNS:
        return ORGANIZATION
    return UNKNOWN


def _name_tokens(head: Token) -> list[Token]:
    """The proper-noun run ending at ``head``: "Vladimir Putin" in "President Vladimir Putin"."""
    tokens = [head]
    for left in reversed(list(head.lefts)):
        if left.i != tokens[0].i - 1:
            break
        if left.dep_ in ("compound", "flat", "nmod") and is_proper(left):
            tokens.insert(0, left)
        else:
            break
    # An entity may reach further left than the compounds ("Mr. de Vos").
    if head.ent_type_ in PERSON_LABELS:
        first = head.i
        while first > head.sent.start and head.doc[first].ent_iob_ == "I":
            first -= 1
        if first < tokens[0].i:
            tokens = list(head.doc[first : head.i + 1])
    while len(tokens) > 1 and is_title(tokens[0]):
        tokens.pop(0)
    return tokens


def read_source(span: Span, head: Token) -> tuple[str, str, Optional[str]]:
    """(name, kind, role) of a source noun phrase, before any coreference."""
    appositive = next((child for child in head.children if child.dep_ == "appos"), None)
    if not is_proper(head) and appositive is not None and is_proper(appositive):
        # "the head of the mission, Gerardo Moloeznik"
        own = [t for t in span if not (appositive.left_edge.i <= t.i <= appositive.right_edge.i)]
        name, kind, _ = read_source(mention_span(appositive), appositive)
        return name, kind, _clean(_without_determiner(own)) or None
    if is_proper(head):
        names = _name_tokens(head)
        name = strip_possessive(_clean(" ".join(t.text for t in names)))
        before = [t for t in span if t.i < names[0].i]
        role_parts = [_clean(_without_determiner(before))]
        if appositive is not None and not is_proper(appositive):
            role_parts.append(_clean(mention_span(appositive).text))
        role = ", ".join(part for part in role_parts if part) or None
        return name, _kind_of_name(name, head), role
    return _noun_phrase_name(span, head), _kind_of_noun(head), None


def _noun_phrase_name(span: Span, head: Token) -> str:
    """A common noun phrase as a name: "the head of the mission monitoring it" -> "head of the mission"."""
    end = span.end
    for child in head.rights:
        if child.dep_ in ("relcl", "acl", "appos"):
            end = min(end, child.left_edge.i)
    start = span.start
    while start < end - 1 and (span.doc[start].dep_ == "det" or span.doc[start].is_punct):
        start += 1
    return _clean(span.doc[start:max(end, start + 1)].text)


def _without_determiner(tokens: Iterable[Token]) -> str:
    tokens = list(tokens)
    while tokens and (tokens[0].dep_ == "det" or tokens[0].is_punct):
        tokens.pop(0)
    return " ".join(t.text for t in tokens)


class NameBook:
    """The names one article uses, and the referents it has mentioned so far."""

    def __init__(self, docs: Iterable[Doc]):
        self._full_names: list[str] = []
        self._roles: dict[str, str] = {}
        self._recent: list[tuple[int, Referent]] = []
        self._labels: dict[str, Counter] = {}
        for doc in docs:
            for ent in doc.ents:
                self._labels.setdefault(strip_possessive(_clean(ent.text)), Counter())[ent.label_] += 1
                if ent.label_ in PERSON_LABELS:
                    name = strip_possessive(_clean(" ".join(t.text for t in _name_tokens(ent.root))))
                    if len(name.split()) >= 2 and name not in self._full_names:
                        self._full_names.append(name)
                    role = read_source(mention_span(ent.root), ent.root)[2]
                    if role and len(name.split()) >= 2:
                        self._roles.setdefault(name, role)

    def canonical(self, name: str) -> str:
        """The article's full name for a bare surname or a shorter form of a name."""
        words = name.split()
        if not words:
            return name
        candidates = [
            full for full in self._full_names
            if full != name and len(full.split()) > len(words) and full.split()[-len(words):] == words
        ]
        if not candidates and len(words) == 1:
            # A first name alone ("Bob") when only one full name starts with it.
            firsts = [full for full in self._full_names if full.split()[0] == words[0]]
            candidates = firsts if len(firsts) == 1 else []
        if not candidates:
            return name
        recent = [r.name for _, r in reversed(self._recent) if r.name in candidates]
        return recent[0] if recent else candidates[0]

    def resolve(self, span: Span, head: Token, sentence_index: int) -> Referent:
        """The referent of the source noun phrase ``span`` headed by ``head``."""
        lowered = head.lower_
        if lowered in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            noun = head.head.head
            return self.resolve(mention_span_without(noun, head.head), noun, sentence_index)
        if lowered in PERSON_PRONOUNS or lowered in GROUP_PRONOUNS or lowered in THING_PRONOUNS:
            found = self._resolve_pronoun(lowered, sentence_index)
            return found or Referent(head.text, PERSON if lowered in PERSON_PRONOUNS else UNKNOWN)
        name, kind, role = read_source(span, head)
        if is_proper(head) and not is_metonym(name):
            full = self.canonical(name)
            if full in self._full_names:
                kind = PERSON
            elif name in self._labels:
                # The article's usual reading of the name beats one odd tag ("Azerbaijan" as ORG).
                kind = _kind_of_name(name, head, self._labels[name].most_common(1)[0][0])
            name = full
        if role and kind == PERSON:
            self._roles.setdefault(name, role)
        return Referent(name, kind, role or self._roles.get(name))

    def remember(self, referent: Referent, sentence_index: int) -> None:
        if referent.kind != UNKNOWN and referent.name.lower() not in PRONOUNS:
            self._recent.append((sentence_index, referent))

    def remember_people(self, sentence: Span, sentence_index: int) -> None:
        """Note the named people a sentence talks about, for later pronouns; subjects
        last, so that they are the likeliest antecedent."""
        people = [
            ent.root for ent in sentence.ents
            if ent.label_ in PERSON_LABELS and ent.root.dep_ in NOUN_PHRASE_DEPS
        ]
        people.sort(key=lambda token: token.dep_ in ("nsubj", "nsubjpass"))
        for token in people:
            self.remember(self.resolve(mention_span(token), token, sentence_index), sentence_index)

    def _resolve_pronoun(self, pronoun: str, sentence_index: int) -> Optional[Referent]:
        wanted = {PERSON} if pronoun in PERSON_PRONOUNS else (
            {PERSON, ORGANIZATION, GOVERNMENT} if pronoun in GROUP_PRONOUNS else {ORGANIZATION, GOVERNMENT}
        )
        for index, referent in reversed(self._recent):
            if sentence_index - index > PRONOUN_WINDOW and pronoun not in PERSON_PRONOUNS:
                break  # "they" and "it" only look close by; "he" and "she" take the last person
            if referent.kind in wanted:
                return referent
        return None


def mention_span_without(noun: Token, clause: Token) -> Span:
    """The noun phrase of ``noun`` cut before its relative clause ``clause``."""
    doc = noun.doc
    start = noun.left_edge.i
    end = max(noun.i + 1, min(clause.left_edge.i, noun.right_edge.i + 1))
    while end - 1 > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in RELATIVE_PRONOUNS):
        end -= 1
    return doc[start:end]

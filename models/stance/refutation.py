"""Negation and refuting cues that flip a sentence's polarity relative to the claim.

A cue only counts when it bears on what the claim asserts:

* a plain negation ("not", "never", "no longer", "n't") counts when the word it
  negates is one of the claim's own content words ("has not *taken* control" against
  "has *taken* control"), or, for a negated copula/auxiliary ("is not in control"),
  when its complement shares the claim's words;
* a refuting verb ("denied", "rejected", "ruled out", "debunked", "refuted") counts
  when what it governs shares at least two of the claim's content words ("denied
  reports that it had taken control of the border");
* a refuting judgement ("false", "hoax", "fake", "untrue", "baseless", "no evidence").

And only when the sentence repeats at least half of the claim's content words: a
negation in a sentence about something else says nothing about the claim.

Both texts are read this way against each other, so negation on both sides cancels
("X did not happen" / "X never happened" agree), and "Baku has never *hidden* its
desire to regain control" does not negate "Baku has taken control".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from models.stance.parsing import Parser, content_keys, key, lemma

NEGATIONS = {"not", "n't", "never", "no", "nobody", "nothing", "none", "neither", "nor",
             "without", "nowhere", "cannot"}
REFUTING_VERBS = {"deny", "reject", "refute", "debunk", "dismiss", "disprove", "dispute",
                  "contradict", "retract", "discredit", "disavow", "rebut", "quash", "dispel"}
REFUTING_PHRASAL = {("rule", "out"), ("shoot", "down"), ("knock", "down")}
REFUTING_WORDS = {"false", "untrue", "hoax", "fake", "baseless", "unfounded", "fabricated",
                  "fabrication", "myth", "bogus", "misleading", "debunked", "incorrect",
                  "inaccurate", "wrong", "groundless", "falsely", "satire", "rumor", "rumour"}
NO_EVIDENCE = {"evidence", "proof", "sign", "indication", "truth", "basis"}
NOT_NEGATING = {("not", "only"), ("not", "just"), ("no", "doubt"), ("never", "before"), ("no", "less"),
                ("no", "question"), ("not", "least"), ("nothing", "but"), ("nothing", "more"), ("no", "longer"),
                ("no", "sooner"), ("not", "even")}
MIN_SHARED = 0.5  # share of the other text's content words a text must repeat for its cues to count


@dataclass(frozen=True)
class PolarityCue:
    """A word that negates or refutes part of a text."""

    word: str      # as written: "not", "denied", "hoax", "ruled out"
    target: str    # the word it bears on: "taken", "reports"
    kind: str      # "negation" | "refuting verb" | "refuting word"

    def describe(self) -> str:
        if self.kind == "negation":
            return f'"{self.word} {self.target}"'
        return f'"{self.word}"'


@dataclass
class PolarityEvidence:
    claim_cues: list[PolarityCue] = field(default_factory=list)
    sentence_cues: list[PolarityCue] = field(default_factory=list)

    @property
    def flips(self) -> bool:
        """One side negates or refutes what the other asserts. Several cues on one side
        ("dismissed as false") reinforce each other; they do not cancel."""
        return bool(self.claim_cues) != bool(self.sentence_cues)

    @property
    def both_negated(self) -> bool:
        return bool(self.claim_cues) and bool(self.sentence_cues) and not self.flips

    def reason(self) -> str:
        if self.flips:
            if self.sentence_cues:
                cue = self.sentence_cues[0]
                return f"sentence negates the claim ({cue.kind} {cue.describe()})"
            cue = self.claim_cues[0]
            return f"claim is negated ({cue.kind} {cue.describe()}) but the sentence asserts it"
        if self.both_negated:
            return "both negate the same thing"
        return ""


_REFUTING_VERB_FORMS = (r"(deni|deny|reject|refut|debunk|dismiss|disprov|disput|contradict|retract|discredit"
                        r"|disavow|rebut|quash|dispel)\w*|rul\w* out|shot down|shoot\w* down|knock\w* down")
_CUE_HINT = re.compile(r"n't|\b(" + "|".join(sorted(NEGATIONS | REFUTING_WORDS | {"no"})) + "|"
                       + _REFUTING_VERB_FORMS + r")\b", re.I)
_REFUTING = re.compile(r"\b(" + "|".join(sorted(REFUTING_WORDS)) + "|" + _REFUTING_VERB_FORMS
                       + r"|not true|no evidence)\b", re.I)


def has_cue(text: str) -> bool:
    """Cheap test (no parse): does ``text`` hold a negation or refuting word at all?"""
    return bool(_CUE_HINT.search(text))


def refuting_word(text: str) -> str | None:
    """The first refuting judgement or verb in ``text`` as written ("hoax", "denied",
    "not true"), or None. No parse and no check that it bears on anything: the article
    rule weighs it as a hint (a story called a hoax next to the claim), not as a verdict."""
    match = _REFUTING.search(text)
    return match.group(1) if match else None


def compare(claim: str, sentence: str, parser: Parser) -> PolarityEvidence:
    claim_doc, sentence_doc = parser.parse_many([claim, sentence])
    return compare_docs(claim_doc, sentence_doc)


def compare_docs(claim_doc, sentence_doc) -> PolarityEvidence:
    claim_keys = content_keys(claim_doc)
    sentence_keys = content_keys(sentence_doc)
    if len(claim_keys & sentence_keys) < MIN_SHARED * len(claim_keys):
        return PolarityEvidence()  # not about the same thing: negations say nothing about the claim
    return PolarityEvidence(
        claim_cues=relevant_cues(claim_doc, sentence_keys),
        sentence_cues=relevant_cues(sentence_doc, claim_keys),
    )


def relevant_cues(doc, other_keys: set[str]) -> list[PolarityCue]:
    """Cues in ``doc`` that bear on the other text's content words ``other_keys``."""
    cues: list[PolarityCue] = []
    for tok in doc:
        word = tok.lower_
        nxt = tok.nbor(1).lower_ if tok.i + 1 < len(doc) else ""
        prev = tok.nbor(-1).lower_ if tok.i > 0 else ""
        if (word, nxt) in NOT_NEGATING or prev == "or":  # "no doubt", "may or may not"
            continue
        if word in NEGATIONS or tok.dep_ == "neg":
            if word == "no" and tok.head.lemma_.lower() in NO_EVIDENCE:  # "no evidence that ..."
                cues.append(PolarityCue(f"no {tok.head.text}", tok.head.text, "refuting word"))
                continue
            target = _negated_word(tok)
            if target is not None and (lemma(target) in REFUTING_VERBS or lemma(target) in REFUTING_WORDS):
                continue  # negates the refutation itself: handled there
            if target is not None and _bears_on(target, other_keys):
                cues.append(PolarityCue(tok.text, _phrase(target, tok), "negation"))
            continue
        lem = lemma(tok)
        phrasal = tok.pos_ == "VERB" and any((lem, c.lower_) in REFUTING_PHRASAL for c in tok.children
                                             if c.dep_ == "prt")
        if tok.pos_ == "VERB" and (lem in REFUTING_VERBS or phrasal):
            if any(c.dep_ == "neg" or c.lower_ in NEGATIONS for c in tok.children):
                continue  # "never denied", "did not rule out": no refutation
            governed = {key(t) for c in tok.children if c.dep_ not in ("nsubj", "nsubjpass", "aux", "punct")
                        for t in c.subtree}
            if len(governed & other_keys) >= 2 or (governed & other_keys and len(other_keys) <= 3):
                cue_text = f"{tok.text} out" if phrasal else tok.text
                cues.append(PolarityCue(cue_text, tok.text, "refuting verb"))
            continue
        if word in REFUTING_WORDS:
            cues.append(PolarityCue(tok.text, tok.head.text, "refuting word"))
    return cues


def _negated_word(neg):
    """The content word a negation applies to; through auxiliaries and copulas."""
    head = neg.head
    if neg.lower_ in ("no", "none", "nothing", "nobody"):  # "no troops crossed": the verb
        head = neg.head.head if neg.dep_ == "det" else neg.head
    return head


def _bears_on(target, other_keys: set[str]) -> bool:
    if key(target) in other_keys:
        return True
    if target.lemma_.lower() in ("be", "have", "do") or target.pos_ in ("AUX", "ADJ", "NOUN"):
        # "is not in control", "was not true": the complement carries the meaning
        complement = {key(t) for c in target.children
                      if c.dep_ in ("attr", "acomp", "prep", "dobj", "xcomp", "oprd") for t in c.subtree}
        return len(complement & other_keys) >= 1
    return False


def _phrase(target, neg) -> str:
    """The negated words for a reason: "taken", or "in control" after a copula."""
    if target.lemma_.lower() in ("be", "have", "do") or target.pos_ == "AUX":
        complement = [c for c in target.children if c.dep_ in ("attr", "acomp", "prep", "dobj") and c.i > neg.i]
        if complement:
            c = complement[0]
            return " ".join(t.text for t in c.subtree if t.i <= c.i + 1)
    return target.text

"""Synthetic contradictions, made as FactCC makes them (Kryscinski et al. 2020).

Take a pair whose sentence corroborates its claim (an NLI entailment, a supported
fact-check claim, an FNC-1 "agree" headline with its body's most similar sentence) and
change the *claim* so that the sentence now contradicts it:

    number    a figure the sentence also states, swapped for another figure of the same
              texts ("Two men" -> "Three men"); when the texts have no other figure, the
              figure itself is changed (two -> five, 40 -> 52)
    date      a date the sentence also states, swapped for another date of the texts, or
              its year / month / weekday shifted
    entity    a named entity (spaCy NER: person, organisation, place, ...) the sentence
              also names, swapped for another entity of the same type named in the texts
    negation  the claim's main verb negated ("is" -> "is not", "won" -> "did not win"),
              or its negation removed

Only what the sentence itself states is swapped: changing a detail the sentence does
not mention would make a "discusses" pair, not a contradiction.

Beside them, restatements that still corroborate, so that "a figure reads differently"
is not learnt as "contradicts" (a candidate model called "entered its fourth week"
contradicted by "more than three weeks of fighting"):

    restated  a figure the sentence also states, restated consistently: "5 people" ->
              "more than 4 people", "at least 5 people", "five people"

Every function takes spaCy Docs (``models.language.load_nlp``) and returns the new
claim, or None when the pair offers nothing of that kind.

The risk (Breaking NLI shows it) is a model that learns "one word differs, so it
contradicts"; benchmarks/stance.py keeps held-out probes to catch that.
"""
from __future__ import annotations

import random
import re

KINDS = ("number", "date", "entity", "negation")  # contradictions
RESTATED = "restated"  # a consistent restatement: the pair still corroborates

NUMBER_LABELS = {"CARDINAL", "MONEY", "QUANTITY", "PERCENT"}
DATE_LABELS = {"DATE"}
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}

NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _replace(doc, start_char: int, end_char: int, new: str) -> str:
    return doc.text[:start_char] + new + doc.text[end_char:]


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _contains(text: str, part: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(_norm(part)) + r"(?!\w)", _norm(text)) is not None


def _stated(span_text: str, sentence, last_word: bool = False) -> bool:
    """Does the sentence state this value too (word-boundary match, case-insensitive)?
    With ``last_word``, its last word is enough ("Barack Obama" -> "Obama")."""
    return _contains(sentence.text, span_text) or (last_word and _contains(sentence.text, span_text.split()[-1]))


def _swap(claim, sentence, labels: set[str], rng: random.Random, distinct=None) -> tuple | None:
    """(claim span, replacement) for an entity of ``labels`` that the sentence states,
    with another entity of the same label from either text; None if there is none."""
    names = labels is ENTITY_LABELS
    targets = [e for e in claim.ents if e.label_ in labels and _stated(e.text, sentence, last_word=names)]
    rng.shuffle(targets)
    for target in targets:
        others = {e.text for doc in (sentence, claim) for e in doc.ents
                  if e.label_ == target.label_ and _norm(e.text) != _norm(target.text)
                  and _norm(e.text) not in _norm(target.text) and _norm(target.text) not in _norm(e.text)
                  and not _contains(claim.text, e.text)  # "Obama met Merkel" -> not "Merkel met Merkel"
                  and (distinct is None or distinct(target.text, e.text))}
        if others:
            return target, rng.choice(sorted(others))
    return None


def _number_value(text: str) -> float | None:
    low = text.lower()
    if low in NUMBER_WORDS:
        return float(NUMBER_WORDS.index(low) + 1)
    m = DIGITS.search(text)
    return float(m.group().replace(",", "")) if m else None


def _shift_number(text: str, rng: random.Random) -> str | None:
    """The same figure, changed: a number word for another, digits moved by 10-90%."""
    low = text.lower()
    if low in NUMBER_WORDS:
        new = rng.choice([w for w in NUMBER_WORDS if w != low])
        return new.capitalize() if text[:1].isupper() else new
    m = DIGITS.search(text)
    if not m:
        return None
    raw = m.group()
    value = float(raw.replace(",", ""))
    if "." in raw:
        new_value = f"{value * rng.choice([0.5, 0.7, 1.3, 1.5, 2.0]):.{len(raw.split('.')[-1])}f}"
    else:
        step = max(1, round(value * rng.uniform(0.1, 0.9)))
        new = int(value) + rng.choice([-1, 1]) * step
        new_value = str(new if new > 0 else int(value) + step)
        if "," in raw:
            new_value = f"{int(new_value):,}"
    return text[:m.start()] + new_value + text[m.end():]


def swap_number(claim, sentence, rng: random.Random) -> str | None:
    swapped = _swap(claim, sentence, NUMBER_LABELS, rng,
                    distinct=lambda a, b: _number_value(a) != _number_value(b))
    if swapped:
        target, new = swapped
        return _replace(claim, target.start_char, target.end_char, new)
    numbers = [t for t in claim if t.like_num and not t.ent_type_ in DATE_LABELS and _stated(t.text, sentence)]
    rng.shuffle(numbers)
    for token in numbers:
        new = _shift_number(token.text, rng)
        if new and new != token.text:
            return _replace(claim, token.idx, token.idx + len(token.text), new)
    return None


def _shift_date(text: str, rng: random.Random) -> str | None:
    if m := YEAR.search(text):
        year = int(m.group()) + rng.choice([-5, -3, -2, -1, 1, 2, 3])
        return text[:m.start()] + str(year) + text[m.end():]
    for names in (MONTHS, WEEKDAYS):
        for name in names:
            if m := re.search(rf"\b{name}\b", text):
                return text[:m.start()] + rng.choice([n for n in names if n != name]) + text[m.end():]
    return None


def swap_date(claim, sentence, rng: random.Random) -> str | None:
    swapped = _swap(claim, sentence, DATE_LABELS, rng)
    if swapped:
        target, new = swapped
        return _replace(claim, target.start_char, target.end_char, new)
    dates = [e for e in claim.ents if e.label_ in DATE_LABELS and _stated(e.text, sentence)]
    rng.shuffle(dates)
    for date in dates:
        new = _shift_date(date.text, rng)
        if new and new != date.text:
            return _replace(claim, date.start_char, date.end_char, new)
    return None


def swap_entity(claim, sentence, rng: random.Random) -> str | None:
    swapped = _swap(claim, sentence, ENTITY_LABELS, rng)
    if not swapped:
        return None
    target, new = swapped
    return _replace(claim, target.start_char, target.end_char, new)


CONTRACTIONS = {"ca": "can", "wo": "will", "sha": "shall"}  # "can't" is tokenised "ca" + "n't"
DO_FORMS = {"VBZ": "does", "VBD": "did", "VBP": "do"}


def negate(claim, sentence=None, rng: random.Random | None = None) -> str | None:
    """The claim with its main verb negated, or its main verb's negation removed."""
    sents = list(claim.sents)
    if not sents:
        return None
    root = sents[0].root
    negs = [c for c in root.children if c.dep_ == "neg"]
    if negs:  # remove the negation: "is not open" -> "is open"
        neg = negs[0]
        text = claim.text
        before = text[:neg.idx].rstrip() if neg.text.lower() != "n't" else text[:neg.idx]
        if neg.text.lower() == "n't" and neg.i > 0 and claim[neg.i - 1].text.lower() in CONTRACTIONS:
            prev = claim[neg.i - 1]
            before = text[:prev.idx] + CONTRACTIONS[prev.text.lower()]
        after = text[neg.idx + len(neg.text):]
        if neg.text.lower() != "n't" and not after.startswith(" "):
            after = " " + after.lstrip()
        return (before + after) if before else after.lstrip()
    auxes = [c for c in root.children if c.dep_ in ("aux", "auxpass") and c.i < root.i]
    if auxes:  # "is running" -> "is not running"
        aux = auxes[0]
        return _replace(claim, aux.idx, aux.idx + len(aux.text), aux.text + " not")
    if root.lemma_ == "be" or root.pos_ == "AUX":  # "The door is open" -> "The door is not open"
        return _replace(claim, root.idx, root.idx + len(root.text), root.text + " not")
    if root.pos_ == "VERB" and root.tag_ in DO_FORMS:  # "He won" -> "He did not win"
        return _replace(claim, root.idx, root.idx + len(root.text), f"{DO_FORMS[root.tag_]} not {root.lemma_}")
    return None


# Words that already qualify a figure ("more than 40", "about 40", "$40"): not restated.
QUALIFIERS = {"more", "less", "fewer", "than", "over", "under", "nearly", "almost", "about", "around", "some",
              "approximately", "roughly", "least", "most", "up", "only", "just", "exactly", "below", "above"}
SCALES = {"hundred", "thousand", "million", "billion", "trillion"}


def _qualified_in(doc, figure: str) -> bool:
    """Does ``doc`` state ``figure`` only approximately or as a bound ("about 30", "over 30")?"""
    return any(t.lower_ == figure and t.i > 0 and doc[t.i - 1].lower_ in QUALIFIERS for t in doc)


def restate_number(claim, sentence, rng: random.Random) -> str | None:
    """The claim with a figure the sentence states restated so that the sentence still
    corroborates it: "more than" one less, "at least" the figure, or the figure in words
    for digits (and digits for words) up to twelve."""
    numbers = [t for t in claim if t.like_num and t.lower_ not in SCALES and t.ent_type_ not in DATE_LABELS
               and _stated(t.text, sentence)
               and not (t.i > 0 and (claim[t.i - 1].lower_ in QUALIFIERS or claim[t.i - 1].tag_ == "$"
                                     or claim[t.i - 1].like_num))
               and not (t.i + 1 < len(claim) and claim[t.i + 1].like_num and claim[t.i + 1].lower_ not in SCALES)]
    rng.shuffle(numbers)
    for token in numbers:
        value = _number_value(token.text)
        if value is None or (token.lower_ not in NUMBER_WORDS and not DIGITS.fullmatch(token.text)):
            continue
        if _qualified_in(sentence, token.lower_):  # "about 30" does not make "more than 29" true
            continue
        whole = value == int(value) and "." not in token.text
        word = token.lower_ in NUMBER_WORDS
        options = [f"at least {token.lower_ if word else token.text}"]
        if whole and value >= 3:
            less = int(value) - 1
            options.append("more than " + (NUMBER_WORDS[less - 1] if word else f"{less:,}" if "," in token.text
                                           else str(less)))
        if whole and 1 <= value <= len(NUMBER_WORDS):
            options.append(str(int(value)) if word else NUMBER_WORDS[int(value) - 1])
        new = rng.choice(options)
        if token.i == 0:
            new = new[0].upper() + new[1:]
        return _replace(claim, token.idx, token.idx + len(token.text), new)
    return None


MAKERS = {"number": swap_number, "date": swap_date, "entity": swap_entity, "negation": negate,
          RESTATED: restate_number}


def contradictions(claims, sentences, rng: random.Random, kinds=KINDS) -> list[tuple[int, str, str]]:
    """For parsed (claim, sentence) pairs that corroborate: (pair index, kind, new claim)
    for every kind each pair offers. The caller samples from them (FactCC caps them)."""
    return _edits(claims, sentences, rng, kinds)


def restatements(claims, sentences, rng: random.Random) -> list[tuple[int, str, str]]:
    """For parsed (claim, sentence) pairs that corroborate: (pair index, RESTATED, new
    claim) where the claim's figure can be restated so that the pair still corroborates."""
    return _edits(claims, sentences, rng, (RESTATED,))


def _edits(claims, sentences, rng: random.Random, kinds) -> list[tuple[int, str, str]]:
    out = []
    for i, (claim, sentence) in enumerate(zip(claims, sentences)):
        for kind in kinds:
            new = MAKERS[kind](claim, sentence, rng)
            if new and _norm(new) != _norm(claim.text):
                out.append((i, kind, new))
    return out

"""Quantities in a claim and a sentence, and whether they agree about the same thing.

A quantity is a number read from digits or words ("5,000", "one thousand", "a
thousand", "1.5 million", "hundreds of") with its hedge turned into an interval:

    "almost 5,000" / "nearly" / "nearing"     -> [4,250, 5,000]
    "about 5,000" / "around" / "some"          -> [4,250, 5,750]
    "more than 5,000" / "over" / "at least"    -> [5,000, inf)
    "below 1,000" / "under" / "up to" / "fewer than" -> [0, 1,000]
    "between 200 and 300" / "200-300" / "200 to 300" -> [200, 300]
    "5,000" (bare)                             -> [4,750, 5,250] (reported figures are rounded)

Each quantity is tied to what it counts, from the spaCy dependency parse: the noun
it modifies, the verb that governs that noun, and for "the death toll remains below
1,000" / "the number of deaths is nearing 5,000" the subject it is predicated of.
Those words map to a *topic*: casualty words (killed, died, dead, deaths, toll,
fatalities, ...) are one topic; otherwise the counted noun itself ("cases", "votes").
Years, dates, durations ("three weeks", "24-hour") and ordinals are never counts.

Two quantities about the same topic *agree* when their intervals overlap and
*conflict* when they do not. A count of a named sub-group ("874 soldiers", "63
civilian casualties") that is smaller than a general total ("5,000 people") is a part
of it, not a conflict.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from models.stance.parsing import Parser, lemma

# ---------------------------------------------------------------- number words
UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
DOZEN = {"dozen": 12}
# "hundreds of", "thousands of", "dozens of": vague plurals as intervals
VAGUE_PLURALS = {"dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999),
                 "thousands": (2_000, 9_999), "millions": (2_000_000, 9_999_999)}

# ---------------------------------------------------------------- hedges
APPROX_BELOW = ("almost", "nearly", "close to", "nearing", "approaching", "just under", "just shy of")
APPROX = ("about", "around", "roughly", "approximately", "some", "an estimated", "estimated",
          "circa", "approx", "or so", "nearly about")
AT_LEAST = ("more than", "over", "above", "at least", "exceeding", "in excess of", "upwards of",
            "greater than", "higher than", "surpassing", "topping", "no fewer than", "no less than",
            "beyond", "exceeds", "exceeded", "tops", "topped", "passed", "surpassed")
AT_MOST = ("below", "under", "less than", "fewer than", "up to", "at most", "no more than",
           "lower than", "not more than", "a maximum of", "as many as", "as much as")
APPROXIMATIONS = [(p, "nearly") for p in APPROX_BELOW] + [(p, "about") for p in APPROX] + \
         [(p, "more than") for p in AT_LEAST] + [(p, "below") for p in AT_MOST]
APPROXIMATIONS.sort(key=lambda item: -len(item[0].split()))  # longest phrase first

BARE_TOLERANCE = 0.05   # a bare "5,000" is read as 4,750..5,250
APPROX_TOLERANCE = 0.15  # "about 5,000" is 4,250..5,750; "nearly 5,000" 4,250..5,000

# ---------------------------------------------------------------- what is counted
CASUALTY = "casualties"
CASUALTY_WORDS = {"kill", "killed", "die", "died", "dead", "death", "deaths", "toll", "casualty",
                  "casualties", "fatality", "fatalities", "perish", "victim", "life", "lives",
                  "body", "bodies", "murder", "massacre", "slay", "slain", "execute"}
INJURY = "injuries"
INJURY_WORDS = {"injure", "injured", "wound", "wounded", "injury", "hurt", "hospitalise", "hospitalize"}
DISPLACED = "displaced"
DISPLACED_WORDS = {"flee", "fled", "displace", "displaced", "refugee", "evacuate", "evacuee"}
ARREST = "arrests"
ARREST_WORDS = {"arrest", "detain", "detention", "jail", "imprison"}
TOPIC_LEXICON = [(CASUALTY, CASUALTY_WORDS), (INJURY, INJURY_WORDS),
                 (DISPLACED, DISPLACED_WORDS), (ARREST, ARREST_WORDS)]
TIME_UNITS = {"year", "month", "week", "day", "hour", "minute", "second", "decade", "century",
              "night", "fortnight", "yr", "hr", "min"}
MONEY_WORDS = {"$", "€", "£", "¥", "dollar", "euro", "pound", "usd", "eur", "gbp", "yen", "rupee",
               "yuan", "rouble", "ruble", "cent"}
PERCENT_WORDS = {"%", "percent", "per cent", "percentage"}
# Nouns that say nothing about what is counted: they defer to the verb or subject.
GENERIC_NOUNS = {"people", "person", "number", "total", "figure", "count", "tally", "individual",
                 "one", "other", "some", "many", "side", "time"}
# Named sub-groups: "874 soldiers" is a part of "5,000 people", not a rival figure.
SUBGROUPS = {"soldier", "civilian", "child", "woman", "man", "troop", "fighter", "militant",
             "police", "officer", "resident", "protester", "student", "worker", "journalist",
             "doctor", "nurse", "patient", "prisoner", "migrant", "refugee", "servicemen",
             "serviceman", "military", "army", "armenian", "azerbaijani", "israeli", "palestinian",
             "ukrainian", "russian", "american", "british", "local", "foreigner", "tourist"}

ORDINAL_RE = re.compile(r"^(\d+(st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)$")
NUMBER_RE = re.compile(r"^\$?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?(k|m|bn)?%?$", re.I)


@dataclass(frozen=True)
class Quantity:
    """One number in a text: the interval it asserts and what it counts."""

    text: str               # the words as written, e.g. "below one thousand"
    value: float            # the number itself, e.g. 1000
    low: float
    high: float
    hedge: str              # "", "nearly", "about", "more than", "below", "between"
    kind: str               # "count", "time", "money", "percent"
    topic: str              # e.g. "casualties", or the counted noun ("cases")
    noun: str = ""          # the counted noun's lemma, e.g. "soldier"
    thing: str = ""         # a short phrase for reasons, e.g. "killed", "death toll"
    context: frozenset = frozenset()  # the words around it that say what it counts
    nouns: frozenset = frozenset()    # the nouns among them


    def describe(self) -> str:
        if self.hedge == "between":
            number = f"{_fmt(self.low)}-{_fmt(self.high)}"
        else:
            number = f"{self.hedge} {_fmt(self.value)}".strip()
        return f"{number} {self.thing}".strip()


@dataclass
class QuantityEvidence:
    """How the quantities of a claim and of one sentence relate."""

    agree: list[tuple[Quantity, Quantity]] = field(default_factory=list)     # (claim q, sentence q)
    conflict: list[tuple[Quantity, Quantity]] = field(default_factory=list)
    partial: list[tuple[Quantity, Quantity]] = field(default_factory=list)   # sub-group counts

    @property
    def agrees(self) -> bool:
        """The sentence repeats a figure of the claim (about the same thing)."""
        return bool(self.agree)

    @property
    def conflicts(self) -> bool:
        """The sentence gives a different figure for the same thing, and none that agrees."""
        return bool(self.conflict) and not self.agree

    def reason(self) -> str:
        if self.conflicts:
            c, s = self.conflict[0]
            return f"claim says {c.describe()}; sentence says {s.describe()}"
        if self.agrees:
            c, s = self.agree[0]
            return f"figures agree: claim says {c.describe()}, sentence says {s.describe()}"
        if self.partial:
            c, s = self.partial[0]
            return f"sentence counts a part ({s.describe()}) of the claim's {c.describe()}"
        return ""


# ======================================================================= API
_NUMBER_HINT = re.compile(r"\d|\b(" + "|".join([*UNITS, *SCALES, *DOZEN, *VAGUE_PLURALS]) + r")\b", re.I)


def has_number(text: str) -> bool:
    """Cheap test (no parse): could ``text`` hold a quantity?"""
    return bool(_NUMBER_HINT.search(text))


def compare(claim: str, sentence: str, parser: Parser) -> QuantityEvidence:
    """Quantities of ``claim`` against those of ``sentence``, paired by topic."""
    claim_doc, sentence_doc = parser.parse_many([claim, sentence])
    return compare_quantities(extract(claim_doc), extract(sentence_doc))


def compare_quantities(claim_qs: list[Quantity], sentence_qs: list[Quantity]) -> QuantityEvidence:
    evidence = QuantityEvidence()
    for c in claim_qs:
        for s in sentence_qs:
            if not same_thing(c, s):
                continue
            if _overlap(c, s):
                evidence.agree.append((c, s))
            elif _is_part_of(s, c) or _is_part_of(c, s):
                evidence.partial.append((c, s))
            else:
                evidence.conflict.append((c, s))
    return evidence


def same_thing(a: Quantity, b: Quantity) -> bool:
    """Do two quantities count the same thing? Durations, dates and ages are never compared:
    "three weeks of fighting" and "a 16-year-old" say nothing about a toll."""
    if a.kind != b.kind or a.kind == "time":
        return False
    if a.kind in ("percent", "money"):  # share a word saying of what: "unemployment", "budget"
        return bool((a.nouns & b.nouns) - GENERIC_NOUNS)
    if a.kind != "count":
        return a.topic == b.topic
    return bool(a.topic) and a.topic == b.topic


def extract(doc) -> list[Quantity]:
    """All quantities in a parsed text, in order."""
    quantities: list[Quantity] = []
    tokens = list(doc)
    i = 0
    while i < len(tokens):
        span = _number_span(tokens, i)
        if span is None:
            i += 1
            continue
        start, end, value = span
        low = high = value
        hedge = ""
        # ranges: "between 200 and 300", "200-300", "200 to 300", "from 200 to 300"
        rng = _range_tail(tokens, end)
        if rng is not None:
            end, high = rng
            hedge = "between"
        else:
            hedge = _hedge_before(tokens, start)
            low, high = _interval(value, hedge)
        if tokens[start].lower_ in VAGUE_PLURALS:
            low, high = VAGUE_PLURALS[tokens[start].lower_]
            hedge = "about"
            value = (low + high) / 2
        quantity = _describe_thing(doc, tokens, start, end, value, low, high, hedge)
        if quantity is not None:
            quantities.append(quantity)
        i = end
    return quantities


# ======================================================================= numbers
def _word_value(token) -> float | None:
    text = token.lower_.replace(",", "")
    if text in UNITS:
        return float(UNITS[text])
    if NUMBER_RE.match(token.text):
        digits = re.sub(r"[^\d.]", "", text)
        if not digits or digits == ".":
            return None
        number = float(digits)
        suffix = re.search(r"(k|m|bn)%?$", text)
        if suffix:
            number *= SCALES[suffix.group(1)]
        return number
    if "-" in text and all(part in UNITS for part in text.split("-")):  # "twenty-five"
        return float(sum(UNITS[part] for part in text.split("-")))
    return None


def _number_span(tokens, i) -> tuple[int, int, float] | None:
    """Read the number that starts at token ``i``: (start, end, value) or None."""
    tok = tokens[i]
    if tok.lower_ in VAGUE_PLURALS and i + 1 < len(tokens) and tokens[i + 1].lower_ == "of":
        return i, i + 1, 0.0
    # "a thousand", "a dozen", "a hundred"
    if tok.lower_ in ("a", "one") and i + 1 < len(tokens) and tokens[i + 1].lower_ in {**SCALES, **DOZEN} \
            and tokens[i + 1].lower_ not in ("k", "m", "bn"):
        value, end = 1.0, i + 1
    else:
        value = _word_value(tok)
        if value is None or tok.pos_ == "ADJ" and tok.lower_ not in UNITS:
            return None
        end = i + 1
    total, current = 0.0, value
    # "one thousand", "1.5 million", "five hundred and twenty", "two dozen"
    while end < len(tokens):
        word = tokens[end].lower_
        if word in SCALES and word not in ("k", "m", "bn"):
            current *= SCALES[word]
            if SCALES[word] >= 1000:
                total, current = total + current, 0.0
        elif word in DOZEN:
            current *= 12
        elif word in UNITS and _continues(tokens[end - 1].lower_, word) or (
                word == "and" and end + 1 < len(tokens) and tokens[end + 1].lower_ in UNITS
                and tokens[end - 1].lower_ in SCALES):
            current += UNITS.get(word, 0.0)
        else:
            break
        end += 1
    return i, end, total + current


def _continues(previous: str, word: str) -> bool:
    """"thousand two", "hundred and five", "twenty five": a number word that adds on."""
    return previous in SCALES or previous == "and" or (
        previous in UNITS and UNITS[previous] >= 20 and UNITS[previous] % 10 == 0 and UNITS[word] < 10)


def _range_tail(tokens, end) -> tuple[int, float] | None:
    """"-300" / "to 300" / "and 300" (after "between") right after a number."""
    if end + 1 >= len(tokens) or tokens[end].lower_ not in ("-", "–", "to", "and"):
        return None
    if tokens[end].lower_ == "and":
        before = {t.lower_ for t in tokens[max(0, end - 4):end]}
        if "between" not in before:
            return None
    nxt = _number_span(tokens, end + 1)
    if nxt is None:
        return None
    return nxt[1], nxt[2]


def _hedge_before(tokens, start) -> str:
    """The hedge words right before a number ("almost", "more than", "below", ...)."""
    window = " ".join(t.lower_ for t in tokens[max(0, start - 4):start])
    for phrase, hedge in APPROXIMATIONS:
        if window == phrase or window.endswith(" " + phrase):
            return hedge
    # "as many as", "or so" after: rare, ignore
    return ""


def _interval(value: float, hedge: str) -> tuple[float, float]:
    if hedge == "nearly":
        return value * (1 - APPROX_TOLERANCE), value
    if hedge == "about":
        return value * (1 - APPROX_TOLERANCE), value * (1 + APPROX_TOLERANCE)
    if hedge == "more than":
        return value, math.inf
    if hedge == "below":
        return 0.0, value
    return value * (1 - BARE_TOLERANCE), value * (1 + BARE_TOLERANCE)


def _fmt(number: float) -> str:
    if number == math.inf:
        return "inf"
    if number >= 1_000_000 and number % 100_000 == 0:
        return f"{number / 1_000_000:g} million"
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,.1f}"


# ======================================================================= what it counts
def _describe_thing(doc, tokens, start, end, value, low, high, hedge) -> Quantity | None:
    text = doc[start:end].text
    number_tok = tokens[end - 1]
    after = tokens[end] if end < len(tokens) else None
    after2 = tokens[end + 1] if end + 1 < len(tokens) else None
    full = doc[_hedge_start(tokens, start, hedge):end].text

    # a range or a vague plural: what it counts hangs off either end ("300-400 people")
    ends = [tokens[j] for j in {start, end - 1} if tokens[j].lower_ not in ("a", "between")] or [number_tok]
    nouns = {lemma(t) for t in doc if t.pos_ in ("NOUN", "PROPN")}
    noun, noun_text, words = max((_counted_words(t) for t in ends), key=lambda nw: bool(_topic(nw[0], nw[2])[0]))

    def make(kind, topic, noun="", thing=""):
        return Quantity(full, value, low, high, hedge, kind, topic, noun, thing, frozenset(words),
                        frozenset(w for w in words if w in nouns))

    # ordinals and list markers are not quantities
    if number_tok.tag_ == "LS" or number_tok.ent_type_ == "ORDINAL" or ORDINAL_RE.match(number_tok.lower_):
        return None
    # percentages and money
    if "%" in text or (after is not None and after.lower_ in PERCENT_WORDS) or \
            (after is not None and after2 is not None and f"{after.lower_} {after2.lower_}" == "per cent"):
        return make("percent", "percent", thing="per cent")
    before = tokens[start - 1] if start > 0 else None
    if text.startswith("$") or (before is not None and before.lower_ in MONEY_WORDS) or \
            (after is not None and lemma(after) in MONEY_WORDS):
        return make("money", "money", thing="(money)")
    # durations and dates: "three weeks", "24-hour", "September 27", "2020"
    unit = _time_unit(tokens, end)
    if unit:
        return make("time", unit, thing=unit + "s")
    if number_tok.ent_type_ in ("DATE", "TIME") or _looks_like_year(number_tok, value, after):
        return make("time", "date", thing="(date)")
    topic, thing = _topic(noun, words)
    if noun and noun not in GENERIC_NOUNS and noun_text not in thing and noun not in thing:
        thing = f"{noun_text} {thing}".strip()  # "874 soldiers killed"
    return make("count", topic, noun=noun, thing=thing)


def _hedge_start(tokens, start, hedge) -> int:
    if not hedge or hedge == "between":
        return start - 1 if hedge == "between" and start > 0 and tokens[start - 1].lower_ == "between" else start
    for phrase, h in APPROXIMATIONS:
        n = len(phrase.split())
        if h == hedge and " ".join(t.lower_ for t in tokens[max(0, start - n):start]) == phrase:
            return start - n
    return start


def _time_unit(tokens, end) -> str:
    """"three weeks", "24-hour", "five days'" -> the unit, else ""."""
    for j in (end, end + 1):
        if j < len(tokens):
            word = lemma(tokens[j])
            if word in TIME_UNITS:
                return word
            if tokens[j].text not in ("-", "–"):
                break
    return ""


def _looks_like_year(token, value, after) -> bool:
    return (token.text.isdigit() and len(token.text) == 4 and 1800 <= value <= 2100
            and (after is None or after.pos_ not in ("NOUN",)))


def _counted_words(number_tok) -> tuple[str, str, list[str]]:
    """The counted noun (or "" when the number stands alone) and the words around it that
    say what it counts: the noun and its modifiers, the governing verb, the verb's
    subject with its compounds and "of" complements ("the number of deaths")."""
    tok = number_tok
    while tok.dep_ in ("compound", "quantmod", "conj", "cc") and tok.head is not tok and tok.head.like_num:
        tok = tok.head
    if tok.dep_ in ("nummod", "quantmod", "amod") and tok.head is not tok:
        noun_tok = tok.head
    else:
        noun_tok = tok  # the number stands as a noun: "the toll is 1,000", "1,000 were killed"
    # "36 civilians" conj'ed to "874 soldiers": share the same verb
    anchor = noun_tok
    while anchor.dep_ == "conj" and anchor.head is not anchor:
        anchor = anchor.head
    # "5,000 of them", "1,000 of the people"
    if noun_tok.lower_ in VAGUE_PLURALS:  # "hundreds of people"
        noun_tok = next((g for p in noun_tok.children if p.lower_ == "of" for g in p.children), noun_tok)
    noun = "" if noun_tok.like_num or noun_tok.lower_ in VAGUE_PLURALS else lemma(noun_tok)
    words = [noun, noun_tok.lower_] if noun else []
    words += [lemma(c) for c in noun_tok.children if c.dep_ in ("compound", "amod", "nmod")]
    words += [lemma(c) for c in noun_tok.children if c.dep_ == "prep" for c in c.children]
    # the governing verb (through prepositions: "below 1,000" -> "remains")
    head = anchor.head
    if anchor.dep_ == "pobj" and head.head is not head:
        head = head.head
    if head is not anchor and head.pos_ in ("VERB", "AUX", "ADJ", "NOUN"):
        words.append(lemma(head))
        words.append(head.lower_)
        if anchor.dep_ in ("attr", "dobj", "pobj", "npadvmod", "acomp") or noun_tok.like_num or \
                noun in GENERIC_NOUNS:
            for subj in head.children:
                if subj.dep_ in ("nsubj", "nsubjpass"):
                    words += [lemma(subj), subj.lower_]
                    words += [lemma(c) for c in subj.children if c.dep_ in ("compound", "amod")]
                    words += [w for p in subj.children if p.dep_ == "prep" for g in p.children
                              for w in (lemma(g), g.lower_)]
    if noun_tok.dep_ in ("nsubj", "nsubjpass") and noun_tok.head.pos_ in ("VERB", "AUX"):
        # passive/active verb of a subject count: "874 soldiers have been killed"
        words.append(lemma(noun_tok.head))
        words.append(noun_tok.head.lower_)
    return noun, ("" if not noun else noun_tok.lower_), words


def _topic(noun: str, words: list[str]) -> tuple[str, str]:
    """A topic for the counted thing, and a short phrase naming it for a reason."""
    for word in words:  # nearest words first: the noun, then its verb, then the subject
        for topic, lexicon in TOPIC_LEXICON:
            if word in lexicon:
                thing = max((w for w in words if w in lexicon), key=len)  # "killed" over "kill"
                if "toll" in words and "death" in words:
                    thing = "death toll"
                return topic, thing
    if noun and noun not in GENERIC_NOUNS:
        return noun, ""
    return "", ""


def _is_part_of(part: Quantity, whole: Quantity) -> bool:
    """"874 soldiers" is a part of "5,000 people": a named sub-group, smaller, against a general total."""
    return bool(part.context & SUBGROUPS) and not whole.context & SUBGROUPS and part.high < whole.low


def _overlap(a: Quantity, b: Quantity) -> bool:
    return a.low <= b.high and b.low <= a.high

"""spaCy component: a sentence ends only after terminal punctuation.

Each paragraph is parsed on its own, so line and paragraph breaks are already hard
boundaries. Inside a paragraph the statistical parser sometimes starts a sentence
mid-clause ("... erupted September 27 and on Wednesday | Armenian Prime Minister
Nikol Pashinyan acknowledged ..."); in edited news copy a sentence can only start
after . ! ? … (possibly followed by closing quotes or brackets), so every other
token is marked as not starting one before the parser runs.

Quotes written with straight marks ('' or ") do not say whether they open or close;
the spacing does: attached to the word before, a quote closes ("Cruz.'' I"); attached
to the word after, it opens ("Cruz. ''I"). An opening quote right after terminal
punctuation, before a capitalised word, starts a sentence (the parser alone kept
"... with Mr. Cruz. ''I don't want to,'' he said." as one sentence, two speakers in it).
"""
from __future__ import annotations

from spacy.language import Language

COMPONENT = "sayso_sentence_bounds"
TERMINAL = {".", "!", "?", "…", "...", "?!", "!?"}
CLOSING = {"”", "’", ")", "]", "»"}
STRAIGHT_QUOTES = {'"', "'", "''", "``"}
# Abbreviations that stand before a name or a number, never at a sentence's end.
TITLES = {
    "mr.", "mrs.", "ms.", "dr.", "prof.", "pres.", "gov.", "sen.", "rep.", "gen.", "lt.", "col.",
    "maj.", "capt.", "sgt.", "adm.", "cmdr.", "rev.", "hon.", "st.", "sr.", "jr.", "no.", "vs.",
    "atty.", "supt.", "insp.", "fr.", "mt.", "ft.", "messrs.",
}


def _closes(doc, j: int) -> bool:
    """A closing quote or bracket: typographic, or a straight quote attached to the word before."""
    text = doc[j].text
    return text in CLOSING or (text in STRAIGHT_QUOTES and j > 0 and not doc[j - 1].whitespace_)


def _opens_quote(doc, i: int) -> bool:
    """A straight quote attached to the word after it and not to the one before."""
    return (doc[i].text in STRAIGHT_QUOTES and not doc[i].whitespace_ and i + 1 < len(doc)
            and (i == 0 or bool(doc[i - 1].whitespace_)))


def _after_terminal(doc, i: int) -> bool:
    j = i - 1
    while j >= 0 and _closes(doc, j):
        j -= 1
    if j < 0:
        return True
    previous = doc[j].text
    if previous.lower() in TITLES or (len(previous) == 2 and previous[0].isupper() and previous[1] == "."):
        return False  # "Pres. Obama", "John F. Kennedy"
    return previous in TERMINAL or previous.endswith((".", "!", "?"))


def _may_start_sentence(doc, i: int) -> bool:
    return not _opens_quote(doc, i - 1) and _after_terminal(doc, i)


def _must_start_sentence(doc, i: int) -> bool:
    """An opening straight quote after terminal punctuation, before a capitalised word."""
    return _opens_quote(doc, i) and _after_terminal(doc, i) and doc[i + 1].text[:1].isupper()


def keep_titles_whole(nlp: Language) -> None:
    """Tokenize "Pres." and the like as one token, as spaCy already does "Mr." and "Dr."."""
    from spacy.symbols import ORTH

    for title in TITLES:
        for form in (title, title.capitalize(), title.upper()):
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])


@Language.component(COMPONENT)
def sentence_bounds(doc):
    for i, token in enumerate(doc):
        if i == 0:
            continue
        if _must_start_sentence(doc, i):
            token.is_sent_start = True
        elif not _may_start_sentence(doc, i):
            token.is_sent_start = False
    return doc

"""spaCy component: a sentence ends only after terminal punctuation.

Each paragraph is parsed on its own, so line and paragraph breaks are already hard
boundaries. Inside a paragraph the statistical parser sometimes starts a sentence
mid-clause ("... erupted September 27 and on Wednesday | Armenian Prime Minister
Nikol Pashinyan acknowledged ..."); in edited news copy a sentence can only start
after . ! ? … (possibly followed by closing quotes or brackets), so every other
token is marked as not starting one before the parser runs.
"""
from __future__ import annotations

from spacy.language import Language

COMPONENT = "sayso_sentence_bounds"
TERMINAL = {".", "!", "?", "…", "...", "?!", "!?"}
CLOSING = {'"', "'", "”", "’", ")", "]", "»"}
# Abbreviations that stand before a name or a number, never at a sentence's end.
TITLES = {
    "mr.", "mrs.", "ms.", "dr.", "prof.", "pres.", "gov.", "sen.", "rep.", "gen.", "lt.", "col.",
    "maj.", "capt.", "sgt.", "adm.", "cmdr.", "rev.", "hon.", "st.", "sr.", "jr.", "no.", "vs.",
    "atty.", "supt.", "insp.", "fr.", "mt.", "ft.", "messrs.",
}


def _may_start_sentence(doc, i: int) -> bool:
    j = i - 1
    while j >= 0 and doc[j].text in CLOSING:
        j -= 1
    if j < 0:
        return True
    previous = doc[j].text
    if previous.lower() in TITLES or (len(previous) == 2 and previous[0].isupper() and previous[1] == "."):
        return False  # "Pres. Obama", "John F. Kennedy"
    return previous in TERMINAL or previous.endswith((".", "!", "?"))


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
        if not _may_start_sentence(doc, i):
            token.is_sent_start = False
    return doc

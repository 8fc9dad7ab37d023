"""The detectors' parser and its cache: models/stance/parsing.py."""
from __future__ import annotations


def test_parsing_full_cache_still_returns_every_text_asked_for(nlp):
    from models.stance.parsing import Parser

    parser = Parser(nlp, cache_size=2)
    parser.parse_many(["Filler one.", "Filler two."])
    docs = parser.parse_many(["Azerbaijan took the border.", "Armenia denied it.", "Filler one."])  # overflows
    assert [d.text for d in docs] == ["Azerbaijan took the border.", "Armenia denied it.", "Filler one."]
    assert parser.parse("Armenia denied it.") is docs[1]  # the most recent stay cached

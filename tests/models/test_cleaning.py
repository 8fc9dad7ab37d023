"""models.cleaning: keep the article, drop the site, never move an offset."""
from __future__ import annotations

from models.article import BODY, HEADLINE, TEASER
from models.cleaning import clean


def _kinds(text):
    return [(p.kind, text[p.start:p.end]) for p in clean(text)]


def test_cleaning_drops_boilerplate_lines():
    text = "Read more: Iran's dilemma\nThe minister resigned on Friday.\nFollow us on Facebook and Twitter\nShare this article"
    assert _kinds(text) == [(BODY, "The minister resigned on Friday.")]


def test_cleaning_cuts_boilerplate_glued_to_the_next_line():
    text = "Follow us on Facebook, Twitter and Instagram to stay connectedThe truce held for a week.\nThe talks resumed."
    assert _kinds(text)[0] == (BODY, "The truce held for a week.")


def test_cleaning_drops_repeated_lines_and_keeps_the_first():
    text = "The dam holds 40 million cubic metres.\nIt opened in 1999.\nThe dam holds 40 million  cubic metres."
    assert [t for _, t in _kinds(text)] == ["The dam holds 40 million cubic metres.", "It opened in 1999."]


def test_cleaning_unterminated_lines_are_headline_or_teaser():
    text = "Dam opens after ten years\nThe dam opened on Monday.\nThe king will speak at the summit on Friday"
    assert _kinds(text) == [
        (HEADLINE, "Dam opens after ten years"),
        (BODY, "The dam opened on Monday."),
        (TEASER, "The king will speak at the summit on Friday"),
    ]


def test_cleaning_a_repeated_opening_line_is_a_teaser_not_a_headline():
    text = "Truce held despite a shooting\nThe dam opened on Monday.\nTruce held despite a shooting"
    assert _kinds(text)[0] == (TEASER, "Truce held despite a shooting")


def test_cleaning_spans_point_into_the_submitted_text(samples):
    for text in samples.values():
        for paragraph in clean(text):
            span = text[paragraph.start:paragraph.end]
            assert span and span == span.strip() and "\n" not in span

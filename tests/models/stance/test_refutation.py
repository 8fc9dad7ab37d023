"""The negation and refutation detector: models/stance/refutation.py."""
from __future__ import annotations

import pytest

from models.stance import refutation

from .texts import BORDER


@pytest.mark.parametrize("claim, sentence, flips", [
    (BORDER, "Azerbaijan does not control its border with Iran.", True),
    (BORDER, "Azerbaijan is not in control of its border with Iran.", True),
    (BORDER, "There is no evidence that Azerbaijan controls its border with Iran.", True),
    (BORDER, "Armenia never denied that Azerbaijan had taken control of the border with Iran.", False),
    (BORDER, "Baku has never hidden its desire to regain full control over Karabakh.", False),
    (BORDER, "Not only has Azerbaijan taken control of the border with Iran, it has advanced.", False),
    ("A diplomatic solution to the conflict is possible",
     "Pashinyan ruled out any diplomatic solution to the conflict for the moment.", True),
    ("The vaccine causes autism", "The claim that the vaccine causes autism is a hoax.", True),
    ("The vaccine causes autism", "Scientists have debunked the claim that the vaccine causes autism.", True),
    ("Azerbaijan has not taken control of its border with Iran", BORDER, True),
])
def test_refutation_cues_bear_on_claim(claim, sentence, flips, parser):
    assert refutation.compare(claim, sentence, parser).flips is flips


def test_refutation_refuting_word_is_found_as_written():
    assert refutation.refuting_word("Police say the video is a hoax.") == "hoax"
    assert refutation.refuting_word("The ministry Denied the report") == "Denied"
    assert refutation.refuting_word("That is not true, he said") == "not true"
    assert refutation.refuting_word("The ministry confirmed the report") is None

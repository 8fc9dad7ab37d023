"""The figures detector: models/stance/quantities.py."""
from __future__ import annotations

import pytest

from models.stance import quantities

from .texts import BELOW_THOUSAND, DEATHS


@pytest.mark.parametrize("sentence, relation", [
    ("Five thousand people were killed in the fighting.", "agree"),          # words vs digits
    ("The death toll rose to 4,800 on Monday.", "agree"),
    ("Between 4,000 and 6,000 people have died.", "agree"),                   # range
    ("Some 300-400 people died in the fighting.", "conflict"),               # range, digits
    ("More than 20,000 people were killed.", "conflict"),
    ("Hundreds of people have been killed.", "conflict"),
    ("A thousand people died.", "conflict"),
    ("874 Armenian soldiers and 36 civilians have been killed.", "part"),    # a sub-group, not a rival total
    ("The fighting has lasted three weeks and a 24-hour truce failed.", "none"),  # durations are no toll
    ("Fighting erupted September 27, 2020.", "none"),                        # dates are no toll
])
def test_quantities_relate_same_thing(sentence, relation, parser):
    evidence = quantities.compare(DEATHS, sentence, parser)
    found = ("conflict" if evidence.conflicts else "agree" if evidence.agrees
             else "part" if evidence.partial else "none")
    assert found == relation, evidence


def test_quantity_reason_names_hedges_and_numbers(parser):
    evidence = quantities.compare(DEATHS, BELOW_THOUSAND, parser)
    assert evidence.reason() == "claim says nearly 5,000 killed; sentence says below 1,000 death toll"


def test_quantities_read_words_hedges_and_ranges(parser):
    parse = parser.parse
    (q,) = quantities.extract(parse("More than one thousand two hundred people were evacuated."))
    assert (q.low, q.high, q.hedge) == (1200, float("inf"), "more than")
    (q,) = quantities.extract(parse("Up to 3.5 million people fled."))
    assert (q.low, q.high) == (0, 3_500_000)
    (q,) = quantities.extract(parse("Between 200 and 300 people died."))
    assert (q.low, q.high, q.topic) == (200, 300, "casualties")

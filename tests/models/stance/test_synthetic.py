"""Synthetic contradictions (models/stance/synthetic.py) on real sentences through the
real spaCy pipeline: only what the sentence states is swapped, with values of the same
texts, and the main verb's negation is added or removed."""
from __future__ import annotations

import random

from models.stance import synthetic

PUTIN = ("Russian President Vladimir Putin said on Thursday that almost 5,000 people had died in more than "
         "three weeks of fighting between Armenian forces and Azerbaijan's army.")


def make(nlp, kind, claim, sentence, seed=1):
    return synthetic.MAKERS[kind](nlp(claim), nlp(sentence), random.Random(seed))


def test_synthetic_number_swaps_a_figure_the_sentence_states(nlp):
    new = make(nlp, "number", "Almost 5,000 people had died in the fighting.", PUTIN)
    assert new is not None and "5,000" not in new
    assert new.endswith("people had died in the fighting.")


def test_synthetic_number_leaves_figures_the_sentence_does_not_state(nlp):
    assert make(nlp, "number", "Two men are playing soccer.", "Some men play soccer in a park.") is None


def test_synthetic_date_swaps_or_shifts_a_stated_date(nlp):
    new = make(nlp, "date", "Apple reported revenue of $5 billion in 2019.",
               "In 2019, Apple reported revenue of $5 billion.")
    assert new is not None and "2019" not in new and new.startswith("Apple reported revenue of $5 billion in ")


def test_synthetic_entity_takes_another_entity_of_the_same_text(nlp):
    new = make(nlp, "entity", "Apple reported higher revenue.", "Apple reported higher revenue than Microsoft.")
    assert new == "Microsoft reported higher revenue."


def test_synthetic_entity_needs_a_second_entity_of_that_type(nlp):
    assert make(nlp, "entity", "Apple reported higher revenue.", "Apple reported higher revenue.") is None


def test_synthetic_negation_adds_and_removes_not(nlp):
    assert make(nlp, "negation", "Two men are playing soccer.", "") == "Two men are not playing soccer."
    assert make(nlp, "negation", "The man won the race.", "") == "The man did not win the race."
    assert make(nlp, "negation", "The door is not open.", "") == "The door is open."
    assert make(nlp, "negation", "A woman can't swim.", "") == "A woman can swim."


def test_synthetic_contradictions_lists_every_kind_a_pair_offers(nlp):
    claim = nlp("Apple reported revenue of $5 billion in 2019.")
    sentence = nlp("In 2019, Apple reported revenue of $5 billion, Microsoft $7 billion.")
    made = synthetic.contradictions([claim], [sentence], random.Random(3))
    assert {kind for _, kind, _ in made} == set(synthetic.KINDS)
    assert all(new != claim.text for _, _, new in made)


def restated(nlp, claim, sentence, seed):
    return synthetic.restate_number(nlp(claim), nlp(sentence), random.Random(seed))


def test_synthetic_restated_keeps_the_figure_true(nlp):
    sentence = "Officials said 40 people were hurt in the blast."
    made = {restated(nlp, "40 people were hurt in the blast.", sentence, seed) for seed in range(20)}
    assert made == {"At least 40 people were hurt in the blast.", "More than 39 people were hurt in the blast."}
    words = {restated(nlp, "Two men are playing soccer.", "Two men play soccer in a park.", seed) for seed in range(20)}
    assert words == {"At least two men are playing soccer.", "2 men are playing soccer."}


def test_synthetic_restated_leaves_qualified_and_unstated_figures(nlp):
    assert restated(nlp, "Almost 5,000 people had died in the fighting.", PUTIN, 1) is None  # already "almost"
    assert restated(nlp, "Two men are playing soccer.", "Some men play soccer in a park.", 1) is None
    assert restated(nlp, "The fighting began in 2020.", "The fighting began in 2020.", 1) is None  # a date
    assert restated(nlp, "30 mummies were found.", "Archaeologists found about 30 mummies.", 1) is None


def test_synthetic_restatements_are_listed_apart_from_contradictions(nlp):
    claim, sentence = nlp("Nine guys are sleeping on a bed."), nlp("Nine men sleep on a white bed.")
    made = synthetic.restatements([claim], [sentence], random.Random(2))
    assert [(i, kind) for i, kind, _ in made] == [(0, synthetic.RESTATED)]
    assert "Nine guys" not in made[0][2] and made[0][2].endswith("guys are sleeping on a bed.")

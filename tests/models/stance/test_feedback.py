"""Editors' feedback as training pairs: models/stance/feedback.py."""
from __future__ import annotations

import json

from models.stance.feedback import feedback_pairs


def _write(path, items):
    path.write_text("".join(json.dumps(item) + "\n" for item in items) + "not json\n", encoding="utf-8")


def test_feedback_confirmed_and_corrected_results_become_pairs_and_rejections_do_not(tmp_path):
    base = {"claim": "The border is closed", "sentence": "Officials said the border reopened."}
    _write(tmp_path / "f.jsonl", [
        dict(base, stance="contradicts", verdict="confirm"),
        dict(base, sentence="The border stayed shut.", stance="contradicts", verdict="corroborates"),
        dict(base, sentence="Trade went on as usual.", stance="corroborates", verdict="reject"),
    ])
    pairs, counts = feedback_pairs(tmp_path / "f.jsonl", weight=2.0)
    assert {(p.sentence, p.label, p.weight) for p in pairs} == {
        ("Officials said the border reopened.", "contradicts", 2.0),
        ("The border stayed shut.", "corroborates", 2.0),
    }
    assert counts == {"lines": 4, "rejected": 1, "unreadable": 1, "pairs": 2,
                      "corroborates": 1, "contradicts": 1, "discusses": 0}


def test_feedback_last_word_on_a_pair_wins(tmp_path):
    base = {"claim": "The border is closed", "sentence": "Officials said the border reopened.", "stance": "contradicts"}
    _write(tmp_path / "f.jsonl", [dict(base, verdict="confirm"), dict(base, verdict="discusses")])
    pairs, _ = feedback_pairs(tmp_path / "f.jsonl")
    assert [p.label for p in pairs] == ["discusses"]

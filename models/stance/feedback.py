"""Editors' feedback (GET /v1/feedback as JSON Lines) as stance training pairs.

Each line is one editor's word on one result: the claim, the sentence as it was, the
stance Sayso showed and the editor's verdict. It becomes a (claim, sentence, label)
pair when the right stance is known:

- ``confirm``: the stance shown is right;
- ``corroborates`` / ``contradicts`` / ``discusses``: the editor's own stance;
- ``reject``: only that the stance shown is wrong, not which one is right, so no pair
  (counted apart, for the model card).

    pairs, counts = feedback_pairs(Path("feedback.jsonl"))
    scripts/train_stance.py --feedback feedback.jsonl --feedback-weight 2
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from models.stance.labels import LABELS, UNRELATED

STANCES = tuple(label for label in LABELS if label != UNRELATED)


@dataclass(frozen=True)
class FeedbackPair:
    claim: str
    sentence: str
    label: str  # one of STANCES
    weight: float = 1.0


def feedback_pairs(path: Path, weight: float = 1.0) -> tuple[list[FeedbackPair], dict[str, int]]:
    """The training pairs in a feedback export, and counts of what was used and skipped
    (the last word of an editor on a (claim, sentence) pair wins)."""
    latest: dict[tuple[str, str], str] = {}
    counts = {"lines": 0, "rejected": 0, "unreadable": 0}
    for line in _lines(path):
        counts["lines"] += 1
        try:
            item = json.loads(line)
            key = (item["claim"].strip(), item["sentence"].strip())
            verdict, shown = item["verdict"], item["stance"]
        except (ValueError, KeyError, AttributeError, TypeError):
            counts["unreadable"] += 1
            continue
        label = shown if verdict == "confirm" else verdict if verdict in STANCES else None
        if label is None:
            counts["rejected"] += 1
            latest.pop(key, None)
            continue
        if label in STANCES and all(key):
            latest[key] = label
    pairs = [FeedbackPair(claim, sentence, label, weight) for (claim, sentence), label in latest.items()]
    counts["pairs"] = len(pairs)
    for stance in STANCES:
        counts[stance] = sum(p.label == stance for p in pairs)
    return pairs, counts


def _lines(path: Path) -> Iterable[str]:
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if line.strip():
                yield line

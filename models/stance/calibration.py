"""How well a stated probability matches how often it is right."""
from __future__ import annotations

from typing import Sequence

import numpy as np


def expected_calibration_error(scores: Sequence[float], correct: Sequence[bool], bins: int = 15) -> float:
    """ECE over equal-width bins: the gap between mean score and accuracy, weighted by bin size."""
    scores, correct = np.asarray(scores, dtype=float), np.asarray(correct, dtype=float)
    total = 0.0
    edges = np.linspace(0, 1, bins + 1)
    for lo, hi in zip(edges[:-1], edges[1:]):
        mask = (scores > lo) & (scores <= hi)
        if mask.any():
            total += mask.mean() * abs(scores[mask].mean() - correct[mask].mean())
    return float(total)

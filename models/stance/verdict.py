"""The verdict on one sentence (or one article) toward a claim: what the judge and the
article rule both speak in."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass
class StanceVerdict:
    stance: str   # corroborates | contradicts | discusses | unrelated
    score: float  # calibrated probability of `stance`, 0..1
    reason: str   # why, in words an editor understands
    # the model's raw outputs for this sentence (LABELS order), when the model ran: the
    # article rule pools them (article_rule.py); not part of the API
    logits: Optional[tuple] = None
    # the detector that decided ("figures", "negation", "hedge"), if one did
    detector: Optional[str] = None
    # a refuting word in an on-topic sentence ("hoax", "denied") when the claim has none:
    # a hint the article rule weighs (article_rule.py), whatever this sentence's own stance
    refuting_word: Optional[str] = None
    # the claim's cosine similarity to the sentence: the learned article rule weighs it
    similarity: Optional[float] = None

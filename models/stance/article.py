"""Article-level stance from the sentence verdicts of its candidate sentences.

The rule (used by benchmarks/stance.py for FNC-1, whose labels are headline vs whole
body), over the verdicts of the body's candidate sentences (the 10 most similar to
the claim):

1. no sentence is related (all "unrelated")          -> unrelated (score: the lowest
                                                         unrelated score, i.e. the least sure)
2. a sentence contradicts with score >= ``strong``, and no sentence corroborates more
   confidently                                        -> contradicts (its score)
3. a sentence corroborates with score >= ``strong``   -> corroborates (its score)
4. otherwise                                          -> discusses (the best discusses
                                                         score, else 1 - the best other)
"""
from __future__ import annotations

from models.stance.judge import StanceVerdict
from models.stance.labels import CONTRADICTS, CORROBORATES, DISCUSSES, UNRELATED

STRONG = 0.5


def article_stance(verdicts: list[StanceVerdict], strong: float = STRONG) -> StanceVerdict:
    related = [v for v in verdicts if v.stance != UNRELATED]
    if not related:
        least_sure = min(verdicts, key=lambda v: v.score) if verdicts else None
        return StanceVerdict(UNRELATED, least_sure.score if least_sure else 1.0,
                             "no sentence of the article is on the claim's topic")
    best = {s: max((v for v in related if v.stance == s), key=lambda v: v.score, default=None)
            for s in (CORROBORATES, CONTRADICTS, DISCUSSES)}
    contra, corr = best[CONTRADICTS], best[CORROBORATES]
    if contra and contra.score >= strong and (corr is None or contra.score >= corr.score):
        return StanceVerdict(CONTRADICTS, contra.score, contra.reason)
    if corr and corr.score >= strong:
        return StanceVerdict(CORROBORATES, corr.score, corr.reason)
    if best[DISCUSSES]:
        return StanceVerdict(DISCUSSES, best[DISCUSSES].score, best[DISCUSSES].reason)
    top = max(related, key=lambda v: v.score)
    return StanceVerdict(DISCUSSES, 1.0 - top.score, "no sentence is confident enough to decide")

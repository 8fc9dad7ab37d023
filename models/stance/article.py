"""Article-level stance from the verdicts of its candidate sentences.

FNC-1 labels a headline against a whole body; the service judges sentences. The rule
(used by benchmarks/stance.py), over the verdicts of the body's candidate sentences
(the 10 most similar to the claim):

1. no sentence is related (all "unrelated")                  -> unrelated
2. a sentence contradicts with score >= ``disagree_from``, and no sentence
   corroborates more confidently                             -> contradicts
3. a sentence corroborates with score >= ``agree_from``      -> corroborates
4. otherwise                                                 -> discusses

The deciding sentence's score is mapped to an article-level probability by a per-stance
logistic fit (``platt``: p = sigmoid(a * logit(score) + b)). The thresholds and the fit
are chosen on the FNC-1 validation stories of the training side (never the hold-out)
by ``benchmarks/stance.py --fnc-part val --tune`` (add ``--no-model`` for the judge
without its model) and kept in the artifact's config.json under "article" (and
"article_without_model").
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from models.stance.judge import StanceVerdict
from models.stance.labels import CONTRADICTS, CORROBORATES, DISCUSSES, UNRELATED


@dataclass
class ArticleRule:
    agree_from: float = 0.5
    disagree_from: float = 0.5
    platt: dict = field(default_factory=dict)  # stance -> [a, b]

    @classmethod
    def from_config(cls, config: dict, with_model: bool = True) -> "ArticleRule":
        """The rule fitted for the judge with its model ("article") or without it
        ("article_without_model"): the two judges' scores mean different things."""
        return cls(**config.get("article" if with_model else "article_without_model", {}))

    def calibrate(self, stance: str, score: float) -> float:
        if stance not in self.platt:
            return score
        a, b = self.platt[stance]
        s = min(max(score, 1e-6), 1 - 1e-6)
        return 1.0 / (1.0 + math.exp(-(a * math.log(s / (1 - s)) + b)))


def article_stance(verdicts: list[StanceVerdict], rule: ArticleRule | None = None) -> StanceVerdict:
    verdict = decide(verdicts, rule or ArticleRule())
    rule = rule or ArticleRule()
    return StanceVerdict(verdict.stance, rule.calibrate(verdict.stance, verdict.score), verdict.reason)


def decide(verdicts: list[StanceVerdict], rule: ArticleRule) -> StanceVerdict:
    """The rule above, with the deciding sentence's own (uncalibrated-for-articles) score."""
    related = [v for v in verdicts if v.stance != UNRELATED]
    if not related:
        least_sure = min((v.score for v in verdicts), default=1.0)
        return StanceVerdict(UNRELATED, least_sure, "no sentence of the article is on the claim's topic")
    best = {s: max((v for v in related if v.stance == s), key=lambda v: v.score, default=None)
            for s in (CORROBORATES, CONTRADICTS, DISCUSSES)}
    contra, corr = best[CONTRADICTS], best[CORROBORATES]
    if contra and contra.score >= rule.disagree_from and (corr is None or contra.score >= corr.score):
        return contra
    if corr and corr.score >= rule.agree_from:
        return corr
    if best[DISCUSSES]:
        return best[DISCUSSES]
    top = max(related, key=lambda v: v.score)
    return StanceVerdict(DISCUSSES, 1.0 - top.score, "no sentence is confident enough to decide")

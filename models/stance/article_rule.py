"""Article-level stance from the verdicts of its candidate sentences.

FNC-1 labels a headline against a whole body; the service judges sentences. The rule
(used by benchmarks/stance.py) takes the verdicts of the body's candidate sentences
(the 10 most similar to the claim). If no sentence is related (all "unrelated"), the
article is unrelated. Otherwise:

With the trained model (``pooled``): the model's logits of the related sentences are
pooled per stance by log-sum-exp (a soft maximum: one clearly refuting sentence
outweighs many neutral ones), a per-stance ``bias`` is added, and the article's
probabilities are the softmax of that divided by ``temperature``. The model was trained
through exactly this pooling on FNC-1 training articles (scripts/train_stance.py,
``bag_loss``). The detectors join in before pooling: a sentence that they (a conflicting
figure, a negation or refuting cue) call contradicting gets ``detector_weight`` added
to its contradicts logit. After pooling, an article that refutes in words gets
``refutation_weight`` added to its contradicts logit: one of its on-topic sentences uses
a refuting word that the claim does not ("hoax", "fake", "denied", "not true":
``refutation.refuting_word``), or is one the detectors call contradicting. A story
called a hoax next to the claim is a hint the model alone underweighs, even where the
word does not bear on the claim's own words closely enough for the sentence-level
detector.

Learned (``learned``, #17): instead of the pooling thresholds above, a multinomial
logistic regression over what the verdicts of the article's on-topic sentences say
(``article_features``: the pooled logits, the largest and mean probability of each
stance, the share of sentences of each stance, the detectors' and refuting words'
flags, the similarities, and the products of the flags and similarities with the
contradicting and corroborating evidence), fitted by ``benchmarks/stance.py --tune`` with
class weights (contradicting articles are few) and cross-validation grouped by story. It
is used only where its cross-validated macro-F1 beats the pooled rule's on the same
stories; its probabilities are divided by its own temperature.

Without the model (thresholds over the sentence verdicts):
1. a sentence contradicts with score >= ``disagree_from``, and no sentence
   corroborates more confidently                             -> contradicts
2. a sentence corroborates with score >= ``agree_from``      -> corroborates
3. otherwise                                                 -> discusses
and the deciding sentence's score is mapped to an article-level probability by a
per-stance logistic fit (``platt``: p = sigmoid(a * logit(score) + b)).

Every number here is chosen on the FNC-1 validation stories of the training side (never
the hold-out) by ``benchmarks/stance.py --fnc-part val --tune`` (add ``--no-model`` for
the judge without its model) and kept in the artifact's config.json under "article"
(and "article_without_model").
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from models.stance.labels import CONTRADICTS, CORROBORATES, DISCUSSES, LABELS, UNRELATED
from models.stance.verdict import StanceVerdict

RELATED = (CORROBORATES, CONTRADICTS, DISCUSSES)
# How many of an article's sentences the rule was fitted, calibrated and measured on: its
# most similar to the claim. Log-sum-exp pooling grows with the number of sentences
# pooled, so more of them would push the article's probabilities off their calibration.
SENTENCES_PER_ARTICLE = 10


@dataclass
class ArticleRule:
    agree_from: float = 0.5
    disagree_from: float = 0.5
    platt: dict = field(default_factory=dict)  # stance -> [a, b]
    pooled: bool = False                        # pool the model's logits (needs verdicts with logits)
    bias: dict = field(default_factory=dict)    # stance -> added to its pooled logit
    temperature: float = 1.0
    detector_weight: float = 0.0
    refutation_weight: float = 0.0
    # the learned rule: {"features", "mean", "scale", "coef", "intercept", "temperature"}
    learned: dict = field(default_factory=dict)

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
    rule = rule or ArticleRule()
    related = [v for v in verdicts if v.stance != UNRELATED]
    if rule.pooled and related and all(v.logits is not None for v in related):
        return pooled(related, rule)
    verdict = decide(verdicts, rule)
    return StanceVerdict(verdict.stance, rule.calibrate(verdict.stance, verdict.score), verdict.reason)


def pooled_probabilities(related: list[StanceVerdict], rule: ArticleRule) -> np.ndarray:
    """The article's probabilities over RELATED (see the module docstring)."""
    if rule.learned:
        return learned_probabilities(related, rule.learned)
    columns = [LABELS.index(s) for s in RELATED]
    logits = np.array([v.logits for v in related], dtype=np.float64)[:, columns]
    logits[:, 1] += [rule.detector_weight if detectors_contradict(v) else 0.0 for v in related]
    top = logits.max(axis=0)
    pooled_logits = top + np.log(np.exp(logits - top).sum(axis=0))
    if refutes_in_words(related):
        pooled_logits[1] += rule.refutation_weight
    z = (pooled_logits + np.array([rule.bias.get(s, 0.0) for s in RELATED])) / rule.temperature
    z = np.exp(z - z.max())
    return z / z.sum()


# What the learned rule reads of an article's on-topic sentences (``article_features``).
ARTICLE_FEATURES = (
    "pooled_corroborates", "pooled_contradicts", "pooled_discusses",
    "max_p_corroborates", "max_p_contradicts", "max_p_discusses",
    "mean_p_corroborates", "mean_p_contradicts", "mean_p_discusses",
    "share_corroborates", "share_contradicts", "share_discusses",
    "log_sentences", "detectors_contradict", "refuting_word", "hedged",
    "max_similarity", "mean_similarity",
    "detectors_x_max_p_contradicts", "refuting_x_max_p_contradicts",
    "max_similarity_x_pooled_contradicts", "max_similarity_x_pooled_corroborates",
)


def article_features(related: list[StanceVerdict]) -> np.ndarray:
    """One row of ARTICLE_FEATURES for an article's on-topic sentence verdicts (with logits)."""
    columns = [LABELS.index(s) for s in RELATED]
    logits = np.array([v.logits for v in related], dtype=np.float64)[:, columns]
    top = logits.max(axis=0)
    pooled_logits = top + np.log(np.exp(logits - top).sum(axis=0))
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = z / z.sum(axis=1, keepdims=True)
    share = np.array([np.mean([v.stance == s for v in related]) for s in RELATED])
    detectors = float(any(detectors_contradict(v) for v in related))
    refuting = float(any(v.refuting_word for v in related))
    hedged = float(any(v.detector == "hedge" for v in related))
    similarities = np.array([v.similarity if v.similarity is not None else 0.0 for v in related])
    max_similarity = float(similarities.max())
    row = [*pooled_logits, *p.max(axis=0), *p.mean(axis=0), *share,
           math.log(len(related)), detectors, refuting, hedged, max_similarity, float(similarities.mean()),
           detectors * p[:, 1].max(), refuting * p[:, 1].max(),
           max_similarity * pooled_logits[1], max_similarity * pooled_logits[0]]
    return np.array(row, dtype=np.float64)


def learned_probabilities(related: list[StanceVerdict], learned: dict) -> np.ndarray:
    """The learned rule's probabilities over RELATED."""
    x = (article_features(related) - np.asarray(learned["mean"])) / np.asarray(learned["scale"])
    z = (np.asarray(learned["coef"]) @ x + np.asarray(learned["intercept"])) / learned.get("temperature", 1.0)
    z = np.exp(z - z.max())
    return z / z.sum()


def refutes_in_words(related: list[StanceVerdict]) -> bool:
    """An on-topic sentence has a refuting word the claim lacks, or the detectors call one
    contradicting."""
    return any(v.refuting_word or detectors_contradict(v) for v in related)


def detectors_contradict(verdict: StanceVerdict) -> bool:
    """A detector (a conflicting figure, a negation or refuting cue) calls the sentence
    contradicting, whatever the model says of it."""
    return verdict.stance == CONTRADICTS and verdict.detector is not None


def pooled(related: list[StanceVerdict], rule: ArticleRule) -> StanceVerdict:
    probabilities = pooled_probabilities(related, rule)
    stance = RELATED[int(np.argmax(probabilities))]
    column = LABELS.index(stance)
    flagged = [v for v in related if detectors_contradict(v)]
    refuting = [v.refuting_word for v in related if v.refuting_word]
    if stance == CONTRADICTS and flagged and (rule.detector_weight > 0 or rule.learned):
        deciding = flagged[0]
    elif stance == CONTRADICTS and refuting and (rule.refutation_weight > 0 or rule.learned):
        return StanceVerdict(stance, float(probabilities.max()),
                             f'{_WORDS[stance]}; one of them says "{refuting[0]}"')
    else:  # the sentence that most says so, among those judged to say so
        agreeing = [v for v in related if v.stance == stance]
        if not agreeing:
            return StanceVerdict(stance, float(probabilities.max()), _apart(stance, related))
        deciding = max(agreeing, key=lambda v: v.logits[column])
    return StanceVerdict(stance, float(probabilities.max()),
                         f"{_WORDS[stance]}; most of all this sentence: {deciding.reason}")


def _apart(stance: str, related: list[StanceVerdict]) -> str:
    """The reason when no sentence, taken alone, says what the article as a whole does
    (an article that reports a claim in others' words "discusses" it, while each of
    those sentences corroborates it): say so, and quote the surest sentence."""
    surest = max(related, key=lambda v: v.score)
    stances = {v.stance for v in related}
    if {CORROBORATES, CONTRADICTS} <= stances:
        alone = "its sentences, taken one by one, point both ways"
    else:
        alone = f"taken one by one, its sentences {_ALONE[surest.stance]} it"
    return f"{_WORDS[stance]}, although {alone}; most of all this sentence: {surest.reason}"


_ALONE = {CORROBORATES: "corroborate", CONTRADICTS: "contradict", DISCUSSES: "discuss"}

_WORDS = {
    CORROBORATES: "the article's sentences on the claim's topic, taken together, say what it says",
    CONTRADICTS: "the article's sentences on the claim's topic, taken together, deny it",
    DISCUSSES: "the article reports on the claim's topic without confirming or denying it",
}


def decide(verdicts: list[StanceVerdict], rule: ArticleRule) -> StanceVerdict:
    """The threshold rule above, with the deciding sentence's own (uncalibrated-for-articles) score."""
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

"""Stance benchmark: FNC-1 hold-out through StanceJudge, NLI hold-outs, calibration, latency.

    .venv/bin/python benchmarks/stance.py                 # trained artifact (default)
    .venv/bin/python benchmarks/stance.py --no-model      # detectors + similarity only
    .venv/bin/python benchmarks/stance.py --fnc-limit 800 --nli-limit 500   # quicker

FNC-1 (../shared/data/fnc-1): the hold-out of benchmarks/fnc1_split.json (whole stories:
no headline and no body of it is in training). For each (headline, body) pair the
body is split into sentences (models.stance.datasets.split_sentences), the 10 most
similar to the headline by MiniLM embedding are the candidates (as the service's
FAISS search gives them), ``StanceJudge.judge`` decides each one, and
``models.stance.article_rule.article_stance`` aggregates them to the article (rule in its
docstring). Mapped back: corroborates=agree, contradicts=disagree, discusses=discuss,
unrelated=unrelated. Reported: the FNC-1 score (as the official scorer: +0.25 for
related/unrelated right, +0.75 more for the right related label; as a % of the best
possible), per-class F1, macro-F1, confusion matrix, and the expected calibration
error (15 bins) of the article's stance_score. The hold-out is all 3,450 pairs unless
--fnc-limit subsamples it (fixed seed). Note: since only pairs inside held-out stories
are kept, the hold-out has 35% unrelated pairs against 73% in the full release, so its
FNC score is not comparable to the competition's.

NLI (held out of training): SNLI test, MNLI dev-matched (3-way accuracy: the model's
argmax over corroborates/contradicts/discusses, and the full StanceJudge with
unrelated counted as neutral), FEVER-Symmetric (binary: corroborates vs contradicts).
Subsampled to --nli-limit pairs each with a fixed seed.

Claim-evidence hold-out (benchmarks/claim_evidence_split.json: 20% of the HealthVer and
COVID-Fact claims, by claim, never trained on since #17): 3-way macro-F1 and F1 per
stance, model and judge.

Probe table (held out): does the model contradict because a fact changed, or because
one word differs? Accuracy per kind on held-out synthetic contradictions
(models.stance.synthetic: number, date, named entity, negation; made from corroborating
pairs of the held SNLI dev premises and the claim-evidence hold-out) and on their
unchanged sources (which should stay corroborating), on held-out restated figures
("at least 40" for "40": they should stay corroborating too), on the Breaking NLI and
negation-NLI probe slices (benchmarks/stance_probes.json) by gold label, and on news
claims whose figures and time spans a sentence restates by hand
(benchmarks/stance_figure_restatements.json: "entered its fourth week" against "more
than three weeks of fighting" corroborates; "its second week" contradicts). The last
column is how often the judge calls a pair contradicting. ``--skip-probes`` leaves the
probes and the claim-evidence hold-out out.

Latency: median wall time of one ``judge`` call on the 10 candidates of one check
(hold-out headlines; spaCy parse cache cleared before each call), on this machine.

Sample output (`--nli-limit 500`, the shipped int8 ONNX artifact, the second round's
thirteenth run, 2 CPU cores, 2026-12-07; the probe rows and the first-round model's
figures are in models/stance/MODEL_CARD.md):
    Stance benchmark (model + detectors); FNC-1 holdout: 3450 pairs {'agree': 642, 'discuss': 1457, 'unrelated': 1206, 'disagree': 145}, 2.5 min
    FNC-1 score (% of max)               73.4
    F1 agree                            0.548
    F1 disagree                         0.225
    F1 discuss                          0.711
    F1 unrelated                        0.928
    macro-F1                            0.603
    ECE of stance_score (article)       0.023
    confusion (rows gold, cols predicted):      agree  disagree   discuss unrelated
          agree                                     386       110       132        14
       disagree                                      45        53        41         6
        discuss                                     320       158       959        20
      unrelated                                      15         6       107      1078
    SNLI test 3-way acc (n=500)        model 0.704 (ECE 0.062)  judge 0.556 (ECE 0.212)
    MNLI dev-matched 3-way acc (n=500) model 0.532 (ECE 0.091)  judge 0.522 (ECE 0.145)
    FEVER-Symmetric binary acc (n=500) model 0.550 (ECE 0.240)  judge 0.568 (ECE 0.148)
    ...
    judge, 10 candidates: median ms      38.7  (p90 114.5)
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from models.encoder import load_encoder  # noqa: E402
from models.stance import StanceJudge  # noqa: E402
from models.stance import datasets as ds  # noqa: E402
from models.stance.calibration import expected_calibration_error as ece  # noqa: E402
from models.stance.article_rule import SENTENCES_PER_ARTICLE, ArticleRule, article_stance, decide  # noqa: E402
from models.stance.labels import CONTRADICTS, CORROBORATES, DISCUSSES, LABELS, UNRELATED  # noqa: E402

SEED = 7
CANDIDATES = SENTENCES_PER_ARTICLE  # a body's candidate sentences, as the service weighs an article
DETECTOR_WEIGHTS = (0.0, 1.0, 2.0, 3.0, 5.0)  # tried for the pooled article rule
DETECTOR_TOLERANCE = 0.005  # validation macro-F1 the detectors may cost (tune_pooled_rule)
REFUTATION_WEIGHTS = (0.0, 1.0, 2.0, 3.0, 4.0, 5.0)  # tried for the pooled article rule
FNC_ORDER = (CORROBORATES, CONTRADICTS, DISCUSSES, UNRELATED)  # agree, disagree, discuss, unrelated


def fnc_score(gold: list[str], pred: list[str]) -> float:
    """Official FNC-1 weighting, as a percentage of the best possible score."""
    def score(g, p):
        s = 0.0
        if (g == UNRELATED) == (p == UNRELATED):
            s += 0.25
            if g != UNRELATED and g == p:
                s += 0.75
        return s

    best = sum(score(g, g) for g in gold)
    return 100.0 * sum(score(g, p) for g, p in zip(gold, pred)) / best


def f1_table(gold: list[str], pred: list[str]) -> tuple[dict, float, list[list[int]]]:
    f1 = {}
    for label in FNC_ORDER:
        tp = sum(g == p == label for g, p in zip(gold, pred))
        fp = sum(p == label != g for g, p in zip(gold, pred))
        fn = sum(g == label != p for g, p in zip(gold, pred))
        f1[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    confusion = [[sum(g == a and p == b for g, p in zip(gold, pred)) for b in FNC_ORDER] for a in FNC_ORDER]
    return f1, sum(f1.values()) / len(f1), confusion


class Similarity:
    """MiniLM embeddings (the service's encoder), cached per text."""

    def __init__(self):
        self.encoder = load_encoder()
        self.vectors: dict[str, np.ndarray] = {}

    def add(self, texts):
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        for start in range(0, len(missing), 512):
            chunk = missing[start:start + 512]
            self.vectors.update(zip(chunk, self.encoder.encode(chunk)))

    def __call__(self, a: str, b: str) -> float:
        return float(self.vectors[a] @ self.vectors[b])


def fnc_articles(part: str):
    """The FNC-1 hold-out, or ("val") the validation stories of the training side that the
    model never trained on (for choosing rules without touching the hold-out)."""
    if part == "val":
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
        from train_stance import fnc1_train_val

        _, val, bodies = fnc1_train_val()
        return val, bodies
    _, holdout, bodies = ds.fnc1_split()
    return holdout, bodies


def fnc_holdout(judge, sim, limit, part="holdout"):
    holdout, bodies = fnc_articles(part)
    if limit and limit < len(holdout):
        holdout = random.Random(SEED).sample(holdout, limit)
    sentences = {b: ds.split_sentences(bodies[b]) or [bodies[b][:500]] for b in {a.body_id for a in holdout}}
    sim.add([a.headline for a in holdout] + [s for ss in sentences.values() for s in ss])
    gold, sentence_verdicts, checks = [], [], []
    for n, a in enumerate(holdout):
        ranked = sorted(sentences[a.body_id], key=lambda s: -sim(a.headline, s))[:CANDIDATES]
        sims = [sim(a.headline, s) for s in ranked]
        gold.append(a.label)
        sentence_verdicts.append(judge.judge(a.headline, ranked, sims))
        checks.append((a.headline, ranked, sims))
        if (n + 1) % 500 == 0:
            print(f"  fnc1 {n + 1}/{len(holdout)}", file=sys.stderr, flush=True)
    return gold, sentence_verdicts, checks, holdout


def story_groups(articles) -> list[int]:
    """The story of each FNC-1 article: headlines and bodies joined by related pairs, as
    ``datasets.split_stories`` holds stories out (for cross-validation grouped by story)."""
    find, _ = ds.story_finder(articles)
    roots: dict = {}
    return [roots.setdefault(find(("h", a.headline)), len(roots)) for a in articles]


def with_unrelated_below(sentence_verdicts, checks, threshold, judge):
    """The verdicts the judge gives with ``unrelated_below`` raised to ``threshold``: a
    sentence less similar than that is unrelated whatever else was said of it."""
    return [[judge.unrelated(s) if s < threshold and v.stance != UNRELATED else v for v, s in zip(verdicts, sims)]
            for verdicts, (_, _, sims) in zip(sentence_verdicts, checks)]


def tune_article_rule(gold, sentence_verdicts, checks, thresholds, judge) -> tuple[ArticleRule, float, float]:
    """The judge's ``unrelated_below`` and the article thresholds by macro-F1, then a
    per-stance logistic fit of the article score (on the validation stories only)."""
    grid = [round(x, 2) for x in np.arange(0.3, 1.0, 0.05)]
    best = None
    for threshold in thresholds:
        verdicts = with_unrelated_below(sentence_verdicts, checks, threshold, judge)
        for agree_from in grid:
            for disagree_from in grid:
                rule = ArticleRule(agree_from, disagree_from)
                pred = [decide(v, rule).stance for v in verdicts]
                macro = f1_table(gold, pred)[1]
                if best is None or macro > best[0]:
                    best = (macro, rule, threshold)
    _, rule, threshold = best
    verdicts = with_unrelated_below(sentence_verdicts, checks, threshold, judge)
    decided = [decide(v, rule) for v in verdicts]
    for stance in LABELS:
        rows = [(d.score, d.stance == g) for d, g in zip(decided, gold) if d.stance == stance]
        if len(rows) < 20 or len({r[1] for r in rows}) < 2:
            continue
        rule.platt[stance] = _platt(rows)
    print(f"tuned on {len(gold)} validation articles: macro-F1 {best[0]:.3f}, unrelated_below {threshold}, {rule}",
          flush=True)
    return rule, threshold, best[0]


def tune_pooled_rule(gold, sentence_verdicts, checks, thresholds, judge) -> tuple[ArticleRule, float, float]:
    """For the judge with its model: ``unrelated_below``, the detectors' weight, the
    weight of refutation in words and the per-stance biases of the pooled article rule by
    macro-F1 (the largest detector weight within DETECTOR_TOLERANCE of the best), then its
    temperature by the likelihood of stance_score as the chance the article's stance is
    right (validation stories only)."""
    from models.stance.article_rule import RELATED, pooled_probabilities, refutes_in_words

    grid = [round(x, 2) for x in np.arange(-5.0, 3.01, 0.25)]
    order = (CORROBORATES, CONTRADICTS, DISCUSSES, UNRELATED)
    g = np.array([order.index(x) for x in gold])
    by_weight = {}
    for threshold in thresholds:
        verdicts = with_unrelated_below(sentence_verdicts, checks, threshold, judge)
        related = [[v for v in vs if v.stance != UNRELATED] for vs in verdicts]
        off_topic = np.array([not r for r in related])
        for weight in DETECTOR_WEIGHTS:
            unbiased = ArticleRule(pooled=True, detector_weight=weight)
            logs = np.array([np.log(pooled_probabilities(r, unbiased)) if r else np.zeros(3) for r in related])
            refuted = np.array([refutes_in_words(r) for r in related])
            for word_weight in REFUTATION_WEIGHTS:
                shifted = logs.copy()
                shifted[refuted, 1] += word_weight
                for b_agree in grid:
                    for b_disagree in grid:
                        pred = np.argmax(shifted + np.array([b_agree, b_disagree, 0.0]), axis=1)
                        pred[off_topic] = 3
                        macro = _macro_f1(g, pred)
                        if weight not in by_weight or macro > by_weight[weight][0]:
                            by_weight[weight] = (macro, threshold, b_agree, b_disagree, weight, word_weight)
    print("  best validation macro-F1 by detector_weight:",
          ", ".join(f"{w:g}: {b[0]:.3f}" for w, b in by_weight.items()), flush=True)
    # The detectors' reasons are what an editor can verify, so they weigh in as much as
    # they can without costing more than DETECTOR_TOLERANCE of validation macro-F1.
    top = max(b[0] for b in by_weight.values())
    best = by_weight[max(w for w, b in by_weight.items() if b[0] >= top - DETECTOR_TOLERANCE)]
    macro, threshold, b_agree, b_disagree, weight, word_weight = best
    rule = ArticleRule(pooled=True, bias={CORROBORATES: float(b_agree), CONTRADICTS: float(b_disagree)},
                       detector_weight=float(weight), refutation_weight=float(word_weight))
    verdicts = with_unrelated_below(sentence_verdicts, checks, threshold, judge)
    rows = [([v for v in vs if v.stance != UNRELATED], g) for vs, g in zip(verdicts, gold)]
    rows = [(r, g) for r, g in rows if r]

    def nll(temperature):
        """Of the article's stance_score as the probability that its stance is right."""
        rule.temperature = temperature
        total = 0.0
        for r, g in rows:
            p = pooled_probabilities(r, rule)
            score = min(max(float(p.max()), 1e-9), 1 - 1e-9)
            total -= math.log(score if RELATED[int(np.argmax(p))] == g else 1 - score)
        return total

    rule.temperature = min([round(float(t), 2) for t in np.arange(0.3, 4.01, 0.05)], key=nll)
    unrelated_scores = [(min(v.score for v in vs), g == UNRELATED) for vs, g in zip(verdicts, gold)
                        if all(v.stance == UNRELATED for v in vs)]
    if len({ok for _, ok in unrelated_scores}) == 2:
        rule.platt[UNRELATED] = _platt(unrelated_scores)
    print(f"tuned on {len(gold)} validation articles: macro-F1 {macro:.3f}, unrelated_below {threshold}, {rule}",
          flush=True)
    return rule, float(threshold), macro


LEARNED_C = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)  # inverse regularisation tried for the learned rule
LEARNED_FOLDS = 5


def fit_learned_rule(gold, sentence_verdicts, groups, pooled_rule: ArticleRule) -> tuple[dict, float, float]:
    """The learned article rule (``article_rule.learned_probabilities``) on the related
    articles that have on-topic sentences: a class-weighted multinomial logistic regression
    over ``article_features``, its strength by macro-F1 of cross-validation grouped by
    story, its temperature by the likelihood of the out-of-fold stance_score, then refitted
    on all of them. Returns (learned, its cross-validated macro-F1 over RELATED, the pooled
    rule's under the same folds: its detector and refutation weights as tuned, its biases
    chosen on each fold's training stories)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    from models.stance.article_rule import ARTICLE_FEATURES, RELATED, article_features, pooled_probabilities

    rows = [([v for v in vs if v.stance != UNRELATED], g, group)
            for vs, g, group in zip(sentence_verdicts, gold, groups) if g in RELATED]
    rows = [r for r in rows if r[0]]
    x = np.array([article_features(related) for related, _, _ in rows])
    y = np.array([RELATED.index(g) for _, g, _ in rows])
    story = np.array([group for _, _, group in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    xs = (x - mean) / scale

    def fitted(c, train):
        return LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(xs[train], y[train])

    folds = list(GroupKFold(n_splits=LEARNED_FOLDS).split(xs, y, story))
    grid = [round(float(b), 2) for b in np.arange(-4.0, 4.01, 0.25)]
    best = None
    for c in LEARNED_C:
        out_of_fold = np.zeros((len(y), len(RELATED)))
        for train, test in folds:
            out_of_fold[test] = fitted(c, train).decision_function(xs[test])
        # Class weights balance the stances' counts; macro-F1 also wants precision, so
        # the corroborating and contradicting logits get a bias chosen on the
        # out-of-fold logits, as the pooled rule's are.
        for b_agree in grid:
            for b_disagree in grid:
                shifted = out_of_fold + np.array([b_agree, b_disagree, 0.0])
                macro = _macro_f1(y, shifted.argmax(axis=1), len(RELATED))
                if best is None or macro > best[0]:
                    best = (macro, c, shifted, [b_agree, b_disagree, 0.0])
        print(f"  learned article rule, C={c}: best cross-validated macro-F1 so far {best[0]:.3f}", flush=True)
    macro, c, out_of_fold, bias = best
    right = out_of_fold.argmax(axis=1) == y

    def nll(temperature):
        z = out_of_fold / temperature
        z = np.exp(z - z.max(axis=1, keepdims=True))
        top = np.clip((z / z.sum(axis=1, keepdims=True)).max(axis=1), 1e-9, 1 - 1e-9)
        return -float(np.sum(np.where(right, np.log(top), np.log(1 - top))))

    temperature = min([round(float(t), 2) for t in np.arange(0.3, 4.01, 0.05)], key=nll)
    fit = fitted(c, np.arange(len(y)))
    unbiased = ArticleRule(pooled=True, detector_weight=pooled_rule.detector_weight,
                           refutation_weight=pooled_rule.refutation_weight)
    pooled_logs = np.log(np.array([pooled_probabilities(related, unbiased) for related, _, _ in rows]))
    pooled_pred = np.zeros(len(y), dtype=int)
    for train, test in folds:
        _, b_agree, b_disagree = max((_macro_f1(y[train], (pooled_logs[train] + [a, d, 0.0]).argmax(axis=1),
                                                len(RELATED)), a, d) for a in grid for d in grid)
        pooled_pred[test] = (pooled_logs[test] + [b_agree, b_disagree, 0.0]).argmax(axis=1)
    learned = {"features": list(ARTICLE_FEATURES), "mean": [round(float(v), 6) for v in mean],
               "scale": [round(float(v), 6) for v in scale],
               "coef": [[round(float(v), 6) for v in row] for row in fit.coef_],
               "intercept": [round(float(v + b), 6) for v, b in zip(fit.intercept_, bias)], "temperature": temperature,
               "c": c, "articles": int(len(y)), "cv_macro_f1": round(macro, 4)}
    return learned, macro, _macro_f1(y, pooled_pred, len(RELATED))


def _macro_f1(gold: np.ndarray, pred: np.ndarray, classes: int = 4) -> float:
    """f1_table's macro-F1 over label indices 0 .. classes-1, vectorised for grid searches."""
    confusion = np.bincount(gold * classes + pred, minlength=classes * classes).reshape(classes, classes)
    tp = np.diag(confusion)
    denominator = confusion.sum(0) + confusion.sum(1)
    return float(np.mean(np.where(tp > 0, 2 * tp / np.maximum(denominator, 1), 0.0)))


def _platt(rows) -> list[float]:
    """p = sigmoid(a * logit(score) + b) fitted to (score, was right) rows."""
    from sklearn.linear_model import LogisticRegression

    x = np.array([[math.log(min(max(s, 1e-6), 1 - 1e-6) / (1 - min(max(s, 1e-6), 1 - 1e-6)))] for s, _ in rows])
    fit = LogisticRegression(C=100.0).fit(x, [ok for _, ok in rows])
    return [round(float(fit.coef_[0][0]), 4), round(float(fit.intercept_[0]), 4)]


def nli_accuracy(judge, sim, pairs, limit, classes):
    """(model accuracy, judge accuracy, judge sentence ECE) on up to ``limit`` pairs."""
    if limit and limit < len(pairs):
        pairs = random.Random(SEED).sample(pairs, limit)
    keep = [LABELS.index(c) for c in classes]
    model_right, judge_right, scores, model_conf, model_top_right = [], [], [], [], []
    sim.add([p.claim for p in pairs] + [p.sentence for p in pairs])
    for start in range(0, len(pairs), 32):
        chunk = pairs[start:start + 32]
        if judge.model is not None:
            probs = judge.model.logits([p.claim for p in chunk], [p.sentence for p in chunk])
            for p, row in zip(chunk, probs):
                model_right.append(classes[int(np.argmax(row[keep]))] == p.label)
                z = np.exp((row - row.max()) / judge.model.temperature)
                z /= z.sum()
                model_conf.append(float(z.max()))  # calibrated 4-way top probability
                model_top_right.append(LABELS[int(np.argmax(z))] == p.label)
        for p in chunk:  # the judge, one check per pair
            (v,) = judge.judge(p.claim, [p.sentence], [sim(p.claim, p.sentence)])
            stance = DISCUSSES if v.stance == UNRELATED else v.stance
            if stance not in classes:  # binary sets: discusses is neither
                stance = CONTRADICTS if v.stance != CORROBORATES else CORROBORATES
            judge_right.append(stance == p.label)
            scores.append(v.score)
    model_acc = float(np.mean(model_right)) if model_right else float("nan")
    model_ece = ece(model_conf, model_top_right) if model_conf else float("nan")
    return model_acc, model_ece, float(np.mean(judge_right)), ece(scores, judge_right), len(pairs)


def latency(judge, checks, n=200):
    times = []
    for headline, ranked, sims in random.Random(SEED).sample(checks, min(n, len(checks))):
        judge.parser._docs.clear()  # a fresh check: nothing parsed yet
        start = time.perf_counter()
        judge.judge(headline, ranked, sims)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, float(np.percentile(times, 90)) * 1000


def save_article_rule(rule: ArticleRule, unrelated_below: float, with_model: bool, model_dir=None):
    """Into config.json: the article rule for this judge; with the model also the
    ``unrelated_below`` the service uses (the judge without its model keeps it)."""
    import json

    from models.stance.judge import DEFAULT_MODEL_DIR

    path = Path(model_dir or DEFAULT_MODEL_DIR) / "config.json"
    config = json.loads(path.read_text())
    fitted = {"agree_from": float(rule.agree_from), "disagree_from": float(rule.disagree_from), "platt": rule.platt}
    if rule.pooled:
        fitted = {"pooled": True, "bias": rule.bias, "temperature": rule.temperature,
                  "detector_weight": rule.detector_weight, "refutation_weight": rule.refutation_weight,
                  "platt": rule.platt}
        if rule.learned:
            fitted["learned"] = rule.learned
    if with_model:
        config["unrelated_below"] = unrelated_below
        config["article"] = fitted
    else:
        config["article_without_model"] = fitted
    path.write_text(json.dumps(config, indent=1) + "\n")
    print(f"article rule written to {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-model", action="store_true", help="detectors + similarity only")
    parser.add_argument("--model-dir", default=None)
    parser.add_argument("--fnc-limit", type=int, default=0, help="subsample the FNC-1 hold-out (0: all)")
    parser.add_argument("--nli-limit", type=int, default=1000)
    parser.add_argument("--fnc-part", choices=["holdout", "val"], default="holdout",
                        help="val: FNC-1 validation stories of the training side (for tuning rules)")
    parser.add_argument("--skip-nli", action="store_true")
    parser.add_argument("--skip-fnc", action="store_true", help="NLI hold-outs only (no FNC-1, no latency)")
    parser.add_argument("--skip-probes", action="store_true",
                        help="no probe table and no claim-evidence hold-out")
    parser.add_argument("--tune", action="store_true",
                        help="with --fnc-part val: choose the article rule and write it to config.json")
    args = parser.parse_args()

    judge = StanceJudge(args.model_dir, use_model=not args.no_model)
    mode = "detectors + similarity" if judge.model is None else "model + detectors"
    sim = Similarity()
    if not args.skip_fnc:
        checks = report_fnc(judge, sim, args, mode)
    if not args.skip_nli:
        report_nli(judge, sim, args)
    if not args.skip_probes:
        report_claim_evidence(judge, sim, args)
        report_probes(judge, sim, args)
    if not args.skip_fnc:
        median_ms, p90_ms = latency(judge, checks)
        print(f"{'judge, 10 candidates: median ms':34s} {median_ms:6.1f}  (p90 {p90_ms:.1f})")


def tune(judge, sim, args):
    """Choose, on the FNC-1 validation stories, the judge's ``unrelated_below`` and the
    article rule (pooled, ``tune_pooled_rule``); write them to config.json. With
    ``--no-model`` only the threshold article rule for the judge without its model is
    chosen (``tune_article_rule``). ``model_decides_from`` stays as configured: the pooled
    rule reads the model's logits, not the sentence stances it shapes."""
    from models.stance.judge import DEFAULT_CONFIG

    thresholds = [judge.config["unrelated_below"]]  # without the model: the service's, as fitted with it
    tuner = tune_article_rule
    if judge.model is not None:
        judge.config["unrelated_below"] = DEFAULT_CONFIG["unrelated_below"]  # tuning only raises it
        thresholds = [round(x, 3) for x in np.arange(DEFAULT_CONFIG["unrelated_below"], 0.61, 0.025)]
        tuner = tune_pooled_rule
    gold, verdicts, checks, articles = fnc_holdout(judge, sim, args.fnc_limit, args.fnc_part)
    rule, unrelated_below, _ = tuner(gold, verdicts, checks, thresholds, judge)
    judge.config["unrelated_below"] = unrelated_below
    if judge.model is not None:
        kept = with_unrelated_below(verdicts, checks, unrelated_below, judge)
        learned, learned_macro, pooled_macro = fit_learned_rule(gold, kept, story_groups(articles), rule)
        print(f"related articles, cross-validated by story: learned rule macro-F1 {learned_macro:.3f}, "
              f"pooled rule {pooled_macro:.3f} -> {'learned' if learned_macro > pooled_macro else 'pooled'}",
              flush=True)
        if learned_macro > pooled_macro:
            rule.learned = learned
    save_article_rule(rule, unrelated_below, judge.model is not None, args.model_dir)
    return gold, with_unrelated_below(verdicts, checks, unrelated_below, judge), checks, rule


def report_fnc(judge, sim, args, mode):
    t0 = time.time()
    if args.tune:
        gold, sentence_verdicts, checks, rule = tune(judge, sim, args)
    else:
        gold, sentence_verdicts, checks, _ = fnc_holdout(judge, sim, args.fnc_limit, args.fnc_part)
        rule = ArticleRule.from_config(judge.config, with_model=judge.model is not None)
    articles = [article_stance(v, rule) for v in sentence_verdicts]
    pred, scores = [a.stance for a in articles], [a.score for a in articles]
    f1, macro, confusion = f1_table(gold, pred)
    fnc_ece = ece(scores, [g == p for g, p in zip(gold, pred)])
    fnc_minutes = (time.time() - t0) / 60
    names = {CORROBORATES: "agree", CONTRADICTS: "disagree", DISCUSSES: "discuss", UNRELATED: "unrelated"}

    print(f"\nStance benchmark ({mode}); FNC-1 {args.fnc_part}: {len(gold)} pairs "
          f"{dict(Counter(names[g] for g in gold))}, {fnc_minutes:.1f} min")
    print(f"{'FNC-1 score (% of max)':34s} {fnc_score(gold, pred):6.1f}")
    for label in FNC_ORDER:
        print(f"{'F1 ' + names[label]:34s} {f1[label]:6.3f}")
    print(f"{'macro-F1':34s} {macro:6.3f}")
    print(f"{'ECE of stance_score (article)':34s} {fnc_ece:6.3f}")
    print("confusion (rows gold, cols predicted):  " + " ".join(f"{names[l]:>9s}" for l in FNC_ORDER))
    for label, row in zip(FNC_ORDER, confusion):
        print(f"  {names[label]:>9s}                               " + " ".join(f"{c:9d}" for c in row))

    return checks


def predictions(judge, sim, pairs, classes, with_judge=True):
    """(model stances, judge stances) of ``pairs`` over ``classes``: the model's argmax over
    them; the judge's stance with unrelated counted as discusses (or, for binary sets, as
    not corroborating)."""
    model_pred, judge_pred = [], []
    sim.add([p.claim for p in pairs] + [p.sentence for p in pairs])
    keep = [LABELS.index(c) for c in classes]
    for start in range(0, len(pairs), 32):
        chunk = pairs[start:start + 32]
        if judge.model is not None:
            logits = judge.model.logits([p.claim for p in chunk], [p.sentence for p in chunk])
            model_pred += [classes[int(np.argmax(row[keep]))] for row in logits]
        for p in chunk if with_judge else ():
            (v,) = judge.judge(p.claim, [p.sentence], [sim(p.claim, p.sentence)])
            stance = DISCUSSES if v.stance == UNRELATED else v.stance
            if stance not in classes:
                stance = CONTRADICTS if v.stance != CORROBORATES else CORROBORATES
            judge_pred.append(stance)
    return model_pred, judge_pred


def synthetic_probes(per_kind: int = 300) -> dict[str, list]:
    """Held-out synthetic contradictions by kind (``models.stance.synthetic``), made from
    corroborating pairs never trained on: the held SNLI dev premises and the claim-evidence
    hold-out; and those source pairs unchanged ("unchanged", which should stay corroborating)."""
    from models.language import load_nlp
    from models.stance import synthetic

    sources = [p for p in ds.snli_dev_part("held") + ds.claim_evidence_holdout() if p.label == CORROBORATES]
    nlp = load_nlp()
    claims = list(nlp.pipe([p.claim for p in sources]))
    sentences = list(nlp.pipe([p.sentence[:1000] for p in sources]))
    rng = random.Random(SEED)
    probes: dict[str, list] = {kind: [] for kind in synthetic.KINDS}
    for i, kind, claim in synthetic.contradictions(claims, sentences, rng):
        probes[kind].append(ds.Pair(claim, sources[i].sentence, CONTRADICTS, f"synthetic_{kind}"))
    for i, kind, claim in synthetic.restatements(claims, sentences, rng):
        probes.setdefault(kind, []).append(ds.Pair(claim, sources[i].sentence, CORROBORATES, f"synthetic_{kind}"))
    probes = {k: rng.sample(v, min(per_kind, len(v))) for k, v in probes.items()}
    probes["unchanged"] = rng.sample(sources, min(per_kind, len(sources)))
    return probes


def figure_restatements() -> dict[str, list]:
    """The hand-written probe of benchmarks/stance_figure_restatements.json: news claims
    whose figures, counts and time spans the sentence states in other words, consistently
    (gold corroborates) or not (gold contradicts)."""
    written = json.loads((Path(__file__).parent / "stance_figure_restatements.json").read_text())
    return {kind: [ds.Pair(claim, sentence, label, "figure_restatements") for claim, sentence in written[kind]]
            for kind, label in (("consistent", CORROBORATES), ("inconsistent", CONTRADICTS))}


def other_facts() -> list:
    """The hand-written probe of benchmarks/stance_other_facts.json: the same news claims
    against a sentence of their story that states another fact of it (gold discusses)."""
    written = json.loads((Path(__file__).parent / "stance_other_facts.json").read_text())
    return [ds.Pair(claim, sentence, DISCUSSES, "other_facts") for claim, sentence in written["pairs"]]


def report_probes(judge, sim, args):
    """The probe table: does the model contradict because a fact changed, or because one
    word differs? Accuracy per kind: held-out synthetic swaps (gold contradicts), their
    unchanged sources (gold corroborates), the Breaking NLI and negation-NLI probe slices
    (by gold label)."""
    three = (CORROBORATES, CONTRADICTS, DISCUSSES)
    rows = [(f"synthetic {kind}", pairs) for kind, pairs in synthetic_probes().items()]
    rows += [(f"figures restated by hand, {kind}", pairs) for kind, pairs in figure_restatements().items()]
    rows.append(("another fact of the story, by hand", other_facts()))
    for name, pairs in (("Breaking NLI", ds.breaking_nli("probe")), ("negation NLI", ds.negation_nli("probe"))):
        for label in three:
            these = [p for p in pairs if p.label == label]
            if len(these) >= 20:
                rows.append((f"{name}, {label}", these))
        rows.append((f"{name}, all", pairs))
    print(f"\n{'probe (held out)':40s} {'n':>5s}  {'model':>6s} {'judge':>6s}  {'judge: contradicts':>18s} "
          f"{'judge: corroborates':>19s}")
    for name, pairs in rows:
        model_pred, judge_pred = predictions(judge, sim, pairs, three)
        model_acc = np.mean([m == p.label for m, p in zip(model_pred, pairs)]) if model_pred else float("nan")
        judge_acc = np.mean([j == p.label for j, p in zip(judge_pred, pairs)])
        called = np.mean([j == CONTRADICTS for j in judge_pred])
        corroborated = np.mean([j == CORROBORATES for j in judge_pred])
        print(f"{name:40s} {len(pairs):5d}  {model_acc:6.3f} {judge_acc:6.3f}  {called:18.3f} {corroborated:19.3f}")


def report_claim_evidence(judge, sim, args):
    """The claim-evidence hold-out (20% of HealthVer and COVID-Fact claims, by claim;
    benchmarks/claim_evidence_split.json): 3-way macro-F1 and contradicts F1."""
    from sklearn.metrics import f1_score

    three = (CORROBORATES, CONTRADICTS, DISCUSSES)
    pairs = ds.claim_evidence_holdout()
    model_pred, judge_pred = predictions(judge, sim, pairs, three)
    gold = [p.label for p in pairs]
    print(f"\nclaim-evidence hold-out: {len(pairs)} pairs {dict(Counter(gold))}")
    for who, pred in (("model", model_pred), ("judge", judge_pred)):
        if pred:
            f1 = f1_score(gold, pred, labels=list(three), average=None, zero_division=0)
            print(f"{who + ' 3-way macro-F1':34s} {f1.mean():6.3f}  (F1 corroborates {f1[0]:.3f}, "
                  f"contradicts {f1[1]:.3f}, discusses {f1[2]:.3f}); accuracy "
                  f"{np.mean([a == b for a, b in zip(gold, pred)]):.3f}")


def report_nli(judge, sim, args):
    three = (CORROBORATES, CONTRADICTS, DISCUSSES)
    for name, loader, classes in [("SNLI test", ds.snli_test, three),
                                  ("MNLI dev-matched", ds.mnli_dev_matched, three),
                                  ("FEVER-Symmetric", ds.fever_symmetric, (CORROBORATES, CONTRADICTS))]:
        model_acc, model_ece, judge_acc, judge_ece, n = nli_accuracy(judge, sim, loader(), args.nli_limit, classes)
        kind = "3-way" if len(classes) == 3 else "binary"
        print(f"{name + f' {kind} acc (n={n})':34s} model {model_acc:.3f} (ECE {model_ece:.3f})  "
              f"judge {judge_acc:.3f} (ECE {judge_ece:.3f})")


if __name__ == "__main__":
    main()

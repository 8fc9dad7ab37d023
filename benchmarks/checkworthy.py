"""Check-worthiness benchmark: grouped 5-fold CV on ClaimBuster, cost, news sanity check.

    .venv/bin/python benchmarks/checkworthy.py                # all of it
    .venv/bin/python benchmarks/checkworthy.py --no-news      # the cross-validation only
    .venv/bin/python benchmarks/checkworthy.py --no-cv        # cost and news only

Cross-validation (../shared/data/checkworthy/claimbuster/train.json, 7,976 debate
sentences): 5 folds grouped by blocks of 1,000 consecutive sentence ids (a debate's
sentences run consecutively; the file has no debate id), so no debate is split across
folds. Within each fold the model, its isotonic calibration and its F1-optimal threshold
are fitted on the other four folds only (``scripts/train_checkworthy.py``); the scores of
all five held-out folds are then pooled. Reported per candidate: F1 of the check-worthy
class at the fold's threshold, precision, recall, ROC-AUC, ECE (10 equal-width bins of
the score). "as read" is the score the reader gives: 0 where ``models.claims`` says the
sentence does not read as a claim (questions, fragments).

Cost: milliseconds per sentence of the score on top of what the reader already does (the
embedding and parse are made for every body sentence anyway), and the reader's
throughput on news with the score's share of its time (``Server-Timing`` stages).

News: the shipped model through ``ArticleReader`` on the two sample articles (which of
their sentences are claims, teasers, boilerplate), on lines of site boilerplate, and on
FNC-1 hold-out bodies: for each agree/disagree pair the body sentence most similar to the
headline (the sentence that carries the headline's claim) should stay a claim.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import numpy as np  # noqa: E402

from train_checkworthy import (  # noqa: E402
    INPUTS,
    Fitted,
    choose_c,
    cross_validate,
    ece,
    f1,
    featurize,
    load_data,
)

SAMPLES = ROOT.parent / "shared" / "data" / "samples"
BOILERPLATE = (
    "Follow us on Twitter and Facebook for the latest news.",
    "Sign up for our daily newsletter to get the top stories in your inbox.",
    "Copyright 2020 Agence France-Presse. All rights reserved.",
    "Reporting by Nvard Hovhannisyan; Editing by Alex Richardson.",
    "This article was originally published on our partner's website.",
    "Click here to subscribe to our YouTube channel.",
    "Photo: A man walks past a destroyed building in Stepanakert.",
    "Read more: Azerbaijan and Armenia agree to a humanitarian ceasefire.",
    "We use cookies to improve your experience on our site.",
    "Share this article with your friends.",
)


NAMES = {
    "features": "cheap features only, LR",
    "embedding": "MiniLM embedding only, LR",
    "embedding+features": "MiniLM embedding + features, LR (until 12-07)",
    "layers+features": "MiniLM layer means + features, LR (shipped)",
}


def candidates(layers, features, labels, groups):
    """(name, template) for each model compared, the shipped one last; C chosen by
    grouped log-loss."""
    for reads in reversed(INPUTS):
        yield NAMES[reads], Fitted(choose_c(layers, features, labels, groups, reads), reads)


def report_cv(args) -> None:
    from sklearn.metrics import roc_auc_score

    texts, labels, groups = load_data()
    started = time.perf_counter()
    layers, features, structural = featurize(texts)
    print(f"ClaimBuster: {len(texts)} sentences, {labels.sum()} check-worthy, {len(set(groups))} id blocks; "
          f"features in {time.perf_counter() - started:.0f} s (cached after the first run)")
    print(f"{'model':46s} {'F1':>6s} {'P':>6s} {'R':>6s} {'AUC':>6s} {'ECE':>6s}")
    for name, template in candidates(layers, features, labels, groups):
        figures = cross_validate(template, layers, features, labels, groups)
        print(f"{name:46s} {figures['f1']:6.3f} {figures['precision']:6.3f} {figures['recall']:6.3f} "
              f"{figures['roc_auc']:6.3f} {figures['ece']:6.3f}   C={template.C}")
    # The reader zeroes what does not read as a claim (models.claims); the threshold is the model's.
    scores = np.where(structural, figures["scores"], 0.0)
    from models.checkworthiness import load_checkworthiness

    threshold = load_checkworthiness().threshold
    flagged = scores >= threshold
    tp = float(np.sum(flagged & (labels == 1)))
    print(f"{'  as read (x models.claims), t=' + format(threshold, '.3f'):46s} {f1(labels, flagged):6.3f} "
          f"{tp / max(flagged.sum(), 1):6.3f} {tp / labels.sum():6.3f} {roc_auc_score(labels, scores):6.3f} "
          f"{ece(scores, labels):6.3f}   ({int((~structural).sum())} sentences do not read as claims, "
          f"{int(labels[~structural].sum())} of them check-worthy)")
    bins = np.minimum((figures["scores"] * 10).astype(int), 9)
    print("reliability (shipped, out of fold): score bin -> share check-worthy (n)")
    print("  " + "  ".join(f"{b / 10:.1f}: {labels[bins == b].mean():.2f} ({(bins == b).sum()})"
                           for b in range(10) if (bins == b).any()))


def report_cost(reader) -> None:
    from models.checkworthiness import load_checkworthiness

    model = load_checkworthiness()
    texts, _, _ = load_data()
    docs = list(reader.nlp.pipe(random.Random(0).sample(texts, 1000)))
    sentences = [d.text for d in docs]
    plain, with_layers = [], []
    for _ in range(3):  # interleaved: the machine's speed drifts
        started = time.perf_counter()
        reader.encoder.encode(sentences)
        plain.append(time.perf_counter() - started)
        started = time.perf_counter()
        _, layers = reader.encoder.encode_with_layers(sentences)
        with_layers.append(time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(3):
        model.score(layers, docs)
    ms = (time.perf_counter() - started) / 3 / len(docs) * 1000
    print(f"cost of the score on top of parse + embedding: {ms:.3f} ms per sentence; embedding with the "
          f"layer means {min(with_layers) / len(docs) * 1000:.2f} ms per sentence against "
          f"{min(plain) / len(docs) * 1000:.2f} ms without (best of 3)")


def read_all(reader, texts):
    from models.timing import Stages

    stages = Stages()
    started = time.perf_counter()
    articles = [reader.read(text, stages=stages) for text in texts]
    return articles, time.perf_counter() - started, stages.seconds


def report_news(reader, fnc_limit: int) -> None:
    from models.stance import datasets as ds

    samples = {p.stem: p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))}
    print(f"\nsample articles (threshold {reader.claim_threshold:.3f}): claim? score section text")
    for name, text in samples.items():
        print(f"  -- {name}")
        for s in reader.read(text).sentences:
            print(f"  {'C' if s.is_claim else '.'} {s.check_worthiness:.2f} {s.section:8s} {s.text[:90]}")
    boiler = reader.read("\n".join(BOILERPLATE)).sentences
    print(f"boilerplate lines flagged as claims: {sum(s.is_claim for s in boiler)} of {len(boiler)}")
    for s in boiler:
        print(f"  {'C' if s.is_claim else '.'} {s.check_worthiness:.2f} {s.text[:90]}")

    _, holdout, bodies = ds.fnc1_split()
    related = [a for a in holdout if a.label in (ds.FNC_LABELS["agree"], ds.FNC_LABELS["disagree"])]
    related = random.Random(0).sample(related, min(fnc_limit, len(related)))
    body_ids = sorted({a.body_id for a in related})
    articles, seconds, stages = read_all(reader, [bodies[b] for b in body_ids])
    read = dict(zip(body_ids, articles))
    body_sentences = [s for a in articles for s in a.sentences if s.section == "body"]
    carried, flagged_scores = 0, []
    for pair in related:
        article = read[pair.body_id]
        indexed = [i for i in article.claim_vectors]
        if not indexed:
            continue
        query = reader.encoder.encode([pair.headline])[0]
        best = max(indexed, key=lambda i: float(article.claim_vectors[i] @ query))
        carried += 1
        flagged_scores.append(article.sentences[best].check_worthiness)
    print(f"\nFNC-1 hold-out bodies ({len(body_ids)} bodies of {len(related)} agree/disagree pairs): "
          f"{np.mean([s.is_claim for s in body_sentences]):.2f} of {len(body_sentences)} body sentences are claims; "
          f"the sentence nearest the headline is a claim in "
          f"{np.mean(np.array(flagged_scores) >= reader.claim_threshold):.2f} of {carried} pairs "
          f"(at a threshold of 0.3: {np.mean(np.array(flagged_scores) >= 0.3):.2f}, 0.2: "
          f"{np.mean(np.array(flagged_scores) >= 0.2):.2f}; of all body sentences at 0.2: "
          f"{np.mean([s.check_worthiness >= 0.2 for s in body_sentences]):.2f})")
    total = sum(stages.values())
    print(f"reader on those bodies: {len(body_sentences) / seconds:.1f} sentences/s; "
          f"stages (s): " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items())
          + f"; the score's share of reading: {stages.get('checkworthiness', 0) / total:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-news", action="store_true", help="cross-validation only")
    parser.add_argument("--no-cv", action="store_true", help="cost and news only")
    parser.add_argument("--fnc-limit", type=int, default=150, help="FNC-1 agree/disagree pairs to read")
    args = parser.parse_args()
    if not args.no_cv:
        report_cv(args)
    if args.no_news:
        return
    from models.pipeline import ArticleReader

    reader = ArticleReader()
    report_cost(reader)
    report_news(reader, args.fnc_limit)


if __name__ == "__main__":
    main()

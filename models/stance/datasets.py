"""Labelled (claim, sentence, stance) pairs from ../shared/data, for training and benchmarks.

Every loader returns ``Pair``s with stances in the service's vocabulary:

    NLI entailment / SUPPORTS / agree / PRO / FAVOR   -> corroborates
    NLI contradiction / REFUTES / disagree / CON / AGAINST -> contradicts
    NLI neutral / Neutral / discuss                   -> discusses
    FNC-1, ARC unrelated (+ pairs of claims with sentences of other items) -> unrelated

``claim`` is the hypothesis / claim / headline; ``sentence`` the premise / evidence /
body sentence. Nothing here is copied into the repo; paths resolve to
``<repo>/../shared/data``.

Sets, their use, and their licenses as stated (see MODEL_CARD.md):

    TRAIN_SETS   snli_dev (train part), cad_snli, negation_nli, breaking_nli (train parts),
                 scitail, rte (entailment pairs only), covid_fact, healthver (train parts),
                 perspectrum, ibm_claim_stance, arc_stance, fnc1 (train part)
    HELD OUT     snli_test, mnli_dev_matched, fever_symmetric, fnc1 hold-out (benchmarks);
                 the claim-evidence hold-out (20% of HealthVer and COVID-Fact claims, by
                 claim: benchmarks/claim_evidence_split.json); the probe slices of
                 Breaking NLI and negation NLI and the held part of SNLI dev
                 (benchmarks/stance_probes.json)
    EXCLUDED     anli, sick, xnli_en (non-commercial licenses), rte's not_entailment (mixes
                 contradiction and neutral), semeval2016_task6 (tweets vs topic names)
"""
from __future__ import annotations

import csv
import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from models.stance.labels import CONTRADICTS, CORROBORATES, DISCUSSES, UNRELATED

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data"
NLI = DATA / "nli"
FNC = DATA / "fnc-1"
FNC_SPLIT = REPO / "benchmarks" / "fnc1_split.json"
CLAIM_EVIDENCE_SPLIT = REPO / "benchmarks" / "claim_evidence_split.json"
PROBE_SPLIT = REPO / "benchmarks" / "stance_probes.json"

csv.field_size_limit(10_000_000)

NLI_LABELS = {"entailment": CORROBORATES, "contradiction": CONTRADICTS, "neutral": DISCUSSES,
              "e": CORROBORATES, "c": CONTRADICTS, "n": DISCUSSES}
FNC_LABELS = {"agree": CORROBORATES, "disagree": CONTRADICTS, "discuss": DISCUSSES, "unrelated": UNRELATED}
FNC_NAMES = {v: k for k, v in FNC_LABELS.items()}


@dataclass(frozen=True)
class Pair:
    claim: str
    sentence: str
    label: str
    source: str


# ---------------------------------------------------------------- NLI-style sets
def _jsonl(path: Path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def _tsv(path: Path, encoding: str = "utf-8-sig"):
    with open(path, encoding=encoding, newline="") as f:
        yield from csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)


def _csv(path: Path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        yield from csv.DictReader(f)


def _nli(rows, source, premise="premise", hypothesis="hypothesis", label="label") -> list[Pair]:
    pairs = []
    for row in rows:
        stance = NLI_LABELS.get(str(row[label]).strip().lower())
        if stance and row[premise] and row[hypothesis]:
            pairs.append(Pair(row[hypothesis].strip(), row[premise].strip(), stance, source))
    return pairs


def snli_dev() -> list[Pair]:
    return _nli(_jsonl(NLI / "snli" / "snli_dev_gold.jsonl"), "snli_dev")


def snli_test() -> list[Pair]:
    return _nli(_csv(NLI / "snli" / "snli_test_gold.csv"), "snli_test", "sentence1", "sentence2", "gold_label")


def mnli_dev_matched() -> list[Pair]:
    return _nli(_jsonl(NLI / "mnli" / "mnli_dev_matched_gold.jsonl"), "mnli_dev_matched")


def cad_snli() -> list[Pair]:
    pairs = []
    for name in ("original", "revised_premise", "revised_hypothesis"):
        for split in ("train", "dev", "test"):
            pairs += _nli(_tsv(NLI / "cad_snli" / f"{name}_{split}.tsv"), "cad_snli",
                          "sentence1", "sentence2", "gold_label")
    return pairs


def negation_nli(part: str = "all") -> list[Pair]:
    """SNLI and MNLI negation pairs (RTE's are 2-way). ``part``: "all", "train" or
    "probe" (the held-out slice of benchmarks/stance_probes.json: whole groups of an
    original pair and its three negated variants)."""
    held = _probes()["negation_nli_groups"] if part != "all" else {}
    pairs = []
    for name in ("SNLI", "MNLI"):
        for row in _tsv(NLI / "negation_nli" / f"{name}_negation.txt", "cp1252"):
            if part != "all" and ((int(row["index"]) // 3 in held[name]) != (part == "probe")):
                continue
            pairs += _nli([row], "negation_nli", "Text", "Hypothesis", "gold_label")
    return pairs


def breaking_nli(part: str = "all") -> list[Pair]:
    """Breaking NLI (one-word substitutions). ``part``: "all", "train" or "probe" (the
    held-out premises of benchmarks/stance_probes.json)."""
    pairs = _nli(_jsonl(NLI / "breaking_nli" / "dataset.jsonl"), "breaking_nli",
                 "sentence1", "sentence2", "gold_label")
    if part == "all":
        return pairs
    held = set(_probes()["breaking_nli_premises"])
    return [p for p in pairs if (p.sentence in held) == (part == "probe")]


def snli_dev_part(part: str) -> list[Pair]:
    """SNLI dev split by premise: "train", or "held" (the dev mix that early-stops
    training and calibrates it, and the source of the held-out synthetic probes)."""
    held = set(_probes()["snli_dev_held_premises"])
    return [p for p in snli_dev() if (p.sentence in held) == (part == "held")]


def rte_entailment() -> list[Pair]:
    """GLUE RTE train+dev, entailment pairs only (not_entailment mixes contradiction and
    neutral, so it is not used)."""
    return [p for p in _nli(_jsonl(NLI / "rte" / "rte_glue_train_dev.jsonl"), "rte") if p.label == CORROBORATES]


def scitail() -> list[Pair]:
    rows = _jsonl(NLI / "scitail" / "scitail_test.jsonl")
    # 2-way: entails / not_entailment, where not_entailment is "neutral" by construction
    return [Pair(r["hypothesis"], r["premise"], CORROBORATES if r["label"] == "entailment" else DISCUSSES,
                 "scitail") for r in rows]


def _claim_part(pairs: list[Pair], part: str) -> list[Pair]:
    if part == "all":
        return pairs
    held = set(json.loads(CLAIM_EVIDENCE_SPLIT.read_text())["holdout_claims"][pairs[0].source]) if pairs else set()
    return [p for p in pairs if (p.claim in held) == (part == "holdout")]


def covid_fact(part: str = "train") -> list[Pair]:
    """COVID-Fact (claim, one of its first two evidence sentences). ``part``: "train"
    (default: never the hold-out claims), "holdout" or "all"."""
    pairs = []
    for row in _jsonl(NLI / "covid_fact" / "COVIDFACT_dataset.jsonl"):
        stance = {"SUPPORTED": CORROBORATES, "REFUTED": CONTRADICTS}.get(row["label"])
        for evidence in row["evidence"][:2]:
            pairs.append(Pair(row["claim"], evidence, stance, "covid_fact"))
    return _claim_part(pairs, part)


def healthver(part: str = "train") -> list[Pair]:
    """HealthVer dev+test. ``part``: "train" (default: never the hold-out claims),
    "holdout" or "all"."""
    pairs = []
    for split in ("dev", "test"):
        for row in _csv(NLI / "healthver" / f"healthver_{split}.csv"):
            stance = {"Supports": CORROBORATES, "Refutes": CONTRADICTS, "Neutral": DISCUSSES}.get(row["label"])
            if stance:
                pairs.append(Pair(row["claim"], row["evidence"], stance, "healthver"))
    return _claim_part(pairs, part)


def claim_evidence_holdout() -> list[Pair]:
    """The claim-evidence benchmark: the held-out 20% of HealthVer and COVID-Fact claims."""
    return healthver("holdout") + covid_fact("holdout")


def _root_finder(parent: dict):
    """``find(x)`` of a union-find over ``parent`` (x -> its parent; join with
    ``parent[find(a)] = find(b)``), halving paths as it goes."""

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    return find


def _claim_groups(pairs: list[Pair]) -> list[list[str]]:
    """Claims joined when they share an evidence sentence (COVID-Fact's counter-claims
    share their original's evidence): whole groups go to one side of the split."""
    parent: dict = {}
    find = _root_finder(parent)

    for p in pairs:
        parent[find(("c", p.claim))] = find(("e", p.sentence))
    groups: dict = {}
    for node in list(parent):
        if node[0] == "c":
            groups.setdefault(find(node), []).append(node[1])
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


def make_claim_evidence_split(share: float = 0.2, seed: int = 2026) -> dict:
    """Hold out ``share`` of each set's claims, by claim group (``_claim_groups``)."""
    held, counts = {}, {}
    for name, loader in (("healthver", healthver), ("covid_fact", covid_fact)):
        pairs = loader("all")
        groups = _claim_groups(pairs)
        random.Random(seed).shuffle(groups)
        n_claims = sum(map(len, groups))
        chosen: list[str] = []
        for group in groups:
            if len(chosen) >= share * n_claims:
                break
            chosen += group
        held[name] = sorted(chosen)
        kept = set(chosen)
        counts[name] = {"claims": n_claims, "holdout_claims": len(chosen),
                        "holdout_pairs_by_label": dict(sorted(Counter(p.label for p in pairs
                                                                      if p.claim in kept).items())),
                        "train_pairs": sum(p.claim not in kept for p in pairs)}
    return {"description": f"{share:.0%} of the HealthVer (dev+test) and COVID-Fact claims, held out of training "
                           "by claim: claims that share an evidence sentence (a COVID-Fact claim and its "
                           "counter-claims) are held out together. Made by models.stance.datasets."
                           f"make_claim_evidence_split(share={share}, seed={seed}).",
            "counts": counts, "holdout_claims": held}


def make_probe_split(seed: int = 2026) -> dict:
    """Probe slices held out of training: 15% of Breaking NLI's premises, 20% of the
    negation-NLI groups (an original pair and its 3 negated variants, SNLI and MNLI
    files), and 25% of SNLI dev's premises (the dev mix; held-out synthetic probes are
    made from its entailment pairs)."""
    rng = random.Random(seed)
    premises = sorted({p.sentence for p in breaking_nli("all")})
    rng.shuffle(premises)
    breaking = sorted(premises[: round(0.15 * len(premises))])
    groups = {}
    for name in ("SNLI", "MNLI"):
        ids = sorted({int(r["index"]) // 3 for r in _tsv(NLI / "negation_nli" / f"{name}_negation.txt", "cp1252")})
        rng.shuffle(ids)
        groups[name] = sorted(ids[: round(0.2 * len(ids))])
    snli = sorted({p.sentence for p in snli_dev()})
    rng.shuffle(snli)
    return {"description": "Held out of training: Breaking NLI premises (15%), negation-NLI groups "
                           "(index // 3; 20% per file), SNLI dev premises (25%: early-stopping/calibration mix "
                           f"and synthetic probes). Made by models.stance.datasets.make_probe_split(seed={seed}).",
            "breaking_nli_premises": breaking, "negation_nli_groups": groups,
            "snli_dev_held_premises": sorted(snli[: round(0.25 * len(snli))])}


_PROBES: dict = {}


def _probes() -> dict:
    if not _PROBES:
        data = json.loads(PROBE_SPLIT.read_text())
        data["negation_nli_groups"] = {k: set(v) for k, v in data["negation_nli_groups"].items()}
        _PROBES.update(data)
    return _PROBES


def perspectrum() -> list[Pair]:
    pairs = []
    for row in _tsv(NLI / "perspectrum" / "perspectrum_stance_pairs.tsv"):
        stance = {"SUPPORT": CORROBORATES, "UNDERMINE": CONTRADICTS}.get(row["stance_label_3"])
        if stance:
            pairs.append(Pair(row["claim"], row["perspective"].strip(), stance, "perspectrum"))
    return pairs


def ibm_claim_stance() -> list[Pair]:
    pairs = []
    for row in _csv(NLI / "ibm_claim_stance" / "claim_stance_dataset_v1.csv"):
        stance = {"PRO": CORROBORATES, "CON": CONTRADICTS}.get(row["claims.stance"])
        topic = re.sub(r"^This house (believes that|would) ", "", row["topicText"]).strip()
        if stance:
            pairs.append(Pair(topic[:1].upper() + topic[1:], row["claims.claimCorrectedText"], stance,
                              "ibm_claim_stance"))
    return pairs


def fever_symmetric() -> list[Pair]:
    """FEVER-Symmetric v0.1 full + v0.2 dev/test: SUPPORTS / REFUTES (held out of training)."""
    pairs = []
    for row in _jsonl(NLI / "fever_symmetric" / "fever_symmetric_v0.1_full.jsonl"):
        pairs.append(Pair(row["claim"], row["evidence_sentence"],
                          CORROBORATES if row["label"] == "SUPPORTS" else CONTRADICTS, "fever_symmetric"))
    for split in ("dev", "test"):
        for row in _jsonl(NLI / "fever_symmetric" / f"fever_symmetric_v0.2_{split}.jsonl"):
            pairs.append(Pair(row["claim"], row["evidence"],
                              CORROBORATES if row["gold_label"] == "SUPPORTS" else CONTRADICTS, "fever_symmetric"))
    return pairs


# ---------------------------------------------------------------- headline/body sets
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")


def split_sentences(text: str) -> list[str]:
    """Body text into sentences: after . ! ? before a capital, and at line breaks."""
    parts = [p.strip() for p in SENTENCE_END.split(text)]
    return [p for p in parts if len(p) > 15 and len(p.split()) >= 4]


@dataclass(frozen=True)
class Article:
    headline: str
    body_id: int
    label: str


def fnc1() -> tuple[list[Article], dict[int, str]]:
    """FNC-1 training release: (headline, body id, stance) and body texts."""
    bodies = {int(r["Body ID"]): r["articleBody"] for r in _csv(FNC / "train_bodies.csv")}
    articles = [Article(r["Headline"], int(r["Body ID"]), FNC_LABELS[r["Stance"]])
                for r in _csv(FNC / "train_stances.csv")]
    return articles, bodies


def arc() -> tuple[list[Article], dict[int, str]]:
    bodies = {int(r["Body ID"]): r["articleBody"] for r in _csv(NLI / "arc_stance" / "arc_bodies.csv")}
    articles = [Article(r["Headline"], int(r["Body ID"]), FNC_LABELS[r["Stance"]])
                for r in _csv(NLI / "arc_stance" / "arc_stances_train.csv")]
    return articles, bodies


def story_finder(articles: list[Article]):
    """(find, parent) of a union-find whose groups are stories: headlines ("h", text) and
    bodies ("b", id) joined by related pairs (agree / disagree / discuss)."""
    parent: dict = {}
    find = _root_finder(parent)
    for a in articles:
        find(("h", a.headline)), find(("b", a.body_id))
        if a.label != UNRELATED:
            parent[find(("h", a.headline))] = find(("b", a.body_id))
    return find, parent


def split_stories(articles: list[Article], share: float, seed: int) -> tuple[list, list, set, set]:
    """Hold out whole stories: (held pairs, other pairs, held headlines, held body ids).

    A story is a connected group of headlines and bodies joined by related pairs
    (agree / disagree / discuss). Stories are shuffled with ``seed`` and held out until
    they hold ``share`` of the bodies. Held pairs: held headline AND held body (related
    pairs, and unrelated ones between held stories). Other pairs: neither headline nor
    body held. Pairs that would cross are dropped, so no headline and no body is in both.
    """
    find, parent = story_finder(articles)
    stories: dict = {}
    for node in list(parent):
        stories.setdefault(find(node), []).append(node)
    groups = sorted(stories.values(), key=lambda nodes: sorted(map(str, nodes))[0])
    random.Random(seed).shuffle(groups)
    n_bodies = len({a.body_id for a in articles})
    held: set = set()
    held_body_count = 0
    for nodes in groups:
        if held_body_count >= share * n_bodies:
            break
        held.update(nodes)
        held_body_count += sum(kind == "b" for kind, _ in nodes)
    held_headlines = {v for kind, v in held if kind == "h"}
    held_bodies = {v for kind, v in held if kind == "b"}
    held_pairs = [a for a in articles if a.headline in held_headlines and a.body_id in held_bodies]
    other = [a for a in articles if a.headline not in held_headlines and a.body_id not in held_bodies]
    return held_pairs, other, held_headlines, held_bodies


def make_fnc1_split(holdout_share: float = 0.2, seed: int = 2024) -> dict:
    """The FNC-1 benchmark hold-out: whole stories (see ``split_stories``)."""
    articles, _ = fnc1()
    holdout, train, held_headlines, held_bodies = split_stories(articles, holdout_share, seed)
    return {
        "description": "FNC-1 train_stances.csv split by story (headlines and bodies joined by related "
                       "pairs): hold-out = held-out headline and held-out body; training never sees a "
                       "held-out headline or body; crossing pairs are dropped. Made by "
                       f"models.stance.datasets.make_fnc1_split(holdout_share={holdout_share}, seed={seed}).",
        "holdout_headlines": sorted(held_headlines),
        "holdout_body_ids": sorted(held_bodies),
        "counts": {"holdout_pairs": len(holdout), "train_pairs": len(train),
                   "dropped_pairs": len(articles) - len(train) - len(holdout),
                   "holdout_by_label": {FNC_NAMES[k]: sum(a.label == k for a in holdout) for k in FNC_NAMES},
                   "train_by_label": {FNC_NAMES[k]: sum(a.label == k for a in train) for k in FNC_NAMES}},
    }


def fnc1_split() -> tuple[list[Article], list[Article], dict[int, str]]:
    """(train articles, hold-out articles, bodies) by the split in benchmarks/fnc1_split.json."""
    split = json.loads(FNC_SPLIT.read_text())
    articles, bodies = fnc1()
    held, held_bodies = set(split["holdout_headlines"]), set(split["holdout_body_ids"])
    holdout = [a for a in articles if a.headline in held and a.body_id in held_bodies]
    train = [a for a in articles if a.headline not in held and a.body_id not in held_bodies]
    return train, holdout, bodies

"""The stance training run's data order (scripts/train_stance.py): batches by length and,
for new runs, each synthetic contradiction beside the pair it was made from."""
import json
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
train_stance = pytest.importorskip("train_stance")

from models.stance.datasets import Pair  # noqa: E402


def _pool(n_sources=40, n_other=100):
    pairs = []
    for i in range(n_sources):
        sentence = f"Officials said {i} people were evacuated from the town on Monday."
        pairs.append(Pair(f"{i} people were evacuated.", sentence, "corroborates", "snli_dev"))
        pairs.append(Pair(f"{i + 7} people were evacuated.", sentence, "contradicts", "synthetic_number"))
    pairs += [Pair(f"claim {i}", f"an unrelated sentence number {i}" + " word" * (i % 9), "unrelated", "fnc1")
              for i in range(n_other)]
    random.Random(3).shuffle(pairs)
    return pairs


def test_training_edit_pairs_put_each_synthetic_contradiction_beside_its_source():
    pairs = _pool()
    plan = train_stance.batches(pairs, 8, random.Random(13), window_batches=2, edit_pairs=True)
    batch_of = {i: n for n, batch in enumerate(plan) for i in batch}
    assert sorted(batch_of) == list(range(len(pairs)))  # every pair once
    for i, p in enumerate(pairs):
        if p.source.startswith("synthetic"):
            (source,) = [j for j, q in enumerate(pairs) if q.sentence == p.sentence and q.label == "corroborates"]
            assert batch_of[i] == batch_of[source]
    assert max(len(b) for b in plan) <= 9


def test_training_without_edit_pairs_keeps_the_first_runs_order():
    pairs = _pool()
    old = list(range(len(pairs)))  # the order before the option: plain shuffled, sorted windows
    rng = random.Random(13)
    rng.shuffle(old)
    expected = []
    for start in range(0, len(old), 16):
        chunk = sorted(old[start:start + 16], key=lambda i: len(pairs[i].claim) + len(pairs[i].sentence))
        expected += [chunk[i:i + 8] for i in range(0, len(chunk), 8)]
    rng.shuffle(expected)
    assert train_stance.batches(pairs, 8, random.Random(13), window_batches=2) == expected


def test_training_label_caps_keep_order_and_cap_only_the_capped_label():
    pairs = [Pair(f"c{i}", f"s{i}", "contradicts" if i % 4 else "corroborates", "breaking_nli") for i in range(40)]
    kept = train_stance.cap_labels(pairs, {"contradicts": 5})
    assert [p.label for p in kept].count("contradicts") == 5
    assert [p for p in kept if p.label == "corroborates"] == [p for p in pairs if p.label == "corroborates"]
    assert kept == [p for p in pairs if p in kept]  # order kept


def test_training_synthetic_quotas_cap_negations_lower_than_the_other_kinds():
    n_max, kind_max = train_stance.synthetic_quotas(80_000)  # natural pairs; the pool is 100,000 with 20,000 made
    assert n_max == 20_000
    assert kind_max["negation"] == 1_000  # 1% of the pool: they are all contradicting and easy to make
    assert kind_max["restated"] == 2_000  # figures restated, still corroborating
    assert kind_max["number"] == kind_max["entity"] == kind_max["date"] == 6_000


def test_training_other_fact_sentences_skip_the_ones_that_carry_the_claim():
    ranked = [("Fighting entered its fourth week.", 0.82), ("More than three weeks of fighting.", 0.74),
              ("The border is closed, officials said.", 0.55), ("Talks are planned in Geneva.", 0.62),
              ("The region has 150,000 people.", 0.41), ("Subscribe to our newsletter.", 0.12),
              ("Fighting goes on in its fourth week, says the army.", 0.71)]
    ranked.sort(key=lambda pair: -pair[1])
    chosen = set()
    for seed in range(20):
        chosen.update(train_stance.other_fact_sentences(ranked, random.Random(seed), per_article=2))
    # never the two most similar, nothing within 0.15 of the top, nothing off topic
    assert chosen == {"The border is closed, officials said.", "Talks are planned in Geneva.",
                      "The region has 150,000 people."}
    assert len(train_stance.other_fact_sentences(ranked, random.Random(0), per_article=2)) == 2
    assert train_stance.other_fact_sentences(ranked[:2], random.Random(0)) == []
    assert train_stance.other_fact_sentences([], random.Random(0)) == []


def test_training_pool_cap_option_reads_source_label_and_count():
    assert train_stance._source_cap("perspectrum=2850") == ("perspectrum", 2850)
    assert train_stance._source_cap("fnc1:corroborates=0") == ("fnc1:corroborates", 0)
    for bad in ("perspectrum", "perspectrum=", "=10", "perspectrum=many", "fnc1:agree=0", ":corroborates=1"):
        with pytest.raises(Exception, match="SOURCE=N"):
            train_stance._source_cap(bad)


def test_training_pool_refuses_a_cached_pool_built_with_other_caps(tmp_path):
    """`pool` reuses a run's pool.jsonl; asked for other caps it says so instead of
    silently handing back the old pool."""
    asked = train_stance.pool_settings({"perspectrum": 2850}, None, 2)
    train_stance.check_cached_pool(tmp_path, asked)  # nothing cached yet
    (tmp_path / "pool.jsonl").write_text("")
    (tmp_path / "pool_counts.json").write_text(json.dumps({"train": {}, "built_with": asked}))
    train_stance.check_cached_pool(tmp_path, train_stance.pool_settings({"perspectrum": 2850}, None, 2))
    with pytest.raises(SystemExit, match="perspectrum"):
        train_stance.check_cached_pool(tmp_path, train_stance.pool_settings({"perspectrum": 0}, None, 2))
    (tmp_path / "pool_counts.json").write_text(json.dumps({"train": {}}))  # built before settings were kept
    with pytest.raises(SystemExit, match="unrecorded"):
        train_stance.check_cached_pool(tmp_path, asked)

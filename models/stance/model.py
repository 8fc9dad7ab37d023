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
    BATCH_PAIRS = 16  # pairs per run of the model, shortest first (see ``logits``)

    @classmethod
    def available(cls, directory) -> bool:
        return all((Path(directory) / name).exists() for name in cls.FILES)

    def __init__(self, directory, config: dict, threads: int = 0):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        directory = Path(directory)
        if tuple(config.get("labels", LABELS)) != LABELS:
            raise ValueError(f"artifact labels {config.get('labels')} differ from {LABELS}")
        self.temperature = float(config.get("temperature", 1.0))
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=int(config.get("max_len", 128)), strategy="longest_first")
        self.batch_pairs = int(config.get("batch_pairs", self.BATCH_PAIRS))
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(directory / "model.onnx"), options,
                                            providers=["CPUExecutionProvider"])

    def logits(self, claims: list[str], sentences: list[str]) -> np.ndarray:
        """Raw logits, one row per (claim, sentence) pair; a pair met twice (the same
        sentence stored in two articles) is run once.

        The pairs run shortest first, ``batch_pairs`` at a time, each run padded only to
        its own longest pair: a check's 10-60 candidates vary in length, and padding them
        all to the longest would spend about 40% of the model's work on padding. A call
        of up to ``batch_pairs`` pairs is one run, as it always was.

        The int8 model scales each run's activations together, so a pair's logits move
        a little (up to 0.03 in an article's score) with the pairs run beside it. Which
        pairs run together depends only on the pairs given: the judge gives each claim's
        candidates, and only them, so that a claim of a draft answers exactly as the same
        claim checked alone; the runs do not depend on the order the pairs come in."""
        pairs = list(zip(claims, sentences))
        unique = list(dict.fromkeys(pairs))
        if not unique:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(unique)
        order = sorted(range(len(unique)), key=lambda i: (len(encodings[i].ids), unique[i]))
        rows = np.zeros((len(unique), len(LABELS)), dtype=np.float32)
        for start in range(0, len(order), self.batch_pairs):
            run = order[start:start + self.batch_pairs]
            rows[run] = self.session.run(["logits"], self._feed([encodings[i] for i in run]))[0]
        position = {pair: i for i, pair in enumerate(unique)}
        return rows[[position[pair] for pair in pairs]]

    @staticmethod
    def _feed(encodings) -> dict:
        """The model's inputs for one run, padded to its longest pair."""
        width = max(len(e.ids) for e in encodings)
        feed = {name: np.zeros((len(encodings), width), dtype=np.int64)
                for name in ("input_ids", "attention_mask", "token_type_ids")}
        for row, e in enumerate(encodings):
            n = len(e.ids)
            feed["input_ids"][row, :n] = e.ids
            feed["attention_mask"][row, :n] = e.attention_mask
            feed["token_type_ids"][row, :n] = e.type_ids
        return feed

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

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
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(directory / "model.onnx"), options,
                                            providers=["CPUExecutionProvider"])

    def logits(self, claims: list[str], sentences: list[str]) -> np.ndarray:
        """Raw logits, one row per (claim, sentence) pair, from one run of the model; a
        pair met twice (the same sentence stored in two articles) is run once.

        The int8 model scales each run's activations together, so a pair's logits move
        a little (up to 0.03 in an article's score) with the pairs run beside it: the
        judge runs each claim's candidates together, and only them, so that a claim of a
        draft answers exactly as the same claim checked alone."""
        pairs = list(zip(claims, sentences))
        unique = list(dict.fromkeys(pairs))
        if not unique:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(unique)
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        rows = self.session.run(["logits"], feed)[0]
        if len(unique) == len(pairs):
            return rows
        position = {pair: i for i, pair in enumerate(unique)}
        return rows[[position[pair] for pair in pairs]]

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

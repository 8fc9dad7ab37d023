"""models.encoder: the int8 ONNX encoder against the torch model it was exported from."""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from models.encoder import ARTIFACT, DIMENSION, EMBEDDING_MODEL, model_path

SENTENCES = [
    "Nearly 5,000 people have been killed in the fighting since March, the UN said on Tuesday.",
    "The minister denied that the government had paid the ransom.",
    "Apple is reportedly in talks to buy the start-up for $3 billion.",
    "\"We will not stop until every family has clean water,\" the mayor told reporters.",
    "Output at the Nordhavn plant doubled to 9,400 cubic metres a day.",
    "ISIS militants beheaded a US journalist in a video posted online, officials said, "
    "though the footage could not be independently verified and the group has made similar claims before.",
]


@pytest.fixture(scope="module")
def torch_vectors():
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(model_path(), device="cpu")
    return model.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True)


def test_encoder_agrees_with_the_torch_model(encoder, torch_vectors):
    cosine = np.sum(encoder.encode(SENTENCES) * torch_vectors, axis=1)
    assert cosine.min() >= 0.98, cosine


def test_encoder_agrees_on_texts_of_a_few_tokens(encoder):
    """Quantisation costs most on the shortest texts (a fully int8 graph: 0.97 on "No.")."""
    from sentence_transformers import SentenceTransformer

    texts = ["No.", "Prices rose."]
    torch_vectors = SentenceTransformer(model_path(), device="cpu").encode(texts, normalize_embeddings=True)
    assert np.sum(encoder.encode(texts) * torch_vectors, axis=1).min() >= 0.98


def test_encoder_gives_one_unit_float32_row_per_text_in_order(encoder):
    texts = SENTENCES + ["No."]
    vectors = encoder.encode(texts)
    assert vectors.shape == (len(texts), DIMENSION) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Sorted by length and padded per batch inside; each row stays its text's.
    one_by_one = np.stack([encoder.encode([s])[0] for s in texts])
    assert np.sum(vectors * one_by_one, axis=1).min() >= 0.999
    assert encoder.encode([]).shape == (0, DIMENSION)


def test_encoder_truncates_long_texts(encoder):
    long = " ".join(SENTENCES * 40)  # far past 256 tokens
    vector = encoder.encode([long])[0]
    assert np.isfinite(vector).all() and np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)


def test_encoder_name_is_the_artifact_not_the_torch_model(encoder):
    config = json.loads((ARTIFACT / "config.json").read_text())
    digest = hashlib.sha256((ARTIFACT / "model.onnx").read_bytes()).hexdigest()
    assert config["sha256"] == digest
    assert encoder.name == EMBEDDING_MODEL == config["name"]
    assert digest[:12] in EMBEDDING_MODEL and EMBEDDING_MODEL != "all-MiniLM-L6-v2"


def test_encoder_layer_means_come_from_the_same_run_as_the_embedding(encoder):
    texts = SENTENCES + ["No."]
    vectors, layers = encoder.encode_with_layers(texts)
    assert layers.shape == (len(texts), 6, DIMENSION) and layers.dtype == np.float32
    assert np.array_equal(vectors, encoder.encode(texts))
    # The last layer's mean, normalised, is the sentence embedding.
    last = layers[:, -1] / np.linalg.norm(layers[:, -1], axis=1, keepdims=True)
    assert np.allclose(last, vectors, atol=1e-5)
    # Padding to a longer batch mate does not leak into a text's means.
    alone = np.stack([encoder.encode_with_layers([t])[1][0] for t in texts])
    assert np.allclose(alone, layers, atol=1e-3)
    assert encoder.encode_with_layers([])[1].shape == (0, 6, DIMENSION)


def test_encoder_refuses_a_graph_without_the_layer_outputs(tmp_path):
    import onnx

    from models.encoder import SentenceEncoder

    graph = onnx.helper.make_graph(
        [onnx.helper.make_node("Identity", ["input_ids"], ["sentence_embedding"])], "other",
        [onnx.helper.make_tensor_value_info("input_ids", onnx.TensorProto.INT64, None)],
        [onnx.helper.make_tensor_value_info("sentence_embedding", onnx.TensorProto.INT64, None)])
    onnx.save(onnx.helper.make_model(graph), str(tmp_path / "other.onnx"))
    with pytest.raises(ValueError, match="no layer outputs"):
        SentenceEncoder(model=tmp_path / "other.onnx")

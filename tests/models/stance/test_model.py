"""The trained cross-encoder and the judge around it: models/stance/model.py."""
from __future__ import annotations

import pytest

from core.settings import Settings
from models.stance import CONTRADICTS, CORROBORATES, UNRELATED, StanceJudge

from .texts import BORDER, BORDER_SAID, TEASERS


@pytest.fixture(scope="session")
def model_judge(stance_dir):
    judge = StanceJudge(stance_dir)
    if judge.model is None:
        pytest.skip("no trained artifact in models/stance/artifact/")
    return judge


def test_model_artifact_loads_by_default():
    from models.stance.judge import DEFAULT_MODEL_DIR
    from models.stance.model import StanceModel

    if not StanceModel.available(DEFAULT_MODEL_DIR):
        pytest.skip("no trained artifact in models/stance/artifact/")
    judge = StanceJudge()
    assert judge.model is not None
    assert 0.2 < judge.config["temperature"] < 5.0


def test_model_probabilities_are_distributions(model_judge):
    probs = model_judge.model.predict(BORDER, [BORDER_SAID[0], TEASERS[0]])
    assert probs.shape == (2, 4)
    assert abs(float(probs.sum(axis=1)[0]) - 1.0) < 1e-5 and abs(float(probs.sum(axis=1)[1]) - 1.0) < 1e-5


def test_model_separates_paraphrase_negation_and_unrelated(model_judge):
    from models.stance import LABELS

    p_para, p_neg, p_unrel = model_judge.model.predict(BORDER, [
        BORDER_SAID[0], "Azerbaijan has not taken control of its border with Iran", TEASERS[1]])
    corr, contra, unrel = LABELS.index(CORROBORATES), LABELS.index(CONTRADICTS), LABELS.index(UNRELATED)
    assert p_para[corr] > p_para[contra]
    assert p_neg[contra] > p_para[contra]
    assert p_unrel[unrel] > p_para[unrel]


def test_model_verdicts_carry_the_logits_the_article_rule_pools(model_judge, encoder):
    vectors = encoder.encode([BORDER, BORDER_SAID[0], TEASERS[0]])
    on_topic, off_topic = model_judge.judge(BORDER, [BORDER_SAID[0], TEASERS[0]],
                                            [float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])])
    raw = model_judge.model.logits([BORDER], [BORDER_SAID[0]])
    assert len(on_topic.logits) == 4 and abs(on_topic.logits[0] - float(raw[0][0])) < 1e-4
    assert off_topic.stance == UNRELATED and off_topic.logits is None  # the model never ran on it
    rules_only = StanceJudge(use_model=False).judge(BORDER, [BORDER_SAID[0]], [float(vectors[0] @ vectors[1])])
    assert rules_only[0].logits is None


def test_model_missing_artifact_falls_back_to_rules(tmp_path, encoder):
    judge = StanceJudge(model_dir=str(tmp_path))
    assert judge.model is None
    vectors = encoder.encode([BORDER, BORDER_SAID[0]])
    (verdict,) = judge.judge(BORDER, [BORDER_SAID[0]], [float(vectors[0] @ vectors[1])])
    assert verdict.stance == CORROBORATES


def test_model_judges_a_pair_whatever_is_judged_beside_it(model_judge):
    """A sentence's logits depend on the claim and the sentence alone: the same run
    alone, among others, and in any order (the int8 model scales a run's activations
    together, so pairs run together moved each other)."""
    import random

    import numpy as np

    model = model_judge.model
    sentences = [*BORDER_SAID, *TEASERS, BORDER]
    claims = [BORDER] * len(sentences)
    together = model.logits(claims, sentences)
    alone = np.vstack([model.logits([BORDER], [sentence]) for sentence in sentences])
    assert np.array_equal(together, alone)
    shuffled = list(range(len(sentences)))
    random.Random(4).shuffle(shuffled)
    assert np.array_equal(model.logits([claims[i] for i in shuffled], [sentences[i] for i in shuffled]),
                          together[shuffled])


def test_model_runs_a_pair_met_twice_once(model_judge):
    import numpy as np

    logits = model_judge.model.logits([BORDER, BORDER], [BORDER_SAID[0], BORDER_SAID[0]])
    assert logits.shape == (2, 4) and np.array_equal(logits[0], logits[1])
    assert model_judge.model.logits([], []).shape == (0, 4)


def test_model_directory_from_settings_must_hold_an_artifact(tmp_path):
    """SAYSO_STANCE_DIR names the artifact to run; a directory without one stops the
    start instead of leaving the service to judge without its model."""
    from models.stance.judge import DEFAULT_MODEL_DIR

    with pytest.raises(ValueError, match="model.onnx, tokenizer.json"):
        Settings.from_env({"SAYSO_STANCE_DIR": str(tmp_path)})
    assert Settings.from_env({}).stance_dir is None
    assert Settings.from_env({"SAYSO_STANCE_DIR": str(DEFAULT_MODEL_DIR)}).stance_dir == DEFAULT_MODEL_DIR

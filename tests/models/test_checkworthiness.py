"""models.checkworthiness: the calibrated check-worthiness score, alone and in the reader."""
from __future__ import annotations

import pytest

from models.checkworthiness import load_checkworthiness
from core.settings import Settings

FACTUAL = "Unemployment rose to 7.9 percent last year, the highest rate since 1992."
NOT_WORTH_CHECKING = (
    "I think we need to do better for our children.",  # opinion
    "What would you do about the deficit?",  # question
    "Thank you very much, and good evening to everybody here tonight.",  # small talk
)
BOILERPLATE = (
    "Sign up for our daily newsletter to get the top stories in your inbox.\n"
    "Copyright 2020 Agence France-Presse. All rights reserved.\n"
    "Share this article with your friends.\n"
    "We use cookies to improve your experience on our site."
)


@pytest.fixture(scope="session")
def model():
    return load_checkworthiness()


def _scores(model, nlp, encoder, texts):
    return model.score(encoder.encode_with_layers(list(texts))[1], [nlp(text) for text in texts])


def test_checkworthiness_scores_are_probabilities_and_decide_is_claim(reader, samples):
    for text in samples.values():
        for sentence in reader.read(text).sentences:
            assert 0.0 <= sentence.check_worthiness <= 1.0
            assert sentence.is_claim == (sentence.check_worthiness >= reader.claim_threshold)


def test_checkworthiness_factual_sentence_with_a_number_outscores_opinion_question_small_talk(model, nlp, encoder):
    factual, *others = _scores(model, nlp, encoder, (FACTUAL, *NOT_WORTH_CHECKING))
    assert factual >= model.threshold
    assert all(factual > other for other in others)
    assert all(other < model.threshold for other in others)


def test_checkworthiness_sample_articles_key_claims_stay_claims(reader, samples):
    sentences = [s for text in samples.values() for s in reader.read(text).sentences]
    key = ("Russian President Vladimir Putin said on Thursday that almost 5,000 people had died",
           "Yerevan says 874 Armenian soldiers and 36 civilians have been killed",
           "Azerbaijan on Thursday said it had taken full control of its border",
           "Fighting broke out between the Armenian separatists")
    for start in key:
        sentence = next(s for s in sentences if s.text.startswith(start))
        assert sentence.is_claim, (sentence.text, sentence.check_worthiness)


def test_checkworthiness_teasers_headlines_and_boilerplate_are_not_claims(reader, samples):
    article = reader.read(samples["karabakh-death-toll"])
    assert all(s.check_worthiness == 0.0 and not s.is_claim for s in article.sentences if s.section != "body")
    boilerplate = reader.read(BOILERPLATE).sentences
    assert boilerplate and not any(s.is_claim for s in boilerplate), [(s.text, s.check_worthiness) for s in boilerplate]


def test_checkworthiness_low_scores_are_still_indexed_as_evidence(nlp, encoder, samples):
    """The score decides is_claim, not what the index holds."""
    from models.pipeline import ArticleReader

    strict = ArticleReader(nlp=nlp, encoder=encoder, claim_threshold=1.01)
    lenient = ArticleReader(nlp=nlp, encoder=encoder, claim_threshold=0.0)
    text = samples["azerbaijan-iran-border"]
    flagged_none, flagged_all = strict.read(text), lenient.read(text)
    assert not any(s.is_claim for s in flagged_none.sentences)
    assert set(flagged_none.claim_vectors) == set(flagged_all.claim_vectors)
    assert set(flagged_all.claim_vectors) == {i for i, s in enumerate(flagged_all.sentences) if s.is_claim}


def test_checkworthiness_threshold_comes_from_the_environment():
    assert Settings.from_env({"SAYSO_CLAIM_THRESHOLD": "0.7"}).claim_threshold == 0.7
    assert Settings.from_env({}).claim_threshold is None  # the model's own


def test_checkworthiness_refuses_a_model_trained_on_another_encoder(tmp_path):
    import json

    from models.checkworthiness import ARTIFACT, CheckWorthiness

    config = json.loads(ARTIFACT.read_text(encoding="utf-8"))
    config["encoder"] = "all-MiniLM-L6-v2-onnx-int8-embeddings@b4a438a78ccf"  # the encoder before 2026-12-07
    path = tmp_path / "model.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ValueError, match="retrain"):
        CheckWorthiness(path)

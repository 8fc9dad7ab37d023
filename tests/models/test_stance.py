"""Stance decisions on real text, through the real detectors, embeddings and (when the
artifact is present) the trained model. Sentences from /work/shared/data/samples and
made-up variants of them."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from models.stance import CONTRADICTS, CORROBORATES, DISCUSSES, UNRELATED, StanceJudge  # noqa: E402
from models.stance import hedging, quantities, refutation  # noqa: E402

DEATHS = "Nearly 5,000 people have been killed in the Nagorno-Karabakh fighting"
BORDER = "Azerbaijan has taken full control of its border with Iran"

BELOW_THOUSAND = ("Fighting broke out between the Armenian separatists who control the Karabakh province "
                  "in Azerbaijan and the military late last month and the most recent officially confirmed "
                  "death toll remains below one thousand.")
PUTIN = ("Russian President Vladimir Putin said on Thursday that almost 5,000 people had died in more than "
         "three weeks of fighting between Armenian forces and Azerbaijan's army over the disputed "
         "Nagorno-Karabakh region.")
PUTIN_QUOTE = ("\u201cAccording to our data, the number of deaths on both sides is almost 2,000, that is, the "
               "total number of deaths is already nearing 5,000,\u201d Putin said in a televised appearance.")
BORDER_SAID = [
    "Aliyev said earlier Thursday that Azerbaijani forces had taken full control of its border with "
    "neighbouring Iran.",
    "Azerbaijan on Thursday said it had taken full control of its border with neighbouring Iran as Baku "
    "pressed its military operation in its conflict with Armenia over Nagorno-Karabakh.",
    "But President Ilham Aliyev said that with the capture of a settlement named Agbend, Baku now had full "
    "control of the border with Iran.",
]
TEASERS = [
    "AI-powered customer service can significantly enhance business processes",
    "She was the first woman composer of All India Radio from South India",
    "Pakistan have never won a Test series in the 12 times they have toured down under",
]


@pytest.fixture(scope="session", params=["model", "rules"])
def judge(request):
    """The judge as the service builds it, and the detectors + similarity fallback alone."""
    if request.param == "rules":
        return StanceJudge(use_model=False, nlp=request.getfixturevalue("nlp"))
    return StanceJudge(nlp=request.getfixturevalue("nlp"))


@pytest.fixture(scope="session")
def parser(nlp):
    from models.stance.parsing import Parser

    return Parser(nlp)


@pytest.fixture(scope="session")
def check(judge, encoder):
    """judge.judge with the similarities the service computes (conftest's MiniLM encoder)."""
    def run(claim: str, sentences: list[str]):
        vectors = encoder.encode([claim, *sentences])
        similarities = [float(vectors[0] @ v) for v in vectors[1:]]
        return judge.judge(claim, sentences, similarities)

    return run


# ---------------------------------------------------------------- the sample checks
def test_stance_number_disagreement_contradicts_with_both_numbers(check):
    (verdict,) = check(DEATHS, [BELOW_THOUSAND])
    assert verdict.stance == CONTRADICTS
    assert "5,000" in verdict.reason and "1,000" in verdict.reason
    assert 0.5 < verdict.score <= 1.0


def test_stance_agreeing_numbers_corroborate(check):
    for verdict in check(DEATHS, [PUTIN, PUTIN_QUOTE]):
        assert verdict.stance == CORROBORATES, verdict.reason
        assert "5,000" in verdict.reason or "model" in verdict.reason


def test_stance_reported_paraphrases_corroborate(check):
    for sentence, verdict in zip(BORDER_SAID, check(BORDER, BORDER_SAID)):
        assert verdict.stance == CORROBORATES, (sentence, verdict)


def test_stance_plain_negation_contradicts_and_names_the_cue(check):
    (verdict,) = check(BORDER, ["Azerbaijan has not taken control of its border with Iran"])
    assert verdict.stance == CONTRADICTS
    assert "not" in verdict.reason


def test_stance_refuting_verb_contradicts(check):
    verdicts = check(BORDER, [
        "Armenia's defence ministry denied that Azerbaijan had taken control of the border with Iran.",
        "Yerevan dismissed as false the reports that Azerbaijan controls its border with Iran.",
    ])
    assert [v.stance for v in verdicts] == [CONTRADICTS, CONTRADICTS]
    assert "denied" in verdicts[0].reason


def test_stance_negation_on_both_sides_agrees(check):
    (verdict,) = check("Azerbaijan has not taken control of its border with Iran",
                       ["Azerbaijan never took control of its border with Iran."])
    assert verdict.stance != CONTRADICTS


def test_stance_unrelated_teasers_are_unrelated(check):
    for verdict in check(DEATHS, TEASERS):
        assert verdict.stance == UNRELATED, verdict


def test_stance_one_verdict_per_sentence_in_order(check):
    verdicts = check(BORDER, [TEASERS[0], BORDER_SAID[0]])
    assert [v.stance for v in verdicts] == [UNRELATED, CORROBORATES]
    assert all(0.0 <= v.score <= 1.0 and v.reason for v in verdicts)


def test_stance_empty_batch(judge):
    assert judge.judge(DEATHS, [], []) == []


# ---------------------------------------------------------------- the detectors alone
@pytest.mark.parametrize("sentence, relation", [
    ("Five thousand people were killed in the fighting.", "agree"),          # words vs digits
    ("The death toll rose to 4,800 on Monday.", "agree"),
    ("Between 4,000 and 6,000 people have died.", "agree"),                   # range
    ("Some 300-400 people died in the fighting.", "conflict"),               # range, digits
    ("More than 20,000 people were killed.", "conflict"),
    ("Hundreds of people have been killed.", "conflict"),
    ("A thousand people died.", "conflict"),
    ("874 Armenian soldiers and 36 civilians have been killed.", "part"),    # a sub-group, not a rival total
    ("The fighting has lasted three weeks and a 24-hour truce failed.", "none"),  # durations are no toll
    ("Fighting erupted September 27, 2020.", "none"),                        # dates are no toll
])
def test_stance_quantities_relate_same_thing(sentence, relation, parser):
    evidence = quantities.compare(DEATHS, sentence, parser)
    found = ("conflict" if evidence.conflicts else "agree" if evidence.agrees
             else "part" if evidence.partial else "none")
    assert found == relation, evidence


def test_stance_quantity_reason_names_hedges_and_numbers(parser):
    evidence = quantities.compare(DEATHS, BELOW_THOUSAND, parser)
    assert evidence.reason() == "claim says nearly 5,000 killed; sentence says below 1,000 death toll"


def test_stance_quantities_read_words_hedges_and_ranges(parser):
    parse = parser.parse
    (q,) = quantities.extract(parse("More than one thousand two hundred people were evacuated."))
    assert (q.low, q.high, q.hedge) == (1200, float("inf"), "more than")
    (q,) = quantities.extract(parse("Up to 3.5 million people fled."))
    assert (q.low, q.high) == (0, 3_500_000)
    (q,) = quantities.extract(parse("Between 200 and 300 people died."))
    assert (q.low, q.high, q.topic) == (200, 300, "casualties")


@pytest.mark.parametrize("claim, sentence, flips", [
    (BORDER, "Azerbaijan does not control its border with Iran.", True),
    (BORDER, "Azerbaijan is not in control of its border with Iran.", True),
    (BORDER, "There is no evidence that Azerbaijan controls its border with Iran.", True),
    (BORDER, "Armenia never denied that Azerbaijan had taken control of the border with Iran.", False),
    (BORDER, "Baku has never hidden its desire to regain full control over Karabakh.", False),
    (BORDER, "Not only has Azerbaijan taken control of the border with Iran, it has advanced.", False),
    ("A diplomatic solution to the conflict is possible",
     "Pashinyan ruled out any diplomatic solution to the conflict for the moment.", True),
    ("The vaccine causes autism", "The claim that the vaccine causes autism is a hoax.", True),
    ("The vaccine causes autism", "Scientists have debunked the claim that the vaccine causes autism.", True),
    ("Azerbaijan has not taken control of its border with Iran", BORDER, True),
])
def test_stance_refutation_cues_bear_on_claim(claim, sentence, flips, parser):
    assert refutation.compare(claim, sentence, parser).flips is flips


# ---------------------------------------------------------------- the trained model
@pytest.fixture(scope="session")
def model_judge():
    judge = StanceJudge()
    if judge.model is None:
        pytest.skip("no trained artifact in models/stance/artifact/")
    return judge


def test_stance_model_artifact_loads_by_default():
    from models.stance.judge import DEFAULT_MODEL_DIR
    from models.stance.model import StanceModel

    if not StanceModel.available(DEFAULT_MODEL_DIR):
        pytest.skip("no trained artifact in models/stance/artifact/")
    judge = StanceJudge()
    assert judge.model is not None
    assert 0.2 < judge.config["temperature"] < 5.0


def test_stance_model_probabilities_are_distributions(model_judge):
    probs = model_judge.model.predict(BORDER, [BORDER_SAID[0], TEASERS[0]])
    assert probs.shape == (2, 4)
    assert abs(float(probs.sum(axis=1)[0]) - 1.0) < 1e-5 and abs(float(probs.sum(axis=1)[1]) - 1.0) < 1e-5


def test_stance_model_separates_paraphrase_negation_and_unrelated(model_judge):
    from models.stance import LABELS

    p_para, p_neg, p_unrel = model_judge.model.predict(BORDER, [
        BORDER_SAID[0], "Azerbaijan has not taken control of its border with Iran", TEASERS[1]])
    corr, contra, unrel = LABELS.index(CORROBORATES), LABELS.index(CONTRADICTS), LABELS.index(UNRELATED)
    assert p_para[corr] > p_para[contra]
    assert p_neg[contra] > p_para[contra]
    assert p_unrel[unrel] > p_para[unrel]


def test_stance_model_verdicts_carry_the_logits_the_article_rule_pools(model_judge, encoder):
    vectors = encoder.encode([BORDER, BORDER_SAID[0], TEASERS[0]])
    on_topic, off_topic = model_judge.judge(BORDER, [BORDER_SAID[0], TEASERS[0]],
                                            [float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])])
    raw = model_judge.model.logits([BORDER], [BORDER_SAID[0]])
    assert len(on_topic.logits) == 4 and abs(on_topic.logits[0] - float(raw[0][0])) < 1e-4
    assert off_topic.stance == UNRELATED and off_topic.logits is None  # the model never ran on it
    rules_only = StanceJudge(use_model=False).judge(BORDER, [BORDER_SAID[0]], [float(vectors[0] @ vectors[1])])
    assert rules_only[0].logits is None


def test_stance_missing_artifact_falls_back_to_rules(tmp_path, encoder):
    judge = StanceJudge(model_dir=str(tmp_path))
    assert judge.model is None
    vectors = encoder.encode([BORDER, BORDER_SAID[0]])
    (verdict,) = judge.judge(BORDER, [BORDER_SAID[0]], [float(vectors[0] @ vectors[1])])
    assert verdict.stance == CORROBORATES


def test_stance_calibration_error_is_zero_when_scores_match_accuracy_and_large_when_not():
    from models.stance.calibration import expected_calibration_error

    assert expected_calibration_error([0.75] * 4, [True, True, True, False]) == pytest.approx(0.0)
    assert expected_calibration_error([0.95] * 4, [False] * 4) == pytest.approx(0.95)


def test_hedging_finds_the_hedge_as_written():
    assert hedging.find("The gunman was reportedly killed by police") == "reportedly"
    assert hedging.find("The video could not be independently verified.") == "could not be independently verified"
    assert hedging.find("The gunman was killed by police") is None


def test_hedging_cancels_when_the_claim_hedges_too():
    assert hedging.reports_without_vouching("The gunman was reportedly killed", "He was allegedly shot") is None


def test_stance_hedged_restatement_discusses(check):
    claim = "ISIS militants beheaded an American journalist in Syria"
    (verdict,) = check(claim, ["ISIS militants reportedly beheaded an American journalist in Syria."])
    assert verdict.stance == DISCUSSES
    assert "reportedly" in verdict.reason


def test_stance_plain_restatement_still_corroborates(check):
    claim = "ISIS militants beheaded an American journalist in Syria"
    (verdict,) = check(claim, ["Police said ISIS militants beheaded an American journalist in Syria."])
    assert verdict.stance == CORROBORATES


def test_parsing_full_cache_still_returns_every_text_asked_for(nlp):
    from models.stance.parsing import Parser

    parser = Parser(nlp, cache_size=2)
    parser.parse_many(["Filler one.", "Filler two."])
    docs = parser.parse_many(["Azerbaijan took the border.", "Armenia denied it.", "Filler one."])  # overflows
    assert [d.text for d in docs] == ["Azerbaijan took the border.", "Armenia denied it.", "Filler one."]
    assert parser.parse("Armenia denied it.") is docs[1]  # the most recent stay cached


def test_refutation_refuting_word_is_found_as_written():
    assert refutation.refuting_word("Police say the video is a hoax.") == "hoax"
    assert refutation.refuting_word("The ministry Denied the report") == "Denied"
    assert refutation.refuting_word("That is not true, he said") == "not true"
    assert refutation.refuting_word("The ministry confirmed the report") is None


def test_stance_verdicts_carry_a_refuting_word_the_claim_lacks(check):
    hoax = "Officials said the claim that Azerbaijan has taken full control of its border with Iran is a hoax."
    on_topic, off_topic = check(BORDER, [hoax, TEASERS[0]])
    assert on_topic.refuting_word == "hoax"
    assert off_topic.refuting_word is None  # unrelated sentences are not weighed
    (same_word,) = check("Claims that Azerbaijan controls its border with Iran are a hoax", [hoax])
    assert same_word.refuting_word is None  # the claim says "hoax" too: the word agrees

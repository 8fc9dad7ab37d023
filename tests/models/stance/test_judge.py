"""StanceJudge on real text, through the real detectors, embeddings and (when the
artifact is present) the trained model: models/stance/judge.py."""
from __future__ import annotations

from models.stance import CONTRADICTS, CORROBORATES, DISCUSSES, UNRELATED

from .texts import BELOW_THOUSAND, BORDER, BORDER_SAID, DEATHS, FOURTH_WEEK, GAINS, PUTIN, PUTIN_QUOTE, TEASERS


def test_judge_number_disagreement_contradicts_with_both_numbers(check):
    (verdict,) = check(DEATHS, [BELOW_THOUSAND])
    assert verdict.stance == CONTRADICTS
    assert "5,000" in verdict.reason and "1,000" in verdict.reason
    assert 0.5 < verdict.score <= 1.0


def test_judge_agreeing_numbers_corroborate(check):
    for verdict in check(DEATHS, [PUTIN, PUTIN_QUOTE]):
        assert verdict.stance == CORROBORATES, verdict.reason
        assert "5,000" in verdict.reason or "model" in verdict.reason


def test_judge_reported_paraphrases_corroborate(check):
    for sentence, verdict in zip(BORDER_SAID, check(BORDER, BORDER_SAID)):
        assert verdict.stance == CORROBORATES, (sentence, verdict)


def test_judge_a_time_span_restated_is_not_a_contradiction(check):
    """"More than three weeks of fighting" agrees with "its fourth week": two candidate
    models called it contradicting (models/stance/MODEL_CARD.md, the third and fifth runs)."""
    for sentence, verdict in zip([PUTIN, GAINS], check(FOURTH_WEEK, [PUTIN, GAINS])):
        assert verdict.stance != CONTRADICTS, (sentence, verdict)


def test_judge_plain_negation_contradicts_and_names_the_cue(check):
    (verdict,) = check(BORDER, ["Azerbaijan has not taken control of its border with Iran"])
    assert verdict.stance == CONTRADICTS
    assert "not" in verdict.reason


def test_judge_refuting_verb_contradicts(check):
    verdicts = check(BORDER, [
        "Armenia's defence ministry denied that Azerbaijan had taken control of the border with Iran.",
        "Yerevan dismissed as false the reports that Azerbaijan controls its border with Iran.",
    ])
    assert [v.stance for v in verdicts] == [CONTRADICTS, CONTRADICTS]
    assert "denied" in verdicts[0].reason


def test_judge_negation_on_both_sides_agrees(check):
    (verdict,) = check("Azerbaijan has not taken control of its border with Iran",
                       ["Azerbaijan never took control of its border with Iran."])
    assert verdict.stance != CONTRADICTS


def test_judge_unrelated_teasers_are_unrelated(check):
    for verdict in check(DEATHS, TEASERS):
        assert verdict.stance == UNRELATED, verdict


def test_judge_one_verdict_per_sentence_in_order(check):
    verdicts = check(BORDER, [TEASERS[0], BORDER_SAID[0]])
    assert [v.stance for v in verdicts] == [UNRELATED, CORROBORATES]
    assert all(0.0 <= v.score <= 1.0 and v.reason for v in verdicts)


def test_judge_empty_batch(judge):
    assert judge.judge(DEATHS, [], []) == []


def test_judge_hedged_restatement_discusses(check):
    claim = "ISIS militants beheaded an American journalist in Syria"
    (verdict,) = check(claim, ["ISIS militants reportedly beheaded an American journalist in Syria."])
    assert verdict.stance == DISCUSSES
    assert "reportedly" in verdict.reason


def test_judge_plain_restatement_still_corroborates(check):
    claim = "ISIS militants beheaded an American journalist in Syria"
    (verdict,) = check(claim, ["Police said ISIS militants beheaded an American journalist in Syria."])
    assert verdict.stance == CORROBORATES


def test_judge_verdicts_carry_a_refuting_word_the_claim_lacks(check):
    hoax = "Officials said the claim that Azerbaijan has taken full control of its border with Iran is a hoax."
    on_topic, off_topic = check(BORDER, [hoax, TEASERS[0]])
    assert on_topic.refuting_word == "hoax"
    assert off_topic.refuting_word is None  # unrelated sentences are not weighed
    (same_word,) = check("Claims that Azerbaijan controls its border with Iran are a hoax", [hoax])
    assert same_word.refuting_word is None  # the claim says "hoax" too: the word agrees


def test_judge_unrelated_exactly_when_not_on_topic(judge):
    # Every similarity band, sentences that trip each detector, and the model's own
    # paraphrase and negation calls: only the similarity decides "unrelated", so the
    # checker may leave unjudged what it knows is off topic.
    sentences = [BELOW_THOUSAND, PUTIN, PUTIN_QUOTE, *BORDER_SAID, *TEASERS,
                 "Azerbaijan has not taken control of its border with Iran",
                 "Armenia's defence ministry denied that Azerbaijan had taken control of the border with Iran."]
    for claim in (DEATHS, BORDER):
        for similarity in (0.0, 0.1, 0.2, 0.24, 0.25, 0.3, 0.5, 0.69, 0.7, 0.9, 1.0):
            for sentence, verdict in zip(sentences, judge.judge(claim, sentences, [similarity] * len(sentences))):
                assert (verdict.stance == UNRELATED) == (not judge.on_topic(similarity)), (claim, sentence, similarity, verdict)


def test_judge_verdicts_carry_their_similarity(judge):
    verdicts = judge.judge(BORDER, [TEASERS[0], BORDER], [0.1, 0.9])
    assert [v.similarity for v in verdicts] == [0.1, 0.9]

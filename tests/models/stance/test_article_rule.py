"""The article-level rule that aggregates sentence verdicts (benchmarks/stance.py, FNC-1)."""
from models.stance import CONTRADICTS, CORROBORATES, DISCUSSES, UNRELATED, StanceVerdict
from models.stance.article_rule import ArticleRule, article_stance


def v(stance, score):
    return StanceVerdict(stance, score, stance)


RULE = ArticleRule(agree_from=0.6, disagree_from=0.7)


def test_article_rule_all_unrelated_is_unrelated():
    assert article_stance([v(UNRELATED, 0.9), v(UNRELATED, 0.8)], RULE).stance == UNRELATED


def test_article_rule_confident_contradiction_wins_over_weaker_support():
    verdict = article_stance([v(CORROBORATES, 0.65), v(CONTRADICTS, 0.8), v(DISCUSSES, 0.9)], RULE)
    assert verdict.stance == CONTRADICTS


def test_article_rule_weak_sentences_only_discuss():
    verdict = article_stance([v(CORROBORATES, 0.55), v(CONTRADICTS, 0.6), v(UNRELATED, 0.9)], RULE)
    assert verdict.stance == DISCUSSES


def test_article_rule_support_above_threshold_agrees():
    assert article_stance([v(CORROBORATES, 0.7), v(DISCUSSES, 0.9)], RULE).stance == CORROBORATES


def test_article_rule_score_is_recalibrated_per_stance():
    rule = ArticleRule(0.6, 0.7, platt={CORROBORATES: [1.0, -1.0]})
    verdict = article_stance([v(CORROBORATES, 0.7)], rule)
    assert 0.0 < verdict.score < 0.7


def test_article_rule_rule_is_chosen_for_the_judge_with_or_without_its_model():
    config = {"article": {"agree_from": 0.75, "disagree_from": 0.55},
              "article_without_model": {"agree_from": 0.3, "disagree_from": 0.3}}
    assert ArticleRule.from_config(config).agree_from == 0.75
    assert ArticleRule.from_config(config, with_model=False).agree_from == 0.3
    verdicts = [v(CORROBORATES, 0.7)]
    assert article_stance(verdicts, ArticleRule.from_config(config)).stance == DISCUSSES
    assert article_stance(verdicts, ArticleRule.from_config(config, with_model=False)).stance == CORROBORATES


def lv(stance, logits):
    """A verdict with the model's logits (corroborates, contradicts, discusses, unrelated)."""
    return StanceVerdict(stance, 0.6, stance, logits=tuple(logits))


POOLED = ArticleRule(pooled=True)


def test_article_rule_pooled_one_clear_refutation_outweighs_neutral_sentences():
    neutral = [lv(DISCUSSES, (0.0, 0.0, 2.0, -1.0)) for _ in range(6)]
    refuting = lv(CONTRADICTS, (-1.0, 5.0, 0.0, -1.0))
    verdict = article_stance([*neutral, refuting], POOLED)
    assert verdict.stance == CONTRADICTS
    assert 0.5 < verdict.score < 1.0


def test_article_rule_pooled_ignores_unrelated_sentences():
    off_topic = StanceVerdict(UNRELATED, 0.9, "off topic", logits=(0.0, 9.0, 0.0, 0.0))
    verdict = article_stance([lv(CORROBORATES, (3.0, 0.0, 1.0, -1.0)), off_topic], POOLED)
    assert verdict.stance == CORROBORATES


def test_article_rule_pooled_bias_and_temperature_shape_the_probabilities():
    verdicts = [lv(CORROBORATES, (2.0, 0.0, 1.5, -1.0))]
    assert article_stance(verdicts, POOLED).stance == CORROBORATES
    assert article_stance(verdicts, ArticleRule(pooled=True, bias={CORROBORATES: -1.0})).stance == DISCUSSES
    sharp = article_stance(verdicts, ArticleRule(pooled=True, temperature=0.5)).score
    assert sharp > article_stance(verdicts, POOLED).score


def test_article_rule_pooled_detector_contradiction_weighs_in_when_weighted():
    # a detector called it contradicting although the model's own argmax is corroborates
    flagged = StanceVerdict(CONTRADICTS, 0.75, 'sentence negates the claim (negation "not")',
                            logits=(2.0, 0.5, 0.0, -1.0), detector="negation")
    assert article_stance([flagged], POOLED).stance == CORROBORATES
    verdict = article_stance([flagged], ArticleRule(pooled=True, detector_weight=3.0))
    assert verdict.stance == CONTRADICTS and verdict.reason.endswith(flagged.reason)


def test_article_rule_pooled_without_logits_falls_back_to_thresholds():
    rule = ArticleRule(agree_from=0.6, disagree_from=0.7, pooled=True)
    assert article_stance([v(CORROBORATES, 0.7), v(DISCUSSES, 0.9)], rule).stance == CORROBORATES
    assert article_stance([v(UNRELATED, 0.9)], rule).stance == UNRELATED


def test_article_rule_pooled_reason_quotes_a_sentence_that_says_the_same():
    # the discussing sentence explains a "discusses" article, not the one refuting a figure
    refuting = StanceVerdict(CONTRADICTS, 0.75, "figures conflict", logits=(0.0, 1.0, 2.5, -1.0), detector="figures")
    neutral = StanceVerdict(DISCUSSES, 0.6, "on the topic", logits=(0.0, 0.0, 2.0, -1.0))
    verdict = article_stance([refuting, neutral], POOLED)
    assert verdict.stance == DISCUSSES and verdict.reason.endswith("on the topic")


def test_article_rule_pooled_refutation_in_words_weighs_in_when_weighted():
    # the model reads the article as discussing; one on-topic sentence calls the story a hoax
    hoax = StanceVerdict(DISCUSSES, 0.6, "on the topic", logits=(0.0, 0.5, 2.0, -1.0), refuting_word="hoax")
    neutral = lv(DISCUSSES, (0.0, 0.0, 2.0, -1.0))
    assert article_stance([hoax, neutral], POOLED).stance == DISCUSSES
    verdict = article_stance([hoax, neutral], ArticleRule(pooled=True, refutation_weight=3.0))
    assert verdict.stance == CONTRADICTS
    assert verdict.reason.endswith('one of them says "hoax"')
    # a sentence the detectors call contradicting counts as refutation in words too
    flagged = StanceVerdict(CONTRADICTS, 0.75, 'sentence negates the claim (negation "not")',
                            logits=(0.0, 0.5, 2.0, -1.0), detector="negation")
    assert article_stance([flagged, neutral], ArticleRule(pooled=True, refutation_weight=3.0)).stance == CONTRADICTS


def test_article_rule_pooled_reason_says_when_no_sentence_alone_agrees_with_the_article():
    # each sentence restates the claim (in someone's words), the article only reports it
    reported = StanceVerdict(CORROBORATES, 0.7, "sentence restates the claim", logits=(1.0, 0.0, 3.0, -1.0))
    verdict = article_stance([reported], POOLED)
    assert verdict.stance == DISCUSSES
    assert "although taken one by one, its sentences corroborate it" in verdict.reason
    assert verdict.reason.endswith("sentence restates the claim")
    denied = StanceVerdict(CONTRADICTS, 0.75, "figures conflict", logits=(0.0, 1.0, 3.0, -1.0), detector="figures")
    both = article_stance([reported, denied], POOLED)
    assert both.stance == DISCUSSES and "point both ways" in both.reason


def _learned(contradicts_weight: float) -> dict:
    """A learned rule whose only weight reads the pooled contradicts logit."""
    from models.stance.article_rule import ARTICLE_FEATURES

    n = len(ARTICLE_FEATURES)
    coef = [[0.0] * n, [0.0] * n, [0.0] * n]
    coef[1][ARTICLE_FEATURES.index("pooled_contradicts")] = contradicts_weight
    return {"features": list(ARTICLE_FEATURES), "mean": [0.0] * n, "scale": [1.0] * n, "coef": coef,
            "intercept": [0.0, 0.0, 0.5], "temperature": 1.0}


def test_article_rule_learned_features_read_every_sentence_on_topic():
    from models.stance.article_rule import ARTICLE_FEATURES, article_features

    related = [StanceVerdict(CORROBORATES, 0.8, "x", logits=(3.0, 0.0, 1.0, -1.0), similarity=0.7),
               StanceVerdict(CONTRADICTS, 0.7, "y", logits=(0.0, 2.0, 1.0, -1.0), similarity=0.5,
                             detector="negation", refuting_word="denied")]
    row = dict(zip(ARTICLE_FEATURES, article_features(related)))
    assert len(row) == len(ARTICLE_FEATURES)
    assert row["share_corroborates"] == row["share_contradicts"] == 0.5
    assert row["detectors_contradict"] == row["refuting_word"] == 1.0
    assert row["max_similarity"] == 0.7 and abs(row["mean_similarity"] - 0.6) < 1e-9
    assert row["pooled_contradicts"] > 2.0  # log-sum-exp of 0 and 2


def test_article_rule_learned_replaces_the_pooled_probabilities_and_keeps_the_reasons():
    refuting = StanceVerdict(CONTRADICTS, 0.75, "sentence negates the claim", logits=(0.0, 2.0, 1.0, -1.0),
                             detector="negation", similarity=0.6)
    neutral = lv(DISCUSSES, (0.0, 0.0, 2.0, -1.0))
    assert article_stance([refuting, neutral], ArticleRule(pooled=True, learned=_learned(0.0))).stance == DISCUSSES
    verdict = article_stance([refuting, neutral], ArticleRule(pooled=True, learned=_learned(2.0)))
    assert verdict.stance == CONTRADICTS and verdict.reason.endswith("sentence negates the claim")
    assert 0.5 < verdict.score < 1.0


def test_article_rule_learned_rule_comes_from_the_config():
    rule = ArticleRule.from_config({"article": {"pooled": True, "learned": _learned(1.0)}})
    assert rule.pooled and rule.learned == _learned(1.0)

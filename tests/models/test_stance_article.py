"""The article-level rule that aggregates sentence verdicts (benchmarks/stance.py, FNC-1)."""
from models.stance import CONTRADICTS, CORROBORATES, DISCUSSES, UNRELATED, StanceVerdict
from models.stance.article import ArticleRule, article_stance


def v(stance, score):
    return StanceVerdict(stance, score, stance)


RULE = ArticleRule(agree_from=0.6, disagree_from=0.7)


def test_stance_article_all_unrelated_is_unrelated():
    assert article_stance([v(UNRELATED, 0.9), v(UNRELATED, 0.8)], RULE).stance == UNRELATED


def test_stance_article_confident_contradiction_wins_over_weaker_support():
    verdict = article_stance([v(CORROBORATES, 0.65), v(CONTRADICTS, 0.8), v(DISCUSSES, 0.9)], RULE)
    assert verdict.stance == CONTRADICTS


def test_stance_article_weak_sentences_only_discuss():
    verdict = article_stance([v(CORROBORATES, 0.55), v(CONTRADICTS, 0.6), v(UNRELATED, 0.9)], RULE)
    assert verdict.stance == DISCUSSES


def test_stance_article_support_above_threshold_agrees():
    assert article_stance([v(CORROBORATES, 0.7), v(DISCUSSES, 0.9)], RULE).stance == CORROBORATES


def test_stance_article_score_is_recalibrated_per_stance():
    rule = ArticleRule(0.6, 0.7, platt={CORROBORATES: [1.0, -1.0]})
    verdict = article_stance([v(CORROBORATES, 0.7)], rule)
    assert 0.0 < verdict.score < 0.7


def test_stance_article_rule_is_chosen_for_the_judge_with_or_without_its_model():
    config = {"article": {"agree_from": 0.75, "disagree_from": 0.55},
              "article_without_model": {"agree_from": 0.3, "disagree_from": 0.3}}
    assert ArticleRule.from_config(config).agree_from == 0.75
    assert ArticleRule.from_config(config, with_model=False).agree_from == 0.3
    verdicts = [v(CORROBORATES, 0.7)]
    assert article_stance(verdicts, ArticleRule.from_config(config)).stance == DISCUSSES
    assert article_stance(verdicts, ArticleRule.from_config(config, with_model=False)).stance == CORROBORATES

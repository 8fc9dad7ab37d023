"""POST /v1/check over the two sample articles, on each backend."""
from __future__ import annotations

import json
import shutil

import pytest

from core.checker import Filters
from models.stance import UNRELATED
from models.stance.article_rule import SENTENCES_PER_ARTICLE

from .contract import assert_conforms


def _check(client, **body):
    response = client.post("/v1/check", json=body)
    assert response.status_code == 200, response.get_json()
    assert_conforms(response, "/v1/check", "post")
    return response.get_json()


def _source_article(result, ingested):
    return next(name for name, a in ingested.items() if a["id"] == result["source"]["article_id"])


def test_check_border_claim_is_corroborated_by_both_articles(client, ingested):
    body = _check(client, claim="Azerbaijan has taken full control of its border with Iran")
    corroborating = [r for r in body["results"] if r["stance"] == "corroborates"]
    articles = {_source_article(r, ingested) for r in corroborating}
    assert articles == {"karabakh-death-toll", "azerbaijan-iran-border"}
    aliyev = [r for r in corroborating if r["sentence"]["text"].startswith("Aliyev said earlier Thursday")]
    assert aliyev and aliyev[0]["speaker"]["name"] == "Ilham Aliyev"
    for result in corroborating:
        assert result["source"]["url"].startswith("https://example.test/")
        assert result["speaker"]["name"]
        assert result["reason"]
    assert body["summary"]["corroborates"] == len(corroborating)


def test_check_death_toll_claim_finds_putin_corroborating_and_the_official_toll_contradicting(client, ingested):
    body = _check(client, claim="Nearly 5,000 people have been killed in the Nagorno-Karabakh fighting")
    by_text = {r["sentence"]["text"]: r for r in body["results"]}
    putin = next(r for t, r in by_text.items() if t.startswith("Russian President Vladimir Putin said on Thursday that almost 5,000"))
    assert putin["stance"] == "corroborates"
    assert putin["speaker"]["name"] == "Vladimir Putin"
    official = next(r for t, r in by_text.items() if "officially confirmed death toll remains below one thousand" in t)
    assert official["stance"] == "contradicts"
    assert "5,000" in official["reason"] or "5000" in official["reason"]
    assert "1,000" in official["reason"] or "one thousand" in official["reason"] or "1000" in official["reason"]
    assert official["speaker"]["kind"] == "publisher"
    assert official["context"]["before"] and official["context"]["after"]


def test_check_sources_give_each_result_article_one_stance_in_order_of_appearance(client, ingested):
    body = _check(client, claim="Azerbaijan has taken full control of its border with Iran", limit=3)
    first_seen = list(dict.fromkeys(r["source"]["article_id"] for r in body["results"]))
    assert [s["source"]["article_id"] for s in body["sources"]] == first_seen
    for source in body["sources"]:
        shown = [r for r in body["results"] if r["source"]["article_id"] == source["source"]["article_id"]]
        assert source["sentences"] >= len(shown)  # weighs its on-topic sentences beyond the limit too
        assert source["reason"]
    # both sample articles report the takeover (in Aliyev's words): neither denies it
    assert len(body["sources"]) >= 1
    assert "contradicts" not in {s["stance"] for s in body["sources"]}


def test_check_sources_of_a_denying_article_contradict(own_client):
    own_client.post("/v1/articles", json={
        "text": "The harbour authority said the new ferry terminal in Porto Alegre has not opened yet. "
                "Officials denied reports that the terminal had opened to passengers.",
        "url": "https://example.test/ferry-terminal-denial", "outlet": "Harbour News"})
    body = _check(own_client, claim="The new ferry terminal in Porto Alegre has opened")
    denial = [s for s in body["sources"] if s["source"]["url"] == "https://example.test/ferry-terminal-denial"]
    assert denial and denial[0]["stance"] == "contradicts"


def test_check_unrelated_claim_has_no_sources(client, ingested):
    body = _check(client, claim="The recipe calls for two cups of flour and a pinch of salt")
    assert body["sources"] == []


@pytest.mark.parametrize("limit", [2, 2.0])  # JSON Schema's integer: 2.0 is 2
def test_check_results_come_most_similar_first_and_respect_limit(client, ingested, limit):
    body = _check(client, claim="Nearly 5,000 people have been killed in the Nagorno-Karabakh fighting", limit=limit)
    assert len(body["results"]) <= 2
    similarities = [r["similarity"] for r in body["results"]]
    assert similarities == sorted(similarities, reverse=True)


def test_check_unrelated_claim_returns_nothing(client, ingested):
    body = _check(client, claim="The recipe calls for two cups of flour and a pinch of salt")
    assert body["results"] == []
    assert body["summary"] == {"corroborates": 0, "contradicts": 0, "discusses": 0}


def test_check_negation_contradicts(own_client):
    own_client.post(
        "/v1/articles",
        json={
            "text": "The harbour authority said the new ferry terminal in Porto Alegre has not opened yet.",
            "url": "https://example.test/ferry-terminal",
            "outlet": "Harbour News",
        },
    )
    body = _check(own_client, claim="The new ferry terminal in Porto Alegre has opened")
    terminal = [r for r in body["results"] if "ferry terminal" in r["sentence"]["text"]]
    assert terminal and terminal[0]["stance"] == "contradicts"
    assert "not" in terminal[0]["reason"]


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"outlets": ["Nowhere Gazette"]}, 0),
        ({"since": "2030-01-01T00:00:00Z"}, 0),
        ({"since": "2020-10-23T00:00:00Z", "until": "2020-10-22T00:00:00Z"}, 0),  # ends before it starts
    ],
)
def test_check_filters_exclude_other_sources(client, ingested, filters, expected):
    body = _check(client, claim="Azerbaijan has taken full control of its border with Iran", **filters)
    assert len(body["results"]) == expected


def test_check_outlet_and_date_filters_keep_matching_sources(own_client):
    own_client.post(
        "/v1/articles",
        json={
            "text": "The Lisbon city council voted to ban cars from the old town from 2027.",
            "url": "https://example.test/lisbon-cars",
            "outlet": "Tagus Daily",
            "published_at": "2024-05-02T09:00:00Z",
        },
    )
    claim = "Lisbon will ban cars from its old town"
    kept = _check(own_client, claim=claim, outlets=["Tagus Daily"], since="2024-05-01T00:00:00Z", until="2024-05-03T00:00:00Z")
    assert [r["source"]["outlet"] for r in kept["results"]] == ["Tagus Daily"]
    assert kept["results"][0]["source"]["published_at"] == "2024-05-02T09:00:00Z"
    assert _check(own_client, claim=claim, until="2024-05-01T00:00:00Z")["results"] == []


def test_check_context_skips_teasers_of_other_stories(client, ingested):
    body = _check(client, claim="Nearly 5,000 people have been killed in the Nagorno-Karabakh fighting")
    putin = next(r for r in body["results"] if r["sentence"]["text"].startswith("Russian President Vladimir Putin said"))
    assert putin["context"]["before"] is None  # only a crawled teaser stands before it
    assert putin["context"]["after"].startswith("“According to our data")


def test_check_runs_the_stance_artifact_that_settings_name(tmp_path, reader, stance_judge):
    """SAYSO_STANCE_DIR: the service judges with that artifact (a retrained candidate) and
    says so in the versions it reports; without it, the bundled one."""
    from core import FactChecker
    from core.settings import Settings
    from models.stance.judge import DEFAULT_MODEL_DIR

    candidate = tmp_path / "candidate"
    shutil.copytree(DEFAULT_MODEL_DIR, candidate)
    config = json.loads((candidate / "config.json").read_text())
    (candidate / "config.json").write_text(json.dumps({**config, "corroborates_from": 0.99}))
    settings = Settings(data_dir=tmp_path / "data", stance_dir=candidate)
    checker = FactChecker.open(settings, reader=reader)
    try:
        assert checker.judge.model is not None and checker.judge.config["corroborates_from"] == 0.99
        assert checker.versions().stance != stance_judge.version
        assert checker.versions().stance.endswith(checker.judge.artifact)
    finally:
        checker.close()


def test_check_without_the_stance_model_keeps_the_sample_verdicts(tmp_path, samples, reader):
    """SAYSO_STANCE_MODEL=0: the detectors and the similarity rule alone."""
    from core import FactChecker
    from core.settings import Settings
    from service import create_app

    settings = Settings(data_dir=tmp_path, stance_model=False)
    app = create_app(settings, checker=FactChecker.open(settings, reader=reader))
    try:
        client = app.test_client()
        for text in samples.values():
            assert client.post("/v1/articles", json={"text": text}).status_code == 201
        assert "cross-encoder" not in client.get("/v1/stats").get_json()["models"]["stance"]
        assert Settings.from_env({"SAYSO_STANCE_MODEL": "0"}).stance_model is False
        assert Settings.from_env({}).stance_model is True
        body = _check(client, claim="Nearly 5,000 people have been killed in the Nagorno-Karabakh fighting")
        stances = {r["sentence"]["text"][:40]: r["stance"] for r in body["results"]}
        assert stances["Russian President Vladimir Putin said on"] == "corroborates"
        assert stances["Fighting broke out between the Armenian "] == "contradicts"
    finally:
        app.extensions["sayso_jobs"].stop()  # the batch job runner
        app.extensions["sayso"].close()


@pytest.mark.parametrize("claim", [
    "Nearly 5,000 people have been killed in the Nagorno-Karabakh fighting",
    "Azerbaijan has taken full control of its border with Iran",
])
@pytest.mark.parametrize("limit", [1, 3])
def test_check_judges_only_what_the_answer_shows_or_weighs(app, ingested, claim, limit):
    # The answer is the one judging every candidate gives: its `limit` most similar
    # findings, and for each of their articles the stance of its (at most) 10 most
    # similar sentences on the claim's topic, as the article rule was measured.
    checker = app.extensions["sayso"]
    query = checker.encoder.encode([claim])[0]
    candidates = checker._nearest(query, limit, Filters(), None)
    assert len(checker._weighed(candidates, limit)) < len(candidates)  # something was left unjudged
    verdicts = checker.judge.judge(claim, [c.sentence.text for c, _ in candidates], [s for _, s in candidates])
    judged = sorted(((c, s, v) for (c, s), v in zip(candidates, verdicts) if v.stance != UNRELATED),
                    key=lambda found: found[1], reverse=True)
    shown = judged[:limit]
    articles = list(dict.fromkeys(c.article.id for c, _, _ in shown))
    expected_sources = []
    for article in articles:
        pooled = [v for c, _, v in judged if c.article.id == article][:SENTENCES_PER_ARTICLE]
        expected_sources.append((article, checker.judge.article(pooled).stance, len(pooled)))

    answer = checker.check(claim, limit=limit)
    assert [(f.candidate.sentence.id, f.verdict.stance) for f in answer.findings] == \
        [(c.sentence.id, v.stance) for c, _, v in shown]
    assert [(s.article.id, s.verdict.stance, s.sentences) for s in answer.sources] == expected_sources


def test_check_weighs_an_article_by_its_ten_most_similar_sentences(own_client):
    places = ["Astara", "Jolfa", "Horadiz", "Zangilan", "Jabrayil", "Fuzuli", "Ordubad", "Culfa",
              "Aghband", "Mincivan", "Bartaz", "Kurdhaji", "Soltanli", "Mahmudlu"]
    text = "\n".join(f"Azerbaijani troops took control of the border crossing at {place} on the frontier with Iran, "
                     f"the defence ministry said." for place in places)
    response = own_client.post("/v1/articles", json={"text": text, "url": "https://example.test/border-crossings"})
    assert response.status_code == 201
    checker = own_client.application.extensions["sayso"]
    claim = "Azerbaijan has taken control of its border with Iran"
    candidates = checker._nearest(checker.encoder.encode([claim])[0], 1, Filters(), None)
    assert sum(checker.judge.on_topic(s) for _, s in candidates) > SENTENCES_PER_ARTICLE
    assert len(checker._weighed(candidates, 1)) == SENTENCES_PER_ARTICLE
    body = own_client.post("/v1/check", json={"claim": claim, "limit": 1}).get_json()
    assert [source["sentences"] for source in body["sources"]] == [SENTENCES_PER_ARTICLE]

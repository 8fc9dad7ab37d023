"""POST /v1/check/draft over the two sample articles, on each backend."""
from __future__ import annotations

import pytest

from models.encoder import EMBEDDING_MODEL

from .contract import assert_conforms

DEATH_TOLL = "Nearly 5,000 people have been killed in the Nagorno-Karabakh fighting."
BORDER = "Azerbaijan has taken full control of its border with Iran."


def _draft(client, **body):
    response = client.post("/v1/check/draft", json=body)
    assert response.status_code == 200, response.get_json()
    assert_conforms(response, "/v1/check/draft", "post")
    return response.get_json()


def _check(client, claim, limit):
    response = client.post("/v1/check", json={"claim": claim, "limit": limit})
    assert response.status_code == 200
    return response.get_json()


def test_draft_blocks_come_back_with_their_ids_offsets_and_verdicts(client, ingested):
    blocks = [
        {"id": "intro", "text": "The war over the region goes on. " + DEATH_TOLL},
        {"id": "empty", "text": ""},
        {"id": "border", "text": BORDER + " What happens next?"},
    ]
    body = _draft(client, blocks=blocks, limit=5)
    texts = {b["id"]: b["text"] for b in blocks}
    for sentence in body["sentences"]:
        assert sentence["block"] in ("intro", "border")
    for claim in body["claims"]:
        assert texts[claim["block"]][claim["start"]:claim["end"]] == claim["text"]
        assert body["sentences"][claim["index"]]["is_claim"] is True
    questions = [s for s in body["sentences"] if texts[s["block"]][s["start"]:s["end"]].endswith("?")]
    assert questions and not any(s["is_claim"] for s in questions)
    toll = next(c for c in body["claims"] if c["text"] == DEATH_TOLL)
    assert toll["block"] == "intro"
    assert toll["verdict"] == "contradicted"
    official = next(r for r in toll["results"] if "below one thousand" in r["sentence"]["text"])
    assert official["stance"] == "contradicts" and official["reason"]
    putin = next(r for r in toll["results"] if r["sentence"]["text"].startswith("Russian President Vladimir Putin"))
    assert putin["stance"] == "corroborates" and putin["speaker"]["name"] == "Vladimir Putin"
    border = next(c for c in body["claims"] if c["text"] == BORDER)
    assert border["verdict"] == "corroborated"
    assert body["summary"]["claims"] == len(body["claims"])
    assert sum(body["summary"][v] for v in ("contradicted", "corroborated", "discussed", "nothing_found")) == len(body["claims"])
    assert body["versions"]["embedding"] == EMBEDDING_MODEL
    assert body["versions"]["stance"] and body["versions"]["index_seq"] >= 2


def test_draft_claim_answers_as_the_single_check_does(client, ingested):
    body = _draft(client, text=DEATH_TOLL + "\n" + BORDER, limit=4)
    for claim in body["claims"]:
        single = _check(client, claim["text"], 4)
        assert claim["results"] == single["results"]
        assert claim["sources"] == single["sources"]
        assert claim["summary"] == single["summary"]
        assert claim["block"] is None


def test_draft_names_who_says_each_claim(client, ingested):
    text = 'Azerbaijan\'s president said on Thursday that his army controls the whole border with Iran.'
    body = _draft(client, text="Ilham Aliyev has been the president of Azerbaijan since 2003.\n" + text)
    said = next(c for c in body["claims"] if c["text"] == text)
    assert said["speaker"]["kind"] in ("person", "government")
    assert said["speaker"]["cue"] == "said"
    own = next(c for c in body["claims"] if c["text"].startswith("Ilham Aliyev has been"))
    assert own["speaker"]["kind"] == "publisher"


def test_draft_speaker_mentions_point_into_their_block(client, ingested):
    blocks = [{"id": "a", "text": "The talks resumed in Geneva on Monday after a week of delays."},
              {"id": "b", "text": "The foreign minister said that 3,000 soldiers would leave the region by March."}]
    body = _draft(client, blocks=blocks)
    texts = {b["id"]: b["text"] for b in blocks}
    said = next(c for c in body["claims"] if c["block"] == "b")
    mention = said["speaker"]["mention"]
    assert mention and texts["b"][mention["start"]:mention["end"]] == mention["text"]


def test_draft_exclude_keeps_the_published_copy_from_citing_itself(client, ingested):
    body = _draft(client, text=DEATH_TOLL, exclude={"url": "https://example.test/karabakh-death-toll"})
    cited = {r["source"]["url"] for c in body["claims"] for r in c["results"]}
    assert cited and "https://example.test/karabakh-death-toll" not in cited


def test_draft_sentences_carry_their_check_worthiness_and_only_worthy_ones_are_claims(client, ingested):
    body = _draft(client, text="What a week it has been!\nThe foreign minister said that 3,000 soldiers would leave the region by March.")
    scores = [s["check_worthiness"] for s in body["sentences"]]
    assert scores[0] < scores[1] and all(0 <= x <= 1 for x in scores)
    assert [s["is_claim"] for s in body["sentences"]] == [False, True]
    assert body["claims"][0]["check_worthiness"] == scores[1]


def test_draft_of_blank_blocks_has_no_sentences(client):
    body = _draft(client, blocks=[{"id": "a", "text": ""}, {"id": "b", "text": "  "}])
    assert body["claims"] == [] and body["sentences"] == []


def test_draft_with_no_claims_answers_with_its_sentences_only(client):
    body = _draft(client, text="Hello there!\nWhat now?")
    assert body["claims"] == [] and body["summary"]["claims"] == 0
    assert [s["is_claim"] for s in body["sentences"]] == [False, False]


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "A claim here.", "blocks": [{"id": "a", "text": "A claim."}]}, "text"),
        ({"blocks": []}, "blocks"),
        ({"blocks": [{"id": "a", "text": "One."}, {"id": "a", "text": "Two."}]}, "blocks"),
        ({"blocks": [{"id": str(i), "text": "x"} for i in range(201)]}, "blocks"),
        ({"blocks": [{"id": "a"}]}, "blocks"),
        ({"text": "A claim.", "limit": 21}, "limit"),
        ({"text": "A claim.", "exclude": {"colour": "red"}}, "exclude"),
        ({"text": "Nul \u0000 here."}, "text"),
    ],
)
def test_draft_bad_input_is_422_naming_the_field(bare_client, body, field):
    response = bare_client.post("/v1/check/draft", json=body)
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert_conforms(response, "/v1/check/draft", "post")
    assert field in response.get_json()["errors"]


def test_draft_blocks_over_the_text_limit_in_all_are_422(bare_client, bare_app):
    limit = bare_app.config["SAYSO"].max_text_chars
    half = "A sentence of the draft. " * (limit // 50 + 1)
    response = bare_client.post("/v1/check/draft", json={"blocks": [{"id": "a", "text": half}, {"id": "b", "text": half}]})
    assert response.status_code == 422
    assert "blocks" in response.get_json()["errors"]

"""POST/GET/DELETE/list /v1/articles on each backend, checked against openapi.yaml."""
from __future__ import annotations

import uuid

from .contract import assert_conforms


def _post(client, **body):
    response = client.post("/v1/articles", json=body)
    assert_conforms(response, "/v1/articles", "post")
    return response


def test_articles_samples_are_stored_with_offsets_into_the_submitted_text(client, ingested, samples):
    for name, article in ingested.items():
        text = samples[name]
        assert article["sentences"]
        for sentence in article["sentences"]:
            assert text[sentence["start"]:sentence["end"]] == sentence["text"]
            mention = (sentence["speaker"] or {}).get("mention")
            if mention:
                assert text[mention["start"]:mention["end"]] == mention["text"]


def test_articles_boilerplate_and_duplicated_lines_are_gone(ingested):
    texts = [s["text"] for a in ingested.values() for s in a["sentences"]]
    assert not any(t.startswith(("Read more", "Follow us")) for t in texts)
    assert not any("stay connected" in t for t in texts)
    truce = [t for t in texts if t.startswith("The delicate truce held")]
    assert len(truce) == 1, "the repeated teaser is kept once at most"


def test_articles_teasers_are_not_claims_and_have_no_speaker(ingested):
    karabakh = ingested["karabakh-death-toll"]["sentences"]
    teasers = [s for s in karabakh if s["text"].startswith(("The delicate truce", "Pakistan have never", "AI-powered"))]
    assert len(teasers) == 3
    assert all(not s["is_claim"] and s["speaker"] is None for s in teasers)


def test_articles_headline_becomes_the_title_and_is_not_a_claim(ingested):
    border = ingested["azerbaijan-iran-border"]
    assert border["title"].startswith("Azerbaijan claims 'full control'")
    assert not border["sentences"][0]["is_claim"]


def test_articles_sentences_carry_their_check_worthiness(ingested):
    from models.checkworthiness import load_checkworthiness

    threshold = load_checkworthiness().threshold  # SAYSO_CLAIM_THRESHOLD's default
    sentences = [s for a in ingested.values() for s in a["sentences"]]
    assert all(0.0 <= s["check_worthiness"] <= 1.0 for s in sentences)
    assert all(s["is_claim"] == (s["check_worthiness"] >= threshold) for s in sentences)
    putin = next(s for s in sentences if s["text"].startswith("Russian President Vladimir Putin said"))
    assert putin["is_claim"] and putin["check_worthiness"] >= 0.8


def test_articles_same_url_returns_the_existing_article(client, ingested, samples):
    again = _post(client, text=samples["karabakh-death-toll"], url="https://example.test/karabakh-death-toll")
    assert again.status_code == 200
    assert again.get_json()["id"] == ingested["karabakh-death-toll"]["id"]


def test_articles_same_external_id_or_same_text_returns_the_existing_article(own_client):
    text = f"The council approved a budget of 12 million euros on Monday. Ref {uuid.uuid4().hex}."
    first = _post(own_client, text=text, external_id="cms-" + uuid.uuid4().hex)
    assert first.status_code == 201
    by_id = _post(own_client, text=text + " Updated.", external_id=first.get_json()["external_id"])
    assert by_id.status_code == 200 and by_id.get_json()["id"] == first.get_json()["id"]

    plain = f"The mayor said the bridge will reopen in March. Ref {uuid.uuid4().hex}."
    created = _post(own_client, text=plain)
    repeated = _post(own_client, text=plain)
    assert (created.status_code, repeated.status_code) == (201, 200)
    assert repeated.get_json()["id"] == created.get_json()["id"]


def test_articles_blank_external_id_is_no_id(own_client):
    first = _post(own_client, text=f"The port reopened on Tuesday. Ref {uuid.uuid4().hex}.", external_id="")
    second = _post(own_client, text=f"The airport closed on Friday. Ref {uuid.uuid4().hex}.", external_id="  ")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.get_json()["external_id"] is None and second.get_json()["external_id"] is None
    assert first.get_json()["id"] != second.get_json()["id"]


def test_articles_metadata_round_trips(own_client):
    response = _post(
        own_client,
        text="Officials said the dam holds 40 million cubic metres of water.",
        title="Dam report",
        url=f"https://example.test/dam-{uuid.uuid4().hex}",
        outlet="Example Times",
        author="A. Writer",
        published_at="2020-10-22T15:00:00+02:00",
        external_id="dam-" + uuid.uuid4().hex,
    )
    assert response.status_code == 201
    article = response.get_json()
    assert response.headers["Location"].endswith(f"/v1/articles/{article['id']}")
    assert article["published_at"] == "2020-10-22T13:00:00Z"
    assert (article["title"], article["outlet"], article["author"]) == ("Dam report", "Example Times", "A. Writer")
    fetched = own_client.get(f"/v1/articles/{article['id']}")
    assert_conforms(fetched, "/v1/articles/{article_id}", "get")
    assert fetched.get_json() == article


def test_articles_narration_is_attributed_to_the_outlet(own_client):
    response = _post(
        own_client,
        text="The river burst its banks on Tuesday, flooding hundreds of homes.",
        outlet="Valley Herald",
        url=f"https://example.test/flood-{uuid.uuid4().hex}",
    )
    speaker = response.get_json()["sentences"][0]["speaker"]
    assert speaker["name"] == "Valley Herald" and speaker["kind"] == "publisher"


def test_articles_list_pages_newest_first_and_filters_by_outlet(own_client):
    outlet = "Pager " + uuid.uuid4().hex[:8]
    ids = [
        _post(own_client, text=f"Story {i}: the committee met for {i + 2} hours on Friday.", outlet=outlet).get_json()["id"]
        for i in range(5)
    ]
    seen, cursor = [], None
    while True:
        params = {"outlet": outlet, "limit": 2} | ({"cursor": cursor} if cursor else {})
        page = own_client.get("/v1/articles", query_string=params)
        assert_conforms(page, "/v1/articles", "get")
        body = page.get_json()
        assert len(body["items"]) <= 2
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(ids, reverse=True)


def test_articles_delete_removes_the_article_from_checks_at_once(own_client):
    text = "The volcano on Isla Verde erupted 14 times in 2019, according to the geological survey."
    article = _post(own_client, text=text, url=f"https://example.test/volcano-{uuid.uuid4().hex}").get_json()
    claim = {"claim": "The Isla Verde volcano erupted 14 times in 2019"}
    before = own_client.post("/v1/check", json=claim).get_json()
    assert article["id"] in [r["source"]["article_id"] for r in before["results"]]

    deleted = own_client.delete(f"/v1/articles/{article['id']}")
    assert deleted.status_code == 204
    assert_conforms(deleted, "/v1/articles/{article_id}", "delete")
    after = own_client.post("/v1/check", json=claim).get_json()
    assert article["id"] not in [r["source"]["article_id"] for r in after["results"]]
    missing = own_client.get(f"/v1/articles/{article['id']}")
    assert missing.status_code == 404
    assert_conforms(missing, "/v1/articles/{article_id}", "get")
    again = own_client.delete(f"/v1/articles/{article['id']}")
    assert again.status_code == 404

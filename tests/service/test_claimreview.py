"""POST /v1/claimreview: schema.org ClaimReview JSON-LD, checked against Google's
documented fact-check structured data (developers.google.com/search/docs/appearance/
structured-data/factcheck): required claimReviewed, reviewRating (a Rating with
alternateName) and url; recommended author, datePublished and itemReviewed, a Claim
with author, appearance and firstAppearance."""
from __future__ import annotations

import json

import pytest

from .contract import assert_conforms

CLAIM = "Nearly 5,000 people have been killed in the Nagorno-Karabakh fighting"
GOOGLE_REQUIRED = {"claimReviewed", "reviewRating", "url"}
GOOGLE_RECOMMENDED = {"author", "datePublished", "itemReviewed"}
RATING_REQUIRED = {"alternateName"}
CLAIM_RECOMMENDED = {"author", "appearance"}


def _review(client, **body):
    response = client.post("/v1/claimreview", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/ld+json"
    assert_conforms(response, "/v1/claimreview", "post")
    return json.loads(response.get_data(as_text=True))


def test_claimreview_has_googles_required_and_recommended_properties(client, ingested):
    markup = _review(client, claim=CLAIM, alternateName="Unproven", rating={"value": 3, "best": 5, "worst": 1},
                     url="https://news.example/fact-check/karabakh", author={"name": "News Example"},
                     datePublished="2020-10-23")
    assert markup["@context"] == "https://schema.org" and markup["@type"] == "ClaimReview"
    assert GOOGLE_REQUIRED <= set(markup) and GOOGLE_RECOMMENDED <= set(markup)
    assert markup["claimReviewed"] == CLAIM
    rating = markup["reviewRating"]
    assert rating["@type"] == "Rating" and RATING_REQUIRED <= set(rating)
    assert (rating["alternateName"], rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == ("Unproven", 3, 5, 1)
    assert markup["author"] == {"@type": "Organization", "name": "News Example"}
    assert markup["datePublished"] == "2020-10-23"
    claim = markup["itemReviewed"]
    assert claim["@type"] == "Claim" and CLAIM_RECOMMENDED <= set(claim)


def test_claimreview_claim_is_filled_from_the_archive_and_never_rated_by_sayso(client, ingested):
    markup = _review(client, claim=CLAIM, alternateName="Needs context")
    claim = markup["itemReviewed"]
    # Putin's sentence is the closest corroborating one: he made the claim
    assert claim["author"] == {"@type": "Person", "name": "Vladimir Putin", "jobTitle": "Russian President"}
    urls = {work["url"] for work in claim["appearance"]}
    assert "https://example.test/karabakh-death-toll" in urls
    assert markup["reviewRating"] == {"@type": "Rating", "alternateName": "Needs context"}
    assert "url" not in markup  # not invented: the editor gives it


def test_claimreview_of_a_claim_the_archive_lacks_has_a_bare_claim(client, ingested):
    markup = _review(client, claim="The recipe calls for two cups of flour and a pinch of salt", alternateName="True")
    assert markup["itemReviewed"] == {"@type": "Claim"}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"alternateName": "False"}, "claim"),
        ({"claim": CLAIM}, "alternateName"),
        ({"claim": CLAIM, "alternateName": " "}, "alternateName"),
        ({"claim": CLAIM, "alternateName": "False", "rating": {"value": 9, "best": 5}}, "rating"),
        ({"claim": CLAIM, "alternateName": "False", "url": "not a url"}, "url"),
        ({"claim": CLAIM, "alternateName": "False", "datePublished": "yesterday"}, "datePublished"),
        ({"claim": CLAIM, "alternateName": "False", "author": {}}, "author"),
    ],
)
def test_claimreview_bad_input_is_422_naming_the_field(bare_client, body, field):
    response = bare_client.post("/v1/claimreview", json=body)
    assert response.status_code == 422
    assert_conforms(response, "/v1/claimreview", "post")
    assert field in response.get_json()["errors"]

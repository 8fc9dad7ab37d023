"""schema.org ClaimReview markup (JSON-LD) for a claim an editor has reviewed.

Sayso never invents a verdict: the rating is the editor's. What Sayso adds is the
reviewed claim itself (``itemReviewed``, a ``Claim``) from its archive: who made it
(the speaker of the closest sentence that corroborates it), where it appeared (the
articles with such sentences) and where first. Properties follow Google's documented
ClaimReview structured data: required ``claimReviewed``, ``reviewRating``
(``alternateName``) and ``url``; recommended ``author``, ``datePublished`` and
``itemReviewed`` (with ``author``, ``appearance``, ``firstAppearance``).
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Optional

from index.tables import Article
from models.article import GOVERNMENT, ORGANIZATION, PERSON, PUBLISHER
from models.stance import CORROBORATES

from .outcomes import CheckOutcome

SCHEMA_ORG = "https://schema.org"
_TYPE_OF_SPEAKER = {PERSON: "Person", ORGANIZATION: "Organization", GOVERNMENT: "Organization", PUBLISHER: "Organization"}


def claim_review(review: dict[str, Any], outcome: CheckOutcome) -> dict[str, Any]:
    """The JSON-LD object for the editor's ``review`` (the fields of POST /v1/claimreview)
    of the claim that ``outcome`` checked."""
    markup: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "ClaimReview",
        "claimReviewed": review["claim"],
        "reviewRating": _rating(review),
        "itemReviewed": _claim(outcome),
    }
    if review.get("url"):
        markup["url"] = review["url"]
    if review.get("author"):
        markup["author"] = _organization(review["author"]["name"], review["author"].get("url"))
    if review.get("datePublished"):
        markup["datePublished"] = review["datePublished"].isoformat()
    return markup


def _rating(review: dict[str, Any]) -> dict[str, Any]:
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": review["alternateName"]}
    given = review.get("rating")
    if given:
        rating["ratingValue"] = _number(given["value"])
        if given.get("best") is not None:
            rating["bestRating"] = _number(given["best"])
        if given.get("worst") is not None:
            rating["worstRating"] = _number(given["worst"])
    return rating


def _claim(outcome: CheckOutcome) -> dict[str, Any]:
    """The reviewed Claim, from the corroborating sentences of the archive, closest first."""
    claim: dict[str, Any] = {"@type": "Claim"}
    corroborating = [f for f in outcome.findings if f.verdict.stance == CORROBORATES]
    if not corroborating:
        return claim
    closest = max(corroborating, key=lambda f: f.similarity)
    author = _speaker(closest.candidate.sentence.speaker, closest.candidate.article)
    if author:
        claim["author"] = author
    articles = list({f.candidate.article.id: f.candidate.article for f in corroborating}.values())
    claim["appearance"] = [_creative_work(a) for a in articles]
    dated = [a for a in articles if a.published_at is not None]
    if dated:
        first = min(dated, key=lambda a: _utc(a.published_at))
        claim["firstAppearance"] = _creative_work(first)
        claim["datePublished"] = _utc(first.published_at).date().isoformat()
    return claim


def _speaker(speaker: Optional[dict[str, Any]], article: Article) -> Optional[dict[str, Any]]:
    if not speaker:  # the article's own voice
        return _organization(article.outlet) if article.outlet else None
    kind = _TYPE_OF_SPEAKER.get(speaker.get("kind"))
    if kind is None or (speaker.get("kind") == PUBLISHER and not article.outlet):
        return None
    name = article.outlet if speaker.get("kind") == PUBLISHER else speaker["name"]
    author: dict[str, Any] = {"@type": kind, "name": name}
    if kind == "Person" and speaker.get("role"):
        author["jobTitle"] = speaker["role"]
    return author


def _creative_work(article: Article) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if article.url:
        work["url"] = article.url
    if article.title:
        work["headline"] = article.title
    if article.published_at is not None:
        work["datePublished"] = _utc(article.published_at).isoformat().replace("+00:00", "Z")
    if article.outlet:
        work["publisher"] = _organization(article.outlet)
    return work


def _organization(name: str, url: Optional[str] = None) -> dict[str, Any]:
    organization = {"@type": "Organization", "name": name}
    if url:
        organization["url"] = url
    return organization


def _number(value: float):
    return int(value) if float(value).is_integer() else value


def _utc(value: datetime | date):
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value

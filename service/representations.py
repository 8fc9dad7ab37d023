"""The JSON shapes of the API (see openapi.yaml): Article, Sentence, Speaker, check results."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

from index.schema import Article, SentenceRow
from models.article import Speaker

from .factcheck import CheckOutcome, Finding, SourceStance


def timestamp(value: Optional[datetime]) -> Optional[str]:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite hands back UTC without its zone
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def sentence_json(row: SentenceRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "text": row.text,
        "start": row.start,
        "end": row.end,
        "is_claim": row.is_claim,
        "check_worthiness": row.check_worthiness,
        "speaker": row.speaker,
    }


def article_summary_json(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "outlet": article.outlet,
        "author": article.author,
        "published_at": timestamp(article.published_at),
        "external_id": article.external_id,
    }


def article_json(article: Article) -> dict[str, Any]:
    return {**article_summary_json(article), "sentences": [sentence_json(s) for s in article.sentences]}


def source_json(article: Article) -> dict[str, Any]:
    return {
        "article_id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "url": article.url,
        "published_at": timestamp(article.published_at),
        "author": article.author,
    }


def finding_json(finding: Finding) -> dict[str, Any]:
    row, article = finding.candidate.sentence, finding.candidate.article
    return {
        "sentence": sentence_json(row),
        "stance": finding.verdict.stance,
        "stance_score": round(float(finding.verdict.score), 4),
        "similarity": round(float(finding.similarity), 4),
        "reason": finding.verdict.reason,
        "speaker": row.speaker or Speaker.publisher(article.outlet).to_dict(),
        "source": source_json(article),
        "context": {"before": finding.before, "after": finding.after},
    }


def source_stance_json(source: SourceStance) -> dict[str, Any]:
    return {
        "source": source_json(source.article),
        "stance": source.verdict.stance,
        "stance_score": round(float(source.verdict.score), 4),
        "reason": source.verdict.reason,
        "sentences": source.sentences,
    }


def check_json(outcome: CheckOutcome) -> dict[str, Any]:
    summary = {"corroborates": 0, "contradicts": 0, "discusses": 0}
    for finding in outcome.findings:
        summary[finding.verdict.stance] += 1
    return {
        "claim": outcome.claim,
        "summary": summary,
        "results": [finding_json(f) for f in outcome.findings],
        "sources": [source_stance_json(s) for s in outcome.sources],
    }

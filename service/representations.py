"""The JSON shapes of the API (see openapi.yaml): Article, Sentence, Speaker, check results."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from index.tables import Article, FeedbackRow, SentenceRow
from index.store import utc
from models.article import Speaker

from core.checker import draft_speaker
from core.outcomes import CheckOutcome, DraftOutcome, DraftSentence, Finding, SourceStance, Versions


def timestamp(value: Optional[datetime]) -> Optional[str]:
    if value is None:
        return None
    return utc(value).isoformat().replace("+00:00", "Z")


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
    return {
        "claim": outcome.claim,
        "summary": outcome.summary(),
        "results": [finding_json(f) for f in outcome.findings],
        "sources": [source_stance_json(s) for s in outcome.sources],
    }


def draft_claim_json(claim: DraftSentence) -> dict[str, Any]:
    return {
        "index": claim.index,
        "block": claim.block,
        "text": claim.sentence.text,
        "start": claim.start,
        "end": claim.end,
        "check_worthiness": claim.sentence.check_worthiness,
        "speaker": draft_speaker(claim.sentence).to_dict(),
        "verdict": claim.outcome.verdict,
        "summary": claim.outcome.summary(),
        "results": [finding_json(f) for f in claim.outcome.findings],
        "sources": [source_stance_json(s) for s in claim.outcome.sources],
    }


def versions_json(versions: Versions) -> dict[str, Any]:
    return {"embedding": versions.embedding, "stance": versions.stance, "index_seq": versions.index_seq}


def draft_json(outcome: DraftOutcome) -> dict[str, Any]:
    claims = outcome.claims
    summary = {"claims": len(claims), "contradicted": 0, "corroborated": 0, "discussed": 0, "nothing_found": 0}
    for claim in claims:
        summary[claim.outcome.verdict] += 1
    return {
        "claims": [draft_claim_json(c) for c in claims],
        "sentences": [
            {"index": s.index, "block": s.block, "start": s.start, "end": s.end, "is_claim": s.sentence.is_claim,
             "check_worthiness": s.sentence.check_worthiness}
            for s in outcome.sentences
        ],
        "summary": summary,
        "versions": versions_json(outcome.versions),
    }


def feedback_json(row: FeedbackRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "created_at": timestamp(row.created_at),
        "claim": row.claim,
        "sentence_id": row.sentence_id,
        "article_id": row.article_id,
        "sentence": row.sentence_text,
        "stance": row.stance,
        "verdict": row.verdict,
        "note": row.note,
        "versions": {"embedding": row.embedding_model, "stance": row.stance_model},
    }

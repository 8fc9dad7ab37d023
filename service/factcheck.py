"""What Sayso does, apart from HTTP: take in articles, check claims against them.

    checker = FactChecker.open(settings)
    article, created = checker.ingest({"text": ..., "outlet": "AFP"})
    outcome = checker.check("Nearly 5,000 people have been killed ...", limit=10)
"""
from __future__ import annotations

import atexit
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Optional, Sequence

from index.live import LiveIndex
from index.schema import Article
from index.store import Candidate, CorpusStore
from models.encoder import EMBEDDING_MODEL, SentenceEncoder, load_encoder
from models.language import SPACY_MODEL, load_nlp
from models.pipeline import ArticleReader, headline_of
from models.stance import UNRELATED, StanceJudge, StanceVerdict
from models.timing import Stages, stage

from .config import Settings

# How many nearest sentences to consider per result asked for, and at most.
CANDIDATES_PER_RESULT = 4
MIN_CANDIDATES = 40
MAX_CANDIDATES = 2000


@dataclass
class Finding:
    """One sentence of the corpus and what it says about the claim."""

    candidate: Candidate
    similarity: float
    verdict: StanceVerdict
    before: Optional[str] = None
    after: Optional[str] = None


@dataclass
class SourceStance:
    """What one article of the results, taken as a whole, says about the claim: its
    sentences on the claim's topic aggregated by the article rule (models/stance/article.py,
    the rule benchmarks/stance.py measures on FNC-1)."""

    article: Article
    verdict: StanceVerdict
    sentences: int  # how many of its sentences on the claim's topic were weighed


@dataclass
class CheckOutcome:
    claim: str
    findings: list[Finding] = field(default_factory=list)
    sources: list[SourceStance] = field(default_factory=list)


class FactChecker:
    def __init__(
        self,
        settings: Settings,
        store: CorpusStore,
        index: LiveIndex,
        reader: ArticleReader,
        encoder: SentenceEncoder,
        judge: StanceJudge,
    ):
        self.settings, self.store, self.index = settings, store, index
        self.reader, self.encoder, self.judge = reader, encoder, judge

    @classmethod
    def open(cls, settings: Settings) -> "FactChecker":
        if settings.torch_threads:
            # One thread per query (gunicorn: one per worker); workers, not threads, use the cores.
            import faiss
            import torch

            torch.set_num_threads(settings.torch_threads)
            faiss.omp_set_num_threads(settings.torch_threads)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        store = CorpusStore(settings.store_url)
        store.create_schema()
        encoder = load_encoder()
        index = LiveIndex(
            store,
            dimension=encoder.dimension,
            model=encoder.name,
            directory=settings.index_dir,
            save_interval=settings.index_save_seconds,
        ).open()
        index.start_background(settings.index_poll_seconds)
        atexit.register(index.save)
        reader = ArticleReader(nlp=load_nlp(), encoder=encoder, claim_threshold=settings.claim_threshold)
        return cls(settings, store, index, reader, encoder, StanceJudge(use_model=settings.stance_model))

    # -- articles -------------------------------------------------------------------
    def ingest(self, fields: dict[str, Any], stages: Optional[Stages] = None) -> tuple[Article, bool]:
        """Store an article unless it is already there; return (article, created).

        ``stages``, when given, collects the seconds spent in each step."""
        with stage(stages, "lookup"):
            existing = self.store.existing(fields.get("url"), fields.get("external_id"), fields["text"])
        if existing is not None:
            return existing, False
        read = self.reader.read(fields["text"], outlet=fields.get("outlet"), stages=stages)
        if not fields.get("title"):
            fields = dict(fields, title=headline_of(read))
        # The reader embedded the claim sentences already; any it did not are embedded here.
        vectors = dict(read.claim_vectors)
        missing = [i for i, s in enumerate(read.sentences) if s.is_claim and i not in vectors]
        if missing:
            with stage(stages, "embed"):
                vectors.update(zip(missing, self.encoder.encode([read.sentences[i].text for i in missing])))
        with stage(stages, "store"):
            article, created = self.store.add_article(fields, read, vectors)
        if created:
            with stage(stages, "index"):
                self.index.catch_up()
        return article, created

    # -- checks ---------------------------------------------------------------------
    def check(
        self,
        claim: str,
        limit: int = 10,
        outlets: Optional[Sequence[str]] = None,
        since: Optional[datetime] = None,
        until: Optional[datetime] = None,
        stages: Optional[Stages] = None,
    ) -> CheckOutcome:
        with stage(stages, "embed"):
            query = self.encoder.encode([claim])[0]
        filtered = bool(outlets or since or until)
        k = max(MIN_CANDIDATES, limit * CANDIDATES_PER_RESULT)
        while True:
            with stage(stages, "search"):
                hits = self.index.search(query, k)
            close = [(i, s) for i, s in hits if s >= self.settings.min_similarity]
            with stage(stages, "store"):
                found = self.store.candidates([i for i, _ in close], outlets, since, until)
            candidates = [(found[i], s) for i, s in close if i in found]
            # With filters, most near neighbours may be filtered out: look further.
            exhausted = len(hits) < k or len(close) < len(hits) or k >= MAX_CANDIDATES
            if not filtered or len(candidates) >= limit * CANDIDATES_PER_RESULT or exhausted:
                break
            k = min(k * 4, MAX_CANDIDATES)

        outcome = CheckOutcome(claim=claim)
        if not candidates:
            return outcome
        with stage(stages, "stance"):
            verdicts = self.judge.judge(
                claim, [c.sentence.text for c, _ in candidates], [s for _, s in candidates]
            )
        for (candidate, similarity), verdict in zip(candidates, verdicts):
            if verdict.stance != UNRELATED:
                outcome.findings.append(Finding(candidate, similarity, verdict))
        outcome.findings.sort(key=lambda f: f.similarity, reverse=True)
        weighed = outcome.findings[:]
        del outcome.findings[limit:]
        outcome.sources = self._source_stances(outcome.findings, weighed)
        with stage(stages, "context"):
            self._add_context(outcome.findings)
        return outcome

    def _source_stances(self, shown: list[Finding], weighed: list[Finding]) -> list[SourceStance]:
        """One stance per article among the shown findings, from all of its sentences that
        were judged on topic (shown or not), in the order the articles first appear."""
        by_article: dict[int, list[Finding]] = {}
        for finding in weighed:
            by_article.setdefault(finding.candidate.article.id, []).append(finding)
        sources = []
        for article_id in dict.fromkeys(f.candidate.article.id for f in shown):
            findings = by_article[article_id]
            verdict = self.judge.article([f.verdict for f in findings])
            sources.append(SourceStance(findings[0].candidate.article, verdict, len(findings)))
        return sources

    def _add_context(self, findings: list[Finding]) -> None:
        context = self.store.context([f.candidate.sentence for f in findings])
        for finding in findings:
            finding.before, finding.after = context[finding.candidate.sentence.id]

    # -- numbers --------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        counts = self.store.counts()
        self.index.catch_up()
        return {
            **counts,
            "index": {"size": len(self.index), "kind": self.index.kind},
            "models": {
                "embedding": EMBEDDING_MODEL,
                "parser": SPACY_MODEL,
                "stance": self.judge.name,
            },
        }

"""What Sayso does, apart from HTTP: take in articles, check claims and drafts against them.

    checker = FactChecker.open(settings)
    article, created = checker.ingest({"text": ..., "outlet": "AFP"})
    outcome = checker.check("Nearly 5,000 people have been killed ...", limit=10)
    draft = checker.check_draft([DraftBlock("b1", "..."), DraftBlock("b2", "...")])
    checker.close()

Every entry point (the HTTP service, the command line, workers) goes through this
class; none reaches the store or the index around it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Callable, Optional, Sequence

import numpy as np

from index.live import LiveIndex
from index.reembed import ensure_embedding_model
from index.tables import Article, FeedbackRow
from index.store import Candidate, CorpusStore
from models.article import Mention, Speaker
from models.encoder import EMBEDDING_MODEL, SentenceEncoder, load_encoder
from models.language import SPACY_MODEL, load_nlp
from models.pipeline import ArticleReader, headline_of
from models.stance import UNRELATED, StanceJudge, StanceVerdict
from models.stance.article_rule import SENTENCES_PER_ARTICLE
from models.timing import Stages, stage

from .claimreview import claim_review
from .outcomes import CheckOutcome, DraftBlock, DraftOutcome, DraftSentence, Finding, SourceStance, Versions
from .settings import Settings

# How many nearest sentences to consider per result asked for, and at most.
CANDIDATES_PER_RESULT = 4
MIN_CANDIDATES = 40
MAX_CANDIDATES = 2000


@dataclass
class Filters:
    """Which stored sentences a check may cite."""

    outlets: Optional[Sequence[str]] = None
    since: Optional[datetime] = None
    until: Optional[datetime] = None
    # Articles never to cite (a draft's own published copy); ids of stored articles.
    exclude_articles: frozenset[int] = field(default_factory=frozenset)

    @property
    def narrowing(self) -> bool:
        """Whether the filters may drop near neighbours (so the search must look further)."""
        return bool(self.outlets or self.since or self.until or self.exclude_articles)


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
    def open(
        cls,
        settings: Settings,
        reader: Optional[ArticleReader] = None,
        judge: Optional[StanceJudge] = None,
    ) -> "FactChecker":
        """Open the store and the index and start following the store; load the models
        unless they are handed in (several checkers in one process can share them).
        ``close()`` stops following and saves the index."""
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        store = CorpusStore(settings.store_url)
        store.create_schema(upgrade=settings.auto_upgrade)
        if reader is None:
            reader = ArticleReader(nlp=load_nlp(), encoder=load_encoder(settings.threads),
                                   claim_threshold=settings.claim_threshold)
        if judge is None:
            judge = StanceJudge(settings.stance_dir, use_model=settings.stance_model, nlp=reader.nlp)
        ensure_embedding_model(store, reader.encoder)  # a store embedded by another model is redone
        index = LiveIndex(
            store,
            dimension=reader.encoder.dimension,
            model=reader.encoder.name,
            directory=settings.index_dir,
            save_interval=settings.index_save_seconds,
        ).open()
        index.start_background(settings.index_poll_seconds)
        return cls(settings, store, index, reader, reader.encoder, judge)

    def close(self) -> None:
        """Stop following the store and save the index file (a cache) for the next start."""
        self.index.stop()
        self.index.save()

    # -- articles -------------------------------------------------------------------
    def ingest(self, fields: dict[str, Any], stages: Optional[Stages] = None,
               on_stored: Optional[Callable[[Any, Article], None]] = None) -> tuple[Article, bool]:
        """Store an article unless it is already there; return (article, created).

        ``stages``, when given, collects the seconds spent in each step; ``on_stored``,
        when given, is called as ``on_stored(session, article)`` inside the transaction
        that stores a new article (an import job records its item's result there)."""
        with stage(stages, "lookup"):
            existing = self.store.existing(fields.get("url"), fields.get("external_id"), fields["text"])
        if existing is not None:
            return existing, False
        read = self.reader.read(fields["text"], outlet=fields.get("outlet"), stages=stages)
        if not fields.get("title"):
            fields = dict(fields, title=headline_of(read))
        with stage(stages, "store"):
            article, created = self.store.add_article(fields, read, read.claim_vectors, on_stored=on_stored)
        if created and self.index is not None:  # an ingest-only worker keeps no index
            with stage(stages, "index"):
                self.index.catch_up()
        return article, created

    def article(self, article_id: int) -> Optional[Article]:
        """A stored article with its sentences, or None."""
        return self.store.get_article(article_id)

    def articles(self, outlet: Optional[str], limit: int, before_id: Optional[int] = None) -> list[Article]:
        """Newest first; ``before_id`` is the last id of the previous page."""
        return self.store.list_articles(outlet, limit, before_id)

    def delete(self, article_id: int) -> bool:
        """Delete an article; its sentences stop appearing in this process's checks at once."""
        if not self.store.delete_article(article_id):
            return False
        self.index.catch_up()
        return True

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
        """The stored sentences that corroborate, contradict or discuss ``claim``."""
        filters = Filters(outlets, since, until)
        with stage(stages, "embed"):
            query = self.encoder.encode([claim])[0]
        candidates = self._nearest(query, limit, filters, stages)
        outcome = self._judged(claim, candidates, limit, stages)
        with stage(stages, "context"):
            self._add_context(outcome.findings)
        return outcome

    def check_draft(
        self,
        blocks: Sequence[DraftBlock],
        limit: int = 5,
        filters: Optional[Filters] = None,
        stages: Optional[Stages] = None,
    ) -> DraftOutcome:
        """Read a draft as written (no cleaning) and check each of its claim sentences.
        Nothing is stored. A block's sentences have offsets into that block's text."""
        filters = filters or Filters()
        sentences, vectors = self._read_draft(blocks, stages)
        claims = [s for s in sentences if s.sentence.is_claim]
        if claims:
            queries = np.array([vectors[s.index] for s in claims])  # embedded while reading
            found = self._nearest_many(queries, limit, filters, stages)
            outcomes = self._judged_many([s.sentence.text for s in claims], found, limit, stages)
            for draft_sentence, outcome in zip(claims, outcomes):
                draft_sentence.outcome = outcome
            with stage(stages, "context"):
                self._add_context([f for s in claims for f in s.outcome.findings])
        return DraftOutcome(sentences, self.versions())

    def versions(self) -> Versions:
        return Versions(embedding=self.encoder.name, stance=self.judge.version, index_seq=self.index.seq)

    def excluded_articles(self, url: Optional[str] = None, external_id: Optional[str] = None) -> frozenset[int]:
        """Ids of the stored articles with this URL or external id (a draft's published copy)."""
        return frozenset(self.store.article_ids(url=url, external_id=external_id))

    def _read_draft(self, blocks: Sequence[DraftBlock],
                    stages: Optional[Stages]) -> tuple[list[DraftSentence], dict[int, np.ndarray]]:
        """The draft's sentences in order, and the embedding of each claim by its index.
        The blocks are read as one text, a line each, so that a speaker named in one
        paragraph carries into the next as in an article."""
        starts, offset = [], 0
        for block in blocks:
            starts.append(offset)
            offset += len(block.text) + 1
        text = "\n".join(block.text for block in blocks)
        read = self.reader.read(text, stages=stages, cleaning=False)
        sentences = []
        owner = 0
        for index, sentence in enumerate(read.sentences):
            while owner + 1 < len(blocks) and sentence.start >= starts[owner + 1]:
                owner += 1
            base, end = starts[owner], starts[owner] + len(blocks[owner].text)
            sentence = replace(sentence, speaker=_speaker_in_block(sentence.speaker, base, end))
            sentences.append(DraftSentence(index, blocks[owner].id, sentence.start - base, sentence.end - base, sentence))
        return sentences, read.claim_vectors

    def _nearest(self, query: np.ndarray, limit: int, filters: Filters, stages: Optional[Stages]) -> list[tuple[Candidate, float]]:
        """The stored claim sentences nearest to ``query`` that pass the filters, with
        their similarity, nearest first; with narrowing filters, looks further as needed."""
        k = max(MIN_CANDIDATES, limit * CANDIDATES_PER_RESULT)
        while True:
            with stage(stages, "search"):
                hits = self.index.search(query, k)
            candidates, exhausted = self._passing(hits, k, filters, stages)
            if not filters.narrowing or len(candidates) >= limit * CANDIDATES_PER_RESULT or exhausted:
                return candidates
            k = min(k * 4, MAX_CANDIDATES)

    def _nearest_many(self, queries: np.ndarray, limit: int, filters: Filters,
                      stages: Optional[Stages]) -> list[list[tuple[Candidate, float]]]:
        """``_nearest`` for many queries: one search and one store lookup for all of them;
        a query whose filters left it short looks further on its own."""
        k = max(MIN_CANDIDATES, limit * CANDIDATES_PER_RESULT)
        with stage(stages, "search"):
            hits_of = self.index.search_many(queries, k)
        close = {i for hits in hits_of for i, s in hits if s >= self.settings.min_similarity}
        with stage(stages, "store"):
            found = self.store.candidates(sorted(close), filters.outlets, filters.since, filters.until)
        results = []
        for query, hits in zip(queries, hits_of):
            candidates, exhausted = self._passing(hits, k, filters, stages, found)
            if filters.narrowing and len(candidates) < limit * CANDIDATES_PER_RESULT and not exhausted:
                candidates = self._nearest(query, limit, filters, stages)
            results.append(candidates)
        return results

    def _passing(self, hits, k: int, filters: Filters, stages: Optional[Stages],
                 found: Optional[dict[int, Candidate]] = None) -> tuple[list[tuple[Candidate, float]], bool]:
        """(the hits close enough that pass the filters, whether looking further can find more)."""
        close = [(i, s) for i, s in hits if s >= self.settings.min_similarity]
        if found is None:
            with stage(stages, "store"):
                found = self.store.candidates([i for i, _ in close], filters.outlets, filters.since, filters.until)
        candidates = [(found[i], s) for i, s in close
                      if i in found and found[i].article.id not in filters.exclude_articles]
        exhausted = len(hits) < k or len(close) < len(hits) or k >= MAX_CANDIDATES
        return candidates, exhausted

    def _judged(self, claim: str, candidates: list[tuple[Candidate, float]], limit: int,
                stages: Optional[Stages]) -> CheckOutcome:
        """The outcome of judging each candidate's stance: the ``limit`` most similar
        findings that are not unrelated, and what each of their articles says."""
        return self._judged_many([claim], [candidates], limit, stages)[0]

    def _judged_many(self, claims: list[str], candidates_of: list[list[tuple[Candidate, float]]], limit: int,
                     stages: Optional[Stages]) -> list[CheckOutcome]:
        """``_judged`` for each claim with its candidates (the claims of a draft)."""
        candidates_of = [self._weighed(candidates, limit) for candidates in candidates_of]
        with stage(stages, "stance"):
            verdicts_of = [self.judge.judge(claim, [c.sentence.text for c, _ in candidates],
                                            [s for _, s in candidates])
                           for claim, candidates in zip(claims, candidates_of)]
        return [self._outcome(claim, candidates, verdicts, limit)
                for claim, candidates, verdicts in zip(claims, candidates_of, verdicts_of)]

    def _weighed(self, candidates: list[tuple[Candidate, float]], limit: int) -> list[tuple[Candidate, float]]:
        """The candidates whose stance the answer needs, most similar first: the ``limit``
        most similar on the claim's topic (the results shown; whether a candidate is on
        topic is known before it is judged), and the other candidates on topic from
        those results' articles, up to the SENTENCES_PER_ARTICLE most similar of each,
        which its stance weighs (more if more of its sentences are shown). The rest
        would not change the answer, so they are not judged."""
        on_topic = sorted((pair for pair in candidates if self.judge.on_topic(pair[1])),
                          key=lambda pair: pair[1], reverse=True)
        shown = Counter(candidate.article.id for candidate, _ in on_topic[:limit])
        taken: Counter = Counter()
        weighed = []
        for candidate, similarity in on_topic:
            article = candidate.article.id
            if article in shown and taken[article] < max(SENTENCES_PER_ARTICLE, shown[article]):
                taken[article] += 1
                weighed.append((candidate, similarity))
        return weighed

    def _outcome(self, claim: str, candidates: list[tuple[Candidate, float]], verdicts: list[StanceVerdict],
                 limit: int) -> CheckOutcome:
        outcome = CheckOutcome(claim=claim)
        for (candidate, similarity), verdict in zip(candidates, verdicts):
            if verdict.stance != UNRELATED:
                outcome.findings.append(Finding(candidate, similarity, verdict))
        outcome.findings.sort(key=lambda f: f.similarity, reverse=True)
        weighed = outcome.findings[:]
        del outcome.findings[limit:]
        outcome.sources = self._source_stances(outcome.findings, weighed)
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

    # -- what editors say -------------------------------------------------------------
    def record_feedback(self, fields: dict[str, Any]) -> Optional[FeedbackRow]:
        """Store an editor's confirmation or rejection of a result, with the versions of
        the models that produced it; None when the sentence does not exist."""
        versions = self.versions()
        return self.store.add_feedback(fields, {"embedding": versions.embedding, "stance": versions.stance})

    def feedback(self, after_id: int = 0, limit: int = 100) -> list[FeedbackRow]:
        """Feedback in the order it came, after ``after_id``."""
        return self.store.feedback_page(after_id, limit)

    def claim_review(self, review: dict[str, Any]) -> dict[str, Any]:
        """ClaimReview JSON-LD for the editor's ``review``, its Claim filled from the archive."""
        outcome = self.check(review["claim"], limit=20)
        return claim_review(review, outcome)

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


def draft_speaker(sentence) -> Speaker:
    """Who says a draft sentence: its attributed speaker, else the newsroom's own voice."""
    return sentence.speaker or Speaker.publisher(None)


def _speaker_in_block(speaker: Optional[Speaker], start: int, end: int) -> Optional[Speaker]:
    """The speaker with its mention's offsets into the block at ``start:end`` of the
    joined draft; no mention when the speaker is named in another block."""
    if speaker is None or speaker.mention is None:
        return speaker
    mention = speaker.mention
    if not (start <= mention.start and mention.end <= end):
        return replace(speaker, mention=None)
    return replace(speaker, mention=Mention(mention.text, mention.start - start, mention.end - start))

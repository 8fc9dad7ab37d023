"""What the core answers: checks of a claim or a draft, what each source says.

Plain data, no HTTP: ``service/representations.py`` turns these into the JSON of
``openapi.yaml``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from index.tables import Article
from index.store import Candidate
from models.article import Sentence
from models.stance import CONTRADICTS, CORROBORATES, DISCUSSES, StanceVerdict

# A draft claim's verdict, from the stances of its results (the first that applies).
CONTRADICTED = "contradicted"    # a result contradicts it: the editor must look
CORROBORATED = "corroborated"    # a result corroborates it, none contradicts
DISCUSSED = "discussed"          # the archive only discusses it
NOTHING_FOUND = "nothing_found"  # nothing in the archive is on its topic
CLAIM_VERDICTS = (CONTRADICTED, CORROBORATED, DISCUSSED, NOTHING_FOUND)


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
    sentences on the claim's topic aggregated by the article rule (models/stance/article_rule.py,
    the rule benchmarks/stance.py measures on FNC-1)."""

    article: Article
    verdict: StanceVerdict
    sentences: int  # how many of its sentences on the claim's topic were weighed


@dataclass
class CheckOutcome:
    claim: str
    findings: list[Finding] = field(default_factory=list)
    sources: list[SourceStance] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        counts = {CORROBORATES: 0, CONTRADICTS: 0, DISCUSSES: 0}
        for finding in self.findings:
            counts[finding.verdict.stance] += 1
        return counts

    @property
    def verdict(self) -> str:
        stances = {f.verdict.stance for f in self.findings}
        for stance, verdict in ((CONTRADICTS, CONTRADICTED), (CORROBORATES, CORROBORATED), (DISCUSSES, DISCUSSED)):
            if stance in stances:
                return verdict
        return NOTHING_FOUND


@dataclass
class DraftBlock:
    """One paragraph of a draft as a CMS editor holds it; ``id`` is the client's."""

    id: Optional[str]
    text: str


@dataclass
class DraftSentence:
    """A sentence of the draft, with offsets into its block's text (or the whole text)."""

    index: int
    block: Optional[str]
    start: int
    end: int
    sentence: Sentence
    outcome: Optional[CheckOutcome] = None  # claims only


@dataclass
class Versions:
    """What an answer was computed with, so a stored answer can be told apart later."""

    embedding: str
    stance: str
    index_seq: int


@dataclass
class DraftOutcome:
    sentences: list[DraftSentence]
    versions: Versions

    @property
    def claims(self) -> list[DraftSentence]:
        return [s for s in self.sentences if s.outcome is not None]

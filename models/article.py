"""What the text pipeline makes of one article: paragraphs, sentences, speakers.

All offsets are Python string indices into the text as it was submitted, so that
``text[sentence.start:sentence.end] == sentence.text`` always holds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

# Speaker.kind
PERSON = "person"
ORGANIZATION = "organization"
GOVERNMENT = "government"
PUBLISHER = "publisher"
UNKNOWN = "unknown"
SPEAKER_KINDS = (PERSON, ORGANIZATION, GOVERNMENT, PUBLISHER, UNKNOWN)

# Speaker.quote
DIRECT = "direct"
INDIRECT = "indirect"
NO_QUOTE = "none"
QUOTE_KINDS = (DIRECT, INDIRECT, NO_QUOTE)

# Paragraph.kind
BODY = "body"          # the article's own text
HEADLINE = "headline"  # a title line on the article's topic: never a claim
TEASER = "teaser"      # a crawled line of another story: never a claim, never the article's speakers


@dataclass
class Mention:
    """The span of article text that names or refers to a speaker."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass
class Speaker:
    """Who says what a sentence says."""

    name: str
    kind: str = UNKNOWN
    role: Optional[str] = None
    quote: str = NO_QUOTE
    cue: Optional[str] = None
    mention: Optional[Mention] = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "role": self.role,
            "quote": self.quote,
            "cue": self.cue,
            "mention": self.mention.to_dict() if self.mention else None,
        }

    @classmethod
    def from_dict(cls, data: Optional[dict[str, Any]]) -> Optional["Speaker"]:
        if not data:
            return None
        mention = data.get("mention")
        return cls(
            name=data["name"],
            kind=data.get("kind", UNKNOWN),
            role=data.get("role"),
            quote=data.get("quote", NO_QUOTE),
            cue=data.get("cue"),
            mention=Mention(**mention) if mention else None,
        )

    @classmethod
    def publisher(cls, outlet: Optional[str]) -> "Speaker":
        """The article's own voice: the outlet, or "publisher" when none is known."""
        return cls(name=outlet or "publisher", kind=PUBLISHER, quote=NO_QUOTE)


@dataclass
class Paragraph:
    """One line-delimited block of the submitted text that the cleaner kept.

    ``doc`` is the spaCy parse of ``text[start:end]`` (None until parsed); token and
    span character offsets inside it are relative to ``start``.
    """

    start: int
    end: int
    kind: str = BODY
    doc: Any = None


@dataclass
class Sentence:
    text: str
    start: int
    end: int
    is_claim: bool
    speaker: Optional[Speaker] = None
    paragraph: int = 0  # index into the article's paragraphs
    section: str = BODY  # the kind of its paragraph: body, headline or teaser
    # Calibrated probability that a fact-checker would check it (models.checkworthiness);
    # 0 for what does not read as a claim; None when not scored.
    check_worthiness: Optional[float] = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "is_claim": self.is_claim,
            "check_worthiness": self.check_worthiness,
            "speaker": self.speaker.to_dict() if self.speaker else None,
        }


@dataclass
class ReadArticle:
    """The pipeline's reading of one submitted text."""

    text: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    # Position of each sentence to index as evidence (every one that reads as a claim,
    # whatever its check-worthiness) -> its normalised embedding, when the reader made them.
    claim_vectors: dict[int, Any] = field(default_factory=dict)

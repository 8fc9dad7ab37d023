"""Quotation tracking across sentences and paragraphs.

A quote opens at an opening quotation mark and closes at the matching closing
mark. News style lets a quote run over several paragraphs: the paragraph that
does not close it ends open, and the next paragraph starts with a fresh opening
mark. Such pieces belong to one ``Quote``, so that an attribution anywhere in
the quote ("..., Smith said.") reaches every sentence of it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from models.attribution.constants import CLOSE_QUOTES, OPEN_QUOTES, STRAIGHT_QUOTES

# The curly single quotes double as apostrophes; only double quotes delimit quotes.
_OPENING = OPEN_QUOTES - {"‘"}
_CLOSING = CLOSE_QUOTES - {"’"}


@dataclass
class QuotePiece:
    """The part of a quote inside one paragraph; offsets are paragraph-relative
    and include the quotation marks."""

    paragraph: int
    start: int
    end: int


@dataclass
class Quote:
    pieces: list[QuotePiece] = field(default_factory=list)

    def covers(self, paragraph: int, start: int, end: int) -> int:
        """How many characters of [start, end) in ``paragraph`` lie inside this quote."""
        inside = 0
        for piece in self.pieces:
            if piece.paragraph == paragraph:
                inside += max(0, min(end, piece.end) - max(start, piece.start))
        return inside


def find_quotes(texts: list[str]) -> list[Quote]:
    """Find the quotes in consecutive paragraph texts."""
    quotes: list[Quote] = []
    carried: Quote | None = None  # a quote left open at the end of the last paragraph
    for index, text in enumerate(texts):
        stripped = text.lstrip()
        continues = carried is not None and (
            stripped[:1] in (_OPENING | STRAIGHT_QUOTES) or stripped.startswith("''")
        )
        current: Quote | None = None
        open_at: int | None = None
        for i, char in enumerate(text):
            if char == "'" and text[i + 1 : i + 2] == "'":
                char = '"'  # two apostrophes standing for a double quote (''so'')
            elif char == "'" and text[i - 1 : i] == "'" and i > 0:
                continue
            opening = char in _OPENING or (char in STRAIGHT_QUOTES and open_at is None)
            closing = char in _CLOSING or (char in STRAIGHT_QUOTES and open_at is not None)
            if char in _OPENING and open_at is not None and _looks_closing(text, i):
                closing = True  # “It's unusual,“ said ...: an opening mark typed for a closing one
            if opening and open_at is None and not closing:
                open_at = i
                if continues and current is None and carried is not None:
                    current = carried
                else:
                    current = Quote()
                    quotes.append(current)
            elif closing and open_at is not None and current is not None:
                current.pieces.append(QuotePiece(index, open_at, i + 1))
                open_at = None
            continues = False
        carried = None
        if open_at is not None and current is not None:
            current.pieces.append(QuotePiece(index, open_at, len(text)))
            carried = current
    return quotes


def _looks_closing(text: str, i: int) -> bool:
    before = text[i - 1 : i]
    after = text[i + 1 : i + 2]
    return bool(before) and not before.isspace() and (not after or after.isspace() or after in ",.;:!?")


def quoted_chars(quotes: list[Quote], paragraph: int, start: int, end: int) -> int:
    """How many characters of [start, end) in ``paragraph`` lie inside any quote."""
    return sum(quote.covers(paragraph, start, end) for quote in quotes)

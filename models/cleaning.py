"""Find the article in crawled text: keep its paragraphs, drop the site around it.

The cleaner never rewrites text. It returns spans of the submitted text, so every
offset downstream still points into what the newsroom sent us.

- Site boilerplate ("Follow us on ...", "Read more: ...", share/subscribe lines) is
  dropped, also when the crawler glued it to the next line ("...stay connectedThe").
- A line seen before (same words, ignoring case and spacing) is dropped.
- A line without a final full stop is a headline when it opens the article, and a
  teaser of another story anywhere else: neither is a claim.
"""
from __future__ import annotations

import re

from .article import BODY, HEADLINE, TEASER, Paragraph

BOILERPLATE = re.compile(
    r"""^(
        read\ more|read\ also|also\ read|related|recommended|see\ also|more\ on\ this
      | follow\ us|like\ us\ on|join\ us\ on|find\ us\ on|connect\ with\ us
      | subscribe|sign\ up|newsletter|share\ (this|on)|click\ here|tap\ here
      | advertisement|sponsored|copyright|©|all\ rights\ reserved
      | (photo|image|picture|video)\s*(:|credit)|getty\ images
      | download\ (our|the)\ app|watch:|listen:
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# "…to stay connectedThe next story": a lower-case letter glued to a capitalised word.
GLUED = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
TERMINAL = re.compile(r"""[.!?…]["'”’»)\]]*$""")
LINE = re.compile(r"[^\r\n]+")


def _fingerprint(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_boilerplate(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Return the span left after cutting a boilerplate prefix, or None if nothing is left."""
    line = text[start:end]
    if not BOILERPLATE.match(line):
        return start, end
    glue = GLUED.search(line)
    if glue is None:
        return None
    return _trimmed(text, start + glue.start(), end)


def clean(text: str) -> list[Paragraph]:
    """Return the paragraphs of the article (body, headline) and the teasers around it.

    The headline is only a candidate here: the reader confirms it is on the
    article's topic (see ``models.pipeline``).
    """
    seen: dict[str, Paragraph] = {}
    repeated: set[str] = set()
    paragraphs: list[Paragraph] = []
    for match in LINE.finditer(text):
        span = _trimmed(text, match.start(), match.end())
        if span[0] == span[1]:
            continue
        span = _split_boilerplate(text, *span)
        if span is None or span[0] == span[1]:
            continue
        fingerprint = _fingerprint(text[span[0]:span[1]])
        if not fingerprint:
            continue
        if fingerprint in seen:
            repeated.add(fingerprint)
            continue
        paragraph = Paragraph(start=span[0], end=span[1], kind=BODY)
        seen[fingerprint] = paragraph
        paragraphs.append(paragraph)

    for position, paragraph in enumerate(paragraphs):
        line = text[paragraph.start:paragraph.end]
        if TERMINAL.search(line):
            continue
        # Crawled teasers are often repeated; a headline is not.
        opening = position == 0 and _fingerprint(line) not in repeated
        paragraph.kind = HEADLINE if opening else TEASER
    return paragraphs


def lines(text: str) -> list[Paragraph]:
    """Every non-blank line as a body paragraph, trimmed: text read as written (a draft),
    with no cleaning."""
    paragraphs = []
    for match in LINE.finditer(text):
        start, end = _trimmed(text, match.start(), match.end())
        if start < end:
            paragraphs.append(Paragraph(start=start, end=end, kind=BODY))
    return paragraphs

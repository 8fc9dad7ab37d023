"""SpeakerAttributor: one Speaker for every sentence of an article.

The attributor reads an article in three passes:

1. find the cue of each sentence (cues.py) outside quotation marks, and the
   quotes of the article (quotes.py);
2. give each quote the cue found in one of the sentences it touches, so that
   "“A. B,” Putin said." gives Putin both sentences, even across paragraphs;
3. walk the sentences in order: a sentence with its own cue gets that cue's
   source (the outermost cue: "X said Y told him ..." is X's); a sentence that is
   mostly quoted gets its quote's source, else the cue of the next quote in its
   paragraph, else the last speaker of its paragraph or of an "X said:" line just
   before it; anything else is the publisher's own voice. Sources are resolved to
   canonical names, kinds and roles (names.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from spacy.tokens import Span, Token

from models.article import DIRECT, INDIRECT, Mention, Paragraph, Speaker
from models.attribution.constants import DIRECT_QUOTE_WORDS, MIN_QUOTED_SHARE, QUOTE_CARRY_PARAGRAPHS
from models.attribution.cues import Cue, find_cues, is_bare
from models.attribution.errors import AttributionError
from models.attribution.names import NameBook, Referent, mention_span
from models.attribution.quotes import Quote, find_quotes, quoted_chars


@dataclass
class _Sentence:
    paragraph: int
    span: Span
    quoted_share: float
    quotes: list[int]          # indexes of the quotes this sentence touches
    quoted_words: int          # words in the longest quote piece inside the sentence
    cue: Optional[Cue] = None


class SpeakerAttributor:
    """Attributes each sentence of an article to the one who says it."""

    def __init__(self):
        # Stateless: word lists live in constants.py, the parse comes with the paragraphs.
        pass

    def attribute(self, paragraphs: list[Paragraph], outlet: Optional[str]) -> list[list[Speaker]]:
        for paragraph in paragraphs:
            if paragraph.doc is None:
                raise AttributionError("every paragraph needs its spaCy doc before attribution")
        docs = [paragraph.doc for paragraph in paragraphs]
        quotes = find_quotes([doc.text for doc in docs])
        sentences = [
            self._read_sentence(index, span, quotes)
            for index, doc in enumerate(docs)
            for span in doc.sents
        ]
        quote_cues = _cues_of_quotes(sentences, len(quotes))
        book = NameBook(docs)

        speakers: list[list[Speaker]] = [[] for _ in paragraphs]
        resolved: dict[tuple[int, int], Speaker] = {}  # (paragraph, cue token) -> speaker, resolved once
        last: Optional[tuple[int, Speaker]] = None  # (paragraph, speaker) of the last quote or cue
        introduced: Optional[tuple[int, Speaker]] = None  # a speaker whose sentence ends in ":"
        for index, sentence in enumerate(sentences):
            speaker = None
            if sentence.cue is not None:
                speaker = self._speaker(sentence.cue, index, sentence, book, resolved, paragraphs)
                speaker = _with_quote(speaker, DIRECT if sentence.quoted_words >= DIRECT_QUOTE_WORDS else INDIRECT)
            elif sentence.quoted_share >= MIN_QUOTED_SHARE:
                cue_at = next((quote_cues[q] for q in sentence.quotes if q in quote_cues), None)
                if cue_at is None:
                    cue_at = _next_quote_cue(sentences, index)
                if cue_at is not None:
                    cue_index, cue = cue_at
                    speaker = self._speaker(cue, cue_index, sentences[cue_index], book, resolved, paragraphs)
                elif last is not None and sentence.paragraph - last[0] <= QUOTE_CARRY_PARAGRAPHS:
                    speaker = last[1]
                elif introduced is not None and sentence.paragraph - introduced[0] == 1:
                    speaker = introduced[1]  # "Smith said:" closing the paragraph before
                if speaker is not None:
                    speaker = _with_quote(speaker, DIRECT)
            book.remember_people(sentence.span, index)
            if sentence.cue is not None:
                book.remember(Referent(speaker.name, speaker.kind, speaker.role), index)  # the likeliest "he" next
            if speaker is None:
                speaker = Speaker.publisher(outlet)
            else:
                last = (sentence.paragraph, speaker)
            introduced = last if sentence.span.text.rstrip().endswith(":") and speaker.mention else None
            speakers[sentence.paragraph].append(speaker)
        return speakers

    @staticmethod
    def _read_sentence(paragraph: int, span: Span, quotes: list[Quote]) -> _Sentence:
        letters = max(1, span.end_char - span.start_char)
        touched = [i for i, quote in enumerate(quotes) if quote.covers(paragraph, span.start_char, span.end_char)]
        share = quoted_chars(quotes, paragraph, span.start_char, span.end_char) / letters

        def is_quoted(token: Token) -> bool:
            return quoted_chars(quotes, paragraph, token.idx, token.idx + len(token)) > 0 and not token.is_punct

        cues = find_cues(span, is_quoted)
        words = max((len(run) for run in _quoted_runs(span, is_quoted)), default=0)
        return _Sentence(paragraph, span, share, touched, words, cues[0] if cues else None)

    @staticmethod
    def _speaker(cue: Cue, index: int, sentence: _Sentence, book: NameBook,
                 resolved: dict[tuple[int, int], Speaker], paragraphs: list[Paragraph]) -> Speaker:
        key = (sentence.paragraph, cue.token.i)
        if key in resolved:
            return resolved[key]
        span = cue.span if cue.span is not None else mention_span(cue.source)
        referent = book.resolve(span, cue.source, index)
        book.remember(referent, index)
        offset = paragraphs[sentence.paragraph].start
        speaker = Speaker(
            name=referent.name,
            kind=referent.kind,
            role=referent.role,
            quote=INDIRECT,
            cue=cue.text,
            mention=Mention(span.text, offset + span.start_char, offset + span.end_char),
        )
        resolved[key] = speaker
        return speaker


def _cues_of_quotes(sentences: list[_Sentence], count: int) -> dict[int, tuple[int, Cue]]:
    """For each quote, the first cue among the sentences it touches."""
    found: dict[int, tuple[int, Cue]] = {}
    for index, sentence in enumerate(sentences):
        if sentence.cue is None:
            continue
        for quote in sentence.quotes:
            found.setdefault(quote, (index, sentence.cue))
    return found


def _next_quote_cue(sentences: list[_Sentence], index: int) -> Optional[tuple[int, Cue]]:
    """For a quote with no cue of its own, the cue of the quote that follows it in the
    same paragraph (“We are ready.” “Nobody is left behind,” she said.), or of a
    sentence right after it that says who spoke but reports nothing itself
    (“Not us!” Murphy tweeted on Friday with an image of the plane.)."""
    paragraph = sentences[index].paragraph
    for later in range(index + 1, len(sentences)):
        sentence = sentences[later]
        if sentence.paragraph != paragraph:
            return None
        if not sentence.quotes:
            if later == index + 1 and sentence.cue is not None and is_bare(sentence.cue):
                return later, sentence.cue
            return None
        if sentence.cue is not None:
            return later, sentence.cue
    return None


def _quoted_runs(span: Span, is_quoted) -> list[list[Token]]:
    """The runs of consecutive quoted words in ``span``."""
    runs: list[list[Token]] = [[]]
    for token in span:
        if token.is_punct:
            continue
        if is_quoted(token):
            runs[-1].append(token)
        elif runs[-1]:
            runs.append([])
    return runs


def _with_quote(speaker: Speaker, quote: str) -> Speaker:
    return Speaker(speaker.name, speaker.kind, speaker.role, quote, speaker.cue, speaker.mention)

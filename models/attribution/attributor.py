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
        """One speaker per sentence of each paragraph, in order: read every sentence (its
        quotes and cue), then walk them in order, each taking the speaker its cue names,
        or, for a quote, the speaker of the cue it belongs to or of the quote before; the
        rest speak in the outlet's own voice."""
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
        walk = _Walk(sentences, _cues_of_quotes(sentences, len(quotes)), NameBook(docs), paragraphs)
        speakers: list[list[Speaker]] = [[] for _ in paragraphs]
        for index, sentence in enumerate(sentences):
            speaker = None
            if sentence.cue is not None:
                speaker = walk.speaker_of(sentence.cue, index)
                speaker = _with_quote(speaker, DIRECT if sentence.quoted_words >= DIRECT_QUOTE_WORDS else INDIRECT)
            elif sentence.quoted_share >= MIN_QUOTED_SHARE:
                speaker = walk.speaker_of_quote(index)
            walk.book.remember_people(sentence.span, index)
            if sentence.cue is not None:
                walk.book.remember(Referent(speaker.name, speaker.kind, speaker.role), index)  # the likeliest "he" next
            if speaker is None:
                speaker = Speaker.publisher(outlet)
            else:
                walk.last = (sentence.paragraph, speaker)
            walk.introduced = walk.last if sentence.span.text.rstrip().endswith(":") and speaker.mention else None
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



class _Walk:
    """What the walk through an article's sentences remembers: the speakers resolved per
    cue, the last speaker (a quote with no cue carries it on) and a speaker introduced by
    a sentence ending in ":"."""

    def __init__(self, sentences: list[_Sentence], quote_cues: dict[int, tuple[int, Cue]],
                 book: NameBook, paragraphs: list[Paragraph]):
        self.sentences, self.quote_cues, self.book, self.paragraphs = sentences, quote_cues, book, paragraphs
        self.resolved: dict[tuple[int, int], Speaker] = {}  # (paragraph, cue token) -> speaker, resolved once
        self.last: Optional[tuple[int, Speaker]] = None  # (paragraph, speaker) of the last quote or cue
        self.introduced: Optional[tuple[int, Speaker]] = None  # a speaker whose sentence ends in ":"

    def speaker_of_quote(self, index: int) -> Optional[Speaker]:
        """A mostly quoted sentence: the speaker of its quote's cue, of the cue after it, of
        the quote before it (within QUOTE_CARRY_PARAGRAPHS) or of a "Smith said:" closing
        the paragraph before; None if none applies."""
        sentence = self.sentences[index]
        speaker = None
        cue_at = next((self.quote_cues[q] for q in sentence.quotes if q in self.quote_cues), None)
        if cue_at is None:
            cue_at = _next_quote_cue(self.sentences, index)
        if cue_at is not None:
            cue_index, cue = cue_at
            speaker = self.speaker_of(cue, cue_index)
        elif self.last is not None and sentence.paragraph - self.last[0] <= QUOTE_CARRY_PARAGRAPHS:
            speaker = self.last[1]
        elif self.introduced is not None and sentence.paragraph - self.introduced[0] == 1:
            speaker = self.introduced[1]
        return _with_quote(speaker, DIRECT) if speaker is not None else None

    def speaker_of(self, cue: Cue, index: int) -> Speaker:
        """The speaker a cue of sentence ``index`` names (resolved once per cue)."""
        sentence = self.sentences[index]
        key = (sentence.paragraph, cue.token.i)
        if key in self.resolved:
            return self.resolved[key]
        span = cue.span if cue.span is not None else mention_span(cue.source)
        referent = self.book.resolve(span, cue.source, index)
        self.book.remember(referent, index)
        offset = self.paragraphs[sentence.paragraph].start
        speaker = Speaker(
            name=referent.name,
            kind=referent.kind,
            role=referent.role,
            quote=INDIRECT,
            cue=cue.text,
            mention=Mention(span.text, offset + span.start_char, offset + span.end_char),
        )
        self.resolved[key] = speaker
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

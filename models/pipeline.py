"""Read one article: clean it, split it into sentences, mark claims, attribute speakers.

    reader = ArticleReader()
    article = reader.read(text, outlet="AFP")
    for sentence in article.sentences:
        sentence.text, sentence.check_worthiness, sentence.is_claim, sentence.speaker

Each body sentence is embedded once, while reading (the topic check needs them, and so
does the check-worthiness score, which reads the means of the encoder's layers from the
same run). A sentence is a claim when it reads as one (``models.claims``: not a question,
fragment or instruction; headlines and teasers never are) and its check-worthiness
(``models.checkworthiness``) is at least ``claim_threshold``.
Whether a sentence is indexed as evidence does not depend on its score: a sentence that
is not worth checking on its own can still corroborate or contradict a claim. The
vectors of every sentence that reads as a claim come back in ``claim_vectors``, for the
index.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .article import BODY, HEADLINE, TEASER, Paragraph, ReadArticle, Sentence
from .checkworthiness import load_checkworthiness
from .claims import is_claim
from .cleaning import clean, lines
from .timing import Stages, stage

# Topic checks, as all-MiniLM-L6-v2 cosine to the centroid of the (other) body lines.
# Measured on the two samples: the real headline scores 0.72 and the repeated Hamas
# teaser 0.33 (it shares "truce" with the article); the other teasers score -0.07 to
# 0.18; body lines score 0.17 to 0.66, and 0.34 to 0.65 at the articles' edges.
HEADLINE_MIN_SIMILARITY = 0.45
# Full-stopped lines at the start or end of the text this far off topic are teasers.
EDGE_MIN_SIMILARITY = 0.20
MIN_BODY_FOR_EDGE_CHECK = 4


class ArticleReader:
    def __init__(self, nlp=None, attributor=None, encoder=None, checkworthiness=None,
                 claim_threshold: Optional[float] = None):
        if nlp is None:
            from .language import load_nlp

            nlp = load_nlp()
        if attributor is None:
            from .attribution import SpeakerAttributor

            attributor = SpeakerAttributor()
        if encoder is None:
            from .encoder import load_encoder

            encoder = load_encoder()
        self.nlp = nlp
        self.attributor = attributor
        self.encoder = encoder
        self.checkworthiness = checkworthiness or load_checkworthiness()
        # None: the model's own threshold (the F1-optimal one of its cross-validation).
        self.claim_threshold = self.checkworthiness.threshold if claim_threshold is None else claim_threshold

    def read(
        self,
        text: str,
        outlet: Optional[str] = None,
        stages: Optional[Stages] = None,
        cleaning: bool = True,
    ) -> ReadArticle:
        """Clean, parse, check the topic, attribute, then list the sentences.

        ``cleaning=False`` reads the text as written (a draft an editor checks): every
        non-blank line is body, nothing is dropped or demoted, and only the claim
        sentences are embedded. ``stages``, when given, collects the seconds spent in
        each step."""
        with stage(stages, "clean"):
            paragraphs = clean(text) if cleaning else lines(text)
        with stage(stages, "parse"):
            self._parse(text, paragraphs)
        # Vectors and layer means (for the check-worthiness score) by (start, end).
        vector_at: dict[tuple[int, int], np.ndarray] = {}
        layers_at: dict[tuple[int, int], np.ndarray] = {}
        if cleaning:
            # Each body sentence and each headline is embedded once: the topic check uses
            # them (a paragraph is the mean of its sentences), and so does the index.
            with stage(stages, "embed"):
                units = _units(paragraphs)
                unit_vectors, unit_layers = self.encoder.encode_with_layers([text[start:end] for _, start, end in units])
            with stage(stages, "topic"):
                self._check_topic(paragraphs, [i for i, _, _ in units], unit_vectors)
            vector_at = {(start, end): vector for (_, start, end), vector in zip(units, unit_vectors)}
            layers_at = {(start, end): layers for (_, start, end), layers in zip(units, unit_layers)}
        with stage(stages, "attribute"):
            body = [p for p in paragraphs if p.kind == BODY]
            speakers = self.attributor.attribute(body, outlet) if body else []
        sentences, spans = _sentences(text, paragraphs, speakers)
        # Every sentence that reads as a claim is embedded (for the index) and scored.
        readable = [position for position, sentence in enumerate(sentences) if sentence.is_claim]
        missing = [position for position in readable if (sentences[position].start, sentences[position].end) not in vector_at]
        if missing:
            with stage(stages, "embed"):
                vectors, layers = self.encoder.encode_with_layers([sentences[position].text for position in missing])
            vector_at.update(((sentences[p].start, sentences[p].end), v) for p, v in zip(missing, vectors))
            layers_at.update(((sentences[p].start, sentences[p].end), m) for p, m in zip(missing, layers))
        claim_vectors = {p: vector_at[(sentences[p].start, sentences[p].end)] for p in readable}
        with stage(stages, "checkworthiness"):
            self._score(sentences, spans, readable, {p: layers_at[(sentences[p].start, sentences[p].end)] for p in readable})
        return ReadArticle(text=text, paragraphs=paragraphs, sentences=sentences, claim_vectors=claim_vectors)

    def _score(self, sentences: list[Sentence], spans: list, readable: list[int], layers: dict) -> None:
        """Give each sentence its check-worthiness (0 for what does not read as a claim) and
        keep as claims those at or above the threshold, so that is_claim is exactly
        "check_worthiness >= claim_threshold"."""
        for sentence in sentences:
            sentence.check_worthiness = 0.0
        if not readable:
            return
        scores = self.checkworthiness.score(np.array([layers[p] for p in readable]), [spans[p] for p in readable])
        for position, score in zip(readable, scores):
            sentences[position].check_worthiness = round(float(score), 4)
            sentences[position].is_claim = sentences[position].check_worthiness >= self.claim_threshold

    def _parse(self, text: str, paragraphs: list[Paragraph]) -> None:
        """Give each body paragraph its spaCy parse."""
        body = [p for p in paragraphs if p.kind == BODY]
        texts = (text[p.start:p.end] for p in body)
        for paragraph, doc in zip(body, self.nlp.pipe(texts, batch_size=32)):
            paragraph.doc = doc

    def _check_topic(self, paragraphs: list[Paragraph], owners: list[int], vectors: np.ndarray) -> None:
        """Demote off-topic lines: a headline candidate, and full-stopped lines at the edges.

        ``vectors`` are the embeddings of the body sentences and headlines, ``owners`` the
        index of the paragraph each belongs to."""
        body = [p for p in paragraphs if p.kind == BODY]
        if len(body) < 2:
            return
        sums = np.zeros((len(paragraphs), vectors.shape[1]), dtype=np.float32)
        np.add.at(sums, np.asarray(owners, dtype=np.int64), vectors)
        vectors = sums / np.linalg.norm(sums, axis=1, keepdims=True).clip(min=1e-9)
        is_body = np.array([p.kind == BODY for p in paragraphs])
        total = vectors[is_body].sum(axis=0)
        # Each body line is compared with the rest of the body, not with itself.
        centroids = np.where(is_body[:, None], total - vectors, total)
        centroids /= np.linalg.norm(centroids, axis=1, keepdims=True).clip(min=1e-9)
        similarity = (vectors * centroids).sum(axis=1)
        for paragraph, score in zip(paragraphs, similarity):
            if paragraph.kind == HEADLINE and score < HEADLINE_MIN_SIMILARITY:
                paragraph.kind = TEASER
        if len(body) < MIN_BODY_FOR_EDGE_CHECK:
            return  # too little article to tell what its topic is
        for order in (range(len(paragraphs)), reversed(range(len(paragraphs)))):
            for i in order:
                if paragraphs[i].kind == BODY:
                    if similarity[i] >= EDGE_MIN_SIMILARITY:
                        break
                    paragraphs[i].kind = TEASER


def headline_of(article: ReadArticle) -> Optional[str]:
    for paragraph in article.paragraphs:
        if paragraph.kind == HEADLINE:
            return article.text[paragraph.start:paragraph.end]
    return None


def _units(paragraphs: list[Paragraph]) -> list[tuple[int, int, int]]:
    """(paragraph index, start, end) of each body sentence and each headline: what the
    topic check embeds."""
    units = [(i, p.start + span.start_char, p.start + span.end_char)
             for i, p in enumerate(paragraphs) if p.kind == BODY for span in p.doc.sents]
    return units + [(i, p.start, p.end) for i, p in enumerate(paragraphs) if p.kind == HEADLINE]


def _sentences(text: str, paragraphs: list[Paragraph], speakers: list[list]) -> tuple[list[Sentence], list]:
    """The article's sentences in order, and the spaCy span of each (None for headlines
    and teasers): a headline or teaser is one non-claim sentence with no speaker; a body
    sentence reads as a claim or not (``claims.is_claim``), with its speaker."""
    sentences: list[Sentence] = []
    spans: list = []
    body_speakers = iter(speakers)
    for index, paragraph in enumerate(paragraphs):
        if paragraph.kind != BODY:
            sentences.append(Sentence(text=text[paragraph.start:paragraph.end], start=paragraph.start,
                                      end=paragraph.end, is_claim=False, speaker=None, paragraph=index,
                                      section=paragraph.kind))
            spans.append(None)
            continue
        for span, speaker in zip(paragraph.doc.sents, next(body_speakers)):
            start, end = paragraph.start + span.start_char, paragraph.start + span.end_char
            sentences.append(Sentence(text=text[start:end], start=start, end=end, is_claim=is_claim(span),
                                      speaker=speaker, paragraph=index))
            spans.append(span)
    return sentences, spans

"""Read one article: clean it, split it into sentences, mark claims, attribute speakers.

    reader = ArticleReader()
    article = reader.read(text, outlet="AFP")
    for sentence in article.sentences:
        sentence.text, sentence.check_worthiness, sentence.is_claim, sentence.speaker

Each body sentence is embedded once, while reading (the topic check needs them, and so
does the check-worthiness score). A sentence is a claim when it reads as one
(``models.claims``: not a question, fragment or instruction; headlines and teasers never
are) and its check-worthiness (``models.checkworthiness``) is at least ``claim_threshold``.
Whether a sentence is indexed as evidence does not depend on its score: a sentence that
is not worth checking on its own can still corroborate or contradict a claim. The
vectors of every sentence that reads as a claim come back in ``claim_vectors``, for the
index, as before the score existed.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .article import BODY, HEADLINE, TEASER, Paragraph, ReadArticle, Sentence
from .checkworthiness import load_checkworthiness
from .claims import is_claim
from .cleaning import clean
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

    def read(self, text: str, outlet: Optional[str] = None, stages: Optional[Stages] = None) -> ReadArticle:
        """``stages``, when given, collects the seconds spent cleaning, parsing and so on."""
        with stage(stages, "clean"):
            paragraphs = clean(text)
        with stage(stages, "parse"):
            body = [p for p in paragraphs if p.kind == BODY]
            texts = (text[p.start:p.end] for p in body)
            for paragraph, doc in zip(body, self.nlp.pipe(texts, batch_size=32)):
                paragraph.doc = doc
        # Each body sentence and each headline is embedded once: the topic check uses
        # them (a paragraph is the mean of its sentences), and so does the index.
        with stage(stages, "embed"):
            units = [(i, p.start + span.start_char, p.start + span.end_char)
                     for i, p in enumerate(paragraphs) if p.kind == BODY for span in p.doc.sents]
            units += [(i, p.start, p.end) for i, p in enumerate(paragraphs) if p.kind == HEADLINE]
            unit_vectors = self.encoder.encode([text[start:end] for _, start, end in units])
        with stage(stages, "topic"):
            self._check_topic(paragraphs, [i for i, _, _ in units], unit_vectors)
        body = [p for p in paragraphs if p.kind == BODY]
        with stage(stages, "attribute"):
            speakers = self.attributor.attribute(body, outlet) if body else []
        vector_at = {(start, end): vector for (_, start, end), vector in zip(units, unit_vectors)}
        with stage(stages, "checkworthiness"):
            spans = [(p, span) for p in body for span in p.doc.sents]
            vectors = np.array([vector_at[(p.start + s.start_char, p.start + s.end_char)] for p, s in spans])
            worthiness = iter(self.checkworthiness.score(vectors, [span for _, span in spans]))

        sentences: list[Sentence] = []
        indexed: list[int] = []  # positions of the sentences that read as claims
        body_speakers = iter(speakers)
        for index, paragraph in enumerate(paragraphs):
            if paragraph.kind != BODY:
                # Headlines and crawled teasers: one non-claim sentence, no speaker.
                sentences.append(
                    Sentence(
                        text=text[paragraph.start:paragraph.end],
                        start=paragraph.start,
                        end=paragraph.end,
                        is_claim=False,
                        check_worthiness=0.0,
                        speaker=None,
                        paragraph=index,
                        section=paragraph.kind,
                    )
                )
                continue
            paragraph_speakers = next(body_speakers)
            for span, speaker in zip(paragraph.doc.sents, paragraph_speakers):
                start = paragraph.start + span.start_char
                end = paragraph.start + span.end_char
                # What does not read as a claim scores 0, so that is_claim is exactly
                # "check_worthiness >= claim_threshold".
                reads_as_claim = is_claim(span)
                score = round(float(next(worthiness)), 4)
                score = score if reads_as_claim else 0.0
                if reads_as_claim:
                    indexed.append(len(sentences))
                sentences.append(
                    Sentence(
                        text=text[start:end],
                        start=start,
                        end=end,
                        is_claim=reads_as_claim and score >= self.claim_threshold,
                        check_worthiness=score,
                        speaker=speaker,
                        paragraph=index,
                    )
                )
        vectors = {position: vector_at[(sentences[position].start, sentences[position].end)]
                   for position in indexed}
        return ReadArticle(text=text, paragraphs=paragraphs, sentences=sentences, claim_vectors=vectors)

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

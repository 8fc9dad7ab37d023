"""Speaker-attribution benchmark on PolNeAR (issue 3).

Runs the API's pipeline (models.pipeline.ArticleReader) on each article of one part
of the fixed split (benchmarks/polnear_split.json) and compares the speakers of its
sentences with PolNeAR's gold attribution relations.

Scope: gold relations with a Source whose Cue holds a verb of saying or reporting
(benchmarks/polnear.py SCOPE_VERBS, any inflection), "according to", a colon, or
whose Content opens with a quotation mark. For each, the sentence holding the start
of its Content is scored: right (overlap) when that sentence's speaker mention
overlaps the gold Source, right (exact) when both are equal after trimming
punctuation and white space. Recall = right / relations in scope. Precision = right
sentences / sentences given a speaker other than the publisher (once per sentence).

    .venv/bin/python benchmarks/attribution.py                 # held-out part
    .venv/bin/python benchmarks/attribution.py --part tuning --cache

--cache keeps the parsed articles under benchmarks/out/ so that re-runs only redo
attribution (for tuning; the timings then cover attribution alone).

The split is benchmarks/polnear_split.json (80% tuning / 20% held-out by a hash of the
article name, written once by benchmarks/polnear.py); rules were tuned on the tuning
part only. Speed: attribution time is measured inside the run and taken out for the
"without" figure; --baseline also times a second full run with a publisher-only
attributor. Person speakers "with a full name": not a pronoun, and not a bare surname
when the article gives the name with a given name.

Sample output (held-out part, this commit's tree, 2 quiet CPU cores, about 1.3 min; error
examples shortened). Before the straight-quote sentence split: overlap F1 0.889, exact
F1 0.840; before this session's round (37ed933): overlap P 0.910 R 0.836 F1 0.871,
exact F1 0.822, full names 0.976:

    PolNeAR held_out: 183 articles, 2330 gold relations in scope, 2961 sentences attributed to a non-publisher speaker

    score         P      R     F1   P start F1 start
    overlap   0.926  0.865  0.895     0.663    0.751
    exact     0.879  0.814  0.845     0.625    0.707
    (P: a sentence is right when its speaker is the Source of an in-scope relation whose
     Content covers it, so every sentence of a multi-sentence quote can be right;
     P start: only when that Content starts in the sentence, as recall counts.)

    in-scope relations whose sentence got no speaker or the publisher: 0.082
    person speakers with a full name: 0.973 (2309/2372)
    articles/s with attribution: 2.58; without it (same run, attribution time taken out): 2.64; attribution alone: 119.4

    20 commonest error patterns:
       89  wrong source | later sentence of a gold Content
           e.g. 'The New York Times reported it obtained 72 work-related emails that Carter sent or received from  ...
       72  boundary | mention longer than gold
           e.g. system='Clinton' gold='t'
       47  boundary | mention shorter than gold
           e.g. system='Lloyd Grove, the Daily Beast editor' gold='Lloyd Grove, the Daily Beast editor who wrote t ...
       19  wrong source | gold cue 'said'
           e.g. '“Very good reporter, very good reporter this guy,” Trump, the 2016 GOP presidential frontrunner n ...
       15  spurious | no gold relation | system cue 'said'
           e.g. "''That loophole explains the amount of the loans that were given.''" system='she'
       10  missed | gold cue ':'
           e.g. 'Poll: Bernie Sanders Burns Hillary Clinton With First-Ever National Lead.' gold='Poll'
        9  missed | gold cue 'said'
        7  wrong source | gold cue 'say'
        7  wrong source | gold cue 'says'
        7  spurious | no gold relation | system cue 'told'
        ... (20 in all)

Tuning part at the same tree (--cache): overlap P 0.922 R 0.864 F1 0.892, exact
P 0.881 R 0.818 F1 0.849, no speaker 0.086, full names 0.968.
"""
from __future__ import annotations

import argparse
import pickle
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.polnear import Article, GoldSpan, Relation, load_article, load_split  # noqa: E402
from models.article import BODY, PERSON, PUBLISHER, Paragraph, Speaker  # noqa: E402

CACHE = REPO / "benchmarks" / "out"
TRIM = " \t\n.,;:!?\"“”‘’'()[]—–-"
# Words before a surname that are not a given name ("Mr. Obama", "President Obama").
TITLES = set("""
    mr mrs ms miss dr president sen senator rep gov governor secretary judge justice gen
    general vice prime minister mayor pope king queen prince chancellor speaker former the
    candidate leader chairman director spokesman spokeswoman professor prof rev sir lady
    lord colonel col capt captain lt sgt adm admiral agent officer coach host
""".split())
PRONOUNS = {"he", "she", "him", "her", "they", "them", "i", "we", "you", "it", "who", "his", "hers", "their"}


@dataclass
class ReadSentence:
    start: int
    end: int
    text: str
    speaker: Optional[Speaker]


class Recorder:
    """An attributor wrapper that times attribution and keeps the paragraphs it was
    given (for the cache)."""

    def __init__(self, inner):
        self.inner = inner
        self.paragraphs: list[Paragraph] = []
        self.seconds = 0.0

    def attribute(self, paragraphs, outlet):
        self.paragraphs = paragraphs
        started = time.perf_counter()
        speakers = self.inner.attribute(paragraphs, outlet)
        self.seconds += time.perf_counter() - started
        return speakers


class PublisherOnly:
    """No attribution: every sentence in the publisher's voice (the speed baseline)."""

    def attribute(self, paragraphs, outlet):
        return [[Speaker.publisher(outlet) for _ in p.doc.sents] for p in paragraphs]


# --- reading -------------------------------------------------------------------------


def read_all(articles: list[Article], use_cache: bool, part: str):
    """[(article, [ReadSentence])], the seconds spent reading, the seconds of that spent
    in attribution, and the reader (None when read from the cache)."""
    from models.attribution import SpeakerAttributor

    cache_file = CACHE / f"polnear-{part}.pickle"
    attributor = SpeakerAttributor()
    if use_cache and cache_file.exists():
        from spacy.tokens import DocBin

        from models.language import load_nlp

        nlp = load_nlp()
        stored = pickle.loads(cache_file.read_bytes())
        results, started = [], time.perf_counter()
        for article in articles:
            bounds, doc_bytes = stored[article.name]
            docs = list(DocBin().from_bytes(doc_bytes).get_docs(nlp.vocab))
            body = [Paragraph(start, end, BODY, doc) for (start, end), doc in zip(bounds, docs)]
            speakers = attributor.attribute(body, article.publisher) if body else []
            results.append((article, _sentences(article.text, body, speakers)))
        seconds = time.perf_counter() - started
        return results, seconds, seconds, None

    from models.pipeline import ArticleReader

    recorder = Recorder(attributor)
    reader = ArticleReader(attributor=recorder)
    results, stored, started = [], {}, time.perf_counter()
    for article in articles:
        recorder.paragraphs = []
        read = reader.read(article.text, outlet=article.publisher)
        sentences = [ReadSentence(s.start, s.end, s.text, s.speaker) for s in read.sentences]
        results.append((article, sentences))
        if use_cache:
            from spacy.tokens import DocBin

            bin_ = DocBin(attrs=["ORTH", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "LEMMA", "POS", "MORPH", "SENT_START"])
            for paragraph in recorder.paragraphs:
                bin_.add(paragraph.doc)
            stored[article.name] = ([(p.start, p.end) for p in recorder.paragraphs], bin_.to_bytes())
    seconds = time.perf_counter() - started
    if use_cache:
        CACHE.mkdir(parents=True, exist_ok=True)
        cache_file.write_bytes(pickle.dumps(stored))
    return results, seconds, recorder.seconds, reader


def _sentences(text: str, body: list[Paragraph], speakers) -> list[ReadSentence]:
    sentences = []
    for paragraph, paragraph_speakers in zip(body, speakers):
        for span, speaker in zip(paragraph.doc.sents, paragraph_speakers):
            start, end = paragraph.start + span.start_char, paragraph.start + span.end_char
            sentences.append(ReadSentence(start, end, text[start:end], speaker))
    return sentences


def time_without_attribution(articles: list[Article], reader) -> float:
    from models.pipeline import ArticleReader

    baseline = ArticleReader(nlp=reader.nlp, encoder=reader.encoder, attributor=PublisherOnly())
    started = time.perf_counter()
    for article in articles:
        baseline.read(article.text, outlet=article.publisher)
    return time.perf_counter() - started


# --- scoring -------------------------------------------------------------------------


def trim(text: str) -> str:
    return " ".join(text.split()).strip(TRIM).lower()


def overlaps(speaker: Speaker, gold: GoldSpan) -> bool:
    m = speaker.mention
    return any(m.start < end and start < m.end for start, end in gold.fragments)


def exact(speaker: Speaker, gold: GoldSpan) -> bool:
    return trim(speaker.mention.text) == trim(gold.text)


def covers(content: GoldSpan, sentence: ReadSentence) -> bool:
    """Whether a gold Content holds words of ``sentence`` (a quote of several sentences)."""
    for start, end in content.fragments:
        inside = sentence.text[max(start, sentence.start) - sentence.start: min(end, sentence.end) - sentence.start]
        if any(ch.isalnum() for ch in inside):
            return True
    return False


def sentence_of(sentences: list[ReadSentence], offset: int) -> Optional[ReadSentence]:
    for sentence in sentences:
        if sentence.start <= offset < sentence.end:
            return sentence
    for sentence in sentences:  # content starting in the white space before a sentence
        if 0 <= sentence.start - offset <= 3:
            return sentence
    return None


def attributed(speaker: Optional[Speaker]) -> bool:
    return speaker is not None and speaker.kind != PUBLISHER and speaker.mention is not None


def cue_key(text: str) -> str:
    text = " ".join(text.lower().split())
    return text if len(text) < 25 else text[:22] + "..."


def describe(speaker: Speaker, gold: GoldSpan) -> str:
    mention, wanted = trim(speaker.mention.text), trim(gold.text)
    if wanted in mention:
        return "mention longer than gold"
    if mention in wanted:
        return "mention shorter than gold"
    return "mention shifted"


class Score:
    def __init__(self):
        self.relations = 0
        self.right = {"overlap": 0, "exact": 0}
        self.unattributed = 0
        self.system_sentences = 0
        # sentences right on a relation whose Content starts in it / merely covers it
        self.right_sentences = Counter()
        self.errors: Counter = Counter()
        self.examples: dict[str, str] = {}
        self.person_speakers = 0
        self.full_names = 0

    def error(self, pattern: str, example: str) -> None:
        self.errors[pattern] += 1
        self.examples.setdefault(pattern, example)

    def add(self, article: Article, sentences: list[ReadSentence]) -> None:
        in_scope: dict[int, list[Relation]] = {}
        out_of_scope: dict[int, list[Relation]] = {}
        for relation in article.relations:
            if relation.content is None:
                continue
            sentence = sentence_of(sentences, relation.content.start)
            target = in_scope if relation.in_scope else out_of_scope
            if relation.source is not None:
                target.setdefault(id(sentence), []).append(relation)
            if not relation.in_scope:
                continue
            self.relations += 1
            speaker = sentence.speaker if sentence else None
            where = (sentence.text if sentence else "")[:110]
            if not attributed(speaker):
                self.unattributed += 1
                self.error(f"missed | gold cue '{cue_key(relation.cue.text)}'",
                           f"{where!r} gold={relation.source.text!r}")
                continue
            if overlaps(speaker, relation.source):
                self.right["overlap"] += 1
                if exact(speaker, relation.source):
                    self.right["exact"] += 1
                else:
                    self.error(f"boundary | {describe(speaker, relation.source)}",
                               f"system={speaker.mention.text!r} gold={relation.source.text!r}")
            else:
                self.error(f"wrong source | gold cue '{cue_key(relation.cue.text)}'",
                           f"{where!r} system={speaker.mention.text!r} gold={relation.source.text!r}")

        for sentence in sentences:
            if not attributed(sentence.speaker):
                continue
            self.system_sentences += 1
            starting = in_scope.get(id(sentence), [])
            covering = [r for r in article.relations if r.in_scope and covers(r.content, sentence)]
            for name, gold in (("start", starting), ("covered", covering)):
                if any(overlaps(sentence.speaker, r.source) for r in gold):
                    self.right_sentences[f"overlap-{name}"] += 1
                if any(exact(sentence.speaker, r.source) for r in gold):
                    self.right_sentences[f"exact-{name}"] += 1
            if covering and not starting and not any(overlaps(sentence.speaker, r.source) for r in covering):
                self.error("wrong source | later sentence of a gold Content",
                           f"{sentence.text[:110]!r} system={sentence.speaker.mention.text!r} "
                           f"gold={covering[0].source.text!r}")
            if not covering:
                other = out_of_scope.get(id(sentence), [])
                why = f"gold cue out of scope '{cue_key(other[0].cue.text)}'" if other and other[0].cue else "no gold relation"
                self.error(f"spurious | {why} | system cue '{cue_key(sentence.speaker.cue or '')}'",
                           f"{sentence.text[:110]!r} system={sentence.speaker.mention.text!r}")
            self._count_name(article, sentence.speaker)

    def _count_name(self, article: Article, speaker: Speaker) -> None:
        if speaker.kind != PERSON and speaker.name.strip().lower() not in PRONOUNS:
            return  # (an unresolved pronoun counts as a person speaker without a full name)
        self.person_speakers += 1
        name = speaker.name.strip()
        if name.lower() in PRONOUNS:
            return
        words = name.split()
        if len(words) == 1 and any(
            given.lower().rstrip(".") not in TITLES
            for given in re.findall(r"\b([A-Z][\w.’'-]+) " + re.escape(words[0]) + r"\b", article.text)
        ):
            return  # a bare surname although the article gives the full name
        self.full_names += 1


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def report(score: Score, part: str, articles: int, seconds: float, attribution: float,
           baseline: Optional[float], errors: int) -> str:
    lines = [f"PolNeAR {part}: {articles} articles, {score.relations} gold relations in scope, "
             f"{score.system_sentences} sentences attributed to a non-publisher speaker", ""]
    lines.append(f"{'score':<8} {'P':>6} {'R':>6} {'F1':>6}   {'P start':>7} {'F1 start':>8}")
    for kind in ("overlap", "exact"):
        def precision(name: str) -> float:
            right = score.right_sentences[f"{kind}-{name}"]
            return right / score.system_sentences if score.system_sentences else 0.0

        p, p_start = precision("covered"), precision("start")
        r = score.right[kind] / score.relations if score.relations else 0.0
        lines.append(f"{kind:<8} {p:6.3f} {r:6.3f} {f1(p, r):6.3f}   {p_start:7.3f} {f1(p_start, r):8.3f}")
    lines.append("(P: a sentence is right when its speaker is the Source of an in-scope relation whose")
    lines.append(" Content covers it, so every sentence of a multi-sentence quote can be right;")
    lines.append(" P start: only when that Content starts in the sentence, as recall counts.)")
    lines.append("")
    share = score.unattributed / score.relations if score.relations else 0.0
    lines.append(f"in-scope relations whose sentence got no speaker or the publisher: {share:.3f}")
    named = score.full_names / score.person_speakers if score.person_speakers else 0.0
    lines.append(f"person speakers with a full name: {named:.3f} ({score.full_names}/{score.person_speakers})")
    if seconds > attribution:
        lines.append(f"articles/s with attribution: {articles / seconds:.2f}; without it "
                     f"(same run, attribution time taken out): {articles / (seconds - attribution):.2f}; "
                     f"attribution alone: {articles / attribution:.1f}")
    else:
        lines.append(f"articles/s of attribution alone (parses from the cache): {articles / attribution:.1f}")
    if baseline is not None:
        lines.append(f"articles/s without attribution (second run, publisher only): {articles / baseline:.2f}")
    lines.append("")
    lines.append(f"{errors} commonest error patterns:")
    for pattern, count in score.errors.most_common(errors):
        lines.append(f"{count:5d}  {pattern}")
        lines.append(f"       e.g. {score.examples[pattern]}")
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("held_out", "tuning"), default="held_out")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--cache", action="store_true", help="keep/reuse parses under benchmarks/out/")
    parser.add_argument("--baseline", action="store_true",
                        help="also time a second full run without attribution")
    parser.add_argument("--errors", type=int, default=20)
    args = parser.parse_args(argv)

    names = load_split()[args.part][: args.limit]
    articles = [load_article(name) for name in names]
    results, seconds, attribution, reader = read_all(articles, args.cache, args.part)
    score = Score()
    for article, sentences in results:
        score.add(article, sentences)
    baseline = None
    if reader is not None and args.baseline:
        baseline = time_without_attribution(articles, reader)
    print(report(score, args.part, len(articles), seconds, attribution, baseline, args.errors))


if __name__ == "__main__":
    main()

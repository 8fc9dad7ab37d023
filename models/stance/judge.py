"""StanceJudge: the stance of each candidate sentence toward a claim, with a reason.

Evidence, in the order it decides:

1. the cosine similarity of the MiniLM embeddings the service already has: below
   ``unrelated_below`` -> unrelated, at least ``corroborates_from`` -> corroborates, in
   between -> discusses; where the trained cross-encoder (``model.py``, when its
   artifact is present) is confident (p >= ``model_decides_from``) it turns a middle-band
   sentence into corroborates / contradicts, or a paraphrase into contradicts. (The
   current small model is too weak to decide unrelated or paraphrase on its own: see
   MODEL_CARD.md.)
2. the detectors, which override the model or the similarity rule on a sentence that is
   on the claim's topic (not judged unrelated):
   - a conflicting figure about the same thing (``quantities.py``) -> contradicts;
   - a negation / refuting cue on the claim's predicate (``refutation.py``) -> contradicts;
   - a figure that agrees, with no negation -> corroborates;
   - a hedge in the sentence but not the claim ("reportedly", ``hedging.py``) turns a
     corroboration into discusses.

The model runs only on sentences past ``unrelated_below``; their verdicts carry its raw
``logits`` (and ``detector`` names the detector that decided, if one did, and
``refuting_word`` a refuting word of the sentence that the claim lacks), which
``article()`` pools into one stance per article (``article_rule.py``).

``score`` is the probability of the returned stance: the model's temperature-scaled
probability (temperature fitted on a calibration slice), or, where a rule decides, a
fixed score for that rule (``rule_scores`` in config.json; the larger of it and the
model's own probability). The rule scores are set, not fitted: the detectors fire too
rarely in the labelled data to measure their precision per sentence.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Optional

from models.stance import hedging, quantities, refutation
from models.stance.article_rule import ArticleRule, article_stance
from models.stance.labels import CONTRADICTS, CORROBORATES, DISCUSSES, LABELS, UNRELATED
from models.stance.parsing import Parser
from models.stance.verdict import StanceVerdict

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "artifact"

# Used when no artifact (or no config.json) is present. The similarity thresholds and
# rule scores are replaced by the values fitted on held-out data in config.json.
DEFAULT_CONFIG = {
    "unrelated_below": 0.25,
    "corroborates_from": 0.70,
    # the model overrides the similarity rule where its corroborates/contradicts p is at least this
    "model_decides_from": 0.6,
    "rule_scores": {
        "similarity_corroborates": 0.70,
        "similarity_discusses": 0.60,
        "similarity_unrelated": 0.90,
        "figures_conflict": 0.75,
        "negation": 0.75,
        "figures_agree": 0.75,
        "hedged": 0.65,
    },
}


class StanceJudge:
    """Decides stance for a batch of candidate sentences against one claim."""

    def __init__(self, model_dir: Optional[str | Path] = None, use_model: bool = True, nlp=None):
        """``model_dir``: the artifact directory (the bundled one by default); ``nlp``: the
        spaCy pipeline the detectors parse with (the service's, by default)."""
        if nlp is None:
            from models.language import load_nlp

            nlp = load_nlp()
        self.parser = Parser(nlp)
        directory = Path(model_dir) if model_dir else DEFAULT_MODEL_DIR
        self.config = json.loads(json.dumps(DEFAULT_CONFIG))
        config_path = directory / "config.json"
        if config_path.exists():
            fitted = json.loads(config_path.read_text())
            self.config["rule_scores"].update(fitted.pop("rule_scores", {}))
            self.config.update(fitted)
        self.model = None
        self.artifact = None  # short digest of the artifact's files, when the model runs
        if use_model:
            from models.stance.model import StanceModel  # onnxruntime only when needed

            if StanceModel.available(directory):
                self.model = StanceModel(directory, self.config)
                self.artifact = _digest(directory / name for name in (*StanceModel.FILES, "config.json"))
        self.article_rule = ArticleRule.from_config(self.config, with_model=self.model is not None)

    @property
    def name(self) -> str:
        """What decides, for /v1/stats."""
        if self.model is not None:
            return "stance cross-encoder (all-MiniLM-L6-v2, int8 ONNX) + quantity and negation detectors"
        return "similarity + quantity and negation detectors"

    @property
    def version(self) -> str:
        """Which stance judge answered: with the artifact's digest when its model runs."""
        return f"cross-encoder+detectors@{self.artifact}" if self.model is not None else "similarity+detectors"

    def on_topic(self, similarity: float) -> bool:
        """Whether a sentence this similar to the claim is on its topic: a verdict is
        ``unrelated`` exactly when it is not (neither the model nor a detector ever
        decides unrelated), so this is known before anything is judged."""
        return float(similarity) >= self.config["unrelated_below"]

    def judge(self, claim: str, sentences: list[str], similarities: list[float]) -> list[StanceVerdict]:
        """Batched: one verdict per sentence. ``similarities`` are cosine similarities of
        normalised all-MiniLM-L6-v2 embeddings between claim and sentence."""
        if len(sentences) != len(similarities):
            raise ValueError("one similarity per sentence is needed")
        if not sentences:
            return []
        logits = self._logits(claim, sentences, similarities)
        probabilities = [None if row is None else self.model.probabilities(row[None, :])[0] for row in logits]
        bases = [self._base(float(s), p) for s, p in zip(similarities, probabilities)]
        verdicts = self._detected(claim, sentences, similarities, bases, probabilities)
        verdicts = [self._unless_hedged(claim, sentence, verdict, probs)
                    for sentence, verdict, probs in zip(sentences, verdicts, probabilities)]
        return self._with_article_hints(claim, sentences, similarities, verdicts, logits)

    def _detected(self, claim, sentences, similarities, bases, probabilities) -> list[StanceVerdict]:
        """The base verdicts, overridden where a detector (figures, negation) decides. Only
        what a detector can act on is parsed: related sentences with a number or a cue word."""
        claim_numbers, claim_cues = quantities.has_number(claim), refutation.has_cue(claim)
        needs = [base.stance != UNRELATED and ((claim_numbers and quantities.has_number(sentence))
                                               or claim_cues or refutation.has_cue(sentence))
                 for sentence, base in zip(sentences, bases)]
        if not any(needs):
            return list(bases)
        to_parse = [claim, *(s for s, need in zip(sentences, needs) if need)]
        docs = dict(zip(to_parse, self.parser.parse_many(to_parse)))
        claim_qs = quantities.extract(docs[claim]) if claim_numbers else []
        verdicts = []
        for sentence, similarity, base, probs, need in zip(sentences, similarities, bases, probabilities, needs):
            if not need:
                verdicts.append(base)
                continue
            figures = quantities.compare_quantities(claim_qs, quantities.extract(docs[sentence]) if claim_qs else [])
            polarity = refutation.compare_docs(docs[claim], docs[sentence])
            verdicts.append(self._decide(base, probs, figures, polarity, float(similarity)))
        return verdicts

    @staticmethod
    def _with_article_hints(claim, sentences, similarities, verdicts, logits) -> list[StanceVerdict]:
        """What the article rule weighs besides the stance: the model's logits, the
        similarity, and a refuting word of an on-topic sentence that the claim lacks ("X is
        a hoax": the article's "hoax" then agrees)."""
        claim_refutes = refutation.refuting_word(claim) is not None
        return [replace(v, logits=None if row is None else tuple(float(x) for x in row),
                        refuting_word=None if claim_refutes or v.stance == UNRELATED
                        else refutation.refuting_word(sentence), similarity=float(similarity))
                for v, row, sentence, similarity in zip(verdicts, logits, sentences, similarities)]

    def _logits(self, claim, sentences, similarities) -> list:
        """The model's logits for each sentence on the claim's topic (None for the others,
        which the similarity rule already calls unrelated, and without the model)."""
        logits = [None] * len(sentences)
        if self.model is None:
            return logits
        on_topic = [i for i, s in enumerate(similarities) if self.on_topic(s)]
        if on_topic:
            rows = self.model.logits([claim] * len(on_topic), [sentences[i] for i in on_topic])
            for i, row in zip(on_topic, rows):
                logits[i] = row
        return logits

    # ------------------------------------------------------------------ decision
    def _decide(self, base, probs, figures, polarity, similarity) -> StanceVerdict:
        rules = self.config["rule_scores"]
        if polarity.both_negated and base.stance == CONTRADICTS:
            base = self._similarity_rule(similarity)  # the model missed that both sides negate
        if figures.conflicts:
            return StanceVerdict(CONTRADICTS, self._score(CONTRADICTS, probs, rules["figures_conflict"]),
                                 figures.reason(), detector="figures")
        if polarity.flips:
            return StanceVerdict(CONTRADICTS, self._score(CONTRADICTS, probs, rules["negation"]), polarity.reason(),
                                 detector="negation")
        if figures.agrees and not polarity.both_negated and base.stance != CORROBORATES:
            return StanceVerdict(CORROBORATES, self._score(CORROBORATES, probs, rules["figures_agree"]),
                                 figures.reason(), detector="figures")
        extra = figures.reason()
        if extra and base.stance == CORROBORATES:
            return StanceVerdict(base.stance, base.score, f"{base.reason}; {extra}")
        return base

    def _unless_hedged(self, claim, sentence, verdict, probs) -> StanceVerdict:
        """A corroboration that the sentence only reports ("reportedly", "unconfirmed")
        discusses the claim instead (``hedging.py``)."""
        if verdict.stance != CORROBORATES:
            return verdict
        hedge = hedging.reports_without_vouching(claim, sentence)
        if hedge is None:
            return verdict
        return StanceVerdict(DISCUSSES, self._score(DISCUSSES, probs, self.config["rule_scores"]["hedged"]),
                             f'sentence reports the claim without confirming it ("{hedge}")', detector="hedge")

    def _base(self, similarity, probs) -> StanceVerdict:
        """The similarity rule, with the model deciding where it is confident: in the middle
        band it may call a sentence corroborating or contradicting, and it may call a
        close paraphrase contradicting (p >= ``model_decides_from``)."""
        rule = self._similarity_rule(similarity)
        if probs is None or rule.stance == UNRELATED:
            return rule
        best = max((CORROBORATES, CONTRADICTS), key=lambda s: probs[LABELS.index(s)])
        p = float(probs[LABELS.index(best)])
        if p >= self.config["model_decides_from"] and (rule.stance == DISCUSSES or best == CONTRADICTS):
            return StanceVerdict(best, p, _model_reason(best, p, similarity))
        return rule

    def article(self, verdicts: list[StanceVerdict]) -> StanceVerdict:
        """What an article says about the claim, from the verdicts on its sentences
        (``article_rule.py``; the rule fitted for this judge, with or without its model)."""
        return article_stance(verdicts, self.article_rule)

    def unrelated(self, similarity) -> StanceVerdict:
        """The verdict on a sentence too far from the claim to say anything about it."""
        return StanceVerdict(UNRELATED, self.config["rule_scores"]["similarity_unrelated"],
                             f"sentence is about something else (similarity {similarity:.2f})")

    def _similarity_rule(self, similarity) -> StanceVerdict:
        rules = self.config["rule_scores"]
        if not self.on_topic(similarity):
            return self.unrelated(similarity)
        if similarity >= self.config["corroborates_from"]:
            return StanceVerdict(CORROBORATES, rules["similarity_corroborates"],
                                 f"sentence restates the claim (similarity {similarity:.2f}) "
                                 "with no conflicting figure or negation")
        return StanceVerdict(DISCUSSES, rules["similarity_discusses"],
                             f"sentence is on the claim's topic (similarity {similarity:.2f}) "
                             "but neither confirms nor denies it")

    @staticmethod
    def _score(stance, probs, rule_score) -> float:
        """A rule's held-out precision, or the model's own probability when that is higher."""
        if probs is None:
            return rule_score
        return max(rule_score, float(probs[LABELS.index(stance)]))


def _model_reason(stance: str, p: float, similarity: float) -> str:
    words = {
        CORROBORATES: "sentence says what the claim says",
        CONTRADICTS: "sentence says the opposite of the claim",
        DISCUSSES: "sentence is on the claim's topic but neither confirms nor denies it",
        UNRELATED: "sentence is about something else",
    }[stance]
    return f"{words} (model p={p:.2f}, similarity {similarity:.2f})"


def _digest(paths) -> str:
    """The first 12 hex digits of the SHA-256 of the files' contents, in order."""
    digest = hashlib.sha256()
    for path in paths:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]

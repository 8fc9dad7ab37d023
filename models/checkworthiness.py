"""How worth checking is a sentence: a calibrated score in [0, 1].

    model = load_checkworthiness()
    scores = model.score(layers, spans)  # one per sentence

The score is a logistic regression over what the reader already has for every
sentence: the mean token state at the end of each of all-MiniLM-L6-v2's six layers
(``SentenceEncoder.encode_with_layers``, from the run that embeds the sentence; the
last of them is its embedding before normalisation) and a few cheap features of its
spaCy parse (numbers and quantities, named entities, tense, first person, a question,
a cue of attribution). The lower layers likely keep more of how a sentence is built,
which is much of what makes it worth checking: over the embedding alone they lift the
cross-validated F1 from 0.77 to 0.81. Its probability is calibrated by an isotonic
map. Both are plain numbers in ``checkworthiness/model.json``, so scoring needs numpy
only; ``scripts/train_checkworthy.py`` writes the file and
``checkworthiness/MODEL_CARD.md`` says what it was trained on and how well it does.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from .attribution.constants import SPEECH_VERBS
from .encoder import DIMENSION, EMBEDDING_MODEL, LAYERS

ARTIFACT = Path(__file__).with_name("checkworthiness") / "model.json"

QUANTITY_ENTITIES = {"PERCENT", "MONEY", "QUANTITY", "CARDINAL"}
TIME_ENTITIES = {"DATE", "TIME"}
NAMED_ENTITIES = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "LAW", "EVENT"}
OPINION_VERBS = {"think", "believe", "feel", "hope", "want", "wish", "like", "love", "hate", "guess", "suppose"}
FIRST_SINGULAR = {"i", "me", "my", "mine", "myself"}
FIRST_PLURAL = {"we", "us", "our", "ours", "ourselves"}
SECOND_PERSON = {"you", "your", "yours", "yourself", "yourselves"}
MODALS = {"should", "must", "ought", "could", "might", "may", "would"}

# The order of the columns the weights in model.json follow.
FEATURES = (
    "number",            # a digit or number word
    "quantity",          # a percent, money, quantity or cardinal entity
    "time",              # a date or time entity
    "named_entities",    # how many people, organisations, places, laws, events
    "past_tense",        # a past-tense verb
    "present_tense",     # a present-tense finite verb
    "future",            # "will" / "going to"
    "first_singular",    # I, me, my
    "first_plural",      # we, us, our
    "second_person",     # you, your
    "opinion_verb",      # think, believe, hope, want ...
    "modal",             # should, must, could, would ...
    "question",          # ends with a question mark
    "attribution_cue",   # said, according to ...
    "comparison",        # comparative or superlative
    "negation",
    "words",             # log of the number of words
)


def sentence_features(span) -> np.ndarray:
    """The cheap features of one parsed sentence (a spaCy Span or Doc), in FEATURES order."""
    found = dict.fromkeys(FEATURES, False)
    words = entities = 0
    going = to = False
    for token in span:
        lower, tag = token.lower_, token.tag_
        words += token.is_alpha
        if token.like_num or token.pos_ == "NUM":
            found["number"] = True
        if tag == "VBD":
            found["past_tense"] = True
        elif tag in ("VBZ", "VBP"):
            found["present_tense"] = True
        elif tag in ("JJR", "JJS", "RBR", "RBS"):
            found["comparison"] = True
        if lower in ("will", "'ll"):
            found["future"] = True
        going, to = going or lower == "going", to or lower == "to"
        if lower in FIRST_SINGULAR:
            found["first_singular"] = True
        elif lower in FIRST_PLURAL:
            found["first_plural"] = True
        elif lower in SECOND_PERSON:
            found["second_person"] = True
        elif lower in MODALS:
            found["modal"] = True
        elif lower == "according":
            found["attribution_cue"] = True
        if token.dep_ == "neg":
            found["negation"] = True
        lemma = token.lemma_.lower()
        if lemma in OPINION_VERBS:
            found["opinion_verb"] = True
        if token.pos_ == "VERB" and lemma in SPEECH_VERBS:
            found["attribution_cue"] = True
    for entity in span.ents:
        label = entity.label_
        found["quantity"] |= label in QUANTITY_ENTITIES
        found["time"] |= label in TIME_ENTITIES
        entities += label in NAMED_ENTITIES
    found["future"] |= going and to  # "going to", as in "we are going to cut taxes"
    found["question"] = span.text.strip().rstrip("\"'”’)»").endswith("?")
    values = [float(found[name]) for name in FEATURES]
    values[FEATURES.index("named_entities")] = min(entities, 4) / 4
    values[FEATURES.index("words")] = float(np.log1p(words) / 4)
    return np.array(values, dtype=np.float32)


def inputs(layers: np.ndarray, features: np.ndarray) -> np.ndarray:
    """The regression's input rows: each sentence's layer means (n, 6, 384), flattened,
    then its cheap features (n, len(FEATURES))."""
    layers = np.asarray(layers, np.float32)
    return np.hstack([layers.reshape(len(layers), -1), np.asarray(features, np.float32)])


class CheckWorthiness:
    """Logistic regression over standardised [layer means, cheap features], then an
    isotonic calibration map."""

    def __init__(self, path: Path = ARTIFACT):
        config = json.loads(Path(path).read_text(encoding="utf-8"))
        if tuple(config["features"]) != FEATURES:
            raise ValueError(f"{path} was trained on other features: {config['features']}")
        if config.get("layers") != [LAYERS, DIMENSION]:
            raise ValueError(f"{path} was trained on other inputs than the encoder's {LAYERS} x {DIMENSION} layer means")
        if config.get("encoder") != EMBEDDING_MODEL:
            raise ValueError(f"{path} read the layer states of {config.get('encoder')}, not of {EMBEDDING_MODEL}: "
                             "retrain it (scripts/train_checkworthy.py)")
        # The regression reads standardised inputs; folded into its weights once, here.
        weights = np.asarray(config["weights"], dtype=np.float64)
        mean = np.asarray(config["input_mean"], dtype=np.float64)
        scale = np.asarray(config["input_scale"], dtype=np.float64)
        self.weights = (weights / scale).astype(np.float32)
        self.bias = float(config["bias"]) - float(mean / scale @ weights)
        self.calibration_x = np.asarray(config["calibration"]["x"], dtype=np.float64)
        self.calibration_y = np.asarray(config["calibration"]["y"], dtype=np.float64)
        self.threshold = float(config["threshold"])  # F1-optimal in cross-validation
        self.card = {key: config[key] for key in ("name", "trained_on") if key in config}

    def logits(self, layers: np.ndarray, features: np.ndarray) -> np.ndarray:
        return inputs(layers, features) @ self.weights + self.bias

    def calibrate(self, logits: np.ndarray) -> np.ndarray:
        return np.interp(logits, self.calibration_x, self.calibration_y)

    def score(self, layers: np.ndarray, spans: Sequence) -> np.ndarray:
        """One calibrated score per sentence; ``layers`` are their layer means from
        ``SentenceEncoder.encode_with_layers`` (n, 6, 384), ``spans`` their parses."""
        if len(spans) == 0:
            return np.zeros(0, dtype=np.float64)
        features = np.stack([sentence_features(span) for span in spans])
        return self.calibrate(self.logits(layers, features)).clip(0.0, 1.0)


@lru_cache(maxsize=1)
def load_checkworthiness() -> CheckWorthiness:
    return CheckWorthiness()

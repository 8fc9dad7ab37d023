"""Is a sentence a claim: a checkable assertion of fact?

Not a claim: a question, a fragment without a finite verb (headlines, captions,
datelines), an instruction to the reader, or a sentence too short to assert anything.
"""
from __future__ import annotations

MIN_WORDS = 4
FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}


def _has_finite_verb(span) -> bool:
    return any(
        token.tag_ in FINITE_TAGS or "Fin" in token.morph.get("VerbForm")
        for token in span
        if token.pos_ in {"VERB", "AUX"}
    )


def _is_instruction(span) -> bool:
    """'Follow us on ...', 'Click here ...': a bare verb opening with no subject."""
    root = span.root
    return (
        root.tag_ == "VB"
        and root.i == span.start
        and not any(child.dep_ in {"nsubj", "nsubjpass", "expl"} for child in root.children)
    )


def is_claim(span) -> bool:
    text = span.text.strip()
    if text.rstrip("\"'”’)»").endswith("?"):
        return False
    words = [token for token in span if token.is_alpha]
    if len(words) < MIN_WORDS:
        return False
    return _has_finite_verb(span) and not _is_instruction(span)

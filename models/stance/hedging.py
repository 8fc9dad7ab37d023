"""Hedges: a sentence that reports the claim without vouching for it.

"The gunman was reportedly killed", "Apple is rumoured to be working on ...", "a video
that purportedly shows ...", "the claim could not be independently verified": the
sentence is on the claim, but it passes it on rather than confirming it. Against a
claim that asserts the same thing plainly, such a sentence *discusses* the claim; it
does not corroborate it. (A sentence whose speaker says it plainly, "the ministry said
the gunman was killed", still corroborates: who says it is the speaker's business.)

A hedge in the claim itself cancels one in the sentence ("X reportedly died" is
corroborated by "X was reported to have died").
"""
from __future__ import annotations

import re

HEDGES = (
    r"reportedly", r"allegedly", r"purportedly", r"supposedly", r"apparently", r"ostensibly",
    r"rumou?r(?:s|ed)?", r"unconfirmed", r"unverified", r"speculat\w*",
    r"(?:is|are|was|were) (?:said|believed|thought|rumou?red|reported) to",
    r"(?:appears?|seems?|appeared|seemed) to", r"may have", r"might have", r"could have",
    r"if (?:it is |this is |that is )?true", r"(?:could|can) ?not be (?:independently )?(?:verified|confirmed)",
    r"(?:not|yet to be|n't been) (?:independently )?(?:verified|confirmed)",
)
_HEDGE = re.compile(r"\b(" + "|".join(HEDGES) + r")\b", re.I)


def find(text: str) -> str | None:
    """The first hedge in ``text``, as written, or None."""
    match = _HEDGE.search(text)
    return match.group(1) if match else None


def reports_without_vouching(claim: str, sentence: str) -> str | None:
    """The sentence's hedge when the sentence hedges and the claim does not."""
    if find(claim):
        return None
    return find(sentence)

"""PolNeAR train split: articles, gold attribution relations, the benchmark's scope and split.

The corpus lives outside the repo, read-only, at ../shared/data/polnear (relative to
the repo root); see its PROVENANCE.md. Each article has one or more brat standoff
files; articles annotated by several people are read from the first file by name.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parents[1]
POLNEAR = REPO / ".." / "shared" / "data" / "polnear"
SPLIT_FILE = REPO / "benchmarks" / "polnear_split.json"
HELD_OUT_SHARE = 0.2

# --- scope: which gold relations the benchmark scores ----------------------------
# Verbs of saying or reporting (issue 3's list, then common news reporting verbs).
# Fixed before any tuning; the system's own cue list lives in models/attribution.
SCOPE_VERBS = frozenset(
    """
    say tell add write ask note report announce argue claim warn deny insist
    acknowledge accuse urge admit explain declare tweet state suggest
    reply respond comment confirm predict recall repeat reiterate stress emphasize
    contend assert maintain allege complain concede remark observe testify vow
    promise pledge threaten caution boast post mention disclose reveal proclaim
    affirm retort lament demand quip joke shout yell blog email testify brag
    """.split()
)
_IRREGULAR = {
    "say": ["said"], "tell": ["told"], "write": ["wrote", "written"],
    "swear": ["swore", "sworn"], "speak": ["spoke", "spoken"],
}
QUOTE_MARKS = "\"“”„«»"


def _inflections(verb: str) -> set[str]:
    stem = verb[:-1] if verb.endswith("e") else verb
    forms = {verb, verb + "s", verb + "ed", verb + "d", stem + "ing", verb + "es"}
    if verb.endswith("y") and verb[-2] not in "aeiou":
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdglmnprt]$", verb):
        forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    forms |= set(_IRREGULAR.get(verb, []))
    return forms


SCOPE_WORDS = frozenset(form for verb in SCOPE_VERBS for form in _inflections(verb))


@dataclass
class GoldSpan:
    start: int
    end: int
    text: str
    fragments: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Relation:
    source: Optional[GoldSpan]
    cue: Optional[GoldSpan]
    content: Optional[GoldSpan]

    @property
    def in_scope(self) -> bool:
        if self.source is None or self.content is None or self.cue is None:
            return False
        cue = self.cue.text.lower().strip()
        words = re.findall(r"[a-z]+", cue)
        if any(word in SCOPE_WORDS for word in words):
            return True
        if "according to" in cue or cue.endswith(":"):
            return True
        content = self.content.text.strip()
        return content[:1] in QUOTE_MARKS


@dataclass
class Article:
    name: str
    text: str
    publisher: str
    relations: list[Relation]


def _span(text: str, offsets: str) -> GoldSpan:
    fragments = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]
    start, end = min(f[0] for f in fragments), max(f[1] for f in fragments)
    return GoldSpan(start, end, text[start:end], fragments)


def read_relations(ann: Path, text: str) -> list[Relation]:
    spans: dict[str, GoldSpan] = {}
    events: list[str] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        if re.match(r"T\d+\t", line):  # a span; other lines may continue its text
            ident, rest = line.split("\t", 1)
            kind_offsets = rest.split("\t", 1)[0]
            kind, offsets = kind_offsets.split(" ", 1)
            spans[ident] = _span(text, offsets)
        elif re.match(r"E\d+\t", line):
            events.append(line.split("\t", 1)[1])
    relations = []
    for event in events:
        roles = dict(part.split(":", 1) for part in event.split() if ":" in part)
        relations.append(
            Relation(
                source=spans.get(roles.get("Source", "")),
                cue=spans.get(roles.get("Cue", "")),
                content=spans.get(roles.get("Content", "")),
            )
        )
    return relations


def article_names(root: Path = POLNEAR) -> list[str]:
    return sorted(p.stem for p in (root / "train" / "text").glob("*.txt"))


def load_article(name: str, root: Path = POLNEAR) -> Article:
    text = (root / "train" / "text" / f"{name}.txt").read_text(encoding="utf-8")
    anns = sorted((root / "train" / "attributions").glob(f"{name}_*.ann"))
    relations = read_relations(anns[0], text) if anns else []
    return Article(name, text, name.split("_", 1)[0], relations)


def make_split(names: list[str]) -> dict[str, list[str]]:
    """A fixed 80/20 split by article, from a hash of each name (no randomness)."""
    def bucket(name: str) -> float:
        return int(hashlib.sha1(name.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF

    held_out = sorted(n for n in names if bucket(n) < HELD_OUT_SHARE)
    tuning = sorted(n for n in names if bucket(n) >= HELD_OUT_SHARE)
    return {"tuning": tuning, "held_out": held_out}


def load_split() -> dict[str, list[str]]:
    if not SPLIT_FILE.exists():
        split = make_split(article_names())
        SPLIT_FILE.write_text(json.dumps(split, indent=1) + "\n", encoding="utf-8")
    return json.loads(SPLIT_FILE.read_text(encoding="utf-8"))

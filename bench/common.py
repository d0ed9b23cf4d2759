"""Shared bits for the benchmarks: gold-set readers and strict span scoring.

Gold sets live outside the project (``/work/shared/benchmarks/ner``, see its
``SOURCES.md``) and are only ever read from there, never copied.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "ner"

#: (start, end exclusive, class)
Entity = tuple[int, int, str]
#: A sentence and its gold entities.
Example = tuple[str, set[Entity]]


# -- readers ---------------------------------------------------------------
def _bio_entities(tags: Sequence[str]) -> set[Entity]:
    """Entities of one BIO-tagged sentence; a stray ``I-X`` starts a new entity."""
    found: set[Entity] = set()
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        kind, _, cls = tag.partition("-")
        if label and (kind != "I" or cls != label):
            found.add((start, i, label))
            label = ""
        if kind == "B" or (kind == "I" and not label):
            start, label = i, cls
    return found


def read_bio(path: Path) -> list[Example]:
    """``char<SEP>tag`` per line (tab or space), blank line between sentences."""
    examples: list[Example] = []
    chars: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if chars:
            examples.append(("".join(chars), _bio_entities(tags)))
            chars.clear()
            tags.clear()

    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            if not line.strip():
                flush()
                continue
            # The tag never contains a separator; the char is what precedes it.
            char, tag = line[0], line[1:].strip()
            chars.append(char)
            tags.append(tag)
    flush()
    return examples


def read_cluener(path: Path) -> list[Example]:
    """CLUENER JSON lines; spans are ``[start, end_inclusive]`` per surface."""
    examples: list[Example] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            gold: set[Entity] = set()
            for cls, surfaces in rec.get("label", {}).items():
                for positions in surfaces.values():
                    gold.update((s, e + 1, cls) for s, e in positions)
            examples.append((rec["text"], gold))
    return examples


# -- scoring ---------------------------------------------------------------
@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


def score(
    gold: Sequence[set[Entity]], pred: Sequence[set[Entity]], classes: Iterable[str]
) -> dict[str, Counts]:
    """Strict (exact start, end and class) counts per class."""
    out = {c: Counts() for c in classes}
    for g, p in zip(gold, pred, strict=True):
        for cls, counts in out.items():
            gc = {e for e in g if e[2] == cls}
            pc = {e for e in p if e[2] == cls}
            counts += Counts(len(gc & pc), len(pc - gc), len(gc - pc))
    return out


def micro(counts: dict[str, Counts], classes: Iterable[str]) -> Counts:
    total = Counts()
    for cls in classes:
        total += counts[cls]
    return total

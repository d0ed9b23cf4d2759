"""The learned layer: a CRF that re-reads each sentence after the rules.

The rules (:mod:`kg.refine`) propose typed mentions and titles; LAC gives
words and tags.  A linear-chain CRF over characters sees both (plus the
character n-grams and kg's lexicons, :func:`kg.recognize.crf.sentence_features`)
and tags the sentence in kg's own label set: ``OFF`` (official), ``PER``,
``COM`` (company), ``ORG``, ``LOC`` (place), ``PRJ`` (project) and ``TTL``
(a job title as printed).  It is fitted on hand-annotated local news
(:mod:`kg.learn.train`), so it learns where the annotation conventions and
the rules disagree: which rule outputs to trust, where names end, and which
phrases are no entity at all.

:meth:`LocalTagger.apply` turns its tags back into :class:`kg.refine.Found`
mentions: a person the rules found stands as the rules found it
(:func:`people_from_rules`); a person only the CRF found takes the titles
tagged right before it, or those of the name before it in a 、 list.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from kg.model import Span
from kg.recognize.base import EngineUnavailable
from kg.refine.types import Found

log = logging.getLogger(__name__)

#: kg entity type -> CRF label, and back.
LABEL_OF = {
    "official": "OFF", "person": "PER", "company": "COM", "organization": "ORG",
    "place": "LOC", "project": "PRJ",
}
TYPE_OF = {v: k for k, v in LABEL_OF.items()}
TITLE = "TTL"
_PEOPLE = ("official", "person")
#: The shipped model (``make train`` writes it).
MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "local-crf.crfsuite"


# -- features ----------------------------------------------------------------
def rule_marks(n: int, found: Sequence[Found]) -> tuple[list[str], list[str]]:
    """Per char: the rules' mention tag (``B-place``, ``I-official``, ``O``)
    and whether a rule title covers it (``B``/``I``/``O``)."""
    ent = ["O"] * n
    ttl = ["O"] * n
    for f in found:
        for i in range(max(f.start, 0), min(f.end, n)):
            ent[i] = ("B-" if i == f.start else "I-") + f.type
        for a, b in f.title_spans:
            for i in range(max(a, 0), min(b, n)):
                ttl[i] = "B" if i == a else "I"
    return ent, ttl


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, str], dict[str, str]]:
    """Full names -> level (``t`` township, ``a`` county and up, ``c`` country)
    and bare stems -> level (枫亭 of 枫亭镇, 仙游 of 仙游县)."""
    from kg.refine.lexicon import data_lines, load_lexicon

    lex = load_lexicon()
    full: dict[str, str] = {}
    stems: dict[str, str] = {}
    for name in data_lines("townships.txt"):
        full[name] = "t"
        stem = re.sub(r"(?:街道|镇|乡|苏木)$", "", name)
        if stem != name and len(stem) >= 2:
            stems.setdefault(stem, "t")
    for name in lex.admin_major:
        full.setdefault(name, "a")
    for name in lex.admin - lex.admin_major:
        stems.setdefault(name, "a")
    for name in lex.countries:
        full.setdefault(name, "c")
    return full, stems


@lru_cache(maxsize=1)
def _gazetteer_heads() -> tuple[frozenset[str], frozenset[str]]:
    """The first two characters of every name, per table: most positions of a
    sentence start no name, and one set lookup tells."""
    full, stems = _gazetteer()
    return frozenset(n[:2] for n in full), frozenset(n[:2] for n in stems)


_GZ_MAX = 12


def gazetteer_marks(text: str) -> tuple[list[str], list[str]]:
    """Per char: position and level of a gazetteer name (longest first, left
    to right), once for full names and once for bare stems."""
    full, stems = _gazetteer()
    out = []
    for table, heads in zip((full, stems), _gazetteer_heads()):
        marks = ["O"] * len(text)
        i = 0
        while i < len(text):
            hit = 0
            if text[i : i + 2] not in heads:
                i += 1
                continue
            for k in range(min(_GZ_MAX, len(text) - i), 1, -1):
                lvl = table.get(text[i : i + k])
                if lvl is not None:
                    hit = k
                    break
            if hit:
                for j in range(i, i + hit):
                    pos = "S" if hit == 1 else "B" if j == i else "E" if j == i + hit - 1 else "I"
                    marks[j] = pos + lvl
                i += hit
            else:
                i += 1
        out.append(marks)
    return out[0], out[1]


def features(
    text: str, tokens: Sequence[Span], found: Sequence[Found], probs: np.ndarray | None = None
) -> list[dict[str, float]]:
    """CRF features of one sentence: the CRF engine's character, LAC and
    lexicon features, what the rules found (mention tags and title spans at
    -1, 0, +1) and, when given, LAC's tag probabilities for the character and
    its neighbours (the knowledge of a tagger trained on far more text)."""
    from kg.recognize.crf import sentence_features

    feats = sentence_features(text, tokens)
    n = len(text)
    ent, ttl = rule_marks(n, found)
    gz, gzs = gazetteer_marks(text)
    word = [""] * n
    for t in tokens:
        for i in range(max(t.start, 0), min(t.end, n)):
            word[i] = t.text
    for i, f in enumerate(feats):
        prev_e = ent[i - 1] if i else "<s>"
        next_e = ent[i + 1] if i + 1 < n else "</s>"
        f.extend((
            "r=" + ent[i],
            "r-1=" + prev_e,
            "r+1=" + next_e,
            "rr=" + prev_e + "|" + ent[i],
            "rt=" + ttl[i],
            "rt-1=" + (ttl[i - 1] if i else "<s>"),
            "rt+1=" + (ttl[i + 1] if i + 1 < n else "</s>"),
            "rc=" + ent[i] + "|" + feats[i][1],
            "gz=" + gz[i],
            "gzs=" + gzs[i],
            "gz+1=" + (gz[i + 1] if i + 1 < n else "</s>"),
            "gz-1=" + (gz[i - 1] if i else "<s>"),
            "wd=" + word[i],
            "c3=" + text[max(i - 1, 0) : i + 2],
        ))
    out: list[dict[str, float]] = [dict.fromkeys(f, 1.0) for f in feats]
    if probs is not None and len(probs) == n:
        # The few tags above the floor, per character (one numpy pass).
        rows, cols = np.nonzero(probs > _MIN_PROB)
        kept: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        for r, c in zip(rows.tolist(), cols.tolist()):
            kept[r].append((c, float(probs[r, c])))
        for off, name in ((0, "e"), (-1, "e-1"), (1, "e+1")):
            for i in range(n):
                j = i + off
                if 0 <= j < n:
                    d = out[i]
                    for k, v in kept[j]:
                        d[f"{name}:{k}"] = v
    return out


#: LAC tag probabilities below this are left out (they carry nothing and
#: cost time).
_MIN_PROB = 0.02


# -- labels from gold ---------------------------------------------------------
def gold_spans(text: str, items: Sequence[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Project ``(surface, label)`` pairs onto ``text``: longest first, every
    occurrence, never over a span already taken (so a body printed inside a
    title is part of the title, as the annotation wants)."""
    taken = [False] * len(text)
    spans: list[tuple[int, int, str]] = []
    for surface, label in sorted(set(items), key=lambda x: (-len(x[0]), x[0], x[1])):
        if not surface:
            continue
        for m in re.finditer(re.escape(surface), text):
            a, b = m.start(), m.end()
            if any(taken[a:b]):
                continue
            spans.append((a, b, label))
            for i in range(a, b):
                taken[i] = True
    return sorted(spans)


# -- tagging -----------------------------------------------------------------
def _title_run(text: str, titles: list[tuple[int, int]], end: int) -> list[tuple[int, int]]:
    """The title spans printed right before ``end`` (joined by 、 or nothing)."""
    run: list[tuple[int, int]] = []
    pos = end
    for a, b in sorted(titles, reverse=True):
        gap = text[b:pos]
        if b <= pos and gap.strip() in ("", "、", "兼"):
            run.insert(0, (a, b))
            pos = a
        elif b <= pos:
            break
    return run


def spans_to_found(
    text: str, spans: Sequence[Span], rule_found: Sequence[Found]
) -> list[Found]:
    """CRF spans -> mentions; people keep the rules' titles when the rules
    saw the same person, else take the titles tagged right before them."""
    by_pos = {(f.start, f.end): f for f in rule_found}
    titles = [(s.start, s.end) for s in spans if s.label == TITLE]
    out: list[Found] = []
    prev: Found | None = None
    for s in spans:
        if s.label == TITLE or s.label not in TYPE_OF:
            continue
        typ = TYPE_OF[s.label]
        rule = by_pos.get((s.start, s.end))
        if typ in _PEOPLE:
            if rule is not None and rule.type in _PEOPLE and (
                rule.titles or rule.official_marker
            ):
                # The rules' titles, so that the next names of a 、 list
                # inherit them (people_from_rules then keeps the rules' own
                # mention of this person).
                f = Found(s.start, s.end, s.text, typ, list(rule.titles),
                          list(rule.title_spans), rule.official_marker)
            else:
                run = _title_run(text, titles, s.start)
                ts = [text[a:b] for a, b in run]
                f = Found(s.start, s.end, s.text, typ, ts, run)
                # 市领导A、B、C: later names share the list's titles.
                if not ts and prev is not None and text[prev.end : s.start] == "、":
                    f.titles, f.official_marker = list(prev.titles), prev.official_marker
            prev = f
        else:
            f = Found(s.start, s.end, s.text, typ)
            prev = None
        out.append(f)
    return out


def people_from_rules(found: Sequence[Found], learned: Sequence[Found]) -> list[Found]:
    """The rules' people stand (with their types and titles), the CRF's
    mentions fill in around them.  Measured on the held-out folds: the rules
    call officials better (F1 0.93 vs 0.91) and keep every title; the CRF
    is better at the other types' boundaries."""
    people = [f for f in found if f.type in _PEOPLE]
    rest = [f for f in learned if not any(p.start < f.end and f.start < p.end for p in people)]
    return sorted(people + rest, key=lambda f: (f.start, f.end))


@dataclass
class LocalTagger:
    """A fitted model (``.crfsuite``) and the code to apply it."""

    path: Path

    def __post_init__(self) -> None:
        try:
            import pycrfsuite
        except ImportError as exc:  # pragma: no cover - install problem
            raise EngineUnavailable(f"python-crfsuite is not installed ({exc})") from exc
        if not Path(self.path).is_file():
            raise EngineUnavailable(f"learned model not found: {self.path}")
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.path))
        self._items = pycrfsuite.ItemSequence

    def tags(self, text: str, tokens: Sequence[Span], found: Sequence[Found],
             probs: np.ndarray | None = None) -> list[str]:
        return self._tagger.tag(self._items(features(text, tokens, found, probs)))

    def apply(self, text: str, tokens: Sequence[Span], found: Sequence[Found],
              probs: np.ndarray | None = None) -> list[Found]:
        if not text:
            return []
        return self.mentions(text, self.tags(text, tokens, found, probs), found)

    @staticmethod
    def mentions(text: str, tags: Sequence[str], found: Sequence[Found]) -> list[Found]:
        """The sentence's mentions from the CRF's tags and the rules' output."""
        from kg.recognize.crf import tags_to_spans

        return people_from_rules(found, spans_to_found(text, tags_to_spans(text, tags), found))


@lru_cache(maxsize=4)
def load_tagger(path: str | None = None) -> LocalTagger | None:
    """The model at ``path``, or the shipped one; ``None`` if none is there."""
    p = Path(path) if path else MODEL_PATH
    if not p.is_file():
        if path:
            raise EngineUnavailable(f"learned model not found: {p}")
        log.warning("no learned model at %s: rules only (run `make train`)", p)
        return None
    return LocalTagger(p)


def fold_model(corpus: Path, folds: Sequence[str]) -> Path:
    """A model fitted on ``folds`` of the local corpus (cached by content)."""
    from kg.learn.train import cached_fit

    return cached_fit(corpus, list(folds))

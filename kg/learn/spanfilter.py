"""Span filter (experiment): a classifier over the learned layer's non-person
mentions that drops the ones it judges wrong, for precision.

Each candidate (a place, organization, company or project the CRF tagged) is
described by cheap features -- its type, length, first and last characters,
the CRF's marginals over its own tags and P(O) just outside it, what the
rules found there, kg's lexicons and gazetteer, LAC's word boundaries and
tags around it -- and a logistic regression (python-crfsuite on one-item
sequences, L2) gives P(correct).  Training data is cross-fitted: candidates of
a batch come from a CRF that never saw that batch (bench/spanfilter_eval.py).

Measured and not kept (kg/models/README.md, "What was tried"): local news
pooled typed F1 0.777 -> 0.783 (threshold by inner cross-validation), the
sample pages held out 0.814 -> 0.829; with document-level features (how often
the text is printed in its article, which the per-sentence layer cannot see
in the pipeline) 0.786.  Short of the +0.01 the pipeline change needed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kg.learn import _PEOPLE, LocalTagger, _gazetteer
from kg.learn import LABEL_OF as _LABEL_OF
from kg.model import Span
from kg.refine.types import Found


@dataclass
class Candidate:
    """One non-person mention of the learned layer, with its features."""

    text: str
    type: str
    start: int
    end: int
    feats: dict[str, float] = field(default_factory=dict)


def _lbucket(n: int) -> str:
    return str(n) if n <= 6 else "7-9" if n <= 9 else "10+"


def candidate_features(
    text: str, tokens: Sequence[Span], found: Sequence[Found], f: Found,
    marg: np.ndarray, labels: Sequence[str], full=None, doc: str | None = None,
) -> dict[str, float]:
    """Features of mention ``f`` of ``text``; ``marg[i]`` is the CRF's marginal
    of its own tag at ``i`` and ``labels[i]`` its P(O)."""
    from kg.refine.lexicon import load_lexicon

    lex = load_lexicon()
    s, e, t = f.start, f.end, f.text
    typ = f.type
    out: dict[str, float] = {}

    def on(name: str) -> None:
        out[name] = 1.0
        out[typ + "|" + name] = 1.0

    on("bias")
    on("len=" + _lbucket(len(t)))
    on("last=" + t[-1:])
    on("last2=" + t[-2:])
    on("first=" + t[:1])
    m = marg[s:e]
    mean, mn = float(m.mean()), float(m.min())
    out["mmean"] = mean
    out[typ + "|mmean"] = mean
    out["mmin"] = mn
    out[typ + "|mmin"] = mn
    for cut in (0.5, 0.75, 0.9):
        if mean < cut:
            on(f"mmean<{cut}")
        if mn < cut:
            on(f"mmin<{cut}")
    po_before = float(labels[s - 1]) if s > 0 else 1.0
    po_after = float(labels[e]) if e < len(text) else 1.0
    out["pO-1"] = po_before
    out["pO+1"] = po_after
    if po_before < 0.5:
        on("pO-1<.5")
    if po_after < 0.5:
        on("pO+1<.5")
    if full is not None:
        # full(i) -> {tag: marginal} at char i: how sure of the type and the ends.
        lab = _LABEL_OF.get(typ, "")
        rows = [full(i) for i in range(s, e)]
        tsum = [sum(v for k, v in r.items() if k.endswith("-" + lab)) for r in rows]
        out["typ_mean"] = float(np.mean(tsum))
        out["typ_min"] = float(min(tsum))
        first, last = rows[0], rows[-1]
        out["b_ok"] = first.get("B-" + lab, 0.0) + first.get("S-" + lab, 0.0)
        out["e_ok"] = last.get("E-" + lab, 0.0) + last.get("S-" + lab, 0.0)
        others: dict[str, float] = defaultdict(float)
        for r in rows:
            for k, v in r.items():
                if k != "O" and not k.endswith("-" + lab):
                    others[k.partition("-")[2]] += v / len(rows)
        if others:
            alt, v = max(others.items(), key=lambda kv: kv[1])
            out["alt"] = v
            if v > 0.2:
                on("alt=" + alt)
        for name in ("typ_mean", "b_ok", "e_ok"):
            if out[name] < 0.8:
                on(name + "<.8")
    if doc is not None:
        k = doc.count(t)
        on("doc=" + ("1" if k <= 1 else "2" if k == 2 else "3+"))
        if k <= 1 and len(t) >= 3 and doc.count(t[:-1]) > 1:
            on("doc:stem-elsewhere")
    same = [r for r in found if r.start == s and r.end == e]
    if same:
        on("rule=span")
        on("rule=span:" + ("sametype" if any(r.type == typ for r in same) else same[0].type))
    elif any(r.start < e and s < r.end for r in found):
        on("rule=overlap")
        over = [r for r in found if r.start < e and s < r.end]
        on("rule=overlap:" + over[0].type)
        if any(r.start <= s and e <= r.end for r in over):
            on("rule=inside")
    else:
        on("rule=none")
    on("suffix=" + str(lex.suffix_type(t)))
    if lex.is_admin_unit(t):
        on("admin")
    full, stems = _gazetteer()
    on("gz=" + full.get(t, "-"))
    on("gzs=" + stems.get(t, "-"))
    starts = {tk.start for tk in tokens}
    ends = {tk.end for tk in tokens}
    on("tb=" + ("1" if s in starts else "0") + ("1" if e in ends else "0"))
    if re.search(r"[A-Za-z]", t):
        on("latin")
    if re.search(r"[0-9０-９一二三四五六七八九十]", t):
        on("digit")
    if re.search(r"[“”\"'‘’《》]", t):
        on("quote")
    if re.search(r"[()（）\[\]【】]", t):
        on("bracket")
    before = [tk for tk in tokens if tk.end <= s]
    after = [tk for tk in tokens if tk.start >= e]
    on("lac-1=" + (before[-1].label if before else "<s>"))
    on("lac+1=" + (after[0].label if after else "</s>"))
    on("ch-1=" + (text[s - 1] if s else "<s>"))
    on("ch+1=" + (text[e] if e < len(text) else "</s>"))
    return out


def _tag_marginals(tagger, tags: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Marginal of each char's own tag and its P(O) (after ``tagger.tag``)."""
    own = np.array([tagger.marginal(tg, i) for i, tg in enumerate(tags)], dtype=float)
    po = np.array([tagger.marginal("O", i) for i in range(len(tags))], dtype=float)
    return own, po


class CandidateTagger(LocalTagger):
    """The learned layer, also returning its non-person candidates with
    features (for training and applying the span filter)."""

    #: Also the marginals of every tag over the span (type and end certainty).
    full_marginals = False
    #: Sentence text -> its article's text (document-level features; experiment only:
    #: the pipeline calls the layer per sentence).
    doc_of: dict[str, str] | None = None

    def candidates(
        self, text: str, tokens: Sequence[Span], found: Sequence[Found],
        probs: np.ndarray | None = None,
    ) -> tuple[list[Found], list[Candidate]]:
        if not text:
            return [], []
        tags = self.tags(text, tokens, found, probs)
        own, po = _tag_marginals(self._tagger, tags)
        labels = self._tagger.labels()
        memo: dict[int, dict[str, float]] = {}

        def full(i: int) -> dict[str, float]:
            if i not in memo:
                memo[i] = {lb: self._tagger.marginal(lb, i) for lb in labels}
            return memo[i]

        out = self.mentions(text, tags, found)
        cands = [
            Candidate(f.text, f.type, f.start, f.end,
                      candidate_features(text, tokens, found, f, own, po,
                                         full if self.full_marginals else None,
                                         self.doc_of.get(text) if self.doc_of else None))
            for f in out if f.type not in _PEOPLE
        ]
        return out, cands


class SpanFilter:
    """P(correct) of a candidate: logistic regression (crfsuite, one-item
    sequences, L2)."""

    def __init__(self, path: Path) -> None:
        import pycrfsuite

        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))
        self._items = pycrfsuite.ItemSequence

    def prob(self, feats: dict[str, float]) -> float:
        self._tagger.set(self._items([feats]))
        return float(self._tagger.marginal("1", 0))


def fit_filter(data: Iterable[tuple[dict[str, float], bool]], out: Path,
               c2: float = 1.0) -> Path:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, ok in data:
        trainer.append([feats], ["1" if ok else "0"])
    trainer.set_params({"c1": 0.0, "c2": c2, "max_iterations": 300})
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return out


class FilteredTagger(CandidateTagger):
    """The learned layer with the span filter: non-person mentions whose
    P(correct) is below ``threshold`` are dropped."""

    def __init__(self, path: Path, filt: Path, threshold: float = 0.5) -> None:
        super().__init__(path)
        self.filter = SpanFilter(filt)
        self.threshold = threshold

    def apply(self, text, tokens, found, probs=None):  # type: ignore[override]
        out, cands = self.candidates(text, tokens, found, probs)
        drop = {(c.start, c.end) for c in cands if self.filter.prob(c.feats) < self.threshold}
        return [f for f in out if (f.start, f.end) not in drop or f.type in _PEOPLE]

"""The span filter (kg/learn/spanfilter.py) on the leave-provinces-out folds.

For each held-out batch a, the filter is trained on candidates of the other
three batches, each produced by a CRF that never saw it (fitted on the
remaining two batches and kg's own sets): cross-fitted.  Its threshold is
fixed (``--threshold``, 0.5) or picked by leave-one-inner-batch-out on those
candidates (``--threshold cv``); nothing is tuned on batch a.  Prints the
pooled local news typed F1 with and without the filter (the scorer and
helpers of bench/localnews_eval.py) and, with ``--seeds``, the sample pages
held out (the heldout model of bench/seeds_eval.py; the filter trained on
all four batches' leave-one-out candidates).

    python bench/spanfilter_eval.py [--threshold 0.5|cv] [--seeds]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from localnews_eval import (  # noqa: E402
    CORPUS,
    FOLDS,
    fold_texts,
    merge_gold,
    merge_outputs,
    row,
    score,
)

import kg  # noqa: E402
import kg.mentions as mentions  # noqa: E402
import kg.pipeline as pipeline  # noqa: E402
from kg.learn.spanfilter import CandidateTagger, FilteredTagger, fit_filter  # noqa: E402
from kg.learn.train import cached_fit  # noqa: E402

# One LAC + rules pass per sentence list, however many models read it.
_analyze = mentions.analyze_texts


_MEMO: dict[tuple, tuple] = {}


def _analyze_memo(texts, recognizer, tok=None, *, title_bodies=False,
                  disabled=frozenset(), probs=False):
    key = (tuple(texts), title_bodies, frozenset(disabled), probs)
    if key not in _MEMO:
        _MEMO[key] = _analyze(texts, recognizer, tok, title_bodies=title_bodies,
                              disabled=disabled, probs=probs)
    return _MEMO[key]


mentions.analyze_texts = _analyze_memo


class Recorder(CandidateTagger):
    """The plain learned layer, keeping every candidate it saw."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.seen: list[tuple[str, object]] = []

    def apply(self, text, tokens, found, probs=None):  # type: ignore[override]
        out, cands = self.candidates(text, tokens, found, probs)
        self.seen.extend((text, c) for c in cands)
        return out


DOC = False


def doc_map(inputs: list[Path]) -> dict[str, str]:
    """Sentence text -> its article's text."""
    from kg.read import read_documents

    docs, _ = read_documents(inputs)
    return {s.text: a.text for a in pipeline.split_articles(docs) for s in a.sentences}


def build_with(tagger, inputs: list[Path]) -> kg.Result:
    if DOC:
        tagger.doc_of = doc_map(inputs)
    return kg.build(inputs, ner="lac", learned=tagger)  # a tagger object: in process


def fold_dir(corpus: Path, fold: str, tmp: Path) -> Path:
    src = tmp / "src" / fold
    if not src.is_dir():
        src.mkdir(parents=True)
        for p in fold_texts(corpus, fold):
            shutil.copy(p, src / p.name)
    return src


def gold_surfaces(corpus: Path, fold: str) -> dict[str, dict[str, set[str]]]:
    """file -> type -> every gold name and surface."""
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for entry in json.loads((corpus / f"{fold}.json").read_text(encoding="utf-8"))["files"]:
        for art in entry["articles"]:
            for e in art["entities"]:
                out[entry["file"]][e["type"]].update({e["name"], *e.get("surface", [])})
    return out


def gold_count(corpus: Path, fold: str) -> int:
    """Gold non-person entities of a batch (for the threshold's F1 proxy)."""
    n = 0
    for entry in json.loads((corpus / f"{fold}.json").read_text(encoding="utf-8"))["files"]:
        for art in entry["articles"]:
            n += sum(e["type"] not in ("official", "person") for e in art["entities"])
    return n


_CANDS: dict[tuple[str, str], list] = {}


def candidates(corpus: Path, fold: str, model: Path, tmp: Path) -> list[tuple]:
    """(file, text, type, feats, ok typed, ok any type) of a batch under ``model``."""
    key = (fold, str(model))
    if key in _CANDS:
        return _CANDS[key]
    rec = Recorder(model)
    result = build_with(rec, [fold_dir(corpus, fold, tmp)])
    files_of: dict[str, set[str]] = defaultdict(set)
    for a in result.articles:
        for s in a.sentences:
            files_of[s.text].add(Path(a.file).name)
    gold = gold_surfaces(corpus, fold)
    out = []
    for text, c in rec.seen:
        for f in sorted(files_of.get(text, ())) or ["?"]:
            g = gold.get(f, {})
            ok = c.text in g.get(c.type, set())
            ok_any = any(c.text in v for t, v in g.items())
            out.append((f, c.text, c.type, c.feats, ok, ok_any))
            break
    _CANDS[key] = out
    return out


def pair_model(corpus: Path, folds: list[str]) -> Path:
    return cached_fit(corpus, sorted(folds))


def proxy_f1(rows: list[tuple], probs: list[float], thr: float, n_gold: int) -> float:
    """Entity-level F1 of the kept candidates (distinct per file, text, type)."""
    best: dict[tuple, tuple[bool, float]] = {}
    for r, p in zip(rows, probs):
        k = (r[0], r[1], r[2])
        if k not in best or p > best[k][1]:
            best[k] = (r[4], p)
    tp = sum(ok and p >= thr for ok, p in best.values())
    fp = sum((not ok) and p >= thr for ok, p in best.values())
    fn = n_gold - tp
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


C2 = 1.0


def train_filter(rows: list[tuple], path: Path, label: int = 4) -> Path:
    return fit_filter(((r[3], r[label]) for r in rows), path, c2=C2)


def cv_threshold(rows_by: dict[str, list[tuple]], corpus: Path, tmp: Path, label: int) -> float:
    """The threshold of the best summed F1 proxy, each batch scored by a
    filter fitted on the others."""
    scores: dict[float, float] = defaultdict(float)
    for j, rows in rows_by.items():
        train = [r for k, rs in rows_by.items() if k != j for r in rs]
        pj = probs_of(train_filter(train, tmp / f"cv_{j}.crfsuite", label), rows)
        for t in THRESHOLDS:
            scores[t] += proxy_f1(rows, pj, t, gold_count(corpus, j))
    return max(THRESHOLDS, key=lambda t: (scores[t], -abs(t - 0.5)))


def probs_of(filt_path: Path, rows: list[tuple]) -> list[float]:
    from kg.learn.spanfilter import SpanFilter

    sf = SpanFilter(filt_path)
    return [sf.prob(r[3]) for r in rows]


def auc(rows: list[tuple], probs: list[float]) -> float:
    pos = [p for r, p in zip(rows, probs) if r[4]]
    neg = [p for r, p in zip(rows, probs) if not r[4]]
    if not pos or not neg:
        return float("nan")
    import numpy as np

    a, b = np.array(pos), np.array(neg)
    return float(((a[:, None] > b[None, :]).sum() + 0.5 * (a[:, None] == b[None, :]).sum())
                 / (len(a) * len(b)))


THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--threshold", default="0.5")
    ap.add_argument("--label", choices=["typed", "any"], default="typed")
    ap.add_argument("--folds", default=",".join(FOLDS))
    ap.add_argument("--seeds", action="store_true")
    ap.add_argument("--c2", type=float, default=1.0, help="the filter's L2 weight")
    ap.add_argument("--doc", action="store_true",
                    help="document-level features (how often the text is printed in its article)")
    args = ap.parse_args()
    global C2, DOC
    C2, DOC = args.c2, args.doc
    corpus = args.corpus
    lab = 4 if args.label == "typed" else 5
    folds = args.folds.split(",")
    tmp = Path(tempfile.mkdtemp(prefix="kg-spanfilter-"))
    outs_base, outs_filt = [], []
    print("| held out | threshold | AUC | candidates (wrong) | dropped (wrong) |")
    print("|---|---|---|---|---|")
    for a in folds:
        inner = [f for f in FOLDS if f != a]
        rows_by = {j: candidates(corpus, j, pair_model(corpus, [f for f in inner if f != j]), tmp)
                   for j in inner}
        if args.threshold == "cv":
            thr = cv_threshold(rows_by, corpus, tmp, lab)
        else:
            thr = float(args.threshold)
        filt = train_filter([r for j in inner for r in rows_by[j]], tmp / f"f_{a}.crfsuite", lab)
        model = cached_fit(corpus, inner)
        own = candidates(corpus, a, model, tmp)
        pa = probs_of(filt, own)
        dropped = [r for r, p in zip(own, pa) if p < thr]
        print(f"| {a} | {thr} | {auc(own, pa):.3f} | {len(own)} ({sum(not r[4] for r in own)}) "
              f"| {len(dropped)} ({sum(not r[4] for r in dropped)}) |", flush=True)
        src = fold_dir(corpus, a, tmp)
        ob, of = tmp / f"base_{a}", tmp / f"filt_{a}"
        kg.write_outputs(build_with(CandidateTagger(model), [src]), ob)
        kg.write_outputs(build_with(FilteredTagger(model, filt, thr), [src]), of)
        outs_base.append(ob)
        outs_filt.append(of)
    from localnews_eval import HEADER

    print()
    print(HEADER)
    print("|" + "---|" * (HEADER.count("|") - 1))
    for a, ob, of in zip(folds, outs_base, outs_filt):
        gold = merge_gold(corpus, [a], tmp / f"gold_{a}.json")
        print(row(f"{a} without", score(corpus, gold, ob)))
        print(row(f"{a} with filter", score(corpus, gold, of)), flush=True)
    gold = merge_gold(corpus, folds, tmp / "gold_all.json")
    for name, outs in (("without", outs_base), ("with filter", outs_filt)):
        merge_outputs(outs, tmp / f"all_{name}")
        print(row(f"**pooled {name}**", score(corpus, gold, tmp / f"all_{name}")), flush=True)
    if args.seeds:
        import seeds_eval as se

        rows_by = {j: candidates(corpus, j, cached_fit(corpus, [f for f in FOLDS if f != j]), tmp)
                   for j in FOLDS}
        filt = train_filter([r for rs in rows_by.values() for r in rs], tmp / "f_all.crfsuite",
                            lab)
        thr = (cv_threshold(rows_by, corpus, tmp, lab) if args.threshold == "cv"
               else float(args.threshold))
        heldout = cached_fit(corpus, list(FOLDS), own=["synthetic"])
        inputs, gold_path = se.SETS["seeds"]
        for name, tagger in (("without", CandidateTagger(heldout)),
                             (f"with filter ({thr})", FilteredTagger(heldout, filt, thr))):
            res = build_with(tagger, inputs)
            print(f"\n(seeds held out, {name})")
            se.report("seeds", se.score(se.load_gold(gold_path), se.predicted(res), False))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

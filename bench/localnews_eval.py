"""Leave-provinces-out figures on the hand-annotated local news corpus.

The corpus (``../shared/corpus/localnews``, read in place, never copied) is
four batches of 25 articles, each batch a group of provinces (a: east, b:
south, c: north, d: west and north-east).  Each batch is one fold: kg builds
its texts as a user would (``kg build FOLDER``), with any learned model
fitted on the *other three* batches only, and the corpus's own scorer
(``score.py``, the one kg is judged with) scores the result.  The pooled line
scores the four folds' outputs together (one gold file, one output folder),
so it is a micro average over all 100 articles.

    python bench/localnews_eval.py [--ner lac] [--learned|--no-learned] [--errors]
                                   [--folds a,b] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import kg  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "localnews"
FOLDS = ("a", "b", "c", "d")
TYPES = ("official", "person", "company", "organization", "place", "project")


def fold_texts(corpus: Path, fold: str) -> list[Path]:
    return sorted((corpus / "texts").glob(f"{fold}[0-9]*.txt"))


def build_fold(corpus: Path, fold: str, out: Path, *, ner: str, learned: str | None) -> None:
    """kg on one batch's texts (copied to a folder of their own, as a user would)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / fold
        src.mkdir()
        for p in fold_texts(corpus, fold):
            shutil.copy(p, src / p.name)
        result = kg.build([src], ner=ner, learned=learned)
    kg.write_outputs(result, out)


def merge_outputs(outs: list[Path], dest: Path) -> None:
    """One output folder from several folds (nodes with the same name merge)."""
    dest.mkdir(parents=True, exist_ok=True)
    with (dest / "mentions.jsonl").open("w", encoding="utf-8") as fh:
        for o in outs:
            fh.write((o / "mentions.jsonl").read_text(encoding="utf-8"))
    nodes: dict[str, dict] = {}
    links: list[dict] = []
    for o in outs:
        g = json.loads((o / "graph.json").read_text(encoding="utf-8"))
        for n in g["nodes"]:
            have = nodes.setdefault(n["id"], {**n, "aliases": []})
            have["aliases"] = sorted(set(have["aliases"]) | set(n.get("aliases") or []))
        links.extend({"source": ln["source"], "target": ln["target"]}
                     for ln in g.get("links", g.get("edges", [])))
    (dest / "graph.json").write_text(
        json.dumps({"nodes": list(nodes.values()), "links": links}, ensure_ascii=False),
        encoding="utf-8")


def merge_gold(corpus: Path, folds: list[str], dest: Path) -> Path:
    files = []
    for f in folds:
        files.extend(json.loads((corpus / f"{f}.json").read_text(encoding="utf-8"))["files"])
    dest.write_text(json.dumps({"files": files}, ensure_ascii=False), encoding="utf-8")
    return dest


def score(corpus: Path, gold: Path, out: Path) -> dict:
    res = subprocess.run(
        [sys.executable, str(corpus / "score.py"), str(gold), str(out), "--json"],
        check=True, capture_output=True, text=True)
    return json.loads(res.stdout)


def row(name: str, s: dict) -> str:
    p, r, f = s["entity_typed_micro"]
    cells = [name, f"{f:.3f} ({p:.2f} / {r:.2f})"]
    cells += [f"{s['per_type'][t][2]:.3f}" for t in TYPES]
    cells += [f"{s['official_title_recall']:.3f}", f"{s['entity_untyped'][2]:.3f}",
              f"{s['edges'][2]:.3f}", str(s["over_merged_nodes"])]
    return "| " + " | ".join(cells) + " |"


HEADER = ("| held out | typed F1 (P / R) | " + " | ".join(TYPES)
          + " | title recall | untyped F1 | edge F1 | merged nodes |")


def errors(corpus: Path, gold: Path, out: Path) -> list[str]:
    """Missed, extra and mistyped entities per file (for development)."""
    sys.path.insert(0, str(corpus))
    import score as sc  # the corpus's scorer, read in place

    _, gfiles = sc.load_gold(str(gold))
    pfiles, _ = sc.load_pred(str(out))
    lines = []
    for fname, gents in sorted(gfiles.items()):
        pents = pfiles.get(fname, {})
        pairs = sc.match_file(gents, pents)
        for pk, gk in pairs:
            if gents[gk]["type"] != pents[pk]["type"]:
                lines.append(f"{fname} TYPE {gk}: gold {gents[gk]['type']}, kg {pents[pk]['type']}")
        mp, mg = {p for p, _ in pairs}, {g for _, g in pairs}
        for gk in sorted(set(gents) - mg):
            lines.append(f"{fname} MISS {gents[gk]['type']} {gk} {sorted(gents[gk]['surf'])}")
        for pk in sorted(set(pents) - mp):
            lines.append(f"{fname} EXTRA {pents[pk]['type']} {pk}")
    return lines


def run_fold(corpus: Path, fold: str, work: Path, ner: str, learned: str | None) -> Path:
    """Fit (if asked) on the other folds, build this one; its output folder."""
    if learned == "auto":
        from kg.learn import fold_model

        learned = str(fold_model(corpus, [f for f in FOLDS if f != fold]))
    elif learned == "none":
        learned = None
    out = work / f"out_{fold}"
    build_fold(corpus, fold, out, ner=ner, learned=learned)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ner", default="lac")
    ap.add_argument("--learned", default="auto",
                    help="learned layer: 'auto' (fitted per fold, leaving the fold out), "
                    "'none', or a model path used for every fold")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--folds", default=",".join(FOLDS))
    ap.add_argument("--errors", action="store_true", help="list every error")
    ap.add_argument("--jobs", type=int, default=1, help="folds run in parallel")
    ap.add_argument("--keep", type=Path, help="keep the outputs in this folder")
    args = ap.parse_args()
    if not (args.corpus / "score.py").is_file():
        print(f"localnews_eval: no corpus at {args.corpus}", file=sys.stderr)
        return 2
    folds = args.folds.split(",")
    work = Path(tempfile.mkdtemp(prefix="kg-localnews-")) if args.keep is None else args.keep
    print(HEADER)
    print("|" + "---|" * (HEADER.count("|") - 1))
    jobs = [(args.corpus, fold, work, args.ner, args.learned) for fold in folds]
    if args.jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(args.jobs) as pool:
            outs = list(pool.map(run_fold, *zip(*jobs)))
    else:
        outs = [run_fold(*j) for j in jobs]
    for fold, out in zip(folds, outs):
        gold = merge_gold(args.corpus, [fold], work / f"gold_{fold}.json")
        print(row(fold, score(args.corpus, gold, out)), flush=True)
    pooled = work / "out_all"
    merge_outputs(outs, pooled)
    gold = merge_gold(args.corpus, folds, work / "gold_all.json")
    print(row("**pooled**", score(args.corpus, gold, pooled)))
    if args.errors:
        for line in errors(args.corpus, gold, pooled):
            print("  ", line)
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

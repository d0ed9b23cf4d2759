"""Score kg against the hand-annotated pages in tests/data/.

Entities are compared per article with aliases resolved: a gold entity and a
predicted one match when a surface form of one (name or alias printed in that
article) is a surface form of the other.  Prints typed entity P/R/F1 per type,
officials and their titles, company-vs-organisation accuracy, article
co-mention edge F1, and nodes that merge two gold entities.

    python bench/seeds_eval.py [--ner lac] [--set seeds|synthetic|all] [--errors]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import kg  # noqa: E402
from kg.model import ENTITY_TYPES  # noqa: E402

DATA = ROOT / "tests" / "data"
SETS = {
    "seeds": ([ROOT / "seeds"], DATA / "seeds_gold.jsonl"),
    "synthetic": ([DATA / "synthetic_articles.jsonl"], DATA / "synthetic_gold.jsonl"),
}


def load_gold(path: Path) -> dict[str, list[dict]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out[d["article_id"]] = d["entities"]
    return out


def predicted(result: kg.Result) -> dict[str, list[dict]]:
    """Per article: canonical entities with the surfaces printed there."""
    types = {e.name: e.type for e in result.entities}
    per: dict[str, dict[str, dict]] = defaultdict(dict)
    for m in result.mentions:
        ent = per[m.article_id].setdefault(
            m.entity, {"name": m.entity, "type": types.get(m.entity, m.type),
                       "surfaces": {m.entity}, "titles": []})
        ent["surfaces"].add(m.text)
        ent["titles"].extend(t for t in m.titles if t not in ent["titles"])
    return {a: list(v.values()) for a, v in per.items()}


def match(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index) sharing a surface form."""
    pairs = []
    for gi, g in enumerate(gold):
        gs = {g["name"], *g.get("aliases", [])}
        for pi, p in enumerate(pred):
            overlap = gs & p["surfaces"]
            if overlap:
                pairs.append((-max(map(len, overlap)), gi, pi))
    used_g, used_p, out = set(), set(), []
    for _score, gi, pi in sorted(pairs):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(gold: dict[str, list[dict]], pred: dict[str, list[dict]], errors: bool) -> dict:
    counts = {t: [0, 0, 0] for t in ENTITY_TYPES}
    untyped = [0, 0, 0]
    titles_gold = titles_found = titles_lenient = 0
    co_ok = co_all = 0
    edge = [0, 0, 0]
    merges: list[str] = []
    errs: list[str] = []
    for aid in sorted(set(gold) | set(pred)):
        g, p = gold.get(aid, []), pred.get(aid, [])
        pairs = match(g, p)
        mg = {gi: pi for gi, pi in pairs}
        mp = {pi: gi for gi, pi in pairs}
        untyped[0] += len(pairs)
        untyped[1] += len(p) - len(pairs)
        untyped[2] += len(g) - len(pairs)
        for gi, ge in enumerate(g):
            pi = mg.get(gi)
            if pi is not None and p[pi]["type"] == ge["type"]:
                counts[ge["type"]][0] += 1
            else:
                counts[ge["type"]][2] += 1
                if pi is not None:
                    counts.setdefault(p[pi]["type"], [0, 0, 0])[1] += 1
                    errs.append(f"{aid} TYPE {ge['name']}: gold {ge['type']}, kg {p[pi]['type']}")
                else:
                    errs.append(f"{aid} MISS {ge['type']} {ge['name']}")
            if ge["type"] == "official":
                gt = ge.get("titles", [])
                titles_gold += len(gt)
                pt = p[pi]["titles"] if pi is not None else []
                titles_found += sum(1 for t in gt if t in pt)
                titles_lenient += sum(1 for t in gt if any(t in x or x in t for x in pt))
                for t in gt:
                    if t not in pt:
                        errs.append(f"{aid} TITLE {ge['name']}: gold {t!r}, kg {pt}")
            if ge["type"] in ("company", "organization") and pi is not None and \
                    p[pi]["type"] in ("company", "organization"):
                co_all += 1
                co_ok += p[pi]["type"] == ge["type"]
        for pi, pe in enumerate(p):
            if pi not in mp:
                counts.setdefault(pe["type"], [0, 0, 0])[1] += 1
                errs.append(f"{aid} EXTRA {pe['type']} {pe['name']}")
        # A predicted node matching two gold entities merges them.
        for pe in p:
            hits = {ge["name"] for ge in g
                    if {ge["name"], *ge.get("aliases", [])} & pe["surfaces"]}
            if len(hits) > 1:
                merges.append(f"{aid}: {pe['name']} <- {sorted(hits)}")
        ge_pairs = {frozenset((a, b)) for a, b in combinations(range(len(g)), 2)}
        pe_pairs = {frozenset((a, b)) for a, b in combinations(range(len(p)), 2)}
        mapped = {frozenset(mp[x] for x in pr) for pr in pe_pairs if all(x in mp for x in pr)}
        tp = len(mapped & ge_pairs)
        edge[0] += tp
        edge[1] += len(pe_pairs) - tp
        edge[2] += len(ge_pairs) - tp
    typed = [sum(c[i] for c in counts.values()) for i in range(3)]
    out = {
        "typed": prf(*typed), "untyped": prf(*untyped),
        "types": {t: (*prf(*c), c[0] + c[2]) for t, c in counts.items() if t in ENTITY_TYPES},
        "titles_exact": titles_found / titles_gold if titles_gold else 0.0,
        "titles_lenient": titles_lenient / titles_gold if titles_gold else 0.0,
        "company_vs_org": co_ok / co_all if co_all else 0.0,
        "edges": prf(*edge), "merges": merges,
    }
    if errors:
        out["errors"] = errs
    return out


def report(name: str, s: dict) -> None:
    print(f"\n== {name} ==")
    print(f"{'type':<14}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}")
    for t, (p, r, f, n) in s["types"].items():
        print(f"{t:<14}{p:7.3f}{r:7.3f}{f:7.3f}{n:7d}")
    for k in ("typed", "untyped", "edges"):
        p, r, f = s[k]
        label = {"typed": "typed entity", "untyped": "entity (any type)",
                 "edges": "co-mention edges"}[k]
        print(f"{label:<20} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    print(f"official titles found: {s['titles_exact']:.3f} exact, "
          f"{s['titles_lenient']:.3f} lenient (one contains the other)")
    print(f"company vs organisation told apart: {s['company_vs_org']:.3f}")
    print(f"nodes merging two gold entities: {len(s['merges'])}")
    for m in s["merges"]:
        print("  ", m)
    for e in s.get("errors", []):
        print("  ", e)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ner", default="lac")
    ap.add_argument("--set", default="all", choices=["all", *SETS])
    ap.add_argument("--errors", action="store_true", help="list every error")
    ap.add_argument("--learned", default="heldout",
                    help="learned layer: 'heldout' (default: fitted on the local news corpus "
                    "and kg's other annotated set, never on the set scored), 'auto' (the "
                    "shipped model, which has seen both sets: training figures), 'none' "
                    "(rules only) or a model path")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "localnews")
    args = ap.parse_args()
    names = list(SETS) if args.set == "all" else [args.set]
    for name in names:
        inputs, gold_path = SETS[name]
        learned = args.learned
        if learned == "heldout":
            from kg.learn.train import cached_fit

            learned = str(cached_fit(args.corpus, ["a", "b", "c", "d"],
                                     own=[s for s in SETS if s != name]))
        result = kg.build(inputs, ner=args.ner, learned=learned)
        print(f"\n(learned layer: {args.learned})")
        report(name, score(load_gold(gold_path), predicted(result), args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Rule ablation: what each named rule does, and what switching it off costs.

For every rule of :func:`kg.refine.rules.registry` (in order) prints how
often it fired with every rule on, and the F1 change when it alone is
switched off (Δ = F1 off - F1 on: negative means the rule helps), on:

- ``local``: the hand-annotated local news corpus (``../shared/corpus/localnews``,
  all four batches, each built as one folder like ``bench/localnews_eval.py``
  does, no learned layer), pooled typed F1 from the corpus's own scorer;
- ``seeds``: the sample pages (``tests/data/seeds_gold.jsonl``), typed F1 as
  ``bench/seeds_eval.py`` computes it;
- ``msra``: MSRA test (the first ``--msra`` sentences, default all 3,442),
  strict micro F1 of PER/LOC/ORG as ``bench/ner_eval.py`` maps kg's types;
- ``cluener``: CLUENER2020 dev (all 1,343 sentences), strict micro F1 without
  ``position``, mapped as in ``bench/ner_eval.py``.

The public sets are single sentences: document and resolve rules do not run
there (``-``).  LAC runs once per set; only the rules run again per ablation.

    python bench/rule_ablation.py [--only NAME,NAME] [--msra N] [--markdown]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import localnews_eval as ln  # noqa: E402
import ner_eval  # noqa: E402
import seeds_eval  # noqa: E402
from common import DEFAULT_DATA, micro, score  # noqa: E402

from kg.export.json import write_json  # noqa: E402
from kg.export.tables import write_mentions_jsonl  # noqa: E402
from kg.graph import build_graph  # noqa: E402
from kg.model import Article, Mention, Span  # noqa: E402
from kg.pipeline import split_articles  # noqa: E402
from kg.read import read_documents  # noqa: E402
from kg.recognize.lac import LacRecognizer  # noqa: E402
from kg.refine import refine_sentence  # noqa: E402
from kg.refine.document import refine_document  # noqa: E402
from kg.refine.lexicon import load_lexicon  # noqa: E402
from kg.refine.rules import registry  # noqa: E402
from kg.resolve import infer_home_city, resolve  # noqa: E402


@dataclass
class Analysed:
    """One folder of articles with LAC run once over every sentence."""

    articles: list[Article]
    spans: list[list[Span]]
    tokens: list[list[Span]]


def analyse(paths: Sequence[Path], lac: LacRecognizer) -> Analysed:
    docs, _ = read_documents(paths)
    articles = split_articles(docs)
    texts = [s.text for a in articles for s in a.sentences]
    spans, tokens = lac.analyze(texts)
    return Analysed(articles, spans, tokens)


def build(an: Analysed, off: Collection[str], trace: Counter | None = None) -> SimpleNamespace:
    """What ``kg.build`` does after recognition (same order, same rules)."""
    lex = load_lexicon()
    sents = [s for a in an.articles for s in a.sentences]
    mentions: list[Mention] = []
    for s, sp, tk in zip(sents, an.spans, an.tokens):
        for f in refine_sentence(s.text, sp, tk, lexicon=lex, disabled=off, trace=trace):
            mentions.append(Mention(s.article_id, s.index, s.start + f.start, s.start + f.end,
                                    f.text, f.type, list(f.titles)))
    home = infer_home_city(mentions)
    mentions = refine_document(mentions, home_city=home, lexicon=lex, disabled=off, trace=trace)
    entities, _ = resolve(an.articles, mentions, home_city=home, lexicon=lex, disabled=off,
                          trace=trace)
    graph = build_graph(an.articles, mentions, entities, window="article", min_weight=1,
                        include_reporters=False)
    return SimpleNamespace(articles=an.articles, mentions=mentions, entities=entities, graph=graph)


def local_f1(folds: dict[str, Analysed], off: Collection[str], work: Path,
             trace: Counter | None = None) -> float:
    outs = []
    for fold, an in folds.items():
        r = build(an, off, trace)
        out = work / f"out_{fold}"
        out.mkdir(parents=True, exist_ok=True)
        write_json(r.graph, out / "graph.json")
        write_mentions_jsonl(r.mentions, r.articles, out / "mentions.jsonl")
        outs.append(out)
    pooled = work / "out_all"
    ln.merge_outputs(outs, pooled)
    gold = ln.merge_gold(ln.CORPUS, list(folds), work / "gold_all.json")
    return ln.score(ln.CORPUS, gold, pooled)["entity_typed_micro"][2]


def seeds_f1(an: Analysed, gold: dict, off: Collection[str], trace: Counter | None = None) -> float:
    return seeds_eval.score(gold, seeds_eval.predicted(build(an, off, trace)), False)["typed"][2]


@dataclass
class NerSet:
    spec: ner_eval.SetSpec
    texts: list[str]
    gold: list[set]
    spans: list[list[Span]]
    tokens: list[list[Span]]
    micro: str


def ner_set(key: str, lac: LacRecognizer, limit: int | None, micro_row: str) -> NerSet:
    spec = ner_eval.SETS[key]
    examples = spec.read(DEFAULT_DATA / spec.file)[:limit]
    texts = [t for t, _ in examples]
    spans, tokens = lac.analyze(texts)
    return NerSet(spec, texts, [spec.gold(g) for _, g in examples], spans, tokens, micro_row)


def ner_f1(ns: NerSet, off: Collection[str], trace: Counter | None = None) -> float:
    """Micro F1 of the rules on a public set, under the same documented
    conventions as bench/ner_eval.py (bodies in titles kept, PUBLIC_CONVENTIONS off)."""
    from ner_eval import PUBLIC_CONVENTIONS

    lex = load_lexicon()
    preds = [ns.spec.kg(refine_sentence(t, sp, tk, lexicon=lex, title_bodies=True,
                                        disabled=set(off) | PUBLIC_CONVENTIONS, trace=trace))
             for t, sp, tk in zip(ns.texts, ns.spans, ns.tokens)]
    counts = score(ns.gold, preds, ns.spec.classes)
    return micro(counts, ns.spec.micros[ns.micro]).f1


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="comma-separated rule names (default: all)")
    ap.add_argument("--msra", type=int, default=None, help="first N MSRA test sentences")
    ap.add_argument("--markdown", action="store_true", help="a markdown table")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    lac = LacRecognizer()
    folds = {f: analyse(ln.fold_texts(ln.CORPUS, f), lac) for f in ln.FOLDS}
    seeds = analyse([ROOT / "seeds"], lac)
    seeds_gold = seeds_eval.load_gold(seeds_eval.SETS["seeds"][1])
    msra = ner_set("msra", lac, args.msra, "micro")
    clu = ner_set("cluener", lac, None, "micro w/o position")
    print(f"LAC over every set: {time.perf_counter() - t0:.0f}s; MSRA test "
          f"{len(msra.texts)} sentences, CLUENER dev {len(clu.texts)}", file=sys.stderr)

    work = Path(tempfile.mkdtemp(prefix="kg-ablation-"))
    fires = {k: Counter() for k in ("local", "seeds", "msra", "cluener")}
    base = {
        "local": local_f1(folds, (), work, fires["local"]),
        "seeds": seeds_f1(seeds, seeds_gold, (), fires["seeds"]),
        "msra": ner_f1(msra, (), fires["msra"]),
        "cluener": ner_f1(clu, (), fires["cluener"]),
    }
    rules = registry()
    if args.only:
        wanted = set(args.only.split(","))
        rules = tuple(r for r in rules if r.name in wanted)
    sets = ("local", "seeds", "msra", "cluener")
    head = ["rule", "stage"] + [f"{s} {c}" for s in sets for c in ("fires", "ΔF1")]
    rows = [["(all rules on)", "", *(x for s in sets for x in ("", f"{base[s]:.3f}"))]]
    for r in rules:
        off = frozenset({r.name})
        sentence_level = r.stage in ("span", "type", "sentence")
        f1 = {
            "local": local_f1(folds, off, work),
            "seeds": seeds_f1(seeds, seeds_gold, off),
            "msra": ner_f1(msra, off) if sentence_level else None,
            "cluener": ner_f1(clu, off) if sentence_level else None,
        }
        row = [r.name, r.stage]
        for s in sets:
            if f1[s] is None:
                row += ["-", "-"]
            else:
                row += [str(fires[s][r.name]), f"{f1[s] - base[s]:+.3f}"]
        rows.append(row)
        print("  ".join(row), file=sys.stderr, flush=True)
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|---|---|" + "---:|" * (len(head) - 2))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(x[i]) for x in [head, *rows]) for i in range(len(head))]
        for row in [head, *rows]:
            print("  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                            for i, (c, w) in enumerate(zip(row, widths))))
    print("\nΔF1 = F1 with the rule off - F1 with every rule on (negative: the rule helps).\n"
          "local: pooled typed F1, 100 local news articles (4 batches, each built as one "
          "folder), no learned layer.  seeds: typed F1 on the sample pages.\n"
          f"msra: strict micro F1, MSRA test ({len(msra.texts)} sentences); cluener: strict "
          "micro F1 w/o position, CLUENER2020 dev (all).  fires: times the rule changed "
          "something with every rule on.  -: not run on single sentences.")
    print(f"\ntotal {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``kg build``: a thin shell over :func:`kg.pipeline.build`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from kg.graph import WINDOWS
from kg.model import ENTITY_TYPES, REPORTER
from kg.recognize import ENGINES
from kg.recognize.base import KgError

log = logging.getLogger("kg")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="Chinese news -> knowledge graph")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the graph of files or folders of articles")
    b.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt/.md/.jsonl files or folders")
    b.add_argument("-o", "--output", default="output", help="output folder (default: output/)")
    b.add_argument("--ner", choices=ENGINES, default="auto",
                   help="NER engine: auto (HanLP if its model is here, else LAC), lac, hanlp, "
                        "crf (a CRF over LAC fitted on People's Daily)")
    b.add_argument("--learned", default="auto", metavar="auto|none|MODEL",
                   help="the learned layer after the rules: auto (the shipped model, "
                        "fitted on annotated local news), none (rules only) or a "
                        ".crfsuite file from `python -m kg.learn.train`")
    b.add_argument("--hanlp-model", metavar="ID_OR_DIR",
                   help="HanLP pretrained identifier or local model directory")
    b.add_argument("--window", choices=WINDOWS, default="article",
                   help="what counts as together (default: article)")
    b.add_argument("--min-weight", type=int, default=1, metavar="N",
                   help="drop edges seen in fewer than N articles")
    b.add_argument("--home-city", metavar="NAME", help="home city for 市X names (default: inferred)")
    b.add_argument("--aliases", metavar="FILE", help="CSV of alias,canonical that overrides")
    b.add_argument("--include-reporters", action="store_true",
                   help="add bylines as 'reporter' nodes")
    b.add_argument("--max-nodes", type=int, default=400, metavar="N",
                   help="the page shows the top N nodes first (default: 400)")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    return p


def _progress_factory(quiet: bool):  # noqa: ANN202
    if quiet:
        return None

    def factory(total: int):  # noqa: ANN202
        from tqdm import tqdm

        bar = tqdm(total=total, unit="article", file=sys.stderr, leave=False)
        return bar.update

    return factory


def build_command(args: argparse.Namespace) -> int:
    from kg.pipeline import build, write_outputs

    if args.min_weight < 1:
        raise KgError("--min-weight must be at least 1")
    result = build(
        args.inputs, ner=args.ner, hanlp_model=args.hanlp_model, window=args.window,
        min_weight=args.min_weight, home_city=args.home_city, aliases=args.aliases,
        include_reporters=args.include_reporters, progress=_progress_factory(args.quiet),
        learned=args.learned,
    )
    if not result.articles:
        raise KgError("no articles found in the inputs")
    paths = write_outputs(result, Path(args.output), max_nodes=args.max_nodes)
    if not args.quiet:
        types = Counter(e.type for e in result.entities)
        g = result.graph
        print(f"engine: {result.engine}; home city: {result.home_city or '-'}")
        print(f"articles: {len(result.articles)}  mentions: {len(result.mentions)}  "
              f"entities: {len(result.entities)}  edges: {g.number_of_edges()}")
        print("  " + "  ".join(f"{t}: {types.get(t, 0)}" for t in (*ENTITY_TYPES, REPORTER)
                               if types.get(t, 0) or t != REPORTER))
        for p in paths:
            print(f"wrote {p}")
        print(f"{result.seconds:.1f} s")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO,
                        format="kg: %(message)s")
    try:
        return build_command(args)
    except KgError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

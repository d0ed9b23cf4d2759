"""``kg build`` and ``kg models fetch``: a thin shell over the library."""

from __future__ import annotations

import argparse
import difflib
import logging
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import NoReturn

from kg.graph import LIST_CAP, WEIGHTINGS, WINDOWS
from kg.manifest import NAME as MANIFEST
from kg.manifest import build_key, file_hash, output_lock, skipped_inputs, up_to_date
from kg.model import ENTITY_TYPES, REPORTER
from kg.recognize import ENGINES
from kg.recognize.base import KgError

log = logging.getLogger("kg")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kg")
    except PackageNotFoundError:  # run from a source tree that is not installed
        from kg import __version__

        return __version__


class _Parser(argparse.ArgumentParser):
    """argparse that answers a mistyped option with the nearest real one."""

    def _options(self) -> Iterator[str]:
        for action in self._actions:
            yield from action.option_strings
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    yield from sub._options()  # type: ignore[attr-defined]

    def error(self, message: str) -> NoReturn:
        if "unrecognized arguments" in message or "ambiguous option" in message:
            known = sorted(set(self._options()))
            for typo in re.findall(r"(?<![\w-])(--?[\w-]+)", message.split(":", 1)[-1]):
                close = difflib.get_close_matches(typo.split("=")[0], known, n=1, cutoff=0.6)
                if close:
                    message += f" (did you mean {close[0]}?)"
                    break
        super().error(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="kg", description="Chinese news -> knowledge graph")
    p.add_argument("--version", action="version", version=f"kg {_version()}")
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
    b.add_argument("--hanlp-tokens", choices=("words", "chars"),
                   help="what a single-task HanLP model reads: words (HanLP's pretrained "
                        "models; the default) or chars (character models you trained); "
                        "default: what the model folder says, else words")
    b.add_argument("--window", choices=WINDOWS, default="article",
                   help="what counts as together: the same sentence, paragraph or "
                        "article (default: article)")
    b.add_argument("--min-weight", type=int, default=1, metavar="N",
                   help="keep an edge only if its two entities are together (in the "
                        "--window) in at least N different articles (default: 1)")
    b.add_argument("--weight", choices=WEIGHTINGS, default="count", dest="weighting",
                   help="what ranks and filters edges on the page: count (shared articles, "
                        "the default) or npmi (normalised PMI over articles: how much more "
                        "often than chance two entities appear together)")
    b.add_argument("--list-cap", type=int, default=LIST_CAP, metavar="N",
                   help="an article naming more than N entities (a roll call, a list) links "
                        f"only those sharing a paragraph (default: {LIST_CAP}; 0: no cap)")
    b.add_argument("--home-city", metavar="NAME", help="home city for 市X names (default: inferred)")
    b.add_argument("--aliases", metavar="FILE", help="CSV of alias,canonical that overrides")
    b.add_argument("--include-reporters", action="store_true",
                   help="add bylines as 'reporter' nodes")
    b.add_argument("--max-nodes", type=int, default=400, metavar="N",
                   help="the page shows the top N nodes first (default: 400)")
    b.add_argument("--scheduler", default="auto", metavar="auto|sync|processes|tcp://HOST:PORT",
                   help="where recognition runs: auto (every core for big inputs, this "
                        "process for small ones), sync, processes, or the address of a "
                        "dask.distributed scheduler (pip install 'kg[cluster]')")
    b.add_argument("--workers", type=int, metavar="N",
                   help="local worker processes (default: every core)")
    b.add_argument("--no-cache", action="store_true",
                   help="recognise every article again, neither reading nor writing the "
                        "cache of recognition results (~/.cache/kg or $KG_CACHE_DIR)")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")

    m = sub.add_parser("models", help="get the models an engine needs")
    msub = m.add_subparsers(dest="models_command", required=True)
    f = msub.add_parser("fetch", help="download a HanLP model with HanLP's own downloader "
                                      "(needs the network; offline, copy ~/.hanlp instead)")
    f.add_argument("model", nargs="?", metavar="ID_OR_URL",
                   help="HanLP pretrained identifier or URL (default: the --ner hanlp default)")
    f.add_argument("--timeout", type=float, default=10.0, metavar="S",
                   help="seconds to wait for the server before giving up (default: 10)")
    return p


def models_command(args: argparse.Namespace) -> int:
    from kg.recognize.hanlp import fetch_model

    path = fetch_model(args.model, timeout=args.timeout)
    print(f"HanLP model ready: {path}")
    return 0


def _progress_factory(quiet: bool):  # noqa: ANN202
    if quiet:
        return None

    def factory(total: int):  # noqa: ANN202
        from tqdm import tqdm

        bar = tqdm(total=total, unit="article", file=sys.stderr, leave=False)
        return bar.update

    return factory


def _build_key(args: argparse.Namespace) -> str:
    """What decides the outputs: options (files they name by content), the
    engine ``auto`` would pick, kg's code and the inputs."""
    skip = {"inputs", "output", "quiet", "no_cache", "scheduler", "workers", "command"}
    options = {k: v for k, v in vars(args).items() if k not in skip}
    options["aliases"] = file_hash(args.aliases)
    if args.learned not in ("auto", "none"):
        options["learned"] = file_hash(args.learned)
    if args.ner == "auto":
        try:
            from kg.recognize.hanlp import hanlp_model_available

            options["ner"] = "hanlp" if hanlp_model_available(args.hanlp_model) else "lac"
        except Exception:  # noqa: BLE001 - any doubt: the key just changes
            options["ner"] = "auto?"
    return build_key(args.inputs, options)


#: Exit codes (README "What kg guarantees").
EXIT_OK, EXIT_ERROR, EXIT_SKIPPED = 0, 2, 3


def _check_cli_options(args: argparse.Namespace) -> None:
    """The options the library does not see, with the flags' names."""
    if args.min_weight < 1:
        raise KgError("--min-weight must be at least 1")
    if args.workers is not None and args.workers < 1:
        raise KgError("--workers must be at least 1")
    if args.list_cap == 1 or args.list_cap < 0:
        raise KgError("--list-cap must be 0 (no cap) or at least 2")
    if args.max_nodes < 1:
        raise KgError("--max-nodes must be at least 1")


def _skipped(count: int) -> int:
    """The summary line and exit code when inputs were skipped."""
    if not count:
        return EXIT_OK
    log.warning("skipped: %d input%s (named above)", count, "" if count == 1 else "s")
    return EXIT_SKIPPED


def build_command(args: argparse.Namespace) -> int:
    from kg.pipeline import check_build_options

    # Every option, the files options name and the output folder are checked
    # before any input is read (an archive takes minutes to recognise).
    _check_cli_options(args)
    _layer, aliases = check_build_options(
        scheduler=args.scheduler, window=args.window, min_weight=args.min_weight,
        weighting=args.weighting, list_cap=args.list_cap or None, learned=args.learned,
        aliases=args.aliases)
    out = Path(args.output)
    with output_lock(out):  # a second build into the folder fails here, at once
        return _build_locked(args, out, aliases)


def _build_locked(args: argparse.Namespace, out: Path,
                  aliases: Mapping[str, str] | None) -> int:
    from kg.pipeline import build, write_outputs

    key = _build_key(args)
    if not args.no_cache and up_to_date(out, key):
        skipped = skipped_inputs(out)
        for line in skipped:
            log.warning("%s", line)
        if not args.quiet:
            print(f"{out}: up to date (same inputs, options and kg as its {MANIFEST}); "
                  "--no-cache rebuilds")
        return _skipped(len(skipped))
    result = build(
        args.inputs, ner=args.ner, hanlp_model=args.hanlp_model, window=args.window,
        hanlp_tokens=args.hanlp_tokens,
        min_weight=args.min_weight, weighting=args.weighting, list_cap=args.list_cap or None,
        home_city=args.home_city, aliases=aliases,  # the file as checked above
        include_reporters=args.include_reporters, progress=_progress_factory(args.quiet),
        learned=args.learned, scheduler=args.scheduler, workers=args.workers,
        cache=not args.no_cache,
    )
    if not result.articles:
        raise KgError("no articles found in the inputs")
    # A complete new set, then the manifest last (kg.pipeline.write_outputs).
    paths = write_outputs(result, out, max_nodes=args.max_nodes, key=key)
    if result.graph.number_of_edges() == 0 and len(result.entities) > 1:
        hint = (f" in at least {args.min_weight} articles (lower --min-weight)"
                if args.min_weight > 1 else
                f" within one {args.window}" + (" (try --window article)"
                                                 if args.window != "article" else ""))
        log.warning("the graph has no edges: no two entities are together%s", hint)
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
        print(f"{result.seconds:.1f} s (" + ", ".join(
            f"{k} {v:.1f}" for k, v in result.timings.items()) + ")")
    return _skipped(sum(1 for e in result.errors if getattr(e, "skipped", True)))


def _one_line(message: str) -> str:
    """``message`` with control characters escaped: a name in it can neither
    forge a line nor drive the terminal."""
    try:
        from kg.read import printable
    except ImportError:  # pragma: no cover - a kg.read from before it
        return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", message)
    return printable(message)


def main(argv: Sequence[str] | None = None) -> int:
    # Arrow's own allocator keeps what the Parquet writers free; the system's
    # gives it back (a 10k-article build's peak: 513 -> 482 MB).  Before
    # pyarrow is imported; a user's setting wins.
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if getattr(args, "quiet", False) else logging.INFO,
                        format="kg: %(message)s")
    try:
        return models_command(args) if args.command == "models" else build_command(args)
    except KgError as exc:
        print(f"kg: error: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:  # the disk, permissions: one line, not a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"kg: error: {_one_line(where + (exc.strerror or str(exc)))}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

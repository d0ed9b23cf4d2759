"""The library's front door: ``build()`` runs every stage in order.

read -> pages (articles, sentences) -> recognise -> refine -> resolve -> graph.
Rendering and export are separate (:func:`write_outputs`), so notebooks can
build without touching files.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kg.graph import LIST_CAP, build_graph, check_options
from kg.learn import LocalTagger
from kg.mentions import (  # noqa: F401 - re-exported: the benchmarks use them from here
    Engines,
    EngineSpec,
    analyze_texts,
    extract_mentions,
    get_learned,
    refine_texts,
    tokenizer_for,
)
from kg.model import Article, Entity, Mention
from kg.pages import articles_from_document, repeated_lines
from kg.read import ReadError, read_documents
from kg.recognize import Recognizer, get_recognizer
from kg.recognize.base import KgError
from kg.refine.document import refine_document
from kg.refine.rules import check_names
from kg.resolve import add_reporters, infer_home_city, read_aliases, resolve

log = logging.getLogger(__name__)

Progress = Callable[[int], None]


@dataclass
class Result:
    graph: nx.Graph
    articles: list[Article]
    mentions: list[Mention]
    entities: list[Entity]
    errors: list[ReadError] = field(default_factory=list)
    home_city: str | None = None
    engine: str = ""
    seconds: float = 0.0
    #: Seconds per stage (read, split, recognise, resolve, graph).
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def entities_df(self):  # noqa: ANN201 - pandas is imported lazily
        import pandas as pd

        return pd.DataFrame(
            [{"name": e.name, "type": e.type, "mentions": e.mentions,
              "articles": e.articles, "aliases": e.aliases, "titles": e.title_texts}
             for e in self.entities],
            columns=["name", "type", "mentions", "articles", "aliases", "titles"],
        )

    @property
    def mentions_df(self):  # noqa: ANN201
        import pandas as pd

        files = {a.id: a.file for a in self.articles}
        return pd.DataFrame(
            [{"article_id": m.article_id, "file": files.get(m.article_id, ""),
              "sentence": m.sentence, "start": m.start, "end": m.end, "text": m.text,
              "entity": m.entity, "type": m.type, "titles": list(m.titles)}
             for m in self.mentions],
            columns=["article_id", "file", "sentence", "start", "end", "text",
                     "entity", "type", "titles"],
        )


def split_articles(docs: Sequence) -> list[Article]:
    furniture = repeated_lines([d.text for d in docs])
    articles: list[Article] = []
    for d in docs:
        articles.extend(articles_from_document(d, furniture=furniture))
    return articles


class OptionError(KgError, ValueError):
    """A bad option: one line for the user (a ValueError for older callers)."""


def check_build_options(
    *,
    scheduler: str = "auto",
    window: str = "article",
    min_weight: int = 1,
    weighting: str = "count",
    list_cap: int | None = LIST_CAP,
    learned: str | LocalTagger | None = "auto",
    aliases: str | Path | Mapping[str, str] | None = None,
    rules_off: Iterable[str] = (),
) -> tuple[LocalTagger | None, Mapping[str, str] | None]:
    """Check every option of :func:`build` that needs no input, reading the
    files they name: ``(learned layer, alias map)``, or :class:`KgError`
    (one line) before anything is read.  The CLI calls it before it even
    takes the output folder's lock."""
    from kg.mentions import plan

    try:
        plan(scheduler, chars=0, workers=1)
        check_options(window=window, min_weight=min_weight, weighting=weighting,
                      list_cap=list_cap)
        check_names(set(rules_off))
    except ValueError as exc:
        raise OptionError(str(exc)) from exc
    try:
        layer = get_learned(learned)
    except KgError:
        raise
    except Exception as exc:  # noqa: BLE001 - pycrfsuite: ValueError, OSError, ...
        raise OptionError(f"{learned}: cannot load the learned model ({exc})") from exc
    alias_map = read_aliases(aliases) if isinstance(aliases, (str, Path)) else aliases
    return layer, alias_map


def build(
    paths: Iterable[str | Path],
    *,
    ner: str = "auto",
    hanlp_model: str | None = None,
    hanlp_tokens: str | None = None,
    window: str = "article",
    min_weight: int = 1,
    weighting: str = "count",
    list_cap: int | None = LIST_CAP,
    home_city: str | None = None,
    aliases: str | Path | Mapping[str, str] | None = None,
    include_reporters: bool = False,
    learned: str | LocalTagger | None = "auto",
    recognizer: Recognizer | None = None,
    progress: Callable[[int], Progress] | None = None,
    rules_off: Iterable[str] = (),
    scheduler: str = "auto",
    workers: int | None = None,
    cache: bool | str | Path = True,
) -> Result:
    """Build the graph of the given files/folders.  Bad files are reported in
    ``Result.errors`` and skipped, never fatal.  ``progress(total)`` may
    return a callback advanced by the number of articles done.  ``rules_off``
    names rules to switch off (:func:`kg.refine.rules.registry` lists them).

    Recognition runs where ``scheduler`` says (:func:`kg.mentions.plan`:
    ``auto``, ``sync``, ``processes`` or a ``tcp://`` Dask scheduler) on
    ``workers`` processes (default: every core), and reuses results from the
    cache (``True``: the user cache folder; a path: that folder; ``False``:
    none).  A ``recognizer`` object or a tagger object as ``learned`` runs
    in this process without the cache: only named engines can be rebuilt
    elsewhere or fingerprinted."""
    t0 = time.perf_counter()
    # Bad options (a model, an alias file) fail before any reading.
    layer, alias_map = check_build_options(
        scheduler=scheduler, window=window, min_weight=min_weight, weighting=weighting,
        list_cap=list_cap, learned=learned, aliases=aliases, rules_off=rules_off)
    timings: dict[str, float] = {}
    lap = time.perf_counter()

    def stage(name: str) -> None:
        nonlocal lap
        now = time.perf_counter()
        timings[name] = round(now - lap, 3)
        lap = now

    docs, errors = read_documents(paths)
    stage("read")
    articles = split_articles(docs)
    del docs
    stage("split")
    rec = recognizer or _engine_here(ner, hanlp_model, hanlp_tokens)
    # No engine loaded here means LAC (``auto`` without a HanLP model) or the CRF.
    name = rec.name if rec is not None else ("lac" if ner == "auto" else ner)
    tick = progress(len(articles)) if progress else None
    off = check_names(set(rules_off))
    own = recognizer is not None or (layer is not None and not isinstance(learned, str))
    spec = EngineSpec(ner=name, hanlp_model=hanlp_model, hanlp_tokens=hanlp_tokens,
                      learned=str(layer.path) if layer is not None and not own else None,
                      disabled=frozenset(off))
    # LAC and the CRF load where they run (worker processes, or here when the
    # input is small): the build process then never holds a second copy.
    engines = Engines(rec, tokenizer_for(rec), layer, frozenset(off)) if rec else None
    store = None
    if cache and not own:
        from kg.cache import MentionCache

        store = MentionCache(None if cache is True else Path(cache))  # type: ignore[arg-type]
    try:
        mentions = extract_mentions(articles, spec, engines=engines,
                                    scheduler="sync" if own else scheduler, workers=workers,
                                    cache=store, progress=tick)
    finally:
        if store is not None:
            store.close()
    stage("recognise")
    # Corpus-level refine rules (re-typing, slogans) before resolution merges.
    home = home_city or infer_home_city(mentions)
    mentions = refine_document(mentions, home_city=home, disabled=off)
    entities, home = resolve(articles, mentions, home_city=home, aliases=alias_map,
                             disabled=off)
    if include_reporters:
        entities = add_reporters(articles, entities)
    stage("resolve")
    graph = build_graph(articles, mentions, entities, window=window, min_weight=min_weight,
                        include_reporters=include_reporters, weighting=weighting,
                        list_cap=list_cap)
    graph.graph["home_city"] = home or ""
    stage("graph")
    engine = name + (" + learned layer" if layer is not None else "")
    return Result(graph, articles, mentions, entities, errors, home, engine,
                  time.perf_counter() - t0, timings)


def _engine_here(ner: str, hanlp_model: str | None,
                 hanlp_tokens: str | None) -> Recognizer | None:
    """The engine, loaded now only when choosing it needs loading: HanLP
    (to fail or fall back before the long part); ``None`` for LAC and the CRF."""
    if ner in ("lac", "crf"):
        return None
    if ner == "auto" and hanlp_model is None:
        try:
            from kg.recognize.hanlp import hanlp_model_available

            if not hanlp_model_available(hanlp_model):
                log.info("--ner auto picked lac (no HanLP model here)")
                return None
        except ImportError:
            return None
    return get_recognizer(ner, hanlp_model=hanlp_model, hanlp_tokens=hanlp_tokens)


#: The output files, in the order they are written and renamed into place.
OUTPUTS = ("graph.html", "graph.json", "graph.graphml", "entities.csv", "mentions.jsonl",
           "articles.jsonl", "entities.parquet", "mentions.parquet", "edges.parquet",
           "articles.parquet")


def write_outputs(result: Result, out: str | Path, *, max_nodes: int = 400,
                  key: str | None = None) -> list[Path]:
    """Write every output into ``out`` as one set, holding the folder's lock.

    All are written to temp files first; only when every one is written are
    they renamed into place, then ``kg-manifest.json`` (``key``: the build's
    identity, see :mod:`kg.manifest`) is written last.  A failure while
    writing (a full disk) raises :class:`KgError` and leaves the previous
    outputs as they were."""
    from kg.export.atomic import staged
    from kg.export.graphml import write_graphml
    from kg.export.json import write_json
    from kg.export.parquet import (
        write_articles_parquet,
        write_edges_parquet,
        write_entities_parquet,
        write_mentions_parquet,
    )
    from kg.export.tables import (
        write_articles_jsonl,
        write_entities_csv,
        write_mentions_jsonl,
    )
    from kg.manifest import COMMITTING, NAME, output_lock, write_manifest

    if max_nodes < 1:
        raise OptionError(f"max_nodes must be >= 1; got {max_nodes}")
    out = Path(out)
    r = result
    writers: dict[str, Callable[[Path], object]] = {
        "graph.html": lambda p: _write_html(r, p, max_nodes=max_nodes),
        "graph.json": lambda p: write_json(r.graph, p),
        "graph.graphml": lambda p: write_graphml(r.graph, p),
        "entities.csv": lambda p: write_entities_csv(r.entities, p),
        "mentions.jsonl": lambda p: write_mentions_jsonl(r.mentions, r.articles, p),
        "articles.jsonl": lambda p: write_articles_jsonl(r.articles, p),
        "entities.parquet": lambda p: write_entities_parquet(r.entities, p),
        "mentions.parquet": lambda p: write_mentions_parquet(r.mentions, r.articles, p),
        "edges.parquet": lambda p: write_edges_parquet(r.graph, p),
        "articles.parquet": lambda p: write_articles_parquet(r.articles, p),
    }
    skipped = [str(e) for e in r.errors if getattr(e, "skipped", True)]
    with output_lock(out) as lock:
        with staged() as stage:
            for name in OUTPUTS:
                try:
                    writers[name](out / name)
                except OSError as exc:
                    raise KgError(f"{out}: cannot write {name} ({exc.strerror or exc}); "
                                  "the previous outputs are left as they were") from exc
        try:
            # From the first rename on, the folder is no longer the build its
            # manifest names: the lock file says so until the new one is in.
            lock.mark(COMMITTING)
            (out / NAME).unlink(missing_ok=True)
            done = stage.commit()
            write_manifest(out, key, done, skipped)
            lock.mark("")
        except OSError as exc:
            raise KgError(f"{out}: cannot put the new outputs in place ({exc.strerror or exc}); "
                          "the folder is incomplete: build again") from exc
        finally:
            stage.discard()
    return [out / name for name in OUTPUTS]


def _write_html(result: Result, path: Path, *, max_nodes: int) -> Path:
    from kg.export.html import write_html

    return write_html(result.graph, path, title="kg", max_nodes=max_nodes,
                      articles={a.id: a for a in result.articles})


def load(folder: str | Path) -> Result:
    """Read a previous build's output folder back into a :class:`Result`
    (from the Parquet tables when they are there: faster than JSON)."""
    from kg.export.json import read_json
    from kg.export.tables import read_articles_jsonl, read_mentions_jsonl
    from kg.manifest import NAME, interrupted, verify
    from kg.model import Title

    out = Path(folder)
    needed = ("graph.json", "mentions.jsonl", "articles.jsonl")
    missing = [n for n in needed if not (out / n).exists()]
    if missing and not (out / NAME).exists() and not interrupted(out):
        raise KgError(f"{out}: not a kg output folder (missing {', '.join(missing)})")
    verify(out)  # one build's complete set, or a one-line refusal
    if missing:
        raise KgError(f"{out}: not a kg output folder (missing {', '.join(missing)})")
    graph = read_json(out / "graph.json")
    if (out / "articles.parquet").exists() and (out / "mentions.parquet").exists():
        from kg.export.parquet import read_articles_parquet, read_mentions_parquet

        articles = read_articles_parquet(out / "articles.parquet")
        mentions = read_mentions_parquet(out / "mentions.parquet")
    else:  # a build from before the Parquet tables
        articles = read_articles_jsonl(out / "articles.jsonl")
        mentions = read_mentions_jsonl(out / "mentions.jsonl")
    entities = [
        Entity(name=n, type=d.get("type", ""), aliases=list(d.get("aliases", [])),
               titles=[Title(t["text"], t["article_id"]) for t in d.get("title_sources", [])],
               mentions=int(d.get("mentions", 0)), articles=int(d.get("articles", 0)))
        for n, d in graph.nodes(data=True) if d.get("type") != "reporter"
    ]
    return Result(graph=graph, articles=articles, mentions=mentions, entities=entities,
                  home_city=graph.graph.get("home_city") or None, engine="loaded")

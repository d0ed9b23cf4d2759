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

from kg.graph import build_graph
from kg.learn import LocalTagger, load_tagger
from kg.model import Article, Entity, Mention
from kg.pages import articles_from_document, repeated_lines
from kg.read import ReadError, read_documents
from kg.recognize import Recognizer, get_recognizer
from kg.refine import refine_sentence
from kg.refine.document import refine_document
from kg.refine.lexicon import load_lexicon
from kg.refine.rules import check_names
from kg.resolve import add_reporters, infer_home_city, read_aliases, resolve

log = logging.getLogger(__name__)

Progress = Callable[[int], None]
_BATCH_ARTICLES = 16


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
              "entity": m.entity, "type": m.type, "titles": m.titles}
             for m in self.mentions],
            columns=["article_id", "file", "sentence", "start", "end", "text",
                     "entity", "type", "titles"],
        )


def get_learned(learned: str | None) -> LocalTagger | None:
    """``"auto"``: the shipped model when it is there; ``"none"``/``None``: rules
    only; else a model path."""
    if learned in (None, "none"):
        return None
    return load_tagger(None if learned == "auto" else learned)


def split_articles(docs: Sequence) -> list[Article]:
    furniture = repeated_lines([d.text for d in docs])
    articles: list[Article] = []
    for d in docs:
        articles.extend(articles_from_document(d, furniture=furniture))
    return articles


def _tokenizer(recognizer: Recognizer) -> Recognizer:
    """The LAC pass that gives the rules their word tokens; engines built on
    LAC (``lac``, ``crf``) give both in one pass through ``analyze``."""
    if hasattr(recognizer, "analyze"):
        return recognizer
    from kg.recognize.lac import LacRecognizer

    return LacRecognizer()


def analyze_texts(
    texts: Sequence[str], recognizer: Recognizer, tok: Recognizer | None = None,
    *, title_bodies: bool = False, disabled: frozenset[str] = frozenset(),
    probs: bool = False,
) -> tuple[list[list], list[list], list | None]:
    """One recognition pass over ``texts`` (LAC tokens, engine spans), then
    the rules per sentence: ``(tokens, found, tag probabilities)`` per text
    (probabilities only with ``probs`` and an engine that gives them)."""
    lex = load_lexicon()
    tok = tok or _tokenizer(recognizer)
    probabilities = None
    if probs and hasattr(tok, "analyze_full"):
        spans, tokens, probabilities = tok.analyze_full(texts)  # type: ignore[attr-defined]
    else:
        spans, tokens = tok.analyze(texts)  # type: ignore[attr-defined]
    if tok is not recognizer:
        spans = recognizer.recognize(texts)
    found = [refine_sentence(t, sp, tk, lexicon=lex, title_bodies=title_bodies, disabled=disabled)
             for t, sp, tk in zip(texts, spans, tokens)]
    return tokens, found, probabilities


def _refine_batch(
    texts: Sequence[str], recognizer: Recognizer, tok: Recognizer, *,
    title_bodies: bool = False, learned: LocalTagger | None = None,
    disabled: frozenset[str] = frozenset(),
) -> list[list]:
    """Rules, then (if given) the learned layer over their output."""
    tokens, found, probs = analyze_texts(texts, recognizer, tok, title_bodies=title_bodies,
                                         disabled=disabled, probs=learned is not None)
    if learned is None:
        return found
    probs = probs or [None] * len(texts)
    return [learned.apply(t, tk, fs, pr) for t, tk, fs, pr in zip(texts, tokens, found, probs)]


def refine_texts(
    texts: Sequence[str], recognizer: Recognizer, *, title_bodies: bool = False,
    learned: str | None = "none", disabled: frozenset[str] = frozenset(),
) -> list[list]:
    """Recognise + refine bare sentences (no articles, no resolution).

    Used by the benchmarks: returns :class:`kg.refine.Found` lists with
    offsets into each text.
    """
    return _refine_batch(texts, recognizer, _tokenizer(recognizer), title_bodies=title_bodies,
                         learned=get_learned(learned), disabled=disabled)


def extract_mentions(
    articles: Sequence[Article],
    recognizer: Recognizer,
    *,
    learned: LocalTagger | None = None,
    progress: Progress | None = None,
    disabled: frozenset[str] = frozenset(),
) -> list[Mention]:
    """Recognise and refine every sentence; batches span several articles."""
    tok = _tokenizer(recognizer)
    mentions: list[Mention] = []
    for b in range(0, len(articles), _BATCH_ARTICLES):
        batch = articles[b : b + _BATCH_ARTICLES]
        sents = [s for a in batch for s in a.sentences]
        found = _refine_batch([s.text for s in sents], recognizer, tok, learned=learned,
                              disabled=disabled)
        for s, fs in zip(sents, found):
            for f in fs:
                mentions.append(Mention(
                    article_id=s.article_id, sentence=s.index,
                    start=s.start + f.start, end=s.start + f.end,
                    text=f.text, type=f.type, titles=list(f.titles),
                ))
        if progress:
            progress(len(batch))
    return mentions


def build(
    paths: Iterable[str | Path],
    *,
    ner: str = "auto",
    hanlp_model: str | None = None,
    window: str = "article",
    min_weight: int = 1,
    home_city: str | None = None,
    aliases: str | Path | Mapping[str, str] | None = None,
    include_reporters: bool = False,
    learned: str | None = "auto",
    recognizer: Recognizer | None = None,
    progress: Callable[[int], Progress] | None = None,
    rules_off: Iterable[str] = (),
) -> Result:
    """Build the graph of the given files/folders.  Bad files are reported in
    ``Result.errors`` and skipped, never fatal.  ``progress(total)`` may
    return a callback advanced by the number of articles done.  ``rules_off``
    names rules to switch off (:func:`kg.refine.rules.registry` lists them)."""
    t0 = time.perf_counter()
    layer = get_learned(learned)  # a bad model path fails before any reading
    docs, errors = read_documents(paths)
    articles = split_articles(docs)
    rec = recognizer or get_recognizer(ner, hanlp_model=hanlp_model)
    tick = progress(len(articles)) if progress else None
    off = check_names(set(rules_off))
    mentions = extract_mentions(articles, rec, learned=layer, progress=tick,
                                disabled=off)
    alias_map = read_aliases(aliases) if isinstance(aliases, (str, Path)) else aliases
    # Corpus-level refine rules (re-typing, slogans) before resolution merges.
    home = home_city or infer_home_city(mentions)
    mentions = refine_document(mentions, home_city=home, disabled=off)
    entities, home = resolve(articles, mentions, home_city=home, aliases=alias_map,
                             disabled=off)
    if include_reporters:
        entities = add_reporters(articles, entities)
    graph = build_graph(articles, mentions, entities, window=window,
                        min_weight=min_weight, include_reporters=include_reporters)
    graph.graph["home_city"] = home or ""
    graph.graph["window"] = window
    engine = rec.name + (" + learned layer" if layer is not None else "")
    return Result(graph, articles, mentions, entities, errors, home, engine,
                  time.perf_counter() - t0)


def write_outputs(result: Result, out: Path, *, max_nodes: int = 400) -> list[Path]:
    """Write every output file atomically into ``out``."""
    from kg.export.graphml import write_graphml
    from kg.export.json import write_json
    from kg.export.tables import (
        write_articles_jsonl,
        write_entities_csv,
        write_mentions_jsonl,
    )

    out.mkdir(parents=True, exist_ok=True)
    paths = [
        _write_html(result.graph, out / "graph.html", max_nodes=max_nodes),
        write_json(result.graph, out / "graph.json"),
        write_graphml(result.graph, out / "graph.graphml"),
        write_entities_csv(result.entities, out / "entities.csv"),
        write_mentions_jsonl(result.mentions, result.articles, out / "mentions.jsonl"),
        write_articles_jsonl(result.articles, out / "articles.jsonl"),
    ]
    return paths


def _write_html(graph: nx.Graph, path: Path, *, max_nodes: int) -> Path:
    from kg.export.html import write_html

    return write_html(graph, path, title="kg", max_nodes=max_nodes)


def load(folder: str | Path) -> Result:
    """Read a previous build's output folder back into a :class:`Result`."""
    from kg.export.json import read_json
    from kg.export.tables import read_articles_jsonl, read_mentions_jsonl
    from kg.model import Title
    from kg.recognize.base import KgError

    out = Path(folder)
    needed = ("graph.json", "mentions.jsonl", "articles.jsonl")
    missing = [n for n in needed if not (out / n).exists()]
    if missing:
        raise KgError(f"{out}: not a kg output folder (missing {', '.join(missing)})")
    graph = read_json(out / "graph.json")
    entities = [
        Entity(name=n, type=d.get("type", ""), aliases=list(d.get("aliases", [])),
               titles=[Title(t["text"], t["article_id"]) for t in d.get("title_sources", [])],
               mentions=int(d.get("mentions", 0)), articles=int(d.get("articles", 0)))
        for n, d in graph.nodes(data=True) if d.get("type") != "reporter"
    ]
    return Result(graph=graph, articles=read_articles_jsonl(out / "articles.jsonl"),
                  mentions=read_mentions_jsonl(out / "mentions.jsonl"), entities=entities,
                  home_city=graph.graph.get("home_city") or None, engine="loaded")

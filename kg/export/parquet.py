"""Columnar outputs for analysts: ``entities``, ``mentions``, ``edges`` and
``articles`` as Parquet, so pandas, DuckDB or Spark read a big build without
parsing JSON.  :func:`kg.load` reads them back when they are there.

Evidence stays by reference: ``edges.evidence`` is a list of
``{article_id, sentence}``; ``articles.sentences`` gives each sentence's
offsets into ``articles.text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import networkx as nx

from kg.export.atomic import atomic_open
from kg.model import Article, Entity, Mention, Sentences, Title


def _pa():  # noqa: ANN202 - pyarrow is imported on use
    import pyarrow as pa
    import pyarrow.parquet as pq

    return pa, pq


#: Rows per row group: the writers hold one batch of Python objects at a time
#: (10k: measured, 50k batches added 90 MB to a 10k-article build's peak).
BATCH = 10_000


def _write(table, path: str | Path) -> Path:  # noqa: ANN001
    _pa_mod, pq = _pa()
    with atomic_open(path, "wb") as fh:
        pq.write_table(table, fh, compression="zstd")
    return Path(path)


def _write_batches(schema, batches, path: str | Path) -> Path:  # noqa: ANN001
    """Write tables from ``batches`` (column dicts) one row group at a time."""
    pa, pq = _pa()
    with atomic_open(path, "wb") as fh:
        with pq.ParquetWriter(fh, schema, compression="zstd") as writer:
            for columns in batches:
                writer.write_table(pa.table(columns, schema=schema))
    return Path(path)


def _chunks(seq, size: int = BATCH):  # noqa: ANN001, ANN202
    for b in range(0, len(seq), size):
        yield seq[b : b + size]


def _batched(items, size: int = BATCH):  # noqa: ANN001, ANN202
    part: list = []
    for item in items:
        part.append(item)
        if len(part) == size:
            yield part
            part = []
    if part:
        yield part


def _sorted_edges(graph: nx.Graph):  # noqa: ANN202
    """Every edge once as (source, target), source <= target, in name order,
    so the same graph gives the same file; one node's neighbours at a time
    (a sorted list of every edge is 100 MB at a million edges)."""
    for u in sorted(graph):
        for v in sorted(v for v in graph[u] if v >= u):
            yield u, v


def write_entities_parquet(entities: Sequence[Entity], path: str | Path) -> Path:
    pa, _ = _pa()
    rows = sorted(entities, key=lambda e: (-e.mentions, e.name))
    table = pa.table({
        "name": [e.name for e in rows],
        "type": [e.type for e in rows],
        "mentions": pa.array([e.mentions for e in rows], pa.int32()),
        "articles": pa.array([e.articles for e in rows], pa.int32()),
        "aliases": pa.array([list(e.aliases) for e in rows], pa.list_(pa.string())),
        "titles": pa.array([[{"text": t.text, "article_id": t.article_id} for t in e.titles]
                            for e in rows],
                           pa.list_(pa.struct([("text", pa.string()),
                                               ("article_id", pa.string())]))),
    })
    return _write(table, path)


def read_entities_parquet(path: str | Path) -> list[Entity]:
    _, pq = _pa()
    return [Entity(name=r["name"], type=r["type"], mentions=r["mentions"],
                   articles=r["articles"], aliases=list(r["aliases"] or []),
                   titles=[Title(t["text"], t["article_id"]) for t in r["titles"] or []])
            for r in pq.read_table(path).to_pylist()]


def write_mentions_parquet(mentions: Sequence[Mention], articles: Sequence[Article],
                           path: str | Path) -> Path:
    pa, _ = _pa()
    files = {a.id: a.file for a in articles}
    schema = pa.schema([("article_id", pa.string()), ("file", pa.string()),
                        ("sentence", pa.int32()), ("start", pa.int32()), ("end", pa.int32()),
                        ("text", pa.string()), ("entity", pa.string()), ("type", pa.string()),
                        ("titles", pa.list_(pa.string()))])
    batches = ({
        "article_id": [m.article_id for m in part],
        "file": [files.get(m.article_id, "") for m in part],
        "sentence": [m.sentence for m in part],
        "start": [m.start for m in part],
        "end": [m.end for m in part],
        "text": [m.text for m in part],
        "entity": [m.entity for m in part],
        "type": [m.type for m in part],
        "titles": [list(m.titles) for m in part],
    } for part in _chunks(mentions))
    return _write_batches(schema, batches, path)


def read_mentions_parquet(path: str | Path) -> list[Mention]:
    _, pq = _pa()
    cols = pq.read_table(path).to_pydict()
    return [Mention(a, s, b, e, t, ty, tuple(ti or ()), en)
            for a, s, b, e, t, ty, ti, en in zip(
                cols["article_id"], cols["sentence"], cols["start"], cols["end"],
                cols["text"], cols["type"], cols["titles"], cols["entity"])]


def write_edges_parquet(graph: nx.Graph, path: str | Path) -> Path:
    pa, _ = _pa()
    ref = pa.struct([("article_id", pa.string()), ("sentence", pa.int32())])
    schema = pa.schema([("source", pa.string()), ("target", pa.string()),
                        ("weight", pa.int32()), ("npmi", pa.float32()),
                        ("sentences", pa.int32()), ("evidence", pa.list_(ref))])

    def batches():  # noqa: ANN202
        for part in _batched(_sorted_edges(graph)):
            data = [graph[u][v] for u, v in part]
            yield {
                "source": [u for u, _v in part],
                "target": [v for _u, v in part],
                "weight": [int(d.get("weight", 0)) for d in data],
                "npmi": [float(d.get("npmi", 0.0)) for d in data],
                "sentences": [int(d.get("sentences", 0)) for d in data],
                "evidence": [[{"article_id": r[0], "sentence": int(r[1])}
                              for r in d.get("evidence", []) if isinstance(r, (list, tuple))]
                             for d in data],
            }

    return _write_batches(schema, batches(), path)


def read_edges_parquet(path: str | Path) -> list[tuple[str, str, dict]]:
    _, pq = _pa()
    return [(r["source"], r["target"],
             {"weight": r["weight"], "npmi": r["npmi"], "sentences": r["sentences"],
              "evidence": [[e["article_id"], e["sentence"]] for e in r["evidence"] or []]})
            for r in pq.read_table(path).to_pylist()]


def write_articles_parquet(articles: Sequence[Article], path: str | Path) -> Path:
    pa, _ = _pa()
    span = pa.struct([("start", pa.int32()), ("end", pa.int32()), ("paragraph", pa.int32())])
    schema = pa.schema([("id", pa.string()), ("file", pa.string()), ("title", pa.string()),
                        ("date", pa.string()), ("reporters", pa.list_(pa.string())),
                        ("text", pa.string()), ("paragraphs", pa.list_(pa.list_(pa.int32()))),
                        ("sentences", pa.list_(span))])
    batches = ({
        "id": [a.id for a in part],
        "file": [a.file for a in part],
        "title": [a.title for a in part],
        "date": [a.date for a in part],
        "reporters": [list(a.reporters) for a in part],
        "text": [a.text for a in part],
        "paragraphs": [[list(p) for p in a.paragraphs] for a in part],
        "sentences": [[{"start": s.start, "end": s.end, "paragraph": s.paragraph}
                       for s in a.sentences] for a in part],
    } for part in _chunks(articles, 1_000))
    return _write_batches(schema, batches, path)


def read_articles_parquet(path: str | Path) -> list[Article]:
    _, pq = _pa()
    out = []
    for r in pq.read_table(path).to_pylist():
        a = Article(id=r["id"], file=r["file"], title=r["title"], text=r["text"],
                    reporters=list(r["reporters"] or []), date=r["date"],
                    paragraphs=r["paragraphs"] or [])  # type: ignore[misc]
        a.sentences = Sentences(a.id, a.text, ((s["start"], s["end"], s["paragraph"])
                                               for s in r["sentences"] or []))
        out.append(a)
    return out

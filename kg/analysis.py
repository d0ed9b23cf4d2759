"""Graph analysis for notebooks: a :class:`~kg.pipeline.Result` or its graph
in, pandas tables out.

Every function takes either a ``Result`` (from :func:`kg.build` or
:func:`kg.load`) or a bare networkx graph; :func:`as_graph` is the one place
that tells them apart.  Wherever an entity is named, its canonical name or any
of its aliases will do (:func:`entity_name`); an unknown name is a
:class:`~kg.recognize.base.KgError` that suggests close names.  Tables show an
article by its headline (``article_title``) and ``date``, with ``article_id``
kept as the last column.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

import networkx as nx
import pandas as pd

from kg.model import Article, Evidence
from kg.pipeline import Result
from kg.recognize.base import KgError

#: What every analysis function accepts: a build/load result or its graph.
Source = Result | nx.Graph

_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_SUGGESTIONS = 5


def article_date(article: Article) -> str | None:
    """The first date printed in the article body: ``YYYY-MM-DD``, or ``MM-DD``
    when the year is not printed (newspapers often omit it)."""
    m = _DATE.search(article.text)
    if not m:
        return None
    year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year}-{month:02d}-{day:02d}" if year else f"{month:02d}-{day:02d}"


def date_of(article: Article) -> str | None:
    """The article's own date (``Article.date``: its record, file name or
    masthead), else the first date printed in its text."""
    return article.date or article_date(article)


def edge_evidence(data: dict, articles: dict[str, Article] | None = None) -> list[Evidence]:
    """An edge's evidence (``graph[u][v]``): its ``[article_id, sentence]``
    references resolved against ``articles`` (a bare graph keeps no text, so
    without them only the ids are known), or the records of older builds."""
    out: list[Evidence] = []
    arts = articles or {}
    for item in data.get("evidence") or ():
        if isinstance(item, dict):
            out.append(Evidence(str(item.get("article_id", "")), str(item.get("title", "")),
                                str(item.get("file", "")), str(item.get("sentence", "")),
                                item.get("date") or None))
            continue
        aid, si = str(item[0]), int(item[1])
        a = arts.get(aid)
        text = a.sentences[si].text if a is not None and 0 <= si < len(a.sentences) else ""
        out.append(Evidence(aid, a.title if a else "", a.file if a else "", text,
                            a.date if a else None, si))
    return out


def _articles(source: Source) -> dict[str, Article]:
    return {a.id: a for a in source.articles} if isinstance(source, Result) else {}


def as_graph(source: Source) -> nx.Graph:
    """The graph of a ``Result``, or the graph itself."""
    if isinstance(source, Result):
        return source.graph
    if isinstance(source, nx.Graph):
        return source
    raise TypeError(f"expected a kg Result or a networkx graph, not {type(source).__name__}")


def _owners(source: Source, name: str) -> list[str]:
    """The canonical names that ``name`` is (itself) or is an alias of."""
    graph = as_graph(source)
    if name in graph:
        return [name]
    owners = {n for n, d in graph.nodes(data=True) if name in (d.get("aliases") or ())}
    if isinstance(source, Result):
        owners |= {e.name for e in source.entities if name in e.aliases}
    return sorted(owners)


def _unknown(source: Source, name: str) -> KgError:
    graph = as_graph(source)
    aliases = {a: n for n, d in graph.nodes(data=True) for a in d.get("aliases") or ()}
    names = sorted(set(graph) | set(aliases))
    within = sorted((n for n in names if name and (name in n or n in name)), key=len)
    close = difflib.get_close_matches(name, names, n=_SUGGESTIONS, cutoff=0.5)
    first: dict[str, str] = {}  # entity -> the first of its forms to suggest
    for n in within + close:
        first.setdefault(n if n in graph else aliases[n], n)
    hints = [n if n in graph else f"{n} ({e})" for e, n in first.items()][:_SUGGESTIONS]
    return KgError(f"no entity named {name!r} in the graph"
                   + (f"; did you mean {', '.join(hints)}?" if hints else ""))


def entity_name(source: Source, name: str) -> str:
    """The canonical name of the entity called ``name`` (its name or an alias).

    Raises :class:`KgError` when no entity has that name (suggesting close
    ones) or when several entities share it as an alias.
    """
    owners = _owners(source, name)
    if len(owners) == 1:
        return owners[0]
    if owners:
        raise KgError(f"{name!r} is an alias of {len(owners)} entities ({', '.join(owners)}); "
                      "name one of them")
    raise _unknown(source, name)


def find_entity(source: Source, query: str) -> str:
    """A node by name or alias (:func:`entity_name`), else the shortest name
    that contains ``query``."""
    if _owners(source, query):
        return entity_name(source, query)
    graph = as_graph(source)
    hits = sorted((n for n in graph if query and query in n), key=lambda n: (len(n), n))
    if not hits:
        raise _unknown(source, query)
    return hits[0]


def centrality(source: Source, *, types: Sequence[str] | None = None,
               top: int = 10) -> pd.DataFrame:
    """Degree, weighted degree and betweenness, top nodes per type."""
    graph = as_graph(source)
    columns = ["name", "type", "degree", "weighted_degree", "betweenness"]
    if graph.number_of_nodes() == 0:
        return pd.DataFrame(columns=columns)
    btw = nx.betweenness_centrality(graph, weight=None, seed=7)
    rows = [
        {"name": n, "type": d.get("type", ""), "degree": graph.degree(n),
         "weighted_degree": graph.degree(n, weight="weight"), "betweenness": round(btw[n], 4)}
        for n, d in graph.nodes(data=True)
        if types is None or d.get("type") in types
    ]
    if not rows:
        return pd.DataFrame(columns=columns)
    df = pd.DataFrame(rows, columns=columns).sort_values(
        ["type", "weighted_degree", "degree", "name"], ascending=[True, False, False, True])
    return df.groupby("type", sort=False).head(top).reset_index(drop=True)


def communities(source: Source, *, seed: int = 7, label_size: int = 3) -> pd.DataFrame:
    """Louvain communities (seeded), largest first, labelled by their top nodes."""
    graph = as_graph(source)
    if graph.number_of_nodes() == 0:
        return pd.DataFrame(columns=["community", "size", "label", "members"])
    parts = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    rows = []
    for part in parts:
        members = sorted(part, key=lambda n: (-graph.degree(n, weight="weight"), n))
        rows.append({"size": len(members), "label": " / ".join(members[:label_size]),
                     "members": members})
    rows.sort(key=lambda r: (-r["size"], r["label"]))
    for i, r in enumerate(rows):
        r["community"] = i
    return pd.DataFrame(rows, columns=["community", "size", "label", "members"])


def community_of(table: pd.DataFrame) -> dict[str, int]:
    """Node -> community number, from a :func:`communities` table."""
    return {m: int(row.community) for row in table.itertuples() for m in row.members}


def title_timeline(source: Source) -> pd.DataFrame:
    """Every title of every official, with the headline and date of the
    article that gives it, in date order per official.

    The date is the article's own (``Article.date``), else the first date
    printed in its text; from a bare graph, the date its title sources carry.
    """
    if isinstance(source, Result):
        arts = {a.id: a for a in source.articles}
        sources = [(e.name, {"text": t.text, "article_id": t.article_id})
                   for e in source.entities if e.type == "official" for t in e.titles]
    else:
        arts = {}
        sources = [(n, t) for n, d in as_graph(source).nodes(data=True) if d.get("type") == "official"
                   for t in d.get("title_sources") or ()]
    rows = []
    for official, t in sources:
        a = arts.get(t["article_id"])
        rows.append({
            "official": official, "title": t["text"],
            "date": date_of(a) if a else (t.get("article_date") or None),
            "article_title": a.title if a else t.get("article_title", ""),
            "article_id": t["article_id"],
        })
    df = pd.DataFrame(rows, columns=["official", "title", "date", "article_title", "article_id"])
    return df.sort_values(["official", "date", "article_id"],
                          na_position="last").reset_index(drop=True)


def officials_by_project(source: Source, *, top: int = 5) -> pd.DataFrame:
    """For each project, the officials most often seen with it."""
    graph = as_graph(source)
    rows = []
    for p, d in graph.nodes(data=True):
        if d.get("type") != "project":
            continue
        ties = sorted(((graph[p][o].get("weight", 0), o) for o in graph[p]
                       if graph.nodes[o].get("type") == "official"), key=lambda x: (-x[0], x[1]))
        rows.append({"project": p, "officials": [o for _w, o in ties[:top]],
                     "weights": [w for w, _o in ties[:top]]})
    return pd.DataFrame(rows, columns=["project", "officials", "weights"])


def official_project_projection(source: Source) -> nx.Graph:
    """Officials linked when they share a project (bipartite weighted projection)."""
    graph = as_graph(source)
    b = nx.Graph()
    officials = [n for n, d in graph.nodes(data=True) if d.get("type") == "official"]
    projects = {n for n, d in graph.nodes(data=True) if d.get("type") == "project"}
    b.add_nodes_from(officials, bipartite=0)
    b.add_nodes_from(sorted(projects), bipartite=1)
    b.add_edges_from((o, p) for o in officials for p in graph[o] if p in projects)
    return nx.bipartite.weighted_projected_graph(b, officials)


def ego(source: Source, name: str, *, radius: int = 1) -> nx.Graph:
    """The entity (name or alias) and its neighbours up to ``radius`` hops."""
    return nx.ego_graph(as_graph(source), entity_name(source, name), radius=radius)


def mentions_of(source: Source, name: str) -> pd.DataFrame:
    """Each sentence that mentions the entity (name or alias), with its article.

    From a ``Result``, every mention.  A bare graph keeps no mentions and its
    evidence is references to sentences whose text lives in the articles, so
    from a graph this finds only the evidence of older builds, which carried
    its text: pass the ``Result`` (:func:`kg.load`) for the sentences.
    """
    canon = entity_name(source, name)
    columns = ["date", "article_title", "as_printed", "sentence", "article_id"]
    rows = []
    if isinstance(source, Result):
        arts = {a.id: a for a in source.articles}
        seen: set[tuple[str, int]] = set()
        for m in source.mentions:
            if m.entity != canon or (m.article_id, m.sentence) in seen:
                continue
            seen.add((m.article_id, m.sentence))
            a = arts[m.article_id]
            rows.append({"date": date_of(a), "article_title": a.title, "as_printed": m.text,
                         "sentence": (a.sentences[m.sentence].text
                                      if m.sentence < len(a.sentences) else ""),
                         "article_id": a.id})
        return pd.DataFrame(rows, columns=columns)
    graph = as_graph(source)
    forms = sorted({canon, *(graph.nodes[canon].get("aliases") or ())}, key=lambda s: -len(s))
    seen_text: set[tuple[str, str]] = set()
    for nb in sorted(graph[canon]):
        for ev in edge_evidence(graph[canon][nb]):
            printed = next((f for f in forms if f in ev.sentence), None)
            key = (ev.article_id, ev.sentence)
            if printed is None or key in seen_text:
                continue
            seen_text.add(key)
            rows.append({"date": ev.date, "article_title": ev.title, "as_printed": printed,
                         "sentence": ev.sentence, "article_id": ev.article_id})
    return pd.DataFrame(rows, columns=columns)


def strongest_ties(source: Source, name: str, *, top: int = 10) -> pd.DataFrame:
    """The entity's (name or alias) heaviest edges, each with its first piece
    of evidence: the sentence, and its article's headline and date."""
    graph = as_graph(source)
    canon = entity_name(source, name)
    arts = _articles(source)
    rows = []
    for nb in graph[canon]:
        d = graph[canon][nb]
        ev = next(iter(edge_evidence(d, arts)), Evidence("", "", "", ""))
        a = arts.get(ev.article_id)
        rows.append({"neighbour": nb, "type": graph.nodes[nb].get("type", ""),
                     "weight": d.get("weight", 0), "sentences": d.get("sentences", 0),
                     "evidence": ev.sentence,
                     "date": date_of(a) if a else ev.date,
                     "article_title": ev.title, "article_id": ev.article_id})
    df = pd.DataFrame(rows, columns=["neighbour", "type", "weight", "sentences", "evidence",
                                     "date", "article_title", "article_id"])
    return df.sort_values(["weight", "sentences", "neighbour"],
                          ascending=[False, False, True]).head(top).reset_index(drop=True)


def type_counts(source: Source) -> Counter[str]:
    """How many entities of each type."""
    return Counter(d.get("type", "") for _n, d in as_graph(source).nodes(data=True))


def neighbours_by_type(source: Source, name: str) -> dict[str, list[str]]:
    """The entity's (name or alias) neighbours, heaviest first, by type."""
    graph = as_graph(source)
    canon = entity_name(source, name)
    out: dict[str, list[str]] = defaultdict(list)
    for nb in sorted(graph[canon], key=lambda n: (-graph[canon][n].get("weight", 0), n)):
        out[graph.nodes[nb].get("type", "")].append(nb)
    return dict(out)


def page_iframe(source: Source, *, height: int = 650, max_nodes: int = 400) -> str:
    """The interactive page as a self-contained ``<iframe srcdoc=…>`` for
    notebooks (JupyterLab, VS Code): nothing depends on a file path."""
    import html

    from kg.export.html import render_html

    page = render_html(as_graph(source), title="kg", max_nodes=max_nodes,
                       articles=_articles(source))  # evidence text from a Result
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" '
            f'style="width:100%;height:{height}px;border:1px solid #ddd"></iframe>')

"""Graph analysis for notebooks: plain graph/Result in, pandas tables out."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

import networkx as nx
import pandas as pd

from kg.model import Article
from kg.pipeline import Result

_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")


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


def centrality(graph: nx.Graph, *, types: Sequence[str] | None = None,
               top: int = 10) -> pd.DataFrame:
    """Degree, weighted degree and betweenness, top nodes per type."""
    if graph.number_of_nodes() == 0:
        return pd.DataFrame(columns=["name", "type", "degree", "weighted_degree", "betweenness"])
    btw = nx.betweenness_centrality(graph, weight=None, seed=7)
    rows = [
        {"name": n, "type": d.get("type", ""), "degree": graph.degree(n),
         "weighted_degree": graph.degree(n, weight="weight"), "betweenness": round(btw[n], 4)}
        for n, d in graph.nodes(data=True)
        if types is None or d.get("type") in types
    ]
    df = pd.DataFrame(rows).sort_values(
        ["type", "weighted_degree", "degree", "name"], ascending=[True, False, False, True])
    return df.groupby("type", sort=False).head(top).reset_index(drop=True)


def communities(graph: nx.Graph, *, seed: int = 7, label_size: int = 3) -> pd.DataFrame:
    """Louvain communities (seeded), largest first, labelled by their top nodes."""
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
    return {m: int(row.community) for row in table.itertuples() for m in row.members}


def title_timeline(result: Result) -> pd.DataFrame:
    """Every title of every official, with the article and its date."""
    arts = {a.id: a for a in result.articles}
    rows = []
    for e in result.entities:
        if e.type != "official":
            continue
        for t in e.titles:
            a = arts.get(t.article_id)
            rows.append({"official": e.name, "title": t.text, "article_id": t.article_id,
                         "article_title": a.title if a else "",
                         "date": article_date(a) if a else None})
    df = pd.DataFrame(rows, columns=["official", "title", "article_id", "article_title", "date"])
    return df.sort_values(["official", "date", "article_id"], na_position="last").reset_index(drop=True)


def officials_by_project(graph: nx.Graph, *, top: int = 5) -> pd.DataFrame:
    """For each project, the officials most often seen with it."""
    rows = []
    for p, d in graph.nodes(data=True):
        if d.get("type") != "project":
            continue
        ties = sorted(((graph[p][o]["weight"], o) for o in graph[p]
                       if graph.nodes[o].get("type") == "official"), key=lambda x: (-x[0], x[1]))
        rows.append({"project": p, "officials": [o for _w, o in ties[:top]],
                     "weights": [w for w, _o in ties[:top]]})
    return pd.DataFrame(rows, columns=["project", "officials", "weights"])


def official_project_projection(graph: nx.Graph) -> nx.Graph:
    """Officials linked when they share a project (bipartite weighted projection)."""
    b = nx.Graph()
    officials = [n for n, d in graph.nodes(data=True) if d.get("type") == "official"]
    projects = [n for n, d in graph.nodes(data=True) if d.get("type") == "project"]
    b.add_nodes_from(officials, bipartite=0)
    b.add_nodes_from(projects, bipartite=1)
    b.add_edges_from((o, p) for o in officials for p in graph[o] if p in set(projects))
    return nx.bipartite.weighted_projected_graph(b, officials)


def ego(graph: nx.Graph, name: str, *, radius: int = 1) -> nx.Graph:
    if name not in graph:
        raise KeyError(f"no entity named {name!r} in the graph")
    return nx.ego_graph(graph, name, radius=radius)


def find_entity(graph: nx.Graph, query: str) -> str:
    """A node by name or alias (exact first, then substring)."""
    if query in graph:
        return query
    for n, d in sorted(graph.nodes(data=True)):
        if query in d.get("aliases", []):
            return n
    hits = sorted((n for n in graph if query in n), key=len)
    if not hits:
        raise KeyError(f"no entity named {query!r} in the graph")
    return hits[0]


def mentions_of(result: Result, name: str) -> pd.DataFrame:
    """Each sentence that mentions the entity, with its article."""
    arts = {a.id: a for a in result.articles}
    seen: set[tuple[str, int]] = set()
    rows = []
    for m in result.mentions:
        if m.entity != name or (m.article_id, m.sentence) in seen:
            continue
        seen.add((m.article_id, m.sentence))
        a = arts[m.article_id]
        rows.append({"article_id": a.id, "article_title": a.title, "as_printed": m.text,
                     "sentence": a.sentences[m.sentence].text if m.sentence < len(a.sentences) else ""})
    return pd.DataFrame(rows, columns=["article_id", "article_title", "as_printed", "sentence"])


def strongest_ties(graph: nx.Graph, name: str, *, top: int = 10) -> pd.DataFrame:
    rows = []
    for nb in graph[name]:
        d = graph[name][nb]
        ev = d.get("evidence", [])
        rows.append({"neighbour": nb, "type": graph.nodes[nb].get("type", ""),
                     "weight": d.get("weight", 0), "sentences": d.get("sentences", 0),
                     "evidence": ev[0]["sentence"] if ev else ""})
    df = pd.DataFrame(rows, columns=["neighbour", "type", "weight", "sentences", "evidence"])
    return df.sort_values(["weight", "sentences", "neighbour"],
                          ascending=[False, False, True]).head(top).reset_index(drop=True)


def type_counts(graph: nx.Graph) -> Counter:
    return Counter(d.get("type", "") for _n, d in graph.nodes(data=True))


def neighbours_by_type(graph: nx.Graph, name: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for nb in sorted(graph[name], key=lambda n: (-graph[name][n]["weight"], n)):
        out[graph.nodes[nb].get("type", "")].append(nb)
    return dict(out)


def page_iframe(graph: nx.Graph, *, height: int = 650, max_nodes: int = 400) -> str:
    """The interactive page as a self-contained ``<iframe srcdoc=…>`` for
    notebooks (JupyterLab, VS Code): nothing depends on a file path."""
    import html

    from kg.export.html import render_html

    page = render_html(graph, title="kg", max_nodes=max_nodes)
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" '
            f'style="width:100%;height:{height}px;border:1px solid #ddd"></iframe>')

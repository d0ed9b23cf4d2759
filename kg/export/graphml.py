"""``graph.graphml``.  GraphML holds scalars only, so list and dict
attributes are stored as JSON strings and decoded again on read."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from kg.export.atomic import atomic_open

_JSON_ATTRS = ("aliases", "titles", "title_sources", "evidence")


def _flatten(graph: nx.Graph) -> nx.Graph:
    g = nx.Graph()
    for n, d in graph.nodes(data=True):
        g.add_node(n, **{k: json.dumps(v, ensure_ascii=False) if k in _JSON_ATTRS else v
                         for k, v in d.items()})
    for u, v, d in graph.edges(data=True):
        g.add_edge(u, v, **{k: json.dumps(x, ensure_ascii=False) if k in _JSON_ATTRS else x
                            for k, x in d.items()})
    return g


def write_graphml(graph: nx.Graph, path: str | Path) -> Path:
    with atomic_open(path, "wb") as fh:
        nx.write_graphml(_flatten(graph), fh)
    return Path(path)


def read_graphml(path: str | Path) -> nx.Graph:
    g = nx.read_graphml(path)
    for _n, d in g.nodes(data=True):
        for k in _JSON_ATTRS:
            if k in d:
                d[k] = json.loads(d[k])
    for _u, _v, d in g.edges(data=True):
        for k in _JSON_ATTRS:
            if k in d:
                d[k] = json.loads(d[k])
    return nx.Graph(g)

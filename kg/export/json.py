"""``graph.json``: networkx node-link data (node ``id`` = canonical name)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from kg.export.atomic import atomic_open


def write_json(graph: nx.Graph, path: str | Path) -> Path:
    data = nx.node_link_data(graph, edges="links")
    with atomic_open(path) as fh:
        # Compact: archives give graphs of millions of edges.
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return Path(path)


def read_json(path: str | Path) -> nx.Graph:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return nx.node_link_graph(data, edges="links")

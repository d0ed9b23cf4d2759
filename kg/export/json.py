"""``graph.json``: networkx node-link data (node ``id`` = canonical name).

Written item by item rather than through ``nx.node_link_data``, which copies
the whole graph into dicts first: archives give graphs of millions of edges.
The result is the same document ``json.dump(nx.node_link_data(g,
edges="links"), sort_keys=True)`` would give, compact.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from kg.export.atomic import atomic_open


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def write_json(graph: nx.Graph, path: str | Path) -> Path:
    with atomic_open(path) as fh:
        fh.write('{"directed":' + _dumps(graph.is_directed()))
        fh.write(',"graph":' + _dumps(graph.graph))
        fh.write(',"links":[')
        for k, (u, v, d) in enumerate(graph.edges(data=True)):
            fh.write(("," if k else "") + _dumps({**d, "source": u, "target": v}))
        fh.write('],"multigraph":' + _dumps(graph.is_multigraph()))
        fh.write(',"nodes":[')
        for k, (n, d) in enumerate(graph.nodes(data=True)):
            fh.write(("," if k else "") + _dumps({**d, "id": n}))
        fh.write("]}")
    return Path(path)


def read_json(path: str | Path) -> nx.Graph:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return nx.node_link_graph(data, edges="links")

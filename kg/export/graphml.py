"""``graph.graphml`` for Gephi, Cytoscape and networkx.

GraphML holds scalars only, so list and dict attributes are JSON strings,
decoded again by :func:`read_graphml`.  The file is streamed, element by
element, rather than built as one XML tree: archives give graphs of millions
of edges.  Edges carry ``weight``, ``npmi`` and ``sentences``; their evidence
references are in graph.json and edges.parquet (a GraphML tool has no use for
them, and they would double the file).  The commonest values (an edge's
weight 1 and no shared sentence, a node's empty lists) are declared once, as
their key's ``<default>``, and left out of the elements: GraphML's own
mechanism, applied by Gephi and by :func:`read_graphml` (plain networkx puts
them in ``graph["edge_default"]``).  XML cannot hold most control
characters: they are dropped from names and values (a name that would then
merge with another node's keeps an escaped form instead).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from kg.export.atomic import atomic_open

_JSON_ATTRS = ("aliases", "titles", "title_sources", "evidence")
#: Edge attributes written to GraphML (see the module docstring).
EDGE_ATTRS = ("weight", "npmi", "sentences")
#: Declared as key defaults; an element whose value is written the same way omits it.
DEFAULTS: dict[str, dict[str, Any]] = {
    "node": {"aliases": [], "titles": [], "title_sources": []},
    "edge": {"weight": 1, "sentences": 0},
}
# Characters XML 1.0 does not allow, and lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _clean(value: str) -> str:
    return _NOT_XML.sub("", value)


def _text(value: str) -> str:
    """Element text: XML-legal, escaped, and a CR kept as one (a parser
    would turn a raw one into LF)."""
    return escape(_clean(value), {"\r": "&#13;"})


def _node_ids(nodes: Iterable[Any]) -> dict[Any, str]:
    """Node -> its GraphML id: the name cleaned, unless that merges it with
    another node (李\x01明 next to 李明): then its escaped form, then a count."""
    ids: dict[Any, str] = {}
    taken: set[str] = set()
    for n in nodes:
        raw = str(n)
        escaped = _NOT_XML.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), raw)
        for candidate in (_clean(raw), escaped):
            if candidate not in taken:
                break
        k = 2
        while candidate in taken:
            candidate, k = f"{_clean(raw)}#{k}", k + 1
        taken.add(candidate)
        ids[n] = candidate
    return ids


def _kind(kinds: set[type]) -> str:
    if kinds and kinds <= {bool}:
        return "boolean"
    if kinds and kinds <= {int}:
        return "long"
    if kinds and kinds <= {int, float}:
        return "double"
    return "string"


def _value(value: Any, name: str) -> str:
    if name in _JSON_ATTRS or isinstance(value, (list, dict, tuple)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _keys(rows: Iterable[Mapping[str, Any]], only: Iterable[str] | None = None
          ) -> dict[str, str]:
    """Attribute name -> GraphML type, from the Python types seen (not the values)."""
    seen: dict[str, set[type]] = {}
    for d in rows:
        for k, v in d.items():
            if only is None or k in only:
                seen.setdefault(k, set()).add(type(v))
    return {k: _kind(v) for k, v in sorted(seen.items())}


def write_graphml(graph: nx.Graph, path: str | Path) -> Path:
    node_keys = _keys(d for _n, d in graph.nodes(data=True))
    edge_keys = _keys((d for _u, _v, d in graph.edges(data=True)), EDGE_ATTRS)
    graph_keys = {k: _kind({type(v)}) for k, v in sorted(graph.graph.items())
                  if isinstance(v, (str, int, float))}
    ids: dict[tuple[str, str], str] = {}
    # (domain, name) -> the default's text, for the keys that have one.
    omit = {(domain, k): _value(v, k) for domain, given in DEFAULTS.items()
            for k, v in given.items()}
    node_id = _node_ids(graph.nodes)
    with atomic_open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write('<?xml version="1.0" encoding="utf-8"?>\n'
                 '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                 'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                 'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        for domain, keys in (("graph", graph_keys), ("node", node_keys), ("edge", edge_keys)):
            for name, kind in keys.items():
                key = f"d{len(ids)}"
                ids[(domain, name)] = key
                head = (f'<key id="{key}" for="{domain}" attr.name={quoteattr(_clean(name))} '
                        f'attr.type="{kind}"')
                if (domain, name) in omit:
                    fh.write(f'{head}><default>{_text(omit[domain, name])}</default></key>\n')
                else:
                    fh.write(f"{head}/>\n")
        fh.write('<graph edgedefault="undirected">\n')
        for name in graph_keys:
            fh.write(f'<data key="{ids[("graph", name)]}">'
                     f'{_text(_value(graph.graph[name], name))}</data>\n')
        for n, d in graph.nodes(data=True):
            fh.write(f"<node id={quoteattr(node_id[n])}>")
            for k, v in d.items():
                text = _value(v, k)
                if text != omit.get(("node", k)):
                    fh.write(f'<data key="{ids[("node", k)]}">{_text(text)}</data>')
            fh.write("</node>\n")
        for u, v, d in graph.edges(data=True):
            fh.write(f"<edge source={quoteattr(node_id[u])} target={quoteattr(node_id[v])}>")
            for k in EDGE_ATTRS:
                if k in d and (text := _value(d[k], k)) != omit.get(("edge", k)):
                    fh.write(f'<data key="{ids[("edge", k)]}">{_text(text)}</data>')
            fh.write("</edge>\n")
        fh.write("</graph>\n</graphml>\n")
    return Path(path)


def read_graphml(path: str | Path) -> nx.Graph:
    g = nx.read_graphml(path)
    defaults = {"node": g.graph.pop("node_default", {}), "edge": g.graph.pop("edge_default", {})}
    for _n, d in g.nodes(data=True):
        for k, v in defaults["node"].items():
            d.setdefault(k, v)
        for k in _JSON_ATTRS:
            if k in d:
                d[k] = json.loads(d[k])
    for _u, _v, d in g.edges(data=True):
        for k, v in defaults["edge"].items():
            d.setdefault(k, v)
        for k in _JSON_ATTRS:
            if k in d:
                d[k] = json.loads(d[k])
    return nx.Graph(g)

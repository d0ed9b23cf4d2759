"""Render a knowledge graph as one self-contained, offline HTML page.

pyvis builds the vis-network node/edge/option dicts, but its own template is
not used: it has no autoescaping, turns tooltips into ``innerHTML`` as soon as
a title contains ``href``, and always pulls something from a CDN.  Instead
our template inlines the vis-network copy shipped inside the pyvis package,
passes all data as escaped JSON, and our script puts every piece of article
text into the DOM with ``textContent`` only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pyvis
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from pyvis.network import Network

from kg.export.atomic import atomic_open
from kg.model import ENTITY_TYPES, REPORTER, Article

TEMPLATE_DIR = Path(__file__).with_name("templates")
TEMPLATE_NAME = "graph.html.j2"
VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"

#: Graphs up to this size get vis' improved (Kamada-Kawai) initial layout;
#: above it that step costs seconds and clusters the graph needlessly.
IMPROVED_LAYOUT_MAX = 100
#: Up to this many shown nodes, repulsion is computed precisely.
PRECISE_MAX = 200
#: Above this many shown nodes, edges are hidden while dragging/zooming.
BIG_GRAPH = 1000
#: The page holds at most this many times ``max_nodes`` nodes ("show more"
#: steps through them); graph.json has all.  Keeps the page small on archives.
EMBED_FACTOR = 5
#: Above this many times ``max_nodes`` edges, the nodes beyond the opening top
#: N bring only their strongest ``EXTRA_LINKS`` links (the opening view stays
#: complete); graph.json has every edge.
EDGE_BUDGET_FACTOR = 40
EXTRA_LINKS = 10


@dataclass(frozen=True)
class TypeStyle:
    key: str
    label: str
    color: str
    shape: str
    #: A character shaped like ``shape``, for the legend.
    symbol: str


TYPE_STYLES: tuple[TypeStyle, ...] = (
    TypeStyle("official", "official 官员", "#d62728", "diamond", "◆"),
    TypeStyle("person", "person 人物", "#1f77b4", "dot", "●"),
    TypeStyle("company", "company 企业", "#2ca02c", "square", "■"),
    TypeStyle("organization", "organization 机构", "#9467bd", "triangle", "▲"),
    TypeStyle("place", "place 地点", "#ff7f0e", "triangleDown", "▼"),
    TypeStyle("project", "project 项目", "#8c564b", "star", "★"),
    TypeStyle(REPORTER, "reporter 记者", "#7f7f7f", "hexagon", "⬢"),
)
_FALLBACK_COLOR = "#17becf"

# Characters that must not appear raw inside <script>: "<", ">" and "&" could
# close the element or open a comment; U+2028/2029 break older JS parsers.
_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)
# Lone surrogates cannot be written as UTF-8: JSON keeps them as escapes
# (JSON.parse gives the same string back), HTML text as U+FFFD.
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Network(Network):
    """pyvis' Network with O(1) node lookups.

    ``add_edge`` checks both ends with ``in self.get_nodes()``, a list scan;
    on a few thousand nodes that alone takes seconds.
    """

    def get_nodes(self) -> Any:
        return self.node_map


def render_html(
    graph: nx.Graph,
    *,
    title: str = "kg",
    max_nodes: int = 400,
    seed: int = 7,
    articles: Mapping[str, Article] | None = None,
) -> str:
    """The page for ``graph`` as a string; the same graph gives the same bytes.

    Edge evidence given as ``[article_id, sentence]`` references is resolved
    against ``articles``, for the edges among the top ``max_nodes`` nodes only
    (the part the page opens with); each sentence and each article's headline
    is embedded once.
    """
    if max_nodes < 1:
        raise ValueError("max_nodes must be at least 1")
    data = _page_data(graph, title=title, max_nodes=max_nodes, seed=seed,
                      articles=articles or {})
    data_json = Markup(script_json(data))
    # The source map is not shipped; its comment would only make DevTools
    # try to fetch it.
    vis_js = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", _read(VIS_DIR / "vis-network.min.js"))
    vis_css = _read(VIS_DIR / "vis-network.css")
    page_js = _read(TEMPLATE_DIR / "graph.js")
    page_css = _read(TEMPLATE_DIR / "graph.css")
    for name, text in (("vis-network.min.js", vis_js), ("graph.js", page_js)):
        # "<!--" could switch the HTML parser into a state where </script
        # no longer ends the element.
        if "</script" in text.lower() or "<!--" in text:
            raise ValueError(f"{name} cannot be inlined as a <script>")
    for name, text in (("vis-network.css", vis_css), ("graph.css", page_css)):
        if "</style" in text.lower():
            raise ValueError(f"{name} cannot be inlined: it contains </style")
    name = graph.graph.get("name")
    return (
        _environment()
        .get_template(TEMPLATE_NAME)
        .render(
            title=_html_text(title),
            graph_name=_html_text(str(name)) if name else "",
            data_json=data_json,
            vis_js=Markup(vis_js),
            vis_css=Markup(vis_css),
            page_js=Markup(page_js),
            page_css=Markup(page_css),
            # Only our two inline scripts may run: an injected <script> or
            # on* attribute would be refused even if escaping ever failed.
            script_hashes=[_csp_hash(vis_js), _csp_hash(page_js)],
        )
    )


def write_html(
    graph: nx.Graph,
    path: str | Path,
    *,
    title: str = "kg",
    max_nodes: int = 400,
    seed: int = 7,
    articles: Mapping[str, Article] | None = None,
) -> Path:
    """Write the page atomically (temp file + rename) and return its path."""
    target = Path(path)
    page = render_html(graph, title=title, max_nodes=max_nodes, seed=seed, articles=articles)
    with atomic_open(target, "w", encoding="utf-8", newline="\n") as out:
        out.write(page)
    return target


def script_json(data: Any) -> str:
    """JSON that is safe verbatim inside ``<script type="application/json">``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in _JSON_ESCAPES:
        text = text.replace(raw, escaped)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _html_text(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _page_data(graph: nx.Graph, *, title: str, max_nodes: int, seed: int,
               articles: Mapping[str, Article]) -> dict[str, Any]:
    """Everything the page script needs; built from a copy, never the caller's graph."""
    ids = {node: str(node) for node in graph.nodes}
    if len(set(ids.values())) != len(ids):
        raise ValueError("node ids must stay distinct as strings")

    wdeg = {node: 0 for node in graph.nodes}
    for u, v, weight in graph.edges(data="weight"):
        if u != v:  # a self-loop has no neighbour to show
            w = _int(weight, 1)
            wdeg[u] += w
            wdeg[v] += w

    # Rank = order of appearance: heaviest first, ties by name, so the
    # "top N" cut and the whole output are stable.
    ranked = sorted(graph.nodes, key=lambda node: (-wdeg[node], ids[node]))
    total_nodes = len(ranked)
    ranked = ranked[: max_nodes * EMBED_FACTOR]
    embedded = {ids[n] for n in ranked}
    opening = {ids[n] for n in ranked[:max_nodes]}
    # Only the embedded nodes' edges are gathered: archives have millions.
    edge_rows: list[tuple[str, str, Mapping[str, Any]]] = []
    for u in ranked:
        for v, attrs in graph[u].items():
            if u != v and ids[v] in embedded and ids[u] < ids[v]:
                edge_rows.append((ids[u], ids[v], attrs))
    edge_rows.sort(key=lambda row: (row[0], row[1]))
    npmi = graph.graph.get("weighting") == "npmi"
    trimmed = len(edge_rows) > max_nodes * EDGE_BUDGET_FACTOR
    if trimmed:
        edge_rows = _trim(edge_rows, opening, npmi)
    max_wdeg = max(wdeg.values(), default=0)
    styles = {style.key: style for style in TYPE_STYLES}

    # directed=True only skips pyvis' quadratic duplicate-edge scan; nx.Graph
    # edges are unique already, and arrows are dropped again below.
    net = _Network(directed=True, cdn_resources="remote")
    type_counts: dict[str, int] = {}
    for node in ranked:
        attrs = graph.nodes[node]
        kind = str(attrs.get("type") or "unknown")
        type_counts[kind] = type_counts.get(kind, 0) + 1
        style = styles.get(kind)
        name = ids[node]
        net.add_node(
            name,
            label=_short(name),
            shape=style.shape if style else "dot",
            color=style.color if style else _FALLBACK_COLOR,
            size=_node_size(wdeg[node], max_wdeg),
            kind=kind,
            wdeg=wdeg[node],
            info=_node_info(attrs),
        )

    # Sentences and article details once each, edges point at them.
    edges: list[list[Any]] = []
    article_index: dict[tuple[str, str, str, str], int] = {}
    evidence_index: dict[tuple[int, str], int] = {}
    for a, b, attrs in edge_rows:
        refs: list[int] | None = None
        if a in opening and b in opening:
            refs = []
            for aid, headline, date, file, sentence in _evidence(attrs.get("evidence"), articles):
                art = article_index.setdefault((aid, headline, date, file), len(article_index))
                refs.append(evidence_index.setdefault((art, sentence), len(evidence_index)))
        count = _int(attrs.get("weight"), 1)
        rank = _float(attrs.get("npmi"), 0.0) if npmi else count
        # [from, to, weight shown, shared articles, shared sentences, evidence]:
        # arrays, not objects, keep big pages small; the page names the fields.
        # Evidence None: not embedded (beyond the opening top N).
        edges.append([a, b, rank, count, _int(attrs.get("sentences"), 0), refs])

    nodes = [{k: v for k, v in node.items() if k != "title"} for node in net.nodes]

    initial = min(len(nodes), max_nodes)
    net.options = _vis_options(initial, seed)
    options = json.loads(net.get_network_data()[5])

    known = [s.key for s in TYPE_STYLES]
    order = [*ENTITY_TYPES, REPORTER, *sorted(k for k in type_counts if k not in known)]
    types = []
    for key in order:
        if key not in type_counts:
            continue
        style = styles.get(key)
        types.append(
            {
                "key": key,
                "label": style.label if style else key,
                "color": style.color if style else _FALLBACK_COLOR,
                "symbol": style.symbol if style else "●",
                "count": type_counts[key],
            }
        )

    return {
        "meta": {
            "title": title,
            "maxNodes": max_nodes,
            "seed": seed,
            "reporter": REPORTER,
            "minWeight": min((e[2] for e in edges), default=1),
            "maxWeight": max((e[2] for e in edges), default=1),
            "weighting": "npmi" if npmi else "count",
            "weightStep": 0.01 if npmi else 1,
            "totalNodes": total_nodes,
            "edgesTrimmed": trimmed,
            # Few iterations keep "show more" snappy; only new nodes move.
            "moreIterations": 150,
            "preciseMax": PRECISE_MAX,
        },
        "types": types,
        "nodes": nodes,
        "edges": edges,
        "articles": [list(row) for row in article_index],
        "evidence": [list(row) for row in evidence_index],
        "options": options,
    }


def _vis_options(shown: int, seed: int) -> dict[str, Any]:
    # Bounded work: iterations shrink as the graph grows, so big graphs
    # settle in seconds; after that the page turns physics off entirely.
    iterations = max(100, min(400, 60_000 // max(shown, 1)))
    big = shown > BIG_GRAPH
    return {
        "autoResize": True,
        "layout": {"randomSeed": seed, "improvedLayout": shown <= IMPROVED_LAYOUT_MAX},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                # A coarser Barnes-Hut approximation cuts the cost per
                # iteration by half or more; the picture hardly changes.
                "theta": 0.5 if shown <= PRECISE_MAX else 1.0,
                "gravitationalConstant": -60,
                "centralGravity": 0.012,
                "springLength": 90,
                "springConstant": 0.08,
                "damping": 0.5,
                "avoidOverlap": 0.2,
            },
            "maxVelocity": 60,
            "minVelocity": 1,
            "timestep": 0.5,
            # Adaptive steps cost up to three physics steps per tick.
            "adaptiveTimestep": False,
            "stabilization": {
                "enabled": True,
                "iterations": iterations,
                "updateInterval": 25,
                "fit": True,
            },
        },
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 14, "color": "#222222", "strokeWidth": 3, "strokeColor": "#ffffff"},
        },
        "edges": {
            # Straight edges: "dynamic" smoothing adds a physics node per edge.
            "smooth": False,
            "color": {
                "color": "#9aa4b1",
                "highlight": "#e15759",
                "hover": "#e15759",
                "inherit": False,
            },
            "selectionWidth": 2,
            "hoverWidth": 1,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 250,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "keyboard": False,
            "multiselect": False,
        },
    }


def _trim(rows: list[tuple[str, str, Mapping[str, Any]]], opening: set[str],
          npmi: bool) -> list[tuple[str, str, Mapping[str, Any]]]:
    """Every edge inside the opening set, and each other node's strongest links."""
    def rank(row: tuple[str, str, Mapping[str, Any]]) -> tuple:
        w = _float(row[2].get("npmi"), 0.0) if npmi else _int(row[2].get("weight"), 1)
        return (-w, row[0], row[1])

    keep = {k for k, (a, b, _d) in enumerate(rows) if a in opening and b in opening}
    links: dict[str, list[int]] = {}
    for k, (a, b, _d) in enumerate(rows):
        if k in keep:
            continue
        for end in (a, b):
            if end not in opening:
                links.setdefault(end, []).append(k)
    for ks in links.values():
        keep.update(sorted(ks, key=lambda k: rank(rows[k]))[:EXTRA_LINKS])
    return [row for k, row in enumerate(rows) if k in keep]


def _evidence(items: Any, articles: Mapping[str, Article]) -> list[tuple[str, str, str, str, str]]:
    """(article id, headline, date, file, sentence) for each piece of evidence:
    ``[article_id, sentence]`` references resolved against ``articles``, or
    records that carry their text (graphs from older builds)."""
    out: list[tuple[str, str, str, str, str]] = []
    if not isinstance(items, list):
        return out
    for item in items:
        if isinstance(item, Mapping):
            out.append((_text(item.get("article_id")), _text(item.get("title")),
                        _text(item.get("date")), _text(item.get("file")),
                        _text(item.get("sentence"))))
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            a = articles.get(_text(item[0]))
            si = _int(item[1], -1)
            if a is not None and 0 <= si < len(a.sentences):
                out.append((a.id, a.title, a.date or "", a.file, a.sentences[si].text))
    return out


def _node_info(attrs: Mapping[str, Any]) -> dict[str, Any]:
    sources: dict[str, list[list[str]]] = {}
    for item in _dicts(attrs.get("title_sources")):
        text = _text(item.get("text"))
        ref = [_text(item.get("article_id")), _text(item.get("article_title")),
               _text(item.get("article_date"))]
        refs = sources.setdefault(text, [])
        if ref not in refs:
            refs.append(ref)
    titles = list(dict.fromkeys([*_texts(attrs.get("titles")), *sources]))
    return {
        "aliases": list(dict.fromkeys(_texts(attrs.get("aliases")))),
        "titles": [[t, sources.get(t, [])] for t in titles if t],
        "mentions": _int(attrs.get("mentions"), 0),
        "articles": _int(attrs.get("articles"), 0),
    }


def _node_size(wdeg: int, max_wdeg: int) -> float:
    if max_wdeg <= 0:
        return 12.0
    return round(10 + 30 * math.sqrt(wdeg / max_wdeg), 2)


def _short(name: str, limit: int = 14) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _texts(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value if v is not None and str(v)]
    return [str(value)]


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, Iterable) or isinstance(value, (str, Mapping)):
        return []
    return [v for v in value if isinstance(v, Mapping)]


def _float(value: Any, default: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return number if math.isfinite(number) else default


def _int(value: Any, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return number

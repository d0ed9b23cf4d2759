"""kg.export.graphml: streamed GraphML that networkx (and so Gephi) reads back."""

from pathlib import Path

import networkx as nx

from kg.export.graphml import read_graphml, write_graphml


def _graph() -> nx.Graph:
    g = nx.Graph(home_city="青山市", window="article", weighting="count")
    g.add_node("柯明远", type="official", aliases=["柯市长"], titles=["市长"],
               title_sources=[{"text": "市长", "article_id": "a#0"}], mentions=3, articles=2)
    g.add_node("青禾<科技>&\"公司\"", type="company", aliases=[], titles=[], title_sources=[],
               mentions=1, articles=1)
    g.add_edge("柯明远", "青禾<科技>&\"公司\"", weight=2, npmi=0.5, sentences=1,
               evidence=[["a#0", 3]])
    return g


def test_round_trip_keeps_names_types_and_attributes(tmp_path: Path) -> None:
    g = _graph()
    back = read_graphml(write_graphml(g, tmp_path / "g.graphml"))
    assert set(back.nodes) == set(g.nodes)
    assert back.nodes["柯明远"]["aliases"] == ["柯市长"]
    assert back.nodes["柯明远"]["mentions"] == 3
    d = back["柯明远"]["青禾<科技>&\"公司\""]
    assert (d["weight"], d["npmi"], d["sentences"]) == (2, 0.5, 1)
    assert "evidence" not in d  # kept in graph.json and edges.parquet
    assert back.graph["home_city"] == "青山市"


def test_control_characters_do_not_break_the_file(tmp_path: Path) -> None:
    g = nx.Graph()
    g.add_node("李\x01明\x1b", type="person", aliases=["李\x07"], mentions=1)
    g.add_node("王强", type="person", aliases=[], mentions=1)
    g.add_edge("李\x01明\x1b", "王强", weight=1, npmi=1.0, sentences=1)
    back = nx.read_graphml(write_graphml(g, tmp_path / "g.graphml"))
    assert set(back.nodes) == {"李明", "王强"} and back.has_edge("李明", "王强")

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


def test_every_string_is_xml_legal_and_parses(tmp_path: Path) -> None:
    """Names, titles, aliases, graph and edge attributes with controls (issue 11, item 8)."""
    import xml.etree.ElementTree as ET

    g = nx.Graph(home_city="青\x0b山市", note="\x01")
    g.add_node("李\x01明\x0b", type="official", titles=["副\x0b市长"], aliases=["李\x0c"],
               title_sources=[{"text": "副\x01市长", "article_id": "a\x0b#0"}],
               mentions=1, articles=1)
    g.add_node("王强", type="person\x01", titles=[], aliases=["\ud800王"], mentions=1)
    g.add_edge("李\x01明\x0b", "王强", weight=1, npmi=0.5, sentences="2\x01")
    path = write_graphml(g, tmp_path / "g.graphml")
    raw = path.read_text(encoding="utf-8")
    assert not any(c in raw for c in "\x01\x0b\x0c\ud800")
    ET.parse(path)  # strict XML
    back = nx.read_graphml(path)
    assert set(back.nodes) == {"李明", "王强"} and back.has_edge("李明", "王强")
    assert back.nodes["王强"]["type"] == "person"
    assert back.graph["home_city"] == "青山市"
    assert back["李明"]["王强"]["sentences"] == "2"
    kept = read_graphml(path)
    assert kept.nodes["李明"]["titles"] == ["副\x0b市长"]  # JSON-escaped, so kept
    assert kept.nodes["王强"]["aliases"] == ["王"]


def test_names_that_clean_alike_stay_two_nodes(tmp_path: Path) -> None:
    g = nx.Graph()
    for n in ("李明", "李\x01明", "李\x02明"):
        g.add_node(n, type="person", mentions=1)
    g.add_edge("李明", "李\x01明", weight=1)
    back = nx.read_graphml(write_graphml(g, tmp_path / "g.graphml"))
    assert back.number_of_nodes() == 3 and back.number_of_edges() == 1
    assert set(back.nodes) == {"李明", "李\\x01明", "李\\x02明"}
    assert back.has_edge("李明", "李\\x01明")


def test_a_plain_graph_keeps_its_names(tmp_path: Path) -> None:
    """Negative case: nothing legal is renamed or escaped."""
    g = nx.Graph()
    names = ["李明", "李 明", "青禾#2", "李\\x01明", "a\tb", "x\ny", "回车\r"]
    for n in names:
        g.add_node(n, type="person", note=n)
    back = nx.read_graphml(write_graphml(g, tmp_path / "g.graphml"))
    assert sorted(back.nodes) == sorted(names)
    assert all(back.nodes[n]["note"] == n for n in names)


def test_common_values_are_key_defaults_and_come_back(tmp_path: Path) -> None:
    """Weight 1, no shared sentence and empty lists are declared once as the
    key's <default>; both readers give every element its value."""
    g = _graph()
    g.add_node("王强", type="person", aliases=[], titles=[], title_sources=[], mentions=1,
               articles=1)
    g.add_edge("柯明远", "王强", weight=1, npmi=0.25, sentences=0, evidence=[["a#0", 1]])
    path = write_graphml(g, tmp_path / "g.graphml")
    raw = path.read_text(encoding="utf-8")
    assert "<default>1</default>" in raw and "<default>0</default>" in raw
    assert raw.count("<data") < sum(len(d) for *_, d in g.nodes(data=True)) + 3 * 2
    back = read_graphml(path)
    assert back["柯明远"]["王强"] == {"weight": 1, "npmi": 0.25, "sentences": 0}
    assert back.nodes["王强"]["aliases"] == [] and back.nodes["王强"]["title_sources"] == []
    assert "edge_default" not in back.graph and "node_default" not in back.graph
    plain = nx.read_graphml(path)
    assert plain.graph["edge_default"] == {"weight": 1, "sentences": 0}
    assert "weight" not in plain["柯明远"]["王强"]


def test_values_unlike_the_default_are_written(tmp_path: Path) -> None:
    """Negative case: weight 1.0 (a float), 2 and a non-empty list stay on their element."""
    g = nx.Graph()
    g.add_node("甲", type="person", aliases=["小甲"])
    g.add_node("乙", type="person", aliases=[])
    g.add_edge("甲", "乙", weight=2, sentences=1)
    back = nx.read_graphml(write_graphml(g, tmp_path / "g.graphml"))
    assert back["甲"]["乙"]["weight"] == 2 and back["甲"]["乙"]["sentences"] == 1
    assert back.nodes["甲"]["aliases"] == '["小甲"]' and "aliases" not in back.nodes["乙"]
    g2 = nx.Graph()
    g2.add_edge("甲", "乙", weight=1.0)
    back2 = nx.read_graphml(write_graphml(g2, tmp_path / "g2.graphml"))
    assert back2["甲"]["乙"]["weight"] == 1.0

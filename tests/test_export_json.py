"""kg.export.json: streamed node-link JSON, the same document networkx writes."""

import json
from pathlib import Path

import networkx as nx

from kg.export.json import read_json, write_json


def test_streamed_json_equals_node_link_data(tmp_path: Path) -> None:
    g = nx.Graph(home_city="青山市", window="article")
    g.add_node("柯明远", type="official", aliases=["柯市长"], titles=["市长"], mentions=2)
    g.add_node("北湾新区", type="place", aliases=[], titles=[], mentions=1)
    g.add_node("孤岛", type="place", aliases=[], titles=[], mentions=1)
    g.add_edge("柯明远", "北湾新区", weight=2, npmi=0.4, sentences=1, evidence=[["a#0", 3]])
    path = write_json(g, tmp_path / "g.json")
    expected = json.dumps(nx.node_link_data(g, edges="links"), ensure_ascii=False,
                          separators=(",", ":"), sort_keys=True)
    assert path.read_text(encoding="utf-8") == expected
    back = read_json(path)
    assert set(back.nodes) == set(g.nodes) and back["柯明远"]["北湾新区"]["evidence"] == [["a#0", 3]]

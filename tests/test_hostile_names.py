"""Issue 11, items 7 and 8: alias-file holes and names that break formats.

Every input is written here: invented articles, alias files and graphs.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from browser import browser_missing, chromium, open_page

from kg.cli import main
from kg.export.html import render_html, write_html

PROTO_NAMES = ("__proto__", "constructor", "toString", "hasOwnProperty", "valueOf")
ARTICLE = "本报讯 副市长李明调研浙江青禾科技有限公司。市长陈志强考察浙江红旗机械有限公司。\n"


def _build(tmp_path: Path, *extra: str, text: str = ARTICLE) -> tuple[int, Path]:
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    # JSONL carries any character, control characters included, into the text.
    record = json.dumps({"title": "青山\x01新闻", "text": text}, ensure_ascii=True)
    (src / "page1.jsonl").write_text(record + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["build", str(src), "-o", str(out), "--ner", "lac", "--learned", "none",
                 "--no-cache", "-q", *extra])
    return code, out


# ------------------------------------------------------------ item 7: alias file


@pytest.mark.parametrize("rows, line, what", [
    ("李明,\n", 1, "empty canonical name"),
    ("alias,canonical\n副市长李明,李明\n,李明\n", 3, "empty alias"),
    ("李明,李市长\n李市长,李明\n", None, "alias cycle 李明 -> 李市长 -> 李明"),
])
def test_a_bad_alias_file_is_one_line_exit_2(tmp_path: Path, capsys: Any, rows: str,
                                             line: int | None, what: str) -> None:
    aliases = tmp_path / "aliases.csv"
    aliases.write_text(rows, encoding="utf-8")
    code, out = _build(tmp_path, "--aliases", str(aliases))
    err = capsys.readouterr().err
    assert code == 2
    where = f"line {line}" if line else "lines 1, 2"
    assert err.startswith(f"kg: error: {aliases}: {where}: {what}")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (out / "graph.json").exists()  # no node "" and no swapped names written


def test_an_alias_chain_reaches_its_end_in_the_graph(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.csv"
    # 李明 -> 李市长 -> 李明同志: all three are the last name.
    aliases.write_text("alias,canonical\n李明,李市长\n李市长,李明同志\n", encoding="utf-8")
    code, out = _build(tmp_path, "--aliases", str(aliases))
    assert code == 0
    names = {n["id"] for n in json.loads((out / "graph.json").read_text("utf-8"))["nodes"]}
    assert "李明同志" in names and not {"李明", "李市长", ""} & names


def test_a_good_alias_file_changes_nothing_else(tmp_path: Path) -> None:
    """Negative case: a comment, a blank line and A,A are accepted."""
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("# 人物\n\n李明,李明\n", encoding="utf-8")
    code, out = _build(tmp_path, "--aliases", str(aliases))
    assert code == 0
    names = {n["id"] for n in json.loads((out / "graph.json").read_text("utf-8"))["nodes"]}
    assert {"李明", "陈志强"} <= names


# ------------------------------------------------------------ item 8: GraphML


def test_control_characters_in_the_text_leave_every_output_parsable(tmp_path: Path) -> None:
    text = ("本报讯 副市长李\x0b明调研浙江青禾\x01科技有限公司。"
            "市长陈志强考察浙江红旗机械\x1b\u200b有限公司。\n")
    code, out = _build(tmp_path, text=text)
    assert code == 0
    ET.parse(out / "graph.graphml")
    back = nx.read_graphml(out / "graph.graphml")
    data = json.loads((out / "graph.json").read_text("utf-8"))
    names = [n["id"] for n in data["nodes"]]
    assert sorted(back.nodes) == sorted(names) and "陈志强" in names
    assert all(n.isprintable() and n for n in names)
    for n in data["nodes"]:
        assert all(a.isprintable() for a in n["aliases"])


# ------------------------------------------------------------ item 8: the page


def _proto_graph() -> nx.Graph:
    g = nx.Graph(name="__proto__")
    plain = ["李明", "王强", "青禾科技有限公司"]
    for n in (*PROTO_NAMES, *plain):
        g.add_node(n, type="constructor" if n == "valueOf" else "person",
                   aliases=["__proto__"] if n == "李明" else ["prototype"], titles=["toString"],
                   title_sources=[{"text": "toString", "article_id": "__proto__",
                                   "article_title": "constructor"}], mentions=2, articles=1)
    ev = [{"article_id": "__proto__", "title": "constructor", "file": "toString.txt",
           "date": "", "sentence": "__proto__与李明在constructor会见。"}]
    for i, n in enumerate(PROTO_NAMES):
        g.add_edge(n, plain[i % len(plain)], weight=1 + i, sentences=1, evidence=ev)
    g.add_edge("__proto__", "constructor", weight=1, sentences=1, evidence=ev)
    return g


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = browser_missing()
    if reason:
        pytest.skip(reason)
    with chromium() as b:
        yield b


@pytest.mark.parametrize("max_nodes", [400, 2])  # 2: the others arrive by "show more"
def test_names_like_object_properties_do_not_break_the_page(browser: Any, tmp_path: Path,
                                                            max_nodes: int) -> None:
    g = _proto_graph()
    page, log = open_page(browser, write_html(g, tmp_path / "graph.html", max_nodes=max_nodes))
    if max_nodes == 2:
        while page.evaluate("kgPage.showMore()"):
            page.wait_for_selector('body[data-ready="1"]', state="attached")
    assert sorted(page.evaluate("kgPage.shownNames()")) == sorted(g.nodes)
    for n in g.nodes:
        pos = page.evaluate("(n) => kgPage.position(n)", n)
        assert all(isinstance(pos[k], (int, float)) for k in ("x", "y")), n
    # The real search box finds __proto__ (a name, and also an alias of 李明).
    page.locator("#search").fill("__proto__")
    page.locator("#search").press("Enter")
    assert page.evaluate("kgPage.selectedNames()") == ["__proto__"]
    panel = page.locator("#panel-body")
    assert panel.locator("h2").inner_text() == "__proto__"
    assert sorted(panel.locator("ol li button").all_inner_texts()) == sorted(g["__proto__"])
    # Clicking a node on the canvas shows it and its neighbours.
    # Closing the panel widens the graph; vis resizes its canvas (and moves the
    # view) on its ResizeObserver, a frame later: wait for that, then fit.
    page.locator("#panel-close").click()
    page.wait_for_function("""() => {
        const c = kgPage.network.canvas, f = c.frame.canvas;
        return f.width === Math.round(f.clientWidth * c.pixelRatio)
            && f.height === Math.round(f.clientHeight * c.pixelRatio); }""")
    page.evaluate("kgPage.network.fit()")
    for n in ("constructor", "toString"):
        pos = page.evaluate("(n) => kgPage.position(n)", n)
        dom = page.evaluate("(p) => kgPage.network.canvasToDOM(p)", pos)
        if page.evaluate("(p) => kgPage.nameOf(kgPage.network.getNodeAt(p))", dom) != n:
            continue  # covered by another node; the panel is still checked below
        box = page.locator("#graph").bounding_box()
        page.mouse.click(box["x"] + dom["x"], box["y"] + dom["y"])
        assert page.evaluate("kgPage.selectedNames()") == [n]
        assert panel.locator("h2").inner_text() == n
    for n in g.nodes:
        page.evaluate("(n) => kgPage.openNode(n)", n)
        assert panel.locator("h2").inner_text() == n
        assert sorted(panel.locator("ol li button").all_inner_texts()) == sorted(g[n])
    page.evaluate("kgPage.openNode('王强')")  # 王强's neighbours: constructor, valueOf
    panel.locator("ol li button", has_text="constructor").first.click()
    assert page.evaluate("kgPage.selectedNames()") == ["constructor"]
    page.evaluate("kgPage.openEdge(kgPage.edgeId('__proto__', 'constructor'))")
    if max_nodes > 2:  # else the edge is beyond the opening view: no evidence embedded
        assert panel.locator("mark").all_inner_texts()[:1] == ["__proto__"]
        assert "toString.txt" in panel.inner_text()
    # The type named "constructor" has its own legend box, and it filters.
    page.locator('#legend input[data-type="constructor"]').click()
    assert page.evaluate("kgPage.node('valueOf').hidden") is True
    assert log.errors == []
    page.close()


HOSTILE = ["</script><script>window.__xss=1</script>", "<!--", "]]>", "李\ud800明",
           "\u2028\u2029", "a\x00b", "__proto__", "&amp;"]


def test_the_embedded_json_holds_any_name_verbatim() -> None:
    g = nx.Graph(name="</script>")
    for n in HOSTILE:
        g.add_node(n, type="person", aliases=[n + "别名"], titles=[], mentions=1, articles=1)
    g.add_edge(HOSTILE[0], HOSTILE[3], weight=1, sentences=1, evidence=[])
    page = render_html(g, title="李\udc00</script>")
    page.encode("utf-8")  # no lone surrogate left raw: the page can be written
    blocks = re.findall(r'<script id="kg-data" type="application/json">(.*?)</script>', page,
                        re.S)
    assert len(blocks) == 1 and page.count("</script>") == 3
    data = json.loads(blocks[0])
    assert sorted(n["id"] for n in data["nodes"]) == sorted(HOSTILE)
    assert data["meta"]["title"] == "李\udc00</script>"


def test_a_plain_page_embeds_plain_text() -> None:
    """Negative case: ordinary names are not escaped beyond JSON's own rules."""
    g = nx.Graph()
    g.add_node("李明", type="person", aliases=[], titles=[], mentions=1, articles=1)
    page = render_html(g, title="青山日报")
    assert '"id":"李明"' in page and "<title>青山日报</title>" in page


def test_the_page_opens_with_hostile_names(browser: Any, tmp_path: Path) -> None:
    g = nx.Graph()
    for n in HOSTILE:
        g.add_node(n, type="person", aliases=[], titles=[], mentions=1, articles=1)
        g.add_edge(n, "李明", weight=1, sentences=1, evidence=[])
    path = write_html(g, tmp_path / "graph.html", title="李\udc00明")
    page, log = open_page(browser, path)
    assert sorted(page.evaluate("kgPage.shownNames()")) == sorted(g.nodes)
    assert page.evaluate("(n) => kgPage.search(n)", "李\ud800明") == "李\ud800明"
    assert page.evaluate("window.__xss") is None
    assert log.errors == []
    page.close()

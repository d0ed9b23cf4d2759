"""End to end: the CLI on seeds/, pinning what a reader sees."""

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from kg.export.graphml import read_graphml
from kg.export.json import read_json
from kg.export.tables import read_articles_jsonl, read_entities_csv, read_mentions_jsonl

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def run_kg(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    d = tmp_path_factory.mktemp("out")
    r = run_kg("build", SEEDS, "-o", d, "--ner", "lac")
    assert r.returncode == 0, r.stderr
    assert "articles: 35" in r.stdout
    assert "no edges" not in r.stderr
    return d


@pytest.fixture(scope="module")
def graph(out) -> nx.Graph:
    return read_json(out / "graph.json")


def test_all_outputs_written(out):
    for name in ("graph.html", "graph.json", "graph.graphml", "entities.csv",
                 "mentions.jsonl", "articles.jsonl"):
        assert (out / name).stat().st_size > 0
    assert not list(out.glob(".*tmp"))  # no temp file left


def test_officials_with_titles(graph):
    for name, title in (("沈志凤", "副市长"), ("祁海龙", "市委书记"), ("仲旭东", None)):
        node = graph.nodes[name]
        assert node["type"] == "official", name
        if title:
            assert title in node["titles"]
            src = [t for t in node["title_sources"] if t["text"] == title]
            assert src and src[0]["article_id"] and src[0]["article_title"]


def test_bylines_are_not_entities(out, graph):
    arts = read_articles_jsonl(out / "articles.jsonl")
    reporters = {r for a in arts for r in a.reporters}
    assert {"居丹荔", "李雨婷", "华婷婷"} <= reporters
    assert not reporters & set(graph.nodes)


def test_include_reporters_makes_one_node_per_person(tmp_path):
    r = run_kg("build", SEEDS, "-o", tmp_path, "--ner", "lac", "--include-reporters", "-q")
    assert r.returncode == 0, r.stderr
    g = read_json(tmp_path / "graph.json")
    reporters = {r for a in read_articles_jsonl(tmp_path / "articles.jsonl") for r in a.reporters}
    assert not [n for n in g if n.endswith("(reporter)")]
    assert reporters <= set(g.nodes)
    ents = {e.name: e for e in read_entities_csv(tmp_path / "entities.csv")}
    assert reporters <= set(ents)  # bylines are rows of entities.csv too
    assert all("记者" in ents[r].title_texts for r in reporters)


def test_place_and_project_nodes(graph):
    place = "张江长三角科技城平湖园"
    assert graph.nodes[place]["type"] == "place"
    assert "平湖园" in graph.nodes[place]["aliases"]
    proj = "长三角·平湖润泽国际信息港项目"
    assert graph.nodes[proj]["type"] == "project"
    assert graph.has_edge(proj, place)
    assert graph[proj][place]["evidence"]


def test_hospital_short_form_is_one_node(graph):
    assert "市第一医院" not in graph and "平湖市第一医院" not in graph
    assert "市第一医院" in graph.nodes["平湖市第一人民医院"]["aliases"]


def test_mentions_point_into_article_text(out, graph):
    arts = {a.id: a for a in read_articles_jsonl(out / "articles.jsonl")}
    ms = read_mentions_jsonl(out / "mentions.jsonl")
    assert ms
    for m in ms:
        assert arts[m.article_id].text[m.start : m.end] == m.text
        assert m.entity in graph
    ents = {e.name for e in read_entities_csv(out / "entities.csv")}
    assert ents == set(graph.nodes)


def test_graphml_round_trip(out, graph):
    g2 = read_graphml(out / "graph.graphml")
    assert set(g2.nodes) == set(graph.nodes)
    assert g2.number_of_edges() == graph.number_of_edges()
    n = "沈志凤"
    assert g2.nodes[n]["titles"] == graph.nodes[n]["titles"]


def test_deterministic_output(out, tmp_path):
    r = run_kg("build", SEEDS, "-o", tmp_path, "--ner", "lac", "--quiet")
    assert r.returncode == 0 and r.stdout == ""
    for name in ("graph.json", "graph.graphml", "entities.csv", "mentions.jsonl", "graph.html"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_bad_file_is_reported_and_run_goes_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS / "000_a5903bcb18bfb5fd.txt", src)
    (src / "broken.txt").write_bytes(b"\x00\xff\xfe" * 100)
    r = run_kg("build", src, "-o", tmp_path / "o", "--ner", "lac", "--quiet")
    assert r.returncode == 3  # outputs written, an input skipped
    lines = [ln for ln in r.stderr.splitlines() if "broken.txt" in ln]
    assert len(lines) == 1
    assert r.stderr.splitlines()[-1] == "kg: skipped: 1 input (named above)"
    assert (tmp_path / "o" / "graph.json").exists()


def test_missing_input_fails_cleanly(tmp_path):
    r = run_kg("build", tmp_path / "nothing", "-o", tmp_path / "o", "--quiet")
    assert r.returncode == 2
    assert "kg: error:" in r.stderr and "Traceback" not in r.stderr


def test_hostile_article_text_is_escaped_in_html(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    evil = ("恶意标题<script>alert(1)</script>\n\n■记者 王小明\n\n"
            "本报讯 副县长张建国<img src=x onerror=alert(2)>在青山市出席签约仪式。"
            "青山市星河科技有限公司<script>alert(1)</script>参加。\n")
    (src / "evil.txt").write_text(evil, encoding="utf-8")
    r = run_kg("build", src, "-o", tmp_path / "o", "--ner", "lac", "--quiet")
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "o" / "graph.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x onerror" not in html
    data = json.loads((tmp_path / "o" / "graph.json").read_text(encoding="utf-8"))
    assert data["nodes"]  # the article was processed, not dropped


def test_version_and_a_mistyped_flag_gets_a_suggestion(tmp_path):
    r = run_kg("--version")
    assert r.returncode == 0 and re.fullmatch(r"kg \d+\.\d+\.\d+\S*\n", r.stdout)
    r = run_kg("build", SEEDS, "-o", tmp_path, "--min-wieght", "2")
    assert r.returncode == 2 and "did you mean --min-weight?" in r.stderr
    r = run_kg("build", SEEDS, "-o", tmp_path, "--zzzz")
    assert r.returncode == 2 and "did you mean" not in r.stderr  # nothing close


def _two_loners(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("本报讯 市长张立平出席会议并讲话。\n", encoding="utf-8")
    (src / "b.txt").write_text("本报讯 青禾科技有限公司新厂房昨日投产。\n", encoding="utf-8")
    return src


def test_a_build_with_no_edges_says_so(tmp_path):
    r = run_kg("build", _two_loners(tmp_path), "-o", tmp_path / "o", "--ner", "lac",
               "--learned", "none")
    assert r.returncode == 0, r.stderr
    assert "edges: 0" in r.stdout
    assert [ln for ln in r.stderr.splitlines() if "no edges" in ln]


def test_outputs_follow_the_umask_and_the_csv_has_a_bom(tmp_path):
    r = subprocess.run([sys.executable, "-m", "kg", "build", str(_two_loners(tmp_path)),
                        "-o", str(tmp_path / "o"), "--ner", "lac", "--learned", "none", "-q"],
                       cwd=ROOT, capture_output=True, text=True, timeout=600,
                       preexec_fn=lambda: os.umask(0o027))
    assert r.returncode == 0, r.stderr
    files = sorted((tmp_path / "o").iterdir())
    assert len(files) == 12  # ten outputs, kg-manifest.json and the folder's .kg.lock
    assert {f.name: stat.S_IMODE(f.stat().st_mode) for f in files} == {
        f.name: 0o640 for f in files}
    raw = (tmp_path / "o" / "entities.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfname,type,")  # Excel reads UTF-8 only with a BOM
    assert {e.name for e in read_entities_csv(tmp_path / "o" / "entities.csv")} >= {"张立平"}

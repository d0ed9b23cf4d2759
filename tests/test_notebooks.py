"""Notebooks run top to bottom on the output folder they are pointed at
(``KG_OUTPUT``); committed without outputs."""

import os
from pathlib import Path

import nbformat
import networkx as nx
import pandas as pd
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell
from test_analysis import CITY_INVESTMENT, CORPUS, DATES, write_corpus

import kg
from kg import analysis

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
BY_NAME = {p.stem: p for p in NOTEBOOKS}


def execute(path: Path, output: Path, monkeypatch: pytest.MonkeyPatch,
            **parameters: object) -> nbformat.NotebookNode:
    """Run a notebook with ``KG_OUTPUT=output``, after a papermill-style cell
    that sets ``parameters`` below the one tagged ``parameters``."""
    nb = nbformat.read(path, as_version=4)
    if parameters:
        at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
        cell = new_code_cell("\n".join(f"{k} = {v!r}" for k, v in parameters.items()))
        cell.metadata["tags"] = ["injected-parameters"]
        nb.cells.insert(at + 1, cell)
    monkeypatch.setenv("KG_OUTPUT", str(output))  # the kernel inherits the environment
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError if any cell fails
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert errors == []
    return nb


def shown(nb: nbformat.NotebookNode) -> str:
    """Everything the executed notebook shows: printed text, tables, HTML."""
    parts = []
    for c in nb.cells:
        for o in c.get("outputs", []):
            if o.output_type == "stream":
                parts.append(o.text)
            for kind in ("text/plain", "text/html"):
                if kind in o.get("data", {}):
                    parts.append(o.data[kind])
    return "\n".join(parts)


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.iterdir()}


@pytest.fixture(scope="module")
def result():
    return kg.build([ROOT / "seeds"], ner="lac")


@pytest.fixture(scope="module")
def yunxi(tmp_path_factory, lac) -> Path:
    """An output folder built from invented news, not from the sample."""
    root = tmp_path_factory.mktemp("yunxi")
    built = kg.build([write_corpus(root / "news")], learned="none", recognizer=lac)
    kg.write_outputs(built, root / "out")
    return root / "out"


def test_the_three_notebooks_exist():
    assert {p.stem for p in NOTEBOOKS} >= {"explore", "officials", "entity"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_uses_only_the_public_api(path):
    src = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
    for private in ("kg.pipeline", "kg.refine", "kg.resolve", "kg.recognize", "kg.export", "._"):
        assert private not in src, private


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_one_parameters_cell_before_any_other_code(path):
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0] is code[0]
    assert 'OUTPUT = os.environ.get("KG_OUTPUT", "../output")' in tagged[0].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_shows_the_output_folder_it_is_pointed_at(path, yunxi, result, monkeypatch):
    before = snapshot(yunxi)
    text = shown(execute(path, yunxi, monkeypatch))
    assert snapshot(yunxi) == before  # read, not rebuilt
    ours = kg.load(yunxi)
    top = max(ours.graph, key=lambda n: ours.graph.degree(n, weight="weight"))
    expected = {
        "explore": {top, "魏巧玲", CITY_INVESTMENT, "青岚科技股份有限公司"},
        "officials": {"魏巧玲", "韩立诚", "常务副市长", "滨江数字产业园项目", *DATES, *DATES.values()},
        "entity": {top, *(nb for nb in ours.graph[top])},
    }[path.stem]
    assert {n for n in expected if n not in text} == set()
    corpus_text = "".join(r["title"] + r["text"] for r in CORPUS)
    sample_only = {e.name for e in result.entities
                   if e.mentions >= 2 and len(e.name) >= 3 and e.name not in corpus_text}
    assert len(sample_only) > 10
    assert {n for n in sample_only if n in text} == set()


def test_explore_queries_the_parquet_tables_with_duckdb(yunxi, monkeypatch):
    text = shown(execute(BY_NAME["explore"], yunxi, monkeypatch))
    assert "headline" in text and "npmi" in text
    assert any(headline in text for headline in DATES)  # joined from articles.parquet


def test_entity_notebook_takes_an_alias_as_its_name(yunxi, monkeypatch):
    text = shown(execute(BY_NAME["entity"], yunxi, monkeypatch, NAME="云溪城投"))
    assert f"{CITY_INVESTMENT} | company | aliases: ['云溪城投']" in text
    for headline in DATES:  # where it is mentioned: the headlines of its articles
        if "云溪城投" in next(r["text"] for r in CORPUS if r["title"] == headline):
            assert headline in text


def test_notebook_builds_the_sample_into_an_empty_folder(tmp_path, result, monkeypatch):
    fresh = tmp_path / "fresh"
    text = shown(execute(BY_NAME["officials"], fresh, monkeypatch))
    built = kg.load(fresh)  # the notebook wrote a build there
    assert set(built.graph) == set(result.graph)
    titled = set(analysis.title_timeline(built).official)
    assert titled and {n for n in titled if n not in text} == set()


def test_notebook_refuses_a_folder_that_is_not_a_build(tmp_path, monkeypatch):
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "page1.txt").write_text("本报讯 云溪市召开会议。", encoding="utf-8")
    with pytest.raises(CellExecutionError, match="not a kg output folder"):
        execute(BY_NAME["explore"], papers, monkeypatch)
    assert os.listdir(papers) == ["page1.txt"]  # nothing built over the user's files


def test_api_return_types(result, tmp_path):
    assert isinstance(result, kg.Result)
    assert isinstance(result.graph, nx.Graph)
    assert isinstance(result.entities_df, pd.DataFrame)
    assert list(result.mentions_df.columns)[:3] == ["article_id", "file", "sentence"]
    assert all(isinstance(a, kg.Article) for a in result.articles)
    kg.write_outputs(result, tmp_path)
    back = kg.load(tmp_path)
    assert set(back.graph.nodes) == set(result.graph.nodes)
    assert len(back.mentions) == len(result.mentions)
    assert back.entities_df.shape[0] == result.entities_df.shape[0]


def test_values_the_notebooks_show(result):
    g = result.graph
    top = analysis.centrality(g, types=["official"], top=1)
    assert top.iloc[0]["type"] == "official"
    comms = analysis.communities(g, seed=7)
    assert comms["size"].sum() == g.number_of_nodes()
    assert comms.equals(analysis.communities(g, seed=7))  # seeded: stable
    tl = analysis.title_timeline(result)
    assert "副市长" in set(tl[tl.official == "沈志凤"].title)
    assert analysis.find_entity(g, "平湖园") == "张江长三角科技城平湖园"
    ties = analysis.strongest_ties(result, "张江长三角科技城平湖园")  # the text needs the Result
    assert ties.iloc[0]["evidence"]
    proj = analysis.officials_by_project(g)
    assert "长三角·平湖润泽国际信息港项目" in set(proj.project)
    html = analysis.page_iframe(g)
    assert html.startswith("<iframe srcdoc=") and "<script" not in html


def test_load_rejects_a_folder_that_is_not_an_output(tmp_path):
    from kg.recognize.base import KgError

    with pytest.raises(KgError, match="not a kg output folder"):
        kg.load(tmp_path)

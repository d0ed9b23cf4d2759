"""Notebooks run top to bottom on a fresh build; committed without outputs."""

from pathlib import Path

import nbformat
import networkx as nx
import pandas as pd
import pytest
from nbclient import NotebookClient

import kg
from kg import analysis

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


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
def test_notebook_executes(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError if any cell fails
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert errors == []


@pytest.fixture(scope="module")
def result():
    return kg.build([ROOT / "seeds"], ner="lac")


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
    ties = analysis.strongest_ties(g, "张江长三角科技城平湖园")
    assert ties.iloc[0]["evidence"]
    proj = analysis.officials_by_project(g)
    assert "长三角·平湖润泽国际信息港项目" in set(proj.project)
    html = analysis.page_iframe(g)
    assert html.startswith("<iframe srcdoc=") and "<script" not in html


def test_load_rejects_a_folder_that_is_not_an_output(tmp_path):
    from kg.recognize.base import KgError

    with pytest.raises(KgError, match="not a kg output folder"):
        kg.load(tmp_path)

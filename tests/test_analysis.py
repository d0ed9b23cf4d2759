"""kg.analysis on invented news: a Result or its graph, names or aliases,
dates and headlines in the tables."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import kg
from kg import analysis
from kg.graph import build_graph
from kg.model import Article, Entity, Mention, Sentence, Title
from kg.recognize.base import KgError

# Invented local news (no real people or firms): three articles, one per
# jsonl record, each printing its full date.
CORPUS = [
    {"title": "云溪市推进滨江新区建设",
     "text": "本报讯 2024年3月5日上午，云溪市召开滨江新区建设推进会。市长韩立诚出席会议并讲话，"
             "副市长魏巧玲主持会议。\n"
             "会上，云溪市城市建设投资集团有限公司（云溪城投）与青岚科技股份有限公司签署合作协议，"
             "双方将共同建设滨江数字产业园项目。\n"
             "韩立诚指出，要加快滨江数字产业园项目进度，确保年内完成一期工程。"},
    {"title": "魏巧玲调研城投集团重点项目",
     "text": "本报讯 2024年4月12日，副市长魏巧玲到云溪市城市建设投资集团有限公司调研。\n"
             "魏巧玲一行察看了滨江数字产业园项目施工现场，听取了云溪城投董事长邵广涛的汇报。\n"
             "魏巧玲要求，城投集团要压实安全责任，与青岚科技股份有限公司加强协作。"},
    {"title": "云溪市召开优化营商环境大会",
     "text": "本报讯 2024年5月20日，云溪市召开优化营商环境大会。市委书记顾承泽出席并讲话，"
             "市长韩立诚作工作部署。\n"
             "常务副市长魏巧玲通报了一季度全市重点项目进展情况。\n"
             "青岚科技股份有限公司总经理柯晓帆作为企业代表发言。"},
]
CITY_INVESTMENT = "云溪市城市建设投资集团有限公司"
#: Each headline's date, as the text prints it.
DATES = {"云溪市推进滨江新区建设": "2024-03-05", "魏巧玲调研城投集团重点项目": "2024-04-12",
         "云溪市召开优化营商环境大会": "2024-05-20"}


def write_corpus(folder: Path) -> Path:
    """The invented articles as one jsonl file in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "yunxi.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in CORPUS),
                    encoding="utf-8")
    return path


# --- a hand-made Result: every date, title and alias known in advance -------

# Sentences of each invented article; one paragraph each.
HAND = {
    "a1": ("滨江新区建设推进会召开", "2024-03-05",
           ["市长韩立诚出席滨江新区建设推进会。",
            "云溪城投与青岚科技签约建设滨江数字产业园项目。"]),
    "a2": ("副市长调研重点项目", None,
           ["本报讯 4月12日，副市长魏巧玲到云溪市城市建设投资集团有限公司调研。",
            "魏巧玲察看了滨江数字产业园项目，城投集团负责人陪同。"]),
    "a3": ("营商环境大会召开", "2024-05-20",
           ["常务副市长魏巧玲通报重点项目进展。",
            "市长韩立诚与青岚科技股份有限公司负责人座谈。"]),
    "a4": ("无日期的稿件", None, ["魏巧玲会见青岚科技客人。"]),
}
ENTITIES = [
    ("韩立诚", "official", [], [("市长", "a1"), ("市长", "a3")]),
    ("魏巧玲", "official", [], [("副市长", "a2"), ("常务副市长", "a3"), ("副市长", "a4")]),
    (CITY_INVESTMENT, "company", ["云溪城投", "城投集团"], []),
    ("青岚科技股份有限公司", "company", ["青岚科技"], []),
    ("滨江数字产业园项目", "project", [], []),
    ("滨江新区", "place", [], []),
]


def hand_result() -> kg.Result:
    articles, mentions = [], []
    for aid, (title, date, sents) in HAND.items():
        text, sentences, paragraphs = "", [], []
        for i, s in enumerate(sents):
            start = len(text)
            sentences.append(Sentence(aid, i, i, start, start + len(s), s))
            paragraphs.append((start, start + len(s)))
            text += s
        articles.append(Article(aid, f"{aid}.txt", title, text, paragraphs=paragraphs,
                                sentences=sentences, date=date))
        for s in sentences:
            for name, typ, aliases, _titles in ENTITIES:
                # Longest form first, so 青岚科技 inside the full name is not a second hit.
                for form in sorted([name, *aliases], key=len, reverse=True):
                    at = s.text.find(form)
                    if at >= 0:
                        mentions.append(Mention(aid, s.index, s.start + at,
                                                s.start + at + len(form), form, typ,
                                                entity=name))
                        break
    entities = []
    for name, typ, aliases, titles in ENTITIES:
        ms = [m for m in mentions if m.entity == name]
        entities.append(Entity(name, typ, list(aliases), [Title(t, a) for t, a in titles],
                               mentions=len(ms), articles=len({m.article_id for m in ms})))
    graph = build_graph(articles, mentions, entities)
    return kg.Result(graph, articles, mentions, entities)


@pytest.fixture
def result() -> kg.Result:
    return hand_result()


def _rows(df: pd.DataFrame, cols: list[str]) -> list[list]:
    """The rows' values, a missing value as None."""
    return [[None if pd.isna(v) else v for v in row] for row in df[cols].values.tolist()]


def _same(a: object, b: object) -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, nx.Graph):
        assert nx.utils.graphs_equal(a, b)
    else:
        assert a == b


@pytest.mark.parametrize("call", [
    lambda s: analysis.centrality(s, types=["official", "company"], top=3),
    lambda s: analysis.communities(s, seed=7),
    lambda s: analysis.officials_by_project(s),
    lambda s: analysis.official_project_projection(s),
    lambda s: analysis.type_counts(s),
    lambda s: analysis.ego(s, "魏巧玲"),
    lambda s: analysis.neighbours_by_type(s, "魏巧玲"),
    lambda s: analysis.find_entity(s, "产业园"),
    lambda s: analysis.entity_name(s, "云溪城投"),
], ids=["centrality", "communities", "officials_by_project", "projection", "type_counts",
        "ego", "neighbours_by_type", "find_entity", "entity_name"])
def test_a_result_and_its_graph_give_the_same_answer(result, call):
    _same(call(result), call(result.graph))


def test_the_inline_page_has_evidence_text_from_a_result_only(result):
    import html

    from kg.graph import evidence_records

    arts = {a.id: a for a in result.articles}
    u, v, d = next((u, v, d) for u, v, d in result.graph.edges(data=True) if d["evidence"])
    sentence = evidence_records(d["evidence"], arts)[0].sentence
    from_result = html.unescape(analysis.page_iframe(result))
    from_graph = html.unescape(analysis.page_iframe(result.graph))
    assert sentence in from_result and sentence not in from_graph
    assert u in from_graph and v in from_graph  # the graph itself is the same


def test_strongest_ties_title_timeline_and_mentions_of_take_a_graph_too(result):
    # A graph's evidence is [article_id, sentence] references: the same ties
    # and articles from a graph, the sentences' text only from a Result.
    cols = ["neighbour", "type", "weight", "sentences", "article_id"]
    _same(analysis.strongest_ties(result.graph, "魏巧玲")[cols],
          analysis.strongest_ties(result, "魏巧玲")[cols])
    assert analysis.strongest_ties(result, "魏巧玲").evidence.str.len().gt(0).all()
    cols = ["official", "title", "article_title", "article_id"]
    from_graph = analysis.title_timeline(result.graph)
    from_result = analysis.title_timeline(result)
    assert from_graph.columns.tolist() == from_result.columns.tolist()
    assert (from_graph[cols].sort_values(cols).reset_index(drop=True)
            .equals(from_result[cols].sort_values(cols).reset_index(drop=True)))
    assert analysis.mentions_of(result.graph, "青岚科技").empty  # no text in a graph
    assert len(analysis.mentions_of(result, "青岚科技")) > 0


def test_a_graph_of_an_older_build_still_gives_its_evidence_text(result):
    g = result.graph.copy()
    arts = {a.id: a for a in result.articles}
    for _u, _v, d in g.edges(data=True):  # evidence as older builds wrote it: records
        d["evidence"] = [{"article_id": aid, "title": arts[aid].title, "file": arts[aid].file,
                          "sentence": arts[aid].sentences[si].text} for aid, si in d["evidence"]]
    seen = analysis.mentions_of(g, "青岚科技")
    assert len(seen) > 0
    assert set(seen.sentence) <= set(analysis.mentions_of(result, "青岚科技").sentence)
    assert all(row.as_printed in row.sentence for row in seen.itertuples())
    _same(analysis.strongest_ties(g, "魏巧玲")[["neighbour", "evidence"]],
          analysis.strongest_ties(result, "魏巧玲")[["neighbour", "evidence"]])


def test_anything_else_is_a_type_error():
    with pytest.raises(TypeError, match="Result or a networkx graph"):
        analysis.centrality({"魏巧玲": []})  # type: ignore[arg-type]


@pytest.mark.parametrize("alias", ["云溪城投", "城投集团"])
def test_an_alias_names_its_entity_everywhere(result, alias):
    g = result.graph
    _same(analysis.strongest_ties(g, alias), analysis.strongest_ties(g, CITY_INVESTMENT))
    _same(analysis.ego(result, alias, radius=1), analysis.ego(g, CITY_INVESTMENT))
    _same(analysis.neighbours_by_type(g, alias), analysis.neighbours_by_type(g, CITY_INVESTMENT))
    _same(analysis.mentions_of(result, alias), analysis.mentions_of(result, CITY_INVESTMENT))
    assert analysis.find_entity(g, alias) == CITY_INVESTMENT
    printed = set(analysis.mentions_of(result, alias).as_printed)
    assert {CITY_INVESTMENT, alias} <= printed  # every form, under the one entity


def test_an_alias_known_only_to_the_result_entities(result):
    for n in result.graph:
        result.graph.nodes[n]["aliases"] = []
    assert analysis.entity_name(result, "云溪城投") == CITY_INVESTMENT
    with pytest.raises(KgError):
        analysis.entity_name(result.graph, "云溪城投")


@pytest.mark.parametrize("call", [
    lambda s, n: analysis.strongest_ties(s, n),
    lambda s, n: analysis.ego(s, n),
    lambda s, n: analysis.neighbours_by_type(s, n),
    lambda s, n: analysis.mentions_of(s, n),
    lambda s, n: analysis.find_entity(s, n),
    lambda s, n: analysis.entity_name(s, n),
], ids=["strongest_ties", "ego", "neighbours_by_type", "mentions_of", "find_entity",
        "entity_name"])
def test_an_unknown_name_is_one_line_that_suggests_close_names(result, call):
    with pytest.raises(KgError) as err:
        call(result, "魏巧林")
    msg = str(err.value)
    assert "\n" not in msg and "'魏巧林'" in msg and "魏巧玲" in msg
    # A misspelt alias suggests the alias and says whose it is.
    with pytest.raises(KgError, match=f"云溪城投 \\({CITY_INVESTMENT}\\)"):
        call(result, "云溪城头")


def test_an_entity_is_suggested_once_whichever_of_its_forms_come_close(result):
    with pytest.raises(KgError) as err:
        analysis.entity_name(result, "云溪城投集")  # close to both 云溪城投 and 城投集团
    assert str(err.value).count(CITY_INVESTMENT) == 1
    assert "云溪城投 (" in str(err.value)


def test_an_unknown_name_with_nothing_close_says_so_plainly(result):
    with pytest.raises(KgError) as err:
        analysis.strongest_ties(result, "鹿鸣山")
    assert str(err.value) == "no entity named '鹿鸣山' in the graph"


def test_an_alias_of_two_entities_names_both(result):
    g = result.graph.copy()
    g.add_node("青岚科技园", type="place", aliases=["青岚科技"])
    with pytest.raises(KgError, match="青岚科技园.*青岚科技股份有限公司"):
        analysis.strongest_ties(g, "青岚科技")
    assert analysis.entity_name(g, "青岚科技园") == "青岚科技园"  # its own name still works


def test_title_timeline_dates_each_title_by_its_article(result):
    tl = analysis.title_timeline(result)
    assert tl.columns.tolist() == ["official", "title", "date", "article_title", "article_id"]
    wei = tl[tl.official == "魏巧玲"]
    # a3's own date; a2 has none, so the date printed in its text (no year there);
    # a4 has neither and sorts last.
    assert _rows(wei, ["date", "title", "article_title", "article_id"]) == [
        ["04-12", "副市长", "副市长调研重点项目", "a2"],
        ["2024-05-20", "常务副市长", "营商环境大会召开", "a3"],
        [None, "副市长", "无日期的稿件", "a4"],
    ]
    han = tl[tl.official == "韩立诚"]
    assert han.date.tolist() == ["2024-03-05", "2024-05-20"]  # Article.date, nothing printed
    assert han.article_title.tolist() == ["滨江新区建设推进会召开", "营商环境大会召开"]


def test_the_article_date_comes_before_a_date_in_the_text(result):
    a2 = next(a for a in result.articles if a.id == "a2")
    assert analysis.date_of(a2) == "04-12"
    a2.date = "2024-04-11"  # the record's date wins over the dateline
    assert analysis.date_of(a2) == "2024-04-11"
    tl = analysis.title_timeline(result)
    assert tl[tl.article_id == "a2"].date.tolist() == ["2024-04-11"]


def test_tables_show_headline_and_date_and_keep_the_id(result):
    ties = analysis.strongest_ties(result, "韩立诚")
    assert ties.columns.tolist()[-3:] == ["date", "article_title", "article_id"]
    arts = {a.id: a for a in result.articles}
    for row in ties.itertuples():
        a = arts[row.article_id]
        assert row.article_title == a.title and row.date == analysis.date_of(a)
        assert row.evidence in a.text
    seen = analysis.mentions_of(result, "魏巧玲")
    assert seen.columns.tolist() == ["date", "article_title", "as_printed", "sentence",
                                     "article_id"]
    assert _rows(seen, ["article_id", "date", "article_title"]) == [
        ["a2", "04-12", "副市长调研重点项目"],
        ["a2", "04-12", "副市长调研重点项目"],
        ["a3", "2024-05-20", "营商环境大会召开"],
        ["a4", None, "无日期的稿件"],
    ]


# --- the whole pipeline on the invented corpus ------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory, lac) -> tuple[kg.Result, kg.Result]:
    """The corpus built, and the same build written out and loaded back."""
    root = tmp_path_factory.mktemp("yunxi")
    built = kg.build([write_corpus(root / "news")], learned="none", recognizer=lac)
    kg.write_outputs(built, root / "out")
    return built, kg.load(root / "out")


def test_a_built_and_a_loaded_result_answer_by_alias(built):
    for res in built:
        ties = analysis.strongest_ties(res, "云溪城投")
        assert analysis.entity_name(res, "云溪城投") == CITY_INVESTMENT
        assert len(ties) > 0 and ties.evidence.str.len().gt(0).all()
        assert set(ties.date) <= {"2024-03-05", "2024-04-12", "2024-05-20"}
        assert analysis.centrality(res).equals(analysis.centrality(res.graph))


def test_every_title_in_the_corpus_has_its_date(built):
    for res in built:
        tl = analysis.title_timeline(res)
        assert len(tl) > 0
        assert "常务副市长" in set(tl[tl.official == "魏巧玲"].title)
        for row in tl.itertuples():
            assert row.date == DATES[row.article_title], row

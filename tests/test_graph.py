import pytest

from kg.graph import build_graph
from kg.model import Article, Entity, Mention, Sentence


def _corpus():
    text = "甲乙在会上。丙在场。"
    a = Article(id="p#0", file="p.txt", title="标题", text=text, paragraphs=[(0, 6), (6, 10)])
    a.sentences = [Sentence("p#0", 0, 0, 0, 6, "甲乙在会上。"), Sentence("p#0", 1, 1, 6, 10, "丙在场。")]
    b = Article(id="q#0", file="q.txt", title="二", text="甲乙。", paragraphs=[(0, 3)])
    b.sentences = [Sentence("q#0", 0, 0, 0, 3, "甲乙。")]
    ms = [Mention("p#0", 0, 0, 1, "甲", "person", entity="甲"),
          Mention("p#0", 0, 1, 2, "乙", "person", entity="乙"),
          Mention("p#0", 1, 6, 7, "丙", "place", entity="丙"),
          Mention("q#0", 0, 0, 1, "甲", "person", entity="甲"),
          Mention("q#0", 0, 1, 2, "乙", "person", entity="乙")]
    ents = [Entity("甲", "person", mentions=2, articles=2), Entity("乙", "person", mentions=2, articles=2),
            Entity("丙", "place", mentions=1, articles=1)]
    return [a, b], ms, ents


def test_article_window_weights_and_evidence():
    arts, ms, ents = _corpus()
    g = build_graph(arts, ms, ents)
    assert g["甲"]["乙"]["weight"] == 2
    assert g["甲"]["乙"]["sentences"] == 2
    assert g["甲"]["乙"]["evidence"][0] == {"article_id": "p#0", "title": "标题", "file": "p.txt",
                                           "sentence": "甲乙在会上。"}
    assert g["甲"]["丙"]["weight"] == 1 and g["甲"]["丙"]["sentences"] == 0
    assert g["甲"]["丙"]["evidence"]  # falls back to the sentences where each appears


def test_sentence_window_and_min_weight():
    arts, ms, ents = _corpus()
    g = build_graph(arts, ms, ents, window="sentence")
    assert not g.has_edge("甲", "丙")
    g2 = build_graph(arts, ms, ents, min_weight=2)
    assert set(map(frozenset, g2.edges())) == {frozenset({"甲", "乙"})}


def test_reporters_only_on_request():
    arts, ms, ents = _corpus()
    arts[0].reporters = ["记者甲"]
    assert "记者甲" not in build_graph(arts, ms, ents)
    g = build_graph(arts, ms, ents, include_reporters=True)
    assert g.nodes["记者甲"]["type"] == "reporter" and g.has_edge("记者甲", "丙")


def test_invalid_options_raise_one_style_error():
    arts, ms, ents = _corpus()
    with pytest.raises(ValueError, match="window must be one of"):
        build_graph(arts, ms, ents, window="page")
    with pytest.raises(ValueError, match="min_weight"):
        build_graph(arts, ms, ents, min_weight=0)

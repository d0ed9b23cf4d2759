import pytest

from kg.graph import build_graph, evidence_records, npmi
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
    # Evidence is references; the text lives once, in the articles.
    assert g["甲"]["乙"]["evidence"] == [["p#0", 0], ["q#0", 0]]
    (first, _) = evidence_records(g["甲"]["乙"]["evidence"], {a.id: a for a in arts})
    assert (first.article_id, first.title, first.file, first.sentence) == (
        "p#0", "标题", "p.txt", "甲乙在会上。")
    assert g["甲"]["丙"]["weight"] == 1 and g["甲"]["丙"]["sentences"] == 0
    # No shared sentence: the sentences where each appears.
    assert g["甲"]["丙"]["evidence"] == [["p#0", 0], ["p#0", 1]]


def test_evidence_records_skip_what_is_not_there():
    arts, ms, ents = _corpus()
    assert evidence_records([["zz#0", 0], ["p#0", 9], ["p#0", 1]], {a.id: a for a in arts})[0].sentence == "丙在场。"


def test_npmi_is_one_for_inseparable_entities_and_lower_for_chance():
    assert npmi(3, 3, 3, 10) == 1.0
    assert npmi(1, 5, 5, 10) < 0 < npmi(3, 4, 4, 10) < 1.0
    arts, ms, ents = _corpus()
    g = build_graph(arts, ms, ents, weighting="npmi")
    assert g.graph["weighting"] == "npmi"
    # 甲 and 乙 are in both articles of two: together every time.
    assert g["甲"]["乙"]["npmi"] == 1.0 and g["甲"]["丙"]["npmi"] < 1.0


def _roll_call(n: int) -> tuple[list[Article], list[Mention], list[Entity]]:
    """An article that lists n people in its first paragraph and two more,
    together, in its second."""
    names = [f"人{i:02d}" for i in range(n)]
    text = "、".join(names) + "出席。甲乙发言。"
    first = len(text) - len("甲乙发言。")
    a = Article(id="r#0", file="r.txt", title="t", text=text,
                paragraphs=[(0, first), (first, len(text))])
    a.sentences = [Sentence("r#0", 0, 0, 0, first, text[:first]),
                   Sentence("r#0", 1, 1, first, len(text), text[first:])]
    ms = [Mention("r#0", 0, text.index(x), text.index(x) + 3, x, "person", entity=x) for x in names]
    ms += [Mention("r#0", 1, first + k, first + k + 1, x, "person", entity=x)
           for k, x in enumerate("甲乙")]
    ents = [Entity(x, "person") for x in [*names, "甲", "乙"]]
    return [a], ms, ents


def test_a_long_list_does_not_make_one_clique():
    arts, ms, ents = _roll_call(5)  # 7 entities: under the cap, one article window
    g = build_graph(arts, ms, ents, list_cap=6)
    assert g.has_edge("人00", "乙") is False and g.has_edge("人00", "人04")
    g = build_graph(arts, ms, ents, list_cap=None)
    assert g.has_edge("人00", "乙")
    g = build_graph(arts, ms, ents, list_cap=7)  # 7 is not more than 7: no cut
    assert g.has_edge("人00", "乙")


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


def test_min_weight_counts_articles_in_every_window():
    # 甲 and 乙 share two sentences of ONE article: weight 1 whatever the window,
    # so --min-weight 2 drops the edge in the sentence window too.
    a = Article(id="r#0", file="r.txt", title="t", text="甲乙。甲乙。", paragraphs=[(0, 6)])
    a.sentences = [Sentence("r#0", 0, 0, 0, 3, "甲乙。"), Sentence("r#0", 1, 0, 3, 6, "甲乙。")]
    ms = [Mention("r#0", i // 2, 3 * (i // 2) + i % 2, 3 * (i // 2) + i % 2 + 1, n, "person",
                  entity=n) for i, n in enumerate("甲乙甲乙")]
    ents = [Entity("甲", "person"), Entity("乙", "person")]
    for window in ("sentence", "paragraph", "article"):
        g = build_graph([a], ms, ents, window=window)
        assert g["甲"]["乙"]["weight"] == 1 and g["甲"]["乙"]["sentences"] == 2
        assert not build_graph([a], ms, ents, window=window, min_weight=2).has_edge("甲", "乙")


def test_a_reporter_named_in_the_text_is_one_node():
    arts, ms, ents = _corpus()
    arts[1].reporters = ["甲"]  # 甲 is a person of the text and the byline of q#0
    g = build_graph(arts, ms, ents, include_reporters=True)
    assert "甲 (reporter)" not in g and g.nodes["甲"]["type"] == "person"
    assert "记者" in g.nodes["甲"]["titles"]


def test_a_reporter_named_like_a_place_stays_apart():
    arts, ms, ents = _corpus()
    arts[1].reporters = ["丙"]  # 丙 is a place here
    g = build_graph(arts, ms, ents, include_reporters=True)
    assert g.nodes["丙"]["type"] == "place" and g.nodes["丙 (reporter)"]["type"] == "reporter"


def test_invalid_options_raise_one_style_error():
    arts, ms, ents = _corpus()
    with pytest.raises(ValueError, match="window must be one of"):
        build_graph(arts, ms, ents, window="page")
    with pytest.raises(ValueError, match="min_weight"):
        build_graph(arts, ms, ents, min_weight=0)
    with pytest.raises(ValueError, match="weighting must be one of"):
        build_graph(arts, ms, ents, weighting="pmi")
    with pytest.raises(ValueError, match="list_cap"):
        build_graph(arts, ms, ents, list_cap=1)

"""Every named rule: one sentence where it fires, one where it must not.

Sentences and names are made up for these tests; tokens are written by hand
(``word/TAG``) so the rules are tested without the tagger.
"""

from __future__ import annotations

import pytest
from refine_helpers import toks

from kg.model import Mention, Span
from kg.refine import SENTENCE_RULES, refine_sentence
from kg.refine.document import DOCUMENT_RULES, refine_document
from kg.refine.lexicon import load_lexicon
from kg.refine.rules import SentenceContext, check_names, registry
from kg.refine.types import SPAN_RULES, TYPE_RULES, Found, type_span

LEX = load_lexicon()



def ctx_of(spec: str, *, title_bodies: bool = False) -> SentenceContext:
    text, tokens = toks(spec)
    return SentenceContext(text, tokens, LEX, title_bodies)


def fn(stage_rules, name):
    return next(r for r in stage_rules if r.name == name).fn


def span_rule(name: str, spec: str) -> list[str]:
    ctx = ctx_of(spec)
    spans = [t for t in ctx.tokens if t.label in ("PER", "LOC", "ORG")]
    return [s.text for s in fn(SPAN_RULES, name)(ctx, spans)]


# -- registry ------------------------------------------------------------------
def test_registry_names_are_unique_documented_and_ordered_by_stage():
    rules = registry()
    assert len({r.name for r in rules}) == len(rules)
    assert all(r.doc for r in rules)
    order = ["span", "type", "sentence", "document", "resolve"]
    stages = [order.index(r.stage) for r in rules]
    assert stages == sorted(stages)


def test_unknown_rule_name_is_an_error_and_known_ones_pass():
    with pytest.raises(ValueError, match="unknown rule"):
        check_names({"no_such_rule"})
    assert check_names({"verb_head"}) == frozenset({"verb_head"})


def test_disabled_rule_is_skipped():
    text, tokens = toks("我市/n 召开/v 会议/n")
    spans = [Span(0, 2, "LOC", "我市")]
    assert refine_sentence(text, spans, tokens) == []
    kept = refine_sentence(text, spans, tokens, disabled={"noise_word"})
    assert [f.text for f in kept] == ["我市"]


# -- span rules ----------------------------------------------------------------
@pytest.mark.parametrize("name,spec,expected", [
    ("unit_in_unit", "杭州市西湖区/LOC", ["杭州市", "西湖区"]),
    ("unit_in_unit", "青山经济技术开发区/LOC", ["青山经济技术开发区"]),
    ("unit_in_unit", "奥地利维也纳/LOC", ["奥地利", "维也纳"]),
    ("unit_in_unit", "波兰共和国/LOC", ["波兰共和国"]),
    ("unit_in_unit", "香港特别行政区/LOC", ["香港特别行政区"]),
    ("unit_in_unit", "朝鲜半岛/LOC", ["朝鲜半岛"]),
    ("glued_orgs", "青山市人民政府交由星河投资集团/ORG", ["青山市人民政府", "星河投资集团"]),
    ("glued_orgs", "联合国/ORG", ["联合国"]),
    ("glued_orgs", "星河联合银行/ORG", ["星河联合银行"]),
    ("bracketed_region", "恒拓/nz (/w 杭州/LOC )/w 新材料有限公司/ORG", ["恒拓(杭州)新材料有限公司"]),
    ("bracketed_region", "恒拓/nz (/w 杭州/LOC )/w 研究院/ORG", ["杭州", "研究院"]),
    ("brand_before_firm", "青山/LOC 恒拓/nz 新材料有限公司/ORG", ["青山恒拓新材料有限公司"]),
    ("brand_before_firm", "成立/v 新材料有限公司/ORG", ["新材料有限公司"]),
    ("slogan_place", "平安/ORG 青山/LOC 建设/v", []),
    ("slogan_place", "前往/v 青山/LOC", ["青山"]),
    ("join_adjacent", "柳岸/LOC 星光科技城/LOC", ["柳岸星光科技城"]),
    ("join_adjacent", "东桥街道/LOC 柳溪村/LOC", ["东桥街道", "柳溪村"]),
    ("join_adjacent", "柳岸/LOC 星光社区党委/ORG", ["柳岸星光社区党委"]),
    ("join_adjacent", "星河通讯社/ORG 柳岸/LOC", ["星河通讯社", "柳岸"]),
    ("join_adjacent", "云帆/ORG 云帆tv/ORG", ["云帆", "云帆tv"]),
    ("join_adjacent", "柳岸/ORG 云帆/ORG 主场/n 比赛/vn", ["柳岸", "云帆"]),
    ("join_adjacent", "柳岸/ORG 云帆/ORG 签约/v", ["柳岸云帆"]),
    ("firm_word", "华信/ORG 投资/vn 集团/n", ["华信投资"]),
    ("firm_word", "华信/ORG 投资/v 50亿元/m", ["华信"]),
    ("firm_word", "华信/ORG 投资/vn 柳岸/LOC", ["华信", "柳岸"]),
    ("firm_word", "星河军/ORG 投资/v 研发/vn", ["星河军"]),
    ("zone_word", "云湖/LOC 科创区/n", ["云湖科创区"]),
    ("zone_word", "云湖/LOC 核心/n 区/n", ["云湖"]),
    ("suffix_word", "青山医院/ORG 党委/n", ["青山医院党委"]),
    ("suffix_word", "青山医院/ORG 医生/n", ["青山医院"]),
    ("community_word", "龙湫/LOC 社区/n", ["龙湫社区"]),
    ("community_word", "东桥街道/LOC 社区/n", ["东桥街道"]),
    ("cut_body", "青山市经济和/ORG 信息化局/n", ["青山市经济和信息化局"]),
    ("cut_body", "青山市/LOC 信息化局/n", ["青山市"]),
    ("cut_body", "星河/ORG 布局/n", ["星河"]),
])
def test_span_rules(name, spec, expected):
    assert span_rule(name, spec) == expected


# -- type rules ----------------------------------------------------------------
@pytest.mark.parametrize("name,label,drops,keeps", [
    ("noise_word", "LOC", "我市", "青山市"),
    ("noise_word", "ORG", "新春", "新春纺织有限公司"),
    ("noise_word", "LOC", "大", "青山"),
    ("one_char_place", "LOC", "美", "大"),
    ("generic_name", "LOC", "人才公寓", "青山公寓"),
    ("not_cjk", "ORG", "2023", "ABB"),
    ("long_person", "PER", "王明华张小东", "王明华"),
    ("address_form", "PER", "周老师", "周明"),
    ("province_abbr", "LOC", "浙沪", "辽宁"),
    ("province_abbr", "LOC", "苏浙沪", "宁夏"),
    ("not_a_firm", "ORG", "杭州人", "星河"),
    ("not_a_unit", "LOC", "富裕村", "柳溪村"),
    ("not_a_unit", "LOC", "五村", "东桥镇"),
    ("not_a_unit", "LOC", "百强县", "青溪县"),
    ("generic_firm", "ORG", "现代化工厂", "星河化工厂"),
    ("generic_firm", "ORG", "企业核心竞争力", "星河竞争力研究院"),
    ("edge_punct", "ORG", "文/", "星河（集团）"),
    ("event_name", "ORG", "星河银行杯", "星河银行"),
])
def test_type_rules(name, label, drops, keeps):
    rule = fn(TYPE_RULES, name)
    assert rule(Span(0, len(drops), label, drops), drops, LEX)
    assert not rule(Span(0, len(keeps), label, keeps), keeps, LEX)


def test_province_abbreviation_rule_leaves_brands_alone():
    rule = fn(TYPE_RULES, "province_abbr")
    assert not rule(Span(0, 2, "ORG", "苏宁"), "苏宁", LEX)
    # One short form alone is a place (京|津 of a list, 中|美): noise_word decides.
    assert not rule(Span(0, 1, "LOC", "京"), "京", LEX)


# -- sentence rules ------------------------------------------------------------
def sentence_rule(name: str, spec: str, found: list[Found] | None = None,
                  **kw) -> list[tuple[str, str]]:
    ctx = ctx_of(spec, **kw)
    return [(f.text, f.type) for f in fn(SENTENCE_RULES, name)(ctx, list(found or []))]


@pytest.mark.parametrize("name,spec,expected", [
    ("level_prefixed_body", "市/n 发展/vn 和/c 改革局/n 召开/v 会议/n", [("市发展和改革局", "organization")]),
    ("level_prefixed_body", "市场/n 很/d 好/a", []),
    ("level_standing_body", "在/p 市政协/ORG 会议/n", [("市政协", "organization")]),
    ("level_standing_body", "在/p 市政协主席/n 王明/PER", []),
    ("unit_department", "浙江省/LOC 文化/n 和/c 旅游厅/n", [("浙江省文化和旅游厅", "organization")]),
    ("unit_department", "浙江省/LOC 会客厅/n", []),
    ("zone_abbreviation", "杭州/LOC 经开区/n", [("杭州经开区", "place")]),
    ("zone_abbreviation", "星河/nz 经开区/n", []),
    ("road_section_project", "，/w 临江大道东湖段改建/n 。/w", [("临江大道东湖段改建", "project")]),
    ("road_section_project", "，/w 临江大道/n 很/d 宽/a 。/w", []),
    ("from_to_project", "杭州/LOC 至/v 宁波公路余姚段改建/n 。/w", [("杭州至宁波公路余姚段改建", "project")]),
    ("from_to_project", "加快/v 至/v 宁波公路余姚段改建/n 。/w", []),
    ("quoted_project", "“/w 晨光半导体显示项目/nz ”/w", [("晨光半导体显示项目", "project")]),
    ("quoted_project", "“/w 民生项目/n ”/w", []),
    ("suffix_project", "推进/v 星河/nz 半导体/n 项目/n", [("星河半导体项目", "project")]),
    ("suffix_project", "推进/v 重点/n 项目/n", []),
    ("names_after_titles", "副市长/n 王/n 小明/n 出席/v", [("王小明", "person")]),
    ("names_after_titles", "副市长/n 王/n 小明/n 的/u 书/n", []),
])
def test_sentence_rules_that_add(name, spec, expected):
    assert sentence_rule(name, spec) == expected


def test_strip_our_city():
    f = Found(1, 11, "市星河物流有限公司", "company")
    assert sentence_rule("strip_our_city", "我/r 市星河物流有限公司/ORG", [f]) == [
        ("星河物流有限公司", "company")]
    g = Found(1, 11, "市星河物流有限公司", "company")
    assert sentence_rule("strip_our_city", "在/p 市星河物流有限公司/ORG", [g]) == [
        ("市星河物流有限公司", "company")]


def test_verb_head():
    f = Found(0, 4, "表示党委", "organization")
    assert sentence_rule("verb_head", "表示/v 党委/n", [f]) == [("党委", "organization")]
    g = Found(0, 6, "也是临江市委", "organization")
    assert sentence_rule("verb_head", "也是/v 临江市委/ORG", [g]) == [("临江市委", "organization")]
    h = Found(0, 4, "星河党委", "organization")
    assert sentence_rule("verb_head", "星河/nz 党委/n", [h]) == [("星河党委", "organization")]
    p = Found(0, 3, "王建华", "person")
    assert sentence_rule("verb_head", "王建华/PER", [p]) == [("王建华", "person")]


def test_flat_overlaps():
    a, b = Found(0, 4, "青山医院", "organization"), Found(0, 2, "青山", "place")
    assert sentence_rule("flat_overlaps", "青山医院/ORG", [a, b]) == [("青山医院", "organization")]
    c, d = Found(0, 2, "青山", "place"), Found(3, 5, "临江", "place")
    assert len(sentence_rule("flat_overlaps", "青山/LOC 和/c 临江/LOC", [c, d])) == 2


def test_one_character_short_form_is_the_one_char_place_rule_s_alone():
    noise, short = fn(TYPE_RULES, "noise_word"), fn(TYPE_RULES, "one_char_place")
    assert not noise(Span(0, 1, "LOC", "俄"), "俄", LEX)
    assert short(Span(0, 1, "LOC", "俄"), "俄", LEX)
    assert noise(Span(0, 1, "ORG", "俄"), "俄", LEX)
    assert not short(Span(0, 1, "ORG", "俄"), "俄", LEX)
    text, tokens = toks("中/LOC 美/LOC 关系/n")
    spans = [t for t in tokens if t.label == "LOC"]
    assert refine_sentence(text, spans, tokens) == []
    kept = refine_sentence(text, spans, tokens, disabled={"one_char_place"})
    assert [(f.text, f.type) for f in kept] == [("中", "place"), ("美", "place")]


def test_bare_body():
    found = [Found(0, 5, "青山民主党", "company"), Found(6, 11, "青山旅行社", "company")]
    assert sentence_rule("bare_body", "青山民主党/ORG 和/c 青山旅行社/ORG", found) == [
        ("青山民主党", "organization"), ("青山旅行社", "company")]
    g = [Found(0, 4, "柳岸监会", "company"), Found(5, 8, "星河司", "company")]
    assert sentence_rule("bare_body", "柳岸监会/ORG 和/c 星河司/ORG", g) == [
        ("柳岸监会", "organization"), ("星河司", "organization")]
    h = [Found(0, 4, "星河公司", "company")]
    assert sentence_rule("bare_body", "星河公司/ORG", h) == [("星河公司", "company")]


def test_team_in_match():
    found = [Found(0, 2, "柳岸", "company"), Found(7, 9, "云帆", "company"),
             Found(10, 16, "青山药业公司", "company")]
    spec = "柳岸/ORG 2比1/m 击败/v 云帆/ORG ，/w 青山药业公司/ORG 赞助/v"
    assert sentence_rule("team_in_match", spec, found) == [
        ("柳岸", "organization"), ("云帆", "organization"), ("青山药业公司", "company")]
    g = [Found(0, 2, "柳岸", "company"), Found(4, 6, "云帆", "company")]
    assert sentence_rule("team_in_match", "柳岸/ORG 签约/v 云帆/ORG", g) == [
        ("柳岸", "company"), ("云帆", "company")]


def test_drop_in_works():
    spec = "《/w 青山/LOC 发展/vn 报告/n 》/w 在/p 临江/LOC"
    found = [Found(1, 3, "青山", "place"), Found(10, 12, "临江", "place")]
    assert sentence_rule("drop_in_works", spec, found) == [("临江", "place")]


def test_drop_quoted_keeps_whole_quoted_names():
    part = [Found(1, 3, "崇山", "place")]
    assert sentence_rule("drop_quoted", "“/w 崇山/LOC 向善/v ”/w", part) == []
    for word, label, typ in (("紫禁城", "LOC", "place"), ("北大", "ORG", "organization"),
                             ("网易", "ORG", "company")):
        whole = [Found(3, 3 + len(word), word, typ)]
        assert sentence_rule("drop_quoted", f"参观/v “/w {word}/{label} ”/w", whole) == [(word, typ)]


def test_drop_quoted_drops_a_quoted_honour():
    spec = "荣获/v “/w 青山百杰/LOC ”/w"
    assert sentence_rule("drop_quoted", spec, [Found(3, 7, "青山百杰", "place")]) == []


def test_attach_titles_and_drop_inside_titles():
    spec = "青山县/LOC 副县长/n 王建华/PER 出席/v"
    found = [Found(0, 3, "青山县", "place"), Found(6, 9, "王建华", "person")]
    out = fn(SENTENCE_RULES, "attach_titles")(ctx_of(spec), found)
    assert out[1].type == "official" and out[1].titles == ["青山县副县长"]
    assert sentence_rule("drop_inside_titles", spec, out) == [("王建华", "official")]
    # The public NER sets keep the body inside the title.
    found2 = [Found(0, 3, "青山县", "place"), Found(6, 9, "王建华", "person")]
    out2 = fn(SENTENCE_RULES, "attach_titles")(ctx_of(spec), found2)
    kept = sentence_rule("drop_inside_titles", spec, out2, title_bodies=True)
    assert ("青山县", "place") in kept
    plain = [Found(0, 3, "王建华", "person")]
    out3 = fn(SENTENCE_RULES, "attach_titles")(ctx_of("王建华/PER 出席/v"), plain)
    assert out3[0].type == "person" and out3[0].titles == []


# -- document rules ------------------------------------------------------------
def m(text: str, typ: str, titles: tuple[str, ...] = ()) -> Mention:
    return Mention("a#0", 0, 0, len(text), text, typ, list(titles))


def test_person_place_stem():
    rule = fn(DOCUMENT_RULES, "person_place_stem")
    out = rule(_dctx(), [m("柳溪", "person"), m("柳溪街道", "place")])
    assert out[0].type == "place"
    out = rule(_dctx(), [m("柳溪", "person", ("副镇长",)), m("柳溪街道", "place")])
    assert out[0].type == "person"


def test_home_slogan():
    ms = [m("平安青山", "place"), m("杭州青山", "place"), m("青山", "place")]
    out = refine_document(ms, home_city="青山市")
    assert [x.text for x in out] == ["杭州青山", "青山"]
    assert len(refine_document(ms, home_city=None)) == 3


def test_document_rules_copy_instead_of_mutating():
    ms = [m("柳溪", "person"), m("柳溪街道", "place")]
    out = refine_document(ms)
    assert ms[0].type == "person" and out[0].type == "place"


def _dctx():
    from kg.refine.document import DocumentContext

    return DocumentContext(LEX, None)


def test_type_span_part_of_a_place_is_no_department():
    assert type_span(Span(0, 6, "LOC", "柳岸省西北部"), LEX).type == "place"
    assert type_span(Span(0, 5, "LOC", "柳岸外联部"), LEX).type == "organization"

import pytest

from kg.model import Article, Mention, Sentence
from kg.recognize.base import KgError
from kg.resolve import (
    clean_name,
    follow_aliases,
    infer_home_city,
    is_short_form,
    read_aliases,
    resolve,
)


def _art(aid, text):
    a = Article(id=aid, file=f"{aid}.txt", title="", text=text, paragraphs=[(0, len(text))])
    a.sentences = [Sentence(aid, 0, 0, 0, len(text), text)]
    return a


def _m(aid, text, typ, titles=()):
    return Mention(aid, 0, 0, len(text), text, typ, list(titles))


def test_short_form_rules():
    assert is_short_form("市一院", "平湖市第一人民医院".replace("平湖", "")) is True
    assert is_short_form("新桥园", "江南科技城新桥园")
    assert not is_short_form("张三", "张三丰")  # last character differs


def test_home_city_and_city_prefix():
    arts = [_art("a#0", "x"), _art("b#0", "y")]
    ms = [_m("a#0", "青山市", "place"), _m("a#0", "青山", "place"),
          _m("b#0", "市城投集团", "company"), _m("b#0", "青山", "place"),
          _m("b#0", "临江市", "place")]
    assert infer_home_city(ms) == "青山市"
    entities, home = resolve(arts, ms)
    assert home == "青山市"
    names = {e.name for e in entities}
    assert "青山市城投集团" in names and "青山" not in names
    assert next(e for e in entities if e.name == "青山市").aliases == ["青山"]


def test_short_form_spelled_out_in_same_article():
    arts = [_art("a#0", "x")]
    ms = [_m("a#0", "青山市第一人民医院", "organization"), _m("a#0", "市第一医院", "organization")]
    entities, _ = resolve(arts, ms, home_city="青山市")
    assert [e.name for e in entities] == ["青山市第一人民医院"]
    assert {m.entity for m in ms} == {"青山市第一人民医院"}


def test_people_sharing_a_surname_are_not_merged():
    arts = [_art("a#0", "x")]
    ms = [_m("a#0", "王建", "person"), _m("a#0", "王建国", "official", ["副县长"])]
    entities, _ = resolve(arts, ms)
    assert sorted(e.name for e in entities) == ["王建", "王建国"]


def test_official_type_wins_across_articles_and_titles_keep_article():
    arts = [_art("a#0", "x"), _art("b#0", "y")]
    ms = [_m("a#0", "王建国", "official", ["副县长"]), _m("b#0", "王建国", "person")]
    entities, _ = resolve(arts, ms)
    (e,) = entities
    assert e.type == "official" and e.articles == 2
    assert [(t.text, t.article_id) for t in e.titles] == [("副县长", "a#0")]


def test_abbreviation_table_and_alias_file(tmp_path):
    p = tmp_path / "aliases.csv"
    p.write_text("alias,canonical\n星河科技,杭州星河电子科技有限公司\n", encoding="utf-8")
    aliases = read_aliases(p)
    arts = [_art("a#0", "x")]
    ms = [_m("a#0", "央行", "organization"), _m("a#0", "星河科技", "company")]
    entities, _ = resolve(arts, ms, aliases=aliases)
    assert {e.name for e in entities} == {"中国人民银行", "杭州星河电子科技有限公司"}


def test_bracket_alias_and_firm_short_forms():
    text = "青山市政务服务管理办(数据局)与浙江星河纸业股份有限公司、星河纸业合作。"
    a = _art("a#0", text)
    def at(s, typ):
        i = text.index(s)
        return Mention("a#0", 0, i, i + len(s), s, typ)
    ms = [at("青山市政务服务管理办", "organization"), at("数据局", "organization"),
          at("浙江星河纸业股份有限公司", "company"), at("星河纸业", "company")]
    entities, _ = resolve([a], ms, home_city="青山市")
    assert sorted(e.name for e in entities) == ["浙江星河纸业股份有限公司", "青山市政务服务管理办"]


def test_county_home_expands_county_prefixed_bodies():
    arts = [_art("a#0", "x")]
    ms = [_m("a#0", "青溪县", "place"), _m("a#0", "青溪县", "place"),
          _m("a#0", "县发展和改革局", "organization"), _m("a#0", "市场", "organization")]
    entities, home = resolve(arts, ms)
    assert home == "青溪县"
    assert "青溪县发展和改革局" in {e.name for e in entities}


def test_zone_short_form_but_never_a_city():
    arts = [_art("a#0", "x")]
    ms = [_m("a#0", "青山科创区", "place"), _m("a#0", "青山科创", "place"),
          _m("a#0", "嘉兴", "place"), _m("a#0", "嘉兴经济开发区", "place")]
    entities, _ = resolve(arts, ms, home_city="临江市")
    names = {e.name for e in entities}
    assert "青山科创" not in names and "青山科创区" in names
    assert {"嘉兴", "嘉兴经济开发区"} <= names


# -- named rules (made-up names unless a well-known national one) ----------------
def test_subsequence_short_form_never_joins_two_different_names():
    from kg.resolve import is_short_form

    assert not is_short_form("北京大学", "北京师范大学")
    assert not is_short_form("中国银行", "中国农业银行")
    assert not is_short_form("青山大学", "青山理工大学")
    # Leaving out a filler word, a legal form or a bracketed aside is a short form.
    assert is_short_form("青山市第一医院", "青山市第一人民医院")
    assert is_short_form("星河物流党支部", "星河物流有限公司党支部")


def test_two_universities_in_one_article_stay_two():
    arts = [_art("a#0", "x")]
    ms = [_m("a#0", "青山大学", "organization"), _m("a#0", "青山理工大学", "organization")]
    entities, _ = resolve(arts, ms, home_city="临江市")
    assert sorted(e.name for e in entities) == ["青山大学", "青山理工大学"]


def test_firm_core_drops_any_gazetteer_region():
    from kg.resolve import firm_core

    assert firm_core("湖州星河纸业有限公司") == "星河纸业"
    assert firm_core("辽宁省星河纸业有限公司") == "星河纸业"
    assert firm_core("中国星河纸业有限公司") == "星河纸业"
    # A brand that is no region keeps its first characters.
    assert firm_core("星河光明纸业有限公司") == "星河光明纸业"


def test_name_rules():
    from kg.refine.lexicon import load_lexicon
    from kg.resolve import NAME_RULES, ResolveContext

    ctx = ResolveContext(load_lexicon(), "青山市", {"临江": "临江市"})
    by = {r.name: r.fn for r in NAME_RULES}
    assert by["abbreviation"]("央行", "org", ctx) == "中国人民银行"
    assert by["abbreviation"]("星河", "org", ctx) is None
    assert by["home_city"]("市城投集团", "org", ctx) == "青山市城投集团"
    assert by["home_city"]("市场", "org", ctx) is None
    assert by["home_city"]("青山", "person", ctx) is None
    assert by["region_suffix"]("长三角地区", "place", ctx) == "长三角"
    assert by["region_suffix"]("地区", "place", ctx) is None
    assert by["place_stem"]("临江", "place", ctx) == "临江市"
    assert by["place_stem"]("临江", "org", ctx) is None


def test_merge_rules_switch_off_by_name():
    arts = [_art("a#0", "x")]
    ms = [_m("a#0", "青山市第一人民医院", "organization"), _m("a#0", "市第一医院", "organization")]
    entities, _ = resolve(arts, ms, home_city="青山市", disabled={"short_form"})
    assert len(entities) == 2


def test_bracket_alias_not_between_places():
    text = "青山区(东桥镇)召开会议。"
    a = _art("a#0", text)
    ms = [Mention("a#0", 0, 0, 3, "青山区", "place"), Mention("a#0", 0, 4, 7, "东桥镇", "place")]
    entities, _ = resolve([a], ms, home_city="临江市")
    assert sorted(e.name for e in entities) == ["东桥镇", "青山区"]


def test_resolve_never_retypes_or_drops():
    arts = [_art("a#0", "x")]
    ms = [_m("a#0", "柳溪", "person"), _m("a#0", "柳溪街道", "place"), _m("a#0", "平安青山", "place")]
    entities, _ = resolve(arts, ms, home_city="青山市")
    assert len(ms) == 3 and ms[0].type == "person"
    assert {e.name for e in entities} >= {"柳溪", "平安青山"}


def test_each_article_expands_to_its_own_city():
    """Two cities in one corpus: 市政府 is each article's own city's."""
    arts = [_art("a#0", "x"), _art("b#0", "y")]
    ms = [_m("a#0", "青山市", "place"), _m("a#0", "青山", "place"), _m("a#0", "市政府", "organization"),
          _m("a#0", "青山市", "place"),
          _m("b#0", "临江市", "place"), _m("b#0", "临江", "place"), _m("b#0", "市政府", "organization")]
    resolve(arts, ms)
    assert {(m.article_id, m.entity) for m in ms if m.text == "市政府"} == {
        ("a#0", "青山市政府"), ("b#0", "临江市政府")}


def test_a_named_home_city_holds_for_every_article():
    arts = [_art("b#0", "y")]
    ms = [_m("b#0", "临江市", "place"), _m("b#0", "市政府", "organization")]
    resolve(arts, ms, home_city="青山市")
    assert ms[1].entity == "青山市政府"


def test_add_reporters_merges_people_and_adds_the_rest() -> None:
    from kg.model import Article, Entity
    from kg.resolve import add_reporters

    a = Article(id="p#0", file="p.txt", title="t", text="x", reporters=["林晓", "何静"])
    b = Article(id="p#1", file="p.txt", title="t", text="x", reporters=["林晓"])
    people = [Entity("林晓", "person", mentions=2, articles=1),
              Entity("何静", "place", mentions=1, articles=1)]
    out = add_reporters([a, b], people)
    by = {(e.name, e.type): e for e in out}
    assert [t.text for t in by[("林晓", "person")].titles] == ["记者", "记者"]
    # Not a person of the text: a reporter entity, apart from the place.
    assert by[("何静 (reporter)", "reporter")].articles == 1
    assert ("何静", "place") in by and len(out) == 3
    assert people[0].titles == []  # the input is untouched


# -- the alias file: holes (issue 11, item 7) -------------------------------------
def _aliases(tmp_path, text):
    p = tmp_path / "aliases.csv"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("text, line, what", [
    ("alias,canonical\n李市长,李明\n李明,\n", 3, "empty canonical name"),
    ("李明, \n", 1, "empty canonical name"),
    ("李市长,李明\n,李明\n", 2, "empty alias"),
    ("李市长,\x01\u200b\n", 1, "empty canonical name"),  # nothing left once cleaned
])
def test_an_empty_name_is_refused_with_its_line(tmp_path, text, line, what):
    p = _aliases(tmp_path, text)
    with pytest.raises(KgError) as err:
        read_aliases(p)
    msg = str(err.value)
    assert msg.startswith(f"{p}: line {line}: {what}") and "\n" not in msg


@pytest.mark.parametrize("text, lines, cycle", [
    ("甲公司,乙公司\n乙公司,甲公司\n", "lines 1, 2", "甲公司 -> 乙公司 -> 甲公司"),
    ("alias,canonical\n甲,乙\n乙,丙\n# 注释\n丙,甲\n", "lines 2, 3, 5", "甲 -> 乙 -> 丙 -> 甲"),
    # A tail leading into the cycle is not part of it.
    ("戊,甲\n甲,乙\n乙,甲\n", "lines 2, 3", "甲 -> 乙 -> 甲"),
])
def test_a_cycle_is_refused_naming_its_lines(tmp_path, text, lines, cycle):
    p = _aliases(tmp_path, text)
    with pytest.raises(KgError) as err:
        read_aliases(p)
    assert str(err.value) == f"{p}: {lines}: alias cycle {cycle}"


def test_one_alias_with_two_names_is_refused(tmp_path):
    p = _aliases(tmp_path, "李市长,李明\n李市长,李强\n")
    with pytest.raises(KgError, match=r"line 2: 李市长 is already an alias of 李明 \(line 1\)"):
        read_aliases(p)


def test_chains_are_followed_to_their_end(tmp_path):
    p = _aliases(tmp_path, "青禾科技,青禾公司\n青禾公司,浙江青禾科技有限公司\n小青禾,青禾科技\n")
    assert read_aliases(p) == {"青禾科技": "浙江青禾科技有限公司",
                               "青禾公司": "浙江青禾科技有限公司",
                               "小青禾": "浙江青禾科技有限公司"}
    arts = [_art("a#0", "x")]
    ms = [_m("a#0", "小青禾", "company"), _m("a#0", "青禾公司", "company")]
    entities, _ = resolve(arts, ms, aliases=read_aliases(p))
    assert [e.name for e in entities] == ["浙江青禾科技有限公司"]
    assert {m.entity for m in ms} == {"浙江青禾科技有限公司"}


def test_accepted_alias_files_still_read(tmp_path):
    """Negative cases: none of these may be refused or change meaning."""
    text = ("\ufeffalias,canonical\n"          # BOM and header
            "\n"                              # blank line
            "# 人物\n"                        # comment
            "  # 缩进的注释\n"
            "李市长 , 李明 ,备注\n"            # spaces around, an extra column
            "李明,李明\n"                     # a name kept as it is: no cycle
            "\"青禾,科技\",青禾科技有限公司\n")  # a quoted comma
    assert read_aliases(_aliases(tmp_path, text)) == {
        "李市长": "李明", "李明": "李明", "青禾,科技": "青禾科技有限公司"}
    # The same alias twice with the same name is no conflict.
    assert read_aliases(_aliases(tmp_path, "李市长,李明\n李市长,李明\n")) == {"李市长": "李明"}


def test_a_mapping_given_in_python_is_followed_too():
    assert follow_aliases({"甲": "乙", "乙": "丙", "丁": "丁"}) == {"甲": "丙", "乙": "丙", "丁": "丁"}
    with pytest.raises(KgError, match="alias cycle 甲 -> 乙 -> 甲"):
        follow_aliases({"甲": "乙", "乙": "甲"})
    arts = [_art("a#0", "x")]
    ms = [_m("a#0", "甲", "person")]
    resolve(arts, ms, aliases={"甲": "乙", "乙": "丙"})
    assert ms[0].entity == "丙"


# -- names hold no control or invisible characters (issue 11, item 8) -------------
def test_names_lose_control_and_invisible_characters():
    assert clean_name("李\x01明\x0b\u200b\u202e\ufeff") == "李明"
    assert clean_name("青禾科技 有限公司") == "青禾科技 有限公司"  # a space is no control
    arts = [_art("a#0", "x")]
    ms = [_m("a#0", "李\x01明", "person"), _m("a#0", "李明", "person"),
          _m("a#0", "王\u200b强", "person"), _m("a#0", "\x07", "person")]
    entities, _ = resolve(arts, ms)
    assert [m.entity for m in ms] == ["李明", "李明", "王强", "\\x07"]  # never ""
    assert ms[0].text == "李\x01明"  # the mention keeps what the text says
    by = {e.name: e for e in entities}
    assert set(by) == {"李明", "王强", "\\x07"}
    assert by["李明"].aliases == [] and by["李明"].mentions == 2
    assert all(n.isprintable() for e in entities for n in [e.name, *e.aliases])


def test_alias_file_names_are_cleaned_and_match_printed_text(tmp_path):
    p = _aliases(tmp_path, "李\x01市长,李\u200b明\n")
    assert read_aliases(p) == {"李市长": "李明"}
    ms = [_m("a#0", "李\x02市长", "official")]
    resolve([_art("a#0", "x")], ms, aliases=read_aliases(p))
    assert ms[0].entity == "李明"


def test_reporter_names_are_cleaned() -> None:
    from kg.model import Article
    from kg.resolve import add_reporters

    a = Article(id="p#0", file="p.txt", title="t", text="x", reporters=["林\x1b晓", "\x01"])
    assert [e.name for e in add_reporters([a], [])] == ["林晓"]

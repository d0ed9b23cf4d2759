from kg.model import Article, Mention, Sentence
from kg.resolve import infer_home_city, is_short_form, read_aliases, resolve


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

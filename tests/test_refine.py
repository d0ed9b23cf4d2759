"""Refiner rules on sentences written for the test (not from the sample)."""


from refine_helpers import by_text as _by_text
from refine_helpers import refine_with as _refine

from kg.refine.projects import _is_generic


def test_title_before_name_makes_official(lac):
    f = _by_text(_refine(lac, "副县长王建华出席会议。"))
    assert f["王建华"].type == "official"
    assert f["王建华"].titles == ["副县长"]


def test_compound_titles_are_kept_each(lac):
    f = _by_text(_refine(lac, "县委常委、组织部长刘志强主持会议。"))
    assert f["刘志强"].type == "official"
    assert f["刘志强"].titles == ["县委常委", "组织部长"]


def test_enumeration_shares_collective_marker(lac):
    found = _refine(lac, "市领导张明华、李国庆、王建军出席活动。")
    officials = [x.text for x in found if x.type == "official"]
    assert officials == ["张明华", "李国庆", "王建军"]


def test_business_title_is_person_not_official(lac):
    f = _by_text(_refine(lac, "公司董事长陈志明介绍了情况。"))
    assert f["陈志明"].type == "person"
    assert f["陈志明"].titles == ["董事长"]


def test_company_vs_organization_by_suffix(lac):
    f = _by_text(_refine(lac, "杭州星河电子科技有限公司与县教育局签订协议。"))
    assert f["杭州星河电子科技有限公司"].type == "company"
    assert f["县教育局"].type == "organization"


def test_named_project_found_generic_not():
    assert _is_generic("数字经济项目")
    assert _is_generic("新项目")
    assert _is_generic("民生项目")
    assert not _is_generic("晨光半导体显示项目")


def test_quoted_project(lac):
    f = _by_text(_refine(lac, "总投资20亿元的“晨光半导体显示项目”正式签约。"))
    assert f["晨光半导体显示项目"].type == "project"


def test_pronoun_like_places_dropped(lac):
    found = _refine(lac, "我市召开全市大会。")
    assert all(x.text not in ("我市", "全市") for x in found)


def test_unit_inside_unit_is_two_places(lac):
    f = _by_text(_refine(lac, "他在杭州市西湖区工作。"))
    assert f["杭州市"].type == "place" and f["西湖区"].type == "place"


def test_body_inside_a_title_is_not_a_mention(lac):
    found = _refine(lac, "省教育厅副厅长李明华出席。")
    assert [x.text for x in found] == ["李明华"]
    assert found[0].titles == ["省教育厅副厅长"]


def test_company_before_a_business_title_stays_and_title_keeps_the_job(lac):
    f = _by_text(_refine(lac, "杭州星河电子科技有限公司董事长陈志明介绍。"))
    assert f["杭州星河电子科技有限公司"].type == "company"
    assert f["陈志明"].titles == ["董事长"] and f["陈志明"].type == "person"


def test_road_section_project(lac):
    f = _by_text(_refine(lac, "他详细了解杭州至宁波公路余姚段改建进展。"))
    assert f["杭州至宁波公路余姚段改建"].type == "project"


def test_names_in_works_and_slogans_are_dropped(lac):
    found = _refine(lac, "他发布了《中国县域经济报告》，提出“名师带徒·匠心传承”。")
    assert all(x.text not in ("中国", "带徒") for x in found)


def test_slogans_built_on_a_place_are_not_places(lac):
    for text in ("全面推进平安杭州建设。", "聚焦平安杭州建设。", "解析当前平安杭州建设工作。"):
        assert all(x.type != "place" for x in _refine(lac, text)), text


# -- reproduced misfires (negative tests, tagger included) ------------------------
def test_joiner_word_inside_a_name_keeps_the_name(lac):
    assert [x.text for x in _refine(lac, "他在联合国发言。")] == ["联合国"]
    assert [x.text for x in _refine(lac, "瑞士联合银行发布报告。")] == ["瑞士联合银行"]


def test_province_names_and_brands_are_not_region_abbreviations(lac):
    names = {x.text for x in _refine(lac, "辽宁、苏宁和京东。")}
    assert {"辽宁", "苏宁"} <= names


def test_firm_word_used_as_a_verb_stays_out_of_the_name(lac):
    names = {x.text for x in _refine(lac, "华信投资50亿元建设新基地。")}
    assert "华信投资" not in names


def test_whole_quoted_names_are_kept(lac):
    names = {x.text for x in _refine(lac, "游客参观“紫禁城”，考入“北大”，加入“网易”。")}
    assert {"紫禁城", "北大", "网易"} <= names


def test_kinds_of_villages_and_generic_firms_are_no_entities(lac):
    assert _refine(lac, "把落后村变成富裕村、文明村。") == []
    assert _refine(lac, "不断提升企业核心竞争力。") == []
    assert _refine(lac, "奋力开新局，新春暖人心。") == []
    assert [x.text for x in _refine(lac, "文/张晓明")] == ["张晓明"]


def test_two_companies_inside_one_title_both_cut_it(lac):
    # Both 蓝湾电子 and 中国集团 sit inside the printed title: the second cut
    # must find the span the first one shortened (it raised ValueError).
    f = _by_text(_refine(lac, "据赞助本届联赛的蓝湾电子中国集团品牌管理总监许晓玲介绍，本届比赛仍将继续。"))
    assert f["许晓玲"].titles == ["品牌管理总监"]
    assert f["蓝湾电子"].type == "company"


def test_one_company_inside_a_title_leaves_the_job(lac):
    f = _by_text(_refine(lac, "据赞助本次活动的星河电子中国集团品牌管理总监李晓明介绍，活动将持续一周。"))
    assert f["李晓明"].titles == ["品牌管理总监"] and f["李晓明"].type == "person"

"""Titles across China: each rule with a positive and a negative case, on
sentences written for the test (made-up names and places)."""

import pytest
from refine_helpers import by_text as _by_text
from refine_helpers import refine_with as _refine

from kg.refine.lexicon import load_lexicon

# 1. Titles of other regions and forms -------------------------------------


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ("旗委常委、副旗长王建华出席会议。", ["旗委常委", "副旗长"]),
        ("盟行署副盟长王建华出席会议。", ["盟行署副盟长"]),
        ("自治州州长王建华出席会议。", ["自治州州长"]),
        ("区长提名人选王建华出席会议。", ["区长提名人选"]),
        ("指挥部总指挥王建华出席会议。", ["指挥部总指挥"]),
        ("市政府党组成员王建华出席会议。", ["市政府党组成员"]),
        ("一级巡视员王建华出席会议。", ["一级巡视员"]),
        ("村党总支书记王建华出席会议。", ["村党总支书记"]),
        ("网格长王建华出席会议。", ["网格长"]),
    ],
)
def test_regional_and_rank_titles_make_officials(lac, text, titles):
    f = _by_text(_refine(lac, text))
    assert f["王建华"].type == "official", text
    assert f["王建华"].titles == titles, text


def test_banner_head_word_read_as_a_name_is_a_title(lac):
    f = _by_text(_refine(lac, "苏木达王建华主持会议。"))
    assert "苏木达" not in f
    assert f["王建华"].type == "official" and f["王建华"].titles == ["苏木达"]


def test_private_posts_stay_persons(lac):
    for text in ("青山大学教授王建华出席会议。", "星河科技公司董事长王建华出席会议。"):
        f = _by_text(_refine(lac, text))
        assert f["王建华"].type == "person", text
        assert f["王建华"].titles, text


def test_nominee_suffix_needs_a_post():
    lex = load_lexicon()
    assert lex.is_official_title("县长候选人")
    assert not lex.post_re.search("人选")


def test_state_firm_leaders_are_officials_their_departments_not():
    lex = load_lexicon()
    assert lex.is_official_title("青山城投集团董事长")
    assert lex.is_official_title("中国银行青山分行行长")
    assert not lex.is_official_title("青山城投集团投资开发部副主任")
    assert not lex.is_official_title("星河科技公司总经理")


# 2. Group titles ----------------------------------------------------------


def test_members_after_a_group_title_get_it_as_printed(lac):
    f = _by_text(_refine(lac, "旗领导王建华、李国庆、赵明远参加活动。"))
    for name in ("王建华", "李国庆", "赵明远"):
        assert f[name].type == "official" and f[name].titles == ["旗领导"], name


def test_members_before_a_two_level_group_title_get_it(lac):
    f = _by_text(_refine(lac, "王建华、李国庆等市、县领导参加活动。"))
    for name in ("王建华", "李国庆"):
        assert f[name].type == "official" and f[name].titles == ["市、县领导"], name


def test_group_title_after_a_list_with_own_titles(lac):
    f = _by_text(_refine(lac, "市委副书记，市长王建华，市人大常委会主任李国庆等市领导出席。"))
    assert f["王建华"].titles == ["市委副书记", "市长", "市领导"]
    assert f["李国庆"].titles == ["市人大常委会主任", "市领导"]


def test_pronoun_is_not_part_of_a_group_title(lac):
    f = _by_text(_refine(lac, "我县领导王建华出席活动。"))
    assert f["王建华"].titles == ["县领导"]


def test_group_title_does_not_reach_across_a_clause(lac):
    f = _by_text(_refine(lac, "王建华主持会议，李国庆等市领导出席。"))
    assert f["李国庆"].titles == ["市领导"]
    assert "市领导" not in f["王建华"].titles


def test_leaders_without_a_level_make_officials_without_a_title(lac):
    f = _by_text(_refine(lac, "王建华、李国庆等有关领导出席。"))
    assert f["王建华"].type == "official" and f["王建华"].titles == []


# 3. Whole titles, split on 、, on a comma between pieces, and on 兼 -------------


def test_employer_kept_inside_the_title(lac):
    f = _by_text(_refine(lac, "青山市委书记王建华出席会议。"))
    assert f["王建华"].titles == ["青山市委书记"]


def test_titles_split_on_jian(lac):
    f = _by_text(_refine(lac, "副市长兼公安局长王建华出席会议。"))
    assert f["王建华"].titles == ["副市长", "公安局长"]


def test_word_with_jian_is_not_split_into_a_title(lac):
    f = _by_text(_refine(lac, "他身兼数职，副市长王建华出席会议。"))
    assert f["王建华"].titles == ["副市长"]


def test_titles_split_on_a_comma_between_pieces(lac):
    f = _by_text(_refine(lac, "会上，县委副书记，县长王建华作报告。"))
    assert f["王建华"].titles == ["县委副书记", "县长"]


def test_comma_after_a_name_ends_the_title(lac):
    f = _by_text(_refine(lac, "县长李国庆，副县长王建华出席会议。"))
    assert f["王建华"].titles == ["副县长"]
    assert f["李国庆"].titles == ["县长"]


# 4. Names after titles ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["副市长向大家介绍了情况。", "书记在会上说，要抓好落实。", "主任于会上表示，要抓好落实。"],
)
def test_no_official_made_of_function_words(lac, text):
    assert not [f for f in _refine(lac, text) if f.type in ("official", "person")], text


def test_missed_name_after_a_title_is_found(lac):
    f = _by_text(_refine(lac, "秘书长连晓明表示，要抓好落实。"))
    assert f["连晓明"].type == "official"


def test_missed_name_after_a_group_title_is_found(lac):
    f = _by_text(_refine(lac, "市领导连茂华、王力强参加。"))
    assert f["连茂华"].type == "official" and f["连茂华"].titles == ["市领导"]


def test_group_title_before_a_verb_makes_no_name(lac):
    found = _refine(lac, "市领导高度重视，要求抓好落实。")
    assert not [f for f in found if f.type in ("official", "person")]


# Reading titles more widely -------------------------------------------------


def test_acting_post_keeps_its_prefix(lac):
    f = _by_text(_refine(lac, "县委副书记、代县长王建华主持会议。"))
    assert f["王建华"].titles == ["县委副书记", "代县长"]


def test_time_word_inside_a_body_name_but_not_a_date(lac):
    f = _by_text(_refine(lac, "会上，市现代服务业产业园工委书记王建华发言。"))
    assert f["王建华"].titles == ["市现代服务业产业园工委书记"]
    f = _by_text(_refine(lac, "昨天副市长王建华出席会议。"))
    assert f["王建华"].titles == ["副市长"]


def test_space_between_title_and_name(lac):
    f = _by_text(_refine(lac, "县委书记 王建华出席会议。"))
    assert f["王建华"].titles == ["县委书记"]
    f = _by_text(_refine(lac, "会议由县委书记主持。 王建华出席会议。"))
    assert f["王建华"].titles == []


def test_name_missed_inside_a_list_of_names(lac):
    f = _by_text(_refine(lac, "县领导陈国强、李正华、毛跃、王仕平出席。"))
    for name in ("陈国强", "毛跃", "王仕平"):
        assert f[name].titles == ["县领导"], name


def test_place_inside_a_list_of_names_is_no_name(lac):
    found = _refine(lac, "王建华、黄山、李国庆等到访。")
    assert all(not (f.text == "黄山" and f.type in ("person", "official")) for f in found)


def test_posts_abroad_and_in_associations_are_no_office():
    lex = load_lexicon()
    assert not lex.is_official_title("英国皇家学会副主席")
    assert not lex.is_official_title("青山市摄影家协会副主席")
    assert lex.is_official_title("青山市政协副主席")
    assert lex.is_official_title("青山市摄影家协会党委书记")

"""Layouts of other papers: bylines, datelines, subheads, web copies.

Every text here is made up (青山市, 云湖镇, invented names); each rule has a
case where it must fire and one where it must not.
"""

import pytest

from kg.model import Document
from kg.pages import (
    articles_from_document,
    byline_names,
    cut_lead,
    is_byline,
    is_furniture,
    split_page,
    strip_credits,
)

BODY = "青山市云湖镇召开项目推进会，副镇长周云出席会议并讲话。"
BODY2 = "会议要求各村抓好落实，确保项目按期开工。"


def one(text: str):
    arts = split_page(text)
    assert len(arts) == 1, arts
    return arts[0]


# --- bylines -------------------------------------------------------------


@pytest.mark.parametrize(
    "line,names",
    [
        ("记者 陈青 报道", ["陈青"]),
        ("记者陈青报道", ["陈青"]),
        ("记者 陈青 摄", ["陈青"]),
        ("陈青/摄", ["陈青"]),
        ("文/陈青 图/林海", ["陈青", "林海"]),
        ("作者:陈青", ["陈青"]),
        ("通讯员 林海 记者 陈青", ["林海", "陈青"]),
        ("本报记者 陈青 本报通讯员 林海", ["陈青", "林海"]),
        ("青山日报全媒体记者 陈青 见习记者 林海 吴桐", ["陈青", "林海", "吴桐"]),
        ("记者_陈青 通讯员_林海", ["陈青", "林海"]),
        ("（记者 陈青）", ["陈青"]),
        ("(陈青 林海)", ["陈青", "林海"]),
        ("记者 江 河", ["江河"]),  # a two-character name spaced out
        ("▲记者 陈青", ["陈青"]),
        ("●记者 陈青", ["陈青"]),
        ("◆通讯员 林海", ["林海"]),
    ],
)
def test_bylines_of_any_form(line, names):
    assert is_byline(line)
    assert byline_names(line) == names


@pytest.mark.parametrize(
    "line",
    [
        "记者走访",  # 走访 is not a name
        "记者会召开",  # glued to the role: must start with a surname
        "聚焦民生",
        "青山市召开会议的报道",
        "(待续)",
        "（一）",
        "市领导 张三 李四",  # no role: not a byline
        "▲开工仪式现场",
    ],
)
def test_lines_that_are_not_bylines(line):
    assert not is_byline(line)


def test_byline_at_the_end_gives_the_name_not_the_verb():
    title, reporters, paras = one(f"云湖镇项目推进会召开\n{BODY}\n{BODY2}\n记者 陈青 报道")
    assert reporters == ["陈青"]
    assert "报道" not in reporters and all("陈青" not in p for p in paras)


def test_byline_glued_to_the_headline_is_split_off():
    title, reporters, _ = one(f"云湖镇项目推进会召开 本报记者 陈青\n{BODY}")
    assert title == "云湖镇项目推进会召开" and reporters == ["陈青"]
    title, reporters, _ = one(f"云湖镇项目推进会召开■记者 陈青\n{BODY}")
    assert title == "云湖镇项目推进会召开" and reporters == ["陈青"]


def test_headline_with_a_space_is_not_cut_as_a_byline():
    title, reporters, _ = one(f"聚焦民生 记者走访\n{BODY}")
    assert title == "聚焦民生 记者走访" and reporters == []
    title, reporters, _ = one(f"市领导 王小明 出席\n{BODY}")
    assert title == "市领导 王小明 出席" and reporters == []


# --- datelines -----------------------------------------------------------


@pytest.mark.parametrize(
    "par,names",
    [
        ("本报讯（记者 陈青）" + BODY, ["陈青"]),
        ("本报讯(记者 陈青 通讯员 林海)" + BODY, ["陈青", "林海"]),
        ("本报讯 (通讯员 林海 记者 陈青) " + BODY, ["林海", "陈青"]),
        ("青山网12月7日讯(本网记者 陈青)" + BODY, ["陈青"]),
        ("中国云湖网12月31日讯(记者 陈青 编辑 林海)" + BODY, ["陈青", "林海"]),
        ("新华社北京3月5日电（记者 陈青、林海）" + BODY, ["陈青", "林海"]),
        ("青山新闻网云湖3月13日电(陈青 林海)" + BODY, ["陈青", "林海"]),
        ("本报青山7月3日讯(青山日报全媒体记者陈青)" + BODY, ["陈青"]),
        ("青山网讯 记者陈青报道:" + BODY, ["陈青"]),
        ("本报讯 记者 陈青 通讯员 林海 " + BODY, ["陈青", "林海"]),
        ("□记者陈青晚报讯 " + BODY, ["陈青"]),
        ("(通讯员 陈青 林海)" + BODY, ["陈青", "林海"]),
        ("青山融媒 据青山日报报道(记者 陈青 实习生 林海)" + BODY, ["陈青", "林海"]),
    ],
)
def test_dateline_and_credit_are_cut_off(par, names):
    rest, got = cut_lead(par)
    assert got == names
    assert rest == BODY


@pytest.mark.parametrize(
    "par",
    [
        "青山报业网讯 " + BODY,
        "晨报讯 8月14日，" + BODY,
        "青山台消息 " + BODY,
        "本报讯" + BODY,
    ],
)
def test_dateline_without_credit_is_cut_off(par):
    rest, got = cut_lead(par)
    assert got == [] and rest.endswith(BODY) and "讯" not in rest[:3] and "消息" not in rest


@pytest.mark.parametrize(
    "par",
    [
        "青山电网公司消息称，" + BODY,  # a sentence, not a dateline
        "本报记者近日从青山市获悉消息，" + BODY,
        "（以下简称青山港片区）" + BODY,
        "(青山市委书记 王小明)" + BODY,  # no role, no dateline
        "记者 陈青 昨天上午来到云湖镇。",  # no dateline, no closing 报道/：
        BODY,
    ],
)
def test_text_that_is_not_a_dateline_is_kept(par):
    assert cut_lead(par) == (par, [])


def test_credit_before_the_dateline_keeps_the_date_in_the_text():
    assert cut_lead("□记者陈青晚报讯2日下午，" + BODY) == ("2日下午，" + BODY, ["陈青"])


def test_bare_credit_after_dateline_stops_at_the_first_non_name():
    rest, got = cut_lead("本报讯 记者 陈青 昨天上午，" + BODY)
    assert got == ["陈青"] and rest == "昨天上午，" + BODY


def test_dateline_names_are_not_in_the_article_text():
    (art,) = articles_from_document(
        Document("p.txt", f"云湖镇项目推进会召开\n本报讯（记者 陈青 通讯员 林海）{BODY}\n{BODY2}")
    )
    assert art.reporters == ["陈青", "林海"]
    assert "陈青" not in art.text and "本报讯" not in art.text
    assert art.text == f"云湖镇项目推进会召开\n{BODY}\n{BODY2}"
    for s in art.sentences:
        assert art.text[s.start : s.end] == s.text


# --- captions and trailing credits --------------------------------------


@pytest.mark.parametrize(
    "par,text,names",
    [
        ("云湖镇举行开工仪式（记者 陈青 摄）。", "云湖镇举行开工仪式。", ["陈青"]),
        ("云湖镇举行开工仪式。陈青/摄", "云湖镇举行开工仪式。", ["陈青"]),
        ("▲开工仪式现场 陈青摄", "▲开工仪式现场", ["陈青"]),
        (BODY + "（记者 陈青）", BODY, ["陈青"]),
        (BODY + "(文/陈青 林海)", BODY, ["陈青", "林海"]),
        (BODY + "(陈青 林海)", BODY, ["陈青", "林海"]),
    ],
)
def test_photo_and_end_credits_are_cut_out(par, text, names):
    assert strip_credits(par) == (text, names)


@pytest.mark.parametrize(
    "par",
    [
        "云湖镇举办摄影展，市民踊跃参观。",
        "青山港片区（以下简称片区）今年签约项目12个。",
        "副镇长（兼）周云出席。",
        "项目由周云（青山市云湖镇人）投资建设。",  # names in brackets mid-sentence stay
        BODY + "（待续）",
    ],
)
def test_text_that_is_not_a_credit_is_kept(par):
    assert strip_credits(par) == (par, [])


# --- furniture -----------------------------------------------------------


def test_banner_ending_in_fabu_is_dropped_but_a_headline_survives():
    page = f"青山发布\n\n青山客户端\n\n云湖镇项目推进会召开\n\n记者 陈青\n\n{BODY}"
    title, _, paras = one(page)
    assert title == "云湖镇项目推进会召开"
    title, reporters, _ = one(f"一季度经济数据发布\n记者 陈青\n{BODY}")
    assert title == "一季度经济数据发布" and reporters == ["陈青"]
    title, _, _ = one(f"青山市统计数据发布\n{BODY}")
    assert title == "青山市统计数据发布"


def test_column_bar_headline_survives_a_bar_banner_does_not():
    title, _, paras = one(f"项目攻坚|云湖镇：签约项目12个总投资30亿元\n青山网讯 {BODY}")
    assert title.startswith("项目攻坚|云湖镇") and paras == [BODY]
    page = f"经济观察 | 奋进青山\n\n云湖镇项目推进会召开\n\n记者 陈青\n\n{BODY}"
    assert one(page)[0] == "云湖镇项目推进会召开"


def test_weather_box_is_dropped_a_heat_story_is_not():
    assert is_furniture("今天多云，明天晴到多云，偏南风3到4级。今天白天最高气温35℃，明天早晨最低气温27℃。")
    assert is_furniture("明天阴有小雨 东北风3级 气温8℃到12℃")
    heat = "今天，青山市最高气温达39℃，全市启动高温应急响应，户外作业时间调整。"
    assert not is_furniture(heat)
    long_heat = (
        "今天，青山市迎来入夏以来最热的一天，午后最高气温达到39℃。记者在云湖镇工地看到，"
        "施工单位调整了作业时间，避开午间高温，并为工人准备了防暑降温物品。"
    )
    assert not is_furniture(long_heat)
    _, _, paras = one(f"青山迎来高温天气\n记者 陈青\n{long_heat}\n{BODY2}")
    assert paras == [long_heat, BODY2]


# --- subheads and web copies --------------------------------------------


def test_subheads_stay_inside_the_article():
    text = (
        f"云湖镇召开项目推进会\n记者 陈青\n本报讯 {BODY}\n"
        f"一、抓好项目建设\n{BODY2}\n聚焦民生\n今年云湖镇还将新建两所学校。"
    )
    title, reporters, paras = one(text)
    assert title == "云湖镇召开项目推进会" and reporters == ["陈青"]
    assert paras == [BODY, "一、抓好项目建设", BODY2, "聚焦民生", "今年云湖镇还将新建两所学校。"]


def test_a_headline_with_a_byline_after_text_still_starts_an_article():
    text = (
        f"云湖镇召开项目推进会\n记者 陈青\n本报讯 {BODY}\n"
        f"青山市举办邻里节\n记者 林海\n本报讯 近日，青山市新桥社区举办邻里节。"
    )
    arts = split_page(text)
    assert [a[0] for a in arts] == ["云湖镇召开项目推进会", "青山市举办邻里节"]
    assert [a[1] for a in arts] == [["陈青"], ["林海"]]


def test_a_headline_with_a_dateline_paragraph_starts_an_article():
    text = f"云湖镇召开项目推进会\n记者 陈青\n{BODY}\n青山市举办邻里节\n青山网讯 近日，新桥社区举办邻里节。"
    arts = split_page(text)
    assert [a[0] for a in arts] == ["云湖镇召开项目推进会", "青山市举办邻里节"]
    assert arts[1][2] == ["近日，新桥社区举办邻里节。"]


def test_web_copy_is_one_article_with_its_headline():
    text = (
        "云湖镇：项目开工，总投资3亿元\n"
        "记者 陈青 通讯员 林海\n"
        f"{BODY}\n"
        "三个项目同步推进\n"
        f"{BODY2}\n"
        "▲开工仪式现场 吴桐摄\n"
        "据了解，项目建成后可带动就业500人。"
    )
    title, reporters, paras = one(text)
    assert title == "云湖镇：项目开工，总投资3亿元"
    assert reporters == ["陈青", "林海", "吴桐"]
    assert paras == [BODY, "三个项目同步推进", BODY2, "开工仪式现场", "据了解，项目建成后可带动就业500人。"]


def test_web_copy_headline_with_commas_is_not_joined_to_the_body():
    title, _, paras = one(f"云湖镇项目开工，总投资3亿元\n8月5日上午，{BODY}")
    assert title == "云湖镇项目开工，总投资3亿元" and paras == [f"8月5日上午，{BODY}"]


def test_web_copy_without_headline_keeps_its_first_paragraph_as_text():
    title, _, paras = one(f"{BODY}\n{BODY2}")
    assert title == "" and paras == [BODY, BODY2]


def test_photo_credit_at_the_end_of_a_web_copy_does_not_split_it():
    text = f"云湖镇项目开工\n{BODY}\n一期工程年底完工\n{BODY2}\n摄影 陈青"
    title, reporters, paras = one(text)
    assert reporters == ["陈青"] and paras == [BODY, "一期工程年底完工", BODY2]


def test_photo_news_on_a_page_is_its_own_item():
    page = (
        f"云湖镇召开项目推进会\n记者 陈青\n本报讯 {BODY}\n"
        "荷花盛开\n昨天，云湖镇荷花塘的荷花竞相开放，吸引市民前来观赏。\n摄影 林海\n"
        "青山市举办邻里节\n记者 吴桐\n本报讯 近日，新桥社区举办邻里节。"
    )
    arts = split_page(page)
    assert [a[0] for a in arts] == ["云湖镇召开项目推进会", "荷花盛开", "青山市举办邻里节"]
    assert arts[1][1] == ["林海"]


def test_no_marker_needed_and_other_markers_accepted():
    for mark in ("", "▲", "●", "◆", "□", "■"):
        page = (
            f"云湖镇召开项目推进会\n{mark}记者 陈青\n本报讯 {BODY}\n"
            f"青山市举办邻里节\n{mark}记者 林海\n本报讯 近日，新桥社区举办邻里节。"
        )
        arts = split_page(page)
        assert [a[1] for a in arts] == [["陈青"], ["林海"]], mark
        assert all(mark not in p for a in arts for p in a[2] if mark)


def test_newsroom_before_the_role_and_source_credits_at_the_end():
    assert strip_credits(BODY + "(青山社 记者陈青)") == (BODY, ["陈青"])
    assert strip_credits(BODY + "（青山网、云湖镇联合报道）") == (BODY, [])
    assert strip_credits(BODY + "(来源：青山日报)") == (BODY, [])
    kept = "云湖镇介绍了（青山网联合报道）的做法"  # not after a sentence end
    assert strip_credits(kept) == (kept, [])


def test_a_caption_with_its_credit_is_not_joined_to_the_next_paragraph():
    text = f"云湖镇项目开工\n{BODY}\n开工现场。青山网记者 陈青摄\n{BODY2}"
    _, reporters, paras = one(text)
    assert reporters == ["陈青"] and paras == [BODY, "开工现场。", BODY2]


def test_a_marked_caption_is_not_the_tail_of_an_unfinished_line():
    text = f"云湖镇项目开工\n{BODY}\n周云（中）宣布项目开工\n△开工仪式现场\n{BODY2}"
    _, _, paras = one(text)
    assert "开工仪式现场" in paras


def test_an_unfinished_line_still_takes_its_tail():
    page = f"云湖镇项目开工\n\n记者 陈青\n\n本报讯 会议要求抓好项目上月签\n\n约工作。\n\n{BODY2}"
    _, _, paras = one(page)
    assert paras[0] == "会议要求抓好项目上月签约工作。"


def test_a_caption_under_the_headline_is_not_part_of_the_title():
    text = f"云湖镇项目开工\n▲开工仪式现场 陈青摄\n{BODY}"
    title, reporters, paras = one(text)
    assert title == "云湖镇项目开工" and reporters == ["陈青"]
    assert paras == ["开工仪式现场", BODY]
    title, _, _ = one(f"云湖镇项目开工\n三个项目总投资3亿元\n{BODY}")  # a subtitle is
    assert title == "云湖镇项目开工 三个项目总投资3亿元"


def test_a_record_with_a_title_gets_the_same_credit_cleaning():
    doc = Document("x.jsonl", f"本报讯（记者 陈青）{BODY}\n{BODY2}\n（记者 林海）", record=1,
                   title="云湖镇项目推进会召开")
    (art,) = articles_from_document(doc)
    assert art.reporters == ["陈青", "林海"]
    assert art.text == f"云湖镇项目推进会召开\n{BODY}\n{BODY2}"
    plain = Document("y.jsonl", f"{BODY}\n{BODY2}", record=1, title="云湖镇项目推进会召开")
    (art,) = articles_from_document(plain)
    assert art.reporters == [] and art.text == f"云湖镇项目推进会召开\n{BODY}\n{BODY2}"

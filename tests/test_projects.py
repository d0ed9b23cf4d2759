"""Project rules (kg/refine/projects.py): a sentence where each fires, one
where it must not.

Sentences and names are made up for these tests (青山市, 云湖镇, 星河科技 …);
tokens are written by hand (``word/TAG``, LAC's tag set) so the rules are
tested without the tagger.
"""

from __future__ import annotations

import pytest
from refine_helpers import toks

from kg.refine.lexicon import load_lexicon
from kg.refine.projects import PROJECT_RULES, find_projects
from kg.refine.rules import SentenceContext

LEX = load_lexicon()



def by_rule(name: str, spec: str) -> list[str]:
    text, tokens = toks(spec)
    fn = next(r for r in PROJECT_RULES if r.name == name).fn
    return [f.text for f in fn(SentenceContext(text, tokens, LEX), [])]


def projects(spec: str) -> list[str]:
    text, tokens = toks(spec)
    return [f.text for f in find_projects(text, tokens, LEX)]


def test_every_project_rule_is_registered_and_documented():
    names = [r.name for r in PROJECT_RULES]
    assert names == ["road_section_project", "from_to_project", "linked_ends_project",
                     "quoted_project", "suffix_project", "listed_project"]
    assert all(r.doc for r in PROJECT_RULES)


# -- suffix_project: what is named --------------------------------------------
@pytest.mark.parametrize("spec,expected", [
    # A proper noun in the name.
    ("推进/v 星河/nz 半导体/n 项目/n 建设/vn", ["星河半导体项目"]),
    # Latin letters or digits inside the name.
    ("云湖镇/LOC 星港/nz LNG/nz 项目/n 开工/v", ["云湖镇星港LNG项目"]),
    ("加快/v 5G/nz 基站/n 建设/vn 项目/n 进度/n", ["5G基站建设项目"]),
    # A capacity: the full printed name, 年产 included.
    ("签约/v 年产/v 10万吨/m 环保/n 纤维/n 项目/n", ["年产10万吨环保纤维项目"]),
    # Works named by what is done.
    ("云湖/LOC 老街/n 改造/vn 项目/n 完工/v", ["云湖老街改造项目"]),
    ("实施/v 污水/n 处理厂/n 提标/v 改造/vn 工程/n", ["污水处理厂提标改造工程"]),
    ("星河科技/ORG 动力/n 总成/n 项目/n 投产/v", ["星河科技动力总成项目"]),
    # A verb-tagged word inside the name stays (光伏发电).
    ("青山/LOC 渔光/n 互补/v 光伏/n 发电/v 项目/n", ["青山渔光互补光伏发电项目"]),
    # Brackets and quotes inside, or before 项目.
    ("京华/ORG (/w 云湖/LOC )/w 冷链/n 配送/vn 中心/n 项目/n 签约/v", ["京华(云湖)冷链配送中心项目"]),
    ("启动/v “/w 青山/LOC 之/u 窗/n ”/w 项目/n", ["“青山之窗”项目"]),
    ("星河/nz 园/n (/w 二期/m )/w 项目/n", ["星河园(二期)项目"]),
    # The owner firm before its project is the owner (kg/refine/projects.py _OWNER_APART).
    ("青山星河科技有限公司/ORG 年产/v 5万套/m 配件/n 项目/n", ["年产5万套配件项目"]),
])
def test_suffix_project_finds_named_projects(spec, expected):
    assert by_rule("suffix_project", spec) == expected


@pytest.mark.parametrize("spec", [
    "推进/v 重点/n 项目/n 建设/vn",
    "这些/r 项目/n 都/d 已/d 开工/v",
    "共/d 签约/v 项目/n 12个/m",
    "引进/v 一批/m 优质/a 项目/n",
    "聚焦/v 产业/n 项目/n",
    "办好/v 民生/n 实事/n 项目/n",
    "做好/v 招商引资/vn 项目/n 服务/vn",
    "签约/v 一个/m 亿元/m 蔬菜/n 加工/vn 项目/n",      # an indefinite one
    "列入/v 青山/LOC 双百/m 类/n 项目/n",               # a class of projects
    "纳入/v “/w 共富/v ”/w 项目/n",                    # a quoted label after 纳入
    "实施/v “/w 一号/m 改革/vn ”/w 工程/n",              # a quoted campaign
    "监管/vn 单位/n 严把/v 工程/n 质量关/n",              # 工程 modifies a noun
    "涉及/v 交通/n 运输/vn 及/c 电力/n 工程/n 等/u 领域/n",  # fields, not works
    "推进/v 新材料/n 生产/vn 项目/n",                   # too short to be a name
    "其中/f 星河/ORG 回归/v 项目/n 7个/m",               # a class, counted
    "星河控股集团/ORG 项目/n 开工/v",                   # a firm's project, unnamed
    "签约/v 一个亿元/m 蔬菜/n 冷冻/vn 加工/vn 项目/n",     # indefinite, glued to 亿元
    "滨海新区/LOC 调研/vn 重点/n 产业/n 项目/n",         # a clause verb tagged vn
    "推进/v 青山县/LOC 文化/n 产业园/n 项目/n",           # a division and generic words
    "云湖经开/LOC 项目/n 推进/v",                       # a zone and 项目
    "云湖经/LOC 开/v 项目/n 推进科/n",                  # a one-character verb before 项目
])
def test_suffix_project_leaves_generic_phrases_out(spec):
    assert by_rule("suffix_project", spec) == []


def test_suffix_project_stops_at_a_clause_verb_and_at_the_previous_item():
    assert by_rule("suffix_project", "青山市/LOC 推进/v 星河/nz 半导体/n 项目/n") == ["星河半导体项目"]
    spec = "星河/nz 电池/n 项目/n 、/w 云湖/LOC 铝材/n 加工/vn 项目/n 和/c 青山/LOC 冷链/n 物流/n 项目/n"
    assert by_rule("suffix_project", spec) == ["星河电池项目", "云湖铝材加工项目", "青山冷链物流项目"]


def test_suffix_project_landmarks_and_institutions_name_their_works():
    # A landmark or a brand the tagger calls a place, before generic words.
    assert by_rule("suffix_project", "青山县/LOC 云峰山/LOC 文化/n 产业园/n 项目/n") == [
        "青山县云峰山文化产业园项目"]
    # An institution's own building works.
    assert by_rule("suffix_project", "视察/v 青山县第二人民医院/ORG 建设/vn 项目/n") == [
        "青山县第二人民医院建设项目"]


def test_suffix_project_goes_on_over_a_quote_and_a_joiner():
    spec = "青山县/LOC 城区/n “/w 畅通/a ”/w 和/c 园区/n 基础设施/n 提升/vn 一期/m 项目/n"
    assert by_rule("suffix_project", spec) == ["青山县城区“畅通”和园区基础设施提升一期项目"]


def test_suffix_project_lists_of_places_are_not_fields():
    # 等处 (places visited) still lists projects; 等领域 lists fields.
    assert by_rule("suffix_project", "铝合金/n 专用/vn 车厢/n 项目/n 等/u 处/n") == ["铝合金专用车厢项目"]


def test_suffix_project_leaves_an_aside_in_brackets_out():
    spec = "云湖/LOC 片区/n (/w 以下/f 简称/v 片区/n )/w 星河/nz 光电/n 产业园/n 项目/n"
    assert by_rule("suffix_project", spec) == ["星河光电产业园项目"]


# -- listed_project ---------------------------------------------------------------
def test_listed_project_takes_each_item_of_a_list():
    spec = ("察看/v 了/u 青山/LOC 片区/n 配套/vn 设施/n 、/w 云湖/LOC 雪场/n 西/f 扩/v 、/w "
            "星河/nz 物流园/n 等/u 项目/n")
    assert by_rule("listed_project", spec) == ["星河物流园", "云湖雪场西扩", "青山片区配套设施"]
    spec2 = "签约/v 了/u 高性能/n 纤维/n 二期/m 、/w 10GW/m 硅棒/n 一期/m 等/u 5个/m 产业链/n 项目/n"
    assert by_rule("listed_project", spec2) == ["10GW硅棒一期", "高性能纤维二期"]


def test_listed_project_needs_a_project_list_and_named_items():
    # 等项目单位: 项目 modifies the next noun.
    assert by_rule("listed_project", "星河/nz 公司/n 等/u 项目/n 单位/n 负责人/n") == []
    # Items without a name (a proper noun or a mark).
    assert by_rule("listed_project", "道路/n 、/w 桥梁/n 等/u 项目/n") == []
    # A list of fields (等领域) is not a list of projects.
    assert by_rule("listed_project", "云湖/LOC 物流/n 、/w 星河/nz 旅游/vn 等/u 领域/n") == []


# -- linked_ends_project ---------------------------------------------------------
@pytest.mark.parametrize("spec,expected", [
    ("推进/v 青岙/LOC -/w 云湖/LOC 隧道/n 建设/vn", ["青岙-云湖隧道"]),
    ("青山/LOC —/w 云湖/LOC 高速公路/n 改扩建/vn 工程/n 开工/v", ["青山—云湖高速公路改扩建工程"]),
])
def test_linked_ends_project(spec, expected):
    assert by_rule("linked_ends_project", spec) == expected


def test_linked_ends_project_needs_a_road_word():
    assert by_rule("linked_ends_project", "青山/LOC -/w 云湖/LOC 合作/vn 协会/n") == []
    assert by_rule("linked_ends_project", "加快/v -/w 云湖/LOC 隧道/n") == []


# -- the older rules, through find_projects ----------------------------------------
def test_quoted_and_road_rules_still_fire():
    assert projects("“/w 星河半导体显示项目/nz ”/w") == ["星河半导体显示项目"]
    assert projects("“/w 民生项目/n ”/w") == []
    assert projects("青山/LOC 至/v 云湖公路东桥段改建/n 。/w") == ["青山至云湖公路东桥段改建"]
    assert projects("，/w 临江大道东湖段改建/n 。/w") == ["临江大道东湖段改建"]

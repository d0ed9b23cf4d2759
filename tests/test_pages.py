from pathlib import Path

import pytest

from kg.model import Document
from kg.pages import articles_from_document, byline_names, is_byline, split_page
from kg.pipeline import split_articles
from kg.read import read_documents

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

PAGE = """平湖版

JIAXING DAILY

某县召开 经济工作会议

■记者 王小明 通讯员 李四

本报讯 昨天上午,某县召开经济工作会议。副县长张三出席会议并讲话。会议指出,要抓好项目上月签

约工作,确保落地。

下转 C2版

讲文明 树新风 公益/广告

新桥社区 举办邻里节

记者 赵六

本报讯 近日,新桥社区举办邻里节。
"""


def test_split_page_furniture_bylines_and_rejoin():
    arts = split_page(PAGE)
    assert [a[0] for a in arts] == ["某县召开 经济工作会议", "新桥社区 举办邻里节"]
    assert arts[0][1] == ["王小明", "李四"]
    assert arts[1][1] == ["赵六"]
    body = "".join(arts[0][2])
    assert "上月签约工作" in body  # broken paragraph re-joined
    assert "下转" not in body and "公益" not in body and "JIAXING" not in body


def test_bylines():
    assert is_byline("■记者 居某某 通讯员 赵某")
    assert is_byline("■言某某")
    assert not is_byline("文明健康 绿色环保 公益广告")
    assert byline_names("■记者 王小明 通讯员 李四 赵五") == ["王小明", "李四", "赵五"]


def test_article_offsets_and_ids():
    arts = articles_from_document(Document("dir/page1.txt", PAGE))
    assert [a.id for a in arts] == ["page1.txt#0", "page1.txt#1"]
    for a in arts:
        for s in a.sentences:
            assert a.text[s.start : s.end] == s.text
        assert a.text.startswith(a.title)


@pytest.mark.parametrize(
    "name,count",
    [("000_a5903bcb18bfb5fd", 8), ("001_d80de26fc2e4708a", 7), ("002_7db74296a52279ee", 6),
     ("003_2f1b3ac9012a2e91", 7), ("004_52660507d51a0aa1", 7)],
)
def test_seed_article_counts(name, count):
    docs, _ = read_documents([SEEDS])
    arts = [a for a in split_articles(docs) if Path(a.file).stem == name]
    assert len(arts) == count


def test_seed_bylines_are_reporters_and_no_furniture_in_text():
    docs, _ = read_documents([SEEDS])
    arts = split_articles(docs)
    assert all(a.reporters or not a.text.startswith("本报讯") for a in arts)
    joined = "\n".join(a.text for a in arts)
    for junk in ("JIAXING DAILY", "下转", "招生热线", "公益/广告", "■"):
        assert junk not in joined
    # 上月签 / 约 re-joined across the layout break
    assert "上月签约" in joined


def test_plain_article_without_page_structure_is_kept():
    arts = split_page("县里召开会议\n\n副县长王小明出席。\n\n会议强调要抓好落实。")
    assert arts == [("县里召开会议", [], ["副县长王小明出席。", "会议强调要抓好落实。"])]
    lone = split_page("副县长王小明出席会议。会议强调要抓好落实。")
    assert lone and lone[0][2] == ["副县长王小明出席会议。会议强调要抓好落实。"]

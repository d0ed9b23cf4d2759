"""kg.dates and where articles get their dates (record, path, masthead, text)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.dates import date_in_path, date_in_text, parse_date
from kg.model import Document
from kg.pages import articles_from_document
from kg.read import read_file


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2021-03-05", "2021-03-05"),
        ("2021/3/5", "2021-03-05"),
        ("20210305", "2021-03-05"),
        ("2021年3月5日", "2021-03-05"),
        ("2021-03-05T08:30:00+08:00", "2021-03-05"),
        (" 2021.03.05 ", "2021-03-05"),
    ],
)
def test_parse_date_forms(value: str, iso: str) -> None:
    assert parse_date(value) == iso


@pytest.mark.parametrize("value", ["2021-02-30", "2021-13-01", "三月五日", "2021-03-05 见报", "12345678", ""])
def test_parse_date_rejects_non_dates(value: str) -> None:
    assert parse_date(value) is None


def test_date_in_path_takes_the_most_specific() -> None:
    assert date_in_path("archive/2020-06-08/page1.txt") == "2020-06-08"
    assert date_in_path("archive/2020/06/08/page1.txt") == "2020-06-08"
    assert date_in_path("paper_20200608_03.txt") == "2020-06-08"
    assert date_in_path("2019/2020-01-02.txt") == "2020-01-02"


def test_date_in_path_ignores_other_numbers() -> None:
    assert date_in_path("A/0101/page1.txt") is None
    assert date_in_path("scan_123456789.txt") is None  # a long number, not a date
    assert date_in_path("2020-13-45.txt") is None


def test_date_in_text_needs_a_year() -> None:
    assert date_in_text("本报讯 2023年11月2日上午，会议召开。") == "2023-11-02"
    assert date_in_text("本报讯 11月2日上午，会议召开。") is None
    assert date_in_text("开头很长。" * 100 + "2023年11月2日", limit=300) is None


def test_article_date_from_the_file_path() -> None:
    doc = Document("news/2022-07-01/p2.txt", "标题一行\n本报讯 市长张立平调研。")
    (art,) = articles_from_document(doc)
    assert art.date == "2022-07-01"


def test_the_record_date_wins_over_the_path_and_the_text() -> None:
    doc = Document("news/2022-07-01/p.jsonl", "2019年1月2日，市长张立平调研。", record=1,
                   title="调研", date="2023-05-06")
    (art,) = articles_from_document(doc)
    assert art.date == "2023-05-06"


def test_article_date_from_the_masthead_or_the_article() -> None:
    page = "2021年9月3日 星期五\n\n调研企业\n\n本报讯 副市长李青调研青禾科技有限公司。"
    arts = articles_from_document(Document("page.txt", page))
    assert arts and all(a.date == "2021-09-03" for a in arts)
    undated = articles_from_document(Document("page.txt", "调研企业\n\n本报讯 副市长李青调研。"))
    assert [a.date for a in undated] == [None]


def test_jsonl_date_field(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    rows = [{"text": "市长张立平调研。", "date": "2024/2/29"},
            {"text": "副市长李青调研。", "date": "昨天"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    docs, errors = read_file(path)
    assert [d.date for d in docs] == ["2024-02-29", None]
    assert len(errors) == 1 and "line 2" in str(errors[0]) and "'昨天'" in str(errors[0])

"""Issue 11: random Unicode through read -> split -> recognise -> refine ->
resolve -> graph -> outputs never crashes, and every mention is the text it
points at.

Text is drawn from pieces of invented news (so the recognisers do find
names and titles) mixed with any character at all: CJK, punctuation,
newlines, control and format characters, astral ones, and lone surrogates
on the str path (files cannot hold them).  Derandomized: CI sees the same
examples every run.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.graph import build_graph
from kg.mentions import Engines, EngineSpec, extract_mentions, tokenizer_for
from kg.model import Document
from kg.pipeline import split_articles
from kg.read import read_documents
from kg.refine.document import refine_document
from kg.resolve import add_reporters, clean_name, resolve

# Invented sentence pieces: titles, names, firms, places, bylines, dates.
PIECES = (
    "本报讯", "记者", "通讯员", "副市长", "市长", "书记", "李明", "王强", "陈志强", "赵强",
    "调研", "考察", "浙江青禾科技有限公司", "青禾科技", "红旗机械", "青山市", "青山",
    "市政府", "县发展和改革局", "(", ")", "（", "）", "《", "》", "“", "”", "、", "，", "。",
    "！", "？", "：", "；", "\n", "\n\n", " ", "\u3000", "\t", "2024年3月5日", "第1版",
    "——", "…", "·", "#", "0", "12", "A", "x", "市", "区", "县", "公司", "集团", "局",
)
# Any character a str can hold, surrogates apart (added on their own below).
ANY_CHAR = st.characters(exclude_categories=("Cs",))
SPECIAL = st.sampled_from(
    ["\x00", "\x01", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u200b", "\u200d", "\u202e",
     "\u2028", "\u2029", "\ufeff", "\ufffd", "\ufffe", "\U0001f600", "\U00020000", "e\u0301",
     "\r", "\r\n"])
# Whole invented sentences, so names stand in context and are recognised.
SENTENCES = (
    "本报讯 副市长李明调研浙江青禾科技有限公司。",
    "市长陈志强考察浙江红旗机械有限公司。",
    "记者 王强 通讯员 赵强\n",
    "青山市政务服务管理办(数据局)与青禾科技合作。",
    "县发展和改革局局长周海波在会上讲话。",
    "2024年3月5日，省委书记林向东来到青山调研。",
)
WORDS = st.sampled_from(PIECES)
PIECE = st.one_of(st.sampled_from(SENTENCES), WORDS, WORDS, st.text(ANY_CHAR, max_size=3),
                  SPECIAL)
TEXT = st.lists(PIECE, max_size=60).map("".join)
SURROGATE = st.sampled_from(["\ud800", "\udc00", "\udfff", "\udbff"])
TEXT_WITH_SURROGATES = st.lists(st.one_of(PIECE, SURROGATE), max_size=60).map("".join)

RUNS = settings(max_examples=80, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@pytest.fixture(scope="module")
def engines(lac: Any) -> Engines:
    return Engines(lac, tokenizer_for(lac), None)


@pytest.fixture(scope="module")
def learned_engines(lac: Any) -> Engines:
    """The default build's engines: the rules, then the shipped learned layer."""
    from kg.mentions import get_learned

    layer = get_learned("auto")
    if layer is None:
        pytest.skip("no shipped learned model")
    return Engines(lac, tokenizer_for(lac), layer)


def _pipeline(docs: list[Document], engines: Engines) -> None:
    """The build's steps in process; asserts what must hold of any input."""
    articles = split_articles(docs)
    ids = [a.id for a in articles]
    assert len(ids) == len(set(ids)), "article ids must be unique"
    for a in articles:
        for s in a.sentences:
            assert a.text[s.start:s.end] == s.text
    mentions = extract_mentions(articles, EngineSpec(ner="lac"), engines=engines,
                                scheduler="sync")
    texts = {a.id: a.text for a in articles}
    for m in mentions:
        assert texts[m.article_id][m.start:m.end] == m.text, m
        assert m.text, m
    mentions = refine_document(mentions)
    for m in mentions:
        assert texts[m.article_id][m.start:m.end] == m.text, m
    entities, _home = resolve(articles, mentions)
    entities = add_reporters(articles, entities)
    names = {e.name for e in entities}
    for m in mentions:
        assert texts[m.article_id][m.start:m.end] == m.text, m
        assert m.entity in names, m
    for e in entities:
        # A name never empty, never holding a control or format character.
        assert e.name and clean_name(e.name) == e.name, e
    build_graph(articles, mentions, entities, include_reporters=True)


@RUNS
@given(text=TEXT_WITH_SURROGATES, title=st.one_of(st.none(), TEXT_WITH_SURROGATES))
def test_any_text_runs_through_the_pipeline(engines: Engines, text: str,
                                            title: str | None) -> None:
    docs = [Document(file="青山日报/0101/page1.txt", text=text, name="青山日报/0101/page1.txt"),
            Document(file="x.jsonl", text=text, record=1, title=title, name="x.jsonl")]
    _pipeline(docs, engines)


@settings(RUNS, max_examples=40)
@given(text=TEXT_WITH_SURROGATES)
def test_any_text_with_the_learned_layer(learned_engines: Engines, text: str) -> None:
    _pipeline([Document(file="a.txt", text=text, name="a.txt")], learned_engines)


@pytest.mark.parametrize("title, text", [
    ("记者 王强 通讯员 赵强\n", "本报讯 副市长李明调研浙江青禾科技有限公司。"),
    (None, "市长陈志强考察。\r本报讯 副市长李明调研浙江青禾科技有限公司。"),
])
def test_a_name_the_engine_ends_on_a_line_break_is_only_the_name(
        engines: Engines, title: str | None, text: str) -> None:
    """Found by the property test: LAC gives 赵强\\n as one name; the mention
    was 赵强 with the offsets of 赵强\\n."""
    doc = Document(file="x.jsonl", text=text, record=1, title=title, name="x.jsonl")
    articles = split_articles([doc])
    mentions = extract_mentions(articles, EngineSpec(ner="lac"), engines=engines,
                                scheduler="sync")
    texts = {a.id: a.text for a in articles}
    assert mentions and all(texts[m.article_id][m.start:m.end] == m.text for m in mentions)
    assert not any(c.isspace() for m in mentions for c in m.text)


@RUNS
@given(texts=st.lists(TEXT, min_size=1, max_size=4))
def test_several_documents_keep_their_own_offsets(engines: Engines, texts: list[str]) -> None:
    """Furniture (lines repeated across pages) is found over all documents:
    no document's offsets may depend on another's text."""
    docs = [Document(file=f"p{i}.txt", text=t, name=f"p{i}.txt") for i, t in enumerate(texts)]
    _pipeline(docs, engines)


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".md", ".jsonl"]))
def test_any_bytes_in_a_file_never_make_reading_raise(tmp_path: Path, data: bytes,
                                                      suffix: str) -> None:
    path = tmp_path / f"page{suffix}"
    path.write_bytes(data)
    docs, errors = read_documents([path])
    for d in docs:
        d.text.encode("utf-8")  # decoded text can be written back
    for e in errors:
        assert "\n" not in str(e)


JSONL_VALUE = st.one_of(st.none(), st.booleans(), st.integers(), TEXT_WITH_SURROGATES,
                        st.lists(st.integers(), max_size=2))


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(st.dictionaries(st.sampled_from(["text", "title", "date", "content", "x"]),
                                        JSONL_VALUE, max_size=4), max_size=4))
def test_any_jsonl_records_never_make_reading_raise(tmp_path: Path,
                                                    records: list[dict[str, Any]]) -> None:
    """Lone surrogates (\\udc00 escapes) and odd types in records included."""
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="ascii")
    docs, _errors = read_documents([path])
    for d in docs:
        d.text.encode("utf-8")
        (d.title or "").encode("utf-8")


def test_hostile_text_end_to_end_writes_outputs_that_parse(tmp_path: Path) -> None:
    """One fixed example through the CLI: the formats read back."""
    from kg.cli import main

    src = tmp_path / "in"
    src.mkdir()
    record = {"title": "青山\udc00新闻\x01",
              "text": "本报讯 副市长李\x0b明调研浙江青禾\u200b科技有限公司\ud800。\x1b]0;x\x07"
                      "市长陈志强考察浙江红旗机械有限公司。\u2028__proto__、constructor。"}
    (src / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="ascii")
    out = tmp_path / "out"
    code = main(["build", str(src), "-o", str(out), "--ner", "lac", "--learned", "none",
                 "--no-cache", "-q"])
    assert code == 0
    ET.parse(out / "graph.graphml")
    data = json.loads((out / "graph.json").read_text("utf-8"))
    assert "陈志强" in {n["id"] for n in data["nodes"]}
    for line in (out / "mentions.jsonl").read_text("utf-8").splitlines():
        json.loads(line)

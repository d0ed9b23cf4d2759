"""Issue 11, the input side: hostile files and folders given to ``kg build``.

Every case writes its own inputs (invented sentences) and asserts the promise:
good articles kept, bad input named in one line, ids unique and stable,
outputs independent of the order inputs are given.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path

import pytest

from kg.read import (
    Input,
    find_inputs,
    language_problem,
    printable,
    read_documents,
    read_file,
)

LI = "本报讯 副市长李明调研浙江青禾科技有限公司。\n"
CHEN = "本报讯 市长陈志强考察浙江红旗机械有限公司。\n"
ZHAO = "本报讯 副县长赵强出席青溪县农业大会。\n"
#: A longer Chinese article, so the character-frequency check has enough to judge.
LONG = (
    "本报讯 昨日上午，全市经济工作会议在市行政中心召开。市委书记王建国出席会议并讲话，"
    "市长陈志强主持会议。会议总结了今年以来全市经济发展情况，分析了当前面临的形势，"
    "部署了明年的重点工作。会议强调，要坚持稳中求进，加快产业转型升级，"
    "大力发展高新技术企业，推进重大项目建设，切实保障和改善民生。\n"
)
JA = (
    "東京都の知事は十日、新しい経済対策を発表した。中小企業への支援を強化し、"
    "地域の雇用を守ることが目的だという。大阪市では来年の博覧会に向けて、"
    "交通網の整備が急ピッチで進められている。関係者によると、工事は予定通りに終わる見込みだ。\n"
)
KO = (
    "서울시는 십일 새로운 경제 대책을 발표했다. 중소기업에 대한 지원을 강화하고 "
    "지역의 고용을 지키는 것이 목적이라고 한다. 부산에서는 내년 박람회를 앞두고 "
    "교통망 정비가 빠르게 진행되고 있다. 관계자에 따르면 공사는 예정대로 끝날 전망이다.\n"
)
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def names(paths) -> list[str]:
    inputs, _errors, _notes = find_inputs(paths)
    return [i.name for i in inputs]


# -- 1. article ids unique and stable ----------------------------------------------
def test_same_file_name_in_two_folders_gives_two_articles_and_no_false_edge(tmp_path):
    from kg.pipeline import build

    root = tmp_path / "A"
    write(root / "0101" / "page1.txt", LI)
    write(root / "0102" / "page1.txt", CHEN)
    result = build([root], learned="none", cache=False)
    ids = [a.id for a in result.articles]
    assert ids == ["A/0101/page1.txt#0", "A/0102/page1.txt#0"]
    assert len(set(ids)) == len(ids)
    nodes = set(result.graph.nodes)
    assert {"李明", "陈志强"} <= nodes  # both recognised, so the edge check means something
    assert not result.graph.has_edge("李明", "陈志强")
    # Each article's mentions point at its own id, with its own file.
    by_id = {a.id: a for a in result.articles}
    for m in result.mentions:
        assert by_id[m.article_id].text[m.start:m.end] == m.text
    assert {m.article_id for m in result.mentions if m.entity == "李明"} == {"A/0101/page1.txt#0"}


def test_a_file_given_directly_is_named_by_its_file_name(tmp_path):
    p = write(tmp_path / "x" / "page1.txt", LI)
    assert names([p]) == ["page1.txt"]
    assert names([tmp_path / "x"]) == ["x/page1.txt"]


def test_two_roots_with_the_same_name_are_told_apart_in_any_order(tmp_path):
    a = write(tmp_path / "x" / "A" / "p.txt", LI)
    b = write(tmp_path / "y" / "A" / "p.txt", CHEN)
    both = names([tmp_path / "x" / "A", tmp_path / "y" / "A"])
    assert both == ["x/A/p.txt", "y/A/p.txt"]
    assert names([tmp_path / "y" / "A", tmp_path / "x" / "A"]) == both
    # Two files given directly with one name: each takes as much of its path as needed.
    assert names([b, a]) == ["x/A/p.txt", "y/A/p.txt"]


def test_names_that_print_alike_are_still_told_apart(tmp_path):
    # A newline escaped prints as backslash-n: the two whole paths print alike.
    write(tmp_path / "in" / "a\nb.txt", LI)
    write(tmp_path / "in" / "a\\nb.txt", CHEN)
    got = names([tmp_path / "in"])
    assert len(set(got)) == 2 and "in/a\\nb.txt" in got
    assert names([tmp_path / "in"]) == got  # the same on every run


def test_names_that_do_not_collide_keep_their_short_form(tmp_path):
    write(tmp_path / "A" / "0101" / "page1.txt", LI)
    write(tmp_path / "A" / "0101" / "page2.txt", CHEN)
    assert names([tmp_path / "A"]) == ["A/0101/page1.txt", "A/0101/page2.txt"]


def test_jsonl_records_keep_a_per_record_suffix(tmp_path):
    from kg.pages import articles_from_document

    lines = [json.dumps({"title": "一", "text": LI}, ensure_ascii=False),
             json.dumps({"title": "二", "text": CHEN}, ensure_ascii=False)]
    write(tmp_path / "feed" / "day.jsonl", "\n".join(lines))
    docs, errors = read_documents([tmp_path / "feed"])
    assert errors == []
    ids = [a.id for d in docs for a in articles_from_document(d)]
    assert ids == ["feed/day.jsonl:1#0", "feed/day.jsonl:2#0"]


# -- 2. lone surrogates and other unencodable characters in JSONL -------------------
def test_lone_surrogate_in_jsonl_is_replaced_and_every_output_is_written(tmp_path, caplog):
    from kg.pipeline import build, write_outputs

    inp = tmp_path / "in"
    write(inp / "good.txt", LI)
    # The escape is written literally, as a broken exporter would.
    (inp / "bad.jsonl").write_text('{"title":"调研","text":"副市长\\udc00赵强出席会议。"}\n',
                                   encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        result = build([inp], learned="none", cache=False)
    texts = {a.id: a.text for a in result.articles}
    assert "in/bad.jsonl:1#0" in texts and "\ufffd" in texts["in/bad.jsonl:1#0"]
    assert "in/good.txt#0" in texts
    (err,) = result.errors
    assert not err.skipped and "bad.jsonl" in str(err) and "line 1" in str(err)
    assert "U+FFFD" in caplog.text
    out = tmp_path / "out"
    written = write_outputs(result, out)
    names_written = {p.name for p in written}
    assert {"graph.html", "graph.json", "graph.graphml", "entities.csv", "mentions.jsonl",
            "articles.jsonl"} <= names_written
    for p in written:
        assert p.is_file() and p.stat().st_size > 0
    rows = [json.loads(ln) for ln in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["id"] for r in rows} == {"in/bad.jsonl:1#0", "in/good.txt#0"}


def test_a_clean_jsonl_record_gets_no_replacement_warning(tmp_path):
    p = write(tmp_path / "ok.jsonl", json.dumps({"text": ZHAO}))  # ASCII escapes, valid pairs
    docs, errors = read_documents([p])
    assert errors == [] and docs[0].text == ZHAO


def test_an_astral_character_as_a_surrogate_pair_escape_is_kept(tmp_path):
    p = write(tmp_path / "ok.jsonl", '{"text":"本报讯 \\ud840\\udc00村举行会议。"}')
    docs, errors = read_documents([p])
    assert errors == [] and "\U00020000" in docs[0].text


# -- 4. never read kg's own outputs ------------------------------------------------------
def test_building_the_current_folder_twice_does_not_read_its_own_output(tmp_path, monkeypatch):
    from kg.cli import main

    write(tmp_path / "a.txt", LI)
    write(tmp_path / "b.txt", CHEN)
    monkeypatch.chdir(tmp_path)
    counts = []
    for _ in range(2):
        assert main(["build", ".", "-o", "output", "--learned", "none", "--no-cache", "-q"]) == 0
        rows = (tmp_path / "output" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
        counts.append(len(rows))
    assert counts == [2, 2]


def test_a_kg_output_folder_is_passed_over_with_a_note(tmp_path, caplog):
    out = tmp_path / "in" / "old-run"
    write(out / "kg-manifest.json", "{}")
    write(out / "articles.jsonl", json.dumps({"text": CHEN}, ensure_ascii=False))
    write(tmp_path / "in" / "a.txt", LI)
    with caplog.at_level(logging.INFO):
        docs, errors = read_documents([tmp_path / "in"])
    assert [d.name for d in docs] == ["in/a.txt"] and errors == []
    assert "kg's own output" in caplog.text and "old-run" in caplog.text
    # Its files given one by one are passed over too.
    docs, errors = read_documents([out / "articles.jsonl"])
    assert docs == [] and errors == []


def test_the_output_set_without_a_manifest_is_recognised(tmp_path):
    out = tmp_path / "in" / "run"
    for n in ("graph.json", "articles.jsonl", "mentions.jsonl"):
        write(out / n, json.dumps({"text": CHEN}, ensure_ascii=False))
    write(tmp_path / "in" / "a.txt", LI)
    assert names([tmp_path / "in"]) == ["in/a.txt"]


def test_a_users_own_articles_jsonl_is_still_read(tmp_path):
    # Negative: one of kg's file names alone does not make a folder kg's output.
    write(tmp_path / "in" / "articles.jsonl", json.dumps({"text": CHEN}, ensure_ascii=False))
    write(tmp_path / "in" / "graph.json", "{}")
    assert names([tmp_path / "in"]) == ["in/articles.jsonl"]


def test_kg_temp_files_are_never_read(tmp_path):
    write(tmp_path / "in" / ".articles.jsonl.ab12cd34.kg-tmp", json.dumps({"text": CHEN}))
    write(tmp_path / "in" / ".articles.jsonl.ab12cd34.jsonl", json.dumps({"text": CHEN}))
    write(tmp_path / "in" / "a.txt", LI)
    assert names([tmp_path / "in"]) == ["in/a.txt"]


# -- 5. Japanese and Korean, and mixed encodings ------------------------------------
@pytest.mark.parametrize(("text", "encoding", "words"), [
    (JA, "shift_jis", ("GB18030", "Japanese")),
    (KO, "euc_kr", ("GB18030",)),
    (JA, "utf-8", ("Japanese",)),
    (KO, "utf-8", ("Korean",)),
    (JA, "euc_jp", ("Japanese",)),
])
def test_japanese_and_korean_files_are_named_and_skipped(tmp_path, text, encoding, words):
    write(tmp_path / "in" / "good.txt", LONG)
    write(tmp_path / "in" / "foreign.txt", text, encoding)
    docs, errors = read_documents([tmp_path / "in"])
    assert [d.name for d in docs] == ["in/good.txt"]
    (err,) = errors
    msg = str(err)
    assert err.skipped and "foreign.txt" in msg and "\n" not in msg
    assert any(w in msg for w in words), msg


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "gb18030"])
def test_ordinary_chinese_is_kept(tmp_path, encoding):
    p = write(tmp_path / "a.txt", LONG + LI + CHEN, encoding)
    docs, errors = read_documents([p])
    assert errors == [] and docs[0].text == LONG + LI + CHEN


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_chinese_with_a_few_japanese_names_and_english_words_is_kept(tmp_path, encoding):
    text = ("本报讯 丰田（トヨタ）公司与Toyota Motor代表团到访，副市长李明会见了客人。"
            "双方就新能源汽车合作交换意见，并参观了浙江青禾科技有限公司的生产线。\n")
    p = write(tmp_path / "a.txt", text, encoding)
    docs, errors = read_documents([p])
    assert errors == [] and docs[0].text == text


def test_a_short_chinese_file_is_kept(tmp_path):
    p = write(tmp_path / "a.txt", "副县长张三出席。", "gbk")
    docs, errors = read_documents([p])
    assert errors == [] and docs[0].text == "副县长张三出席。"


def test_a_short_shift_jis_file_is_skipped(tmp_path):
    # 29 Chinese characters once read as GB18030: below the long-text minimum,
    # but none of them is a common Chinese character.
    text = "こんにちは、トヨタ自動車の田中です。今日は良い天気ですね。"
    write(tmp_path / "in" / "jp.txt", text, "shift_jis")
    write(tmp_path / "in" / "cn.txt", "副县长张三出席青溪县农业大会并讲话。", "gbk")
    docs, errors = read_documents([tmp_path / "in"])
    assert [d.name for d in docs] == ["in/cn.txt"]
    assert len(errors) == 1 and "jp.txt" in str(errors[0]) and errors[0].skipped


def test_language_problem_thresholds():
    assert language_problem(LONG) is None
    assert language_problem(LONG, legacy=True) is None
    assert "Japanese" in language_problem(JA)
    assert "Korean" in language_problem(KO)
    assert "Japanese" in language_problem("こんにちは")  # five kana: enough to tell
    assert language_problem("こんにち") is None  # four: no verdict
    # Rare characters mean a wrong decode only when the text was read as GB18030.
    rare = "".join(chr(0x4E00 + 7 * i) for i in range(60))
    assert language_problem(rare) is None
    assert language_problem(rare, legacy=True) is not None


def test_a_utf8_file_with_one_gbk_line_keeps_the_rest(tmp_path, caplog):
    lines = [LI.strip(), CHEN.strip(), "本报讯 副县长赵强出席青溪县农业大会。", ZHAO.strip()]
    data = b"\n".join([lines[0].encode(), lines[1].encode(), lines[2].encode("gbk"),
                       lines[3].encode()])
    p = tmp_path / "mixed.txt"
    p.write_bytes(data)
    with caplog.at_level(logging.WARNING):
        docs, errors = read_documents([p])
    (doc,) = docs
    # The GBK line is read as GB18030, the UTF-8 lines as they are.
    assert doc.text == "\n".join(lines)
    (err,) = errors
    assert not err.skipped and "mixed.txt" in str(err) and "line 3 " in str(err)
    assert len([r for r in caplog.records if "mixed.txt" in r.getMessage()]) == 1


def test_a_utf8_file_with_undecodable_lines_replaces_them(tmp_path):
    data = b"\n".join([LI.strip().encode(), b"\xff\xfe\xfa junk \xc0", CHEN.strip().encode(),
                       b"\x80\x81", ZHAO.strip().encode()])
    p = tmp_path / "mixed.txt"
    p.write_bytes(data)
    docs, errors = read_documents([p])
    (doc,) = docs
    out = doc.text.split("\n")
    assert out[0] == LI.strip() and out[2] == CHEN.strip() and out[4] == ZHAO.strip()
    assert "\ufffd" in out[1] and "junk" in out[1]
    (err,) = errors
    assert "lines 2, 4 " in str(err) and "U+FFFD" in str(err) and not err.skipped


def test_a_gbk_file_is_not_mistaken_for_utf8_with_bad_lines(tmp_path):
    # Negative: a GBK file with one pure-ASCII line that is valid UTF-8.
    text = LONG + "Page 2\n" + LI
    p = write(tmp_path / "a.txt", text, "gbk")
    docs, errors = read_documents([p])
    assert errors == [] and docs[0].text == text


# -- 9. terminal injection -----------------------------------------------------------
EVIL = "evil\n\x1b]0;pwned\x07kg: forged line.txt"


def test_a_file_name_with_control_sequences_is_escaped_in_warnings(tmp_path, caplog):
    folder = tmp_path / "in"
    write(folder / "good.txt", LI)
    (folder / EVIL).write_bytes(bytes(range(256)) * 4)  # binary: a warning names it
    with caplog.at_level(logging.WARNING):
        docs, errors = read_documents([folder])
    assert [d.name for d in docs] == ["in/good.txt"]
    (err,) = errors
    msg = str(err)
    assert "\n" not in msg and not CONTROL.search(msg)
    assert "evil\\n\\x1b]0;pwned\\x07kg: forged line.txt" in msg
    (rec,) = [r for r in caplog.records if "evil" in r.getMessage()]
    assert not CONTROL.search(rec.getMessage())


def test_control_characters_in_a_file_name_never_reach_ids_or_files(tmp_path):
    from kg.pages import articles_from_document

    folder = tmp_path / "in"
    write(folder / EVIL, LI)
    docs, errors = read_documents([folder])
    assert errors == []
    (art,) = articles_from_document(docs[0])
    assert not CONTROL.search(art.id) and not CONTROL.search(art.file)
    assert art.id.startswith("in/evil\\n\\x1b]0;pwned")


def test_a_file_name_that_is_not_utf8_is_written_safely(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/caf\xe9.txt"
    with open(raw, "wb") as fh:
        fh.write(LI.encode())
    docs, errors = read_documents([folder])
    assert errors == []
    (doc,) = docs
    assert doc.name == "in/caf\\xe9.txt"
    doc.file.encode("utf-8")  # no surrogate left: every writer can write it
    doc.name.encode("utf-8")


def test_printable_escapes_controls_and_keeps_ordinary_names():
    assert printable("A/0101/浙江青禾.txt") == "A/0101/浙江青禾.txt"
    assert printable("C:\\news\\a.txt") == "C:\\news\\a.txt"  # backslashes kept: idempotent
    assert printable(printable(EVIL)) == printable(EVIL)
    assert printable("a\u202eb\x85c\ud800") == "a\\u202eb\\x85c\\ud800"
    assert printable("tab\there") == "tab\\there"


# -- 10. order, duplicates, odd folder entries -----------------------------------
def test_output_bytes_do_not_depend_on_the_order_of_inputs(tmp_path):
    from kg.cli import main

    write(tmp_path / "a" / "1.txt", LI + "副市长李明会见市长陈志强。\n")
    write(tmp_path / "b" / "1.txt", CHEN + "市长陈志强与副县长赵强座谈。\n")
    write(tmp_path / "b" / "2.txt", ZHAO)
    common = ["--learned", "none", "--no-cache", "-q"]
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    assert main(["build", b, a, "-o", str(tmp_path / "ba"), *common]) == 0
    assert main(["build", a, b, "-o", str(tmp_path / "ab"), *common]) == 0
    for name in ("graph.json", "articles.jsonl", "mentions.jsonl"):
        assert (tmp_path / "ab" / name).read_bytes() == (tmp_path / "ba" / name).read_bytes()
    ids = [json.loads(ln)["id"] for ln in
           (tmp_path / "ab" / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert ids == ["a/1.txt#0", "b/1.txt#0", "b/2.txt#0"]


def test_the_same_file_reached_twice_is_read_once(tmp_path):
    p = write(tmp_path / "in" / "a.txt", LI)
    write(tmp_path / "in" / "b.txt", CHEN)
    (tmp_path / "in" / "link.txt").symlink_to(p)
    (tmp_path / "alias").symlink_to(tmp_path / "in")
    docs, errors = read_documents([p, tmp_path / "in", p, tmp_path / "alias"])
    assert errors == []
    # The name through no link, from the folder (the longest), wins.
    assert [d.name for d in docs] == ["in/a.txt", "in/b.txt"]


def test_a_fifo_and_a_broken_link_in_a_folder_are_reported_and_never_opened(tmp_path):
    folder = tmp_path / "in"
    write(folder / "good.txt", LI)
    os.mkfifo(folder / "pipe.txt")  # opening it would block the run
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    (folder / "picture.png").symlink_to(folder / "nowhere.png")  # not input: ignored
    docs, errors = read_documents([folder])
    assert [d.name for d in docs] == ["in/good.txt"]
    msgs = sorted(str(e) for e in errors)
    assert len(msgs) == 2 and all(e.skipped for e in errors)
    assert "gone.txt" in msgs[0] and "broken symbolic link" in msgs[0]
    assert "pipe.txt" in msgs[1] and "FIFO" in msgs[1]


def test_a_fifo_given_directly_is_reported_not_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    docs, errors = read_documents([tmp_path / "pipe.txt"])
    assert docs == [] and "FIFO" in str(errors[0])


def test_deeply_nested_folders_are_walked(tmp_path):
    folders = [tmp_path / "in"]
    for _ in range(1000):
        folders.append(folders[-1] / "d")
    for f in folders:  # one mkdir at a time: os.makedirs itself recurses
        f.mkdir()
    try:
        write(folders[-1] / "a.txt", LI)
        docs, errors = read_documents([tmp_path / "in"])
        assert errors == [] and len(docs) == 1
        assert docs[0].name == "in/" + "d/" * 1000 + "a.txt"
    finally:
        # Removed bottom up here: shutil.rmtree (pytest's clean-up) recurses.
        (folders[-1] / "a.txt").unlink(missing_ok=True)
        for f in reversed(folders):
            f.rmdir()


def test_link_loops_end(tmp_path):
    write(tmp_path / "in" / "sub" / "a.txt", LI)
    (tmp_path / "in" / "sub" / "up").symlink_to(tmp_path / "in")
    (tmp_path / "in" / "self").symlink_to(tmp_path / "in" / "self")  # a link to itself
    docs, errors = read_documents([tmp_path / "in"])
    assert [d.name for d in docs] == ["in/sub/a.txt"]
    assert [("self" in str(e)) for e in errors] == [True]  # named, once


def test_a_missing_path_next_to_good_inputs_is_reported(tmp_path):
    good = write(tmp_path / "a.txt", LI)
    docs, errors = read_documents([good, tmp_path / "missing.txt"])
    assert [d.name for d in docs] == ["a.txt"]
    (err,) = errors
    assert err.skipped and "missing.txt" in str(err) and "no such file" in str(err)


def test_problems_come_in_path_order_whatever_the_order_given(tmp_path):
    good = write(tmp_path / "a.txt", LI)
    one, two = tmp_path / "m1.txt", tmp_path / "m2.txt"
    _, errors = read_documents([two, good, one])
    assert [Path(e.file).name for e in errors] == ["m1.txt", "m2.txt"]


def test_skipped_tells_lost_input_from_kept_input(tmp_path):
    lines = [json.dumps({"text": LI, "date": "someday"}, ensure_ascii=False), "{broken"]
    p = write(tmp_path / "x.jsonl", "\n".join(lines))
    docs, errors = read_documents([p])
    assert len(docs) == 1
    kept, lost = errors
    assert "date" in str(kept) and not kept.skipped
    assert "invalid JSON" in str(lost) and lost.skipped


def test_read_file_without_a_name_uses_the_file_name(tmp_path):
    p = write(tmp_path / "page.txt", LI)
    (doc,), _ = read_file(p)
    assert doc.name == "page.txt"
    assert find_inputs([p])[0] == [Input(p, "page.txt")]


# -- control characters in the text ---------------------------------------------
def test_a_control_character_inside_a_name_is_stripped(tmp_path):
    p = write(tmp_path / "a.txt", "本报讯 副市长李\x1b明调研浙江青禾科技有限公司。")
    (doc,), errors = read_file(p)
    assert errors == [] and doc.text == "本报讯 副市长李明调研浙江青禾科技有限公司。"


def test_line_breaking_controls_become_newlines_and_tabs_stay(tmp_path):
    p = write(tmp_path / "a.txt", LONG + "第二段\x0c第三段\x85第四段\t完\x07。\r\n末段。")
    (doc,), errors = read_file(p)
    assert errors == []
    assert doc.text == LONG + "第二段\n第三段\n第四段\t完。\n末段。"


def test_control_characters_in_jsonl_fields_are_stripped(tmp_path):
    rec = {"title": "会议\u0007召开", "text": "副市长李\u001b明出席。\r\n会上\u0000强调。"}
    p = write(tmp_path / "a.jsonl", json.dumps(rec))
    (doc,), errors = read_file(p)
    assert errors == []
    assert doc.title == "会议召开" and doc.text == "副市长李明出席。\n会上强调。"


def test_a_raw_tab_inside_a_jsonl_string_is_accepted(tmp_path):
    p = write(tmp_path / "a.jsonl", '{"text":"副市长李明\t出席。"}')
    (doc,), errors = read_file(p)
    assert errors == [] and doc.text == "副市长李明\t出席。"


# -- property: reading never crashes and never lets a bad character through ----------
def test_reading_arbitrary_bytes_never_raises(tmp_path):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    counter = iter(range(10**9))

    @settings(max_examples=150, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.one_of(st.binary(max_size=400),
                     st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
                     st.text(max_size=200).map(lambda t: json.dumps({"text": t}).encode())),
           st.sampled_from([".txt", ".jsonl"]))
    def check(data: bytes, suffix: str) -> None:
        p = tmp_path / f"f{next(counter)}{suffix}"
        p.write_bytes(data)
        docs, errors = read_file(p)
        for d in docs:
            d.text.encode("utf-8")  # no lone surrogate
            (d.title or "").encode("utf-8")
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", d.text)
            assert d.text.strip()
        for e in errors:
            assert "\n" not in str(e)
            str(e).encode("utf-8")

    check()

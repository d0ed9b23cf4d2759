import json

from kg.read import decode, read_documents

TEXT = "本报讯 某某县召开会议。\n副县长张三出席。\n"


def test_encodings_are_detected(tmp_path):
    (tmp_path / "a.txt").write_bytes(TEXT.encode("utf-8"))
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    (tmp_path / "c.txt").write_bytes(TEXT.encode("gb18030"))
    (tmp_path / "d.txt").write_bytes(TEXT.encode("utf-16"))
    (tmp_path / "e.md").write_bytes(TEXT.encode("gbk"))
    docs, errors = read_documents([tmp_path])
    assert errors == []
    assert [d.text for d in docs] == [TEXT] * 5


def test_binary_file_is_skipped_with_one_line_error(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(bytes(range(256)) * 4)
    docs, errors = read_documents([tmp_path])
    assert [d.file for d in docs] == [str(tmp_path / "good.txt")]
    assert len(errors) == 1
    msg = str(errors[0])
    assert "bad.txt" in msg and "\n" not in msg


def test_jsonl_records_and_bad_lines(tmp_path):
    p = tmp_path / "x.jsonl"
    lines = [json.dumps({"text": TEXT}, ensure_ascii=False), "{not json", json.dumps({"t": 1}),
             json.dumps({"text": "第二篇。"}, ensure_ascii=False)]
    p.write_text("\n".join(lines), encoding="utf-8")
    docs, errors = read_documents([p])
    assert [d.record for d in docs] == [1, 4]
    assert len(errors) == 2 and all("x.jsonl: line" in str(e) for e in errors)


def test_missing_path_is_an_error_not_an_exception(tmp_path):
    docs, errors = read_documents([tmp_path / "nope.txt"])
    assert docs == [] and "no such file" in str(errors[0])


def test_decode_rejects_nul_bytes():
    import pytest

    from kg.read import DecodeError

    with pytest.raises(DecodeError):
        decode(b"abc\x00def")


def test_jsonl_title_makes_one_article(tmp_path):
    from kg.pages import articles_from_document

    p = tmp_path / "x.jsonl"
    p.write_text(json.dumps({"title": "县里召开会议", "text": "副县长王小明出席。\n会议强调落实。"},
                            ensure_ascii=False), encoding="utf-8")
    docs, errors = read_documents([p])
    assert errors == [] and docs[0].title == "县里召开会议"
    (art,) = articles_from_document(docs[0])
    assert art.title == "县里召开会议" and art.id == "x.jsonl:1#0"
    assert art.text == "县里召开会议\n副县长王小明出席。\n会议强调落实。"

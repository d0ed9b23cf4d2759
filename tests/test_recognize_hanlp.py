"""The HanLP engine against a real (tiny) HanLP model trained here, offline.

No pretrained HanLP model can be downloaded in CI, so a session fixture
trains HanLP's BiLSTM NER on ~80 template sentences (a few seconds) and the
tests load it through ``hanlp.load()`` like any ``--hanlp-model DIR``.
hanlp is a hard requirement here: a missing install must fail, not skip.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import hanlp  # noqa: F401  (required: CI installs kg[hanlp]; do not skip)
import pytest
import torch
from hanlp_common.document import Document

from kg.model import Span
from kg.recognize.base import EngineUnavailable, Recognizer
from kg.recognize.hanlp import (
    HanlpRecognizer,
    _offline_guard,
    cache_paths,
    chunk_text,
    hanlp_model_available,
    map_label,
    mtl_spans,
    train_rnn_ner,
    write_bio_tsv,
)

# Made-up names (not from seeds/): the model only has to learn these.
PERSONS = ["柯文远", "钱雨桐", "庞晓川", "符嘉禾", "乔明哲", "甘露霏", "段子墨", "韦思源"]
PERSONS += ["骆一鸣", "卓海峰", "邝立新", "龚若溪", "阮星河", "褚晨阳", "岑安然"]
PLACES = ["青溪县", "白鹭洲", "云岭镇", "松江湾", "北岸市", "落霞村", "石门关", "望海区"]
ORGS = ["星河科技公司", "北岸大学", "云岭农业合作社", "松江湾港务局", "望海区文化馆"]
ORGS += ["翠屏山林场", "金沙滩旅游集团", "青溪县人民医院"]
TEMPLATES = [
    "{PER}在{LOC}的{ORG}工作。",
    "{ORG}位于{LOC}，{PER}担任负责人。",
    "记者从{ORG}获悉，{PER}昨日抵达{LOC}。",
    "{LOC}{ORG}召开会议，{PER}出席。",
    "{PER}说，{ORG}明年将在{LOC}开设分部。",
]
TEST_URL = "https://file.hankcs.com/hanlp/ner/kg_tiny_20990101_000000.zip"


def make_example(rng: random.Random, template: str) -> tuple[str, list[Span]]:
    text, spans = "", []
    for part in template.replace("}", "{").split("{"):
        if part in ("PER", "LOC", "ORG"):
            pool = {"PER": PERSONS, "LOC": PLACES, "ORG": ORGS}[part]
            name = rng.choice(pool)
            spans.append(Span(len(text), len(text) + len(name), part, name))
            text += name
        else:
            text += part
    return text, spans


def examples(n: int, seed: int) -> list[tuple[str, list[Span]]]:
    rng = random.Random(seed)
    return [make_example(rng, TEMPLATES[i % len(TEMPLATES)]) for i in range(n)]


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A real HanLP RNN NER model, trained in seconds on 80 sentences."""
    threads = torch.get_num_threads()
    # One thread: with 2 threads on a busy 2-core runner training took 30 s, not 4.
    torch.set_num_threads(1)
    base = tmp_path_factory.mktemp("hanlp")
    tsv = base / "train.tsv"
    assert write_bio_tsv(examples(80, seed=1), tsv) == 80
    out = train_rnn_ner(tsv, base / "model", epochs=25, batch_size=8, embed=32, rnn_hidden=64)
    yield out
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def recognizer(model_dir: Path) -> HanlpRecognizer:
    return HanlpRecognizer(model=str(model_dir), batch_size=4)


@pytest.fixture
def empty_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "hanlp_home"
    home.mkdir()
    monkeypatch.setenv("HANLP_HOME", str(home))
    return home


def check_spans(sentences: list[str], result: list[list[Span]]) -> None:
    assert len(result) == len(sentences)
    for sentence, row in zip(sentences, result, strict=True):
        for span in row:
            assert 0 <= span.start < span.end <= len(sentence)
            assert span.text == sentence[span.start : span.end]
            assert span.label in {"PER", "LOC", "ORG"}


def test_loads_local_dir_and_finds_entities(recognizer: HanlpRecognizer) -> None:
    assert isinstance(recognizer, Recognizer)
    assert recognizer.name == "hanlp"
    held_out = examples(10, seed=99)  # new combinations of trained names
    sentences = [t for t, _ in held_out]
    result = recognizer.recognize(sentences)
    check_spans(sentences, result)
    gold = {(i, s.start, s.end, s.label) for i, (_, g) in enumerate(held_out) for s in g}
    found = {(i, s.start, s.end, s.label) for i, row in enumerate(result) for s in row}
    assert len(gold & found) >= len(gold) // 2, (gold - found, found - gold)


def test_empty_and_blank_sentences(recognizer: HanlpRecognizer) -> None:
    text = examples(1, seed=5)[0][0]
    result = recognizer.recognize(["", text, "   ", "", text])
    assert result[0] == result[2] == result[3] == []
    assert result[1] == result[4] and result[1]
    assert recognizer.recognize([]) == []
    assert recognizer.recognize([""]) == [[]]


def test_batch_equals_one_at_a_time(recognizer: HanlpRecognizer) -> None:
    sentences = [t for t, _ in examples(9, seed=7)]
    sentences += ["", "柯文远", "他们 在 北岸市 见面。"]
    batched = recognizer.recognize(sentences)
    check_spans(sentences, batched)
    assert batched == [recognizer.recognize([s])[0] for s in sentences]


def test_long_sentence_is_chunked_with_shifted_offsets(
    recognizer: HanlpRecognizer,
) -> None:
    parts = [t for t, _ in examples(60, seed=11)]
    long = "".join(parts)
    assert len(long) > 1000
    (row,) = recognizer.recognize([long])
    check_spans([long], [row])
    assert any(s.start >= 500 for s in row)
    # Pieces end on sentence marks here, so each part is seen as in training.
    one_by_one = recognizer.recognize(parts)
    assert len(row) >= sum(map(len, one_by_one)) * 0.8


def test_pretrained_identifier_from_cache_dir_and_zip(
    model_dir: Path, recognizer: HanlpRecognizer, empty_home: Path
) -> None:
    folder, archive = cache_paths(TEST_URL)
    assert folder == empty_home / "ner" / "kg_tiny_20990101_000000"
    assert archive == empty_home / "ner" / "kg_tiny_20990101_000000.zip"
    sentences = [t for t, _ in examples(5, seed=3)]
    expected = recognizer.recognize(sentences)

    # As a zip, the way HanLP downloads it: HanLP itself unpacks it.
    folder.parent.mkdir(parents=True)
    shutil.copytree(model_dir, folder)
    shutil.make_archive(str(folder), "zip", folder.parent, folder.name)
    shutil.rmtree(folder)
    assert hanlp_model_available(TEST_URL)
    assert HanlpRecognizer(TEST_URL).recognize(sentences) == expected
    assert folder.is_dir()

    # Unpacked.
    assert hanlp_model_available(TEST_URL)
    assert HanlpRecognizer(TEST_URL).recognize(sentences) == expected


@pytest.mark.parametrize(
    "model",
    [None, "MSRA_NER_ELECTRA_SMALL_ZH", "https://file.hankcs.com/hanlp/ner/no_2099.zip"],
)
def test_missing_identifier_fails_fast(empty_home: Path, model: str | None) -> None:
    t0 = time.perf_counter()
    with pytest.raises(EngineUnavailable) as err:
        HanlpRecognizer(model=model)
    assert time.perf_counter() - t0 < 3
    message = str(err.value)
    assert "\n" not in message
    assert "not cached" in message and str(empty_home) in message
    assert "--ner lac" in message and "--hanlp-model" in message
    assert not hanlp_model_available(model)
    assert list(empty_home.iterdir()) == []  # nothing downloaded or created


def test_missing_local_dir(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(EngineUnavailable, match="--ner lac"):
        HanlpRecognizer(model=str(missing))
    assert not hanlp_model_available(str(missing))


def test_model_available(model_dir: Path) -> None:
    assert hanlp_model_available(str(model_dir))
    assert hanlp_model_available(str(model_dir / "config.json"))


def test_missing_dependency_fails_fast(model_dir: Path, tmp_path: Path, empty_home: Path) -> None:
    # A model whose config names a transformer HanLP would fetch from its server.
    copy = tmp_path / "needs_electra"
    shutil.copytree(model_dir, copy)
    config = json.loads((copy / "config.json").read_text(encoding="utf-8"))
    config["transformer"] = "hfl/chinese-electra-180g-small-discriminator"
    (copy / "config.json").write_text(json.dumps(config), encoding="utf-8")
    assert not hanlp_model_available(str(copy))
    t0 = time.perf_counter()
    with pytest.raises(EngineUnavailable, match="electra_zh_small") as err:
        HanlpRecognizer(model=str(copy))
    assert time.perf_counter() - t0 < 3
    assert "\n" not in str(err.value)


def test_offline_guard_stops_hanlp_downloader(empty_home: Path) -> None:
    from hanlp.utils.io_util import get_resource

    t0 = time.perf_counter()
    with pytest.raises(EngineUnavailable), _offline_guard():
        get_resource(TEST_URL, save_dir=str(empty_home))
    assert time.perf_counter() - t0 < 3


def test_crf_model_is_fixed_on_load(tmp_path: Path) -> None:
    tsv = tmp_path / "train.tsv"
    write_bio_tsv(examples(20, seed=2), tsv)
    out = train_rnn_ner(tsv, tmp_path / "crf", epochs=1, embed=8, rnn_hidden=8, crf=True)
    rec = HanlpRecognizer(str(out))
    assert rec._component.model.crf.batch_first is True
    sentences = [t for t, _ in examples(3, seed=4)]
    check_spans(sentences, rec.recognize(sentences))


@pytest.mark.parametrize(
    ("tag", "label"),
    [
        ("NR", "PER"),
        ("ns", "LOC"),
        ("NT", "ORG"),
        ("PERSON", "PER"),
        ("LOCATION", "LOC"),
        ("GPE", "LOC"),
        ("ORGANIZATION", "ORG"),
        ("ORG", "ORG"),
        ("DATE", "DATE"),
    ],
)
def test_map_label(tag: str, label: str) -> None:
    assert map_label(tag) == label


def test_chunk_text() -> None:
    text = ("甲" * 299 + "。") * 4 + "乙" * 10
    pieces = chunk_text(text, limit=500)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 500 for _, p in pieces)
    assert all(text[off : off + len(p)] == p for off, p in pieces)
    assert pieces[0][1].endswith("。")
    hard = chunk_text("丙" * 1234)
    assert [len(p) for _, p in hard] == [500, 500, 234]
    assert chunk_text("") == [(0, "")]


def test_mtl_document_to_spans() -> None:
    """An MTL model's Document: NER offsets are token indices into tok/fine."""
    sentences = ["柯文远 在北岸市工作。", "无"]
    doc = Document(
        {
            "tok/fine": [["柯文远", "在", "北岸市", "工作", "。"], ["无"]],
            "ner/msra": [[("柯文远", "PERSON", 0, 1), ("北岸市", "LOCATION", 2, 3)], []],
        }
    )
    spans = mtl_spans(doc, sentences, "ner/msra")
    assert spans == [[Span(0, 3, "PER", "柯文远"), Span(5, 8, "LOC", "北岸市")], []]


def test_cli_builds_with_the_hanlp_engine(model_dir: Path, tmp_path: Path) -> None:
    """The whole pipeline runs on HanLP spans (LAC still segments for the rules)."""
    import subprocess
    import sys

    src = tmp_path / "in"
    src.mkdir()
    text = "\n\n".join(s for s, _ in examples(12, seed=99))
    (src / "a.txt").write_text("某县新闻一则\n\n■记者 王小明\n\n本报讯 " + text + "\n", encoding="utf-8")
    out = tmp_path / "out"
    r = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(src), "-o", str(out), "--ner", "hanlp",
         "--hanlp-model", str(model_dir)],
        capture_output=True, text=True, timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert "engine: hanlp" in r.stdout
    assert (out / "graph.json").exists()


def test_cli_hanlp_missing_model_is_one_line(tmp_path: Path, empty_home: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "a.txt").write_text("本报讯 副县长王小明出席。\n", encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o"),
         "--ner", "hanlp"],
        capture_output=True, text=True, timeout=120,
    )
    assert r.returncode == 2
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("kg: error:")]
    assert len(errors) == 1 and "--ner lac" in errors[0]
    assert "Traceback" not in r.stderr

"""The HanLP engine against real (tiny) HanLP models trained here, offline.

No pretrained HanLP model can be downloaded in CI, so session fixtures build
models of the real classes on invented sentences: HanLP's char-level BiLSTM
(kg's own kind, trained per run in seconds) and, cached across runs by
``hanlp_fixtures``, a word-level ``TransformerNamedEntityRecognizer`` (the
kind of HanLP's pretrained NER) and a tok + ner/msra ``MultiTaskLearning``.
The tests load them through ``hanlp.load()`` like any ``--hanlp-model DIR``.

Without hanlp or torch the module is skipped (``make test-fast``); set
KG_REQUIRE_HANLP=1 where a missing install must fail instead.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

if not os.environ.get("KG_REQUIRE_HANLP"):
    pytest.importorskip("hanlp", reason="HanLP is optional: pip install 'kg[hanlp]'")
    pytest.importorskip("torch", reason="HanLP needs torch")

import hanlp_fixtures as fx
from hanlp_fixtures import examples

from kg.model import Span
from kg.recognize import get_recognizer
from kg.recognize.base import EngineUnavailable, KgError, Recognizer
from kg.recognize.hanlp import (
    SIDECAR,
    HanlpRecognizer,
    _offline_guard,
    cache_paths,
    chunk_text,
    fetch_model,
    hanlp_model_available,
    map_label,
    missing_resources,
    mtl_spans,
    train_rnn_ner,
    write_bio_tsv,
)
from kg.recognize.lac import LacRecognizer

TEST_URL = "https://file.hankcs.com/hanlp/ner/kg_tiny_20990101_000000.zip"
#: HanLP's character table, named by ``mapper`` in its models' configs.
CHAR_TABLE = "https://file.hankcs.com/corpus/char_table.json.zip"
#: The transformer name HanLP's small Chinese models name (HanLP mirrors it).
ELECTRA = "hfl/chinese-electra-180g-small-discriminator"


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A real HanLP RNN NER model (char-level), trained in seconds on 80 sentences."""
    import torch

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


@pytest.fixture(scope="session")
def word_model() -> Path:
    """A word-level TransformerNamedEntityRecognizer (cached across runs)."""
    return fx.word_ner()


@pytest.fixture(scope="session")
def word_rec(word_model: Path) -> HanlpRecognizer:
    return HanlpRecognizer(str(word_model), batch_size=4)


@pytest.fixture(scope="session")
def mtl_model() -> Path:
    """A MultiTaskLearning with tok and ner/msra (cached across runs)."""
    return fx.mtl()


@pytest.fixture(scope="session")
def mtl_rec(mtl_model: Path) -> HanlpRecognizer:
    return HanlpRecognizer(str(mtl_model), batch_size=4)


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
    # Both ways out: a connected user fetches, an offline one copies the cache.
    assert f"kg models fetch {model or 'MSRA_NER_ELECTRA_SMALL_ZH'}" in message
    assert "~/.hanlp" in message and "HANLP_HOME" in message
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
    from hanlp_common.document import Document

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


# -- what single-task models are fed (words or characters) ---------------


def gold(text: str) -> list[Span]:
    return next(spans for t, spans in fx.known_examples() if t == text)


def test_word_level_model_gets_words_back_as_char_offsets(word_rec: HanlpRecognizer) -> None:
    """HanLP's pretrained NER is word-level: fed characters, a 4-char
    organisation would come back as four 1-char entities."""
    sentences = [t for t, _ in fx.KNOWN]
    result = word_rec.recognize(sentences)
    assert Span(8, 12, "ORG", "星河集团") in result[0]
    assert Span(3, 10, "ORG", "云岭农业合作社") in result[2]
    assert result == [gold(t) for t in sentences]
    assert word_rec.tokens == "words"  # no kg.json: HanLP's own kind of model


def test_word_offsets_survive_spaces_and_batching(word_rec: HanlpRecognizer) -> None:
    text = fx.KNOWN[0][0]
    spaced = "  " + text[:3] + " " + text[3:]  # LAC keeps spaces; HanLP gets none
    result = word_rec.recognize([spaced, "", text, "   "])
    shifted = [Span(s.start + (2 if s.start < 3 else 3), s.end + (2 if s.start < 3 else 3),
                    s.label, s.text) for s in gold(text)]
    assert result == [shifted, [], gold(text), []]
    check_spans([spaced], result[:1])


def test_tokens_setting(word_model: Path, model_dir: Path, tmp_path: Path) -> None:
    assert HanlpRecognizer(str(word_model), tokens="chars").tokens == "chars"
    # kg's BiLSTM is trained on characters and says so next to its config.
    assert json.loads((model_dir / SIDECAR).read_text(encoding="utf-8")) == {"tokens": "chars"}
    assert HanlpRecognizer(str(model_dir)).tokens == "chars"
    assert HanlpRecognizer(str(model_dir), tokens="words").tokens == "words"
    rec = get_recognizer("hanlp", hanlp_model=str(word_model), hanlp_tokens="chars")
    assert isinstance(rec, HanlpRecognizer) and rec.tokens == "chars"
    for bad in ("char", "Words", ""):
        with pytest.raises(KgError, match="words, chars") as err:
            HanlpRecognizer(str(word_model), tokens=bad)
        assert "\n" not in str(err.value)
        with pytest.raises(KgError, match="--hanlp-tokens"):
            get_recognizer("auto", hanlp_model=str(word_model), hanlp_tokens=bad)
    # A broken sidecar is the model's problem: one line, and auto moves on.
    copy = tmp_path / "bad_sidecar"
    shutil.copytree(model_dir, copy)
    (copy / SIDECAR).write_text('{"tokens": "bytes"}', encoding="utf-8")
    with pytest.raises(EngineUnavailable, match="kg.json") as err:
        HanlpRecognizer(str(copy))
    assert "\n" not in str(err.value)


def test_mtl_model_gives_char_offsets(mtl_rec: HanlpRecognizer) -> None:
    sentences = [t for t, _ in fx.KNOWN]
    spaced = "  " + sentences[0]
    result = mtl_rec.recognize([*sentences, spaced])
    assert result[:3] == [gold(t) for t in sentences]
    assert result[3] == [Span(s.start + 2, s.end + 2, s.label, s.text) for s in gold(sentences[0])]
    assert Span(8, 12, "ORG", "星河集团") in result[0]
    assert mtl_rec.tokens is None  # tokenises itself: --hanlp-tokens does not apply


def test_auto_picks_hanlp_when_it_loads(word_model: Path) -> None:
    rec = get_recognizer("auto", hanlp_model=str(word_model))
    assert isinstance(rec, HanlpRecognizer) and rec.tokens == "words"
    rec = get_recognizer("auto", hanlp_model=str(word_model), hanlp_tokens="chars")
    assert isinstance(rec, HanlpRecognizer) and rec.tokens == "chars"


# -- a cached model that cannot load: auto falls back, hanlp says why -----


def with_config(src: Path, dst: Path, **changes: object) -> Path:
    shutil.copytree(src, dst)
    config = json.loads((dst / "config.json").read_text(encoding="utf-8"))
    config.update(changes)
    (dst / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return dst


def mapper(url: str) -> dict[str, str]:
    """The character-normalising transform HanLP's models name in their configs."""
    return {"classpath": "hanlp.common.transform.NormalizeCharacter", "mapper": url, "src": "token"}


def assert_falls_back(model: str, caplog: pytest.LogCaptureFixture, *needles: str) -> None:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="kg.recognize"):
        rec = get_recognizer("auto", hanlp_model=model)
    assert isinstance(rec, LacRecognizer)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, caplog.text
    line = warnings[0].getMessage()
    assert "\n" not in line and "LAC" in line
    for needle in needles:
        assert needle in line


def test_missing_mapper_falls_back_in_auto(
    word_model: Path, tmp_path: Path, empty_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """``mapper`` is not a key the old check knew: auto passed it and then died."""
    model = with_config(word_model, tmp_path / "needs_table", transform=mapper(CHAR_TABLE))
    assert_falls_back(str(model), caplog, "char_table")
    assert any("char_table" in m for m in missing_resources(model))
    assert not hanlp_model_available(str(model))
    t0 = time.perf_counter()
    with pytest.raises(EngineUnavailable, match="char_table") as err:
        get_recognizer("hanlp", hanlp_model=str(model))
    assert time.perf_counter() - t0 < 3
    assert "\n" not in str(err.value) and "--ner lac" in str(err.value)
    assert list(empty_home.iterdir()) == []  # nothing downloaded or created


def test_any_load_failure_falls_back_in_auto(
    word_model: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The cache check passes but HanLP cannot load the weights."""
    model = tmp_path / "broken"
    shutil.copytree(word_model, model)
    (model / "model.pt").write_bytes(b"not a torch checkpoint")
    assert hanlp_model_available(str(model))
    assert_falls_back(str(model), caplog, "could not load")
    with pytest.raises(EngineUnavailable, match="could not load") as err:
        get_recognizer("hanlp", hanlp_model=str(model))
    assert "\n" not in str(err.value)


def test_default_model_absent_is_quiet_in_auto(
    empty_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """No model downloaded is the normal offline case: LAC without a warning."""
    with caplog.at_level(logging.INFO, logger="kg.recognize"):
        assert isinstance(get_recognizer("auto"), LacRecognizer)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "using LAC" in caplog.text


def test_every_resource_in_config_is_checked(
    model_dir: Path, tmp_path: Path, empty_home: Path
) -> None:
    config = {
        "transform": mapper(CHAR_TABLE),  # any key, nested
        "decoder": {"vocab": "/nonexistent/kg/vocab.txt"},  # absolute path
        "lexicon": ["MSRA_NER_ELECTRA_SMALL_ZH"],  # a HanLP identifier, in a list
        "encoder": {"transformer": ELECTRA},  # mirrored by HanLP
        "tokenizer": "kg-test/no-such-model",  # Hugging Face hub id
        # Training data is never read at load time: pretrained configs name it freely.
        "trn": "https://file.hankcs.com/hanlp/datasets/x.zip",
        "dev_data": "/home/someone/dev.tsv",
        "classpath": "x",
        "sent_delimiter": ".",
        "delimiter_in_entity": "/",  # a delimiter, not a path
    }
    model = with_config(model_dir, tmp_path / "many", **config)
    missing = " | ".join(missing_resources(model))
    for needle in ("char_table", "/nonexistent/kg/vocab.txt", "msra_ner_electra_small",
                   "electra_zh_small", "models--kg-test--no-such-model"):
        assert needle in missing
    assert "datasets" not in missing and "dev.tsv" not in missing
    assert len(missing_resources(model)) == 5


def test_cached_zip_with_missing_resource_is_unavailable(
    word_model: Path, tmp_path: Path, empty_home: Path
) -> None:
    """A model still zipped in the cache is checked too (inside the archive)."""
    folder, archive = cache_paths(TEST_URL)
    assert archive is not None
    folder.parent.mkdir(parents=True)
    with_config(word_model, folder, transform=mapper(CHAR_TABLE))
    shutil.make_archive(str(folder), "zip", folder.parent, folder.name)
    shutil.rmtree(folder)
    assert not hanlp_model_available(TEST_URL)
    with pytest.raises(EngineUnavailable, match="char_table"):
        HanlpRecognizer(TEST_URL)
    assert archive.is_file() and not folder.exists()  # not even unpacked


# -- fetching ------------------------------------------------------------


@contextlib.contextmanager
def serve(root: Path) -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server for ``root``: (base URL, paths requested)."""
    requested: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            requested.append(self.path)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", requested
    finally:
        server.shutdown()
        server.server_close()


def zip_folder(folder: Path, archive: Path) -> None:
    """``archive`` holding ``folder`` as ``<archive name>/``, as HanLP's zips do."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    named = archive.parent / f".{archive.stem}" / archive.stem
    shutil.copytree(folder, named)
    shutil.make_archive(str(archive.with_suffix("")), "zip", named.parent, named.name)
    shutil.rmtree(named.parent)


def test_fetch_cached_model_needs_no_network(
    word_model: Path, empty_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("fetch_model went to the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    assert fetch_model(str(word_model)) == word_model
    folder, _ = cache_paths(TEST_URL)
    shutil.copytree(word_model, folder)
    assert fetch_model(TEST_URL) == folder


def test_fetch_unreachable_fails_fast(empty_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url, endpoint = "http://127.0.0.1:9/ner/x.zip", "127.0.0.1:9"  # nothing listens there
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    t0 = time.perf_counter()
    with pytest.raises(EngineUnavailable) as err:
        fetch_model(url, timeout=1.0)
    assert time.perf_counter() - t0 < 1.0 + 3
    message = str(err.value)
    assert "\n" not in message
    assert f"cannot reach {endpoint}" in message
    assert "~/.hanlp" in message and "HANLP_HOME" in message and "--ner lac" in message
    assert list(empty_home.iterdir()) == []


def test_fetch_missing_file_is_one_line(tmp_path: Path, empty_home: Path) -> None:
    (tmp_path / "site").mkdir()
    with serve(tmp_path / "site") as (base, requested):
        with pytest.raises(EngineUnavailable, match="404") as err:
            fetch_model(base + "ner/none_20990101.zip", timeout=5)
    assert "\n" not in str(err.value) and "ner/none_20990101.zip" in str(err.value)
    assert set(requested) == {"/ner/none_20990101.zip"}


FETCH = """
import json, sys, time
from kg.recognize.hanlp import HanlpRecognizer, fetch_model
t0 = time.perf_counter()
path = fetch_model(sys.argv[1], timeout=5)
took = time.perf_counter() - t0
spans = HanlpRecognizer(sys.argv[1]).recognize(sys.argv[2:])
rows = [[[s.start, s.end, s.label, s.text] for s in row] for row in spans]
print(json.dumps({"path": str(path), "took": took, "spans": rows}))
"""


def test_fetch_downloads_model_and_resources_with_hanlps_downloader(
    word_model: Path, tmp_path: Path
) -> None:
    """A served model whose config names a mirrored transformer and a mapper
    table: fetch_model gets all three, and the model then loads offline."""
    site, home = tmp_path / "site", tmp_path / "home"
    with serve(site) as (base, requested):
        name = "kg_tiny_20990101_000000"
        model = with_config(
            word_model, tmp_path / name, transformer=ELECTRA,
            transform=mapper(base + "kg/char_table.json.zip"),
        )
        zip_folder(model, site / "ner" / f"{name}.zip")
        electra = json.loads((word_model / "config.json").read_text(encoding="utf-8"))["transformer"]
        zip_folder(Path(electra), site / "transformers" / "electra_zh_small_20210706_125427.zip")
        (tmp_path / "char_table.json").write_text('{"Ａ": "A"}', encoding="utf-8")
        (site / "kg").mkdir()
        with zipfile.ZipFile(site / "kg" / "char_table.json.zip", "w") as zf:
            zf.write(tmp_path / "char_table.json", "char_table.json")

        env = {**os.environ, "HANLP_URL": base, "HANLP_HOME": str(home), "HANLP_VERBOSE": "0"}
        url = f"{base}ner/{name}.zip"
        sentences = [t for t, _ in fx.KNOWN]
        run = [sys.executable, "-c", FETCH, url, *sentences]
        r = subprocess.run(run, env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        first = json.loads(r.stdout.splitlines()[-1])
        assert set(requested) == {  # HanLP's downloader asks twice per file
            f"/ner/{name}.zip",
            "/transformers/electra_zh_small_20210706_125427.zip",
            "/kg/char_table.json.zip",
        }
    assert Path(first["path"]) == home / "ner" / name
    assert (home / "transformers" / "electra_zh_small_20210706_125427").is_dir()
    expected = [[[s.start, s.end, s.label, s.text] for s in gold(t)] for t in sentences]
    assert first["spans"] == expected

    # Server gone: everything is cached, nothing is asked of the network.
    r = subprocess.run(run, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    again = json.loads(r.stdout.splitlines()[-1])
    assert again["path"] == first["path"] and again["spans"] == expected
    assert again["took"] < 5  # no download, no torch import (about 0.4 s)

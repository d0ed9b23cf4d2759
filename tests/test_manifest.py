"""kg-manifest.json: a re-run with nothing changed does nothing; any change rebuilds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg.manifest import NAME, build_key, up_to_date

ROOT = Path(__file__).resolve().parent.parent


def kg(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture
def papers(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("本报讯 市长张立平到青禾科技有限公司调研。\n", encoding="utf-8")
    return src


def _build(papers: Path, out: Path, *extra: object) -> subprocess.CompletedProcess:
    r = kg("build", papers, "-o", out, "--ner", "lac", "--learned", "none", *extra)
    assert r.returncode == 0, r.stderr
    return r


def test_an_unchanged_rerun_does_nothing(papers: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _build(papers, out)
    assert "up to date" not in first.stdout and (out / NAME).is_file()
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    again = _build(papers, out)
    assert "up to date" in again.stdout
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps


@pytest.mark.parametrize("change", ["input", "option", "missing output", "no-cache"])
def test_any_change_rebuilds(papers: Path, tmp_path: Path, change: str) -> None:
    out = tmp_path / "out"
    _build(papers, out)
    extra: list[str] = []
    if change == "input":
        (papers / "b.txt").write_text("本报讯 副市长李青出席会议。\n", encoding="utf-8")
    elif change == "option":
        extra = ["--window", "sentence"]
    elif change == "missing output":
        (out / "graph.html").unlink()
    else:
        extra = ["--no-cache"]
    r = _build(papers, out, *extra)
    assert "up to date" not in r.stdout and "articles:" in r.stdout
    assert (out / "graph.html").is_file()


def test_up_to_date_needs_the_same_key_and_every_output(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("甲", encoding="utf-8")
    key = build_key([tmp_path / "x.txt"], {"window": "article"})
    assert key == build_key([tmp_path / "x.txt"], {"window": "article"})
    assert key != build_key([tmp_path / "x.txt"], {"window": "sentence"})
    assert not up_to_date(tmp_path, key)  # no manifest
    (tmp_path / NAME).write_text("{not json", encoding="utf-8")
    assert not up_to_date(tmp_path, key)


def test_writing_outputs_from_the_library_replaces_the_cli_manifest(papers: Path,
                                                                      tmp_path: Path) -> None:
    import json

    import kg as kglib

    out = tmp_path / "out"
    _build(papers, out)
    key = json.loads((out / NAME).read_text(encoding="utf-8"))["key"]
    assert up_to_date(out, key)
    kglib.write_outputs(kglib.build([papers], ner="lac", learned="none", cache=False), out)
    assert not up_to_date(out, key)  # these files are no longer that CLI build
    assert json.loads((out / NAME).read_text(encoding="utf-8"))["key"] is None
    assert kglib.load(out).articles  # but they are a complete, checked set

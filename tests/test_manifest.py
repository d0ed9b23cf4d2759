"""kg-manifest.json: a re-run with nothing changed does nothing; any change rebuilds."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from kg.manifest import COMMITTING, LOCK, NAME, build_key, up_to_date, verify

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
    import kg as kglib

    out = tmp_path / "out"
    _build(papers, out)
    key = json.loads((out / NAME).read_text(encoding="utf-8"))["key"]
    assert up_to_date(out, key)
    kglib.write_outputs(kglib.build([papers], ner="lac", learned="none", cache=False), out)
    assert not up_to_date(out, key)  # these files are no longer that CLI build
    assert json.loads((out / NAME).read_text(encoding="utf-8"))["key"] is None
    assert kglib.load(out).articles  # but they are a complete, checked set


@pytest.fixture
def built(papers: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    _build(papers, out)
    return out


def test_load_refuses_a_changed_output_even_at_the_same_size(built: Path) -> None:
    import kg as kglib
    from kg.recognize.base import KgError

    assert kglib.load(built).articles  # negative: untouched, it loads
    good = (built / "entities.csv").read_bytes()
    raw = bytearray(good)
    raw[-2] = ord("X") if raw[-2] != ord("X") else ord("Y")
    (built / "entities.csv").write_bytes(bytes(raw))
    with pytest.raises(KgError, match=r"out: entities\.csv does not match kg-manifest\.json "
                                      r"\(sha256\)"):
        kglib.load(built)
    (built / "entities.csv").write_bytes(good)
    verify(built)
    (built / "graph.html").unlink()
    with pytest.raises(KgError, match=r"graph\.html is missing"):
        verify(built)


def test_a_manifest_naming_a_path_outside_the_folder_is_refused(built: Path) -> None:
    from kg.recognize.base import KgError

    data = json.loads((built / NAME).read_text(encoding="utf-8"))
    data["outputs"]["../in/a.txt"] = {"size": 1, "sha256": "0" * 64}
    (built / NAME).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(KgError, match="not a file name"):
        verify(built)


def test_an_older_manifest_with_sizes_alone_still_loads(built: Path) -> None:
    import kg as kglib

    data = json.loads((built / NAME).read_text(encoding="utf-8"))
    data = {"key": data["key"], "outputs": {n: e["size"] for n, e in data["outputs"].items()}}
    (built / NAME).write_text(json.dumps(data), encoding="utf-8")
    assert kglib.load(built).articles
    (built / "graph.json").write_text("{}", encoding="utf-8")  # a different size
    with pytest.raises(Exception, match=r"graph\.json does not match .*\(size\)"):
        kglib.load(built)


def test_no_manifest_loads_with_a_warning_unless_a_build_was_stopped(
        built: Path, caplog: pytest.LogCaptureFixture) -> None:
    import kg as kglib
    from kg.recognize.base import KgError

    (built / NAME).unlink()
    (built / LOCK).unlink()  # a folder an older kg wrote: no manifest, no lock
    with caplog.at_level(logging.WARNING, logger="kg"):
        assert kglib.load(built).articles
    assert any("no kg-manifest.json" in r.getMessage() for r in caplog.records)
    (built / LOCK).write_text(COMMITTING, encoding="utf-8")  # stopped mid-rename
    with pytest.raises(KgError, match="stopped while replacing"):
        kglib.load(built)


def test_staged_writes_reach_their_names_only_on_commit(tmp_path: Path) -> None:
    from kg.export.atomic import atomic_open, remove_stale_temps, staged

    (tmp_path / "a.txt").write_text("old a", encoding="utf-8")
    (tmp_path / "b.txt").write_text("old b", encoding="utf-8")
    with pytest.raises(RuntimeError), staged():
        with atomic_open(tmp_path / "a.txt") as fh:
            fh.write("new a")
        with atomic_open(tmp_path / "b.txt") as fh:
            fh.write("new")
            raise RuntimeError("the disk is full")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "old a"
    with staged() as stage:
        with atomic_open(tmp_path / "a.txt") as fh:
            fh.write("new a")
        assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "old a"
    done = stage.commit()
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "new a"
    assert [(f.target.name, f.size) for f in done] == [("a.txt", 5)]
    assert remove_stale_temps(tmp_path) == []  # nothing of kg's left; user files stay
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]

"""Issue 11, the output side: outputs replaced as one set (a kill at any
write step leaves the old set or a folder kg.load refuses), the folder lock,
every option checked before any input is read, a full disk, and the summary
line with exit code 3 when inputs were skipped."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import kg
import kg.cli
import kg.manifest
import kg.pipeline
import kg.read
from kg.export.atomic import TEMP_SUFFIX, atomic_open
from kg.manifest import LOCK, NAME, output_lock, read_manifest, verify
from kg.pipeline import OUTPUTS
from kg.recognize.base import KgError

ROOT = Path(__file__).resolve().parent.parent
FAST = ("--ner", "lac", "--learned", "none", "-q")
V1 = "本报讯 副市长李明调研浙江青禾科技有限公司。\n"
V2 = "本报讯 市长陈志强考察浙江红旗机械有限公司。\n"

# Runs `kg build` and SIGKILLs itself at the Nth write step into the output
# folder: a temp file made, a file removed or a file renamed there.
RUNNER = """\
import os, signal, sys, tempfile
n, out, argv = int(sys.argv[1]), os.path.realpath(sys.argv[2]), sys.argv[3:]
count = 0
def step(path):
    global count
    if os.path.realpath(path) == out:
        count += 1
        if count == n:
            os.kill(os.getpid(), signal.SIGKILL)
real_replace, real_unlink, real_mkstemp = os.replace, os.unlink, tempfile.mkstemp
def replace(src, dst, *a, **k):
    step(os.path.dirname(os.path.abspath(dst)))
    return real_replace(src, dst, *a, **k)
def unlink(p, *a, **k):
    step(os.path.dirname(os.path.abspath(p)))
    return real_unlink(p, *a, **k)
def mkstemp(*a, **k):
    step(k.get("dir") or ".")
    return real_mkstemp(*a, **k)
os.replace, os.unlink, tempfile.mkstemp = replace, unlink, mkstemp
from kg.cli import main
sys.exit(main(argv))
"""


def _papers(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "page1.txt").write_text(text, encoding="utf-8")
    return folder


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "KG_CACHE_DIR": str(tmp_path / "cache")}


def _kg(tmp_path: Path, *args: object, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], cwd=ROOT,
                          env=_env(tmp_path), capture_output=True, text=True, timeout=timeout)


def _outputs(out: Path) -> dict[str, bytes]:
    return {n: (out / n).read_bytes() for n in (*OUTPUTS, NAME) if (out / n).exists()}


def _texts(result: kg.Result) -> list[str]:
    """Which version each article is: V1 names 李明, V2 陈志强."""
    return ["李明" if "李明" in a.text else "陈志强" if "陈志强" in a.text else a.text
            for a in result.articles]


def _temps(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.endswith(TEMP_SUFFIX))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


# -- 3. a kill at every write step ----------------------------------------------
def test_a_kill_at_any_write_step_leaves_the_old_set_or_a_refused_folder(
        tmp_path: Path, cache: Path) -> None:
    old_in = _papers(tmp_path / "v1", V1)
    new_in = _papers(tmp_path / "v2", V2)
    pristine = tmp_path / "pristine"
    assert kg.cli.main(["build", str(old_in), "-o", str(pristine), *FAST]) == 0
    old = _outputs(pristine)
    assert set(old) == {*OUTPUTS, NAME}
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER, encoding="utf-8")
    out = tmp_path / "out"
    outcomes: list[str] = []
    for n in range(1, 60):
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(pristine, out)
        r = subprocess.run([sys.executable, str(runner), str(n), str(out), "build",
                            str(new_in), "-o", str(out), *FAST],
                           cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True,
                           timeout=120)
        if r.returncode != -signal.SIGKILL:
            assert r.returncode == 0, r.stderr  # past the last step: a whole build
            break
        try:
            loaded = kg.load(out)
        except KgError as exc:
            assert str(out) in str(exc) and "\n" not in str(exc)
            outcomes.append("refused")
        else:
            # It loads only as the old build: every file, the manifest too.
            assert _outputs(out) == old, n
            assert _texts(loaded) == ["李明"]
            outcomes.append("old")
        # The next build succeeds, cleans the killed one's temp files and is new.
        assert kg.cli.main(["build", str(new_in), "-o", str(out), *FAST]) == 0, n
        assert _temps(out) == [], n
        verify(out)
        assert _texts(kg.load(out)) == ["陈志强"]
    else:
        pytest.fail("the build never finished: the runner kills at every call")
    # 10 temp files, the old manifest removed, 10 renames, the manifest's temp
    # file and its rename: every one was a kill point.  Up to the manifest's
    # removal the old set stands; from then on the folder is refused.
    k = len(OUTPUTS)
    assert outcomes == ["old"] * (k + 1) + ["refused"] * (k + 2)


def test_a_build_stopped_while_writing_temps_leaves_them_to_the_next(
        tmp_path: Path, cache: Path) -> None:
    src = _papers(tmp_path / "in", V1)
    out = tmp_path / "out"
    assert kg.cli.main(["build", str(src), "-o", str(out), *FAST]) == 0
    before = _outputs(out)
    stale = out / f".graph.json.abcd1234{TEMP_SUFFIX}"  # what a kill leaves
    stale.write_text("{", encoding="utf-8")
    mine = [out / "notes.tmp", out / f"notes{TEMP_SUFFIX}"]  # not kg's names: kept
    for p in mine:
        p.write_text("x", encoding="utf-8")
    assert kg.cli.main(["build", str(src), "-o", str(out), *FAST]) == 0  # up to date
    assert not stale.exists() and all(p.exists() for p in mine)
    assert _outputs(out) == before


# -- 3. the lock -------------------------------------------------------------------
def _no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("an input was read")

    monkeypatch.setattr(kg.pipeline, "read_documents", refuse)
    monkeypatch.setattr(kg.manifest, "iter_files", refuse)
    monkeypatch.setattr(kg.read, "iter_files", refuse)


def _one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), err
    assert "Traceback" not in err
    return lines[0]


def test_a_second_build_into_a_locked_folder_fails_at_once(
        tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    src = _papers(tmp_path / "in", V1)
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # a build in another process
        with monkeypatch.context() as m:
            _no_reading(m)
            assert kg.cli.main(["build", str(src), "-o", str(out), *FAST]) == 2
        line = _one_error_line(capsys.readouterr().err)
        assert str(out) in line and "another kg build is writing" in line
        assert sorted(os.listdir(out)) == [LOCK]  # nothing written
    finally:
        os.close(fd)
    # Negative: once it is released, the same build goes through.
    assert kg.cli.main(["build", str(src), "-o", str(out), *FAST]) == 0
    verify(out)


def test_a_build_in_another_process_is_refused_while_the_lock_is_held(tmp_path: Path) -> None:
    src = _papers(tmp_path / "in", V1)
    out = tmp_path / "out"
    with output_lock(out):
        r = _kg(tmp_path, "build", src, "-o", out, *FAST)
    assert r.returncode == 2
    assert "another kg build is writing" in _one_error_line(r.stderr)
    assert not (out / NAME).exists()


def test_the_lock_is_reentrant_in_one_process_and_write_outputs_takes_it(
        tmp_path: Path) -> None:
    out = tmp_path / "out"
    with output_lock(out) as held, output_lock(out) as again:
        assert held is again
    fd = os.open(out / LOCK, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        result = kg.Result(graph=nx.Graph(), articles=[], mentions=[], entities=[])
        with pytest.raises(KgError, match="another kg build"):
            kg.write_outputs(result, out)
    finally:
        os.close(fd)


# -- 6. every option and the output folder before any input ---------------------------
def _bad_options(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    a_file = tmp_path / "passwd"
    a_file.write_text("root:x:0:0\n", encoding="utf-8")
    bad_aliases = tmp_path / "aliases.csv"
    bad_aliases.write_text("alias,canonical\n李明\n", encoding="utf-8")  # no canonical
    garbage_model = tmp_path / "model.crfsuite"
    garbage_model.write_bytes(b"not a model")
    return {
        "-o is a file": (["-o", str(a_file)], "not a folder"),
        "-o under a file": (["-o", str(a_file / "out")], "cannot create the output folder"),
        "--max-nodes 0": (["--max-nodes", "0"], "--max-nodes"),
        "--max-nodes -3": (["--max-nodes", "-3"], "--max-nodes"),
        "--min-weight 0": (["--min-weight", "0"], "--min-weight"),
        "--list-cap 1": (["--list-cap", "1"], "--list-cap"),
        "--workers 0": (["--workers", "0"], "--workers"),
        "--scheduler": (["--scheduler", "threads"], "scheduler"),
        "aliases": (["--aliases", str(bad_aliases)], "aliases.csv"),
        "missing aliases": (["--aliases", str(tmp_path / "none.csv")], "none.csv"),
        "missing model": (["--learned", str(tmp_path / "none.crfsuite")], "none.crfsuite"),
        "garbage model": (["--learned", str(garbage_model)], "model.crfsuite"),
    }


BAD = ("-o is a file", "-o under a file", "--max-nodes 0", "--max-nodes -3", "--min-weight 0",
       "--list-cap 1", "--workers 0", "--scheduler", "aliases", "missing aliases",
       "missing model", "garbage model")


@pytest.mark.parametrize("case", BAD)
def test_a_bad_option_is_one_line_before_any_reading(
        case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    src = _papers(tmp_path / "in", V1)
    cases = _bad_options(tmp_path)
    assert set(cases) == set(BAD)
    extra, says = cases[case]
    _no_reading(monkeypatch)
    argv = ["build", str(src), "-o", str(tmp_path / "out"), "--ner", "lac", "-q"]
    if "--learned" not in extra:
        argv += ["--learned", "none"]
    assert kg.cli.main([*argv, *extra]) == 2
    assert says in _one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "out" / NAME).exists()


def test_good_edge_values_of_the_same_options_build(tmp_path: Path, cache: Path) -> None:
    src = _papers(tmp_path / "in", V1)
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,canonical\n青禾科技,浙江青禾科技有限公司\n", encoding="utf-8")
    assert kg.cli.main(["build", str(src), "-o", str(tmp_path / "out"), *FAST,
                        "--max-nodes", "1", "--list-cap", "0", "--workers", "1",
                        "--scheduler", "sync", "--aliases", str(aliases)]) == 0
    verify(tmp_path / "out")


def test_a_bad_option_never_opens_a_fifo_input(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # reading it would block: the build must stop before
    for extra in (["--max-nodes", "0"], ["-o", str(fifo)], ["--aliases", str(tmp_path)]):
        r = _kg(tmp_path, "build", fifo, "-o", tmp_path / "out", *FAST, *extra, timeout=60)
        assert r.returncode == 2, extra
        _one_error_line(r.stderr)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in read-only folders")
def test_a_read_only_output_folder_is_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    src = _papers(tmp_path / "in", V1)
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    _no_reading(monkeypatch)
    try:
        for out in (ro, ro / "sub"):
            assert kg.cli.main(["build", str(src), "-o", str(out), *FAST]) == 2
            assert str(out) in _one_error_line(capsys.readouterr().err)
    finally:
        ro.chmod(0o755)


def test_an_error_naming_a_hostile_path_stays_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _papers(tmp_path / "in", V1)
    evil = tmp_path / "x\nkg: error: forged\x1b]0;pwned\x07"
    evil.write_text("", encoding="utf-8")
    assert kg.cli.main(["build", str(src), "-o", str(evil), *FAST]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert "\x1b" not in line and "\\x1b]0;pwned\\x07" in line and "\\nkg: error" in line


# -- 6. a full disk --------------------------------------------------------------------
def test_a_full_disk_is_one_line_and_the_old_outputs_stay(
        tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import kg.export.tables as tables

    old_in = _papers(tmp_path / "v1", V1)
    new_in = _papers(tmp_path / "v2", V2)
    out = tmp_path / "out"
    assert kg.cli.main(["build", str(old_in), "-o", str(out), *FAST]) == 0
    old = _outputs(out)

    def full(_mentions: object, _articles: object, path: Path) -> Path:
        with atomic_open(path) as fh:  # half a file, then the disk is full
            fh.write('{"article_id": ')
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(tables, "write_mentions_jsonl", full)
    assert kg.cli.main(["build", str(new_in), "-o", str(out), *FAST]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert str(out) in line and "No space left on device" in line and "mentions.jsonl" in line
    assert _outputs(out) == old  # every old file, the manifest too
    assert _temps(out) == []
    verify(out)
    assert _texts(kg.load(out)) == ["李明"]


# -- 10 (CLI half). skipped inputs: named, summed up, exit 3 --------------------------------
def test_a_missing_path_next_to_good_inputs_writes_and_exits_3(tmp_path: Path) -> None:
    src = _papers(tmp_path / "in", V1)
    out = tmp_path / "out"
    for quiet in ((), ("-q",)):
        r = _kg(tmp_path, "build", src, tmp_path / "gone.txt", "-o", out, "--ner", "lac",
                "--learned", "none", "--no-cache", *quiet)
        assert r.returncode == 3, r.stderr
        lines = r.stderr.splitlines()
        assert [ln for ln in lines if "gone.txt" in ln] == [
            f"kg: {tmp_path / 'gone.txt'}: no such file or folder"]
        assert lines[-1] == "kg: skipped: 1 input (named above)"
        verify(out)
    # An up-to-date re-run says the same: the manifest keeps what was skipped.
    r = _kg(tmp_path, "build", src, tmp_path / "gone.txt", "-o", out, *FAST)
    assert r.returncode == 3
    assert r.stderr.splitlines()[-1] == "kg: skipped: 1 input (named above)"
    assert read_manifest(out)["skipped"] == [f"{tmp_path / 'gone.txt'}: no such file or folder"]


def test_a_bad_record_counts_as_skipped_and_good_inputs_exit_0(tmp_path: Path) -> None:
    src = _papers(tmp_path / "in", V1)
    (src / "feed.jsonl").write_text('{"text": "本报讯 县长王强出席会议。"}\n{oops\n',
                                    encoding="utf-8")
    r = _kg(tmp_path, "build", src, "-o", tmp_path / "out", *FAST)
    assert r.returncode == 3
    assert r.stderr.splitlines()[-1] == "kg: skipped: 1 input (named above)"
    assert len(kg.load(tmp_path / "out").articles) == 2
    # Negative: nothing skipped, no summary line, exit 0.
    (src / "feed.jsonl").unlink()
    r = _kg(tmp_path, "build", src, "-o", tmp_path / "out2", *FAST)
    assert r.returncode == 0 and "skipped" not in r.stderr


def test_only_missing_inputs_is_an_error(tmp_path: Path) -> None:
    r = _kg(tmp_path, "build", tmp_path / "gone.txt", "-o", tmp_path / "out", *FAST)
    assert r.returncode == 2
    assert r.stderr.splitlines()[-1] == "kg: error: no articles found in the inputs"
    assert not (tmp_path / "out" / NAME).exists()

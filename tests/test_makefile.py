"""The Makefile's set-up, dry-run (make -n): what a fresh machine would run."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="no make here")


def dry(*args: str) -> str:
    r = subprocess.run(["make", "-n", "-B", *args], cwd=ROOT, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_torch_comes_from_the_index_the_user_names() -> None:
    out = dry("TORCH_INDEX=https://download.pytorch.org/whl/cpu", ".venv/.installed-test")
    line = next(ln for ln in out.splitlines() if "torch==" in ln)
    assert "--index-url https://download.pytorch.org/whl/cpu" in line
    plain = next(ln for ln in dry(".venv/.installed-test").splitlines() if "torch==" in ln)
    assert "--index-url" not in plain  # left empty: pip's own index


def test_test_fast_installs_no_torch_and_skips_hanlp() -> None:
    out = dry("test-fast")
    assert "torch" not in out and "hanlp" not in out.replace('"not hanlp"', "")
    assert 'pytest -m "not hanlp"' in out
    assert "pytest" in dry("test") and "torch==" in dry("test")

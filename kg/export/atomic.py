"""Atomic writes: a temp file in the target folder, then ``os.replace``."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def atomic_open(path: str | Path, mode: str = "w", **kw: object) -> Iterator[IO]:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        if "b" not in mode:
            kw.setdefault("encoding", "utf-8")
            kw.setdefault("newline", "")
        with os.fdopen(fd, mode, **kw) as fh:  # type: ignore[call-overload]
            yield fh
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise

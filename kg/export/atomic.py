"""Atomic writes: a temp file in the target folder, then ``os.replace``.

``mkstemp`` makes the temp file 0600; outputs are meant to be shared like any
file the user writes, so they get the mode the umask gives a new file.

Inside :func:`staged`, :func:`atomic_open` keeps each finished temp file and
records it (size, sha256) instead of renaming it: :meth:`Stage.commit` renames
them all once every one is written, so a failure while writing (a full disk,
a bug, a kill) leaves the files there before untouched.  Temp files are named
``.NAME.XXXXXXXX.kg-tmp``: :func:`remove_stale_temps` removes only those.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import IO

TEMP_SUFFIX = ".kg-tmp"
# mkstemp's random part is 8 characters of [a-z0-9_].
_TEMP_NAME = re.compile(r"\..+\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX))


def current_umask() -> int:
    """The process umask (reading it means setting it; it is put back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@dataclass(frozen=True)
class Staged:
    """A finished temp file waiting to become ``target``."""

    temp: Path
    target: Path
    size: int
    sha256: str


class Stage:
    """The temp files written inside one :func:`staged` block."""

    def __init__(self) -> None:
        self.files: list[Staged] = []
        self.done: list[Staged] = []

    def commit(self) -> list[Staged]:
        """Rename every temp file into place, in the order written."""
        while self.files:
            f = self.files[0]
            os.replace(f.temp, f.target)
            self.done.append(self.files.pop(0))
        return list(self.done)

    def discard(self) -> None:
        """Remove the temp files not renamed yet."""
        for f in self.files:
            f.temp.unlink(missing_ok=True)
        self.files.clear()


_STAGE: ContextVar[Stage | None] = ContextVar("kg_stage", default=None)


@contextmanager
def staged() -> Iterator[Stage]:
    """Collect what :func:`atomic_open` writes in this block; an exception
    removes it all.  Call :meth:`Stage.commit` after the block (and
    :meth:`Stage.discard` in a ``finally``)."""
    stage = Stage()
    token = _STAGE.set(stage)
    try:
        yield stage
    except BaseException:
        stage.discard()
        raise
    finally:
        _STAGE.reset(token)


def digest(path: str | Path) -> tuple[int, str]:
    """``(size, sha256 hex)`` of a file."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
            size += len(block)
    return size, h.hexdigest()


@contextmanager
def atomic_open(path: str | Path, mode: str = "w", **kw: object) -> Iterator[IO]:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                suffix=TEMP_SUFFIX)
    tmp = Path(name)
    stage = _STAGE.get()
    try:
        os.chmod(tmp, 0o666 & ~current_umask())
        if "b" not in mode:
            kw.setdefault("encoding", "utf-8")
            kw.setdefault("newline", "")
        with os.fdopen(fd, mode, **kw) as fh:  # type: ignore[call-overload]
            yield fh
        if stage is None:
            os.replace(tmp, target)
        else:
            # Hashed after writing: the writers hand pyarrow and csv plain
            # file objects, and the page cache makes the re-read cheap.
            stage.files.append(Staged(tmp, target, *digest(tmp)))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def remove_stale_temps(folder: str | Path) -> list[Path]:
    """Remove temp files a killed kg left in ``folder`` (kg's own names only)."""
    gone = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return gone
    for entry in entries:
        if _TEMP_NAME.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            Path(entry.path).unlink(missing_ok=True)
            gone.append(Path(entry.path))
    return sorted(gone)

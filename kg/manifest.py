"""``kg-manifest.json`` and the output folder's lock.

The manifest is written last, after every output file is in place.  It records
a key (a hash of kg's code, the options and every input file's path and bytes),
each output's size and sha256, and the inputs the build skipped.  A re-run
with the same key whose outputs all match has nothing to do; :func:`verify`
(used by :func:`kg.load`) refuses a folder whose files don't match it.

A build holds ``.kg.lock`` in the folder (``flock``) from before it reads any
input until it is done, so a second build into the same folder fails at once.
While outputs are being renamed into place the lock file says so: a folder
left that way by a kill has no manifest and is refused, whereas a folder from
a kg that wrote no manifest loads with a warning.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kg.cache import files_fingerprint
from kg.export.atomic import Staged, atomic_open, digest, remove_stale_temps
from kg.read import ReadError, iter_files
from kg.recognize.base import KgError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: builds are not locked
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

NAME = "kg-manifest.json"
LOCK = ".kg.lock"
#: What the lock file holds while outputs are being renamed into place.
COMMITTING = "replacing outputs\n"
_KG_ROOT = Path(__file__).resolve().parent


def kg_fingerprint() -> str:
    """Hash of every file of the kg package (code, word lists, models, templates)."""
    return files_fingerprint(_KG_ROOT.rglob("*"), _KG_ROOT)


def build_key(inputs: Iterable[str | Path], options: Mapping[str, Any]) -> str:
    """The identity of a build: kg's code, its options, its inputs' paths and bytes.

    Option values that name files (aliases, a model) should be passed as
    their contents' hash by the caller.
    """
    h = hashlib.sha256(kg_fingerprint().encode())
    h.update(json.dumps(dict(options), sort_keys=True, default=str).encode())
    for item in iter_files(inputs):
        if isinstance(item, ReadError):
            h.update(f"!{item}".encode())
            continue
        h.update(b"\0" + str(item).encode() + b"\0")
        try:
            h.update(item.read_bytes())
        except OSError as exc:
            h.update(f"!{exc}".encode())
    return h.hexdigest()


def file_hash(path: str | Path | None) -> str | None:
    if path is None:
        return None
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return f"unreadable:{path}"


def write_manifest(out: Path, key: str | None, outputs: Iterable[Staged],
                   skipped: Iterable[str] = ()) -> Path:
    """Record the outputs just put in place (their size and sha256) and the
    inputs the build skipped; written last."""
    data = {
        "key": key,
        "outputs": {f.target.name: {"size": f.size, "sha256": f.sha256}
                    for f in sorted(outputs, key=lambda f: f.target.name)},
        "skipped": list(skipped),
    }
    with atomic_open(out / NAME) as fh:
        json.dump(data, fh, indent=1, sort_keys=True, ensure_ascii=False)
    return out / NAME


def read_manifest(out: Path) -> dict[str, Any] | None:
    """The manifest, or ``None`` when there is none or it is not one."""
    try:
        data = json.loads((out / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("outputs"), dict):
        return None
    return data


def _expected(entry: object) -> tuple[int | None, str | None]:
    """``(size, sha256)`` a manifest entry promises (older manifests: a size alone)."""
    if isinstance(entry, int) and not isinstance(entry, bool):
        return entry, None
    if isinstance(entry, dict):
        size, sha = entry.get("size"), entry.get("sha256")
        return (size if isinstance(size, int) else None), (sha if isinstance(sha, str) else None)
    return None, None


def mismatch(out: Path, data: Mapping[str, Any]) -> str | None:
    """The first output that does not match the manifest ``data``, as a
    message; ``None`` when all do."""
    outputs = data.get("outputs") or {}
    if not outputs:
        return f"{NAME} lists no outputs"
    for name, want in sorted(outputs.items()):
        if not isinstance(name, str) or Path(name).name != name or name in ("", ".", ".."):
            return f"{NAME} lists {name!r}, not a file name"
        p = out / name
        if not p.is_file():
            return f"{name} is missing"
        size, sha = _expected(want)
        if size is None or p.stat().st_size != size:
            return f"{name} does not match {NAME} (size)"
        if sha is not None and digest(p)[1] != sha:
            return f"{name} does not match {NAME} (sha256)"
    return None


def interrupted(out: Path) -> bool:
    """True when a build was stopped while renaming its outputs into place."""
    try:
        return (out / LOCK).read_text(encoding="utf-8") == COMMITTING
    except (OSError, UnicodeDecodeError):
        return False


def verify(out: Path) -> None:
    """Raise :class:`KgError` (naming the folder and the odd file) unless
    ``out``'s files match its manifest.  A folder without one, from a kg
    that wrote none, passes with a warning; one left by a stopped build is
    refused."""
    data = read_manifest(out)
    if data is None:
        if interrupted(out):
            raise KgError(f"{out}: a kg build was stopped while replacing these outputs "
                          f"(no {NAME}); build again")
        if (out / NAME).exists():
            raise KgError(f"{out}: {NAME} is unreadable; build again")
        log.warning("%s: no %s (an older kg wrote it?): its files are not checked", out, NAME)
        return
    problem = mismatch(out, data)
    if problem:
        raise KgError(f"{out}: {problem}; a build was stopped or a file was changed: "
                      "build again")


def up_to_date(out: Path, key: str) -> bool:
    """True when ``out`` holds the complete outputs of the build ``key``."""
    data = read_manifest(out)
    if data is None or data.get("key") != key:
        return False
    try:
        return mismatch(out, data) is None
    except OSError:
        return False


def skipped_inputs(out: Path) -> list[str]:
    """The inputs the build that wrote ``out`` skipped (from its manifest)."""
    data = read_manifest(out) or {}
    skipped = data.get("skipped")
    return [str(s) for s in skipped] if isinstance(skipped, list) else []


class FolderLock:
    """The lock on one output folder; :meth:`mark` records the build's state."""

    def __init__(self, folder: Path, fd: int) -> None:
        self.folder = folder
        self.fd = fd

    def mark(self, state: str) -> None:
        os.ftruncate(self.fd, 0)
        if state:
            os.pwrite(self.fd, state.encode(), 0)


_HELD: dict[str, FolderLock] = {}


def prepare_output(out: Path) -> None:
    """Create the output folder or raise one line saying why it can't be one."""
    if out.exists() and not out.is_dir():
        raise KgError(f"{out}: exists and is not a folder (-o names the output folder)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KgError(f"{out}: cannot create the output folder ({exc.strerror or exc})") from exc
    if not os.access(out, os.W_OK | os.X_OK):
        raise KgError(f"{out}: cannot write in the output folder (permission denied)")


@contextmanager
def output_lock(out: str | Path) -> Iterator[FolderLock]:
    """Hold ``out``'s lock (created with the folder if need be); another
    process holding it gives a one-line :class:`KgError` at once.  Re-entrant
    within a process.  Stale temp files are removed once it is held."""
    out = Path(out)
    prepare_output(out)
    real = os.path.realpath(out)
    if real in _HELD:
        yield _HELD[real]
        return
    try:
        fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise KgError(f"{out}: cannot write in the output folder ({exc.strerror or exc})") \
            from exc
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise KgError(f"{out}: another kg build is writing this folder (it holds "
                              f"{LOCK}); wait for it to finish or use another -o") from None
        lock = _HELD[real] = FolderLock(out, fd)
        try:
            remove_stale_temps(out)
            yield lock
        finally:
            del _HELD[real]
    finally:
        os.close(fd)  # releases the flock

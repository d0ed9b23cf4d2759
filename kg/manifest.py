"""``kg-manifest.json``: what an output folder was built from.

Written last, after every output file is in place, it records a key (a hash
of kg's code, the options and every input file's path and bytes) and each
output's size.  A re-run with the same key whose outputs are all there, at
the sizes recorded, has nothing to do: the folder is already that build.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kg.cache import files_fingerprint
from kg.export.atomic import atomic_open
from kg.read import ReadError, iter_files

NAME = "kg-manifest.json"
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


def write_manifest(out: Path, key: str, outputs: Iterable[Path]) -> Path:
    data = {"key": key, "outputs": {p.name: p.stat().st_size for p in sorted(outputs)}}
    with atomic_open(out / NAME) as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
    return out / NAME


def up_to_date(out: Path, key: str) -> bool:
    """True when ``out`` holds the complete outputs of the build ``key``."""
    try:
        data = json.loads((out / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict) or data.get("key") != key:
        return False
    outputs = data.get("outputs")
    if not isinstance(outputs, dict) or not outputs:
        return False
    for name, size in outputs.items():
        p = out / str(name)
        if not p.is_file() or p.stat().st_size != size:
            return False
    return True

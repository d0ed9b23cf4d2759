"""Read input files into :class:`~kg.model.Document` objects.

Accepts files or folders of ``.txt``, ``.md`` and ``.jsonl`` (one JSON object
per line with a ``text`` field, optional ``title`` and ``date``).  Encodings: UTF-8 (with or without BOM),
UTF-16 with BOM, GB18030/GBK.  A file that is none of these is reported in one
line and skipped; the run goes on.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.dates import parse_date
from kg.model import Document

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md", ".jsonl")


@dataclass(frozen=True)
class ReadError:
    file: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.problem}"


class DecodeError(ValueError):
    pass


def _plausible(text: str) -> bool:
    """Reject decodes that are really binary: NULs or many control characters."""
    if "\x00" in text:
        return False
    if not text:
        return True
    bad = sum(
        1
        for c in text
        if unicodedata.category(c) in ("Cc", "Co", "Cn") and c not in "\n\r\t\f\v"
    )
    return bad / len(text) < 0.01


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` or raise :class:`DecodeError`."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text, enc
    raise DecodeError("not text in UTF-8, UTF-16 (with BOM) or GB18030/GBK; skipped")


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | ReadError]:
    """Expand folders (recursively, sorted) into input files."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(
                f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
            )
            if not found:
                yield ReadError(str(path), "folder holds no .txt, .md or .jsonl files")
            yield from found
        elif path.is_file():
            yield path
        else:
            yield ReadError(str(path), "no such file or folder")


def read_file(path: Path) -> tuple[list[Document], list[ReadError]]:
    """Decode one file; jsonl records with problems are reported one by one."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [ReadError(name, f"cannot read ({exc.strerror or exc})")]
    try:
        text, _enc = decode(data)
    except DecodeError as exc:
        return [], [ReadError(name, str(exc))]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if path.suffix.lower() != ".jsonl":
        if not text.strip():
            return [], [ReadError(name, "file is empty; skipped")]
        return [Document(name, text)], []
    docs: list[Document] = []
    errors: list[ReadError] = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(ReadError(name, f"line {lineno}: invalid JSON ({exc.msg})"))
            continue
        body = obj.get("text") if isinstance(obj, dict) else None
        if not isinstance(body, str) or not body.strip():
            errors.append(ReadError(name, f"line {lineno}: no non-empty 'text' field"))
            continue
        title = obj.get("title")
        date = obj.get("date")
        iso = parse_date(date) if isinstance(date, str) else None
        if date not in (None, "") and iso is None:
            errors.append(ReadError(name, f"line {lineno}: 'date' {str(date)[:40]!r} is not a "
                                          "date (use YYYY-MM-DD); record kept without it"))
        docs.append(Document(name, body, record=lineno,
                             title=title.strip() if isinstance(title, str) and title.strip() else None,
                             date=iso))
    return docs, errors


def read_documents(
    paths: Iterable[str | Path],
) -> tuple[list[Document], list[ReadError]]:
    """Read every input; never raises for a bad file, returns its error instead."""
    docs: list[Document] = []
    errors: list[ReadError] = []
    for item in iter_files(paths):
        if isinstance(item, ReadError):
            errors.append(item)
            continue
        d, e = read_file(item)
        docs.extend(d)
        errors.extend(e)
    for err in errors:
        log.warning("%s", err)
    return docs, errors

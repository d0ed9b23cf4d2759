"""Read input files into :class:`~kg.model.Document` objects.

Accepts files or folders of ``.txt``, ``.md`` and ``.jsonl`` (one JSON object
per line with a ``text`` field, optional ``title`` and ``date``).  Encodings: UTF-8 (with or without BOM),
UTF-16 with BOM, GB18030/GBK.  A file that is none of these, or whose text is
Japanese or Korean rather than Chinese, is reported in one line and skipped;
the run goes on.  A UTF-8 file with a few lines in another encoding keeps its
good lines (the bad ones are named).

Each input gets a name that is unique within the run and stable across runs:
its path relative to the folder given, starting with that folder's own name
(``A/0101/page1.txt``), or its file name when given directly.  Article ids are
built on it (:func:`kg.pages.articles_from_document`).  Documents come back
sorted by name, so outputs do not depend on the order inputs were given; a
file reached twice (listed twice, through a folder and directly, through a
link) is read once.  Folders that hold kg's own outputs are never read.
"""

from __future__ import annotations

import json
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.dates import parse_date
from kg.model import Document

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md", ".jsonl")
#: Files kg writes into an output folder (kg/pipeline.py write_outputs, kg/cli.py).
MANIFEST = "kg-manifest.json"
OUTPUT_SET = ("graph.json", "articles.jsonl", "mentions.jsonl")
_OUTPUT_NAMES = (
    r"graph\.(?:json|html|graphml)|entities\.csv|mentions\.jsonl|articles\.jsonl"
    r"|\w+\.parquet|kg-manifest\.json"
)
#: kg's temp files (kg/export/atomic.py: ``.graph.json.k3j9.tmp``).
_KG_TEMP = re.compile(rf"^\.(?:{_OUTPUT_NAMES})\..*|.*\.tmp$")


@dataclass(frozen=True)
class ReadError:
    """A problem with one input, reported in one line.

    ``skipped`` is True when input was lost (a file or a record not read) and
    False for a warning about input that was kept (a bad date dropped,
    characters replaced): the CLI counts the first kind in its summary.
    """

    file: str
    problem: str
    skipped: bool = True

    def __str__(self) -> str:
        return printable(f"{self.file}: {self.problem}")


class DecodeError(ValueError):
    pass


# -- messages and text hygiene ---------------------------------------------------
# Characters that must never reach a terminal or a one-line message raw: C0 and
# C1 controls (a newline forges a line, ESC starts an escape or OSC sequence),
# bidi and zero-width controls (reorder what is shown), line separators, and
# surrogates (a non-UTF-8 file name; printing one raises UnicodeEncodeError).
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    o = ord(c)
    if c in _NAMED:
        return _NAMED[c]
    if 0xDC80 <= o <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{o - 0xDC00:02x}"
    return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"


def printable(name: str) -> str:
    """``name`` safe to print on one line: control, bidi and zero-width characters
    and lone surrogates escaped as ``\\n``, ``\\x1b``, ``\\u202e`` (a file named with
    a newline and an escape sequence can neither forge a line nor drive the terminal).
    Printable text, backslashes included, is kept as it is, so the function is
    idempotent."""
    return _UNPRINTABLE.sub(_escape, name)


# Line-breaking controls become newlines (removing them would glue two lines
# into one); every other C0/C1 control but tab and newline goes: they break
# XML (GraphML) and terminals, and no news text needs them.
_CONTROLS = {c: None for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}
_CONTROLS.update({0x0B: "\n", 0x0C: "\n", 0x85: "\n"})
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Newlines normalised to ``\\n``; C0/C1 controls other than tab and newline removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # translate() looks up every character: only when there is something to do.
    return text.translate(_CONTROLS) if _CONTROL_RE.search(text) else text


# -- decoding ------------------------------------------------------------------
# Controls (but the whitespace ones) and private-use characters: counted at C speed.
_BINARY_RE = re.compile(
    "[\x01-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\U000f0000-\U0010ffff]"
)
_ASSIGNED_RE = re.compile("[\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff]+")
#: Unassigned code points are looked up one by one, in this much of the text.
_UNASSIGNED_SAMPLE = 100_000


def _plausible(text: str) -> bool:
    """Reject decodes that are really binary: NULs or many control characters
    (a stray one or two in a short text are only stripped)."""
    if "\x00" in text:
        return False
    if not text:
        return True
    bad = _count(_BINARY_RE, text)
    # ASCII and the two big Chinese blocks have no unassigned code points.
    rest = _ASSIGNED_RE.sub("", text[:_UNASSIGNED_SAMPLE])
    bad += sum(1 for c in rest if unicodedata.category(c) == "Cn")
    return bad <= 2 or bad / len(text) < 0.01


_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_HAN_RE = re.compile(f"[{_HAN}]")
# Kana without U+30FB and U+30FC (・ and ー), which Chinese uses in foreign names.
_KANA_RE = re.compile("[\u3040-\u30fa\u30fd-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL_RE = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def _count(pattern: re.Pattern[str], text: str) -> int:
    """How many characters of ``text`` match ``pattern`` (at C speed, no list)."""
    return len(text) - len(pattern.sub("", text))


@lru_cache(maxsize=1)
def _common_re() -> re.Pattern[str]:
    text = resources.files("kg.data").joinpath("common_chars.txt").read_text(encoding="utf-8")
    chars = "".join(ln.strip() for ln in text.splitlines() if not ln.startswith("#"))
    return re.compile(f"[{re.escape(chars)}]")


#: Kana or hangul above this share of the CJK characters: Japanese or Korean.
#: Chinese news quoting a Japanese name stays far below it.
FOREIGN_SHARE = 0.3
FOREIGN_MIN = 5
#: Text decoded as GB18030 whose Chinese characters are this rarely among the
#: 2000 most frequent is another encoding's bytes.  Measured: Chinese news,
#: any 50-character stretch, at least 0.71; Korean EUC-KR read as GB18030 0.44;
#: Japanese Shift-JIS 0.  Fewer than COMMON_MIN Chinese characters: no verdict.
COMMON_SHARE = 0.6
COMMON_MIN = 30
#: A short text (SHORT_MIN to COMMON_MIN Chinese characters) needs a lower
#: share to be called mojibake: measured on MSRA and People's Daily test
#: sentences of that length, Chinese is at least 0.63; Shift-JIS read as
#: GB18030 is near 0.
SHORT_SHARE = 0.3
SHORT_MIN = 10


#: The legacy check reads this much of a text: mojibake is the same all through.
SAMPLE = 20_000


def language_problem(text: str, *, legacy: bool = False) -> str | None:
    """Why ``text`` is not plausibly Chinese, or None.  ``legacy``: it was decoded
    as GB18030, where Japanese and Korean bytes also decode, into rare characters."""
    kana, hangul = _count(_KANA_RE, text), _count(_HANGUL_RE, text)
    if kana + hangul >= FOREIGN_MIN:
        cjk = _count(_HAN_RE, text) + kana + hangul
        if (kana + hangul) / cjk > FOREIGN_SHARE:
            lang = "Japanese (kana)" if kana >= hangul else "Korean (hangul)"
            return f"text looks like {lang}, not Chinese; skipped"
    if legacy:
        sample = text[:SAMPLE]
        han = _count(_HAN_RE, sample)
        floor = COMMON_SHARE if han >= COMMON_MIN else SHORT_SHARE if han >= SHORT_MIN else 0
        if han and _count(_common_re(), sample) / han < floor:
            return ("not plausible Chinese when read as GB18030 (Japanese or Korean bytes, "
                    "or another encoding?); skipped")
    return None


def _foreign_hint(data: bytes) -> str:
    """A hint for bytes that are no encoding kg reads: Japanese or Korean?"""
    for enc, lang in (("shift_jis", "Japanese"), ("euc_jp", "Japanese"), ("cp949", "Korean")):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        problem = language_problem(text)
        if problem and lang in problem:
            return f" (looks like {lang} text in {enc})"
    return ""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    #: 1-based numbers of lines that were not UTF-8 in an otherwise UTF-8 file.
    bad_lines: tuple[int, ...] = ()
    #: How those lines were read: "GB18030" or "replaced".
    bad_how: str = ""


def _line_gb18030(raw: bytes) -> str | None:
    """A line of a UTF-8 file that is not UTF-8: GB18030 if that reads as Chinese."""
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    han = _count(_HAN_RE, text)
    if han < 2 or not _plausible(text) or _count(_common_re(), text) / han < COMMON_SHARE:
        return None
    return text


def _utf8_by_line(data: bytes) -> Decoded | None:
    """A file that is UTF-8 but for a few lines: decode line by line.  None when
    most lines that are not ASCII are not UTF-8 either (a GBK file)."""
    lines = data.split(b"\n")
    good = bad = 0
    for raw in lines:
        if raw.isascii():
            continue
        try:
            raw.decode("utf-8")
            good += 1
        except UnicodeDecodeError:
            bad += 1
    if good <= bad:
        return None
    out: list[str] = []
    bad_lines: list[int] = []
    all_gb = True
    for no, raw in enumerate(lines, 1):
        try:
            out.append(raw.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            bad_lines.append(no)
        gb = _line_gb18030(raw)
        all_gb = all_gb and gb is not None
        out.append(gb if gb is not None else raw.decode("utf-8", errors="replace"))
    return Decoded("\n".join(out), "utf-8", tuple(bad_lines), "GB18030" if all_gb else "replaced")


def decode_text(data: bytes) -> Decoded:
    """Decode a file's bytes or raise :class:`DecodeError` (one-line reason)."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "utf-8-lines", "gb18030"]
    for enc in candidates:
        if enc == "utf-8-lines":
            found = _utf8_by_line(data)
            if found is None or not _plausible(found.text):
                continue
            return found
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return Decoded(text, enc)
    raise DecodeError("not text in UTF-8, UTF-16 (with BOM) or GB18030/GBK"
                      f"{_foreign_hint(data)}; skipped")


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` or raise :class:`DecodeError`."""
    found = decode_text(data)
    return found.text, found.encoding


def _line_list(numbers: tuple[int, ...], most: int = 10) -> str:
    shown = ", ".join(map(str, numbers[:most]))
    more = f" and {len(numbers) - most} more" if len(numbers) > most else ""
    return f"line{'s' if len(numbers) > 1 else ''} {shown}{more}"


# -- finding the inputs ----------------------------------------------------------
@dataclass(frozen=True)
class Input:
    """A file to read and its name in this run (the base of its article ids)."""

    path: Path
    name: str


@dataclass
class _Found:
    path: Path
    parts: tuple[str, ...]  # its absolute path, lexically (links not resolved)
    depth: int  # how many trailing parts make its name
    via_link: bool
    key: tuple[int, int]  # (st_dev, st_ino): the same file reached twice is read once

    @property
    def name(self) -> str:
        return printable("/".join(self.parts[-self.depth:]))


def is_kg_output(folder: Path, names: Iterable[str] | None = None) -> bool:
    """Does ``folder`` hold kg's outputs (a manifest, or graph.json with the tables)?"""
    if names is None:
        try:
            names = os.listdir(folder)
        except OSError:
            return False
    have = set(names)
    return MANIFEST in have or all(n in have for n in OUTPUT_SET)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _relevant(name: str) -> bool:
    """A name that may have been meant as input: an input suffix, or none."""
    suffix = Path(name).suffix.lower()
    return suffix in SUFFIXES or suffix == ""


def _walk(root: Path, found: list[_Found], errors: list[ReadError], notes: list[str]) -> None:
    """Every input file under ``root``: iterative (no recursion limit on depth),
    following links to folders but each folder once (link loops end)."""
    root_parts = Path(os.path.abspath(root)).parts
    base = len(root_parts) - (1 if len(root_parts) > 1 else 0)  # keep the root's own name
    try:
        st = root.stat()
    except OSError:
        return
    seen = {(st.st_dev, st.st_ino)}
    before = len(found)
    root_is_output = False
    stack: list[tuple[Path, tuple[str, ...], bool]] = [(root, root_parts, root.is_symlink())]
    while stack:
        folder, parts, linked = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            errors.append(ReadError(str(folder), f"cannot list folder ({exc.strerror or exc}); "
                                                 "skipped"))
            continue
        if is_kg_output(folder, (e.name for e in entries)):
            root_is_output = root_is_output or folder == root
            notes.append(f"{printable(str(folder))}: kg's own output folder; not read as input")
            continue
        subdirs: list[tuple[Path, tuple[str, ...], bool]] = []
        for e in entries:
            path, eparts = Path(e.path), (*parts, e.name)
            try:
                est = e.stat()  # follows links
            except OSError:
                if e.is_symlink() and _relevant(e.name):
                    errors.append(ReadError(str(path), "broken symbolic link; skipped"))
                continue
            link = linked or e.is_symlink()
            if stat.S_ISDIR(est.st_mode):
                if (est.st_dev, est.st_ino) not in seen:  # a link loop, or a folder seen twice
                    seen.add((est.st_dev, est.st_ino))
                    subdirs.append((path, eparts, link))
            elif stat.S_ISREG(est.st_mode):
                if e.name.lower().endswith(SUFFIXES) and not _KG_TEMP.match(e.name):
                    found.append(_Found(path, eparts, len(eparts) - base, link,
                                        (est.st_dev, est.st_ino)))
            elif _relevant(e.name):  # never opened: a FIFO would block the run
                errors.append(ReadError(str(path), f"{_kind(est.st_mode)}, not a file; skipped"))
        stack.extend(reversed(subdirs))
    if len(found) == before and not root_is_output:
        errors.append(ReadError(str(root), "folder holds no .txt, .md or .jsonl files"))


def _unique_names(found: list[_Found]) -> list[Input]:
    """One entry per file, each with a name no other has: names that collide
    take more of their path (``x/A/p.txt`` and ``y/A/p.txt``) until they differ.
    Depends only on the set of files, not on the order they were given."""
    best: dict[tuple[int, int], _Found] = {}
    for f in found:
        old = best.get(f.key)
        # The same file twice: the name not through a link, the longest, then the first by name.
        if old is None or (f.via_link, -f.depth, f.name) < (old.via_link, -old.depth, old.name):
            best[f.key] = f
    items = sorted(best.values(), key=lambda f: (f.name, f.parts))
    while True:
        groups: dict[str, list[_Found]] = {}
        for f in items:
            groups.setdefault(f.name, []).append(f)
        clashes = [g for g in groups.values() if len(g) > 1]
        if not clashes:
            break
        grew = False
        for group in clashes:
            # Whole paths that print alike: no more of the path tells them apart (numbered below).
            whole = [printable("/".join(f.parts[1:])) for f in group]
            for f, w in zip(group, whole):
                if whole.count(w) == 1 and f.depth < len(f.parts) - 1:
                    f.depth += 1
                    grew = True
        if not grew:
            break
    taken = {f.name for f in items}
    out: list[Input] = []
    seen: set[str] = set()
    for f in sorted(items, key=lambda f: (f.name, f.parts)):
        name = f.name
        if name in seen:  # whole paths that print alike (a control character escaped)
            stem, dot, suffix = name.rpartition(".")
            k = 2
            while (name := f"{stem}~{k}.{suffix}" if dot else f"{f.name}~{k}") in taken:
                k += 1
            taken.add(name)
        seen.add(name)
        out.append(Input(f.path, name))
    return sorted(out, key=lambda i: i.name)


def find_inputs(
    paths: Iterable[str | Path],
) -> tuple[list[Input], list[ReadError], list[str]]:
    """The files to read (sorted by name, each once), the inputs that cannot be
    read, and notes (kg output folders passed over)."""
    found: list[_Found] = []
    errors: list[ReadError] = []
    notes: list[str] = []
    for p in paths:
        path = Path(p)
        try:
            st = path.stat()
        except OSError as exc:
            problem = ("broken symbolic link" if path.is_symlink()
                       else "no such file or folder" if isinstance(exc, FileNotFoundError)
                       else f"cannot read ({exc.strerror or exc})")
            errors.append(ReadError(str(path), problem + ("; skipped" if path.is_symlink() else "")))
            continue
        if stat.S_ISDIR(st.st_mode):
            _walk(path, found, errors, notes)
        elif stat.S_ISREG(st.st_mode):
            if is_kg_output(path.parent) and path.name in (*OUTPUT_SET, MANIFEST):
                notes.append(f"{printable(str(path))}: kg's own output; not read as input")
                continue
            parts = Path(os.path.abspath(path)).parts
            found.append(_Found(path, parts, 1, path.is_symlink(), (st.st_dev, st.st_ino)))
        else:
            errors.append(ReadError(str(path), f"{_kind(st.st_mode)}, not a file; skipped"))
    # In path order, not the order given: the manifest records them.
    errors.sort(key=lambda e: e.file)
    return _unique_names(found), errors, sorted(notes)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | ReadError]:
    """The input files (folders expanded, sorted by name, each file once), then
    the inputs that cannot be read."""
    inputs, errors, _notes = find_inputs(paths)
    for i in inputs:
        yield i.path
    yield from errors


# -- reading -----------------------------------------------------------------------
def _clean_field(value: str) -> tuple[str, bool]:
    """A JSON string made writable: controls out, lone surrogates (a ``\\udc00``
    escape) replaced with U+FFFD.  Returns (text, whether any was replaced)."""
    fixed, n = _SURROGATE.subn("\ufffd", value)
    return clean_text(fixed), n > 0


def read_file(path: Path, name: str | None = None) -> tuple[list[Document], list[ReadError]]:
    """Decode one file; jsonl records with problems are reported one by one.
    ``name`` is the file's name in the run (default: its file name)."""
    # The path as text that can be written anywhere (UTF-8, XML, one line).
    file = printable(str(path))
    name = name if name is not None else printable(path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [ReadError(file, f"cannot read ({exc.strerror or exc}); skipped")]
    try:
        found = decode_text(data)
    except DecodeError as exc:
        return [], [ReadError(file, str(exc))]
    errors: list[ReadError] = []
    if found.bad_lines:
        how = ("read as GB18030" if found.bad_how == "GB18030"
               else "bytes that are not UTF-8 replaced with U+FFFD")
        errors.append(ReadError(file, f"{_line_list(found.bad_lines)} not UTF-8 ({how}); "
                                      "the rest kept", skipped=False))
    text = clean_text(found.text)
    legacy = found.encoding == "gb18030"
    if path.suffix.lower() != ".jsonl":
        if not text.strip():
            return [], [*errors, ReadError(file, "file is empty; skipped")]
        problem = language_problem(text, legacy=legacy)
        if problem:
            return [], [*errors, ReadError(file, problem)]
        return [Document(file, text, name=name)], errors
    docs: list[Document] = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line, strict=False)  # a raw tab inside a string is fine
        except json.JSONDecodeError as exc:
            errors.append(ReadError(file, f"line {lineno}: invalid JSON ({exc.msg})"))
            continue
        body = obj.get("text") if isinstance(obj, dict) else None
        if not isinstance(body, str) or not body.strip():
            errors.append(ReadError(file, f"line {lineno}: no non-empty 'text' field"))
            continue
        body, replaced = _clean_field(body)
        title = obj.get("title")
        if isinstance(title, str):
            title, fixed = _clean_field(title)
            replaced = replaced or fixed
        if not body.strip():
            errors.append(ReadError(file, f"line {lineno}: no non-empty 'text' field"))
            continue
        problem = language_problem(body, legacy=legacy)
        if problem:
            errors.append(ReadError(file, f"line {lineno}: {problem}"))
            continue
        if replaced:
            errors.append(ReadError(file, f"line {lineno}: characters that are not valid "
                                          "Unicode (lone surrogates) replaced with U+FFFD; "
                                          "record kept", skipped=False))
        date = obj.get("date")
        iso = parse_date(date) if isinstance(date, str) else None
        if date not in (None, "") and iso is None:
            errors.append(ReadError(file, f"line {lineno}: 'date' {str(date)[:40]!r} is not a "
                                          "date (use YYYY-MM-DD); record kept without it",
                                    skipped=False))
        docs.append(Document(file, body, record=lineno, name=name,
                             title=title.strip() if isinstance(title, str) and title.strip() else None,
                             date=iso))
    return docs, errors


def read_documents(
    paths: Iterable[str | Path],
) -> tuple[list[Document], list[ReadError]]:
    """Read every input; never raises for a bad file, returns its error instead.
    Documents come sorted by name (then record), whatever the order of ``paths``."""
    inputs, errors, notes = find_inputs(paths)
    docs: list[Document] = []
    for item in inputs:
        d, e = read_file(item.path, item.name)
        docs.extend(d)
        errors.extend(e)
    for note in notes:
        log.info("%s", note)
    for err in errors:
        log.warning("%s", err)
    return docs, errors

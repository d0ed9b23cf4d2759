"""An article's date: from its record, its file name, or the text.

Archives name their pages by date (``2020-06-08/page1.txt``,
``20200608_03.txt``) and JSONL exports carry a ``date`` field; a page's
masthead prints the full date (2020年6月8日).  All three become ISO
``YYYY-MM-DD``; a date that is not a real day is no date.
"""

from __future__ import annotations

import datetime as dt
import re

# Years 1900-2099 with month and day, not inside a longer run of digits:
# one separator used twice (2020-6-8, 2020/06/08) or eight digits (20200608).
_NUMERIC = re.compile(
    r"(?<!\d)(?:((?:19|20)\d\d)([-_./])(0?[1-9]|1[0-2])\2(0?[1-9]|[12]\d|3[01])"
    r"|((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01]))(?!\d)"
)
_FULL = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
#: A page's masthead sits at its top; dates further down are events.
HEAD_CHARS = 300


def _iso(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _numeric(m: re.Match[str]) -> str | None:
    g = m.groups()
    return _iso(g[0], g[2], g[3]) if g[0] else _iso(*g[4:])


def parse_date(value: str) -> str | None:
    """``2020-06-08``, ``2020/6/8``, ``20200608``, ``2020年6月8日`` (or an ISO
    timestamp) as ``YYYY-MM-DD``; None when it is not one date."""
    value = value.strip()
    m = _FULL.fullmatch(value)
    if m:
        return _iso(*m.groups())
    m = _NUMERIC.match(value)
    if m is None:
        return None
    rest = value[m.end():]
    # An ISO timestamp may follow the day; any other tail is not a date.
    if rest and not re.match(r"(?:[T ]\d{1,2}:\d\d)", rest):
        return None
    return _numeric(m)


def date_in_path(path: str) -> str | None:
    """The last date written in a file path (the most specific folder or name)."""
    found = [_numeric(m) for m in _NUMERIC.finditer(path.replace("\\", "/"))]
    found = [d for d in found if d]
    return found[-1] if found else None


def date_in_text(text: str, *, limit: int | None = None) -> str | None:
    """The first full date (year, month and day) printed in ``text[:limit]``."""
    for m in _FULL.finditer(text if limit is None else text[:limit]):
        iso = _iso(*m.groups())
        if iso:
            return iso
    return None

"""Derive ``kg/data/common_chars.txt``: the most frequent Chinese characters.

Counted over the MSRA NER *training* split only (``msra-train.bio`` in
``../shared/benchmarks/ner``, see its ``SOURCES.md``); only the ranked
character list is shipped, never the text.  :mod:`kg.read` uses it to tell
Chinese decoded as GB18030 from Japanese or Korean bytes decoded as GB18030
(Shift-JIS and EUC-KR turn into rare or evenly spread characters).

    python bench/common_chars.py [--data DIR] [--top 2000]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from common import DEFAULT_DATA, ROOT, read_bio

OUT = ROOT / "kg" / "data" / "common_chars.txt"
PER_LINE = 50


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def ranked(path: Path, top: int) -> list[str]:
    counts: Counter[str] = Counter()
    for text, _gold in read_bio(path):
        counts.update(ch for ch in text if is_han(ch))
    # Ties broken by code point, so the list is the same on every run.
    return [ch for ch, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))][:top]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--top", type=int, default=2000)
    args = ap.parse_args()
    chars = ranked(args.data / "msra-train.bio", args.top)
    header = [
        f"# The {len(chars)} most frequent Chinese characters, most frequent first,",
        "# counted by bench/common_chars.py over the MSRA NER training split",
        "# (msra-train.bio, SIGHAN 2006 bakeoff 3; see shared/benchmarks/ner/SOURCES.md).",
        "# Only the ranking is kept.  kg/read.py: is text decoded as GB18030 plausible Chinese?",
    ]
    lines = ["".join(chars[i : i + PER_LINE]) for i in range(0, len(chars), PER_LINE)]
    OUT.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(chars)} characters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

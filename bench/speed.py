"""End-to-end speed of ``kg.build`` on the sample pages (chars/s).

Builds ``seeds/`` (or the given inputs) several times in one process, after
one warm-up build (LAC's fixed graph, lexicons and the model are loaded once
per process, as in any real run), with the learned layer and with the rules
only, and prints the median of each.  Characters are the articles' text
(``len(article.text)``), the same count every benchmark here uses.

    python bench/speed.py [INPUT ...] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import kg  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="*", default=[str(ROOT / "seeds")])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    kg.build(args.inputs, learned="auto")  # warm-up: models and lexicons load once
    print("| pipeline | characters | median seconds | chars/s |")
    print("|---|---:|---:|---:|")
    for name, learned in (("rules + learned layer (default)", "auto"),
                          ("rules only (--learned none)", "none")):
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            result = kg.build(args.inputs, learned=learned)
            times.append(time.perf_counter() - t0)
        chars = sum(len(a.text) for a in result.articles)
        sec = statistics.median(times)
        print(f"| {name} | {chars:,} | {sec:.2f} | {chars / sec:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

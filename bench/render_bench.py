"""Open-and-settle time of the graph page in headless Chromium.

    .venv/bin/python bench/render_bench.py [--sizes 500 2000 5000] [--repeat 1]

For each size a seeded random graph (~5 edges per node, hubby like real
co-mention graphs) is written twice: once with every node rendered, once with
the default ``max_nodes`` cut.  Printed: build/write seconds and the seconds
from navigation until ``body[data-ready=1]`` (layout settled and painted).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
# The Chromium launcher is shared with the browser tests.
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser import browser_missing, chromium, open_page  # noqa: E402

from kg.export.html import write_html  # noqa: E402

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
    "玉兰飞红鹏辉宇浩凯健俊帆帅旭宁晨阳欣文博志国建海波"
)
ORG_SUFFIX = ("集团", "有限公司", "委员会", "研究院", "协会", "项目", "市", "区")
TYPES = ("official", "person", "company", "organization", "place", "project")


def random_graph(n: int, seed: int) -> nx.Graph:
    """A Barabási-Albert graph (m=5) relabelled with made-up Chinese names."""
    rng = random.Random(seed)
    base = nx.barabasi_albert_graph(n, 5, seed=seed)
    names: list[str] = []
    used: set[str] = set()
    for i in range(n):
        kind = TYPES[rng.randrange(len(TYPES))]
        while True:
            stem = rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.randint(1, 2))
            )
            name = stem if kind in ("official", "person") else stem + rng.choice(ORG_SUFFIX)
            if name not in used:
                break
        used.add(name)
        names.append(name)
        base.nodes[i].update(
            type=kind,
            aliases=[name[:2]] if rng.random() < 0.3 else [],
            titles=["主任"] if kind == "official" else [],
            title_sources=(
                [{"text": "主任", "article_id": f"a{i}", "article_title": f"新闻{i}"}]
                if kind == "official"
                else []
            ),
            mentions=rng.randint(1, 50),
            articles=rng.randint(1, 20),
        )
    for u, v in base.edges:
        weight = 1 + int(rng.expovariate(0.5))
        base.edges[u, v].update(
            weight=weight,
            sentences=weight,
            evidence=[
                {
                    "article_id": f"a{rng.randrange(10 * n)}",
                    "title": f"报道{k}",
                    "file": f"news/{u}_{v}_{k}.txt",
                    "sentence": f"{names[u]}与{names[v]}共同出席了会议。",
                }
                for k in range(min(weight, 5))
            ],
        )
    return nx.relabel_nodes(base, dict(enumerate(names)))


def time_open(browser: object, path: Path) -> tuple[float, int]:
    start = time.perf_counter()
    page, log = open_page(browser, path, timeout_ms=120_000)
    elapsed = time.perf_counter() - start
    shown = page.evaluate("window.kgPage.nodesShown()")
    if log.errors:
        print(f"  console errors: {log.errors[:3]}")
    page.close()
    return elapsed, shown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000])
    parser.add_argument("--repeat", type=int, default=1, help="page opens per size (median shown)")
    args = parser.parse_args()

    missing = browser_missing()
    if missing:
        print(f"cannot run: {missing}")
        return 2
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        head = ("nodes", "edges", "mode", "shown", "write s", "MB", "settle s")
        print(" ".join(f"{h:>{w}}" for h, w in zip(head, (6, 6, 12, 6, 8, 6, 9), strict=True)))
        for n in args.sizes:
            graph = random_graph(n, seed=n)
            for label, max_nodes in (("all", n), ("default 400", 400)):
                t0 = time.perf_counter()
                path = write_html(graph, Path(tmp) / f"g{n}_{max_nodes}.html", max_nodes=max_nodes)
                write_s = time.perf_counter() - t0
                runs = [time_open(browser, path) for _ in range(args.repeat)]
                settle = statistics.median(r[0] for r in runs)
                mb = path.stat().st_size / 1e6
                print(
                    f"{n:>6} {graph.number_of_edges():>6} {label:>12} {runs[0][1]:>6} "
                    f"{write_s:>8.2f} {mb:>6.2f} {settle:>9.2f}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

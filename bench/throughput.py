"""Throughput of kg on archives: 1k, 10k and 50k articles.

Builds corpora from the public NER sets' sentences (``../shared/benchmarks/
ner``: MSRA train/test and People's Daily test, read in place), 15 sentences
to an article drawn with a fixed seed, written as JSONL (1,000 articles a
file, each with a title and a date) into a temp folder.  Per size it prints:

- NER-only chars/s on one core: LAC (one ONNX thread) over the sentences of
  the first 1,000 articles, no rules;
- end-to-end chars/s of ``kg build`` with its defaults (every core, the
  learned layer) and an empty cache, and the ratio of the two;
- seconds per stage, peak RSS of the build process (and of its largest
  worker), output bytes against input bytes, the biggest output;
- re-runs of the unchanged corpus: into a new folder (recognition cached) and into
  the same folder (kg-manifest.json says it is up to date), then one with 1% new
  articles;
- the exponent of time against size (least squares on log-log).

Each build runs the CLI (``kg build CORPUS -o OUT``, defaults) in a fresh process, as a
user runs it, with its own empty recognition cache (``KG_CACHE_DIR``).

    python bench/throughput.py                 # 1k, 10k, 50k
    python bench/throughput.py --sizes 1000 10000
    python bench/throughput.py --sizes 50000 --no-reruns   # first builds only
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import DEFAULT_DATA, read_bio  # noqa: E402

SENTENCES_PER_ARTICLE = 15
ARTICLES_PER_FILE = 1_000
SOURCES = ("msra-train.bio", "msra-test.bio", "peoples-daily-test.bio")


def sentence_pool(data: Path) -> list[str]:
    pool: list[str] = []
    for name in SOURCES:
        pool.extend(t for t, _ in read_bio(data / name) if len(t) >= 8)
    return pool


def write_corpus(folder: Path, n: int, pool: list[str], *, seed: int = 13,
                 offset: int = 0) -> tuple[int, int]:
    """``n`` articles into ``folder``; returns (characters, bytes)."""
    rng = random.Random(seed + offset)
    folder.mkdir(parents=True, exist_ok=True)
    chars = size = 0
    for f in range(0, n, ARTICLES_PER_FILE):
        lines = []
        for k in range(f, min(n, f + ARTICLES_PER_FILE)):
            body = "\n".join(rng.choice(pool) for _ in range(SENTENCES_PER_ARTICLE))
            title = f"第{offset + k + 1}号稿件"
            day = (offset + k) % 28 + 1
            chars += len(body) + len(title)
            lines.append(json.dumps({"title": title, "text": body,
                                     "date": f"2024-{(offset + k) % 12 + 1:02d}-{day:02d}"},
                                    ensure_ascii=False))
        path = folder / f"part{(offset + f) // ARTICLES_PER_FILE:05d}.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        size += path.stat().st_size
    return chars, size


def ner_only_rate(folder: Path, limit: int = 1_000) -> float:
    """LAC alone, one thread, over the sentences of the first ``limit`` articles."""
    from kg.recognize.lac import LacRecognizer

    sents: list[str] = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            sents.extend(json.loads(line)["text"].split("\n"))
            if len(sents) >= limit * SENTENCES_PER_ARTICLE:
                break
        if len(sents) >= limit * SENTENCES_PER_ARTICLE:
            break
    lac = LacRecognizer(threads=1)
    lac.analyze(sents[:200])  # warm-up
    t0 = time.perf_counter()
    lac.analyze(sents)
    return sum(map(len, sents)) / (time.perf_counter() - t0)


_CHILD = r"""
import contextlib, io, json, re, resource, sys, time
from kg.cli import main


def hwm_mb():
    # VmHWM: this process's own peak. ru_maxrss would also count the pages the
    # bench process had when it forked this one (Linux keeps them over exec).
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
buf = io.StringIO()
t0 = time.perf_counter()
with contextlib.redirect_stdout(buf):
    rc = main(["build", sys.argv[1], "-o", sys.argv[2]])
wall = time.perf_counter() - t0
text = buf.getvalue()
m = re.search(r"^([0-9.]+) s \((.*)\)$", text, re.M)
stages = dict((k, float(v)) for k, v in re.findall(r"(\w+) ([0-9.]+)", m.group(2))) if m else {}
counts = re.search(r"edges: (\d+)", text)
print(json.dumps({"rc": rc, "build": float(m.group(1)) if m else 0.0, "timings": stages,
                  "edges": int(counts.group(1)) if counts else 0,
                  "up_to_date": "up to date" in text, "in_process": wall,
                  "rss_mb": hwm_mb(),
                  "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def run_build(corpus: Path, out: Path, cache: Path) -> dict:
    """``kg build corpus -o out`` (the CLI, defaults) in a fresh process."""
    t0 = time.perf_counter()
    env = {**os.environ, "KG_CACHE_DIR": str(cache)}
    # Run where the corpus is and name it relatively, as a user would: the
    # file names stored in the outputs are what the user typed.
    p = subprocess.run([sys.executable, "-c", _CHILD, corpus.name, str(out)],
                       capture_output=True, text=True, check=False, env=env,
                       cwd=corpus.parent)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"build failed:\n{p.stderr[-3000:]}")
    info = json.loads(p.stdout.strip().splitlines()[-1])
    info["wall"] = wall
    return info


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--no-reruns", action="store_true",
                    help="only the first build of each size (a memory check is quicker)")
    args = ap.parse_args()
    pool = sentence_pool(args.data)
    print(f"sentence pool: {len(pool):,} sentences from {', '.join(SOURCES)}")
    walls: list[tuple[int, float]] = []
    with tempfile.TemporaryDirectory(prefix="kg-throughput-") as tmp:
        root = Path(tmp)
        for n in args.sizes:
            corpus = root / f"c{n}"
            chars, in_bytes = write_corpus(corpus, n, pool)
            rate1 = ner_only_rate(corpus)
            cache = root / f"cache{n}"
            out = root / f"out{n}"
            first = run_build(corpus, out, cache)
            out_bytes = {p.name: p.stat().st_size for p in out.iterdir()}
            reruns = not args.no_reruns
            if reruns:
                fresh = run_build(corpus, root / f"fresh{n}", cache)  # cache warm, new folder
                same = run_build(corpus, out, cache)  # cache warm, same folder: up to date
                extra = max(1, n // 100)
                write_corpus(corpus, extra, pool, offset=n)  # 1% new articles
                grown = run_build(corpus, out, cache)
            e2e = chars / first["wall"]
            walls.append((n, first["wall"]))
            total_out = sum(out_bytes.values())
            t = first["timings"]
            print(f"\n## {n:,} articles: {chars:,} chars, {in_bytes / 1e6:.1f} MB of input")
            print(f"NER only, one core (LAC, 1 thread):   {rate1:,.0f} chars/s")
            print(f"end to end, kg build (every core):    {e2e:,.0f} chars/s "
                  f"(wall {first['wall']:.1f} s; ratio to NER-only {e2e / rate1:.2f})")
            print("stages (s):  " + "  ".join(f"{k} {v:.1f}" for k, v in t.items())
                  + f"  write and start-up {first['wall'] - sum(t.values()):.1f}")
            print(f"graph: {first['edges']:,} edges")
            print(f"peak RSS: build process {first['rss_mb']:,.0f} MB, "
                  f"largest worker {first['worker_rss_mb']:,.0f} MB")
            print(f"outputs: {total_out / 1e6:.1f} MB = {total_out / in_bytes:.2f}x the input; "
                  f"graph.html {out_bytes.get('graph.html', 0) / 1e6:.1f} MB")
            print("  " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sorted(
                out_bytes.items(), key=lambda kv: -kv[1])))
            if not reruns:
                continue
            print(f"re-run into a new folder (recognition cached): {fresh['wall']:.1f} s "
                  f"({first['wall'] / fresh['wall']:.1f}x faster; recognise "
                  f"{fresh['timings'].get('recognise', 0):.1f} s)")
            print(f"re-run into the same folder (up to date: {same['up_to_date']}): "
                  f"{same['wall']:.1f} s ({first['wall'] / same['wall']:.1f}x faster)")
            print(f"re-run with 1% new articles ({extra}): {grown['wall']:.1f} s; recognise "
                  f"{grown['timings'].get('recognise', 0):.1f} s vs {t.get('recognise', 0):.1f} s "
                  f"for all ({grown['timings'].get('recognise', 0) / max(t.get('recognise', 1), 1e-9):.1%})")
    if len(walls) >= 2:
        xs = [math.log(n) for n, _ in walls]
        ys = [math.log(w) for _, w in walls]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        slope = (sum((x - mx) * (y - my) for x, y in zip(xs, ys))
                 / sum((x - mx) ** 2 for x in xs))
        print(f"\ntime ~ size^{slope:.2f} (least squares over {len(walls)} sizes)")
    print(f"bench's own peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()

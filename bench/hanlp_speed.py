"""Speed of ``--ner hanlp`` (word-level, ELECTRA-small-shaped) vs ``--ner lac``, chars/s.

No pretrained HanLP model can be downloaded here, so this builds one of the
same class and shape as ``MSRA_NER_ELECTRA_SMALL_ZH``: a word-level
``TransformerNamedEntityRecognizer`` on a randomly initialised ELECTRA-small
encoder (hidden 256, 12 layers, 4 heads, intermediate 1024), trained for one
epoch on a few sentences only so that HanLP saves it.  Random weights give
nonsense entities but the same arithmetic, so the timing stands.

Both engines get the same sentences (kg's own reading and sentence split of
the inputs, read in place) through ``recognize``, as the pipeline calls it:
one call, pieces sorted by length across batches.  The HanLP figure includes
the LAC segmentation that feeds it words.  One warm-up call each first.

    nice .venv/bin/python bench/hanlp_speed.py [INPUT ...] [--max-chars N] [--threads N] [--runs 3]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

try:
    import kg  # noqa: F401
except ImportError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.pipeline import split_articles
from kg.read import read_documents
from kg.recognize.hanlp import (
    HanlpRecognizer,
    random_transformer,
    train_transformer_ner,
    write_word_tsv,
)
from kg.recognize.lac import LacRecognizer

log = logging.getLogger("hanlp_speed")
DEFAULT_INPUTS = ["/work/shared/seeds"]


def read_sentences(inputs: list[str], max_chars: int) -> list[str]:
    docs, errors = read_documents(inputs)
    for err in errors:
        log.warning("skipped: %s", err)
    out: list[str] = []
    total = 0
    for article in split_articles(docs):
        for sentence in article.sentences:
            if max_chars and total >= max_chars:
                return out
            out.append(sentence.text)
            total += len(sentence.text)
    return out


def build_model(sentences: list[str], folder: Path) -> Path:
    """A word-level NER of ELECTRA-small's shape: one epoch on 32 sentences."""
    chars = {c for s in sentences for c in s}
    electra = random_transformer(folder / "electra", chars)
    lac = LacRecognizer()
    _spans, tokens = lac.analyze(sentences[:32])
    keep = {"PER", "LOC", "ORG"}
    rows = [
        ([t.text for t in toks], [f"B-{t.label}" if t.label in keep else "O" for t in toks])
        for toks in tokens
    ]
    tsv = folder / "train.tsv"
    write_word_tsv(rows, tsv)
    return train_transformer_ner(tsv, folder / "ner", electra, epochs=1, batch_size=16)


def timed(rec: object, sentences: list[str], runs: int) -> float:
    """Median seconds of ``runs`` calls, after a warm-up (other jobs share the cores)."""
    rec.recognize(sentences[:16])  # type: ignore[attr-defined]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        rec.recognize(sentences)  # type: ignore[attr-defined]
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="*", default=DEFAULT_INPUTS, help="files or folders")
    ap.add_argument("--max-chars", type=int, default=0, help="stop reading after N chars")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0 = default)")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--runs", type=int, default=3, help="timed runs per engine (median)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    sentences = read_sentences(args.inputs, args.max_chars)
    chars = sum(len(s) for s in sentences)
    if not chars:
        ap.error("no text read")
    with tempfile.TemporaryDirectory(prefix="kg-hanlp-speed-") as tmp:
        t0 = time.perf_counter()
        model = build_model(sentences, Path(tmp))
        log.info("built the ELECTRA-small-shaped model in %.1f s", time.perf_counter() - t0)
        hanlp_rec = HanlpRecognizer(str(model), batch_size=args.batch_size)
        assert hanlp_rec.tokens == "words"
        hanlp_s = timed(hanlp_rec, sentences, args.runs)
    lac_s = timed(LacRecognizer(batch_size=args.batch_size), sentences, args.runs)
    print(f"{len(sentences)} sentences, {chars:,} chars, torch threads {torch.get_num_threads()}")
    print(f"median of {args.runs} runs")
    print("| engine | seconds | chars/s |")
    print("|---|---:|---:|")
    print(
        f"| hanlp (word-level, ELECTRA-small shape, random) | {hanlp_s:.1f} | {chars / hanlp_s:,.0f} |"
    )
    print(f"| lac | {lac_s:.2f} | {chars / lac_s:,.0f} |")
    print(f"LAC is {hanlp_s / lac_s:.0f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())

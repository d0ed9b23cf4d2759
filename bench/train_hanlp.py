"""Train HanLP's char-level BiLSTM NER on a local corpus, for ``--hanlp-model DIR``.

No HanLP model can be downloaded on our machines; this trains one from a
gold set instead (random char embeddings, CPU).  The data is converted to a
temporary TSV, never copied into the project.  The model folder gets a
``kg.json`` saying the model is fed characters (HanLP's pretrained NER models
are fed words), so ``--hanlp-model DIR`` needs no ``--hanlp-tokens``.

    .venv/bin/python bench/train_hanlp.py \\
        --data /work/shared/benchmarks/ner/peoples-daily-dev.bio \\
        --out /tmp/hanlp-pd --epochs 20

Inputs: ``.bio`` (``char TAG`` per line, blank line between sentences) or
CLUENER ``.json`` lines (name->PER, address->LOC,
company/government/organization->ORG, other types dropped).
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import kg  # noqa: F401
except ImportError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.model import Span
from kg.recognize.hanlp import HanlpRecognizer, train_rnn_ner, write_bio_tsv

log = logging.getLogger("train_hanlp")

Example = tuple[str, list[Span]]
CLUENER_TYPES = {
    "name": "PER",
    "address": "LOC",
    "company": "ORG",
    "government": "ORG",
    "organization": "ORG",
}


def bio_spans(chars: list[str], tags: list[str]) -> list[Span]:
    """Spans from BIO tags (a stray I- starts a new span)."""
    spans: list[Span] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        kind, _, typ = tag.partition("-")
        if start >= 0 and (kind != "I" or typ != label):
            spans.append(Span(start, i, label, "".join(chars[start:i])))
            start = -1
        if kind == "B" or (kind == "I" and start < 0):
            start, label = i, typ
    return spans


def read_bio(path: Path) -> Iterator[Example]:
    chars: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in [*fh, "\n"]:
            cells = line.split()
            if len(cells) >= 2:
                chars.append(cells[0])
                tags.append(cells[-1])
            elif not line.strip() and chars:
                yield "".join(chars), bio_spans(chars, tags)
                chars, tags = [], []


def read_cluener(path: Path) -> Iterator[Example]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            text: str = rec["text"]
            spans = [
                Span(s, e + 1, CLUENER_TYPES[typ], text[s : e + 1])  # end inclusive
                for typ, surfaces in rec.get("label", {}).items()
                if typ in CLUENER_TYPES
                for ranges in surfaces.values()
                for s, e in ranges
            ]
            yield text, spans


def read_examples(path: Path) -> list[Example]:
    reader = read_cluener if path.suffix in {".json", ".jsonl"} else read_bio
    return list(reader(path))


def span_f1(gold: list[list[Span]], pred: list[list[Span]]) -> tuple[float, float, float]:
    """Micro P/R/F1 over exact (start, end, label), PER/LOC/ORG only."""
    keep = {"PER", "LOC", "ORG"}
    tp = n_gold = n_pred = 0
    for g, p in zip(gold, pred, strict=True):
        gs = {(s.start, s.end, s.label) for s in g if s.label in keep}
        ps = {(s.start, s.end, s.label) for s in p if s.label in keep}
        tp += len(gs & ps)
        n_gold += len(gs)
        n_pred += len(ps)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True, help=".bio or CLUENER .json")
    ap.add_argument("--dev", type=Path, help="dev set (default: hold out --dev-ratio)")
    ap.add_argument("--dev-ratio", type=float, default=0.1)
    ap.add_argument("--out", type=Path, required=True, help="model directory to write")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--max-sentences", type=int, default=0, help="0 = all")
    ap.add_argument("--batch-size", type=int, default=50)
    ap.add_argument("--embed", type=int, default=100, help="char embedding size")
    ap.add_argument("--hidden", type=int, default=256, help="BiLSTM hidden size")
    ap.add_argument("--crf", action="store_true", help="CRF layer (HanLP bug patched)")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0 = default)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-v", "--verbose", action="store_true", help="HanLP progress")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    if args.threads:
        import torch

        torch.set_num_threads(args.threads)

    examples = read_examples(args.data)
    random.Random(args.seed).shuffle(examples)
    if args.max_sentences:
        examples = examples[: args.max_sentences]
    if args.dev:
        train, dev = examples, read_examples(args.dev)
    else:
        n_dev = int(len(examples) * args.dev_ratio) if len(examples) >= 10 else 0
        train, dev = examples[n_dev:], examples[:n_dev] or examples
    if not train:
        ap.error(f"no sentences read from {args.data}")

    with tempfile.TemporaryDirectory(prefix="kg-hanlp-") as tmp:
        trn_tsv, dev_tsv = Path(tmp, "train.tsv"), Path(tmp, "dev.tsv")
        n_trn = write_bio_tsv(train, trn_tsv)
        n_dev = write_bio_tsv(dev, dev_tsv)
        chars = sum(len(t) for t, _ in train)
        log.info("train %d sentences (%d chars), dev %d", n_trn, chars, n_dev)
        t0 = time.perf_counter()
        train_rnn_ner(
            trn_tsv,
            args.out,
            dev_tsv=dev_tsv,
            epochs=args.epochs,
            batch_size=args.batch_size,
            embed=args.embed,
            rnn_hidden=args.hidden,
            crf=args.crf,
            seed=args.seed,
            verbose=args.verbose,
        )
        took = time.perf_counter() - t0
    log.info("trained in %.1f s -> %s", took, args.out)

    # Reload through the engine: proves the saved dir works with --hanlp-model.
    rec = HanlpRecognizer(str(args.out))
    if rec.tokens != "chars":  # kg.json missing: it would be fed words
        log.error("%s: not marked as a character-level model", args.out)
        return 1
    t0 = time.perf_counter()
    pred = rec.recognize([t for t, _ in dev])
    secs = time.perf_counter() - t0
    p, r, f = span_f1([s for _, s in dev], pred)
    dev_chars = sum(len(t) for t, _ in dev)
    log.info(
        "dev P %.1f R %.1f F1 %.1f (%d sentences, %.0f chars/s)",
        100 * p,
        100 * r,
        100 * f,
        len(dev),
        dev_chars / secs if secs else 0.0,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Fit the CRF recognisers shipped in ``kg/models`` (``--ner crf``).

    .venv/bin/python bench/train_crf.py [--model pd|cluener|all] [--c1 X] [--c2 X]
        [--max-iter N] [--max-sentences N] [--data DIR] [--out-dir DIR]

Only the training splits are read, in place (never copied):
``peoples-daily-dev.bio`` (the People's Daily *training* split; model ``pd``,
PER/LOC/ORG) and ``cluener2020-train.json`` (model ``cluener``; all ten
CLUENER types are learnt, six are returned).  A fixed, seeded 10% of each is
held out: the model is fitted on the other 90% and its strict-match scores on
the held-out slice are printed.  The public test/dev sets are not read here;
score them with ``bench/ner_eval.py``.

Features (:func:`kg.recognize.crf.sentence_features`) need LAC's analysis of
every sentence, which the script computes first (about 25 s for both splits).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

try:
    import kg  # noqa: F401
except ImportError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_DATA, Example, micro, read_bio, read_cluener, score

from kg.recognize.crf import (
    CLUENER_TAGS,
    MODEL_LABELS,
    MODELS_DIR,
    sentence_features,
    spans_to_tags,
    tags_to_spans,
)
from kg.recognize.lac import LacRecognizer

#: model -> (training file, reader, gold type -> trained label)
MODELS = {
    "pd": ("peoples-daily-dev.bio", read_bio, {c: c for c in MODEL_LABELS["pd"]}),
    "cluener": ("cluener2020-train.json", read_cluener, CLUENER_TAGS),
}
#: Defaults per model (chosen on the held-out slice only).
DEFAULTS = {
    "pd": {"c1": 0.1, "c2": 0.05, "max_iter": 300},
    "cluener": {"c1": 0.2, "c2": 0.05, "max_iter": 150},
}
HOLDOUT = 0.10
SEED = 13


def split(examples: list[Example], max_sentences: int | None) -> tuple[list[Example], list[Example]]:
    """A seeded 90/10 split; ``max_sentences`` caps the training part."""
    order = list(range(len(examples)))
    random.Random(SEED).shuffle(order)
    n_hold = round(len(order) * HOLDOUT)
    held = [examples[i] for i in sorted(order[:n_hold])]
    train = [examples[i] for i in sorted(order[n_hold:])]
    return train[:max_sentences], held


def train_one(
    name: str, args: argparse.Namespace, lac: LacRecognizer
) -> dict[str, float]:
    import pycrfsuite

    file, read, tagmap = MODELS[name]
    hp = {k: v if (v := getattr(args, k)) is not None else DEFAULTS[name][k]
          for k in ("c1", "c2", "max_iter")}
    examples = read(args.data / file)
    train, held = split(examples, args.max_sentences)
    print(f"\n== {name}: {file}: {len(train):,} train / {len(held):,} held-out sentences; "
          f"c1={hp['c1']} c2={hp['c2']} max_iter={hp['max_iter']}", flush=True)

    t0 = time.perf_counter()
    texts = [t for t, _ in train]
    _, tokens = lac.analyze(texts)
    trainer = pycrfsuite.Trainer(verbose=False)
    for text, toks, (_, gold) in zip(texts, tokens, train):
        if not text:
            continue
        spans = [(s, e, tagmap[c]) for s, e, c in gold if c in tagmap]
        trainer.append(pycrfsuite.ItemSequence(sentence_features(text, toks)),
                       spans_to_tags(len(text), spans, args.scheme))
    t1 = time.perf_counter()
    trainer.set_params({
        "c1": hp["c1"], "c2": hp["c2"], "max_iterations": hp["max_iter"],
        "feature.possible_transitions": True,
    })
    out = args.out_dir / f"crf-{name}.crfsuite"
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    t2 = time.perf_counter()
    size = out.stat().st_size
    print(f"features+LAC {t1 - t0:.1f}s, training {t2 - t1:.1f}s "
          f"({trainer.logparser.last_iteration.get('num', '?')} iterations); "
          f"{out} {size / 1e6:.2f} MB", flush=True)

    # Held-out slice, scored on the labels the recogniser returns.
    keep = frozenset(MODEL_LABELS[name])
    tagger = pycrfsuite.Tagger()
    tagger.open(str(out))
    htexts = [t for t, _ in held]
    _, htokens = lac.analyze(htexts)
    preds = []
    for text, toks in zip(htexts, htokens):
        tags = tagger.tag(pycrfsuite.ItemSequence(sentence_features(text, toks))) if text else []
        preds.append({(s.start, s.end, s.label) for s in tags_to_spans(text, tags, keep)})
    gold = [{(s, e, tagmap[c]) for s, e, c in g if tagmap.get(c) in keep} for _, g in held]
    counts = score(gold, preds, MODEL_LABELS[name])
    counts["micro"] = micro(counts, MODEL_LABELS[name])
    print(f"held-out ({len(held):,} sentences, strict match):")
    print(f"  {'class':8} {'gold':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for cls, c in counts.items():
        print(f"  {cls:8} {c.gold:5d} {100 * c.precision:6.1f} {100 * c.recall:6.1f} "
              f"{100 * c.f1:6.1f}")
    if name == "pd":  # raw LAC's PER/LOC/ORG on the same slice, for comparison
        lac_preds = [{(s.start, s.end, s.label) for s in row if s.label in keep}
                     for row in lac.recognize(htexts)]
        lac_micro = micro(score(gold, lac_preds, MODEL_LABELS[name]), MODEL_LABELS[name])
        print(f"  raw LAC micro F1 on the same slice: {100 * lac_micro.f1:.1f}")
    return {"seconds": t2 - t1, "mb": size / 1e6, "f1": counts["micro"].f1}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", choices=[*MODELS, "all"], default="all")
    ap.add_argument("--c1", type=float, default=None, help="L1 weight (prunes features)")
    ap.add_argument("--c2", type=float, default=None, help="L2 weight")
    ap.add_argument("--max-iter", dest="max_iter", type=int, default=None,
                    help="L-BFGS iterations")
    ap.add_argument("--max-sentences", type=int, default=None,
                    help="use only the first N training sentences (quick runs)")
    ap.add_argument("--scheme", choices=("BIOES", "BIO"), default="BIOES",
                    help="tagging scheme (default BIOES)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA,
                    help=f"folder of the training splits (default {DEFAULT_DATA})")
    ap.add_argument("--out-dir", type=Path, default=MODELS_DIR,
                    help=f"where crf-<model>.crfsuite goes (default {MODELS_DIR})")
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # Refitting freezes today's lexicon beside the models (see crf.py).
    from kg.recognize.crf import _lexicon_tables, write_lexicon_snapshot

    write_lexicon_snapshot()
    _lexicon_tables.cache_clear()
    lac = LacRecognizer()
    names = list(MODELS) if args.model == "all" else [args.model]
    for name in names:
        train_one(name, args, lac)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Fit the learned layer on hand-annotated local news.

The corpus (``../shared/corpus/localnews``: ``texts/*.txt`` and one gold JSON
per batch, see its README) is read in place and never copied.  Each text goes
through kg's own front half (read, split, sentences, LAC, rules), so the model
is fitted on exactly what it will see at run time; the gold names, surfaces
and titles are projected onto each sentence to give its tags.

    python -m kg.learn.train [--corpus DIR] [--folds a,b,c,d] [-o kg/models/local-crf.crfsuite]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kg.learn import LABEL_OF, MODEL_PATH, TITLE, features, gold_spans

if TYPE_CHECKING:
    from kg.recognize.lac import LacRecognizer

log = logging.getLogger(__name__)

#: L-BFGS settings chosen on the leave-provinces-out folds (kg/models/README.md).
PARAMS = {"c1": 0.05, "c2": 0.02, "max_iterations": 200, "feature.possible_transitions": True}
DEFAULT_CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "localnews"


def gold_items(file_entry: dict) -> list[tuple[str, str]]:
    """(surface, label) for every printed form of every gold entity and title."""
    items: list[tuple[str, str]] = []
    for art in file_entry["articles"]:
        for e in art["entities"]:
            label = LABEL_OF.get(e["type"])
            if label is None:
                continue
            for s in {e["name"], *e.get("surface", [])}:
                items.append((s, label))
            for t in e.get("titles", []):
                items.append((t, TITLE))
    return items


def corpus_files(corpus: Path, folds: Sequence[str]) -> list[tuple[Path, dict]]:
    out = []
    for fold in folds:
        gold = json.loads((corpus / f"{fold}.json").read_text(encoding="utf-8"))
        for entry in gold["files"]:
            out.append((corpus / "texts" / entry["file"], entry))
    return out


Example = tuple[list[dict], list[str]]  # (features, BIOES tags) of one sentence


def tagged(sents: Sequence[tuple[str, Sequence[tuple[str, str]]]],
           lac: LacRecognizer) -> Iterator[Example]:
    """(features, BIOES tags) per ``(sentence, gold items)``: one LAC pass and
    the rules, as at run time, then the gold projected onto each sentence."""
    from kg.mentions import analyze_texts
    from kg.recognize.crf import spans_to_tags

    tokens, found, probs = analyze_texts([t for t, _ in sents], lac, probs=True)
    for (text, items), toks, fs, pr in zip(sents, tokens, found, probs):
        tags = spans_to_tags(len(text), gold_spans(text, items), "BIOES")
        yield features(text, toks, fs, pr), tags


def examples(corpus: Path, folds: Sequence[str], lac: LacRecognizer) -> Iterator[Example]:
    """(features, BIOES tags) per sentence of the given folds."""
    from kg.pipeline import split_articles
    from kg.read import read_documents

    for path, entry in corpus_files(corpus, folds):
        docs, errors = read_documents([path])
        if errors:
            raise RuntimeError(f"{path}: {errors[0]}")
        items = gold_items(entry)
        yield from tagged([(s.text, items) for a in split_articles(docs) for s in a.sentences],
                          lac)


#: kg's own annotated sets (tests/data): the sample pages and made-up
#: articles, as (inputs, gold) -- also training data for the learned layer.
REPO = Path(__file__).resolve().parents[2]
OWN_SETS = {
    "seeds": (REPO / "seeds", REPO / "tests" / "data" / "seeds_gold.jsonl"),
    "synthetic": (REPO / "tests" / "data" / "synthetic_articles.jsonl",
                  REPO / "tests" / "data" / "synthetic_gold.jsonl"),
}


def own_examples(names: Sequence[str], lac: LacRecognizer) -> Iterator[Example]:
    """(features, tags) per sentence of kg's own annotated sets; gold is
    projected per page (an article id's part before ``#``), so it does not
    depend on how a page is cut into articles."""
    from kg.pipeline import split_articles
    from kg.read import read_documents

    for inputs, gold_path in (OWN_SETS[n] for n in names):
        if not inputs.exists() or not gold_path.is_file():
            continue
        items: dict[str, list[tuple[str, str]]] = {}
        for line in gold_path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            page = items.setdefault(rec["article_id"].split("#")[0], [])
            for e in rec["entities"]:
                label = LABEL_OF.get(e["type"])
                if label:
                    page.extend((s, label) for s in {e["name"], *e.get("aliases", [])})
                page.extend((t, TITLE) for t in e.get("titles", []))
        docs, _ = read_documents([inputs])
        arts = [a for a in split_articles(docs) if a.id.split("#")[0] in items]
        yield from tagged(
            [(s.text, items[a.id.split("#")[0]]) for a in arts for s in a.sentences], lac)


def fit(corpus: Path, folds: Sequence[str], out: Path, params: dict | None = None,
        *, own: Sequence[str] = tuple(OWN_SETS)) -> Path:
    import pycrfsuite

    from kg.recognize.lac import LacRecognizer

    t0 = time.perf_counter()
    lac = LacRecognizer()
    trainer = pycrfsuite.Trainer(verbose=False)
    n = 0
    for xseq, yseq in itertools.chain(examples(corpus, folds, lac), own_examples(own, lac)):
        trainer.append(xseq, yseq)
        n += 1
    trainer.set_params({**PARAMS, **(params or {})})
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=".tmp")
    os.close(fd)
    trainer.train(tmp)
    os.chmod(tmp, 0o644)  # mkstemp makes 0600; a model is package data
    os.replace(tmp, out)
    log.info("fitted %s on %d sentences of folds %s in %.0fs", out.name, n, ",".join(folds),
             time.perf_counter() - t0)
    return out


def _fingerprint(corpus: Path, folds: Sequence[str], params: dict, own: Sequence[str]) -> str:
    """Everything the fit depends on: the gold, the texts, kg's code and data."""
    h = hashlib.sha256(json.dumps([sorted(folds), params, sorted(own)], sort_keys=True).encode())
    for path, _entry in corpus_files(corpus, folds):
        h.update(path.read_bytes())
    for fold in sorted(folds):
        h.update((corpus / f"{fold}.json").read_bytes())
    for inputs, gold in (OWN_SETS[n] for n in sorted(own)):
        h.update(gold.read_bytes())
        for p in sorted(inputs.rglob("*") if inputs.is_dir() else [inputs]):
            if p.is_file():
                h.update(p.read_bytes())
    # kg's code that shapes the training examples (not how a model is applied).
    import inspect

    import kg.learn as learn

    for fn in (learn.features, learn.rule_marks, learn.gazetteer_marks, learn._gazetteer,
               learn.gold_spans):
        h.update(inspect.getsource(fn).encode())
    kg_root = Path(__file__).resolve().parents[1]
    shaping = [kg_root / f"{m}.py" for m in ("read", "pages", "sentences", "model", "pipeline")]
    shaping += [kg_root / "recognize" / "lac.py", kg_root / "recognize" / "crf.py",
                Path(__file__)]
    shaping += sorted((kg_root / "refine").glob("*.py")) + sorted((kg_root / "data").glob("*"))
    for p in shaping:
        if p.is_file():
            h.update(p.relative_to(kg_root).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:20]


def cached_fit(corpus: Path, folds: Sequence[str], params: dict | None = None,
               own: Sequence[str] = tuple(OWN_SETS)) -> Path:
    """A fit on ``folds`` of the corpus and kg's own sets ``own``, cached by
    everything it depends on (the benchmarks refit only what changed)."""
    from kg.recognize.lac import _cache_dir

    params = {**PARAMS, **(params or {})}
    key = _fingerprint(corpus, folds, params, own)
    out = _cache_dir() / "learn" / f"local-{key}.crfsuite"
    if not out.exists():
        fit(corpus, folds, out, params, own=own)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="fit kg's learned layer on the local news corpus")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--folds", default="a,b,c,d")
    ap.add_argument("-o", "--out", type=Path, default=MODEL_PATH)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not (args.corpus / "README.md").is_file():
        print(f"kg.learn.train: no corpus at {args.corpus}", file=sys.stderr)
        return 2
    fit(args.corpus, args.folds.split(","), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Tiny real HanLP models for the tests, built offline and cached.

No pretrained HanLP model can be downloaded in CI, so these build models of
the very classes kg meets in the wild, with random weights on a local
ELECTRA-shaped encoder (hidden 64, 2 layers) and a few dozen invented,
word-segmented sentences:

* :func:`word_ner`: a word-level ``TransformerNamedEntityRecognizer``, like
  ``MSRA_NER_ELECTRA_SMALL_ZH``;
* :func:`mtl`: a ``MultiTaskLearning`` with ``tok`` and ``ner/msra`` tasks,
  like HanLP's multi-task models.

Words come from LAC (the segmenter kg feeds word-level models with), so the
models see at test time the words they were trained on.  Each builder trains
until the model reproduces its training entities.  Built models are cached
under ``~/.cache/kg/test-fixtures/<name>-<hash>`` (hash of the library
versions and of this builder's source) behind a file lock, so repeated and
concurrent test runs reuse one build.  Import only after ``hanlp`` and
``torch`` are known to be installed.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import random
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kg.model import Span

# Invented names (not from seeds/ or any corpus): the models only learn these.
PERSONS = ["柯文远", "钱雨桐", "庞晓川", "符嘉禾", "乔明哲", "甘露霏", "段子墨", "韦思源"]
PERSONS += ["骆一鸣", "卓海峰", "邝立新", "龚若溪", "阮星河", "褚晨阳", "岑安然"]
PLACES = ["青溪县", "白鹭洲", "云岭镇", "松江湾", "北岸市", "落霞村", "石门关", "望海区"]
ORGS = ["星河科技公司", "北岸大学", "云岭农业合作社", "松江湾港务局", "望海区文化馆"]
ORGS += ["翠屏山林场", "金沙滩旅游集团", "青溪县人民医院", "星河集团"]
TEMPLATES = [
    "{PER}在{LOC}的{ORG}工作。",
    "{ORG}位于{LOC}，{PER}担任负责人。",
    "记者从{ORG}获悉，{PER}昨日抵达{LOC}。",
    "{LOC}{ORG}召开会议，{PER}出席。",
    "{PER}说，{ORG}明年将在{LOC}开设分部。",
]
#: Sentences the word-level tests assert on; all are in the training set.
#: "星河集团" is a 4-character organisation: fed characters, a word-level
#: model cannot return it whole.
KNOWN = [
    ("柯文远在青溪县的星河集团工作。", [(0, 3, "PER"), (4, 7, "LOC"), (8, 12, "ORG")]),
    ("北岸大学位于白鹭洲，钱雨桐担任负责人。", [(0, 4, "ORG"), (6, 9, "LOC"), (10, 13, "PER")]),
    (
        "记者从云岭农业合作社获悉，庞晓川昨日抵达松江湾。",
        [(3, 10, "ORG"), (13, 16, "PER"), (20, 23, "LOC")],
    ),
]
#: Encoder shape: tiny, so a build takes seconds on 2 cores.
TINY = {"hidden": 64, "layers": 2, "heads": 2, "intermediate": 128, "embedding": 64, "dropout": 0.0}

Example = tuple[str, list[Span]]


def make_example(rng: random.Random, template: str) -> Example:
    text, spans = "", []
    for part in template.replace("}", "{").split("{"):
        if part in ("PER", "LOC", "ORG"):
            pool = {"PER": PERSONS, "LOC": PLACES, "ORG": ORGS}[part]
            name = rng.choice(pool)
            spans.append(Span(len(text), len(text) + len(name), part, name))
            text += name
        else:
            text += part
    return text, spans


def examples(n: int, seed: int) -> list[Example]:
    rng = random.Random(seed)
    return [make_example(rng, TEMPLATES[i % len(TEMPLATES)]) for i in range(n)]


def known_examples() -> list[Example]:
    return [
        (text, [Span(b, e, label, text[b:e]) for b, e, label in spans]) for text, spans in KNOWN
    ]


def training_examples() -> list[Example]:
    return known_examples() + examples(45, seed=1)


def word_tags(tokens: Sequence[Span], spans: Sequence[Span]) -> list[str] | None:
    """BIO tags over words; None when an entity does not start/end on a word boundary."""
    starts = {t.start: i for i, t in enumerate(tokens)}
    ends = {t.end: i for i, t in enumerate(tokens)}
    tags = ["O"] * len(tokens)
    for span in spans:
        if span.start not in starts or span.end not in ends:
            return None
        first, last = starts[span.start], ends[span.end]
        tags[first] = f"B-{span.label}"
        for k in range(first + 1, last + 1):
            tags[k] = f"I-{span.label}"
    return tags


def segmented(data: Sequence[Example]) -> list[tuple[list[str], list[str], list[Span]]]:
    """(LAC words, word tags, gold spans) for each example LAC segments cleanly."""
    from kg.recognize.lac import LacRecognizer

    _spans, tokens = LacRecognizer().analyze([t for t, _ in data])
    out = []
    for (_text, gold), toks in zip(data, tokens, strict=True):
        tags = word_tags(toks, gold)
        if tags is not None:
            out.append(([t.text for t in toks], tags, gold))
    return out


def _gold_token_spans(tags: Sequence[str]) -> set[tuple[str, int, int]]:
    spans, start = set(), -1
    for i, tag in enumerate([*tags, "O"]):
        if start >= 0 and not tag.startswith("I-"):
            spans.add((tags[start][2:], start, i))
            start = -1
        if tag.startswith("B-"):
            start = i
    return spans


# -- builders ------------------------------------------------------------


def _corpus(out: Path) -> tuple[list[tuple[list[str], list[str], list[Span]]], Path]:
    from kg.recognize.hanlp import random_transformer

    rows = segmented(training_examples())
    known = {"".join(words) for words, _, _ in rows}
    assert all(text in known for text, _ in KNOWN), "LAC no longer segments KNOWN cleanly"
    chars = {c for words, _, _ in rows for w in words for c in w}
    return rows, random_transformer(out / "electra", chars, seed=0, **TINY)


def build_word_ner(out: Path) -> Path:
    """A word-level TransformerNamedEntityRecognizer that reproduces its training set."""
    import hanlp

    from kg.recognize.hanlp import train_transformer_ner, write_word_tsv

    rows, electra = _corpus(out)
    tsv = out / "train.tsv"
    write_word_tsv([(w, t) for w, t, _ in rows], tsv)
    for seed in (1, 2, 3):
        model = train_transformer_ner(
            tsv, out / "ner", electra, epochs=30, batch_size=4, lr=1e-3, seed=seed
        )
        ner = hanlp.load(str(model), verbose=False)
        pred = ner([w for w, _, _ in rows], batch_size=16)
        got = [{(label, b, e) for _t, label, b, e in ents} for ents in pred]
        if got == [_gold_token_spans(t) for _, t, _ in rows]:
            return model
    raise AssertionError("the tiny word-level NER did not learn its training set")


def build_mtl(out: Path) -> Path:
    """A MultiTaskLearning (tok + ner/msra) that reproduces its training set."""
    import hanlp
    from hanlp.common.dataset import SortingSamplerBuilder
    from hanlp.components.mtl.multi_task_learning import MultiTaskLearning
    from hanlp.components.mtl.tasks.ner.tag_ner import TaggingNamedEntityRecognition
    from hanlp.components.mtl.tasks.tok.tag_tok import TaggingTokenization
    from hanlp.layers.embeddings.contextual_word_embedding import ContextualWordEmbedding

    from kg.recognize.hanlp import _adamw_for_hanlp, write_word_tsv

    rows, electra = _corpus(out)
    tok_txt, ner_tsv = out / "tok.txt", out / "ner.tsv"
    tok_txt.write_text("".join(" ".join(w) + "\n" for w, _, _ in rows), encoding="utf-8")
    write_word_tsv([(w, t) for w, t, _ in rows], ner_tsv)
    for seed in (1, 2, 3):
        tasks = {
            "tok": TaggingTokenization(
                str(tok_txt),
                str(tok_txt),
                None,
                SortingSamplerBuilder(batch_size=8),
                tagging_scheme="BMES",
                char_level=True,
                lr=1e-3,
            ),
            # As in HanLP's own multi-task models, NER runs on tok's words.
            "ner/msra": TaggingNamedEntityRecognition(
                str(ner_tsv),
                str(ner_tsv),
                None,
                SortingSamplerBuilder(batch_size=8),
                dependencies="tok",
                delimiter_in_entity="",
                lr=1e-3,
            ),
        }
        encoder = ContextualWordEmbedding(
            "token", str(electra), average_subwords=True, max_sequence_length=512
        )
        save = out / "mtl"
        with _adamw_for_hanlp():
            MultiTaskLearning().fit(
                encoder,
                tasks,
                str(save),
                80,
                lr=1e-3,
                encoder_lr=1e-3,
                patience=0.3,
                eval_trn=False,
                devices=-1,
                seed=seed,
            )
        model = hanlp.load(str(save), verbose=False)
        doc = model(["".join(w) for w, _, _ in rows], batch_size=16)
        ents = [{(label, b, e) for _t, label, b, e in row} for row in doc["ner/msra"]]
        if doc["tok"] == [w for w, _, _ in rows] and ents == [
            _gold_token_spans(t) for _, t, _ in rows
        ]:
            return save
    raise AssertionError("the tiny multi-task model did not learn its training set")


# -- the cache -----------------------------------------------------------


def cache_root() -> Path:
    """``$KG_TEST_FIXTURES``, else ``test-fixtures`` in kg's cache folder."""
    if os.environ.get("KG_TEST_FIXTURES"):
        return Path(os.environ["KG_TEST_FIXTURES"])
    base = os.environ.get("KG_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "kg"
    )
    return Path(base) / "test-fixtures"


def fixture_key() -> str:
    """Changes with anything that changes what the builders produce."""
    import hanlp
    import torch
    import transformers

    import kg.recognize.hanlp as kh

    parts = [hanlp.__version__, torch.__version__, transformers.__version__]
    parts += [inspect.getsource(inspect.getmodule(fixture_key))]  # type: ignore[arg-type]
    parts += [inspect.getsource(f) for f in (kh.random_transformer, kh.train_transformer_ner)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def cached(name: str, build: Callable[[Path], Path]) -> Path:
    """``build(folder)`` once per key; later calls (any process) reuse it.

    Built in place under a file lock, ``.complete`` written last: a folder
    without it is a crashed build and is redone.  Model configs hold absolute
    paths (the encoder folder), so the folder is never moved.
    """
    from filelock import FileLock  # a dependency of hanlp's own downloader

    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    folder = root / f"{name}-{fixture_key()}"
    done = folder / ".complete"
    if not done.is_file():
        with FileLock(str(folder) + ".lock"):
            if not done.is_file():
                import torch

                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                threads = torch.get_num_threads()
                # One thread: two on a busy 2-core runner is several times slower.
                torch.set_num_threads(1)
                t0 = time.perf_counter()
                try:
                    model = build(folder)
                finally:
                    torch.set_num_threads(threads)
                info = {
                    "model": str(model.relative_to(folder)),
                    "seconds": time.perf_counter() - t0,
                }
                done.write_text(json.dumps(info), encoding="utf-8")
    info: dict[str, Any] = json.loads(done.read_text(encoding="utf-8"))
    return folder / info["model"]


def word_ner() -> Path:
    return cached("word-ner", build_word_ner)


def mtl() -> Path:
    return cached("mtl", build_mtl)

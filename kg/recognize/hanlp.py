"""HanLP NER (``--ner hanlp``): a pretrained identifier or a local model dir.

HanLP fetches missing models with a downloader that retries for ~25 s (no
timeout) before failing, and its failure path then queries PyPI.  On an
offline machine that is a long hang for a predictable error, so we look for
the model (and the resources its ``config.json`` names) in HanLP's cache
ourselves and raise :class:`EngineUnavailable` at once when something is
missing.  ``hanlp`` and torch are imported lazily: ``--ner auto`` can ask
:func:`hanlp_model_available` without paying for torch.

The module also holds the small helpers used to train a char-level BiLSTM
NER with HanLP (``bench/train_hanlp.py`` and the tests).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from kg.model import Span
from kg.recognize.base import EngineUnavailable

log = logging.getLogger(__name__)

#: ``hanlp.pretrained.ner.MSRA_NER_ELECTRA_SMALL_ZH`` (a ``hanlp.pretrained.ALL`` key).
DEFAULT_MODEL = "MSRA_NER_ELECTRA_SMALL_ZH"
#: Longest piece handed to the model; transformers stop at 512 sub-tokens.
MAX_CHARS = 500
#: Preferred NER task of a multi-task (MTL) model, best first.
MTL_NER_TASKS = ("ner/msra", "ner/pku", "ner/ontonotes")

_FIX_HINT = (
    "pass --hanlp-model DIR with a local HanLP model directory, copy ~/.hanlp "
    "from a connected machine (or point HANLP_HOME at a copy), "
    "or use --ner lac for the offline engine"
)
_LABELS = {
    "PER": "PER",
    "LOC": "LOC",
    "ORG": "ORG",
    # MSRA / PKU (People's Daily) tags
    "NR": "PER",
    "NS": "LOC",
    "NT": "ORG",
    # MSRA fine-grained and OntoNotes
    "PERSON": "PER",
    "LOCATION": "LOC",
    "ORGANIZATION": "ORG",
    "GPE": "LOC",
}
_COMPRESSED = (".tar.gz", ".zip", ".tgz", ".gz", ".bz2", ".xz")
# Cut long text after these, in this order of preference.
_CUTS = ("。！？!?；;\n", "，,、：: \t\u3000")


def map_label(label: str) -> str:
    """HanLP's tag (``NR``, ``PERSON``, ``nt``...) as PER/LOC/ORG; others unchanged."""
    return _LABELS.get(label.upper(), label)


# -- finding the model ---------------------------------------------------


def hanlp_home() -> Path:
    """``$HANLP_HOME`` as HanLP computes it (read now, not at import)."""
    home = os.environ.get("HANLP_HOME")
    if home:
        return Path(home).expanduser()
    if os.name == "nt":  # pragma: no cover - HanLP's Windows default
        return Path(os.environ.get("APPDATA", "~"), "hanlp").expanduser()
    return Path("~/.hanlp").expanduser()


def _hanlp_url() -> str:
    return os.environ.get("HANLP_URL", "https://file.hankcs.com/hanlp/")


def _split_compressed(path: str) -> tuple[str, str]:
    for ext in _COMPRESSED:
        if path.endswith(ext):
            return path[: -len(ext)], ext
    return path, ""


def cache_paths(url: str, home: Path | None = None) -> tuple[Path, Path | None]:
    """Where HanLP keeps ``url``: the unpacked folder and the archive (if any).

    Mirrors ``hanlp.utils.io_util.path_from_url``: official URLs drop the
    ``HANLP_URL`` prefix, others go under ``thirdparty/<domain>/``.
    """
    home = home or hanlp_home()
    url, _, anchor = url.partition("#")
    prefix = _hanlp_url()
    parsed = urlparse(url)
    rel = parsed.path.strip("/")
    if url.startswith(prefix):
        middle = prefix.split(parsed.netloc)[-1].lstrip("/")
        rel = rel.removeprefix(middle)
        real = home / rel
    else:
        real = home / "thirdparty" / parsed.netloc / rel
    root, ext = _split_compressed(str(real))
    archive = Path(root + ext) if ext else None
    folder = Path(root)
    if anchor:
        # "#/x/y" renames the unpacked folder to x; "#y" is a child of it.
        folder = folder.parent / anchor.lstrip("/") if anchor.startswith("/") else folder / anchor
    return folder, archive


def _pretrained() -> dict[str, str]:
    """HanLP's identifier names -> URLs ({} without hanlp); needs no torch."""
    try:
        import hanlp.pretrained
    except ImportError:
        return {}
    return dict(hanlp.pretrained.ALL)


def _mirrors() -> dict[str, str]:
    """Transformer names that HanLP fetches from its own server, not the HF hub."""
    try:
        from hanlp.layers.transformers.resource import model_mirrors, tokenizer_mirrors
    except ImportError:
        return {}
    return {**model_mirrors, **tokenizer_mirrors}


@dataclass(frozen=True)
class ModelLocation:
    """Where a model was looked for, and what was found."""

    model: str
    #: The remote URL behind the identifier; None for a local path.
    url: str | None
    #: The places checked, for the error message.
    looked: tuple[Path, ...]
    #: An unpacked model directory, or an archive HanLP will unpack; None if absent.
    found: Path | None
    #: Why it is unusable, one line; None when found.
    problem: str | None = None


def locate_model(model: str | None = None) -> ModelLocation:
    """Find ``model`` (identifier name, URL or local dir) on this machine; no torch."""
    model = model or DEFAULT_MODEL
    url = _pretrained().get(model, model)
    if url.startswith(("http://", "https://")):
        folder, archive = cache_paths(url)
        looked = (folder,) + ((archive,) if archive else ())
        if folder.is_dir():
            return ModelLocation(model, url, looked, folder)
        if archive and archive.is_file():
            return ModelLocation(model, url, looked, archive)
        where = f"{folder}/" + (f" or {archive}" if archive else "")
        problem = f"HanLP model {model!r} is not cached (looked for {where})"
        return ModelLocation(model, url, looked, None, problem)
    path = Path(model).expanduser()
    if path.is_dir() or (path.is_file() and path.suffix == ".json"):
        return ModelLocation(model, None, (path,), path)
    if path.exists():
        problem = f"HanLP model {model!r} is not a model directory"
    elif model.isupper() and os.sep not in model:
        problem = f"{model!r} is not a HanLP identifier known to this hanlp version"
    else:
        problem = f"HanLP model directory {model!r} does not exist"
    return ModelLocation(model, None, (path,), None, problem)


#: Config keys whose value HanLP resolves (and may download) while loading.
#: Others (trn/dev paths of an MTL, load_path) are never fetched at load time;
#: anything we miss is still stopped by :func:`_offline_guard`.
_RESOURCE_KEYS = {"transformer", "embed", "filepath", "model_path"}


def _config_strings(node: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _config_strings(v, str(k))
    elif isinstance(node, list):
        for v in node:
            yield from _config_strings(v, key)
    elif isinstance(node, str):
        yield key, node


def _hf_hub() -> Path:
    hub = os.environ.get("HF_HUB_CACHE") or os.path.join(
        os.environ.get("HF_HOME", "~/.cache/huggingface"), "hub"
    )
    return Path(hub).expanduser()


def missing_resources(model_dir: Path) -> list[str]:
    """Resources named in the saved model's config that are not on this machine.

    Covers HanLP URLs and identifiers, transformer names HanLP mirrors, local
    paths, and plain Hugging Face names (checked in the HF cache).  Best effort.
    """
    config = model_dir if model_dir.is_file() else model_dir / "config.json"
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []  # TF-era models keep meta.json; let HanLP judge those.
    pretrained, mirrors = _pretrained(), _mirrors()
    missing: list[str] = []
    for key, value in _config_strings(data):
        if key not in _RESOURCE_KEYS:
            continue
        url = mirrors.get(value) or pretrained.get(value) or value
        if url.startswith(("http://", "https://")):
            folder, archive = cache_paths(url)
            if not folder.exists() and not (archive and archive.is_file()):
                missing.append(f"{value} (looked for {folder}/)")
        elif os.path.isabs(value) or value.startswith(("~", ".")):
            if not Path(value).expanduser().exists():
                missing.append(f"{value} (no such path)")
        elif key == "transformer" and "/" in value and not Path(value).exists():
            folder = _hf_hub() / ("models--" + value.replace("/", "--"))
            if not folder.is_dir():
                missing.append(f"{value} (looked for {folder}/)")
    return missing


def _check(model: str | None) -> ModelLocation:
    where = locate_model(model)
    if where.found is None:
        raise EngineUnavailable(f"{where.problem}; {_FIX_HINT}")
    if where.found.suffix != ".zip":
        missing = missing_resources(where.found)
        if missing:
            raise EngineUnavailable(
                f"HanLP model {where.model!r} needs {missing[0]}, which is not cached; " + _FIX_HINT
            )
    return where


def hanlp_model_available(model: str | None = None) -> bool:
    """True if hanlp and torch are installed and ``model`` loads without any download."""
    try:
        _import_hanlp()  # cheap: finds torch but does not import it
        _check(model)
    except EngineUnavailable:
        return False
    return True


def _import_hanlp() -> Any:
    try:
        import hanlp
    except ImportError as exc:
        raise EngineUnavailable(
            f"HanLP is not installed ({exc}); pip install 'kg[hanlp]' or use --ner lac"
        ) from exc
    # `import hanlp` works without torch; loading any model then fails.
    if importlib.util.find_spec("torch") is None:
        raise EngineUnavailable(
            "HanLP needs torch: pip install torch==2.13.0 'kg[hanlp]', or use --ner lac"
        )
    return hanlp


class _Offline(EngineUnavailable):
    pass


@contextlib.contextmanager
def _offline_guard() -> Iterator[None]:
    """Make any download HanLP attempts during load fail at once.

    The checks above should prevent it; this is the backstop.  HanLP's load
    error path also asks PyPI for its latest version, without a timeout.
    """
    import hanlp.utils.component_util as cu
    import hanlp.utils.io_util as io

    def refuse(url: str, *args: object, **kwargs: object) -> str:
        raise _Offline(f"HanLP tried to download {url.split('#')[0]}")

    def no_pypi(*args: object, **kwargs: object) -> None:
        raise OSError("not asking PyPI")

    saved = io.download, cu.get_latest_info_from_pypi
    io.download, cu.get_latest_info_from_pypi = refuse, no_pypi
    try:
        yield
    finally:
        io.download, cu.get_latest_info_from_pypi = saved


def _fix_crf(model: Any) -> None:
    """hanlp 2.1.5's RNN tagger builds ``CRF(n, crf_constraints)``: batch_first=None.

    The CRF then reads batches as (seq, batch) and learns/decodes garbage.
    ``model`` is the component's torch module (``component.model``).
    """
    if model is None or not hasattr(model, "modules"):
        return
    from hanlp.layers.crf.crf import CRF

    for module in model.modules():
        if isinstance(module, CRF) and not module.batch_first:
            module.batch_first = True


# -- text handling -------------------------------------------------------


def chunk_text(text: str, limit: int = MAX_CHARS) -> list[tuple[int, str]]:
    """Split ``text`` into (offset, piece) with pieces of at most ``limit`` chars.

    Cuts after a sentence end, else after a comma or space, in the second
    half of the window, so an entity is rarely cut in two.
    """
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = limit
        for marks in _CUTS:
            pos = max(window.rfind(m) for m in marks)
            if pos >= limit // 2:
                cut = pos + 1
                break
        pieces.append((start, window[:cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


def _span(sentence: str, start: int, end: int, label: str) -> Span | None:
    """A Span cut from ``sentence``, whitespace trimmed; None if empty/invalid."""
    if not 0 <= start < end <= len(sentence):
        return None
    while start < end and sentence[start].isspace():
        start += 1
    while end > start and sentence[end - 1].isspace():
        end -= 1
    if start == end:
        return None
    return Span(start, end, map_label(label), sentence[start:end])


def token_offsets(sentence: str, tokens: Sequence[Any]) -> list[tuple[int, int]]:
    """Char offsets of ``tokens``, found in order in ``sentence`` (tok drops spaces).

    A token may be HanLP's ``(text, begin, end)`` (``output_spans``): used as is.
    """
    offsets: list[tuple[int, int]] = []
    pos = 0
    for tok in tokens:
        if isinstance(tok, (tuple, list)):
            offsets.append((int(tok[1]), int(tok[2])))
            pos = int(tok[2])
            continue
        at = sentence.find(tok, pos)
        if at < 0:  # normalised token: assume it sits where we are
            at = pos
        offsets.append((at, at + len(tok)))
        pos = at + len(tok)
    return offsets


def mtl_spans(document: Any, sentences: Sequence[str], task: str) -> list[list[Span]]:
    """Spans from a multi-task Document (``doc[task]`` offsets are in tokens)."""
    tok_key = next(
        (k for k in ("tok/fine", "tok/coarse", "tok") if k in document),
        next((k for k in document if str(k).startswith("tok")), None),
    )
    out: list[list[Span]] = []
    for i, sentence in enumerate(sentences):
        ents = document[task][i]
        offsets = token_offsets(sentence, document[tok_key][i]) if tok_key else []
        row: list[Span] = []
        for ent in ents:
            _text, label, b, e = ent[:4]
            if not offsets or not 0 <= b < e <= len(offsets):
                continue
            span = _span(sentence, offsets[b][0], offsets[e - 1][1], label)
            if span:
                row.append(span)
        out.append(row)
    return out


# -- the engine ----------------------------------------------------------


class HanlpRecognizer:
    """``--ner hanlp``: HanLP NER from a pretrained identifier or a local dir."""

    name = "hanlp"

    def __init__(self, model: str | None = None, *, batch_size: int = 64) -> None:
        hanlp = _import_hanlp()
        where = _check(model)
        self.model = where.model
        self.batch_size = max(1, batch_size)
        target = str(where.found)
        try:
            with _offline_guard():
                if where.url and where.found and where.found.suffix == ".zip":
                    # Unpack from *our* HANLP_HOME; HanLP froze its own at import.
                    from hanlp.utils.io_util import get_resource

                    target = get_resource(where.url, save_dir=str(hanlp_home()))
                    missing = missing_resources(Path(target))
                    if missing:
                        raise _Offline(f"HanLP model {self.model!r} needs {missing[0]}")
                component = hanlp.load(target, verbose=False)
        except _Offline as exc:
            # HanLP's load error path appends an "ERROR LOG ENDS" line to args[0].
            first = str(exc.args[0]).splitlines()[0]
            raise EngineUnavailable(f"{first}, which is not cached; {_FIX_HINT}") from exc
        except Exception as exc:
            first = (str(exc).strip().splitlines() or [""])[0]
            hint = ""
            if isinstance(exc, ModuleNotFoundError) and exc.name == "pkg_resources":
                hint = " (pip install 'setuptools<81': pkg_resources hides the real error)"
            kind = type(exc).__name__
            raise EngineUnavailable(
                f"HanLP could not load {self.model!r}: {kind}: {first}{hint}"
            ) from exc
        _fix_crf(getattr(component, "model", None))
        self._component = component
        self._task = self._ner_task(component)
        log.info(
            "hanlp: loaded %s from %s%s",
            self.model,
            target,
            f" (task {self._task})" if self._task else "",
        )

    @staticmethod
    def _ner_task(component: Any) -> str | None:
        tasks = getattr(component, "tasks", None)
        if not isinstance(tasks, dict):
            return None  # a single-task tagger
        for key in (*MTL_NER_TASKS, *sorted(tasks)):
            if key in tasks and key.startswith("ner"):
                return key
        raise EngineUnavailable(f"HanLP model has no NER task (tasks: {', '.join(tasks)})")

    def _predict(self, pieces: list[str]) -> list[list[Span]]:
        if self._task:
            doc = self._component(pieces, tasks=self._task, batch_size=self.batch_size)
            return mtl_spans(doc, pieces, self._task)
        # A tagger wants characters; one char per token keeps offsets = char offsets.
        result = self._component([list(p) for p in pieces], batch_size=len(pieces))
        rows: list[list[Span]] = []
        for piece, ents in zip(pieces, result, strict=True):
            row = [_span(piece, e[2], e[3], e[1]) for e in ents]
            rows.append([s for s in row if s])
        return rows

    def recognize(self, sentences: Sequence[str]) -> list[list[Span]]:
        out: list[list[Span]] = [[] for _ in sentences]
        pieces: list[tuple[int, int, str]] = []  # (sentence idx, offset, piece)
        for i, sentence in enumerate(sentences):
            for off, piece in chunk_text(sentence):
                if piece.strip():  # HanLP raises on an empty sentence in a batch
                    pieces.append((i, off, piece))
        # Similar lengths together: less padding.  Order restored via idx.
        pieces.sort(key=lambda p: len(p[2]))
        for b in range(0, len(pieces), self.batch_size):
            batch = pieces[b : b + self.batch_size]
            for (i, off, _), row in zip(batch, self._predict([p[2] for p in batch]), strict=True):
                out[i].extend(Span(s.start + off, s.end + off, s.label, s.text) for s in row)
        for row in out:
            row.sort(key=lambda s: (s.start, s.end))
        return out


# -- training a small char-level model ----------------------------------


def bio_tags(text: str, spans: Iterable[Span]) -> list[str]:
    """One BIO tag per character of ``text``; later overlapping spans lose."""
    tags = ["O"] * len(text)
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start >= span.end or any(t != "O" for t in tags[span.start : span.end]):
            continue
        tags[span.start] = f"B-{span.label}"
        for k in range(span.start + 1, span.end):
            tags[k] = f"I-{span.label}"
    return tags


def write_bio_tsv(examples: Iterable[tuple[str, Sequence[Span]]], path: str | Path) -> int:
    """Write HanLP's training TSV (``字<TAB>B-PER``); returns the sentence count.

    Whitespace characters are left out: HanLP's reader splits lines on them.
    """
    count = 0
    with open(path, "w", encoding="utf-8") as fh:
        for text, spans in examples:
            lines = [
                f"{c}\t{t}"
                for c, t in zip(text, bio_tags(text, spans), strict=True)
                if not c.isspace()
            ]
            if lines:
                fh.write("\n".join(lines) + "\n\n")
                count += 1
    return count


def train_rnn_ner(
    train_tsv: str | Path,
    save_dir: str | Path,
    *,
    dev_tsv: str | Path | None = None,
    epochs: int = 20,
    batch_size: int = 50,
    embed: int = 100,
    rnn_hidden: int = 256,
    crf: bool = False,
    seed: int = 1,
    verbose: bool = False,
) -> Path:
    """Train HanLP's BiLSTM ``RNNNamedEntityRecognizer`` on CPU into ``save_dir``.

    ``embed`` is an int on purpose: random char embeddings (a str would mean
    a word2vec download).  ``dev_tsv`` defaults to the training file.
    """
    _import_hanlp()
    from hanlp.components.ner.rnn_ner import RNNNamedEntityRecognizer

    ner = RNNNamedEntityRecognizer()
    if crf:
        build = ner.build_model

        def build_fixed(*args: Any, **kwargs: Any) -> Any:
            model = build(*args, **kwargs)
            _fix_crf(model)
            return model

        ner.build_model = build_fixed  # type: ignore[method-assign]
    ner.fit(
        str(train_tsv),
        str(dev_tsv or train_tsv),
        str(save_dir),
        epochs=epochs,
        batch_size=batch_size,
        embed=embed,
        rnn_hidden=rnn_hidden,
        crf=crf,
        tagging_scheme="BIO",  # IOBES output can raise InvalidTagSequence
        token_delimiter="",
        devices=-1,
        seed=seed,
        verbose=verbose,
    )
    return Path(save_dir)

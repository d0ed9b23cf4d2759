"""HanLP NER (``--ner hanlp``): a pretrained identifier or a local model dir.

HanLP fetches missing models with a downloader that retries for ~25 s (no
timeout) before failing, and its failure path then queries PyPI.  On an
offline machine that is a long hang for a predictable error, so we look for
the model (and the resources its ``config.json`` names) in HanLP's cache
ourselves and raise :class:`EngineUnavailable` at once when something is
missing.  ``hanlp`` and torch are imported lazily: ``--ner auto`` can ask
:func:`hanlp_model_available` without paying for torch.  :func:`fetch_model`
is the one place that downloads (``kg models fetch``), with HanLP's own
downloader after a short reachability check.

Single-task taggers are fed what they were trained on: HanLP's pretrained
NER models are word-level (we segment with LAC), kg's own BiLSTM models are
char-level (a ``kg.json`` sidecar says so).  Multi-task models tokenise
themselves.

The module also holds the small helpers used to train NER models with HanLP
offline (``bench/train_hanlp.py``, ``bench/hanlp_speed.py`` and the tests).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import logging
import os
import socket
import urllib.request
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from kg.model import Span
from kg.recognize.base import EngineUnavailable, KgError

log = logging.getLogger(__name__)

#: ``hanlp.pretrained.ner.MSRA_NER_ELECTRA_SMALL_ZH`` (a ``hanlp.pretrained.ALL`` key).
DEFAULT_MODEL = "MSRA_NER_ELECTRA_SMALL_ZH"
#: Longest piece handed to the model; transformers stop at 512 sub-tokens.
MAX_CHARS = 500
#: Preferred NER task of a multi-task (MTL) model, best first.
MTL_NER_TASKS = ("ner/msra", "ner/pku", "ner/ontonotes")

#: What a single-task model is fed: LAC's words, or single characters.
TOKENS = ("words", "chars")
#: kg's note next to a model's ``config.json`` (``{"tokens": "chars"}``).
SIDECAR = "kg.json"

_OFFLINE_HINT = (
    "without internet, copy ~/.hanlp from a connected machine (or point HANLP_HOME "
    "at a copy), pass --hanlp-model DIR with a local HanLP model, or use --ner lac"
)
_LOCAL_HINT = "pass --hanlp-model DIR with a HanLP model directory, or use --ner lac"


def _fix_hint(model: str | None = None) -> str:
    """Both ways out: fetch it (connected) or bring it over (offline)."""
    return f"with internet, run `kg models fetch {model or DEFAULT_MODEL}`; {_OFFLINE_HINT}"


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


#: Config keys naming data HanLP never touches at load time (training sets of
#: pretrained models point at the author's disk or an uncached URL).
_DATA_KEYS = {"trn", "dev", "tst", "trn_data", "dev_data", "tst_data", "load_path", "save_dir"}
#: Config keys whose plain ``org/name`` value is a Hugging Face model id.
_HF_KEYS = {"transformer", "tokenizer"}


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


@dataclass(frozen=True)
class Resource:
    """A file or folder a saved model's config names, resolved to this machine."""

    #: The config value (URL, identifier, transformer name or path).
    value: str
    #: Where HanLP's downloader gets it; None when it cannot (local path, HF hub id).
    url: str | None
    #: The unpacked folder/file HanLP will use.
    path: Path
    #: The archive HanLP unpacks into ``path``, if any.
    archive: Path | None = None

    @property
    def present(self) -> bool:
        return self.path.exists() or bool(self.archive and self.archive.is_file())

    def __str__(self) -> str:
        if self.url is None and self.path == Path(self.value).expanduser():
            return f"{self.value} (no such path)"
        return f"{self.value} (looked for {self.path}/)"


def _read_config(found: Path) -> dict[str, Any] | None:
    """A model's ``config.json`` from its folder, the file itself, or its zip."""
    try:
        if found.is_file() and found.suffix == ".zip":
            with zipfile.ZipFile(found) as zf:
                names = [n for n in zf.namelist() if n.rsplit("/", 1)[-1] == "config.json"]
                if not names:
                    return None
                data = json.loads(zf.read(min(names, key=lambda n: n.count("/"))))
        else:
            config = found if found.is_file() else found / "config.json"
            data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError, zipfile.BadZipFile):
        return None  # TF-era models keep meta.json; let HanLP judge those.
    # Only HanLP components name resources; a transformer's own config does not.
    return data if isinstance(data, dict) and "classpath" in data else None


def _looks_like_path(value: str) -> bool:
    """An absolute or ``~/`` path of a folder and a name (not a "/" delimiter)."""
    if "\n" in value or "\t" in value:
        return False
    if value.startswith("~/"):
        return len(Path(value).parts) >= 2  # "~", "name"
    return os.path.isabs(value) and len(Path(value).parts) >= 3  # "/", "dir", "name"


def config_resources(config: dict[str, Any]) -> list[Resource]:
    """Every resource the config names, at any depth and under any key.

    An http(s) URL, a HanLP identifier, a transformer name HanLP mirrors, an
    absolute (or ``~``) path; a plain ``org/name`` under ``transformer`` is
    looked for in the Hugging Face cache.  Training-data keys are skipped.
    """
    pretrained, mirrors = _pretrained(), _mirrors()
    found: dict[str, Resource] = {}
    for key, value in _config_strings(config):
        if key in _DATA_KEYS or value in found:
            continue
        url = mirrors.get(value) or pretrained.get(value) or value
        if url.startswith(("http://", "https://")):
            folder, archive = cache_paths(url)
            found[value] = Resource(value, url, folder, archive)
        elif _looks_like_path(value):
            found[value] = Resource(value, None, Path(value).expanduser())
        elif key in _HF_KEYS and value.count("/") == 1 and not Path(value).exists():
            folder = _hf_hub() / ("models--" + value.replace("/", "--"))
            found[value] = Resource(value, None, folder)
    return list(found.values())


def _missing(found: Path, depth: int = 3) -> list[Resource]:
    """Resources of the model at ``found`` (and of HanLP components it names) not here."""
    config = _read_config(found)
    if config is None:
        return []
    missing: list[Resource] = []
    for res in config_resources(config):
        if not res.present:
            missing.append(res)
        elif depth > 0 and res.path.is_dir():
            missing.extend(_missing(res.path, depth - 1))
    return missing


def missing_resources(model_dir: Path) -> list[str]:
    """Resources named in the saved model's config that are not on this machine.

    Looks inside nested HanLP components too, and inside a cached ``.zip``.
    Best effort: :func:`_offline_guard` still stops a download we missed.
    """
    return [str(r) for r in _missing(Path(model_dir))]


class HanlpAbsent(EngineUnavailable):
    """HanLP, torch or the model itself is not on this machine (the usual offline case)."""


def check_model(model: str | None = None) -> ModelLocation:
    """Where ``model`` is, if it loads without any download; raises EngineUnavailable.

    Raises :class:`HanlpAbsent` when hanlp/torch or the model is simply not
    here, plain EngineUnavailable when the model is here but incomplete.
    Needs no torch import.
    """
    _import_hanlp()  # cheap: finds torch but does not import it
    where = locate_model(model)
    if where.found is None:
        hint = _fix_hint(where.model) if where.url else _LOCAL_HINT
        raise HanlpAbsent(f"{where.problem}; {hint}")
    missing = _missing(where.found)
    if missing:
        raise EngineUnavailable(
            f"HanLP model {where.model!r} needs {missing[0]}, which is not cached; "
            + _fix_hint(where.model)
        )
    return where


def hanlp_model_available(model: str | None = None) -> bool:
    """True if hanlp and torch are installed and ``model`` loads without any download."""
    try:
        check_model(model)
    except EngineUnavailable:
        return False
    return True


def _import_hanlp() -> Any:
    try:
        import hanlp
    except ImportError as exc:
        raise HanlpAbsent(
            f"HanLP is not installed ({exc}); pip install 'kg[hanlp]' or use --ner lac"
        ) from exc
    # `import hanlp` works without torch; loading any model then fails.
    if importlib.util.find_spec("torch") is None:
        raise HanlpAbsent(
            "HanLP needs torch: pip install torch==2.13.0 'kg[hanlp]', or use --ner lac"
        )
    return hanlp


# -- fetching ------------------------------------------------------------


def _first_line(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _endpoint(url: str) -> tuple[str, int]:
    """The host:port a download of ``url`` connects to first (the proxy, if any)."""
    parsed = urlparse(url)
    host = parsed.hostname or ""
    proxy = urllib.request.getproxies().get(parsed.scheme)
    if proxy and not urllib.request.proxy_bypass(host):
        via = urlparse(proxy if "://" in proxy else f"http://{proxy}")
        return via.hostname or "", via.port or (443 if via.scheme == "https" else 80)
    return host, parsed.port or (443 if parsed.scheme == "https" else 80)


def _reachable(url: str, timeout: float) -> None:
    """Fail in ``timeout`` s, not after HanLP's retries, when the server is unreachable."""
    host, port = _endpoint(url)
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        raise EngineUnavailable(
            f"cannot reach {host}:{port} to download {url.split('#')[0]} ({_first_line(exc)}); "
            + _OFFLINE_HINT
        ) from exc


@contextlib.contextmanager
def _no_pypi() -> Iterator[None]:
    """HanLP's failure paths ask PyPI for its latest version, with no timeout."""
    import hanlp.utils.component_util as cu
    import hanlp.utils.io_util as io_util

    def refuse(*args: object, **kwargs: object) -> Any:
        raise OSError("not asking PyPI")

    saved = io_util.check_outdated, cu.get_latest_info_from_pypi
    io_util.check_outdated = cu.get_latest_info_from_pypi = refuse
    try:
        yield
    finally:
        io_util.check_outdated, cu.get_latest_info_from_pypi = saved


def _download(url: str, timeout: float) -> Path:
    """``url`` into our HANLP_HOME with HanLP's own downloader (and unpacker)."""
    from hanlp.utils.io_util import get_resource

    saved = socket.getdefaulttimeout()
    # HanLP's requests carry no timeout: a server that stops sending would
    # hang us; with a default each silent read fails (and is retried).
    socket.setdefaulttimeout(timeout)
    try:
        # Explicit home/prefix: HanLP froze its defaults at import.
        return Path(get_resource(url, save_dir=str(hanlp_home()), prefix=_hanlp_url()))
    except Exception as exc:
        raise EngineUnavailable(
            f"HanLP could not download {url.split('#')[0]}: {_first_line(exc)}; " + _OFFLINE_HINT
        ) from exc
    finally:
        socket.setdefaulttimeout(saved)


def fetch_model(model: str | None = None, *, timeout: float = 10.0) -> Path:
    """Make ``model`` (identifier, URL or local dir) loadable offline; its path.

    A model already cached with everything its config names is returned with
    no network access.  Otherwise each server is checked with a socket
    connect (``timeout`` s) and HanLP's downloader fetches the model and every
    missing resource into ``$HANLP_HOME``.  Raises :class:`EngineUnavailable`
    (one line) when a server is unreachable or a resource cannot be fetched.
    """
    _import_hanlp()
    where = locate_model(model)
    if where.found and where.found.suffix != ".zip" and not _missing(where.found):
        return where.found  # all here: no network, no torch import
    with _no_pypi():
        if where.found is None:
            if where.url is None:
                raise HanlpAbsent(f"{where.problem}; {_LOCAL_HINT}")
            _reachable(where.url, timeout)
            log.info("hanlp: downloading %s", where.url)
            path = _download(where.url, timeout)
        elif where.url and where.found.suffix == ".zip":
            path = _download(where.url, timeout)  # cached archive: HanLP only unpacks it
        else:
            path = where.found
        fetched: set[str] = set()
        while missing := _missing(path):
            res = missing[0]
            if res.url is None or res.value in fetched:
                raise EngineUnavailable(
                    f"HanLP model {where.model!r} needs {res}, which HanLP's downloader "
                    f"cannot fetch; {_OFFLINE_HINT}"
                )
            fetched.add(res.value)
            _reachable(res.url, timeout)
            log.info("hanlp: downloading %s", res.url)
            _download(res.url, timeout)
    return path


class _Offline(EngineUnavailable):
    pass


@contextlib.contextmanager
def _offline_guard() -> Iterator[None]:
    """Make any download HanLP attempts during load fail at once.

    The checks above should prevent it; this is the backstop.  HanLP's load
    error path also asks PyPI for its latest version, without a timeout.
    """
    import hanlp.utils.component_util as cu
    import hanlp.utils.io_util as io_util

    def refuse(url: str, *args: object, **kwargs: object) -> str:
        raise _Offline(f"HanLP tried to download {url.split('#')[0]}")

    def no_pypi(*args: object, **kwargs: object) -> None:
        raise OSError("not asking PyPI")

    saved = io_util.download, cu.get_latest_info_from_pypi
    io_util.download, cu.get_latest_info_from_pypi = refuse, no_pypi
    try:
        yield
    finally:
        io_util.download, cu.get_latest_info_from_pypi = saved


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


def _token_spans(
    sentence: str, offsets: Sequence[tuple[int, int]], ents: Iterable[Any]
) -> list[Span]:
    """HanLP's ``(text, label, start, end)`` in token indices (end exclusive) as char Spans."""
    row: list[Span] = []
    for ent in ents:
        _text, label, b, e = ent[:4]
        if not 0 <= b < e <= len(offsets):
            continue
        span = _span(sentence, offsets[b][0], offsets[e - 1][1], label)
        if span:
            row.append(span)
    return row


def mtl_spans(
    document: Any, sentences: Sequence[str], task: str, tok: str | None = None
) -> list[list[Span]]:
    """Spans from a multi-task Document (``doc[task]`` offsets index ``doc[tok]``).

    ``tok`` defaults to the finest tokenisation in the document.
    """
    tok_key = (
        tok
        if tok in document
        else next(
            (k for k in ("tok/fine", "tok/coarse", "tok") if k in document),
            next((k for k in document if str(k).startswith("tok")), None),
        )
    )
    out: list[list[Span]] = []
    for i, sentence in enumerate(sentences):
        offsets = token_offsets(sentence, document[tok_key][i]) if tok_key else []
        out.append(_token_spans(sentence, offsets, document[task][i]))
    return out


def _sidecar_tokens(model_dir: Path) -> str | None:
    """``tokens`` from the model's ``kg.json``; None without one."""
    folder = model_dir.parent if model_dir.is_file() else model_dir
    try:
        data = json.loads((folder / SIDECAR).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise EngineUnavailable(f"{folder / SIDECAR}: unreadable ({_first_line(exc)})") from exc
    tokens = data.get("tokens") if isinstance(data, dict) else None
    if tokens not in TOKENS:
        raise EngineUnavailable(
            f'{folder / SIDECAR}: "tokens" must be one of {", ".join(TOKENS)}; got {tokens!r}'
        )
    return str(tokens)


def check_tokens(tokens: str | None) -> str | None:
    """``tokens`` if None or one of :data:`TOKENS`; else a one-line KgError."""
    if tokens is not None and tokens not in TOKENS:
        raise KgError(f"--hanlp-tokens must be one of {', '.join(TOKENS)}; got {tokens!r}")
    return tokens


# -- the engine ----------------------------------------------------------


class HanlpRecognizer:
    """``--ner hanlp``: HanLP NER from a pretrained identifier or a local dir.

    ``tokens`` says what a single-task model is fed: ``"words"`` (LAC's
    segmentation; HanLP's pretrained NER models are word-level) or
    ``"chars"`` (kg's own BiLSTM models).  None reads the model's ``kg.json``
    and defaults to words.  Multi-task models take raw text and ignore it.
    """

    name = "hanlp"

    def __init__(
        self, model: str | None = None, *, tokens: str | None = None, batch_size: int = 64
    ) -> None:
        check_tokens(tokens)
        hanlp = _import_hanlp()
        where = check_model(model)
        self.model = where.model
        self.batch_size = max(1, batch_size)
        target = str(where.found)
        noise = io.StringIO()
        try:
            # HanLP prints a page of "ERROR LOG" and upgrade advice on failure;
            # we raise one line instead and log the page at debug level.
            with _offline_guard(), contextlib.redirect_stderr(noise):
                if where.url and where.found and where.found.suffix == ".zip":
                    # Unpack from *our* HANLP_HOME; HanLP froze its own at import.
                    from hanlp.utils.io_util import get_resource

                    target = get_resource(
                        where.url, save_dir=str(hanlp_home()), prefix=_hanlp_url()
                    )
                    missing = missing_resources(Path(target))
                    if missing:
                        raise _Offline(f"HanLP model {self.model!r} needs {missing[0]}")
                component = hanlp.load(target, verbose=False)
        except Exception as exc:
            log.debug("hanlp: loading %s failed; HanLP said:\n%s", self.model, noise.getvalue())
            raise self._load_error(exc) from exc
        if noise.getvalue().strip():
            log.debug("hanlp: %s", noise.getvalue().strip())
        _fix_crf(getattr(component, "model", None))
        self._component = component
        self._task = self._ner_task(component)
        self._tok = self._tok_task(component) if self._task else None
        self._lac: Any = None
        if self._task:
            if tokens:
                log.warning("hanlp: %s tokenises itself; --hanlp-tokens ignored", self.model)
            self.tokens: str | None = None
        else:
            self.tokens = tokens or _sidecar_tokens(Path(target)) or "words"
            if self.tokens == "words":
                from kg.recognize.lac import LacRecognizer

                self._lac = LacRecognizer()
        log.info(
            "hanlp: loaded %s from %s (%s)",
            self.model,
            target,
            f"task {self._task}" if self._task else f"fed {self.tokens}",
        )

    def _load_error(self, exc: Exception) -> EngineUnavailable:
        if isinstance(exc, _Offline):
            # HanLP's load error path appends an "ERROR LOG ENDS" line to args[0].
            first = str(exc.args[0]).splitlines()[0]
            return EngineUnavailable(f"{first}, which is not cached; {_fix_hint(self.model)}")
        hint = ""
        if isinstance(exc, ModuleNotFoundError) and exc.name == "pkg_resources":
            hint = " (pip install 'setuptools<81': pkg_resources hides the real error)"
        return EngineUnavailable(f"HanLP could not load {self.model!r}: {_first_line(exc)}{hint}")

    @staticmethod
    def _ner_task(component: Any) -> str | None:
        tasks = getattr(component, "tasks", None)
        if not isinstance(tasks, dict):
            return None  # a single-task tagger
        for key in (*MTL_NER_TASKS, *sorted(tasks)):
            if key in tasks and key.startswith("ner"):
                return key
        raise EngineUnavailable(f"HanLP model has no NER task (tasks: {', '.join(tasks)})")

    @staticmethod
    def _tok_task(component: Any) -> str | None:
        """The tokeniser whose tokens the NER task's offsets index: HanLP feeds
        later tasks from the first ``tok*`` task in the model's task order."""
        names = list(component.config.get("task_names") or component.tasks)
        return next((k for k in names if k.startswith("tok")), None)

    def _words(self, pieces: list[str]) -> list[list[str]]:
        """LAC's segmentation, whitespace dropped (a space has no sub-token)."""
        return [
            [part for word, _tag in words for part in word.split()]
            for words in self._lac.words(pieces)
        ]

    def _predict(self, pieces: list[str]) -> list[list[Span]]:
        if self._task:
            # Ask for the tokeniser too: a NER task need not declare it.
            tasks = [self._tok, self._task] if self._tok else self._task
            doc = self._component(pieces, tasks=tasks, batch_size=self.batch_size)
            return mtl_spans(doc, pieces, self._task, self._tok)
        tokens = self._words(pieces) if self.tokens == "words" else [list(p) for p in pieces]
        result = self._component(tokens, batch_size=len(pieces))
        return [
            _token_spans(piece, token_offsets(piece, toks), ents)
            for piece, toks, ents in zip(pieces, tokens, result, strict=True)
        ]

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


# -- training a small char-level model -----------------------------------


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
    return _write_tagged(((list(text), bio_tags(text, spans)) for text, spans in examples), path)


def _write_tagged(examples: Iterable[tuple[Sequence[str], Sequence[str]]],
                  path: str | Path) -> int:
    """``token<TAB>tag`` lines, a blank line between sentences; tokens that are
    only whitespace are left out (HanLP's reader splits lines on it), and so
    are sentences left empty.  Returns the sentence count."""
    count = 0
    with open(path, "w", encoding="utf-8") as fh:
        for tokens, tags in examples:
            lines = [f"{w}\t{t}" for w, t in zip(tokens, tags, strict=True) if w.strip()]
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
    write_sidecar(save_dir, tokens="chars")  # trained on characters: feed characters
    return Path(save_dir)


def write_sidecar(save_dir: str | Path, *, tokens: str) -> Path:
    """Record in ``save_dir/kg.json`` what the model is fed (see :data:`TOKENS`)."""
    if tokens not in TOKENS:
        raise KgError(f"tokens must be one of {', '.join(TOKENS)}; got {tokens!r}")
    path = Path(save_dir) / SIDECAR
    path.write_text(json.dumps({"tokens": tokens}) + "\n", encoding="utf-8")
    return path


# -- a word-level transformer NER, offline ------------------------------


def random_transformer(
    save_dir: str | Path,
    chars: Iterable[str],
    *,
    hidden: int = 256,
    layers: int = 12,
    heads: int = 4,
    intermediate: int = 1024,
    embedding: int = 128,
    dropout: float = 0.1,
    seed: int = 0,
) -> Path:
    """A randomly initialised ELECTRA encoder + character vocab in ``save_dir``.

    The defaults are ELECTRA-small's shape (the encoder of HanLP's small
    Chinese models).  Nothing is downloaded; HanLP takes the folder's path
    wherever it takes a transformer name.
    """
    import torch
    from transformers import BertTokenizerFast, ElectraConfig, ElectraModel

    out = Path(save_dir)
    out.mkdir(parents=True, exist_ok=True)
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = specials + sorted({c for c in chars if not c.isspace()} - set(specials))
    (out / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    # from_pretrained reads vocab.txt in transformers 4 and 5 alike; the
    # constructor's vocab_file is silently ignored by 5 (every char -> [UNK]).
    tokenizer = BertTokenizerFast.from_pretrained(str(out), do_lower_case=False)
    if len(vocab) > len(specials) and tokenizer.tokenize(vocab[-1]) != [vocab[-1]]:
        raise KgError(f"{out}: the tokenizer does not read its vocab.txt")
    tokenizer.save_pretrained(str(out))
    config = ElectraConfig(
        vocab_size=len(vocab),
        embedding_size=embedding,
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        intermediate_size=intermediate,
        max_position_embeddings=512,
        hidden_dropout_prob=dropout,
        attention_probs_dropout_prob=dropout,
    )
    torch.manual_seed(seed)
    ElectraModel(config).save_pretrained(str(out))
    return out


@contextlib.contextmanager
def _adamw_for_hanlp() -> Iterator[None]:
    """hanlp 2.1.5 trains with ``transformers.optimization.AdamW``, which
    transformers 5 removed; torch's AdamW is the same optimiser."""
    import torch
    from transformers import optimization

    if hasattr(optimization, "AdamW"):
        yield
        return

    class AdamW(torch.optim.AdamW):
        def __init__(
            self, params: Any, *args: Any, no_deprecation_warning: bool = True, **kwargs: Any
        ) -> None:
            super().__init__(params, *args, **kwargs)

    optimization.AdamW = AdamW  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del optimization.AdamW  # type: ignore[attr-defined]


def write_word_tsv(
    examples: Iterable[tuple[Sequence[str], Sequence[str]]], path: str | Path
) -> int:
    """Write word-level training TSV (``词<TAB>B-ORG``); returns the sentence count."""
    return _write_tagged(examples, path)


def train_transformer_ner(
    train_tsv: str | Path,
    save_dir: str | Path,
    transformer: str | Path,
    *,
    dev_tsv: str | Path | None = None,
    epochs: int = 20,
    batch_size: int = 16,
    lr: float = 1e-3,
    transformer_lr: float | None = None,
    patience: int = 5,
    seed: int = 1,
) -> Path:
    """Train HanLP's ``TransformerNamedEntityRecognizer`` (word-level, like its
    pretrained NER models) on CPU; ``transformer`` is a local folder such as
    :func:`random_transformer` writes.  No ``kg.json``: fed words, the default."""
    _import_hanlp()
    from hanlp.components.ner.transformer_ner import TransformerNamedEntityRecognizer

    ner = TransformerNamedEntityRecognizer()
    with _adamw_for_hanlp():
        ner.fit(
            str(train_tsv),
            str(dev_tsv or train_tsv),
            str(save_dir),
            transformer=str(transformer),
            epochs=epochs,
            batch_size=batch_size,
            lr=lr,
            transformer_lr=transformer_lr or lr,
            average_subwords=True,  # as HanLP's finetune_ner.py
            word_dropout=0.0,
            delimiter_in_entity="",  # Chinese words join without spaces
            patience=patience,
            seed=seed,
            devices=-1,
        )
    return Path(save_dir)

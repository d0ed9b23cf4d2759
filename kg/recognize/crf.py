"""A linear-chain CRF over Baidu LAC's output (``--ner crf``), via python-crfsuite.

LAC runs once per batch; each character then gets a small feature set (the
character and its neighbours, LAC's word tag and its position in the word,
the neighbouring words' tags, and hits in kg's general lexicons of posts and
organisation suffixes) and a CRF fitted on a public training split re-tags
the sentence.  Two models ship in ``kg/models`` (see its ``README.md``):

``pd``
    People's Daily conventions: ``PER``, ``LOC``, ``ORG``.
``cluener``
    CLUENER2020 classes, renamed: name -> ``PER``, address -> ``LOC``,
    company -> ``COMPANY``, government -> ``GOV``, organization -> ``ORG``,
    position -> ``TITLE``.  (The model also tags CLUENER's book, game,
    movie and scene; those spans are dropped.)

``bench/train_crf.py`` fits both; :func:`sentence_features` is shared with it
so training and tagging cannot drift apart.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from kg.model import Span
from kg.recognize.base import EngineUnavailable

#: Folder of the shipped models (``crf-<name>.crfsuite``).
MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
#: Model name -> the labels its spans may carry (in display order).
MODEL_LABELS: dict[str, tuple[str, ...]] = {
    "pd": ("PER", "LOC", "ORG"),
    "cluener": ("PER", "LOC", "COMPANY", "GOV", "ORG", "TITLE"),
}
#: CLUENER type -> the label the model is trained on (and emits).  Types
#: mapped to lower case are learnt (they help tell a film from a company)
#: but never returned.
CLUENER_TAGS = {
    "name": "PER",
    "address": "LOC",
    "company": "COMPANY",
    "government": "GOV",
    "organization": "ORG",
    "position": "TITLE",
    "book": "book",
    "game": "game",
    "movie": "movie",
    "scene": "scene",
}
#: LAC's word tags that :meth:`CrfRecognizer.analyze` passes on next to the
#: CRF spans (the refiner reads ``nz``; see :mod:`kg.recognize.lac`).
_EXTRA = frozenset({"TIME", "nz", "nw"})


def model_path(model: str) -> Path:
    """A shipped model's file (``pd``, ``cluener``) or a ``.crfsuite`` path."""
    if model in MODEL_LABELS:
        return MODELS_DIR / f"crf-{model}.crfsuite"
    return Path(model).expanduser()


# -- features ----------------------------------------------------------------
def normalize_char(c: str) -> str:
    """Full-width ASCII to half-width, Latin lower-cased (for features only)."""
    o = ord(c)
    if 0xFF01 <= o <= 0xFF5E:
        c = chr(o - 0xFEE0)
    elif o == 0x3000:
        c = " "
    return c.lower()


def char_type(c: str) -> str:
    """``C`` CJK, ``D`` digit, ``L`` Latin, ``P`` punctuation, ``S`` space, ``O`` other;
    ``c`` must be normalised already."""
    if c.isdigit():
        return "D"
    if "a" <= c <= "z":
        return "L"
    if c.isspace():
        return "S"
    if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf":
        return "C"
    cat = unicodedata.category(c)
    if cat.startswith("P") or cat.startswith("S"):
        return "P"
    return "O"


def _len_bucket(n: int) -> str:
    return str(n) if n <= 4 else ("5-6" if n <= 6 else "7+")


#: The lexicon the shipped models were fitted with.  Frozen beside them so
#: that later edits to ``kg/data`` (which the rules use) cannot shift the
#: models' features; ``bench/train_crf.py`` rewrites it when it refits.
LEXICON_SNAPSHOT = MODELS_DIR / "crf-lexicon.tsv"


def lexicon_table() -> dict[str, str]:
    """Lexicon string -> kind (``post``, ``ppost``, or a suffix type) from kg's
    current general lexicons."""
    from kg.refine.lexicon import load_lexicon

    lex = load_lexicon()
    table: dict[str, str] = {}
    for suf, typ in lex.suffixes:
        table.setdefault(suf, typ)
    for p in lex.person_posts:
        table[p] = "ppost"
    for p in lex.official_posts:
        table[p] = "post"
    return table


def write_lexicon_snapshot(path: Path = LEXICON_SNAPSHOT) -> Path:
    table = lexicon_table()
    path.write_text("".join(f"{k}\t{v}\n" for k, v in sorted(table.items())), encoding="utf-8")
    return path


@lru_cache(maxsize=1)
def _lexicon_tables() -> tuple[dict[str, str], int]:
    if LEXICON_SNAPSHOT.exists():
        rows = LEXICON_SNAPSHOT.read_text(encoding="utf-8").splitlines()
        table = dict(r.split("\t") for r in rows if r)
    else:
        table = lexicon_table()
    return table, max(map(len, table))


def lexicon_marks(text: str) -> tuple[list[str | None], list[str | None]]:
    """Per char: the kind of the longest lexicon string ending here, and the kind
    of a lexicon string (two chars or more) covering it."""
    table, longest = _lexicon_tables()
    end: list[str | None] = [None] * len(text)
    inside: list[str | None] = [None] * len(text)
    for i in range(len(text)):
        for k in range(min(longest, i + 1), 0, -1):
            kind = table.get(text[i - k + 1 : i + 1])
            if kind is not None:
                end[i] = f"{kind}{min(k, 3)}"
                if k >= 2:
                    for j in range(i - k + 1, i + 1):
                        inside[j] = inside[j] or kind
                break
    return end, inside


def sentence_features(text: str, tokens: Sequence[Span]) -> list[list[str]]:
    """One list of string features per character of ``text``.

    ``tokens`` is LAC's segmentation of ``text`` (contiguous word spans with
    their POS/NER tag), as :meth:`kg.recognize.lac.LacRecognizer.analyze` gives.
    """
    n = len(text)
    if n == 0:
        return []
    chars = [normalize_char(c) for c in text]
    types = [char_type(c) for c in chars]
    # Word index, position and tag of each char; the tokens cover the text.
    word_of = [0] * n
    wtags: list[str] = []
    wstarts: list[int] = []
    wends: list[int] = []
    pos = 0
    for w, tok in enumerate(tokens):
        wtags.append(tok.label)
        wstarts.append(tok.start)
        wends.append(tok.end)
        for i in range(tok.start, min(tok.end, n)):
            word_of[i] = w
        pos = max(pos, tok.end)
    if pos < n:  # defensive: a tail the tokens missed is one untagged word
        wtags.append("x")
        wstarts.append(pos)
        wends.append(n)
        for i in range(pos, n):
            word_of[i] = len(wtags) - 1
    nw = len(wtags)
    lex_end, lex_in = lexicon_marks(text)

    def ch(i: int) -> str:
        return chars[i] if 0 <= i < n else ("<s>" if i < 0 else "</s>")

    def wt(w: int) -> str:
        return wtags[w] if 0 <= w < nw else ("<s>" if w < 0 else "</s>")

    out: list[list[str]] = []
    for i in range(n):
        w = word_of[i]
        tag = wtags[w]
        first, last = i == wstarts[w], i == wends[w] - 1
        bi = "B" if first else "I"
        wlen = wends[w] - wstarts[w]
        c_2, c_1, c0, c1, c2 = ch(i - 2), ch(i - 1), chars[i], ch(i + 1), ch(i + 2)
        f = [
            "b",
            "c=" + c0,
            "c-1=" + c_1,
            "c+1=" + c1,
            "c-2=" + c_2,
            "c+2=" + c2,
            "c-2c-1=" + c_2 + c_1,
            "c-1c=" + c_1 + c0,
            "cc+1=" + c0 + c1,
            "c+1c+2=" + c1 + c2,
            "c-1c+1=" + c_1 + c1,
            "t=" + types[i],
            "t3=" + (types[i - 1] if i else "^") + types[i] + (types[i + 1] if i + 1 < n else "$"),
            "w=" + bi + "-" + tag,
            "wl=" + _len_bucket(wlen),
            "wp=" + ("S" if first and last else "B" if first else "E" if last else "M"),
            "w-1=" + wt(w - 1),
            "w+1=" + wt(w + 1),
            "w-2=" + wt(w - 2),
            "w+2=" + wt(w + 2),
            "w-1w=" + wt(w - 1) + "|" + tag,
            "ww+1=" + tag + "|" + wt(w + 1),
            "cw=" + c0 + "|" + bi + "-" + tag,
        ]
        if lex_end[i]:
            f.append("lx=" + lex_end[i])
        if lex_in[i]:
            f.append("lxi=" + lex_in[i])
        if i and lex_end[i - 1]:
            f.append("lx-1=" + lex_end[i - 1])
        if i + 1 < n and lex_in[i + 1] and not lex_in[i]:
            f.append("lx+1i=" + lex_in[i + 1])
        out.append(f)
    return out


def tags_to_spans(text: str, tags: Sequence[str], keep: frozenset[str] | None = None) -> list[Span]:
    """Spans from BIOES (or BIO) tags; a stray ``I-``/``E-`` starts a new span."""
    spans: list[Span] = []
    start, label = -1, ""

    def close(end: int) -> None:
        if label and (keep is None or label in keep):
            spans.append(Span(start, end, label, text[start:end]))

    for i, tag in enumerate(tags):
        kind, _, cls = tag.partition("-")
        if kind in ("B", "S") or kind == "O" or cls != label:
            if label:
                close(i)
            label = ""
            if kind != "O":
                start, label = i, cls
        if kind in ("E", "S"):
            close(i + 1)
            label = ""
    if label:
        close(len(tags))
    return spans


def spans_to_tags(n: int, spans: Sequence[tuple[int, int, str]], scheme: str = "BIOES") -> list[str]:
    """Per-char tags for non-overlapping ``(start, end, label)`` spans."""
    tags = ["O"] * n
    for s, e, lab in sorted(spans):
        if any(t != "O" for t in tags[s:e]):  # overlapping gold: keep the first
            continue
        if scheme == "BIOES" and e - s == 1:
            tags[s] = "S-" + lab
            continue
        tags[s] = "B-" + lab
        for j in range(s + 1, e):
            tags[j] = "I-" + lab
        if scheme == "BIOES":
            tags[e - 1] = "E-" + lab
    return tags


# -- the recogniser ----------------------------------------------------------
class CrfRecognizer:
    """``--ner crf``: a shipped CRF (``pd``/``cluener``) or a ``.crfsuite`` file."""

    name = "crf"

    def __init__(self, model: str = "pd", *, lac=None) -> None:  # noqa: ANN001
        try:
            import pycrfsuite
        except ImportError as exc:  # pragma: no cover - install problem
            raise EngineUnavailable(
                f"python-crfsuite is not installed ({exc}); pip install python-crfsuite"
            ) from exc
        path = model_path(model)
        if not path.is_file():
            raise EngineUnavailable(f"CRF model {model!r} not found ({path})")
        self.model = model
        self.path = path
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))
        self._pycrfsuite = pycrfsuite
        # Lower-case labels (CLUENER's book, game...) are learnt, never returned.
        labels = {t.partition("-")[2] for t in self._tagger.labels() if t != "O"}
        self.labels: frozenset[str] = frozenset(lab for lab in labels if not lab.islower())
        if lac is None:
            from kg.recognize.lac import LacRecognizer

            lac = LacRecognizer()
        self.lac = lac

    def tag(self, text: str, tokens: Sequence[Span]) -> list[Span]:
        """CRF spans of one sentence, given its LAC tokens."""
        if not text:
            return []
        xseq = self._pycrfsuite.ItemSequence(sentence_features(text, tokens))
        return tags_to_spans(text, self._tagger.tag(xseq), self.labels)

    def analyze(self, sentences: Sequence[str]) -> tuple[list[list[Span]], list[list[Span]]]:
        """``(spans, tokens)`` per sentence, like :meth:`LacRecognizer.analyze`:
        the CRF spans plus LAC's ``TIME``/``nz``/``nw`` words that overlap none
        of them, and LAC's tokens."""
        _, tokens = self.lac.analyze(sentences)
        spans: list[list[Span]] = []
        for text, toks in zip(sentences, tokens):
            found = self.tag(text, toks)
            covered = {i for s in found for i in range(s.start, s.end)}
            extra = [t for t in toks if t.label in _EXTRA
                     and not covered.intersection(range(t.start, t.end))]
            spans.append(sorted(found + extra, key=lambda s: (s.start, s.end)))
        return spans, tokens

    def recognize(self, sentences: Sequence[str]) -> list[list[Span]]:
        _, tokens = self.lac.analyze(sentences)
        return [self.tag(text, toks) for text, toks in zip(sentences, tokens)]

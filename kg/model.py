"""Plain dataclasses passed between the pipeline stages.

All offsets are character offsets, ``end`` exclusive.  The records made
by the hundred thousand (sentences, spans, mentions) use ``__slots__``.  Sentence and mention
offsets are into :attr:`Article.text`, so any stage can cut the surface back
out of the article and provenance survives from mention to edge.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

#: The entity types users see.  Order is the display order (legend, tables).
ENTITY_TYPES: tuple[str, ...] = (
    "official",
    "person",
    "company",
    "organization",
    "place",
    "project",
)
#: Bylines are kept apart from the co-mention graph unless asked for.
REPORTER = "reporter"


@dataclass(frozen=True)
class Document:
    """One input file (or one line of a ``.jsonl``) after decoding."""

    file: str
    text: str
    #: Position inside a multi-record file (jsonl line number), else 0.
    record: int = 0
    #: A title given with the record (jsonl ``title``): then the text is one
    #: article, not a newspaper page to split.
    title: str | None = None
    #: The record's own date (jsonl ``date``), ISO ``YYYY-MM-DD``.
    date: str | None = None
    #: The file's name in its run, unique and stable: its path from the input
    #: folder given, that folder's name first (``A/0101/page1.txt``), or its
    #: file name (:mod:`kg.read`).  Article ids are built on it; empty: the
    #: file name of ``file``.
    name: str = ""


@dataclass(frozen=True, slots=True)
class Sentence:
    article_id: str
    index: int
    paragraph: int
    start: int
    end: int
    text: str


class Sentences(Sequence[Sentence]):
    """An article's sentences, packed: their (start, end, paragraph) in one
    int array beside the article's text, each :class:`Sentence` made when
    asked for.  A list of Sentence objects holds a copy of every sentence's
    text and costs about 300 bytes a sentence; this costs 12, which is what
    keeps a 50k-article archive in memory.  Reads like a list (``==`` a list
    of the same sentences is true); build a new one to change it.
    """

    __slots__ = ("article_id", "_text", "_spans")

    def __init__(self, article_id: str, text: str,
                 spans: Iterable[tuple[int, int, int]] = ()) -> None:
        self.article_id = article_id
        self._text = text  # the article's own string: shared, not copied
        self._spans = array("i")
        for start, end, paragraph in spans:
            self._spans.extend((start, end, paragraph))

    @classmethod
    def of(cls, article_id: str, text: str, sentences: Iterable[Sentence]) -> Sentences:
        return cls(article_id, text, ((s.start, s.end, s.paragraph) for s in sentences))

    def __len__(self) -> int:
        return len(self._spans) // 3

    @overload
    def __getitem__(self, i: int) -> Sentence: ...
    @overload
    def __getitem__(self, i: slice) -> list[Sentence]: ...
    def __getitem__(self, i: int | slice) -> Sentence | list[Sentence]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("sentence index out of range")
        start, end, par = self._spans[3 * i : 3 * i + 3]
        return Sentence(self.article_id, i, par, start, end, self._text[start:end])

    def __iter__(self) -> Iterator[Sentence]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Sentences({list(self)!r})"

    def __reduce__(self) -> tuple:
        # Pickle (worker processes, caches) as the packed spans, not as objects.
        return (_sentences_from, (self.article_id, self._text, self._spans.tobytes()))


def _sentences_from(article_id: str, text: str, packed: bytes) -> Sentences:
    out = Sentences(article_id, text)
    out._spans.frombytes(packed)
    return out


class Spans(Sequence[tuple[int, int]]):
    """(start, end) pairs packed in one int array: an article's paragraphs.
    A list of tuples costs about 100 bytes a pair (the tuple and its two
    ints); this costs 8.  Reads like a list of tuples (``==`` one is true)."""

    __slots__ = ("_a",)

    def __init__(self, pairs: Iterable[Sequence[int]] = ()) -> None:
        self._a = array("i")
        for start, end in pairs:
            self._a.extend((start, end))

    def __len__(self) -> int:
        return len(self._a) // 2

    @overload
    def __getitem__(self, i: int) -> tuple[int, int]: ...
    @overload
    def __getitem__(self, i: slice) -> list[tuple[int, int]]: ...
    def __getitem__(self, i: int | slice) -> tuple[int, int] | list[tuple[int, int]]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("span index out of range")
        return (self._a[2 * i], self._a[2 * i + 1])

    def __iter__(self) -> Iterator[tuple[int, int]]:
        a = self._a
        return ((a[k], a[k + 1]) for k in range(0, len(a), 2))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(
            a == tuple(b) for a, b in zip(self, other))  # type: ignore[arg-type]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Spans({list(self)!r})"

    def __reduce__(self) -> tuple:
        return (_spans_from, (self._a.tobytes(),))


def _spans_from(packed: bytes) -> Spans:
    out = Spans()
    out._a.frombytes(packed)
    return out


@dataclass
class Article:
    id: str
    file: str
    title: str
    text: str
    reporters: list[str] = field(default_factory=list)
    #: (start, end) of each paragraph in ``text``; any sequence of pairs
    #: given is packed into :class:`Spans`.
    paragraphs: Sequence[tuple[int, int]] = field(default_factory=Spans)
    #: A list, or the packed :class:`Sentences` the split stage makes.
    sentences: Sequence[Sentence] = field(default_factory=list)
    #: Publication date, ISO ``YYYY-MM-DD``: the record's ``date``, else one
    #: in the file path, else the page's masthead, else the first full date
    #: in the article (:mod:`kg.dates`).  None when nothing gives one.
    date: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.paragraphs, Spans):
            self.paragraphs = Spans(self.paragraphs)


@dataclass(frozen=True, slots=True)
class Span:
    """A raw recogniser span, offsets into the sentence it was found in.

    ``label`` is ``PER``, ``LOC`` or ``ORG`` for named entities; engines may
    add other labels (LAC's ``TIME``, ``nz``) that the refiner may use or ignore.
    """

    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class Title:
    """A job title as printed, and the article that gave it."""

    text: str
    article_id: str


@dataclass(slots=True)
class Mention:
    article_id: str
    sentence: int
    start: int
    end: int
    text: str
    type: str
    #: A tuple: most mentions have none, and () costs nothing.
    titles: tuple[str, ...] = ()
    #: Canonical entity name, filled in by :mod:`kg.resolve`.
    entity: str | None = None


@dataclass
class Entity:
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    titles: list[Title] = field(default_factory=list)
    mentions: int = 0
    articles: int = 0

    @property
    def title_texts(self) -> list[str]:
        """Distinct titles, in first-seen order."""
        return list(dict.fromkeys(t.text for t in self.titles))


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence that proves an edge, with where it was printed."""

    article_id: str
    title: str
    file: str
    sentence: str
    date: str | None = None
    #: The sentence's index in its article.
    index: int = 0

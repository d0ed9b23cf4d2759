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


class _Packed(Sequence):
    """A list-like view of records packed ``_WIDTH`` ints apiece in one int
    array (``_ints``); :meth:`_item` makes record ``i`` when asked for."""

    __slots__ = ("_ints",)
    _WIDTH = 1

    def _item(self, i: int) -> object:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self._ints) // self._WIDTH

    def __getitem__(self, i):  # noqa: ANN001, ANN204 - typed by the subclasses
        if isinstance(i, slice):
            return [self._item(k) for k in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"{type(self).__name__} index out of range")
        return self._item(i)

    def __iter__(self) -> Iterator:
        return (self._item(i) for i in range(len(self)))

    def _same(self, mine: object, theirs: object) -> bool:
        return mine == theirs

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(map(self._same, self, other))

    __hash__ = None  # type: ignore[assignment]


class Sentences(_Packed, Sequence[Sentence]):
    """An article's sentences, packed: their (start, end, paragraph) in one
    int array beside the article's text, each :class:`Sentence` made when
    asked for.  A list of Sentence objects holds a copy of every sentence's
    text and costs about 300 bytes a sentence; this costs 12, which is what
    keeps a 50k-article archive in memory.  Reads like a list (``==`` a list
    of the same sentences is true); build a new one to change it.
    """

    __slots__ = ("article_id", "_text")
    _WIDTH = 3

    def __init__(self, article_id: str, text: str,
                 spans: Iterable[tuple[int, int, int]] = ()) -> None:
        self.article_id = article_id
        self._text = text  # the article's own string: shared, not copied
        self._ints = array("i")
        for start, end, paragraph in spans:
            self._ints.extend((start, end, paragraph))

    @classmethod
    def of(cls, article_id: str, text: str, sentences: Iterable[Sentence]) -> Sentences:
        return cls(article_id, text, ((s.start, s.end, s.paragraph) for s in sentences))

    def _item(self, i: int) -> Sentence:
        start, end, par = self._ints[3 * i : 3 * i + 3]
        return Sentence(self.article_id, i, par, start, end, self._text[start:end])

    @overload
    def __getitem__(self, i: int) -> Sentence: ...
    @overload
    def __getitem__(self, i: slice) -> list[Sentence]: ...
    def __getitem__(self, i: int | slice) -> Sentence | list[Sentence]:
        return super().__getitem__(i)

    def __repr__(self) -> str:
        return f"Sentences({list(self)!r})"

    def __reduce__(self) -> tuple:
        # Pickle (worker processes, caches) as the packed spans, not as objects.
        return (_sentences_from, (self.article_id, self._text, self._ints.tobytes()))


def _sentences_from(article_id: str, text: str, packed: bytes) -> Sentences:
    out = Sentences(article_id, text)
    out._ints.frombytes(packed)
    return out


class Spans(_Packed, Sequence[tuple[int, int]]):
    """(start, end) pairs packed in one int array: an article's paragraphs.
    A list of tuples costs about 100 bytes a pair (the tuple and its two
    ints); this costs 8.  Reads like a list of tuples (``==`` one is true,
    and one of lists)."""

    __slots__ = ()
    _WIDTH = 2

    def __init__(self, pairs: Iterable[Sequence[int]] = ()) -> None:
        self._ints = array("i")
        for start, end in pairs:
            self._ints.extend((start, end))

    def _item(self, i: int) -> tuple[int, int]:
        return (self._ints[2 * i], self._ints[2 * i + 1])

    def _same(self, mine: object, theirs: object) -> bool:
        return mine == tuple(theirs)  # type: ignore[arg-type]

    @overload
    def __getitem__(self, i: int) -> tuple[int, int]: ...
    @overload
    def __getitem__(self, i: slice) -> list[tuple[int, int]]: ...
    def __getitem__(self, i: int | slice) -> tuple[int, int] | list[tuple[int, int]]:
        return super().__getitem__(i)

    def __repr__(self) -> str:
        return f"Spans({list(self)!r})"

    def __reduce__(self) -> tuple:
        return (_spans_from, (self._ints.tobytes(),))


def _spans_from(packed: bytes) -> Spans:
    out = Spans()
    out._ints.frombytes(packed)
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

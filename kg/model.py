"""Plain dataclasses passed between the pipeline stages.

All offsets are character offsets, ``end`` exclusive.  The records made
by the hundred thousand (sentences, spans, mentions) use ``__slots__``.  Sentence and mention
offsets are into :attr:`Article.text`, so any stage can cut the surface back
out of the article and provenance survives from mention to edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass(frozen=True, slots=True)
class Sentence:
    article_id: str
    index: int
    paragraph: int
    start: int
    end: int
    text: str


@dataclass
class Article:
    id: str
    file: str
    title: str
    text: str
    reporters: list[str] = field(default_factory=list)
    #: (start, end) of each paragraph in ``text``.
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    #: Publication date, ISO ``YYYY-MM-DD``: the record's ``date``, else one
    #: in the file path, else the page's masthead, else the first full date
    #: in the article (:mod:`kg.dates`).  None when nothing gives one.
    date: str | None = None


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
    titles: list[str] = field(default_factory=list)
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

"""Refine rules over a whole corpus's mentions, run before resolution.

A sentence does not always say what a name is; the rest of the corpus may
(东桥 is a place when 东桥街道 is printed elsewhere).  These rules re-type or
drop mentions using every mention of the build, so that :mod:`kg.resolve`
only decides which names are one entity.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from kg.model import Mention
from kg.refine.lexicon import Lexicon, load_lexicon
from kg.refine.rules import Rule, active, count, rule


@dataclass(frozen=True)
class DocumentContext:
    lex: Lexicon
    #: The city/county the corpus is about (its slogans are no places).
    home_city: str | None = None


def _person_place_stem(ctx: DocumentContext, mentions: list[Mention]) -> list[Mention]:
    """A "person" that is the stem of a place printed elsewhere (东桥 of
    东桥街道) is that place."""
    places = {m.text for m in mentions if m.type == "place"}
    # Every proper prefix of a place with a place suffix: one set lookup per
    # person instead of a scan of all places (archives have thousands).
    stems = {p[:k] for p in places if ctx.lex.suffix_type(p) == "place"
             for k in range(1, len(p))}
    out = []
    for m in mentions:
        if m.type == "person" and not m.titles and m.text in stems:
            m = replace(m, type="place")
        out.append(m)
    return out


def _home_slogan(ctx: DocumentContext, mentions: list[Mention]) -> list[Mention]:
    """金青山, 平安青山: a word before the home city's bare name is a slogan,
    not a place (unless the word is a region, country or named unit)."""
    if not ctx.home_city:
        return mentions
    lex, stem = ctx.lex, ctx.home_city[:-1]
    return [
        m for m in mentions
        if not (m.type == "place" and m.text.endswith(stem) and m.text != stem
                and m.text[: -len(stem)] not in lex.admin_major
                and m.text[: -len(stem)] not in lex.countries
                and not lex.suffix_type(m.text[: -len(stem)]))
    ]


DOCUMENT_RULES: tuple[Rule, ...] = (
    rule("person_place_stem", "document", _person_place_stem),
    rule("home_slogan", "document", _home_slogan),
)


def refine_document(
    mentions: Sequence[Mention],
    *,
    home_city: str | None = None,
    lexicon: Lexicon | None = None,
    disabled: Collection[str] = frozenset(),
    trace: Counter | None = None,
) -> list[Mention]:
    """The corpus's mentions after the document rules (new list; re-typed
    mentions are copies, the input is left as it was)."""
    ctx = DocumentContext(lexicon or load_lexicon(), home_city)
    cur = list(mentions)
    for r in active(DOCUMENT_RULES, disabled):
        new = r.fn(ctx, cur)
        if trace is not None:
            changed = (sum(a.type != b.type for a, b in zip(cur, new)) if len(new) == len(cur)
                       else len(cur) - len(new))
            count(trace, r.name, changed)
        cur = new
    return cur

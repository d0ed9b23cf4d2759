"""Refine rules over a whole corpus's mentions, run before resolution.

A sentence does not always say what a name is; the rest of the corpus may
(东桥 is a place when 东桥街道 is printed elsewhere).  These rules re-type or
drop mentions using every mention of the build, so that :mod:`kg.resolve`
only decides which names are one entity.
"""

from __future__ import annotations

import re
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
    out = []
    for m in mentions:
        if m.type == "person" and not m.titles and any(
            p.startswith(m.text) and ctx.lex.suffix_type(p) == "place" and len(p) > len(m.text)
            for p in places
        ):
            m = replace(m, type="place")
        out.append(m)
    return out


# What may follow a brand inside its firm's name (星河|科技, 恒拓|新材料…).
_FIRM_REST = re.compile(
    r"^(?:[（(]|科技|集团|实业|控股|股份|能源|纸业|物流|电子|新能源|新材料|投资|光电|动力|有限|公司"
    r"|项目|产业|国际|智能|化学|化工|电气|机械|医药|生物|数据|信息|网络)"
)


def _person_firm_head(ctx: DocumentContext, mentions: list[Mention]) -> list[Mention]:
    """A "person" that heads a company or project name printed elsewhere
    (恒拓 of 恒拓新材料有限公司) is that company's short name."""
    firms = {m.text: m.type for m in mentions if m.type in ("company", "organization", "project")}
    out = []
    for m in mentions:
        if m.type == "person" and not m.titles:
            heads = [t for f, t in firms.items()
                     if f.startswith(m.text) and len(f) > len(m.text) + 1
                     and _FIRM_REST.match(f[len(m.text):])]
            if heads:
                m = replace(m, type="organization" if heads == ["organization"] else "company")
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
    rule("person_firm_head", "document", _person_firm_head),
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

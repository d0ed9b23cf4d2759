"""Raw recogniser spans -> typed mentions (the six user-facing types).

One sentence at a time, pure: the sentence text, the NER spans and the word
tokens (LAC's segmentation with POS tags) go in; :class:`Found` items come out
with offsets into the sentence.  Sub-steps live in their own modules:
:mod:`.titles` (officials and titles), :mod:`.projects` (named projects),
:mod:`.types` (span repair, organisation typing, noise).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence

from kg.model import Span
from kg.refine.lexicon import Lexicon, load_lexicon
from kg.refine.projects import PROJECT_RULES
from kg.refine.rules import Rule, SentenceContext, active, count, rule
from kg.refine.titles import attach_titles, names_after_titles
from kg.refine.types import DEPARTMENT_RULES, Found, merge_spans, resolve_overlaps, type_span

__all__ = ["SENTENCE_RULES", "Found", "refine_sentence"]


def refine_sentence(
    text: str,
    spans: Sequence[Span],
    tokens: Sequence[Span],
    *,
    lexicon: Lexicon | None = None,
    title_bodies: bool = False,
    disabled: Collection[str] = frozenset(),
    trace: Counter | None = None,
) -> list[Found]:
    """Typed mentions in one sentence, sorted by start offset.

    The span and type rules (:mod:`.types`) turn the tagger's spans into
    typed mentions; then :data:`SENTENCE_RULES` run in order.  Rules named in
    ``disabled`` are skipped; ``trace`` (a caller's Counter) counts firings.
    ``title_bodies=True`` keeps bodies and places printed inside a title
    (嘉兴市委|书记) as mentions too: the public NER sets annotate them.
    """
    lex = lexicon or load_lexicon()
    ctx = SentenceContext(text, tokens, lex, title_bodies)
    found: list[Found] = []
    for sp in merge_spans(text, spans, tokens, lex, disabled=disabled, trace=trace):
        f = type_span(sp, lex, disabled=disabled, trace=trace)
        if f is not None:
            found.append(f)
    for r in active(SENTENCE_RULES, disabled):
        if trace is None:
            found = r.fn(ctx, found)
            continue
        before = [_key(f) for f in found]
        found = r.fn(ctx, found)
        after = [_key(f) for f in found]
        if after != before:
            count(trace, r.name, len(set(after) ^ set(before)) or 1)
    return sorted(found, key=lambda f: (f.start, f.end))


def _key(f: Found) -> tuple:
    return (f.start, f.end, f.type, tuple(f.titles))


def _names_after_titles(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """…主席|连|小敏: a person the tagger missed right after a title."""
    return [*found, *names_after_titles(ctx.text, ctx.tokens, found, ctx.lex)]


def _flat(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """Overlapping mentions: the longest wins (spans are flat)."""
    return resolve_overlaps(found)


def _attach_titles(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """副县长王建华: job titles attach to people; an office makes an official."""
    attach_titles(ctx.text, found, ctx.tokens, ctx.lex)
    return found


def _strip_our_city(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """我市亚太物流有限公司: "our city's" is not part of the name."""
    text = ctx.text
    out = []
    for f in found:
        if f.type != "person" and f.text.startswith("市") and len(f.text) > 3 and (
            f.start > 0 and text[f.start - 1] in "我本"
        ):
            f = Found(f.start + 1, f.end, f.text[1:], f.type, f.titles, f.title_spans,
                      f.official_marker)
        out.append(f)
    return out


def _type_lists(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """A "person" listed among companies (星河、晶华、唯酷、麦凯莱等) is one."""
    text = ctx.text
    runs: list[list[Found]] = []
    for f in found:
        if runs and text[runs[-1][-1].end : f.start] in ("、", "和", "及", "与"):
            runs[-1].append(f)
        else:
            runs.append([f])
    for run in runs:
        firms = sum(1 for f in run if f.type == "company")
        if len(run) >= 3 and firms * 2 >= len(run):
            for f in run:
                if f.type == "person" and not f.titles:
                    f.type = "company"
    return found


_UNIT = re.compile(r"(?:临时党支部|党支部|党总支|临时党委|指挥部|党群服务中心)")


def _project_units(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """A project's party branch or headquarters is an organisation
    (…信息港项目|临时党支部)."""
    text = ctx.text
    out = list(found)
    for f in found:
        if f.type == "project":
            m = _UNIT.match(text, f.end)
            if m:
                out.append(Found(f.start, m.end(), text[f.start : m.end()], "organization"))
    return out


_WORK = re.compile(r"《[^》]*》|中国特色社会主义|中国式现代化|中国梦")
_QUOTE = re.compile(r"[“\"「‘]([^”\"」’]{1,30})[”\"」’]")


def _drop_in_works(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """Names inside a work title (《中国县域经济发展报告》) or a fixed political
    phrase are not mentions."""
    works = [(m.start(), m.end()) for m in _WORK.finditer(ctx.text)]
    return [f for f in found if not any(a <= f.start and f.end <= b for a, b in works)]


def _drop_quoted(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """Inside quotes (“观星台”, “田园五镇”) only names with a telling suffix
    are places or bodies: quotes mark slogans, brands and campaigns."""
    lex = ctx.lex
    quotes = [(m.start(1), m.end(1)) for m in _QUOTE.finditer(ctx.text)]
    return [f for f in found if not (
        f.type in ("place", "company", "organization")
        and any(a <= f.start and f.end <= b for a, b in quotes)
        and not (lex.suffix_type(f.text) or lex.is_admin_unit(f.text)))]


def _drop_quoted_person(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """A "name" inside a quoted slogan (“名师带徒·匠心传承”) is a word of it."""
    quotes = [(m.start(1), m.end(1)) for m in _QUOTE.finditer(ctx.text)]
    return [f for f in found if not (
        f.type == "person"
        and any(a <= f.start and f.end <= b and (b - a) >= len(f.text) + 3 for a, b in quotes))]


def _drop_inside_titles(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """A body or place printed only as part of a title (青山市委书记,
    新桥镇党委书记) is not a separate mention; a company is (深圳市晶华股份
    有限公司董事长): there the title keeps only the job."""
    if ctx.title_bodies:
        return found
    lex = ctx.lex
    spans = [(a, b, f) for f in found for a, b in f.title_spans]
    keep: list[Found] = []
    for f in found:
        inside = [(a, b, owner) for a, b, owner in spans if a <= f.start and f.end <= b]
        if not inside or f.type in ("official", "person", "project"):
            keep.append(f)
            continue
        if f.type == "company" and lex.suffix_type(f.text) == "company":
            for a, b, owner in inside:
                i = owner.title_spans.index((a, b))
                post = owner.titles[i][f.end - a :]
                if post:
                    owner.titles[i] = post
                    owner.title_spans[i] = (f.end, b)
            keep.append(f)
    return keep


def _official_needs_office(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """An "official" whose titles hold no public office (after a company name
    was cut out of them) is a person."""
    for f in found:
        if f.type == "official" and not f.official_marker and not any(
            ctx.lex.is_official_title(t) for t in f.titles
        ):
            f.type = "person"
    return found


SENTENCE_RULES: tuple[Rule, ...] = (
    *DEPARTMENT_RULES,
    *PROJECT_RULES,
    rule("names_after_titles", "sentence", _names_after_titles),
    rule("strip_our_city", "sentence", _strip_our_city),
    rule("project_units", "sentence", _project_units),
    rule("flat_overlaps", "sentence", _flat),
    rule("drop_in_works", "sentence", _drop_in_works),
    rule("drop_quoted", "sentence", _drop_quoted),
    rule("drop_quoted_person", "sentence", _drop_quoted_person),
    rule("attach_titles", "sentence", _attach_titles),
    rule("type_lists", "sentence", _type_lists),
    rule("drop_inside_titles", "sentence", _drop_inside_titles),
    rule("official_needs_office", "sentence", _official_needs_office),
)

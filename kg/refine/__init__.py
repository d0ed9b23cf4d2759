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
from kg.refine.types import (
    DEPARTMENT_RULES,
    KIND_RULES,
    Found,
    merge_spans,
    resolve_overlaps,
    type_span,
)

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


_VERBISH = frozenset({"v", "vd", "d", "ad", "p", "c", "r", "u", "xc"})


def _verb_head(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """表示|党委, 也是|临江市委, 作为|…项目: a name never starts with a verb,
    adverb, preposition or pronoun token; the rest stays when it is still
    two characters or more, else the mention goes."""
    by_start = {t.start: t for t in ctx.tokens}
    out = []
    for f in found:
        start = f.start
        # A project may open with a verb of its own name (年产…, 新建…).
        while (f.type not in ("person", "official", "project")
               and (t := by_start.get(start)) is not None
               and t.label in _VERBISH and t.end < f.end):
            start = t.end
        if start != f.start:
            if f.end - start < 2:
                continue
            f = Found(start, f.end, ctx.text[start : f.end], f.type, f.titles, f.title_spans,
                      f.official_marker)
        out.append(f)
    return out


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


_WORK = re.compile(r"《[^》]*》|中国特色社会主义|中国式现代化|中国梦")
_QUOTE = re.compile(r"[“\"「‘]([^”\"」’]{1,30})[”\"」’]")


def _drop_in_works(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """Names inside a work title (《中国县域经济发展报告》) or a fixed political
    phrase are not mentions."""
    works = [(m.start(), m.end()) for m in _WORK.finditer(ctx.text)]
    return [f for f in found if not any(a <= f.start and f.end <= b for a, b in works)]


def _drop_quoted(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """A name that is only part of a short quoted phrase (“崇山向善”,
    “星河故里系列”, “名师带徒·匠心传承”) is a word of a slogan, brand or
    campaign; a name that is the whole quote (“紫禁城”) or carries a telling
    suffix (“青山县人民医院”) stays, and long quotes are speech."""
    lex = ctx.lex
    quotes = [(m.start(1), m.end(1)) for m in _QUOTE.finditer(ctx.text)
              if len(m.group(1)) <= _SLOGAN_MAX]
    keep = []
    for f in found:
        # 荣获“青山百杰”, 入选“星光榜”: a quoted honour is no entity.
        if (f.start, f.end) in quotes and _HONOUR.search(ctx.text, 0, max(f.start - 1, 0)):
            continue
        inside = [(a, b) for a, b in quotes if a <= f.start and f.end <= b and (a, b) != (f.start, f.end)]
        if inside and (f.type in ("person", "official")
                       or not (lex.suffix_type(f.text) or lex.is_admin_unit(f.text)
                               or f.text in lex.abbreviations)):
            continue
        keep.append(f)
    return keep


_SLOGAN_MAX = 12
# What an honour's quote follows: the verb, or the previous honour (“A”“B”).
_HONOUR = re.compile(r"(?:获|获得|荣获|喜获|评为|评选为|授予|入选|当选|被评|称号|[”\"])[“\"]?$")


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
            for _a, b, owner in inside:
                # Find the span as it is now: an earlier company inside the
                # same title may have cut its start already.
                i = next((k for k, (x, y) in enumerate(owner.title_spans)
                          if y == b and x <= f.start), None)
                if i is None:
                    continue
                post = owner.titles[i][f.end - owner.title_spans[i][0] :]
                if post:
                    owner.titles[i] = post
                    owner.title_spans[i] = (f.end, b)
            keep.append(f)
    # Titles cut down to the job: an "official" whose titles now hold no
    # public office is a person.
    for f in keep:
        if f.type == "official" and not f.official_marker and not any(
            lex.is_official_title(t) for t in f.titles
        ):
            f.type = "person"
    return keep


SENTENCE_RULES: tuple[Rule, ...] = (
    *DEPARTMENT_RULES,
    *PROJECT_RULES,
    rule("names_after_titles", "sentence", _names_after_titles),
    rule("strip_our_city", "sentence", _strip_our_city),
    rule("verb_head", "sentence", _verb_head),
    rule("flat_overlaps", "sentence", _flat),
    rule("drop_in_works", "sentence", _drop_in_works),
    rule("drop_quoted", "sentence", _drop_quoted),
    *KIND_RULES,
    rule("attach_titles", "sentence", _attach_titles),
    rule("drop_inside_titles", "sentence", _drop_inside_titles),
)

"""Raw recogniser spans -> typed mentions (the six user-facing types).

One sentence at a time, pure: the sentence text, the NER spans and the word
tokens (LAC's segmentation with POS tags) go in; :class:`Found` items come out
with offsets into the sentence.  Sub-steps live in their own modules:
:mod:`.titles` (officials and titles), :mod:`.projects` (named projects),
:mod:`.types` (span repair, organisation typing, noise).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.model import Span
from kg.refine.lexicon import Lexicon, load_lexicon
from kg.refine.projects import find_projects
from kg.refine.titles import attach_titles, names_after_titles
from kg.refine.types import Found, department_tokens, merge_spans, resolve_overlaps, type_span

__all__ = ["Found", "refine_sentence"]


def refine_sentence(
    text: str,
    spans: Sequence[Span],
    tokens: Sequence[Span],
    *,
    lexicon: Lexicon | None = None,
    title_bodies: bool = False,
) -> list[Found]:
    """Typed mentions in one sentence, sorted by start offset.

    ``title_bodies=True`` keeps bodies and places printed inside a title
    (嘉兴市委|书记) as mentions too: the public NER sets annotate them.
    """
    lex = lexicon or load_lexicon()
    merged = merge_spans(text, spans, tokens, lex)
    found: list[Found] = []
    for sp in merged:
        f = type_span(sp, lex)
        if f is not None:
            found.append(f)
    found.extend(department_tokens(text, tokens, lex))
    found.extend(find_projects(text, tokens, lex))
    found.extend(names_after_titles(text, tokens, found, lex))
    found = _strip_our_city(text, found)
    found = _project_units(text, found)
    found = _drop_quoted(text, resolve_overlaps(found), lex)
    attach_titles(text, found, tokens, lex)
    _type_lists(text, found)
    found = sorted(found, key=lambda f: (f.start, f.end))
    return found if title_bodies else _drop_inside_titles(found, lex)


def _strip_our_city(text: str, found: list[Found]) -> list[Found]:
    """我市亚太物流有限公司: "our city's" is not part of the name."""
    out = []
    for f in found:
        if f.type != "person" and f.text.startswith("市") and len(f.text) > 3 and (
            f.start > 0 and text[f.start - 1] in "我本"
        ):
            f = Found(f.start + 1, f.end, f.text[1:], f.type, f.titles, f.title_spans,
                      f.official_marker)
        out.append(f)
    return out


def _type_lists(text: str, found: list[Found]) -> None:
    """A "person" listed among companies (星河、晶华、唯酷、麦凯莱等) is one."""
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


_UNIT = re.compile(r"(?:临时党支部|党支部|党总支|临时党委|指挥部|党群服务中心)")


def _project_units(text: str, found: list[Found]) -> list[Found]:
    """A project's party branch or headquarters is an organisation
    (…信息港项目|临时党支部)."""
    out = list(found)
    for f in found:
        if f.type == "project":
            m = _UNIT.match(text, f.end)
            if m:
                out.append(Found(f.start, m.end(), text[f.start : m.end()], "organization"))
    return out


_WORK = re.compile(r"《[^》]*》|中国特色社会主义|中国式现代化|中国梦")
_QUOTE = re.compile(r"[“\"「‘]([^”\"」’]{1,30})[”\"」’]")


def _drop_quoted(text: str, found: list[Found], lex: Lexicon) -> list[Found]:
    """Names inside a work title (《中国县域经济发展报告》) are not mentions;
    inside quotes (“观星台”, “田园五镇”) only names with a telling suffix are:
    quotes mark slogans, brands and campaigns."""
    works = [(m.start(), m.end()) for m in _WORK.finditer(text)]
    quotes = [(m.start(1), m.end(1)) for m in _QUOTE.finditer(text)]
    keep = []
    for f in found:
        if any(a <= f.start and f.end <= b for a, b in works):
            continue
        if f.type in ("place", "company", "organization") and any(
            a <= f.start and f.end <= b for a, b in quotes
        ) and not (lex.suffix_type(f.text) or lex.is_admin_unit(f.text)):
            continue
        # A "name" inside a quoted slogan (“名师带徒·匠心传承”) is a word of it.
        if f.type == "person" and any(
            a <= f.start and f.end <= b and (b - a) >= len(f.text) + 3 for a, b in quotes
        ):
            continue
        keep.append(f)
    return keep


def _drop_inside_titles(found: list[Found], lex: Lexicon) -> list[Found]:
    """A body or place printed only as part of a title (嘉兴市委书记,
    新桥镇党委书记) is not a separate mention; a company is (深圳市晶华股份
    有限公司董事长): there the title keeps only the job."""
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
    for f in keep:
        if f.type == "official" and not f.official_marker and not any(
            lex.is_official_title(t) for t in f.titles
        ):
            f.type = "person"
    return keep

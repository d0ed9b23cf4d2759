"""Named projects (…项目/工程/信息港), never generic phrases (新项目)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.model import Span
from kg.refine.lexicon import Lexicon
from kg.refine.rules import Rule, SentenceContext, rule
from kg.refine.types import Found

SUFFIX = re.compile(r"(?:项目|工程|信息港)$")
_NAMED = frozenset({"LOC", "ORG", "PER", "nz", "nw"})
_BODY_TAGS = frozenset({"n", "nz", "vn", "v", "LOC", "ORG", "PER", "m", "a", "an", "nw", "j", "f"})
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,30}?(?:项目|工程|信息港))[”\"」』]")
_MAX_LEN = 30


def _is_generic(name: str, generic: frozenset[str] | None = None) -> bool:
    core = SUFFIX.sub("", name)
    core = re.sub(r"^[\d一二三四五六七八九十百千万亿]+(?:期|个|项|大)?", "", core)
    if len(core) < 2:
        return True
    rest = core
    # Strip generic words greedily from both ends; nothing left = generic.
    changed = True
    while changed and rest:
        changed = False
        for g in sorted(generic if generic is not None else _generic_words(), key=len, reverse=True):
            if rest.startswith(g):
                rest = rest[len(g) :]
                changed = True
            elif rest.endswith(g):
                rest = rest[: -len(g)]
                changed = True
    return len(rest) < 2


def _generic_words() -> frozenset[str]:
    from kg.refine.lexicon import load_lexicon

    return load_lexicon().project_generic_words


_NOT_PROJECT = re.compile(r"运动会|比赛|赛事|竞赛|届|考试|评选|奖")
_LEAD = frozenset({"LOC", "ORG", "nz", "PER"})


def _core_after_names(run: Sequence[Span], labels: frozenset[str]) -> str:
    """The name minus its leading name tokens (长三角·青山|星河国际信息港项目),
    and minus a verb the tagger put first (引进|数字经济项目)."""
    i = 0
    while i < len(run) and (run[i].label in labels or run[i].text in ("·", "至", "到", "—")):
        i += 1
    # Works are named by what is done (城南路|拓宽|改造工程); projects are not.
    if i < len(run) - 1 and run[i].label == "v" and run[-1].text.endswith("项目"):
        i += 1
    return "".join(t.text for t in run[i:])


def _generic_core(core: str, gen: frozenset[str]) -> bool:
    return _is_generic(core, gen) and not re.search(r"[一二三四五六七八九十\d]期", core)


def _extend_left(tokens: Sequence[Span], i: int) -> list[Span]:
    """Tokens of the name ending at the suffix token ``i``.

    Verbs stop the walk (推进|…), except a verb-tagged word sandwiched between a
    proper noun and a noun, which taggers produce for brand names (青山|星河|国际).
    """
    j = i - 1
    while j >= 0:
        t = tokens[j]
        # 新材料|及|氢能利用一体化项目: a conjunction inside the name.
        if t.text in ("及", "和", "与") and 0 < j < i - 1 and tokens[j - 1].label in (
            "n", "vn", "nz"
        ) and tokens[j + 1].label in ("n", "vn", "nz"):
            j -= 1
            continue
        if t.text in ("·", "至", "到", "—") and j > 0 and tokens[j - 1].label == "LOC":
            j -= 1
            continue
        if t.label == "v":
            left = tokens[j - 1] if j > 0 else None
            right = tokens[j + 1]
            if left is not None and left.label in _LEAD and right.label in ("n", "nz", "vn"):
                j -= 1
                continue
            break
        if t.label not in _BODY_TAGS or t.label == "PER" and j < i - 1 and tokens[j + 1].label == "v":
            break
        j -= 1
    return list(tokens[j + 1 : i + 1])


# Road and waterway works named by their ends or section:
# 甲至乙公路丙段, 甲至乙青山段改建, 浙北…航道…青山段.
_TAIL = r"(?<!阶段)(?<!路段)(?<!地段)(?:改建|扩建|改造|拓宽|提升)?(?:工程|项目)?(?=[、，。；：\s”（(已正将于在由是]|以及|和|及|与|的|进展|情况|建设|现场|项目|$)"
_FROM_TO = re.compile(r"([\u4e00-\u9fff]{2,3})至([\u4e00-\u9fff]{2,24}?段" + _TAIL + ")")
_SECTION = re.compile(
    r"(?:(?<=[、，。；：\s“和及与])|(?<=以及))([^\W\d_至]{2,16}(?:航道|公路|铁路|高速|通道|大道)[\u4e00-\u9fff]{2,4}段"
    + _TAIL + ")"
)


def _road_section(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """浙北…航道青山段, 某某公路某段改建: works on a named road or waterway section."""
    return [*found, *(Found(m.start(1), m.end(1), m.group(1), "project")
                      for m in _SECTION.finditer(ctx.text))]


def _from_to(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """甲至乙公路丙段: road works named by their two ends; the start must be a
    place (a known division, or a name the tagger ends right before 至)."""
    loc_ends = {t.end: t.start for t in ctx.tokens if t.label in ("LOC", "PER", "nz")}
    new = []
    for m in _FROM_TO.finditer(ctx.text):
        a = next((m.start(1) + k for k in range(len(m.group(1)))
                  if m.group(1)[k:] in ctx.lex.admin), None)
        if a is None and m.end(1) in loc_ends and loc_ends[m.end(1)] >= m.start(1):
            a = loc_ends[m.end(1)]
        if a is not None:
            new.append(Found(a, m.end(2), ctx.text[a : m.end(2)], "project"))
    return [*found, *new]


def _quoted_project(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """“晨光半导体显示项目”: a quoted name ending in 项目/工程 that is not generic."""
    gen = ctx.lex.project_generic_words
    return [*found, *(Found(m.start(1), m.end(1), m.group(1), "project")
                      for m in _QUOTED.finditer(ctx.text)
                      if not _is_generic(m.group(1), gen) and not _NOT_PROJECT.search(m.group(1)))]


def _suffix_project(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """…项目/工程/信息港 after a proper noun: the name runs left from the suffix
    over name-like tokens and starts at its first proper noun."""
    return [*found, *_suffix_projects(ctx.text, ctx.tokens, ctx.lex)]


PROJECT_RULES: tuple[Rule, ...] = (
    rule("road_section_project", "sentence", _road_section),
    rule("from_to_project", "sentence", _from_to),
    rule("quoted_project", "sentence", _quoted_project),
    rule("suffix_project", "sentence", _suffix_project),
)


def find_projects(text: str, tokens: Sequence[Span], lex: Lexicon) -> list[Found]:
    """Every project the project rules find in one sentence."""
    ctx = SentenceContext(text, tokens, lex)
    found: list[Found] = []
    for r in PROJECT_RULES:
        found = r.fn(ctx, found)
    return found


def _suffix_projects(text: str, tokens: Sequence[Span], lex: Lexicon) -> list[Found]:
    out: list[Found] = []
    gen = lex.project_generic_words
    for i, tok in enumerate(tokens):
        if not SUFFIX.search(tok.text) or tok.label not in ("n", "nz", "vn", "ORG"):
            continue
        run = _extend_left(tokens, i)
        # The name starts at its first proper noun (推进|城南路…工程).
        while run and run[0].label not in _NAMED:
            run.pop(0)
        # A company before its project is the owner, not the name
        # (浙江某某电子有限公司|新能源汽车电子生产及研发基地建设项目).
        if len(run) > 2 and run[0].label == "ORG" and re.search(r"(?:公司|集团)$", run[0].text):
            rest = run[1:]
            if not _is_generic("".join(t.text for t in rest), gen):
                run = rest
        if len(run) < 2 or any(t.label == "PER" for t in run):
            continue
        start, end = run[0].start, run[-1].end
        name = text[start:end]
        # Works on a named road or river are named by the work (临江路改造工程).
        works_on_place = (
            run[-1].text.endswith("工程") and run[0].label == "LOC"
            and len(_core_after_names(run, frozenset({"LOC"}))) > 2
        )
        if end - start > _MAX_LEN or _NOT_PROJECT.search(name) or (
            not works_on_place
            and (
                _is_generic(name, gen)
                or _generic_core(_core_after_names(run, frozenset({"LOC"})), gen)
                or _generic_core(_core_after_names(run, frozenset({"LOC", "ORG", "nz"})), gen)
            )
        ):
            continue
        out.append(Found(start, end, name, "project"))
    return out

"""Named projects (…项目/工程/信息港), never generic phrases (新项目)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.model import Span
from kg.refine.lexicon import Lexicon
from kg.refine.types import Found

SUFFIX = re.compile(r"(?:项目|工程|信息港)$")
_NAMED = frozenset({"LOC", "ORG", "PER", "nz", "nw"})
_BODY_TAGS = frozenset({"n", "nz", "vn", "v", "LOC", "ORG", "PER", "m", "a", "an", "nw", "j", "f"})
# Words that only classify a project; a name made of them is generic.
GENERIC = frozenset(
    """新 该 此 这个 这些 本 重点 重大 民生 数字经济 产业 工业 基建 基础设施 招商 建设 在建 签约
    投资 亿元 百亿 十亿 千亿 首个 一批 多个 优质 科技 人才 民心 实事 惠民 示范 试点 交通 水利
    农业 文化 教育 医疗 环保 绿化 改造 提升 配套 续建 新建 开工 竣工 园区 园 片区 区 大 好 相关
    有关 合作 签约 入驻 引进 落地 储备 备案 申报 攻坚 亿级 百亿级 十亿级""".split()
)
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,30}?(?:项目|工程|信息港))[”\"」』]")
_MAX_LEN = 30


def _is_generic(name: str) -> bool:
    core = SUFFIX.sub("", name)
    core = re.sub(r"^[\d一二三四五六七八九十百千万亿]+(?:期|个|项|大)?", "", core)
    if len(core) < 2:
        return True
    rest = core
    # Strip generic words greedily from both ends; nothing left = generic.
    changed = True
    while changed and rest:
        changed = False
        for g in sorted(GENERIC, key=len, reverse=True):
            if rest.startswith(g):
                rest = rest[len(g) :]
                changed = True
            elif rest.endswith(g):
                rest = rest[: -len(g)]
                changed = True
    return len(rest) < 2


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


def _generic_core(core: str) -> bool:
    return _is_generic(core) and not re.search(r"[一二三四五六七八九十\d]期", core)


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


def find_projects(text: str, tokens: Sequence[Span], lex: Lexicon) -> list[Found]:
    out: list[Found] = []
    for m in _SECTION.finditer(text):
        out.append(Found(m.start(1), m.end(1), m.group(1), "project"))
    loc_ends = {t.end: t.start for t in tokens if t.label in ("LOC", "PER", "nz")}
    for m in _FROM_TO.finditer(text):
        # The start must be a place (青山至安吉公路…段), not any word before 至:
        # a known division, or a name the tagger ends right before 至.
        a = next((m.start(1) + k for k in range(len(m.group(1)))
                  if m.group(1)[k:] in lex.admin), None)
        if a is None and m.end(1) in loc_ends and loc_ends[m.end(1)] >= m.start(1):
            a = loc_ends[m.end(1)]
        if a is not None:
            out.append(Found(a, m.end(2), text[a : m.end(2)], "project"))
    for m in _QUOTED.finditer(text):
        name = m.group(1)
        if not _is_generic(name) and not _NOT_PROJECT.search(name):
            out.append(Found(m.start(1), m.end(1), name, "project"))
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
            if not _is_generic("".join(t.text for t in rest)):
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
                _is_generic(name)
                or _generic_core(_core_after_names(run, frozenset({"LOC"})))
                or _generic_core(_core_after_names(run, frozenset({"LOC", "ORG", "nz"})))
            )
        ):
            continue
        out.append(Found(start, end, name, "project"))
    return out

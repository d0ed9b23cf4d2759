"""Named projects (…项目/工程/信息港), never generic phrases (新项目).

A named project keeps its full printed name: the owner firm that prefixes it
(星河科技有限公司年产10万吨…项目), capacities and phases (年产10万吨, 5G,
二期), brackets and quotes inside it (京东(盛驰)…项目, “青山之窗”项目).
Word lists: ``kg/data/project_*.txt`` (each file's header gives its source).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from kg.model import Span
from kg.refine.lexicon import Lexicon
from kg.refine.rules import Rule, SentenceContext, rule
from kg.refine.types import Found

SUFFIX = re.compile(r"(?:项目|工程|信息港)$")
_NAMED = frozenset({"LOC", "ORG", "PER", "nz", "nw"})
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,30}?(?:项目|工程|信息港))[”\"」』]")
_MAX_LEN = 40


def _is_generic(name: str, generic: frozenset[str] | None = None) -> bool:
    core = re.sub(r"[“”\"「」『』]", "", SUFFIX.sub("", name))
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


# -- the name left of a head word -----------------------------------------------
_HEAD_ONLY = frozenset({"项目", "工程"})
#: Tags of the words a project name is made of.
_NAMEISH = frozenset({"n", "nz", "nw", "vn", "LOC", "ORG", "an", "j", "xc", "a"})
_NOUNISH = frozenset({"n", "nz", "nw", "vn", "j", "xc"})
_JOINERS = frozenset({"及", "和", "与", "暨"})
_LINKS = frozenset({"·", "-", "—", "–", "－", "+", "＋", "至", "到"})
_CLOSE_OPEN = {"）": "（", ")": "(", "”": "“", '"': '"', "」": "「", "』": "『"}
_OPENERS = frozenset(_CLOSE_OPEN.values())
_DIRECTIONS = frozenset({"东部", "西部", "南部", "北部", "中部"})
#: Verbs that put a capacity inside a name (年产|10万吨…项目).
_CAPACITY_VERBS = frozenset({"年产", "年产能", "年加工", "年处理", "年出栏", "年屠宰", "日处理"})
# A capacity or a phase (10万吨, 46兆瓦, 10GW, 二期, 312线); not a count (8个, 两大).
_MEASURE = re.compile(
    r"^(?:[\d.０-９一二三四五六七八九十百千万两]+(?:万|亿)?"
    r"(?:吨|台|套|头|片|锭|辆|只|件|平方米|亩|千瓦|兆瓦|瓦|[GMKk]W[hp]?|千伏|[kK]V|条|座|张|"
    r"公里|立方米|床|羽|支|颗|组|箱|吨级|英寸|寸|兆|亿瓦)"
    r"|[\d一二三四五六七八九十]+期|[A-Z]?\d+线|\d*[A-Za-z]+\d*)$"
)
# Marks that make a phrase a name: Latin letters or digits (LNG, 5G, 10万吨),
# a phase (二期), or brackets / quotes inside it.
_MARK = re.compile(r"[A-Za-z0-9０-９]|[一二三四五六七八九十]期|[“”\"「」（）()·]")
# An aside in brackets is not part of a name (…片区(以下简称…)…项目).
_ASIDE = re.compile(r"简称|以下|下称|含|包括|即|等")
_INDEFINITE = re.compile(
    r"^(?:[一两二三四五六七八九十几多\d]+|若干)(?:个|项|批|大|家|类)|^(?:该|这|此|那|其|这些|那些|一批)$"
)
# What a quoted label follows when it classifies a project (为“共富”项目).
_LABEL_VERBS = frozenset({"为", "是", "属", "属于", "列为", "作为", "纳入", "列入", "入选", "均为", "成为"})
#: Characters a name without a proper noun or a mark needs beyond generic words.
_DESCRIPTIVE_MIN = 5
# What a list of fields ends in (交通运输、电力工程等|领域).
_FIELDS = frozenset({"领域", "行业", "方面", "产业", "板块", "专业", "工作", "事业", "内容", "类"})
# Divisions and zones (青山县, 云湖经开, 星河园): before generic words they
# only place a project (云湖经开|项目).
_DIVISION = re.compile(r"(?:省|市|县|区|镇|乡|村|旗|州|盟|街道|社区|园|城|谷|经开|高新|开发区|港)$")
_BUILD = re.compile(r"^(?:新建|迁建|扩建|改扩建|建设|改造|提升|一期|二期|三期)+(?:项目|工程)$")
#: Clause verbs that are also words inside names (基地|建设|项目).
_INNER_VERBS = frozenset({"建设", "开发", "运营", "服务", "改造", "提升"})
#: A firm printed before its project (星河科技有限公司|年产10万吨…项目) is left
#: out of the project's span.  The local-news conventions give both spans (the
#: project's name includes the firm), but spans are flat (``flat_overlaps``
#: keeps the longest) so the firm would be lost, and the sample's gold
#: (tests/data/seeds_gold.jsonl) annotates the two apart.  Set False once
#: ``resolve_overlaps`` keeps a firm nested at the start of a project.
_OWNER_APART = True
_SENT_PUNCT = re.compile(r"[，。；、：！？,;:!?]")


def _words_file(name: str) -> frozenset[str]:
    from kg.refine.lexicon import _words

    return _words(name)


@lru_cache(maxsize=1)
def _clause_verbs() -> frozenset[str]:
    return _words_file("project_clause_verbs.txt")


@lru_cache(maxsize=1)
def _lead_words() -> frozenset[str]:
    return _words_file("project_lead_words.txt")


def _generic(lex: Lexicon) -> frozenset[str]:
    return lex.project_generic_words | _lead_words()


def _token_at(tokens: Sequence[Span], pos: int) -> int | None:
    return next((k for k, t in enumerate(tokens) if t.start <= pos < t.end), None)


def _bracket_open(text: str, tokens: Sequence[Span], j: int) -> int | None:
    """Token ``j`` holds a closing bracket or quote: the index of the token
    holding its partner, when the two enclose a short name part."""
    t = tokens[j]
    k = next((n for n, ch in enumerate(t.text) if ch in _CLOSE_OPEN), None)
    if k is None:
        return None
    close = t.start + k
    opener = _CLOSE_OPEN[t.text[k]]
    o = text.rfind(opener, max(0, close - 16), close)
    inner = text[o + 1 : close] if o >= 0 else ""
    if o < 0 or not inner or _SENT_PUNCT.search(inner) or _ASIDE.search(inner):
        return None
    return _token_at(tokens, o)


def _name_start(text: str, tokens: Sequence[Span], i: int) -> int:
    """Index of the first token of the name whose last token is ``i``.

    The walk goes left over name-like words, capacities (年产|10万吨), phases,
    bracketed or quoted parts, links (·, 至) and conjunctions between nouns;
    a clause verb (推进, 签约 …), a particle, a date, a person or another
    项目 ends it.  A verb-tagged word between name words stays (光伏|发电|项目).
    """
    stop = _clause_verbs()
    end = tokens[i].end
    j = i - 1
    while j >= 0:
        t = tokens[j]
        right = tokens[j + 1]
        left = tokens[j - 1] if j > 0 else None
        if end - t.start > _MAX_LEN:
            break
        if any(ch in _CLOSE_OPEN for ch in t.text):
            k = _bracket_open(text, tokens, j)
            if k is None:
                break
            j = min(k, j) - 1
            continue
        if t.text in _OPENERS:
            break
        if (t.text in _HEAD_ONLY or SUFFIX.search(t.text) and t.label in ("n", "nz", "vn")) and (
                j < i - 1 or t.text in _HEAD_ONLY):
            break  # the previous item of a list (A项目、B项目); …信息港|项目 goes on
        if not t.text.strip() and left is not None and (
                right.text[:1] in _OPENERS or left.text[-1:] in _CLOSE_OPEN):
            j -= 1  # 城区 “畅强补” 和园区: spaces the page left inside a name
            continue
        if t.text in _JOINERS:
            if (left is not None and (left.label in _NOUNISH | {"m"} or left.text[-1:] in _CLOSE_OPEN)
                    and j < i - 1
                    and right.label in _NOUNISH | {"m", "v", "a"}):
                j -= 1
                continue
            break
        if t.text in _LINKS:
            if left is not None and (left.label in _NAMEISH or left.label == "m"):
                j -= 1
                continue
            break
        if t.label == "m":
            if _MEASURE.match(t.text):
                j -= 1
                continue
            break
        if t.label == "v":
            if t.text in _CAPACITY_VERBS and right.label == "m":
                j -= 1
                continue
            if t.text in stop or left is None or len(t.text) == 1 and j == i - 1:
                break  # …|开|项目: a one-character verb before the head is the clause's
            ok_left = left.label in _NAMEISH or left.text in _JOINERS | _DIRECTIONS or (
                left.label == "v" and left.text not in stop and j >= 2 and (
                    tokens[j - 2].label in _NAMEISH or _MEASURE.match(tokens[j - 2].text)))
            if ok_left and (right.label in _NAMEISH or right.label == "v"
                            or right.label == "m" and _MEASURE.match(right.text)):
                j -= 1
                continue
            break
        if t.label == "d":
            if left is not None and left.label in _NOUNISH and right.label in _NOUNISH:
                j -= 1
                continue
            break
        if t.label == "f":
            if t.text in _DIRECTIONS:
                j -= 1
                continue
            break
        if t.label == "w":
            # Taggers leave name pieces glued to punctuation (·奇妙谷, )运动科技有限公司).
            if re.search(r"[\u4e00-\u9fffA-Za-z]", t.text):
                j -= 1
                continue
            break
        if t.label in _NAMEISH:
            if t.label in ("vn", "n") and t.text in stop and t.text not in _INNER_VERBS:
                break  # 调研/vn|重点产业项目
            j -= 1
            continue
        break
    return j + 1


def _trim_lead(tokens: Sequence[Span], a: int, b: int, lead: frozenset[str]) -> int:
    """Drop words before the name proper: verbs, particles, counts, 重点 …"""
    while a < b:
        t = tokens[a]
        our = t.text in ("市", "县", "区") and a > 0 and tokens[a - 1].text in ("我", "本", "全")
        if our or t.text in lead or t.text in _clause_verbs() or t.label in ("v", "c", "u", "p", "d", "r", "q", "f", "PER", "TIME") and not (
            t.text in _CAPACITY_VERBS or t.text in _DIRECTIONS
        ) or t.label == "m" and not _MEASURE.match(t.text) or t.text in _LINKS or t.text in _JOINERS:
            a += 1
            continue
        if t.label == "w" and t.text not in _OPENERS and not re.search(r"[\u4e00-\u9fffA-Za-z]", t.text):
            a += 1
            continue
        break
    return a


def _is_division(name: str, admin: frozenset[str]) -> bool:
    return name in admin or bool(_DIVISION.search(name))


def _looks_named(run: Sequence[Span], name: str, gen: frozenset[str], before: Sequence[Span],
                 after: Span | None, *, head: bool = True, admin: frozenset[str] = frozenset()) -> bool:
    """A proper noun, a mark (Latin, digits, phase, quotes) or a long
    descriptive core (铝合金建筑模板项目), and not only generic words."""
    if _NOT_PROJECT.search(name) or _is_generic(name, gen):
        return False
    if any(t.label == "PER" for t in run) or re.search(r"类(?:项目|工程)?$", name):
        return False
    # Works on a named road or river are named by the work (临江路改造工程).
    if (head and run[-1].text.endswith("工程") and run[0].label == "LOC"
            and len(_core_after_names(run, frozenset({"LOC"}))) > 2):
        return True
    if any(t.label in _NAMED for t in run):
        # A division before generic words is generic (青山县|产业园项目); a
        # landmark or a brand the tagger calls a place is not (封龙山|文化产业园项目).
        places = [Span(t.start, t.end, "ADMIN" if t.label == "LOC" and _is_division(t.text, admin) else t.label,
                       t.text) for t in run]
        # An institution's own works (青山县第二人民医院|建设项目).
        if (len(run) > 1 and run[0].label == "ORG" and not re.search(r"(?:公司|集团)$", run[0].text)
                and _BUILD.match("".join(t.text for t in run[1:]))):
            return True
        # 星河|重点项目 is generic; 星河|项目 names the firm's project.
        rest = _core_after_names(run, frozenset({"LOC", "ORG", "nz"}))
        # 星河集团|项目: a firm's project, not a named one.
        if not SUFFIX.sub("", rest) and re.search(r"(?:公司|集团)$", run[-2].text if len(run) > 1 else ""):
            return False
        # A brand and a few generic words (星河|新项目, 云湖|园区项目) is no name;
        # a brand and a kind of works is (云峰山|文化产业园项目).
        k = next((n for n, t in enumerate(run) if t.label not in ("LOC", "ORG", "nz")
                  and t.text not in _LINKS), len(run))
        raw = SUFFIX.sub("", "".join(t.text for t in run[k:]))
        short = 0 < len(raw) <= 2 and _generic_core(rest, gen)
        return not (short or _generic_core(_core_after_names(places, frozenset({"ADMIN"})), gen))
    if any(_INDEFINITE.match(t.text) for t in before):
        return False
    if _MARK.search(name):
        # The words beside the mark must say something (not 膜|二期, “双百”).
        words = re.sub(r"[A-Za-z0-9０-９.]+|[一二三四五六七八九十百千万亿两双]+(?:期|万|亿)?|[“”\"「」（）()·+]",
                       "", SUFFIX.sub("", name))
        return len(_strip_generic(words, gen)) >= 2
    # A descriptive name (铝合金建筑模板项目): long, and not a modifier of
    # the next noun (工程|质量) nor one of a list of fields (…工程|等|领域).
    if not head or after is not None and after.label == "n":
        return False
    core = _strip_generic(SUFFIX.sub("", name), gen)
    return len(core) >= _DESCRIPTIVE_MIN


def _strip_generic(core: str, gen: frozenset[str]) -> str:
    changed = True
    while changed and core:
        changed = False
        for g in sorted(gen, key=len, reverse=True):
            if core.startswith(g) or core.endswith(g):
                core = core[len(g):] if core.startswith(g) else core[: -len(g)]
                changed = True
    return core


def _run_name(text: str, tokens: Sequence[Span], i: int, lex: Lexicon, *,
              head: bool = True) -> Found | None:
    w = _name_start(text, tokens, i)
    a = _trim_lead(tokens, w, i, _lead_words())
    run = list(tokens[a : i + 1])
    if len(run) < 2 and head:
        return None
    if (_OWNER_APART and len(run) > 2 and run[0].label == "ORG" and re.search(r"(?:公司|集团)$", run[0].text)
            and run[1].text[:1] not in _OPENERS):
        a += 1
        run = run[1:]
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    # 回归项目|7个: a class of projects, counted.
    if head and after is not None and (_COUNT.match(after.text) or after.label == "m" and re.match(r"^\d+[个项]$", after.text)):
        return None
    # …工程等领域: a list of fields, not of projects.
    if (head and after is not None and after.text == "等" and i + 2 < len(tokens)
            and tokens[i + 2].text in _FIELDS):
        return None
    # A quoted label after 为/是 classifies a project (为“共富”项目).
    before = tokens[max(w - 2, 0) : a]
    if run[0].text in _OPENERS and a > 0 and tokens[a - 1].text in _LABEL_VERBS:
        return None
    # “一号改革”工程: a quoted word before 工程 names a campaign, not a work.
    if run[0].text in _OPENERS and len(run) > 1 and run[-2].text in _CLOSE_OPEN and run[-1].text == "工程":
        return None
    # Unbalanced: an opening bracket whose partner is not in the name.
    name = text[run[0].start : run[-1].end]
    if run[0].text in _OPENERS and _CLOSE_OPEN.get(name[-1:]) is None and not any(
        ch in name[1:] for ch in _CLOSE_OPEN if _CLOSE_OPEN[ch] == run[0].text
    ):
        run = run[1:]
        if not run:
            return None
        name = text[run[0].start : run[-1].end]
    if len(name) < 3 or not _looks_named(run, name, _generic(lex), before, after, head=head,
                                                    admin=lex.admin):
        return None
    return Found(run[0].start, run[-1].end, name, "project")


def _suffix_projects(text: str, tokens: Sequence[Span], lex: Lexicon) -> list[Found]:
    out: list[Found] = []
    for i, tok in enumerate(tokens):
        if not SUFFIX.search(tok.text) or tok.label not in ("n", "nz", "vn", "ORG"):
            continue
        f = _run_name(text, tokens, i, lex)
        if f is not None:
            out.append(f)
    return out


def _suffix_project(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """…项目/工程/信息港 after a name: the name runs left from the suffix over
    name words, capacities, phases, brackets and quotes (京东(盛驰)冷链…项目,
    年产10万吨…项目, “青山之窗”项目) up to a clause verb, and must be named
    (a proper noun, a mark such as 5G or 二期, or a long descriptive core such
    as 污水处理厂提标改造工程), never only generic words (重点项目)."""
    return [*found, *_suffix_projects(ctx.text, ctx.tokens, ctx.lex)]


# -- A、B、C等项目 ----------------------------------------------------------------
_COUNT = re.compile(r"^[\d一两二三四五六七八九十百几多]+(?:个|项|大|批|类)$")


def _listed_project(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """A、B、C等(N个)项目: each listed item is a project (the 项目 printed once
    at the end applies to each), when the item is named."""
    tokens, text = ctx.tokens, ctx.text
    new: list[Found] = []
    for k, t in enumerate(tokens):
        if t.text != "等" or k == 0:
            continue
        n = k + 1
        while n < len(tokens) and (_COUNT.match(tokens[n].text) or tokens[n].label in ("n", "vn")
                                   and tokens[n].text not in _HEAD_ONLY and n < k + 4):
            n += 1
        if n >= len(tokens) or tokens[n].text not in _HEAD_ONLY or (
                n + 1 < len(tokens) and tokens[n + 1].label == "n"):
            continue
        # Items end before 等 and before each 、 (walking left).
        last = k - 1
        while last >= 0:
            if SUFFIX.search(tokens[last].text):
                break  # items printed with their own suffix: the suffix rule's
            f = _run_name(text, tokens, last, ctx.lex, head=False)
            seg = _segment(tokens, last)
            if seg is not None and (f is None or f.start > tokens[seg].start):
                # An item between two 、 is whole (云湖雪场|西|扩).
                run = tokens[seg : last + 1]
                name = text[run[0].start : run[-1].end]
                f = None
                if len(name) >= 3 and _looks_named(run, name, _generic(ctx.lex), [], None, head=False,
                                                   admin=ctx.lex.admin):
                    f = Found(run[0].start, run[-1].end, name, "project")
                a = run[0].start
            else:
                a = f.start if f is not None else None
            if f is not None and not any(g.start <= f.start and f.end <= g.end and g.type != "project"
                                         and (g.start, g.end) == (f.start, f.end) for g in found):
                new.append(f)
            # The previous item, if the list goes on (、).
            b = _token_at(tokens, a) if a is not None else None
            if b is None or b == 0 or tokens[b - 1].text != "、":
                # A whole item between two 、 that the walk cut: skip to the 、.
                p = last
                while p >= 0 and tokens[p].text not in ("、", "，", "。", "；", ",", ";"):
                    p -= 1
                if p < 0 or tokens[p].text != "、":
                    break
                last = p - 1
                continue
            last = b - 2
    return [*found, *new]


def _segment(tokens: Sequence[Span], last: int) -> int | None:
    """First token of the list item ending at ``last`` when a 、 opens it and
    it holds only words of a name."""
    k = last
    while k >= 0 and tokens[k].text != "、":
        t = tokens[k]
        if t.label in ("u", "p", "r", "PER", "TIME", "q") or t.label == "w" and t.text != "·" \
                or tokens[last].end - t.start > 20:
            return None
        k -= 1
    return k + 1 if k >= 0 and k < last else None


# -- A-B隧道 ---------------------------------------------------------------------
_LINKED = re.compile(
    r"([\u4e00-\u9fff]{1,8})[-—–－~～]([\u4e00-\u9fff]{1,8}?)"
    r"(特大桥|大桥|隧道|高速公路|高速|快速路|公路|铁路|城际铁路|轨道交通|通道|航道|输水管道|管道|输电线路)"
    r"((?:[\u4e00-\u9fff]{1,6}段)?(?:改扩建|改建|扩建|改造|提升|新建)?(?:工程|项目)?)"
)


def _linked_ends(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """沙岙-岙底隧道, 青山—云湖高速公路: a road, tunnel or bridge named by its
    two ends joined by a dash; the first end starts where a name word does."""
    text, tokens = ctx.text, ctx.tokens
    starts = {t.start: k for k, t in enumerate(tokens)}
    new = []
    for m in _LINKED.finditer(text):
        hyphen = m.end(1)
        a = None
        for pos in range(m.start(1), hyphen - 1):
            k = starts.get(pos)
            if k is None:
                continue
            span = [t for t in tokens if pos <= t.start < hyphen]
            if all(t.label in _NAMEISH or t.label == "w" and re.search(r"[\u4e00-\u9fff]", t.text)
                   for t in span) and tokens[k].text not in _lead_words():
                a = pos
                break
        if a is None:
            continue
        new.append(Found(a, m.end(4) if m.group(4) else m.end(3), text[a : m.end()], "project"))
    return [*found, *new]


PROJECT_RULES: tuple[Rule, ...] = (
    rule("road_section_project", "sentence", _road_section),
    rule("from_to_project", "sentence", _from_to),
    rule("linked_ends_project", "sentence", _linked_ends),
    rule("quoted_project", "sentence", _quoted_project),
    rule("suffix_project", "sentence", _suffix_project),
    rule("listed_project", "sentence", _listed_project),
)


def find_projects(text: str, tokens: Sequence[Span], lex: Lexicon) -> list[Found]:
    """Every project the project rules find in one sentence."""
    ctx = SentenceContext(text, tokens, lex)
    found: list[Found] = []
    for r in PROJECT_RULES:
        found = r.fn(ctx, found)
    return found

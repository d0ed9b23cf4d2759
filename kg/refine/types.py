"""Span repair, organisation/company/place typing and noise removal."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.model import Span
from kg.refine.lexicon import Lexicon


@dataclass
class Found:
    """A typed mention inside one sentence (offsets into the sentence)."""

    start: int
    end: int
    text: str
    type: str
    titles: list[str] = field(default_factory=list)
    #: Where each title was printed (offsets into the sentence), if here.
    title_spans: list[tuple[int, int]] = field(default_factory=list)
    #: Seen with a collective office marker (市领导 A、B) but no own title.
    official_marker: bool = False


# Words that look like places/orgs to a tagger but name no particular thing.
NOISE = frozenset(
    """我市 本市 全市 该市 市区 全省 我省 本省 全国 我国 国内 境内 海外 国际 当地 本地 基层
    城乡 农村 城市 全区 全镇 全县 各地 两地 三地 异地 外地 北方 南方 东部 西部 中部 全球
    世界 省内 市内 县内 区内 镇内 村里 社区 街道 园区 新时代 地区 周边 沿线 域外 内外
    镇街道 镇街 村社区 村社 镇村 城区 老城区 新城区 辖区 景区 园区内""".split()
)
_CJK = re.compile(r"[\u4e00-\u9fff]")


# Places named only by what they are (人才公寓, 小微企业园, 工业园区).
_GENERIC_PLACE = re.compile(
    r"^(?:人才|小微企业|工业|产业|创业|科创|幸福|现代|美丽|文明|智慧|数字|特色|示范|未来|乡村|农业)"
    r"(?:公寓|园|园区|家园|社区|小镇|街区|基地|新村|乡村)$"
)


# Facilities and industries named only by what they are.
_GENERIC_THING = re.compile(
    r"^(?:(?:爱国主义教育|实践|示范|培训|研学|教育|科普|党员教育)(?:基地|中心|阵地)"
    r"|新能源汽车|集成电路|人工智能|大数据|物联网|新材料|生物医药|数字经济|智能制造|云计算"
    r"|[\u4e00-\u9fff](?:街道|社区))$"  # 湖街道: a town name cut by the tagger
)


def is_noise(text: str) -> bool:
    t = text.strip()
    if len(t) < 2 or t in NOISE or _GENERIC_PLACE.match(t) or _GENERIC_THING.match(t):
        return True
    if not _CJK.search(t):
        # Latin acronyms name firms (ABB, IBM); other non-CJK spans are noise.
        return not re.fullmatch(r"[A-Z][A-Za-z&]{1,9}", t)
    # 我市X / 全市X: a pronoun glued on, never a name.
    return bool(re.match(r"^(?:我|全|本|该|各)(?:市|省|县|区|镇)$", t))


def merge_spans(
    text: str, spans: Sequence[Span], tokens: Sequence[Span], lex: Lexicon
) -> list[Span]:
    """Join split names: LOC+LOC (江东|长江科技城|青山园) is one place,
    LOC+ORG (北岸街道|滨江社区党委) one organisation; a bare proper noun
    (``nz``) ending in an organisation suffix becomes an ORG."""
    cands: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        # The CLUENER-style CRF splits organisations; the suffix rules type them.
        label = {"COMPANY": "ORG", "GOV": "ORG"}.get(s.label, s.label)
        # A bare unit right after an organisation is its department (医院|内分泌科).
        if label == "nz" and cands and cands[-1].end == s.start and cands[-1].label == "ORG":
            continue
        if label == "nz":
            typ = lex.suffix_type(s.text)
            if re.search(r"(?:科|室|组)$", s.text):
                continue  # 内分泌科: a department of something, not an entity
            if typ in ("company", "organization"):
                label = "ORG"
            elif typ == "place":
                label = "LOC"
            else:
                continue
        if label not in ("PER", "LOC", "ORG"):
            continue
        if label == "LOC":
            cands.extend(split_hierarchy(Span(s.start, s.end, label, s.text), lex))
            continue
        cands.extend(split_glued(Span(s.start, s.end, label, s.text), lex))
    # A company name whose brand the tagger split off (青山|恒拓|新材料…有限公司);
    # a body whose level the tagger split off (市|政协 -> 市政协).
    tok_by_end = {t.end: t for t in tokens}
    grown: list[Span] = []
    for s in cands:
        lvl = tok_by_end.get(s.start)
        if (
            s.label == "ORG" and lvl is not None and lvl.text in ("市", "省", "县", "区", "镇")
            and lvl.label in ("n", "f", "q")
        ):
            s = Span(lvl.start, s.end, "ORG", text[lvl.start : s.end])
        if s.label == "ORG" and lex.suffix_type(s.text) == "company":
            # 恒拓(浙江)新材料产业有限公司: a region in brackets inside the name.
            m = _BRACKETED.search(text, 0, s.start)
            if m and m.end() == s.start:
                s = Span(m.start(), s.end, "ORG", text[m.start() : s.end])
                grown = [g for g in grown if g.end <= m.start()]
            start = s.start
            for _ in range(2):
                t = tok_by_end.get(start)
                if t is None or t.label not in ("PER", "nz", "LOC"):
                    break
                start = t.start
            if start != s.start:
                grown = [g for g in grown if g.end <= start]
                s = Span(start, s.end, "ORG", text[start : s.end])
        grown.append(s)
    cands = grown
    # 平安|青山, 美丽|乡村: a campaign slogan built on a place name is no place.
    slogan: set[int] = set()
    for a, b in zip(cands, cands[1:]):
        if a.end == b.start and a.text in SLOGAN_WORDS and b.label in ("LOC", "ORG"):
            slogan.update((a.start, b.start))
    for c in cands:
        if c.label == "LOC" and c.start >= 2 and text[c.start - 2 : c.start] in SLOGAN_WORDS:
            slogan.add(c.start)  # the tagger left the slogan word untagged (平安/a|青山)
    cands = [c for c in cands if c.start not in slogan]
    out: list[Span] = []
    for s in cands:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.end == s.start
            and prev.label in ("LOC", "ORG")
            and s.label in ("LOC", "ORG")
            and len(prev.text) >= 2  # 来|青山: a one-character "place" is a verb
            and (prev.label == "LOC" or lex.suffix_type(prev.text) is None)
            # 东桥街道|李家堰村 and 上海|虹桥商务区 are two places; 江东|长江科技城 one.
            and not lex.is_admin_unit(prev.text)
            # …|南湖区: a full county name is never the tail of another name.
            and not (s.text in lex.admin and s.text[-1] in "省市县区")
        ):
            label = "ORG" if s.label == "ORG" else "LOC"
            out[-1] = Span(prev.start, s.end, label, text[prev.start : s.end])
            continue
        out.append(s)
    # A name followed by a bare suffix word (…医院|党委) is the longer name;
    # a place followed by a zone word (云湖|科创|区) is the zone.
    tok_by_start = {t.start: t for t in tokens}
    repaired: list[Span] = []
    for s in out:
        nxt = tok_by_start.get(s.end)
        # 华信|投资, 远控|动力: a brand and the firm word the tagger left out.
        if (
            s.label == "ORG" and nxt is not None and nxt.text in _FIRM_WORDS
            and lex.suffix_type(s.text) is None
        ):
            s = Span(s.start, nxt.end, "ORG", text[s.start : nxt.end])
            nxt = tok_by_start.get(s.end)
        if s.label == "LOC" and nxt is not None and nxt.label in ("n", "vn", "nz", "s"):
            nxt2 = tok_by_start.get(nxt.end)
            if _ZONE.search(nxt.text) and len(nxt.text) <= 4:
                s = Span(s.start, nxt.end, "LOC", text[s.start : nxt.end])
                nxt = tok_by_start.get(s.end)
            elif (
                nxt2 is not None and len(nxt.text) <= 2 and nxt2.text in _ZONE_WORDS
                and nxt.text not in ("核心", "中心", "周边", "全", "城")
            ):
                s = Span(s.start, nxt2.end, "LOC", text[s.start : nxt2.end])
                nxt = tok_by_start.get(s.end)
        if (
            s.label in ("LOC", "ORG")
            and nxt is not None
            and nxt.label in ("n", "nz", "ORG")
            and nxt.text in _SUFFIX_WORDS
        ):
            s = Span(s.start, nxt.end, "ORG", text[s.start : nxt.end])
        elif (
            s.label == "LOC" and nxt is not None and nxt.label in ("n", "s")
            and nxt.text in ("社区", "村", "新村", "街道", "小区")
            and not lex.is_admin_unit(s.text)
        ):
            s = Span(s.start, nxt.end, "LOC", text[s.start : nxt.end])  # 龙湫|社区
        elif (
            s.label in ("LOC", "ORG") and nxt is not None
            and nxt.label in ("n", "vn", "nz") and len(nxt.text) <= 6
            and lex.suffix_type(nxt.text) == "organization"
            and lex.suffix_type(s.text) is None and not lex.is_admin_unit(s.text)
        ):
            # A body name cut in two (嘉兴市经济和|信息化局, 市政务|服务管理办).
            s = Span(s.start, nxt.end, "ORG", text[s.start : nxt.end])
        repaired.append(s)
    return repaired


_BRACKETED = re.compile(r"[\u4e00-\u9fffA-Za-z]{2,8}[（(][\u4e00-\u9fff]{2,4}[）)]")
_FIRM_WORDS = frozenset("投资 科技 光电 电子 能源 动力 实业 控股 集团 股份 公司 有限公司 新材料".split())
_ZONE_WORDS = frozenset("区 园 新区 园区 片区 港区 谷 城 小镇 科技城 产业园".split())
_ZONE = re.compile(r"(?:科创区|新区|园区|片区|港区|产业园|科技园|开发区|小镇)$")
# 甲交由乙 / 甲联合乙: a tagger sometimes glues two organisations together.
_JOINER = re.compile(r"(?:交由|委托|联合|携手|会同|牵头)")


def split_glued(sp: Span, lex: Lexicon) -> list[Span]:
    """青山市人民政府交由城投集团 -> two organisations."""
    m = _JOINER.search(sp.text)
    if sp.label != "ORG" or not m:
        return [sp]
    left, right = sp.text[: m.start()], sp.text[m.end() :]
    if lex.suffix_type(left) and lex.suffix_type(right):
        return [Span(sp.start, sp.start + m.start(), "ORG", left),
                Span(sp.start + m.end(), sp.end, "ORG", right)]
    return []


def _whole_unit(name: str, lex: Lexicon) -> bool:
    """Strictly an administrative unit: in the gazetteer, a country, or a
    town-level name (…街道, …镇, …村, …社区)."""
    m = re.search(r"(?:街道|镇|乡|村|社区)$", name)
    # Two characters at least before the suffix: 湖街道 is a cut 北岸街道.
    return (name in lex.admin or name in lex.countries
            or (m is not None and m.start() >= 2))


def split_hierarchy(sp: Span, lex: Lexicon) -> list[Span]:
    """奥地利维也纳 / 深圳南山区 / 东桥街道李家堰村: a unit and a unit inside it
    are two places (a development zone 青山经济技术开发区 stays one)."""
    text = sp.text
    # 西联南湖区: a word the tagger glued before a full county name.
    for k in range(1, len(text) - 2):
        tail = text[k:]
        if (len(tail) >= 3 and tail in lex.admin and tail[-1] in "省市县区"
                and not _whole_unit(text[:k], lex) and text[:k] not in lex.admin):
            return [Span(sp.start + k, sp.end, "LOC", tail)]
    for k in range(min(len(text) - 2, 6), 1, -1):
        head, rest = text[:k], text[k:]
        if head in lex.countries or (_whole_unit(head, lex) and _whole_unit(rest, lex)):
            if len(rest) >= 2:
                return [Span(sp.start, sp.start + k, "LOC", head),
                        Span(sp.start + k, sp.end, "LOC", rest)]
    return [sp]


_SUFFIX_WORDS = frozenset(
    "党委 党支部 支部 党工委 委员会 管委会 办公室 分局 支行 分行 中心 集团 公司 有限公司 医院 学校".split()
)


_ADDRESS = re.compile(r"(?:老师|师傅|阿姨|大爷|大妈|同志|先生|女士|总|哥|姐|某)$")


_NOT_A_COUNTY = re.compile(
    r"(?:[一二三四五六七八九十百千万两几多]+|优秀|百强|千强|示范|先进|重点|强|大|小|全|各|本|该|外|邻"
    r"|兄弟|周边|贫困|山区|试点|样板|标杆)[省市县区]"
)
SLOGAN_WORDS = frozenset(
    "平安 美丽 文明 健康 幸福 智慧 数字 法治 品质 活力 魅力 和谐 生态 绿色 清廉 书香 诚信 金 大美 新".split()
)
_PROVINCE_ABBR = set("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼港澳台")
_PEOPLE_OF = re.compile(r"(?:人|铁军|力量|速度|样本|模式|经验|精神|品牌|好礼|制造)$")


def _not_a_firm(text: str, lex: Lexicon) -> bool:
    """Suffixless "organisations" that are slogans or people of a place:
    平安, 青山人 / 青山铁军 (a place + people), 市政.  (Regions such as 浙沪
    are dropped for every label in :func:`type_span`.)"""
    if text in SLOGAN_WORDS:
        return True
    if len(text) == 2 and text[0] in "市省县区镇":
        return True
    head = next((text[:k] for k in (3, 2) if text[:k] in lex.admin), None)
    return bool(head and _PEOPLE_OF.search(text[len(head):]))


def type_span(sp: Span, lex: Lexicon) -> Found | None:
    text = sp.text.strip()
    if is_noise(text):
        return None
    if sp.label == "PER":
        if len(text) > 4 and "·" not in text:
            return None
        # 沈书记 / 周老师: a surname and a form of address, not a name.
        if _ADDRESS.search(text) or (
            len(text) >= 3 and (lex.post_re.search(text[1:]) or lex.person_post_re.search(text[1:]))
        ):
            return None
        return Found(sp.start, sp.end, text, "person")
    typ = lex.suffix_type(text)
    if all(c in _PROVINCE_ABBR for c in text):
        return None  # 浙沪, 苏浙沪: a region spoken of, not a named place
    # 优秀县, 百强县, 五县: a county-level suffix on a word that is no county.
    if _NOT_A_COUNTY.fullmatch(text):
        return None
    if sp.label == "LOC":
        if typ in ("company", "organization"):
            return Found(sp.start, sp.end, text, typ)
        return Found(sp.start, sp.end, text, "place")
    if typ is None and _not_a_firm(text, lex):
        return None
    # ORG: company vs organisation vs (zones tagged ORG) place.  A bare
    # brand with no suffix (巴斯夫, 嘉吉) is a business: public bodies are
    # named with their kind (局, 委, 院, 会 …).
    return Found(sp.start, sp.end, text, typ or "company")


def resolve_overlaps(found: list[Found]) -> list[Found]:
    """Keep the longest of overlapping mentions (flat, outermost wins)."""
    keep: list[Found] = []
    for f in sorted(found, key=lambda f: (-(f.end - f.start), f.start)):
        if all(f.end <= k.start or f.start >= k.end for k in keep):
            keep.append(f)
    return sorted(keep, key=lambda f: f.start)


# 市发展和改革局、市统计局: government bodies named after a level prefix,
# found on the text when the tagger cuts them (市|发展|和改革局).
_BODY = re.compile(
    r"(?:^|(?<=[，。、；：“\s（(]))([省市县区镇](?:[^\s，。、；：“”（）()的在是为]{2,10}?)"
    r"(?:局|厅|委员会|管委会|办公室|办))(?=[、，。；和与及\s）)要将已正在对把向为是]|$|等|分别|负责|联合|召开|发布|公布|牵头|主办|承办|组织|开展|印发|出台|表示|指出|介绍)"
)
# Departments in a list (公安局、建设局、人社局等): short names the tagger splits.
_LISTED_BODY = re.compile(
    r"(?:(?<=、)([^\W\d_由在对为向与和及把被将从]{1,6}(?:局|厅|委|办))(?=[、，,。；等])"
    r"|(?<=[，,：:])([^\W\d_由在对为向与和及把被将从]{1,6}(?:局|厅|委|办))(?=、))"
)
_WORD_JU = re.compile(r"(?:布|大|格|结|时|全|开|当|胜|残|变|僵|破|棋|饭|骗|赌|邮|书)局$")
# 市政协, 省人大常委会: the standing bodies of a level, which taggers cut.
_LEVEL_BODY = re.compile(
    r"(?:(?<=[的在与和及、，,。；：“\s（(])|^)([省市县区](?:政协|人大常委会|人大|人民政府|政府|纪委|监委))"
    r"(?![\u4e00-\u9fff]{0,2}(?:书记|主席|主任|委员|常委|副))"
)
_ZONE_ABBR = re.compile(r"([\u4e00-\u9fff]{2})(?:经开区|经开|高新区)")


def department_tokens(text: str, tokens: Sequence[Span], lex: Lexicon) -> list[Found]:
    """Bare department names the tagger calls common nouns (公安局, 民政局),
    and development-zone short names it splits (青山|经|开 -> 青山经开)."""
    out: list[Found] = []
    for m in _BODY.finditer(text):
        out.append(Found(m.start(1), m.end(1), m.group(1), "organization"))
    for m in _LEVEL_BODY.finditer(text):
        out.append(Found(m.start(1), m.end(1), m.group(1), "organization"))
    for m in _LISTED_BODY.finditer(text):
        g = 1 if m.group(1) else 2
        name = m.group(g)
        if not is_noise(name) and not _WORD_JU.search(name):
            out.append(Found(m.start(g), m.end(g), name, "organization"))
    # A province or city and its department, cut by the tagger
    # (浙江省|文化|和|旅游厅).
    for i, t in enumerate(tokens):
        if t.label != "LOC" or not lex.is_admin_unit(t.text):
            continue
        for j in range(i + 1, min(i + 5, len(tokens))):
            u = tokens[j]
            if j > i + 1 and u.label != "w" and re.search(
                r"(?:(?<![客大餐展门舞])厅|局|委员会|办公室)$", u.text
            ):
                out.append(Found(t.start, u.end, text[t.start : u.end], "organization"))
                break
            if u.label not in ("n", "vn", "nz") and u.text != "和":
                break
    for m in _ZONE_ABBR.finditer(text):
        if m.group(1) in lex.admin:
            out.append(Found(m.start(), m.end(), m.group(0), "place"))
    for t in tokens:
        if (
            t.label in ("n", "nz", "nt")
            and 3 <= len(t.text) <= 8
            and re.search(r"(?:局|厅|委员会|办公室|管委会|总工会|工会|妇联|团委|检察院|法院)$", t.text)
            and not is_noise(t.text)
        ):
            out.append(Found(t.start, t.end, t.text, "organization"))
    return out

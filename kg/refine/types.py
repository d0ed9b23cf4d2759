"""Span repair, organisation/company/place typing and noise removal.

Two stages of named rules (:mod:`kg.refine.rules`): :data:`SPAN_RULES` repair
the tagger's spans (join, split, grow), :data:`TYPE_RULES` drop a repaired
span before it is typed; :func:`type_span` gives the type of what is left.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from kg.model import Span
from kg.refine.lexicon import Lexicon
from kg.refine.rules import Rule, SentenceContext, active, count, rule


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
_PRONOUN_UNIT = re.compile(r"^(?:我|全|本|该|各)(?:市|省|县|区|镇)$")


def _noise_word(t: str, lex: Lexicon) -> bool:
    return len(t) < 2 or t in lex.noise_words or bool(_PRONOUN_UNIT.match(t))


def _generic_name(t: str) -> bool:
    return bool(_GENERIC_PLACE.match(t) or _GENERIC_THING.match(t))


def _not_cjk(t: str) -> bool:
    # Latin acronyms name firms (ABB, IBM); other non-CJK spans are noise.
    return not _CJK.search(t) and not re.fullmatch(r"[A-Z][A-Za-z&]{1,9}", t)


def is_noise(text: str, lex: Lexicon) -> bool:
    """A word that names no particular thing (我市, 园区, 人才公寓, 大数据)."""
    t = text.strip()
    return _noise_word(t, lex) or _generic_name(t) or _not_cjk(t)


# -- span rules: (ctx, spans) -> spans ----------------------------------------
_ORG_LABELS = {"COMPANY": "ORG", "GOV": "ORG"}


def _named_only(spans: list[Span]) -> list[Span]:
    """PER, LOC and ORG spans only (the CLUENER-style CRF's COMPANY/GOV are ORG)."""
    out = []
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        label = _ORG_LABELS.get(s.label, s.label)
        if label in ("PER", "LOC", "ORG"):
            out.append(Span(s.start, s.end, label, s.text))
    return out


def _unit_in_unit(ctx: SentenceContext, spans: list[Span]) -> list[Span]:
    """奥地利维也纳 / 深圳南山区 / 东桥街道李家堰村: a unit and a unit inside it
    are two places (a development zone 青山经济技术开发区 stays one)."""
    out: list[Span] = []
    for sp in spans:
        out.extend(split_hierarchy(sp, ctx.lex) if sp.label == "LOC" else [sp])
    return out


def _glued_orgs(ctx: SentenceContext, spans: list[Span]) -> list[Span]:
    """青山市人民政府交由城投集团: two organisations the tagger glued."""
    out: list[Span] = []
    for sp in spans:
        out.extend(split_glued(sp, ctx.lex) if sp.label == "ORG" else [sp])
    return out


_BRACKETED = re.compile(r"[\u4e00-\u9fffA-Za-z]{2,8}[（(][\u4e00-\u9fff]{2,4}[）)]")


def _bracketed_region(ctx: SentenceContext, spans: list[Span]) -> list[Span]:
    """恒拓(浙江)新材料产业有限公司: a region in brackets inside a firm's name."""
    out: list[Span] = []
    for s in spans:
        if s.label == "ORG" and ctx.lex.suffix_type(s.text) == "company":
            m = _BRACKETED.search(ctx.text, 0, s.start)
            if m and m.end() == s.start:
                s = Span(m.start(), s.end, "ORG", ctx.text[m.start() : s.end])
                out = [g for g in out if g.end <= m.start()]
        out.append(s)
    return out


def _brand_before_firm(ctx: SentenceContext, spans: list[Span]) -> list[Span]:
    """青山|恒拓|新材料…有限公司: a company whose brand the tagger split off."""
    tok_by_end = {t.end: t for t in ctx.tokens}
    out: list[Span] = []
    for s in spans:
        if s.label == "ORG" and ctx.lex.suffix_type(s.text) == "company":
            start = s.start
            for _ in range(2):
                t = tok_by_end.get(start)
                if t is None or t.label not in ("PER", "nz", "LOC"):
                    break
                start = t.start
            if start != s.start:
                out = [g for g in out if g.end <= start]
                s = Span(start, s.end, "ORG", ctx.text[start : s.end])
        out.append(s)
    return out


def _slogan_place(ctx: SentenceContext, spans: list[Span]) -> list[Span]:
    """平安|青山, 美丽|乡村: a campaign slogan built on a place name is no place."""
    slogan: set[int] = set()
    words = ctx.lex.slogan_words
    for a, b in zip(spans, spans[1:]):
        if a.end == b.start and a.text in words and b.label in ("LOC", "ORG"):
            slogan.update((a.start, b.start))
    for c in spans:
        if c.label == "LOC" and c.start >= 2 and ctx.text[c.start - 2 : c.start] in words:
            slogan.add(c.start)  # the tagger left the slogan word untagged (平安/a|青山)
    return [c for c in spans if c.start not in slogan]


def _two_bare_names(ctx: SentenceContext, a: Span, b: Span) -> bool:
    """京东|京东jd, and 曼联|拜仁 in a match report: two bare names side by
    side that are two names (a body after a name, 美协|分会, is joined)."""
    lex = ctx.lex
    if not (a.label == b.label == "ORG" and lex.suffix_type(a.text) is None
            and lex.suffix_type(b.text) is None and not _BODY_KIND.search(b.text)):
        return False
    return b.text.startswith(a.text) or bool(_MATCH.search(ctx.text))


def _join_adjacent(ctx: SentenceContext, spans: list[Span]) -> list[Span]:
    """江东|长江科技城|青山园 is one place, 北岸街道|滨江社区党委 one body;
    东桥街道|李家堰村, 上海|虹桥商务区, 新华社|北京 and two teams of a match
    report stay two."""
    lex = ctx.lex
    out: list[Span] = []
    for s in spans:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.end == s.start
            and prev.label in ("LOC", "ORG")
            and s.label in ("LOC", "ORG")
            and len(prev.text) >= 2  # 来|青山: a one-character "place" is a verb
            and (prev.label == "LOC" or lex.suffix_type(prev.text) is None)
            # 新华社|北京, 青山集团|上海: a place after a body is where it is,
            # never the rest of its name.
            and not (prev.label == "ORG" and s.label == "LOC")
            and not _two_bare_names(ctx, prev, s)
            and not lex.is_admin_unit(prev.text)
            # …|南湖区: a full county name is never the tail of another name.
            and not (s.text in lex.admin and s.text[-1] in "省市县区")
        ):
            label = "ORG" if s.label == "ORG" else "LOC"
            out[-1] = Span(prev.start, s.end, label, ctx.text[prev.start : s.end])
            continue
        out.append(s)
    return out


def _grow(ctx: SentenceContext, spans: list[Span],
          step: Callable[[SentenceContext, Span, Span], Span | None]) -> list[Span]:
    """Apply ``step(ctx, span, next_token)`` to each span that has a next token."""
    tok_by_start = {t.start: t for t in ctx.tokens}
    out = []
    for s in spans:
        nxt = tok_by_start.get(s.end)
        if nxt is not None:
            s = step(ctx, s, nxt) or s
        out.append(s)
    return out


_AMOUNT = re.compile(r"[\d０-９一二三四五六七八九十百千万亿两几多数逾超近约]")


def _firm_word_step(ctx: SentenceContext, s: Span, nxt: Span) -> Span | None:
    if not (s.label == "ORG" and nxt.text in ctx.lex.firm_words
            and ctx.lex.suffix_type(s.text) is None):
        return None
    # 招行, 美空军: a bank's short form or a body is a whole name already.
    if (len(s.text) == 2 and s.text.endswith("行")) or _BODY_KIND.search(s.text):
        return None
    # 招行投资永隆: a name right after the word is its object.
    after_tok = next((t for t in ctx.tokens if t.start == nxt.end), None)
    if after_tok is not None and after_tok.label in ("PER", "LOC", "ORG", "nz", "nw"):
        return None
    # 星河投资50亿元, 星河控股了…: the word is the verb of the sentence.
    after = ctx.text[nxt.end : nxt.end + 1]
    if nxt.label in ("v", "vd") and (not after or _AMOUNT.match(after) or after in "了过的"):
        return None
    return Span(s.start, nxt.end, "ORG", ctx.text[s.start : nxt.end])


def _firm_word(ctx: SentenceContext, spans: list[Span]) -> list[Span]:
    """华信|投资, 远控|动力: a brand and the firm word the tagger left out
    (not when the word is a verb with an object: 招行|投资|永隆)."""
    return _grow(ctx, spans, _firm_word_step)


_ZONE = re.compile(r"(?:科创区|新区|园区|片区|港区|产业园|科技园|开发区|小镇)$")


def _zone_word(ctx: SentenceContext, spans: list[Span]) -> list[Span]:
    """云湖|科创区, 云湖|科创|区: a place followed by a zone word is the zone."""
    tok_by_start = {t.start: t for t in ctx.tokens}
    out = []
    for s in spans:
        nxt = tok_by_start.get(s.end)
        if s.label == "LOC" and nxt is not None and nxt.label in ("n", "vn", "nz", "s"):
            nxt2 = tok_by_start.get(nxt.end)
            if _ZONE.search(nxt.text) and len(nxt.text) <= 4:
                s = Span(s.start, nxt.end, "LOC", ctx.text[s.start : nxt.end])
            elif (
                nxt2 is not None and len(nxt.text) <= 2 and nxt2.text in ctx.lex.zone_words
                and nxt.text not in ("核心", "中心", "周边", "全", "城")
            ):
                s = Span(s.start, nxt2.end, "LOC", ctx.text[s.start : nxt2.end])
        out.append(s)
    return out


def _suffix_word_step(ctx: SentenceContext, s: Span, nxt: Span) -> Span | None:
    if (s.label in ("LOC", "ORG") and nxt.label in ("n", "nz", "ORG")
            and nxt.text in ctx.lex.body_suffix_words):
        return Span(s.start, nxt.end, "ORG", ctx.text[s.start : nxt.end])
    return None


def _suffix_word(ctx: SentenceContext, spans: list[Span]) -> list[Span]:
    """…医院|党委, …银行|支行: a name and a bare body word after it are one body."""
    return _grow(ctx, spans, _suffix_word_step)


def _community_word_step(ctx: SentenceContext, s: Span, nxt: Span) -> Span | None:
    if (s.label == "LOC" and nxt.label in ("n", "s")
            and nxt.text in ("社区", "村", "新村", "街道", "小区")
            and not ctx.lex.is_admin_unit(s.text)):
        return Span(s.start, nxt.end, "LOC", ctx.text[s.start : nxt.end])
    return None


def _community_word(ctx: SentenceContext, spans: list[Span]) -> list[Span]:
    """龙湫|社区: a place and the unit word the tagger left out."""
    return _grow(ctx, spans, _community_word_step)


def _cut_body_step(ctx: SentenceContext, s: Span, nxt: Span) -> Span | None:
    lex = ctx.lex
    # 布局, 格局, 大局: a body kind with a one-character stem is a plain word.
    if (s.label in ("LOC", "ORG") and nxt.label in ("n", "vn", "nz") and 3 <= len(nxt.text) <= 6
            and lex.suffix_type(nxt.text) == "organization"
            and lex.suffix_type(s.text) is None and not lex.is_admin_unit(s.text)):
        return Span(s.start, nxt.end, "ORG", ctx.text[s.start : nxt.end])
    return None


def _cut_body(ctx: SentenceContext, spans: list[Span]) -> list[Span]:
    """嘉兴市经济和|信息化局: a body name the tagger cut in two (工行|布局:
    a word merely ending in 局 is no body)."""
    return _grow(ctx, spans, _cut_body_step)


SPAN_RULES: tuple[Rule, ...] = (
    rule("unit_in_unit", "span", _unit_in_unit),
    rule("glued_orgs", "span", _glued_orgs),
    rule("bracketed_region", "span", _bracketed_region),
    rule("brand_before_firm", "span", _brand_before_firm),
    rule("slogan_place", "span", _slogan_place),
    rule("join_adjacent", "span", _join_adjacent),
    rule("firm_word", "span", _firm_word),
    rule("zone_word", "span", _zone_word),
    rule("suffix_word", "span", _suffix_word),
    rule("community_word", "span", _community_word),
    rule("cut_body", "span", _cut_body),
)


def merge_spans(
    text: str, spans: Sequence[Span], tokens: Sequence[Span], lex: Lexicon,
    *, disabled: Collection[str] = frozenset(), trace: Counter | None = None,
) -> list[Span]:
    """Repair the tagger's PER/LOC/ORG spans with the span rules, in order
    (other labels, LAC's ``nz`` proper nouns included, are left out)."""
    ctx = SentenceContext(text, tokens, lex)
    cur = _named_only(list(spans))
    for r in active(SPAN_RULES, disabled):
        cur = _traced(r, ctx, cur, trace)
    return cur


def _traced(r: Rule, ctx: SentenceContext, cur: list[Span], trace: Counter | None) -> list[Span]:
    new = r.fn(ctx, cur)
    if trace is not None and new != cur:
        count(trace, r.name, len(set(new) ^ set(cur)) or 1)
    return new


# 甲交由乙 / 甲联合乙: a tagger sometimes glues two organisations together.
_JOINER = re.compile(r"(?:交由|委托|联合|携手|会同|牵头)")


def split_glued(sp: Span, lex: Lexicon) -> list[Span]:
    """青山市人民政府交由城投集团 -> two organisations; a name that merely
    contains a joiner word (联合国, 星河联合银行) stays whole."""
    if sp.label != "ORG":
        return [sp]
    for m in _JOINER.finditer(sp.text):
        left, right = sp.text[: m.start()], sp.text[m.end() :]
        if (len(left) >= 3 and len(right) >= 3
                and lex.suffix_type(left) and lex.suffix_type(right)):
            return [Span(sp.start, sp.start + m.start(), "ORG", left),
                    Span(sp.start + m.end(), sp.end, "ORG", right)]
    return [sp]


def _whole_unit(name: str, lex: Lexicon) -> bool:
    """Strictly an administrative unit: in the gazetteer, a country, or a
    town-level name (…街道, …镇, …村, …社区)."""
    m = re.search(r"(?:街道|镇|乡|村|社区)$", name)
    # Two characters at least before the suffix: 湖街道 is a cut 北岸街道.
    return (name in lex.admin or name in lex.countries
            or (m is not None and m.start() >= 2))


# What follows a country's short name in its full name: 波兰|共和国,
# 香港|特别行政区, 蒙古|人民共和国 name the country itself, no place inside it.
_STATE_FORM = re.compile(
    r"(?:人民|民主|社会主义|联邦|伊斯兰|阿拉伯|合众)*(?:共和国|王国|联邦|公国|酋长国|大公国"
    r"|合众国|联合王国|特别行政区|特区|自治区|联盟)"
    # 朝鲜|半岛, 埃及|金字塔: a feature named after the country, no place in it.
    r"|半岛|群岛|海峡|海湾|高原|平原|盆地|金字塔"
)


def split_hierarchy(sp: Span, lex: Lexicon) -> list[Span]:
    """奥地利维也纳 / 深圳南山区 / 东桥街道李家堰村 -> two places; a country's
    full name (波兰共和国, 香港特别行政区) or a feature named after it
    (朝鲜半岛) stays one."""
    text = sp.text
    for k in range(min(len(text) - 2, 7), 1, -1):
        head, rest = text[:k], text[k:]
        if head in lex.countries and _STATE_FORM.fullmatch(rest):
            return [sp]
        if head in lex.countries or (_whole_unit(head, lex) and _whole_unit(rest, lex)):
            if len(rest) >= 2:
                return [Span(sp.start, sp.start + k, "LOC", head),
                        Span(sp.start + k, sp.end, "LOC", rest)]
    return [sp]


# -- type rules: (span, text, lex) -> drop? -----------------------------------
_ADDRESS = re.compile(r"(?:老师|师傅|阿姨|大爷|大妈|同志|先生|女士|总|哥|姐|某)$")
_PROVINCE_ABBR = frozenset("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼港澳台")
_PEOPLE_OF = re.compile(r"(?:人|铁军|力量|速度|样本|模式|经验|精神|品牌|好礼|制造)$")


# One-character short forms of countries and provinces (中|美, 京|津|冀, 俄方):
# the tagger's one-character LOC spans that name a place.
_ONE_CHAR_PLACE = frozenset("中华美英法德日俄意印澳韩朝越泰巴欧亚非加墨"
                            "京津沪渝冀豫辽湘皖鲁苏浙赣鄂桂晋陕闽粤琼港台藏川黔滇")


def _short_form(sp: Span, text: str) -> bool:
    return sp.label == "LOC" and text in _ONE_CHAR_PLACE


def _drop_noise_word(sp: Span, text: str, lex: Lexicon) -> bool:
    """我市, 全省, 园区, 社区: a word that names no particular thing (a
    one-character short form the tagger calls a place is the next rule's)."""
    return not _short_form(sp, text) and _noise_word(text, lex)


def _drop_short_form(sp: Span, text: str, lex: Lexicon) -> bool:
    """中|美, 在|京, 沪|滇协作: a one-character short form of a country or
    province is left out (kg's convention: a graph node 美 would only split
    美国); switched off, the tagger's one-character places stay, as the
    public NER sets annotate them."""
    return _short_form(sp, text)


def _drop_generic_name(sp: Span, text: str, lex: Lexicon) -> bool:
    """人才公寓, 工业园区, 大数据: places, facilities and industries named only
    by what they are."""
    return _generic_name(text)


def _drop_not_cjk(sp: Span, text: str, lex: Lexicon) -> bool:
    """A span with no Chinese character is noise, unless a Latin acronym (ABB)."""
    return _not_cjk(text)


def _drop_long_person(sp: Span, text: str, lex: Lexicon) -> bool:
    """A "person" of more than four characters (without ·) is a cut or a phrase."""
    return sp.label == "PER" and len(text) > 4 and "·" not in text


def _drop_address_form(sp: Span, text: str, lex: Lexicon) -> bool:
    """沈书记 / 周老师: a surname and a form of address, not a name."""
    return sp.label == "PER" and bool(_ADDRESS.search(text) or (
        len(text) >= 3 and (lex.post_re.search(text[1:]) or lex.person_post_re.search(text[1:]))
    ))


def _drop_province_abbr(sp: Span, text: str, lex: Lexicon) -> bool:
    """浙沪, 苏浙沪: provinces' one-character abbreviations strung together are
    a region spoken of, not a named place (a province's own name such as
    辽宁, or a brand the tagger calls ORG, is a name)."""
    return (sp.label == "LOC" and len(text) > 1 and all(c in _PROVINCE_ABBR for c in text)
            and text not in lex.admin and text not in lex.countries)


# 百强县, 五村, 富裕村, 文明村: a number or a quality before a unit word
# classifies units; it names none.
_NOT_A_UNIT = re.compile(
    r"(?:[一二三四五六七八九十百千万两几多数各全本该邻外]+|优秀|百强|千强|示范|先进|重点|强|大|小"
    r"|兄弟|周边|贫困|山区|试点|样板|标杆|富裕|落后|后进|文明|美丽|和美|特色|薄弱|空壳|经济强|弱"
    r"|小康|生态|卫生|平安|民主法治|幸福)"
    r"(?:省|市|县|区|村|镇|乡|社区|街道)"
)


def _drop_not_a_unit(sp: Span, text: str, lex: Lexicon) -> bool:
    """百强县, 五县, 五村, 富裕村, 文明村: a number or a quality plus a unit word
    is a kind of unit, not a named one."""
    return sp.label != "PER" and bool(_NOT_A_UNIT.fullmatch(text))


# 现代化工厂, 智能车间, 企业核心竞争力: a generic qualifier and a kind, or an
# abstract quality, named by what it is.
_GENERIC_FIRM = re.compile(
    r"^(?:(?:现代化|现代|智能化|智能|智慧|数字化|数字|大型|中型|小型|新型|绿色|标准化|规模化|龙头|骨干|"
    r"优质|本地|外地|民营|国有|中小|小微|重点|知名|优秀)"
    r"(?:工厂|车间|企业|公司|厂房|农场|园区|基地|商场|超市|银行|医院|学校)"
    r"|(?:企业|行业|产业|城市|区域|乡村|经济)[\u4e00-\u9fff]{0,4}"
    r"(?:竞争力|能力|水平|实力|活力|动力|体系|机制|环境|质量|效益|效率|能级|品质|形象))$"
)


def _drop_generic_firm(sp: Span, text: str, lex: Lexicon) -> bool:
    """现代化工厂, 企业核心竞争力: a generic qualifier plus a kind of firm, or an
    abstract quality, is no organisation."""
    return sp.label != "PER" and bool(_GENERIC_FIRM.match(text))


_EDGE_PUNCT = re.compile(r"^[^\w（(《“]|[^\w）)》”]$|/")


def _drop_edge_punct(sp: Span, text: str, lex: Lexicon) -> bool:
    """文/, 图/: a span with a slash or punctuation at its edge is a byline or
    a cut, not a name."""
    return bool(_EDGE_PUNCT.search(text))


# Events are not entities (conventions): cups, contests, fairs, forums, festivals.
_EVENT = re.compile(r"(?:杯|大赛|比赛|联赛|锦标赛|运动会|博览会|展销会|交易会|论坛|峰会|艺术节|文化节|旅游节|音乐节)$")


def _drop_event(sp: Span, text: str, lex: Lexicon) -> bool:
    """星河银行杯, 青山文化节: a cup, contest, fair, forum or festival is an
    event, not an organisation or place."""
    return sp.label != "PER" and bool(_EVENT.search(text))


def _drop_not_a_firm(sp: Span, text: str, lex: Lexicon) -> bool:
    """A suffixless "organisation" that is a slogan word (平安), a level word
    (市政) or the people of a place (青山人, 青山铁军)."""
    if sp.label != "ORG" or lex.suffix_type(text) is not None:
        return False
    if text in lex.slogan_words:
        return True
    if len(text) == 2 and text[0] in "市省县区镇":
        return True
    head = next((text[:k] for k in (3, 2) if text[:k] in lex.admin), None)
    return bool(head and _PEOPLE_OF.search(text[len(head):]))


TYPE_RULES: tuple[Rule, ...] = (
    rule("noise_word", "type", _drop_noise_word),
    rule("one_char_place", "type", _drop_short_form),
    rule("generic_name", "type", _drop_generic_name),
    rule("not_cjk", "type", _drop_not_cjk),
    rule("long_person", "type", _drop_long_person),
    rule("address_form", "type", _drop_address_form),
    rule("province_abbr", "type", _drop_province_abbr),
    rule("not_a_firm", "type", _drop_not_a_firm),
    rule("not_a_unit", "type", _drop_not_a_unit),
    rule("generic_firm", "type", _drop_generic_firm),
    rule("edge_punct", "type", _drop_edge_punct),
    rule("event_name", "type", _drop_event),
)


_PART_OF_PLACE = re.compile(r"(?:东|南|西|北|中|东南|东北|西南|西北|中西|腹)部$")


def type_span(
    sp: Span, lex: Lexicon, *, disabled: Collection[str] = frozenset(),
    trace: Counter | None = None,
) -> Found | None:
    """The type of a repaired span, or None when a type rule drops it.

    PER is a person; LOC a place unless its suffix says company/organisation
    (南部, 西北部 name a part of the place, not a department);
    ORG by its suffix, and a bare brand with no suffix (巴斯夫) is a business:
    public bodies are named with their kind (局, 委, 院, 会 …)."""
    text = sp.text.strip()
    for r in active(TYPE_RULES, disabled):
        if r.fn(sp, text, lex):
            count(trace, r.name)
            return None
    # The offsets of the stripped text (LAC may end a name on its "\n"):
    # a mention is always exactly the text it points at.
    start = sp.start + len(sp.text) - len(sp.text.lstrip())
    end = start + len(text)
    if sp.label == "PER":
        return Found(start, end, text, "person")
    typ = lex.suffix_type(text)
    if sp.label == "LOC":
        if _PART_OF_PLACE.search(text):  # 尼日利亚南部: a part of a place, no 部 (department)
            typ = None
        return Found(start, end, text, typ if typ in ("company", "organization") else "place")
    return Found(start, end, text, typ or "company")


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
# 市政协, 省人大常委会: the standing bodies of a level, which taggers cut.
_LEVEL_BODY = re.compile(
    r"(?:(?<=[的在与和及、，,。；：“\s（(])|^)([省市县区](?:政协|人大常委会|人大|人民政府|政府|纪委|监委))"
    r"(?![\u4e00-\u9fff]{0,2}(?:书记|主席|主任|委员|常委|副))"
)
_ZONE_ABBR = re.compile(r"([\u4e00-\u9fff]{2})(?:经开区|经开|高新区)")


def _add(found: list[Found], new: list[Found]) -> list[Found]:
    return [*found, *new] if new else found


def _level_prefixed_body(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """市发展和改革局: a level prefix and a body kind, read off the text when the
    tagger cuts it (市|发展|和改革局)."""
    return _add(found, [Found(m.start(1), m.end(1), m.group(1), "organization")
                        for m in _BODY.finditer(ctx.text)])


def _level_standing_body(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """市政协, 省人大常委会: the standing bodies of a level (not before a title)."""
    return _add(found, [Found(m.start(1), m.end(1), m.group(1), "organization")
                        for m in _LEVEL_BODY.finditer(ctx.text)])


def _unit_department(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """浙江省|文化|和|旅游厅: a province or city and its department, cut by the
    tagger."""
    tokens, new = ctx.tokens, []
    for i, t in enumerate(tokens):
        if t.label != "LOC" or not ctx.lex.is_admin_unit(t.text):
            continue
        for j in range(i + 1, min(i + 5, len(tokens))):
            u = tokens[j]
            if j > i + 1 and u.label != "w" and re.search(
                r"(?:(?<![客大餐展门舞])厅|局|委员会|办公室)$", u.text
            ):
                new.append(Found(t.start, u.end, ctx.text[t.start : u.end], "organization"))
                break
            if u.label not in ("n", "vn", "nz") and u.text != "和":
                break
    return _add(found, new)


def _zone_abbreviation(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """青山|经|开 -> 青山经开: a development zone's short name, split by the tagger."""
    return _add(found, [Found(m.start(), m.end(), m.group(0), "place")
                        for m in _ZONE_ABBR.finditer(ctx.text) if m.group(1) in ctx.lex.admin])


DEPARTMENT_RULES: tuple[Rule, ...] = (
    rule("level_prefixed_body", "sentence", _level_prefixed_body),
    rule("level_standing_body", "sentence", _level_standing_body),
    rule("unit_department", "sentence", _unit_department),
    rule("zone_abbreviation", "sentence", _zone_abbreviation),
)


# -- kind rules: "company" is only the guess for a bare name -------------------
# Kinds of public body the suffix table lacks, and which no firm ends in:
# 中国共产党, 八路军, 美国海军, 欧盟, 法新社, 银监会, 理事会, 金融司, 心理学系.
_BODY_KIND = re.compile(
    r"(?:(?<![政])党|(?<![将冠])军|(?<![加])盟|(?:通讯|新华|法新|美联|路透|塔斯|共同|韩联)社"
    r"|监会|理事会|议会|国会|(?<![公上])司|(?<![体关派])系)$"
)
# What a match report says (比赛, 主场, 击败): its bare names are teams.
_MATCH = re.compile(
    r"比赛|联赛|杯赛|主场|客场|击败|战胜|逼平|战平|负于|不敌|进球|破门|射门|扳平|绝杀|球队|球员"
    r"|主帅|主教练|门将|前锋|后卫|中场|转会|首发|赛季|英超|西甲|意甲|德甲|法甲|欧冠|欧联|中超"
    r"|NBA|CBA|足球|篮球|排球|球迷|主队|客队|俱乐部"
)


def _retyped(f: Found, typ: str) -> Found:
    return Found(f.start, f.end, f.text, typ, f.titles, f.title_spans, f.official_marker)


def _bare_body(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """中国共产党, 八路军, 欧盟, 法新社, 银监会, 金融司: a name ending in a kind of
    public body is an organisation, not a bare brand (旅行社, 公司 stay firms)."""
    return [_retyped(f, "organization")
            if f.type == "company" and ctx.lex.suffix_type(f.text) is None
            and _BODY_KIND.search(f.text) else f
            for f in found]


def _team_in_match(ctx: SentenceContext, found: list[Found]) -> list[Found]:
    """曼联2:1击败切尔西: in a match report a bare name is a team (an
    organisation), not a firm; names with a firm's suffix stay firms."""
    if not _MATCH.search(ctx.text):
        return found
    return [_retyped(f, "organization")
            if f.type == "company" and ctx.lex.suffix_type(f.text) is None else f
            for f in found]


KIND_RULES: tuple[Rule, ...] = (
    rule("bare_body", "sentence", _bare_body),
    rule("team_in_match", "sentence", _team_in_match),
)

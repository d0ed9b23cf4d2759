"""Mentions -> canonical entities (alias resolution).

In order: national abbreviations (央行 = 中国人民银行); the home city (青山 =
青山市, 市城投集团 = 青山市城投集团, inferred when not given); bare stems of
places the corpus also spells with 市/省 (嘉兴 = 嘉兴市); short forms that an
article spells out in full (市一院 -> 青山市第一人民医院, 青山园 -> …科技城青山园);
then the user's alias file, which overrides everything.  People are never
merged by similarity: two different people may share a surname.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from kg.model import Article, Entity, Mention, Title
from kg.recognize.base import KgError
from kg.refine.lexicon import Lexicon, load_lexicon

_PERSONS = ("official", "person")
_ORGS = ("company", "organization")
_CITY = re.compile(r"^([\u4e00-\u9fff]{2,3})[市县区]$")
# 市X names that are not "the home city's X".
_NOT_CITY_PREFIX = re.compile(r"^市(?:民|场|区|值|长|井|面|县|属|级|内|外|中心$)")


def infer_home_city(mentions: Iterable[Mention]) -> str | None:
    """The city, county or district the corpus is about: the most-named
    ``X市``/``X县``/``X区``, counting its bare stem ``X`` and names built on it."""
    texts = [m.text for m in mentions if m.type in ("place", "organization", "company")]
    cities = Counter()
    for t in texts:
        m = _CITY.match(t)
        if m:
            cities[t] += 1
    if not cities:
        return None
    score = Counter()
    for city in cities:
        stem = city[:-1]
        score[city] = sum(1 for t in texts if t.startswith(stem))
    best = sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return best


def read_aliases(path: str | Path) -> dict[str, str]:
    """``alias,canonical`` rows (header optional)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise KgError(f"{p}: cannot read alias file ({exc})") from exc
    out: dict[str, str] = {}
    for i, row in enumerate(csv.reader(text.splitlines()), 1):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        if len(row) < 2:
            raise KgError(f"{p}: line {i}: expected 'alias,canonical'")
        alias, canon = row[0].strip(), row[1].strip()
        if i == 1 and alias.lower() == "alias":
            continue
        out[alias] = canon
    return out


def _family(t: str) -> str:
    if t in _PERSONS:
        return "person"
    if t in _ORGS:
        return "org"
    return t


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


_FIRM_TAIL = re.compile(
    r"^(?:科技|集团|实业|控股|股份|能源|纸业|物流|电子|新能源|新材料)?"
    r"(?:股份有限公司|有限责任公司|有限公司|集团|公司|科技|股份)?$"
)


# What may follow a brand inside its firm's name (星河|科技, 恒拓|新材料…).
_FIRM_REST = re.compile(
    r"^(?:[（(]|科技|集团|实业|控股|股份|能源|纸业|物流|电子|新能源|新材料|投资|光电|动力|有限|公司"
    r"|项目|产业|国际|智能|化学|化工|电气|机械|医药|生物|数据|信息|网络)"
)
_LEGAL_FORM = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|股份公司|集团|公司)$")
_REGION_PREFIX = re.compile(r"^(?:中国|浙江|江苏|上海|北京|广东|深圳|杭州|嘉兴|[\u4e00-\u9fff]{2}[省市])")


def firm_core(name: str) -> str:
    """浙江光明纸业股份有限公司 -> 光明纸业 (region and legal form dropped)."""
    core = _LEGAL_FORM.sub("", name)
    return _REGION_PREFIX.sub("", core) if len(core) > 4 else core


def is_firm_short_form(short: str, long: str) -> bool:
    """光明纸业 / 光明公司 / 光明 of 浙江光明纸业股份有限公司."""
    s, lg = firm_core(short), firm_core(long)
    return len(s) >= 2 and s in lg and len(short) < len(long)


_ZONE_TAIL = re.compile(r"^[\u4e00-\u9fff]{0,2}(?:科创区|新区|园区|片区|开发区|产业园|科技城|区|园)$")


def is_short_form(short: str, long: str) -> bool:
    """青山园 of 江东长江科技城青山园; 市一院 of 青山市第一人民医院;
    星河 of 星河科技 (a brand before a company suffix); 云湖科创 of 云湖科创区."""
    if len(short) < 2 or len(short) >= len(long):
        return False
    if long.startswith(short) and _ZONE_TAIL.match(long[len(short):]):
        return True
    if long.startswith(short) and _FIRM_TAIL.match(long[len(short):]):
        return True
    if short[-1] != long[-1]:
        return False
    if long.endswith(short) and len(short) >= 3 and len(long) - len(short) >= 3:
        return True
    return short[0] == long[0] and _is_subsequence(short, long)


def _base_name(text: str, family: str, home: str | None, lex: Lexicon,
               stems: Mapping[str, str]) -> str:
    name = re.sub(r"\s+", "", text)
    if name in lex.abbreviations:
        return lex.abbreviations[name]
    if family == "person":
        return name
    name = re.sub(r"^我(?=[市省县区])", "", name)
    if home:
        stem, level = home[:-1], home[-1]
        if name == stem:
            return home
        # 市城投集团 -> 青山市城投集团; in a county, 县发展和改革局 -> 青溪县发展和改革局.
        if (name.startswith(level) and len(name) > 2
                and not _NOT_CITY_PREFIX.match("市" + name[1:])):
            return home + name[1:]
    if family == "place" and name.endswith("地区") and len(name) > 3:
        name = name[:-2]  # 长三角地区 = 长三角
    if family == "place" and name in stems:
        return stems[name]
    return name


def resolve(
    articles: Sequence[Article],
    mentions: list[Mention],
    *,
    home_city: str | None = None,
    aliases: Mapping[str, str] | None = None,
    lexicon: Lexicon | None = None,
) -> tuple[list[Entity], str | None]:
    """Fill ``Mention.entity`` in place; return entities and the home city."""
    lex = lexicon or load_lexicon()
    aliases = dict(aliases or {})
    home = home_city or infer_home_city(mentions)

    # A "person" that is really the stem of a known place (东桥 of 东桥街道).
    place_names = {m.text for m in mentions if m.type == "place"}
    for m in mentions:
        if m.type == "person" and not m.titles and any(
            p.startswith(m.text) and lex.suffix_type(p) == "place" and len(p) > len(m.text)
            for p in place_names
        ):
            m.type = "place"

    # A "person" that heads a company or project name (恒拓 of 恒拓新材料…
    # 项目) is that company's short name.
    firm_names = {m.text: m.type for m in mentions
                  if m.type in ("company", "organization", "project")}
    for m in mentions:
        if m.type == "person" and not m.titles:
            heads = [t for f, t in firm_names.items()
                     if f.startswith(m.text) and len(f) > len(m.text) + 1
                     and _FIRM_REST.match(f[len(m.text):])]
            if heads:
                m.type = "organization" if heads == ["organization"] else "company"

    # Slogans built on the home city's name (金青山, 平安青山) are not places.
    if home:
        stem = home[:-1]
        mentions[:] = [
            m for m in mentions
            if not (m.type == "place" and m.text.endswith(stem) and m.text != stem
                    and m.text[: -len(stem)] not in lex.admin_major
                    and m.text[: -len(stem)] not in lex.countries
                    and not lex.suffix_type(m.text[: -len(stem)]))
        ]

    # Bare stems the corpus also prints with 市/省/县 (嘉兴 -> 嘉兴市).
    stems: dict[str, str] = {}
    for t in sorted(place_names):
        m = re.match(r"^([\u4e00-\u9fff]{2,3})(?:市|省|县|镇|乡|街道)$", t)
        if m:
            stems.setdefault(m.group(1), t)

    base: list[str] = [
        _base_name(m.text, _family(m.type), home, lex, stems) for m in mentions
    ]

    # X(Y): a name and its other name in brackets (市政务服务管理办(数据局)).
    texts = {a.id: a.text for a in articles}
    bracket_alias: dict[tuple[str, str], str] = {}
    by_start = {(m.article_id, m.start): (m, b) for m, b in zip(mentions, base)}
    for m, b in zip(mentions, base):
        t = texts.get(m.article_id, "")
        if m.end < len(t) and t[m.end] in "(（":
            inner = by_start.get((m.article_id, m.end + 1))
            if inner is not None:
                im, ib = inner
                if (im.end < len(t) and t[im.end] in ")）"
                        and _family(im.type) == _family(m.type) == "org"):
                    bracket_alias[(ib, _family(im.type))] = b

    # Short forms spelled out in the same article.
    by_article: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for m, b in zip(mentions, base):
        by_article[m.article_id].add((b, _family(m.type)))
    short_map: dict[tuple[str, str], set[str]] = defaultdict(set)
    for names in by_article.values():
        for a, fam in names:
            # People are never merged by likeness; a city is nobody's short form.
            if fam == "person" or (fam == "place" and (a in lex.admin or a in lex.countries)):
                continue
            for b, fam_b in names:
                if fam_b == fam and a != b and (
                    is_short_form(a, b)
                    or (fam == "org" and lex.suffix_type(b) == "company"
                        and lex.suffix_type(a) != "organization" and is_firm_short_form(a, b))
                ):
                    short_map[(a, fam)].add(b)
    canon_of: dict[tuple[str, str], str] = {}
    for key, longs in short_map.items():
        # Ambiguous short forms (two different long names) stay as they are.
        longest = sorted(longs, key=lambda s: (-len(s), s))
        top = longest[0]
        if all(x == top or is_short_form(x, top) or is_firm_short_form(x, top) for x in longs):
            canon_of[key] = top

    for key, full in bracket_alias.items():
        canon_of.setdefault(key, full)

    def final(name: str, fam: str) -> str:
        seen = set()
        while (name, fam) in canon_of and name not in seen:
            seen.add(name)
            name = canon_of[(name, fam)]
        return aliases.get(name, name)

    for m, b in zip(mentions, base):
        m.entity = aliases.get(m.text, final(b, _family(m.type)))

    # Aggregate per canonical name.  One name, one node: types are voted.
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        groups[m.entity or m.text].append(m)
    entities: list[Entity] = []
    for name in sorted(groups):
        ms = groups[name]
        types = Counter(m.type for m in ms)
        if "official" in types:
            etype = "official"
        else:
            etype = sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            by_suffix = lex.suffix_type(name)
            if etype in _ORGS and by_suffix in _ORGS:
                etype = by_suffix
        titles: list[Title] = []
        seen_t: set[tuple[str, str]] = set()
        for m in ms:
            for t in m.titles:
                if (t, m.article_id) not in seen_t:
                    seen_t.add((t, m.article_id))
                    titles.append(Title(t, m.article_id))
        aliases_seen = sorted({m.text for m in ms} - {name})
        entities.append(
            Entity(
                name=name,
                type=etype,
                aliases=aliases_seen,
                titles=titles,
                mentions=len(ms),
                articles=len({m.article_id for m in ms}),
            )
        )
        for m in ms:
            if m.type in _PERSONS:
                m.type = etype if etype in _PERSONS else m.type
            elif _family(m.type) == _family(etype):
                m.type = etype
    return entities, home

"""Mentions -> canonical entities (alias resolution).

Resolution decides which names are one entity; it never re-types or drops a
mention (that is :mod:`kg.refine.document`, run before it).  Two stages of
named rules (:mod:`kg.refine.rules`), each switchable by name:

- :data:`NAME_RULES` rewrite each name to its base form, in order: national
  abbreviations (央行 = 中国人民银行), the home city (青山 = 青山市,
  市城投集团 = 青山市城投集团; inferred when not given), X地区, bare stems of
  places the corpus also spells with 市/省 (嘉兴 = 嘉兴市);
- :data:`MERGE_RULES` join names of one article: X(Y) bracket aliases and
  short forms spelled out in full (市一院 -> 青山市第一人民医院).

The user's alias file overrides everything.  People are never merged by
similarity: two different people may share a surname.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.model import REPORTER, Article, Entity, Mention, Title
from kg.recognize.base import KgError
from kg.refine.lexicon import Lexicon, load_lexicon
from kg.refine.rules import Rule, active, count, rule

_PERSONS = ("official", "person")
_ORGS = ("company", "organization")
_CITY = re.compile(r"^([\u4e00-\u9fff]{2,3})[市县区]$")
# 市X names that are not "the home city's X".
_NOT_CITY_PREFIX = re.compile(r"^市(?:民|场|区|值|长|井|面|县|属|级|内|外|中心$)")


_UNIT = re.compile(r"^([\u4e00-\u9fff]{2,3})[省市县区]$")


def _city_scores(mentions: Iterable[Mention], pattern: re.Pattern[str] = _CITY,
                 also: Iterable[str] = ()) -> Counter:
    """Each ``X市``/``X县``/``X区`` printed (and each unit in ``also``), scored
    by the names built on its stem."""
    texts = [m.text for m in mentions if m.type in ("place", "organization", "company")]
    cities = {t for t in texts if pattern.match(t)} | set(also)
    # Names by their first k characters, for each stem length k: linear in
    # the mentions however many cities there are.
    lengths = {len(c) - 1 for c in cities}
    starts = Counter(t[:k] for t in texts for k in lengths if len(t) >= k)
    return Counter({city: starts[city[:-1]] for city in cities})


def infer_home_city(mentions: Iterable[Mention]) -> str | None:
    """The city, county or district the corpus is about: the most-named
    ``X市``/``X县``/``X区``, counting its bare stem ``X`` and names built on it."""
    score = _city_scores(mentions)
    if not score:
        return None
    return sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def infer_article_homes(
    mentions: Sequence[Mention], corpus_home: str | None = None
) -> dict[str, dict[str, str]]:
    """Per article, the province, city, county and district its own text is
    about (level character -> name): 市委 in an article about 青山市 is 青山市委,
    whatever other cities the corpus holds.  The corpus's home competes too
    (by its stem) and wins ties."""
    by_article: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_article[m.article_id].append(m)
    homes: dict[str, dict[str, str]] = {}
    for aid, ms in by_article.items():
        scores = _city_scores(ms, _UNIT, also=[corpus_home] if corpus_home else [])
        best: dict[str, tuple[int, int, str]] = {}
        for city, sc in scores.items():
            if sc <= 0:
                continue
            key = (-sc, 0 if city == corpus_home else 1, city)
            lvl = city[-1]
            if lvl not in best or key < best[lvl]:
                best[lvl] = key
        homes[aid] = {lvl: key[2] for lvl, key in best.items()}
    return homes


# Characters no name should hold: controls (they break GraphML and
# terminals), invisible format characters (U+200B, bidi overrides: two names
# that look the same would be two nodes), lone surrogates and noncharacters.
_NOT_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f"
                          "\u202a-\u202e\u2060-\u206f\ufeff\ud800-\udfff\ufdd0-\ufdef"
                          "\ufff9-\ufffb\ufffe\uffff]")


def clean_name(text: str) -> str:
    """``text`` without control, invisible-format and surrogate characters
    (any name kg writes goes through this)."""
    return _NOT_IN_NAME.sub("", text)


def _escape(text: str, keep: Callable[[str], bool] = str.isprintable) -> str:
    """``text`` with each character ``keep`` refuses as its escape (\\x01):
    names in one-line messages."""
    def code(c: str) -> str:
        o = ord(c)
        return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}" if o < 0x10000 else f"\\U{o:08x}"
    return "".join(c if keep(c) else code(c) for c in text)


def read_aliases(path: str | Path) -> dict[str, str]:
    """``alias,canonical`` rows (header, ``#`` comments and blank lines
    allowed) -> each alias's final name: chains are followed (A,B and B,C
    give A and B -> C).  An empty name, one alias given two names, or a
    cycle (A,B and B,A) is a :class:`KgError` naming the line(s)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise KgError(f"{p}: cannot read alias file ({exc})") from exc
    out: dict[str, str] = {}
    line_of: dict[str, int] = {}
    for i, row in enumerate(csv.reader(text.splitlines()), 1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if len(row) < 2:
            raise KgError(f"{p}: line {i}: expected 'alias,canonical'")
        alias, canon = clean_name(row[0]).strip(), clean_name(row[1]).strip()
        if i == 1 and alias.lower() == "alias":
            continue
        if not alias or not canon:
            what = "alias" if not alias else "canonical name"
            raise KgError(f"{p}: line {i}: empty {what} (expected 'alias,canonical')")
        if out.get(alias, canon) != canon:
            raise KgError(f"{p}: line {i}: {_escape(alias)} is already an alias of "
                          f"{_escape(out[alias])} (line {line_of[alias]})")
        out[alias] = canon
        line_of.setdefault(alias, i)
    return follow_aliases(out, lambda cycle: f"{p}: " + _cycle_message(cycle, line_of))


def _cycle_message(cycle: Sequence[str], line_of: Mapping[str, int]) -> str:
    lines = ", ".join(str(line_of[a]) for a in cycle[:-1])
    return f"lines {lines}: alias cycle {' -> '.join(map(_escape, cycle))}"


def follow_aliases(aliases: Mapping[str, str],
                   on_cycle: Callable[[list[str]], str] | None = None) -> dict[str, str]:
    """Each alias -> the end of its chain (A->B, B->C: A -> C).  A cycle is
    a :class:`KgError` (``on_cycle`` words it from the names, first repeated);
    ``A->A`` is no cycle, just a name kept as it is."""
    out: dict[str, str] = {}
    for start in aliases:
        path = [start]
        name = aliases[start]
        while name in aliases and name not in out and aliases[name] != name:
            if name in path:
                cycle = path[path.index(name):] + [name]
                raise KgError(on_cycle(cycle) if on_cycle else
                              f"alias cycle {' -> '.join(map(_escape, cycle))}")
            path.append(name)
            name = aliases[name]
        end = out.get(name, name)
        for alias in path:
            out[alias] = end
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


_LEGAL_FORM = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|股份公司|集团|公司)$")
def _region_prefix(name: str, lex: Lexicon) -> int:
    """Length of the region a firm's name starts with (浙江, 浙江省, 青山市,
    中国): a province or prefecture of the gazetteer, a county-level city or
    county by its full name, or a country."""
    for k in range(min(len(name) - 2, 8), 1, -1):
        head = name[:k]
        if (head in lex.regions or head in lex.countries
                or (head in lex.admin and head[-1] in "市县")):
            return k
    return 0


def firm_core(name: str, lex: Lexicon | None = None) -> str:
    """浙江光明纸业股份有限公司 -> 光明纸业 (region and legal form dropped)."""
    core = _LEGAL_FORM.sub("", name)
    if len(core) <= 4:
        return core
    return core[_region_prefix(core, lex or load_lexicon()):]


def is_firm_short_form(short: str, long: str, lex: Lexicon | None = None) -> bool:
    """光明纸业 / 光明公司 / 光明 of 浙江光明纸业股份有限公司."""
    s, lg = firm_core(short, lex), firm_core(long, lex)
    return len(s) >= 2 and s in lg and len(short) < len(long)


_ZONE_TAIL = re.compile(r"^[\u4e00-\u9fff]{0,2}(?:科创区|新区|园区|片区|开发区|产业园|科技城|区|园)$")


# Words a short form may leave out of the middle of a name.
_FILLERS = frozenset({"人民", "有限", "股份", "有限责任", "中心", "综合", "有限公司", "股份有限公司",
                      "有限责任公司", "公司", "集团", "集团有限公司"})


def _filler(cut: str) -> bool:
    """A piece a short form may leave out: a filler word, a legal form, or a
    bracketed aside (城北路(甲段)改造工程)."""
    return cut in _FILLERS or bool(re.fullmatch(r"[（(][^）)]*[）)]", cut))


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
    # 北京大学 / 北京师范大学, 中国银行 / 中国农业银行: the long name with one
    # piece cut from its middle, keeping a whole kind-word, is another name.
    # Only a filler word may go (平湖市第一医院 of …第一人民医院).
    if any(long.startswith(short[:k]) and long.endswith(short[k:])
           and not _filler(long[k : len(long) - len(short) + k])
           for k in range(1, len(short) - 1)):
        return False
    return short[0] == long[0] and _is_subsequence(short, long)


@dataclass(frozen=True)
class ResolveContext:
    lex: Lexicon
    home: str | None
    #: Bare stems of places the corpus prints with a unit suffix (嘉兴 -> 嘉兴市).
    stems: Mapping[str, str]
    #: The article's own city/county/district by level character (市, 县, 区).
    local: Mapping[str, str] = field(default_factory=dict)


def _abbreviation(name: str, family: str, ctx: ResolveContext) -> str | None:
    """央行 -> 中国人民银行: the national short forms of kg/data/abbreviations.tsv."""
    return ctx.lex.abbreviations.get(name)


def _home_city(name: str, family: str, ctx: ResolveContext) -> str | None:
    """青山 -> 青山市, 市城投集团 -> 青山市城投集团 (in a county home,
    县发展和改革局 -> 青溪县发展和改革局)."""
    if family == "person":
        return None
    for home in (ctx.home, *ctx.local.values()):
        if home and name == home[:-1]:
            return home
    level = name[:1]
    # The article's own unit of that level first, else the corpus's home.
    home = ctx.local.get(level) or (ctx.home if ctx.home and ctx.home[-1] == level else None)
    if (home and len(name) > 2
            and not _NOT_CITY_PREFIX.match("市" + name[1:])):
        return home + name[1:]
    return None


def _region_suffix(name: str, family: str, ctx: ResolveContext) -> str | None:
    """长三角地区 = 长三角."""
    if family == "place" and name.endswith("地区") and len(name) > 3:
        return name[:-2]
    return None


def _place_stem(name: str, family: str, ctx: ResolveContext) -> str | None:
    """嘉兴 -> 嘉兴市 when the corpus also prints the name with its suffix."""
    return ctx.stems.get(name) if family == "place" else None


#: name rules: (name, family, ctx) -> the new base name, or None.
NAME_RULES: tuple[Rule, ...] = (
    rule("abbreviation", "resolve", _abbreviation),
    rule("home_city", "resolve", _home_city),
    rule("region_suffix", "resolve", _region_suffix),
    rule("place_stem", "resolve", _place_stem),
)


def _name(text: str) -> str:
    """A mention's text as a name: no control or invisible characters, no
    whitespace.  Text that is nothing else keeps a visible escaped form, so
    no node is named ""."""
    name = re.sub(r"\s+", "", clean_name(text))
    return name or _escape(text, lambda c: c.isprintable() and not c.isspace())


def _base_name(text: str, family: str, ctx: ResolveContext, rules: Sequence[Rule],
               trace: Counter | None = None) -> str:
    name = _name(text)
    if family != "person":
        name = re.sub(r"^我(?=[市省县区])", "", name)  # 我市X: "our city's" X
    for r in rules:
        new = r.fn(name, family, ctx)
        if new is not None and new != name:
            count(trace, r.name)
            name = new
            if r.name in ("abbreviation", "home_city", "place_stem"):
                break  # a full name: nothing more to rewrite
    return name


def _short_form(a: str, b: str, fam: str, lex: Lexicon) -> bool:
    """市一院 of 青山市第一人民医院, 青山园 of …科技城青山园, 青山科创 of 青山科创区
    (printed in the same article)."""
    return is_short_form(a, b)


def _firm_short_form(a: str, b: str, fam: str, lex: Lexicon) -> bool:
    """光明纸业 / 光明公司 of 浙江光明纸业股份有限公司 (same article)."""
    return (fam == "org" and lex.suffix_type(b) == "company"
            and lex.suffix_type(a) != "organization" and is_firm_short_form(a, b, lex))


def _bracket_alias(a: str, b: str, fam: str, lex: Lexicon) -> bool:
    """X(Y): a body and its other name in brackets (市政务服务管理办(数据局))."""
    return False  # found on the text by :func:`_bracket_aliases`, not by name


#: merge rules: (short, long, family, lex) -> is ``short`` a name of ``long``?
MERGE_RULES: tuple[Rule, ...] = (
    rule("bracket_alias", "resolve", _bracket_alias),
    rule("short_form", "resolve", _short_form),
    rule("firm_short_form", "resolve", _firm_short_form),
)


def resolve(
    articles: Sequence[Article],
    mentions: list[Mention],
    *,
    home_city: str | None = None,
    aliases: Mapping[str, str] | None = None,
    lexicon: Lexicon | None = None,
    disabled: Collection[str] = frozenset(),
    trace: Counter | None = None,
) -> tuple[list[Entity], str | None]:
    """Fill ``Mention.entity`` in place; return entities and the home city."""
    lex = lexicon or load_lexicon()
    # The alias file's names are clean already; a mapping given in Python
    # gets the same treatment (chains followed, cycles refused).
    aliases = follow_aliases({clean_name(k): clean_name(v)
                              for k, v in (aliases or {}).items() if clean_name(v)})
    home = home_city or infer_home_city(mentions)
    place_names = {m.text for m in mentions if m.type == "place"}

    # Bare stems the corpus also prints with 市/省/县 (嘉兴 -> 嘉兴市).
    stems: dict[str, str] = {}
    for t in sorted(place_names):
        m = re.match(r"^([\u4e00-\u9fff]{2,3})(?:市|省|县|镇|乡|街道)$", t)
        if m:
            stems.setdefault(m.group(1), t)
    ctx = ResolveContext(lex, home, stems)
    # A home the user names holds for every article; else each article's own.
    local = {} if home_city else infer_article_homes(mentions, home)
    ctxs = {aid: ResolveContext(lex, home, stems, loc) for aid, loc in local.items()}
    name_rules = active(NAME_RULES, disabled)
    base: list[str] = [
        _base_name(m.text, _family(m.type), ctxs.get(m.article_id, ctx), name_rules, trace)
        for m in mentions
    ]
    merges = active(MERGE_RULES, disabled)
    bracket_alias = (_bracket_aliases(articles, mentions, base)
                     if any(r.name == "bracket_alias" for r in merges) else {})
    count(trace, "bracket_alias", len(bracket_alias))
    likeness = [r for r in merges if r.name != "bracket_alias"]
    canon_of = _short_forms(mentions, base, lex, likeness, trace)
    for key, full in bracket_alias.items():
        canon_of.setdefault(key, full)

    def final(name: str, fam: str) -> str:
        seen = set()
        while (name, fam) in canon_of and name not in seen:
            seen.add(name)
            name = canon_of[(name, fam)]
        return aliases.get(name, name)

    for m, b in zip(mentions, base):
        # The alias file names the text as printed (clean), or without its spaces.
        m.entity = sys.intern(next((aliases[k] for k in (clean_name(m.text), _name(m.text))
                                    if k in aliases), None) or final(b, _family(m.type)))
    return _entities(mentions, lex), home


def _bracket_aliases(articles: Sequence[Article], mentions: Sequence[Mention],
                     base: Sequence[str]) -> dict[tuple[str, str], str]:
    """X(Y): a name and its other name in brackets (市政务服务管理办(数据局)),
    between organisations only."""
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

    return bracket_alias


def _short_forms(mentions: Sequence[Mention], base: Sequence[str], lex: Lexicon,
                 rules: Sequence[Rule], trace: Counter | None) -> dict[tuple[str, str], str]:
    """Short forms spelled out in the same article -> their full name."""
    if not rules:
        return {}

    def which(a: str, b: str, fam: str) -> str | None:
        return next((r.name for r in rules if r.fn(a, b, fam, lex)), None)

    by_article: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for m, b in zip(mentions, base):
        by_article[m.article_id].add((b, _family(m.type)))
    short_map: dict[tuple[str, str], set[str]] = defaultdict(set)
    fired: dict[tuple[str, str], str] = {}
    for names in by_article.values():
        for a, fam in names:
            # People are never merged by likeness; a city is nobody's short form.
            if fam == "person" or (fam == "place" and (a in lex.admin or a in lex.countries)):
                continue
            for b, fam_b in names:
                if fam_b == fam and a != b and (name := which(a, b, fam)):
                    short_map[(a, fam)].add(b)
                    fired[(a, fam)] = name
    canon_of: dict[tuple[str, str], str] = {}
    for key, longs in short_map.items():
        # Ambiguous short forms (two different long names) stay as they are.
        longest = sorted(longs, key=lambda s: (-len(s), s))
        top = longest[0]
        if all(x == top or which(x, top, key[1]) for x in longs):
            canon_of[key] = top
            count(trace, fired[key])
    return canon_of


def _entities(mentions: Sequence[Mention], lex: Lexicon) -> list[Entity]:
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
        # Printed forms, cleaned like names (李\u200b明 is no alias of 李明).
        aliases_seen = sorted({clean_name(m.text) for m in ms} - {name, ""})
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
    return entities


def add_reporters(articles: Sequence[Article], entities: Sequence[Entity]) -> list[Entity]:
    """Bylines as entities (``--include-reporters``).

    A reporter the text also names as a person (name or alias) stays that one
    entity and gains the title 记者 from each bylined article; any other
    becomes a ``reporter`` entity.  Returns a new list; ``entities`` is untouched.
    """
    out = [replace(e, titles=list(e.titles)) for e in entities]
    people = [e for e in out if e.type in _PERSONS]
    by_name: dict[str, Entity] = {}
    for e in people:
        by_name.setdefault(e.name, e)
    for e in people:
        for alias in e.aliases:
            by_name.setdefault(alias, e)
    bylined: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        for r in dict.fromkeys(clean_name(r).strip() for r in a.reporters):
            if r:
                bylined[r].append(a.id)
    for name in sorted(bylined):
        ids = bylined[name]
        e = by_name.get(name)
        if e is None:
            taken = any(x.name == name for x in out)  # a place or firm of that name
            e = Entity(name=f"{name} (reporter)" if taken else name, type=REPORTER,
                       articles=len(ids))
            out.append(e)
            by_name[name] = e
        seen = {(t.text, t.article_id) for t in e.titles}
        e.titles.extend(Title("记者", aid) for aid in ids if ("记者", aid) not in seen)
    return out


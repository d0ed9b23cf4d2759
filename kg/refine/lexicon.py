"""General resources for the refiner, loaded once from ``kg/data``.

Nothing here names an entity of any particular corpus: titles, suffixes and
national abbreviations only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def data_lines(name: str) -> list[str]:
    text = resources.files("kg.data").joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@dataclass(frozen=True)
class Lexicon:
    official_posts: tuple[str, ...]
    person_posts: tuple[str, ...]
    suffixes: tuple[tuple[str, str], ...]  # (suffix, type), longest first
    abbreviations: dict[str, str]
    post_re: re.Pattern[str]
    person_post_re: re.Pattern[str]
    admin: frozenset[str]  # divisions of China, full and short forms
    admin_major: frozenset[str]  # full names, and short forms safe on their own
    countries: frozenset[str]
    surnames: frozenset[str]
    #: Word lists from ``kg/data/*_words.txt`` (each file's header gives its source).
    noise_words: frozenset[str] = frozenset()
    slogan_words: frozenset[str] = frozenset()
    firm_words: frozenset[str] = frozenset()
    zone_words: frozenset[str] = frozenset()
    body_suffix_words: frozenset[str] = frozenset()
    project_generic_words: frozenset[str] = frozenset()
    #: Province and prefecture names, full and short (浙江省, 浙江, 嘉兴市, 嘉兴).
    regions: frozenset[str] = frozenset()

    def is_admin_unit(self, name: str) -> bool:
        """A whole administrative unit (浙江省, 上海, 奥地利, 东桥街道, 李家堰村)."""
        if name in self.admin or name in self.countries:
            return True
        return bool(re.search(r"(?:省|市|县|区|街道|镇|乡|村|社区|州|盟|旗)$", name)) and len(name) > 2

    def suffix_type(self, name: str) -> str | None:
        for suf, typ in self.suffixes:
            if suf == "科" and len(name) < 4:
                continue  # 尼得科 is a brand; 内分泌科, 推进科 are sections
            if name.endswith(suf) and (
                len(name) > len(suf) or len(suf) >= 4
                or (typ == "organization" and len(suf) >= 2)  # 政协, 人大
            ):
                return typ
        return None

    def is_official_title(self, title: str) -> bool:
        # Leaders of state firms hold public office (国有…公司总经理, a state
        # bank's 行长); their departments' staff (…投资开发部副主任) do not.
        lead = _FIRM_LEADER.search(title)
        if lead and _STATE_FIRM.search(title) and not re.search(r"[部处室科]$", title[: lead.start()]):
            return True
        if not self.post_re.search(title) or self.is_person_title(title):
            return False
        # A post abroad (英国…学会副主席) holds no Chinese public office.
        if any(title.startswith(c) for c in self.countries if c != "中国"):
            return False
        # A post inside a business (集团…部副主任) is a job, not an office,
        # except its party posts (党委书记).
        # Associations and societies (协会, 学会, 商会) are no public bodies either.
        if re.search(r"公司|集团|银行|企业|工厂|厂(?!长)|协会|学会|商会|研究会|促进会|基金会", title):
            return bool(re.search(r"党委|党组|党支部|党总支|纪委|书记", title))
        return True

    def is_person_title(self, title: str) -> bool:
        return bool(self.person_post_re.search(title)) and not self.post_re.search(
            re.sub(self.person_post_re, "", title)
        )


def _words(name: str) -> frozenset[str]:
    """A whitespace-separated word list (``#`` lines are its header)."""
    return frozenset(w for ln in data_lines(name) for w in ln.split())


# Words that mark a state-owned firm in its name: state ownership said
# outright, the municipal investment platforms (城投, 交投, 产投 ...), the
# central bank, the state policy and commercial banks and the big central
# state groups.  General knowledge of PRC state enterprise naming.
_STATE_FIRM = re.compile(
    r"国有|国资|国投|城投|交投|产投|水投|文旅投|城建投|建投|人民银行|中国银行|工商银行|"
    r"农业银行|建设银行|交通银行|农业发展银行|国家开发银行|进出口银行|邮政储蓄银行|"
    r"国家电网|南方电网|中国(?:石油|石化|移动|联通|电信|烟草|邮政|铁路|中铁|铁建|建筑|交建|中车)"
)
# The posts that lead a firm (or a branch of it), not one of its departments
# (部, 处, 室, 科 right before the post).
_FIRM_LEADER = re.compile(
    r"(?:常务副|副)?(?:董事长|董事|总经理|总裁|行长|监事会主席|监事长|"
    r"董事会秘书|总会计师|总经济师|总工程师|总指挥|书记)$"
)
# A nominee for a post (区长提名人选, 市长候选人) is printed with the post.
_NOMINEE = r"(?:提名人选|候选人|人选)?"


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    posts = tuple(data_lines("titles.txt"))
    person = tuple(data_lines("person_titles.txt"))
    sufs = []
    for ln in data_lines("org_suffixes.txt"):
        suf, typ = ln.split("\t")
        sufs.append((suf, typ))
    sufs.sort(key=lambda x: len(x[0]), reverse=True)
    abbr = dict(ln.split("\t") for ln in data_lines("abbreviations.tsv"))
    admin: set[str] = set()
    major: set[str] = set()
    regions: set[str] = set()
    for ln in data_lines("admin_divisions.txt"):
        name, level = ln.split("\t")
        admin.add(name)
        major.add(name)
        short = re.sub(
            r"(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|地区|省|市|县|区|盟|旗)$",
            "", name)
        if len(short) >= 2:
            admin.add(short)
            # Short forms that are safe on their own (浙江, 嘉兴, 青山): county
            # and district ones are too often ordinary words (平安区 -> 平安).
            if level in ("province", "prefecture") or name.endswith("市"):
                major.add(short)
        if level in ("province", "prefecture"):
            regions.add(name)
            if len(short) >= 2:
                regions.add(short)
    countries = _words("countries.txt")
    surnames = _words("surnames.txt")
    variants = r"(?:常务副|副|代理|代|原|前|专职副|执行)?"
    return Lexicon(
        official_posts=posts,
        person_posts=person,
        suffixes=tuple(sufs),
        abbreviations=abbr,
        post_re=re.compile(rf"{variants}(?:{_alt(list(posts))}){_NOMINEE}$"),
        person_post_re=re.compile(rf"{variants}(?:{_alt(list(person))}){_NOMINEE}$"),
        admin=frozenset(admin),
        admin_major=frozenset(major),
        countries=frozenset(countries),
        surnames=frozenset(surnames),
        noise_words=_words("noise_words.txt"),
        slogan_words=_words("slogan_words.txt"),
        firm_words=_words("firm_words.txt"),
        zone_words=_words("zone_words.txt"),
        body_suffix_words=_words("body_suffix_words.txt"),
        project_generic_words=_words("project_generic_words.txt"),
        regions=frozenset(regions),
    )

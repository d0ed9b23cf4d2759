"""Attach job titles to people; a public-office title makes an official.

Titles are read off the word tokens right before a name (副市长王建华;
市委常委、宣传部长刘志强 gives two titles; 副市长兼公安局长 too), right
after it (赵明远书记), and carried across enumerations (市领导A、B、C;
副市长A、B; A、B等县领导).  A group title (市领导, 市、县领导) is kept as
printed and makes its members officials.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.model import Span
from kg.refine.lexicon import Lexicon
from kg.refine.types import Found

# Levels of China's administrations, minority-region forms included
# (州 prefecture, 盟 league, 旗 banner).
_LEVEL = r"(?:省|市|州|盟|地|县|区|旗|镇|乡|街道)"
# Group titles: 市领导, 市、县领导, 省市领导, 分管县领导, 我县领导.  The
# pronoun (我/本) is not part of the title; 分管 (in charge) is.
_GROUP = rf"(?:分管|有关|相关)?{_LEVEL}(?:、?{_LEVEL}){{0,2}}(?:主要)?领导"
MARKER = re.compile(rf"^(?:我|本)?({_GROUP})$")
# Tokens that can open a printed title: level bodies (旗委, 县政府, 村,
# 社区, 自治州, 行署) and rank prefixes (一级巡视员).
_LEVEL_BODY = re.compile(
    rf"^(?:{_LEVEL}|村|社区|自治[区州县]|行署|嘎查|苏木)"
    r"(?:委|党委|党工委|党组|政府|人民政府|人大|人大常委会|政协|纪委|监委)?$"
    r"|^[一二三四]级$"
)
_TITLE_PARTS = frozenset(
    "副 常务 常务副 党组 党委 党工委 常委 宣传 组织 统战 纪检 监察 政法 "
    "市委 省委 县委 区委 旗委 州委 盟委 地委 镇党委 市政府 省政府 人大 政协 人大常委会 "
    "总 首席 执行 专职 代 代理 原".split()  # 代市长: acting, 原: former
)
# Words a title never runs across; 兼 joins two titles (副市长兼公安局长).
_STOP = frozenset("会议 仪式 活动 工作 时 上 中 和 及 与 等 的 在 为 是 由 对 向 将 兼".split())
_ORGISH_TAGS = frozenset({"ORG", "LOC", "nz", "nt"})


def _is_post(text: str, lex: Lexicon) -> bool:
    return bool(lex.post_re.search(text) or lex.person_post_re.search(text))


_WALK_TAGS = frozenset({"n", "vn", "v", "nz", "a", "j", "m", "ORG", "LOC", "nt", "an", "f"})
# A "time" word with no date in it is a word of a body's name to the tagger
# (市|现代|服务业|产业园工委书记); a date (昨天, 3月) never is.
_DATE = re.compile(r"[0-9０-９年月日号时天晚早午]")


def _walkable(t: Span) -> bool:
    return t.label in _WALK_TAGS or (t.label == "TIME" and not _DATE.search(t.text))
_MAX_GROUP = 7


def _anchor(tok: Span, lex: Lexicon) -> bool:
    """Can a printed title start with this token (an organisation or office)?"""
    return (
        tok.label in _ORGISH_TAGS
        or tok.label == "PER"
        or tok.text in _TITLE_PARTS
        or bool(_LEVEL_BODY.match(tok.text))
        or lex.suffix_type(tok.text) is not None
        or _is_post(tok.text, lex)
    )


def _group_before(tokens: Sequence[Span], j: int, lex: Lexicon) -> tuple[list[Span], int]:
    """One title ending at token ``j``: the post, widened left to its
    organisation (东桥街道|经济发展|办公室|主任) when one is in reach."""
    # The post itself: the shortest run of tokens ending at j that is a post.
    post_start = None
    for n in range(1, 4):
        if j - n + 1 < 0:
            break
        run = tokens[j - n + 1 : j + 1]
        if any(t.label == "w" for t in run):
            break
        if _is_post("".join(t.text for t in run), lex) and all(
            t.text not in _STOP for t in run
        ):
            post_start = j - n + 1
            break
    if post_start is None:
        return [], j
    # Widen left over organisation words, then trim to an anchor.
    k = post_start - 1
    cands: list[int] = []
    while k >= 0 and len(cands) < _MAX_GROUP:
        t = tokens[k]
        # A place name the tagger took for a person (江东|长江科技城…党工委).
        glued_name = t.label == "PER" and tokens[k + 1].label in ("ORG", "LOC")
        if (not _walkable(t) and not glued_name) or t.text in _STOP:
            break
        cands.insert(0, k)
        k -= 1
    first = post_start
    for idx in cands:
        if _anchor(tokens[idx], lex):
            first = idx
            break
    return list(tokens[first : j + 1]), first - 1


def _group_at(tokens: Sequence[Span], k: int) -> Span | None:
    """A group title (市领导, 市、县领导) ending right before token ``k``."""
    for n in range(min(k, 6), 0, -1):  # longest first: 市、县领导 before 县领导
        run = tokens[k - n : k]
        m = MARKER.match("".join(t.text for t in run))
        if m:
            start = run[0].start + m.start(1)
            return Span(start, run[-1].end, "TITLE", m.group(1))
    return None


def _title_before(
    tokens: Sequence[Span], k: int, lex: Lexicon
) -> tuple[list[Span], Span | None]:
    """Titles printed right before token index ``k`` (exclusive), and the
    group title when one is printed there instead."""
    if k >= 1 and not tokens[k - 1].text.strip():
        k -= 1  # 县委书记 王某: a space printed between title and name
    group_title = _group_at(tokens, k)
    if group_title is not None:
        return [], group_title
    titles: list[Span] = []
    j = k - 1
    while j >= 0:
        group, j = _group_before(tokens, j, lex)
        if not group:
            break
        text = "".join(t.text for t in group)
        titles.insert(0, Span(group[0].start, group[-1].end, "TITLE", text))
        if j >= 1 and tokens[j].text in ("、", "兼"):
            j -= 1
            continue
        # 市委副书记，市长王建华: a comma between title pieces, when the piece
        # before it stands alone (after punctuation or at the start).
        if j >= 1 and tokens[j].text in ("，", ","):
            piece, jj = _group_before(tokens, j - 1, lex)
            if piece and (jj < 0 or tokens[jj].label == "w"):
                j -= 1
                continue
        break
    return titles, None


def _title_after(tokens: Sequence[Span], k: int, lex: Lexicon) -> list[Span]:
    """赵明远书记 / 王某副市长: a bare post right after the name."""
    if k >= len(tokens):
        return []
    tok = tokens[k]
    if tok.label in ("n", "nz") and lex.post_re.fullmatch(tok.text):
        return [Span(tok.start, tok.end, "TITLE", tok.text)]
    return []


# A list closed by its group title: 王某、李某等市领导 (等领导: no title).
_GROUP_AFTER = re.compile(rf"等(?:我|本)?(?:({_GROUP})|(?:有关|相关)?领导)")
_GROUP_END = re.compile(rf"{_GROUP}$")
_LIST_SEP = ("、", "，", ",")


def _is_post_word(text: str, lex: Lexicon) -> bool:
    """A tagger "name" that is a post (苏木达, 嘎查达): a title, never a person."""
    return bool(lex.post_re.fullmatch(text) or lex.person_post_re.fullmatch(text))


_MIDDLE = re.compile(r"、([\u4e00-\u9fff]{2,3})、")


def _missed_list_members(
    text: str, found: Sequence[Found], tokens: Sequence[Span], lex: Lexicon
) -> list[Found]:
    """县领导A、B、毛某、C: an item between two names of a 、-list that looks
    like a name (surname, given name, no place or body word) is a name the
    tagger missed."""
    people = sorted((f for f in found if f.type == "person"), key=lambda f: f.start)
    out: list[Found] = []
    for a, b in zip(people, people[1:]):
        m = _MIDDLE.fullmatch(text, a.end, b.start)
        if not m:
            continue
        s, e = m.span(1)
        if any(f.start < e and f.end > s for f in found):
            continue
        inside = [t for t in tokens if t.start < e and t.end > s]
        if (
            not any(t.start == s for t in inside)
            or any(t.label in ("LOC", "ORG", "ns", "nt", "nz") for t in inside)
            or not _looks_like_name(m.group(1), s, tokens, lex)
        ):
            continue
        out.append(Found(s, e, m.group(1), "person"))
    return out


def attach_titles(
    text: str, found: list[Found], tokens: Sequence[Span], lex: Lexicon
) -> None:
    """Fill ``titles``/``type`` of person mentions in place (and drop the
    "people" that are posts read as names)."""
    found[:] = [f for f in found if not (f.type == "person" and _is_post_word(f.text, lex))]
    found.extend(_missed_list_members(text, found, tokens, lex))
    found.sort(key=lambda f: (f.start, f.end))
    start_idx = {t.start: i for i, t in enumerate(tokens)}
    end_idx = {t.end: i for i, t in enumerate(tokens)}
    people = [f for f in found if f.type == "person"]
    prev: Found | None = None
    for f in people:
        k = start_idx.get(f.start)
        titles: list[Span] = []
        group: Span | None = None
        if k is not None:
            titles, group = _title_before(tokens, k, lex)
        ke = end_idx.get(f.end)
        if not titles and group is None and ke is not None:
            titles = _title_after(tokens, ke + 1, lex)
        # Enumeration: 市领导A、B、C / 副市长A、B — the list shares the title.
        gap = text[prev.end : f.start] if prev is not None else ""
        if (
            prev is not None
            and not titles
            and group is None
            and gap in ("、", "，", ",", "和", "及")
            and (prev.titles or prev.official_marker)
            and (gap == "、" or prev.official_marker)
        ):
            f.official_marker = prev.official_marker
            f.titles = list(prev.titles)
            f.title_spans = []  # inherited: printed once, before the first name
        else:
            # Titles with a printed span come first, in order: the refiner
            # pairs ``title_spans[i]`` with ``titles[i]``.
            spans = ([group] if group is not None else []) + titles
            f.titles = [t.text for t in spans]
            f.title_spans = [(t.start, t.end) for t in spans]
            f.official_marker = group is not None
        prev = f
    # A list closed by 等市领导 / 等领导: every member back to the list's start.
    for i, f in enumerate(people):
        m = _GROUP_AFTER.match(text, f.end)
        if not m:
            continue
        j = i
        while j >= 0:
            p = people[j]
            p.official_marker = True
            if m.group(1) and m.group(1) not in p.titles:
                if j == i and len(p.title_spans) == len(p.titles):
                    p.title_spans.append((m.start(1), m.end(1)))
                p.titles.append(m.group(1))
            if j == 0:
                break
            # The next member back ends right before this one's own titles.
            head = min([a for a, _ in p.title_spans] + [p.start])
            if text[people[j - 1].end : head] not in _LIST_SEP:
                break
            j -= 1
    for f in people:
        if f.official_marker or any(lex.is_official_title(t) for t in f.titles):
            f.type = "official"


# What follows a name in news copy: punctuation or a reporting verb.
_AFTER_NAME = re.compile(r"^(?:[，,。、；;：:（(）)”]|出席|参加|主持|陪同|指出|强调|表示|说|介绍|讲话|致辞|一行|等|在|为|带队|调研|宣布|作|到|赴|率|看望|慰问|会见|同志|同志们)")
# Word classes that never make up a given name (LAC tags): pronouns,
# prepositions, particles, conjunctions, localisers, numbers, measure words,
# time words, punctuation (副市长向|大家 介绍, 主任于|会上 说).
_NOT_GIVEN_NAME = frozenset({"r", "p", "u", "c", "f", "m", "q", "t", "w", "xc"})


def _looks_like_name(name: str, start: int, tokens: Sequence[Span], lex: Lexicon) -> bool:
    """A surname, then a given name whose words are no function words, ending
    where a word ends (a name is a word of its own)."""
    sur = 2 if name[:2] in lex.surnames else 1 if name[0] in lex.surnames else 0
    if not sur:
        return False
    end = start + len(name)
    if not any(t.end == end for t in tokens):
        return False  # 市长高|度重|视: the "name" cuts a word
    given = [t for t in tokens if t.end > start + sur and t.start < end]
    return not any(t.label in _NOT_GIVEN_NAME for t in given)


def names_after_titles(
    text: str, tokens: Sequence[Span], found: Sequence[Found], lex: Lexicon
) -> list[Found]:
    """People the tagger missed right after a title (…主席|连|小敏 -> 连小敏):
    a real name (surname, then a given name of one or two characters that
    is no function word), then a reporting verb or punctuation."""
    taken = [(f.start, f.end) for f in found]
    out: list[Found] = []
    for tok in tokens:
        if tok.label == "w":
            continue
        post = lex.post_re.fullmatch(tok.text) or lex.person_post_re.fullmatch(tok.text)
        # A group title is a title too (市领导|连|茂君).
        if not post and not (tok.text.endswith("领导") and _GROUP_END.search(text, 0, tok.end)):
            continue
        start = tok.end
        for n in (3,):  # two-character words after a title are too often not names
            name = text[start : start + n]
            if len(name) != n or not re.fullmatch(r"[\u4e00-\u9fff]+", name):
                continue
            if not _looks_like_name(name, start, tokens, lex):
                continue
            if not _AFTER_NAME.match(text[start + n : start + n + 4]):
                continue
            # Fix a tagger name that lost its surname (连|小敏) or skip if whole.
            overl = [(a, b) for a, b in taken if a < start + n and b > start]
            if overl and not all(start < a and b == start + n for a, b in overl):
                break
            out.append(Found(start, start + n, name, "person"))
            break
    return out

"""Attach job titles to people; a public-office title makes an official.

Titles are read off the word tokens right before a name (副市长王建华;
市委常委、宣传部长刘志强 gives two titles), right after it (赵明远书记), and
carried across enumerations (市领导A、B、C; 副市长A、B).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.model import Span
from kg.refine.lexicon import Lexicon
from kg.refine.types import Found

# Collective markers: they make officials but are not job titles themselves.
MARKER = re.compile(r"^(?:我|本)?(?:省|市|县|区|镇|乡|街道)领导$")
_TITLE_PARTS = frozenset(
    "副 常务 常务副 党组 党委 党工委 常委 宣传 组织 统战 纪检 监察 政法 市 省 县 区 镇 乡 村 "
    "市委 省委 县委 区委 镇党委 市政府 省政府 人大 政协 人大常委会 总 首席 执行 专职".split()
)
_STOP = frozenset("会议 仪式 活动 工作 时 上 中 和 及 与 等 的 在 为 是 由 对 向 将".split())
_ORGISH_TAGS = frozenset({"ORG", "LOC", "nz", "nt"})


def _is_post(text: str, lex: Lexicon) -> bool:
    return bool(lex.post_re.search(text) or lex.person_post_re.search(text))


def _orgish(tok: Span, lex: Lexicon) -> bool:
    if tok.text in _STOP:
        return False
    if tok.label in _ORGISH_TAGS or tok.text in _TITLE_PARTS:
        return True
    if tok.label in ("n", "vn", "j", "a", "m") and len(tok.text) <= 6:
        return lex.suffix_type(tok.text) is not None or _is_post(tok.text, lex) or (
            tok.text in _TITLE_PARTS
        )
    return False


_WALK_TAGS = frozenset({"n", "vn", "v", "nz", "a", "j", "m", "ORG", "LOC", "nt", "an", "f"})
_MAX_GROUP = 7


def _anchor(tok: Span, lex: Lexicon) -> bool:
    """Can a printed title start with this token (an organisation or office)?"""
    return (
        tok.label in _ORGISH_TAGS
        or tok.label == "PER"
        or tok.text in _TITLE_PARTS
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
        if (t.label not in _WALK_TAGS and not glued_name) or t.text in _STOP:
            break
        cands.insert(0, k)
        k -= 1
    first = post_start
    for idx in cands:
        if _anchor(tokens[idx], lex):
            first = idx
            break
    return list(tokens[first : j + 1]), first - 1


def _title_before(
    tokens: Sequence[Span], k: int, lex: Lexicon
) -> tuple[list[Span], bool]:
    """Titles printed right before token index ``k`` (exclusive)."""
    titles: list[Span] = []
    for n in (1, 2, 3):
        if k - n >= 0 and MARKER.match("".join(t.text for t in tokens[k - n : k])):
            return [], True
    j = k - 1
    while j >= 0:
        group, j = _group_before(tokens, j, lex)
        if not group:
            break
        text = "".join(t.text for t in group)
        titles.insert(0, Span(group[0].start, group[-1].end, "TITLE", text))
        if j >= 0 and tokens[j].text == "、":
            j -= 1
            continue
        break
    return titles, False


def _title_after(tokens: Sequence[Span], k: int, lex: Lexicon) -> list[Span]:
    """赵明远书记 / 王某副市长: a bare post right after the name."""
    if k >= len(tokens):
        return []
    tok = tokens[k]
    if tok.label in ("n", "nz") and lex.post_re.fullmatch(tok.text):
        return [Span(tok.start, tok.end, "TITLE", tok.text)]
    return []


def attach_titles(
    text: str, found: list[Found], tokens: Sequence[Span], lex: Lexicon
) -> None:
    """Fill ``titles``/``type`` of person mentions in place."""
    start_idx = {t.start: i for i, t in enumerate(tokens)}
    end_idx = {t.end: i for i, t in enumerate(tokens)}
    people = [f for f in found if f.type == "person"]
    prev: Found | None = None
    for f in people:
        k = start_idx.get(f.start)
        titles: list[Span] = []
        marker = False
        if k is not None:
            titles, marker = _title_before(tokens, k, lex)
        ke = end_idx.get(f.end)
        if not titles and ke is not None:
            titles = _title_after(tokens, ke + 1, lex)
        # Enumeration: 市领导A、B、C / 副市长A、B — the list shares the title.
        if (
            not titles
            and not marker
            and prev is not None
            and text[prev.end : f.start] in ("、", "，", ",", "和", "及")
            and (prev.titles or prev.official_marker)
            and (text[prev.end : f.start] == "、" or prev.official_marker)
        ):
            marker = prev.official_marker
            f.titles = list(prev.titles) if not marker else []
            f.title_spans = []  # inherited: printed once, before the first name
        else:
            f.titles = [t.text for t in titles]
            f.title_spans = [(t.start, t.end) for t in titles]
        f.official_marker = marker
        prev = f
    # A list followed by 等市领导 / 等领导.
    for i, f in enumerate(people):
        tail = text[f.end : f.end + 6]
        if re.match(r"^等(?:[省市县区镇]|有关)?领导", tail):
            j = i
            while j >= 0:
                people[j].official_marker = True
                if j == 0 or text[people[j - 1].end : people[j].start] != "、":
                    break
                j -= 1
    for f in people:
        if f.official_marker or any(lex.is_official_title(t) for t in f.titles):
            f.type = "official"


# What follows a name in news copy: punctuation or a reporting verb.
_AFTER_NAME = re.compile(r"^(?:[，,。、；;：:（(）)”]|出席|参加|主持|陪同|指出|强调|表示|说|介绍|讲话|致辞|一行|等|在|为|带队|调研|宣布|作|到|赴|率|看望|慰问|会见|同志|同志们)")


def names_after_titles(
    text: str, tokens: Sequence[Span], found: Sequence[Found], lex: Lexicon
) -> list[Found]:
    """People the tagger missed right after a title (…主席|连|小敏 -> 连晓明,
    …秘书长|敖考|权 -> 敖学军): a surname plus one or two characters, then a
    reporting verb or punctuation."""
    taken = [(f.start, f.end) for f in found]
    out: list[Found] = []
    for tok in tokens:
        if tok.label == "w" or not (lex.post_re.search(tok.text) or lex.person_post_re.search(tok.text)):
            continue
        if not (lex.post_re.fullmatch(tok.text) or lex.person_post_re.fullmatch(tok.text)):
            continue
        start = tok.end
        for n in (3,):  # two-character words after a title are too often not names
            name = text[start : start + n]
            if len(name) != n or not re.fullmatch(r"[\u4e00-\u9fff]+", name):
                continue
            if name[0] not in lex.surnames and name[:2] not in lex.surnames:
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

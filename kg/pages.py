"""Newspaper page or web copy -> articles.

Two layouts come in.  A *page* pulled out of a print layout: edition banners,
column banners, ads and weather boxes sit between the articles, and
paragraphs are broken wherever the layout put a column edge.  A *web copy*:
line 1 the headline, maybe a byline line, then one paragraph per line.  We
classify each line, re-join broken paragraphs, and cut articles at "headline
lines + byline" or "headline lines + dateline paragraph" (本报讯, 东南网…讯,
新华社…电).  A short headline-like line inside an article that leads into
more text is a subhead and stays in the article as a paragraph.

Credits are never text: bylines (记者 X 通讯员 Y, 文/X 图/Y, 作者:X, ■X),
photo credits (X 摄, （记者 X 摄）) and the dateline with its credit at the
start of the first paragraph (本报讯（记者 X）…) are cut off the paragraphs
and their names go to :attr:`Article.reporters`; the outlet named in a
dateline is dropped with it (outlets in datelines are not entities).
``Article.text`` is built from the cleaned paragraphs, so offsets stay exact.
No rule depends on a byline marker (■ □ ▲ ●…): markers are accepted, not needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.dates import HEAD_CHARS, date_in_path, date_in_text
from kg.model import Article, Document
from kg.refine.lexicon import load_lexicon
from kg.sentences import split_sentences

_CJK = "\u4e00-\u9fff"
# Marks printed before bylines, captions and column labels.
_MARKS = "■□▲△●○◆◇★☆▼▽◎"
# Sentence-final punctuation (possibly followed by closing quotes/brackets).
_FINAL = re.compile(r"[。！？!?…；;][”’」』）)】]*$")

# Who-did-it words of a credit, longest first so 特约记者 wins over 记者.
_ROLE = (
    r"(?:文章作者|见习记者|特约记者|首席记者|实习记者|摄影记者|主任记者|记者|特约通讯员|"
    r"通讯员|实习生|摄影|摄像|责任编辑|编辑|责编|整理|撰稿|作者)"
)
# 文/X, 图/Y, 摄/Z, 图：Y: one-character roles only count with their slash or colon.
_SLASH_ROLE = r"(?:文字|文图|图文|文|图|摄影|摄像|摄)\s*[/／:：]"
# The newsroom in front of a role: 本报记者, 海南日报全媒体记者, 融媒体记者.
_MEDIA = rf"(?:本报|本网|本台|本刊|[{_CJK}·]{{0,12}}?(?:融媒体?|全媒体|日报|晚报|晨报|报社|报|社|网|台|新闻|中心))"
_ROLE_HEAD = re.compile(rf"{_SLASH_ROLE}|(?:{_MEDIA})?{_ROLE}\s*[:：/／]?")
_ROLE_BARE = re.compile(rf"{_ROLE}\s*[:：/／]?")
_MEDIA_TOKEN = re.compile(rf"^[{_CJK}·]{{0,12}}(?:融媒体?|全媒体|日报|晚报|晨报|报社|报|社|网|台|新闻|中心)$")
# X 摄 / X/摄 / 记者 X 报道: the verb after the names.
_POSTFIX = re.compile(r"\s*[/／]?\s*(?:摄影|摄|报道|供图)$")
_CREDIT_SEP = re.compile(r"[\s、,，_;；]+")
_NAME = re.compile(rf"[{_CJK}]{{2,4}}|[{_CJK}]{{1,10}}·[{_CJK}]{{1,10}}")
# Words that fill a name's slot in credit-like lines but are not names.
_NOT_NAMES = frozenset(
    "报道 摄影 摄像 编辑 整理 通讯 走访 调查 手记 观察 探访 采访 获悉 了解 发现 来到 看到 "
    "直击 现场 一线 供图 图片 视频 资料 资料图 待续 未完 全文完 本报 本网 本台 综合 出品 "
    "监制 策划 统筹 来源 网络 新华社 合影 留念".split()
)
# A dateline: outlet, optional place and date, then 讯/电/消息.
_OUTLET = (
    rf"(?:本报|本网|本台|本刊|[{_CJK}A-Za-z·]{{1,12}}?"
    r"(?:网|报|社|台|媒|新闻|频道|联播|客户端|在线|之声))"
)
_DATELINE = re.compile(
    rf"据?{_OUTLET}[{_CJK}·]{{0,10}}?(?:(?:\d{{4}}年)?\d{{1,2}}月\d{{1,2}}日)?"
    rf"[{_CJK}·]{{0,10}}?(?:讯|电|消息)"
)
# What may follow a dateline that names no date and is not 本报/本网: a space,
# a bracket, a colon or a date — never a word (…电网公司消息称 is a sentence).
_DATELINE_FOLLOW = re.compile(r"[\s（(【\[：:\d—\-]|$")

# Page furniture: edition banners, app promos, jump lines, ad and PSA markers.
_FURNITURE = [
    re.compile(p)
    for p in (
        rf"^[{_CJK}]{{1,6}}版$",  # 青山版
        r"^[A-Z][A-Z ]+$",  # QINGSHAN DAILY, DIYI PINGLUN ...
        r"^[A-Z][A-Z ]+\s",  # "DIYI PINGLUN 栏目统筹:..."
        r"^(?:下转|上接|转|接)\s*[A-Z]?\d*\s*版",
        r"详见.{0,3}版",
        r"^导读$",
        r"^»+",
        r"公益\s*/?\s*广告",
        r"\s宣$",  # 青山市传媒中心 宣
        r"^(?:栏目统筹|责任编辑|编辑|校对|版式|美编)\s*[:：]",
        r"^(?:地址|电话|热线|招生热线|咨询电话|友情提醒)\s*[:：]",
        r"^[\d\s.:/\-·]+$",  # 12.4
        r"^\d+\s*分钟前$",
        rf"^第\d+期[{_CJK}]{{0,2}}$",  # 第134期评论 (column number)
        r"^发现\s*朋友圈$",
    )
]
# Banners that a real headline can look like (青山发布 / …数据发布, 经济创新 |
# 追梦 / 栏目|标题): furniture only when no byline or text follows them.
_WEAK_FURNITURE = [
    re.compile(p)
    for p in (
        rf"^[{_CJK}]{{2,6}}(?:发布|客户端)$",
        r"\|",
    )
]
# A weather box: forecast words and figures only.
_WEATHER_WORDS = re.compile(
    r"今天|明天|后天|今日|明日|今夜|今晚|白天|夜里|夜间|早晨|上午|下午|午后|傍晚|"
    r"部分地区|局部|晴|多云|阴|有|阵雨|雷雨|雷阵雨|小雨|中雨|大雨|暴雨|雨夹雪|雨|雪|雾|霾|"
    r"转|到|或|间|偏?[东南西北]+风|风力|\d+(?:到\d+)?级|最[高低]气温|气温|约|为|"
    r"-?\d+(?:\.\d+)?\s*(?:℃|度)|[~～至\-]|[，,。；;、\s]"
)


@dataclass
class _Line:
    text: str
    kind: str  # F furniture, B byline, H headline-ish, T text
    gap: bool  # a blank line came before it
    opening: bool = False  # the file's own headline (line 1 of a web copy)


@dataclass
class _Draft:
    title_lines: list[str] = field(default_factory=list)
    reporters: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)


def _surname_ok(name: str) -> bool:
    """Names with no role word beside them (（姬某 张某）, a byline glued onto
    a headline) must start with a common surname (kg/data/surnames.txt)."""
    surnames = load_lexicon().surnames
    return "·" in name or name[0] in surnames or name[:2] in surnames


def _name_ok(tok: str, strict: bool) -> bool:
    return bool(_NAME.fullmatch(tok)) and tok not in _NOT_NAMES and (
        not strict or _surname_ok(tok)
    )


def _credit_tokens(text: str) -> list[tuple[str, str]]:
    """(kind, token) pairs: ``role``, ``word``, or ``glued`` (a word printed right
    after a role, 记者马某); roles glued to names are split off.

    A newsroom prefix (本报记者, 海南日报全媒体记者) is only read at a token's
    start, so 记者洪某某瓯海融媒记者 does not eat the first name.
    """
    out: list[tuple[str, str]] = []
    for chunk in _CREDIT_SEP.split(text):
        fresh = True
        after_role = False
        while chunk:
            m = (_ROLE_HEAD if fresh else _ROLE_BARE).match(chunk)
            if m and m.end() > 0:
                out.append(("role", m.group()))
                chunk = chunk[m.end():]
                fresh, after_role = False, True
                continue
            m = _ROLE_BARE.search(chunk)
            cut = m.start() if m else len(chunk)
            out.append(("glued" if after_role else "word", chunk[:cut]))
            chunk = chunk[cut:]
            fresh = after_role = False
    return out


def _credit(text: str, *, strict: bool = False, bare_ok: bool = False) -> list[str] | None:
    """The names when ``text`` is a whole credit, else None.

    A credit needs evidence that it is one: a role word (记者, 通讯员, 文/), a
    verb after the names (X 摄, X 报道), or a marker before one pen name
    (■言某某).  ``bare_ok`` accepts names alone (（姬某 张某）where the
    context says credit); those, and ``strict`` calls, must start with a
    common surname.
    """
    t = text.strip()
    m = re.match(rf"[{_MARKS}]+\s*", t)
    marker = bool(m)
    t = t[m.end():] if m else t
    if len(t) >= 2 and t[0] in "（(" and t[-1] in "）)":
        t = t[1:-1].strip()
    evidence = False
    m = _POSTFIX.search(t)
    if m and m.start() > 0:
        t, evidence = t[: m.start()], True
    if not t or len(t) > 60:
        return None
    words: list[tuple[str, bool]] = []  # (word, glued to its role)
    for kind, tok in _credit_tokens(t):
        if kind == "role":
            evidence = True
        elif words and len(tok) == 1 and len(words[-1][0]) == 1:
            words[-1] = (words[-1][0] + tok, words[-1][1])  # 姜 浩: a name spaced out
        else:
            words.append((tok, kind == "glued"))
    if not words:
        return None
    if not evidence:
        # ■言某某: a marker and one pen name, nothing else.
        if marker and len(words) == 1 and len(words[0][0]) <= 3 and _name_ok(words[0][0], False):
            return [words[0][0]]
        if not bare_ok:
            return None
    names: list[str] = []
    for w, glued in words:
        if evidence and len(w) >= 3 and _MEDIA_TOKEN.match(w):
            continue  # a newsroom (青山社, 瓯海融媒) may sit among the roles
        # Names alone, or glued to a role (记者会召开), must look like names.
        if not _name_ok(w, strict or glued or not evidence):
            return None
        names.append(w)
    if not names or (not evidence and len(names) > 6):
        return None
    return names


def _is_parenthesized(s: str) -> bool:
    return len(s) >= 4 and s[0] in "（(" and s[-1] in "）)" and not re.search(r"[（()）]", s[1:-1])


def is_byline(line: str) -> bool:
    """A line that is only a credit: 记者 X 通讯员 Y, 文/X 图/Y, 记者 X 摄/报道, ■X, （X Y）."""
    s = line.strip()
    if _is_parenthesized(s):
        return _credit(s, strict=True, bare_ok=True) is not None
    return _credit(s) is not None


def byline_names(line: str) -> list[str]:
    s = line.strip()
    if _is_parenthesized(s):
        return _credit(s, strict=True, bare_ok=True) or []
    return _credit(s) or []


def _dateline_end(s: str, pos: int = 0) -> int:
    """End of a dateline (本报讯, 东南网12月7日讯, 新华社北京3月5日电) at ``pos``, else -1."""
    m = _DATELINE.match(s, pos)
    if not m or "记者" in m.group():
        return -1
    g = m.group()
    if re.match(r"据?本[报网台刊]", g) or re.search(r"\d月\d{1,2}日", g):
        return m.end()
    return m.end() if _DATELINE_FOLLOW.match(s, m.end()) else -1


def starts_with_dateline(s: str) -> bool:
    return _dateline_end(s.lstrip(_MARKS + " ")) >= 0


def _bare_credit(s: str, pos: int, after_dateline: bool) -> tuple[int, list[str]]:
    """An unbracketed credit at ``pos``: 记者马某报道： / 记者 张某 通讯员 李某 ."""
    if not _ROLE_HEAD.match(s, pos):
        return pos, []
    # Closed by 报道 or a colon: everything up to it is the credit.
    m = re.compile(r"[^，。,；;！？!?（(]{2,40}?(?:报道\s*[:：]?|[:：])").match(s, pos)
    if m:
        names = _credit(m.group().rstrip(":： "))
        if names:
            return m.end(), names
    if not after_dateline:
        return pos, []
    # Role, name, role, name … spaced out; stop at the first word that is
    # neither (记者 张某 昨天上午… keeps 昨天上午).
    names: list[str] = []
    end, want_name = pos, False
    for tok in re.finditer(r"\S+", s[pos : pos + 60]):
        word = tok.group()
        m = _ROLE_HEAD.match(word)
        if m:
            word, want_name = word[m.end():], True
        if word:
            got = [w for w in word.split("、") if w]
            if not want_name or not got or not all(_name_ok(w, m is not None) for w in got):
                break
            names += got
            want_name = False
        end = pos + tok.end()
    return (end, names) if names else (pos, [])


def cut_lead(par: str, *, first: bool = True) -> tuple[str, list[str]]:
    """Cut the dateline and its credit off the start of an article's paragraph.

    ``本报讯（记者 X 通讯员 Y）昨天…`` -> ``("昨天…", ["X", "Y"])``.  Handles a
    credit printed before the dateline (□记者X晚报讯…), after it in brackets
    or bare (咸宁网讯 记者X报道：…), and a bracketed credit alone at the start.
    On the first paragraph a bracketed credit within the first words is also
    cut with whatever outlet text precedes it (红网综合 据某某日报报道（记者 X）).
    Text that starts with none of these comes back unchanged.
    """
    s = par
    names: list[str] = []
    pos = len(s) - len(s.lstrip(_MARKS + " "))
    # □记者X晚报讯…: the credit glued in front of the dateline.
    m = _ROLE_HEAD.match(s, pos)
    if m:
        for n in (3, 2):
            end = _dateline_end(s, m.end() + n)
            if end >= 0 and _name_ok(s[m.end() : m.end() + n], False):
                names.append(s[m.end() : m.end() + n])
                pos = end
                break
    dated = bool(names)
    if not dated:
        end = _dateline_end(s, pos)
        if end >= 0:
            pos, dated = end, True
    while pos < len(s) and s[pos] in " \u3000":
        pos += 1
    if pos < len(s) and s[pos] in "（(":
        close = re.compile(r"[）)]").search(s, pos)
        if close and close.end() - pos <= 60:
            got = _credit(s[pos : close.end()], bare_ok=dated, strict=not dated)
            if got is not None and (dated or _has_role(s[pos : close.end()])):
                names += got
                pos = close.end()
    elif pos < len(s):
        pos, got = _bare_credit(s, pos, dated)
        names += got
    if not names and not dated and first:
        # An outlet line of any form, then the bracketed credit: 红网综合 据…报道（记者 X）.
        m = re.compile(r"[^，。,；;！？!?（(]{1,25}([（(][^（）()]{2,50}[）)])").match(s)
        if m and _has_role(m.group(1)):
            got = _credit(m.group(1))
            if got:
                names, pos, dated = got, m.end(), True
    if not names and not dated:
        return par, []
    rest = s[pos:].lstrip(" \u3000:：,，")
    return rest, names


def _has_role(s: str) -> bool:
    return any(k == "role" for k, _ in _credit_tokens(s.strip("（()）")))


_CREDIT_PAREN = re.compile(r"[（(]([^（）()]{2,40})[）)]")
_SOURCE_CREDIT = re.compile(
    r"[（(](?:来源[:：][^（）()，。,；;！？!?]{2,30}|[^（）()，。,；;！？!?]{2,30}(?:报道|供稿|供图))[）)]$"
)


def strip_credits(par: str) -> tuple[str, list[str]]:
    """Cut photo and byline credits out of a paragraph: （记者 X 摄）, X/摄, …。（记者 X）.

    Bracketed credits go wherever they are when they carry a role or 摄/报道;
    bracketed bare names only at the very end of the paragraph.  An unbracketed
    credit only at the end, after a space or sentence end (开工现场 郭某摄).
    """
    names: list[str] = []
    out: list[str] = []
    last = 0
    for m in _CREDIT_PAREN.finditer(par):
        inner = m.group(1)
        at_end = not par[m.end():].strip()
        got = _credit(inner)
        if got is None and at_end and m.start() > 0 and _FINAL.search(par[: m.start()].rstrip()):
            got = _credit(inner, strict=True, bare_ok=True)
        if got:
            names += got
            out.append(par[last : m.start()])
            last = m.end()
    text = ("".join(out) + par[last:]).rstrip()
    # （青山网、云湖镇供稿） / (来源：青山日报): a source credit, no names.
    m = _SOURCE_CREDIT.search(text)
    if m and m.start() > 0 and _FINAL.search(text[: m.start()]):
        text = text[: m.start()].rstrip()
    # An unbracketed credit at the end: after a space, a mark or a sentence end.
    for k in range(max(1, len(text) - 30), len(text) - 1):
        if text[k - 1] in " \u3000" + _MARKS or _FINAL.search(text[:k]):
            got = _credit(text[k:], strict=True)
            if got and not _FINAL.search(text[k:]):
                names += got
                text = text[:k].rstrip()
                break
    return text, names


def _is_weather_box(s: str) -> bool:
    """A forecast box line: short, forecast words and figures only.

    A news paragraph about heat (…最高气温达39℃，全市启动…) has other words
    and is kept.
    """
    if len(s) > 100 or "℃" not in s and "气温" not in s:
        return False
    rest = _WEATHER_WORDS.sub("", s)
    return len(rest) <= max(2, len(s) // 10)


def is_furniture(line: str) -> bool:
    s = line.strip()
    return any(p.search(s) for p in _FURNITURE) or _is_weather_box(s)


def _ends_sentence(s: str) -> bool:
    return bool(_FINAL.search(s.rstrip()))


def _classify(line: str, furniture: frozenset[str] = frozenset()) -> str:
    s = line.strip()
    if s in furniture or is_furniture(s):
        return "F"
    if is_byline(s):
        return "B"
    if starts_with_dateline(s):
        return "T"
    if any(p.search(s) for p in _WEAK_FURNITURE):
        return "W"
    return _plain_kind(s)


def _plain_kind(s: str) -> str:
    # Headlines are short, unpunctuated (commas mean running text).
    if len(s) <= 40 and not _ends_sentence(s) and not re.search(r"[，,。；;：:]", s):
        return "H"
    return "T"


def _split_glued_byline(s: str) -> list[str]:
    """A byline printed on the headline's line: ``某某会议召开 本报记者 张三``.

    The tail must be a whole credit with a role word or a mark, starting after
    a space or the mark; its names must look like names (surname first); the
    line as a whole must not already be a byline.
    """
    if is_byline(s):
        return [s]
    for k in range(1, len(s)):
        if s[k] in _MARKS or (s[k - 1] in " \u3000" and s[k] not in " \u3000"):
            tail = s[k:]
            # A role or a mark: a bare "X摄" there is a caption's credit.
            credited = s[k] in _MARKS or _has_role(tail)
            if len(tail) <= 40 and credited and _credit(tail, strict=True) is not None:
                head = s[:k].strip()
                if head:
                    return [head, tail.strip()]
    return [s]


def _raw_lines(text: str) -> list[tuple[str, bool]]:
    """Non-empty lines and whether a blank line came before each."""
    out: list[tuple[str, bool]] = []
    gap = True
    for raw in text.split("\n"):
        s = raw.strip().replace("\u3000", " ")
        if not s:
            gap = True
            continue
        for k, part in enumerate(_split_glued_byline(s)):
            out.append((part, gap and k == 0))
        gap = False
    return out


def repeated_lines(texts: list[str], *, min_docs: int = 2, max_len: int = 30) -> frozenset[str]:
    """Short lines printed on several pages: banners, ads, slogans (furniture).

    Bylines are exempt: the same reporter signs many pages.
    """
    seen: dict[str, set[int]] = {}
    for i, text in enumerate(texts):
        for s, _gap in _raw_lines(text):
            if len(s) <= max_len and not is_byline(s) and not starts_with_dateline(s):
                seen.setdefault(s, set()).add(i)
    return frozenset(s for s, docs in seen.items() if len(docs) >= min_docs)


def _lines(text: str, furniture: frozenset[str] = frozenset()) -> list[_Line]:
    lines = [_Line(s, _classify(s, furniture), gap) for s, gap in _raw_lines(text)]
    for i, ln in enumerate(lines):
        if ln.kind == "W":
            # A banner is furniture; a headline leads into a byline or text.
            nxt = lines[i + 1].kind if i + 1 < len(lines) else "F"
            ln.kind = _plain_kind(ln.text) if nxt in ("B", "T") else "F"
    _mark_opening(lines)
    return lines


def _title_like(s: str) -> bool:
    return (
        len(s) <= 60
        and not _ends_sentence(s)
        and not re.search(r"[。；;]|[，,、：:]$", s)
        and not starts_with_dateline(s)
        and not re.fullmatch(r"[\d\s.%％]+", s)
        and not strip_credits(s)[1]  # a photo caption (▲开工现场 X摄)
    )


def _mark_opening(lines: list[_Line]) -> None:
    """A file's first lines are its headline when they read like one.

    Web copies print the headline on line 1, commas and colons included
    (某镇：项目开工，总投资3亿元), then maybe a subtitle, a byline and the body.
    Up to three short unpunctuated lines at the top, followed by more than
    furniture, are the title; they never join the body.  A photo caption
    (…X摄) is not a title line.
    """
    i = 0
    while i < len(lines) and lines[i].kind == "F":
        i += 1
    j = i
    while j < len(lines) and j - i < 3 and lines[j].kind in ("H", "T") and _title_like(lines[j].text):
        j += 1
    if j == i or j >= len(lines) or lines[j].kind == "F":
        return
    for k in range(i, j):
        lines[k].kind = "H"
        lines[k].opening = True


def _rejoin(lines: list[_Line]) -> list[_Line]:
    """Join a text line that stops mid-sentence with the text that follows.

    A short line right after an unfinished text line is usually its tail
    (上月签 / 约 -> 上月签约), unless it opens the next article's headline.
    """
    out: list[_Line] = []
    for i, ln in enumerate(lines):
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == "T"
            and not _ends_sentence(prev.text)
            and (ln.kind == "T" or (ln.kind == "H" and not _is_title_run_start(lines, i)))
            and not ln.opening
            and not starts_with_dateline(ln.text)
            # A marked line (▲ caption, □ column label) never continues a
            # paragraph; a line ending in a credit (…摄) is finished.
            and ln.text[:1] not in _MARKS
            and not strip_credits(prev.text)[1]
        ):
            prev.text += ln.text
            continue
        out.append(_Line(ln.text, ln.kind, ln.gap, ln.opening))
    return out


def _is_pen_name(s: str) -> bool:
    return bool(re.fullmatch(rf"[{_MARKS}]?\s*[{_CJK}]{{2,3}}", s))


def _is_photo_credit(ln: _Line | None) -> bool:
    return ln is not None and ln.kind == "B" and "摄" in ln.text


def _is_title_run_start(lines: list[_Line], i: int, page: bool = True) -> bool:
    """Do headline lines at ``i`` start an article?

    Only when they lead (past more headlines) into a byline or a dateline
    paragraph.  On a page of several articles also: a headline, one caption
    paragraph and a photo credit (photo news), and a headline over a bare
    pen name (commentary).  Anything else is a subhead inside the article.
    """
    j = i
    while j < len(lines) and lines[j].kind == "H":
        j += 1
    if j >= len(lines) or j == i:
        return False
    nxt = lines[j]
    if nxt.kind == "B":
        return True
    if nxt.kind != "T":
        return False
    if starts_with_dateline(nxt.text):
        return True
    if not page:
        return False
    after = lines[j + 1] if j + 1 < len(lines) else None
    if _is_photo_credit(after) and len(nxt.text) <= 300:
        return True
    return j - i >= 2 and _is_pen_name(lines[j - 1].text)


def _is_page(lines: list[_Line]) -> bool:
    """Several articles, each under its own byline or dateline: a page."""
    starts = 0
    for i, ln in enumerate(lines):
        if ln.kind == "H" and (i == 0 or lines[i - 1].kind != "H") and _is_title_run_start(
            lines, i, page=False
        ):
            starts += 1
    return starts >= 2


def _clean(draft: _Draft, *, first: bool = True) -> tuple[str, list[str], list[str]]:
    """Cut credits and the dateline out of a draft's paragraphs (names -> reporters).

    ``first``: the draft's first paragraph opens the article (dateline place).
    """
    reporters = list(draft.reporters)
    paragraphs: list[str] = []
    for k, par in enumerate(draft.paragraphs):
        opens = k == 0 and first
        if opens or starts_with_dateline(par) or par[:1] in "（(":
            par, names = cut_lead(par, first=opens)
            reporters += names
        par, names = strip_credits(par)
        reporters += names
        par = par.lstrip(_MARKS + " ").strip()
        if par:
            paragraphs.append(par)
    title = " ".join(t.lstrip(_MARKS + " ") for t in draft.title_lines).strip()
    return title, list(dict.fromkeys(reporters)), paragraphs


def split_page(
    text: str, *, furniture: frozenset[str] = frozenset()
) -> list[tuple[str, list[str], list[str]]]:
    """Return ``(title, reporters, paragraphs)`` for each article on a page.

    ``furniture`` holds extra lines to drop (see :func:`repeated_lines`).
    """
    lines = _rejoin(_lines(text, furniture))
    page = _is_page(lines)
    drafts: list[_Draft] = []
    cur: _Draft | None = None
    i = 0
    while i < len(lines):
        ln = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if ln.kind == "F":
            # Furniture ends the article: ads and boxes follow it.
            cur = None
            i += 1
            continue
        if ln.kind == "H" and (ln.opening or _is_title_run_start(lines, i, page)):
            cur = _Draft()
            drafts.append(cur)
            # A file's opening title is its marked lines only (a caption may follow).
            opening = ln.opening
            while i < len(lines) and lines[i].kind == "H" and lines[i].opening == opening:
                cur.title_lines.append(lines[i].text)
                i += 1
            # A commentary's pen name printed bare under the headline (言某某).
            last = cur.title_lines[-1]
            if (
                len(cur.title_lines) > 1
                and _is_pen_name(last)
                and i < len(lines)
                and lines[i].kind == "T"
                and not starts_with_dateline(lines[i].text)
            ):
                cur.reporters.append(cur.title_lines.pop().lstrip(_MARKS + " "))
            continue
        if ln.kind == "B":
            if cur is None:
                cur = _Draft()
                drafts.append(cur)
            cur.reporters.extend(n for n in byline_names(ln.text) if n not in cur.reporters)
        elif ln.kind == "T":
            # On a page, a short caption right above a photo credit is its own item.
            if page and _is_photo_credit(nxt) and len(ln.text) <= 150 and (
                cur is None or cur.paragraphs
            ):
                cur = _Draft()
                drafts.append(cur)
            elif cur is None and not drafts:
                # Text before any headline: a plain article file, or a page
                # that opens mid-article.  Kept, not lost.
                cur = _Draft()
                if i > 0 and lines[i - 1].kind == "H":
                    cur.title_lines.append(lines[i - 1].text)
                drafts.append(cur)
            if cur is not None:
                cur.paragraphs.append(ln.text)
        else:
            j = i
            while j < len(lines) and lines[j].kind == "H":
                j += 1
            if cur is not None and j < len(lines) and lines[j].kind == "T":
                # A subhead (一、抓好项目建设): the article goes on under it.
                cur.paragraphs.extend(lines[k].text for k in range(i, j))
                i = j
                continue
            # A stray headline-ish line (ad, banner, box) ends the article:
            # what follows it up to the next headline is not body text.
            cur = None
        i += 1
    found = [_clean(d) for d in drafts]
    found = [f for f in found if f[2]]
    if not found:
        # No page structure at all (a bare headline and short paragraphs):
        # the whole text is one article, its first short line the title.
        body = [ln for ln in lines if ln.kind != "F"]
        if body:
            title = body[0].text if body[0].kind == "H" and len(body) > 1 else ""
            paras = [ln.text for ln in body[1 if title else 0 :] if ln.kind != "B"]
            names = [n for ln in body if ln.kind == "B" for n in byline_names(ln.text)]
            d = _Draft([title] if title else [], names, paras)
            found = [f for f in [_clean(d)] if f[2]]
    return found


def _one_article(title: str, text: str) -> list[tuple[str, list[str], list[str]]]:
    """A record that is one article (jsonl with a title): credits out, rest kept."""
    reporters: list[str] = []
    paras: list[str] = []
    for ln in (ln.strip() for ln in text.split("\n")):
        if ln and is_byline(ln):
            reporters += byline_names(ln)
        elif ln:
            _t, names, cleaned = _clean(_Draft([], [], [ln]), first=not paras)
            reporters += names
            paras += cleaned
    return [(title, list(dict.fromkeys(reporters)), paras)] if paras else []


def articles_from_document(
    doc: Document, *, furniture: frozenset[str] = frozenset()
) -> list[Article]:
    """Split one document into articles with stable ids and sentence offsets.

    Ids are the document's name, ``:record`` for a jsonl line, and ``#index``:
    ``A/0101/page1.txt#0``, ``feed.jsonl:12#0``.  Names are unique in a run
    (:mod:`kg.read`), so ids are too."""
    stem = doc.name or Path(doc.file).name
    if doc.record:
        stem = f"{stem}:{doc.record}"
    articles: list[Article] = []
    page_date = doc.date or date_in_path(doc.file) or date_in_text(doc.text, limit=HEAD_CHARS)
    if doc.title is not None:
        pages = _one_article(doc.title, doc.text)
    else:
        pages = split_page(doc.text, furniture=furniture)
    for idx, (title, reporters, paragraphs) in enumerate(pages):
        art_id = f"{stem}#{idx}"
        # The headline is paragraph 0: names in headlines count as mentions.
        if title:
            paragraphs = [title, *paragraphs]
        body = "\n".join(paragraphs)
        spans: list[tuple[int, int]] = []
        pos = 0
        for p in paragraphs:
            spans.append((pos, pos + len(p)))
            pos += len(p) + 1
        art = Article(
            id=art_id,
            file=doc.file,
            title=title or (paragraphs[0][:30] if paragraphs else ""),
            text=body,
            reporters=reporters,
            paragraphs=spans,
            date=page_date or date_in_text(body),
        )
        art.sentences = split_sentences(art_id, body, spans)
        articles.append(art)
    return articles

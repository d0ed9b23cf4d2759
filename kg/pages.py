"""Newspaper page -> articles.

The text is a page pulled out of a layout: edition banners, column banners,
ads and weather boxes sit between the articles, and paragraphs are broken
wherever the layout put a column edge.  We classify each line, re-join broken
paragraphs, and cut articles at "headline lines + byline" or "headline lines +
本报讯 body".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.model import Article, Document
from kg.sentences import split_sentences

# Sentence-final punctuation (possibly followed by closing quotes/brackets).
_FINAL = re.compile(r"[。！？!?…；;][”’」』）)】]*$")
_BYLINE_ROLE = r"(?:见习记者|特约记者|首席记者|记者|通讯员|摄影|实习生|责任编辑|整理)"
_NAME = r"[\u4e00-\u9fff·]{2,4}"
# ■记者 X 通讯员 Y Z / 记者 X / ■摄影 X / ■言平之 (pen name after ■)
_BYLINE = re.compile(
    rf"^(?:■\s*)?(?:{_BYLINE_ROLE}\s*[:：]?\s*(?:{_NAME}\s*)+)+$"
)
_PEN_NAME = re.compile(rf"^■\s*{_NAME}$")
_ROLE_SPLIT = re.compile(rf"■|{_BYLINE_ROLE}\s*[:：]?|\s+")

# Page furniture: edition banners, app promos, jump lines, ad and PSA markers.
_FURNITURE = [
    re.compile(p)
    for p in (
        r"^[\u4e00-\u9fff]{1,6}版$",  # 青山版
        r"^[A-Z][A-Z ]+$",  # JIAXING DAILY, DIYI PINGLUN ...
        r"^[A-Z][A-Z ]+\s",  # "DIYI PINGLUN 栏目统筹:..."
        r"发布$",  # 青山发布
        r"客户端$",
        r"^(?:下转|上接|转|接)\s*[A-Z]?\d*\s*版",
        r"详见.{0,3}版",
        r"^导读$",
        r"^»+",
        r"公益\s*/?\s*广告",
        r"\s宣$",  # 青山市传媒中心 宣
        r"^(?:栏目统筹|责任编辑|编辑|校对|版式|美编)\s*[:：]",
        r"^(?:地址|电话|热线|招生热线|咨询电话|友情提醒)\s*[:：]",
        r"\|",  # 经济创新 | 追梦一体化
        r"^[\d\s.:/\-·]+$",  # 12.4
        r"^\d+\s*分钟前$",
        r"^第\d+期[\u4e00-\u9fff]{0,2}$",  # 第134期评论 (column number)
        r"^(?:今天|明天|今日|今夜|预计).{0,80}(?:最[高低]气温|气温).{0,20}℃",  # weather box
        r"^发现\s*朋友圈$",
    )
]


@dataclass
class _Line:
    text: str
    kind: str  # F furniture, B byline, H headline-ish, T text
    gap: bool  # a blank line came before it


@dataclass
class _Draft:
    title_lines: list[str] = field(default_factory=list)
    reporters: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)


def is_byline(line: str) -> bool:
    s = line.strip()
    return bool(_BYLINE.match(s) or _PEN_NAME.match(s))


def byline_names(line: str) -> list[str]:
    parts = [p for p in _ROLE_SPLIT.split(line.strip()) if p]
    return [p for p in parts if re.fullmatch(_NAME, p)]


def is_furniture(line: str) -> bool:
    s = line.strip()
    return any(p.search(s) for p in _FURNITURE)


def _ends_sentence(s: str) -> bool:
    return bool(_FINAL.search(s.rstrip()))


def _classify(line: str, furniture: frozenset[str] = frozenset()) -> str:
    s = line.strip()
    if s in furniture or is_furniture(s):
        return "F"
    if is_byline(s):
        return "B"
    if s.startswith("本报讯"):
        return "T"
    # Headlines are short, unpunctuated (commas mean running text).
    if len(s) <= 40 and not _ends_sentence(s) and not re.search(r"[，,。；;：:]", s):
        return "H"
    return "T"


def _raw_lines(text: str) -> list[tuple[str, bool]]:
    """Non-empty lines and whether a blank line came before each.

    A byline glued to the end of a headline (…愁与盼■记者 X) is cut off.
    """
    out: list[tuple[str, bool]] = []
    gap = True
    for raw in text.split("\n"):
        s = raw.strip().replace("\u3000", " ")
        if not s:
            gap = True
            continue
        for k, part in enumerate(re.split(r"(?<=\S)\s*(?=■)", s)):
            out.append((part.strip(), gap and k == 0))
        gap = False
    return out


def repeated_lines(texts: list[str], *, min_docs: int = 2, max_len: int = 30) -> frozenset[str]:
    """Short lines printed on several pages: banners, ads, slogans (furniture).

    Bylines are exempt: the same reporter signs many pages.
    """
    seen: dict[str, set[int]] = {}
    for i, text in enumerate(texts):
        for s, _gap in _raw_lines(text):
            if len(s) <= max_len and not is_byline(s) and not s.startswith("本报讯"):
                seen.setdefault(s, set()).add(i)
    return frozenset(s for s, docs in seen.items() if len(docs) >= min_docs)


def _lines(text: str, furniture: frozenset[str] = frozenset()) -> list[_Line]:
    return [_Line(s, _classify(s, furniture), gap) for s, gap in _raw_lines(text)]


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
            and not ln.text.startswith("本报讯")
        ):
            prev.text += ln.text
            continue
        out.append(_Line(ln.text, ln.kind, ln.gap))
    return out


def _is_title_run_start(lines: list[_Line], i: int) -> bool:
    """Do headline lines at ``i`` lead (past more headlines) into a byline/本报讯?"""
    j = i
    while j < len(lines) and lines[j].kind == "H":
        j += 1
    if j >= len(lines) or j == i:
        return False
    nxt = lines[j]
    if nxt.kind == "B":
        return True
    # Photo news and commentary: headline then a long body paragraph.
    return nxt.kind == "T" and (nxt.text.startswith("本报讯") or len(nxt.text) >= 60)


def _is_photo_credit(ln: _Line | None) -> bool:
    return ln is not None and ln.kind == "B" and "摄影" in ln.text


def split_page(
    text: str, *, furniture: frozenset[str] = frozenset()
) -> list[tuple[str, list[str], list[str]]]:
    """Return ``(title, reporters, paragraphs)`` for each article on a page.

    ``furniture`` holds extra lines to drop (see :func:`repeated_lines`).
    """
    lines = _rejoin(_lines(text, furniture))
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
        if ln.kind == "H" and _is_title_run_start(lines, i):
            cur = _Draft()
            drafts.append(cur)
            while lines[i].kind == "H":
                cur.title_lines.append(lines[i].text)
                i += 1
            # A commentary's pen name printed bare under the headline (言平之).
            last = cur.title_lines[-1]
            if (
                len(cur.title_lines) > 1
                and re.fullmatch(r"[\u4e00-\u9fff]{2,3}", last)
                and lines[i].kind == "T"
                and not lines[i].text.startswith("本报讯")
            ):
                cur.reporters.append(cur.title_lines.pop())
            continue
        if ln.kind == "B":
            if cur is None:
                cur = _Draft()
                drafts.append(cur)
            cur.reporters.extend(n for n in byline_names(ln.text) if n not in cur.reporters)
        elif ln.kind == "T":
            # A short caption right above a photo credit is its own item.
            if _is_photo_credit(nxt) and len(ln.text) <= 150 and (
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
            # A stray headline-ish line (ad, banner, box) ends the article:
            # what follows it up to the next headline is not body text.
            cur = None
        i += 1
    found = [
        (" ".join(d.title_lines), d.reporters, d.paragraphs)
        for d in drafts
        if d.paragraphs
    ]
    if not found:
        # No page structure at all (a bare headline and short paragraphs):
        # the whole text is one article, its first short line the title.
        body = [ln for ln in lines if ln.kind != "F"]
        if body:
            title = body[0].text if body[0].kind == "H" and len(body) > 1 else ""
            paras = [ln.text for ln in body[1 if title else 0 :] if ln.kind != "B"]
            names = [n for ln in body if ln.kind == "B" for n in byline_names(ln.text)]
            found = [(title, names, paras)] if paras else []
    return found


def articles_from_document(
    doc: Document, *, furniture: frozenset[str] = frozenset()
) -> list[Article]:
    """Split one document into articles with stable ids and sentence offsets."""
    stem = Path(doc.file).stem
    if doc.record:
        stem = f"{stem}:{doc.record}"
    articles: list[Article] = []
    if doc.title is not None:
        paras = [ln.strip() for ln in doc.text.split("\n") if ln.strip()]
        pages = [(doc.title, [], paras)] if paras else []
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
        )
        art.sentences = split_sentences(art_id, body, spans)
        articles.append(art)
    return articles

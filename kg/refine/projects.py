"""Named projects (…项目/工程/信息港), never generic phrases (新项目)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.model import Span
from kg.refine.lexicon import Lexicon
from kg.refine.types import Found

SUFFIX = re.compile(r"(?:项目|工程|信息港)$")
_NAMED = frozenset({"LOC", "ORG", "PER", "nz", "nw"})
_BODY_TAGS = frozenset({"n", "nz", "vn", "v", "LOC", "ORG", "PER", "m", "a", "an", "nw", "j", "f"})
# Words that only classify a project; a name made of them is generic.
GENERIC = frozenset(
    """新 该 此 这个 这些 本 重点 重大 民生 数字经济 产业 工业 基建 基础设施 招商 建设 在建 签约
    投资 亿元 百亿 十亿 千亿 首个 一批 多个 优质 科技 人才 民心 实事 惠民 示范 试点 交通 水利
    农业 文化 教育 医疗 环保 绿化 改造 提升 配套 续建 新建 开工 竣工""".split()
)
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,30}?(?:项目|工程|信息港))[”\"」』]")
_MAX_LEN = 30


def _is_generic(name: str) -> bool:
    core = SUFFIX.sub("", name)
    core = re.sub(r"^[\d一二三四五六七八九十百千万亿]+(?:期|个|项|大)?", "", core)
    if len(core) < 2:
        return True
    rest = core
    # Strip generic words greedily from both ends; nothing left = generic.
    changed = True
    while changed and rest:
        changed = False
        for g in sorted(GENERIC, key=len, reverse=True):
            if rest.startswith(g):
                rest = rest[len(g) :]
                changed = True
            elif rest.endswith(g):
                rest = rest[: -len(g)]
                changed = True
    return len(rest) < 2


def find_projects(text: str, tokens: Sequence[Span], lex: Lexicon) -> list[Found]:
    out: list[Found] = []
    for m in _QUOTED.finditer(text):
        name = m.group(1)
        if not _is_generic(name):
            out.append(Found(m.start(1), m.end(1), name, "project"))
    for i, tok in enumerate(tokens):
        if not SUFFIX.search(tok.text) or tok.label not in ("n", "nz", "vn", "ORG"):
            continue
        j = i - 1
        while j >= 0 and (
            tokens[j].label in _BODY_TAGS or (tokens[j].text == "·" and j > 0)
        ):
            j -= 1
        run = list(tokens[j + 1 : i + 1])
        # The name starts at its first proper noun (推进|城北路…工程).
        while run and run[0].label not in _NAMED:
            run.pop(0)
        if len(run) < 2:
            continue
        start, end = run[0].start, run[-1].end
        name = text[start:end]
        if end - start > _MAX_LEN or _is_generic(name):
            continue
        # A person name is never the head of a project (张三项目): skip.
        if run[0].label == "PER" and len(run) == 2:
            continue
        out.append(Found(start, end, name, "project"))
    return out

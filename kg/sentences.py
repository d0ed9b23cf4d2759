"""Article text -> sentences with character offsets."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.model import Sentences

# A sentence ends at 。！？!? or ；, plus any closing quotes/brackets after it.
_END = re.compile(r"[。！？!?；;…]+[”’」』）)】]*")
_MAX = 300  # hard cap: long unpunctuated runs are cut at commas


def _cut_long(start: int, end: int, text: str) -> list[tuple[int, int]]:
    if end - start <= _MAX:
        return [(start, end)]
    out: list[tuple[int, int]] = []
    s = start
    while end - s > _MAX:
        window = text[s : s + _MAX]
        k = max(window.rfind("，"), window.rfind(","), window.rfind("、"))
        cut = s + (k + 1 if k > 0 else _MAX)
        out.append((s, cut))
        s = cut
    out.append((s, end))
    return out


def split_sentences(
    article_id: str, text: str, paragraphs: Sequence[tuple[int, int]]
) -> Sentences:
    """The sentences of ``text`` (packed; see :class:`~kg.model.Sentences`),
    never crossing a paragraph, blank ones dropped."""
    spans: list[tuple[int, int, int]] = []
    for p_idx, (p_start, p_end) in enumerate(paragraphs):
        pos = p_start
        for m in _END.finditer(text, p_start, p_end):
            spans.extend((a, b, p_idx) for a, b in _cut_long(pos, m.end(), text))
            pos = m.end()
        if pos < p_end and text[pos:p_end].strip():
            spans.extend((a, b, p_idx) for a, b in _cut_long(pos, p_end, text))
    return Sentences(article_id, text, ((a, b, p) for a, b, p in spans if text[a:b].strip()))

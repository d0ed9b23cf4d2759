"""Raw recogniser spans -> typed mentions (the six user-facing types).

One sentence at a time, pure: the sentence text, the NER spans and the word
tokens (LAC's segmentation with POS tags) go in; :class:`Found` items come out
with offsets into the sentence.  Sub-steps live in their own modules:
:mod:`.titles` (officials and titles), :mod:`.projects` (named projects),
:mod:`.types` (span repair, organisation typing, noise).
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.model import Span
from kg.refine.lexicon import Lexicon, load_lexicon
from kg.refine.projects import find_projects
from kg.refine.titles import attach_titles
from kg.refine.types import Found, merge_spans, resolve_overlaps, type_span

__all__ = ["Found", "refine_sentence"]


def refine_sentence(
    text: str,
    spans: Sequence[Span],
    tokens: Sequence[Span],
    *,
    lexicon: Lexicon | None = None,
) -> list[Found]:
    """Typed mentions in one sentence, sorted by start offset."""
    lex = lexicon or load_lexicon()
    merged = merge_spans(text, spans, tokens, lex)
    found: list[Found] = []
    for sp in merged:
        f = type_span(sp, lex)
        if f is not None:
            found.append(f)
    found.extend(find_projects(text, tokens, lex))
    found = resolve_overlaps(found)
    attach_titles(text, found, tokens, lex)
    return sorted(found, key=lambda f: (f.start, f.end))

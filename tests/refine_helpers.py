"""Small helpers shared by the refine tests (imported by name: tests/ is on sys.path)."""

from __future__ import annotations

from kg.model import Span
from kg.refine import refine_sentence


def toks(spec: str) -> tuple[str, list[Span]]:
    """``"青山/LOC 恒拓/nz"`` -> ("青山恒拓", tokens with offsets)."""
    out, pos = [], 0
    for piece in spec.split():
        word, _, tag = piece.rpartition("/")
        out.append(Span(pos, pos + len(word), tag, word))
        pos += len(word)
    return "".join(t.text for t in out), out


def refine_with(lac, text: str) -> list:  # noqa: ANN001 - a LacRecognizer
    """The rules' mentions in ``text``, with LAC's spans and tokens."""
    spans, tokens = lac.analyze([text])
    return refine_sentence(text, spans[0], tokens[0])


def by_text(found: list) -> dict:
    return {f.text: f for f in found}

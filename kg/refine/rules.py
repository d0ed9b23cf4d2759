"""Named rules and their order (spaCy's pipeline components are the model).

Every correction kg makes after the tagger is a :class:`Rule`: a name, the
stage it runs in, one small function and a line saying what it does.  Each
stage keeps its rules in an explicit tuple (the order they run in):

- ``span``: raw tagger spans -> repaired spans (:data:`kg.refine.types.SPAN_RULES`)
- ``type``: drop a repaired span before it is typed (:data:`kg.refine.types.TYPE_RULES`)
- ``sentence``: typed mentions of one sentence (:data:`kg.refine.SENTENCE_RULES`)
- ``document``: mentions of a whole corpus, before resolution
  (:data:`kg.refine.document.DOCUMENT_RULES`)
- ``resolve``: names and merges (:data:`kg.resolve.NAME_RULES`, :data:`kg.resolve.MERGE_RULES`)

Any rule can be switched off by name (``refine_sentence(..., disabled=...)``,
``kg.build(..., rules_off=...)``); :func:`registry` lists them all, in order.
A caller-owned :class:`collections.Counter` passed as ``trace`` counts how
often each rule changed something (``bench/rule_ablation.py`` prints it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kg.model import Span
from kg.refine.lexicon import Lexicon

STAGES: tuple[str, ...] = ("span", "type", "sentence", "document", "resolve")


@dataclass(frozen=True)
class Rule:
    """One named correction: ``fn``'s signature depends on ``stage``."""

    name: str
    stage: str
    fn: Callable[..., Any]
    doc: str


@dataclass(frozen=True)
class SentenceContext:
    """What every sentence-level rule may read (never write)."""

    text: str
    tokens: Sequence[Span]
    lex: Lexicon
    #: Keep bodies printed inside a title as mentions (public NER sets).
    title_bodies: bool = False


def rule(name: str, stage: str, fn: Callable[..., Any]) -> Rule:
    """A rule whose doc is the first paragraph of ``fn``'s docstring."""
    assert stage in STAGES, stage
    return Rule(name, stage, fn, " ".join((fn.__doc__ or "").strip().split("\n\n")[0].split()))


def active(rules: Iterable[Rule], disabled: Collection[str]) -> tuple[Rule, ...]:
    """The rules of ``rules`` not switched off, in order."""
    return tuple(r for r in rules if r.name not in disabled)


def registry() -> tuple[Rule, ...]:
    """Every rule of every stage, in the order they run."""
    from kg.refine import SENTENCE_RULES
    from kg.refine.document import DOCUMENT_RULES
    from kg.refine.types import SPAN_RULES, TYPE_RULES
    from kg.resolve import MERGE_RULES, NAME_RULES

    return (*SPAN_RULES, *TYPE_RULES, *SENTENCE_RULES, *DOCUMENT_RULES, *NAME_RULES,
            *MERGE_RULES)


def check_names(names: Collection[str]) -> frozenset[str]:
    """``names`` as a frozenset; a name no rule has is an error (a typo
    would otherwise silently switch nothing off)."""
    known = {r.name for r in registry()}
    unknown = sorted(set(names) - known)
    if unknown:
        raise ValueError(f"unknown rule(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return frozenset(names)


def count(trace: Counter | None, name: str, n: int = 1) -> None:
    """Add ``n`` firings of rule ``name`` to a caller's trace, if given."""
    if trace is not None and n:
        trace[name] += n

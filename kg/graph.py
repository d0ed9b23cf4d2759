"""Entities + mentions -> a networkx co-mention graph with evidence."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

import networkx as nx

from kg.model import REPORTER, Article, Entity, Evidence, Mention

WINDOWS = ("sentence", "paragraph", "article")
WEIGHTINGS = ("count", "npmi")
MAX_EVIDENCE = 5
#: Entities an article may name before its article-window links are cut to
#: shared paragraphs (lists, roll calls).
LIST_CAP = 15


def _check_choice(name: str, value: str, choices: Sequence[str]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {value!r}")


def evidence_records(refs: Sequence[Sequence[Any]],
                     articles: Mapping[str, Article]) -> list[Evidence]:
    """An edge's ``evidence`` references, resolved against the articles.

    References whose article is not there (another build) are skipped.
    """
    out: list[Evidence] = []
    for ref in refs:
        aid, si = str(ref[0]), int(ref[1])
        a = articles.get(aid)
        if a is None or not 0 <= si < len(a.sentences):
            continue
        out.append(Evidence(article_id=aid, title=a.title, file=a.file,
                            sentence=a.sentences[si].text, date=a.date, index=si))
    return out


def check_options(*, window: str = "article", min_weight: int = 1, weighting: str = "count",
                  list_cap: int | None = LIST_CAP) -> None:
    """Raise ValueError (one line) for an option :func:`build_graph` refuses."""
    _check_choice("window", window, WINDOWS)
    _check_choice("weighting", weighting, WEIGHTINGS)
    if min_weight < 1:
        raise ValueError(f"min_weight must be >= 1; got {min_weight}")
    if list_cap is not None and list_cap < 2:
        raise ValueError(f"list_cap must be >= 2 or None; got {list_cap}")


class _Pair:
    """What one pair of entities has gathered so far (lean: archives have millions)."""

    __slots__ = ("articles", "sentences", "refs", "apart")

    def __init__(self) -> None:
        self.articles = 0
        self.sentences = 0
        #: Shared sentences, as references.
        self.refs: list[list[Any]] = []
        #: (article, sentence of one, sentence of the other): where each appears
        #: in the first article they share, for pairs that never share a
        #: sentence (a tuple: millions of pairs).
        self.apart: tuple[str, int, int] | None = None


def npmi(together: int, a: int, b: int, total: int) -> float:
    """Normalised PMI of two entities over ``total`` articles, in [-1, 1]:
    1 when they only ever appear together, 0 when independent."""
    if together <= 0 or total <= 0:
        return -1.0
    p_ab = together / total
    if p_ab >= 1.0:
        return 1.0
    pmi = math.log(p_ab / ((a / total) * (b / total)))
    return round(pmi / -math.log(p_ab), 4)


def build_graph(
    articles: Sequence[Article],
    mentions: Sequence[Mention],
    entities: Sequence[Entity],
    *,
    window: str = "article",
    min_weight: int = 1,
    include_reporters: bool = False,
    weighting: str = "count",
    list_cap: int | None = LIST_CAP,
) -> nx.Graph:
    """A node per entity; an edge between entities seen together in a window.

    ``weight`` counts the articles in which they share a window (so
    ``min_weight`` is a number of articles for every window), ``npmi`` is
    their normalised PMI over articles, ``sentences`` counts shared
    sentences, ``evidence`` keeps up to five ``[article_id, sentence index]``
    references, shared sentences first: the text lives once, in the articles
    (:func:`evidence_records` resolves them).  ``weighting`` (``count`` or
    ``npmi``) names the attribute the page ranks and filters by
    (``graph.graph["weighting"]``).

    ``list_cap``: an article naming more entities than this (a roll call, a
    list of firms) links, in the article window, only entities that share a
    paragraph, so one list does not make a clique of everything it names.
    """
    check_options(window=window, min_weight=min_weight, weighting=weighting, list_cap=list_cap)
    art = {a.id: a for a in articles}
    g = nx.Graph(window=window, weighting=weighting)
    for e in entities:
        g.add_node(
            e.name,
            type=e.type,
            aliases=list(e.aliases),
            titles=e.title_texts,
            title_sources=[
                {"text": t.text, "article_id": t.article_id,
                 "article_title": art[t.article_id].title if t.article_id in art else "",
                 "article_date": (art[t.article_id].date or "") if t.article_id in art else ""}
                for t in e.titles
            ],
            mentions=e.mentions,
            articles=e.articles,
        )

    by_article: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.entity is not None and m.entity in g:
            by_article[m.article_id].append(m)
    reporters_of = _reporter_nodes(g, articles) if include_reporters else {}

    pairs: dict[tuple[str, str], _Pair] = {}
    seen_in: Counter[str] = Counter()  # articles per entity, for npmi
    for aid in sorted(set(by_article) | set(reporters_of)):
        a = art[aid]
        windows: dict[Any, set[str]] = defaultdict(set)
        in_sentence: dict[int, set[str]] = defaultdict(set)
        paragraphs: dict[int, set[str]] = defaultdict(set)
        first_sentence: dict[str, int] = {}
        for m in by_article.get(aid, ()):
            sent = a.sentences[m.sentence]
            windows[m.sentence if window == "sentence" else
                    sent.paragraph if window == "paragraph" else 0].add(m.entity)  # type: ignore[arg-type]
            in_sentence[m.sentence].add(m.entity)  # type: ignore[arg-type]
            paragraphs[sent.paragraph].add(m.entity)  # type: ignore[arg-type]
            first_sentence.setdefault(m.entity, m.sentence)  # type: ignore[arg-type]
        everyone = {e for es in in_sentence.values() for e in es}
        if window == "article" and list_cap is not None and len(everyone) > list_cap:
            windows = dict(enumerate(paragraphs.values()))
        for node in reporters_of.get(aid, ()):
            windows[("reporter", node)] = {node} | everyone
            everyone = everyone | {node}
        seen_in.update(everyone)
        here: set[tuple[str, str]] = set()
        for ents in windows.values():
            here.update(combinations(sorted(ents), 2))
        for pair in here:
            st = pairs.get(pair)
            if st is None:
                st = pairs[pair] = _Pair()
            st.articles += 1
            if st.apart is None:
                st.apart = (aid, first_sentence.get(pair[0], -1), first_sentence.get(pair[1], -1))
        for si in sorted(in_sentence):
            for pair in combinations(sorted(in_sentence[si]), 2):
                st = pairs.get(pair)
                if st is None:
                    st = pairs[pair] = _Pair()
                st.sentences += 1
                if len(st.refs) < MAX_EVIDENCE:
                    st.refs.append([aid, si])

    total = len(articles)
    for u, v in sorted(pairs):
        st = pairs.pop((u, v))  # each pair's record goes as its edge comes
        if st.articles < min_weight:
            continue  # also drops pairs that share a sentence outside the window
        # A copy sized to fit: appends left room for more (a million edges).
        refs = list(st.refs) or _apart_refs(st.apart)
        g.add_edge(u, v, weight=st.articles, sentences=st.sentences, evidence=refs,
                   npmi=npmi(st.articles, seen_in[u], seen_in[v], total))
    return g


def _apart_refs(apart: tuple[str, int, int] | None) -> list[list[Any]]:
    if apart is None:
        return []
    aid, a, b = apart
    return [[aid, si] for si in sorted({a, b}) if si >= 0]


def _reporter_nodes(g: nx.Graph, articles: Sequence[Article]) -> dict[str, list[str]]:
    """Bylines as nodes (added to ``g``): article id -> its reporters' nodes.

    A reporter the text also names as a person is that one node, not a
    second one (:func:`kg.resolve.add_reporters` makes the same choice).
    """
    people = [n for n, d in g.nodes(data=True) if d.get("type") in ("official", "person", REPORTER)]
    node_of = {n.removesuffix(" (reporter)"): n for n in people}
    for n in people:
        for alias in g.nodes[n].get("aliases", []):
            node_of.setdefault(alias, n)
    out: dict[str, list[str]] = defaultdict(list)
    bylined: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        for r in a.reporters:
            node = node_of.get(r)
            if node is None:  # nobody of that name; a place or firm keeps it
                node = r if r not in g else f"{r} (reporter)"
                g.add_node(node, type=REPORTER, aliases=[], titles=["记者"],
                           title_sources=[], mentions=0, articles=0)
                node_of[r] = node
            if node not in out[a.id]:
                out[a.id].append(node)
            bylined[node].add(a.id)
    for node, arts in bylined.items():
        if g.nodes[node]["type"] == REPORTER:
            g.nodes[node]["articles"] = len(arts)
        elif "记者" not in g.nodes[node]["titles"]:
            g.nodes[node]["titles"] = [*g.nodes[node]["titles"], "记者"]
    return out

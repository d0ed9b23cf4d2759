"""Entities + mentions -> a networkx co-mention graph with evidence."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations

import networkx as nx

from kg.model import REPORTER, Article, Entity, Mention

WINDOWS = ("sentence", "paragraph", "article")
MAX_EVIDENCE = 5


def _check_choice(name: str, value: str, choices: Sequence[str]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {value!r}")


def _record(article: Article, sentence: int) -> dict[str, str]:
    return {"article_id": article.id, "title": article.title, "date": article.date or "",
            "file": article.file, "sentence": article.sentences[sentence].text}


def build_graph(
    articles: Sequence[Article],
    mentions: Sequence[Mention],
    entities: Sequence[Entity],
    *,
    window: str = "article",
    min_weight: int = 1,
    include_reporters: bool = False,
) -> nx.Graph:
    """A node per entity; an edge between entities seen together in a window.

    ``weight`` counts the articles in which they share a window (so
    ``min_weight`` is a number of articles for every window),
    ``sentences`` counts shared sentences, ``evidence`` keeps up to five
    records (article id, headline, date, file, sentence), shared sentences first.
    """
    _check_choice("window", window, WINDOWS)
    if min_weight < 1:
        raise ValueError(f"min_weight must be >= 1; got {min_weight}")
    art = {a.id: a for a in articles}
    g = nx.Graph()
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

    # Which entities are in which window, and in which sentences.
    in_window: dict[tuple, set[str]] = defaultdict(set)
    in_article: dict[str, set[str]] = defaultdict(set)
    sentences_of: dict[tuple[str, int], set[str]] = defaultdict(set)
    first_sentence: dict[tuple[str, str], int] = {}
    for m in mentions:
        if m.entity is None or m.entity not in g:
            continue
        a = art[m.article_id]
        sent = a.sentences[m.sentence]
        key: tuple = (
            (a.id,) if window == "article"
            else (a.id, sent.paragraph) if window == "paragraph"
            else (a.id, m.sentence)
        )
        in_window[key].add(m.entity)
        in_article[a.id].add(m.entity)
        sentences_of[(a.id, m.sentence)].add(m.entity)
        first_sentence.setdefault((a.id, m.entity), m.sentence)

    if include_reporters:
        # A reporter the text also names as a person is that one node, not a
        # second one (kg.resolve.add_reporters makes the same choice).
        people = [n for n, d in g.nodes(data=True)
                  if d.get("type") in ("official", "person", REPORTER)]
        node_of = {n.removesuffix(" (reporter)"): n for n in people}
        for n in people:
            for alias in g.nodes[n].get("aliases", []):
                node_of.setdefault(alias, n)
        bylined: dict[str, set[str]] = defaultdict(set)
        for a in articles:
            for r in a.reporters:
                node = node_of.get(r)
                if node is None:  # nobody of that name; a place or firm keeps it
                    node = r if r not in g else f"{r} (reporter)"
                    g.add_node(node, type=REPORTER, aliases=[], titles=["记者"],
                               title_sources=[], mentions=0, articles=0)
                    node_of[r] = node
                bylined[node].add(a.id)
                in_window[(a.id, "reporter", node)] = {node} | in_article[a.id]
        for node, arts in bylined.items():
            if g.nodes[node]["type"] == REPORTER:
                g.nodes[node]["articles"] = len(arts)
            elif "记者" not in g.nodes[node]["titles"]:
                g.nodes[node]["titles"] = [*g.nodes[node]["titles"], "记者"]

    weight: dict[tuple[str, str], set[tuple]] = defaultdict(set)
    for key, ents in in_window.items():
        for u, v in combinations(sorted(ents), 2):
            weight[(u, v)].add(key)
    shared: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for (aid, si), ents in sorted(sentences_of.items()):
        for u, v in combinations(sorted(ents), 2):
            shared[(u, v)].append((aid, si))

    for (u, v), keys in sorted(weight.items()):
        together = len({k[0] for k in keys})  # articles, whatever the window
        if together < min_weight:
            continue
        records = []
        for aid, si in shared.get((u, v), [])[:MAX_EVIDENCE]:
            a = art[aid]
            records.append(_record(a, si))
        if not records:
            # Same article, different sentences: show where each appears.
            for aid in sorted({k[0] for k in keys}):
                a = art[aid]
                for ent in (u, v):
                    si = first_sentence.get((aid, ent))
                    if si is not None and len(records) < MAX_EVIDENCE:
                        rec = _record(a, si)
                        if rec not in records:
                            records.append(rec)
        g.add_edge(u, v, weight=together, sentences=len(shared.get((u, v), [])),
                   evidence=records)
    return g

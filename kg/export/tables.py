"""``entities.csv``, ``mentions.jsonl`` and ``articles.jsonl``."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

from kg.export.atomic import atomic_open
from kg.model import Article, Entity, Mention, Title

ENTITY_COLUMNS = ("name", "type", "mentions", "articles", "aliases", "titles")


def write_entities_csv(entities: Sequence[Entity], path: str | Path) -> Path:
    """``aliases`` and ``titles`` are ``|``-separated; titles distinct.

    UTF-8 with a BOM: without one Excel reads the Chinese as mojibake; csv,
    pandas and DuckDB readers skip it."""
    rows = sorted(entities, key=lambda e: (-e.mentions, e.name))
    with atomic_open(path, encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(ENTITY_COLUMNS)
        for e in rows:
            w.writerow([e.name, e.type, e.mentions, e.articles,
                        "|".join(e.aliases), "|".join(e.title_texts)])
    return Path(path)


def read_entities_csv(path: str | Path) -> list[Entity]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [
            Entity(name=r["name"], type=r["type"], mentions=int(r["mentions"]),
                   articles=int(r["articles"]),
                   aliases=[a for a in r["aliases"].split("|") if a],
                   titles=[Title(t, "") for t in r["titles"].split("|") if t])
            for r in csv.DictReader(fh)
        ]


def write_mentions_jsonl(
    mentions: Sequence[Mention], articles: Sequence[Article], path: str | Path
) -> Path:
    files = {a.id: a.file for a in articles}
    with atomic_open(path) as fh:
        for m in mentions:
            fh.write(json.dumps({
                "article_id": m.article_id, "file": files.get(m.article_id, ""),
                "sentence": m.sentence, "start": m.start, "end": m.end,
                "text": m.text, "entity": m.entity, "type": m.type, "titles": m.titles,
            }, ensure_ascii=False, separators=(",", ":")) + "\n")
    return Path(path)


def read_mentions_jsonl(path: str | Path) -> list[Mention]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                out.append(Mention(d["article_id"], d["sentence"], d["start"], d["end"],
                                   d["text"], d["type"], tuple(d.get("titles", ())), d["entity"]))
    return out


def write_articles_jsonl(articles: Sequence[Article], path: str | Path) -> Path:
    with atomic_open(path) as fh:
        for a in articles:
            fh.write(json.dumps({
                "id": a.id, "file": a.file, "title": a.title, "date": a.date,
                "reporters": a.reporters,
                "text": a.text, "paragraphs": list(a.paragraphs),
                "sentences": [[s.start, s.end, s.paragraph] for s in a.sentences],
            }, ensure_ascii=False, separators=(",", ":")) + "\n")
    return Path(path)


def read_articles_jsonl(path: str | Path) -> list[Article]:
    from kg.model import Sentences

    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            d = json.loads(line)
            a = Article(id=d["id"], file=d["file"], title=d["title"], text=d["text"],
                        reporters=d["reporters"], date=d.get("date"),
                        paragraphs=d.get("paragraphs", []))
            a.sentences = Sentences(a.id, a.text,
                                    ((s, e, p) for s, e, p in d.get("sentences", [])))
            out.append(a)
    return out

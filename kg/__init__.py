"""kg: Chinese news text -> knowledge graph of officials, companies, places, projects."""

from kg.model import Article, Entity, Evidence, Mention, Sentence, Span, Title
from kg.pipeline import Result, build, load, write_outputs

__version__ = "0.1.0"

__all__ = [
    "Article", "Entity", "Evidence", "Mention", "Result", "Sentence", "Span", "Title",
    "build", "load", "write_outputs",
]

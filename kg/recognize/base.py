"""The one interface every NER engine implements, and a registry by name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from kg.model import Span


class KgError(Exception):
    """An error with a one-line message meant for the user."""


class EngineUnavailable(KgError):
    """The engine (or its model) cannot be used on this machine."""


@runtime_checkable
class Recognizer(Protocol):
    """Turns sentences into spans.  Engines batch internally."""

    name: str

    def recognize(self, sentences: Sequence[str]) -> list[list[Span]]:
        """One list of spans per input sentence, offsets into that sentence."""
        ...


Factory = Callable[..., Recognizer]


class Registry:
    """Engines registered by name (spaCy-style), created lazily."""

    def __init__(self) -> None:
        self._factories: dict[str, Factory] = {}

    def register(self, name: str) -> Callable[[Factory], Factory]:
        def deco(factory: Factory) -> Factory:
            self._factories[name] = factory
            return factory

        return deco

    @property
    def names(self) -> list[str]:
        return sorted(self._factories)

    def create(self, name: str, **options: object) -> Recognizer:
        if name not in self._factories:
            raise KgError(
                f"unknown NER engine {name!r}; choose one of: {', '.join(self.names)}"
            )
        return self._factories[name](**options)

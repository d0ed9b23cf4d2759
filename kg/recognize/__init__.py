"""NER engines behind one interface, chosen by name (``--ner``)."""

from __future__ import annotations

import logging

from kg.recognize.base import EngineUnavailable, KgError, Recognizer, Registry

log = logging.getLogger(__name__)

ENGINES = ("auto", "lac", "hanlp", "crf")


def make_registry() -> Registry:
    reg = Registry()

    @reg.register("lac")
    def _lac(**opts: object) -> Recognizer:
        from kg.recognize.lac import LacRecognizer

        return LacRecognizer(**opts)  # type: ignore[arg-type]

    @reg.register("hanlp")
    def _hanlp(model: str | None = None, **opts: object) -> Recognizer:
        from kg.recognize.hanlp import HanlpRecognizer

        return HanlpRecognizer(model, **opts)  # type: ignore[arg-type]

    @reg.register("crf")
    def _crf(model: str = "pd", **opts: object) -> Recognizer:
        from kg.recognize.crf import CrfRecognizer

        return CrfRecognizer(model, **opts)  # type: ignore[arg-type]

    return reg


def get_recognizer(name: str = "auto", *, hanlp_model: str | None = None) -> Recognizer:
    """``auto`` picks HanLP when its model is on this machine, else LAC."""
    if name not in ENGINES:
        raise KgError(f"--ner must be one of {', '.join(ENGINES)}; got {name!r}")
    reg = make_registry()
    if name == "auto":
        try:
            from kg.recognize.hanlp import hanlp_model_available

            available = hanlp_model_available(hanlp_model)
        except ImportError:
            available = False
        name = "hanlp" if available else "lac"
        log.info("--ner auto picked %s", name)
    if name == "hanlp":
        return reg.create("hanlp", model=hanlp_model)
    return reg.create(name)


__all__ = ["ENGINES", "EngineUnavailable", "KgError", "Recognizer", "get_recognizer"]

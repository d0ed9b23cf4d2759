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


def get_recognizer(
    name: str = "auto", *, hanlp_model: str | None = None, hanlp_tokens: str | None = None
) -> Recognizer:
    """``auto`` picks HanLP when its model is on this machine and loads, else LAC.

    ``hanlp_tokens`` (``words``/``chars``) says what a single-task HanLP model
    is fed; None lets the model's ``kg.json`` decide (default words).
    """
    if name not in ENGINES:
        raise KgError(f"--ner must be one of {', '.join(ENGINES)}; got {name!r}")
    from kg.recognize.hanlp import check_tokens  # stdlib only: no hanlp/torch import

    check_tokens(hanlp_tokens)  # a typo is an error, not a reason to fall back
    reg = make_registry()
    if name == "auto":
        return _auto(reg, hanlp_model, hanlp_tokens)
    if name == "hanlp":
        return reg.create("hanlp", model=hanlp_model, tokens=hanlp_tokens)
    return reg.create(name)


def _auto(reg: Registry, hanlp_model: str | None, hanlp_tokens: str | None) -> Recognizer:
    """HanLP if it loads, else LAC: never dies on HanLP, says why it fell back."""
    from kg.recognize.hanlp import HanlpAbsent, check_model

    try:
        check_model(hanlp_model)  # no torch import: cheap when the answer is no
        rec = reg.create("hanlp", model=hanlp_model, tokens=hanlp_tokens)
    except Exception as exc:
        reason = (str(exc).strip().splitlines() or [""])[0]
        if not isinstance(exc, KgError) or not reason:
            reason = f"{type(exc).__name__}: {reason}".rstrip(": ")
        # The default model simply not being here is the normal offline case.
        quiet = isinstance(exc, HanlpAbsent) and hanlp_model is None
        log.log(
            logging.INFO if quiet else logging.WARNING,
            "--ner auto: HanLP unavailable, using LAC (%s)",
            reason,
        )
        return reg.create("lac")
    log.info("--ner auto picked hanlp")
    return rec


__all__ = ["ENGINES", "EngineUnavailable", "KgError", "Recognizer", "get_recognizer"]

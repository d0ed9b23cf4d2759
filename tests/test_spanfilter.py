"""The span filter experiment (kg/learn/spanfilter.py): features, fit, apply."""

from __future__ import annotations

import pytest

from kg.learn import MODEL_PATH
from kg.learn.spanfilter import (
    CandidateTagger,
    FilteredTagger,
    SpanFilter,
    fit_filter,
)
from kg.pipeline import analyze_texts

pytestmark = pytest.mark.skipif(not MODEL_PATH.is_file(), reason="no shipped model")

TEXT = "仙游县枫亭镇人民政府与莆田华林集团签约建设木兰溪综合治理工程。"


@pytest.fixture(scope="module")
def analysed(lac):
    (tokens,), (found,), probs = analyze_texts([TEXT], lac, probs=True)
    return tokens, found, probs[0] if probs else None


def test_candidates_are_the_non_person_mentions_with_features(analysed):
    tagger = CandidateTagger(MODEL_PATH)
    out, cands = tagger.candidates(TEXT, *analysed)
    assert out == tagger.apply(TEXT, *analysed)  # same mentions as the plain layer
    assert cands and all(c.type not in ("official", "person") for c in cands)
    assert {(c.start, c.end) for c in cands} <= {(f.start, f.end) for f in out}
    for c in cands:
        assert TEXT[c.start : c.end] == c.text
        f = c.feats
        assert f["bias"] == 1.0 and 0.0 <= f["mmin"] <= f["mmean"] <= 1.0
        assert f["last=" + c.text[-1]] == 1.0 and f[c.type + "|last2=" + c.text[-2:]] == 1.0
    assert tagger.candidates("", [], []) == ([], [])


def _toy(tmp_path, good_wins: bool):
    """A filter that learnt 'bias' alone: always keep, or always drop."""
    data = [({"bias": 1.0}, good_wins)] * 20 + [({"bias": 1.0}, not good_wins)] * 2
    return fit_filter(data, tmp_path / "f.crfsuite", c2=0.01)


def test_filter_keeps_when_it_trusts_the_candidates(tmp_path, analysed):
    path = _toy(tmp_path, True)
    assert SpanFilter(path).prob({"bias": 1.0}) > 0.8
    plain = CandidateTagger(MODEL_PATH).apply(TEXT, *analysed)
    assert FilteredTagger(MODEL_PATH, path, 0.5).apply(TEXT, *analysed) == plain


def test_filter_drops_only_non_people_when_it_distrusts_them(tmp_path, analysed):
    path = _toy(tmp_path, False)
    assert SpanFilter(path).prob({"bias": 1.0}) < 0.2
    plain = CandidateTagger(MODEL_PATH).apply(TEXT, *analysed)
    kept = FilteredTagger(MODEL_PATH, path, 0.5).apply(TEXT, *analysed)
    assert kept == [f for f in plain if f.type in ("official", "person")]

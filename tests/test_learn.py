"""The learned layer (``kg.learn``): features, gold projection, tags back to
mentions, fitting, caching, loading, and the shipped model through ``kg.build``
and the CLI.  All sentences are made up (青山市, 云湖镇, 王建华 ...)."""

import json
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pycrfsuite")

import kg  # noqa: E402
import kg.learn.train as train  # noqa: E402
from kg.learn import (  # noqa: E402
    MODEL_PATH,
    LocalTagger,
    features,
    gazetteer_marks,
    gold_spans,
    load_tagger,
    people_from_rules,
    rule_marks,
    spans_to_found,
)
from kg.model import Span  # noqa: E402
from kg.pipeline import analyze_texts, get_learned  # noqa: E402
from kg.recognize.base import EngineUnavailable  # noqa: E402
from kg.recognize.lac import LacRecognizer  # noqa: E402
from kg.refine.types import Found  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _spans(text, *items):
    """Span objects for (surface, label[, occurrence]) picked out of ``text``."""
    out = []
    for item in items:
        surface, label = item[:2]
        nth = item[2] if len(item) > 2 else 0
        a = -1
        for _ in range(nth + 1):
            a = text.index(surface, a + 1)
        out.append(Span(a, a + len(surface), label, surface))
    return sorted(out, key=lambda s: s.start)


def _tokens(text, *words):
    """Contiguous word tokens covering ``text`` (each word once, in order)."""
    toks, pos = [], 0
    for w in words:
        assert text.startswith(w, pos), (w, pos)
        toks.append(Span(pos, pos + len(w), "n", w))
        pos += len(w)
    assert pos == len(text)
    return toks


# -- gold_spans ---------------------------------------------------------------
def test_gold_spans_longest_first_and_every_occurrence():
    text = "王建华到云湖镇新材料产业园调研，云湖镇干部王建华陪同。"
    spans = gold_spans(text, [("云湖镇", "LOC"), ("云湖镇新材料产业园", "LOC"),
                              ("王建华", "OFF")])
    # The long name wins where it is printed; the short one only stands alone.
    assert spans == [(0, 3, "OFF"), (4, 13, "LOC"), (16, 19, "LOC"), (21, 24, "OFF")]
    # The shorter surface inside the longer is not labelled a second time.
    assert (4, 7, "LOC") not in spans


def test_gold_spans_body_inside_title_is_title():
    text = "市委书记王建华主持召开市委常委会。"
    spans = gold_spans(text, [("市委", "ORG"), ("市委书记", "TTL"), ("王建华", "OFF")])
    assert (0, 4, "TTL") in spans
    assert (0, 2, "ORG") not in spans  # 市委 of 市委书记 is part of the title
    assert (11, 13, "ORG") in spans  # the 市委 printed on its own is labelled
    assert (4, 7, "OFF") in spans


def test_gold_spans_ignores_empty_surface():
    text = "青山市云湖镇"
    assert gold_spans(text, [("", "ORG"), ("云湖镇", "LOC")]) == [(3, 6, "LOC")]
    assert gold_spans(text, [("", "ORG")]) == []


def test_gold_spans_overlapping_shorter_not_labelled():
    text = "青山华光科技有限公司"
    spans = gold_spans(text, [("青山华光科技有限公司", "COM"), ("华光科技", "ORG"),
                              ("有限公司董事", "TTL")])
    assert spans == [(0, 10, "COM")]
    # Partial overlap (neither inside the other): the first taken keeps its chars.
    spans = gold_spans("王建华光临", [("王建华", "PER"), ("华光", "ORG")])
    assert spans == [(0, 3, "PER")]
    # A surface that is not printed gives nothing.
    assert gold_spans("青山市", [("云湖镇", "LOC")]) == []


# -- rule_marks -----------------------------------------------------------------
def test_rule_marks_mentions_and_titles():
    text = "副市长王建华到云湖镇。"
    found = [Found(3, 6, "王建华", "official", ["副市长"], [(0, 3)]),
             Found(7, 10, "云湖镇", "place")]
    ent, ttl = rule_marks(len(text), found)
    assert ent == ["O", "O", "O", "B-official", "I-official", "I-official", "O",
                   "B-place", "I-place", "I-place", "O"]
    assert ttl == ["B", "I", "I"] + ["O"] * 8


def test_rule_marks_nothing_found_is_all_o():
    ent, ttl = rule_marks(5, [])
    assert ent == ["O"] * 5 and ttl == ["O"] * 5
    # Offsets past the sentence are clipped, not an IndexError.
    ent, _ = rule_marks(3, [Found(2, 6, "华到云湖", "place")])
    assert ent == ["O", "O", "B-place"]


# -- gazetteer_marks --------------------------------------------------------------
def test_gazetteer_township_and_county():
    # 城关镇: a township name in kg/data/townships.txt; 仙游县: a county.
    full, stems = gazetteer_marks("他到城关镇和仙游县调研")
    assert full[2:5] == ["Bt", "It", "Et"]
    assert full[6:9] == ["Ba", "Ia", "Ea"]
    assert full[:2] == ["O", "O"] and full[5] == "O" and full[9:] == ["O", "O"]
    # Stems in the second list: 城关 of 城关镇, 仙游 of 仙游县.
    assert stems[2:4] == ["Bt", "Et"] and stems[4] == "O"
    assert stems[6:8] == ["Ba", "Ea"] and stems[8] == "O"


def test_gazetteer_made_up_name_not_marked():
    # 青山市 is no real city: no full-name mark (its stem 青山 is a real one's).
    full, _ = gazetteer_marks("他到青山市的翠屏坊调研")
    assert full == ["O"] * 11
    full, stems = gazetteer_marks("他在蓝莓杯坊喝茶")
    assert full == ["O"] * 8 and stems == ["O"] * 8


# -- features ----------------------------------------------------------------------
FEAT_TEXT = "副市长王建华到城关镇。"
FEAT_TOKENS = _tokens(FEAT_TEXT, "副市长", "王建华", "到", "城关镇", "。")
FEAT_FOUND = [Found(3, 6, "王建华", "official", ["副市长"], [(0, 3)])]


def test_features_one_dict_per_char_with_rules_gazetteer_words():
    fs = features(FEAT_TEXT, FEAT_TOKENS, FEAT_FOUND)
    assert len(fs) == len(FEAT_TEXT)
    assert all(isinstance(f, dict) and f for f in fs)
    assert fs[3]["r=B-official"] == 1.0
    assert "r=O" in fs[0] and "r=B-official" not in fs[0]
    assert "rt=B" in fs[0] and "rt=O" in fs[3]
    assert "gz=Bt" in fs[7] and "gz=O" in fs[3]
    assert "wd=王建华" in fs[4] and "wd=城关镇" in fs[8]
    assert not any(k.startswith(("e:", "e-1:", "e+1:")) for f in fs for k in f)
    assert features("", [], []) == []


def test_features_probs_only_with_right_length():
    n = len(FEAT_TEXT)
    probs = np.zeros((n, 5), dtype=np.float32)
    probs[:, 2] = 0.9
    probs[:, 4] = 0.01  # under the cut: left out
    fs = features(FEAT_TEXT, FEAT_TOKENS, FEAT_FOUND, probs)
    assert fs[0]["e:2"] == pytest.approx(0.9)
    assert "e:4" not in fs[0]
    assert "e-1:2" not in fs[0] and "e-1:2" in fs[1]
    assert "e+1:2" in fs[0] and "e+1:2" not in fs[n - 1]
    # Probabilities of another length (a different text) are ignored.
    wrong = features(FEAT_TEXT, FEAT_TOKENS, FEAT_FOUND, probs[:-1])
    assert not any(":" in k and k.split(":")[0] in ("e", "e-1", "e+1")
                   for f in wrong for k in f)


# -- spans_to_found ------------------------------------------------------------------
def test_person_after_title_gets_it():
    text = "副市长王建华到云湖镇调研。"
    out = spans_to_found(text, _spans(text, ("副市长", "TTL"), ("王建华", "OFF"),
                                      ("云湖镇", "LOC")), [])
    assert [(f.text, f.type) for f in out] == [("王建华", "official"), ("云湖镇", "place")]
    assert out[0].titles == ["副市长"] and out[0].title_spans == [(0, 3)]
    assert out[1].titles == []


def test_titles_joined_by_dunhao_and_jian():
    text = "市委常委、副市长兼秘书长王建华出席。"
    out = spans_to_found(text, _spans(text, ("市委常委", "TTL"), ("副市长", "TTL"),
                                      ("秘书长", "TTL"), ("王建华", "OFF")), [])
    assert [f.text for f in out] == ["王建华"]
    assert out[0].titles == ["市委常委", "副市长", "秘书长"]


def test_name_after_dunhao_inherits_titles():
    text = "市领导李国庆、陈晓燕参加。"
    out = spans_to_found(text, _spans(text, ("市领导", "TTL"), ("李国庆", "OFF"),
                                      ("陈晓燕", "OFF")), [])
    assert [(f.text, f.titles) for f in out] == [("李国庆", ["市领导"]), ("陈晓燕", ["市领导"])]
    # Joined by 和, not 、: no sharing.
    text = "市领导李国庆和陈晓燕参加。"
    out = spans_to_found(text, _spans(text, ("市领导", "TTL"), ("李国庆", "OFF"),
                                      ("陈晓燕", "PER")), [])
    assert out[1].text == "陈晓燕" and out[1].titles == []


def test_name_far_from_title_gets_none():
    text = "副市长来到云湖镇会见王建华。"
    out = spans_to_found(text, _spans(text, ("副市长", "TTL"), ("云湖镇", "LOC"),
                                      ("王建华", "PER")), [])
    assert [(f.text, f.type, f.titles) for f in out] == [
        ("云湖镇", "place", []), ("王建华", "person", [])]


def test_rule_titles_kept_crf_decides_type():
    text = "青山市第一中学校长王建华讲话。"
    rule = [Found(9, 12, "王建华", "official", ["青山市第一中学校长"], [(0, 9)])]
    # The CRF tags only 校长 as the title and calls him a person.
    spans = _spans(text, ("校长", "TTL"), ("王建华", "PER"))
    out = spans_to_found(text, spans, rule)
    assert len(out) == 1
    assert out[0].type == "person"
    assert out[0].titles == ["青山市第一中学校长"] and out[0].title_spans == [(0, 9)]
    # Without titles from the rules, the CRF's own title is used.
    bare = [Found(9, 12, "王建华", "person")]
    out = spans_to_found(text, spans, bare)
    assert out[0].type == "person" and out[0].titles == ["校长"]
    # A rule mention at other offsets is not the same person.
    other = [Found(9, 11, "王建", "official", ["青山市第一中学校长"], [(0, 9)])]
    assert spans_to_found(text, spans, other)[0].titles == ["校长"]


def test_rule_official_marker_kept():
    text = "市领导李国庆参加。"
    rule = [Found(3, 6, "李国庆", "official", [], [], official_marker=True)]
    out = spans_to_found(text, _spans(text, ("李国庆", "OFF")), rule)
    assert out[0].type == "official" and out[0].official_marker


def test_labels_map_to_kg_types_and_titles_are_not_mentions():
    text = "青山华光科技有限公司在云湖镇建设华光新材料项目，青山市商务局支持。"
    spans = _spans(text, ("青山华光科技有限公司", "COM"), ("云湖镇", "LOC"),
                   ("华光新材料项目", "PRJ"), ("青山市商务局", "ORG"))
    out = spans_to_found(text, spans, [])
    assert [(f.text, f.type) for f in out] == [
        ("青山华光科技有限公司", "company"), ("云湖镇", "place"),
        ("华光新材料项目", "project"), ("青山市商务局", "organization")]
    assert all(f.titles == [] for f in out)
    text = "副市长出席。"
    assert spans_to_found(text, _spans(text, ("副市长", "TTL")), []) == []
    # A label kg does not know (an engine's TIME) is no mention either.
    assert spans_to_found("昨天", [Span(0, 2, "TIME", "昨天")], []) == []


# -- fitting, caching, loading ------------------------------------------------------------
ARTICLES = {
    "x01_a.txt": ("青山市副市长王建华到云湖镇调研",
                  "青山市副市长王建华到云湖镇调研。他来到青山华光科技有限公司，了解企业生产情况。"
                  "市领导李国庆、陈晓燕陪同。"),
    "x02_b.txt": ("云湖镇推进华光新材料项目建设",
                  "市委书记李国庆在云湖镇检查华光新材料项目。青山市商务局局长陈晓燕参加。"
                  "镇长赵明辉介绍了云湖镇产业发展情况。"),
}
GOLD = {
    "x01_a.txt": [
        {"name": "王建华", "type": "official", "titles": ["青山市副市长"], "surface": ["王建华"]},
        {"name": "李国庆", "type": "official", "titles": ["市领导"], "surface": ["李国庆"]},
        {"name": "陈晓燕", "type": "official", "titles": ["市领导"], "surface": ["陈晓燕"]},
        {"name": "云湖镇", "type": "place", "titles": [], "surface": ["云湖镇"]},
        {"name": "青山华光科技有限公司", "type": "company", "titles": [],
         "surface": ["青山华光科技有限公司"]},
    ],
    "x02_b.txt": [
        {"name": "李国庆", "type": "official", "titles": ["市委书记"], "surface": ["李国庆"]},
        {"name": "陈晓燕", "type": "official", "titles": ["青山市商务局局长"],
         "surface": ["陈晓燕"]},
        {"name": "赵明辉", "type": "official", "titles": ["镇长"], "surface": ["赵明辉"]},
        {"name": "云湖镇", "type": "place", "titles": [], "surface": ["云湖镇"]},
        {"name": "华光新材料项目", "type": "project", "titles": [],
         "surface": ["华光新材料项目"]},
    ],
}


def _corpus(root: Path) -> Path:
    (root / "texts").mkdir(parents=True)
    files = []
    for name, (title, body) in ARTICLES.items():
        (root / "texts" / name).write_text(f"{title}\n{body}\n", encoding="utf-8")
        files.append({"file": name, "articles": [{
            "title": title, "first_line": body.split("。")[0] + "。", "reporters": [],
            "entities": GOLD[name]}]})
    (root / "x.json").write_text(json.dumps({"files": files}, ensure_ascii=False),
                                 encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def fitted(tmp_path_factory) -> Path:
    corpus = _corpus(tmp_path_factory.mktemp("corpus"))
    out = tmp_path_factory.mktemp("model") / "m.crfsuite"
    return train.fit(corpus, ["x"], out, params={"max_iterations": 30}, own=())


def test_fit_writes_a_readable_model(fitted):
    assert fitted.is_file() and fitted.stat().st_size > 0
    assert stat.S_IMODE(fitted.stat().st_mode) == 0o644
    assert not list(fitted.parent.glob("*.tmp"))
    tagger = LocalTagger(fitted)
    text = "副市长王建华到云湖镇调研。"
    (tokens,), (found,), probs = analyze_texts([text], LacRecognizer(), probs=True)
    tags = tagger.tags(text, tokens, found, probs[0] if probs else None)
    assert len(tags) == len(text)
    labels = {t.partition("-")[2] for t in tags if t != "O"}
    assert labels <= {"OFF", "PER", "COM", "ORG", "LOC", "PRJ", "TTL"}
    assert tags[3:6] == ["B-OFF", "I-OFF", "E-OFF"]  # learnt from the two articles
    assert tagger.apply("", [], []) == []


def test_build_with_fitted_model_offsets(fitted, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "news.txt").write_text(
        "云湖镇召开产业发展大会\n副镇长赵明辉主持会议，青山华光科技有限公司负责人发言。"
        "市领导王建华、李国庆出席。\n", encoding="utf-8")
    calls = []
    apply = LocalTagger.apply

    def spy(self, text, *args):
        calls.append(self.path)
        return apply(self, text, *args)

    monkeypatch.setattr(LocalTagger, "apply", spy)
    r = kg.build([folder], ner="lac", learned="none")
    assert r.mentions and calls == []  # rules only: the layer is not run
    r = kg.build([folder], ner="lac", learned=str(fitted))
    assert r.articles and r.mentions
    assert calls and {Path(p) for p in calls} == {fitted}  # once per sentence, this model
    arts = {a.id: a for a in r.articles}
    for m in r.mentions:
        assert arts[m.article_id].text[m.start : m.end] == m.text
        assert m.type in {"official", "person", "company", "organization", "place", "project"}
    by_text = {m.text: m for m in r.mentions}
    assert by_text["王建华"].type == "official" and by_text["王建华"].titles == ("市领导",)
    assert by_text["云湖镇"].type == "place"


def test_cached_fit_reuses(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "corpus")
    monkeypatch.setenv("KG_CACHE", str(tmp_path / "cache"))
    calls = []

    def fake_fit(corpus, folds, out, params=None, *, own=()):
        calls.append((tuple(folds), params["max_iterations"]))
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(b"model")
        return out

    monkeypatch.setattr(train, "fit", fake_fit)
    p1 = train.cached_fit(corpus, ["x"], {"max_iterations": 5}, own=())
    assert p1.is_file() and (tmp_path / "cache") in p1.parents
    p2 = train.cached_fit(corpus, ["x"], {"max_iterations": 5}, own=())
    assert p2 == p1 and len(calls) == 1
    # Anything it depends on changes: a new key and a new fit.
    p3 = train.cached_fit(corpus, ["x"], {"max_iterations": 6}, own=())
    assert p3 != p1 and len(calls) == 2
    txt = corpus / "texts" / "x01_a.txt"
    txt.write_text(txt.read_text(encoding="utf-8") + "王建华说。\n", encoding="utf-8")
    p4 = train.cached_fit(corpus, ["x"], {"max_iterations": 5}, own=())
    assert p4 not in (p1, p3) and len(calls) == 3


def test_load_tagger_missing_path_raises(tmp_path):
    with pytest.raises(EngineUnavailable, match="not found"):
        load_tagger(str(tmp_path / "nothing.crfsuite"))
    with pytest.raises(EngineUnavailable):
        get_learned(str(tmp_path / "nothing.crfsuite"))
    with pytest.raises(EngineUnavailable):
        LocalTagger(tmp_path / "nothing.crfsuite")


def test_get_learned_none_and_auto():
    assert get_learned("none") is None
    assert get_learned(None) is None
    auto = get_learned("auto")
    assert isinstance(auto, LocalTagger) and Path(auto.path) == MODEL_PATH


# -- the shipped model ---------------------------------------------------------------------
def test_shipped_model_present():
    assert MODEL_PATH.is_file() and MODEL_PATH.stat().st_size > 0
    assert stat.S_IMODE(MODEL_PATH.stat().st_mode) & 0o444 == 0o444


def test_shipped_model_on_seeds():
    r = kg.build([SEEDS], ner="lac", learned="auto")
    assert len(r.articles) == 35 and r.mentions
    arts = {a.id: a for a in r.articles}
    assert all(arts[m.article_id].text[m.start : m.end] == m.text for m in r.mentions)
    assert any(e.type == "official" and e.title_texts for e in r.entities)


def test_shipped_model_on_made_up_sentence(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.txt").write_text(
        "青山市推进云湖镇产业发展\n青山市副市长王建华到云湖镇调研。"
        "他来到青山华光科技有限公司，了解企业生产情况。市领导李国庆、陈晓燕陪同。\n",
        encoding="utf-8")
    r = kg.build([folder], ner="lac", learned="auto")
    ents = {e.name: e for e in r.entities}
    assert ents["王建华"].type == "official"
    assert any(t.endswith("副市长") for t in ents["王建华"].title_texts)
    assert ents["云湖镇"].type == "place"
    assert ents["青山华光科技有限公司"].type == "company"
    for name in ("李国庆", "陈晓燕"):
        assert ents[name].type == "official" and "市领导" in ents[name].title_texts
    assert "副市长" not in ents and "青山市副市长" not in ents  # titles are no entities


# -- CLI ---------------------------------------------------------------------------------------
def _run_kg(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture()
def news_dir(tmp_path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "x.txt").write_text("青山市副市长王建华到云湖镇调研\n青山市副市长王建华到云湖镇调研。\n",
                             encoding="utf-8")
    return d


def test_cli_learned_none(news_dir, tmp_path):
    r = _run_kg("build", news_dir, "-o", tmp_path / "o", "--ner", "lac", "--learned", "none")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("engine: lac;")
    assert "learned layer" not in r.stdout
    r = _run_kg("build", news_dir, "-o", tmp_path / "o2", "--ner", "lac")
    assert r.returncode == 0, r.stderr
    assert "learned layer" in r.stdout.splitlines()[0]


def test_cli_missing_learned_model(news_dir, tmp_path):
    r = _run_kg("build", news_dir, "-o", tmp_path / "o", "--ner", "lac", "--quiet",
                "--learned", "/nonexistent.crfsuite")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    errors = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert errors == ["kg: error: learned model not found: /nonexistent.crfsuite"]
    assert not (tmp_path / "o" / "graph.json").exists()


def test_people_from_rules_stand_and_crf_fills_in():
    rule_person = Found(5, 8, "王建华", "official", ["副市长"], [(2, 5)])
    crf_same = Found(5, 8, "王建华", "person")  # the CRF's weaker call on the same name
    crf_place = Found(11, 14, "云湖镇", "place")
    out = people_from_rules([rule_person], [crf_same, crf_place])
    assert [(f.text, f.type, f.titles) for f in out] == [
        ("王建华", "official", ["副市长"]), ("云湖镇", "place", [])]


def test_people_from_rules_leave_crf_alone_without_rule_people():
    """No person from the rules: the CRF's mentions, people included, pass as they are."""
    rule_place = Found(0, 3, "青山市", "place")
    crf = [Found(0, 3, "青山市", "place"), Found(6, 9, "李国庆", "person")]
    assert people_from_rules([rule_place], crf) == crf

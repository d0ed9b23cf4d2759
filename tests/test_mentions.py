"""kg.mentions and kg.cache: the same mentions in process, on local worker
processes and on a Dask cluster, and never recognised twice."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import kg
from kg.cache import MentionCache, article_key, engine_fingerprint
from kg.mentions import Engines, EngineSpec, extract_mentions, plan
from kg.model import Document
from kg.pages import articles_from_document

ARTICLES = [
    "青山市召开项目推进会\n本报讯 3月2日，副市长林海涛主持召开项目推进会，青禾科技有限公司汇报了进展。",
    "云湖镇调研\n本报讯 市委书记周明远到云湖镇调研，察看了星河大桥工程。县长陈立平陪同。",
    "企业走访\n本报讯 副县长许文华走访蓝湾新材料股份有限公司，了解企业生产情况。",
]


def _write(folder: Path, n: int = 12) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"p{i:02d}.txt").write_text(ARTICLES[i % 3] + f"第{i}次。\n", encoding="utf-8")
    return folder


def _outputs(result: kg.Result, out: Path) -> dict[str, bytes]:
    kg.write_outputs(result, out)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("c") / "in")


@pytest.fixture(scope="module")
def in_process(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    r = kg.build([corpus], ner="lac", scheduler="sync", cache=False)
    assert r.mentions
    return _outputs(r, tmp_path_factory.mktemp("sync"))


def test_local_processes_give_the_same_bytes(corpus: Path, in_process: dict[str, bytes],
                                             tmp_path: Path) -> None:
    r = kg.build([corpus], ner="lac", scheduler="processes", workers=2, cache=False)
    assert _outputs(r, tmp_path / "o") == in_process


def test_a_dask_cluster_gives_the_same_bytes(corpus: Path, in_process: dict[str, bytes],
                                             tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        r = kg.build([corpus], ner="lac", scheduler=cluster.scheduler_address, cache=False)
    assert _outputs(r, tmp_path / "o") == in_process


class _Refuses:
    """An engine that must not be asked: every article should come from the cache."""

    name = "lac"

    def recognize(self, sentences: object) -> None:
        raise AssertionError("recognised although cached")

    analyze = analyze_full = recognize


def _articles(texts: list[str]) -> list[kg.Article]:
    return [a for i, t in enumerate(texts) for a in articles_from_document(Document(f"f{i}.txt", t))]


def test_cached_articles_are_not_recognised_again(tmp_path: Path) -> None:
    spec = EngineSpec(ner="lac")
    arts = _articles(ARTICLES)
    with MentionCache(tmp_path) as store:
        first = extract_mentions(arts, spec, scheduler="sync", cache=store)
    refusing = Engines(_Refuses(), _Refuses(), None)  # type: ignore[arg-type]
    with MentionCache(tmp_path) as store:
        again = extract_mentions(arts, spec, engines=refusing, scheduler="sync", cache=store)
    assert again == first and first
    # One new article: only it is recognised.
    extra = _articles([*ARTICLES, "新闻\n本报讯 市长王立新出席开工仪式。"])
    seen: list[str] = []

    class Counting(_Refuses):
        def analyze(self, sentences):  # type: ignore[no-untyped-def]
            seen.extend(sentences)
            from kg.recognize.lac import LacRecognizer

            return LacRecognizer().analyze(sentences)

    counting = Counting()
    with MentionCache(tmp_path) as store:
        extract_mentions(extra, spec, engines=Engines(counting, counting, None),  # type: ignore[arg-type]
                         scheduler="sync", cache=store)
    assert seen and all("王立新" in s or "新闻" in s or "开工" in s for s in seen)


def test_the_key_changes_with_the_engine_and_the_text() -> None:
    a = engine_fingerprint(EngineSpec(ner="lac").settings())
    b = engine_fingerprint(EngineSpec(ner="lac", disabled=frozenset({"x"})).settings())
    assert a != b
    assert article_key(a, "甲", [(0, 1)]) != article_key(a, "乙", [(0, 1)])
    assert article_key(a, "甲乙", [(0, 2)]) != article_key(a, "甲乙", [(0, 1), (1, 2)])
    assert article_key(a, "甲", [(0, 1)]) == article_key(a, "甲", [(0, 1)])


def test_two_writers_share_one_cache(tmp_path: Path) -> None:
    errors: list[BaseException] = []

    def write(tag: str) -> None:
        try:
            with MentionCache(tmp_path) as store:
                for i in range(30):
                    store.put_many({f"{tag}{i}": [[0, 0, 1, "甲", "person", []]]})
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(t,)) for t in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with MentionCache(tmp_path) as store:
        assert len(store.get_many([f"{t}{i}" for t in "ab" for i in range(30)])) == 60


def test_a_damaged_cache_entry_is_a_miss(tmp_path: Path) -> None:
    with MentionCache(tmp_path) as store:
        store.put_many({"k": [1]})
        store._db.execute("UPDATE results SET value = x'00ff' WHERE key = 'k'")
        assert store.get_many(["k"]) == {}


def test_plan_keeps_small_inputs_in_process_and_checks_names() -> None:
    assert plan("auto", chars=1_000, workers=2) == "sync"
    assert plan("auto", chars=10_000_000, workers=2) == "processes"
    assert plan("auto", chars=10_000_000, workers=1) == "sync"
    assert plan("tcp://10.0.0.1:8786", chars=1, workers=1) == "tcp://10.0.0.1:8786"
    with pytest.raises(ValueError, match="scheduler must be one of"):
        plan("thread", chars=1, workers=1)


def test_an_article_that_breaks_recognition_costs_only_itself(caplog) -> None:
    from kg.recognize.lac import LacRecognizer

    lac = LacRecognizer()

    class Fragile:
        name = "lac"

        def analyze(self, sentences):  # type: ignore[no-untyped-def]
            if any("爆" in s for s in sentences):
                raise RuntimeError("boom\nsecond line")
            return lac.analyze(sentences)

        recognize = analyze

    arts = _articles([ARTICLES[0], "新闻\n本报讯 这一句会爆。", ARTICLES[2]])
    fragile = Fragile()
    with caplog.at_level("WARNING"):
        got = extract_mentions(arts, EngineSpec(ner="lac"), engines=Engines(fragile, fragile, None),  # type: ignore[arg-type]
                               scheduler="sync")
    assert {m.article_id for m in got} == {arts[0].id, arts[2].id}
    warned = [r.getMessage() for r in caplog.records if "recognition failed" in r.getMessage()]
    assert len(warned) == 1 and arts[1].id in warned[0] and "RuntimeError: boom" in warned[0]
    assert "second line" not in warned[0]


def test_auto_without_hanlp_is_lac_and_shares_its_cache(corpus: Path, tmp_path: Path,
                                                        monkeypatch, caplog) -> None:
    import kg.recognize.hanlp as hanlp_mod

    monkeypatch.setattr(hanlp_mod, "hanlp_model_available", lambda model=None: False)
    first = kg.build([corpus], ner="lac", scheduler="sync", cache=tmp_path)
    with caplog.at_level("INFO", logger="kg.mentions"):
        auto = kg.build([corpus], ner="auto", scheduler="sync", cache=tmp_path)
    assert auto.engine == first.engine == "lac + learned layer"
    n = len(auto.articles)
    assert f"cache: {n} of {n} articles already recognised" in caplog.text

"""The packed sentences of an article read like the list they replace."""

import pickle
import sys

import pytest

from kg.model import Sentence, Sentences
from kg.sentences import split_sentences

TEXT = "市长李明来到青禾科技。他说：很好！\n第二段只有一句"


def _listed() -> list[Sentence]:
    return [Sentence("a#0", 0, 0, 0, 10, "市长李明来到青禾科技。"[:10]),
            Sentence("a#0", 1, 0, 10, 17, TEXT[10:17]),
            Sentence("a#0", 2, 1, 18, 25, TEXT[18:25])]


def test_sentences_read_like_a_list() -> None:
    packed = Sentences("a#0", TEXT, [(0, 10, 0), (10, 17, 0), (18, 25, 1)])
    listed = _listed()
    assert len(packed) == 3
    assert packed == listed and listed == packed
    assert packed[1].text == TEXT[10:17] and packed[1].index == 1
    assert packed[-1] == listed[-1]
    assert packed[1:] == listed[1:]
    assert [s.paragraph for s in packed] == [0, 0, 1]
    with pytest.raises(IndexError):
        packed[3]
    assert packed != listed[:2]
    assert packed != [*listed[:2], Sentence("a#0", 2, 1, 18, 24, TEXT[18:24])]


def test_split_sentences_gives_packed_sentences_with_exact_offsets() -> None:
    paragraphs = [(0, TEXT.index("\n")), (TEXT.index("\n") + 1, len(TEXT))]
    sents = split_sentences("a#0", TEXT, paragraphs)
    assert isinstance(sents, Sentences)
    assert [s.text for s in sents] == ["市长李明来到青禾科技。", "他说：很好！", "第二段只有一句"]
    assert all(TEXT[s.start:s.end] == s.text for s in sents)
    assert [s.index for s in sents] == list(range(len(sents)))


def test_sentences_pickle_as_spans_and_cost_less_than_objects() -> None:
    text = "甲乙丙丁。" * 2000
    spans = [(5 * i, 5 * i + 5, 0) for i in range(2000)]
    packed = Sentences("a#0", text, spans)
    again = pickle.loads(pickle.dumps(packed))
    assert again == packed and again[1999].text == "甲乙丙丁。"
    listed = list(packed)
    as_objects = sys.getsizeof(listed) + sum(
        sys.getsizeof(s) + sys.getsizeof(s.text) for s in listed)
    assert sys.getsizeof(packed._ints) * 10 < as_objects


def test_paragraphs_are_packed_and_read_like_a_list_of_tuples() -> None:
    from kg.model import Article, Spans

    a = Article("a#0", "a.txt", "t", "甲乙\n丙丁", paragraphs=[(0, 2), [3, 5]])
    assert isinstance(a.paragraphs, Spans)
    assert a.paragraphs == [(0, 2), (3, 5)] and [(0, 2), (3, 5)] == a.paragraphs
    assert list(a.paragraphs) == [(0, 2), (3, 5)] and a.paragraphs[-1] == (3, 5)
    assert a.paragraphs[0:1] == [(0, 2)] and len(a.paragraphs) == 2
    assert pickle.loads(pickle.dumps(a)).paragraphs == a.paragraphs
    # Negative cases: other pairs, other lengths and strings are not equal.
    assert a.paragraphs != [(0, 2), (3, 4)] and a.paragraphs != [(0, 2)]
    assert a.paragraphs != "甲乙" and Article("b", "b", "", "").paragraphs == []
    with pytest.raises(IndexError):
        a.paragraphs[2]


def test_a_mention_without_titles_shares_the_empty_tuple() -> None:
    from kg.model import Mention

    m1 = Mention("a#0", 0, 0, 2, "李明", "person")
    m2 = Mention("a#0", 1, 3, 5, "王强", "person", ("市长",))
    assert m1.titles == () and m1.titles is Mention("b", 0, 0, 1, "x", "place").titles
    assert m2.titles == ("市长",)

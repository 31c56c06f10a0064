"""The fast paths of codebook matching and speech acts give what the plain computations give."""
import re

import numpy as np
import pandas as pd
import pytest

from analysis import measures, voices
from analysis.codebook import load_codebook


@pytest.fixture(scope="module")
def book():
    return load_codebook()


@pytest.mark.parametrize("high", [5, 2 ** 40])  # small keys pack into one; huge ones cannot
def test_packed_keys_sort_like_the_keys_they_pack(high):
    rng = np.random.default_rng(7)
    keys = [rng.integers(0, high, 500), rng.integers(0, 3, 500), rng.integers(0, high, 500), rng.integers(0, 4, 500)]
    packed = measures._packed_keys(keys)
    assert len(packed) == (1 if high == 5 else 2)
    np.testing.assert_array_equal(np.lexsort(packed[::-1]), np.lexsort(keys[::-1]))


def _leftmost_longest_by_hand(begin, end, group):
    kept = np.zeros(len(begin), dtype=bool)
    for g in set(group.tolist()):
        last_end = -1
        for i in sorted(np.flatnonzero(group == g), key=lambda i: (begin[i], begin[i] - end[i], i)):
            if begin[i] >= last_end:
                kept[i], last_end = True, end[i]
    return kept


def test_leftmost_longest_keeps_what_a_sequential_pass_keeps():
    rng = np.random.default_rng(3)
    begin = rng.integers(0, 200, 400)
    end = begin + rng.integers(1, 12, 400)
    group = rng.integers(0, 3, 400)
    np.testing.assert_array_equal(measures._leftmost_longest(begin, end, group), _leftmost_longest_by_hand(begin, end, group))


@pytest.mark.parametrize("text", ["", "Kyiv", "Kyiv’s “talks”", "\u0130stanbul", "Mo\u017fcow", "\u212aelvin", "\u0131", "é ß"])
def test_folds_to_ascii_agrees_with_the_pattern(text):
    assert measures._folds_to_ascii(text) == bool(re.search("[\u0130\u0131\u017f\u212a]", text))


def test_evidence_rows_come_in_evidence_order_with_repeated_texts(book):
    texts = ["Kiev fears an invasion, said Sergei Ryabkov in Kiev.", "US and U.S. sanctions on Russia.",
             "Kiev fears an invasion, said Sergei Ryabkov in Kiev."]
    sentences = pd.DataFrame({"article_id": ["b", "a", "a"], "outlet": ["X", "Y", "Y"], "sentence_index": [0, 1, 0],
                              "start": [0, 60, 0], "end": [52, 91, 52], "text": texts, "n_words": [9, 6, 9]})
    evidence = measures.find_matches(sentences, book)
    pd.testing.assert_frame_equal(evidence, measures._sort_evidence(evidence), check_exact=True)
    assert evidence["article_id"].tolist()[:1] == ["a"] and len(evidence) > 6


def test_article_texts_rebuild_gaps_and_paragraph_breaks():
    paragraphs = [["Kiev talks.", "Ryabkov said so."], ["Sherman  left."], ["Price spoke.", "No."]]
    articles = {"a": "Kiev talks.  Ryabkov said so.\n Sherman  left.\n   Price spoke. No.", "b": "  Kiev."}
    rows = []
    for article_id, paragraph_lists in [("a", paragraphs), ("b", [["Kiev."]])]:
        position = 0
        for paragraph, sentences in enumerate(paragraph_lists):
            for sentence in sentences:
                start = articles[article_id].index(sentence, position)
                position = start + len(sentence)
                rows.append((article_id, start, position, paragraph, sentence))
    table = pd.DataFrame(rows, columns=["article_id", "start", "end", "paragraph", "text"])
    texts, first_rows = voices._article_texts(table)
    assert texts == [articles["a"], articles["b"]] and first_rows.tolist() == [0, 5]


@pytest.mark.parametrize("text", [
    "the US and the West; Kiev, Russia’s “alleged” buildup… – NATO",  # beyond ASCII: neither word nor space
    "putiné putin éputin Putin",  # a word character beyond ASCII next to a name
    "sergei\u00a0ryabkov met ned\u2009price in kiev\u3000",  # spaces beyond ASCII inside names
    "plain ascii text about russia and nato",
])
def test_word_scan_with_ascii_classes_only_where_it_reads_text_the_same(book, text):
    matcher = measures.compile_matcher(book, measures.DEFAULT_SECTIONS)
    lowered = text.lower()
    expected = [(m.start(), m.group(m.lastindex)) for m in matcher.plain.finditer(lowered)]
    assert measures._plain_matches(lowered, matcher) == expected

"""The aligned pairs table names sentences by key (compact dtypes); texts are joined on demand."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis import alignment, findings
from analysis.alignment import PAIR_COLUMNS, PAIR_TEXT_COLUMNS, align_sentences, pair_texts
from analysis.errors import CorpusError

SENTENCES = pd.DataFrame({
    "article_id": ["x", "x", "y", "w"], "sentence_index": [0, 1, 0, 0],
    "outlet": ["A News", "A News", "Al Mayadeen", "Wire"],
    "text": ["NATO and Russia meet in Brussels on Wednesday and the OSCE meets in Vienna.",
             "The talks lasted nearly eight hours.",
             "NATO and Russia meet in Brussels on Wednesday, the OSCE in Vienna on Thursday.",
             "The talks in Geneva lasted nearly eight hours."],
})


def test_pairs_hold_keys_in_compact_dtypes_and_no_texts():
    pairs = align_sentences(SENTENCES, min_similarity=0.2)
    assert list(pairs.columns) == PAIR_COLUMNS and len(pairs) >= 2
    assert {str(pairs[c].dtype) for c in ["article_id_a", "outlet_a", "article_id_b", "outlet_b"]} == {"category"}
    assert pairs.sentence_index_a.dtype == "int32" and pairs.sentence_index_b.dtype == "int32"
    assert list(pairs.article_id_a.cat.categories) == ["w", "x", "y"]


def test_categorical_keys_compare_and_write_as_strings():
    pairs = align_sentences(SENTENCES, min_similarity=0.2)
    assert (pairs.outlet_a != pairs.outlet_b).all()
    assert (pairs.article_id_b == "w").sum() == 1
    as_strings = pairs.astype({c: "str" for c in ["article_id_a", "outlet_a", "article_id_b", "outlet_b"]})
    assert pairs.to_csv(index=False) == as_strings.to_csv(index=False)


def test_pair_texts_joins_both_sentences_in_the_old_column_order():
    pairs = align_sentences(SENTENCES, min_similarity=0.2)
    with_texts = pair_texts(pairs, SENTENCES)
    assert list(with_texts.columns) == PAIR_TEXT_COLUMNS
    text = dict(zip(zip(SENTENCES.article_id, SENTENCES.sentence_index), SENTENCES.text))
    for row in with_texts.itertuples():
        assert row.text_a == text[(row.article_id_a, row.sentence_index_a)]
        assert row.text_b == text[(row.article_id_b, row.sentence_index_b)]
    pd.testing.assert_frame_equal(with_texts[PAIR_COLUMNS], pairs)


def test_pair_texts_keeps_the_rows_and_index_of_a_subset():
    pairs = align_sentences(SENTENCES, min_similarity=0.2)
    subset = pairs.iloc[::-1]
    assert pair_texts(subset, SENTENCES).index.tolist() == subset.index.tolist()


def test_pair_texts_rejects_pairs_from_another_table():
    pairs = align_sentences(SENTENCES, min_similarity=0.2)
    with pytest.raises(CorpusError, match="not in the sentences table"):
        pair_texts(pairs, SENTENCES.iloc[[1, 3]])


def test_aligned_pairs_with_diffs_joins_texts_or_says_they_are_missing():
    pairs = findings.content_alignment(SENTENCES.assign(is_attribution=False), min_similarity=0.2)
    ranked = findings.aligned_pairs_with_diffs(pairs, SENTENCES, k=1)
    assert ranked.difference.tolist() == ["NATO and Russia meet in Brussels on Wednesday [-and] the OSCE [-meets] in Vienna [+on Thursday]."]
    with pytest.raises(CorpusError, match="pass the sentences table"):
        findings.aligned_pairs_with_diffs(pairs)


def test_duplicate_pairs_are_dropped_share_by_share(monkeypatch):
    expected = align_sentences(SENTENCES, min_similarity=0.2)
    monkeypatch.setattr(alignment, "PAIR_SHARES", 3)
    pd.testing.assert_frame_equal(align_sentences(SENTENCES, min_similarity=0.2), expected)


# ---------------------------------------------------------------- words made once for both stages
def test_words_made_once_give_the_same_results_in_both_stages():
    sentences = SENTENCES.assign(is_attribution=[False, False, False, True])
    words = alignment.text_words(sentences["text"])
    pd.testing.assert_frame_equal(alignment.shared_copy(sentences, words=words), alignment.shared_copy(sentences))
    pd.testing.assert_frame_equal(
        alignment.shared_copy(sentences, words=words, reference=sentences.text[3]),
        alignment.shared_copy(sentences, reference=sentences.text[3]))
    kept = findings.content_alignment(sentences, min_similarity=0.1, words=words)
    pd.testing.assert_frame_equal(kept, findings.content_alignment(sentences, min_similarity=0.1))
    pd.testing.assert_frame_equal(kept, align_sentences(sentences.iloc[:3], min_similarity=0.1))


def test_words_of_another_table_are_refused():
    words = alignment.text_words(SENTENCES["text"].iloc[:2])
    with pytest.raises(CorpusError, match="words were made from 2 texts"):
        alignment.shared_copy(SENTENCES, words=words)
    with pytest.raises(CorpusError, match="words were made from 2 texts"):
        findings.content_alignment(SENTENCES.assign(is_attribution=False), words=words)


def test_taking_rows_numbers_texts_as_tokenising_those_rows_would():
    texts = pd.Series(["Talks ended.", "Talks resume", "Talks ended.", "New talks"])
    taken = alignment.text_words(texts).take([3, 2, 0])
    direct = alignment.text_words(texts.iloc[[3, 2, 0]])
    assert taken.text_codes.tolist() == direct.text_codes.tolist()
    assert ([taken.words.vocabulary[c] for c in taken.words.code] ==
            [direct.words.vocabulary[c] for c in direct.words.code])
    assert taken.words.row.tolist() == direct.words.row.tolist()


def test_ngram_parts_side_by_side_equal_sparse_hstack(monkeypatch):
    from scipy import sparse

    unique, words = alignment._unique_texts(alignment.text_words(SENTENCES["text"]))
    parts = alignment._ngram_parts(words, len(unique.counts), ngram_range=(1, 3), stopwords=False, stem=True)
    expected = sparse.hstack(parts, format="csr")
    monkeypatch.setattr(alignment, "BLOCK_ROWS", 1)  # rows placed in several blocks
    joined = alignment._side_by_side(list(parts))
    assert joined.shape == expected.shape
    for name in ("indptr", "indices", "data"):
        assert (getattr(joined, name) == getattr(expected, name)).all()


def test_unique_pairs_keep_the_first_entry_and_sort_by_rank(monkeypatch):
    import numpy as np

    monkeypatch.setattr(alignment, "PAIR_SHARES", 2)
    found = [alignment.CandidateBlock(np.array([0, 3, 2], dtype="int32"), np.array([3, 1, 0], dtype="int32"),
                                      np.array([0.5, 0.7, 0.9])),
             alignment.CandidateBlock(np.array([3, 1, 0], dtype="int32"), np.array([0, 3, 2], dtype="int32"),
                                      np.array([0.6, 0.8, 0.4]))]
    rank = np.array([3, 0, 2, 1])  # row 1 sorts first, then rows 3, 2, 0
    pairs = alignment._unique_pairs(found, rank)
    assert pairs.values.tolist() == [[1, 3, 0.7], [0, 3, 0.5], [0, 2, 0.9]]
    assert found == []


def test_texts_with_the_same_code_sums_are_told_apart_by_their_words():
    words = alignment.text_words(["talks in Geneva", "Geneva in talks", "", "Talks in Geneva!", "in"])
    unique, _ = alignment._unique_texts(words)
    assert unique.codes.tolist() == [0, 1, 2, 0, 3]

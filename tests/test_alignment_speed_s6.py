"""Session 6 shortcuts of the corpus-wide stages give what the plain rules give.

- text_words finds the texts with the same normalised words once (``sequences``) for both
  stages; ``take`` renumbers them as finding them again on the rows taken would, and both
  stages give the same tables with or without them.
- Keys are numbered by marking them in a table (``_number_keys``), equal to pandas' sorted
  factorize; common shingles become bits by one reduction per row (``_common_bits``),
  equal to setting each bit; tokens are keyed a chunk at a time, whatever the chunk.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from analysis import alignment, findings

WORDS = ["talks", "troops", "border", "russia", "nato", "said", "the", "of", "in", "geneva"]


def random_sentences(seed: int, n: int = 150) -> pd.DataFrame:
    """Sentences over a tiny vocabulary, some repeated verbatim, some with the same words in
    other case or punctuation (same sequence, other text), some speaker lines, five outlets."""
    rng = np.random.default_rng(seed)
    texts: list[str] = []
    for _ in range(n):
        draw = rng.random()
        if texts and draw < 0.2:
            texts.append(texts[rng.integers(len(texts))])
        elif texts and draw < 0.4:
            texts.append(texts[rng.integers(len(texts))].upper().rstrip(".") + "!")
        else:
            texts.append(" ".join(rng.choice(WORDS, rng.integers(1, 14))) + ".")
    return pd.DataFrame({"article_id": [f"a{row // 3}" for row in range(n)], "sentence_index": np.arange(n) % 3,
                         "outlet": rng.choice(["A", "B", "C", "D", "E"], n), "text": texts,
                         "is_attribution": rng.random(n) < 0.15})


def sequences_found_again(words: alignment.TextWords) -> np.ndarray:
    return alignment._same_words(words.words, int(words.text_codes.max(initial=-1)) + 1)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sequences_are_those_found_from_the_words(seed):
    words = alignment.text_words(random_sentences(seed)["text"])
    assert words.sequences.tolist() == sequences_found_again(words).tolist()
    assert words.sequences.max() < words.text_codes.max()  # the corpus has texts with the same words


@pytest.mark.parametrize("rows", [None, "ordered", "shuffled"])
def test_taken_sequences_are_those_found_from_the_rows_taken(rows):
    sentences = random_sentences(3)
    rng = np.random.default_rng(5)
    chosen = {None: np.arange(len(sentences)), "ordered": np.flatnonzero(rng.random(len(sentences)) < 0.6),
              "shuffled": rng.permutation(len(sentences))[:90]}[rows]
    taken = alignment.text_words(sentences["text"]).take(chosen)
    assert taken.sequences.tolist() == sequences_found_again(taken).tolist()


@pytest.mark.parametrize("seed", [0, 4])
def test_stages_give_the_same_tables_without_sequences(seed):
    sentences = random_sentences(seed)
    words = alignment.text_words(sentences["text"])
    bare = alignment.TextWords(words.text_codes, words.words)
    pd.testing.assert_frame_equal(alignment.shared_copy(sentences, words=words),
                                  alignment.shared_copy(sentences, words=bare), check_exact=True)
    with_sequences = findings.content_alignment(sentences, words=words)
    without = findings.content_alignment(sentences, words=bare)
    pd.testing.assert_frame_equal(with_sequences, without, check_exact=True)
    assert with_sequences.attrs["candidate_pairs"] == without.attrs["candidate_pairs"]


def test_a_reference_repeating_a_text_joins_its_sequence():
    sentences = random_sentences(6)
    words = alignment.text_words(sentences["text"]).with_text(sentences["text"].iloc[4].upper())
    assert words.sequences is None
    unique, _ = alignment._unique_texts(words)
    assert unique.codes[-1] == unique.codes[4]


@pytest.mark.parametrize("table_limit", [1 << 20, 4])
def test_numbered_keys_equal_sorted_factorize(monkeypatch, table_limit):
    monkeypatch.setattr(alignment, "KEY_CHUNK", table_limit)
    keys = np.random.default_rng(7).integers(0, 50, 400) * 3
    groups, distinct = alignment._number_keys(keys, 150)
    expected_groups, expected_distinct = pd.factorize(keys, sort=True)
    assert groups.tolist() == expected_groups.tolist()
    assert distinct.tolist() == expected_distinct.tolist()


@pytest.mark.parametrize("chunk", [1 << 20, 128])  # 128: two rows per share, some shares empty
def test_common_bits_set_each_shingles_bit(monkeypatch, chunk):
    monkeypatch.setattr(alignment, "KEY_CHUNK", chunk)
    rng = np.random.default_rng(8)
    dense = rng.random((9, 300)) < 0.05
    dense[[2, 3, 6]] = False  # rows without common shingles
    bits = alignment._common_bits(sparse.csr_matrix(dense))
    for row, columns in enumerate(dense):
        set_bits = {int(column) % alignment.COMMON_BITS for column in np.flatnonzero(columns)}
        words = [sum(1 << bit - 64 * number for bit in set_bits if bit // 64 == number) for number in range(2)]
        assert [int(word[row]) for word in bits.words] == words
        assert bits.clashes[row] == columns.sum() - len(set_bits)


def test_small_key_chunks_give_the_same_tables(monkeypatch):
    sentences = random_sentences(9)
    expected = (alignment.shared_copy(sentences), findings.content_alignment(sentences))
    monkeypatch.setattr(alignment, "KEY_CHUNK", 64)
    pd.testing.assert_frame_equal(alignment.shared_copy(sentences), expected[0], check_exact=True)
    pd.testing.assert_frame_equal(findings.content_alignment(sentences), expected[1], check_exact=True)


def test_stopwords_before_each_token_are_counted_in_int32():
    words = alignment.text_words(["talks in the border of Geneva", "the of"]).words
    before = alignment._excluded_before(words, stopwords=True)
    assert before.dtype == np.int32
    assert before.tolist() == [0, 0, 1, 2, 2, 3, 3, 4, 5]

"""shared_copy's containment step, piece by piece and whole, against plain rules.

- The block step keeps only pairs that can reach their text's best score (a floor from
  the uncommon shingles shared, 1 for texts in several outlets), looks up the common
  shingles of a few leaders first and bounds the rest: on many generated corpora it must
  still give the containment rule applied row by row (tests/test_alignment_fast_paths.py
  has the oracle), whatever the block size, bits and common-shingle cut.
- The helpers it uses give what numpy's plain operations give: the dense layout of a
  block and the leader of each text (the bits of the common shingles are checked in
  tests/test_alignment_fast_paths.py).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from analysis import alignment
from analysis.alignment import shared_copy

from test_alignment_fast_paths import random_sentences, shared_copy_oracle


def matched_keys(result: pd.DataFrame) -> list[tuple]:
    return [(article, None if pd.isna(index) else int(index)) if not pd.isna(article) else (None, None)
            for article, index in zip(result["matched_article_id"], result["matched_sentence_index"])]


def oracle_keys(sentences: pd.DataFrame, partners: list[int]) -> list[tuple]:
    keys = list(zip(sentences["article_id"], sentences["sentence_index"])) + [(alignment.REFERENCE_ID, None)]
    return [keys[partner] if partner >= 0 else (None, None) for partner in partners]


@pytest.mark.parametrize("seed", range(3, 13))
@pytest.mark.parametrize("max_sentences, common_bits, block_rows", [(6, 64, 5), (2, 128, 32), (200, 128, 2048)])
def test_block_containment_equals_the_rule_on_generated_corpora(monkeypatch, seed, max_sentences, common_bits,
                                                               block_rows):
    monkeypatch.setattr(alignment, "MAX_NGRAM_SENTENCES", max_sentences)
    monkeypatch.setattr(alignment, "COMMON_BITS", common_bits)
    monkeypatch.setattr(alignment, "BLOCK_ROWS", block_rows)
    sentences = random_sentences(seed, n=90)
    reference = None if seed % 2 else " ".join(sentences["text"].iloc[:3])
    for shingle in (2, 3):
        result = shared_copy(sentences, shingle=shingle, reference=reference)
        partners, scores = shared_copy_oracle(sentences, shingle=shingle, reference=reference)
        assert matched_keys(result) == oracle_keys(sentences, partners)
        assert result["similarity"].tolist() == scores


def test_texts_in_one_outlet_only_find_partners_elsewhere():
    sentences = pd.DataFrame({
        "article_id": ["a", "b", "c", "d"], "sentence_index": 0, "outlet": ["A", "A", "B", "B"],
        "text": ["Troops massed at the border on Monday.", "Troops massed at the border on Monday night.",
                 "Troops massed at the border, officials said.", "Talks ended without a deal."]})
    result = shared_copy(sentences)
    assert result["matched_article_id"].tolist()[:3] == ["c", "c", "a"]
    partners, scores = shared_copy_oracle(sentences, shingle=3, reference=None)
    assert result["similarity"].tolist() == scores


def test_block_layout_holds_each_row_of_the_block(monkeypatch):
    monkeypatch.setattr(alignment, "BLOCK_ROWS", 4)
    rng = np.random.default_rng(3)
    matrix = sparse.csr_matrix(rng.random((10, 12)) < 0.25)
    for start in (0, 4, 8):
        layout = alignment._block_layout(matrix, start)
        rows = matrix[start:start + 4].toarray()
        assert (layout.dense[np.arange(len(rows))[:, None] * layout.width + layout.column_map] == rows).all()
        assert not layout.dense.reshape(len(rows), layout.width)[:, -1].any()  # the "not there" places


def test_text_leaders_are_the_first_highest_score_of_each_text():
    rng = np.random.default_rng(11)
    rows = np.sort(rng.integers(0, 20, 300))
    scores = rng.integers(0, 4, 300) / 4
    expected = [int(np.flatnonzero((rows == text) & (scores == scores[rows == text].max()))[0])
                for text in np.unique(rows)]
    assert alignment._text_leaders(rows, scores).tolist() == expected

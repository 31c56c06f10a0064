"""Matching scans each distinct sentence text once; every sentence still gets its own rows."""
from __future__ import annotations

import re

import pandas as pd
from pandas.testing import assert_frame_equal

from analysis.codebook import load_codebook
from analysis.measures import find_matches, scan_sentences

TEXTS = ["Kiev fears an invasion, Sergei Ryabkov said.", "Nothing here.",
         "Kiev fears an invasion, Sergei Ryabkov said.", "Kyiv and Kiev.", "Nothing here."]
SENTENCES = pd.DataFrame({
    "article_id": ["a", "a", "b", "b", "c"], "outlet": ["X", "X", "Y", "Y", "Z"],
    "sentence_index": [0, 1, 0, 1, 0], "start": [0, 45, 0, 45, 0], "end": [44, 58, 44, 59, 13],
    "text": TEXTS, "n_words": [7, 2, 7, 3, 2],
})


def test_repeated_texts_match_as_if_scanned_one_by_one():
    codebook = load_codebook()
    together = find_matches(SENTENCES, codebook)
    alone = pd.concat([find_matches(SENTENCES.iloc[[i]], codebook) for i in range(len(SENTENCES))])
    expected = alone.sort_values(["article_id", "start", "end", "section", "category", "term"],
                                 ignore_index=True, kind="stable")
    assert_frame_equal(together, expected, check_exact=True)
    assert (together["article_id"] == "b").sum() > (together["article_id"] == "a").sum() > 0


def test_scan_sentences_keeps_row_order_with_repeated_texts():
    hits = scan_sentences(SENTENCES, re.compile("Ki[e]v"))
    assert hits.values.tolist() == [[0, 0, 4, "Kiev"], [2, 0, 4, "Kiev"], [3, 54, 58, "Kiev"]]

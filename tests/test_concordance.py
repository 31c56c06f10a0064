"""Tests for analysis.concordance: keyword in context on hand-made and seed sentences."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.concordance import KWIC_COLUMNS, compile_query, kwic
from analysis.corpus import load_corpus
from analysis.sentences import sentences_table
from analysis.tokens import count_words

SENTENCES = pd.DataFrame(
    [
        ("a", "X", 0, 0, "Russia told the U.S. it has no plans to attack Ukraine;", 11),
        ("a", "X", 1, 56, "“We will not allow anyone to slam closed NATO’s open door policy,” she said.", 15),
        ("b", "Y", 0, 0, "Attack? Kiev feared an ATTACK, and Kyiv said so.", 9),
    ],
    columns=["article_id", "outlet", "sentence_index", "start", "text", "n_words"],
)
SENTENCES["end"] = SENTENCES["start"] + SENTENCES["text"].str.len()


@pytest.fixture(scope="module")
def seeds():
    articles = load_corpus()
    return articles, sentences_table(articles)


@pytest.mark.parametrize("query, options, expected", [
    ("attack", {"window": 3}, [("no plans to", "attack", "Ukraine"), ("", "Attack", "? Kiev feared an"),
                               ("Kiev feared an", "ATTACK", ", and Kyiv said")]),
    ("attack", {"window": 1, "case_sensitive": True}, [("to", "attack", "Ukraine")]),
    ("NATO's open door", {"window": 2}, [("slam closed", "NATO’s open door", "policy,” she")]),  # curly apostrophe
    ("plans to", {"window": 0}, [("", "plans to", "")]),
    (r"K(?:iev|yiv)", {"window": 2, "regex": True},
     [("Attack?", "Kiev", "feared an"), ("ATTACK, and", "Kyiv", "said so")]),
    ("U.S.", {"window": 2}, [("told the", "U.S.", "it has")]),
    ("said", {"whole_sentence": True},
     [("“We will not allow anyone to slam closed NATO’s open door policy,” she", "said", "."),
      ("Attack? Kiev feared an ATTACK, and Kyiv", "said", "so.")]),
    ("Moscow", {}, []),
])
def test_kwic_shows_each_occurrence_with_its_context(query, options, expected):
    table = kwic(SENTENCES, query, **options)
    assert list(zip(table["left"], table["match"], table["right"])) == expected


@pytest.mark.parametrize("window", [1, 2, 5])
def test_window_counts_word_tokens_not_punctuation(window):
    table = kwic(SENTENCES, "Kyiv", window=window)
    assert count_words(table["left"].item()) == min(window, 6)
    assert count_words(table["right"].item()) == min(window, 2)


def test_kwic_columns_offsets_and_order():
    table = kwic(SENTENCES, "attack")
    assert list(table.columns) == KWIC_COLUMNS
    assert table[["article_id", "sentence_index", "start", "end"]].values.tolist() == [
        ["a", 0, 40, 46], ["b", 0, 0, 6], ["b", 0, 23, 29]]


@pytest.mark.parametrize("query, options, error", [
    ("", {}, "the query is empty"),
    ("   ", {}, "the query is empty"),
    ("(attack", {"regex": True}, "invalid regular expression '\\(attack': missing \\)"),
    ("x*", {"regex": True}, "matches empty text"),
    ("attack", {"window": -1}, "window must be 0 or more"),
])
def test_kwic_rejects_bad_queries_clearly(query, options, error):
    with pytest.raises(ValueError, match=error):
        kwic(SENTENCES, query, **options)


def test_compile_query_is_case_insensitive_by_default():
    assert compile_query("kiev").search("KIEV") is not None
    assert compile_query("kiev", case_sensitive=True).search("KIEV") is None


def test_kwic_rejects_a_table_without_sentence_columns():
    with pytest.raises(ValueError, match="lacks column\\(s\\) outlet, sentence_index"):
        kwic(SENTENCES[["article_id", "start", "text"]], "attack")


@pytest.mark.parametrize("query, expected", [  # read off the cleaned seed text
    ("attack", {"000": 2, "003": 1, "004": 2}),
    ("so-called", {"004": 1}),
    ("Kiev", {"000": 1, "003": 1}),
    ("Ryabkov", {"000": 5, "001": 5, "002": 3, "003": 8, "004": 1}),
])
def test_seed_concordance_counts(seeds, query, expected):
    _, sentences = seeds
    table = kwic(sentences, query)
    assert table.groupby(table.article_id.str[:3]).size().to_dict() == expected


def test_seed_concordance_points_into_the_text_and_reads_in_context(seeds):
    articles, sentences = seeds
    texts = dict(zip(articles.article_id, articles.text))
    table = kwic(sentences, "no plans to attack", window=3)
    assert all(texts[a][s:e] == m for a, s, e, m in table[["article_id", "start", "end", "match"]].values)
    assert table[["left", "right"]].values.tolist() == [["the Kremlin has", "Ukraine"], ["U.S. it has", "Ukraine"]]
    whole = kwic(sentences, "so-called", whole_sentence=True).iloc[0]
    assert whole["left"].startswith("U.S. and Russian representatives")
    assert whole["right"] == '"security guarantees" proposed by the Russian side.'

"""Distinctive words: term counts, Fightin' Words log-odds, top terms and prior sensitivity."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.corpus import load_corpus
from analysis.errors import CorpusError
from analysis.keyness import (
    LOG_ODDS_COLUMNS,
    coded_words,
    load_stopwords,
    log_odds,
    prior_sensitivity,
    sentence_words,
    term_counts,
    top_terms,
)
from analysis.sentences import sentences_table
from analysis.tokens import WORD_TOKEN_PATTERN, normalise

# A 3 x 2 table worked out by hand. Group totals n_A = 4, n_B = 4, N = 8.
#   scale 1:   alpha_war = 2, alpha_talks = 2, alpha_peace = 4, alpha_0 = 8
#     war,   A:  log((2+2)/(4+8-2-2)) - log((0+2)/(4+8-0-2)) = log(4/8) - log(2/10) = log(2.5)
#                var = 1/(2+2) + 1/(0+2) = 0.75;  z = log(2.5) / sqrt(0.75)
#     talks, A:  log(3/9) - log(3/9) = 0;  var = 1/3 + 1/3
#     peace, A:  log((1+4)/(4+8-1-4)) - log((3+4)/(4+8-3-4)) = log(5/7) - log(7/5) = log(25/49)
#                var = 1/5 + 1/7 = 12/35
#   scale 0.5: alpha_war = 1, alpha_talks = 1, alpha_peace = 2, alpha_0 = 4
#     war,   A:  log((2+1)/(4+4-2-1)) - log((0+1)/(4+4-0-1)) = log(3/5) - log(1/7) = log(4.2)
#                var = 1/3 + 1/1 = 4/3
#     peace, A:  log((1+2)/(4+4-1-2)) - log((3+2)/(4+4-3-2)) = log(3/5) - log(5/3) = log(9/25)
#                var = 1/3 + 1/5 = 8/15
#   For group B every delta and z is the negative of A's (two groups: the rest of A is B).
HAND_COUNTS = pd.DataFrame({"A": [2, 1, 1], "B": [0, 1, 3]}, index=["war", "talks", "peace"])
HAND_CASES = [
    (1.0, "A", "war", 2, 0, math.log(2.5), 0.75),
    (1.0, "A", "talks", 1, 1, 0.0, 2 / 3),
    (1.0, "A", "peace", 1, 3, math.log(25 / 49), 12 / 35),
    (1.0, "B", "war", 0, 2, -math.log(2.5), 0.75),
    (1.0, "B", "peace", 3, 1, -math.log(25 / 49), 12 / 35),
    (0.5, "A", "war", 2, 0, math.log(4.2), 4 / 3),
    (0.5, "A", "peace", 1, 3, math.log(9 / 25), 8 / 15),
    (0.5, "B", "war", 0, 2, -math.log(4.2), 4 / 3),
]


@pytest.fixture(scope="module")
def seed_sentences() -> pd.DataFrame:
    return sentences_table(load_corpus(paths.CORPUS_DIR))


@pytest.fixture(scope="module")
def seed_counts(seed_sentences) -> pd.DataFrame:
    return term_counts(seed_sentences)


def random_counts(n_terms: int, groups: list[str], *, seed: int) -> pd.DataFrame:
    """Seeded counts with a skewed (gamma-Poisson) spread of term frequencies, zeros included."""
    rng = np.random.default_rng(seed)
    rates = rng.gamma(0.5, 4.0, size=(n_terms, 1))
    counts = rng.poisson(rates, size=(n_terms, len(groups)))
    counts[counts.sum(axis=1) == 0, 0] = 1  # every term occurs somewhere
    return pd.DataFrame(counts, index=[f"term{i:03d}" for i in range(n_terms)], columns=groups)


def scalar_log_odds(counts: pd.DataFrame, group: str, term: str, scale: float) -> tuple[float, float]:
    """Monroe et al. (2008) eq. 16 and 20 for one term and group, written out with scalars."""
    y_i = float(counts.loc[term, group])
    y_j = float(counts.loc[term].sum()) - y_i
    n_i = float(counts[group].sum())
    n_j = float(counts.to_numpy().sum()) - n_i
    alpha_w = scale * float(counts.loc[term].sum())
    alpha_0 = scale * float(counts.to_numpy().sum())
    delta = math.log((y_i + alpha_w) / (n_i + alpha_0 - y_i - alpha_w)) - math.log(
        (y_j + alpha_w) / (n_j + alpha_0 - y_j - alpha_w)
    )
    return delta, 1 / (y_i + alpha_w) + 1 / (y_j + alpha_w)


# ---------------------------------------------------------------- log_odds: the formula
@pytest.mark.parametrize("scale, group, term, count_group, count_rest, delta, variance", HAND_CASES)
def test_log_odds_matches_hand_arithmetic(scale, group, term, count_group, count_rest, delta, variance):
    row = log_odds(HAND_COUNTS, scale=scale).set_index(["group", "term"]).loc[(group, term)]
    assert (row.count_group, row.count_rest) == (count_group, count_rest)
    assert row.log_odds == pytest.approx(delta, abs=1e-12)
    assert row.variance == pytest.approx(variance, abs=1e-12)
    assert row.z == pytest.approx(delta / math.sqrt(variance), abs=1e-12)


@pytest.mark.parametrize("scale", [0.01, 0.3, 1.0, 7.5])
def test_log_odds_equals_scalar_formula_on_random_table(scale):
    counts = random_counts(60, ["A", "B", "C", "D"], seed=7)
    result = log_odds(counts, scale=scale)
    expected = [scalar_log_odds(counts, row.group, row.term, scale) for row in result.itertuples()]
    np.testing.assert_allclose(result["log_odds"], [delta for delta, _ in expected], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(result["variance"], [var for _, var in expected], rtol=1e-10)
    np.testing.assert_allclose(result["z"], result["log_odds"] / np.sqrt(result["variance"]), rtol=1e-12)


@pytest.mark.parametrize("counts", [HAND_COUNTS, random_counts(40, ["left", "right"], seed=3)],
                         ids=["hand", "random"])
def test_two_groups_are_mirror_images(counts):
    result = log_odds(counts).set_index(["term", "group"])["z"].unstack("group")
    first, second = result.columns
    np.testing.assert_allclose(result[first], -result[second], atol=1e-12)
    assert (result[first] != 0).any(), "a table of ties cannot show the symmetry"


@pytest.mark.parametrize("smaller, larger", [(0.01, 0.1), (0.1, 1.0), (1.0, 10.0), (10.0, 100.0)])
@pytest.mark.parametrize("table", ["random", "seeds"])
def test_larger_prior_scale_shrinks_every_log_odds(smaller, larger, table, seed_counts):
    counts = random_counts(80, ["A", "B", "C"], seed=11) if table == "random" else seed_counts
    weak = log_odds(counts, scale=smaller).set_index(["group", "term"])["log_odds"].abs()
    strong = log_odds(counts, scale=larger).set_index(["group", "term"])["log_odds"].abs().reindex(weak.index)
    assert (strong <= weak + 1e-12).all()
    assert strong.sum() < weak.sum()


def test_log_odds_table_shape_and_order():
    result = log_odds(HAND_COUNTS)
    assert list(result.columns) == LOG_ODDS_COLUMNS
    assert result[["group", "term"]].values.tolist() == [
        ["A", "war"], ["A", "talks"], ["A", "peace"], ["B", "peace"], ["B", "talks"], ["B", "war"]]


def test_terms_never_counted_are_dropped():
    counts = pd.concat([HAND_COUNTS, pd.DataFrame({"A": [0], "B": [0]}, index=["unused"])])
    assert "unused" not in set(log_odds(counts)["term"])


@pytest.mark.parametrize(
    "counts, scale, message",
    [
        (pd.DataFrame({"A": [1, -1], "B": [2, 3]}, index=["x", "y"]), 1.0, "non-negative"),
        (pd.DataFrame({"A": [1.0, np.nan], "B": [2, 3]}, index=["x", "y"]), 1.0, "non-negative"),
        (pd.DataFrame({"A": [1, 2]}, index=["x", "y"]), 1.0, "at least two groups"),
        (pd.DataFrame({"A": [1, 0], "B": [2, 0]}, index=["x", "y"]), 1.0, "at least two terms"),
        (pd.DataFrame({"A": ["one", "two"], "B": [2, 3]}, index=["x", "y"]), 1.0, "must be a number"),
        (HAND_COUNTS, 0.0, "positive"),
        (HAND_COUNTS, -1.0, "positive"),
        (HAND_COUNTS, float("nan"), "positive"),
        ([[1, 2], [3, 4]], 1.0, "DataFrame"),
    ],
)
def test_log_odds_rejects_bad_input(counts, scale, message):
    with pytest.raises(CorpusError, match=message) as raised:
        log_odds(counts, scale=scale)
    assert isinstance(raised.value, ValueError)


# ---------------------------------------------------------------- top terms, sensitivity
def test_top_terms_ranks_by_z_within_each_group():
    top = top_terms(log_odds(HAND_COUNTS), k=2)
    assert top[["group", "rank", "term"]].values.tolist() == [
        ["A", 1, "war"], ["A", 2, "talks"], ["B", 1, "peace"], ["B", 2, "talks"]]


@pytest.mark.parametrize("k", [0, -1, 2.5, True])
def test_top_terms_rejects_bad_k(k):
    with pytest.raises(CorpusError, match="k must be"):
        top_terms(log_odds(HAND_COUNTS), k=k)


def test_prior_decides_the_top_term_and_overlap_shows_it():
    # B: "talks" 3 of 7 words vs 3 of 13 in A; "peace" 2 in B and never in A. A weak prior
    # trusts the 3-vs-3 ratio, a strong prior favours the word A never uses.
    counts = pd.DataFrame({"A": [9, 1, 0, 3], "B": [1, 1, 2, 3]}, index=["war", "rare", "peace", "talks"])
    result = prior_sensitivity(counts, scales=(0.01, 10.0), k=1)
    terms = result.top.set_index(["group", "scale"])["term"]
    assert (terms[("B", 0.01)], terms[("B", 10.0)]) == ("talks", "peace")
    assert result.overlap[["group", "shared", "jaccard"]].values.tolist() == [["A", 1, 1.0], ["B", 0, 0.0]]


def test_prior_sensitivity_compares_every_pair_of_scales(seed_counts):
    result = prior_sensitivity(seed_counts, scales=(0.01, 0.1, 1, 10), k=10)
    assert len(result.overlap) == 5 * 6  # five outlets, six pairs of scales
    assert result.top.groupby(["scale", "group"]).size().eq(10).all()
    assert result.overlap["jaccard"].between(0, 1).all()
    assert (result.overlap["jaccard"] < 1).any(), "with five short articles the prior must matter somewhere"


def test_prior_sensitivity_needs_a_scale():
    with pytest.raises(CorpusError, match="at least one prior scale"):
        prior_sensitivity(HAND_COUNTS, scales=())


# ---------------------------------------------------------------- words and counts
@pytest.mark.parametrize(
    "text, words",
    [
        ("Russia’s “invasion” of U.S. talks", ["russia's", "invasion", "of", "u.s.", "talks"]),
        ("about 100,000 troops", ["about", "100,000", "troops"]),
        ("so-called \"security guarantees\" - what", ["so-called", "security", "guarantees", "what"]),
        ("", []),
    ],
)
def test_sentence_words_are_normalised_word_tokens(text, words):
    assert sentence_words(pd.DataFrame({"text": [text]}))["word"].tolist() == words


@pytest.mark.parametrize(
    "texts, rows, words",
    [
        (["Russia’s “invasion”", None, "RUSSIA'S troops"], [0, 0, 2, 2],
         ["russia's", "invasion", "russia's", "troops"]),
        ([float("nan"), 3, ""], [], []),  # missing and non-text values have no words
        (["U.S. talks", "u.s. Talks"], [0, 0, 1, 1], ["u.s.", "talks", "u.s.", "talks"]),
    ],
)
@pytest.mark.parametrize("block_size", [1, 2, 50_000])
def test_coded_words_are_the_normalised_word_tokens(texts, rows, words, block_size):
    coded = coded_words(texts, block_size=block_size)
    assert coded.row.tolist() == rows and coded.vocabulary[coded.code].tolist() == words
    assert len(set(coded.vocabulary)) == len(coded.vocabulary)  # one code per distinct word


@pytest.mark.parametrize("block_size", [7, 1000])
def test_coded_words_on_seed_sentences_equal_one_tokenisation_per_sentence(seed_sentences, block_size):
    coded = coded_words(seed_sentences["text"], block_size=block_size)
    expected = [(row, normalise(token)) for row, text in enumerate(seed_sentences["text"])
                for token in WORD_TOKEN_PATTERN.findall(text)]
    assert list(zip(coded.row.tolist(), coded.vocabulary[coded.code].tolist())) == expected


WHITESPACE_EDGES = [
    "well-\nknown U.S.\tofficials", "it’s\u00a0“so-called”\u2028talks", "a -b c- 'd e' 100 ,000 1.5%",
    "Café\u0301 \u0301x x\u0301 naïve", "Lavrov,Ryabkov  Blinken\r\nSherman", "U.S.-Russia talks; U.S.A.\x1cend",
    "  leading and trailing  ", "\u3000全角 space", "O’Neill’s — d’Artagnan", "",
]


@pytest.mark.parametrize("block_size", [1, 3, 50_000])
def test_coded_words_cut_at_whitespace_equal_one_tokenisation_per_text(block_size):
    texts = WHITESPACE_EDGES * 2
    coded = coded_words(texts, block_size=block_size)
    expected = [(row, normalise(token)) for row, text in enumerate(texts) for token in WORD_TOKEN_PATTERN.findall(text)]
    assert list(zip(coded.row.tolist(), coded.vocabulary[coded.code].tolist())) == expected
    first_seen = list(dict.fromkeys(word for _, word in expected))
    assert coded.vocabulary.tolist() == first_seen


def per_sentence_counts(sentences: pd.DataFrame, by: str) -> dict:
    """Term counts the slow way: every row tokenised on its own (the oracle for term_counts)."""
    stopwords = load_stopwords()
    counts: dict = {}
    for text, group in zip(sentences["text"], sentences[by]):
        if pd.isna(group):
            continue
        for token in WORD_TOKEN_PATTERN.findall(text):
            word = normalise(token)
            if word not in stopwords:
                counts.setdefault(word, {}).setdefault(str(group), 0)
                counts[word][str(group)] += 1
    return counts


@pytest.mark.parametrize("by", ["outlet", "article_id"])
def test_term_counts_of_repeated_sentences_count_every_row(seed_sentences, by):
    # wire copy: the same sentences again under other outlets and articles, some in capitals
    copies = seed_sentences.head(40).assign(outlet="Wire", article_id=lambda t: t["article_id"] + "-copy")
    copies["text"] = copies["text"].where(copies.index % 3 > 0, copies["text"].str.upper())
    sentences = pd.concat([seed_sentences, copies, seed_sentences.head(5).assign(outlet=None)], ignore_index=True)
    counts = term_counts(sentences, by=by)
    nonzero = {term: {group: int(n) for group, n in row.items() if n} for term, row in counts.iterrows()}
    assert nonzero == per_sentence_counts(sentences, by)


def test_stopword_list_is_lower_case_and_keeps_framing_words():
    stopwords = load_stopwords()
    assert len(stopwords) > 150
    assert all(word == word.lower() and "’" not in word for word in stopwords)
    assert {"us", "said", "invasion", "alleged", "never"}.isdisjoint(stopwords)
    assert {"the", "of", "and", "don't"} <= stopwords


HAND_SENTENCES = pd.DataFrame({
    "article_id": ["a", "a", "b", "b"],
    "outlet": ["A", "A", "B", "B"],
    "text": ["The invasion of Ukraine.", "Russia’s troops", "No invasion plans, Russia's envoy said.",
             "Shared wire copy about troops."],
})


@pytest.mark.parametrize(
    "options, expected",
    [
        ({}, {"invasion": [1, 1], "russia's": [1, 1], "troops": [1, 1], "ukraine": [1, 0], "plans": [0, 1],
              "envoy": [0, 1], "said": [0, 1], "shared": [0, 1], "wire": [0, 1], "copy": [0, 1]}),
        ({"exclude": np.array([False, False, False, True])},
         {"invasion": [1, 1], "russia's": [1, 1], "troops": [1, 0], "ukraine": [1, 0], "plans": [0, 1],
          "envoy": [0, 1], "said": [0, 1]}),
        ({"min_count": 2}, {"invasion": [1, 1], "russia's": [1, 1], "troops": [1, 1]}),
        ({"stopwords": ["invasion", "said", "the", "of", "no", "about"], "min_count": 2},
         {"russia's": [1, 1], "troops": [1, 1]}),
    ],
)
def test_term_counts_on_hand_made_sentences(options, expected):
    counts = term_counts(HAND_SENTENCES, **options)
    assert list(counts.columns) == ["A", "B"]
    assert counts.to_dict(orient="index") == {term: dict(zip("AB", row)) for term, row in expected.items()}


def test_term_counts_without_stopwords_keeps_function_words():
    counts = term_counts(HAND_SENTENCES, stopwords=False)
    assert counts.loc["the", "A"] == 1 and counts.loc["no", "B"] == 1


def test_term_counts_by_article_and_sorted():
    counts = term_counts(HAND_SENTENCES, by="article_id")
    assert counts.columns.name == "article_id" and counts.index.name == "term"
    assert list(counts.index) == sorted(counts.index)


@pytest.mark.parametrize(
    "sentences, options, message",
    [
        (HAND_SENTENCES.drop(columns="text"), {}, "lacks column"),
        (HAND_SENTENCES, {"by": "country"}, "lacks column"),
        (HAND_SENTENCES, {"exclude": [True, False]}, "4 True/False values"),
        (HAND_SENTENCES, {"exclude": [1, 0, 0, 0]}, "True/False"),
        (HAND_SENTENCES, {"exclude": pd.Series([False] * 4, index=[9, 8, 7, 6])}, "index differs"),
        (HAND_SENTENCES, {"exclude": np.ones(4, dtype=bool)}, "no words left"),
        (HAND_SENTENCES, {"stopwords": "the"}, "not one string"),
        ("not a table", {}, "DataFrame"),
    ],
)
def test_term_counts_rejects_bad_input(sentences, options, message):
    with pytest.raises(CorpusError, match=message):
        term_counts(sentences, **options)


# ---------------------------------------------------------------- seeds
def test_seed_counts_cover_every_outlet(seed_counts, seed_sentences):
    assert sorted(seed_counts.columns) == sorted(seed_sentences["outlet"].unique())
    assert not set(seed_counts.index) & load_stopwords()
    assert seed_counts.loc["ukraine"].gt(0).all()  # every outlet names Ukraine


@pytest.mark.parametrize(
    "outlet, term",
    [
        ("Al Mayadeen", "correspondent"),   # "Al Mayadeen's correspondent reported ..."
        ("A News", "breakthrough"),          # "a breakthrough and compromises were needed"
        ("Front News", "u.s."),              # "The U.S. is ready ...; The U.S. will not allow ..."
        ("Pledge Times", "negotiations"),    # "The negotiations lasted almost 8 hours"
    ],
)
def test_seed_distinctive_words_hold_at_every_prior_scale(seed_counts, outlet, term):
    for scale in (0.1, 1.0, 10.0):
        top = top_terms(log_odds(seed_counts, scale=scale), k=10)
        assert term in set(top.loc[top["group"] == outlet, "term"]), (outlet, term, scale)

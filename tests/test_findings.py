"""Key findings across measures: complete rows, true evidence pointers, known seed facts."""
from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from analysis import findings, paths, stats
from analysis.codebook import load_codebook
from analysis.errors import CodebookError, CorpusError
from analysis.pipeline import run_study

MINI_CORPUS = paths.PROJECT_ROOT / "tests" / "data" / "mini_corpus"
MINI_CODEBOOK = paths.PROJECT_ROOT / "tests" / "data" / "mini_codebook.yaml"
_POINTER_PART = re.compile(r"(\S+) ((?:s\d+(?:, )?)+)")


@pytest.fixture(scope="module")
def seed():
    codebook = load_codebook()
    study = run_study(paths.CORPUS_DIR, paths.DEFAULT_CODEBOOK, cache=False, write_tables=False)
    return study, codebook, findings.key_findings(study, codebook)


@pytest.fixture(scope="module")
def mini():
    codebook = load_codebook(MINI_CODEBOOK)
    study = run_study(MINI_CORPUS, MINI_CODEBOOK, cache=False, write_tables=False)
    return study, codebook, findings.key_findings(study, codebook)


@pytest.fixture(params=["seed", "mini"])
def any_study(request):
    return request.getfixturevalue(request.param)


def row(table: pd.DataFrame, measure: str, item: str, outlet: str) -> pd.Series:
    """The one finding of ``measure`` (a prefix), ``item`` and ``outlet``."""
    chosen = table[table.measure.str.startswith(measure) & (table.item == item) & (table.outlet == outlet)]
    assert len(chosen) == 1, f"expected one row for {measure!r} / {item!r} / {outlet!r}, got {len(chosen)}"
    return chosen.iloc[0]


def pointed_sentences(pointer: str) -> set[tuple[str, int]]:
    """(article_id, sentence_index) pairs named by an evidence pointer."""
    listed = pointer.split(": ", 1)[1].split(" (+")[0]
    if listed == "none" or " rows" in listed:
        listed = ";".join(part.split(" ", 2)[-1].rsplit(" (", 1)[0] for part in listed.split("; ")[1:])
        listed = listed.replace(";", "; ")
    pairs = set()
    for article, indexes in _POINTER_PART.findall(listed):
        pairs.update((article, int(i)) for i in re.findall(r"s(\d+)", indexes))
    return pairs


# --- every row, on both corpora ------------------------------------------------------------

def test_columns_and_one_row_per_measure_item_outlet(any_study):
    _, _, table = any_study
    assert list(table.columns) == findings.FINDING_COLUMNS
    assert not table.duplicated(["measure", "item", "outlet"]).any()


def test_intervals_contain_estimates_and_say_how_they_were_made(any_study):
    _, _, table = any_study
    with_interval = table[table.low.notna()]
    assert ((with_interval.low <= with_interval.value + 1e-9) & (with_interval.value <= with_interval.high + 1e-9)).all()
    assert table.loc[table.low.isna(), "interval"].str.startswith("none (").all()
    assert not table.loc[table.low.notna(), "interval"].str.startswith("none").any()
    assert (table.n >= 0).all()
    assert (table.loc[table.value.isna(), "n"] == 0).all(), "a missing estimate must mean there was nothing to estimate"


def test_every_outlet_has_a_row_for_every_measure(any_study):
    study, _, table = any_study
    outlets = set(study.articles.outlet)
    for measure, rows in table.groupby("measure"):
        if measure != findings.NAMING_MEASURE:  # a name an outlet never mentions has no row
            assert set(rows.outlet) == outlets, measure
    naming = table[table.measure == findings.NAMING_MEASURE]
    concepts = naming.item.str.split(": ").str[0]
    assert not naming.assign(concept=concepts).duplicated(["outlet", "concept"]).any(), "one main variant per concept"


def test_versus_all_matches_the_interval(any_study):
    _, _, table = any_study
    compared = table[table.low.notna() & table.all_outlets.notna()]
    above = compared.low > compared.all_outlets
    below = compared.high < compared.all_outlets
    assert (compared.versus_all[above] == "above").all() and (compared.versus_all[below] == "below").all()
    assert (compared.versus_all[~above & ~below] == "no clear difference").all()
    assert compared.short[above].str.endswith("↑").all() and compared.short[below].str.endswith("↓").all()


def test_evidence_pointers_name_real_sentences(any_study):
    study, _, table = any_study
    known = set(zip(study.sentences.article_id, study.sentences.sentence_index))
    named = set().union(*(pointed_sentences(pointer) for pointer in table.evidence))
    assert named, "no pointer named a sentence"
    assert named <= known, f"pointers name unknown sentences: {sorted(named - known)[:3]}"


def test_findings_are_deterministic(seed):
    study, codebook, table = seed
    pd.testing.assert_frame_equal(findings.key_findings(study, codebook), table)


# --- what the seed articles say ------------------------------------------------------------

@pytest.mark.parametrize("measure, item, outlet, expected", [
    # Pledge Times sets statements off as paragraphs; it never writes alleged, claimed or so-called
    ("framing devices", "distancing markers", "Pledge Times", "distancing markers 0 in 864 words"),
    ("framing devices", "distancing markers", "Al Mayadeen", "accusation ×3, denial ×2, alleged ×1"),
    # Front News' body appears twice in the capture; cleaning keeps it once
    ("framing devices", "scare quotes", "Front News", "“security guarantees” ×2, “ironclad guarantees” ×1"),
    ("framing devices", "contested terms", "Ru-Main", "invasion ×3, threat ×3"),
    ("quoted words", findings.NO_QUOTATIONS, "Front News", "Front News: no direct or partial quotations found"),
    ("quoted words", "Russia", "Ru-Main", "112 of 113 quoted words"),
    ("quoted words", "United States", "A News", "14 of 14 quoted words (1.00; 95% CI 0.26 to 1.00) in 3 quotations: Wendy Sherman"),
    ("naming", "Ryabkov's first name: Sergey", "Ru-Main", "is Sergey in 1 of 1 mentions"),
    ("naming", "Ryabkov's first name: Sergey", "Pledge Times", "is Sergey in 3 of 5 mentions (0.60; 95% CI 0.23 to 0.88); variants: Sergey ×3, Sergei ×2"),
    ("sentence sentiment", "quoted", "Front News", "Front News: no quoted words"),
    ("facts left out", "facts other outlets reported", "A News", "sanctions threatened (reported by Front News, Pledge Times, Ru-Main)"),
    ("shared near-verbatim", "", "A News", "0 of 18 sentences shared near-verbatim"),
])
def test_seed_findings(seed, measure, item, outlet, expected):
    _, _, table = seed
    assert expected in row(table, measure, item, outlet).finding


@pytest.mark.parametrize("measure, item, outlet, versus_all", [
    ("framing devices", "distancing markers", "Pledge Times", "below"),
    # two to three effective quotations per outlet: no side's share differs clearly from all outlets'
    ("quoted words", "Russia", "Al Mayadeen", "no clear difference"),
    ("quoted words", "United States", "Ru-Main", "no clear difference"),
    ("framing devices", "contested terms", "Front News", "no clear difference"),  # 8 in 233 words: too few to tell
])
def test_seed_comparisons_with_all_outlets(seed, measure, item, outlet, versus_all):
    _, _, table = seed
    assert row(table, measure, item, outlet).versus_all == versus_all


def test_seed_sentiment_rows_point_to_their_most_negative_sentence(seed):
    study, _, table = seed
    finding = row(table, "sentence sentiment", "whole sentences", "Ru-Main")
    scores = study.sentence_scores[study.sentence_scores.outlet == "Ru-Main"]
    lowest = scores.loc[scores.compound.idxmin()]
    assert f"most negative {lowest.article_id} s{lowest.sentence_index}" in finding.evidence
    assert finding.n == len(scores) and math.isclose(finding.value, scores.compound.mean(), abs_tol=1e-6)


# --- the hand-made corpus of another event ---------------------------------------------------

@pytest.mark.parametrize("measure, item, outlet, expected", [
    ("framing devices", "distancing markers", "Daily Gazette", "alleged ×1, so-called ×1"),
    ("framing devices", "contested terms", "The Courier", "deal ×3, delay ×2, blockade ×1"),
    ("naming", "city: Istanbul", "Wire Monitor", "city is Istanbul in 1 of 1 mentions"),
    ("quoted words", "Government", "Wire Monitor", "2 of 2 quoted words"),
    ("quoted words", "Opposition", "The Courier", "7 of 7 quoted words (1.00; 95% CI 0.21 to 1.00) in 1 quotation: Tomas Berg"),
    ("quoted words", "Government", "Daily Gazette", "Elena Varga (5 words)"),
    # codebook order of the facts: next round first
    ("facts left out", "facts other outlets reported", "The Courier",
     "left out 2 of 2 facts that other outlets reported: next round in March (reported by Daily Gazette, "
     "Wire Monitor); inspections (reported by Daily Gazette, Wire Monitor)"),
    ("facts left out", "facts other outlets reported", "Wire Monitor", "reported every one of the 2 facts"),
    # one quotation: a mean of one sentence has no interval, so it cannot "stand out"
    ("sentence sentiment", "quoted", "The Courier", "The Courier: quoted words compound −0.32 (one sentence, no interval)"),
])
def test_mini_corpus_findings(mini, measure, item, outlet, expected):
    _, _, table = mini
    assert expected in row(table, measure, item, outlet).finding


def test_a_single_sentence_has_no_interval_and_no_comparison(mini):
    _, _, table = mini
    single = row(table, "sentence sentiment", "quoted", "The Courier")
    assert single.n == 1 and math.isnan(single.low) and single.versus_all == ""
    assert single.interval == findings.ONE_SENTENCE


# --- helpers on hand-made edge cases ---------------------------------------------------------

@pytest.mark.parametrize("articles, indexes, limit, expected", [
    ([], [], 12, "t: none"),
    (["b", "a", "a", "a"], [0, 5, 2, 5], 12, "t: a s2, s5; b s0"),
    (["a", "a", "a"], [3, 1, 2], 2, "t: a s1, s2 (+1 more)"),
])
def test_evidence_pointer(articles, indexes, limit, expected):
    rows = pd.DataFrame({"article_id": pd.Series(articles, dtype="str"), "sentence_index": pd.Series(indexes, dtype="int64")})
    assert findings.evidence_pointer(rows, table="t", limit=limit) == expected


def fact_matrix(counts: dict[str, list[int]], facts: list[str]) -> pd.DataFrame:
    index = pd.MultiIndex.from_tuples([("codebook", fact) for fact in facts], names=["source", "fact"])
    return pd.DataFrame(counts, index=index)


@pytest.mark.parametrize("counts, expected", [
    ({"A": [1, 0], "B": [1, 0]}, []),  # both reported the first fact; nobody the second: nothing left out
    ({"A": [2, 1], "B": [0, 1], "C": [0, 0]}, [("B", "f1", 1), ("C", "f2", 2), ("C", "f1", 1)]),
])
def test_facts_left_out(counts, expected):
    left = findings.facts_left_out(fact_matrix(counts, ["f1", "f2"]))
    assert list(zip(left.outlet, left.fact, left.n_other_outlets)) == expected


@pytest.mark.parametrize("compounds, expected", [
    ([0.0, 0.02, -0.01], []),  # neutral sentences are neither most negative nor most positive
    ([-0.5, -0.5, 0.3], [("most negative", 0), ("most positive", 2)]),  # tie: first sentence
    ([0.6], [("most positive", 0)]),
])
def test_extreme_sentences(compounds, expected):
    scored = pd.DataFrame({"outlet": "X", "article_id": "a", "sentence_index": range(len(compounds)),
                           "compound": compounds})
    chosen = findings.extreme_sentences(scored)
    assert list(zip(chosen.extreme, chosen.sentence_index)) == expected


def test_aligned_pairs_with_diffs_sorts_by_similarity_and_keeps_k():
    pairs = pd.DataFrame({
        "article_id_a": ["a", "a"], "sentence_index_a": [0, 1], "outlet_a": ["A", "A"],
        "text_a": ["Russia denies plans to attack Ukraine", "Talks lasted eight hours."],
        "article_id_b": ["b", "b"], "sentence_index_b": [0, 1], "outlet_b": ["B", "B"],
        "text_b": ["Russia told the U.S. it has no plans to attack Ukraine;", "Talks lasted nearly eight hours."],
        "similarity": [0.47, 0.8]})
    top = findings.aligned_pairs_with_diffs(pairs, k=1)
    assert top.difference.tolist() == ["Talks lasted [+nearly] eight hours."]


def test_closest_shared_sentences_lists_each_pair_once():
    from analysis.alignment import shared_copy

    sentences = pd.DataFrame({"article_id": ["a", "b", "b"], "sentence_index": [0, 0, 1], "outlet": ["X", "Y", "Y"],
                              "text": ["Sherman will meet U.S. allies in Brussels on Wednesday.",
                                       "She will meet U.S. allies in Brussels on Wednesday.", "Talks ended."]})
    closest = findings.closest_shared_sentences(shared_copy(sentences), sentences)
    assert len(closest) == 1 and closest.is_shared_copy.item()
    assert {closest.text.item(), closest.matched_text.item()} == set(sentences.text[:2])


def test_findings_overview_marks_missing_cells():
    table = pd.DataFrame({"measure": ["m"] * 3, "item": ["b", "b", "a"], "outlet": ["X", "Y", "Y"],
                          "short": ["1.0 ↑", "0.2", "3 of 4"]})
    overview = findings.findings_overview(table)
    assert overview.index.tolist() == [("m", "b"), ("m", "a")]  # findings' order, not alphabetical
    assert overview.loc[("m", "a"), "X"] == "–"


@pytest.mark.parametrize("call, error, message", [
    (lambda: findings.findings_overview(pd.DataFrame({"measure": ["m"]})), CorpusError, "lacks column"),
    (lambda: findings.extreme_sentences(pd.DataFrame({"outlet": ["X"], "compound": [0.3]})), CorpusError, "article_id"),
    (lambda: findings.content_alignment(pd.DataFrame({"article_id": ["a"], "text": ["x"]})), CorpusError, "is_attribution"),
    (lambda: findings.verb_findings(pd.DataFrame(columns=["outlet", "stance", "verb"]), pd.DataFrame({"outlet": ["X"]}),
                                    load_codebook(), neutral_stance="plain"), CodebookError, "no reporting-verb stance 'plain'"),
])
def test_bad_input_raises_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("corpus, key, expected", [
    ("seed", "articles", 5), ("seed", "most_articles_per_outlet", 1), ("seed", "fewest_words", 233),
    ("mini", "articles", 3), ("mini", "shared_copy_sentences", 0),
    ("seed", "outlets_with_article_intervals", 0), ("seed", "min_articles_for_article_intervals", 5),
])
def test_limits_summary(request, corpus, key, expected):
    study, codebook, _ = request.getfixturevalue(corpus)
    limits = findings.limits_summary(study, codebook)
    assert limits[key] == expected
    assert 0 <= limits["tokens_in_vader"] <= limits["tokens"]
    assert 0 <= limits["terms_unknown_to_vader"] <= limits["codebook_terms"]


# --- outlets with many articles: intervals over articles -------------------------------------

def _all_or_nothing_acts(n_articles: int) -> pd.DataFrame:
    """Outlet X: every attribution of an even-numbered article is loaded, of an odd one neutral."""
    rows = [(f"x{i}", j, "stressed" if i % 2 == 0 else "said", "emphatic" if i % 2 == 0 else "neutral")
            for i in range(n_articles) for j in range(4)]
    acts = pd.DataFrame(rows, columns=["article_id", "sentence_index", "verb", "stance"])
    return acts.assign(outlet="X")


@pytest.mark.parametrize("n_articles, method", [(6, findings.WILSON_ARTICLES), (4, findings.WILSON)])
def test_loaded_verb_share_is_widened_by_the_spread_between_articles(n_articles, method):
    acts = _all_or_nothing_acts(n_articles)
    row = findings.verb_findings(acts, pd.DataFrame({"outlet": ["X"]}), load_codebook()).iloc[0]
    attributions = 4 * n_articles
    as_articles = n_articles / (n_articles - 1) * 4  # design effect when articles are all or nothing
    effective_n = attributions / as_articles if method == findings.WILSON_ARTICLES else attributions
    expected = stats.proportion_ci(attributions // 2, attributions, effective_n=effective_n)
    assert (row["value"], row["low"], row["high"], row["interval"], row["n"]) == (
        0.5, expected.low, expected.high, method, attributions)


def test_shared_copy_share_is_widened_by_the_spread_between_articles():
    shared = pd.DataFrame({"outlet": "X", "article_id": [f"x{i}" for i in range(6) for _ in range(5)],
                           "sentence_index": [j for _ in range(6) for j in range(5)],
                           "is_shared_copy": [i < 2 for i in range(6) for _ in range(5)], "matched_outlet": "Y"})
    row = findings.shared_copy_findings(shared).iloc[0]
    naive = stats.proportion_ci(10, 30)
    assert row["interval"] == findings.WILSON_ARTICLES
    assert row["value"] == naive.share and row["low"] < naive.low and row["high"] > naive.high
    even = shared.assign(is_shared_copy=[j < 2 for _ in range(6) for j in range(5)])  # 2 of 5 in every article
    even_row, binomial = findings.shared_copy_findings(even).iloc[0], stats.proportion_ci(12, 30)
    assert (even_row["low"], even_row["high"]) == (binomial.low, binomial.high)  # design effect 1: no wider


def test_sentiment_rows_say_when_articles_were_resampled():
    scores = pd.DataFrame({"outlet": ["X"] * 12 + ["Y"] * 6, "article_id": [f"x{i // 2}" for i in range(12)] + ["y"] * 6,
                           "sentence_index": list(range(12)) + list(range(6)),
                           "compound": [0.5, 0.4, -0.5, -0.4] * 3 + [0.1] * 6})
    rows = findings.sentiment_findings(scores, scores.assign(voice="narrator"))
    whole = rows[rows["item"] == findings.WHOLE_SENTENCES].set_index("outlet")["interval"]
    assert whole.to_dict() == {"X": findings.BOOTSTRAP_ARTICLES, "Y": findings.BOOTSTRAP}


def test_seed_outlets_have_one_article_so_no_interval_is_over_articles(seed):
    _, _, table = seed
    assert not table["interval"].str.contains("articles").any()


def test_rate_rows_name_the_interval_over_articles_where_an_outlet_has_enough():
    sentences = pd.DataFrame({"outlet": ["X"] * 6 + ["Y"], "article_id": [*"abcdef", "y"], "n_words": 100})
    quotations = pd.DataFrame({"article_id": ["a"] * 6 + ["y"], "outlet": ["X"] * 6 + ["Y"], "sentence_index": 0,
                               "start": range(7), "end": range(1, 8), "kind": "scare", "text": "invasion", "speaker": ""})
    rows = findings.scare_quote_findings(quotations, sentences).set_index("outlet")
    assert rows["interval"].to_dict() == {"X": findings.POISSON_ARTICLES, "Y": findings.POISSON}
    plain = stats.rate_per_thousand(6, 600)
    assert rows.loc["X", "value"] == plain.rate and rows.loc["X", "high"] > plain.high


@pytest.mark.parametrize("n_articles, method", [(5, findings.WILSON_QUOTATIONS_ARTICLES),
                                                (4, findings.WILSON_QUOTATIONS)])
def test_quoted_side_share_is_widened_by_the_spread_between_articles(n_articles, method):
    # one two-word quotation per article: Russia in the first two articles, the United States in the rest
    quotes = pd.DataFrame({"article_id": [f"x{i}" for i in range(n_articles)], "outlet": "X", "sentence_index": 0,
                           "kind": "direct", "nested": False, "text": "two words",
                           "speaker": ["Sergei Ryabkov"] * 2 + ["Wendy Sherman"] * (n_articles - 2)})
    rows = findings.side_findings(quotes, pd.DataFrame({"outlet": ["X"]}), load_codebook()).set_index("item")
    naive = stats.proportion_ci(4, 2 * n_articles, effective_n=n_articles)
    assert rows.loc["Russia", "interval"] == method and rows.loc["Russia", "value"] == naive.share
    widened = rows.loc["Russia", "high"] - rows.loc["Russia", "low"] > naive.high - naive.low
    assert widened == (method == findings.WILSON_QUOTATIONS_ARTICLES)


def test_fact_article_shares_on_the_seeds_follow_the_fact_matrix(seed):
    study, codebook, _ = seed
    matrix, evidence = findings.alignment.fact_coverage(study.sentences, codebook=codebook, pairs=study.alignment)
    shares = findings.fact_article_shares(matrix, evidence, study.sentences)
    assert len(shares) == matrix.size and (shares["articles"] == 1).all()  # one article per seed outlet
    reported = matrix.stack().gt(0).rename("reported").reset_index()
    merged = shares.merge(reported, on=["source", "fact", "outlet"], validate="one_to_one")
    assert merged["reporting"].eq(merged["reported"].astype(int)).all()
    assert merged["share"].eq(merged["reporting"]).all()
    one = stats.proportion_ci(1, 1)  # one article: the interval spans most of 0 to 1
    assert merged.loc[merged.reported, ["share_low", "share_high"]].drop_duplicates().values.tolist() == [[one.low, one.high]]


def test_fact_article_shares_count_articles_not_sentences():
    index = pd.MultiIndex.from_tuples([("codebook", "sanctions threatened"), ("alignment", "A1: talks")],
                                      names=["source", "fact"])
    matrix = pd.DataFrame({"X": [4, 1], "Y": [0, 1]}, index=index)
    evidence = pd.DataFrame({"source": ["codebook"] * 4 + ["alignment"] * 2, "outlet": ["X"] * 5 + ["Y"],
                             "fact": ["sanctions threatened"] * 4 + ["A1: talks"] * 2,
                             "article_id": ["x1", "x1", "x1", "x2", "x3", "y1"]})
    sentences = pd.DataFrame({"outlet": ["X"] * 10 + ["Y"] * 2, "article_id": [f"x{i}" for i in range(10)] + ["y1", "y2"]})
    shares = findings.fact_article_shares(matrix, evidence, sentences)
    assert shares[["fact", "outlet", "articles", "reporting"]].values.tolist() == [
        ["sanctions threatened", "X", 10, 2], ["sanctions threatened", "Y", 2, 0],
        ["A1: talks", "X", 10, 1], ["A1: talks", "Y", 2, 1]]
    expected = stats.proportion_ci(2, 10)
    assert shares.loc[0, ["share", "share_low", "share_high"]].tolist() == [expected.share, expected.low, expected.high]


def test_fact_article_shares_need_article_ids():
    matrix = pd.DataFrame({"X": [1]}, index=pd.MultiIndex.from_tuples([("codebook", "f")], names=["source", "fact"]))
    with pytest.raises(CorpusError, match="article_id"):
        findings.fact_article_shares(matrix, pd.DataFrame({"source": ["codebook"], "fact": ["f"], "outlet": ["X"]}),
                                     pd.DataFrame({"outlet": ["X"], "article_id": ["x"]}))

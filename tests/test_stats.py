"""Intervals used by every estimate: values checked against textbook results."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from analysis import stats


@pytest.mark.parametrize("count, words, rate, low, high", [
    # Garwood exact Poisson limits for 0, 1 and 10 events (tables: 0-3.689, 0.0253-5.572, 4.795-18.39)
    (0, 1000, 0.0, 0.0, 3.689),
    (1, 1000, 1.0, 0.025, 5.572),
    (10, 1000, 10.0, 4.795, 18.39),
    (3, 600, 5.0, 1.031, 14.612),
])
def test_rate_per_thousand_matches_exact_poisson_limits(count, words, rate, low, high):
    est = stats.rate_per_thousand(count, words)
    assert est.rate == pytest.approx(rate)
    assert est.low == pytest.approx(low, abs=0.002)
    assert est.high == pytest.approx(high, abs=0.01)


def test_rate_without_words_is_undefined_not_zero():
    assert math.isnan(stats.rate_per_thousand(0, 0).rate)


@pytest.mark.parametrize("successes, n, low, high", [
    (2, 10, 0.057, 0.510),   # Wilson interval, Newcombe (1998) table
    (0, 10, 0.0, 0.278),
    (10, 10, 0.722, 1.0),
])
def test_proportion_ci_is_wilson(successes, n, low, high):
    est = stats.proportion_ci(successes, n)
    assert (est.low, est.high) == pytest.approx((low, high), abs=0.001)


def test_bootstrap_is_deterministic_for_a_seed_and_changes_with_it():
    values = np.random.default_rng(1).normal(size=40)
    first = stats.bootstrap_mean_ci(values, seed=7)
    assert stats.bootstrap_mean_ci(values, seed=7) == first
    assert stats.bootstrap_mean_ci(values, seed=8) != first


def test_bootstrap_interval_contains_the_mean_and_reports_n():
    values = [0.1, 0.5, -0.2, 0.4, float("nan")]
    est = stats.bootstrap_mean_ci(values)
    assert est.n == 4
    assert est.low <= est.mean <= est.high
    assert est.mean == pytest.approx(0.2)


def test_bootstrap_interval_narrows_with_more_data():
    rng = np.random.default_rng(3)
    small = stats.bootstrap_mean_ci(rng.normal(size=20))
    large = stats.bootstrap_mean_ci(rng.normal(size=2000))
    assert (large.high - large.low) < (small.high - small.low) / 5


def test_bootstrap_large_sample_runs_in_bounded_chunks(monkeypatch):
    monkeypatch.setattr(stats, "_MAX_INDICES", 1000)
    est = stats.bootstrap_mean_ci(np.arange(500, dtype=float), resamples=50)
    assert est.low < 249.5 < est.high


@pytest.mark.parametrize("values, n", [([], 0), ([float("nan")], 0)])
def test_bootstrap_without_values_is_nan(values, n):
    est = stats.bootstrap_mean_ci(values)
    assert est.n == n and math.isnan(est.mean)


def test_add_rate_columns_keeps_counts_beside_rates():
    table = stats.add_rate_columns(pd.DataFrame({"count": [0, 3], "words": [500, 600]}))
    assert table[["count", "rate_per_1000"]].values.tolist() == [[0, 0.0], [3, 5.0]]
    assert (table.rate_low <= table.rate_per_1000).all() and (table.rate_per_1000 <= table.rate_high).all()


def test_vectorised_rates_equal_the_scalar_function():
    grid = pd.DataFrame([(c, w) for c in (0, 1, 2, 7, 40) for w in (0, 1, 250, 1000, 123456)], columns=["count", "words"])
    table = stats.add_rate_columns(grid)
    for row in table.itertuples():
        scalar = stats.rate_per_thousand(row.count, row.words)
        assert (row.rate_per_1000, row.rate_low, row.rate_high) == pytest.approx(
            (scalar.rate, scalar.low, scalar.high), nan_ok=True)


@pytest.mark.parametrize("sizes, expected", [
    ([5, 5, 5, 5], 4.0), ([7], 1.0), ([40, 1, 1], 1600 / 1602 * 42 * 42 / 1600), ([], 0.0), ([0, 0], 0.0),
])
def test_effective_sample_size_is_kish(sizes, expected):
    assert stats.effective_sample_size(sizes) == pytest.approx(expected, abs=1e-6)


def test_proportion_ci_over_an_effective_sample_is_wilson_for_that_many_draws():
    clustered = stats.proportion_ci(30, 40, effective_n=4)
    assert (clustered.successes, clustered.n, clustered.share) == (30, 40, 0.75)
    assert (clustered.low, clustered.high) == (stats.proportion_ci(3, 4).low, stats.proportion_ci(3, 4).high)
    assert clustered.high - clustered.low > stats.proportion_ci(30, 40).high - stats.proportion_ci(30, 40).low
    assert math.isnan(stats.proportion_ci(3, 4, effective_n=0).low)


# --- articles as clusters: design effects and the cluster bootstrap ---------------------------

def test_rate_design_effect_matches_hand_computation():
    # rate 12/600 = 0.02; residuals c - r w: 6 - 2, 0 - 2, 0 - 2, 6 - 2, 0 - 2, 0 - 2 (w = 100 each)
    per_article = pd.DataFrame({"outlet": "X", "count": [6, 0, 0, 6, 0, 0], "words": [100] * 6})
    effect = stats.rate_design_effects(per_article, by="outlet")
    assert effect.design_effect.tolist() == [pytest.approx(6 / 5 * (16 + 4 + 4 + 16 + 4 + 4) / 12)]
    assert effect.n_articles.tolist() == [6]


def test_poisson_counts_give_a_design_effect_near_one_and_clumped_counts_a_large_one():
    rng = np.random.default_rng(7)
    words = rng.integers(300, 900, size=400)
    poisson = rng.poisson(words * 0.01)
    clumped = rng.poisson(words * 0.05 * (rng.random(400) < 0.2))  # one article in five uses the word
    per_article = pd.DataFrame({"outlet": ["poisson"] * 400 + ["clumped"] * 400,
                                "count": np.concatenate([poisson, clumped]), "words": np.tile(words, 2)})
    effects = stats.rate_design_effects(per_article, by="outlet").set_index("outlet").design_effect
    assert 1.0 <= effects["poisson"] < 1.3
    assert effects["clumped"] > 5


def test_design_effect_is_one_with_too_few_articles_or_nothing_counted():
    per_article = pd.DataFrame({"outlet": ["few"] * 4 + ["none"] * 5,
                                "count": [9, 0, 0, 0, 0, 0, 0, 0, 0], "words": [100] * 9})
    effects = stats.rate_design_effects(per_article, by="outlet")
    assert effects.values.tolist() == [["few", 4, 1.0], ["none", 5, 1.0]]


def test_design_effects_leave_out_articles_without_words_and_group_by_several_columns():
    per_article = pd.DataFrame({"outlet": ["X"] * 6, "category": ["a"] * 5 + ["b"],
                                "count": [1, 1, 1, 1, 1, 3], "words": [100, 100, 100, 100, 0, 50]})
    effects = stats.rate_design_effects(per_article, by=["outlet", "category"])
    assert effects.values.tolist() == [["X", "a", 4, 1.0], ["X", "b", 1, 1.0]]


def test_share_design_effect_is_the_cluster_size_when_articles_are_all_or_nothing():
    # every attribution of an article loaded, or none: k/(k-1) * m (m = 4 per article)
    per_article = pd.DataFrame({"outlet": "X", "loaded": [4, 0, 4, 0, 0, 0], "total": [4] * 6})
    effect = stats.share_design_effects(per_article, by="outlet", successes="loaded", total="total")
    assert effect.design_effect.tolist() == [pytest.approx(6 / 5 * 4)]


def test_share_design_effect_is_one_for_a_share_of_zero_or_one_and_skips_empty_articles():
    per_article = pd.DataFrame({"outlet": ["all"] * 5 + ["none"] * 6, "s": [2] * 5 + [0] * 6,
                                "n": [2] * 5 + [3] * 5 + [0]})
    effects = stats.share_design_effects(per_article, by="outlet", successes="s", total="n")
    assert effects.values.tolist() == [["all", 5, 1.0], ["none", 5, 1.0]]


def test_rate_interval_widens_by_the_design_effect_and_keeps_the_rate():
    table = pd.DataFrame({"count": [30, 30, 0], "words": [6000, 6000, 500], "deff": [1.0, 4.0, 1.0]})
    plain = stats.add_rate_columns(table.drop(columns="deff"))
    widened = stats.add_rate_columns(table, design_effect="deff")
    assert widened.rate_per_1000.tolist() == plain.rate_per_1000.tolist()
    assert widened.iloc[[0, 2]][["rate_low", "rate_high"]].equals(plain.iloc[[0, 2]][["rate_low", "rate_high"]])
    # Garwood limits for 30 / 4 = 7.5 events in 6000 / 4 = 1500 words
    low, high = chi2.ppf(0.025, 15) / 2 / 1.5, chi2.ppf(0.975, 17) / 2 / 1.5
    assert (widened.rate_low[1], widened.rate_high[1]) == pytest.approx((low, high), abs=0.001)
    assert widened.rate_low[1] < plain.rate_low[0] and widened.rate_high[1] > plain.rate_high[0]


def test_cluster_bootstrap_widens_the_interval_when_articles_differ():
    rng = np.random.default_rng(3)
    article_means = rng.normal(0, 0.4, size=12)
    articles = np.repeat(np.arange(12), 20)
    values = article_means[articles] + rng.normal(0, 0.05, size=articles.size)
    by_sentence = stats.bootstrap_mean_ci(values)
    by_article = stats.bootstrap_mean_ci(values, clusters=articles)
    assert by_article.mean == by_sentence.mean and by_article.n == by_sentence.n == 240
    assert (by_article.high - by_article.low) > 2.5 * (by_sentence.high - by_sentence.low)
    assert stats.bootstrap_mean_ci(values, clusters=articles) == by_article  # seeded


def test_cluster_bootstrap_needs_enough_clusters_and_drops_nan_values_with_their_labels():
    values = [0.5, -0.5, -0.4, 0.3, 0.1, np.nan]
    labels = ["a", "b", "b", "c", "d", "a"]
    assert stats.bootstrap_mean_ci(values, clusters=labels) == stats.bootstrap_mean_ci(values)  # 4 < 5 clusters
    estimate = stats.bootstrap_mean_ci(values, clusters=labels, min_clusters=4)
    assert estimate.n == 5 and estimate.mean == pytest.approx(0.0)
    assert estimate == stats.bootstrap_mean_ci(values[:5], clusters=labels[:5], min_clusters=4)
    assert estimate != stats.bootstrap_mean_ci(values)


def test_share_columns_equal_proportion_ci_row_by_row():
    rng = np.random.default_rng(7)
    n = rng.integers(0, 500, 2000)
    successes = np.minimum((rng.random(2000) * (n + 1)).astype(int), n)
    effective = np.where(rng.random(2000) < 0.5, n, n * rng.random(2000))
    table = stats.add_share_columns(pd.DataFrame({"k": successes, "total": n, "m": effective}),
                                    successes="k", n="total", effective_n="m")
    expected = [stats.proportion_ci(int(k), int(t), effective_n=m) for k, t, m in zip(successes, n, effective)]
    got = table[["share", "share_low", "share_high"]].to_numpy()
    want = np.array([[e.share, e.low, e.high] for e in expected])
    assert np.array_equal(got, want, equal_nan=True)
    assert table.loc[n == 0, "share"].isna().all() and table.loc[n > 0, "share_low"].notna().all()


def test_share_columns_of_an_empty_table():
    table = stats.add_share_columns(pd.DataFrame({"successes": [], "n": []}))
    assert table.columns.tolist() == ["successes", "n", "share", "share_low", "share_high"] and table.empty


def test_chi2_quantile_equals_scipy_stats_exactly():
    """The package computes Poisson limits without importing scipy.stats: same numbers, bit for bit."""
    degrees = np.array([0.5, 1.0, 2.0, 3.7, 20.0, 2001.0, 2e6])
    for q in (0.025, 0.05, 0.5, 0.975, 0.999):
        assert np.array_equal(stats.chi2_quantile(q, degrees), chi2.ppf(q, degrees))
    assert np.isnan(stats.chi2_quantile(0.5, [0.0, -1.0, np.nan])).all()
    assert np.isnan(chi2.ppf(0.5, [0.0, -1.0, np.nan])).all()


def test_wilson_z_is_the_normal_quantile():
    from scipy.stats import norm
    centre, half = stats._wilson_centre_and_half(0.0, 1.0, 0.95)
    z = float(norm.ppf(0.975))
    assert (centre, half) == ((z * z / 2) / (1 + z * z), z * math.sqrt(z * z / 4) / (1 + z * z))

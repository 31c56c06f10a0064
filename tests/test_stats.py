"""Intervals used by every estimate: values checked against textbook results."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

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

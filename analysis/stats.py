"""Uncertainty for small samples, in one place.

Every estimate the study reports comes with its n and a 95% interval from here:

- :func:`bootstrap_mean_ci`: percentile bootstrap interval of a mean (seeded).
- :func:`rate_per_thousand`: a count per 1,000 words with an exact Poisson interval.
- :func:`proportion_ci`: a share with a Wilson score interval.

With five short articles the intervals are wide; that is the honest answer.

Example:
    >>> rate_per_thousand(3, 600)
    RateEstimate(count=3, words=600, rate=5.0, low=1.031, high=14.612)
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats as _scipy_stats

DEFAULT_SEED = 2022
DEFAULT_RESAMPLES = 2000
CONFIDENCE = 0.95
_MAX_INDICES = 4_000_000


class MeanEstimate(NamedTuple):
    """A mean with its percentile-bootstrap interval and sample size."""

    mean: float
    low: float
    high: float
    n: int


class RateEstimate(NamedTuple):
    """A count per 1,000 words with an exact Poisson interval."""

    count: int
    words: int
    rate: float
    low: float
    high: float


class ProportionEstimate(NamedTuple):
    """A share with its Wilson score interval."""

    successes: int
    n: int
    share: float
    low: float
    high: float


def bootstrap_mean_ci(
    values, *, resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED, confidence: float = CONFIDENCE
) -> MeanEstimate:
    """Mean of ``values`` with a percentile bootstrap interval (seeded, so reruns match).

    Args:
        values: numbers (NaN are dropped).
        resamples: bootstrap resamples.
        seed: random seed; the same seed gives the same interval.
        confidence: interval level.

    Returns:
        :class:`MeanEstimate`; NaN mean and bounds when there are no values, a zero-width
        interval when there is one.

    Example:
        >>> bootstrap_mean_ci([0.1, 0.5, -0.2, 0.4], seed=1)
        MeanEstimate(mean=0.2, low=-0.05, high=0.45, n=4)
    """
    data = np.asarray(pd.Series(values, dtype="float64").dropna(), dtype="float64")
    n = int(data.size)
    if n == 0:
        return MeanEstimate(float("nan"), float("nan"), float("nan"), 0)
    means = _resample_means(data, resamples=resamples, seed=seed)
    tail = (1 - confidence) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return MeanEstimate(round(float(data.mean()), 6), round(float(low), 6), round(float(high), 6), n)


def _resample_means(data: np.ndarray, *, resamples: int, seed: int) -> np.ndarray:
    """Means of ``resamples`` bootstrap resamples, drawn in chunks of bounded memory.

    Chunks hold at most about 4 million indices whatever the sample size, so a group of
    100,000 sentences needs tens of megabytes, not gigabytes. The draws come from one seeded
    generator in a fixed order, so the result depends only on the data and the seed.
    """
    rng = np.random.default_rng(seed)
    chunk = max(1, min(resamples, _MAX_INDICES // data.size))
    means = np.empty(resamples, dtype="float64")
    for start in range(0, resamples, chunk):
        stop = min(resamples, start + chunk)
        means[start:stop] = data[rng.integers(0, data.size, size=(stop - start, data.size))].mean(axis=1)
    return means


def rate_per_thousand(count: int, words: int, *, confidence: float = CONFIDENCE) -> RateEstimate:
    """Count per 1,000 words with an exact (Garwood) Poisson interval.

    Example:
        >>> rate_per_thousand(0, 500).high
        7.378
    """
    if words <= 0:
        return RateEstimate(int(count), int(words), float("nan"), float("nan"), float("nan"))
    alpha = 1 - confidence
    low = 0.0 if count == 0 else float(_scipy_stats.chi2.ppf(alpha / 2, 2 * count)) / 2
    high = float(_scipy_stats.chi2.ppf(1 - alpha / 2, 2 * count + 2)) / 2
    scale = 1000.0 / words
    return RateEstimate(
        int(count), int(words), round(count * scale, 3), round(low * scale, 3), round(high * scale, 3)
    )


def proportion_ci(successes: int, n: int, *, confidence: float = CONFIDENCE,
                  effective_n: float | None = None) -> ProportionEstimate:
    """Share ``successes / n`` with a Wilson score interval.

    Args:
        successes: units with the property (e.g. quoted words of one side).
        n: all units.
        confidence: interval coverage.
        effective_n: the sample size the interval is computed for, when the units are not
            independent draws (e.g. :func:`effective_sample_size` of the clusters they come
            in); default ``n``. The share is ``successes / n`` either way.

    Example:
        >>> proportion_ci(2, 10)
        ProportionEstimate(successes=2, n=10, share=0.2, low=0.057, high=0.51)
        >>> proportion_ci(20, 100, effective_n=10)  # 100 words in 10 equal quotations
        ProportionEstimate(successes=20, n=100, share=0.2, low=0.057, high=0.51)
    """
    size = n if effective_n is None else effective_n
    if n <= 0 or size <= 0:
        return ProportionEstimate(int(successes), int(n), float("nan"), float("nan"), float("nan"))
    z = float(_scipy_stats.norm.ppf(1 - (1 - confidence) / 2))
    p = successes / n
    centre = (p + z * z / (2 * size)) / (1 + z * z / size)
    half = z * math.sqrt(p * (1 - p) / size + z * z / (4 * size * size)) / (1 + z * z / size)
    return ProportionEstimate(
        int(successes), int(n), round(p, 6), round(max(0.0, centre - half), 3), round(min(1.0, centre + half), 3)
    )


def effective_sample_size(weights) -> float:
    """Kish's effective sample size ``(sum w)^2 / sum w^2`` of clusters of sizes ``weights``.

    A share of words counted over quotations behaves like a mean over quotations weighted by
    their length: the words of one quotation are one speaker's, one draw, not many. Equal
    clusters give their number; one long quotation among short ones gives little more than 1.
    Kish, L. (1965), *Survey Sampling*, Wiley, section 11.7.

    Example:
        >>> effective_sample_size([5, 5, 5, 5]), effective_sample_size([40, 1, 1]), effective_sample_size([])
        (4.0, 1.101124, 0.0)
    """
    sizes = np.asarray(weights, dtype="float64")
    squares = float((sizes * sizes).sum())
    return round(float(sizes.sum()) ** 2 / squares, 6) if squares > 0 else 0.0


def add_rate_columns(table: pd.DataFrame, *, count: str = "count", words: str = "words",
                     confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Add ``rate_per_1000``, ``rate_low`` and ``rate_high`` columns to a table of counts.

    Vectorised: the same exact Poisson limits as :func:`rate_per_thousand`, for every row
    at once. Rows without words get NaN rates.

    Example:
        >>> add_rate_columns(pd.DataFrame({"count": [3, 0], "words": [600, 500]}))
           count  words  rate_per_1000  rate_low  rate_high
        0      3    600            5.0     1.031     14.612
        1      0    500            0.0     0.000      7.378
    """
    counts = table[count].to_numpy(dtype="float64")
    scale = 1000.0 / np.where(table[words].to_numpy(dtype="float64") > 0, table[words].to_numpy(dtype="float64"), np.nan)
    alpha = 1 - confidence
    low = np.where(counts > 0, _scipy_stats.chi2.ppf(alpha / 2, 2 * np.maximum(counts, 1)) / 2, 0.0)
    high = _scipy_stats.chi2.ppf(1 - alpha / 2, 2 * counts + 2) / 2
    out = table.copy()
    out["rate_per_1000"] = np.round(counts * scale, 3)
    out["rate_low"] = np.round(low * scale, 3)
    out["rate_high"] = np.round(high * scale, 3)
    return out

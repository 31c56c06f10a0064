"""Uncertainty for small samples, in one place.

Every estimate the study reports comes with its n and a 95% interval from here:

- :func:`bootstrap_mean_ci`: percentile bootstrap interval of a mean (seeded).
- :func:`rate_per_thousand`: a count per 1,000 words with an exact Poisson interval.
- :func:`proportion_ci`: a share with a Wilson score interval (:func:`add_share_columns`
  for every row of a table at once).

Words and sentences come in articles, and an outlet's articles differ (author, angle, day),
so counts pooled over an outlet's articles vary more than independent draws would. Where a
group holds at least :data:`MIN_CLUSTERS` articles, the intervals take that into account:
:func:`rate_design_effects` and :func:`share_design_effects` measure the spread between
articles (the design effect, Kish 1965) and widen the Poisson and Wilson intervals by it;
:func:`bootstrap_mean_ci` resamples articles, not sentences. With fewer articles the
spread between them cannot be estimated, and the intervals describe these texts only.

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
from scipy import special

DEFAULT_SEED = 2022
DEFAULT_RESAMPLES = 2000
CONFIDENCE = 0.95
_MAX_INDICES = 4_000_000
MIN_CLUSTERS = 5  # articles a group needs before the spread between its articles is estimated


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
    values, *, clusters=None, resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
    confidence: float = CONFIDENCE, min_clusters: int = MIN_CLUSTERS,
) -> MeanEstimate:
    """Mean of ``values`` with a percentile bootstrap interval (seeded, so reruns match).

    Args:
        values: numbers (NaN are dropped).
        clusters: optional label per value (e.g. its article). With at least ``min_clusters``
            distinct labels, whole clusters are resampled (a cluster bootstrap: the sentences
            of one article are not independent draws); with fewer, single values are.
        resamples: bootstrap resamples.
        seed: random seed; the same seed gives the same interval.
        confidence: interval level.
        min_clusters: clusters needed before clusters are resampled.

    Returns:
        :class:`MeanEstimate`; NaN mean and bounds when there are no values, a zero-width
        interval when there is one.

    Example:
        >>> bootstrap_mean_ci([0.1, 0.5, -0.2, 0.4], seed=1)
        MeanEstimate(mean=0.2, low=-0.05, high=0.45, n=4)
        >>> values = [0.5, 0.5, 0.5, -0.5, -0.5, -0.5, 0.4, 0.6, -0.4, -0.6]
        >>> articles = ["a", "a", "a", "b", "b", "b", "c", "c", "d", "d"]
        >>> wide = bootstrap_mean_ci(values, clusters=articles, min_clusters=4, seed=1)
        >>> narrow = bootstrap_mean_ci(values, seed=1)
        >>> wide.high - wide.low > narrow.high - narrow.low
        True
    """
    series = pd.Series(values, dtype="float64")
    kept = series.notna().to_numpy()
    data = series.to_numpy()[kept]
    n = int(data.size)
    if n == 0:
        return MeanEstimate(float("nan"), float("nan"), float("nan"), 0)
    codes = None if clusters is None else pd.factorize(np.asarray(clusters, dtype=object)[kept])[0]
    if codes is not None and codes.max() + 1 >= min_clusters:
        means = _resample_cluster_means(data, codes, resamples=resamples, seed=seed)
    else:
        means = _resample_means(data, resamples=resamples, seed=seed)
    tail = (1 - confidence) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return MeanEstimate(round(float(data.mean()), 6), round(float(low), 6), round(float(high), 6), n)


def _resample_cluster_means(data: np.ndarray, codes: np.ndarray, *, resamples: int, seed: int) -> np.ndarray:
    """Means of ``resamples`` cluster-bootstrap resamples: clusters drawn with replacement,
    each resample's mean taken over all the values of the clusters drawn."""
    sums = np.bincount(codes, weights=data)
    sizes = np.bincount(codes).astype("float64")
    rng = np.random.default_rng(seed)
    chunk = max(1, min(resamples, _MAX_INDICES // sums.size))
    means = np.empty(resamples, dtype="float64")
    for start in range(0, resamples, chunk):
        stop = min(resamples, start + chunk)
        drawn = rng.integers(0, sums.size, size=(stop - start, sums.size))
        means[start:stop] = sums[drawn].sum(axis=1) / sizes[drawn].sum(axis=1)
    return means


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


def chi2_quantile(q: float, df):
    """Quantile ``q`` (0 < q < 1) of the chi-squared distribution with ``df`` degrees of
    freedom: ``scipy.stats.chi2.ppf(q, df)``, by the same formula (``2 * gammaincinv(df / 2, q)``),
    NaN where ``df`` is not positive.

    From ``scipy.special``, which the package loads anyway: ``scipy.stats`` takes about
    0.45 s to import, paid by every notebook kernel and Dask worker.

    Example:
        >>> round(float(chi2_quantile(0.975, 2)), 4)
        7.3778
    """
    df = np.asarray(df, dtype="float64")
    return np.where(df > 0, 2 * special.gammaincinv(df / 2, q), np.nan)


def rate_per_thousand(count: int, words: int, *, confidence: float = CONFIDENCE) -> RateEstimate:
    """Count per 1,000 words with an exact (Garwood) Poisson interval.

    Example:
        >>> rate_per_thousand(0, 500).high
        7.378
    """
    if words <= 0:
        return RateEstimate(int(count), int(words), float("nan"), float("nan"), float("nan"))
    alpha = 1 - confidence
    low = 0.0 if count == 0 else float(chi2_quantile(alpha / 2, 2 * count)) / 2
    high = float(chi2_quantile(1 - alpha / 2, 2 * count + 2)) / 2
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
    p = successes / n
    centre, half = _wilson_centre_and_half(p, size, confidence)
    return ProportionEstimate(int(successes), int(n), round(p, 6), round(max(0.0, float(centre - half)), 3),
                              round(min(1.0, float(centre + half)), 3))


def _wilson_centre_and_half(p, size, confidence: float):
    """Centre and half-width of the Wilson score interval of shares ``p`` out of ``size``
    (floats or numpy arrays)."""
    z = float(special.ndtri(1 - (1 - confidence) / 2))  # the normal quantile, as scipy.stats.norm.ppf
    centre = (p + z * z / (2 * size)) / (1 + z * z / size)
    half = z * np.sqrt(p * (1 - p) / size + z * z / (4 * size * size)) / (1 + z * z / size)
    return centre, half


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


def rate_design_effects(per_article: pd.DataFrame, *, by, count: str = "count", words: str = "words",
                        min_clusters: int = MIN_CLUSTERS) -> pd.DataFrame:
    """Design effect of each group's rate per word, from its articles' counts.

    For a group of ``k`` articles with counts ``c_i`` and words ``w_i`` and pooled rate
    ``r = sum c / sum w``, the between-article (ratio-estimator) variance of ``r`` is
    ``k / (k - 1) * sum (c_i - r w_i)^2 / (sum w)^2``; Poisson's is ``sum c / (sum w)^2``.
    Their ratio is the design effect: how many times wider than Poisson's the variance is
    once articles that use a word a lot and articles that never do are told apart.

    Args:
        per_article: one row per article (articles without words are left out), with the
            group columns ``by``, ``count`` and ``words``.
        by: group column name or names (e.g. ``"outlet"``).
        min_clusters: articles a group needs; with fewer, its design effect is 1.

    Returns:
        One row per group: ``by``, ``n_articles``, ``design_effect`` (at least 1; 1 where
        the group has too few articles or no count).

    Example:
        >>> per_article = pd.DataFrame({"outlet": ["X"] * 5 + ["Y"] * 5,
        ...     "count": [10, 0, 0, 0, 0, 2, 2, 2, 2, 2], "words": [100] * 10})
        >>> rate_design_effects(per_article, by="outlet").values.tolist()
        [['X', 5, 10.0], ['Y', 5, 1.0]]
    """
    table = per_article[per_article[words] > 0]
    keys = [by] if isinstance(by, str) else list(by)
    totals = table.groupby(keys, sort=True)[[count, words]].transform("sum")
    residual = table[count] - totals[count] / totals[words] * table[words]
    grouped = table.assign(_square=residual ** 2).groupby(keys, sort=True)
    spread = grouped.agg(n_articles=(count, "size"), _square=("_square", "sum"), _count=(count, "sum"))
    return _bounded_effects(spread, spread["_count"], min_clusters=min_clusters)


def share_design_effects(per_article: pd.DataFrame, *, by, successes: str, total: str,
                         min_clusters: int = MIN_CLUSTERS) -> pd.DataFrame:
    """Design effect of each group's share, from its articles' successes out of totals.

    For ``k`` articles with ``s_i`` of ``n_i`` and pooled share ``p = sum s / sum n``, the
    between-article variance of ``p`` is ``k / (k - 1) * sum (s_i - p n_i)^2 / (sum n)^2``,
    against ``p (1 - p) / sum n`` for independent units; the design effect is their ratio,
    and ``sum n / design effect`` the effective sample size for :func:`proportion_ci`.

    Args:
        per_article: one row per article (articles with a total of 0 are left out), with the
            group columns ``by``, ``successes`` and ``total``.
        by: group column name or names.
        min_clusters: articles a group needs; with fewer, its design effect is 1.

    Returns:
        One row per group: ``by``, ``n_articles``, ``design_effect`` (at least 1; 1 where
        the group has too few articles or a share of 0 or 1).

    Example:
        >>> per_article = pd.DataFrame({"outlet": ["X"] * 5, "loaded": [5, 0, 0, 0, 0], "total": [5] * 5})
        >>> share_design_effects(per_article, by="outlet", successes="loaded", total="total").values.tolist()
        [['X', 5, 6.25]]
    """
    table = per_article[per_article[total] > 0]
    keys = [by] if isinstance(by, str) else list(by)
    totals = table.groupby(keys, sort=True)[[successes, total]].transform("sum")
    share = totals[successes] / totals[total]
    residual = table[successes] - share * table[total]
    grouped = table.assign(_square=residual ** 2, _binomial=share * (1 - share) * table[total])
    spread = grouped.groupby(keys, sort=True).agg(n_articles=(total, "size"), _square=("_square", "sum"),
                                                    _binomial=("_binomial", "sum"))
    return _bounded_effects(spread, spread["_binomial"], min_clusters=min_clusters)


def _bounded_effects(spread: pd.DataFrame, expected: pd.Series, *, min_clusters: int) -> pd.DataFrame:
    """``k / (k - 1) * observed / expected`` spread per group, at least 1; 1 where not estimable."""
    k = spread["n_articles"].to_numpy(dtype="float64")
    estimable = (k >= max(min_clusters, 2)) & (expected.to_numpy() > 0)
    ratio = np.divide(k * spread["_square"].to_numpy(), (k - 1) * expected.to_numpy(),
                      out=np.ones_like(k), where=estimable)
    effects = spread[["n_articles"]].assign(design_effect=np.round(np.maximum(ratio, 1.0), 6))
    return effects.astype({"n_articles": "int64"}).reset_index()


def add_share_columns(table: pd.DataFrame, *, successes: str = "successes", n: str = "n",
                      effective_n: str | None = None, confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Add ``share``, ``share_low`` and ``share_high`` columns to a table of counts.

    Vectorised: the same shares and Wilson limits as :func:`proportion_ci`, rounded the same
    way, for every row at once. Rows with ``n`` (or ``effective_n``) of 0 get NaN.

    Example:
        >>> add_share_columns(pd.DataFrame({"successes": [2, 0], "n": [10, 0]}))
           successes   n  share  share_low  share_high
        0          2  10    0.2      0.057        0.51
        1          0   0    NaN        NaN         NaN
    """
    hits = table[successes].to_numpy(dtype="float64")
    totals = table[n].to_numpy(dtype="float64")
    size = totals if effective_n is None else table[effective_n].to_numpy(dtype="float64")
    valid = (totals > 0) & (size > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = hits / totals
        centre, half = _wilson_centre_and_half(p, size, confidence)
    limits = zip(p.tolist(), np.maximum(0.0, centre - half).tolist(), np.minimum(1.0, centre + half).tolist())
    rounded = [(round(share, 6), round(low, 3), round(high, 3)) if ok else (math.nan,) * 3
               for ok, (share, low, high) in zip(valid.tolist(), limits)]
    share, low, high = (list(column) for column in zip(*rounded)) if rounded else ([], [], [])
    return table.assign(share=np.array(share, dtype="float64"), share_low=np.array(low, dtype="float64"),
                        share_high=np.array(high, dtype="float64"))


def add_rate_columns(table: pd.DataFrame, *, count: str = "count", words: str = "words",
                     design_effect: str | None = None, confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Add ``rate_per_1000``, ``rate_low`` and ``rate_high`` columns to a table of counts.

    Vectorised: the same exact Poisson limits as :func:`rate_per_thousand`, for every row
    at once. Rows without words get NaN rates. With a ``design_effect`` column (from
    :func:`rate_design_effects`), a row's interval is Poisson's for ``count / d`` events in
    ``words / d`` words: the same rate, an interval as wide as the spread between articles.

    Example:
        >>> add_rate_columns(pd.DataFrame({"count": [3, 0], "words": [600, 500]}))
           count  words  rate_per_1000  rate_low  rate_high
        0      3    600            5.0     1.031     14.612
        1      0    500            0.0     0.000      7.378
        >>> table = pd.DataFrame({"count": [30, 30], "words": [6000, 6000], "deff": [1.0, 10.0]})
        >>> add_rate_columns(table, design_effect="deff")[["rate_per_1000", "rate_low", "rate_high"]].values.tolist()
        [[5.0, 3.373, 7.138], [5.0, 1.031, 14.612]]
    """
    effect = 1.0 if design_effect is None else table[design_effect].to_numpy(dtype="float64")
    counts = table[count].to_numpy(dtype="float64")
    word_totals = table[words].to_numpy(dtype="float64")
    scale = 1000.0 / np.where(word_totals > 0, word_totals, np.nan)
    events = counts / effect
    alpha = 1 - confidence
    low = np.where(counts > 0, chi2_quantile(alpha / 2, 2 * np.where(counts > 0, events, 1.0)) / 2, 0.0)
    high = chi2_quantile(1 - alpha / 2, 2 * events + 2) / 2
    out = table.copy()
    out["rate_per_1000"] = np.round(counts * scale, 3)
    out["rate_low"] = np.round(low * effect * scale, 3)
    out["rate_high"] = np.round(high * effect * scale, 3)
    return out

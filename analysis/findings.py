"""Key findings across every measure: one row per outlet and finding, each with its evidence.

:func:`key_findings` gathers the study's measures into one table a student (or a README)
can quote: which framing devices each outlet uses, whose words it quotes, the tone of its
own and its quoted sentences, its naming choices, the facts it left out and how much of it
is shared copy. Every row carries its estimate with a 95% interval and the n behind it, the
value for all outlets together and an ``evidence`` pointer to the rows of the study tables
(article and sentence) that produced it. :func:`findings_overview` lays the rows out as a
measure-by-outlet table.

The same module holds the small cross-measure helpers the study notebooks share:
:func:`content_alignment`, :func:`aligned_pairs_with_diffs`, :func:`facts_left_out`,
:func:`closest_shared_sentences`, :func:`extreme_sentences` and :func:`limits_summary`.

Example:
    >>> rows = pd.DataFrame({"article_id": ["b", "a", "a"], "sentence_index": [2, 7, 3]})
    >>> evidence_pointer(rows, table="evidence")
    'evidence: a s3, s7; b s2'
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np
import pandas as pd

from analysis import alignment, measures, quotes, sentiment, stats, voices
from analysis.codebook import Codebook
from analysis.errors import CodebookError, CorpusError, require_columns
from analysis.narrative import fmt_interval, fmt_rate

if TYPE_CHECKING:
    from analysis.pipeline import StudyResults

FINDING_COLUMNS = [
    "measure", "item", "outlet", "finding", "short", "value", "low", "high", "interval", "n", "n_of",
    "all_outlets", "versus_all", "evidence",
]
POISSON = "exact Poisson 95%"
WILSON = "Wilson score 95%"
WILSON_QUOTATIONS = "Wilson score 95% over the effective number of quotations (Kish)"
BOOTSTRAP = f"percentile bootstrap 95% ({stats.DEFAULT_RESAMPLES:,} resamples, seed {stats.DEFAULT_SEED})"
# The same methods where an outlet has enough articles (stats.MIN_CLUSTERS) for the spread
# between its articles to be estimated and taken into account.
BETWEEN_ARTICLES = "widened by the spread between articles (design effect)"
POISSON_ARTICLES = f"{POISSON}, {BETWEEN_ARTICLES}"
WILSON_ARTICLES = f"{WILSON}, {BETWEEN_ARTICLES}"
WILSON_QUOTATIONS_ARTICLES = f"{WILSON_QUOTATIONS}, {BETWEEN_ARTICLES}"
BOOTSTRAP_ARTICLES = f"percentile bootstrap 95% over articles ({stats.DEFAULT_RESAMPLES:,} resamples, seed {stats.DEFAULT_SEED})"
NO_INTERVAL = "none (a count, not an estimate)"
NOTHING_MEASURED = "none (nothing to measure)"
ONE_SENTENCE = "none (one sentence: nothing to resample)"
RATE_MEASURE = "framing devices per 1,000 words"
VERB_MEASURE = "loaded reporting verbs, share of attributions"
SIDE_MEASURE = "quoted words by side, share of the outlet's quoted words"
SENTIMENT_MEASURE = "sentence sentiment, mean VADER compound (-1 to +1)"
NAMING_MEASURE = "naming, share of mentions using the outlet's main variant"
FACTS_MEASURE = "facts left out"
COPY_MEASURE = "shared near-verbatim copy, share of sentences"
NO_QUOTATIONS = "(no quotations found)"
SENTENCE_KEY = ["article_id", "sentence_index"]
POINTER_LIMIT = 12


def evidence_pointer(rows: pd.DataFrame, *, table: str, limit: int = POINTER_LIMIT) -> str:
    """Where to find the rows behind a number: table name, articles and sentence indexes.

    Args:
        rows: rows with ``article_id`` and ``sentence_index`` (repeats are listed once).
        table: name of the study table holding the rows (``evidence``, ``quotes``, ...).
        limit: most sentences listed; the rest are counted as ``(+n more)``.

    Returns:
        ``"<table>: <article_id> s<i>, s<j>; <article_id> s<k>"`` sorted by article and
        sentence, or ``"<table>: none"`` when there are no rows.

    Example:
        >>> rows = pd.DataFrame({"article_id": ["x"] * 4, "sentence_index": [4, 1, 1, 9]})
        >>> evidence_pointer(rows, table="quotes", limit=2)
        'quotes: x s1, s4 (+1 more)'
        >>> evidence_pointer(rows.iloc[:0], table="quotes")
        'quotes: none'
    """
    keys = rows[SENTENCE_KEY].drop_duplicates().sort_values(SENTENCE_KEY)
    if keys.empty:
        return f"{table}: none"
    shown = keys.head(limit)
    parts = [f"{article} s" + ", s".join(str(int(i)) for i in group["sentence_index"])
             for article, group in shown.groupby("article_id", sort=True)]
    more = len(keys) - len(shown)
    return f"{table}: " + "; ".join(parts) + (f" (+{more} more)" if more else "")


def _pointers(rows: pd.DataFrame, keys: Sequence[str], *, table: str) -> pd.DataFrame:
    """One evidence pointer per group of ``rows`` (column ``evidence``)."""
    pointers = [(*(key if isinstance(key, tuple) else (key,)), evidence_pointer(group, table=table))
                for key, group in rows.groupby(list(keys), sort=True)]
    return pd.DataFrame(pointers, columns=[*keys, "evidence"])


def _number(value: float, digits: int) -> str:
    return "n/a" if pd.isna(value) else f"{value:.{digits}f}".replace("-", "−")


def _short(value: float, low: float, high: float, *, digits: int, prefix: str = "") -> str:
    """A compact cell: ``prefix 0.42 (0.36 to 0.49)``."""
    if pd.isna(value):
        return "none"
    interval = "" if pd.isna(low) else f" ({_number(low, digits)} to {_number(high, digits)})"
    return f"{prefix}{_number(value, digits)}{interval}"


def _complete(table: pd.DataFrame, *, measure: str, interval, order: Sequence[str] = (),
              no_interval: str = NO_INTERVAL) -> pd.DataFrame:
    """Add the measure, interval method and comparison with all outlets; order columns and rows.

    ``interval`` names the method of rows with an interval (one name, or one per row); rows
    without one say why (``no_interval``, or :data:`NOTHING_MEASURED` when there is no value).
    Rows are sorted by item (those in ``order`` first, in that order, the rest by name), then
    outlet.
    """
    above = table["low"] > table["all_outlets"] + 1e-9
    below = table["high"] < table["all_outlets"] - 1e-9
    compared = table["low"].notna() & table["all_outlets"].notna()
    versus = np.select([compared & above, compared & below, compared], ["above", "below", "no clear difference"], "")
    marks = np.select([versus == "above", versus == "below"], [" ↑", " ↓"], "")
    method = np.where(table["low"].notna(), interval, np.where(table["value"].isna(), NOTHING_MEASURED, no_interval))
    table = table.assign(measure=measure, interval=method,
                         versus_all=versus, short=table["short"] + marks)
    table = table.astype({"n": "int64", "value": "float64", "low": "float64", "high": "float64",
                          "all_outlets": "float64"})
    rank = {item: position for position, item in enumerate(order)}
    table = table.assign(_rank=[rank.get(item, len(rank)) for item in table["item"]])
    table = table.sort_values(["_rank", "item", "outlet"], kind="stable", ignore_index=True)
    return table[FINDING_COLUMNS]


def _interval_method(n_articles: pd.Series, plain: str, over_articles: str) -> np.ndarray:
    """Each row's interval method: ``over_articles`` where its outlet has at least
    ``stats.MIN_CLUSTERS`` articles (the spread between them is then taken into account),
    ``plain`` elsewhere."""
    return np.where(n_articles.fillna(0).to_numpy() >= stats.MIN_CLUSTERS, over_articles, plain)


def _plural(count: int, noun: str) -> str:
    """``1 word``, ``2 words``."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def _listing(rows: pd.DataFrame, keys: Sequence[str], *, label: str, count: str, template: str) -> pd.DataFrame:
    """Per group, ``template`` filled for every row with a count, most frequent first, joined.

    ``template`` may use ``{label}``, ``{count}`` and ``{words}`` (the count with "word(s)").
    """
    used = rows[rows[count] > 0].sort_values([*keys, count, label], ascending=[*[True] * len(keys), False, True])
    text = [template.format(label=name, count=int(n), words=_plural(int(n), "word")) for name, n in zip(used[label], used[count])]
    joined = used[list(keys)].assign(listing=text).groupby(list(keys), sort=True)["listing"].agg(", ".join)
    return joined.reset_index()


def _rate_rows(table: pd.DataFrame, *, item: pd.Series, all_outlets: pd.Series) -> pd.DataFrame:
    """Finding rows from a table of counts, rates (``stats.add_rate_columns`` columns) and ``n_articles``."""
    listing = table["listing"].fillna("")
    finding = [
        f"{outlet}: {what} {fmt_rate(int(c), int(w), r, lo, hi)}" + (f": {terms}" if terms else "")
        for outlet, what, c, w, r, lo, hi, terms in zip(
            table["outlet"], item, table["count"], table["words"], table["rate_per_1000"],
            table["rate_low"], table["rate_high"], listing)
    ]
    short = [_short(r, lo, hi, digits=1) for r, lo, hi in zip(table["rate_per_1000"], table["rate_low"], table["rate_high"])]
    return pd.DataFrame({
        "item": item.to_numpy(), "outlet": table["outlet"].to_numpy(), "finding": finding, "short": short,
        "value": table["rate_per_1000"].to_numpy(), "low": table["rate_low"].to_numpy(),
        "high": table["rate_high"].to_numpy(), "n": table["words"].to_numpy(), "n_of": "words",
        "all_outlets": all_outlets.to_numpy(), "evidence": table["evidence"].to_numpy(),
        "method": _interval_method(table["n_articles"], POISSON, POISSON_ARTICLES),
    })


def _pooled_rate(table: pd.DataFrame, by: str) -> pd.Series:
    """All outlets together: total count per 1,000 total words, for each ``by`` level."""
    totals = table.groupby(by)[["count", "words"]].transform("sum")
    return 1000 * totals["count"] / totals["words"].where(totals["words"] > 0)


def term_rate_findings(evidence: pd.DataFrame, sentences: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Each codebook term category per 1,000 words in each outlet, with the terms used.

    Args:
        evidence: evidence table (``analysis.measures.find_matches``, with ``section``).
        sentences: the sentences table (``n_words`` gives the denominators).
        codebook: the loaded codebook (every term category gets a row per outlet).

    Returns:
        Finding rows (:data:`FINDING_COLUMNS`), measure ``framing devices per 1,000 words``,
        item the category name (``contested terms``), exact Poisson intervals.

    Example:
        >>> from analysis.codebook import load_codebook
        >>> sentences = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"], "sentence_index": [0, 0],
        ...     "start": [0, 0], "end": [20, 20], "text": ["Sanctions and alleged plans.", "Talks."],
        ...     "n_words": [400, 100]})
        >>> evidence = measures.find_matches(sentences, load_codebook())
        >>> rows = term_rate_findings(evidence, sentences, load_codebook())
        >>> rows[["item", "outlet", "value", "n"]].values.tolist()[:2]
        [['contested terms', 'X', 2.5, 400], ['contested terms', 'Y', 0.0, 100]]
        >>> rows.finding[0]
        'X: contested terms 1 in 400 words (2.5 per 1,000 words; 95% CI 0.1 to 13.9): sanctions ×1'
    """
    categories = measures.count_matches(evidence, sentences, codebook=codebook, level="category")
    terms = measures.count_matches(evidence, sentences, codebook=codebook)
    listing = _listing(terms, ["outlet", "category"], label="term", count="count", template="{label} ×{count}")
    rows = evidence[evidence["section"] == "term_categories"]
    table = (categories.merge(listing, on=["outlet", "category"], how="left")
             .merge(_pointers(rows, ["outlet", "category"], table="evidence"), on=["outlet", "category"], how="left"))
    table["evidence"] = table["evidence"].fillna("evidence: none")
    item = table["category"].str.replace("_", " ")
    rows = _rate_rows(table, item=item, all_outlets=_pooled_rate(table, "category"))
    return _complete(rows, measure=RATE_MEASURE, interval=rows["method"],
                     order=[category.name.replace("_", " ") for category in codebook.term_categories])


def scare_quote_findings(quote_table: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Scare quotes per 1,000 words in each outlet, with the words set in them.

    Args:
        quote_table: quotations table (``analysis.quotes.quotes_table``).
        sentences: the sentences table (``n_words`` gives the denominators).

    Returns:
        Finding rows, measure ``framing devices per 1,000 words``, item ``scare quotes``.

    Example:
        >>> quote_table = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "sentence_index": [2],
        ...     "start": [10], "end": [20], "kind": ["scare"], "text": ["invasion"], "speaker": [""]})
        >>> sentences = pd.DataFrame({"outlet": ["X", "Y"], "n_words": [500, 300]})
        >>> scare_quote_findings(quote_table, sentences)[["outlet", "short", "evidence"]].values.tolist()
        [['X', '2.0 (0.1 to 11.1)', 'quotes: a s2'], ['Y', '0.0 (0.0 to 12.3)', 'quotes: none']]
    """
    counts = quotes.quote_kind_counts(quote_table, sentences)
    table = counts[counts["kind"] == "scare"].reset_index(drop=True)
    terms = quotes.scare_quoted_terms(quote_table)
    listing = _listing(terms, ["outlet"], label="term", count="count", template="“{label}” ×{count}")
    pointers = _pointers(quote_table[quote_table["kind"] == "scare"], ["outlet"], table="quotes")
    table = table.merge(listing, on="outlet", how="left").merge(pointers, on="outlet", how="left")
    table["evidence"] = table["evidence"].fillna("quotes: none")
    rows = _rate_rows(table, item=pd.Series("scare quotes", index=table.index),
                      all_outlets=_pooled_rate(table, "kind"))
    return _complete(rows, measure=RATE_MEASURE, interval=rows["method"])


def _share_rows(table: pd.DataFrame, per_article: pd.DataFrame, *, successes: str, total: str) -> pd.DataFrame:
    """Add ``value, low, high`` (Wilson), ``short`` and the interval ``method`` from counts of
    successes out of a total per outlet.

    ``per_article`` holds the same counts per ``outlet, article_id``: an outlet with enough
    articles gets its interval for the effective sample size (``stats.share_design_effects``).
    """
    effects = stats.share_design_effects(per_article, by="outlet", successes=successes, total=total)
    table = table.merge(effects, on="outlet", how="left").fillna({"n_articles": 0, "design_effect": 1.0})
    shares = stats.add_share_columns(table.assign(_effective=table[total] / table["design_effect"]),
                                     successes=successes, n=total, effective_n="_effective")
    table = table.assign(method=_interval_method(table["n_articles"], WILSON, WILSON_ARTICLES))
    return _estimate_rows(table, shares["share"], shares["share_low"], shares["share_high"])


def _article_counts(rows: pd.DataFrame, flag: pd.Series, *, successes: str, total: str) -> pd.DataFrame:
    """Per ``outlet, article_id``: the rows (``total``) and those where ``flag`` holds (``successes``)."""
    return (rows[["outlet", "article_id"]].assign(**{successes: flag.astype("int64"), total: 1})
            .groupby(["outlet", "article_id"], sort=False)[[successes, total]].sum().reset_index())


def _estimate_rows(table: pd.DataFrame, value, low, high) -> pd.DataFrame:
    """Add the shares ``value, low, high`` and their compact ``short`` cell."""
    return table.assign(value=list(value), low=list(low), high=list(high),
                        short=[_short(v, lo, hi, digits=2) for v, lo, hi in zip(value, low, high)])


def verb_findings(speech_acts: pd.DataFrame, sentences: pd.DataFrame, codebook: Codebook, *,
                  neutral_stance: str = "neutral") -> pd.DataFrame:
    """Share of each outlet's attributions ("Ryabkov stressed") whose verb is not neutral.

    Args:
        speech_acts: speech acts table (``analysis.voices.speech_acts``).
        sentences: the sentences table (every outlet in it gets a row).
        codebook: the loaded codebook; it must define ``neutral_stance``.
        neutral_stance: the stance of verbs that only report that something was said.

    Returns:
        Finding rows, measure ``loaded reporting verbs, share of attributions``, Wilson
        intervals; an outlet without attributions has a row with n = 0 and no value.

    Example:
        >>> from analysis.codebook import load_codebook
        >>> acts = pd.DataFrame({"article_id": ["a"] * 3, "outlet": ["X"] * 3, "sentence_index": [1, 2, 5],
        ...     "verb": ["said", "stressed", "claimed"], "stance": ["neutral", "emphatic", "distancing"]})
        >>> rows = verb_findings(acts, pd.DataFrame({"outlet": ["X"]}), load_codebook())
        >>> rows.finding[0]
        'X: 2 of 3 attributions use a reporting verb that is not neutral (0.67; 95% CI 0.21 to 0.94): claimed (distancing) ×1, stressed (emphatic) ×1'
        >>> rows.evidence[0]
        'speech_acts: a s2, s5'
    """
    stances = [stance.name for stance in codebook.stances]
    if neutral_stance not in stances:
        raise CodebookError(codebook.path, f"no reporting-verb stance {neutral_stance!r} (has {', '.join(stances)})")
    is_loaded = speech_acts["stance"].notna() & (speech_acts["stance"] != neutral_stance)
    loaded = speech_acts[is_loaded]
    outlets = pd.DataFrame({"outlet": sorted(sentences["outlet"].astype(str).unique())})
    table = outlets.merge(speech_acts.groupby("outlet").size().rename("total").reset_index(), how="left")
    table = table.merge(loaded.groupby("outlet").size().rename("loaded").reset_index(), how="left")
    table = table.fillna({"total": 0, "loaded": 0}).astype({"total": "int64", "loaded": "int64"})
    verbs = loaded.assign(label=loaded["verb"].str.lower() + " (" + loaded["stance"] + ")")
    verbs = verbs.groupby(["outlet", "label"]).size().rename("count").reset_index()
    table = table.merge(_listing(verbs, ["outlet"], label="label", count="count", template="{label} ×{count}"),
                        on="outlet", how="left").merge(_pointers(loaded, ["outlet"], table="speech_acts"), on="outlet", how="left")
    table = _share_rows(table, _article_counts(speech_acts, is_loaded, successes="loaded", total="total"),
                        successes="loaded", total="total")
    finding = [
        f"{o}: no attributions found" if n == 0 else
        f"{o}: {k} of {n} attributions use a reporting verb that is not {neutral_stance} "
        f"({_number(v, 2)}; 95% CI {_number(lo, 2)} to {_number(hi, 2)})" + (f": {verbs}" if isinstance(verbs, str) else "")
        for o, k, n, v, lo, hi, verbs in zip(table["outlet"], table["loaded"], table["total"], table["value"],
                                            table["low"], table["high"], table["listing"])
    ]
    pooled = table["loaded"].sum() / table["total"].sum() if table["total"].sum() else float("nan")
    rows = table.assign(item=f"stance other than {neutral_stance}", finding=finding, n=table["total"],
                        n_of="attributions", all_outlets=pooled,
                        evidence=table["evidence"].fillna("speech_acts: none"))
    return _complete(rows, measure=VERB_MEASURE, interval=rows["method"])


def _speech_sides(quote_table: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Reported speech (outer direct and partial quotations) with each speaker's side."""
    speech = quote_table[quote_table["kind"].isin(voices.SPEECH_KINDS) & ~quote_table["nested"].astype(bool)]
    speakers = speech["speaker"].astype(str).replace("", voices.UNATTRIBUTED)
    sides = {actor.name: actor.side for actor in codebook.actors}
    return speech.assign(speaker=speakers, side=speakers.map(sides).fillna(voices.UNKNOWN_SIDE))


def side_findings(quote_table: pd.DataFrame, sentences: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Whose words each outlet quotes: each side's share of the outlet's quoted words.

    Sides quoted by at least one outlet get a row in every outlet that quotes anyone (zeros
    included, so "quoted no one from this side" is visible); an outlet with no reported speech
    gets one row, item ``(no quotations found)``.

    Args:
        quote_table: quotations table (``analysis.quotes.quotes_table``).
        sentences: the sentences table (every outlet in it gets a row).
        codebook: the loaded codebook (speakers' sides).

    Returns:
        Finding rows, measure ``quoted words by side, ...``, item the side, Wilson intervals
        for the effective number of quotations (:data:`WILSON_QUOTATIONS`): a quotation's
        words are one draw, not many. Where an outlet has enough articles with quotations,
        the interval is also widened by the spread between them
        (:data:`WILSON_QUOTATIONS_ARTICLES`, see :func:`analysis.voices.quoted_words`).

    Example:
        >>> from analysis.codebook import load_codebook
        >>> quote_table = pd.DataFrame({"article_id": ["a", "a"], "outlet": ["X", "X"], "sentence_index": [1, 4],
        ...     "kind": ["direct", "partial"], "nested": [False, False],
        ...     "speaker": ["Sergei Ryabkov", "Wendy Sherman"], "text": ["We are fed up with loose talk", "firm"]})
        >>> rows = side_findings(quote_table, pd.DataFrame({"outlet": ["X", "Y"]}), load_codebook())
        >>> rows[["item", "outlet", "short", "n"]].values.tolist()
        [['Russia', 'X', '0.88 (0.19 to 0.99)', 8], ['United States', 'X', '0.12 (0.01 to 0.81)', 8], ['(no quotations found)', 'Y', 'none', 0]]
        >>> rows.finding[0]
        'X: Russia 7 of 8 quoted words (0.88; 95% CI 0.19 to 0.99) in 1 quotation: Sergei Ryabkov (7 words)'
    """
    by_side = voices.quoted_words(quote_table, codebook, by="side")
    by_speaker = voices.quoted_words(quote_table, codebook, by="speaker")
    quoted = by_side.groupby("side")["words"].transform("sum") > 0
    table = by_side[quoted & (by_side["outlet_words"] > 0)]
    table = _estimate_rows(table, table["share"], table["share_low"], table["share_high"])  # voices' own interval
    speakers = _listing(by_speaker, ["outlet", "side"], label="speaker", count="words", template="{label} ({words})")
    table = table.merge(speakers, on=["outlet", "side"], how="left")
    speech = _speech_sides(quote_table, codebook)
    table = table.merge(_pointers(speech, ["outlet", "side"], table="quotes"), on=["outlet", "side"], how="left")
    totals = table.groupby("side")["words"].transform("sum") / table.drop_duplicates("outlet")["outlet_words"].sum()
    finding = [
        f"{o}: {side} {w} of {n} quoted words ({_number(v, 2)}; 95% CI {_number(lo, 2)} to {_number(hi, 2)}) "
        f"in {_plural(q, 'quotation')}" + (f": {who}" if isinstance(who, str) else "")
        for o, side, w, n, v, lo, hi, q, who in zip(table["outlet"], table["side"], table["words"], table["outlet_words"],
                                                   table["value"], table["low"], table["high"], table["quotes"], table["listing"])
    ]
    rows = table.assign(item=table["side"], finding=finding, n=table["outlet_words"], n_of="quoted words",
                        all_outlets=totals.to_numpy(), evidence=table["evidence"].fillna("quotes: none"))
    silent = sorted(set(sentences["outlet"].astype(str)) - set(rows["outlet"]))
    none = pd.DataFrame({"item": NO_QUOTATIONS, "outlet": silent, "short": "none", "value": np.nan, "low": np.nan,
                         "high": np.nan, "n": 0, "n_of": "quoted words", "all_outlets": np.nan, "evidence": "quotes: none",
                         "finding": [f"{o}: no direct or partial quotations found" for o in silent]})
    table = pd.concat([rows, none], ignore_index=True)
    return _complete(table, measure=SIDE_MEASURE, order=[side for side, _ in codebook.sides],
                     interval=_interval_method(table["n_articles"], WILSON_QUOTATIONS, WILSON_QUOTATIONS_ARTICLES))


WHOLE_SENTENCES = "whole sentences"
VOICE_LABELS = {WHOLE_SENTENCES: "whole sentences", "narrator": "the outlet's own words (narrator)",
                "quoted": "quoted words"}


def extreme_sentences(scored: pd.DataFrame, *, by: str | Sequence[str] = "outlet", k: int = 1) -> pd.DataFrame:
    """The most negative and the most positive scored sentences of each group, to read.

    Only sentences VADER calls negative (compound <= -0.05) can be "most negative" and only
    positive ones (>= 0.05) "most positive", so a group of neutral sentences shows none.

    Args:
        scored: scored sentences or voice texts (``compound, article_id, sentence_index``
            and the ``by`` columns), e.g. ``study.sentence_scores``.
        by: group column(s).
        k: sentences of each kind per group.

    Returns:
        The chosen rows with ``extreme`` (``most negative`` / ``most positive``) after the
        group columns, sorted by group, extreme and strength (ties by article, sentence).

    Example:
        >>> scored = pd.DataFrame({"outlet": ["X", "X", "X", "Y"], "article_id": ["a", "a", "a", "b"],
        ...     "sentence_index": [0, 1, 2, 0], "compound": [-0.6, 0.0, 0.4, 0.0], "text": ["p", "q", "r", "s"]})
        >>> extreme_sentences(scored)[["outlet", "extreme", "compound", "text"]].values.tolist()
        [['X', 'most negative', -0.6, 'p'], ['X', 'most positive', 0.4, 'r']]
    """
    keys = [by] if isinstance(by, str) else list(by)
    require_columns(scored, [*keys, *SENTENCE_KEY, "compound"], "scored")
    order = [*keys, "compound", *SENTENCE_KEY]
    negative = scored[scored["compound"] <= sentiment.NEGATIVE_THRESHOLD].sort_values(order)
    positive = scored[scored["compound"] >= sentiment.POSITIVE_THRESHOLD].sort_values(
        order, ascending=[*[True] * len(keys), False, True, True])
    chosen = pd.concat([negative.groupby(keys, sort=False).head(k).assign(extreme="most negative"),
                        positive.groupby(keys, sort=False).head(k).assign(extreme="most positive")])
    chosen["_strength"] = -chosen["compound"].abs()
    chosen = chosen.sort_values([*keys, "extreme", "_strength", *SENTENCE_KEY], ignore_index=True)
    columns = [*keys, "extreme", *[c for c in scored.columns if c not in keys]]
    return chosen[columns]


def _sentiment_pointers(scored: pd.DataFrame, *, table: str) -> pd.DataFrame:
    """Per outlet and voice: how many rows, and where the most negative and positive are."""
    extremes = extreme_sentences(scored, by=["outlet", "voice"])
    text = [f"{kind} {a} s{int(i)} ({c:+.2f})".replace(f"({c:+.2f})", f"({c:+.2f})".replace("-", "−"))
            for kind, a, i, c in zip(extremes["extreme"], extremes["article_id"], extremes["sentence_index"],
                                     extremes["compound"])]
    named = extremes[["outlet", "voice"]].assign(text=text).groupby(["outlet", "voice"])["text"].agg("; ".join)
    sizes = scored.groupby(["outlet", "voice"]).size().rename("rows").reset_index()
    sizes = sizes.merge(named.reset_index(), on=["outlet", "voice"], how="left")
    sizes["evidence"] = [f"{table}: {n} rows" + (f"; {t}" if isinstance(t, str) else "")
                         for n, t in zip(sizes["rows"], sizes["text"])]
    return sizes[["outlet", "voice", "evidence"]]


def sentiment_findings(sentence_scores: pd.DataFrame, voice_scores: pd.DataFrame) -> pd.DataFrame:
    """Mean sentence sentiment per outlet: whole sentences, narrator text and quoted text.

    Args:
        sentence_scores: scored sentences (``study.sentence_scores``).
        voice_scores: scored narrator and quoted texts (``study.voice_scores``).

    Returns:
        Finding rows, measure ``sentence sentiment, mean VADER compound``, items ``narrator``,
        ``quoted`` and ``whole sentences``, seeded bootstrap intervals (none from a single
        sentence: its zero-width "interval" would look certain); a voice an outlet does not
        have (no quotations) is a row with n = 0. ``evidence`` names the most negative and
        most positive sentence.

    Example:
        >>> scores = pd.DataFrame({"article_id": ["a", "a"], "outlet": ["X", "X"], "sentence_index": [0, 1],
        ...     "compound": [0.5, -0.1]})
        >>> rows = sentiment_findings(scores, scores.assign(voice="narrator"))
        >>> rows[["item", "short", "n"]].values.tolist()
        [['whole sentences', '0.20 (−0.10 to 0.50)', 2], ['narrator', '0.20 (−0.10 to 0.50)', 2], ['quoted', 'none', 0]]
        >>> rows.evidence[1]
        'voice_scores: 2 rows; most negative a s1 (−0.10); most positive a s0 (+0.50)'
    """
    whole_scores = sentence_scores.assign(voice=WHOLE_SENTENCES)
    summary = pd.concat([sentiment.summarise(whole_scores, by=["outlet", "voice"]),
                         sentiment.summarise(voice_scores, by=["outlet", "voice"])], ignore_index=True)
    grid = pd.MultiIndex.from_product([sorted(sentence_scores["outlet"].astype(str).unique()), list(VOICE_LABELS)],
                                      names=["outlet", "voice"]).to_frame(index=False)
    table = grid.merge(summary, on=["outlet", "voice"], how="left").fillna({"n": 0, "n_positive": 0, "n_negative": 0})
    pointers = pd.concat([_sentiment_pointers(whole_scores, table="sentence_scores"),
                          _sentiment_pointers(voice_scores, table="voice_scores")], ignore_index=True)
    table = table.merge(pointers, on=["outlet", "voice"], how="left")
    pooled = {WHOLE_SENTENCES: sentence_scores["compound"].mean(), **voice_scores.groupby("voice")["compound"].mean()}
    spread = table["n"] > 1
    low, high = table["compound_low"].where(spread), table["compound_high"].where(spread)
    finding = [
        f"{o}: no {VOICE_LABELS[v]}" if n == 0 else
        f"{o}: {VOICE_LABELS[v]} compound {_number(m, 2)} (one sentence, no interval)" if n == 1 else
        f"{o}: {VOICE_LABELS[v]} mean compound {fmt_interval(m, lo, hi, n=int(n))}; "
        f"{int(pos)} positive and {int(neg)} negative"
        for o, v, m, lo, hi, n, pos, neg in zip(table["outlet"], table["voice"], table["mean_compound"],
                                                low, high, table["n"], table["n_positive"], table["n_negative"])
    ]
    rows = pd.DataFrame({
        "item": table["voice"], "outlet": table["outlet"], "finding": finding,
        "short": [_short(m, lo, hi, digits=2) for m, lo, hi in zip(table["mean_compound"], low, high)],
        "value": table["mean_compound"], "low": low, "high": high,
        "n": table["n"], "n_of": "sentences", "all_outlets": table["voice"].map(pooled),
        "evidence": table["evidence"].fillna("voice_scores: none"),
    })
    return _complete(rows, measure=SENTIMENT_MEASURE,
                     interval=_interval_method(table["n_articles"], BOOTSTRAP, BOOTSTRAP_ARTICLES),
                     order=list(VOICE_LABELS), no_interval=ONE_SENTENCE)


def naming_findings(evidence: pd.DataFrame, sentences: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Each outlet's main name variant for each codebook concept it mentions, with its share.

    Args:
        evidence: evidence table (rows of section ``naming_variants`` are used).
        sentences: the sentences table.
        codebook: the loaded codebook (every variant counts, used or not).

    Returns:
        Finding rows, measure ``naming, ...``, one per outlet and concept it mentions, item
        ``concept: variant`` for the outlet's most used variant (so outlets that prefer the
        same variant share a row of :func:`findings_overview`); ``value`` is that variant's
        share of the concept's mentions in the outlet (Wilson interval) and ``all_outlets``
        its share in all outlets together.

    Example:
        >>> from analysis.codebook import load_codebook
        >>> evidence = pd.DataFrame({"article_id": ["a", "a", "b"], "outlet": ["X", "X", "Y"],
        ...     "sentence_index": [0, 3, 1], "section": "naming_variants",
        ...     "category": "Ryabkov's first name", "term": ["Sergey", "Sergey", "Sergei"]})
        >>> rows = naming_findings(evidence, pd.DataFrame({"outlet": ["X", "Y"]}), load_codebook())
        >>> rows[["item", "outlet", "short", "all_outlets"]].round(2).values.tolist()
        [["Ryabkov's first name: Sergei", 'Y', '1.00 (0.21 to 1.00)', 0.33], ["Ryabkov's first name: Sergey", 'X', '1.00 (0.34 to 1.00)', 0.67]]
        >>> rows.finding[1]
        "X: Ryabkov's first name is Sergey in 2 of 2 mentions (1.00; 95% CI 0.34 to 1.00); variants: Sergey ×2"
    """
    choices = measures.naming_choices(evidence, sentences=sentences, codebook=codebook)
    choices = choices[choices["n"] > 0]
    variant_totals = choices.groupby(["concept", "variant"])["count"].sum()
    concept_totals = choices.drop_duplicates(["outlet", "concept"]).groupby("concept")["n"].sum()
    main = measures.main_variants(choices)
    listing = _listing(choices, ["outlet", "concept"], label="variant", count="count", template="{label} ×{count}")
    rows = evidence[evidence["section"] == "naming_variants"].rename(columns={"category": "concept"})
    main = (main.merge(listing, on=["outlet", "concept"], how="left")
            .merge(_pointers(rows, ["outlet", "concept"], table="evidence"), on=["outlet", "concept"], how="left"))
    pooled = [variant_totals[(c, v)] / concept_totals[c] for c, v in zip(main["concept"], main["variant"])]
    finding = [
        f"{o}: {c} is {v} in {k} of {n} mentions ({_number(s, 2)}; 95% CI {_number(lo, 2)} to {_number(hi, 2)}); "
        f"variants: {used}"
        for o, c, v, k, n, s, lo, hi, used in zip(main["outlet"], main["concept"], main["variant"], main["count"],
                                                  main["n"], main["share"], main["share_low"], main["share_high"],
                                                  main["listing"])
    ]
    table = pd.DataFrame({
        "item": main["concept"] + ": " + main["variant"], "outlet": main["outlet"], "finding": finding,
        "short": [_short(s, lo, hi, digits=2) for s, lo, hi in zip(main["share"], main["share_low"], main["share_high"])],
        "value": main["share"], "low": main["share_low"], "high": main["share_high"], "n": main["n"],
        "n_of": "mentions", "all_outlets": pd.Series(pooled, dtype="float64"), "evidence": main["evidence"],
    })
    return _complete(table, measure=NAMING_MEASURE, interval=_interval_method(main["n_articles"], WILSON, WILSON_ARTICLES),
                     order=[f"{concept.name}: {variant.name}" for concept in codebook.naming_concepts
                            for variant in concept.terms])


def content_alignment(sentences: pd.DataFrame, *, min_similarity: float = 0.35,
                      words: alignment.TextWords | None = None) -> pd.DataFrame:
    """Aligned sentence pairs across outlets, leaving out speaker lines.

    A speaker line (``Sergey Ryabkov Deputy Foreign Minister of Russia`` under a statement)
    matches other sentences on a name and a title alone, not on what was reported, so
    sentences with ``is_attribution`` are left out before aligning.

    Args:
        sentences: the sentences table (with ``is_attribution``).
        min_similarity: lowest cosine similarity of a pair (see
            :func:`analysis.alignment.align_sentences`).
        words: :func:`analysis.alignment.text_words` of the whole ``text`` column, when
            already made (e.g. shared with :func:`analysis.alignment.shared_copy`).

    Returns:
        :func:`analysis.alignment.align_sentences` output.

    Example:
        >>> sentences = pd.DataFrame({"article_id": ["a", "a", "b"], "sentence_index": [0, 1, 0],
        ...     "outlet": ["A", "A", "B"], "is_attribution": [False, True, False],
        ...     "text": ["Russia denies plans to attack Ukraine", "Sergey Ryabkov Deputy Foreign Minister",
        ...              "Russia told the U.S. it has no plans to attack Ukraine;"]})
        >>> content_alignment(sentences)[["sentence_index_a", "sentence_index_b"]].values.tolist()
        [[0, 0]]
    """
    require_columns(sentences, ["is_attribution"], "sentences")
    content = np.flatnonzero(~sentences["is_attribution"].astype(bool).to_numpy())
    return alignment.align_sentences(sentences, min_similarity=min_similarity, words=words, rows=content)


def aligned_pairs_with_diffs(pairs: pd.DataFrame, sentences: pd.DataFrame | None = None, *,
                             k: int | None = None) -> pd.DataFrame:
    """The most similar aligned pairs first, each with its texts and word-level difference.

    Args:
        pairs: aligned pairs (:func:`content_alignment` or ``study.alignment``).
        sentences: the sentences table the pairs come from, to join the two texts
            (:func:`analysis.alignment.pair_texts`) of the pairs kept; None when ``pairs``
            already hold ``text_a`` and ``text_b``.
        k: keep the ``k`` most similar pairs (None: all).

    Returns:
        The pairs sorted by similarity (highest first, ties by sentence keys) with
        ``text_a``, ``text_b`` and ``difference``: sentence ``a`` with ``[-words]`` that
        ``b`` lacks and ``[+words]`` that ``b`` adds (:func:`analysis.alignment.inline_diff`).

    Example:
        >>> sentences = pd.DataFrame({"article_id": ["a", "b"], "sentence_index": [0, 0], "outlet": ["A", "B"],
        ...     "text": ["Russia denies plans to attack Ukraine", "Russia has no plans to attack Ukraine"]})
        >>> pairs = pd.DataFrame({"article_id_a": ["a"], "sentence_index_a": [0], "outlet_a": ["A"],
        ...     "article_id_b": ["b"], "sentence_index_b": [0], "outlet_b": ["B"], "similarity": [0.5]})
        >>> aligned_pairs_with_diffs(pairs, sentences).difference.tolist()
        ['Russia [-denies] [+has no] plans to attack Ukraine']
    """
    keys = ["article_id_a", "sentence_index_a", "article_id_b", "sentence_index_b"]
    ranked = pairs.sort_values(["similarity", *keys], ascending=[False, True, True, True, True], ignore_index=True)
    ranked = ranked if k is None else ranked.head(k)
    if sentences is not None:
        ranked = alignment.pair_texts(ranked, sentences)
    elif not {"text_a", "text_b"} <= set(ranked.columns):
        raise CorpusError(None, "aligned pairs hold no texts: pass the sentences table to join them")
    return ranked.assign(difference=[alignment.inline_diff(a, b) for a, b in zip(ranked["text_a"], ranked["text_b"])])


def facts_left_out(matrix: pd.DataFrame) -> pd.DataFrame:
    """For each outlet, the facts other outlets reported and it did not.

    Args:
        matrix: fact-by-outlet sentence counts (``analysis.alignment.fact_coverage``), index
            ``source, fact``, one column per outlet.

    Returns:
        ``outlet, source, fact, n_other_outlets, other_outlets`` (how many and which outlets
        reported the fact), sorted by outlet, then facts most widely reported first.
        Facts no outlet reported are not listed (no outlet left out what none reported).

    Example:
        >>> index = pd.MultiIndex.from_tuples([("codebook", "talks lasted about eight hours"),
        ...     ("codebook", "sanctions threatened")], names=["source", "fact"])
        >>> matrix = pd.DataFrame({"A": [1, 0], "B": [2, 0], "C": [0, 0]}, index=index)
        >>> facts_left_out(matrix).values.tolist()
        [['C', 'codebook', 'talks lasted about eight hours', 2, 'A, B']]
    """
    reported = matrix.gt(0)
    long = reported.stack().rename("reported").reset_index()
    long.columns = ["source", "fact", "outlet", "reported"]
    reporters = long[long["reported"]].groupby(["source", "fact"], sort=False)["outlet"].agg(list)
    missing = long[~long["reported"] & long.set_index(["source", "fact"]).index.isin(reporters.index)]
    others = [reporters[(s, f)] for s, f in zip(missing["source"], missing["fact"])]
    table = missing[["outlet", "source", "fact"]].assign(
        n_other_outlets=[len(o) for o in others], other_outlets=[", ".join(sorted(map(str, o))) for o in others])
    table = table.astype({"outlet": "str", "n_other_outlets": "int64"})
    fact_rank = {key: rank for rank, key in enumerate(matrix.index)}
    table["_rank"] = [fact_rank[(s, f)] for s, f in zip(table["source"], table["fact"])]
    table = table.sort_values(["outlet", "n_other_outlets", "_rank"], ascending=[True, False, True], ignore_index=True)
    return table.drop(columns="_rank")


def fact_article_shares(matrix: pd.DataFrame, fact_evidence: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """How many of each outlet's articles report each fact, as a share with a Wilson interval.

    With many articles per outlet, "left out" (:func:`facts_left_out`: no article of the
    outlet reports the fact) says little; how often the outlet's articles report it says
    more. Articles are the units: one article reporting a fact in three sentences counts once.

    Args:
        matrix: fact-by-outlet counts (``analysis.alignment.fact_coverage``); gives the facts.
        fact_evidence: its evidence rows (``source, fact, outlet, article_id``).
        sentences: the sentences table (``outlet, article_id``): every article counts.

    Returns:
        ``source, fact, outlet, articles, reporting, share, share_low, share_high``: one row
        per fact (in ``matrix`` order) and outlet, the share of the outlet's ``articles``
        that report the fact (``reporting``) with its 95% Wilson interval over articles
        (:func:`analysis.stats.add_share_columns`).

    Example:
        >>> index = pd.MultiIndex.from_tuples([("codebook", "sanctions threatened")], names=["source", "fact"])
        >>> evidence = pd.DataFrame({"source": "codebook", "fact": "sanctions threatened", "outlet": "A",
        ...                          "article_id": ["a1", "a1", "a2"]})
        >>> sentences = pd.DataFrame({"outlet": ["A", "A", "A", "B"], "article_id": ["a1", "a2", "a3", "b1"]})
        >>> shares = fact_article_shares(pd.DataFrame({"A": [3], "B": [0]}, index=index), evidence, sentences)
        >>> shares[["outlet", "articles", "reporting", "share", "share_low", "share_high"]].values.tolist()
        [['A', 3, 2, 0.666667, 0.208, 0.939], ['B', 1, 0, 0.0, 0.0, 0.793]]
    """
    require_columns(fact_evidence, ["source", "fact", "outlet", "article_id"], "fact evidence")
    require_columns(sentences, ["outlet", "article_id"], "sentences")
    articles = sentences.groupby("outlet", sort=True)["article_id"].nunique().rename("articles").reset_index()
    grid = matrix.index.to_frame(index=False).merge(articles.astype({"outlet": "str"}), how="cross")
    reporting = fact_evidence.groupby(["source", "fact", "outlet"], sort=False)["article_id"].nunique()
    keys = pd.MultiIndex.from_frame(grid[["source", "fact", "outlet"]])
    grid["reporting"] = reporting.reindex(keys, fill_value=0).to_numpy(dtype="int64")
    return stats.add_share_columns(grid.astype({"articles": "int64"}), successes="reporting", n="articles")


def fact_findings(sentences: pd.DataFrame, codebook: Codebook, *, pairs: pd.DataFrame) -> pd.DataFrame:
    """How many of the facts other outlets reported each outlet left out, and which.

    Facts are the codebook's and those found by alignment
    (:func:`analysis.alignment.fact_coverage`).

    Args:
        sentences: the sentences table.
        codebook: the loaded codebook (its ``facts``).
        pairs: aligned pairs (:func:`content_alignment`).

    Returns:
        Finding rows, measure ``facts left out``: ``value`` counts facts left out, ``n`` the
        facts at least one other outlet reported; no interval (a count, not an estimate).
        ``evidence`` points to the other outlets' sentences reporting the facts left out.

    Example:
        >>> from analysis.codebook import load_codebook
        >>> sentences = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"], "sentence_index": [0, 0],
        ...     "start": [0, 0], "end": [36, 6], "is_attribution": [False, False],
        ...     "text": ["The talks lasted nearly eight hours.", "Talks."], "n_words": [6, 1]})
        >>> rows = fact_findings(sentences, load_codebook(), pairs=content_alignment(sentences))
        >>> rows[["outlet", "short", "evidence"]].values.tolist()
        [['X', '0 of 0', 'fact evidence: none'], ['Y', '1 of 1', 'fact evidence: a s0']]
        >>> rows.finding[1]
        'Y left out 1 of 1 facts that other outlets reported: talks lasted about eight hours (reported by X)'
    """
    matrix, fact_evidence = alignment.fact_coverage(sentences, codebook=codebook, pairs=pairs)
    left = facts_left_out(matrix)
    reported = matrix.gt(0)
    # a fact is a candidate for an outlet when some OTHER outlet reported it
    candidates = (reported.sum(axis=1).to_numpy()[:, None] - reported.astype(int) > 0).sum(axis=0)
    listing = left.assign(text=[f"{fact} (reported by {others})" for fact, others in zip(left["fact"], left["other_outlets"])])
    listing = listing.groupby("outlet", sort=True)["text"].agg("; ".join)
    behind = left[["outlet", "source", "fact"]].merge(
        fact_evidence.rename(columns={"outlet": "reporter"}), on=["source", "fact"])
    pointers = _pointers(behind, ["outlet"], table="fact evidence").set_index("outlet")["evidence"]
    outlets = [str(o) for o in matrix.columns]
    counts = left.groupby("outlet").size().reindex(outlets, fill_value=0)
    finding = [
        f"{o} left out {counts[o]} of {candidates[o]} facts that other outlets reported: {listing[o]}" if counts[o]
        else f"{o} reported every one of the {candidates[o]} facts that other outlets reported"
        for o in outlets
    ]
    table = pd.DataFrame({
        "item": "facts other outlets reported", "outlet": outlets, "finding": finding,
        "short": [f"{counts[o]} of {candidates[o]}" for o in outlets], "value": counts.to_numpy(dtype="float64"),
        "low": np.nan, "high": np.nan, "n": [int(candidates[o]) for o in outlets], "n_of": "facts",
        "all_outlets": np.nan, "evidence": [pointers.get(o, "fact evidence: none") for o in outlets],
    })
    return _complete(table, measure=FACTS_MEASURE, interval=NO_INTERVAL)


def shared_copy_findings(shared: pd.DataFrame) -> pd.DataFrame:
    """Share of each outlet's sentences shared near-verbatim with another outlet.

    Args:
        shared: ``analysis.alignment.shared_copy`` output (``study.shared_copy``).

    Returns:
        Finding rows, measure ``shared near-verbatim copy, share of sentences``, Wilson
        intervals; ``evidence`` lists the flagged sentences.

    Example:
        >>> shared = pd.DataFrame({"article_id": ["a", "a", "b"], "sentence_index": [0, 1, 0],
        ...     "outlet": ["X", "X", "Y"], "is_shared_copy": [True, False, True],
        ...     "matched_outlet": ["Y", "Y", "X"]})
        >>> rows = shared_copy_findings(shared)
        >>> rows[["outlet", "short", "evidence"]].values.tolist()
        [['X', '0.50 (0.10 to 0.91)', 'shared_copy: a s0'], ['Y', '1.00 (0.21 to 1.00)', 'shared_copy: b s0']]
        >>> rows.finding[0]
        'X: 1 of 2 sentences shared near-verbatim with another outlet (0.50; 95% CI 0.10 to 0.91): with Y'
    """
    flagged = shared[shared["is_shared_copy"].astype(bool)]
    table = shared.groupby("outlet", sort=True).agg(sentences=("is_shared_copy", "size"),
                                                   shared=("is_shared_copy", "sum")).reset_index()
    per_article = _article_counts(shared, shared["is_shared_copy"].astype(bool), successes="shared", total="sentences")
    table = _share_rows(table.astype({"shared": "int64"}), per_article, successes="shared", total="sentences")
    partners = flagged.groupby("outlet")["matched_outlet"].agg(lambda names: ", ".join(sorted(set(map(str, names)))))
    pointers = _pointers(flagged, ["outlet"], table="shared_copy").set_index("outlet")["evidence"]
    finding = [
        f"{o}: {k} of {n} sentences shared near-verbatim with another outlet "
        f"({_number(v, 2)}; 95% CI {_number(lo, 2)} to {_number(hi, 2)})" + (f": with {partners[o]}" if k else "")
        for o, k, n, v, lo, hi in zip(table["outlet"], table["shared"], table["sentences"], table["value"],
                                      table["low"], table["high"])
    ]
    rows = table.assign(item="", finding=finding, n=table["sentences"], n_of="sentences",
                        all_outlets=table["shared"].sum() / table["sentences"].sum(),
                        evidence=[pointers.get(o, "shared_copy: none") for o in table["outlet"]])
    return _complete(rows, measure=COPY_MEASURE, interval=rows["method"])


def closest_shared_sentences(shared: pd.DataFrame, sentences: pd.DataFrame, *, k: int = 5) -> pd.DataFrame:
    """The sentence pairs of different outlets that come closest to shared copy, with their text.

    Args:
        shared: ``analysis.alignment.shared_copy`` output.
        sentences: the sentences table (for the texts).
        k: pairs to keep.

    Returns:
        ``similarity, is_shared_copy, outlet, article_id, sentence_index, text, matched_outlet,
        matched_article_id, matched_sentence_index, matched_text``: one row per pair of
        sentences (each pair once), highest containment first; pairs without a shared
        3-word sequence are left out.

    Example:
        >>> sentences = pd.DataFrame({"article_id": ["a", "b"], "sentence_index": [0, 0],
        ...     "outlet": ["X", "Y"], "text": ["Talks in Geneva lasted eight hours.", "Talks in Geneva lasted long."]})
        >>> from analysis.alignment import shared_copy
        >>> closest_shared_sentences(shared_copy(sentences), sentences)[["outlet", "matched_outlet", "similarity"]]
          outlet matched_outlet  similarity
        0      X              Y    0.666667
    """
    texts = sentences[[*SENTENCE_KEY, "text"]].astype({"article_id": "str", "sentence_index": "int64"})
    close = shared[shared["similarity"] > 0].astype({"article_id": "str", "sentence_index": "int64"})
    close = close.assign(matched_sentence_index=close["matched_sentence_index"].astype("int64"))
    first = close["article_id"] + "\x00" + close["sentence_index"].astype("str")
    second = close["matched_article_id"].astype("str") + "\x00" + close["matched_sentence_index"].astype("str")
    in_order = first <= second
    close = close.assign(_low=first.where(in_order, second), _high=second.where(in_order, first))
    close = close.sort_values(["similarity", *SENTENCE_KEY], ascending=[False, True, True])
    close = close.drop_duplicates(["_low", "_high"])
    close = close.head(k).merge(texts, on=SENTENCE_KEY, how="left")
    matched = texts.rename(columns={"article_id": "matched_article_id", "sentence_index": "matched_sentence_index",
                                    "text": "matched_text"})
    close = close.merge(matched, on=["matched_article_id", "matched_sentence_index"], how="left")
    return close[["similarity", "is_shared_copy", "outlet", *SENTENCE_KEY, "text", "matched_outlet",
                  "matched_article_id", "matched_sentence_index", "matched_text"]]


def key_findings(study: StudyResults, codebook: Codebook, *, pairs: pd.DataFrame | None = None,
                 neutral_stance: str = "neutral") -> pd.DataFrame:
    """Every measure of the study as finding rows: one row per outlet and finding.

    Measures, in order: codebook term categories and scare quotes per 1,000 words; loaded
    reporting verbs; quoted words by side; sentence sentiment (whole sentences, narrator,
    quoted); naming; facts left out; shared near-verbatim copy.

    Args:
        study: ``analysis.pipeline.run_study`` output.
        codebook: the codebook the study ran with.
        pairs: aligned sentence pairs for the facts (default ``study.alignment``, which is
            :func:`content_alignment` of the sentences).
        neutral_stance: the codebook stance of verbs that only report speech.

    Returns:
        Columns (:data:`FINDING_COLUMNS`):

        - ``measure``, ``item``: what is measured (``item`` is the category, side, voice,
          concept, ...); ``outlet``.
        - ``finding``: the result as one sentence with its counts and interval, to quote.
        - ``short``: a compact cell for :func:`findings_overview` (↑ / ↓ when the outlet's
          interval lies above / below the value for all outlets together).
        - ``value``, ``low``, ``high``: the estimate and its 95% interval (NaN when there is
          no interval); ``interval``: how the interval was computed.
        - ``n``, ``n_of``: the sample the value rests on and what it counts (words,
          sentences, quoted words, mentions, attributions, facts).
        - ``all_outlets``: the same measure for all outlets together; ``versus_all``:
          ``above``, ``below`` or ``no clear difference`` (interval includes it).
        - ``evidence``: the study table and the articles and sentences behind the value
          (``evidence: 000_a7ee... s3, s7``), to check by reading.

    Example:
        >>> from analysis.pipeline import run_study
        >>> from analysis.codebook import load_codebook
        >>> rows = key_findings(run_study(cache=False, write_tables=False), load_codebook())
        >>> rows.measure.drop_duplicates().tolist()  # doctest: +NORMALIZE_WHITESPACE
        ['framing devices per 1,000 words', 'loaded reporting verbs, share of attributions',
         "quoted words by side, share of the outlet's quoted words",
         'sentence sentiment, mean VADER compound (-1 to +1)',
         "naming, share of mentions using the outlet's main variant", 'facts left out',
         'shared near-verbatim copy, share of sentences']
    """
    pairs = study.alignment if pairs is None else pairs
    parts = [
        term_rate_findings(study.evidence, study.sentences, codebook),
        scare_quote_findings(study.quotes, study.sentences),
        verb_findings(study.speech_acts, study.sentences, codebook, neutral_stance=neutral_stance),
        side_findings(study.quotes, study.sentences, codebook),
        sentiment_findings(study.sentence_scores, study.voice_scores),
        naming_findings(study.evidence, study.sentences, codebook),
        fact_findings(study.sentences, codebook, pairs=pairs),
        shared_copy_findings(study.shared_copy),
    ]
    return pd.concat(parts, ignore_index=True)


def findings_overview(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings as one measure-by-outlet table of compact cells, for a first look.

    Args:
        findings: :func:`key_findings` output.

    Returns:
        Index ``measure, item`` (in the findings' order), one column per outlet holding the
        ``short`` cell (estimate and 95% interval, ↑ / ↓ against all outlets together);
        ``–`` where the outlet has no row (e.g. a name variant that is not its main one).

    Example:
        >>> findings = pd.DataFrame({"measure": ["m", "m", "m"], "item": ["b", "b", "a"],
        ...     "outlet": ["X", "Y", "Y"], "short": ["1.0 ↑", "0.2", "3 of 4"]})
        >>> findings_overview(findings).values.tolist()
        [['1.0 ↑', '0.2'], ['–', '3 of 4']]
    """
    require_columns(findings, ("measure", "item", "outlet", "short"), "findings")
    order = pd.MultiIndex.from_frame(findings[["measure", "item"]].drop_duplicates())
    wide = findings.set_index(["measure", "item", "outlet"])["short"].unstack("outlet")
    wide = wide.reindex(order).fillna("–")
    wide.columns.name = "outlet"
    return wide


def limits_summary(study: StudyResults, codebook: Codebook) -> dict[str, float]:
    """The numbers behind the study's limitations, for prose that states them.

    Args:
        study: ``analysis.pipeline.run_study`` output.
        codebook: the codebook the study ran with.

    Returns:
        ``articles, outlets, most_articles_per_outlet, fewest_words, most_words`` (words per
        outlet), ``sentences``; quotations: ``reported_speech`` (outer direct and partial
        quotations), ``unattributed`` (of those, with no speaker found), ``unmarked`` (set
        off without quotation marks), ``quote_problems`` (marks that did not pair up);
        VADER: ``tokens``, ``tokens_in_vader``, ``share_in_vader``, ``codebook_terms``,
        ``terms_unknown_to_vader`` (terms none of whose patterns VADER scores); and
        ``shared_copy_sentences``.

    Example:
        >>> from analysis.pipeline import run_study
        >>> from analysis.codebook import load_codebook
        >>> limits = limits_summary(run_study(cache=False, write_tables=False), load_codebook())
        >>> limits["articles"], limits["outlets"], limits["most_articles_per_outlet"]
        (5, 5, 1)
        >>> 0 < limits["share_in_vader"] < 0.2
        True
    """
    articles, sentences, quote_table = study.articles, study.sentences, study.quotes
    words = sentences.groupby("outlet")["n_words"].sum()
    speech = quote_table[quote_table["kind"].isin(voices.SPEECH_KINDS) & ~quote_table["nested"].astype(bool)]
    coverage = sentiment.lexicon_coverage(sentences.assign(corpus="all"), by="corpus")
    known = sentiment.unknown_codebook_terms(codebook, include_known=True).groupby(["category", "term"])["in_vader"].any()
    return {
        "articles": len(articles), "outlets": int(articles["outlet"].nunique()),
        "most_articles_per_outlet": int(articles.groupby("outlet").size().max()),
        "fewest_words": int(words.min()), "most_words": int(words.max()), "sentences": len(sentences),
        "reported_speech": len(speech), "unattributed": int((speech["speaker"].fillna("") == "").sum()),
        "unmarked": int((quote_table["marks"] == "unmarked").sum()),
        "quote_problems": int((quote_table["problem"].fillna("") != "").sum()),
        "tokens": int(coverage["n_tokens"].sum()), "tokens_in_vader": int(coverage["n_in_lexicon"].sum()),
        "share_in_vader": float(coverage["share_in_lexicon"].iloc[0]) if len(coverage) else float("nan"),
        "codebook_terms": len(known), "terms_unknown_to_vader": int((~known).sum()),
        "shared_copy_sentences": int(study.shared_copy["is_shared_copy"].sum()),
        "min_articles_for_article_intervals": stats.MIN_CLUSTERS,
        "outlets_with_article_intervals": int((articles.groupby("outlet").size() >= stats.MIN_CLUSTERS).sum()),
    }

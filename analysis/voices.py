"""Quoted voices: whose words each outlet quotes, and with which reporting verbs.

- :func:`quoted_words`: quotations and quoted words per speaker (or per side) in each outlet,
  with each speaker's share of the outlet's quoted words and a Wilson interval over the
  effective number of quotations (widened by the spread between articles where an outlet
  has enough of them);
- :func:`speech_acts`: every attribution "SPEAKER VERB" in direct and indirect speech
  (``Ryabkov stressed``, ``Sherman said``, ``she concluded``) as evidence rows, with the
  speaker's side and the verb's stance from the codebook;
- :func:`verbs_by_speaker`: how often each outlet has each speaker say, stress or claim.

Speakers are codebook entities; the matching itself lives in :mod:`analysis.quotes`
(:func:`~analysis.quotes.find_quotes`, :func:`~analysis.quotes.find_attributions`).

Example:
    >>> quotes = pd.DataFrame({"outlet": ["X", "X"], "kind": ["direct", "partial"], "nested": [False, False],
    ...     "speaker": ["Sergei Ryabkov", "Wendy Sherman"], "text": ["We are fed up with loose talk", "firm"]})
    >>> quoted_words(quotes, by="side")[["outlet", "side", "quotes", "words", "share"]].values.tolist()[:3]
    [['X', 'NATO', 0, 0, 0.0], ['X', 'Other', 0, 0, 0.0], ['X', 'Russia', 1, 7, 0.875]]
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.codebook import Codebook, load_codebook
from analysis.errors import require_columns
from analysis.quotes import attributions_table
from analysis.stats import add_share_columns, effective_sample_size, share_design_effects
from analysis.tokens import count_words

SPEECH_KINDS = ("direct", "partial")  # scare quotes are the writer's distance, not a voice
UNATTRIBUTED = "(unattributed)"
UNRESOLVED = "(unresolved)"
UNKNOWN_SIDE = "(unknown)"
SPEECH_ACT_COLUMNS = ["article_id", "outlet", "sentence_index", "start", "end", "match",
                      "speaker", "side", "verb", "stance", "via", "sentence"]
SENTENCE_COLUMNS = ("article_id", "outlet", "sentence_index", "start", "end", "text", "paragraph")


def _codebook(codebook: Codebook | str | Path | None) -> Codebook:
    if isinstance(codebook, Codebook):
        return codebook
    return load_codebook(paths.DEFAULT_CODEBOOK if codebook is None else codebook)


def _sides(book: Codebook) -> dict[str, str]:
    return {actor.name: actor.side for actor in book.actors}


def quoted_words(quotes: pd.DataFrame, codebook: Codebook | str | Path | None = None, *,
                 by: str = "speaker") -> pd.DataFrame:
    """Quotations and quoted words per speaker (or side) in each outlet, with shares.

    Only reported speech counts: outermost quotations of kind ``direct`` or ``partial``
    (a nested quotation's words are already its parent's; scare quotes are the writer's).
    Quotations with no speaker are counted as ``(unattributed)``.

    Args:
        quotes: quotations table (:func:`analysis.quotes.quotes_table`).
        codebook: gives each speaker's side (default: the study's codebook).
        by: ``speaker`` (rows per outlet and speaker, with the side) or ``side``.

    Returns:
        ``outlet, speaker, side`` (or ``outlet, side``), ``quotes, words, outlet_words,
        effective_quotes, n_articles, design_effect, share, share_low, share_high``:
        ``share`` is the group's share of the outlet's quoted words. Its 95% Wilson interval
        is computed for ``effective_quotes / design_effect``. ``effective_quotes`` is Kish's
        effective number of the outlet's quotations (:func:`analysis.stats.effective_sample_size`
        of their word counts), not the words: the words of one quotation are one speaker's,
        one draw, not many. ``n_articles`` counts the outlet's articles with quoted words
        (missing when ``quotes`` has no ``article_id``); where there are at least
        ``stats.MIN_CLUSTERS`` of them, ``design_effect`` is how many times the spread of the
        share between those articles exceeds what the effective quotations allow (at least 1;
        1 otherwise). Zero rows are included: every codebook side (by side) or every speaker
        quoted anywhere (by speaker) in every outlet.

    Example:
        >>> quotes = pd.DataFrame({"outlet": ["X", "X", "Y"], "kind": ["direct", "scare", "partial"],
        ...     "nested": [False, False, False], "speaker": ["Ned Price", "", "Ned Price"],
        ...     "text": ["We are ready", "invasion", "practical"]})
        >>> quoted_words(quotes)[["outlet", "speaker", "side", "quotes", "words", "share"]].values.tolist()
        [['X', 'Ned Price', 'United States', 1, 3, 1.0], ['Y', 'Ned Price', 'United States', 1, 1, 1.0]]
    """
    if by not in ("speaker", "side"):
        raise ValueError(f"by must be 'speaker' or 'side', not {by!r}")
    require_columns(quotes, ("outlet", "kind", "nested", "speaker", "text"), "quotations")
    book = _codebook(codebook)
    speech = _speech_words(quotes, book)
    keys = ["speaker", "side"] if by == "speaker" else ["side"]
    levels = speech[keys].drop_duplicates()
    if by == "side":
        sides = pd.DataFrame({"side": pd.Series([side for side, _ in book.sides], dtype="str")})
        levels = pd.concat([levels, sides]).drop_duplicates()
    outlets = pd.DataFrame({"outlet": pd.Series(sorted(quotes["outlet"].astype(str).unique()), dtype="str")})
    counted = speech.groupby(["outlet", *keys]).agg(quotes=("words", "size"), words=("words", "sum")).reset_index()
    table = outlets.merge(levels, how="cross").merge(counted, on=["outlet", *keys], how="left")
    table = table.fillna({"quotes": 0, "words": 0}).astype({"quotes": "int64", "words": "int64"})
    table["outlet_words"] = table.groupby("outlet")["words"].transform("sum").astype("int64")
    effective = speech.groupby("outlet")["words"].agg(effective_sample_size)
    table["effective_quotes"] = table["outlet"].map(effective).fillna(0.0).astype("float64")
    table = _with_article_effects(table, speech, keys)
    return _with_shares(table).sort_values(["outlet", *keys], ignore_index=True)


def _speech_words(quotes: pd.DataFrame, book: Codebook) -> pd.DataFrame:
    """``outlet, speaker, side, words`` (and ``article_id`` when there is one) of each outermost
    direct or partial quotation."""
    speech = quotes[quotes["kind"].isin(SPEECH_KINDS) & ~quotes["nested"].astype(bool)]
    speakers = speech["speaker"].astype(str).replace("", UNATTRIBUTED)
    articles = {"article_id": pd.Series(speech["article_id"].to_numpy(), dtype="str")} if "article_id" in speech else {}
    return pd.DataFrame({
        **articles,
        "outlet": pd.Series(speech["outlet"].to_numpy(), dtype="str"),
        "speaker": pd.Series(speakers.to_numpy(), dtype="str"),
        "side": pd.Series(speakers.map(_sides(book)).fillna(UNKNOWN_SIDE).to_numpy(), dtype="str"),
        "words": speech["text"].map(count_words).to_numpy("int64"),
    })


def _with_article_effects(table: pd.DataFrame, speech: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``table`` with ``n_articles`` and ``design_effect`` columns (see :func:`quoted_words`).

    :func:`analysis.stats.share_design_effects` compares the spread of a group's share between
    articles with independent words; the words of a quotation are not, so the design effect
    is taken relative to the effective quotations instead: ``d_words * effective_quotes /
    outlet_words``, at least 1.
    """
    if "article_id" not in speech.columns:  # no articles to tell apart
        return table.assign(n_articles=pd.Series(pd.NA, index=table.index, dtype="Int64"), design_effect=1.0)
    groups = ["outlet", *keys]
    article_words = speech.groupby(["outlet", "article_id"], sort=False)["words"].sum().rename("total").reset_index()
    group_words = speech.groupby(["article_id", *groups], sort=False)["words"].sum().rename("group_words").reset_index()
    per_article = article_words.merge(table[groups], on="outlet").merge(group_words, on=["article_id", *groups], how="left")
    effects = share_design_effects(per_article.fillna({"group_words": 0}), by=groups, successes="group_words",
                                   total="total")
    table = table.merge(effects, on=groups, how="left")
    relative = np.divide(table["design_effect"].fillna(1.0) * table["effective_quotes"], table["outlet_words"],
                         out=np.ones(len(table)), where=table["outlet_words"].to_numpy() > 0)
    return table.assign(n_articles=table["n_articles"].fillna(0).astype("Int64"),
                        design_effect=np.round(np.maximum(relative, 1.0), 6))


def _with_shares(table: pd.DataFrame) -> pd.DataFrame:
    effective = table.assign(_effective=table["effective_quotes"] / table["design_effect"])
    shares = add_share_columns(effective, successes="words", n="outlet_words", effective_n="_effective")
    return shares.drop(columns="_effective")


def _article_texts(sentences: pd.DataFrame) -> tuple[list[str], np.ndarray]:
    """Each article's text rebuilt from its sentences (same offsets, paragraphs on new lines),
    and the first sentence row of each article; ``sentences`` sorted by article and start."""
    articles = sentences["article_id"].to_numpy()
    first = np.r_[True, articles[1:] != articles[:-1]] if len(articles) else np.zeros(0, bool)
    first_rows = np.flatnonzero(first)
    starts, ends = sentences["start"].to_numpy("int64"), sentences["end"].to_numpy("int64")
    paragraphs = sentences["paragraph"].to_numpy()
    gaps = starts - np.where(first, 0, np.r_[0, ends[:-1]])
    new_lines = ~first & (paragraphs != np.r_[paragraphs[:1], paragraphs[:-1]]) & (gaps > 0)
    kinds, kind_of_row = np.unique(gaps.clip(0) * 2 + new_lines, return_inverse=True)  # one string per kind
    separators = [("\n" + " " * (kind // 2 - 1) if kind % 2 else " " * (kind // 2)) for kind in kinds.tolist()]
    pieces = np.empty(2 * len(articles), dtype=object)  # separator, sentence, separator, sentence, ...
    pieces[0::2] = np.array(separators, dtype=object)[kind_of_row]
    pieces[1::2] = sentences["text"].astype(str).to_numpy(dtype=object)
    pieces = pieces.tolist()
    bounds = [*first_rows.tolist(), len(articles)]
    return ["".join(pieces[2 * a:2 * b]) for a, b in zip(bounds[:-1], bounds[1:])], first_rows


def speech_acts(sentences: pd.DataFrame, codebook: Codebook | str | Path | None = None, *,
                genders: dict[str, str] | None = None) -> pd.DataFrame:
    """Every attribution "SPEAKER VERB" in the sentences, direct and indirect speech alike.

    Args:
        sentences: sentences table (``article_id, outlet, sentence_index, start, end, text,
            paragraph`` used); an article's text is rebuilt from its sentences, so pronouns
            are resolved across sentences (``Sherman said ... she concluded``).
        codebook: actors (speakers, sides) and reporting verbs (stances); default: the study's.
        genders: ``{person: "female" | "male"}`` for pronouns; default: what each article
            shows (see :func:`analysis.quotes.person_genders` to pool a corpus).

    Returns:
        Evidence table ``article_id, outlet, sentence_index, start, end, match, speaker,
        side, verb, stance, via, sentence``: ``start/end`` index the cleaned article text,
        ``match`` is ``"Ryabkov stressed"``, ``via`` says how the speaker was named (``name``,
        ``pronoun``, ``title``); a pronoun with no antecedent has speaker ``(unresolved)``.
        Sorted by article and offset. Attributions inside quotation marks are not counted.

    Example:
        >>> sentences = pd.DataFrame({"article_id": ["a", "a"], "outlet": ["X", "X"],
        ...     "sentence_index": [0, 1], "start": [0, 30], "end": [29, 53], "paragraph": [0, 0],
        ...     "text": ["Sherman said she met Ryabkov.", "Ryabkov stressed risks."]})
        >>> speech_acts(sentences)[["sentence_index", "match", "speaker", "side", "stance"]].values.tolist()
        [[0, 'Sherman said', 'Wendy Sherman', 'United States', 'neutral'], [1, 'Ryabkov stressed', 'Sergei Ryabkov', 'Russia', 'emphatic']]
    """
    require_columns(sentences, SENTENCE_COLUMNS, "sentences")
    book = _codebook(codebook)
    ordered = sentences.sort_values(["article_id", "start"], kind="stable", ignore_index=True)
    texts, first_rows = _article_texts(ordered)
    acts = attributions_table(texts, codebook=book, genders=genders)
    # sentence row of each act: the last sentence of its article starting at or before it
    article_width = int(ordered["end"].max()) + 1 if len(ordered) else 1
    article_of_row = np.repeat(np.arange(len(first_rows)), np.diff([*first_rows, len(ordered)]))
    sentence_keys = article_of_row * article_width + ordered["start"].to_numpy("int64")
    act_keys = acts["text_index"].to_numpy("int64") * article_width + acts["start"].to_numpy("int64")
    rows = np.searchsorted(sentence_keys, act_keys, side="right") - 1
    holding = ordered.iloc[rows]  # the sentence of each act
    for column in ("article_id", "outlet", "sentence_index"):
        acts[column] = holding[column].to_numpy()
    acts["sentence"] = holding["text"].to_numpy()
    stances = {verb.casefold(): stance for stance, verb in book.verbs_table()[["stance", "verb"]].itertuples(index=False)}
    acts["speaker"] = acts["speaker"].astype(str).replace("", UNRESOLVED)
    acts["side"] = acts["speaker"].map(_sides(book)).fillna(UNKNOWN_SIDE)
    acts["stance"] = acts["verb"].map(stances)
    return acts[SPEECH_ACT_COLUMNS].astype({"start": "int64", "end": "int64", "sentence_index": "int64"})


def verbs_by_speaker(speech_acts: pd.DataFrame) -> pd.DataFrame:
    """How often each outlet reports each speaker with each verb, grouped by stance.

    Args:
        speech_acts: output of :func:`speech_acts`.

    Returns:
        Table ``outlet, speaker, side, stance, verb, count`` sorted by those columns.

    Example:
        >>> acts = pd.DataFrame({"outlet": ["X", "X", "X"], "speaker": ["Wendy Sherman"] * 3,
        ...     "side": ["United States"] * 3, "stance": ["neutral", "emphatic", "neutral"],
        ...     "verb": ["said", "stressed", "said"]})
        >>> verbs_by_speaker(acts).values.tolist()
        [['X', 'Wendy Sherman', 'United States', 'emphatic', 'stressed', 1], ['X', 'Wendy Sherman', 'United States', 'neutral', 'said', 2]]
    """
    keys = ["outlet", "speaker", "side", "stance", "verb"]
    require_columns(speech_acts, keys, "speech acts")
    table = speech_acts.groupby(keys, sort=True).size().rename("count").reset_index()
    return table.astype({"count": "int64"})

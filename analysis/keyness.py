"""Distinctive words per outlet: log-odds ratios with an informative Dirichlet prior.

Which words does one outlet use more than the others? Raw frequency differences favour
common words and small-sample ratios favour rare ones. Monroe, Colaresi & Quinn (2008),
"Fightin' Words" (Political Analysis 16(4), eq. 16-22), shrink each word's log-odds towards
its pooled frequency with a Dirichlet prior and divide by the estimate's standard error:

- prior ``alpha_w = scale * pooled count of w`` and ``alpha_0 = scale * total words``;
- ``delta_w = log((y_iw + a_w) / (n_i + a_0 - y_iw - a_w))
  - log((y_jw + a_w) / (n_j + a_0 - y_jw - a_w))`` for group ``i`` against the rest ``j``;
- ``variance_w ~ 1 / (y_iw + a_w) + 1 / (y_jw + a_w)`` and ``z_w = delta_w / sqrt(variance_w)``.

With five short articles the prior scale decides a lot: :func:`prior_sensitivity` shows how
the top words change with it, so a reader can see which words are robust.

Words are :mod:`analysis.tokens` word tokens, normalised (lower case, straight
apostrophes); stopwords come from ``analysis/data/stopwords_en.txt``.

Example:
    >>> import pandas as pd
    >>> sentences = pd.DataFrame({
    ...     "outlet": ["A", "A", "B", "B"],
    ...     "text": ["Troops massed near Ukraine.", "An invasion of Ukraine.",
    ...              "Troops allegedly amassed.", "Russia denies invasion plans."]})
    >>> result = log_odds(term_counts(sentences), scale=0.5)
    >>> top_terms(result, k=1)[["group", "term"]].values.tolist()
    [['A', 'ukraine'], ['B', 'allegedly']]
"""
from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Iterable, NamedTuple

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute
from scipy import sparse

from analysis import paths
from analysis.errors import CorpusError, require_columns
from analysis.tokens import WORD_TOKEN_PATTERN, normalise

STOPWORDS_FILE = paths.STOPWORDS_FILE
DEFAULT_SCALES = (0.01, 0.1, 1.0, 10.0)
LOG_ODDS_COLUMNS = ["group", "term", "count_group", "count_rest", "log_odds", "variance", "z"]
BLOCK_TEXTS = 50_000  # texts tokenised at a time: bounds the memory held by token strings
SURROGATE = re.compile("[\ud800-\udfff]")  # not UTF-8; no part of a word token, nor looked at by one


class CodedWords(NamedTuple):
    """Word tokens of many texts as integer codes into a vocabulary of normalised words."""

    row: np.ndarray
    code: np.ndarray
    vocabulary: np.ndarray


class PriorSensitivity(NamedTuple):
    """Top terms per prior scale (long table) and overlap of top-k sets between scales."""

    top: pd.DataFrame
    overlap: pd.DataFrame


def load_stopwords(path: str | Path | None = None) -> frozenset[str]:
    """Read a stopword list: one normalised word a line, ``#`` starts a comment line.

    Args:
        path: the list to read; default the shipped ``analysis/data/stopwords_en.txt``.

    Returns:
        The words as a frozenset.

    Example:
        >>> stopwords = load_stopwords()
        >>> "the" in stopwords, "us" in stopwords, "invasion" in stopwords
        (True, False, False)
    """
    path = Path(STOPWORDS_FILE if path is None else path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CorpusError(path, f"cannot read the stopword list ({error})") from error
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def coded_words(texts: Iterable, *, block_size: int = BLOCK_TEXTS) -> CodedWords:
    """Normalised word tokens of every text, as integer codes (no string per token is kept).

    Texts are read ``block_size`` at a time and cut at whitespace (by pyarrow, in C); each
    distinct chunk of a block (``Russia,``, ``the``) is tokenised
    (:data:`analysis.tokens.WORD_TOKEN_PATTERN`) and normalised once, which gives the same
    tokens as tokenising each text whole (:func:`_chunk_words`). Memory holds one Python
    string per distinct word and per distinct chunk of a block, not one per token. A missing
    or non-text value has no words.

    Args:
        texts: the texts (any iterable, e.g. a ``text`` column).
        block_size: texts tokenised at a time.

    Returns:
        :class:`CodedWords`: ``row`` (0-based position of the text, ascending) and ``code``
        (index of the word in ``vocabulary``), both int32, in text order, and ``vocabulary``
        (normalised words, object array, in order of first appearance).

    Example:
        >>> words = coded_words(["NATO’s open door.", None, "Open talks"])
        >>> words.row.tolist(), words.vocabulary[words.code].tolist()
        ([0, 0, 0, 2, 2], ["nato's", 'open', 'door', 'open', 'talks'])
    """
    values = texts.array if isinstance(texts, (pd.Series, pd.Index)) else texts
    values = values if isinstance(values, (np.ndarray, pd.api.extensions.ExtensionArray)) else list(texts)
    vocabulary: dict[str, int] = {}
    lengths, codes = [np.array([], dtype="int64")], [np.array([], dtype="int32")]
    for start in range(0, len(values), block_size):
        block_lengths, block_codes = _block_words(_arrow_texts(values[start:start + block_size]), vocabulary)
        lengths.append(block_lengths)
        codes.append(block_codes)
    pyarrow.default_memory_pool().release_unused()  # what pyarrow held while cutting the texts
    code = np.concatenate(codes)
    del codes
    lengths = np.concatenate(lengths)
    row = np.repeat(np.arange(len(lengths), dtype="int32"), lengths)
    return CodedWords(row, code, np.array(list(vocabulary), dtype=object))


def _arrow_texts(block) -> pyarrow.Array:
    """A block of texts as a pyarrow string array, null where a value is not a text (a lone
    surrogate, which UTF-8 cannot hold, becomes U+FFFD: neither is a word character).

    Example:
        >>> _arrow_texts(["Talks\\ud800ended", 3]).to_pylist()
        ['Talks�ended', None]
    """
    if isinstance(block, pd.api.extensions.ExtensionArray) and isinstance(block.dtype, pd.StringDtype):
        texts = pyarrow.array(block)
        return texts.combine_chunks() if isinstance(texts, pyarrow.ChunkedArray) else texts
    items = [text if isinstance(text, str) else None for text in (block if isinstance(block, list) else block.tolist())]
    try:
        return pyarrow.array(items, type=pyarrow.large_string())
    except UnicodeEncodeError:
        return pyarrow.array([text if text is None else SURROGATE.sub("\ufffd", text) for text in items],
                             type=pyarrow.large_string())


def _block_words(texts: pyarrow.Array, vocabulary: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Number of words of each text and their codes, in order: texts cut at ASCII whitespace
    (whitespace to Python too; other whitespace stays in a chunk and tokenises as in the
    text), the distinct chunks numbered (in order of first appearance, so new words join
    ``vocabulary`` in theirs) and each chunk's codes placed wherever it occurs."""
    chunk_lists = pyarrow.compute.ascii_split_whitespace(texts)
    chunks = pyarrow.compute.dictionary_encode(pyarrow.compute.list_flatten(chunk_lists))
    distinct = [_chunk_words(chunk, vocabulary) for chunk in chunks.dictionary.to_pylist()]
    words_per_chunk = np.fromiter(map(len, distinct), dtype="int64", count=len(distinct))
    chunk_codes = np.fromiter(itertools.chain.from_iterable(distinct), dtype="int32", count=int(words_per_chunk.sum()))
    occurrence = chunks.indices.to_numpy()
    lengths = words_per_chunk[occurrence]
    ends = np.cumsum(lengths)
    first_code = np.cumsum(words_per_chunk) - words_per_chunk
    position = np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(first_code[occurrence] - (ends - lengths), lengths)
    words_before_chunk = np.concatenate([[0], ends])
    chunk_offsets = chunk_lists.offsets.to_numpy()  # a text's chunks: offsets[i] .. offsets[i + 1]
    return np.diff(words_before_chunk[chunk_offsets]), chunk_codes[position]


def _chunk_words(chunk: str, vocabulary: dict[str, int]) -> tuple[int, ...]:
    """Codes of the normalised word tokens of a chunk of text cut at whitespace.

    A word token holds no whitespace and the pattern looks past a token only for a word
    character, an apostrophe or hyphen, which whitespace and the end of a text both deny
    (see :func:`analysis.tokens.word_counts`), so a text's tokens are its chunks' tokens in
    order. New words join ``vocabulary`` in order of first appearance.

    Example:
        >>> vocabulary = {"talks": 0}
        >>> _chunk_words("Russia’s,talks", vocabulary), vocabulary
        ((1, 0), {'talks': 0, "russia's": 1})
    """
    return tuple(vocabulary.setdefault(normalise(word), len(vocabulary)) for word in WORD_TOKEN_PATTERN.findall(chunk))


def sentence_words(sentences: pd.DataFrame) -> pd.DataFrame:
    """Word tokens of every sentence, normalised, one row per word.

    Args:
        sentences: a sentences table (needs ``text``).

    Returns:
        Columns ``row`` (0-based position of the sentence in ``sentences``), ``position``
        (0-based index of the word in its sentence) and ``word`` (normalised token).

    Example:
        >>> import pandas as pd
        >>> sentence_words(pd.DataFrame({"text": ["NATO’s “open door”.", ""]})).values.tolist()
        [[0, 0, "nato's"], [0, 1, 'open'], [0, 2, 'door']]
    """
    require_columns(sentences, ["text"], "sentences")
    words = coded_words(sentences["text"])
    first = np.flatnonzero(np.diff(words.row, prepend=-1))
    lengths = np.diff(np.append(first, len(words.row)))
    position = np.arange(len(words.row), dtype="int64") - np.repeat(first, lengths)
    return pd.DataFrame({"row": words.row.astype("int64"), "position": position,
                         "word": words.vocabulary[words.code]})


def term_counts(
    sentences: pd.DataFrame,
    *,
    by: str = "outlet",
    stopwords: bool | Iterable[str] = True,
    min_count: int = 1,
    exclude=None,
) -> pd.DataFrame:
    """Count normalised words per group (term-by-group table).

    Args:
        sentences: a sentences table (needs ``text`` and the ``by`` column).
        by: the grouping column, e.g. ``"outlet"`` or ``"article_id"``.
        stopwords: True drops the shipped list, False keeps every word, or give your own words.
        min_count: drop terms seen fewer times than this in all groups together.
        exclude: boolean mask over the sentences (same length and order) of sentences to
            leave out, e.g. ``shared_copy(sentences).is_shared_copy`` for shared wire copy.

    Returns:
        Integer counts; index ``term`` (sorted), one column per group (sorted).

    Example:
        >>> import pandas as pd
        >>> sentences = pd.DataFrame({"outlet": ["A", "B", "B"],
        ...     "text": ["The invasion.", "No invasion plans.", "Copied wire text."]})
        >>> term_counts(sentences, exclude=[False, False, True])
        outlet    A  B
        term
        invasion  1  1
        plans     0  1
    """
    require_columns(sentences, ["text", by], "sentences")
    kept = sentences[~_exclusion_mask(sentences, exclude)]
    counts = _group_word_counts(kept["text"], kept[by].astype(str), stoplist=_stoplist(stopwords))
    if counts.empty:
        raise CorpusError(None, "sentences table: no words left to count after stopwords and exclusions")
    counts = counts[counts.sum(axis=1) >= min_count].sort_index().sort_index(axis=1)
    counts.index = counts.index.astype(str).rename("term")
    counts.columns = counts.columns.astype(str).rename(by)
    return counts.astype("int64")


def _group_word_counts(texts: pd.Series, groups: pd.Series, *, stoplist: frozenset[str]) -> pd.DataFrame:
    """Words (not in ``stoplist``) per group: each distinct text is tokenised once and its
    counts weighted by how often it occurs in each group; rows without a group are left
    out. Only words and groups with a count are kept."""
    has_group = groups.notna().to_numpy()
    text_codes, unique_texts = pd.factorize(texts.to_numpy(dtype=object)[has_group], use_na_sentinel=False)
    group_codes, group_names = pd.factorize(groups.to_numpy(dtype=object)[has_group], sort=True)
    words = coded_words(unique_texts)
    counted = ~pd.Index(words.vocabulary, dtype=object).isin(list(stoplist))[words.code]
    rows = words.row[counted]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(unique_texts)))])
    per_text = sparse.csr_matrix((np.ones(len(rows), dtype="int32"), words.code[counted], indptr),
                                 shape=(len(unique_texts), len(words.vocabulary)))
    per_group = sparse.csr_matrix((np.ones(len(text_codes), dtype="int64"), (group_codes, text_codes)),
                                  shape=(len(group_names), len(unique_texts)))
    counts = sparse.csr_matrix((per_group @ per_text).T)
    counts.eliminate_zeros()
    used_terms = np.diff(counts.indptr) > 0
    used_groups = np.bincount(counts.indices, minlength=len(group_names)) > 0
    return pd.DataFrame(counts[np.flatnonzero(used_terms)][:, np.flatnonzero(used_groups)].toarray(),
                        index=pd.Index(words.vocabulary[used_terms], name="term"),
                        columns=pd.Index(np.asarray(group_names, dtype=object)[used_groups]))


def log_odds(counts: pd.DataFrame, *, scale: float = 1.0) -> pd.DataFrame:
    """Log-odds ratio of every term, each group against all the others, with an informative prior.

    Args:
        counts: term-by-group counts (index terms, one column per group), e.g. from
            :func:`term_counts`. Terms counted zero times in every group are dropped.
        scale: prior strength: ``alpha_w = scale * pooled count of w``. Larger values
            shrink the log-odds of rare words towards zero.

    Returns:
        Long table ``group, term, count_group, count_rest, log_odds, variance, z``, sorted by
        group, then z (largest first), then term.

    Raises:
        CorpusError (a ValueError): negative or missing counts, fewer than two groups or
        two terms, or ``scale <= 0``.

    Example:
        >>> import pandas as pd
        >>> counts = pd.DataFrame({"A": [2, 1], "B": [0, 1]}, index=["war", "talks"])
        >>> log_odds(counts, scale=1.0).round(3).values.tolist()[:2]
        [['A', 'war', 2, 0, 0.693, 0.75, 0.8], ['A', 'talks', 1, 1, -0.693, 0.667, -0.849]]
    """
    matrix = _validated_matrix(counts, scale)
    nonzero = matrix.sum(axis=1) > 0
    matrix, terms = matrix[nonzero], counts.index.to_numpy()[nonzero]
    pooled = matrix.sum(axis=1, keepdims=True)
    group_totals = matrix.sum(axis=0, keepdims=True)
    grand_total = group_totals.sum()
    alpha, alpha_0 = scale * pooled, scale * grand_total
    rest = pooled - matrix
    rest_totals = grand_total - group_totals
    delta = np.log((matrix + alpha) / (group_totals + alpha_0 - matrix - alpha)) - np.log(
        (rest + alpha) / (rest_totals + alpha_0 - rest - alpha)
    )
    variance = 1.0 / (matrix + alpha) + 1.0 / (rest + alpha)
    n_terms, n_groups = matrix.shape
    table = pd.DataFrame({
        "group": np.tile(counts.columns.astype(str).to_numpy(dtype=object), n_terms),
        "term": np.repeat(terms.astype(str), n_groups),
        "count_group": matrix.ravel().astype("int64"),
        "count_rest": rest.ravel().astype("int64"),
        "log_odds": delta.ravel(),
        "variance": variance.ravel(),
        "z": (delta / np.sqrt(variance)).ravel(),
    })
    table = table.sort_values(["group", "z", "term"], ascending=[True, False, True], kind="mergesort")
    return table.reset_index(drop=True)


def top_terms(result: pd.DataFrame, *, k: int = 10) -> pd.DataFrame:
    """The ``k`` terms with the largest z per group, from a :func:`log_odds` table.

    Args:
        result: output of :func:`log_odds`.
        k: number of terms per group.

    Returns:
        Columns ``group, rank, term, count_group, count_rest, log_odds, z`` (rank from 1).

    Example:
        >>> import pandas as pd
        >>> counts = pd.DataFrame({"A": [5, 1, 1], "B": [1, 1, 6]}, index=["war", "talks", "peace"])
        >>> top_terms(log_odds(counts), k=1)[["group", "rank", "term"]].values.tolist()
        [['A', 1, 'war'], ['B', 1, 'peace']]
    """
    _check_k(k)
    require_columns(result, LOG_ODDS_COLUMNS, "log-odds")
    ordered = result.sort_values(["group", "z", "term"], ascending=[True, False, True], kind="mergesort")
    top = ordered.groupby("group", sort=True).head(k).copy()
    top.insert(1, "rank", top.groupby("group").cumcount().astype("int64") + 1)
    columns = ["group", "rank", "term", "count_group", "count_rest", "log_odds", "z"]
    return top[columns].reset_index(drop=True)


def prior_sensitivity(
    counts: pd.DataFrame, *, scales: Iterable[float] = DEFAULT_SCALES, k: int = 10
) -> PriorSensitivity:
    """How the top-``k`` terms per group change with the prior scale.

    Args:
        counts: term-by-group counts, as for :func:`log_odds`.
        scales: prior scales to compare (each > 0).
        k: number of top terms per group.

    Returns:
        :class:`PriorSensitivity`: ``top`` with columns ``scale, group, rank, term, z`` and
        ``overlap`` with columns ``group, scale_a, scale_b, shared, jaccard`` (Jaccard index
        of the two top-k sets, for every pair of scales).

    Example:
        >>> import pandas as pd
        >>> counts = pd.DataFrame({"A": [9, 1, 0, 3], "B": [1, 1, 2, 3]},
        ...                       index=["war", "rare", "peace", "talks"])
        >>> result = prior_sensitivity(counts, scales=(0.01, 10), k=1)
        >>> result.top.pivot(index="group", columns="scale", values="term")
        scale   0.01   10.00
        group
        A         war    war
        B       talks  peace
        >>> result.overlap[["group", "jaccard"]].values.tolist()
        [['A', 1.0], ['B', 0.0]]
    """
    scales = tuple(float(scale) for scale in scales)
    if not scales:
        raise CorpusError(None, "prior_sensitivity: give at least one prior scale")
    tops = [top_terms(log_odds(counts, scale=scale), k=k).assign(scale=scale) for scale in scales]
    top = pd.concat(tops, ignore_index=True)[["scale", "group", "rank", "term", "z"]]
    term_sets = top.groupby(["group", "scale"])["term"].agg(frozenset)
    rows = []
    for group in sorted(top["group"].unique()):
        for scale_a, scale_b in itertools.combinations(scales, 2):
            set_a, set_b = term_sets[(group, scale_a)], term_sets[(group, scale_b)]
            shared = len(set_a & set_b)
            rows.append((group, scale_a, scale_b, shared, shared / len(set_a | set_b)))
    overlap = pd.DataFrame(rows, columns=["group", "scale_a", "scale_b", "shared", "jaccard"])
    return PriorSensitivity(top=top, overlap=overlap.astype({"shared": "int64"}))


def _exclusion_mask(sentences: pd.DataFrame, exclude) -> np.ndarray:
    if exclude is None:
        return np.zeros(len(sentences), dtype=bool)
    if isinstance(exclude, pd.Series) and not exclude.index.equals(sentences.index):
        raise CorpusError(None, "exclude mask: its index differs from the sentences table's index")
    mask = np.asarray(exclude)
    if mask.dtype != bool or mask.shape != (len(sentences),):
        raise CorpusError(None, f"exclude mask: need {len(sentences)} True/False values, one per sentence")
    return mask


def _stoplist(stopwords: bool | Iterable[str]) -> frozenset[str]:
    if stopwords is True:
        return load_stopwords()
    if stopwords is False or stopwords is None:
        return frozenset()
    if isinstance(stopwords, str):
        raise CorpusError(None, "stopwords: give True, False or a collection of words, not one string")
    return frozenset(normalise(word) for word in stopwords)


def _validated_matrix(counts: pd.DataFrame, scale: float) -> np.ndarray:
    if not isinstance(counts, pd.DataFrame):
        raise CorpusError(None, f"counts: expected a term-by-group DataFrame, got {type(counts).__name__}")
    if not np.isfinite(scale) or scale <= 0:
        raise CorpusError(None, f"log_odds: the prior scale must be a positive number, got {scale!r}")
    if counts.shape[1] < 2:
        raise CorpusError(None, f"counts: need at least two groups (columns) to compare, got {counts.shape[1]}")
    try:
        matrix = counts.to_numpy(dtype="float64")
    except (TypeError, ValueError) as error:
        raise CorpusError(None, f"counts: every count must be a number ({error})") from error
    if np.isnan(matrix).any() or (matrix < 0).any():
        raise CorpusError(None, "counts: counts must be non-negative numbers without missing values")
    if (matrix.sum(axis=1) > 0).sum() < 2:
        raise CorpusError(None, "counts: need at least two terms that occur in the corpus")
    return matrix


def _check_k(k: int) -> None:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise CorpusError(None, f"k must be a positive whole number, got {k!r}")

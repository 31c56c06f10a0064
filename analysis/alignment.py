"""Same event, different words: sentences of different outlets that report the same fact.

- :func:`align_sentences` pairs sentences of different outlets by cosine similarity of
  TF-IDF vectors of word n-grams (Porter stems from nltk, which needs no data download;
  scipy.sparse, no scikit-learn). Only pairs that share an informative n-gram
  are ever scored: stopwords are dropped and so are n-grams found in too many sentences, so
  each n-gram links a bounded number of sentences and the work grows close to linearly with
  the corpus. Rows are processed in blocks to bound memory. A pair names its two
  sentences by their keys (``article_id, sentence_index, outlet``), not their texts: a
  corpus gives millions of pairs and most sentences are in several of them;
  :func:`pair_texts` joins the texts back for the pairs one reads.
- :func:`word_diff` and :func:`inline_diff` show how two aligned sentences differ, word by
  word (``troops [+allegedly] amassed``).
- :func:`shared_copy` flags sentences shared near-verbatim between outlets (wire copy), by
  containment of word 3-gram shingles, so measures can leave them out.
- Both corpus-wide stages start from the normalised words of the sentences:
  :func:`text_words` makes them once (each distinct text tokenised once) and both take
  them as ``words=``, so a run tokenises the corpus once.
- :func:`fact_coverage` tabulates which key facts each outlet reported and which it left
  out: facts of the codebook and facts found by alignment.

Example:
    >>> import pandas as pd
    >>> sentences = pd.DataFrame({
    ...     "article_id": ["a1", "b1"], "sentence_index": [0, 0], "outlet": ["A", "B"],
    ...     "text": ["Russia must withdraw troops amassed on the border.",
    ...              "Russia must withdraw troops allegedly amassed on Ukraine's border."]})
    >>> pairs = pair_texts(align_sentences(sentences), sentences)
    >>> round(float(pairs.similarity[0]), 2)
    0.53
    >>> inline_diff(pairs.text_a[0], pairs.text_b[0])
    "Russia must withdraw troops [+allegedly] amassed on [-the] [+Ukraine's] border."
"""
from __future__ import annotations

import difflib
import warnings
from typing import Iterator, NamedTuple

import numpy as np
import pandas as pd
import pyarrow
from scipy import sparse
from scipy.sparse import csgraph

from analysis.errors import CorpusError
from analysis.errors import require_columns
from analysis.keyness import CodedWords, coded_words, load_stopwords
from analysis.measures import find_matches
from analysis.nltk_parts import PorterStemmer
from analysis.tokens import Token, iter_words, normalise, tokenize

BLOCK_ROWS = 2048
# Token windows turned into integer keys at a time: int64 temporaries of 8 MB, which malloc
# reuses (from 32 MB on, each one is mapped and zeroed afresh: page faults, system time).
KEY_CHUNK = 1 << 20
KEYS_PER_SHARE = 1 << 23  # keys numbered per hash table when their order does not matter
ROUNDING_TOLERANCE = 1e-9  # cosine of two identical vectors may come out as 0.9999999999
MAX_NGRAM_SENTENCES = 200
COMMON_BITS = 128  # bits per text that summarise its common shingles (:class:`CommonBits`)
REFERENCE_ID = "reference"
SENTENCE_KEY = ["article_id", "sentence_index", "outlet", "text"]
PAIR_COLUMNS = [
    "article_id_a", "sentence_index_a", "outlet_a",
    "article_id_b", "sentence_index_b", "outlet_b", "similarity",
]
PAIR_TEXT_COLUMNS = [
    "article_id_a", "sentence_index_a", "outlet_a", "text_a",
    "article_id_b", "sentence_index_b", "outlet_b", "text_b", "similarity",
]
PAIR_SHARES = 16  # shares of the rows in which duplicate pairs are dropped (bounds memory)
SHARED_COLUMNS = [
    "article_id", "sentence_index", "outlet", "is_shared_copy",
    "matched_article_id", "matched_sentence_index", "matched_outlet", "similarity",
]
EVIDENCE_COLUMNS = [
    "source", "fact", "article_id", "outlet", "sentence_index",
    "start", "end", "match", "category", "term", "sentence",
]


class TextWords(NamedTuple):
    """The words of a column of texts, each distinct text tokenised once (:func:`text_words`).

    ``text_codes`` numbers each row's text (distinct texts in order of their first row),
    ``words`` holds the words of the distinct texts (``words.row`` is the text's number) and
    ``sequences`` numbers each distinct text's word sequence (texts with the same normalised
    words share a number; numbered in order of first text), made once for both stages;
    None where not made yet (then worked out where needed).
    """

    text_codes: np.ndarray
    words: CodedWords
    sequences: np.ndarray | None = None

    def take(self, rows: np.ndarray) -> TextWords:
        """The words of some rows only (positions), their texts renumbered in order of first
        row as :func:`text_words` of those rows would number them (the vocabulary is kept).

        Example:
            >>> words = text_words(["Talks ended.", "Talks resume", "Talks ended."]).take([1, 2])
            >>> words.text_codes.tolist(), words.words.vocabulary[words.words.code].tolist()
            ([0, 1], ['talks', 'resume', 'talks', 'ended'])
        """
        text_codes, chosen = pd.factorize(self.text_codes[np.asarray(rows, dtype="int64")])
        n_texts = int(self.text_codes.max(initial=-1)) + 1
        if len(chosen) == n_texts and (chosen == np.arange(n_texts)).all():
            return TextWords(text_codes, self.words, self.sequences)
        sequences = None if self.sequences is None else pd.factorize(self.sequences[chosen])[0]
        if (np.diff(chosen) > 0).all():  # texts keep their order: a mask, no positions
            number = np.full(n_texts, -1, dtype="int32")
            number[chosen] = np.arange(len(chosen), dtype="int32")
            kept = number[self.words.row]
            mask = kept >= 0
            return TextWords(text_codes, CodedWords(kept[mask], self.words.code[mask], self.words.vocabulary),
                             sequences)
        lengths = np.bincount(self.words.row, minlength=n_texts)
        position, owner = _expand((np.cumsum(lengths) - lengths)[chosen], lengths[chosen])
        words = CodedWords(owner.astype("int32"), self.words.code[position], self.words.vocabulary)
        return TextWords(text_codes, words, sequences)

    def with_text(self, text: str) -> TextWords:
        """One more row holding ``text``, as a new distinct text (new words join the vocabulary;
        its word sequences are worked out again where needed, as ``text`` may repeat one).

        Example:
            >>> words = text_words(["Talks ended."]).with_text("Talks resume")
            >>> words.text_codes.tolist(), words.words.vocabulary.tolist()
            ([0, 1], ['talks', 'ended', 'resume'])
        """
        added = coded_words([text])
        vocabulary = self.words.vocabulary
        code_of = pd.Index(vocabulary, dtype=object).get_indexer(added.vocabulary)
        new_words = added.vocabulary[code_of < 0]
        code_of[code_of < 0] = len(vocabulary) + np.arange(len(new_words))
        n_texts = int(self.text_codes.max(initial=-1)) + 1
        words = CodedWords(np.concatenate([self.words.row, np.full(len(added.row), n_texts, dtype="int32")]),
                           np.concatenate([self.words.code, code_of[added.code].astype("int32")]),
                           np.concatenate([vocabulary, new_words]))
        return TextWords(np.append(self.text_codes, n_texts), words)


class CandidateBlock(NamedTuple):
    """Pairs of one block of rows (sentences, or distinct texts) and a score for each pair
    (their dot product, containment or similarity)."""

    rows_a: np.ndarray
    rows_b: np.ndarray
    products: np.ndarray


class UniqueTexts(NamedTuple):
    """Sentences grouped by their normalised words (one entry per distinct word sequence).

    ``codes`` numbers each sentence row's text (texts numbered in order of their first row),
    ``counts`` says how many sentence rows hold each text and ``row_order`` lists the rows
    sorted by text (then row).
    """

    codes: np.ndarray
    counts: np.ndarray
    row_order: np.ndarray


class CommonBits(NamedTuple):
    """Each text's common shingles as :data:`COMMON_BITS` bits (shingle column modulo
    COMMON_BITS; ``words`` holds them as uint64 arrays, bits 0-63 of every text, then 64-127)
    and its ``clashes``: how many of its common shingles share a bit with another of its
    own. Two texts share at most (bits both set) + (the smaller of their clashes) common
    shingles."""

    words: tuple[np.ndarray, ...]
    clashes: np.ndarray


class ShingleSets(NamedTuple):
    """Shingle sets of the distinct texts: their sizes, and the set matrices split into the
    uncommon shingles (in at most MAX_NGRAM_SENTENCES sentences) and the common ones, the
    latter also as their number per text and as bits (:class:`CommonBits`)."""

    texts: UniqueTexts
    sizes: np.ndarray
    uncommon: sparse.csr_matrix
    common: sparse.csr_matrix
    common_sizes: np.ndarray
    common_bits: CommonBits


class TextOutlets(NamedTuple):
    """Rows per distinct text (matrix rows) and outlet (column: outlet code + 1), and the
    first row of the text in that outlet (one per stored entry, in the matrix's order)."""

    counts: sparse.csr_matrix
    first_row: np.ndarray


class BlockLayout(NamedTuple):
    """Rows ``start .. start + BLOCK_ROWS`` of a sparse matrix as a flat dense array, ``width``
    places per row: the columns they use, then an empty "not there" place (``column_map``
    gives a matrix column's place in a row, or that last one)."""

    start: int
    dense: np.ndarray
    column_map: np.ndarray
    width: int


class TextTargets(NamedTuple):
    """Per distinct text: the only rows of it that can be another row's partner (its first
    row, and its first row outside that row's outlet, or -1), their outlet codes + 1 (-1:
    no row), and its ``home``: outlet code + 1 of its rows when all lie in one outlet (their
    partners must come from another), else -1."""

    first_row: np.ndarray
    second_row: np.ndarray
    first_outlet: np.ndarray
    second_outlet: np.ndarray
    home: np.ndarray


class PairBounds(NamedTuple):
    """What is known of the containment of a block's text pairs (rows ``a`` ascending,
    ``pairs_per_text`` of each text of the block): the smaller side's shingle count, the
    common shingles it holds (at most that many more are shared than the uncommon ones,
    ``products``), the score as far as known (``products / smaller``, exact where
    ``exact``, else a lower bound; 0 where the pair cannot be a partner, see ``used``) and,
    per text, the highest score known to be reached (``floor``; inf where no pair can be
    a partner)."""

    block: CandidateBlock
    pairs_per_text: np.ndarray
    used: np.ndarray
    smaller: np.ndarray
    possible: np.ndarray
    known: np.ndarray
    exact: np.ndarray
    floor: np.ndarray


class Partners(NamedTuple):
    """Per distinct text: its best partner row (highest score, then lowest row) and the best
    partner row of another outlet than that one's (the runner-up), with their scores; -1 and
    0 where there is none. (Only pairs that can be the partner of one of its rows count.)"""

    best: np.ndarray
    best_score: np.ndarray
    runner_up: np.ndarray
    runner_up_score: np.ndarray


def align_sentences(
    sentences: pd.DataFrame,
    *,
    min_similarity: float = 0.35,
    ngram_range: tuple[int, int] = (1, 2),
    max_share: float = 0.2,
    max_sentences: int = MAX_NGRAM_SENTENCES,
    stem: bool = True,
    words: TextWords | None = None,
    rows: np.ndarray | None = None,
) -> pd.DataFrame:
    """Pair sentences of different outlets that report the same thing.

    Each sentence is a TF-IDF vector (:func:`tfidf_matrix`) of its word n-grams
    (:func:`ngram_features`: runs of adjacent words without stopwords, normalised and
    stemmed). An n-gram found in more than ``max_share`` of the sentences, or in more than
    ``max_sentences`` sentences, is left out: it cannot say which sentences report the same
    fact, and it would make the number of pairs grow with the square of the corpus. (In a
    small table an n-gram is kept whatever its share if it is in no more sentences than
    there are outlets: one mention per outlet is what a shared fact looks like.) Only pairs
    sharing an n-gram are scored (sparse product, in row blocks, :func:`candidate_pairs`).
    Sentences with the same normalised words (wire copy repeated by several outlets) have
    the same vector, so each distinct text is vectorised and compared once and the result
    given to every sentence holding it. For every sentence and every other outlet the best
    match at or above ``min_similarity`` is kept (ties: the sentence that comes first); a
    pair appears once, ``a`` being the sentence that comes first in ``sentences``.
    Speaker lines (``is_attribution``) and headlines align on names and titles alone: leave
    them out first if that is unwanted.

    Args:
        sentences: a sentences table (``article_id, sentence_index, outlet, text``).
        min_similarity: lowest cosine similarity (0-1) of a reported pair.
        ngram_range: smallest and largest n-gram length, in words.
        max_share: largest share of sentences an n-gram may occur in to be used.
        max_sentences: largest number of sentences an n-gram may occur in to be used.
        stem: compare Porter stems (``meeting`` meets ``meet``), see :func:`ngram_features`.
        words: :func:`text_words` of the ``text`` column, when already made (then
            ``sentences`` needs no ``text``); None tokenises the texts here.
        rows: positions (0-based) of the sentences to align, the others left out as if
            absent (``words`` are still those of every row); None aligns them all.

    Returns:
        Columns ``article_id_a, sentence_index_a, outlet_a, article_id_b, sentence_index_b,
        outlet_b, similarity`` (:data:`PAIR_COLUMNS`), sorted by sentence ``a`` then ``b``.
        The texts are left out (:func:`pair_texts` adds them). ``article_id_*`` and
        ``outlet_*`` are categorical (categories: the table's values, sorted; they compare
        with strings and with each other as strings do), ``sentence_index_*`` int32.
        ``attrs["candidate_pairs"]`` holds how many cross-outlet sentence pairs share an
        informative n-gram (the pairs the matches are chosen from).

    Example:
        >>> import pandas as pd
        >>> sentences = pd.DataFrame({
        ...     "article_id": ["a", "a", "b"], "sentence_index": [0, 1, 0],
        ...     "outlet": ["A", "A", "B"],
        ...     "text": ["The OSCE meets in Vienna on Thursday.", "Sanctions loom.",
        ...              "Talks with the OSCE follow in Vienna on Thursday."]})
        >>> pairs = align_sentences(sentences)
        >>> pairs[["article_id_a", "sentence_index_a", "article_id_b", "similarity"]].round(2)
          article_id_a  sentence_index_a article_id_b  similarity
        0            a                 0            b        0.41
    """
    require_columns(sentences, SENTENCE_KEY if words is None else SENTENCE_KEY[:3], "sentences")
    chosen = None if rows is None else np.asarray(rows, dtype="int64")
    table = _checked_sentences(sentences if chosen is None else sentences[SENTENCE_KEY[:3]].iloc[chosen], text=False)
    _check_share(min_similarity, "min_similarity")
    _checked_range(ngram_range)
    texts, counts = _text_ngrams(sentences, words, chosen, ngram_range=ngram_range, stem=stem)
    _check_share(max_share, "max_share")
    outlets, outlet_names = pd.factorize(table["outlet"])
    max_df = min(max(max_share * len(table), len(outlet_names)), max_sentences)
    matrix = _tfidf(counts, n_rows=len(table), row_weights=texts.counts, max_df=max_df)
    del counts
    found, n_candidates = _aligned_rows(matrix, texts, outlets, min_similarity=min_similarity)
    del matrix
    pairs = _pairs_table(table, found)
    pairs.attrs["candidate_pairs"] = n_candidates
    return pairs


def text_words(texts) -> TextWords:
    """Tokenise a column of texts once, for :func:`shared_copy` and :func:`align_sentences`.

    Both stages start from the normalised words of the sentences; computing them once and
    passing them as ``words=`` to both saves the second tokenisation (the largest part of
    either stage's time). Each distinct text is tokenised once, and the texts with the same
    normalised words are found once (``sequences``).

    Args:
        texts: the texts, one per sentence (e.g. ``sentences["text"]``).

    Returns:
        :class:`TextWords` for exactly these rows, in this order.

    Example:
        >>> import pandas as pd
        >>> words = text_words(pd.Series(["Talks ended.", "Talks ended.", "Talks resume", "talks resume"]))
        >>> words.text_codes.tolist(), words.words.vocabulary[words.words.code].tolist()
        ([0, 0, 1, 2], ['talks', 'ended', 'talks', 'resume', 'talks', 'resume'])
        >>> words.sequences.tolist()
        [0, 1, 1]
    """
    codes, distinct = pd.factorize(texts if isinstance(texts, (pd.Series, pd.Index)) else pd.Series(texts, dtype=object),
                                   use_na_sentinel=False)
    pyarrow.default_memory_pool().release_unused()  # the hash tables of factorising strings
    words = coded_words(distinct)
    return TextWords(codes.astype("int64"), words, _same_words(words, len(distinct)))


def pair_texts(pairs: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Aligned pairs with the text of both sentences, joined from the sentences table.

    Args:
        pairs: aligned pairs (:func:`align_sentences`), or any subset of them.
        sentences: the sentences table the pairs were aligned from (``article_id,
            sentence_index, text``).

    Returns:
        The pairs, same rows and index, with ``text_a`` after ``outlet_a`` and ``text_b``
        after ``outlet_b`` (:data:`PAIR_TEXT_COLUMNS`). A pair naming a sentence that is not
        in ``sentences`` raises :class:`analysis.errors.CorpusError`.

    Example:
        >>> import pandas as pd
        >>> sentences = pd.DataFrame({"article_id": ["a", "b"], "sentence_index": [0, 0],
        ...     "outlet": ["A", "B"], "text": ["Talks in Geneva.", "Talks in Geneva ended."]})
        >>> pair_texts(align_sentences(sentences), sentences)[["text_a", "text_b"]].values.tolist()
        [['Talks in Geneva.', 'Talks in Geneva ended.']]
    """
    require_columns(pairs, PAIR_COLUMNS, "aligned pairs")
    require_columns(sentences, ["article_id", "sentence_index", "text"], "sentences")
    texts = sentences["text"].reset_index(drop=True)
    found = {side: texts.take(_sentence_rows(sentences, pairs[f"article_id_{side}"], pairs[f"sentence_index_{side}"]))
             for side in ("a", "b")}
    with_texts = pairs.assign(**{f"text_{side}": found[side].set_axis(pairs.index) for side in found})
    return with_texts[PAIR_TEXT_COLUMNS + [c for c in pairs.columns if c not in PAIR_TEXT_COLUMNS]]


def ngram_features(
    sentences: pd.DataFrame,
    *,
    ngram_range: tuple[int, int] = (1, 2),
    stopwords: bool = True,
    stem: bool = False,
) -> pd.DataFrame:
    """Word n-grams of every sentence: runs of adjacent words, joined by a space.

    Args:
        sentences: a table with ``text``.
        ngram_range: smallest and largest n-gram length, in words.
        stopwords: leave out every n-gram that holds a stopword (so ``amassed near Ukraine``
            gives ``amassed near`` and ``near ukraine`` but ``near the border`` gives none).
        stem: reduce words to their Porter stem (nltk, offline), so ``doors`` meets ``door``.

    Returns:
        Columns ``row`` (0-based position of the sentence) and ``term``, one row per
        occurrence.

    Example:
        >>> import pandas as pd
        >>> ngram_features(pd.DataFrame({"text": ["Troops amassed near the border."]}),
        ...                ngram_range=(2, 2)).term.tolist()
        ['troops amassed', 'amassed near']
        >>> ngram_features(pd.DataFrame({"text": ["NATO's open doors"]}), stem=True).term.tolist()
        ['nato', 'open', 'door', 'nato open', 'open door']
    """
    low, high = _checked_range(ngram_range)
    require_columns(sentences, ["text"], "sentences")
    words = coded_words(sentences["text"])
    token_ids, labels = _token_ids(words.vocabulary, stem=stem)
    tokens = np.asarray(labels, dtype=object)[token_ids[words.code]]
    excluded_before = _excluded_before(words, stopwords=stopwords)
    parts = [pd.DataFrame({"row": np.array([], dtype="int64"), "term": np.array([], dtype=object)})]
    for n in range(low, high + 1):
        keep = _kept_windows(words.row, excluded_before, n)
        grams = tokens[:len(keep)].copy()
        for offset in range(1, n):
            grams = grams + " " + tokens[offset:offset + len(keep)]
        parts.append(pd.DataFrame({"row": words.row[:len(keep)][keep], "term": grams[keep]}))
    return pd.concat(parts, ignore_index=True)


def tfidf_matrix(features: pd.DataFrame, *, n_rows: int, max_df: float | None = None) -> sparse.csr_matrix:
    """Sparse TF-IDF matrix (sentences x n-grams), rows scaled to unit length.

    Raw term counts times the smoothed idf ``log((1 + N) / (1 + df)) + 1``, where ``df`` is
    the number of sentences holding the n-gram; n-grams with ``df > max_df`` are left out.
    A row without n-grams stays zero.

    Args:
        features: ``row, term`` table, e.g. from :func:`ngram_features`.
        n_rows: number of sentences ``N`` (rows of the matrix).
        max_df: largest number of sentences an n-gram may occur in (None: no limit).

    Returns:
        A ``scipy.sparse.csr_matrix`` of shape ``(n_rows, kept n-grams)``.

    Example:
        >>> import pandas as pd
        >>> features = pd.DataFrame({"row": [0, 0, 1], "term": ["vienna", "osce", "vienna"]})
        >>> tfidf_matrix(features, n_rows=2).toarray().round(3).tolist()
        [[0.58, 0.815], [1.0, 0.0]]
    """
    codes, vocabulary = pd.factorize(features["term"])
    counts = _count_matrix(features["row"].to_numpy(), codes, shape=(n_rows, len(vocabulary)))
    return _tfidf(counts, n_rows=n_rows, row_weights=np.ones(n_rows, dtype="int64"), max_df=max_df)


def candidate_pairs(
    matrix: sparse.csr_matrix, groups: np.ndarray, *, block_rows: int = BLOCK_ROWS
) -> Iterator[CandidateBlock]:
    """Pairs of rows of different groups that share a feature, one row block at a time.

    The sparse product of a block of rows with the whole matrix has entries only for pairs
    that share at least one non-zero feature, so no pair without one is ever looked at.

    Args:
        matrix: sentences x features (non-negative values).
        groups: one group code per row (e.g. outlet codes); pairs within a group are skipped.
        block_rows: rows per block (bounds memory).

    Returns:
        An iterator of :class:`CandidateBlock` with rows ``i < j`` and their dot products.

    Example:
        >>> from scipy import sparse
        >>> import numpy as np
        >>> matrix = sparse.csr_matrix(np.array([[1.0, 0], [1.0, 1.0], [0, 1.0]]))
        >>> [block.rows_b.tolist() for block in candidate_pairs(matrix, np.array([0, 1, 1]))]
        [[1]]
    """
    for _, (rows_a, rows_b, products) in _product_blocks(matrix, block_rows=block_rows):
        keep = (rows_a < rows_b) & (groups[rows_a] != groups[rows_b]) & (products > 0)
        order = np.lexsort((rows_b[keep], rows_a[keep]))
        yield CandidateBlock(rows_a[keep][order], rows_b[keep][order], products[keep][order])


def word_diff(a: str, b: str, *, punctuation: bool = False) -> pd.DataFrame:
    """Word-level difference between two sentences (difflib on :mod:`analysis.tokens` tokens).

    Tokens are compared normalised (case and apostrophe style ignored); the table shows the
    original text. Words only by default; ``punctuation=True`` also compares punctuation
    and quote marks (to see scare quotes added or removed).

    Args:
        a: first sentence.
        b: second sentence.
        punctuation: compare punctuation and quote-mark tokens too.

    Returns:
        One row per run: ``op`` (``equal``, ``insert``, ``delete``, ``replace``), ``text_a``,
        ``text_b`` (the run's original text, empty when absent) and their offsets
        ``start_a, end_a, start_b, end_b``.

    Example:
        >>> word_diff("troops amassed", "Troops allegedly amassed")[["op", "text_a", "text_b"]]
               op  text_a     text_b
        0   equal  troops     Troops
        1  insert          allegedly
        2   equal amassed    amassed
    """
    tokens_a, tokens_b = _diff_tokens(a, punctuation), _diff_tokens(b, punctuation)
    matcher = difflib.SequenceMatcher(
        a=[normalise(t.text) for t in tokens_a], b=[normalise(t.text) for t in tokens_b], autojunk=False
    )
    rows = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        start_a, end_a = _span(tokens_a, i1, i2)
        start_b, end_b = _span(tokens_b, j1, j2)
        rows.append((op, a[start_a:end_a], b[start_b:end_b], start_a, end_a, start_b, end_b))
    columns = ["op", "text_a", "text_b", "start_a", "end_a", "start_b", "end_b"]
    return pd.DataFrame(rows, columns=columns).astype({name: "int64" for name in columns[3:]})


def inline_diff(a: str, b: str, *, punctuation: bool = False) -> str:
    """One readable line: ``a`` with ``[-removed]`` and ``[+added]`` words of ``b``.

    Args:
        a: first sentence (shown as the base text).
        b: second sentence.
        punctuation: compare punctuation and quote-mark tokens too.

    Returns:
        The text of ``a`` where runs missing from ``b`` read ``[-...]`` and runs only in ``b``
        read ``[+...]`` (a replaced run shows both).

    Example:
        >>> inline_diff("Russia must withdraw troops amassed near Ukraine.",
        ...             "Russia must withdraw troops allegedly amassed near Ukraine.")
        'Russia must withdraw troops [+allegedly] amassed near Ukraine.'
        >>> inline_diff("no plans to invade Ukraine", "no plans to attack Ukraine")
        'no plans to [-invade] [+attack] Ukraine'
    """
    diff = word_diff(a, b, punctuation=punctuation)
    last_word_end = int(diff.loc[diff["op"] != "insert", "end_a"].max()) if (diff["op"] != "insert").any() else 0
    pieces, position = [], 0
    for run in diff[diff["op"] != "equal"].itertuples(index=False):
        pieces.append(a[position:run.start_a])
        if run.op == "insert":
            pieces.append(f" [+{run.text_b}]" if run.start_a >= last_word_end else f"[+{run.text_b}] ")
        else:
            pieces.append(f"[-{run.text_a}]" + (f" [+{run.text_b}]" if run.op == "replace" else ""))
        position = run.end_a
    pieces.append(a[position:])
    return "".join(pieces).strip()


def shared_copy(
    sentences: pd.DataFrame,
    *,
    min_similarity: float = 0.8,
    shingle: int = 3,
    reference: str | None = None,
    min_shingles: int = 3,
    words: TextWords | None = None,
) -> pd.DataFrame:
    """Flag sentences shared near-verbatim between outlets (e.g. the same wire copy).

    Each sentence is the set of its word ``shingle``-grams (all words, normalised). The
    similarity of two sentences is their containment ``|A & B| / min(|A|, |B|)``, so a
    sentence that an outlet trimmed or extended still counts as copy. Only sentences of
    different outlets are compared, and only when they share a shingle that is not common
    to many sentences (in at most ``MAX_NGRAM_SENTENCES`` of them). A ``reference`` text
    (e.g. the wire story) is compared as one more source: a sentence whose shingles it
    contains is flagged too. Sentences with the same normalised words are compared once
    (the same text in two outlets has containment 1 when it shares such a shingle), and
    common shingles are looked up only for pairs that can still be a sentence's best match.

    Args:
        sentences: a sentences table (``article_id, sentence_index, outlet, text``).
        min_similarity: lowest containment (0-1) to flag a sentence as shared copy.
        shingle: shingle length in words.
        reference: optional text to compare every sentence against.
        min_shingles: sentences with fewer shingles are too short to call copy.
        words: :func:`text_words` of the ``text`` column, when already made (then
            ``sentences`` needs no ``text``); None tokenises the texts here.

    Returns:
        One row per sentence, same order and index as ``sentences`` (so
        ``exclude=result.is_shared_copy`` works in :func:`analysis.keyness.term_counts`):
        ``article_id, sentence_index, outlet, is_shared_copy, matched_article_id,
        matched_sentence_index, matched_outlet, similarity`` where ``matched_*`` name the
        most similar sentence of another outlet (``reference`` for the reference text).

    Example:
        >>> import pandas as pd
        >>> sentences = pd.DataFrame({
        ...     "article_id": ["a", "b", "b"], "sentence_index": [0, 0, 1], "outlet": ["A", "B", "B"],
        ...     "text": ["Sherman will meet U.S. allies in Brussels on Wednesday.",
        ...              "She will meet U.S. allies in Brussels on Wednesday.", "Talks ended."]})
        >>> shared_copy(sentences)[["article_id", "is_shared_copy", "matched_article_id", "similarity"]]
          article_id  is_shared_copy matched_article_id  similarity
        0          a            True                  b    0.857143
        1          b            True                  a    0.857143
        2          b           False                NaN    0.000000
    """
    table = _checked_sentences(sentences, text=words is None)
    _check_share(min_similarity, "min_similarity")
    _checked_range((shingle, shingle))
    outlets = pd.factorize(table["outlet"])[0]
    if reference is not None:
        outlets = np.append(outlets, -1)
    sets = _shingle_sets(table, words, reference, shingle=shingle)
    partner, similarity = _row_partners(_text_partners(sets, outlets), sets.texts.codes, outlets)
    return _shared_table(table, partner, similarity, sets.sizes[sets.texts.codes],
                         min_similarity=min_similarity, min_shingles=min_shingles)


def fact_coverage(
    sentences: pd.DataFrame, *, codebook=None, pairs: pd.DataFrame | None = None, grouping: str = "stars"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Which key facts each outlet reported, and which it left out.

    Facts come from two places: the codebook's ``facts`` section (matched with
    :func:`analysis.measures.find_matches`; a fact nobody reported is a row of zeros) and
    alignment: each group of aligned sentences (see ``grouping``) is one fact, labelled
    ``A<n>: <representative sentence>`` (the sentence most similar to the rest of its group).

    Args:
        sentences: a sentences table (``article_id, sentence_index, outlet, text``; ``start,
            end`` are used for evidence offsets when present).
        codebook: a loaded codebook (:func:`analysis.codebook.load_codebook`); None uses
            alignment only.
        pairs: aligned pairs from :func:`align_sentences`; None aligns with its defaults.
        grouping: how aligned sentences form facts: ``"stars"`` (default,
            :func:`star_groups`), a best-linked sentence and its direct matches, which stays
            small however large the corpus; or ``"components"``, every group of sentences
            linked by pairs, which chains through a large corpus (on the 1k benchmark corpus
            one such group holds two thirds of the sentences) and warns when it does.

    Returns:
        ``(matrix, evidence)``: ``matrix`` counts sentences per fact (rows, index
        ``source, fact``) and outlet (columns; every outlet of ``sentences``), 0 where the
        outlet left the fact out; ``evidence`` has one row per codebook match or aligned
        sentence: ``source, fact`` and the evidence columns of the architecture (for an
        aligned fact ``match`` is the whole sentence and ``term`` is ``A<n>``), sorted by
        fact, article and sentence.

    Warns:
        UserWarning: when aligned facts chain (:func:`warn_if_facts_chain`; only connected
            components do).

    Example:
        >>> import pandas as pd
        >>> sentences = pd.DataFrame({
        ...     "article_id": ["a", "b", "c"], "sentence_index": [0, 0, 0],
        ...     "outlet": ["A", "B", "C"],
        ...     "text": ["The OSCE meets in Vienna on Thursday.", "Talks in Vienna on Thursday.",
        ...              "Sanctions loom."]})
        >>> matrix, evidence = fact_coverage(sentences)
        >>> matrix
        outlet                                           A  B  C
        source    fact
        alignment A1: The OSCE meets in Vienna on Thursday.  1  1  0
    """
    table = _checked_sentences(sentences)
    if grouping not in FACT_GROUPINGS:
        raise ValueError(f"grouping must be one of {', '.join(FACT_GROUPINGS)}, not {grouping!r}")
    aligned = _aligned_fact_evidence(table, align_sentences(table) if pairs is None else pairs, grouping=grouping)
    warn_if_facts_chain(aligned["term"], n_sentences=len(table))
    fact_order = list(dict.fromkeys(zip(aligned["source"], aligned["fact"])))
    parts = [aligned]
    if codebook is not None:
        codebook_evidence, codebook_facts = _codebook_fact_evidence(table, codebook)
        parts.insert(0, codebook_evidence)
        fact_order = [("codebook", fact) for fact in codebook_facts] + fact_order
    fact_rank = {fact: rank for rank, (_, fact) in enumerate(fact_order)}
    evidence = pd.concat(parts, ignore_index=True)[EVIDENCE_COLUMNS].sort_values(
        ["fact", "article_id", "sentence_index", "start"],
        key=lambda column: column.map(fact_rank) if column.name == "fact" else column,
        kind="mergesort",
    )
    evidence = evidence.reset_index(drop=True)
    return _coverage_matrix(evidence, fact_order, sorted(table["outlet"].unique())), evidence


FACT_GROUPINGS = ("components", "stars")
# An aligned fact holding more than this share of all sentences (and more than
# CHAINED_FACT_MIN_SENTENCES of them) has chained unrelated sentences.
CHAINED_FACT_SHARE = 0.05
CHAINED_FACT_MIN_SENTENCES = 100


def warn_if_facts_chain(terms: pd.Series, *, n_sentences: int) -> None:
    """Warn when one aligned fact (``terms``: its ``A<n>`` per aligned sentence) holds more
    than :data:`CHAINED_FACT_SHARE` of the ``n_sentences`` (and more than
    :data:`CHAINED_FACT_MIN_SENTENCES`).

    With ``grouping="components"`` an aligned fact is a connected group of aligned pairs, and
    in a corpus of many articles such groups chain: A is like B, B like C, and so on, until
    one "fact" holds most of the corpus (70% of the 10k benchmark corpus's sentences).
    Star groups (the default) and codebook facts do not chain.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     warn_if_facts_chain(pd.Series(["A1"] * 150 + ["A2"] * 2), n_sentences=1000)
        >>> print(caught[0].message)
        aligned facts chain: A1 links 150 of 1,000 sentences (15%); read the aligned facts with care, or group them with grouping='stars', the default (codebook facts are not affected)
    """
    if terms.empty:
        return
    sizes = terms.value_counts(sort=True)
    largest, size = sizes.index[0], int(sizes.iloc[0])
    if size > CHAINED_FACT_MIN_SENTENCES and size > CHAINED_FACT_SHARE * n_sentences:
        warnings.warn(f"aligned facts chain: {largest} links {size:,} of {n_sentences:,} sentences "
                      f"({size / n_sentences:.0%}); read the aligned facts with care, or group them with "
                      "grouping='stars', the default (codebook facts are not affected)", UserWarning, stacklevel=3)


def _checked_sentences(sentences: pd.DataFrame, *, text: bool = True) -> pd.DataFrame:
    require_columns(sentences, SENTENCE_KEY if text else SENTENCE_KEY[:3], "sentences")
    if sentences["outlet"].isna().any():
        raise CorpusError(None, "sentences table: some rows have no outlet")
    duplicated = _duplicated_keys(sentences)
    if duplicated.any():
        first = sentences.loc[duplicated, ["article_id", "sentence_index"]].iloc[0].tolist()
        raise CorpusError(None, f"sentences table: sentence {tuple(first)} appears more than once")
    return sentences


def _checked_words(words: TextWords, table: pd.DataFrame) -> TextWords:
    if len(words.text_codes) != len(table):
        raise CorpusError(None, f"words were made from {len(words.text_codes):,} texts, "
                                f"but the sentences table has {len(table):,} rows")
    return words


def _duplicated_keys(sentences: pd.DataFrame) -> np.ndarray:
    """Mask of the rows whose (article_id, sentence_index) an earlier row has (the two
    columns numbered, then one integer key per row: no strings hashed per row)."""
    articles = pd.factorize(sentences["article_id"])[0].astype("int64")
    indexes, index_values = pd.factorize(sentences["sentence_index"])
    return pd.Series(articles * max(len(index_values), 1) + indexes).duplicated().to_numpy()


def _check_share(value: float, name: str) -> None:
    if not 0 <= value <= 1:
        raise CorpusError(None, f"{name} must be between 0 and 1, got {value!r}")


def _checked_range(ngram_range: tuple[int, int]) -> tuple[int, int]:
    low, high = ngram_range
    if not (isinstance(low, int) and isinstance(high, int) and 1 <= low <= high):
        raise CorpusError(None, f"ngram_range must be two whole numbers 1 <= low <= high, got {ngram_range!r}")
    return low, high


def _diff_tokens(text: str, punctuation: bool) -> list[Token]:
    return tokenize(text) if punctuation else list(iter_words(text))


def _span(tokens: list[Token], first: int, stop: int) -> tuple[int, int]:
    """Offsets of tokens[first:stop]; for an empty run, the point where it would go."""
    if first < stop:
        return tokens[first].start, tokens[stop - 1].end
    point = tokens[first].start if first < len(tokens) else (tokens[-1].end if tokens else 0)
    return point, point


def _unique_texts(tokens: TextWords) -> tuple[UniqueTexts, CodedWords]:
    """Group texts by their normalised words, and the words of each distinct text."""
    raw_codes, words, sequences = tokens
    n_raw = int(raw_codes.max(initial=-1)) + 1
    text_of_raw = _same_words(words, n_raw) if sequences is None else sequences
    codes = text_of_raw[raw_codes]
    counts = np.bincount(codes, minlength=int(text_of_raw.max(initial=-1)) + 1)
    grouped = UniqueTexts(codes, counts, np.argsort(codes, kind="stable"))
    if len(counts) == n_raw:  # no two raw texts share their words: keep the tokens as they are
        return grouped, words
    is_first = np.zeros(n_raw, dtype=bool)
    is_first[np.unique(text_of_raw, return_index=True)[1]] = True
    kept = is_first[words.row]
    return grouped, CodedWords(text_of_raw.astype("int32")[words.row[kept]], words.code[kept], words.vocabulary)


def _same_words(words: CodedWords, n_texts: int) -> np.ndarray:
    """Number of each text's word sequence (in order of first text; ``words.row`` ascending).
    Texts are compared by a cheap signature (length and two sums of their codes, whole
    numbers summed text by text, :func:`_code_sums`) first; only texts whose signature
    another text shares are compared exactly, by the bytes of their codes."""
    length = np.diff(np.searchsorted(words.row, np.arange(n_texts + 1, dtype=words.row.dtype)))  # no cast of rows
    sums, squares = _code_sums(words.code, length)
    signature = pd.DataFrame({"length": length, "sum": sums, "squares": squares})
    shared = np.flatnonzero(signature.duplicated(keep=False).to_numpy())
    buffer, ends = memoryview(words.code.astype("int32", copy=False)).cast("B"), np.cumsum(length) * 4
    sequences = [bytes(buffer[end - size * 4:end]) for end, size in zip(ends[shared].tolist(), length[shared].tolist())]
    local, distinct = pd.factorize(np.array(sequences, dtype=object))
    first_of_sequence = np.full(len(distinct), len(shared))
    np.minimum.at(first_of_sequence, local, np.arange(len(shared)))
    representative = np.arange(n_texts)
    representative[shared] = shared[first_of_sequence[local]]
    return pd.factorize(representative)[0]


def _code_sums(code: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum of the codes of each text and of their squares (int64), for texts of ``length``
    codes each, one after another in ``code``; a share of the texts holding at most
    KEY_CHUNK codes at a time (bounded memory).

    Example:
        >>> [sums.tolist() for sums in _code_sums(np.array([2, 3, 1]), np.array([2, 0, 1]))]
        [[5, 0, 1], [13, 0, 1]]
    """
    filled = np.flatnonzero(length)
    starts = (np.cumsum(length) - length)[filled]
    sums, squares = np.zeros(len(length), dtype="int64"), np.zeros(len(length), dtype="int64")
    shares = np.searchsorted(starts, np.arange(0, len(code) + KEY_CHUNK, KEY_CHUNK))
    for first, stop in zip(shares[:-1], shares[1:]):
        if first < stop:
            texts, chunk_start = filled[first:stop], starts[first]
            chunk = code[chunk_start:starts[stop - 1] + length[texts[-1]]].astype("int64")
            sums[texts] = np.add.reduceat(chunk, starts[first:stop] - chunk_start)
            squares[texts] = np.add.reduceat(chunk * chunk, starts[first:stop] - chunk_start)
    return sums, squares


def _token_ids(vocabulary: np.ndarray, *, stem: bool) -> tuple[np.ndarray, np.ndarray]:
    """Token number of each vocabulary word and the token labels: the words themselves, or
    Porter stems of the words without possessive 's (one stem per distinct word)."""
    if not stem:
        return np.arange(len(vocabulary), dtype="int64"), vocabulary
    stemmer = PorterStemmer()
    stems = np.array([stemmer.stem(normalise(word, drop_possessive=True)) for word in vocabulary], dtype=object)
    return pd.factorize(stems)


def _excluded_before(words: CodedWords, *, stopwords: bool) -> np.ndarray | None:
    """Number of stopword tokens before each token position (None: nothing is excluded)."""
    if not stopwords:
        return None
    excluded = pd.Index(words.vocabulary, dtype=object).isin(list(load_stopwords()))[words.code]
    before = np.zeros(len(excluded) + 1, dtype="int32")
    np.cumsum(excluded, dtype="int32", out=before[1:])
    return before


def _kept_windows(rows: np.ndarray, excluded_before: np.ndarray | None, n: int) -> np.ndarray:
    """For each run of ``n`` adjacent tokens: True when it lies in one text, without stopword."""
    span = max(len(rows) - n + 1, 0)
    keep = rows[:span] == rows[n - 1:n - 1 + span]
    if excluded_before is not None:
        keep &= excluded_before[n:n + span] == excluded_before[:span]
    return keep


def _ngram_parts(words: CodedWords, n_texts: int, *, ngram_range, stopwords: bool, stem: bool,
                 first_appearance: bool = True) -> list[sparse.csr_matrix]:
    """N-gram counts per distinct text, one matrix per n-gram length (side by side they are
    the matrix :func:`tfidf_matrix` counts from
    :func:`ngram_features`, built from integer codes (an n-gram is its tokens as digits,
    :func:`_window_keys`). With ``first_appearance`` the columns come in the same order
    (first appearance, shorter n-grams first), which floating-point sums over them need;
    otherwise in any order, numbered with less memory (:func:`_column_codes`)."""
    low, high = ngram_range
    token_ids, labels = _token_ids(words.vocabulary, stem=stem)
    tokens = token_ids.astype("int32")[words.code] if stem else words.code
    excluded_before = _excluded_before(words, stopwords=stopwords)
    parts = []
    for n in range(low, high + 1):
        keep = _kept_windows(words.row, excluded_before, n)
        keys = _window_keys(tokens, keep, base=max(len(labels), 1), n=n)
        columns, n_columns = _column_codes(keys, first_appearance=first_appearance)
        parts.append(_row_grouped_counts(words.row[np.flatnonzero(keep)], columns, shape=(n_texts, n_columns)))
    return parts


def _side_by_side(parts: list[sparse.csr_matrix]) -> sparse.csr_matrix:
    """Canonical CSR matrices with the same rows as one (``sparse.hstack``): each row holds
    the entries of the first part, then those of the next, columns shifted. The entries are
    placed directly, a block of rows at a time (no detour through COO); the parts are
    released one at a time."""
    n_rows = parts[0].shape[0]
    indptr = np.zeros(n_rows + 1, dtype="int64")
    np.cumsum(sum(np.diff(part.indptr) for part in parts), out=indptr[1:])
    width = sum(part.shape[1] for part in parts)
    indices = np.empty(indptr[-1], dtype="int32" if width < 2 ** 31 else "int64")
    data, next_free, offset = np.empty(indptr[-1]), indptr[:-1].copy(), 0
    while parts:
        part = parts.pop(0)
        lengths = np.diff(part.indptr)
        for start in range(0, n_rows, BLOCK_ROWS * 64):
            rows = slice(start, start + BLOCK_ROWS * 64)
            first, stop = part.indptr[rows.start], part.indptr[min(rows.stop, n_rows)]
            position = np.repeat(next_free[rows] - part.indptr[:-1][rows], lengths[rows]) + np.arange(first, stop)
            indices[position], data[position] = part.indices[first:stop] + offset, part.data[first:stop]
        next_free += lengths
        offset += part.shape[1]
    return sparse.csr_matrix((data, indices, indptr), shape=(n_rows, width))


def _window_keys(tokens: np.ndarray, keep: np.ndarray, *, base: int, n: int) -> np.ndarray:
    """One integer per kept window of ``n`` tokens, equal exactly for equal token runs: the
    tokens as digits in base ``base``, or, where that could overflow, the number of the
    first ``n - 1`` tokens (numbered over every window) and the last token."""
    span = len(keep)
    if base ** n < 2 ** 62 or span == 0:
        return _digit_keys([tokens[offset:offset + span] for offset in range(n)], keep, base)
    prefix = pd.factorize(_window_keys(tokens, np.ones(span + 1, dtype=bool), base=base, n=n - 1))[0]
    return _digit_keys([prefix[:span], tokens[n - 1:n - 1 + span]], keep, base)


def _digit_keys(digits: list[np.ndarray], keep: np.ndarray, base: int) -> np.ndarray:
    """``(d0 * base + d1) * base + ...`` at the kept positions, a chunk at a time (int64;
    taken at the positions of ``keep``, faster than applying the mask, which stopwords mix)."""
    keys, filled = np.empty(int(np.count_nonzero(keep)), dtype="int64"), 0
    for start in range(0, len(keep), KEY_CHUNK):
        chunk = slice(start, start + KEY_CHUNK)
        key = digits[0][chunk].astype("int64")
        for digit in digits[1:]:
            key = key * base + digit[chunk]
        key = key[np.flatnonzero(keep[chunk])]
        keys[filled:filled + len(key)] = key
        filled += len(key)
    return keys


def _column_codes(keys: np.ndarray, *, first_appearance: bool) -> tuple[np.ndarray, int]:
    """Numbers 0..n-1 for the distinct keys (int32), and n. With ``first_appearance`` in the
    order keys first occur (as :func:`pandas.factorize`); otherwise the keys are numbered a
    share at a time (by key modulo the number of shares), which bounds the hash tables."""
    if first_appearance or len(keys) <= KEYS_PER_SHARE:
        codes, uniques = pd.factorize(keys)
        return codes.astype("int32"), len(uniques)
    n_shares = -(-len(keys) // KEYS_PER_SHARE)
    share = np.empty(len(keys), dtype="int32")
    for start in range(0, len(keys), KEY_CHUNK):
        share[start:start + KEY_CHUNK] = keys[start:start + KEY_CHUNK] % n_shares
    codes, n_codes = np.empty(len(keys), dtype="int32"), 0
    for number in range(n_shares):
        at = np.flatnonzero(share == number)
        local, uniques = pd.factorize(keys[at])
        codes[at] = local + n_codes
        n_codes += len(uniques)
    return codes, n_codes


def _row_grouped_counts(rows: np.ndarray, columns: np.ndarray, *, shape: tuple[int, int]) -> sparse.csr_matrix:
    """Count matrix (canonical CSR) from entries whose rows are in ascending order."""
    indptr = np.zeros(shape[0] + 1, dtype="int64")
    np.cumsum(np.bincount(rows, minlength=shape[0]), out=indptr[1:])
    counts = sparse.csr_matrix((np.ones(len(columns)), columns, indptr), shape=shape)
    counts.sum_duplicates()
    return counts


def _count_matrix(rows: np.ndarray, columns: np.ndarray, *, shape: tuple[int, int]) -> sparse.csr_matrix:
    counts = sparse.csr_matrix((np.ones(len(columns)), (rows, columns)), shape=shape)
    counts.sum_duplicates()
    return counts


def _text_ngrams(sentences: pd.DataFrame, words: TextWords | None, rows: np.ndarray | None, *, ngram_range,
                 stem: bool) -> tuple[UniqueTexts, sparse.csr_matrix]:
    """The distinct texts of the chosen rows and their n-gram counts (words made here are
    released before the n-gram parts are joined)."""
    tokens = text_words(sentences["text"]) if words is None else _checked_words(words, sentences)
    unique, coded = _unique_texts(tokens if rows is None else tokens.take(rows))
    del tokens
    parts = _ngram_parts(coded, len(unique.counts), ngram_range=ngram_range, stopwords=True, stem=stem)
    del coded
    return unique, parts[0] if len(parts) == 1 else _side_by_side(parts)


def _aligned_rows(matrix: sparse.csr_matrix, texts: UniqueTexts, outlets: np.ndarray, *,
                  min_similarity: float) -> tuple[list[CandidateBlock], int]:
    """Best-matching sentence pairs (in both orders, for :func:`_unique_pairs`) from the
    distinct texts' vectors, one block of texts at a time, and the number of cross-outlet
    sentence pairs sharing a feature."""
    per_outlet = _text_outlets(texts, outlets)
    text_start = np.cumsum(texts.counts) - texts.counts
    found, twice_candidates = [], 0
    for start, block in _text_pairs(matrix):
        twice_candidates += _cross_outlet_row_pairs(block, start, per_outlet)
        similar = _subset(block, np.flatnonzero(block.products >= min_similarity - ROUNDING_TOLERANCE))
        found.append(_block_best_per_outlet(similar, start, texts, text_start, outlets, per_outlet))
    return found, twice_candidates // 2


def _tfidf(counts: sparse.csr_matrix, *, n_rows: int, row_weights: np.ndarray, max_df) -> sparse.csr_matrix:
    """:func:`tfidf_matrix` of counts whose rows stand for ``row_weights`` sentences each:
    document frequencies count sentences, so every row equals that of its sentences. The
    informative columns are weighted and the rows scaled in place (one copy of the counts)."""
    document_frequency = np.zeros(counts.shape[1], dtype="int64")
    for start in range(0, counts.shape[0], KEY_CHUNK // 32):
        rows = counts[start:start + KEY_CHUNK // 32]
        document_frequency += np.bincount(rows.indices, weights=np.repeat(row_weights[start:start + KEY_CHUNK // 32],
                                          np.diff(rows.indptr)), minlength=counts.shape[1]).astype("int64")
    informative = np.flatnonzero(document_frequency <= (np.inf if max_df is None else max_df))
    idf = np.log((1 + n_rows) / (1 + document_frequency[informative])) + 1
    weighted = counts[:, informative]
    weighted.data *= idf[weighted.indices]
    lengths = np.diff(weighted.indptr)
    norms = np.zeros(weighted.shape[0])
    filled = np.flatnonzero(lengths)  # row sums as scipy's sum(axis=1) adds them (reduceat)
    norms[filled] = np.sqrt(np.add.reduceat(weighted.data * weighted.data, weighted.indptr[filled]))
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    weighted.data *= np.repeat(scale, lengths)
    return weighted


def _product_blocks(matrix: sparse.csr_matrix, *, block_rows: int) -> Iterator[tuple[int, CandidateBlock]]:
    """Every non-zero entry of ``matrix @ matrix.T``, ``block_rows`` rows at a time, each
    block with its first row (rows ``a`` ascending, in the product's own order)."""
    transposed = sparse.csr_matrix(matrix.T)
    for start in range(0, matrix.shape[0], block_rows):
        product = matrix[start:start + block_rows] @ transposed
        rows_a = np.repeat(np.arange(start, start + product.shape[0], dtype=product.indices.dtype),
                           np.diff(product.indptr))
        yield start, CandidateBlock(rows_a, product.indices, product.data)


def _text_pairs(matrix: sparse.csr_matrix) -> Iterator[tuple[int, CandidateBlock]]:
    """Pairs of distinct texts sharing a feature, in both orders (and each text with itself),
    for ``BLOCK_ROWS`` first texts at a time: a text's pairs all come in its own block. (The
    matrices hold no negative values and a sparse product stores no zeros: every product is
    positive.)"""
    return _product_blocks(matrix, block_rows=BLOCK_ROWS)


def _subset(block: CandidateBlock, keep: np.ndarray) -> CandidateBlock:
    """The pairs at ``keep``: positions, or a boolean mask (where the mask mixes True and
    False at random, its positions, ``np.flatnonzero(mask)``, are several times faster to take)."""
    return CandidateBlock(block.rows_a[keep], block.rows_b[keep], block.products[keep])


def _expand(starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``starts[k] .. starts[k] + lengths[k] - 1`` for every k, and their k."""
    owner = np.repeat(np.arange(len(lengths)), lengths)
    return np.arange(len(owner)) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths), owner


def _row_spans(matrix: sparse.csr_matrix, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the stored entries of some rows of a CSR matrix begin, and how many there are
    (for :func:`_expand`; only those rows are read).

    Example:
        >>> from scipy import sparse
        >>> [span.tolist() for span in _row_spans(sparse.csr_matrix(np.eye(3)), np.array([2, 0]))]
        [[2, 0], [1, 1]]
    """
    starts = matrix.indptr[rows]
    return starts, matrix.indptr[rows + 1] - starts


def _block_layout(matrix: sparse.csr_matrix, start: int) -> BlockLayout:
    """The ``BLOCK_ROWS`` rows from ``start`` laid out densely over the columns they use
    (read straight from the CSR arrays; the columns are marked, not sorted).

    Example:
        >>> from scipy import sparse
        >>> layout = _block_layout(sparse.csr_matrix(np.array([[0, 3, 0], [5, 0, 0]])), 0)
        >>> layout.dense.tolist(), layout.column_map.tolist(), layout.width
        ([0, 3, 0, 5, 0, 0], [0, 1, 2], 3)
    """
    stop = min(start + BLOCK_ROWS, matrix.shape[0])
    entries = slice(matrix.indptr[start], matrix.indptr[stop])
    indices = matrix.indices[entries]
    is_used = np.zeros(matrix.shape[1], dtype=bool)
    is_used[indices] = True
    columns = np.flatnonzero(is_used)
    width = len(columns) + 1  # + 1: "not there"
    column_map = np.full(matrix.shape[1], len(columns), dtype="int64")
    column_map[columns] = np.arange(len(columns))
    dense = np.zeros((stop - start) * width, dtype=matrix.dtype)
    owner = np.repeat(np.arange(stop - start), np.diff(matrix.indptr[start:stop + 1]))
    dense[owner * width + column_map[indices]] = matrix.data[entries]
    return BlockLayout(start, dense, column_map, width)


def _layout_dot(layout: BlockLayout, matrix: sparse.csr_matrix, block: CandidateBlock) -> np.ndarray:
    """Dot products of the pairs' rows: each entry of row ``b`` looked up in row ``a``'s layout."""
    starts, lengths = _row_spans(matrix, block.rows_b)
    entry, pair = _expand(starts, lengths)
    position = np.repeat((block.rows_a - layout.start).astype("int64") * layout.width, lengths)
    position += layout.column_map[matrix.indices[entry]]
    if matrix.dtype == bool:
        return np.bincount(pair[layout.dense[position]], minlength=len(block.rows_a)).astype("float64")
    return np.bincount(pair, weights=matrix.data[entry] * layout.dense[position], minlength=len(block.rows_a))


def _text_outlets(texts: UniqueTexts, outlets: np.ndarray) -> TextOutlets:
    """Rows per distinct text and outlet, and the first such row (outlet -1 is allowed)."""
    width = int(outlets.max(initial=-1)) + 2
    keys, first_row, n_rows = np.unique(texts.codes * width + outlets + 1, return_index=True, return_counts=True)
    indptr = np.searchsorted(keys // width, np.arange(len(texts.counts) + 1))
    counts = sparse.csr_matrix((n_rows, keys % width, indptr), shape=(len(texts.counts), width))
    return TextOutlets(counts, first_row)


def _cross_outlet_row_pairs(block: CandidateBlock, start: int, per_outlet: TextOutlets) -> int:
    """Ordered pairs of sentence rows of different outlets that the text pairs of a block
    (both orders, and each text with itself, rows ``a`` ascending) stand for: over all blocks
    each unordered pair of rows is counted twice. The rows per outlet of the texts paired
    with each text of the block are one sparse product (pairs x rows per outlet).

    Example:
        >>> texts = UniqueTexts(np.array([0, 1, 1]), np.array([1, 2]), np.array([0, 1, 2]))
        >>> per_outlet = _text_outlets(texts, np.array([0, 0, 1]))
        >>> block = CandidateBlock(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.ones(4))
        >>> _cross_outlet_row_pairs(block, 0, per_outlet)  # rows 0-2 and 1-2, both ways
        4
    """
    counts = per_outlet.counts
    n_texts = min(BLOCK_ROWS, counts.shape[0] - start)
    text_starts = np.arange(start, start + n_texts + 1, dtype=block.rows_a.dtype)  # rows are not cast
    pairs_per_text = np.diff(np.searchsorted(block.rows_a, text_starts))
    paired = sparse.csr_matrix((np.ones(len(block.rows_b), dtype=counts.dtype), block.rows_b,
                                np.concatenate([[0], np.cumsum(pairs_per_text)])), shape=(n_texts, counts.shape[0]))
    reached = (paired @ counts).toarray()
    own = counts[start:start + n_texts].toarray()
    return int((own.sum(axis=1) * reached.sum(axis=1)).sum() - (own * reached).sum())


def _best_targets(groups, targets, scores, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Per group: the highest score, then the lowest target among those; target -1 and
    score 0 for a group without entries. (Unbuffered ufunc reductions: no sorting.)"""
    best_score = np.full(n_groups, -np.inf)
    np.maximum.at(best_score, groups, scores)
    at_best = scores == best_score[groups]
    best_target = np.full(n_groups, np.iinfo("int64").max)
    np.minimum.at(best_target, groups[at_best], targets[at_best])
    found = best_target < np.iinfo("int64").max
    return np.where(found, best_target, -1), np.where(found, best_score, 0.0)


def _block_best_per_outlet(found: CandidateBlock, start: int, texts: UniqueTexts, text_start: np.ndarray, outlets,
                           per_outlet: TextOutlets) -> CandidateBlock:
    """Rows of the block's texts paired with the most similar row of each other outlet
    (ties: the first row): per (text, outlet) the best target row, then given to each row of
    the text outside that outlet (``text_start``: where each text's rows begin in
    ``texts.row_order``)."""
    counts = per_outlet.counts
    entry, pair = _expand(*_row_spans(counts, found.rows_b))
    n_texts = min(BLOCK_ROWS, counts.shape[0] - start)
    groups, keys = _number_keys((found.rows_a[pair] - start) * counts.shape[1] + counts.indices[entry],
                                n_texts * counts.shape[1])
    target_row, score = _best_targets(groups, per_outlet.first_row[entry], found.products[pair], len(keys))
    source, outlet = keys // counts.shape[1] + start, keys % counts.shape[1] - 1
    position, owner = _expand(text_start[source], texts.counts[source])
    rows = texts.row_order[position]
    keep = outlets[rows] != outlet[owner]
    return CandidateBlock(rows[keep].astype("int32"), target_row[owner][keep].astype("int32"), score[owner][keep])


def _number_keys(keys: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """Numbers 0..k-1 of the distinct ``keys`` (whole numbers below ``n_keys``) in ascending
    order of key, and those keys (``pd.factorize(keys, sort=True)``); when there are at most
    KEY_CHUNK possible keys, by marking them in a table (no hashing).

    Example:
        >>> [part.tolist() for part in _number_keys(np.array([5, 2, 5, 0]), 6)]
        [[2, 1, 2, 0], [0, 2, 5]]
    """
    if n_keys > KEY_CHUNK:
        return pd.factorize(keys, sort=True)
    present = np.zeros(n_keys, dtype=bool)
    present[keys] = True
    return (np.cumsum(present) - 1)[keys], np.flatnonzero(present)


def _unique_pairs(found: list[CandidateBlock], rank: np.ndarray) -> pd.DataFrame:
    """Unordered pairs ``row_a < row_b`` once each (the score of the first entry), sorted by
    the ``rank`` of row ``a``, then of row ``b``. The pairs are taken a share of ``a`` ranks
    at a time, so only that share is ever sorted (on one integer key; among equal keys the
    first entry is kept), and the shares come in order."""
    rows_a = np.concatenate([np.empty(0, dtype="int32"), *(block.rows_a for block in found)])
    rows_b = np.concatenate([np.empty(0, dtype="int32"), *(block.rows_b for block in found)])
    products = np.concatenate([np.empty(0), *(block.products for block in found)])
    found.clear()
    low, high = np.minimum(rows_a, rows_b), np.maximum(rows_a, rows_b)
    del rows_a, rows_b
    n_rows = len(rank)
    rank_a = rank[low]
    bounds = np.linspace(0, n_rows, PAIR_SHARES + 1).astype("int64")
    parts = [np.empty(0, dtype="int64")]
    for share_start, share_stop in zip(bounds[:-1], bounds[1:]):
        at = np.flatnonzero((rank_a >= share_start) & (rank_a < share_stop))
        key = rank_a[at] * n_rows + rank[high[at]]
        order = np.argsort(key)
        runs = np.flatnonzero(np.diff(key[order], prepend=-1))  # keys are >= 0
        parts.append(np.minimum.reduceat(at[order], runs) if len(at) else at)
    first = np.concatenate(parts)
    return pd.DataFrame({"row_a": low[first], "row_b": high[first], "similarity": products[first]})


def _pairs_table(table: pd.DataFrame, found: list[CandidateBlock]) -> pd.DataFrame:
    """The keys of both sentences of each pair (:func:`_unique_pairs` of the pairs
    ``found``), sorted by sentence ``a`` then ``b`` (ranks of the sentence keys, so the pairs
    table itself is never sorted on strings). Article ids and outlets are categorical over
    the table's sorted values, so each row holds small codes."""
    articles, article_names = pd.factorize(table["article_id"], sort=True)
    outlets, outlet_names = pd.factorize(table["outlet"], sort=True)
    indexes = table["sentence_index"].to_numpy(dtype="int64")
    rank = np.empty(len(table), dtype="int64")
    rank[np.lexsort((indexes, articles))] = np.arange(len(table))
    best = _unique_pairs(found, rank)
    del rank
    columns = {}
    for side in ("a", "b"):
        rows = best[f"row_{side}"].to_numpy()
        columns[f"article_id_{side}"] = pd.Categorical.from_codes(articles.astype("int32")[rows], article_names)
        columns[f"sentence_index_{side}"] = indexes.astype("int32")[rows]
        columns[f"outlet_{side}"] = pd.Categorical.from_codes(outlets.astype("int32")[rows], outlet_names)
    return pd.DataFrame(columns | {"similarity": best["similarity"].to_numpy()})[PAIR_COLUMNS]


def _shingle_sets(table: pd.DataFrame, words: TextWords | None, reference: str | None, *,
                  shingle: int) -> ShingleSets:
    """Shingle sets of the distinct texts (and the reference), split by how many sentences
    hold each shingle. Words made here are released before the split."""
    tokens = text_words(table["text"]) if words is None else _checked_words(words, table)
    texts, coded = _unique_texts(tokens if reference is None else tokens.with_text(reference))
    del tokens
    shingles = _ngram_parts(coded, len(texts.counts), ngram_range=(shingle, shingle), stopwords=False, stem=False,
                            first_appearance=False)[0]
    del coded
    shingles.data[:] = 1.0
    document_frequency = shingles.T @ texts.counts.astype("float64")
    uncommon = document_frequency <= MAX_NGRAM_SENTENCES
    common = sparse.csr_matrix(shingles[:, np.flatnonzero(~uncommon)], dtype=bool)
    common.sum_duplicates()
    sizes = np.diff(shingles.indptr)
    shingles = shingles[:, np.flatnonzero(uncommon)]
    return ShingleSets(texts, sizes, sparse.csr_matrix(shingles, dtype="int32"), common, np.diff(common.indptr),
                       _common_bits(common))


def _common_bits(common: sparse.csr_matrix) -> CommonBits:
    """:class:`CommonBits` of the rows of a boolean set matrix.

    Example:
        >>> from scipy import sparse
        >>> bits = _common_bits(sparse.csr_matrix(np.array([[1, 0, 1], [0, 1, 0]], dtype=bool)))
        >>> bits.words[0].tolist(), bits.clashes.tolist()
        ([5, 2], [0, 0])
    """
    n_texts = common.shape[0]
    words = tuple(np.zeros(n_texts, dtype="uint64") for _ in range(COMMON_BITS // 64))
    for start in range(0, n_texts, KEY_CHUNK // 64):  # a share of the rows at a time: bounded memory
        part = common[start:start + KEY_CHUNK // 64]
        filled = np.flatnonzero(np.diff(part.indptr))
        if not len(filled):
            continue
        bit = part.indices % COMMON_BITS
        value = np.left_shift(np.uint64(1), (bit % 64).astype("uint64"))
        for number, word in enumerate(words):  # each row's bits joined by one reduction over its entries
            in_word = np.where(bit // 64 == number, value, np.uint64(0))
            word[start + filled] = np.bitwise_or.reduceat(in_word, part.indptr[filled])
    n_bits = sum(np.bitwise_count(word).astype("int64") for word in words)
    return CommonBits(words, (np.diff(common.indptr) - n_bits).astype("int32"))


def _shared_common_bound(bits: CommonBits, rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
    """Upper bound on the common shingles each pair of texts shares (see :class:`CommonBits`)."""
    bound = np.minimum(bits.clashes[rows_a], bits.clashes[rows_b])
    for word in bits.words:  # at most 64 bits each: counted in uint8, added in place
        bound += np.bitwise_count(word[rows_a] & word[rows_b])
    return bound


def _text_partners(sets: ShingleSets, outlets: np.ndarray) -> Partners:
    """Best partners of every distinct text by containment, one block of texts at a time
    (pairs sharing an uncommon shingle; the common shingles they share are counted by
    lookup, so those never multiply the pairs)."""
    targets = _text_targets(sets.texts.codes, outlets)
    missing, zeros = np.full(len(sets.sizes), -1, dtype="int64"), np.zeros(len(sets.sizes))
    partners = Partners(missing, zeros, missing.copy(), zeros.copy())
    for start, block in _text_pairs(sets.uncommon):
        found = _block_containment(block, start, sets, targets)
        _block_partners(partners, found, start, targets, outlets)
    return partners


def _pair_bounds(block: CandidateBlock, start: int, sets: ShingleSets, targets: TextTargets) -> PairBounds:
    """:class:`PairBounds` of a block's pairs. A pair counts only when one of the paired
    text's rows lies outside the home outlet of the block's text (:class:`TextTargets`);
    the best lower bound of those bounds the text's best score from below, and a text with
    rows in several outlets reaches 1 with itself (all its shingles shared)."""
    texts = slice(start, min(start + BLOCK_ROWS, len(sets.sizes)))
    text_starts = np.arange(texts.start, texts.stop + 1, dtype=block.rows_a.dtype)  # rows are not cast
    pairs_per_text = np.diff(np.searchsorted(block.rows_a, text_starts))
    home = targets.home[texts]
    used = targets.home[block.rows_b] != np.repeat(np.where(home < 0, -2, home), pairs_per_text)
    smaller = np.minimum(np.repeat(sets.sizes[texts], pairs_per_text), sets.sizes[block.rows_b])
    known = block.products / smaller
    known *= used
    floor = np.zeros(len(pairs_per_text))
    paired = np.flatnonzero(pairs_per_text)
    floor[paired] = np.maximum.reduceat(known, (np.cumsum(pairs_per_text) - pairs_per_text)[paired])
    floor[home < 0] = 1.0
    floor[floor == 0] = np.inf  # no pair shares an uncommon shingle, or none can be a partner
    possible = np.minimum(np.repeat(sets.common_sizes[texts], pairs_per_text), sets.common_sizes[block.rows_b])
    return PairBounds(block, pairs_per_text, used, smaller, possible, known, possible == 0, floor)


def _block_containment(block: CandidateBlock, start: int, sets: ShingleSets, targets: TextTargets) -> CandidateBlock:
    """Exact containment of the pairs of a block that can be a text's partner or runner-up.

    The uncommon shingles shared (``products``) give a lower bound, exact when the pair
    can share no common shingle; adding every common shingle the smaller side holds gives
    an upper bound (:class:`PairBounds`). A row's partner is the best pair of its text
    pointing outside the row's outlet; each text reaches at least the highest score known
    for it, so a pair whose bound is below that is neither partner nor runner-up. The
    common shingles are looked up first for the pair of each text with the highest lower
    bound, which raises that score; then the pairs still in the race are bounded by the
    texts' :class:`CommonBits`, the one of each text with the highest bound is looked up,
    which raises it again, and then the pairs still in it. The pairs returned are those
    reaching the score known before that last lookup, all exact.
    """
    pairs = _pair_bounds(block, start, sets, targets)
    layout = _block_layout(sets.common, start)
    _settle(pairs, _first_reaching(pairs), layout, sets.common, start)
    floor = np.repeat(pairs.floor, pairs.pairs_per_text)
    in_reach = np.flatnonzero(pairs.used & ((block.products + pairs.possible) / pairs.smaller >= floor))
    is_exact = pairs.exact[in_reach]
    racing, reached = in_reach[~is_exact], in_reach[is_exact]
    rows_a, rows_b = block.rows_a[racing], block.rows_b[racing]
    bound = np.minimum(pairs.possible[racing], _shared_common_bound(sets.common_bits, rows_a, rows_b))
    bound = (block.products[racing] + bound) / pairs.smaller[racing]
    likeliest = racing[_text_leaders(rows_a, bound)]
    _settle(pairs, likeliest, layout, sets.common, start)
    floor = pairs.floor.copy()
    last = racing[~pairs.exact[racing] & (bound >= floor[rows_a - start])]
    _settle(pairs, last, layout, sets.common, start)
    exact = np.sort(np.concatenate([reached, likeliest, last]))
    exact = exact[pairs.known[exact] >= floor[block.rows_a[exact] - start]]  # each pair reaching it was looked up
    return CandidateBlock(block.rows_a[exact], block.rows_b[exact], pairs.known[exact])


def _first_reaching(pairs: PairBounds) -> np.ndarray:
    """Position of the first pair of each text whose lower bound reaches the text's floor
    (for a text in one outlet, the pair that set it), where that bound is not exact yet."""
    at = np.flatnonzero(pairs.known == np.repeat(pairs.floor, pairs.pairs_per_text))
    first = at[np.diff(pairs.block.rows_a[at], prepend=-1) > 0]
    return first[~pairs.exact[first]]


def _text_leaders(rows: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Position of the highest score of each text (``rows`` ascending; ties: the first).

    Example:
        >>> _text_leaders(np.array([0, 0, 0, 2, 2]), np.array([0.5, 0.7, 0.7, 0.1, 0.0])).tolist()
        [1, 3]
    """
    if not len(rows):
        return np.empty(0, dtype="int64")
    starts = np.flatnonzero(np.diff(rows, prepend=rows[0] - 1))
    highest = np.repeat(np.maximum.reduceat(scores, starts), np.diff(starts, append=len(rows)))
    at = np.flatnonzero(scores == highest)
    return at[np.diff(rows[at], prepend=rows[0] - 1) > 0]


def _settle(pairs: PairBounds, chosen: np.ndarray, layout: BlockLayout, common: sparse.csr_matrix,
            start: int) -> None:
    """Look up the exact containment of the chosen pairs (positions), in place: uncommon
    plus common shingles shared; raise the floor of their texts."""
    chosen_pairs = _subset(pairs.block, chosen)
    pairs.known[chosen] = (chosen_pairs.products + _layout_dot(layout, common, chosen_pairs)) / pairs.smaller[chosen]
    pairs.exact[chosen] = True
    np.maximum.at(pairs.floor, chosen_pairs.rows_a - start, pairs.known[chosen])


def _partner_entries(found: CandidateBlock, start: int, targets: TextTargets) -> CandidateBlock:
    """A block's pairs as (text - start, row, score): each paired text by its first row, and
    by its first row outside that row's outlet when it has one."""
    second_row = targets.second_row[found.rows_b]
    has_second = second_row >= 0
    return CandidateBlock(np.concatenate([found.rows_a, found.rows_a[has_second]]) - start,
                          np.concatenate([targets.first_row[found.rows_b], second_row[has_second]]),
                          np.concatenate([found.products, found.products[has_second]]))


def _text_targets(codes: np.ndarray, outlets: np.ndarray) -> TextTargets:
    """:class:`TextTargets` of the texts numbered ``codes`` (one per row). Of a text paired
    with a row's text only its first row and its first row outside that row's outlet can
    be the row's partner."""
    n_texts = int(codes.max(initial=-1)) + 1
    first_row, _ = _best_targets(codes, np.arange(len(codes)), np.zeros(len(codes)), n_texts)
    outside = np.flatnonzero(outlets != outlets[first_row[codes]])
    second_row, _ = _best_targets(codes[outside], outside, np.zeros(len(outside)), n_texts)
    first_outlet = (outlets[first_row] + 1).astype("int32")
    second_outlet = np.where(second_row >= 0, outlets[second_row] + 1, -1).astype("int32")
    return TextTargets(first_row, second_row, first_outlet, second_outlet, np.where(second_row < 0, first_outlet, -1))


def _block_partners(partners: Partners, found: CandidateBlock, start: int, targets: TextTargets, outlets) -> None:
    """Fill in (in place) the partners of the block's texts from all their pairs."""
    source, target, score = _partner_entries(found, start, targets)
    block = slice(start, min(start + BLOCK_ROWS, len(targets.first_row)))
    best, best_score = _best_targets(source, target, score, block.stop - block.start)
    other = outlets[target] != outlets[best[source]]
    runner_up, runner_up_score = _best_targets(source[other], target[other], score[other], block.stop - block.start)
    partners.best[block], partners.best_score[block] = best, best_score
    partners.runner_up[block], partners.runner_up_score[block] = runner_up, runner_up_score


def _row_partners(partners: Partners, codes: np.ndarray, outlets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every row, the partner of its text unless that one is in the row's own outlet,
    then the runner-up; -1 and 0 when there is none."""
    best = partners.best[codes]
    use_best = (best >= 0) & (outlets != outlets[best])
    return (np.where(use_best, best, partners.runner_up[codes]),
            np.where(use_best, partners.best_score[codes], partners.runner_up_score[codes]))


def _shared_table(table, partner, similarity, sizes, *, min_similarity, min_shingles) -> pd.DataFrame:
    n_sentences = len(table)
    partner, similarity = partner[:n_sentences], similarity[:n_sentences]
    key = table[SENTENCE_KEY[:3]].reset_index(drop=True)
    reference = pd.DataFrame({"article_id": [REFERENCE_ID], "sentence_index": [pd.NA], "outlet": [REFERENCE_ID]})
    matched = pd.concat([key, reference], ignore_index=True).reindex(partner).reset_index(drop=True)
    long_enough = sizes[:n_sentences] >= min_shingles
    result = key.assign(
        is_shared_copy=(partner >= 0) & (similarity >= min_similarity) & long_enough,
        matched_article_id=matched["article_id"].astype("str"),
        matched_sentence_index=matched["sentence_index"].astype("Int64"),
        matched_outlet=matched["outlet"].astype("str"),
        similarity=similarity,
    )
    result.index = table.index
    return result[SHARED_COLUMNS]


def _sentence_rows(table: pd.DataFrame, article_ids, sentence_indexes) -> np.ndarray:
    """Positions in ``table`` of the sentences named by (article_id, sentence_index)."""
    def key(ids, indexes) -> pd.MultiIndex:
        return pd.MultiIndex.from_arrays([pd.Series(ids).astype(str), pd.Series(indexes).astype("int64")])

    wanted = key(article_ids, sentence_indexes)
    rows = key(table["article_id"], table["sentence_index"]).get_indexer(wanted)
    if (rows < 0).any():
        missing = tuple(wanted[np.flatnonzero(rows < 0)[0]])
        raise CorpusError(None, f"aligned pairs name sentence {missing}, which is not in the sentences table")
    return rows


def _aligned_fact_evidence(table: pd.DataFrame, pairs: pd.DataFrame, *, grouping: str) -> pd.DataFrame:
    require_columns(pairs, PAIR_COLUMNS, "aligned pairs")
    rows_a = _sentence_rows(table, pairs["article_id_a"], pairs["sentence_index_a"])
    rows_b = _sentence_rows(table, pairs["article_id_b"], pairs["sentence_index_b"])
    similarity = pairs["similarity"].to_numpy(dtype="float64")
    graph = sparse.coo_matrix((similarity, (rows_a, rows_b)), shape=(len(table), len(table)))
    graph = sparse.csr_matrix(graph + graph.T)
    strength = np.asarray(graph.sum(axis=1)).ravel()
    if grouping == "stars":
        component = star_groups(graph, strength)
    else:
        _, component = csgraph.connected_components(graph, directed=False)
    linked = np.flatnonzero(np.diff(graph.indptr) > 0)
    members = pd.DataFrame({"row": linked, "component": component[linked], "strength": strength[linked],
                            "outlet": table["outlet"].to_numpy()[linked]})
    return _label_components(table, members)


def star_groups(graph: sparse.csr_matrix, strength: np.ndarray) -> np.ndarray:
    """Group the nodes of a similarity graph without chaining: each group is a centre and the
    nodes it links to directly.

    Nodes are taken by strength (sum of their similarities; ties by position). A node not in a
    group yet opens one and takes every neighbour not in a group yet. A centre left alone (its
    neighbours all taken) joins the group of its most similar neighbour. So every member is
    one link from its centre, or two for those joiners, however large the corpus.

    Args:
        graph: symmetric sparse similarities (CSR), one row per node.
        strength: each node's strength.

    Returns:
        The group of each node (-1 for a node with no link): numbers in the order the
        groups were opened, with gaps where a lone centre joined another group.

    Example:
        >>> chain = sparse.csr_matrix(np.eye(5, k=1) + np.eye(5, k=-1))  # 0-1-2-3-4
        >>> star_groups(chain, np.asarray(chain.sum(axis=1)).ravel()).tolist()
        [0, 0, 0, 1, 1]
        >>> edges = sparse.csr_matrix(([1.0] * 6, ([0, 1, 0, 2, 1, 3], [1, 0, 2, 0, 3, 1])), shape=(5, 5))
        >>> star_groups(edges, np.asarray(edges.sum(axis=1)).ravel()).tolist()  # 3 joins 1's group
        [0, 0, 0, 0, -1]
    """
    group = np.full(graph.shape[0], -1, dtype="int64")
    indptr, indices, data = graph.indptr, graph.indices, graph.data
    linked = np.flatnonzero(np.diff(indptr) > 0)
    order = linked[np.lexsort((linked, -strength[linked]))]
    opened, alone = 0, []
    for node in order.tolist():
        if group[node] >= 0:
            continue
        neighbours = indices[indptr[node]:indptr[node + 1]]
        free = neighbours[group[neighbours] < 0]
        group[node] = opened
        if len(free) == 0 or (len(free) == 1 and free[0] == node):
            alone.append(node)
        group[free] = opened
        opened += 1
    for node in alone:  # join the most similar neighbour's group (ties: the first neighbour)
        start, end = indptr[node], indptr[node + 1]
        others = indices[start:end] != node
        group[node] = group[indices[start:end][others][np.argmax(data[start:end][others])]]
    return group


def _label_components(table: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Number components by outlets reached, then size; label each by its best-linked sentence."""
    summary = members.groupby("component").agg(
        outlets=("outlet", "nunique"), size=("row", "size"), first=("row", "min"))
    order = summary.sort_values(["outlets", "size", "first"], ascending=[False, False, True]).index
    number = pd.Series(np.arange(1, len(order) + 1), index=order)
    best_linked = members.sort_values(["strength", "row"], ascending=[False, True]).drop_duplicates("component")
    label_text = dict(zip(best_linked["component"], table["text"].to_numpy(dtype=object)[best_linked["row"]]))
    terms = {component: f"A{number[component]}" for component in order}
    facts = {component: f"{terms[component]}: {_shorten(label_text[component])}" for component in order}
    members = members.assign(number=members["component"].map(number)).sort_values(["number", "row"])
    return _evidence_rows(
        table, members["row"].to_numpy(), members["component"].map(facts).to_numpy(dtype=object),
        source="alignment", category="aligned fact", terms=members["component"].map(terms).to_numpy(dtype=object),
    )


def _shorten(text: str, width: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _evidence_rows(table, rows, facts, *, source, category, terms) -> pd.DataFrame:
    """Evidence rows citing whole sentences: article offsets from ``start/end`` when the
    table has them, else offsets within the sentence."""
    chosen = table.iloc[rows].reset_index(drop=True)
    texts = chosen["text"].astype(str)
    start = chosen["start"].to_numpy(dtype="int64") if "start" in chosen else np.zeros(len(chosen), dtype="int64")
    end = chosen["end"].to_numpy(dtype="int64") if "end" in chosen else texts.str.len().to_numpy(dtype="int64")
    return pd.DataFrame({
        "source": source, "fact": pd.Series(facts, dtype="str"), "article_id": chosen["article_id"],
        "outlet": chosen["outlet"], "sentence_index": chosen["sentence_index"], "start": start, "end": end,
        "match": texts, "category": category, "term": pd.Series(terms, dtype="str"), "sentence": texts,
    })


def _coverage_matrix(evidence: pd.DataFrame, fact_order: list[tuple[str, str]], outlets: list) -> pd.DataFrame:
    sentences = evidence.drop_duplicates(["source", "fact", "article_id", "sentence_index"])
    counts = sentences.groupby(["source", "fact", "outlet"]).size().unstack("outlet", fill_value=0)
    index = pd.MultiIndex.from_tuples(fact_order, names=["source", "fact"])
    matrix = counts.reindex(index=index, columns=outlets, fill_value=0).astype("int64")
    matrix.columns.name = "outlet"
    return matrix


def _codebook_fact_evidence(table: pd.DataFrame, codebook) -> tuple[pd.DataFrame, list[str]]:
    matches = find_matches(table, codebook, sections=("facts",))
    evidence = matches.assign(source="codebook", fact=matches["term"])
    return evidence[EVIDENCE_COLUMNS], [fact.name for fact in codebook.facts]

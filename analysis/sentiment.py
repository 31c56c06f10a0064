"""Sentence-level VADER sentiment per outlet, voice, actor and position, with intervals.

Every score is VADER's own ``polarity_scores`` of one sentence's ORIGINAL text (no lower
casing, no stripping): VADER reads capitals, ``!`` and ``?`` as emphasis, so any
preprocessing would change the numbers. Summaries average sentence scores, never a whole
article scored at once (see :func:`summarise`), and come with n and 95% intervals from
:mod:`analysis.stats`. The scorer skips only work that cannot change a score (see
:class:`_ExactFastVader`), so its scores are exactly vaderSentiment 3.3.2's, and tables
score each distinct text once.

Whose sentiment is it? :func:`split_voices` cuts each sentence into narrator text and
quoted speech, so an outlet's own tone can be told apart from the tone of those it quotes.
:func:`lexicon_coverage` and :func:`unknown_codebook_terms` say how much of the text and of
the codebook VADER can see at all; report them beside the scores.

Example:
    >>> scores = score_sentences(["The talks were GREAT!!!", "Moscow takes the proposals very seriously."])
    >>> scores.compound.tolist()
    [0.7723, -0.2484]
"""
from __future__ import annotations

import math
import string
from functools import lru_cache
from itertools import compress
from operator import itemgetter
from typing import Callable, Iterable, NamedTuple, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from tqdm import tqdm
from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT, C_INCR, N_SCALAR, NEGATE, SPECIAL_CASES, SentimentIntensityAnalyzer, normalize,
)

from analysis.codebook import REGEX_PREFIX, Codebook
from analysis.errors import CodebookError, CorpusError, require_columns
from analysis.stats import DEFAULT_SEED, add_share_columns, bootstrap_mean_ci, proportion_ci, share_design_effects
from analysis.tokens import WORD_PATTERN

SCORE_COLUMNS = ("compound", "pos", "neu", "neg")
# VADER's documented cut-offs for calling a compound score positive or negative.
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05
SUMMARY_COLUMNS = (
    "n", "n_articles", "mean_compound", "compound_low", "compound_high",
    "n_positive", "share_positive", "positive_low", "positive_high",
    "n_negative", "share_negative", "negative_low", "negative_high",
)
SENTENCE_KEY = ("article_id", "sentence_index")
# Quotation kinds whose words are someone else's speech; scare quotes stay narrator voice.
QUOTED_KINDS = ("direct", "partial")
VOICES = ("narrator", "quoted")
POSITIONS = ("headline", "lead", "body")
# Typographic marks VADER does not strip (it strips ASCII punctuation only), so a word glued
# to one, as in ``“invade”``, is invisible to its lexicon.
UNSTRIPPED_MARKS = "“”‘’«»„‟‹›…—–"
# pandas' default string dtype (Arrow storage, NaN for missing).
_DEFAULT_STRING = pd.StringDtype("pyarrow", na_value=np.nan)
_ASCII_WORD_CHARACTER = "[0-9A-Za-z_]"
_MISSING_TEXT = "every sentence must be a string (found a missing or non-text value)"
# Table names used in error messages.
SENTENCES, QUOTATIONS, PIECES, EVIDENCE, SCORED = (
    "sentences table", "quotations table", "voice pieces table", "evidence table", "scored table",
)


# Lower-cased words that can change the valence VADER gives a lexicon word near them (see
# _ExactFastVader, step 4), by how far ahead of them that word may be. Boosters and dampeners,
# negations ("n't" is checked apart), "no", "never so" and "without doubt", and one word of
# each booster phrase ("kind of") reach the 3 words after them; "least" and the "this" of
# VADER 3.3.2's "so/this just before a word multiplies it by 1.25" rule reach the next word
# only; one word of each multi-word idiom ("the bomb") reaches 2 words back and 3 ahead (an
# idiom can only match if all its words are near).
_IDIOM_KEY_WORDS = ("shit", "bomb", "ass", "bus", "yeah", "kiss", "die", "beating")
_NEXT_THREE_CHANGERS = frozenset(
    {word for word in BOOSTER_DICT if " " not in word} | {word.lower() for word in NEGATE}
    | {"no", "never", "without", "so", "kind", "sort", "enough"}
)
_NEXT_WORD_CHANGERS = frozenset({"least", "this"})
_VALENCE_CHANGERS = _NEXT_THREE_CHANGERS | _NEXT_WORD_CHANGERS | set(_IDIOM_KEY_WORDS)
# VADER's idioms and booster phrases of several words each hold one of these words (its
# idiom check cannot match where none is near), and the word lists of its other rules.
_PHRASE_KEY_WORDS = frozenset({*_IDIOM_KEY_WORDS, "kind", "sort", "enough"})
_NEGATIONS = frozenset(NEGATE)
_SO_THIS = ("so", "this")
_OR_NOR = ("or", "nor")
_AT_VERY = ("at", "very")
_IDIOM_REACH = (-2, -1, 0, 1, 2, 3)
_NEXT_THREE_REACH = (1, 2, 3)
_NEXT_WORD_REACH = (1,)


# Texts scored together by _ExactFastVader.polarity_rows (its arrays hold about 25 chunks a
# text, some 40 bytes each).
_MAX_BATCH_TEXTS = 50_000
# Distinct chunks whose VADER facts are kept (about 100 MB at most), and distinct valence
# lists whose scores are kept (about 80 MB at most).
_MAX_CACHED_CHUNKS = 500_000
_MAX_CACHED_SCORES = 200_000


# VADER's scores of a text with words but no valence (its score_valence, every sentiment 0).
_ALL_NEUTRAL = {"neg": 0.0, "neu": 1.0, "pos": 0.0, "compound": 0.0}
# The same scores as a row of SCORE_COLUMNS.
_NEUTRAL_ROW = (0.0, 0.0, 1.0, 0.0)
# Characters Python's str.split() splits on that Arrow's ascii_split_whitespace does not.
_SPACES_ONLY_PYTHON_SPLITS = "[\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
# Offsets from a valence changer of the words it may change, with the shortest reach (see
# _reach: 1, 3 or 6 words) that gets there.
_SHORTEST_REACH_BY_OFFSET = {offset: min(len(reach) for reach in (_NEXT_WORD_REACH, _NEXT_THREE_REACH, _IDIOM_REACH)
                                         if offset in reach)
                             for offset in _IDIOM_REACH}


class _ExactFastVader(SentimentIntensityAnalyzer):
    """VADER with a faster ``polarity_scores`` that returns exactly the library's scores.

    Adapted from ``polarity_scores`` of vaderSentiment 3.3.2 (C.J. Hutto, MIT licence,
    https://github.com/cjhutto/vaderSentiment); VADER's methods ``sentiment_valence``
    (with the checks it calls), ``_but_check`` and ``score_valence`` are written again step
    for step, in their order and with their very arithmetic, so every float is the same
    (:func:`_valence_by_rules`, :func:`_weigh_around_but`, :func:`_key_scores`; tests
    compare them with the library's on thousands of texts dense in their rules). Only work
    whose result cannot matter is skipped, which is why the scores are identical:

    1. The emoji step copies the text one character at a time, replacing emoji by their
       descriptions, then strips it. A text holding no emoji character (every ASCII text:
       no emoji is ASCII) comes out stripped only, which changes neither its tokens nor the
       ``!`` and ``?`` that ``score_valence`` counts, so the step is skipped; a text holding
       an emoji is scored by the library's own method.
    2. VADER appends valence 0 for booster words, for "kind" before "of", and (inside
       ``sentiment_valence``) for every word not in its lexicon, about 94% of news tokens.
       Here the list starts as each word's lexicon valence (the same int 0 for those words;
       no lexicon valence is 0) and only the words some rule may touch are looked at again,
       those checks made in VADER's order.
    3. ``sentiment_valence`` and the checks it calls read only the words from 3 before to
       2 after the scored one (``i - 3 .. i + 2``: negation, "no", boosters, idioms,
       "least"), but lower-case the whole sentence several times per word and build every
       idiom string. :func:`_valence_by_rules` reads the lower-cased words once made, and
       builds the idiom strings only where a word of some idiom is near (none can match
       elsewhere).
    4. Only a word within the reach of one of :data:`_VALENCE_CHANGERS` (or of a word
       holding "n't"), or in capitals among mixed case, runs those rules: for any other,
       every rule adds 0.0 or leaves the value alone, so its valence is the lexicon's.
       The word "no" itself, out of every reach, takes 0.0 when a lexicon word follows
       (VADER then negates that word instead) and its lexicon valence otherwise.
    5. ``_but_check`` changes nothing when no word is "but", so it runs only when one is,
       as :func:`_weigh_around_but` (its own steps on the non-zero values only; the
       lower-cased words are already known).
       When every valence is 0 (a third of news sentences), ``score_valence`` gives
       ``neg 0, neu 1, pos 0, compound 0`` whatever the punctuation (emphasis is added only
       to a non-zero sum), so that is returned without it. Otherwise its scores depend
       only on the non-zero valences in order (adding a zero changes no sum), the number
       of zeros and the counts of ``!`` and ``?``: they are worked out once per distinct
       such key, by :func:`_key_scores`.
    6. ``SentiText``'s tokens (whitespace split, ASCII punctuation stripped unless that
       leaves 2 characters or fewer) and what is looked up for each (lower case, capitals,
       valence, reach) are worked out once per distinct chunk (:class:`_ChunkFacts`);
       ``is_cap_diff`` (some but not all tokens in capitals) is counted from them. Each
       chunk's valence and whether it can make any rule change a valence
       (:func:`_needs_rules`) are also kept in dicts of their own (:class:`_ChunkField`):
       a text with no valence, or with valences but no chunk that needs a rule (three
       fifths of news sentences), is scored from them alone.
    7. :meth:`polarity_rows` scores many texts at once. Arrow splits them all on ASCII
       whitespace (a text holding another space Python splits on goes to ``polarity_scores``,
       as does one holding an emoji) and the facts are looked up once per distinct chunk.
       Numpy then applies the word rules of steps 2-4 to the lexicon words they can reach
       (:func:`_word_rules`; a text holding a word of an idiom or booster phrase is left
       out when a rule is at work in it), the "but" rule where VADER's first-equal-value search
       finds each value itself (:func:`_weighed_around_but`), and works out
       ``score_valence`` for all those texts at once (:func:`_lexicon_scores`), each step
       with VADER's very operations in its order and rounding as Python's ``round`` does.
       Only the texts left out are scored one by one (a few in a thousand news sentences).

    Example:
        >>> text = "The talks were NOT good, but not a disaster!!"
        >>> _ExactFastVader().polarity_scores(text) == SentimentIntensityAnalyzer().polarity_scores(text)
        True
    """

    def __init__(self) -> None:
        super().__init__()
        self._emoji_characters = frozenset(self.emojis)
        self._chunk_facts = _ChunkFacts(self.lexicon)
        self._chunk_valences = _ChunkField(self._chunk_facts, _valence)
        self._chunk_needs_rules = _ChunkField(self._chunk_facts, _needs_rules)
        self._scores_by_key: dict[tuple, dict[str, float]] = {}

    def polarity_scores(self, text: str) -> dict[str, float]:
        """VADER's ``neg, neu, pos, compound`` of ``text``, equal to the library's."""
        if not text.isascii() and not self._emoji_characters.isdisjoint(text):
            return super().polarity_scores(text)
        chunks = text.split()
        valences = list(map(self._chunk_valences.__getitem__, chunks))
        if not any(valences):
            return dict(_ALL_NEUTRAL) if chunks else self.score_valence([], text)
        if any(map(self._chunk_needs_rules.__getitem__, chunks)):
            self._apply_rules(valences, chunks)
        return self._scores(valences, text)

    def polarity_rows(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """VADER's scores of each text as rows of :data:`SCORE_COLUMNS`, equal to ``polarity_scores``
        text by text (step 7), :data:`_MAX_BATCH_TEXTS` texts at a time (:meth:`_batch_rows`).

        Example:
            >>> texts = ["Good talks!", "Not good.", "Talks.", "NO deal, but GOOD"]
            >>> rows = _ExactFastVader().polarity_rows(texts)
            >>> library = SentimentIntensityAnalyzer().polarity_scores
            >>> rows.tolist() == [[library(text)[column] for column in SCORE_COLUMNS] for text in texts]
            True
        """
        batches = []
        with tqdm(total=len(texts), disable=not progress, desc="VADER", unit="text") as bar:
            for start in range(0, len(texts), _MAX_BATCH_TEXTS):
                batches.append(self._batch_rows(texts[start:start + _MAX_BATCH_TEXTS]))
                bar.update(len(batches[-1]))
        return np.concatenate(batches) if batches else np.empty((0, len(SCORE_COLUMNS)))

    def _batch_rows(self, texts: Sequence[str]) -> np.ndarray:
        """:meth:`polarity_rows` of some texts: they are split and their chunks looked up all at
        once; a text with no valence gets the neutral scores, one whose rules numpy can apply
        is scored there (step 7), the others one by one."""
        rows = np.empty((len(texts), len(SCORE_COLUMNS)))
        chunks = self._text_chunks(texts)
        valence = chunks.distinct.valence[chunks.codes]
        n_chunks, n_valences = np.bincount(chunks.rows, minlength=len(texts)), chunks.per_text(np.flatnonzero(valence))
        by_library = (chunks.per_text(chunks.where(chunks.distinct.by_library)) > 0) | (n_chunks == 0)
        neutral = ~by_library & (n_valences == 0)
        ruled, left_to_word_rules = _word_rules(chunks, valence, n_chunks)
        scored = np.flatnonzero(ruled)
        weighed, left_to_but_rule = _weighed_around_but(chunks, ruled, scored)
        in_numpy = ~by_library & ~neutral & ~left_to_word_rules & ~left_to_but_rule
        rows[neutral] = _NEUTRAL_ROW
        numpy_scored = scored[in_numpy[chunks.rows[scored]]]
        n_zeros = n_chunks - chunks.per_text(scored)
        rows[in_numpy] = _lexicon_scores(np.cumsum(in_numpy)[chunks.rows[numpy_scored]] - 1, weighed[numpy_scored],
                                         n_zeros[in_numpy], *(count[in_numpy] for count in chunks.marks()))
        one_by_one = np.flatnonzero(~(neutral | in_numpy))
        in_order = itemgetter(*SCORE_COLUMNS)
        found = [in_order(self.polarity_scores(texts[i])) for i in one_by_one.tolist()]
        rows[one_by_one] = np.array(found, dtype="float64").reshape(len(found), len(SCORE_COLUMNS))
        return rows

    def _text_chunks(self, texts: Sequence[str]) -> _TextChunks:
        """The chunks of every text (:func:`_split_texts`) with the columns of the distinct ones."""
        rows, codes, distinct = _split_texts(pa.array(texts, type=pa.large_string()))
        return _TextChunks(rows, codes, self._chunk_columns(distinct), len(texts))

    def _chunk_columns(self, chunks: pa.Array) -> _ChunkColumns:
        """:class:`_ChunkColumns` of the distinct ``chunks``."""
        words = chunks.to_pylist()
        _, lowered, capitals, valences, reaches = zip(*map(self._chunk_facts.__getitem__, words)) if words else ((),) * 5
        by_library = pc.match_substring_regex(chunks, _SPACES_ONLY_PYTHON_SPLITS).to_numpy(zero_copy_only=False)
        for i in np.flatnonzero(~pc.string_is_ascii(chunks).to_numpy(zero_copy_only=False)):
            by_library[i] |= not self._emoji_characters.isdisjoint(words[i])
        word_is = np.array(lowered, dtype=object).__eq__
        return _ChunkColumns(
            np.array(valences, dtype="float64"), np.array(capitals, dtype=bool),
            np.array(list(map(len, reaches)), dtype="int64"), word_is("but"), word_is("no"), word_is("kind"),
            word_is("of"), np.array([word in self.lexicon for word in lowered], dtype=bool), by_library,
            *(pc.count_substring(chunks, mark).to_numpy() for mark in ("!", "?")),
            np.array([BOOSTER_DICT.get(word, 0.0) for word in lowered], dtype="float64"),
            np.array([word in _NEGATIONS or "n't" in word for word in lowered], dtype=bool),
            word_is("never"), word_is("so") | word_is("this"), word_is("without"), word_is("doubt"),
            word_is("or") | word_is("nor"), word_is("least") & ("least" not in self.lexicon),
            word_is("at") | word_is("very"), np.array([word in _PHRASE_KEY_WORDS for word in lowered], dtype=bool),
        )

    def _apply_rules(self, sentiments: list, chunks: list[str]) -> None:
        """Turn the lexicon valences ``sentiments`` of the text's ``chunks`` into VADER's
        valences: the rules run on every lexicon word some rule may change (steps 2-4), then
        the "but" rule when a word is "but" (step 5)."""
        columns = tuple(zip(*map(self._chunk_facts.__getitem__, chunks)))
        words, lowered, capitals, valences, reaches = columns
        is_cap_diff = 0 < sum(capitals) < len(words)
        changers = list(compress(range(len(words)), reaches))
        if changers or is_cap_diff:
            self._apply_word_rules(sentiments, columns, changers, is_cap_diff)
        if "but" in lowered:
            _weigh_around_but(sentiments, lowered.index("but"))

    def _apply_word_rules(self, sentiments: list, columns: tuple, changers: list[int], is_cap_diff: bool) -> None:
        """Set the valence of every lexicon word some rule may change, as VADER does (steps 2-4);
        ``columns`` are the text's :class:`_ChunkFacts` column by column."""
        _, lowered, capitals, valences, reaches = columns
        near = _positions_reached(changers, reaches)
        looked_at = near.union(changers)
        if is_cap_diff:
            looked_at.update(compress(range(len(lowered)), capitals))
        last = len(lowered) - 1
        for i in looked_at:
            if not (0 <= i <= last and valences[i]):
                continue
            if lowered[i] == "kind" and i < last and lowered[i + 1] == "of":
                sentiments[i] = 0
            elif i in near or (is_cap_diff and capitals[i]):
                sentiments[i] = _valence_by_rules(i, lowered, capitals, is_cap_diff, self.lexicon)
            elif lowered[i] == "no" and i < last and lowered[i + 1] in self.lexicon:
                sentiments[i] = 0.0

    def _scores(self, sentiments: list, text: str) -> dict[str, float]:
        """``score_valence(sentiments, text)``, worked out once per distinct key (step 5)."""
        nonzero = tuple(filter(None, sentiments))
        if not nonzero:
            return dict(_ALL_NEUTRAL)
        key = (nonzero, len(sentiments) - len(nonzero), text.count("!"), text.count("?"))
        scores = self._scores_by_key.get(key)
        if scores is None:
            if len(self._scores_by_key) >= _MAX_CACHED_SCORES:
                self._scores_by_key.clear()
            scores = self._scores_by_key[key] = _key_scores(*key)
        return dict(scores)


class _ChunkColumns(NamedTuple):
    """What :meth:`_ExactFastVader.polarity_rows` reads of each chunk, one array per field."""
    valence: np.ndarray  # lexicon valence, 0 for a word VADER does not score (_ChunkFacts)
    capital: np.ndarray  # token in capitals
    reach: np.ndarray  # how many words it may change (0: no valence changer; see _reach)
    is_but: np.ndarray
    is_no: np.ndarray  # lower-cased token "no": 0 before a lexicon word
    is_kind: np.ndarray  # "kind": 0 before "of"
    is_of: np.ndarray
    in_lexicon: np.ndarray  # lower-cased token in the lexicon (booster words too)
    by_library: np.ndarray  # a text holding it is scored by polarity_scores (emoji, a space only Python splits on)
    exclamations: np.ndarray  # count of "!"
    questions: np.ndarray  # count of "?"
    booster: np.ndarray  # BOOSTER_DICT's scalar, 0.0 for any other word
    negation: np.ndarray  # in NEGATE or holding "n't"
    never: np.ndarray
    so_this: np.ndarray  # "so" or "this"
    without: np.ndarray
    doubt: np.ndarray
    or_nor: np.ndarray  # "or" or "nor"
    least: np.ndarray  # "least" (not in the lexicon)
    at_very: np.ndarray  # "at" or "very"
    phrase_word: np.ndarray  # one of _PHRASE_KEY_WORDS (idioms, "kind of", ...: left to polarity_scores)


class _TextChunks(NamedTuple):
    """The chunks of many texts, text after text: the text of each (``rows``), its code among
    the distinct chunks and the distinct chunks' :class:`_ChunkColumns`."""
    rows: np.ndarray
    codes: np.ndarray
    distinct: _ChunkColumns
    n_texts: int

    def where(self, flag: np.ndarray) -> np.ndarray:
        """Positions of the chunks whose distinct chunk has ``flag`` set."""
        return np.flatnonzero(flag[self.codes])

    def per_text(self, positions: np.ndarray) -> np.ndarray:
        """How many of the chunks at ``positions`` each text holds."""
        return np.bincount(self.rows[positions], minlength=self.n_texts)

    def marks(self) -> list[np.ndarray]:
        """Counts of ``!`` and of ``?`` in each text (a space holds neither)."""
        return [np.bincount(self.rows[found], weights=count[self.codes[found]], minlength=self.n_texts).astype("int64")
                for count in (self.distinct.exclamations, self.distinct.questions) for found in [self.where(count > 0)]]


class _ChunkFacts(dict):
    """What VADER makes of one whitespace-separated chunk, worked out once per distinct chunk.

    Maps a chunk to ``(token, lower-cased token, token in capitals, valence, reach)``: the
    token as :func:`vader_tokens` gives it; the valence is the lexicon's for a lower-cased
    token in the lexicon and not a booster word, else 0; the reach is the offsets of the
    words whose valence the token may change when it is one of :data:`_VALENCE_CHANGERS`
    or holds "n't" (else empty). Forgets everything past :data:`_MAX_CACHED_CHUNKS`
    chunks, so memory stays bounded on any corpus.

    Example:
        >>> _ChunkFacts({"good": 1.9})["GOOD!"]
        ('GOOD', 'good', True, 1.9, ())
        >>> _ChunkFacts({})["isn't"]
        ("isn't", "isn't", False, 0, (1, 2, 3))
    """

    def __init__(self, lexicon: dict[str, float]):
        super().__init__()
        self.lexicon = lexicon

    def __missing__(self, chunk: str) -> tuple[str, str, bool, float, tuple[int, ...]]:
        if len(self) >= _MAX_CACHED_CHUNKS:
            self.clear()
        token = _vader_token(chunk)
        lowered = token.lower()
        valence = self.lexicon[lowered] if lowered in self.lexicon and lowered not in BOOSTER_DICT else 0
        facts = (token, lowered, token.isupper(), valence, _reach(lowered))
        self[chunk] = facts
        return facts


def _reach(word_lower: str) -> tuple[int, ...]:
    """Offsets (from the word) of the words whose VADER valence ``word_lower`` may change.

    Example:
        >>> _reach("very"), _reach("this"), _reach("bomb"), _reach("talks")
        ((1, 2, 3), (1,), (-2, -1, 0, 1, 2, 3), ())
    """
    if word_lower in _IDIOM_KEY_WORDS:
        return _IDIOM_REACH
    if word_lower in _NEXT_THREE_CHANGERS or "n't" in word_lower:
        return _NEXT_THREE_REACH
    return _NEXT_WORD_REACH if word_lower in _NEXT_WORD_CHANGERS else ()


def _positions_reached(changers: Iterable[int], reaches: Sequence[tuple[int, ...]]) -> set[int]:
    """Indices within the reach of a changer at one of ``changers`` (may fall outside the text).

    Example:
        >>> sorted(_positions_reached([1], [(), (1, 2, 3), ()]))
        [2, 3, 4]
    """
    return {j + offset for j in changers for offset in reaches[j]}


class _ChunkField(dict):
    """One field of :class:`_ChunkFacts` per chunk, kept in a dict of its own so a text's
    values are one ``map`` over its chunks, with no tuple per chunk to take apart. Forgets
    everything past :data:`_MAX_CACHED_CHUNKS` chunks, as :class:`_ChunkFacts` does.

    Example:
        >>> valences = _ChunkField(_ChunkFacts({"good": 1.9}), _valence)
        >>> list(map(valences.__getitem__, ["Good", "talks."]))
        [1.9, 0]
    """

    def __init__(self, facts: _ChunkFacts, field: Callable[[tuple], object]):
        super().__init__()
        self.facts = facts
        self.field = field

    def __missing__(self, chunk: str) -> object:
        if len(self) >= _MAX_CACHED_CHUNKS:
            self.clear()
        value = self[chunk] = self.field(self.facts[chunk])
        return value


def _valence(facts: tuple) -> float:
    """The lexicon valence in a chunk's :class:`_ChunkFacts` (0 for a word VADER does not score)."""
    return facts[3]


def _needs_rules(facts: tuple) -> bool:
    """Whether a chunk (its :class:`_ChunkFacts`) can make any VADER rule change a valence of
    its text: a valence changer (it has a reach), "but", or a lexicon word in capitals (the
    capitals rule; capitals of a word without valence change nothing unless a changer is near).

    Example:
        >>> facts = _ChunkFacts({"good": 1.9})
        >>> [_needs_rules(facts[chunk]) for chunk in ["good", "GOOD", "NATO", "not", "But"]]
        [False, True, False, True, True]
    """
    _, lowered, capitals, valence, reach = facts
    return bool(reach) or (capitals and valence != 0) or lowered == "but"


def _weigh_around_but(sentiments: list, but: int) -> None:
    """VADER 3.3.2's ``_but_check`` for a text whose first "but" is word ``but``, in place.

    VADER halves the valences before the "but" and adds half to those after it, but finds
    the value to change with ``list.index`` (the first equal value), so of two equal
    valences the first may be changed twice and the second not at all; that is kept. It
    visits every position; a zero stays zero and only ever matches a zero, so only
    non-zero values are changed here, with the very same results.

    Example:
        >>> values = [0.95, 1.9, 0, 0.95]
        >>> _weigh_around_but(values, 2)
        >>> values
        [0.475, 0.475, 0, 0.95]
    """
    for position in range(len(sentiments)):
        value = sentiments[position]
        if not value:
            continue
        first = sentiments.index(value)
        if first < but:
            sentiments[first] = value * 0.5
        elif first > but:
            sentiments[first] = value * 1.5


def _valence_by_rules(i: int, lowered: Sequence[str], capitals: Sequence[bool], is_cap_diff: bool,
                      lexicon: dict[str, float]) -> float:
    """VADER 3.3.2's ``sentiment_valence`` of the lexicon word at ``i`` (not a booster word, not
    the "kind" of "kind of"), its steps in its order, with its very arithmetic.

    ``lowered`` are the text's lower-cased tokens and ``capitals`` whether each is in
    capitals (the library lower-cases the whole sentence again for each check). Its quirks
    are kept: a word before the scored one is read as booster or negation only when it is
    not itself in the lexicon, and the idioms are looked for only at 3 words in.

    Example:
        >>> lexicon = {"good": 1.9}
        >>> words = ["it", "was", "not", "very", "good"]
        >>> _valence_by_rules(4, words, [False] * 5, False, lexicon) == (1.9 + 0.293) * -0.74
        True
    """
    word = lowered[i]
    valence = lexicon[word]
    if word == "no" and i != len(lowered) - 1 and lowered[i + 1] in lexicon:
        valence = 0.0
    if (i > 0 and lowered[i - 1] == "no") or (i > 1 and lowered[i - 2] == "no") \
            or (i > 2 and lowered[i - 3] == "no" and lowered[i - 1] in _OR_NOR):
        valence = lexicon[word] * N_SCALAR
    if capitals[i] and is_cap_diff:
        valence = valence + C_INCR if valence > 0 else valence - C_INCR
    for distance in range(1, min(i, 3) + 1):
        if lowered[i - distance] in lexicon:
            continue
        valence = valence + _booster_scalar(i - distance, distance, valence, lowered, capitals, is_cap_diff)
        valence = _negation_check(valence, lowered, distance, i)
        if distance == 3 and not _PHRASE_KEY_WORDS.isdisjoint(lowered[i - 3:i + 3]):
            valence = _idioms_check(valence, lowered, i)
    if i > 0 and lowered[i - 1] == "least" and "least" not in lexicon and (i == 1 or lowered[i - 2] not in _AT_VERY):
        valence = valence * N_SCALAR
    return valence


def _booster_scalar(j: int, distance: int, valence: float, lowered: Sequence[str], capitals: Sequence[bool],
                    is_cap_diff: bool) -> float:
    """VADER's ``scalar_inc_dec`` of word ``j``, ``distance`` words before the scored one,
    dampened by that distance as ``sentiment_valence`` does (0.0 for a word that is no booster).

    Example:
        >>> _booster_scalar(0, 2, -1.9, ["very", "bad"], [True, False], True) == (-0.293 - 0.733) * 0.95
        True
    """
    scalar = 0.0
    booster = lowered[j]
    if booster in BOOSTER_DICT:
        scalar = BOOSTER_DICT[booster]
        if valence < 0:
            scalar = scalar * -1
        if capitals[j] and is_cap_diff:
            scalar = scalar + C_INCR if valence > 0 else scalar - C_INCR
    if distance == 2 and scalar != 0:
        scalar = scalar * 0.95
    if distance == 3 and scalar != 0:
        scalar = scalar * 0.9
    return scalar


def _negation_check(valence: float, lowered: Sequence[str], distance: int, i: int) -> float:
    """VADER's ``_negation_check`` for the word ``distance`` (1 to 3) words before word ``i``:
    "never so/this" multiplies by 1.25, "without doubt" leaves the valence, a negation
    (:data:`_NEGATIONS` or a word holding "n't") multiplies by ``N_SCALAR``.

    Example:
        >>> _negation_check(2.0, ["never", "so", "good"], 2, 2), _negation_check(2.0, ["isn't", "good"], 1, 1)
        (2.5, -1.48)
    """
    before = lowered[i - distance]
    if distance == 2:
        if before == "never" and lowered[i - 1] in _SO_THIS:
            return valence * 1.25
        if before == "without" and lowered[i - 1] == "doubt":
            return valence
    elif distance == 3:
        if (before == "never" and lowered[i - 2] in _SO_THIS) or lowered[i - 1] in _SO_THIS:
            return valence * 1.25
        if before == "without" and (lowered[i - 2] == "doubt" or lowered[i - 1] == "doubt"):
            return valence
    if before in _NEGATIONS or "n't" in before:
        return valence * N_SCALAR
    return valence


def _idioms_check(valence: float, lowered: Sequence[str], i: int) -> float:
    """VADER's ``_special_idioms_check`` for word ``i`` (3 or more words in): the first idiom
    ending before or at the word sets the valence, then one starting at it may, then
    "kind of", "sort of" or "just enough" just before it adds its dampening.

    Example:
        >>> _idioms_check(2.4, ["a", "b", "the", "bomb"], 3), _idioms_check(1.9, ["x", "kind", "of", "good"], 3)
        (3, 1.607)
    """
    onezero = f"{lowered[i - 1]} {lowered[i]}"
    twoonezero = f"{lowered[i - 2]} {lowered[i - 1]} {lowered[i]}"
    twoone = f"{lowered[i - 2]} {lowered[i - 1]}"
    threetwoone = f"{lowered[i - 3]} {lowered[i - 2]} {lowered[i - 1]}"
    threetwo = f"{lowered[i - 3]} {lowered[i - 2]}"
    for sequence in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if sequence in SPECIAL_CASES:
            valence = SPECIAL_CASES[sequence]
            break
    if len(lowered) - 1 > i:
        zeroone = f"{lowered[i]} {lowered[i + 1]}"
        if zeroone in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroone]
    if len(lowered) - 1 > i + 1:
        zeroonetwo = f"{lowered[i]} {lowered[i + 1]} {lowered[i + 2]}"
        if zeroonetwo in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in BOOSTER_DICT:
            valence = valence + BOOSTER_DICT[n_gram]
    return valence


def _key_scores(nonzero: tuple, n_zeros: int, n_exclamations: int, n_questions: int) -> dict[str, float]:
    """VADER 3.3.2's ``score_valence`` of a text with the valences ``nonzero`` (in order, at least
    one) among ``n_zeros`` zeros, and ``n_exclamations`` ``!`` and ``n_questions`` ``?``, its
    steps in its order: a zero adds nothing to its sums and counts as one neutral word.

    Example:
        >>> _key_scores((1.9,), 3, 1, 0) == SentimentIntensityAnalyzer().score_valence([0, 1.9, 0, 0], "good!")
        True
    """
    total_valence = float(sum(nonzero))
    emphasis = min(n_exclamations, 4) * 0.292 + _question_emphasis(n_questions)
    if total_valence > 0:
        total_valence += emphasis
    elif total_valence < 0:
        total_valence -= emphasis
    positive, negative = 0.0, 0.0
    for value in nonzero:
        if value > 0:
            positive += float(value) + 1
        if value < 0:
            negative += float(value) - 1
    if positive > math.fabs(negative):
        positive += emphasis
    elif positive < math.fabs(negative):
        negative -= emphasis
    total = positive + math.fabs(negative) + n_zeros
    return {"neg": round(math.fabs(negative / total), 3), "neu": round(math.fabs(n_zeros / total), 3),
            "pos": round(math.fabs(positive / total), 3), "compound": round(normalize(total_valence), 4)}


def _split_texts(texts: pa.Array) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """Every text's chunks split on ASCII whitespace at once, as ``str.split()`` splits them
    there: the text of each chunk (its position in ``texts``), its code among the distinct
    chunks, and the distinct chunks. Python also splits on a few other spaces
    (:data:`_SPACES_ONLY_PYTHON_SPLITS`), which stay inside a chunk here.

    Example:
        >>> rows, codes, distinct = _split_texts(pa.array([" No  deal. ", "No", "a\\xa0b"]))
        >>> rows.tolist(), [distinct[code].as_py() for code in codes]
        ([0, 0, 1, 2], ['No', 'deal.', 'No', 'a\\xa0b'])
    """
    split = pc.ascii_split_whitespace(texts)
    encoded = pc.dictionary_encode(split.flatten())
    codes = encoded.indices.to_numpy().astype("int64")
    rows = np.repeat(np.arange(len(texts)), pc.list_value_length(split).to_numpy())
    empty = pc.index(encoded.dictionary, "").as_py()
    if empty >= 0:  # Arrow keeps an empty chunk before a leading and after a trailing space
        kept = codes != empty
        rows, codes = rows[kept], codes[kept]
    return rows, codes, encoded.dictionary


def _word_rules(chunks: _TextChunks, valence: np.ndarray, n_chunks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The valences after VADER's word rules (steps 2-4) from the lexicon valences ``valence``,
    and whether each text must be left to ``polarity_scores``: a lexicon word within the reach
    of a valence changer (:func:`_reached`) or in capitals among mixed case takes
    :func:`_valences_by_rules`, a "no" before a lexicon word 0.0 (:func:`_zeroed_before_next`);
    a text where a rule is at work and that holds a word of an idiom or booster phrase
    (:data:`_PHRASE_KEY_WORDS`) is left. ``n_chunks`` counts each text's chunks.

    Example:
        >>> texts = ["Good talks", "Not good", "No deal", "No good", "GOOD talks", "GOOD TALKS", "kind of"]
        >>> chunks = _ExactFastVader()._text_chunks(texts)
        >>> ruled, left = _word_rules(chunks, chunks.distinct.valence[chunks.codes], np.bincount(chunks.rows))
        >>> ruled.round(4).tolist(), left.tolist()
        ([1.9, 0.0, 0.0, -1.406, -1.2, 0.0, 0.0, -1.406, 2.633, 0.0, 1.9, 0.0, 0.0, 0.0], [False, False, False, False, False, False, True])
    """
    distinct, rows = chunks.distinct, chunks.rows
    capitals = chunks.where(distinct.capital)
    n_capitals = chunks.per_text(capitals)
    mixed_case = (n_capitals > 0) & (n_capitals < n_chunks)
    changers = chunks.where(distinct.reach > 0)
    near = np.concatenate([_reached(rows, changers, distinct.reach[chunks.codes[changers]]),
                           capitals[mixed_case[rows[capitals]]]])
    by_rules = np.unique(near[valence[near] != 0])
    zeroed = np.setdiff1d(_zeroed_before_next(chunks), by_rules)
    left = (chunks.per_text(chunks.where(distinct.phrase_word)) > 0) & (chunks.per_text(np.append(by_rules, zeroed)) > 0)
    by_rules = by_rules[~left[rows[by_rules]]]
    first_chunk = np.cumsum(n_chunks) - n_chunks
    ruled = valence.copy()
    ruled[by_rules] = _valences_by_rules(chunks, by_rules, by_rules - first_chunk[rows[by_rules]],
                                         (n_chunks - 1)[rows[by_rules]], mixed_case[rows[by_rules]], valence)
    ruled[zeroed] = 0.0
    return ruled, left


def _zeroed_before_next(chunks: _TextChunks) -> np.ndarray:
    """Positions of the chunks VADER zeroes for the word after them in their text: "no" before
    a lexicon word, "kind" before "of".

    Example:
        >>> _zeroed_before_next(_ExactFastVader()._text_chunks(["no deal no good", "kind of", "kind", "of"])).tolist()
        [2, 4]
    """
    distinct, rows, codes = chunks.distinct, chunks.rows, chunks.codes
    first = chunks.where(distinct.is_no | distinct.is_kind)
    first = first[first + 1 < len(rows)]
    first = first[rows[first + 1] == rows[first]]
    word, following = codes[first], codes[first + 1]
    zeroed = (distinct.is_no[word] & distinct.in_lexicon[following]) | (distinct.is_kind[word] & distinct.is_of[following])
    return first[zeroed]


def _valences_by_rules(chunks: _TextChunks, at: np.ndarray, index: np.ndarray, last: np.ndarray,
                       mixed_case: np.ndarray, valence: np.ndarray) -> np.ndarray:
    """:func:`_valence_by_rules` of the lexicon words at positions ``at`` (with no word of an idiom
    or booster phrase in their text) all at once, step by step in its order with its very
    arithmetic: ``index`` is each word's index in its text, ``last`` the text's last index,
    ``mixed_case`` whether the text has some but not all tokens in capitals.

    Example:
        >>> chunks = _ExactFastVader()._text_chunks(["it was not very good", "at least GOOD news"])
        >>> valence = chunks.distinct.valence[chunks.codes]
        >>> found = _valences_by_rules(chunks, np.array([4, 7]), np.array([4, 2]), np.array([4, 3]),
        ...                            np.array([False, True]), valence)
        >>> found.tolist() == [_valence_by_rules(4, ["it", "was", "not", "very", "good"], [False] * 5, False, {"good": 1.9}),
        ...                    _valence_by_rules(2, ["at", "least", "good", "news"], [False, False, True, False], True,
        ...                                      {"good": 1.9})]
        True
    """
    def word(column: np.ndarray, offset: int) -> np.ndarray:
        """``column`` of the chunk ``offset`` words after each (before when negative); 0 or False
        where the text has none there."""
        inside = (index + offset >= 0) & (index + offset <= last)
        found = np.zeros(len(at), dtype=column.dtype)
        found[inside] = column[chunks.codes[at[inside] + offset]]
        return found

    distinct = chunks.distinct
    lexicon_valence = valence[at]
    rules = np.where(word(distinct.is_no, 0) & word(distinct.in_lexicon, 1), 0.0, lexicon_valence)
    after_no = word(distinct.is_no, -1) | word(distinct.is_no, -2) | (word(distinct.is_no, -3) & word(distinct.or_nor, -1))
    rules = np.where(after_no, lexicon_valence * N_SCALAR, rules)
    rules = np.where(word(distinct.capital, 0) & mixed_case, np.where(rules > 0, rules + C_INCR, rules - C_INCR), rules)
    for distance in (1, 2, 3):
        applies = (index >= distance) & ~word(distinct.in_lexicon, -distance)
        rules = np.where(applies, rules + _booster_scalars(word, distinct, distance, rules, mixed_case), rules)
        rules = np.where(applies, _negation_checked(word, distinct, distance, rules), rules)
    after_least = word(distinct.least, -1) & ~word(distinct.at_very, -2)
    return np.where(after_least, rules * N_SCALAR, rules)


def _booster_scalars(word: Callable[[np.ndarray, int], np.ndarray], distinct: _ChunkColumns, distance: int,
                     rules: np.ndarray, mixed_case: np.ndarray) -> np.ndarray:
    """:func:`_booster_scalar` of the word ``distance`` words before each word of
    :func:`_valences_by_rules` (``word`` reads a column there), for its valences ``rules``."""
    scalar = word(distinct.booster, -distance)
    booster = scalar != 0
    scalar = np.where(booster & (rules < 0), scalar * -1, scalar)
    in_capitals = booster & word(distinct.capital, -distance) & mixed_case
    scalar = np.where(in_capitals, np.where(rules > 0, scalar + C_INCR, scalar - C_INCR), scalar)
    if distance == 1:
        return scalar
    return np.where(scalar != 0, scalar * (0.95 if distance == 2 else 0.9), scalar)


def _negation_checked(word: Callable[[np.ndarray, int], np.ndarray], distinct: _ChunkColumns, distance: int,
                      rules: np.ndarray) -> np.ndarray:
    """:func:`_negation_check` of the word ``distance`` words before each word of
    :func:`_valences_by_rules` (``word`` reads a column around it), for its valences ``rules``."""
    if distance == 2:
        amplified = word(distinct.never, -2) & word(distinct.so_this, -1)
        kept = word(distinct.without, -2) & word(distinct.doubt, -1)
    elif distance == 3:
        amplified = (word(distinct.never, -3) & word(distinct.so_this, -2)) | word(distinct.so_this, -1)
        kept = word(distinct.without, -3) & (word(distinct.doubt, -2) | word(distinct.doubt, -1))
    else:
        amplified = kept = np.zeros(len(rules), dtype=bool)
    negated = np.where(word(distinct.negation, -distance), rules * N_SCALAR, rules)
    return np.where(amplified, rules * 1.25, np.where(kept, rules, negated))


def _reached(rows: np.ndarray, changers: np.ndarray, reach: np.ndarray) -> np.ndarray:
    """Positions of the chunks within the reach of a valence changer of their text (the words
    :func:`_positions_reached` gives; an idiom's word reaches itself), from the positions of
    the changers and the length of each one's reach (:data:`_SHORTEST_REACH_BY_OFFSET`).
    ``rows`` is the text of every chunk.

    Example:
        >>> sorted(_reached(np.array([0, 0, 0, 1, 1]), np.array([1, 4]), np.array([1, 6])).tolist())
        [2, 3, 4]
    """
    reached = []
    for offset, shortest in _SHORTEST_REACH_BY_OFFSET.items():
        source = changers[reach >= shortest]
        target = source + offset
        inside = (target >= 0) & (target < len(rows))
        source, target = source[inside], target[inside]
        reached.append(target[rows[target] == rows[source]])
    return np.concatenate(reached)


def _weighed_around_but(chunks: _TextChunks, valence: np.ndarray, scored: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The valences after VADER's "but" rule (:func:`_weigh_around_but`) for every text at once,
    and whether a text must be left to that function. ``scored`` are the positions of the
    non-zero ``valence``. In a text whose first "but" is at chunk ``b``, the valence of a
    chunk before it is halved and of one after it multiplied by 1.5. VADER finds each value
    to change by its first equal value, so that is what it does whenever no weighed value of
    a text equals one of its values before weighing; a text where one does is left to it.

    Example:
        >>> chunks = _ExactFastVader()._text_chunks(["good but bad", "sure but good", "great"])
        >>> valence = chunks.distinct.valence[chunks.codes]
        >>> weighed, left = _weighed_around_but(chunks, valence, np.flatnonzero(valence))
        >>> weighed.tolist(), left.tolist()
        ([0.95, 0.0, -3.75, 0.65, 0.0, 2.8499999999999996, 3.1], [False, False, False])
    """
    rows = chunks.rows
    buts = chunks.where(chunks.distinct.is_but)
    texts_with_but, first = np.unique(rows[buts], return_index=True)
    first_but = np.full(chunks.n_texts, -1)
    first_but[texts_with_but] = buts[first]
    changed = scored[first_but[rows[scored]] >= 0]
    but_at = first_but[rows[changed]]
    weighed = valence.copy()
    weighed[changed] = valence[changed] * np.where(changed < but_at, 0.5, np.where(changed > but_at, 1.5, 1.0))
    before = pd.MultiIndex.from_arrays([rows[changed], valence[changed]])
    clashing = pd.MultiIndex.from_arrays([rows[changed], weighed[changed]]).isin(before)
    return weighed, chunks.per_text(changed[clashing]) > 0


def _lexicon_scores(text_of: np.ndarray, valences: np.ndarray, n_zeros: np.ndarray, n_exclamations: np.ndarray,
                    n_questions: np.ndarray) -> np.ndarray:
    """:func:`_key_scores` of many texts at once, as rows of :data:`SCORE_COLUMNS`: text ``k`` has
    the non-zero ``valences`` (in order) whose ``text_of`` is ``k`` (sorted), ``n_zeros[k]`` zeros
    and the counts of ``!`` and ``?``. Each sum adds the same terms in the same order as
    VADER's (the zeros padding a text's values add nothing), so the floats are the same.

    Example:
        >>> rows = _lexicon_scores(np.array([0, 0, 1]), np.array([1.9, -2.5, 1.9]), np.array([3, 1]),
        ...                        np.array([0, 2]), np.array([2, 0]))
        >>> rows.tolist() == [[_key_scores((1.9, -2.5), 3, 0, 2)[c] for c in SCORE_COLUMNS],
        ...                   [_key_scores((1.9,), 1, 2, 0)[c] for c in SCORE_COLUMNS]]
        True
    """
    n_valences = np.bincount(text_of, minlength=len(n_zeros))
    table = np.zeros((len(n_zeros), n_valences.max(initial=0)))
    table[text_of, np.arange(len(text_of)) - (np.cumsum(n_valences) - n_valences)[text_of]] = valences
    total, positive, negative = np.zeros((3, len(n_zeros)))
    for column in table.T:
        total += column
        positive += np.where(column > 0, column + 1, 0.0)
        negative += np.where(column < 0, column - 1, 0.0)
    questions = np.where(n_questions > 3, 0.96, np.where(n_questions > 1, n_questions * 0.18, 0.0))
    emphasis = np.minimum(n_exclamations, 4) * 0.292 + questions
    total = np.where(total > 0, total + emphasis, np.where(total < 0, total - emphasis, total))
    magnitude = np.fabs(negative)
    positive, negative = (np.where(positive > magnitude, positive + emphasis, positive),
                          np.where(positive < magnitude, negative - emphasis, negative))
    whole = positive + np.fabs(negative) + n_zeros
    compound = np.clip(total / np.sqrt(total * total + 15), -1.0, 1.0)
    return np.column_stack([_round_as_python(compound, 4), *(_round_as_python(np.fabs(part / whole), 3)
                                                            for part in (positive, n_zeros, negative))])


def _round_as_python(values: np.ndarray, digits: int) -> np.ndarray:
    """``round(value, digits)`` of each value, exactly as Python gives it (the nearest float to
    the correctly rounded decimal). Scaling, rounding to an integer and dividing back gives
    that float unless the scaled value lies next to a half; those few are rounded by Python.

    Example:
        >>> values = np.array([0.0285, 0.12345, -0.00004, 0.3335, 1.0])
        >>> _round_as_python(values, 3).tolist() == [round(value, 3) for value in values.tolist()]
        True
    """
    scale = 10.0 ** digits
    scaled = values * scale
    rounded = np.rint(scaled) / scale
    near_half = np.flatnonzero(np.fabs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    rounded[near_half] = [round(value, digits) for value in values[near_half].tolist()]
    return rounded


def _question_emphasis(n_questions: int) -> float:
    """VADER's ``_amplify_qm``: 2 or 3 ``?`` add 0.18 each, more add 0.96, one adds nothing (int 0).

    Example:
        >>> [_question_emphasis(n) for n in (1, 2, 5)]
        [0, 0.36, 0.96]
    """
    if n_questions > 1:
        return n_questions * 0.18 if n_questions <= 3 else 0.96
    return 0


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    """The one shared VADER analyzer (reads its lexicon from the installed wheel once)."""
    return _ExactFastVader()


def _group_keys(by: str | Sequence[str]) -> list[str]:
    """``by`` as a list of column names."""
    return [by] if isinstance(by, str) else list(by)


def score_sentences(sentences: Iterable[str], *, progress: bool = False) -> pd.DataFrame:
    """VADER scores of each sentence, exactly as ``polarity_scores`` gives them.

    The text is passed unchanged: VADER treats capitals, ``!`` and ``?`` as emphasis, so
    lower-casing or stripping would change the scores. Every row is scored (no caching);
    the scorer is :class:`_ExactFastVader`, equal to vaderSentiment 3.3.2's own, which
    scores the whole list at once (``polarity_rows``).

    Args:
        sentences: sentence strings (original text).
        progress: show a tqdm progress bar (useful above ~10k sentences).

    Returns:
        One row per sentence, in input order, with columns ``compound, pos, neu, neg``.

    Example:
        >>> score_sentences(["The talks were good.", "The talks were GOOD!!!"]).compound.tolist()
        [0.4404, 0.6714]
    """
    rows = _analyzer().polarity_rows(_checked_texts(sentences), progress=progress)
    return pd.DataFrame(rows, columns=list(SCORE_COLUMNS))


def _checked_texts(sentences: Iterable[str]) -> list[str]:
    """``sentences`` as a list, or CorpusError when one is missing or not a string."""
    texts = sentences.tolist() if isinstance(sentences, (pd.Series, np.ndarray)) else list(sentences)
    if not all(isinstance(text, str) for text in texts):
        raise CorpusError("sentences", _MISSING_TEXT)
    return texts


def _score_distinct_texts(sentences: Iterable[str], *, progress: bool = False) -> np.ndarray:
    """Scores (rows of ``compound, pos, neu, neg``) of each text, VADER run once per distinct text.

    Wire copy repeats sentences word for word across outlets (about a fifth of the rows of
    a large corpus), and VADER's score depends on the string alone, so equal strings get
    the very same floats.

    Example:
        >>> _score_distinct_texts(["Great talks.", "Sad.", "Great talks."])[:, 0].tolist()
        [0.6249, -0.4767, 0.6249]
    """
    codes, distinct = _factorized_texts(sentences)
    return score_sentences(distinct, progress=progress).to_numpy(dtype="float64")[codes]


def _factorized_texts(sentences: Iterable[str]) -> tuple[np.ndarray, list[str]]:
    """Code of each text and the distinct texts, in order of first appearance; CorpusError
    when one is missing or not a string. A column of pandas' default string dtype holds
    strings or missing values only, so it is checked and factorised without a Python loop.

    Example:
        >>> codes, distinct = _factorized_texts(pd.Series(["b", "a", "b"]))
        >>> codes.tolist(), distinct
        ([0, 1, 0], ['b', 'a'])
    """
    if isinstance(sentences, pd.Series) and sentences.dtype == _DEFAULT_STRING:
        if sentences.isna().any():
            raise CorpusError("sentences", _MISSING_TEXT)
        codes, distinct = pd.factorize(sentences)
        return codes, distinct.tolist()
    codes, distinct = pd.factorize(np.asarray(_checked_texts(sentences), dtype=object))
    return codes, distinct.tolist()


def score_sentence_table(sentences: pd.DataFrame, *, progress: bool = False) -> pd.DataFrame:
    """The sentences table with VADER's ``compound, pos, neu, neg`` added to each row.

    VADER runs once per distinct sentence text (wire copy repeats sentences across
    outlets); every row holding that text gets its scores.

    Args:
        sentences: sentences table (``article_id, outlet, sentence_index, text`` at least);
            every column is kept, so each score stays traceable to its sentence.
        progress: show a progress bar.

    Returns:
        A copy of ``sentences`` with the four score columns.

    Example:
        >>> table = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "sentence_index": [0],
        ...                       "text": ["Talks were professional but difficult."]})
        >>> score_sentence_table(table)[["text", "compound"]].values.tolist()
        [['Talks were professional but difficult.', -0.5023]]
    """
    require_columns(sentences, ["article_id", "outlet", "sentence_index", "text"], "sentences")
    scores = _score_distinct_texts(sentences["text"], progress=progress)
    scores = pd.DataFrame(scores, columns=list(SCORE_COLUMNS), index=sentences.index)
    return pd.concat([sentences.drop(columns=list(SCORE_COLUMNS), errors="ignore"), scores], axis=1)


def _summary_row(compound: np.ndarray, articles: np.ndarray | None, effects: tuple[float, float], *,
                 seed: int) -> list:
    """Mean with bootstrap interval and positive/negative shares with Wilson intervals.

    ``articles`` labels each score with its article (the bootstrap resamples articles when
    there are enough, :data:`analysis.stats.MIN_CLUSTERS`); ``effects`` are the design
    effects of the positive and negative shares (:func:`_tone_share_effects`).
    """
    mean = bootstrap_mean_ci(compound, clusters=articles, seed=seed)
    n_articles = None if articles is None else int(pd.unique(articles[~np.isnan(compound)]).size)
    positive = proportion_ci(int((compound >= POSITIVE_THRESHOLD).sum()), mean.n, effective_n=mean.n / effects[0])
    negative = proportion_ci(int((compound <= NEGATIVE_THRESHOLD).sum()), mean.n, effective_n=mean.n / effects[1])
    return [
        mean.n, n_articles, mean.mean, mean.low, mean.high,
        positive.successes, positive.share, positive.low, positive.high,
        negative.successes, negative.share, negative.low, negative.high,
    ]


def _tone_share_effects(scored: pd.DataFrame, keys: list[str]) -> dict[tuple, tuple[float, float]]:
    """Design effects (:func:`analysis.stats.share_design_effects`) of each group's positive and
    negative shares, from their articles' counts; groups missing here have none (1)."""
    scored = scored[scored["compound"].notna()]
    article_keys = list(dict.fromkeys([*keys, "article_id"]))
    per_article = scored[article_keys].assign(
        positive=(scored["compound"] >= POSITIVE_THRESHOLD).astype("int64"),
        negative=(scored["compound"] <= NEGATIVE_THRESHOLD).astype("int64"), scores=1,
    ).groupby(article_keys, sort=False).sum().reset_index()
    found = [share_design_effects(per_article, by=keys, successes=kind, total="scores").set_index(keys)["design_effect"]
             for kind in ("positive", "negative")]
    return {(key if isinstance(key, tuple) else (key,)): (float(pos), float(found[1].get(key, 1.0)))
            for key, pos in found[0].items()}


def summarise(
    scored: pd.DataFrame,
    *,
    by: str | Sequence[str] = "outlet",
    seed: int = DEFAULT_SEED,
    progress: bool = False,
) -> pd.DataFrame:
    """Mean sentence compound per group with a seeded bootstrap interval, and shares.

    Summaries are built from sentence scores only, never from a whole article scored at
    once: VADER was built and validated on sentence-length text, its compound is a sum of
    word valences squashed by ``x / sqrt(x^2 + 15)``, so a long text drifts towards -1 or +1
    whatever its tone (articles of different length become incomparable), and its "but"
    rule only looks at the first "but" of the text. Sentence scores also keep every number
    traceable to a sentence, and their spread gives the interval.

    Args:
        scored: table with ``compound`` and the ``by`` column(s), e.g. from
            :func:`score_sentence_table` or :func:`score_voices`.
        by: column name or names to group by (``"outlet"``, ``"article_id"``, ...).
        seed: bootstrap seed; the same seed gives the same table.
        progress: show a progress bar over groups.

    Returns:
        One row per group, sorted by the group columns: ``n`` scores from ``n_articles``
        articles (<NA> without an ``article_id`` column), ``mean_compound`` with
        ``compound_low/high`` (95% percentile bootstrap), ``n_positive/share_positive``
        (compound >= 0.05) and ``n_negative/share_negative`` (compound <= -0.05), each
        with a 95% Wilson interval (``positive_low/high``, ``negative_low/high``).
        Where a group has :data:`analysis.stats.MIN_CLUSTERS` articles or more, the
        bootstrap resamples articles and the Wilson intervals are computed for the
        effective sample size (``n`` / the design effect between articles,
        :func:`analysis.stats.share_design_effects`): sentences of one article are not
        independent draws. With fewer articles the intervals describe these sentences only.

    Example:
        >>> scored = pd.DataFrame({"outlet": ["X", "X", "X", "Y"], "compound": [0.5, -0.2, 0.0, 0.3]})
        >>> summary = summarise(scored, by="outlet")
        >>> summary[["outlet", "n", "mean_compound", "n_positive", "n_negative"]].values.tolist()
        [['X', 3, 0.1, 1, 1], ['Y', 1, 0.3, 1, 0]]
    """
    keys = _group_keys(by)
    require_columns(scored, [*keys, "compound"], "scored")
    by_article = "article_id" in scored.columns
    effects = _tone_share_effects(scored, keys) if by_article else {}
    columns = list(dict.fromkeys([*keys, "compound", *(["article_id"] if by_article else [])]))
    rows = []
    for key, group in tqdm(scored[columns].groupby(keys, sort=True, dropna=False), disable=not progress,
                           desc="summaries", unit="group"):
        articles = group["article_id"].to_numpy(dtype=object) if by_article else None
        row = _summary_row(group["compound"].to_numpy(dtype="float64"), articles, effects.get(key, (1.0, 1.0)),
                           seed=seed)
        rows.append([*key, *row])
    return pd.DataFrame(rows, columns=[*keys, *SUMMARY_COLUMNS]).astype({"n_articles": "Int64"})


def _quoted_spans(quotes: pd.DataFrame) -> pd.DataFrame:
    """Outermost direct/partial quotation spans, sorted; overlapping ones are an input error."""
    require_columns(quotes, ["article_id", "start", "end", "kind", "nested"], "quotations")
    bad = quotes[~(quotes["start"] < quotes["end"])]
    if len(bad):
        row = bad.iloc[0]
        where = f"{row['start']}-{row['end']} in article {row['article_id']}"
        raise CorpusError(QUOTATIONS, f"empty or reversed span {where}")
    outer = quotes[~quotes["nested"].astype(bool) & quotes["kind"].isin(QUOTED_KINDS)]
    spans = outer[["article_id", "start", "end"]].astype({"start": "int64", "end": "int64"})
    spans = spans.sort_values(["article_id", "start"], ignore_index=True)
    previous_end = spans.groupby("article_id")["end"].shift()
    overlapping = spans[spans["start"] < previous_end]
    if len(overlapping):
        row = overlapping.iloc[0]
        where = f"offset {row['start']} in article {row['article_id']}"
        raise CorpusError(QUOTATIONS, f"outer quotations overlap at {where}")
    return spans


def _clip_to_sentences(sentences: pd.DataFrame, spans: pd.DataFrame) -> pd.DataFrame:
    """Quoted pieces: each span cut to every sentence it overlaps (one row per overlap)."""
    articles = pd.Index(sorted(sentences["article_id"].unique()))
    ends = (sentences["end"].to_numpy("int64"), spans["end"].to_numpy("int64"))
    width = 1 + max(int(np.max(values, initial=0)) for values in ends)
    sentence_base = articles.get_indexer(sentences["article_id"]).astype("int64") * width
    sentence_start = sentence_base + sentences["start"].to_numpy("int64")
    sentence_end = sentence_base + sentences["end"].to_numpy("int64")
    span_article = articles.get_indexer(spans["article_id"])
    spans = spans[span_article >= 0]
    span_base = span_article[span_article >= 0].astype("int64") * width
    span_start = span_base + spans["start"].to_numpy("int64")
    span_end = span_base + spans["end"].to_numpy("int64")
    first = np.searchsorted(sentence_end, span_start, side="right")
    last = np.searchsorted(sentence_start, span_end, side="left") - 1
    counts = np.clip(last - first + 1, 0, None)
    span_row = np.repeat(np.arange(len(spans)), counts)
    rank_in_span = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    sentence_row = np.repeat(first, counts) + rank_in_span
    start = np.maximum(span_start[span_row], sentence_start[sentence_row]) - sentence_base[sentence_row]
    end = np.minimum(span_end[span_row], sentence_end[sentence_row]) - sentence_base[sentence_row]
    pieces = pd.DataFrame({"row": sentence_row, "start": start, "end": end})
    return pieces[pieces["end"] > pieces["start"]].assign(voice="quoted")


def _narrator_gaps(sentences: pd.DataFrame, quoted: pd.DataFrame) -> pd.DataFrame:
    """Narrator pieces: the parts of each sentence no quoted piece covers.

    Each sentence's cuts (its quoted pieces, then a closing cut at its end) in order of
    start; a gap runs from the previous cut's end (the sentence's start for the first) to
    the next cut's start.

    Example:
        >>> sentences = pd.DataFrame({"start": [0, 20], "end": [20, 30]})
        >>> quoted = pd.DataFrame({"row": [0], "start": [5], "end": [9]})
        >>> _narrator_gaps(sentences, quoted)[["row", "start", "end"]].values.tolist()
        [[0, 0, 5], [0, 9, 20], [1, 20, 30]]
    """
    sentence_end = sentences["end"].to_numpy("int64")
    rows = np.concatenate([quoted["row"].to_numpy("int64"), np.arange(len(sentences))])
    starts = np.concatenate([quoted["start"].to_numpy("int64"), sentence_end])
    ends = np.concatenate([quoted["end"].to_numpy("int64"), sentence_end])
    order = np.lexsort((starts, rows))
    rows, starts, ends = rows[order], starts[order], ends[order]
    after_cut = np.concatenate([[False], rows[1:] == rows[:-1]])
    previous_end = np.concatenate([[0], ends[:-1]])
    gap_start = np.where(after_cut, previous_end, sentences["start"].to_numpy("int64")[rows])
    gaps = pd.DataFrame({"row": rows, "start": gap_start, "end": starts})
    return gaps[gaps["end"] > gaps["start"]].assign(voice="narrator")


def _ordered_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Sentences sorted by article and start; reversed or overlapping spans are an input error."""
    table = sentences.sort_values(["article_id", "start"], ignore_index=True)
    previous_end = table.groupby("article_id")["end"].shift()
    bad = table[(table["end"] < table["start"]) | (table["start"] < previous_end)]
    if len(bad):
        row = bad.iloc[0]
        where = f"sentence {row['sentence_index']} of article {row['article_id']}"
        raise CorpusError(SENTENCES, f"{where} overlaps the previous one or ends before it starts")
    return table


def split_voices(sentences: pd.DataFrame, quotes: pd.DataFrame) -> pd.DataFrame:
    """Cut every sentence into narrator pieces and quoted pieces, with article offsets.

    Rules: a sentence is narrator voice except where an outermost quotation of kind
    ``direct`` or ``partial`` covers it (marks included). A quotation nested in another
    belongs to the outer one, so its voice is the outer quotation's. Partial quotes
    (a few words of someone else inside the writer's sentence) are quoted voice. Scare
    quotes stay NARRATOR voice: the marks distance the writer from a word, but the word is
    the writer's choice. A quotation running over several sentences is cut at sentence
    boundaries. Quotations of articles absent from ``sentences`` are not used.

    Args:
        sentences: sentences table (``article_id, outlet, sentence_index, start, end, text``);
            sentences of one article must not overlap.
        quotes: quotations table (``article_id, start, end, kind, nested``), offsets into the
            same cleaned article text.

    Returns:
        One row per contiguous piece: ``article_id, outlet, sentence_index, voice, start,
        end, text`` (``voice`` is ``narrator`` or ``quoted``), sorted; the pieces of a
        sentence, in order, put together give its text exactly.

    Example:
        >>> text = 'She said the plan was "a disaster" and left.'
        >>> sentences = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "sentence_index": [0],
        ...                           "start": [0], "end": [len(text)], "text": [text]})
        >>> quotes = pd.DataFrame({"article_id": ["a"], "start": [22], "end": [34],
        ...                        "kind": ["partial"], "nested": [False]})
        >>> split_voices(sentences, quotes)[["voice", "text"]].values.tolist()
        [['narrator', 'She said the plan was '], ['quoted', '"a disaster"'], ['narrator', ' and left.']]
    """
    require_columns(sentences, [*SENTENCE_KEY, "outlet", "start", "end", "text"], "sentences")
    table = _ordered_sentences(sentences)
    quoted = _clip_to_sentences(table, _quoted_spans(quotes))
    pieces = pd.concat([quoted, _narrator_gaps(table, quoted)], ignore_index=True)
    rows = pieces["row"].to_numpy()
    result = pd.DataFrame({
        "article_id": _taken(table["article_id"], rows),
        "outlet": _taken(table["outlet"], rows),
        "sentence_index": table["sentence_index"].to_numpy()[rows],
        "voice": pieces["voice"],
        "start": pieces["start"].to_numpy("int64"),
        "end": pieces["end"].to_numpy("int64"),
        "text": _piece_texts(table, pieces),
    })
    return result.sort_values(["article_id", "sentence_index", "start"], ignore_index=True)


def _taken(column: pd.Series, rows: np.ndarray) -> pd.Series | np.ndarray:
    """``column``'s values at ``rows`` (0-based positions), as a DataFrame would hold them
    built from ``column.to_numpy()[rows]``; a default string column is taken as it is,
    without a round trip through Python strings."""
    if column.dtype == _DEFAULT_STRING:
        return column.take(rows).reset_index(drop=True)
    return column.to_numpy()[rows]


def _piece_texts(table: pd.DataFrame, pieces: pd.DataFrame) -> pd.Series | list[str]:
    """Each piece's text, cut from its sentence's text (``pieces.row`` is the sentence's row
    in ``table``); in a default string column, a piece holding its whole sentence takes the
    sentence's string as it is, without a round trip through Python strings."""
    rows = pieces["row"].to_numpy()
    offset = pieces["start"].to_numpy("int64") - table["start"].to_numpy("int64")[rows]
    length = (pieces["end"] - pieces["start"]).to_numpy("int64")
    texts = table["text"]
    if texts.dtype != _DEFAULT_STRING:
        return _cut_texts(texts.to_numpy(dtype=object)[rows], offset, length)
    whole = (offset == 0) & (length >= texts.str.len().to_numpy("float64", na_value=np.inf)[rows])
    cut = np.flatnonzero(~whole)
    result = texts.take(rows).reset_index(drop=True)
    result.iloc[cut] = _cut_texts(texts.take(rows[cut]).to_numpy(dtype=object), offset[cut], length[cut])
    return result


def _cut_texts(texts: np.ndarray, offset: np.ndarray, length: np.ndarray) -> list[str]:
    """``length`` characters of each text from ``offset`` on.

    Example:
        >>> _cut_texts(np.array(["Talks failed.", "No deal"], dtype=object), np.array([6, 0]), np.array([6, 2]))
        ['failed', 'No']
    """
    return [text[a:a + n] for text, a, n in zip(texts, offset, length)]


def score_voices(
    pieces: pd.DataFrame, *, progress: bool = False, sentence_scores: pd.DataFrame | None = None
) -> pd.DataFrame:
    """VADER scores of each sentence's narrator text and quoted text, scored separately.

    The pieces of one voice in one sentence are joined with a space (so words on either
    side of a cut quotation never fuse) and scored with their original characters. A
    voice whose text holds no word (e.g. the ``.`` after a closing quote) gets no row, so
    punctuation does not add zero scores. Cutting a sentence loses VADER rules that reach
    across the cut (a "but" or a negation in the other voice).

    Most sentences hold no quotation: their one voice is the whole sentence. Given the
    sentence scores (:func:`score_sentence_table` of the same sentences), a voice whose
    text is exactly its sentence's text takes that sentence's score instead of running
    VADER again on the same string (the same value by construction); every other voice is
    scored by VADER, once per distinct text (a quotation carried by several outlets).

    Args:
        pieces: output of :func:`split_voices`.
        progress: show a progress bar.
        sentence_scores: optional scored sentences (``article_id, sentence_index, text`` and
            the score columns), e.g. from :func:`score_sentence_table`.

    Returns:
        One row per (sentence, voice): ``article_id, outlet, sentence_index, voice, text,
        compound, pos, neu, neg``, sorted.

    Example:
        >>> pieces = pd.DataFrame({"article_id": ["a"] * 3, "outlet": ["X"] * 3, "sentence_index": [0] * 3,
        ...     "voice": ["narrator", "quoted", "narrator"], "start": [0, 10, 22], "end": [10, 22, 23],
        ...     "text": ["He called ", '"a disaster"', "."]})
        >>> score_voices(pieces)[["voice", "compound"]].values.tolist()
        [['narrator', 0.0], ['quoted', -0.6249]]
        >>> plain = pd.DataFrame({"article_id": ["b"], "outlet": ["X"], "sentence_index": [0],
        ...     "voice": ["narrator"], "start": [0], "end": [11], "text": ["Talks fail."]})
        >>> scored = pd.DataFrame({"article_id": ["b"], "sentence_index": [0], "text": ["Talks fail."],
        ...     "compound": [-0.5423], "pos": [0.0], "neu": [0.222], "neg": [0.778]})
        >>> score_voices(plain, sentence_scores=scored)[["text", "compound"]].values.tolist()
        [['Talks fail.', -0.5423]]
    """
    keys = ["article_id", "outlet", "sentence_index", "voice"]
    require_columns(pieces, [*keys, "start", "text"], "voice pieces")
    voices = _voice_texts(pieces, keys)
    voices = voices[_holds_word(voices["text"])].reset_index(drop=True)
    scores = np.empty((len(voices), len(SCORE_COLUMNS)))
    sentence_row = _same_text_sentence(voices, sentence_scores)
    reused = sentence_row >= 0
    if reused.any():
        scores[reused] = sentence_scores[list(SCORE_COLUMNS)].to_numpy(dtype="float64")[sentence_row[reused]]
    scores[~reused] = _score_distinct_texts(voices["text"][~reused], progress=progress)
    return pd.concat([voices, pd.DataFrame(scores, columns=list(SCORE_COLUMNS))], axis=1)


def _holds_word(texts: pd.Series) -> np.ndarray:
    """Whether each text holds a word character (``WORD_PATTERN``, Unicode ``\\w``). An ASCII
    letter, digit or underscore is one, and Arrow finds those in one pass; only the texts
    without one are searched by Python's ``re`` (for a letter such as "é" or "ж").

    Example:
        >>> _holds_word(pd.Series(["Talks.", "...", "Жж", "«»"])).tolist()
        [True, False, True, False]
    """
    holds = texts.str.contains(_ASCII_WORD_CHARACTER).to_numpy(dtype=bool, copy=True)
    others = np.flatnonzero(~holds)
    holds[others] = texts.iloc[others].str.contains(WORD_PATTERN).to_numpy(dtype=bool)
    return holds


def _voice_texts(pieces: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per (sentence, voice): its pieces in order, joined with a space."""
    ordered = pieces.sort_values([*keys, "start"], ignore_index=True)
    first = np.flatnonzero(~ordered.duplicated(keys))
    n_pieces = np.diff(np.append(first, len(ordered)))
    texts = ordered["text"].take(first).reset_index(drop=True).astype("str")
    several = np.flatnonzero(n_pieces > 1)
    texts.iloc[several] = _joined_runs(ordered["text"], first[several], n_pieces[several])
    voices = ordered.loc[first, keys].reset_index(drop=True)
    voices["text"] = texts
    return voices


def _joined_runs(texts: pd.Series, starts: np.ndarray, lengths: np.ndarray) -> list[str]:
    """The texts of each run of ``lengths[k]`` rows from position ``starts[k]``, joined with a space.

    Example:
        >>> _joined_runs(pd.Series(["a", "b", "c", "d"]), np.array([0, 2]), np.array([2, 2]))
        ['a b', 'c d']
    """
    ends = np.cumsum(lengths)
    rows = np.repeat(starts - (ends - lengths), lengths) + np.arange(ends[-1] if len(ends) else 0)
    values = texts.take(rows).to_numpy(dtype=object)
    return [" ".join(values[end - length:end]) for end, length in zip(ends, lengths)]


def _same_text_sentence(voices: pd.DataFrame, sentence_scores: pd.DataFrame | None) -> np.ndarray:
    """Row of ``sentence_scores`` holding each voice's sentence when its text is exactly the
    voice's text; -1 otherwise (and for every voice when no sentence scores are given)."""
    if sentence_scores is None:
        return np.full(len(voices), -1, dtype="int64")
    require_columns(sentence_scores, [*SENTENCE_KEY, "text", *SCORE_COLUMNS], "scored")
    sentence_keys = pd.MultiIndex.from_frame(sentence_scores[list(SENTENCE_KEY)].astype({"article_id": "str"}))
    if not sentence_keys.is_unique:
        raise CorpusError(SCORED, "a sentence (article_id, sentence_index) appears more than once")
    voice_keys = pd.MultiIndex.from_frame(voices[list(SENTENCE_KEY)].astype({"article_id": "str"}))
    row = sentence_keys.get_indexer(voice_keys)
    found = np.flatnonzero(row >= 0)
    sentence_text = sentence_scores["text"].take(row[found]).reset_index(drop=True)
    same = (sentence_text == voices["text"].take(found).reset_index(drop=True)).to_numpy(dtype=bool)
    row[found[~same]] = -1
    return row


def voice_sentiment(
    sentences: pd.DataFrame,
    quotes: pd.DataFrame,
    *,
    by: str | Sequence[str] = "outlet",
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """Narrator against quoted sentiment per outlet, with intervals and n.

    Args:
        sentences: sentences table.
        quotes: quotations table (see :func:`split_voices` for which quotes count as quoted).
        by: group column(s) besides ``voice``.
        seed: bootstrap seed.

    Returns:
        :func:`summarise` of :func:`score_voices` grouped by ``by`` and ``voice``.

    Example:
        >>> text = 'Ryabkov said "the situation is dangerous" today.'
        >>> sentences = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "sentence_index": [0],
        ...                           "start": [0], "end": [len(text)], "text": [text]})
        >>> quotes = pd.DataFrame({"article_id": ["a"], "start": [13], "end": [41],
        ...                        "kind": ["direct"], "nested": [False]})
        >>> voice_sentiment(sentences, quotes)[["voice", "n", "mean_compound"]].values.tolist()
        [['narrator', 1, 0.0], ['quoted', 1, -0.4767]]
    """
    scored = score_voices(split_voices(sentences, quotes))
    return summarise(scored, by=[*_group_keys(by), "voice"], seed=seed)


def label_voice(evidence: pd.DataFrame, pieces: pd.DataFrame) -> pd.DataFrame:
    """Add ``voice`` to evidence rows: whose words hold the match (narrator or quoted).

    Args:
        evidence: evidence table (``article_id, sentence_index, start, end`` at least).
        pieces: output of :func:`split_voices` for the same sentences.

    Returns:
        A copy of ``evidence`` with ``voice``, the voice of the piece holding the match's
        first character. A match outside every piece of its sentence raises CorpusError.

    Example:
        >>> pieces = pd.DataFrame({"article_id": ["a", "a"], "sentence_index": [0, 0],
        ...     "voice": ["narrator", "quoted"], "start": [0, 13], "end": [13, 40]})
        >>> evidence = pd.DataFrame({"article_id": ["a", "a"], "sentence_index": [0, 0],
        ...     "start": [0, 20], "end": [7, 26], "term": ["Sergei Ryabkov", "NATO"]})
        >>> label_voice(evidence, pieces)[["term", "voice"]].values.tolist()
        [['Sergei Ryabkov', 'narrator'], ['NATO', 'quoted']]
    """
    require_columns(evidence, [*SENTENCE_KEY, "start", "end"], "evidence")
    require_columns(pieces, [*SENTENCE_KEY, "voice", "start", "end"], "voice pieces")
    numbered = evidence.drop(columns=["voice"], errors="ignore").reset_index(drop=True)
    spans = pieces[[*SENTENCE_KEY, "voice", "start", "end"]]
    spans = spans.rename(columns={"start": "piece_start", "end": "piece_end"})
    candidates = numbered[[*SENTENCE_KEY, "start"]].reset_index().merge(spans, on=list(SENTENCE_KEY))
    holds = candidates["start"].between(candidates["piece_start"], candidates["piece_end"] - 1)
    voice = candidates[holds].set_index("index")["voice"]
    unplaced = numbered.index.difference(voice.index)
    if len(unplaced):
        row = numbered.loc[unplaced[0]]
        where = f"offset {row['start']} of article {row['article_id']}"
        raise CorpusError(EVIDENCE, f"match at {where} lies outside sentence {row['sentence_index']}")
    return numbered.assign(voice=voice.reindex(numbered.index).to_numpy())


def actor_sentences(scored: pd.DataFrame, evidence: pd.DataFrame, *, voice: str = "all") -> pd.DataFrame:
    """The scored sentences (or voice texts) that mention each codebook actor: the evidence.

    Args:
        scored: for ``voice="all"`` the output of :func:`score_sentence_table`; for
            ``"narrator"`` or ``"quoted"`` the output of :func:`score_voices`.
        evidence: actor matches (``article_id, sentence_index, term`` with ``term`` the
            actor's entity name, e.g. from ``measures.find_matches(..., sections=("actors",))``;
            when it has a ``section`` column only ``actors`` rows are used); for a single
            voice, labelled by :func:`label_voice`, so only mentions in that voice's own
            words count.
        voice: ``"all"`` (whole sentences), ``"narrator"`` or ``"quoted"``.

    Returns:
        One row per (actor, sentence): ``actor, n_mentions`` and the scored row's columns,
        sorted by actor, article and sentence.

    Example:
        >>> scored = pd.DataFrame({"article_id": ["a", "a"], "outlet": ["X", "X"], "sentence_index": [0, 1],
        ...     "text": ["Russia and NATO met.", "Russia is ready."], "compound": [0.0, 0.3612]})
        >>> evidence = pd.DataFrame({"article_id": ["a", "a", "a"], "sentence_index": [0, 0, 1],
        ...     "term": ["Russia", "NATO", "Russia"]})
        >>> actor_sentences(scored, evidence)[["actor", "sentence_index", "compound"]].values.tolist()
        [['NATO', 0, 0.0], ['Russia', 0, 0.0], ['Russia', 1, 0.3612]]
    """
    if voice not in ("all", *VOICES):
        raise CorpusError(None, f"voice must be 'all', 'narrator' or 'quoted', not {voice!r}")
    keys = list(SENTENCE_KEY) if voice == "all" else [*SENTENCE_KEY, "voice"]
    require_columns(scored, [*keys, "outlet", "compound"], "scored")
    require_columns(evidence, [*keys, "term"], "evidence")
    mentions = evidence[evidence["section"] == "actors"] if "section" in evidence.columns else evidence
    mentions = mentions if voice == "all" else mentions[mentions["voice"] == voice]
    counts = mentions.groupby([*keys, "term"], sort=True).size().rename("n_mentions").reset_index()
    rows = scored if voice == "all" else scored[scored["voice"] == voice]
    joined = counts.merge(rows, on=keys, how="left", indicator=True)
    missing = joined[joined["_merge"] == "left_only"]
    if len(missing):
        row = missing.iloc[0]
        where = f"sentence {row['sentence_index']} of article {row['article_id']}"
        raise CorpusError(EVIDENCE, f"{where} is not in the scored table")
    joined = joined.drop(columns="_merge").rename(columns={"term": "actor"})
    return joined.sort_values(["actor", *keys], ignore_index=True)


def actor_sentiment(
    scored: pd.DataFrame, evidence: pd.DataFrame, *, voice: str = "all", by: str | Sequence[str] = "outlet",
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """Sentiment of the sentences mentioning each actor, per outlet, with intervals and n.

    A sentence mentioning two actors counts for both. ``voice="narrator"`` keeps only the
    writer's own words (mentions and scores of narrator text), the better measure of how
    an outlet itself writes about an actor. The rows behind each number come from
    :func:`actor_sentences` with the same arguments.

    Args:
        scored: see :func:`actor_sentences`.
        evidence: see :func:`actor_sentences`.
        voice: ``"all"``, ``"narrator"`` or ``"quoted"``.
        by: group column(s) besides ``actor``.
        seed: bootstrap seed.

    Returns:
        :func:`summarise` output grouped by ``by`` and ``actor``.

    Example:
        >>> scored = pd.DataFrame({"article_id": ["a", "a"], "outlet": ["X", "X"], "sentence_index": [0, 1],
        ...     "compound": [-0.5, 0.3]})
        >>> evidence = pd.DataFrame({"article_id": ["a", "a"], "sentence_index": [0, 1],
        ...     "term": ["Russia", "Russia"]})
        >>> actor_sentiment(scored, evidence)[["outlet", "actor", "n", "mean_compound"]].values.tolist()
        [['X', 'Russia', 2, -0.1]]
    """
    rows = actor_sentences(scored, evidence, voice=voice)
    return summarise(rows, by=[*_group_keys(by), "actor"], seed=seed)


def label_positions(scored: pd.DataFrame, *, lead_size: int = 2) -> pd.DataFrame:
    """Add ``position``: ``headline``, ``lead`` (first ``lead_size`` non-headline sentences) or ``body``.

    Args:
        scored: sentences table with ``article_id, sentence_index, is_headline``.
        lead_size: how many non-headline sentences form the lead.

    Returns:
        A copy of ``scored`` with ``position``, sorted by article and sentence.

    Example:
        >>> table = pd.DataFrame({"article_id": ["a"] * 4, "sentence_index": [0, 1, 2, 3],
        ...                       "is_headline": [True, False, False, False]})
        >>> label_positions(table).position.tolist()
        ['headline', 'lead', 'lead', 'body']
    """
    require_columns(scored, [*SENTENCE_KEY, "is_headline"], "sentences")
    table = scored.sort_values(list(SENTENCE_KEY), ignore_index=True)
    headline = table["is_headline"].astype(bool)
    rank = (~headline).astype("int64").groupby(table["article_id"]).cumsum()
    position = np.where(headline, "headline", np.where(rank <= lead_size, "lead", "body"))
    return table.assign(position=pd.Categorical(position, categories=list(POSITIONS)))


def position_sentiment(
    scored: pd.DataFrame, *, by: str | Sequence[str] = "outlet", lead_size: int = 2, seed: int = DEFAULT_SEED
) -> pd.DataFrame:
    """Headline and lead against the rest of the article, per outlet.

    Args:
        scored: output of :func:`score_sentence_table` (needs ``is_headline``).
        by: group column(s) besides ``position``; ``()`` pools all outlets.
        lead_size: non-headline sentences counted as the lead.
        seed: bootstrap seed.

    Returns:
        :func:`summarise` output grouped by ``by`` and ``position`` (headline, lead, body
        order); an article without a headline in its text adds no headline row.

    Example:
        >>> scored = pd.DataFrame({"article_id": ["a"] * 4, "outlet": ["X"] * 4,
        ...     "sentence_index": [0, 1, 2, 3], "is_headline": [True, False, False, False],
        ...     "compound": [0.4, 0.2, 0.0, -0.3]})
        >>> position_sentiment(scored)[["position", "n", "mean_compound"]].values.tolist()
        [['headline', 1, 0.4], ['lead', 2, 0.1], ['body', 1, -0.3]]
    """
    positioned = label_positions(scored, lead_size=lead_size)
    summary = summarise(positioned, by=[*_group_keys(by), "position"], seed=seed)
    return summary[summary["n"] > 0].reset_index(drop=True).astype({"position": "str"})


def vader_tokens(text: str) -> list[str]:
    """The tokens VADER looks up for ``text``: split on whitespace, ASCII punctuation trimmed.

    The same tokens as VADER's own ``SentiText(text).words_and_emoticons`` (3.3.2):
    punctuation is trimmed only when more than two characters
    remain, and typographic marks (curly quotes, dashes) are not punctuation to it, so
    ``“invade”`` stays one token that its lexicon does not hold.

    Example:
        >>> vader_tokens("No plans to “invade” Ukraine, he said.")
        ['No', 'plans', 'to', '“invade”', 'Ukraine', 'he', 'said']
    """
    return list(map(_vader_token, text.split()))


def _vader_token(chunk: str) -> str:
    """VADER's token for a whitespace-separated chunk: ASCII punctuation trimmed from both
    ends unless 2 characters or fewer would remain (``:)`` stays itself)."""
    stripped = chunk.strip(string.punctuation)
    return stripped if len(stripped) > 2 else chunk


def lexicon_coverage(sentences: pd.DataFrame, *, by: str | Sequence[str] = "outlet") -> pd.DataFrame:
    """Share of word tokens VADER has a valence for, per group, with a Wilson interval.

    Tokens are VADER's own (:func:`vader_tokens`), looked up lower-cased in VADER's own
    lexicon dict, exactly as ``polarity_scores`` does; word tokens are those holding a
    letter or digit. Emoji are not expanded (news text). ``n_hidden_by_marks`` counts
    tokens VADER misses only because a typographic mark is glued to them (``“lost``):
    their valence is lost from the scores.

    Args:
        sentences: table with ``text`` and the ``by`` column(s).
        by: group column(s).

    Returns:
        One row per group: ``n_tokens, n_in_lexicon, share_in_lexicon, share_low,
        share_high, n_hidden_by_marks``, sorted.

    Example:
        >>> table = pd.DataFrame({"outlet": ["X"], "text": ["Russia fears “invasion” and “lost” trust."]})
        >>> coverage = lexicon_coverage(table)
        >>> coverage[["outlet", "n_tokens", "n_in_lexicon", "n_hidden_by_marks"]].values.tolist()
        [['X', 6, 2, 1]]
    """
    keys = _group_keys(by)
    require_columns(sentences, [*keys, "text"], "sentences")
    tokens = sentences[keys].assign(token=[vader_tokens(text) for text in sentences["text"]]).explode("token")
    tokens = tokens[tokens["token"].astype("str").str.contains(WORD_PATTERN) & tokens["token"].notna()]
    lexicon = pd.Index(list(_analyzer().lexicon))
    lower = tokens["token"].astype("str").str.lower()
    in_lexicon = lower.isin(lexicon)
    hidden = ~in_lexicon & lower.str.strip(UNSTRIPPED_MARKS).isin(lexicon)
    counts = tokens[keys].assign(n_tokens=1, n_in_lexicon=in_lexicon.astype("int64"),
                                 n_hidden_by_marks=hidden.astype("int64"))
    totals = counts.groupby(keys, sort=True, dropna=False).sum().reset_index()
    totals = add_share_columns(totals, successes="n_in_lexicon", n="n_tokens").rename(columns={"share": "share_in_lexicon"})
    return totals[[*keys, "n_tokens", "n_in_lexicon", "share_in_lexicon", "share_low", "share_high",
                   "n_hidden_by_marks"]]


def _vader_words(pattern: str, lexicon: dict[str, float]) -> str:
    """The words of a plain pattern that VADER scores, as ``word +1.4``; empty when none."""
    found = [(token.lower(), lexicon.get(token.lower())) for token in vader_tokens(pattern)]
    return "; ".join(f"{word} {valence:+.1f}" for word, valence in found if valence is not None)


def unknown_codebook_terms(
    codebook: Codebook, *, categories: Sequence[str] | None = None, include_known: bool = False
) -> pd.DataFrame:
    """Codebook term patterns VADER has no valence for: its scores cannot see these words.

    A framing study's key words are often missing from VADER ("invasion", "sanctions",
    "troops", "alleged" have no valence), while some have a valence the study may not
    expect ("security" is +1.4, so "security guarantees" reads as positive). Report this
    table beside the sentiment scores. Words are VADER's own tokens of each plain pattern,
    looked up lower-cased. A ``regex:`` pattern cannot be split into words: it is listed
    with ``is_regex`` True and ``in_vader`` False, to be checked by hand.

    Args:
        codebook: a loaded codebook (``analysis.codebook.load_codebook``).
        categories: term categories to check (default: all, e.g. contested terms and
            distancing markers).
        include_known: also list patterns with a VADER word (to see "security +1.4").

    Returns:
        One row per pattern: ``category, term, pattern, is_regex, in_vader, vader_words``
        (``vader_words`` like ``"security +1.4"``), in codebook order.

    Example:
        >>> from analysis.codebook import load_codebook
        >>> table = unknown_codebook_terms(load_codebook(), categories=["contested_terms"], include_known=True)
        >>> shown = table.pattern.isin(["invasion", "security guarantees"])
        >>> table.loc[shown, ["pattern", "in_vader", "vader_words"]].values.tolist()
        [['invasion', False, ''], ['security guarantees', True, 'security +1.4']]
    """
    if not isinstance(codebook, Codebook):
        got = type(codebook).__name__
        raise CodebookError(None, f"expected a Codebook from analysis.codebook.load_codebook, got {got}")
    terms = codebook.terms_table()
    unknown = sorted(set(categories or ()) - set(terms["category"]))
    if unknown:
        known = ", ".join(terms["category"].unique())
        raise CodebookError(codebook.path, f"no term category {unknown[0]!r} (has {known})")
    if categories is not None:
        terms = terms[terms["category"].isin(categories)]
    is_regex = terms["pattern"].str.startswith(REGEX_PREFIX)
    lexicon = _analyzer().lexicon
    words = ["" if regex else _vader_words(text, lexicon) for text, regex in zip(terms["pattern"], is_regex)]
    table = terms[["category", "term", "pattern"]].assign(is_regex=is_regex.to_numpy(), vader_words=words)
    table = table.assign(in_vader=table["vader_words"] != "")
    table = table if include_known else table[~table["in_vader"]]
    return table[["category", "term", "pattern", "is_regex", "in_vader", "vader_words"]].reset_index(drop=True)

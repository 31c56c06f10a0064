"""Word tokens that keep the original text, and an explicit normalisation step.

Tokens are spans of the input: ``text[start:end]`` is exactly the token, with its case,
curly or straight quotes and apostrophes. Normalisation (lower case, curly apostrophe to
straight, possessive ``'s`` kept or removed) is a separate call, so measures say which one
they use. Works offline: a precompiled regular expression, no nltk data.

Example:
    >>> [t.text for t in tokenize("Russia’s “invasion” of U.S. talks")]
    ['Russia’s', '“', 'invasion', '”', 'of', 'U.S.', 'talks']
    >>> normalise("Russia’s")
    "russia's"
"""
from __future__ import annotations

import functools
import re
import threading
import unicodedata
from typing import Iterable, Iterator, NamedTuple

import numpy as np
import pandas as pd


def _combining_mark_ranges() -> str:
    """Character-class ranges of the combining marks (Unicode category M) in the BMP.

    Python's ``\\w`` does not match them, so without this Arabic vowel signs (``موسَّعة``)
    or decomposed accents would cut a word in pieces.
    """
    ranges: list[tuple[int, int]] = []
    for code in range(0x300, 0x10000):
        if not unicodedata.category(chr(code)).startswith("M"):
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "".join(f"{chr(low)}-{chr(high)}" for low, high in ranges)


_MARKS = _combining_mark_ranges()
_WORD = rf"\w+(?:[{_MARKS}]+\w*)*"  # letters and digits with their combining marks

# Word tokens, in this order: initialisms with dots (U.S., a.m.), numbers with separators
# (100,000  7.5  9:00  4-5  10%, but not 10th or 10-year-old, which are words), then words
# with inner apostrophes or hyphens (Russia's, don't, de-escalation, NATO-Russia).
# Every token starts with a letter or digit, so the pattern takes that character first (the
# regex engine then skips spaces and punctuation quickly) and each branch checks it looking
# back: ``\.(?<=[A-Za-z]\.)`` is "a letter, then a dot", ``(?<=\d)\d*`` is ``\d+``. The
# look-ahead before a word's apostrophes, hyphens and combining marks only skips that part
# when none follows. The tokens are those of the plain form
# ``(?:[A-Za-z]\.){2,} | \d+(?:[.,:/-]\d+)*%?(?!...) | WORD(?:['’]WORD)*(?:-WORD...)*``.
WORD_TOKEN_PATTERN = re.compile(
    rf"""
    \w(?:
        \.(?<=[A-Za-z]\.)(?:[A-Za-z]\.)+
      | (?<=\d)\d*(?:[.,:/-]\d+)*%?(?![\w{_MARKS}]|[-'’]\w)
      | \w*(?:(?=[{_MARKS}'’-])(?:[{_MARKS}]+\w*)*(?:['’]{_WORD})*(?:-{_WORD}(?:['’]{_WORD})*)*)?
    )
    """,
    re.VERBOSE,
)
# Every token: a word token, or else any single non-space character (punctuation, quote
# marks, symbols). The scan visits the same positions as WORD_TOKEN_PATTERN alone, so the
# word tokens of ``tokenize`` are exactly the matches of WORD_TOKEN_PATTERN.
TOKEN_PATTERN = re.compile(rf"{WORD_TOKEN_PATTERN.pattern}|\S", re.VERBOSE)
WORD_PATTERN = re.compile(r"\w", re.UNICODE)
_CURLY_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
_POSSESSIVE = re.compile(r"'s$", re.IGNORECASE)


class Token(NamedTuple):
    """One token: character offsets into the source text and the original characters."""

    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens with offsets, keeping the original characters.

    Args:
        text: any string.

    Returns:
        A list of :class:`Token` in text order; ``text[t.start:t.end] == t.text``.
        Punctuation and each quote mark is a token of its own.

    Example:
        >>> tokenize("He said: don't")
        [Token(start=0, end=2, text='He'), Token(start=3, end=7, text='said'), Token(start=7, end=8, text=':'), Token(start=9, end=14, text="don't")]
    """
    return [Token(m.start(), m.end(), m.group()) for m in TOKEN_PATTERN.finditer(text)]


def iter_words(text: str) -> Iterator[Token]:
    """Yield only word tokens (those holding a letter or digit), with offsets.

    Args:
        text: any string.

    Returns:
        An iterator of :class:`Token`, the tokens of :func:`tokenize` that are words.

    Example:
        >>> [t.text for t in iter_words('a "so-called" deal on January 10th.')]
        ['a', 'so-called', 'deal', 'on', 'January', '10th']
    """
    for match in WORD_TOKEN_PATTERN.finditer(text):
        yield Token(match.start(), match.end(), match.group())


def count_words(text: str) -> int:
    """Number of word tokens in ``text`` (the denominator of every rate per 1,000 words).

    Args:
        text: any string.

    Returns:
        How many tokens :func:`iter_words` yields.

    Example:
        >>> count_words("The U.S. side was “firm”.")
        5
    """
    return len(WORD_TOKEN_PATTERN.findall(text))


def characters_beyond_ascii(text: str) -> list[str]:
    """The distinct characters of ``text`` beyond ASCII (none for an ASCII text, found at once),
    for fast paths that hold only when such characters are, say, not word characters.

    Example:
        >>> characters_beyond_ascii("Kyiv"), characters_beyond_ascii("“Kyiv” – Kyiv’s")
        ([], ['–', '’', '“', '”'])
    """
    if text.isascii():
        return []
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return [chr(code) for code in np.unique(codes[codes > 127]).tolist()]


class _ChunkWordCounts(dict):
    """``{chunk: count_words(chunk)}`` for whitespace-free chunks, counted when first asked for."""

    def __missing__(self, chunk: str) -> int:
        count = self[chunk] = len(WORD_TOKEN_PATTERN.findall(chunk))
        return count


_SPACE, _LETTER, _PUNCTUATION, _OTHER = range(4)
# Texts are counted in batches of up to this many characters (their chunks are kept at once,
# about 25 bytes a word); each thread remembers its last batch for the next call.
_BATCH_CHARS = 1 << 24
_PASS_CHARS = 1 << 22  # characters counted in one numpy pass: bounds its memory


@functools.lru_cache(maxsize=1)
def _character_kinds() -> np.ndarray:
    """Kind of each BMP character for counting words: ``_SPACE`` (``str.isspace``), ``_LETTER``
    (``str.isalpha``), ``_PUNCTUATION`` (no word character, mark, control or format character)
    or ``_OTHER`` (the rest: digits, ``_``, marks, ...; U+FFFF stands for every character
    beyond the BMP)."""
    kinds = np.full(0x10000, _OTHER, dtype=np.uint8)
    for code in range(0xFFFF):
        char = chr(code)
        if char.isspace():
            kinds[code] = _SPACE
        elif char.isalpha():
            kinds[code] = _LETTER
        elif not (char.isalnum() or char == "_" or unicodedata.category(char)[0] in "MC"):
            kinds[code] = _PUNCTUATION
    return kinds


class ChunkWords(NamedTuple):
    """The whitespace-separated chunks of some texts laid end to end (joined by ``"\\n"``):
    where each text and each chunk starts, where each chunk ends, and the word tokens in the
    chunks before each chunk (one more entry: all of them)."""

    text_starts: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    words_before: np.ndarray


# The last batch of texts of each thread (a Dask worker may run several) and its ChunkWords.
_remembered = threading.local()


def chunk_words(texts: Iterable[str]) -> ChunkWords:
    """:class:`ChunkWords` of ``texts``, each chunk's words counted once; each thread remembers
    its last batch (up to 16M characters), so counting the words of articles and then of their
    sentences walks the chunks once.

    A word token holds no whitespace, and the pattern looks past a token only to see whether
    a word character (or an apostrophe or hyphen and one) follows, which whitespace and the
    end of the text both deny: a text's words are those of its chunks. A chunk of letters
    between punctuation (``“Russia,”``; no digit, ``_`` or combining mark) holds one word, a
    chunk of punctuation none; other chunks are counted with :data:`WORD_TOKEN_PATTERN`.

    Args:
        texts: strings (articles, sentences, ...).

    Returns:
        :class:`ChunkWords`; offsets index the texts joined by ``"\n"``.

    Example:
        >>> chunk_words(["It’s 10 a.m.", "—"]).words_before.tolist()
        [0, 1, 2, 3, 3]
    """
    texts = tuple(texts)
    remembered_texts, found = getattr(_remembered, "batch", ((), None))
    if found is None or remembered_texts != texts:
        found = _count_chunk_words(texts)
        _remembered.batch = (texts, found) if sum(map(len, texts)) <= _BATCH_CHARS else ((), None)
    return found


def _count_chunk_words(texts: tuple[str, ...]) -> ChunkWords:
    """:func:`chunk_words` without the memory of the last batch, in passes of at most
    :data:`_PASS_CHARS` characters (a pass's arrays take about 30 bytes a character)."""
    lengths = np.fromiter(map(len, texts), dtype="int64", count=len(texts))
    text_starts = np.cumsum(lengths + 1) - lengths - 1
    firsts = _firsts_by_size(lengths, _PASS_CHARS)
    passes = [_chunk_counts(texts[first:last]) for first, last in zip(firsts[:-1], firsts[1:])]
    offsets = text_starts[firsts[:-1]] if len(texts) else np.zeros(0, dtype="int64")
    starts = np.concatenate([np.zeros(0, dtype="int64"), *(start + offset for (start, _, _), offset in zip(passes, offsets))])
    ends = np.concatenate([np.zeros(0, dtype="int64"), *(end + offset for (_, end, _), offset in zip(passes, offsets))])
    counts = np.concatenate([np.zeros(0, dtype="int64"), *(count for _, _, count in passes)])
    words_before = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=words_before[1:])
    return ChunkWords(text_starts, starts, ends, words_before)


def _firsts_by_size(lengths: np.ndarray, max_chars: int) -> list[int]:
    """First text of each group of texts of at most ``max_chars`` characters in all (a longer
    text is a group of its own), then the number of texts.

    Example:
        >>> _firsts_by_size(np.array([4, 4, 4, 20, 0, 3]), 10)
        [0, 2, 3, 4, 6]
    """
    firsts, size = [0], 0
    for number, length in enumerate(lengths.tolist()):
        if size and size + length > max_chars:
            firsts.append(number)
            size = 0
        size += length + 1
    return firsts + [len(lengths)] if len(lengths) else [0]


def _chunk_counts(texts: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start, end and word count of every chunk of ``texts`` joined by ``"\n"``."""
    joined = "\n".join(texts)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    kinds = _character_kinds().take(codes, mode="clip")
    bounds = np.flatnonzero(np.diff(kinds != _SPACE, prepend=False, append=False))
    starts, ends = bounds[::2], bounds[1::2]
    letters = kinds == _LETTER
    # Weights summed per chunk (the whitespace after it weighs nothing): 1 for the first letter
    # of a run of letters, 2 for an _OTHER character; 0 or 1 is then the chunk's word count.
    weight = np.left_shift((kinds == _OTHER).view(np.uint8), 1)
    weight[1:] += letters[1:] > letters[:-1]
    weight[:1] += letters[:1]
    counts = np.add.reduceat(weight, starts, dtype=np.int64) if len(starts) else np.zeros(0, np.int64)
    hard = np.flatnonzero(counts > 1)  # not one run of letters between punctuation
    count = _ChunkWordCounts().__getitem__
    counts[hard] = [count(joined[start:end]) for start, end in zip(starts[hard].tolist(), ends[hard].tolist())]
    return starts.astype("int64"), ends.astype("int64"), counts


def word_counts(texts: Iterable[str]) -> np.ndarray:
    """:func:`count_words` of each text, with each chunk counted once (:func:`chunk_words`).

    Args:
        texts: strings (articles, sentences, ...).

    Returns:
        An int64 array, ``count_words(text)`` per text, in order.

    Example:
        >>> word_counts(["The U.S. side was “firm”.", "", "firm, firm 100,000"]).tolist()
        [5, 0, 3]
    """
    batches = _batches(tuple(texts))
    return np.concatenate([np.zeros(0, dtype="int64"), *(_text_counts(chunk_words(batch)) for _, batch in batches)])


def _batches(texts: tuple[str, ...]) -> list[tuple[int, tuple[str, ...]]]:
    """``(first, texts)`` of each batch of at most :data:`_BATCH_CHARS` characters."""
    firsts = _firsts_by_size(np.fromiter(map(len, texts), dtype="int64", count=len(texts)), _BATCH_CHARS)
    return [(first, texts[first:last]) for first, last in zip(firsts[:-1], firsts[1:])]


def _text_counts(chunks: ChunkWords) -> np.ndarray:
    """Words per text, from its :class:`ChunkWords`."""
    first_chunk = np.searchsorted(chunks.starts, chunks.text_starts)
    bounds = chunks.words_before[np.append(first_chunk, len(chunks.starts))]
    return np.diff(bounds).astype("int64")


def span_word_counts(texts: Iterable[str], text_row: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """:func:`count_words` of ``texts[text_row][start:end]`` per span, from the words of the
    texts' chunks (:func:`chunk_words`): the chunks inside a span, plus the pieces of the
    chunks a span's edges cut through, counted on their own.

    Args:
        texts: strings (articles, ...).
        text_row: position in ``texts`` of each span's text.
        start, end: each span's offsets in its text.

    Returns:
        An int64 array, ``count_words(texts[row][start:end])`` per span, in order.

    Example:
        >>> span_word_counts(["It ended.Then U.S. talks"], np.array([0, 0]), np.array([0, 9]),
        ...                  np.array([9, 24])).tolist()
        [2, 3]
    """
    counts = np.zeros(len(text_row), dtype="int64")
    batches = _batches(tuple(texts))
    batch_of_span = np.searchsorted([first for first, _ in batches], text_row, side="right") - 1
    for number, (first, batch) in enumerate(batches):
        spans = np.flatnonzero(batch_of_span == number) if len(batches) > 1 else np.arange(len(text_row))
        counts[spans] = _span_counts(batch, chunk_words(batch), text_row[spans] - first, start[spans], end[spans])
    return counts


def _span_counts(texts: tuple[str, ...], chunks: ChunkWords, text_row: np.ndarray, start: np.ndarray,
                 end: np.ndarray) -> np.ndarray:
    """:func:`span_word_counts` within one batch of texts and its :class:`ChunkWords`."""
    if not len(chunks.starts):  # only whitespace
        return np.zeros(len(text_row), dtype="int64")
    offset = chunks.text_starts[text_row]
    span_start, span_end = offset + start, offset + end
    inside_first = np.searchsorted(chunks.starts, span_start, "left")
    inside_end = np.searchsorted(chunks.ends, span_end, "right")
    counts = np.maximum(chunks.words_before[inside_end] - chunks.words_before[inside_first], 0)
    lead = inside_first - 1  # the chunk starting before the span, if the span starts inside it
    cut_lead = np.flatnonzero((lead >= 0) & (chunks.ends[np.maximum(lead, 0)] > span_start))
    trail = np.minimum(inside_end, len(chunks.starts) - 1)  # the chunk the span ends inside, if any
    cut_trail = np.flatnonzero((inside_end < len(chunks.starts)) & (chunks.starts[trail] < span_end)
                               & (chunks.starts[trail] >= span_start))
    pieces = [(cut_lead, span_start[cut_lead], np.minimum(chunks.ends[lead[cut_lead]], span_end[cut_lead])),
              (cut_trail, chunks.starts[trail[cut_trail]], span_end[cut_trail])]
    count = _ChunkWordCounts().__getitem__
    for spans, piece_start, piece_end in pieces:
        local = offset[spans]
        rows_and_bounds = zip(text_row[spans].tolist(), (piece_start - local).tolist(), (piece_end - local).tolist())
        counts[spans] += np.fromiter((count(texts[row][a:b]) for row, a, b in rows_and_bounds), "int64", len(spans))
    return counts.astype("int64")


def normalise(
    token: str,
    *,
    lower: bool = True,
    straight_apostrophes: bool = True,
    drop_possessive: bool = False,
) -> str:
    """Normalise one token for counting; the original text is never changed.

    Args:
        token: the token text.
        lower: lower-case it (default True).
        straight_apostrophes: map curly apostrophes to ``'`` (default True).
        drop_possessive: remove a final ``'s`` / ``’s`` (default False). This also
            shortens the contractions ``it's`` and ``that's``.

    Returns:
        The normalised token.

    Example:
        >>> normalise("NATO’s"), normalise("NATO’s", lower=False)
        ("nato's", "NATO's")
        >>> normalise("Russia’s", drop_possessive=True)
        'russia'
    """
    if drop_possessive:  # apostrophe mapping keeps lengths, so cut the original
        token = token[: len(_POSSESSIVE.sub("", token.translate(_CURLY_APOSTROPHES)))]
    if straight_apostrophes:
        token = token.translate(_CURLY_APOSTROPHES)
    return token.lower() if lower else token


def tokens_table(text: str) -> pd.DataFrame:
    """Tokens of ``text`` as a table with columns ``start, end, text, is_word, norm``.

    Args:
        text: any string.

    Returns:
        One row per token of :func:`tokenize`; ``norm`` is :func:`normalise` with its
        defaults (lower case, straight apostrophes).

    Example:
        >>> tokens_table("Kyiv, not Kiev").norm.tolist()
        ['kyiv', ',', 'not', 'kiev']
    """
    matches = list(TOKEN_PATTERN.finditer(text))
    table = pd.DataFrame(
        {
            "start": np.array([m.start() for m in matches], dtype="int64"),
            "end": np.array([m.end() for m in matches], dtype="int64"),
            "text": pd.Series([m.group() for m in matches], dtype="str"),
        }
    )
    table["is_word"] = table["text"].str.contains(WORD_PATTERN).astype("bool")
    table["norm"] = table["text"].str.translate(_CURLY_APOSTROPHES).str.lower()
    return table


def owners_and_positions(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(owner, within)`` for items that own ``counts[i]`` entries each, laid out in order:
    ``owner`` repeats ``i`` ``counts[i]`` times and ``within`` counts 0, 1, ... per owner
    (e.g. the sentences of each line, the matches of each text).

    Example:
        >>> [a.tolist() for a in owners_and_positions(np.array([2, 0, 1]))]
        [[0, 0, 2], [0, 1, 0]]
    """
    owner = np.repeat(np.arange(len(counts)), counts)
    return owner, np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)

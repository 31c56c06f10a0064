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

import re
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


def word_counts(texts: Iterable[str]) -> np.ndarray:
    """:func:`count_words` of each text, with each distinct whitespace-separated chunk counted once.

    A word token holds no whitespace, and the pattern looks past a token only to see whether
    a word character (or an apostrophe or hyphen and one) follows, which whitespace and the
    end of the text both deny. So a text's count is the sum of the counts of its chunks
    (``text.split()``), and chunks repeat (``the``, ``Russia,``) far more than texts do.

    Args:
        texts: strings (articles, sentences, ...).

    Returns:
        An int64 array, ``count_words(text)`` per text, in order.

    Example:
        >>> word_counts(["The U.S. side was “firm”.", "", "firm, firm 100,000"]).tolist()
        [5, 0, 3]
    """
    count = _ChunkWordCounts().__getitem__
    return np.fromiter((sum(map(count, text.split())) for text in texts), dtype="int64")


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

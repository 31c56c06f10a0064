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
from typing import Iterator, NamedTuple

import pandas as pd

# Order matters: abbreviations with inner dots (U.S., U.N.), numbers with separators
# (100,000, 7.5, 4-5), words with inner apostrophes or hyphens (Russia's, don't, de-escalate),
# then any single non-space character (punctuation and quote marks).
TOKEN_PATTERN = re.compile(
    r"""
    (?:[A-Za-z]\.){2,}                      # U.S. U.N. (initialisms with dots)
  | \d+(?:[.,:/-]\d+)*%?                    # 100,000  7.5  9:00  4-5  10%
  | \w+(?:['’]\w+)*(?:-\w+(?:['’]\w+)*)*    # Russia's don't de-escalation NATO-Russia
  | \S                                      # punctuation, quote marks, symbols
    """,
    re.VERBOSE,
)
WORD_PATTERN = re.compile(r"\w", re.UNICODE)
_CURLY_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


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

    Example:
        >>> tokenize("He said: don't")
        [Token(start=0, end=2, text='He'), Token(start=3, end=7, text='said'), Token(start=7, end=8, text=':'), Token(start=9, end=14, text="don't")]
    """
    return [Token(m.start(), m.end(), m.group()) for m in TOKEN_PATTERN.finditer(text)]


def iter_words(text: str) -> Iterator[Token]:
    """Yield only word tokens (those holding a letter or digit), with offsets.

    Example:
        >>> [t.text for t in iter_words('a "so-called" deal.')]
        ['a', 'so-called', 'deal']
    """
    for match in TOKEN_PATTERN.finditer(text):
        if WORD_PATTERN.search(match.group()):
            yield Token(match.start(), match.end(), match.group())


def count_words(text: str) -> int:
    """Number of word tokens in ``text`` (the denominator of every rate per 1,000 words).

    Example:
        >>> count_words("The U.S. side was “firm”.")
        5
    """
    return sum(1 for _ in iter_words(text))


def normalise(token: str, *, lower: bool = True, straight_apostrophes: bool = True) -> str:
    """Normalise one token for counting; the original text is never changed.

    Args:
        token: the token text.
        lower: lower-case it (default True).
        straight_apostrophes: map curly apostrophes to ``'`` (default True).

    Example:
        >>> normalise("NATO’s"), normalise("NATO’s", lower=False)
        ("nato's", "NATO's")
    """
    if straight_apostrophes:
        token = token.translate(_CURLY_APOSTROPHES)
    return token.lower() if lower else token


def tokens_table(text: str) -> pd.DataFrame:
    """Tokens of ``text`` as a table with columns ``start, end, text, is_word, norm``.

    Example:
        >>> tokens_table("Kyiv, not Kiev").norm.tolist()
        ['kyiv', ',', 'not', 'kiev']
    """
    rows = tokenize(text)
    table = pd.DataFrame(rows, columns=list(Token._fields))
    table["is_word"] = table["text"].str.contains(WORD_PATTERN)
    table["norm"] = table["text"].map(normalise)
    return table.astype({"start": "int64", "end": "int64", "is_word": "bool"})

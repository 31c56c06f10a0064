"""Keyword in context: every occurrence of a word, phrase or pattern with the words around it.

A concordance lets a reader check how a counted word is used before trusting a count:
"attack" in a denial ("no plans to attack Ukraine") reads differently from "an attack on
Ukraine". Context stays within the sentence; ``whole_sentence=True`` shows all of it.

Example:
    >>> sentences = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "sentence_index": [0],
    ...     "start": [0], "text": ["Russia told the U.S. it has no plans to attack Ukraine;"]})
    >>> kwic(sentences, "attack", window=3)[["left", "match", "right"]].values.tolist()
    [['no plans to', 'attack', 'Ukraine']]
"""
from __future__ import annotations

import re

import pandas as pd

from analysis.codebook import phrase_regex
from analysis.errors import require_columns
from analysis.measures import scan_sentences
from analysis.tokens import iter_words

KWIC_COLUMNS = ["outlet", "article_id", "sentence_index", "left", "match", "right", "start", "end"]


def kwic(sentences: pd.DataFrame, query: str, *, window: int = 5, regex: bool = False,
         whole_sentence: bool = False, case_sensitive: bool = False) -> pd.DataFrame:
    """Keyword-in-context table for a word, a phrase or a regular expression.

    Args:
        sentences: sentences table (``analysis.sentences.sentences_table``).
        query: a word or phrase (whole words, any spacing, straight or curly apostrophes,
            as in the codebook), or a Python regular expression when ``regex=True``.
        window: context size on each side, in word tokens (``analysis.tokens``); punctuation
            between those words is kept.
        regex: treat ``query`` as a regular expression.
        whole_sentence: show the whole sentence around the match instead of ``window`` words.
        case_sensitive: match case exactly (default: ignore case).

    Returns:
        Table ``outlet, article_id, sentence_index, left, match, right, start, end``, one
        row per occurrence, sorted by article and offset; ``start/end`` index the article's
        cleaned text.

    Raises:
        ValueError: for an empty query, a negative window, an invalid regular expression or
            one that matches empty text.

    Example:
        >>> sentences = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "sentence_index": [2],
        ...     "start": [40], "text": ["Sherman told AFP that the U.S. was ready to meet again."]})
        >>> table = kwic(sentences, r"U\\.S\\.|AFP", regex=True, window=2)
        >>> table[["left", "match", "right", "start"]].values.tolist()
        [['Sherman told', 'AFP', 'that the', 53], ['that the', 'U.S.', 'was ready', 66]]
    """
    if window < 0:
        raise ValueError(f"kwic: window must be 0 or more words, not {window}")
    pattern = compile_query(query, regex=regex, case_sensitive=case_sensitive)
    require_columns(sentences, ("article_id", "outlet", "sentence_index", "start", "text"), "sentences")
    hits = scan_sentences(sentences, pattern)
    rows = hits["row"].to_numpy()
    texts = sentences["text"].astype(str).to_numpy()[rows]
    offsets = hits["start"].to_numpy() - sentences["start"].to_numpy(dtype="int64")[rows]
    contexts = [
        _context(text, int(begin), int(begin) + len(match), window=window, whole_sentence=whole_sentence)
        for text, begin, match in zip(texts, offsets, hits["match"])
    ]
    table = pd.DataFrame({
        "outlet": sentences["outlet"].to_numpy()[rows],
        "article_id": sentences["article_id"].to_numpy()[rows],
        "sentence_index": sentences["sentence_index"].to_numpy()[rows],
        "left": [left for left, _ in contexts],
        "match": hits["match"].to_numpy(),
        "right": [right for _, right in contexts],
        "start": hits["start"].to_numpy(),
        "end": hits["end"].to_numpy(),
    })
    types = {"outlet": "str", "article_id": "str", "sentence_index": "int64", "left": "str",
             "match": "str", "right": "str", "start": "int64", "end": "int64"}
    return table.astype(types).sort_values(["article_id", "start"], ignore_index=True)[KWIC_COLUMNS]


def compile_query(query: str, *, regex: bool = False, case_sensitive: bool = False) -> re.Pattern:
    """Compile a concordance query: a phrase with codebook semantics, or a regular expression.

    Args:
        query: the word, phrase or regular expression.
        regex: treat ``query`` as a Python regular expression.
        case_sensitive: match case exactly.

    Returns:
        The compiled pattern.

    Raises:
        ValueError: naming the query and the problem.

    Example:
        >>> compile_query("so-called").pattern
        '(?<!\\\\w)so\\\\-called(?!\\\\w)'
        >>> compile_query("(", regex=True)
        Traceback (most recent call last):
        ...
        ValueError: kwic: invalid regular expression '(': missing ), unterminated subpattern at position 0
    """
    if not isinstance(query, str) or not query.strip():
        raise ValueError("kwic: the query is empty; give a word, a phrase or a regular expression")
    source = query if regex else phrase_regex(query)
    try:
        pattern = re.compile(source, 0 if case_sensitive else re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"kwic: invalid regular expression {query!r}: {exc}") from None
    if pattern.fullmatch(""):
        raise ValueError(f"kwic: the regular expression {query!r} matches empty text")
    return pattern


def _context(text: str, begin: int, end: int, *, window: int, whole_sentence: bool) -> tuple[str, str]:
    """Left and right context of ``text[begin:end]``: ``window`` words, or the whole sentence."""
    if whole_sentence:
        return text[:begin].strip(), text[end:].strip()
    if window == 0:
        return "", ""
    before = list(iter_words(text[:begin]))[-window:]
    left = text[before[0].start:begin].strip() if before else ""
    after = []
    for token in iter_words(text[end:]):
        after.append(token)
        if len(after) == window:
            break
    right = text[end:end + after[-1].end].strip() if after else ""
    return left, right

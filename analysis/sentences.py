"""Sentence splitting for news text, offline, with offsets into the cleaned article text.

Each line of an article (a paragraph, or the headline) is split on its own, so a headline or
subheading without final punctuation is a sentence and no sentence crosses a line break.
Inside a line, nltk's Punkt algorithm decides, with parameters shipped in
``analysis/data/punkt_abbreviations.txt`` (no model download): a period after ``U.S.``,
``No.``, ``Jan.``, ``a.m.`` or an initial does not end a sentence unless a word such as
``The`` follows. Two rules are added to Punkt: a sentence never starts with a lower-case
letter (``“Where can we move?” he asked.`` is one sentence) and an ellipsis (``…``,
``...``) marks words left out of a quotation, not the end of a sentence. A closing quote
mark stays with its sentence. For speed, the candidate ends are found here as Punkt finds
them (those of all lines at once, with numpy from each character's kind), Punkt's decision
on each candidate is memoised (it depends on a few characters around the mark only) and the
spans between the breaks are built with numpy; the spans are those of nltk's ``span_tokenize``.

Some outlets close a quoted paragraph with the speaker's name and title and no quotation
marks (``... nothing to bargain with. Sergey Ryabkov Deputy Foreign Minister of Russia``).
:func:`find_attribution_tail` finds that speaker line, which becomes a sentence of its own
with ``is_attribution`` set.

Example:
    >>> text = ("Talks end\\nThe U.S. side was firm. “It’s over.” "
    ...         "Ned Price State Department spokesman")
    >>> for start, end in split_sentences(text):
    ...     print(text[start:end])
    Talks end
    The U.S. side was firm.
    “It’s over.”
    Ned Price State Department spokesman
"""
from __future__ import annotations

import functools
import re
import string
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from tqdm import tqdm

from analysis import paths
from analysis.errors import CorpusError, FramingInputError, require_columns
from analysis.nltk_parts import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer
from analysis.tokens import owners_and_positions, span_word_counts

ABBREVIATIONS_FILE = paths.ABBREVIATIONS_FILE
SPEAKER_TITLES_FILE = paths.SPEAKER_TITLES_FILE
SENTENCE_COLUMNS = [
    "article_id", "outlet", "sentence_index", "start", "end", "text",
    "is_headline", "is_attribution", "paragraph", "n_words",
]
REQUIRED_ARTICLE_COLUMNS = ["article_id", "outlet", "text", "headline_in_text"]

_SECTION_HEADER = re.compile(r"\[(\w+)\]")
_ELLIPSES = ("...", "…")
_PUNKT_LANGUAGE = PunktLanguageVars()  # nltk's English defaults, compiled patterns kept


# nltk compiles its patterns with the ``regex`` module, whose \s leaves out the separators
# \x1c-\x1f that Python's re counts as whitespace: written out, re matches as regex does.
_REGEX_MODULE_CLASSES = {r"\s": r"[^\S\x1c-\x1f]", r"\S": r"[\S\x1c-\x1f]"}
_RE_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE


def _as_re(pattern) -> re.Pattern[str]:
    """nltk's pattern (inside its time-limit guard) compiled with Python's ``re``, same matches.

    nltk's guard runs each match through a Python generator and the ``regex`` module is slower
    than ``re`` on these linear patterns; ``tests/test_sentences.py`` checks the matches agree.

    Example:
        >>> _as_re(_PUNKT_LANGUAGE.period_context_re()).search("Talks ended. Then").group("next_tok")
        'Then'
    """
    source = getattr(pattern, "_rx", pattern).pattern
    return re.compile(re.sub(r"\\[sS]", lambda code: _REGEX_MODULE_CLASSES[code.group()], source),
                      pattern.flags & _RE_FLAGS)


_PERIOD_CONTEXT = _as_re(_PUNKT_LANGUAGE.period_context_re())
_AFTER_TOKEN, _NEXT_TOKEN = (_PERIOD_CONTEXT.groupindex[name] for name in ("after_tok", "next_tok"))
_BOUNDARY_REALIGNMENT = _as_re(_PUNKT_LANGUAGE.re_boundary_realignment)
# The characters a match of _BOUNDARY_REALIGNMENT can start with.
_CLOSING_MARKS = frozenset(char for char in map(chr, range(0x10000)) if _BOUNDARY_REALIGNMENT.match(char + " "))
# Punkt looks back for these to find the word before a mark; mapped to " " to find them at once.
_PUNKT_SPACES_AS_BLANK = str.maketrans(dict.fromkeys(string.whitespace, " "))
_PUNKT_SPACE_NOT_BLANK = re.compile(f"[{re.escape(string.whitespace.replace(' ', ''))}]")
_MARK, _SPACE_KIND, _BLANK, _NON_WORD = 1, 2, 4, 8  # the bits of a character's kind


def _character_kinds() -> np.ndarray:
    """Per code point of the Basic Multilingual Plane, the bits of :data:`_MARK` (Punkt's
    sentence end marks), :data:`_SPACE_KIND` (the period-context pattern's whitespace),
    :data:`_BLANK` (Punkt's ``string.whitespace``) and :data:`_NON_WORD` (the pattern's
    punctuation after a mark); no code point beyond the plane has one.

    Example:
        >>> [int(_CHARACTER_KINDS[ord(char)]) for char in ". ”a"]
        [1, 6, 8, 0]
    """
    every_char = "".join(map(chr, range(0x10000)))
    kinds = np.zeros(0x10000, dtype=np.uint8)
    for bit, pattern in ((_MARK, f"[{re.escape(''.join(_PUNKT_LANGUAGE.sent_end_chars))}]"),
                         (_SPACE_KIND, _REGEX_MODULE_CLASSES[r"\s"]),
                         (_BLANK, f"[{re.escape(string.whitespace)}]"),
                         (_NON_WORD, _PUNKT_LANGUAGE._re_non_word_chars)):
        flags = _PERIOD_CONTEXT.flags & re.IGNORECASE
        kinds[[match.start() for match in re.finditer(pattern, every_char, flags)]] |= bit
    return kinds


_CHARACTER_KINDS = _character_kinds()
_MARK_OR_SPACE_CODES = np.flatnonzero(_CHARACTER_KINDS & (_MARK | _SPACE_KIND | _BLANK))
# A gap of code points, from after the last ASCII mark or space to the first beyond ASCII, holds none.
_GAP_START = int(_MARK_OR_SPACE_CODES[_MARK_OR_SPACE_CODES < 0x80].max()) + 1
_GAP_SIZE = int(_MARK_OR_SPACE_CODES[_MARK_OR_SPACE_CODES >= 0x80].min()) - _GAP_START
# The commonest candidate, "word. Word" in ASCII letters, decided without Punkt's tokens; a
# comma closing the next word is a token of its own for Punkt, after the one deciding.
_PLAIN_CONTEXT = re.compile(r"([A-Za-z]+)\. ([A-Za-z]+),?")
_DECISION_CACHE_SIZE = 1 << 16
_TAIL_CACHE_SIZE = 1 << 16
_CANDIDATE_PIECE_CHARS = 1 << 17
# Letters of personal names: ASCII and Latin-1 (José, Jürgen); names in English news are
# transliterated, so other scripts are not needed.
_UPPER, _LOWER = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"
_SPACE = r"[^\S\n]+"  # never crosses a line break
_WORD_END = r"(?![\w’'-])"
_CONNECTORS = ("of", "for", "to", "on", "at", "in", "and")  # title words joining a title: "Minister of"
# The characters beyond ASCII that re's IGNORECASE matches to ASCII letters.
_FOLDS_TO_ASCII = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_UPPER_LETTERS = frozenset(char for char in map(chr, range(0x100)) if re.fullmatch(f"[{_UPPER}]", char))


def _read_sections(path: Path) -> dict[str, list[str]]:
    """Entries of a hand-written list file: ``[section]`` headers, one entry a line."""
    sections: dict[str, list[str]] = {}
    current = None
    for number, raw_line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        header = _SECTION_HEADER.fullmatch(line)
        if header:
            current = sections.setdefault(header.group(1), [])
        elif current is None:
            raise FramingInputError(path, f"line {number} ({line!r}) comes before any [section]")
        else:
            current.append(line)
    return sections


def _section(sections: dict[str, list[str]], name: str, path: Path) -> list[str]:
    """One non-empty section of a list file, or an error naming the file."""
    if not sections.get(name):
        raise FramingInputError(path, f"has no entries in section [{name}]")
    return sections[name]


@functools.lru_cache(maxsize=1)
def _punkt_parameters() -> PunktParameters:
    """Punkt's parameters from the shipped file (read once): abbreviations, sentence starters."""
    sections = _read_sections(ABBREVIATIONS_FILE)
    params = PunktParameters()
    params.abbrev_types = {
        entry.lower().removesuffix(".")
        for entry in _section(sections, "abbreviations", ABBREVIATIONS_FILE)
    }
    params.sent_starters = {
        entry.lower() for entry in _section(sections, "sentence_starters", ABBREVIATIONS_FILE)
    }
    return params


@functools.lru_cache(maxsize=1)
def _punkt() -> PunktSentenceTokenizer:
    """A Punkt tokenizer built from the shipped parameters (read once)."""
    return PunktSentenceTokenizer(_punkt_parameters(), lang_vars=_PUNKT_LANGUAGE)


@functools.lru_cache(maxsize=_DECISION_CACHE_SIZE)
def _is_sentence_break(context: str) -> bool:
    """Punkt's decision on one candidate: the word before the mark, the mark, what follows.

    Punkt decides from this context string alone, so decisions are memoised. For the
    commonest context, ``word. Word`` in ASCII letters (a comma may follow), this is Punkt's
    rule with the shipped parameters (no collocations, no orthographic statistics): a break,
    unless the word is a single letter (an initial) or an abbreviation not followed by a
    capitalised sentence starter. ``tests/test_sentences.py`` and
    ``tests/test_sentences_candidates.py`` check both ways agree.
    """
    plain = _PLAIN_CONTEXT.fullmatch(context)
    if plain is None:
        return _punkt().text_contains_sentbreak(context)
    word, following = plain.group(1).lower(), plain.group(2)
    params = _punkt_parameters()
    if word in params.abbrev_types:
        return following[0].isupper() and following.lower() in params.sent_starters
    return len(word) > 1


def _alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


def _any_case_words(*word_lists: list[str]) -> str:
    """Case-insensitive alternation of the words, behind a look-ahead for their first letters.

    The look-ahead matches nothing the words would not: it only lets the regex engine skip
    the long alternation at positions where no word can start.
    """
    initials = "".join(sorted({re.escape(word[0]) for word_list in word_lists for word in word_list}))
    alternatives = "|".join(_alternation(word_list) for word_list in word_lists)
    return rf"(?=(?i:[{initials}]))(?i:{alternatives})"


@functools.lru_cache(maxsize=1)
def _attribution_pattern() -> re.Pattern[str]:
    """Regex for a speaker line closing a paragraph, built from the shipped title words.

    ``pre`` is the word before the name: a lower-case word that does not tie the name into
    the sentence (not "by", "said"), or a word ending a sentence. Then a name of 2-3
    capitalised words that are neither title nor linking words, then a title holding a
    head word, up to the end of the line with no final punctuation.
    """
    sections = _read_sections(SPEAKER_TITLES_FILE)
    heads = _section(sections, "heads", SPEAKER_TITLES_FILE)
    modifiers = _section(sections, "modifiers", SPEAKER_TITLES_FILE)
    linking = _section(sections, "linking_words", SPEAKER_TITLES_FILE)
    not_name = rf"(?!{_any_case_words(heads, modifiers, linking)}{_WORD_END})"
    name_word = (  # Sergey, Thomas-Greenfield, O’Brien, or an initial J.
        rf"(?=[{_UPPER}]){not_name}(?:[{_UPPER}][{_LOWER}]+(?:[-’'][{_UPPER}]?[{_LOWER}]+)*|[{_UPPER}]\.)"
    )
    title_word = (  # a title word in any case, U.S., or a capitalised word (Kremlin, NATO)
        rf"(?:{_any_case_words(heads, modifiers)}{_WORD_END}|(?:[{_UPPER}]\.){{2,}}|[{_UPPER}][\w’'&-]*)"
    )
    connector = rf"(?:{'|'.join(_CONNECTORS)})(?:{_SPACE}the)?"
    title = (
        rf"(?:{title_word}{_SPACE})*{_any_case_words(heads)}{_WORD_END}"
        rf"(?:{_SPACE}(?:{connector}{_SPACE})?{title_word})*"
    )
    pre = (
        rf"(?:(?=[0-9{_LOWER}])(?!{_any_case_words(linking)}{_WORD_END})[0-9{_LOWER}]\S*(?<![,;:(–—-])"
        rf"|\S*[.!?…][\"”’»)]*)"
    )
    name = rf"{name_word}(?:{_SPACE}{name_word}){{1,2}}"
    return re.compile(rf"(?<!\S){pre}{_SPACE}(?P<tail>{name},?{_SPACE}{title})[^\S\n]*$")


@functools.lru_cache(maxsize=1)
def _outside_speaker_line() -> re.Pattern[str]:
    """Regex over a reversed line: a character no speaker line holds, then the rest of its word.

    A speaker line (the name, a comma, the title and the spaces of :func:`_attribution_pattern`)
    holds only word characters, spaces, ``’'&,-``, the characters of the title word lists and
    periods after a capital letter (``J.``, ``U.S.``).
    """
    sections = _read_sections(SPEAKER_TITLES_FILE)
    listed = {char for name in ("heads", "modifiers", "linking_words")
              for word in _section(sections, name, SPEAKER_TITLES_FILE) for char in word}
    allowed = "".join(sorted({char for char in listed if not char.isspace()} | set("’'&,-")))
    stray_period = "" if "." in listed else rf"|\.(?![{_UPPER}])"  # reversed: not after a capital
    return re.compile(rf"(?:[^\w\s.{re.escape(allowed)}]{stray_period})\S*")


def _tail_search_start(paragraph: str) -> int:
    """An offset no speaker line of ``paragraph`` starts before (0 for several lines).

    The word before the name, where a match of :func:`_attribution_pattern` starts, holds
    the paragraph's last character that a speaker line cannot, or comes after it. It also is,
    or comes after, the last word that no speaker line holds (:func:`_speaker_line_words`).

    Example:
        >>> _tail_search_start("“Enough.” Jens Stoltenberg NATO Secretary General")
        0
        >>> _tail_search_start("He said: “Enough.” Jens Stoltenberg NATO Secretary General")
        9
        >>> _tail_search_start("It is over. Antony J. Blinken Secretary of State")
        6
        >>> _tail_search_start("It was 2 o'clock Antony J. Blinken Secretary of State")
        9
    """
    if "\n" in paragraph:
        return 0
    outside = _outside_speaker_line().search(paragraph[::-1])
    start = 0 if outside is None else len(paragraph) - outside.end()
    words = paragraph[start:].split()
    n_speaker_words = 0
    while n_speaker_words < len(words) and _may_be_speaker_word(words[-1 - n_speaker_words]):
        n_speaker_words += 1
    if n_speaker_words == len(words):
        return start
    parts = paragraph.rsplit(None, n_speaker_words + 1)  # [before, the other word, speaker words]
    if len(parts) == n_speaker_words + 1:  # the other word opens the paragraph
        return len(paragraph) - len(paragraph.lstrip())
    return paragraph.find(parts[1], len(parts[0]))


def _may_be_speaker_word(word: str) -> bool:
    """False for a word no speaker line holds: it starts with no capital letter and is neither
    a title word, a connector nor ``the`` (a word beyond ASCII is never ruled out)."""
    return word[0] in _UPPER_LETTERS or not word.isascii() or word.lower() in _speaker_line_words()


@functools.lru_cache(maxsize=1)
def _speaker_line_words() -> frozenset[str]:
    """Lower-case words a speaker line may hold that need not start with a capital: the title
    words (heads, modifiers; each word of a listed phrase), the connectors and ``the``."""
    sections = _read_sections(SPEAKER_TITLES_FILE)
    listed = [*_section(sections, "heads", SPEAKER_TITLES_FILE), *_section(sections, "modifiers", SPEAKER_TITLES_FILE)]
    parts = [part for entry in listed for part in entry.split()]
    as_ascii = {part.translate(_FOLDS_TO_ASCII).lower() for part in parts}  # what an ASCII word may match
    return frozenset({part.lower() for part in parts} | as_ascii | {*_CONNECTORS, "the"})


def find_attribution_tail(paragraph: str) -> int | None:
    """Offset where a speaker line closing ``paragraph`` starts, or None.

    A speaker line is a personal name of 2-3 capitalised words followed by a title (a
    head word from ``analysis/data/speaker_titles.txt`` such as Minister, Secretary,
    spokesman, with other title words around it and ``of the ...`` after it), running to
    the end of the paragraph without final punctuation. The word before the name must end
    a sentence or be a lower-case word that does not tie the name into the sentence (not
    "by", "with", "said"), so "... said Ned Price State Department spokesman" and
    "State Department spokesman Ned Price announced this." are not speaker lines. A
    paragraph that is only a name and title is not one either (it may be a heading).

    Args:
        paragraph: one line of an article; for several lines only the last is examined.

    Returns:
        The offset of the first letter of the name, or None when there is no speaker line.

    Example:
        >>> text = "Nothing to bargain with. Sergey Ryabkov Deputy Foreign Minister of Russia"
        >>> text[find_attribution_tail(text):]
        'Sergey Ryabkov Deputy Foreign Minister of Russia'
        >>> find_attribution_tail("State Department spokesman Ned Price announced this.") is None
        True
    """
    if not paragraph.rstrip()[-1:].isalpha():  # most paragraphs end with punctuation
        return None
    start = _tail_search_start(paragraph)
    tail = _suffix_tail(paragraph[start:])
    return None if tail is None else start + tail


@functools.lru_cache(maxsize=_TAIL_CACHE_SIZE)
def _suffix_tail(suffix: str) -> int | None:
    """Where the speaker line of a paragraph's end ``suffix`` starts in it, or None.

    The suffix starts where :func:`_tail_search_start` says, which is the paragraph's start or
    follows whitespace, so the pattern finds in it what it finds from there in the paragraph;
    suffixes recur (a speaker line after different sentences), so results are memoised.

    Example:
        >>> _suffix_tail("over. Ned Price State Department spokesman"), _suffix_tail("Ned Price spoke")
        (6, None)
    """
    match = _attribution_pattern().search(suffix)
    return match.start("tail") if match else None


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` moved inwards past whitespace (equal when only whitespace)."""
    segment = text[start:end]
    stripped = segment.strip()
    lead = len(segment) - len(segment.lstrip())
    return start + lead, start + lead + len(stripped)


def _end_contexts(text: str) -> list[tuple[int, int, str]]:
    """Punkt's candidate sentence ends in ``text`` with the context it decides on.

    The same candidates and contexts as nltk's ``PunktSentenceTokenizer`` (the word
    before the mark, the mark, and the punctuation or next token after it; a candidate whose
    word overlaps the previous candidate's is dropped). A match of the period-context
    pattern holds the mark only and its ``after_tok`` follows it, so the context is one slice
    from the word's start to the end of ``after_tok``.

    Returns:
        ``(mark end, next token start or -1, context)`` per candidate.

    Example:
        >>> _end_contexts("Talks at the U.S. embassy ended. Then")
        [(17, 18, 'U.S. embassy'), (32, 33, 'ended. Then')]
    """
    found: list[tuple[int, int, str]] = []
    previous, word_start, word_end = None, 0, 0
    # A printable text holds no whitespace but " ": a quicker test than the search.
    blanked = text if text.isprintable() or not _PUNKT_SPACE_NOT_BLANK.search(text) else text.translate(_PUNKT_SPACES_AS_BLANK)
    for match in _PERIOD_CONTEXT.finditer(text):
        mark = match.start()
        last_space = blanked.rfind(" ", word_end, mark)
        start = last_space + 1 if last_space > word_end else word_start
        if previous is not None and word_end <= start:
            found.append(previous)
        previous = (mark + 1, match.start(_NEXT_TOKEN), text[start:match.end(_AFTER_TOKEN)])
        word_start, word_end = start, mark
    if previous is not None:
        found.append(previous)
    return found


def _has_mark_before_last(text: str) -> bool:
    """Whether a Punkt candidate mark (``.?!``) occurs before the last character of ``text``.

    Example:
        >>> _has_mark_before_last("It ended."), _has_mark_before_last("It ended. Then")
        (False, True)
    """
    last = len(text) - 1
    return text.find(".", 0, last) >= 0 or text.find("?", 0, last) >= 0 or text.find("!", 0, last) >= 0


def _punkt_slices(text: str) -> list[tuple[int, int]]:
    """Sentence spans of one line as ``PunktSentenceTokenizer.span_tokenize`` gives them.

    Only a mark with something after it can end a sentence inside a line, so a line without
    one is a single span; otherwise each candidate is decided by :func:`_is_sentence_break`.
    """
    breaks = []
    if _has_mark_before_last(text):
        breaks = [(mark_end, next_start) for mark_end, next_start, context in _end_contexts(text)
                  if _is_sentence_break(context)]
    return _realigned(text, _slices_at(text, breaks))


def _slices_at(text: str, breaks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Punkt's slices of a line (before realignment) from its breaks ``(mark end, next token
    start or -1)``: each slice runs from the previous break's next token to a mark.

    Example:
        >>> _slices_at("It ended. Then", [(9, 10)])
        [(0, 9), (10, 14)]
    """
    slices, last_break = [], 0
    for mark_end, next_start in breaks:
        slices.append((last_break, mark_end))
        last_break = next_start if next_start >= 0 else mark_end
    slices.append((last_break, len(text.rstrip())))
    return slices


class _LineBreaks(NamedTuple):
    """Punkt's sentence breaks in some lines joined by ``"\\n"`` (offsets in ``joined``):
    where each line starts; per break its line, where its mark ends and where the next
    sentence resumes (the next token, or right after the mark when punctuation follows)."""

    joined: str
    line_start: np.ndarray
    line: np.ndarray
    mark_end: np.ndarray
    resume: np.ndarray


def _lines_breaks(lines: list[str]) -> _LineBreaks:
    """Punkt's sentence breaks in each line, the candidates of all lines found at once.

    The lines are joined by ``"\\n"``; a candidate whose look-ahead runs past its line's end
    is one the line alone does not have and is dropped, so every other candidate has the
    groups it has in its line (:func:`_lines_candidates`). Each candidate's word start
    (:func:`_end_contexts`: after the last blank between the previous candidate of the line
    and the mark, else the previous candidate's word start) is carried forward with numpy;
    only the contexts are sliced in Python and decided by :func:`_is_sentence_break`. ``tests/test_sentences_one_pass.py``
    checks the result against each line split alone (:func:`_punkt_spans`).

    Example:
        >>> found = _lines_breaks(["The U.S. side was firm. It said no.", "Talks end", "Why? Yes. No"])
        >>> found.line.tolist(), found.mark_end.tolist(), found.resume.tolist()
        ([0, 2, 2], [23, 50, 55], [24, 51, 56])
    """
    joined = "\n".join(lines)
    lengths = np.fromiter(map(len, lines), dtype="int64", count=len(lines))
    line_end = np.cumsum(lengths + 1) - 1  # the "\\n" after each line (or the end of the text)
    line_start = line_end - lengths
    candidates = _lines_candidates(joined, line_start, line_end)
    line = np.searchsorted(line_end, candidates.mark)
    inside = np.flatnonzero(candidates.after_end <= line_end[line])
    mark, next_start, after_end, last_blank = (column[inside] for column in candidates)
    line = line[inside]
    word_start = _candidate_word_starts(last_blank, mark, line, line_start[line])
    kept = np.ones(len(mark), dtype=bool)  # dropped: a candidate whose mark the next one's word holds
    kept[:-1] = (line[1:] != line[:-1]) | (word_start[1:] >= mark[:-1])
    contexts = [joined[start:end] for start, end in zip(word_start[kept].tolist(), after_end[kept].tolist())]
    is_break = np.fromiter(map(_is_sentence_break, contexts), dtype=bool, count=len(contexts))
    at = np.flatnonzero(kept)[is_break]
    resume = np.where(next_start[at] >= 0, next_start[at], mark[at] + 1)
    return _LineBreaks(joined, line_start, line[at], mark[at] + 1, resume)


class _Candidates(NamedTuple):
    """Matches of Punkt's period-context pattern in a text: where each mark is, where the next
    token starts (-1 when punctuation follows the mark), where ``after_tok`` ends and where
    the last blank (Punkt's ``string.whitespace``) before the mark is (-1: none)."""

    mark: np.ndarray
    next_start: np.ndarray
    after_end: np.ndarray
    last_blank: np.ndarray


def _lines_candidates(joined: str, line_start: np.ndarray, line_end: np.ndarray) -> _Candidates:
    """:func:`_candidates` of lines joined by ``"\\n"``, found in pieces of whole lines of
    about :data:`_CANDIDATE_PIECE_CHARS` characters (small temporaries, reused instead of
    mapped anew). A piece ends before a line break, so only the candidates whose look-ahead
    runs past their line differ from those of the whole text, and only in being missing or
    cut short; a blank before a piece is before its first line.

    Example:
        >>> found = _lines_candidates("It ended. Then\\nNo. Yes", np.array([0, 15]), np.array([14, 22]))
        >>> [column.tolist() for column in found]
        [[8, 17], [10, 19], [14, 22], [2, 14]]
    """
    firsts = np.flatnonzero(np.diff(line_start // _CANDIDATE_PIECE_CHARS, prepend=-1))
    lasts = np.append(firsts, len(line_start))[1:] - 1
    pieces = [np.zeros((4, 0), dtype="int64")]
    for piece_start, piece_end in zip(line_start[firsts].tolist(), line_end[lasts].tolist()):
        found = np.array(_candidates(joined[piece_start:piece_end]), dtype="int64").reshape(4, -1)
        pieces.append(np.where(found >= 0, found + piece_start, found))
    return _Candidates(*np.concatenate(pieces, axis=1))


def _candidates(text: str) -> _Candidates:
    """The matches of ``_PERIOD_CONTEXT.finditer(text)``, found with numpy from each character's
    kind (:func:`_character_kinds`): a mark followed by punctuation of the pattern's list, or by
    whitespace and a token (which runs to the next whitespace or the end of the text).

    Example:
        >>> found = _candidates("Talks ended. Then “no.”\\nYes!")
        >>> [column.tolist() for column in found]
        [[11, 21], [13, -1], [17, 23], [5, 17]]
    """
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    # Less the gap's start, the codes before the gap wrap round to the top: one comparison.
    outside_gap = np.flatnonzero(codes - _GAP_START >= _GAP_SIZE)
    kinds = _CHARACTER_KINDS.take(codes[outside_gap], mode="clip")
    mark, spaces, blanks = (outside_gap[np.flatnonzero(kinds & kind)] for kind in (_MARK, _SPACE_KIND, _BLANK))
    mark = mark[:np.searchsorted(mark, len(codes) - 1)]  # a mark needs a character after it
    following = _CHARACTER_KINDS.take(codes[mark + 1], mode="clip")
    spaced = np.flatnonzero(following & _SPACE_KIND)
    next_start = np.full(len(mark), -1, dtype="int64")
    next_start[spaced] = _past_spaces(codes, mark[spaced] + 2)
    after_end = mark + 2
    after_end[spaced] = np.append(spaces, len(codes))[np.searchsorted(spaces, next_start[spaced])]
    matched = np.flatnonzero(((following & _NON_WORD) > 0) | ((next_start >= 0) & (next_start < len(codes))))
    before = np.searchsorted(blanks, mark[matched]) - 1
    last_blank = np.where(before >= 0, blanks[before] if len(blanks) else before, -1)
    return _Candidates(mark[matched], next_start[matched], after_end[matched], last_blank)


def _past_spaces(codes: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """For each position in ``codes``, the first at or after it that is not whitespace of the
    period-context pattern (``len(codes)`` past the end); runs of spaces are short.

    Example:
        >>> codes = np.frombuffer("a b  c ".encode("utf-32-le"), dtype=np.uint32)
        >>> _past_spaces(codes, np.array([0, 1, 3, 6])).tolist()
        [0, 2, 5, 7]
    """
    positions = positions.copy()
    moving = np.arange(len(positions))
    while len(moving):
        moving = moving[positions[moving] < len(codes)]
        moving = moving[np.flatnonzero(_CHARACTER_KINDS.take(codes[positions[moving]], mode="clip") & _SPACE_KIND)]
        positions[moving] += 1
    return positions


def _candidate_word_starts(last_blank: np.ndarray, mark: np.ndarray, line: np.ndarray,
                           line_start: np.ndarray) -> np.ndarray:
    """Start of the word before each candidate mark, as :func:`_end_contexts` finds it line by
    line: after the last blank before the mark (``last_blank``) if it comes after the previous
    mark of the line (the line's start for the first), or else where the previous candidate's
    word starts."""
    first = np.ones(len(mark), dtype=bool)
    first[1:] = line[1:] != line[:-1]
    after = np.where(first, line_start, np.concatenate(([0], mark[:-1])))
    anchor = np.where(last_blank > after, last_blank + 1, np.where(first, line_start, -1))
    return np.maximum.accumulate(anchor)


def _realigned(text: str, slices: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Closing quotes and brackets after a break moved to the sentence before (Punkt's rule)."""
    if len(slices) == 1:
        return [slices[0]] if slices[0][1] > slices[0][0] else []
    spans, shift = [], 0
    for (start, end), following in zip(slices, slices[1:] + [None]):
        start += shift
        opens_with_closing_mark = following is not None and text[following[0]:following[0] + 1] in _CLOSING_MARKS
        closing = _BOUNDARY_REALIGNMENT.match(text[following[0]:following[1]]) if opens_with_closing_mark else None
        if closing:
            spans.append((start, following[0] + len(closing.group(0).rstrip())))
            shift = closing.end()
        else:
            shift = 0
            if end > start:
                spans.append((start, end))
    return spans


def _punkt_spans(text: str) -> list[list]:
    """Trimmed sentence spans ``[start, end, False]`` of one line by Punkt, with the two added
    rules: a span starting with a lower-case letter, or after an ellipsis, continues the one before.

    Example:
        >>> _punkt_spans("“Where can we move?” he asked. Talks were... Then they left. Done")
        [[0, 30, False], [31, 60, False], [61, 65, False]]
    """
    return _joined_spans(text, _punkt_slices(text))


def _joined_spans(text: str, slices: list[tuple[int, int]]) -> list[list]:
    """:func:`_punkt_spans` of a line from its Punkt slices (after realignment)."""
    spans: list[list] = []
    for start, end in slices:
        if start >= end or text[start].isspace() or text[end - 1].isspace():
            start, end = _trimmed(text, start, end)
            if start == end:
                continue
        if spans and (text[start].islower() or text.endswith(_ELLIPSES, 0, spans[-1][1])):
            spans[-1][1] = end
        else:
            spans.append([start, end, False])
    return spans


def _lines_spans(lines: list[str], *, progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """``[start, end, is_attribution]`` of every sentence of every line (offsets in the line),
    as the line of each span and the spans, in line order.

    A line's speaker line (:func:`find_attribution_tail`) is a span of its own and the text
    before it is split by Punkt (:func:`_punkt_lines_spans`), all lines at once.

    Example:
        >>> lines = ["Talks end", "It ended. then. Then", "Over. Ned Price State Department spokesman"]
        >>> span_line, spans = _lines_spans(lines)
        >>> span_line.tolist(), spans.tolist()
        ([0, 1, 1, 2, 2], [[0, 9, 0], [0, 15, 0], [16, 20, 0], [0, 5, 0], [6, 42, 1]])
    """
    tails = {number: find_attribution_tail(line)  # its own first test, without the call
             for number, line in enumerate(lines) if line.rstrip()[-1:].isalpha()}
    tails = {number: tail for number, tail in tails.items() if tail is not None}
    heads = [line[:tails[number]] if number in tails else line for number, line in enumerate(lines)]
    span_line, spans = _punkt_lines_spans(heads, progress=progress)
    speakers = [[number, tail, len(lines[number].rstrip())] for number, tail in tails.items()]
    speaker_line, speaker_start, speaker_end = np.array(speakers, dtype="int64").reshape(-1, 3).T
    speaker_spans = np.stack([speaker_start, speaker_end, np.ones(len(speakers), dtype="int64")], axis=1)
    every_line = np.concatenate([span_line, speaker_line])
    order = np.argsort(every_line, kind="stable")  # a speaker line after the line's other sentences
    return every_line[order], np.concatenate([spans, speaker_spans])[order]


def _punkt_lines_spans(lines: list[str], *, progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_punkt_spans` of every line (``[start, end, 0]``, with the line of each span),
    in line order.

    Punkt's breaks of all lines are found at once (:func:`_lines_breaks`) and the slices
    between them become spans with numpy (:func:`_line_slices`). A line with a slice that is
    empty before another or starts with whitespace is split on its own by
    :func:`_punkt_spans`; ``progress`` shows a bar over those lines.

    Example:
        >>> span_line, spans = _punkt_lines_spans(["It ended. Then", "“Why?” he asked.", " "])
        >>> span_line.tolist(), spans.tolist()
        ([0, 0, 1], [[0, 9, 0], [10, 14, 0], [0, 16, 0]])
    """
    found = _lines_breaks(lines)
    slices = _line_slices(found, lines)
    alone = np.zeros(len(lines), dtype=bool)
    alone[slices.line[slices.odd]] = True
    together = ~alone[slices.line] & ~slices.dropped
    opens = slices.opens[together] | slices.first[together]
    last = np.ones(len(opens), dtype=bool)
    last[:-1] = opens[1:]
    line = slices.line[together][opens]
    offset = found.line_start[line]
    spans = np.stack([slices.start[together][opens] - offset, slices.end[together][last] - offset,
                      np.zeros(len(line), dtype="int64")], axis=1)
    alone_spans, alone_line = [], []
    for number in tqdm(np.flatnonzero(alone).tolist(), desc="sentences", disable=not progress):
        line_spans = _punkt_spans(lines[number])
        alone_spans.extend(line_spans)
        alone_line.extend([number] * len(line_spans))
    every_line = np.concatenate([line, np.array(alone_line, dtype="int64")])
    order = np.argsort(every_line, kind="stable")
    return every_line[order], np.concatenate([spans, np.array(alone_spans, dtype="int64").reshape(-1, 3)])[order]


class _Slices(NamedTuple):
    """Punkt's slices of some lines (offsets in the joined lines): line, start, end, whether
    first in its line, whether it opens a span of its own (not continuing the one before),
    whether it is odd (its line is split on its own: empty and not the line's last, or
    starting with whitespace) and whether it is dropped (the line's last, empty)."""

    line: np.ndarray
    start: np.ndarray
    end: np.ndarray
    first: np.ndarray
    opens: np.ndarray
    odd: np.ndarray
    dropped: np.ndarray


def _line_slices(found: _LineBreaks, lines: list[str]) -> _Slices:
    """The slices between the breaks of each line: from the line's first non-blank character
    (or where a sentence resumes) to a mark's end (or the line's last non-blank character),
    realigned as :func:`_realigned` does.

    A slice after a break opens a span unless it starts with a lower-case letter or the
    slice before ends with an ellipsis (:func:`_joined_spans`)."""
    n_lines, joined = len(lines), found.joined
    n_breaks = np.bincount(found.line, minlength=n_lines)
    line = np.repeat(np.arange(n_lines), n_breaks + 1)
    first = np.zeros(len(line), dtype=bool)
    first[np.cumsum(n_breaks + 1) - n_breaks - 1] = True
    last = np.ones(len(line), dtype=bool)
    last[:-1] = first[1:]
    start, end = np.empty(len(line), dtype="int64"), np.empty(len(line), dtype="int64")
    lead = np.fromiter((len(text) - len(text.lstrip()) for text in lines), dtype="int64", count=n_lines)
    content_end = np.fromiter((len(text.rstrip()) for text in lines), dtype="int64", count=n_lines)
    start[first], start[~first] = found.line_start + lead, found.resume
    end[last], end[~last] = found.line_start + content_end, found.mark_end
    after = np.flatnonzero(~first)
    empty = _realign_closing_marks(joined, start, end, after)
    dropped = empty & last  # as _realigned drops it; an empty slice before another is odd
    openings = [joined[position:position + 1] for position in start[after].tolist()]
    odd = empty & ~last
    odd[after] |= np.fromiter(map(str.isspace, openings), dtype=bool, count=len(after)) & ~dropped[after]
    line_starts, previous_ends = found.line_start[line[after]].tolist(), end[after - 1].tolist()
    continues = [char.islower() or joined.endswith(_ELLIPSES, line_start, previous_end)
                 for char, line_start, previous_end in zip(openings, line_starts, previous_ends)]
    opens = np.ones(len(line), dtype=bool)
    opens[after] = ~np.array(continues, dtype=bool)
    return _Slices(line, start, end, first, opens, odd, dropped)


def _realign_closing_marks(joined: str, start: np.ndarray, end: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Move closing quotes and brackets that open a slice after a break to the slice before
    (Punkt's realignment, :func:`_realigned`: the marks up to the next blank), in place;
    return which slices are then empty."""
    closing = after[[joined[position] in _CLOSING_MARKS for position in start[after].tolist()]]
    matches = [_BOUNDARY_REALIGNMENT.match(joined, position, stop)
               for position, stop in zip(start[closing].tolist(), end[closing].tolist())]
    moved = closing[[match is not None for match in matches]]
    realigned = [match for match in matches if match is not None]
    end[moved - 1] = start[moved] + np.array([len(match.group().rstrip()) for match in realigned], dtype="int64")
    start[moved] = np.array([match.end() for match in realigned], dtype="int64")
    return start >= end


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``, each line (paragraph) split on its own.

    Args:
        text: an article, lines separated by ``"\\n"`` (the cleaned ``text`` column).

    Returns:
        ``(start, end)`` offsets in text order, whitespace trimmed, never empty and never
        crossing a line break; a speaker line found by :func:`find_attribution_tail` is a
        span of its own.

    Example:
        >>> text = "The No. 2 diplomat met U.S. allies. “Where can we move?” he asked."
        >>> [text[start:end] for start, end in split_sentences(text)]
        ['The No. 2 diplomat met U.S. allies.', '“Where can we move?” he asked.']
    """
    rows = _sentence_rows([text])
    return list(zip(rows["start"].tolist(), rows["end"].tolist()))


def _article_error(articles: pd.DataFrame, bad: pd.Series, problem: str) -> CorpusError:
    """A CorpusError naming the file (when known) and id of the first article marked bad."""
    first = int(bad.to_numpy().argmax())
    file = articles["file"].iloc[first] if "file" in articles.columns else None
    return CorpusError(file, f"article {articles['article_id'].iloc[first]!r} {problem}")


def _not_strings(values: pd.Series) -> pd.Series:
    """Which values are not strings; a column of the string dtype holds strings or missing values.

    Example:
        >>> _not_strings(pd.Series(["a", None], dtype="str")).tolist()
        [False, True]
        >>> _not_strings(pd.Series(["a", 1])).tolist()
        [False, True]
    """
    if isinstance(values.dtype, pd.StringDtype):
        return values.isna()
    return ~values.map(lambda value: isinstance(value, str)).astype(bool)


def _checked_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """The articles table, or a CorpusError saying what is wrong with it."""
    require_columns(articles, REQUIRED_ARTICLE_COLUMNS, "articles", hint="pass the table from analysis.corpus.load_corpus")
    not_text = _not_strings(articles["text"])
    if not_text.any():
        raise _article_error(articles, not_text, "has no cleaned text (text is not a string)")
    if articles["headline_in_text"].isna().any():
        raise _article_error(articles, articles["headline_in_text"].isna(),
                             "has no headline_in_text value")
    if articles["article_id"].duplicated().any():
        raise _article_error(articles, articles["article_id"].duplicated(),
                             "appears twice in the articles table")
    return articles


def sentences_table(articles: pd.DataFrame, *, progress: bool = False) -> pd.DataFrame:
    """The sentences table of every article (contract in docs/ARCHITECTURE.md).

    Args:
        articles: the articles table of :func:`analysis.corpus.load_corpus`; used columns
            ``article_id, outlet, text, headline_in_text``.
        progress: show a progress bar over the distinct lines split one by one.

    Returns:
        One row per sentence, sorted by ``article_id, sentence_index``, with columns
        ``article_id, outlet, sentence_index, start, end, text, is_headline,
        is_attribution, paragraph, n_words``: ``text == article.text[start:end]``,
        ``paragraph`` is the line of the cleaned text, ``is_headline`` marks sentences of
        line 0 when the headline is in the text, ``n_words`` is
        :func:`analysis.tokens.count_words` of the sentence.

    Raises:
        CorpusError: a column is missing, a text is not a string, an article id repeats.

    Example:
        >>> articles = pd.DataFrame({"article_id": ["001"], "outlet": ["A News"],
        ...     "text": ["Talks end\\nThe U.S. side was firm. It said no."],
        ...     "headline_in_text": [True]})
        >>> sentences_table(articles)[["sentence_index", "start", "text", "is_headline", "n_words"]]
           sentence_index  start                     text  is_headline  n_words
        0               0      0                Talks end         True        2
        1               1     10  The U.S. side was firm.        False        5
        2               2     34              It said no.        False        3
    """
    articles = _checked_articles(articles)
    rows = _sentence_rows(articles["text"].tolist(), progress=progress)
    article_row = rows.pop("article_row")
    article_ids = articles["article_id"].astype("str")
    table = pd.DataFrame({
        "article_id": article_ids.take(article_row).reset_index(drop=True),
        "outlet": articles["outlet"].astype("str").take(article_row).reset_index(drop=True),
        "sentence_index": rows["sentence_index"],
        "start": rows["start"],
        "end": rows["end"],
        "text": pd.Series(rows["text"], dtype="str"),
        "is_headline": articles["headline_in_text"].astype(bool).to_numpy()[article_row] & (rows["paragraph"] == 0),
        "is_attribution": rows["is_attribution"],
        "paragraph": rows["paragraph"],
        "n_words": rows["n_words"],
    })
    table = table.astype({"article_id": "str", "outlet": "str", "sentence_index": "int64"})
    if article_ids.is_monotonic_increasing:  # rows run by article, then by sentence
        return table
    return table.sort_values(["article_id", "sentence_index"], kind="stable", ignore_index=True)


def _sentence_rows(texts: list[str], *, progress: bool = False) -> dict[str, np.ndarray]:
    """Columns of the sentences of ``texts`` in text order: ``article_row`` (position in
    ``texts``), ``sentence_index, start, end, text, is_attribution, paragraph, n_words``.

    Each distinct line is split once; its sentences are repeated with numpy wherever the line
    recurs (outlets run the same wire copy). Words are counted from the chunks of the texts
    (:func:`analysis.tokens.span_word_counts`), which counting the articles' words has
    usually counted already.

    Example:
        >>> rows = _sentence_rows(["Talks end\\nIt ended. Then", "Talks end"])
        >>> [rows[name].tolist() for name in ("article_row", "start", "paragraph", "n_words")]
        [[0, 0, 0, 1], [0, 10, 20, 0], [0, 1, 1, 0], [2, 2, 1, 2]]
    """
    article_lines = [text.split("\n") for text in texts]
    line_ids: dict[str, int] = {}
    line_code = np.fromiter((line_ids.setdefault(line, len(line_ids)) for lines in article_lines for line in lines),
                            dtype="int64")
    distinct = list(line_ids)
    span_line, spans = _lines_spans(distinct, progress=progress)
    n_spans = np.bincount(span_line, minlength=len(distinct))
    span_texts = np.array([distinct[line][start:end] for line, start, end
                           in zip(span_line.tolist(), spans[:, 0].tolist(), spans[:, 1].tolist())], dtype=object)
    n_lines = np.fromiter(map(len, article_lines), dtype="int64", count=len(article_lines))
    line_article, paragraph = owners_and_positions(n_lines)
    line_start = np.cumsum([len(line) + 1 for lines in article_lines for line in lines], dtype="int64")
    line_start = np.concatenate(([0], line_start[:-1]))
    line_offset = line_start - line_start[(np.cumsum(n_lines) - n_lines)[line_article]]
    line_of, within = owners_and_positions(n_spans[line_code])
    span = (np.cumsum(n_spans) - n_spans)[line_code[line_of]] + within
    article_row = line_article[line_of]
    start, end = line_offset[line_of] + spans[span, 0], line_offset[line_of] + spans[span, 1]
    return {
        "article_row": article_row,
        "sentence_index": owners_and_positions(np.bincount(article_row, minlength=len(texts)))[1],
        "start": start,
        "end": end,
        "text": span_texts[span],
        "is_attribution": spans[span, 2].astype(bool),
        "paragraph": paragraph[line_of],
        "n_words": span_word_counts(texts, article_row, start, end),
    }

"""Quotations in news text: direct quotes, partial quotes and scare quotes, with speakers.

:func:`find_quotes` finds every quotation of one text and decides its kind:

- ``direct``: a full reported statement (``"We will not allow ...," she said``), including
  statements set off without marks and closed by a speaker line (``... sharp corners Sergey
  Ryabkov Deputy Foreign Minister of Russia``, ``marks="unmarked"``);
- ``partial``: someone's words woven into the writer's sentence (``called on the US to be
  "responsible"``, ``The U.S. side was "firm" ..., she said``);
- ``scare``: a short span set in quotes to keep distance from the word, not someone's reported
  words (``a possible "invasion."``, ``so-called "security guarantees"``). A distancing quote
  inside someone's quotation is that speaker's (``no intentions to 'attack' Ukraine``).

Quote marks are paired per paragraph: straight and curly double quotes, single quotes (usually
nested in double ones), with apostrophes told apart (``Russia's``, ``NATO’s``, ``don’t``,
``’90s``); a mark without its partner is reported in ``problem``, never a crash. Speakers are
codebook entities, found from attributions (``Ryabkov stressed``, ``, she said``, ``the
President said``, ``According to him``); ``he``/``she`` go to the last person named before
of that gender, as the texts show it (``Wendy Sherman said she ...``, :func:`person_genders`).
Every row says in ``reason`` why it got its kind and speaker; :func:`quotes_table` runs it on a
corpus, :func:`quote_kind_counts` and :func:`scare_quoted_terms` count per outlet.

Speed: one scan of the lower-cased text (as bytes, when it has no letter beyond ASCII) finds
the words a speaker or verb expression can start with, and each expression is tried only there,
kept to the alternatives that start with that word (the verb-keyed ones stay whole: their verbs'
prefix tree rejects as fast, and compiling one per verb would cost more); the same matches as
scanning every character. A one-word alias (``Russia``) is matched there without an expression.
Verb and title words are prefix trees; a window with no verb start is not scanned for
attributions, nor past its last verb start; one without ``ccording`` not for ``According to``;
the gender scan stops at the last ``he``/``she`` a verb leads to, and runs only for a text
whose pronoun speakers need it; only lines with a quote mark or a speaker line are paired;
``so-called`` is sought only before quotations its words can close.
The reading of a text (quotations, mentions, genders) is kept for the last
:data:`READINGS_KEPT` texts, so :func:`analysis.voices.speech_acts` after :func:`quotes_table`
reads each article once (the last ones kept, when there are more).

Example:
    >>> quotes = find_quotes('Ryabkov said Russia has no plans to "invade" Ukraine. '
    ...                      '"We are fed up with loose talk," he said.')
    >>> quotes[["text", "kind", "speaker", "verb"]].values.tolist()
    [['invade', 'scare', '', ''], ['We are fed up with loose talk,', 'direct', 'Sergei Ryabkov', 'said']]
"""
from __future__ import annotations

import bisect
import functools
import itertools
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis import paths
from analysis.codebook import (REGEX_PREFIX, Codebook, group_alternatives, group_term_names, load_codebook,
                               phrase_regex, word_alternation)
from analysis.errors import CorpusError, require_columns
from analysis.sentences import find_attribution_tail, split_sentences
from analysis.measures import outlet_rate_effects
from analysis.stats import add_rate_columns
from analysis.tokens import characters_beyond_ascii, count_words, normalise

QUOTE_COLUMNS = ["start", "end", "text", "kind", "nested", "parent", "speaker", "verb", "reason", "marks", "problem"]
TABLE_COLUMNS = ["article_id", "outlet", "sentence_index", *QUOTE_COLUMNS]
ATTRIBUTION_COLUMNS = ["start", "end", "match", "speaker", "verb", "via"]
KINDS = ("direct", "partial", "scare")
SCARE_MAX_WORDS = 4  # an unattributed quotation this short is a scare quote
SCARE_CATEGORIES = ("contested_terms",)  # codebook terms whose quoting is distance, not speech
SUBJECT_WINDOW = 90  # characters from a sentence start in which its subject (the speaker) is sought
REDUCE_AFTER = 100  # tries of a pattern at one word before its expression for that word is compiled
READINGS_KEPT = 4096  # texts whose reading is kept: quotes_table and speech_acts read each article once

_MARK = re.compile("[\"“”‘’']")
_OPEN_BEFORE = set(" \t\n([{/–—-“‘\"'")  # characters after which a straight mark opens
_CLOSE_AFTER = set(" \t\n.,;:!?)]}…–—-”’\"'")  # characters before which a straight mark closes
_EDGE_PUNCTUATION = " \t\n.,;:!?…–—-\"“”‘’'()[]"
_PRONOUN_GENDER = {"he": "male", "him": "male", "she": "female", "her": "female"}
# Words allowed between a speaker and its verb; only singular auxiliaries, since every speaker
# is one person or party ("The United States and Russia have concluded" is not Russia's).
_ADVERBS = r"(?:also|then|again|once|later|further|in\s+turn|has|had|was|is|did|does|will|would|[a-z]+ly)"
_DISTANCING = re.compile(
    r"(?i:(?<!\w)(?:so[- ]called|alleged|supposed|purported|what\s+(?:he|she|it|they|\w+)\s+(?:called|calls|"
    r"terms|termed|describes|described)))[\s,]*$"
)
# a _DISTANCING match ends in one of these words, then only spaces and commas up to the quotation
_DISTANCING_END = re.compile(r"(?i:called|calls|terms|termed|describes|described|alleged|supposed|purported)\Z")
_DISTANCING_END_LONGEST = 9
_UNMARKED_MIN_WORDS = 3
_CLAUSE_BREAKS = frozenset({",", "”", '"', "’"})  # after these an attribution closes a quotation
_TRAILING_PUNCTUATION = re.compile(r"[\s,.;:!?…]*")
_TITLE_WORDS = re.compile(r"(?:[\w’'-]+\s+){0,5}")  # "opposition leader " before "Tomas Berg said"
_LEADING_WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")
_NON_ASCII_WORD = re.compile(r"(?<!\w)\w*?[^\W\x00-\x7f]")  # start of a word holding a non-ASCII letter


@dataclass(frozen=True, eq=False)
class _Vocabulary:
    """Regular expressions and lookups built once from a codebook (hashed by identity)."""

    actor_re: re.Pattern
    actor_names: dict
    kinds: dict
    lowercase_aliases: frozenset
    heads: dict
    attribution_re: re.Pattern
    inverted_re: re.Pattern
    according_re: re.Pattern
    verb_re: re.Pattern
    gender_re: re.Pattern
    gender_lead_re: re.Pattern  # a verb, at most one word, he/she: what every gender_re match holds
    verb_words: int  # most words in one reporting verb
    scare_term_re: re.Pattern | None
    first_words: re.Pattern | None  # on " " + lower-cased text: every word that may start a keyed pattern
    first_word_bytes: re.Pattern | None  # the same, space and word, on the text's bytes (:func:`_candidates`)
    key_words: dict  # each space and word first_word_bytes finds (bytes) -> the word (str)
    keys: dict  # keyed pattern's field name -> the lower-cased words its matches can start with
    reduced: dict  # keyed pattern's field name -> its _Reduced expressions
    one_word_actors: dict  # actor_re key -> (alias as written or None for any case, alternative name)


class _Quote(NamedTuple):
    """A quotation span before classification (``inner`` is the quoted words' span)."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    marks: str
    problem: str


class _Context(NamedTuple):
    """What classification needs to know about one text."""

    text: str
    vocab: _Vocabulary
    sentence_starts: list
    sentence_ends: list
    mention_starts: list
    mention_entities: list
    genders: dict | None  # None: the text's own (_genders), read when a pronoun first needs them
    tails: dict  # paragraph start -> (tail offset, speaker entity)
    candidates: tuple | None  # (starts, words) where keyed patterns may match (_candidates)
    verbs: tuple | None  # (starts, words) of the candidate words a reporting verb may start at (_verb_candidates)


def _alternation(words) -> str:
    """Alternation of ``words`` for a case-insensitive group, longer words tried first.

    ASCII words are written as a prefix tree of their lower-case forms (``(?:said|say(?:s)?)``):
    at one position it tries the words that fit in the same order, longest first, but rejects a
    word after one character test per letter instead of trying every alternative in turn.
    The source is built once per set of words (:class:`_Reduced` expressions share the verbs').
    """
    return _alternation_source(frozenset(words))


@functools.lru_cache(maxsize=256)
def _alternation_source(words: frozenset) -> str:
    if words and all(word.isascii() for word in words):
        return word_alternation({word.lower() for word in words})
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _word_start(source: str, first_words) -> str:
    """``source`` tried only at word starts with a possible first letter (5x faster scans).

    Without the guard Python's ``re`` tries every alternative at every character; with it,
    most positions fail on one character-class test. No guard when a pattern is a regex.
    """
    words = list(first_words)
    if any(w.startswith(REGEX_PREFIX) or not w[:1].isalnum() for w in words):
        return source
    letters = "".join(sorted({c for w in words for c in (w[0].lower(), w[0].upper())}))
    return rf"(?<!\w)(?=[{letters}])(?:{source})"


def _role_head(role: str) -> str:
    """Head noun of a role: ``US Deputy Secretary of State, head of ...`` -> ``Secretary``."""
    first = re.split(r",| of | in | to ", role, maxsplit=1)[0].split()
    return first[-1].casefold() if first else ""


class _Words(NamedTuple):
    """What the speaker and verb expressions are written from (:func:`_pattern_source`)."""

    actors: tuple  # (name, Pattern) alternatives of the actors group, in compile_group's order
    aliases: tuple  # every alias Pattern, longest text first
    alias_texts: tuple
    verb_texts: tuple
    heads: tuple  # head nouns of the actors' roles ("minister"), in codebook order


@functools.lru_cache(maxsize=8)
def _vocabulary(book: Codebook) -> _Vocabulary:
    """Compile the speaker, verb and term expressions of ``book`` (cached per codebook)."""
    group = book.match_groups("actors")[0]
    heads: dict[str, list[str]] = {}
    for actor in book.actors:
        if actor.role:
            heads.setdefault(_role_head(actor.role), []).append(actor.name)
    words = _Words(
        actors=tuple(group_alternatives(group)),
        aliases=tuple(sorted((p for a in book.actors for p in a.aliases), key=lambda p: -len(p.text))),
        alias_texts=tuple(p.text for a in book.actors for p in a.aliases),
        verb_texts=tuple(v for stance in book.stances for v in stance.verbs),
        heads=tuple(heads),
    )
    keys = _pattern_keys(words.alias_texts, words.verb_texts)
    first_words = set().union(*keys.values())
    compiled = {name: re.compile(_pattern_source(words, name)) for name in _PATTERN_NAMES}
    return _Vocabulary(
        actor_names={name: term.name for name, term in group_term_names(group).items()},
        kinds={actor.name: actor.kind for actor in book.actors},
        lowercase_aliases=frozenset(p.text.casefold() for a in book.actors for p in a.aliases if p.text[:1].islower()),
        heads={head: tuple(names) for head, names in heads.items()},
        **compiled,
        verb_words=max(len(verb.split()) for verb in words.verb_texts),
        scare_term_re=_scare_term_regex(book),
        first_words=re.compile(_first_words_source(first_words)) if keys else None,
        first_word_bytes=re.compile(rf"( {word_alternation(first_words)})(?!\w)".encode()) if keys else None,
        key_words={b" " + word.encode(): sys.intern(word) for word in first_words},
        keys=keys,
        reduced={name: _Reduced(words, name, keys[name], compiled[name]) for name in keys},
        one_word_actors=_one_word_actors(words.actors) if "actor_re" in keys else {},
    )


_ONE_WORD = re.compile(r"[A-Za-z0-9]+")


def _one_word_actors(actors) -> dict[str, tuple[str | None, str]]:
    """``{key: (alias or None, alternative name)}`` for the ``actor_re`` keys (:func:`_pattern_keys`)
    that start one alternative only, a plain one-word ASCII alias (``Russia``, ``US`` case-sensitive).

    At a candidate word (:func:`_candidates`) that is such a key, ``actor_re`` matches that word
    exactly when the alias ignores case or is written as the word is: no expression need be tried.
    """
    by_key: dict[str, list] = {}
    for name, pattern in actors:
        by_key.setdefault(_LEADING_WORD.match(pattern.text).group().lower(), []).append((name, pattern))
    found = {}
    for key, alternatives in by_key.items():
        if len(alternatives) != 1:
            continue
        name, pattern = alternatives[0]
        plain = phrase_regex(pattern.text) if _ONE_WORD.fullmatch(pattern.text) else None
        if plain is not None and pattern.regex == (plain if pattern.case_sensitive else f"(?i:{plain})"):
            found[key] = (pattern.text if pattern.case_sensitive else None, name)
    return found


_ACCORDING_CORE = "ccording"  # every according_re match holds it: a window without it needs no scan
_PATTERN_NAMES = ("actor_re", "attribution_re", "inverted_re", "according_re", "verb_re", "gender_re", "gender_lead_re")


def _pattern_source(words: _Words, name: str, key: str | None = None) -> str:
    """Source of the vocabulary expression ``name``.

    With ``key`` (a lower-case first word, :func:`_pattern_keys`) only the alternatives that
    start with that word are kept (speakers for ``attribution_re`` and ``gender_re``, verbs
    for ``inverted_re`` and ``verb_re``, aliases for ``actor_re``): at a word ``key`` the
    smaller expression matches exactly as the whole one does, as no other can match there.
    """
    speaker_key = key if name in ("attribution_re", "gender_re") else None
    verb_key = key if name in ("inverted_re", "verb_re") else None
    aliases = "|".join(p.regex for p in words.aliases)
    nominal = (rf"(?<!\w)[Tt]he\s+(?:[A-Z][\w.’'-]*\s+){{0,5}}(?i:{_alternation(words.heads)})(?!\w)"
               r"(?:\s+of\s+(?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)*") if words.heads else "(?!)"  # never matches
    all_verbs = rf"(?i:{_alternation(words.verb_texts)})(?!\w)"
    key_verbs = rf"(?i:{_alternation(v for v in words.verb_texts if _starts_with(v, verb_key))})(?!\w)"
    speaker = "(?P<speaker>{})".format(_either(
        "|".join(p.regex for p in words.aliases if _starts_with(p.text, speaker_key)),
        nominal if speaker_key in (None, "the") else "",
        r"(?<!\w)(?:[Hh]e|[Ss]he)(?!\w)" if speaker_key in (None, "he", "she") else ""))
    gap = rf"(?P<gap>\s*,[^,.;:!?“”\"\n]{{1,80}},\s*|\s*,\s*|\s+)(?:{_ADVERBS}\s+)*"
    attribution = _word_start(rf"{speaker}{gap}(?P<verb>{all_verbs})", [*words.alias_texts, "the", "he", "she"])
    actor_key = key if name == "actor_re" else None
    sources = {
        "actor_re": lambda: _word_start(_either(*(f"(?P<{n}>{p.regex})" for n, p in words.actors
                                                  if _starts_with(p.text, actor_key))), words.alias_texts),
        "attribution_re": lambda: attribution,
        "inverted_re": lambda: _word_start(rf"(?P<verb>{key_verbs})\s+(?P<speaker>{aliases}|{nominal})",
                                           words.verb_texts),
        "according_re": lambda: rf"(?<!\w)[Aa]ccording\s+to\s+(?P<speaker>{aliases}|{nominal}|him|her)(?!\w)",
        "verb_re": lambda: _word_start(rf"(?P<verb>{key_verbs})", words.verb_texts),
        "gender_re": lambda: rf"{attribution}\s+(?:that\s+|[a-z]+\s+)?(?P<pronoun>he|she)(?!\w)",
        "gender_lead_re": lambda: rf"{all_verbs}\s+(?:that\s+|[a-z]+\s+)?(?:he|she)",
    }
    return sources[name]()


def _starts_with(text: str, key: str | None) -> bool:
    """True when ``key`` is None or the first word of ``text``, lower-cased, is ``key``."""
    return key is None or _LEADING_WORD.match(text).group().lower() == key


def _either(*alternatives: str) -> str:
    """Alternation of the non-empty ``alternatives``; one that never matches when there is none."""
    return "|".join(a for a in alternatives if a) or "(?!)"


# Keyed by a verb, these expressions kept to one verb differ from the whole only in the verbs'
# prefix tree, which rejects other verbs as fast: compiling one per verb (69) costs more than it saves.
_KEPT_WHOLE = frozenset({"inverted_re", "verb_re"})


class _Reduced(dict):
    """``{word: expression}``: the expression ``name`` kept to the alternatives starting with
    ``word``; None for a word no match starts with, and the whole expression for word None (a
    word whose case rules are not plain lower-casing). A word's own expression is compiled
    once it has been asked for :data:`REDUCE_AFTER` times (compiling costs 1-3 ms, hundreds of
    tries); until then the whole expression stands in for it, with the same matches. The
    patterns in :data:`_KEPT_WHOLE` always use the whole expression."""

    def __init__(self, words: _Words, name: str, keys: frozenset, whole: re.Pattern):
        super().__init__({None: whole})
        self.words, self.name, self.keys, self.whole = words, name, keys, whole
        self.asked: Counter = Counter()

    def __missing__(self, word: str) -> re.Pattern | None:
        if word not in self.keys:
            self[word] = None
            return None
        if self.name in _KEPT_WHOLE:
            self[word] = self.whole
            return self.whole
        self.asked[word] += 1
        if self.asked[word] < REDUCE_AFTER:
            return self.whole
        pattern = self[word] = re.compile(_pattern_source(self.words, self.name, word))
        return pattern


def _pattern_keys(alias_texts, verb_texts) -> dict[str, frozenset]:
    """First words (lower case) that matches of the word-start patterns begin with.

    A pattern guarded by :func:`_word_start` matches only where the whole word there is,
    ignoring case, the first word of one of its aliases or verbs (no word character before
    it; a space, a mark or no word character after it), so trying those words finds every match.
    Patterns whose words cannot be keyed so (a ``regex:`` alias) are left out: they scan everything.
    """
    speakers, verbs = _first_word_keys([*alias_texts, "the", "he", "she"]), _first_word_keys(verb_texts)
    keys = {"actor_re": _first_word_keys(alias_texts), "attribution_re": speakers, "gender_re": speakers,
            "inverted_re": verbs, "verb_re": verbs, "according_re": frozenset({"according"})}
    return {name: words for name, words in keys.items() if words is not None}


def _first_word_keys(words) -> frozenset | None:
    """Lower-cased leading word of each of ``words``; None when :func:`_word_start` adds no guard
    or a word is not ASCII (case-insensitive matching of other letters is not plain lower-casing)."""
    if any(w.startswith(REGEX_PREFIX) or not w[:1].isalnum() for w in words):
        return None
    keys = frozenset(_LEADING_WORD.match(w).group().lower() for w in words)
    return keys if all(key.isascii() for key in keys) else None


def _first_words_source(words) -> str:
    """Expression for a non-word character followed by one of ``words`` (lower case) as a
    whole word. It starts with a character class, which Python's ``re`` skips to quickly; it
    runs on the lower-cased text behind one added space, so ``match.start()`` is the word's offset.
    The two groups (the character, the word) let :func:`_candidates` split the text on it.
    """
    return rf"(\W)({word_alternation(words)})(?!\w)"


def _scare_term_regex(book: Codebook) -> re.Pattern | None:
    """One expression matching a whole quoted span that is a contested codebook term."""
    patterns = [p.regex for cat in book.term_categories if cat.name in SCARE_CATEGORIES
                for term in cat.terms for p in term.patterns]
    return re.compile("(?:" + "|".join(patterns) + ")") if patterns else None


def _codebook(codebook: Codebook | str | Path | None) -> Codebook:
    if codebook is None:
        return _default_codebook()
    return codebook if isinstance(codebook, Codebook) else load_codebook(codebook)


@functools.lru_cache(maxsize=1)
def _default_codebook() -> Codebook:
    return load_codebook(paths.DEFAULT_CODEBOOK)


# --- quote marks ---------------------------------------------------------------------


def _mark_role(text: str, i: int, double_open: bool, single_open: bool) -> str:
    """``open``, ``close`` or ``apostrophe`` for the quote mark at ``text[i]``."""
    mark = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if mark in "“”":
        return "open" if mark == "“" else "close"
    if mark == '"':
        opens, closes = before in _OPEN_BEFORE and not after.isspace(), not before.isspace() and after in _CLOSE_AFTER
        if opens != closes:
            return "open" if opens else "close"
        return "close" if double_open else "open"
    if before.isalnum() and after.isalnum():  # Russia's, don’t, NATO’s
        return "apostrophe"
    if after.isdigit() and not before.isalnum():  # ’90s
        return "apostrophe"
    if mark == "‘" or (mark == "'" and before in _OPEN_BEFORE and after.isalpha()):
        return "open"
    return "close" if single_open and not before.isspace() else "apostrophe"  # countries’


_STYLES = {"“": "curly", "”": "curly", '"': "straight"}  # any other mark is "single"


def _style(mark: str) -> str:
    return _STYLES.get(mark, "single")


_DOUBLE_MARKS = "“”\""  # the double quote marks; any other mark is a single one


def _paired_quotes(text: str, start: int, end: int, marks: list[int]) -> list[_Quote]:
    """Quotations marked in ``text[start:end]`` (one paragraph; ``marks`` are the offsets of
    its quote marks), with unmatched marks reported."""
    quotes, last_mark = [], start - 1
    stack: list[int] = []  # offsets of the open marks
    doubles: list[bool] = []  # for each open mark: a double one
    for i in marks:
        role = _mark_role(text, i, True in doubles, False in doubles)
        if role == "open":
            stack.append(i)
            doubles.append(text[i] in _DOUBLE_MARKS)
        elif role == "close":
            same = _last_index(doubles, text[i] in _DOUBLE_MARKS)
            if same < 0:
                quotes.append(_unmatched_closing(text, last_mark + 1, i))
            else:
                for j in stack[same + 1:]:
                    quotes.append(_unmatched_opening(text, j, i))
                opening = stack[same]
                del stack[same:], doubles[same:]
                differ = "" if _style(text[opening]) == _style(text[i]) else f"opening {text[opening]} closed by {text[i]}"
                quotes.append(_Quote(opening, i + 1, opening + 1, i, _style(text[opening]), differ))
        if role != "apostrophe":
            last_mark = i
    quotes.extend(_unmatched_opening(text, j, end) for j in stack)
    return quotes


def _last_index(items: list, value) -> int:
    """Index of the last ``value`` in ``items``; -1 when there is none."""
    for index in range(len(items) - 1, -1, -1):
        if items[index] == value:
            return index
    return -1


def _unmatched_opening(text: str, opening: int, limit: int) -> _Quote:
    end = opening + 1 + len(text[opening + 1:limit].rstrip())
    return _Quote(opening, end, opening + 1, end, _style(text[opening]),
                  f"unmatched opening mark {text[opening]}: no closing mark before the end of the paragraph")


def _unmatched_closing(text: str, start: int, closing: int) -> _Quote:
    start += len(text[start:closing]) - len(text[start:closing].lstrip())
    return _Quote(start, closing + 1, start, closing, _style(text[closing]),
                  f"unmatched closing mark {text[closing]}: no opening mark earlier in the paragraph")


def _paragraph_quotes(text: str, start: int, end: int, tail: int | None, marks: list[int]) -> list[_Quote]:
    """Marked quotations of one paragraph (``marks``: offsets of the text's quote marks), plus
    the unmarked statement before a speaker line."""
    body_end = end if tail is None else tail
    first, last = bisect.bisect_left(marks, start), bisect.bisect_left(marks, body_end)
    quotes = _paired_quotes(text, start, body_end, marks[first:last]) if first < last else []
    if tail is None:
        return quotes
    body = text[start:tail].strip()
    first = start + len(text[start:tail]) - len(text[start:tail].lstrip())
    wholly_marked = any(q.start == first and q.end == first + len(body) for q in quotes)
    if count_words(body) >= _UNMARKED_MIN_WORDS and not wholly_marked:
        quotes.append(_Quote(first, first + len(body), first, first + len(body), "unmarked", ""))
    return quotes


def _paragraphs(text: str, marks: list[int]) -> list[tuple[int, int, int | None]]:
    """``(start, end, tail offset or None)`` of the lines of ``text`` that can hold quotations:
    those with a quote mark (``marks``: the text's mark offsets) or a closing speaker line."""
    lines = text.split("\n")
    starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    marked = {bisect.bisect_right(starts, mark) - 1 for mark in marks}
    paragraphs = []
    for index, line in enumerate(lines):
        tail = find_attribution_tail(line) if line else None
        if tail is not None or index in marked:
            start = starts[index]
            paragraphs.append((start, start + len(line), None if tail is None else start + tail))
    return paragraphs


def _quote_spans(text: str, paragraphs: list[tuple], marks: list[int]) -> list[_Quote]:
    """All quotations of ``text`` (its :func:`_paragraphs`, ``marks`` the offsets of its quote
    marks), sorted by start (outer before inner)."""
    quotes = [q for start, end, tail in paragraphs for q in _paragraph_quotes(text, start, end, tail, marks)]
    return sorted(quotes, key=lambda q: (q.start, -q.end))


def _parents(quotes: list[_Quote]) -> list[int]:
    """Index of the innermost quotation enclosing each one (-1 for none)."""
    parents, open_ = [], []
    for index, quote in enumerate(quotes):
        while open_ and quotes[open_[-1]].end <= quote.start:
            open_.pop()
        parents.append(open_[-1] if open_ and quote.end <= quotes[open_[-1]].end else -1)
        open_.append(index)
    return parents


# --- where patterns may match -------------------------------------------------------


def _candidates(text: str, vocab: _Vocabulary) -> tuple[list[int], list] | None:
    """``(starts, words)`` of the words of ``text`` that may start a keyed pattern
    (:func:`_pattern_keys`), lower-cased, in text order.

    One scan of the lower-cased text finds them; words holding a non-ASCII letter are kept
    for every pattern (word None: their case rules are not plain lower-casing). None (every
    pattern then scans the whole text) when lower-casing changes the text's length.

    A text without such letters (most) is scanned as bytes, one a character (``latin-1``,
    others replaced), ASCII letters lower-cased and every non-word character made a space:
    its words are the same, lower-casing keeps its length, and an expression that starts with
    a space skips to the next one fast (0.6x the time of the text scan).
    """
    if vocab.first_word_bytes is None:
        return None
    if _has_letter_beyond_ascii(text):
        return _candidates_beyond_ascii(text, vocab)
    spaced = b" " + text.encode("latin-1", "replace").translate(_LOWER_WORD_BYTES)
    pieces = vocab.first_word_bytes.split(spaced)  # text, " word", text, " word", ..., text
    starts = list(itertools.accumulate(map(len, pieces)))[0:-1:2]  # of each " word": its word's offset in text
    return starts, list(map(vocab.key_words.__getitem__, pieces[1::2]))


# bytes.translate table: ASCII word characters kept (letters lower-cased), every other byte made a space
_LOWER_WORD_BYTES = bytes(ord(chr(byte).lower()) if chr(byte).isascii() and _WORD_CHAR.match(chr(byte)) else 32
                          for byte in range(256))


def _has_letter_beyond_ascii(text: str) -> bool:
    """True when a character of ``text`` beyond ASCII is a letter or digit (\\w), not ``’`` or ``“``.

    Example:
        >>> _has_letter_beyond_ascii("“Russia’s” – NATO’s"), _has_letter_beyond_ascii("Ryabkové")
        (False, True)
    """
    return any(character.isalnum() for character in characters_beyond_ascii(text))


def _candidates_beyond_ascii(text: str, vocab: _Vocabulary) -> tuple[list[int], list] | None:
    """:func:`_candidates` of a text with letters beyond ASCII: the words with such a letter
    are kept for every pattern, as word None."""
    spaced = " " + text.lower()
    if len(spaced) != len(text) + 1:
        return None
    pieces = vocab.first_words.split(spaced)  # text, character, word, text, character, word, ..., text
    starts = list(itertools.accumulate(map(len, pieces)))[0:-1:3]  # of each character: its word's offset in text
    words = list(map(sys.intern, pieces[2::3]))  # one str per word
    odd = {m.start() for m in _NON_ASCII_WORD.finditer(text)}
    found = sorted([(q, w) for q, w in zip(starts, words) if q not in odd] + [(q, None) for q in odd])
    return [q for q, _ in found], [w for _, w in found]


def _scan(ctx: _Context, name: str, start: int = 0, end: int | None = None, *,
          last: int | None = None) -> list[re.Match]:
    """``list(pattern.finditer(ctx.text, start, end))`` for the vocabulary pattern ``name``,
    tried only at the words where it may match, with the alternatives that start with each
    word (same matches, far fewer attempts). With ``last``, the scan stops there: only the
    matches starting at or before ``last``."""
    text = ctx.text
    end = len(text) if end is None else end
    last = end if last is None else last
    if ctx.candidates is None or name not in ctx.vocab.keys:
        matches = getattr(ctx.vocab, name).finditer(text, start, end)
        return list(itertools.takewhile(lambda match: match.start() <= last, matches))
    found, resume, patterns = [], start, ctx.vocab.reduced[name]
    for position, word in _window_words(ctx, start, end, ctx.verbs if name in _KEPT_WHOLE else ctx.candidates):
        if position > last:
            break
        pattern = patterns[word] if position >= resume else None
        match = pattern.match(text, position, end) if pattern is not None else None
        if match:
            found.append(match)
            resume = match.end()
    return found


def _verb_candidates(candidates: tuple | None, vocab: _Vocabulary) -> tuple[list[int], list] | None:
    """``(starts, words)`` of the candidate words a reporting verb may start at: a verb's first
    word, or a word with a non-ASCII letter (word None). None when the text's words or the
    verbs are not indexed. The verb-keyed patterns (:data:`_KEPT_WHOLE`) are tried only there."""
    if candidates is None or "verb_re" not in vocab.keys:
        return None
    starts, words = candidates
    kept = list(map(vocab.keys["verb_re"].union((None,)).__contains__, words))
    return list(itertools.compress(starts, kept)), list(itertools.compress(words, kept))


def _may_hold_verb(ctx: _Context, start: int, end: int) -> bool:
    """False when no reporting verb can match in ``text[start:end]``: no verb starts there and
    ``end`` cuts no word (a cut word's first part may be a verb). Every attribution and every
    ``verb_re`` match holds a verb, so such a window needs no scan for them."""
    return _last_verb_start(ctx, start, end) >= 0


def _last_verb_start(ctx: _Context, start: int, end: int) -> int:
    """Start of the last word of ``text[start:end]`` a reporting verb may start at (-1 for none;
    ``end`` when ``end`` cuts a word, whose first part may be a verb, or the words are not indexed).

    An attribution's verb follows its speaker at a word a verb may start at (:func:`_verb_candidates`),
    so no attribution in the window starts at this word or after it."""
    if ctx.verbs is None:
        return end
    text = ctx.text
    if 0 < end < len(text) and _WORD_CHAR.match(text, end - 1) and _WORD_CHAR.match(text, end):
        return end
    verb_starts = ctx.verbs[0]
    last = bisect.bisect_left(verb_starts, end) - 1
    return verb_starts[last] if last >= 0 and verb_starts[last] >= start else -1


def _window_words(ctx: _Context, start: int, end: int, candidates: tuple):
    """``(start, word)`` of the ``candidates`` (``(starts, words)``, :func:`_candidates` or a part
    of them) in ``[start, end)``; a word cut by ``end`` is taken as its part before ``end`` (the
    pattern sees the text end there)."""
    starts, words = candidates
    first, last = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
    inside = zip(starts[first:last], words[first:last])
    text = ctx.text
    if not (0 < end < len(text) and _WORD_CHAR.match(text, end - 1) and _WORD_CHAR.match(text, end)):
        return inside
    cut = end - 1
    while cut > 0 and _WORD_CHAR.match(text, cut - 1):
        cut -= 1
    if cut < start:
        return inside
    piece = text[cut:end]
    return [*((q, w) for q, w in inside if q != cut), (cut, piece.lower() if piece.isascii() else None)]


# --- who is named where --------------------------------------------------------------


def _is_proper(word: str, vocab: _Vocabulary) -> bool:
    """A name as written (``Price``), not the common word an alias may also be (``price``)."""
    return word[:1].isupper() or word.casefold() in vocab.lowercase_aliases


def _entity(word: str, vocab: _Vocabulary) -> str:
    match = vocab.actor_re.fullmatch(word)
    return vocab.actor_names[match.lastgroup] if match else ""


def _outside(spans: list[tuple[int, int]], position: int) -> bool:
    """True when ``position`` lies in none of the sorted, non-overlapping ``spans``."""
    i = bisect.bisect_right(spans, (position, float("inf"))) - 1
    return i < 0 or position >= spans[i][1]


def _top_level(quotes: list[_Quote]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for quote in quotes:
        if not spans or quote.start >= spans[-1][1]:
            spans.append((quote.start, quote.end))
    return spans


def _named_speaker(match: re.Match, vocab: _Vocabulary) -> str:
    """Entity an attribution names: its alias, or the name set off after a title
    (``The Russian Deputy Foreign Minister, Sergey Ryabkov, told``); "" for none."""
    entity = _entity(match.group("speaker"), vocab)
    if entity or match.group("speaker").casefold() in _PRONOUN_GENDER:
        return entity
    apposition = vocab.actor_re.search(match.groupdict().get("gap") or "")
    return vocab.actor_names[apposition.lastgroup] if apposition and _is_proper(apposition.group(), vocab) else ""


def _gender_votes(ctx: _Context) -> Counter:
    """``(person, gender)`` counts of ``NAME said he/she`` in one text."""
    votes: Counter = Counter()
    vocab = ctx.vocab
    last = _gender_scan_last(ctx)
    for match in _scan(ctx, "gender_re", last=last) if last >= 0 else ():
        entity = _named_speaker(match, vocab)
        if vocab.kinds.get(entity) == "person":
            votes[entity, _PRONOUN_GENDER[match.group("pronoun")]] += 1
    return votes


def _gender_scan_last(ctx: _Context) -> int:
    """Offset after which no ``gender_re`` match starts: the last ``he``/``she`` a reporting
    verb leads to (at most one word between), as every ``NAME said he`` ends in one; -1 for
    none (the text cannot show a gender, and most texts are spared the scan), the text's
    length when the text's words are not indexed (:func:`_candidates`)."""
    if ctx.candidates is None or not {"gender_re", "verb_re"} <= ctx.vocab.keys.keys():
        return len(ctx.text)
    starts, words = ctx.candidates
    return max((starts[index] for word in ("he", "she") for index in _indexes(words, word)
                if ctx.text.startswith(word, starts[index]) and _verb_leads_to(ctx, index, starts[index] + len(word))),
               default=-1)


def _indexes(items: list, value):
    """Indexes of ``value`` in ``items``, in order (``list.index`` finds each: no Python loop over ``items``)."""
    index = -1
    while True:
        try:
            index = items.index(value, index + 1)
        except ValueError:
            return
        yield index


def _verb_leads_to(ctx: _Context, pronoun: int, pronoun_end: int) -> bool:
    """True when a candidate verb before candidate word ``pronoun`` leads to it (``gender_lead_re``)."""
    starts, words = ctx.candidates
    verbs = ctx.vocab.keys["verb_re"]
    for index in range(pronoun - 1, -1, -1):
        if len(ctx.text[starts[index]:starts[pronoun]].split()) > ctx.vocab.verb_words + 1:
            return False
        if (words[index] is None or words[index] in verbs) and \
                ctx.vocab.gender_lead_re.fullmatch(ctx.text, starts[index], pronoun_end):
            return True
    return False


def _majority(votes: Counter) -> dict[str, str]:
    genders = {}
    for entity in sorted({entity for entity, _ in votes}):
        male, female = votes[entity, "male"], votes[entity, "female"]
        if male != female:
            genders[entity] = "male" if male > female else "female"
    return genders


def person_genders(texts, *, codebook: Codebook | str | Path | None = None) -> dict[str, str]:
    """Gender of codebook persons as the texts show it: ``Wendy Sherman said she ...``.

    A person's gender is the pronoun that most often follows their name and a reporting
    verb (``Sergey Ryabkov, told reporters he ...``) across all ``texts``; persons never
    shown so, or shown both ways equally often, are left out (unknown). Pass the result as
    ``genders=`` to :func:`find_quotes` / :func:`find_attributions` so one article's
    evidence helps resolve pronouns in another.

    Args:
        texts: article texts (any iterable of strings).
        codebook: a :class:`~analysis.codebook.Codebook` or its path (default: the study's).

    Returns:
        ``{entity: "female" | "male"}``.

    Example:
        >>> person_genders(["Wendy Sherman said she was ready.", "Ryabkov told reporters he left."])
        {'Sergei Ryabkov': 'male', 'Wendy Sherman': 'female'}
    """
    vocab = _vocabulary(_codebook(codebook))
    votes: Counter = Counter()
    for text in texts:
        votes.update(_gender_votes(_bare_context(_checked_text(text), vocab)))
    return _majority(votes)


@functools.lru_cache(maxsize=READINGS_KEPT)
def _bare_context(text: str, vocab: _Vocabulary) -> _Context:
    """A context that knows only the text and where its patterns may match."""
    candidates = _candidates(text, vocab)
    return _Context(text, vocab, [], [], [], [], {}, {}, candidates, _verb_candidates(candidates, vocab))


@functools.lru_cache(maxsize=READINGS_KEPT)
def _text_genders(text: str, vocab: _Vocabulary) -> dict[str, str]:
    """Genders of the persons as this text alone shows them."""
    return _majority(_gender_votes(_bare_context(text, vocab)))


@functools.lru_cache(maxsize=READINGS_KEPT)
def _reading(text: str, vocab: _Vocabulary) -> tuple[_Context, list[_Quote]]:
    """The quotations of a text and its context without sentences or genders.

    Kept for the last :data:`READINGS_KEPT` texts: :func:`quotes_table` and
    :func:`analysis.voices.speech_acts` (via :func:`attributions_table`) read the same
    articles, and each is read once. Nothing returned is ever changed.
    """
    marks = [m.start() for m in _MARK.finditer(text)]
    paragraphs = _paragraphs(text, marks)
    quotes = _quote_spans(text, paragraphs, marks)
    bare = _bare_context(text, vocab)
    mentions = _mentions(bare, _top_level(quotes))
    tails = {}
    for start, _, tail in paragraphs:
        if tail is not None:
            name = vocab.actor_re.match(text, tail)
            tails[start] = (tail, _entity(name.group(), vocab) if name else " ".join(text[tail:].split()[:2]))
    context = bare._replace(mention_starts=[p for p, _ in mentions], mention_entities=[e for _, e in mentions],
                            tails=tails)
    return context, quotes


def _mentions(ctx: _Context, outer: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """``(offset, entity)`` of the codebook names written as names outside the ``outer``
    quotation spans (sorted, not overlapping), in text order."""
    mentions, inside, vocab, text = [], 0, ctx.vocab, ctx.text
    for position, end, name in _actor_spans(ctx):
        while inside < len(outer) and outer[inside][1] <= position:
            inside += 1
        if (inside == len(outer) or position < outer[inside][0]) and \
                (text[position].isupper() or _is_proper(text[position:end], vocab)):  # most names: no call
            mentions.append((position, vocab.actor_names[name]))
    return mentions


def _actor_spans(ctx: _Context) -> list[tuple[int, int, str]]:
    """``(start, end, alternative name)`` of the matches of :func:`_scan` (``actor_re``), found
    without an expression at the words that are one-word aliases (:func:`_one_word_actors`)."""
    if ctx.candidates is None or "actor_re" not in ctx.vocab.keys:
        return [(m.start(), m.end(), m.lastgroup) for m in _scan(ctx, "actor_re")]
    text, one_word, patterns = ctx.text, ctx.vocab.one_word_actors, ctx.vocab.reduced["actor_re"]
    found, resume = [], 0
    for position, word in zip(*ctx.candidates):
        if position < resume:
            continue
        alias = one_word.get(word)
        if alias is not None:
            if alias[0] is None or text.startswith(alias[0], position):
                resume = position + len(word)
                found.append((position, resume, alias[1]))
            continue
        pattern = patterns[word]
        match = pattern.match(text, position) if pattern is not None else None
        if match:
            resume = match.end()
            found.append((position, resume, match.lastgroup))
    return found


def _analysed(text: str, vocab: _Vocabulary, sentences: tuple[list[int], list[int]],
              genders: dict[str, str] | None) -> tuple[_Context, list[_Quote]]:
    """The quotations of a text and its context: sentence bounds (``sentences``: the starts and
    the ends of its sentences), named mentions outside quotations, genders (``genders`` or the
    text's own) and speaker lines."""
    context, quotes = _reading(text, vocab)
    context = context._replace(sentence_starts=sentences[0], sentence_ends=sentences[1], genders=genders)
    return context, quotes


def _antecedent(ctx: _Context, position: int, gender: str) -> str:
    """The last person named before ``position`` of the pronoun's gender.

    Persons the text shows to be of that gender come first; when there is none, the last
    person whose gender the text does not show; never a person of the other gender.
    """
    earlier = ctx.mention_entities[:bisect.bisect_left(ctx.mention_starts, position)]
    persons = [e for e in reversed(earlier) if ctx.vocab.kinds.get(e) == "person"]
    genders = _genders(ctx)
    known = [e for e in persons if genders.get(e) == gender]
    unknown = [e for e in persons if e not in genders]
    return (known or unknown or [""])[0]


def _genders(ctx: _Context) -> dict[str, str]:
    """The genders pronouns are resolved with: those given, or what the text shows (read once,
    when first needed: texts without a pronoun speaker are spared the gender scan)."""
    return _text_genders(ctx.text, ctx.vocab) if ctx.genders is None else ctx.genders


def _resolve(match: re.Match, ctx: _Context) -> tuple[str, str, str]:
    """``(entity, via, note)`` for the speaker words of an attribution match."""
    word, position = match.group("speaker"), match.start("speaker")
    if word.casefold() in _PRONOUN_GENDER:
        gender = _PRONOUN_GENDER[word.casefold()]
        entity = _antecedent(ctx, position, gender)
        if not entity:
            return "", "pronoun", f"'{word}' = nobody (no {gender} person named before)"
        known = f"{gender} person" if entity in _genders(ctx) else "person of unknown gender"
        return entity, "pronoun", f"'{word}' = {entity} (last {known} named before)"
    entity = _named_speaker(match, ctx.vocab)
    if entity:
        return entity, "name", ""
    head = next(h for h in ctx.vocab.heads if re.search(rf"(?i)\b{re.escape(h)}\b", word))
    holders = ctx.vocab.heads[head]
    earlier = [e for p, e in zip(ctx.mention_starts, ctx.mention_entities) if p < position and e in holders]
    entity = earlier[-1] if earlier else ""
    return entity, "title", f"'{word}' = {entity or 'nobody'} (last {head} named before)"


def _valid(match: re.Match, vocab: _Vocabulary) -> bool:
    """Drop ``Russia, warning`` (a participle after a comma belongs to the sentence subject)."""
    gap = match.groupdict().get("gap") or ""
    if "," in gap and match.group("verb").casefold().endswith("ing"):
        return False
    word = match.group("speaker")
    return word.casefold() in _PRONOUN_GENDER or not _entity(word, vocab) or _is_proper(word, vocab)


def _matches(ctx: _Context, start: int, end: int, *, according: bool = True) -> list[re.Match]:
    """Attributions (``Ryabkov stressed``, ``According to him``) in ``text[start:end]``, in order."""
    last_verb = _last_verb_start(ctx, start, end)
    found = [m for m in _scan(ctx, "attribution_re", start, end, last=last_verb - 1) if _valid(m, ctx.vocab)] \
        if last_verb >= 0 else []
    if according and ctx.text.find(_ACCORDING_CORE, start, end) >= 0:
        found += _scan(ctx, "according_re", start, end)
    return sorted(found, key=lambda m: m.start())


def find_attributions(text: str, *, codebook: Codebook | str | Path | None = None,
                      genders: dict[str, str] | None = None) -> pd.DataFrame:
    """Every attribution "SPEAKER VERB" (or ", VERB SPEAKER") outside quotation marks.

    Speakers are codebook aliases, ``he``/``she`` (the last person named before, of the
    pronoun's gender as the text shows it) and titles (``the President`` = the last person
    named before whose codebook role has that title). Verbs are the codebook's reporting verbs.

    Args:
        text: one article (cleaned text).
        codebook: a :class:`~analysis.codebook.Codebook` or its path (default: the study's).
        genders: ``{person: "female" | "male"}`` (:func:`person_genders`); default: what
            this text shows.

    Returns:
        Table ``start, end, match, speaker, verb, via`` in text order: ``match ==
        text[start:end]``, ``speaker`` the entity ("" when a pronoun has no antecedent),
        ``via`` how the speaker was named (``name``, ``pronoun``, ``title``).

    Example:
        >>> text = "Wendy Sherman said she met Ryabkov. She stressed the risks, the President said."
        >>> find_attributions(text)[["match", "speaker", "verb", "via"]].values.tolist()
        [['Wendy Sherman said', 'Wendy Sherman', 'said', 'name'], ['She stressed', 'Wendy Sherman', 'stressed', 'pronoun'], ['the President said', '', 'said', 'title']]
    """
    return attributions_table([text], codebook=codebook, genders=genders).drop(columns="text_index")


def attributions_table(texts, *, codebook: Codebook | str | Path | None = None,
                       genders: dict[str, str] | None = None) -> pd.DataFrame:
    """:func:`find_attributions` for many texts at once, as one table.

    Args:
        texts: article texts (any iterable of strings).
        codebook: a :class:`~analysis.codebook.Codebook` or its path (default: the study's).
        genders: ``{person: "female" | "male"}``; default: what each text shows. Pass
            ``person_genders(texts)`` so one article's ``Ryabkov told reporters he`` resolves
            another's "he".

    Returns:
        Table ``text_index, start, end, match, speaker, verb, via`` (``text_index`` is the
        position of the text in ``texts``), sorted by text and offset.

    Example:
        >>> texts = ["Ryabkov told reporters he was calm.", "Ryabkov met Sherman. He said no."]
        >>> attributions_table(texts)[["text_index", "match", "speaker"]].values.tolist()
        [[0, 'Ryabkov told', 'Sergei Ryabkov'], [1, 'He said', 'Wendy Sherman']]
        >>> attributions_table(texts, genders=person_genders(texts)).speaker.tolist()
        ['Sergei Ryabkov', 'Sergei Ryabkov']
    """
    texts = [_checked_text(text) for text in texts]
    vocab = _vocabulary(_codebook(codebook))
    # Last read, first kept: going backwards, the texts quotes_table read last are used before
    # they make way, so after it on more than READINGS_KEPT texts the last READINGS_KEPT are not read again.
    per_text = [_attribution_rows(texts[index], vocab, genders) for index in reversed(range(len(texts)))][::-1]
    rows = [(index, *row) for index, text_rows in enumerate(per_text) for row in text_rows]
    table = pd.DataFrame(rows, columns=["text_index", *ATTRIBUTION_COLUMNS])
    return table.astype({"text_index": "int64", "start": "int64", "end": "int64",
                         **{c: "str" for c in ATTRIBUTION_COLUMNS[2:]}})


def _attribution_rows(text: str, vocab: _Vocabulary, genders: dict[str, str] | None) -> list[tuple]:
    """Rows ``start, end, match, speaker, verb, via`` of the attributions of one text."""
    ctx, quotes = _analysed(text, vocab, ([], []), genders)
    outer = _top_level(quotes)
    rows = []
    for match in _matches(ctx, 0, len(text), according=False) + _inverted(ctx):
        if _outside(outer, match.start()):
            entity, via, _ = _resolve(match, ctx)
            rows.append((match.start(), match.end(), match.group(), entity, match.group("verb").casefold(), via))
    return sorted(rows)


def _inverted(ctx: _Context) -> list[re.Match]:
    """``, said Ryabkov`` / ``” said Ryabkov``: inverted attributions after a comma or quote."""
    return [m for m in _scan(ctx, "inverted_re")
            if _char_before(ctx.text, m.start()) in _CLAUSE_BREAKS and _is_proper(m.group("speaker"), ctx.vocab)]


def _char_before(text: str, position: int) -> str:
    """The last non-space character before ``position`` ("" at the start)."""
    position -= 1
    while position >= 0 and text[position].isspace():
        position -= 1
    return text[position] if position >= 0 else ""


def _checked_text(text) -> str:
    if not isinstance(text, str):
        raise CorpusError(None, f"quotations need a text (str), got {type(text).__name__}")
    return text


# --- who said it ---------------------------------------------------------------------


class _Attribution(NamedTuple):
    """A speaker found for a quotation and how (``rule`` says where it was found)."""

    speaker: str
    verb: str
    how: str
    rule: str


def _from_match(match: re.Match, ctx: _Context, where: str, rule: str) -> _Attribution:
    entity, _, note = _resolve(match, ctx)
    verb = match.group("verb").casefold() if "verb" in match.re.groupindex else ""
    how = f"'{' '.join(match.group().split())}' {where}" + (f"; {note}" if note else "")
    return _Attribution(entity, verb, how, rule)


def _sentence_bounds(quote: _Quote, ctx: _Context) -> tuple[int, int]:
    """Start of the sentence holding the opening mark, end of the one holding the closing mark."""
    first = bisect.bisect_right(ctx.sentence_starts, quote.start) - 1
    last = bisect.bisect_right(ctx.sentence_starts, max(quote.end - 1, quote.start)) - 1
    paragraph_start = ctx.text.rfind("\n", 0, quote.start) + 1
    paragraph_end = ctx.text.find("\n", quote.end)
    paragraph_end = len(ctx.text) if paragraph_end < 0 else paragraph_end
    start = ctx.sentence_starts[first] if first >= 0 else paragraph_start
    end = ctx.sentence_ends[last] if last >= 0 else paragraph_end
    return max(start, paragraph_start), max(min(end, paragraph_end), quote.end)


def _after_mark(quote: _Quote, ctx: _Context, start: int, end: int) -> _Attribution | None:
    """``,” he said`` / ``,” said Ryabkov`` / ``,” opposition leader Tomas Berg said`` right
    after the closing mark (a few title words may come before the name)."""
    position = _TRAILING_PUNCTUATION.match(ctx.text, quote.end, end).end()
    match = ctx.vocab.inverted_re.match(ctx.text, position, end)
    if match and _valid(match, ctx.vocab):
        return _from_match(match, ctx, "after the closing mark", "after")
    last_verb = _last_verb_start(ctx, position, end)
    if last_verb < 0:
        return None
    title = _TITLE_WORDS.match(ctx.text, position, end)
    for match in _scan(ctx, "attribution_re", position, end, last=min(title.end(), last_verb - 1)):
        if _valid(match, ctx.vocab):
            return _from_match(match, ctx, "after the closing mark", "after")
    return None


def _speaker_line(quote: _Quote, ctx: _Context, start: int, end: int) -> _Attribution | None:
    """The speaker line closing the paragraph (``... Ned Price State Department spokesman``)."""
    tail = ctx.tails.get(ctx.text.rfind("\n", 0, quote.start) + 1)
    if tail is None or quote.end > tail[0]:
        return None
    line = " ".join(ctx.text[tail[0]:].split("\n", 1)[0].split())
    return _Attribution(tail[1], "", f"speaker line '{line}' closing the paragraph", "line")


def _before_quote(quote: _Quote, ctx: _Context, start: int, end: int) -> _Attribution | None:
    """The last attribution between the sentence start and the opening mark."""
    found = _matches(ctx, start, quote.start)
    return _from_match(found[-1], ctx, "before the quotation", "before") if found else None


def _closing_clause(quote: _Quote, ctx: _Context, start: int, end: int) -> _Attribution | None:
    """``..., she said.`` later in the sentence, after a comma or a closing mark."""
    for match in _matches(ctx, quote.end, end, according=False):
        if _char_before(ctx.text, match.start()) in _CLAUSE_BREAKS:
            return _from_match(match, ctx, "closing the sentence", "closing")
    return None


_CLAUSE_OPENING = re.compile(r"(?:[^,]{0,40},\s*)?(?:(?:[A-Z][\w.’'-]*|of|the)\s+)*")
_PRONOUN_SUBJECT = re.compile(r"(?:[^,]{0,40},\s*)?(?P<speaker>[Hh]e|[Ss]he)\s")


def _sentence_subject(quote: _Quote, ctx: _Context, start: int, end: int) -> _Attribution | None:
    """The named subject of a sentence that holds a reporting verb (``Ryabkov called on ...``)."""
    verbs = [m for m in _scan(ctx, "verb_re", start, end) if not quote.start <= m.start() < quote.end] \
        if _may_hold_verb(ctx, start, end) else []
    if not verbs:
        return None
    verb = min(verbs, key=lambda m: abs(m.start() - quote.start)).group("verb").casefold()
    first = bisect.bisect_left(ctx.mention_starts, start)
    if first < len(ctx.mention_starts) and ctx.mention_starts[first] < min(quote.start, start + SUBJECT_WINDOW):
        opening = _CLAUSE_OPENING.fullmatch(ctx.text, start, ctx.mention_starts[first])
        if opening:
            entity = ctx.mention_entities[first]
            return _Attribution(entity, verb, f"{entity} is the subject of the sentence with '{verb}'", "subject")
    pronoun = _PRONOUN_SUBJECT.match(ctx.text, start, quote.start)
    if pronoun:
        entity, _, note = _resolve(pronoun, ctx)
        return _Attribution(entity, verb, f"'{pronoun.group('speaker')}' is the subject of the sentence "
                                          f"with '{verb}'; {note}", "subject")
    return None


def _previous_sentence(quote: _Quote, ctx: _Context, start: int, end: int) -> _Attribution | None:
    """An attribution in the sentence before, same paragraph (``According to him, ...``)."""
    index = bisect.bisect_right(ctx.sentence_starts, start - 1) - 1
    if index < 0 or "\n" in ctx.text[ctx.sentence_starts[index]:start]:
        return None
    found = _matches(ctx, ctx.sentence_starts[index], ctx.sentence_ends[index])
    return _from_match(found[-1], ctx, "in the sentence before", "previous") if found else None


_FINDERS = (_after_mark, _speaker_line, _before_quote, _closing_clause, _sentence_subject, _previous_sentence)


def _attribute(quote: _Quote, ctx: _Context, bounds: tuple[int, int]) -> _Attribution | None:
    """The first attribution found, trying the places a writer names a speaker, nearest first
    (``bounds``: the quotation's :func:`_sentence_bounds`)."""
    start, end = bounds
    if quote.marks == "unmarked":
        return _speaker_line(quote, ctx, start, end)
    for finder in _FINDERS:
        found = finder(quote, ctx, start, end)
        if found is not None:
            return found
    return None


# --- which kind ----------------------------------------------------------------------


class _Decision(NamedTuple):
    kind: str
    speaker: str
    verb: str
    reason: str


def _words_key(words: str) -> str:
    """Quoted words compared across a text: case, apostrophes and edge punctuation ignored."""
    return " ".join(normalise(words).strip(_EDGE_PUNCTUATION).split())


def _stands_alone(quote: _Quote, ctx: _Context, bounds: tuple[int, int], found: _Attribution | None) -> bool:
    """A full statement: capitalised, opening its sentence (or after ``:``/``,``), closing it."""
    start, end = bounds
    words = ctx.text[quote.inner_start:quote.inner_end].lstrip(" …\"'“‘([")
    before = ctx.text[start:quote.start].strip()
    after = ctx.text[quote.end:end].strip()
    opens = not before or before.endswith((":", ","))
    closes = not after.strip(".,;:!?…") or (found is not None and found.rule in {"after", "line"})
    return (words[:1].isupper() or words[:1].isdigit()) and opens and closes


def _distance_decision(quote: _Quote, ctx: _Context, start: int) -> _Decision | None:
    """Scare quote by its surroundings: after ``so-called`` (between the sentence ``start``
    and the quotation), or a contested codebook term."""
    marker = _distancing_marker(ctx.text, start, quote.start)
    if marker:
        label = " ".join(marker.group().strip(" ,").split())
        return _Decision("scare", "", "", f"after '{label}': a label kept at a distance")
    words = ctx.text[quote.inner_start:quote.inner_end].strip(_EDGE_PUNCTUATION)
    if ctx.vocab.scare_term_re is not None and ctx.vocab.scare_term_re.fullmatch(words):
        return _Decision("scare", "", "", f"contested term '{words}' in quotes: the writer's distance, "
                                          "not a speaker's fragment")
    return None


def _distancing_marker(text: str, start: int, end: int) -> re.Match | None:
    """``_DISTANCING.search(text, start, end)``, skipped (None) when the text before ``end``,
    past spaces and commas, does not end in one of :data:`_DISTANCING_END`'s words."""
    stop = end
    while stop > start and (text[stop - 1].isspace() or text[stop - 1] == ","):
        stop -= 1
    if not _DISTANCING_END.search(text, max(start, stop - _DISTANCING_END_LONGEST), stop):
        return None
    return _DISTANCING.search(text, start, end)


def _nested_decision(quote: _Quote, outer: _Decision, ctx: _Context) -> _Decision:
    owner = f"{outer.speaker}'s" if outer.speaker else "an unattributed"
    if count_words(ctx.text[quote.inner_start:quote.inner_end]) <= SCARE_MAX_WORDS:
        return _Decision("scare", outer.speaker, outer.verb,
                         f"distancing quote inside {owner} quotation: the speaker's distance, not the writer's")
    return _Decision("partial", outer.speaker, outer.verb, f"quotation inside {owner} quotation")


def _unattributed_decision(quote: _Quote, ctx: _Context, alone: bool, previous: _Decision | None,
                           echoes: dict[str, _Attribution]) -> _Decision:
    """Kind of a top-level marked quotation no attribution names a speaker for (``echoes``:
    :func:`_echoes` of its text)."""
    if alone and previous is not None:
        return _Decision("direct", previous.speaker, previous.verb,
                         f"full statement continuing {previous.speaker}'s quotation in the same paragraph")
    echo = echoes.get(_words_key(ctx.text[quote.inner_start:quote.inner_end])) if echoes else None
    if echo is not None:
        return _Decision("partial", echo.speaker, echo.verb,
                         f"the same words are quoted from {echo.speaker} elsewhere in the text")
    if count_words(ctx.text[quote.inner_start:quote.inner_end]) <= SCARE_MAX_WORDS:
        return _Decision("scare", "", "", f"short span in quotes with no speaker (at most {SCARE_MAX_WORDS} "
                                          "words): the writer's distance")
    if alone:
        return _Decision("direct", "", "", "full statement in quotes; no speaker found")
    return _Decision("partial", "", "", "words in quotes inside the writer's sentence; no speaker found")


def _decide(quote: _Quote, ctx: _Context, bounds: tuple[int, int], found: _Attribution | None,
            outer: _Decision | None, previous: _Decision | None, echoes: dict[str, _Attribution]) -> _Decision:
    """Kind, speaker, verb and reason of one quotation (``bounds``: its :func:`_sentence_bounds`;
    ``echoes``: :func:`_echoes` of the text, for a marked one no attribution names a speaker for)."""
    if quote.marks == "unmarked":
        return _Decision("direct", found.speaker, "", f"statement set off without quotation marks; {found.how}")
    if outer is not None:
        return _nested_decision(quote, outer, ctx)
    distance = _distance_decision(quote, ctx, bounds[0])
    if distance is not None:
        return distance
    alone = _stands_alone(quote, ctx, bounds, found)
    if found is None:
        return _unattributed_decision(quote, ctx, alone, previous, echoes)
    shape = "full statement" if alone else "fragment woven into the writer's sentence"
    return _Decision("direct" if alone else "partial", found.speaker, found.verb, f"{shape}; speaker: {found.how}")


def _text_quotes(text: str, vocab: _Vocabulary, sentences: tuple[list[int], list[int]],
                 genders: dict[str, str] | None) -> list[tuple]:
    """Rows (:data:`QUOTE_COLUMNS`) of the quotations of one text, given the starts and the
    ends of its sentences."""
    ctx, quotes = _analysed(_checked_text(text), vocab, sentences, genders)
    parents = _parents(quotes)
    bounds = [_sentence_bounds(q, ctx) for q in quotes]
    found = [_attribute(q, ctx, b) if parent < 0 else None for q, b, parent in zip(quotes, bounds, parents)]
    echoes = _echoes(quotes, found, text)
    decisions: list[_Decision] = []
    for i, (quote, parent) in enumerate(zip(quotes, parents)):
        previous = _previous_in_paragraph(quotes, decisions, parents, i, text)
        decisions.append(_decide(quote, ctx, bounds[i], found[i], decisions[parent] if parent >= 0 else None,
                                 previous, echoes))
    return [(q.start, q.end, text[q.inner_start:q.inner_end], d.kind, parent >= 0, parent, d.speaker, d.verb,
             d.reason, q.marks, q.problem) for q, d, parent in zip(quotes, decisions, parents)]


def _echoes(quotes: list[_Quote], found: list, text: str) -> dict[str, _Attribution]:
    """``{quoted words key: attribution}`` of the first marked quotation of those words with a speaker."""
    echoes: dict[str, _Attribution] = {}
    for quote, attribution in zip(quotes, found):
        if attribution is not None and attribution.speaker and quote.marks != "unmarked":
            echoes.setdefault(_words_key(text[quote.inner_start:quote.inner_end]), attribution)
    return echoes


def _previous_in_paragraph(quotes, decisions, parents, index: int, text: str) -> _Decision | None:
    """The last attributed, top-level speech quotation before ``index`` in the same paragraph."""
    for j in range(index - 1, -1, -1):
        if "\n" in text[quotes[j].end:quotes[index].start]:
            return None
        if parents[j] < 0 and decisions[j].speaker and decisions[j].kind != "scare":
            return decisions[j]
    return None


def _quotes_frame(rows: list[tuple], columns: list[str] = QUOTE_COLUMNS) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=columns)
    integers = {c: "int64" for c in ("start", "end", "parent", "sentence_index") if c in columns}
    return table.astype({**{c: "str" for c in columns if c not in integers}, **integers, "nested": "bool"})


def find_quotes(text: str, *, codebook: Codebook | str | Path | None = None,
                genders: dict[str, str] | None = None) -> pd.DataFrame:
    """Every quotation in one text, with its kind, speaker, reporting verb and reason.

    Args:
        text: one article (the cleaned ``text`` of the articles table), lines = paragraphs.
        codebook: a :class:`~analysis.codebook.Codebook` or its path (default: the study's);
            it gives the speakers (actors), the reporting verbs and the contested terms.
        genders: ``{person: "female" | "male"}`` for pronouns (:func:`person_genders`);
            default: what this text shows (``Wendy Sherman said she ...``).

    Returns:
        Table ``start, end, text, kind, nested, parent, speaker, verb, reason, marks,
        problem`` (contract in docs/ARCHITECTURE.md), sorted by ``start``: ``start/end``
        cover the marks, ``text`` is the quoted words, ``parent`` the row of the enclosing
        quotation (-1), ``speaker`` a codebook entity or "" and ``problem`` is non-empty for
        an unmatched mark.

    Raises:
        CorpusError: ``text`` is not a string.

    Example:
        >>> text = ('Ryabkov said Moscow "explained to our colleagues that we have no plans '
        ...         "to 'attack' Ukraine.\\"\\nThe talks were so-called \\"security talks\\".")
        >>> find_quotes(text)[["text", "kind", "nested", "parent", "speaker", "marks"]].values.tolist()[1:]
        [['attack', 'scare', True, 0, 'Sergei Ryabkov', 'single'], ['security talks', 'scare', False, -1, '', 'straight']]
        >>> find_quotes('She said "no.').problem.item()
        'unmatched opening mark ": no closing mark before the end of the paragraph'
    """
    vocab = _vocabulary(_codebook(codebook))
    spans = split_sentences(_checked_text(text))
    return _quotes_frame(_text_quotes(text, vocab, ([s for s, _ in spans], [e for _, e in spans]), genders))


# --- tables for a corpus -------------------------------------------------------------


def _sentence_spans_by_article(sentences: pd.DataFrame) -> dict[str, tuple[list[int], list[int]]]:
    """``{article_id: (sentence starts, sentence ends)}``, in text order."""
    ordered = sentences.sort_values(["article_id", "start"], kind="stable")
    starts, ends = ordered["start"].to_numpy("int64"), ordered["end"].to_numpy("int64")
    ids = ordered["article_id"].astype(str).to_numpy()
    bounds = [0, *(np.flatnonzero(ids[1:] != ids[:-1]) + 1).tolist(), len(ids)]
    return {ids[a]: (starts[a:b].tolist(), ends[a:b].tolist()) for a, b in zip(bounds[:-1], bounds[1:]) if a < b}


def quotes_table(articles: pd.DataFrame, sentences: pd.DataFrame, *,
                 codebook: Codebook | str | Path | None = None,
                 genders: dict[str, str] | None = None) -> pd.DataFrame:
    """Quotations of every article, each tied to the sentence holding its opening mark.

    Args:
        articles: articles table (``article_id, outlet, text`` used; ``text`` is the cleaned text).
        sentences: sentences table of the same articles (their spans bound each quotation's
            sentence, and ``sentence_index`` is the sentence holding ``start``).
        codebook: a :class:`~analysis.codebook.Codebook` or its path (default: the study's).
        genders: ``{person: "female" | "male"}`` for pronouns; default: what each article
            shows. Pass ``person_genders(all texts)`` to pool the evidence of a corpus.

    Returns:
        Table ``article_id, outlet, sentence_index`` + the columns of :func:`find_quotes`,
        sorted by ``article_id, start``. As in :func:`find_quotes`, ``parent`` is the
        position of the enclosing quotation among the same article's quotations (-1 for
        none), so the table can be built in partitions and concatenated.

    Raises:
        CorpusError: a column is missing or a text is not a string.

    Example:
        >>> articles = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"],
        ...     "text": ['Talks\\nShe called it a possible "invasion."', '"We will not allow it," Sherman said.']})
        >>> from analysis.sentences import sentences_table
        >>> sentences = sentences_table(articles.assign(headline_in_text=True))
        >>> quotes_table(articles, sentences)[["article_id", "sentence_index", "text", "kind", "speaker"]]
          article_id  sentence_index                   text    kind        speaker
        0          a               1              invasion.   scare
        1          b               0  We will not allow it,  direct  Wendy Sherman
    """
    require_columns(articles, ("article_id", "outlet", "text"), "articles")
    require_columns(sentences, ("article_id", "start", "end"), "sentences")
    vocab = _vocabulary(_codebook(codebook))
    spans = _sentence_spans_by_article(sentences)
    ordered = articles.sort_values("article_id", kind="stable")
    rows: list[tuple] = []
    for article_id, outlet, text in zip(ordered["article_id"].astype(str), ordered["outlet"].astype(str), ordered["text"]):
        article_spans = spans.get(article_id, ([], []))
        starts = article_spans[0]
        for row in _text_quotes(text, vocab, article_spans, genders):
            rows.append((article_id, outlet, max(bisect.bisect_right(starts, row[0]) - 1, 0), *row))
    return _quotes_frame(rows, TABLE_COLUMNS)


def quote_kind_counts(quotes: pd.DataFrame, sentences: pd.DataFrame, *, by: str = "outlet") -> pd.DataFrame:
    """Quotations of each kind per outlet (or article), per 1,000 words with intervals.

    Args:
        quotes: quotations table (:func:`quotes_table`).
        sentences: sentences table; its ``n_words`` summed per group is the denominator.
        by: ``outlet`` or ``article_id``.

    Returns:
        One row per group and kind (zero rows included): ``<by>, kind, count, quoted_words,
        words, n_articles, design_effect, rate_per_1000, rate_low, rate_high`` (exact Poisson
        interval, widened by the spread between an outlet's articles where it has enough of
        them: :func:`analysis.measures.outlet_rate_effects`; ``n_articles`` is 0 when the
        tables carry no ``article_id``), sorted.

    Example:
        >>> quotes = pd.DataFrame({"outlet": ["X", "X"], "kind": ["scare", "direct"],
        ...                        "text": ["invasion", "We will not allow it"]})
        >>> sentences = pd.DataFrame({"outlet": ["X", "Y"], "n_words": [400, 100]})
        >>> quote_kind_counts(quotes, sentences)[["outlet", "kind", "count", "quoted_words", "rate_per_1000"]]
          outlet     kind  count  quoted_words  rate_per_1000
        0      X   direct      1             5            2.5
        1      X  partial      0             0            0.0
        2      X    scare      1             1            2.5
        3      Y   direct      0             0            0.0
        4      Y  partial      0             0            0.0
        5      Y    scare      0             0            0.0
    """
    require_columns(quotes, (by, "kind", "text"), "quotations")
    require_columns(sentences, (by, "n_words"), "sentences")
    words = sentences.groupby(by, sort=True)["n_words"].sum()
    grid = pd.MultiIndex.from_product([words.index.astype(str), list(KINDS)], names=[by, "kind"])
    quoted = quotes.assign(quoted_words=quotes["text"].map(count_words).astype("int64"))
    grouped = quoted.groupby([quoted[by].astype(str), "kind"])
    table = pd.DataFrame({
        "count": grouped.size().reindex(grid, fill_value=0),
        "quoted_words": grouped["quoted_words"].sum().reindex(grid, fill_value=0),
    }).reset_index()
    table["words"] = table[by].map(words.set_axis(words.index.astype(str))).astype("int64")
    if by == "outlet" and "article_id" in quotes.columns and "article_id" in sentences.columns:
        effects = outlet_rate_effects(quotes, sentences, pd.DataFrame({"kind": list(KINDS)}))
        table = table.merge(effects.astype({"outlet": "str"}), on=["outlet", "kind"], how="left")
    else:
        table = table.assign(n_articles=1 if by == "article_id" else 0, design_effect=1.0)
    table = table.fillna({"n_articles": 0, "design_effect": 1.0}).astype({"n_articles": "int64"})
    return add_rate_columns(table.astype({"count": "int64", "quoted_words": "int64"}), design_effect="design_effect")


def with_sentences(quotes: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """The quotations with the text of the sentence each one starts in (column ``sentence``),
    to read every quotation in its context.

    Example:
        >>> quotes = pd.DataFrame({"article_id": ["a"], "sentence_index": [1], "text": ["invasion"]})
        >>> sentences = pd.DataFrame({"article_id": ["a", "a"], "sentence_index": [0, 1],
        ...                           "text": ["Talks ended.", 'Moscow denies a planned "invasion".']})
        >>> with_sentences(quotes, sentences).sentence.tolist()
        ['Moscow denies a planned "invasion".']
    """
    require_columns(quotes, ("article_id", "sentence_index"), "quotations")
    require_columns(sentences, ("article_id", "sentence_index", "text"), "sentences")
    context = sentences[["article_id", "sentence_index", "text"]].rename(columns={"text": "sentence"})
    return quotes.merge(context, on=["article_id", "sentence_index"], how="left")


def scare_quoted_terms(quotes: pd.DataFrame) -> pd.DataFrame:
    """Words each outlet sets in scare quotes, with where to find every one.

    Args:
        quotes: quotations table (:func:`quotes_table`).

    Returns:
        Table ``outlet, term, count, evidence`` sorted by outlet, count (descending) and
        term: ``term`` is the quoted words lower-cased with edge punctuation removed;
        ``evidence`` lists ``article_id[start:end]`` of each one (with the speaker when the
        distance is a quoted speaker's, not the writer's).

    Example:
        >>> quotes = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "X"], "start": [5, 9],
        ...     "end": [16, 19], "kind": ["scare", "scare"], "text": ["invasion.", "Invasion"],
        ...     "speaker": ["", "Sergei Ryabkov"]})
        >>> scare_quoted_terms(quotes).values.tolist()
        [['X', 'invasion', 2, 'a[5:16]; b[9:19] (Sergei Ryabkov)']]
    """
    require_columns(quotes, ("article_id", "outlet", "start", "end", "kind", "text", "speaker"), "quotations")
    scare = quotes[quotes["kind"] == "scare"].sort_values(["article_id", "start"], kind="stable")
    evidence = [f"{a}[{s}:{e}]" + (f" ({who})" if who else "")
                for a, s, e, who in zip(scare["article_id"], scare["start"], scare["end"], scare["speaker"])]
    scare = scare.assign(term=scare["text"].map(_words_key), evidence=evidence)
    table = scare.groupby(["outlet", "term"], sort=True).agg(count=("term", "size"), evidence=("evidence", "; ".join))
    table = table.reset_index().astype({"count": "int64"})
    return table.sort_values(["outlet", "count", "term"], ascending=[True, False, True], ignore_index=True)

"""The codebook: editable YAML of contested terms, distancing markers, name variants,
actors, reporting verbs and key facts, validated on load.

:func:`load_codebook` reads the file, checks every section and names the key at fault
(``term_categories.contested_terms.terms.invasion.patterns[2]: invalid regular
expression ...``) instead of failing later inside a measure. The result is a frozen
:class:`Codebook` with tidy tables for notebooks (:meth:`Codebook.terms_table`,
:meth:`Codebook.glossary`, ...) and precompiled matchers for :mod:`analysis.measures`.

Pattern semantics (the header of ``codebook/geneva-2022.yaml`` says the same):

- a plain pattern is a whole word or phrase, matched case-insensitively, with any run of
  whitespace between its words and straight or curly apostrophes (and double quotes) alike;
- ``regex:...`` is a Python regular expression, case-insensitive, used as written;
- ``{pattern: US, case_sensitive: true}`` matches case exactly; a term (or actor) may set
  ``case_sensitive: true`` for all its patterns.

Example:
    >>> book = load_codebook()
    >>> book.name
    'Russia–US security talks, Geneva, 10 January 2022'
    >>> [m.group() for m in re.finditer(phrase_regex("Russia's side"), "Russia’s  side")]
    ['Russia’s  side']
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from re import _constants as sre_constants, _parser as sre_parser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from analysis import paths
from analysis.errors import CodebookError

SECTIONS = ("codebook", "term_categories", "naming_variants", "actors", "reporting_verbs", "facts")
MATCH_SECTIONS = ("term_categories", "naming_variants", "actors", "reporting_verbs", "facts")
REGEX_PREFIX = "regex:"
FACTS_CATEGORY = "facts"

_APOSTROPHES = "'’‘ʼ"
_DOUBLE_QUOTES = '"“”'
_WORD_CHAR = re.compile(r"\w")
_QUOTE_FORMS = str.maketrans({**{ch: "'" for ch in _APOSTROPHES}, **{ch: '"' for ch in _DOUBLE_QUOTES}})
_LEADING_WORD = re.compile(r"\w+")
_TWO_WORDS = re.compile(r"(\w+)(\W+)(\w+)(\W*)")
# The only characters beyond ASCII that Python's re, ignoring case, matches with an ASCII one
# (İ ı ſ K; tests/test_codebook.py checks every code point): text holding one is scanned whole.
CASE_FOLDING_LETTERS = "\u0130\u0131\u017f\u212a"
_ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)


@dataclass(frozen=True)
class Pattern:
    """One pattern as written in the YAML and the regular expression it compiles to."""

    text: str
    regex: str
    case_sensitive: bool


@dataclass(frozen=True)
class Term:
    """A counted unit: a term, a name variant, an actor, a reporting verb or a fact."""

    section: str
    category: str
    name: str
    definition: str
    patterns: tuple[Pattern, ...]


@dataclass(frozen=True)
class Category:
    """A named group of terms with its definition (a term category or a naming concept)."""

    name: str
    definition: str
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Actor:
    """A party or person, the side it speaks for, and the aliases it is named by."""

    name: str
    side: str
    kind: str
    role: str
    aliases: tuple[Pattern, ...]


@dataclass(frozen=True)
class Stance:
    """A stance of reporting verbs ("stressed" is emphatic, "claimed" distancing)."""

    name: str
    definition: str
    verbs: tuple[str, ...]


@dataclass(frozen=True)
class MatchGroup:
    """Terms matched by one compiled regex: within a group a match is one term only."""

    section: str
    key: str
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class MatchLabel:
    """What a matched pattern counts as: its group (overlaps are resolved within it) and term."""

    group: int
    section: str
    category: str
    term: str


@dataclass(frozen=True, eq=False)
class PlainWords:
    """Plain keys by their leading word, as arrays to look up runs of word characters at once.

    A plain key begins with a whole run of word characters (its leading word); a longer key
    goes on, past characters that are not word characters, with the next run (its second
    word). ``words`` holds the leading words (the first ``n_leading``), then the second words,
    at most ``width`` characters long. A run is looked up only when ``shapes`` (flat, at
    ``(length * 129 + first) * 129 + last``, characters beyond ASCII as 128, ``length`` 0 for
    a run longer than ``width``) says a word of its length, first and last character exists,
    then among ``by_length``: per length, the words of that length (sorted, a numpy ``<U``
    array) and their numbers in ``words``.

    Per leading word: ``own_key`` (it is a key by itself) and ``rests`` (regex of what follows
    it in its keys, longest key first, :func:`_key_rests`; None when its only key is itself).
    Its longer keys can match only where the next run is one of their second words
    (``followers[leading, word]``), or anywhere when one has no second word (``open_rest``).
    Where only one key begins with a leading word and a second word, and it is just the two
    words with a separator and a tail (a space, or text without spaces and quotes) as in
    "united states" or "u.s.", ``pair_keys[leading, word]`` is its number in ``two_word_keys``
    (else -1), and ``two_word_forms`` has ``(separator, tail, key numbers)`` per such form:
    where the text has them literally, the key matches without a regex.
    """

    words: tuple[str, ...]
    n_leading: int
    width: int
    shapes: np.ndarray
    by_length: tuple[tuple[int, np.ndarray, np.ndarray], ...]
    own_key: np.ndarray
    rests: tuple[re.Pattern | None, ...]
    open_rest: np.ndarray
    followers: np.ndarray
    pair_keys: np.ndarray
    two_word_keys: tuple[str, ...]
    two_word_forms: tuple[tuple[str, str, np.ndarray], ...]


@dataclass(frozen=True, eq=False)
class Matcher:
    """All patterns of some codebook sections compiled into two scans (see :func:`compile_matcher`).

    ``plain`` runs on lower-cased text (``plain_any_case`` on the original text when lower-casing
    would change its length) and captures, at each word start, the longest plain pattern there;
    ``plain_keys`` maps :func:`plain_key` of a matched text to label ids. ``special`` finds every
    regex and case-sensitive pattern at every start; ``special_groups`` pairs its group numbers
    with label ids.

    The same matches are found faster with the rest: ``plain_words`` looks up runs of word
    characters of the lower-cased text (:class:`PlainWords`; None when a plain pattern starts
    with no word character). ``special_scans`` has, per special pattern, the beginnings
    every match of it has (lower-case, or as written when ``exact_case``), a lookahead
    capturing it (None when some pattern has no such beginning or refers to a group: then
    ``special`` scans) and ``exact_case``.
    """

    labels: tuple[MatchLabel, ...]
    plain: re.Pattern | None
    plain_any_case: re.Pattern | None
    plain_keys: dict[str, tuple[int, ...]]
    special: re.Pattern | None
    special_groups: tuple[tuple[int, int], ...]
    plain_words: PlainWords | None
    special_scans: tuple[tuple[frozenset, re.Pattern, bool], ...] | None


@dataclass(frozen=True)
class Codebook:
    """A validated codebook. Build it with :func:`load_codebook`; it never changes."""

    path: str
    name: str
    version: str
    language: str
    description: str
    definitions: tuple[tuple[str, str], ...]
    term_categories: tuple[Category, ...]
    naming_concepts: tuple[Category, ...]
    sides: tuple[tuple[str, str], ...]
    actors: tuple[Actor, ...]
    stances: tuple[Stance, ...]
    facts: tuple[Term, ...]

    def definition(self, section: str) -> str:
        """Definition of a section, e.g. ``book.definition("facts")``.

        Example:
            >>> load_codebook().definition("actors").split()[:3]
            ['The', 'parties', 'to']
        """
        return dict(self.definitions)[section]

    def match_groups(self, section: str) -> tuple[MatchGroup, ...]:
        """Groups of terms matched together; overlaps are resolved within a group only.

        One group per term category and per naming concept (a word is one term of it);
        one group for all actors (an alias names one actor) and for all reporting verbs;
        one group per fact (facts may overlap each other).

        Example:
            >>> [g.key for g in load_codebook().match_groups("term_categories")]
            ['term_categories.contested_terms.terms', 'term_categories.distancing_markers.terms']
        """
        if section not in MATCH_SECTIONS:
            raise ValueError(f"unknown codebook section {section!r}; expected one of {MATCH_SECTIONS}")
        return _match_groups(self, section)

    def terms_table(self) -> pd.DataFrame:
        """Term categories, one row per pattern: category, term, definition, pattern, case_sensitive, regex.

        Example:
            >>> table = load_codebook().terms_table()
            >>> table.loc[table.term == "alleged", "pattern"].tolist()
            ['alleged', 'allegedly']
        """
        rows = [
            (cat.name, term.name, term.definition, p.text, p.case_sensitive, p.regex)
            for cat in self.term_categories
            for term in cat.terms
            for p in term.patterns
        ]
        return _table(rows, ["category", "term", "definition", "pattern", "case_sensitive", "regex"])

    def naming_table(self) -> pd.DataFrame:
        """Name variants, one row per pattern: concept, variant, pattern, case_sensitive.

        Example:
            >>> load_codebook().naming_table().query("concept == 'capital of Ukraine'").variant.tolist()
            ['Kyiv', 'Kiev']
        """
        rows = [
            (concept.name, variant.name, p.text, p.case_sensitive)
            for concept in self.naming_concepts
            for variant in concept.terms
            for p in variant.patterns
        ]
        return _table(rows, ["concept", "variant", "pattern", "case_sensitive"])

    def actors_table(self) -> pd.DataFrame:
        """Actors, one row per alias: entity, side, kind, role, alias.

        Example:
            >>> load_codebook().actors_table().query("entity == 'Sergei Ryabkov'").alias.tolist()
            ['Sergei Ryabkov', 'Sergey Ryabkov', 'Ryabkov']
        """
        rows = [(a.name, a.side, a.kind, a.role, p.text) for a in self.actors for p in a.aliases]
        return _table(rows, ["entity", "side", "kind", "role", "alias"])

    def verbs_table(self) -> pd.DataFrame:
        """Reporting verbs, one row per verb: stance, verb, definition (of the stance).

        Example:
            >>> verbs = load_codebook().verbs_table()
            >>> verbs.loc[verbs.verb == "stressed", "stance"].item()
            'emphatic'
        """
        rows = [(s.name, verb, s.definition) for s in self.stances for verb in s.verbs]
        return _table(rows, ["stance", "verb", "definition"])

    def facts_table(self) -> pd.DataFrame:
        """Key facts, one row per pattern: fact, definition, pattern.

        Example:
            >>> load_codebook().facts_table().fact.nunique()
            8
        """
        rows = [(fact.name, fact.definition, p.text) for fact in self.facts for p in fact.patterns]
        return _table(rows, ["fact", "definition", "pattern"])

    def glossary(self) -> pd.DataFrame:
        """Every section, category and term with its definition, for students.

        Section rows have empty ``category`` and ``term``; category rows an empty ``term``.

        Example:
            >>> glossary = load_codebook().glossary()
            >>> glossary.query("term == 'so-called'").definition.item()
            "The name is presented as someone else's label."
        """
        rows = [("codebook", "", "", self.description)]
        for section, definition in self.definitions:
            rows.append((section, "", "", definition))
            rows.extend(_glossary_rows(self, section))
        return _table(rows, ["section", "category", "term", "definition"])


def phrase_regex(phrase: str) -> str:
    """Regular expression for a plain pattern: whole words, flexible spaces and apostrophes.

    Args:
        phrase: one word or a phrase (words separated by spaces).

    Returns:
        Regex source (no case flag): words joined by ``\\s+``, apostrophes and double quotes
        matching straight or curly forms, and no word character directly before or after.

    Example:
        >>> bool(re.search(phrase_regex("de-escalate"), "to de-escalate tensions"))
        True
        >>> bool(re.search(phrase_regex("attack"), "attacks"))
        False
    """
    words = phrase.split()
    if not words:
        raise ValueError("a pattern needs at least one word")
    body = r"\s+".join("".join(_escape_char(ch) for ch in word) for word in words)
    head = r"(?<!\w)" if _WORD_CHAR.match(words[0][0]) else ""
    tail = r"(?!\w)" if _WORD_CHAR.match(words[-1][-1]) else ""
    return head + body + tail


def load_codebook(path: str | Path = paths.DEFAULT_CODEBOOK) -> Codebook:
    """Read and validate a codebook YAML file.

    Args:
        path: the YAML file (default: the Geneva 2022 codebook of this study).

    Returns:
        A frozen :class:`Codebook`; every pattern has been compiled once.

    Raises:
        CodebookError: naming the file, the key path and the problem (file missing, not
            YAML, missing section or definition, empty or invalid pattern, undeclared side,
            alias of two actors, wrong type).

    Example:
        >>> book = load_codebook()
        >>> [c.name for c in book.term_categories]
        ['contested_terms', 'distancing_markers']
    """
    checker = _Checker(Path(path))
    data = checker.mapping(_read_yaml(Path(path)), "", required=SECTIONS)
    meta = checker.mapping(data["codebook"], "codebook", required=("name",),
                           optional=("version", "language", "description"))
    book = Codebook(
        path=str(path),
        name=checker.text(meta["name"], "codebook.name"),
        version=str(meta.get("version", "")),
        language=str(meta.get("language", "")),
        description=checker.text(meta.get("description", ""), "codebook.description", empty_ok=True),
        definitions=tuple((s, _section_definition(checker, data, s)) for s in SECTIONS[1:]),
        term_categories=_parse_term_categories(checker, data["term_categories"]),
        naming_concepts=_parse_naming(checker, data["naming_variants"]),
        sides=_parse_sides(checker, data["actors"]),
        actors=_parse_actors(checker, data["actors"]),
        stances=_parse_stances(checker, data["reporting_verbs"]),
        facts=_parse_facts(checker, data["facts"]),
    )
    _check_groups_compile(checker, book)
    return book


@functools.lru_cache(maxsize=256)
def compile_group(group: MatchGroup) -> re.Pattern:
    """One regex for a whole :class:`MatchGroup` (cached): named alternatives ``p0, p1, ...``.

    Longer patterns come first, so at one position the longer match wins
    ("de-escalation" before "escalation", "Sergei Ryabkov" before "Ryabkov"); scanning
    with ``finditer`` never returns a match inside another one of the same group.

    Example:
        >>> group = load_codebook().match_groups("actors")[0]
        >>> [m.group() for m in compile_group(group).finditer("Sergei Ryabkov met Sherman")]
        ['Sergei Ryabkov', 'Sherman']
    """
    return re.compile("|".join(f"(?P<{name}>{p.regex})" for name, p in group_alternatives(group)))


def group_alternatives(group: MatchGroup) -> list[tuple[str, Pattern]]:
    """The named alternatives of :func:`compile_group` in its order: longest pattern text first.

    Build a smaller expression from some of them (e.g. the ones that can match a given word)
    and its match names the same alternative as :func:`compile_group`'s would.

    Example:
        >>> group = load_codebook().match_groups("actors")[0]
        >>> [(name, p.text) for name, p in group_alternatives(group) if "Ryabkov" in p.text]
        [('p19', 'Sergei Ryabkov'), ('p20', 'Sergey Ryabkov'), ('p21', 'Ryabkov')]
    """
    return sorted(_group_patterns(group), key=lambda item: -len(item[1].text))


def group_term_names(group: MatchGroup) -> dict[str, Term]:
    """Map the alternative names of :func:`compile_group` (``p0``, ...) to their terms.

    Example:
        >>> group = load_codebook().match_groups("naming_variants")[0]
        >>> {name: term.name for name, term in group_term_names(group).items()}
        {'p0': 'Kyiv', 'p1': 'Kiev'}
    """
    return {name: term for name, term in _group_terms(group)}


def word_alternation(words) -> str:
    """Regex source matching exactly one of ``words`` (not empty), written as a prefix tree.

    Python's ``re`` tries alternatives one by one; as a tree, a position is rejected after one
    character test per level, which makes scanning for many words fast.

    Example:
        >>> word_alternation(["he", "her", "she"])
        '(?:he(?:r)?|she)'
        >>> [m.group() for m in re.finditer(word_alternation(["he", "her"]) + r"(?!\\w)", "her he")]
        ['her', 'he']
    """
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _tree_source(tree)


def _tree_source(node: dict) -> str:
    branches = [re.escape(char) + _tree_source(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def plain_key(text: str) -> str:
    """Normal form of a plain pattern or of the text it matched: lower case, straight
    apostrophes and quotes, single spaces.

    Example:
        >>> plain_key("Russia’s   SIDE")
        "russia's side"
    """
    return " ".join(text.lower().translate(_QUOTE_FORMS).split())


@functools.lru_cache(maxsize=32)
def compile_matcher(book: Codebook, sections: tuple[str, ...]) -> Matcher:
    """Compile every pattern of ``sections`` into one :class:`Matcher` (cached per codebook).

    Plain patterns (most of a codebook) become one alternation tried only at word starts,
    longest first; regex and case-sensitive patterns one expression that reports each of
    them at every position. Scanning a text twice finds every (position, pattern) pair, so
    overlapping matches of different groups are all kept ("denies" is a distancing marker
    inside the fact "denies invasion plans").

    Example:
        >>> matcher = compile_matcher(load_codebook(), ("actors",))
        >>> m = matcher.plain.search("talks with sergei ryabkov")
        >>> m.group(1), [matcher.labels[i].term for i in matcher.plain_keys[plain_key(m.group(1))]]
        ('sergei ryabkov', ['Sergei Ryabkov'])
    """
    labels: list[MatchLabel] = []
    plain: dict[str, list[int]] = {}
    special: list[tuple[str, int]] = []
    groups = [group for section in sections for group in book.match_groups(section)]
    for index, group in enumerate(groups):
        for term in group.terms:
            labels.append(MatchLabel(index, term.section, term.category, term.name))
            for pattern in term.patterns:
                if pattern.case_sensitive or pattern.text.startswith(REGEX_PREFIX):
                    special.append((pattern.regex, len(labels) - 1))
                elif len(labels) - 1 not in plain.setdefault(plain_key(pattern.text), []):
                    plain[plain_key(pattern.text)].append(len(labels) - 1)
    source = _plain_source(list(plain))
    special_re = _special_regex([regex for regex, _ in special])
    word_initial = plain and all(_WORD_CHAR.match(key) for key in plain)
    return Matcher(
        labels=tuple(labels),
        plain=re.compile(source) if source else None,
        plain_any_case=re.compile(source, re.IGNORECASE) if source else None,
        plain_keys={key: tuple(ids) for key, ids in plain.items()},
        special=special_re,
        special_groups=tuple((special_re.groupindex[f"s{i}"], label) for i, (_, label) in enumerate(special)),
        plain_words=plain_words(list(plain)) if word_initial else None,
        special_scans=_special_scans([regex for regex, _ in special]),
    )


def _first_words(keys) -> dict[str, list[str]]:
    """Plain keys grouped by their leading word (keys starting with a word character)."""
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(_LEADING_WORD.match(key).group(), []).append(key)
    return groups


def plain_words(keys: list[str]) -> PlainWords:
    """The :class:`PlainWords` of plain keys that all begin with a word character.

    Example:
        >>> words = plain_words(["russia", "the west", "west", "west bank"])
        >>> words.words, words.own_key.tolist(), [rest and rest.match("west  bank", 4) for rest in words.rests]
        (('russia', 'the', 'west', 'bank'), [True, False, True], [None, None, <re.Match object; span=(4, 10), match='  bank'>])
        >>> words.followers.astype(int).tolist()
        [[0, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
    """
    leading = _first_words(keys)
    words = list(leading)
    seconds = {word: [_LEADING_WORD.search(key, len(word)) for key in word_keys if key != word]
               for word, word_keys in leading.items()}
    words += [w for w in dict.fromkeys(m.group() for found in seconds.values() for m in found if m) if w not in leading]
    index = {word: number for number, word in enumerate(words)}
    followers = np.zeros((len(leading), len(words)), dtype=bool)
    for number, found in enumerate(seconds.values()):
        followers[number, [index[m.group()] for m in found if m]] = True
    pair_keys, two_word_keys, forms = _two_word_keys(leading, index)
    width = max(map(len, words))
    shapes = np.zeros((width + 1, 129, 129), dtype=bool)
    for word in words:
        shapes[len(word), min(ord(word[0]), 128), min(ord(word[-1]), 128)] = True
    return PlainWords(
        words=tuple(words), n_leading=len(leading), width=width, shapes=shapes.ravel(),
        by_length=tuple(_words_of_length(words, length) for length in sorted(set(map(len, words)))),
        own_key=np.array([word in word_keys for word, word_keys in leading.items()]),
        rests=tuple(re.compile(_key_rests(word, word_keys)) if word_keys != [word] else None
                    for word, word_keys in leading.items()),
        open_rest=np.array([not all(found) for found in seconds.values()]),
        followers=followers,
        pair_keys=pair_keys,
        two_word_keys=tuple(two_word_keys),
        two_word_forms=tuple((separator, tail, np.array(numbers, dtype="int64")) for (separator, tail), numbers in forms.items()),
    )


def _two_word_keys(leading: dict[str, list[str]], index: dict[str, int]) -> tuple[np.ndarray, list[str], dict]:
    """``pair_keys``, ``two_word_keys`` and the key numbers of each ``(separator, tail)`` (see :class:`PlainWords`)."""
    pair_keys = np.full((len(leading), len(index)), -1, dtype="int64")
    keys, forms = [], {}
    for number, (word, word_keys) in enumerate(leading.items()):
        by_second: dict[str, list] = {}
        for key in word_keys:
            if (second := _LEADING_WORD.search(key, len(word))) is not None:
                by_second.setdefault(second.group(), []).append(key)
        for second, second_keys in by_second.items():
            parts = _TWO_WORDS.fullmatch(second_keys[0])
            if len(second_keys) == 1 and parts and all(_literal_gap(gap) for gap in parts.group(2, 4)):
                pair_keys[number, index[second]] = len(keys)
                forms.setdefault(parts.group(2, 4), []).append(len(keys))
                keys.append(second_keys[0])
    return pair_keys, keys, forms


def _literal_gap(gap: str) -> bool:
    """True when a key's regex matches ``gap`` (no word characters) only as written, or when it is one space."""
    return gap == " " or not any(ch.isspace() or ch in _APOSTROPHES or ch in _DOUBLE_QUOTES for ch in gap)


def _words_of_length(words: list[str], length: int) -> tuple[int, np.ndarray, np.ndarray]:
    """``length``, the words of that length sorted (a numpy ``<U`` array) and their numbers."""
    numbers = [number for number, word in enumerate(words) if len(word) == length]
    texts = np.array([words[number] for number in numbers], dtype=f"<U{length}")
    order = np.argsort(texts)
    return length, texts[order], np.array(numbers, dtype="int64")[order]


def _key_rests(word: str, keys: list[str]) -> str:
    """Alternation of what follows ``word`` in the regex of each key, longest key first."""
    return "|".join(phrase_regex(key).removeprefix(r"(?<!\w)").removeprefix(re.escape(word))
                    for key in sorted(keys, key=len, reverse=True))


def _special_scans(sources: list[str]) -> tuple[tuple[frozenset, re.Pattern, bool], ...] | None:
    """``(beginnings, lookahead, exact_case)`` of each special pattern (see :class:`Matcher`), or None.

    Beginnings are exact-case when the pattern begins with case-sensitive letters
    (``(?<!\\w)US(?!\\w)`` begins with ``US``, found far less often than ``us``).
    """
    scans = []
    for source in sources:
        if "(?(" in source or not _literal_beginnings(source):
            return None
        exact = _literal_beginnings(source, exact_case=True)
        beginnings = exact or _literal_beginnings(source)
        scans.append((beginnings, re.compile(f"(?=({source}))"), exact is not None))
    return tuple(scans)


def _literal_beginnings(source: str, *, exact_case: bool = False) -> frozenset[str] | None:
    """Lower-case texts one of which begins every match of ``source``, read from its parsed
    form: its leading ASCII characters, through one group or alternation. None when a match
    may begin otherwise. Found in lower-cased text, they locate every match: ignoring case,
    an ASCII character matches only ASCII ones (and :data:`CASE_FOLDING_LETTERS`).
    With ``exact_case``, texts as written, found in the text itself: only the characters
    matched case-sensitively count.

    Example:
        >>> sorted(_literal_beginnings(r"(?<!\\w)US|(?i:U\\.S\\.)")), _literal_beginnings("(?i:U)S", exact_case=True)
        (['u.s.', 'us'], None)
        >>> sorted(_literal_beginnings(r"(?<!\\w)US|Washington", exact_case=True))
        ['US', 'Washington']
    """
    parsed = sre_parser.parse(source)
    ignore_case = bool(parsed.state.flags & re.IGNORECASE)
    beginnings = _sequence_beginnings(parsed.data, exact_case=exact_case, ignore_case=ignore_case)
    if "" in beginnings:
        return None
    shortest: list[str] = []  # "what " finds every "what he" too
    for beginning in sorted(beginnings, key=len):
        if not any(beginning.startswith(kept) for kept in shortest):
            shortest.append(beginning)
    return frozenset(shortest)


def _sequence_beginnings(items, *, exact_case: bool, ignore_case: bool) -> set[str]:
    beginnings = {""}
    for op, value in items:
        if op in _ZERO_WIDTH:
            continue
        if op is sre_constants.LITERAL and chr(value).isascii() and not (exact_case and ignore_case):
            beginnings = {b + (chr(value) if exact_case else chr(value).lower()) for b in beginnings}
            continue
        if op is sre_constants.SUBPATTERN:
            _, add_flags, del_flags, pattern = value
            inner_ignore_case = bool((ignore_case or add_flags & re.IGNORECASE) and not del_flags & re.IGNORECASE)
            inner = _sequence_beginnings(pattern.data, exact_case=exact_case, ignore_case=inner_ignore_case)
            return {b + i for b in beginnings for i in inner}
        if op is sre_constants.BRANCH:
            inner = set().union(*(_sequence_beginnings(branch.data, exact_case=exact_case, ignore_case=ignore_case)
                                  for branch in value[1]))
            return {b + i for b in beginnings for i in inner}
        break
    return beginnings


# --- reading and checking -------------------------------------------------------------


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe YAML loader that refuses a key given twice in one mapping."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key if isinstance(key, (str, int, float, bool)) else id(key_node))
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> Any:
    if not path.is_file():
        raise CodebookError(path, "file not found" if not path.exists() else "is not a file")
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except UnicodeDecodeError as exc:
        raise CodebookError(path, f"not UTF-8 text (byte {exc.start})") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}" if mark else ""
        raise CodebookError(path, f"not valid YAML{where}: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise CodebookError(path, f"not valid YAML: {exc}") from None


class _Checker:
    """Type and shape checks that raise CodebookError with the file and key path."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str, problem: str):
        raise CodebookError(self.path, f"{key or 'top level'}: {problem}")

    def mapping(self, value, key, *, required=(), optional=(), nonempty=False) -> dict:
        if not isinstance(value, dict):
            self.fail(key, f"expected a mapping, got {_type_name(value)}")
        for name in value:
            if not isinstance(name, str):
                self.fail(key, f"key {name!r} must be text, got {_type_name(name)} (quote it)")
        missing = [name for name in required if name not in value]
        if missing:
            self.fail(key, f"missing {', '.join(repr(m) for m in missing)}")
        unknown = [name for name in value if required and name not in required and name not in optional]
        if unknown:
            expected = ", ".join(repr(n) for n in (*required, *optional))
            self.fail(key, f"unknown key {unknown[0]!r} (expected {expected})")
        if nonempty and not value:
            self.fail(key, "is empty")
        return value

    def text(self, value, key, *, empty_ok=False) -> str:
        if not isinstance(value, str):
            self.fail(key, f"expected text, got {_type_name(value)}")
        if not empty_ok and not value.strip():
            self.fail(key, "is empty")
        return " ".join(value.split())

    def flag(self, value, key) -> bool:
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {_type_name(value)}")
        return value

    def text_list(self, value, key) -> list:
        if not isinstance(value, list):
            self.fail(key, f"expected a list, got {_type_name(value)}")
        if not value:
            self.fail(key, "empty list: give at least one pattern")
        return value

    def patterns(self, value, key, *, case_sensitive=False) -> tuple[Pattern, ...]:
        items = self.text_list(value, key)
        return tuple(self.pattern(item, f"{key}[{i}]", case_sensitive) for i, item in enumerate(items))

    def pattern(self, item, key, case_sensitive) -> Pattern:
        if isinstance(item, dict):
            item = self.mapping(item, key, required=("pattern",), optional=("case_sensitive",))
            case_sensitive = self.flag(item.get("case_sensitive", case_sensitive), f"{key}.case_sensitive")
            item = item["pattern"]
        if not isinstance(item, str):
            self.fail(key, f"expected a pattern (text), got {_type_name(item)} {item!r} (quote it)")
        source = self.pattern_source(item, key)
        regex = source if case_sensitive else f"(?i:{source})"
        return Pattern(text=item, regex=regex, case_sensitive=case_sensitive)

    def pattern_source(self, item: str, key: str) -> str:
        if not item.startswith(REGEX_PREFIX):
            if not item.strip():
                self.fail(key, "empty pattern")
            return phrase_regex(item)
        source = item[len(REGEX_PREFIX):].strip()
        if not source:
            self.fail(key, "empty regular expression after 'regex:'")
        if re.search(r"(?<!\\)\\[1-9]", source):
            self.fail(key, f"numbered back-reference in {item!r}; use (?P<name>...) and (?P=name)")
        try:
            compiled = re.compile(source)
        except re.error as exc:
            self.fail(key, f"invalid regular expression {source!r} ({exc})")
        if compiled.groupindex:
            self.fail(key, f"named group in {item!r}; use (?:...) in codebook patterns")
        if compiled.fullmatch(""):
            self.fail(key, f"regular expression {source!r} matches empty text")
        return source


def _section_definition(checker: _Checker, data: dict, section: str) -> str:
    value = checker.mapping(data[section], section)
    if "definition" not in value:
        checker.fail(section, "missing 'definition'")
    return checker.text(value["definition"], f"{section}.definition")


def _parse_term(checker, section, category, name, value, key) -> Term:
    value = checker.mapping(value, key, required=("definition", "patterns"), optional=("case_sensitive",))
    case_sensitive = checker.flag(value.get("case_sensitive", False), f"{key}.case_sensitive")
    return Term(
        section=section,
        category=category,
        name=name,
        definition=checker.text(value["definition"], f"{key}.definition"),
        patterns=checker.patterns(value["patterns"], f"{key}.patterns", case_sensitive=case_sensitive),
    )


def _parse_term_categories(checker: _Checker, data) -> tuple[Category, ...]:
    section = "term_categories"
    categories = {k: v for k, v in data.items() if k != "definition"}
    checker.mapping(categories, section, nonempty=True)
    parsed = []
    for cat_name, cat in categories.items():
        key = f"{section}.{cat_name}"
        cat = checker.mapping(cat, key, required=("definition", "terms"))
        terms = checker.mapping(cat["terms"], f"{key}.terms", nonempty=True)
        parsed.append(Category(
            name=cat_name,
            definition=checker.text(cat["definition"], f"{key}.definition"),
            terms=tuple(_parse_term(checker, section, cat_name, name, value, f"{key}.terms.{name}")
                        for name, value in terms.items()),
        ))
    return tuple(parsed)


def _parse_naming(checker: _Checker, data) -> tuple[Category, ...]:
    section = "naming_variants"
    data = checker.mapping(data, section, required=("definition", "concepts"))
    concepts = checker.mapping(data["concepts"], f"{section}.concepts", nonempty=True)
    parsed = []
    for concept, value in concepts.items():
        key = f"{section}.concepts.{concept}"
        value = checker.mapping(value, key, required=("definition", "variants"))
        definition = checker.text(value["definition"], f"{key}.definition")
        variants = checker.mapping(value["variants"], f"{key}.variants", nonempty=True)
        terms = tuple(
            Term(section, concept, variant, f"'{variant}' as the name for: {definition}",
                 checker.patterns(patterns, f"{key}.variants.{variant}"))
            for variant, patterns in variants.items()
        )
        parsed.append(Category(concept, definition, terms))
    return tuple(parsed)


def _parse_sides(checker: _Checker, data) -> tuple[tuple[str, str], ...]:
    data = checker.mapping(data, "actors", required=("definition", "sides", "entities"))
    sides = checker.mapping(data["sides"], "actors.sides", nonempty=True)
    return tuple((side, checker.text(text, f"actors.sides.{side}")) for side, text in sides.items())


def _parse_actors(checker: _Checker, data) -> tuple[Actor, ...]:
    sides = dict(_parse_sides(checker, data))
    entities = checker.mapping(data["entities"], "actors.entities", nonempty=True)
    owners: dict[str, str] = {}
    actors = []
    for name, value in entities.items():
        key = f"actors.entities.{name}"
        value = checker.mapping(value, key, required=("side", "kind", "aliases"),
                                optional=("role", "case_sensitive"))
        side = checker.text(value["side"], f"{key}.side")
        if side not in sides:
            checker.fail(f"{key}.side", f"side {side!r} is not declared in actors.sides ({', '.join(sides)})")
        case_sensitive = checker.flag(value.get("case_sensitive", False), f"{key}.case_sensitive")
        aliases = checker.patterns(value["aliases"], f"{key}.aliases", case_sensitive=case_sensitive)
        _check_alias_owners(checker, owners, name, aliases, f"{key}.aliases")
        actors.append(Actor(name, side, checker.text(value["kind"], f"{key}.kind"),
                            checker.text(value.get("role", ""), f"{key}.role", empty_ok=True), aliases))
    return tuple(actors)


def _check_alias_owners(checker, owners: dict[str, str], actor: str, aliases, key: str) -> None:
    for i, alias in enumerate(aliases):
        folded = " ".join(alias.text.casefold().split())
        owner = owners.setdefault(folded, actor)
        if owner != actor:
            checker.fail(f"{key}[{i}]", f"alias {alias.text!r} is already an alias of {owner!r}")


def _parse_stances(checker: _Checker, data) -> tuple[Stance, ...]:
    data = checker.mapping(data, "reporting_verbs", required=("definition", "stances"))
    stances = checker.mapping(data["stances"], "reporting_verbs.stances", nonempty=True)
    owners: dict[str, str] = {}
    parsed = []
    for name, value in stances.items():
        key = f"reporting_verbs.stances.{name}"
        value = checker.mapping(value, key, required=("definition", "verbs"))
        verbs = checker.text_list(value["verbs"], f"{key}.verbs")
        for i, verb in enumerate(verbs):
            verb_key = f"{key}.verbs[{i}]"
            checker.text(verb, verb_key)
            if owners.setdefault(verb.casefold(), name) != name:
                checker.fail(verb_key, f"verb {verb!r} is already in stance {owners[verb.casefold()]!r}")
        parsed.append(Stance(name, checker.text(value["definition"], f"{key}.definition"),
                             tuple(v.strip() for v in verbs)))
    return tuple(parsed)


def _parse_facts(checker: _Checker, data) -> tuple[Term, ...]:
    data = checker.mapping(data, "facts", required=("definition", "items"))
    items = checker.mapping(data["items"], "facts.items", nonempty=True)
    return tuple(_parse_term(checker, "facts", FACTS_CATEGORY, name, value, f"facts.items.{name}")
                 for name, value in items.items())


def _check_groups_compile(checker: _Checker, book: Codebook) -> None:
    for section in MATCH_SECTIONS:
        for group in book.match_groups(section):
            _check_unique_patterns(checker, group)
            try:
                compile_group(group)
            except re.error as exc:
                checker.fail(group.key, f"patterns cannot be combined into one expression ({exc})")
    try:
        compile_matcher(book, MATCH_SECTIONS)
    except re.error as exc:
        checker.fail("", f"patterns cannot be combined into one expression ({exc})")


def _check_unique_patterns(checker: _Checker, group: MatchGroup) -> None:
    """Within one group a plain pattern may count for one term only."""
    owners: dict[str, str] = {}
    for term in group.terms:
        for pattern in term.patterns:
            if pattern.case_sensitive or pattern.text.startswith(REGEX_PREFIX):
                continue
            owner = owners.setdefault(plain_key(pattern.text), term.name)
            if owner != term.name:
                checker.fail(group.key, f"pattern {pattern.text!r} is in both {owner!r} and {term.name!r}")


# --- groups, tables -------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _match_groups(book: Codebook, section: str) -> tuple[MatchGroup, ...]:
    if section == "term_categories":
        return tuple(MatchGroup(section, f"{section}.{c.name}.terms", c.terms) for c in book.term_categories)
    if section == "naming_variants":
        return tuple(MatchGroup(section, f"{section}.concepts.{c.name}.variants", c.terms)
                     for c in book.naming_concepts)
    if section == "actors":
        terms = tuple(Term(section, a.side, a.name, a.role or a.kind, a.aliases) for a in book.actors)
        return (MatchGroup(section, "actors.entities", terms),)
    if section == "reporting_verbs":
        terms = tuple(Term(section, s.name, verb, s.definition,
                           (Pattern(verb, f"(?i:{phrase_regex(verb)})", False),))
                      for s in book.stances for verb in s.verbs)
        return (MatchGroup(section, "reporting_verbs.stances", terms),)
    return tuple(MatchGroup(section, f"facts.items.{f.name}.patterns", (f,)) for f in book.facts)


def _group_patterns(group: MatchGroup) -> list[tuple[str, Pattern]]:
    patterns = [p for term in group.terms for p in term.patterns]
    return [(f"p{i}", p) for i, p in enumerate(patterns)]


def _group_terms(group: MatchGroup) -> list[tuple[str, Term]]:
    terms = [term for term in group.terms for _ in term.patterns]
    return [(f"p{i}", term) for i, term in enumerate(terms)]


def _plain_source(keys: list[str]) -> str:
    """Lookahead alternation capturing the longest plain pattern at a position (group 1 or 2)."""
    ordered = sorted(keys, key=len, reverse=True)
    word_initial = [k for k in ordered if _WORD_CHAR.match(k)]
    others = [k for k in ordered if not _WORD_CHAR.match(k)]
    parts = []
    if word_initial:
        firsts = "".join(sorted({re.escape(k[0]) for k in word_initial}))
        bodies = "|".join(phrase_regex(k).removeprefix(r"(?<!\w)") for k in word_initial)
        parts.append(rf"(?<!\w)(?=[{firsts}])(?=({bodies}))")
    if others:
        parts.append("(?=(" + "|".join(phrase_regex(k) for k in others) + "))")
    return "|".join(parts)


def _special_regex(sources: list[str]) -> re.Pattern | None:
    """Guarded optional lookaheads: every pattern that matches at a position is captured."""
    if not sources:
        return None
    guard = "(?=" + "|".join(f"(?:{s})" for s in sources) + ")"
    return re.compile(guard + "".join(f"(?:(?=(?P<s{i}>{s})))?" for i, s in enumerate(sources)))


def _glossary_rows(book: Codebook, section: str) -> list[tuple[str, str, str, str]]:
    if section == "actors":
        sides = [(section, side, "", text) for side, text in book.sides]
        return sides + [(section, a.side, a.name, a.role or a.kind) for a in book.actors]
    if section == "reporting_verbs":
        return [(section, s.name, "", s.definition) for s in book.stances]
    if section == "facts":
        return [(section, FACTS_CATEGORY, f.name, f.definition) for f in book.facts]
    categories = book.term_categories if section == "term_categories" else book.naming_concepts
    rows = []
    for cat in categories:
        rows.append((section, cat.name, "", cat.definition))
        rows.extend((section, cat.name, term.name, term.definition) for term in cat.terms)
    return rows


def _table(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _escape_char(ch: str) -> str:
    if ch in _APOSTROPHES:
        return f"[{_APOSTROPHES}]"
    if ch in _DOUBLE_QUOTES:
        return f"[{_DOUBLE_QUOTES}]"
    return re.escape(ch)


def _type_name(value) -> str:
    names = {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number",
             float: "a number", type(None): "nothing"}
    return names.get(type(value), type(value).__name__)

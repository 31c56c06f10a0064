"""Separate article text from page material, line by line, with a log that rebuilds the raw file.

Captured web pages mix the article with navigation, bylines, photo credits, embedded posts,
comment forms and repeated blocks. General rules (patterns and page structure; the patterns
are data in ``analysis/data/cleaning_rules.yaml``) decide which lines, or which parts of a
line, are not article text. Every piece set aside becomes a log row, so
``reconstruct_raw(text, log)`` gives back the raw file exactly.

Rules run in this order: ``blank``, ``filler``, ``foreign_language``, the pattern rules of the
YAML file in the order written; then the structure of the page: the headline from the
metadata is found and anything above it is ``above_headline``; the short line above a social
post attribution is ``social_embed``; everything after the first comment-form or
related-posts heading is the page tail; lines repeating the headline or an earlier kept line
are ``duplicate_headline`` / ``duplicate_block``; short unpunctuated lines repeated inside the
next kept line are ``caption_fragment``. Kept lines lose a leading ``dateline_prefix`` and
their ``edge_whitespace`` as partial rows.

Example:
    >>> raw = "Contact Us\\n\\nTalks end\\nThe talks ended on Monday.\\nSource: RT"
    >>> cleaned = clean_text(raw, headline="Talks end")
    >>> cleaned.text
    'Talks end\\nThe talks ended on Monday.'
    >>> [(row.line_no, row.rule) for row in cleaned.log]
    [(0, 'site_chrome'), (1, 'blank'), (4, 'byline')]
    >>> reconstruct_raw(cleaned.text, cleaned.log) == raw
    True
"""
from __future__ import annotations

import copy
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, NamedTuple

import pandas as pd
import yaml

from analysis import paths
from analysis.errors import CorpusError

# Rules that trim part of a kept line; every other rule sets a whole line aside.
PARTIAL_RULES = frozenset({"dateline_prefix", "edge_whitespace"})
UNKNOWN = "unknown"

# Characters trimmed from the edges of lines: every str.isspace() character (NBSP included),
# zero-width characters and the byte-order mark.
ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff"
EDGE_CHARS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000" + ZERO_WIDTH_CHARS
)
_ZERO_WIDTH = re.compile(f"[{ZERO_WIDTH_CHARS}]")
_ALNUM = re.compile(r"[^\W_]")
_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00aa\u00b5\u00ba\u00c0-\u024f\u1e00-\u1eff]")
# Characters up to U+2BFF (Latin, Greek, Cyrillic, ..., punctuation, symbols) that are not a
# non-Latin letter: a line made of them needs no closer look.
_NO_NON_LATIN_LETTER = frozenset(char for char in map(chr, range(0x2C00)) if not _NON_LATIN_LETTER.match(char))
_MACRO = re.compile(r"\{\{(\w+)\}\}")
_TERMINAL_MARKS = frozenset('.!?:;,"”’)»…')
_UNDISABLEABLE = frozenset({"blank", "filler"})
# Lines up to this length are page chrome often repeated across articles: their verdicts are
# kept by an article_cleaner; longer lines (paragraphs) rarely repeat and are not kept.
_SHARED_LINE_MAX_CHARS = 400

_TOP_KEYS = {"macros": dict, "line_rules": dict, "partial_rules": dict, "settings": dict, "disabled": list}
_RULE_KEYS = {"description": str, "max_chars": int, "starts_tail": bool, "patterns": list}
_PATTERN_KEYS = {"pattern": str, "detail": str, "case_sensitive": bool, "marks_post_above": bool}
_SETTING_KEYS = {
    "blank": {}, "filler": {}, "duplicate_headline": {}, "above_headline": {},
    "foreign_language": {"min_letters": int, "min_non_latin_share": (int, float)},
    "duplicate_block": {"min_chars": int},
    "caption_fragment": {"min_words": int, "max_words": int},
    "embedded_post_text": {"max_chars": int},
}


class Verdict(NamedTuple):
    """Why a line is set aside: rule name, a detail for the log, and whether it marks a post above."""

    rule: str
    detail: str
    marks_post_above: bool = False


class LogRow(NamedTuple):
    """One piece of raw text set aside: raw line (0-based), span in that line, text, rule, detail."""

    line_no: int
    char_start: int
    char_end: int
    text: str
    rule: str
    detail: str


class CleanedText(NamedTuple):
    """Result of :func:`clean_text` for one article."""

    text: str
    log: tuple[LogRow, ...]
    n_raw_lines: int
    n_kept_lines: int
    headline_in_text: bool


class LinePattern(NamedTuple):
    """A compiled pattern of a rule, with the detail it writes to the log."""

    regex: re.Pattern[str]
    detail: str
    marks_post_above: bool


class LineRule(NamedTuple):
    """A whole-line pattern rule: lines longer than ``max_chars`` are never tested.

    ``combined`` is one alternation of the patterns (group ``i`` is pattern ``i``), so a line
    is tried against the whole rule in one call; ``None`` when a pattern has groups of its own.
    """

    name: str
    max_chars: int
    starts_tail: bool
    patterns: tuple[LinePattern, ...]
    combined: re.Pattern[str] | None = None


@dataclass(frozen=True)
class CleaningRules:
    """Compiled cleaning rules (see ``analysis/data/cleaning_rules.yaml``)."""

    line_rules: tuple[LineRule, ...]
    dateline_patterns: tuple[LinePattern, ...]
    settings: Mapping[str, Mapping[str, Any]]
    descriptions: Mapping[str, str]
    disabled: frozenset[str]
    sources: tuple[str, ...]
    tail_rules: frozenset[str]
    dateline_any: re.Pattern[str] | None = None  # matches where any dateline pattern does

    def enabled(self, rule: str) -> bool:
        """Whether ``rule`` is switched on.

        Example:
            >>> load_rules().enabled("caption_fragment")
            True
        """
        return rule not in self.disabled


def load_rules(rules_file: str | Path | None = None) -> CleaningRules:
    """Load the shipped cleaning rules, optionally extended by a researcher's rules file.

    Args:
        rules_file: optional YAML file of the same shape as the shipped one. Its patterns are
            appended to rules of the same name, new rules come after the shipped ones, its
            settings replace the shipped values and its ``disabled`` names are switched off.

    Returns:
        The compiled :class:`CleaningRules`.

    Raises:
        CorpusError: the file is missing, not YAML, has an unknown key or a bad pattern.

    Example:
        >>> rules = load_rules()
        >>> [rule.name for rule in rules.line_rules]
        ['site_chrome', 'related_posts', 'comment_form', 'byline', 'photo_credit', 'social_embed']
    """
    if rules_file is None:
        return _default_rules()
    base = _read_rules_file(paths.CLEANING_RULES_FILE)
    extra = _read_rules_file(Path(rules_file))
    sources = (str(paths.CLEANING_RULES_FILE), str(rules_file))
    return _compile(_merge(base, extra), sources)


@functools.lru_cache(maxsize=1)
def _default_rules() -> CleaningRules:
    return _compile(_read_rules_file(paths.CLEANING_RULES_FILE), (str(paths.CLEANING_RULES_FILE),))


def _read_rules_file(path: Path) -> dict[str, Any]:
    """Read one rules file, check its shape and tag each pattern with the file it came from."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise CorpusError(path, f"cleaning rules file cannot be read ({err.strerror})") from err
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise CorpusError(path, f"cleaning rules file is not valid YAML ({' '.join(str(err).split())})") from err
    data = {} if data is None else data
    _check_keys(data, _TOP_KEYS, "the top level", path)
    for section in ("line_rules", "partial_rules"):
        for name, spec in data.get(section, {}).items():
            _check_keys(spec, _RULE_KEYS, f"{section}.{name}", path)
            for number, entry in enumerate(spec.get("patterns", []), start=1):
                _check_keys(entry, _PATTERN_KEYS, f"{section}.{name} pattern {number}", path)
                if "pattern" not in entry:
                    raise CorpusError(path, f"{section}.{name} pattern {number} has no 'pattern' key")
                entry["source"] = str(path)
    unknown_partial = sorted(set(data.get("partial_rules", {})) - PARTIAL_RULES)
    if unknown_partial:
        raise CorpusError(path, f"partial rule(s) {unknown_partial} are unknown "
                                f"(partial rules: {sorted(PARTIAL_RULES)})")
    clashing = sorted(set(data.get("line_rules", {})) & PARTIAL_RULES)
    if clashing:
        raise CorpusError(path, f"line rule(s) {clashing} reuse the name of a partial rule")
    for name, values in data.get("settings", {}).items():
        if name not in _SETTING_KEYS:
            raise CorpusError(path, f"setting '{name}' is unknown (settings: {sorted(_SETTING_KEYS)})")
        _check_keys(values, {"description": str, **_SETTING_KEYS[name]}, f"settings.{name}", path)
    return data


def _check_keys(mapping: Any, allowed: Mapping[str, Any], where: str, path: Path) -> None:
    if not isinstance(mapping, dict):
        raise CorpusError(path, f"{where} must be a mapping of keys to values")
    for key, value in mapping.items():
        if key not in allowed:
            raise CorpusError(path, f"unknown key '{key}' in {where} (allowed: {', '.join(allowed)})")
        if not isinstance(value, allowed[key]):
            raise CorpusError(path, f"{where}: '{key}' has the wrong type ({type(value).__name__})")


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Shipped rules extended by a researcher's file (patterns appended, settings replaced)."""
    merged = copy.deepcopy(base)
    merged.setdefault("macros", {}).update(extra.get("macros", {}))
    for section in ("line_rules", "partial_rules"):
        for name, spec in extra.get(section, {}).items():
            target = merged.setdefault(section, {}).setdefault(name, {})
            target.update({key: value for key, value in spec.items() if key != "patterns"})
            target.setdefault("patterns", []).extend(spec.get("patterns", []))
    for name, values in extra.get("settings", {}).items():
        merged.setdefault("settings", {}).setdefault(name, {}).update(values)
    merged["disabled"] = sorted({*merged.get("disabled", []), *extra.get("disabled", [])})
    return merged


def _compile(data: dict[str, Any], sources: tuple[str, ...]) -> CleaningRules:
    """Compile checked rule data; unknown macros, bad patterns or disabled names raise CorpusError."""
    macros = _expand_macros(data.get("macros", {}), sources[-1])
    disabled = frozenset(data.get("disabled", []))
    line_rules = []
    for name, spec in data.get("line_rules", {}).items():
        if name not in disabled:
            patterns = _compile_patterns(name, spec.get("patterns", []), macros)
            line_rules.append(LineRule(name, spec.get("max_chars", 200), spec.get("starts_tail", False),
                                       patterns, _combined(patterns)))
    dateline = data.get("partial_rules", {}).get("dateline_prefix", {}).get("patterns", [])
    settings = data.get("settings", {})
    descriptions = {
        name: spec.get("description", "")
        for section in ("line_rules", "partial_rules", "settings")
        for name, spec in data.get(section, {}).items()
    }
    unknown = sorted(disabled - set(descriptions))
    blocked = sorted(disabled & _UNDISABLEABLE)
    if unknown or blocked:
        problem = f"rule(s) {unknown} are unknown" if unknown else f"rule(s) {blocked} cannot be disabled"
        raise CorpusError(sources[-1], f"'disabled' lists {problem}")
    tail_rules = frozenset(rule.name for rule in line_rules if rule.starts_tail)
    dateline_patterns = _compile_patterns("dateline_prefix", dateline, macros)
    return CleaningRules(tuple(line_rules), dateline_patterns, settings, descriptions, disabled,
                         sources, tail_rules, _combined(dateline_patterns))


def _expand_macros(macros: Mapping[str, str], source: str) -> dict[str, str]:
    expanded: dict[str, str] = {}
    for name, body in macros.items():
        expanded[name] = _substitute(body, expanded, f"macro '{name}'", source)
    return expanded


def _substitute(pattern: str, macros: Mapping[str, str], where: str, source: str) -> str:
    def lookup(match: re.Match[str]) -> str:
        if match.group(1) not in macros:
            raise CorpusError(source, f"{where} uses undefined macro '{{{{{match.group(1)}}}}}'")
        return macros[match.group(1)]

    return _MACRO.sub(lookup, pattern)


def _compile_patterns(name: str, entries: list[dict[str, Any]], macros: Mapping[str, str]) -> tuple[LinePattern, ...]:
    compiled = []
    for number, entry in enumerate(entries, start=1):
        where = f"pattern {number} of rule '{name}'"
        source = entry.get("source", "cleaning rules")
        flags = 0 if entry.get("case_sensitive", False) else re.IGNORECASE
        try:
            regex = re.compile(_substitute(entry["pattern"], macros, where, source), flags)
        except re.error as err:
            raise CorpusError(source, f"{where} is not a valid regular expression ({err})") from err
        compiled.append(LinePattern(regex, entry.get("detail", name), entry.get("marks_post_above", False)))
    return tuple(compiled)


def _combined(patterns: tuple[LinePattern, ...]) -> re.Pattern[str] | None:
    """One regex trying ``patterns`` in order, pattern ``i`` as group ``i + 1``.

    A match of the alternation is a match of its first pattern that matches (the engine
    tries the alternatives in order), so one call replaces a loop over the patterns. ``None``
    when there is no pattern or a pattern has groups of its own (the numbering would change).

    Example:
        >>> rule = load_rules().line_rules[0]
        >>> rule.combined.fullmatch("Contact Us").lastindex, rule.patterns[0].detail
        (1, 'navigation, button or footer label')
    """
    if not patterns or any(pattern.regex.groups for pattern in patterns):
        return None
    alternatives = [
        f"({'(?i:' if pattern.regex.flags & re.IGNORECASE else '(?:'}{pattern.regex.pattern}))"
        for pattern in patterns
    ]
    try:
        return re.compile("|".join(alternatives))
    except re.error:  # e.g. a pattern starting with global inline flags
        return None


def squeeze_spaces(text: str) -> str:
    """Collapse runs of whitespace (NBSP, zero-width characters too) to one space and trim.

    Example:
        >>> squeeze_spaces("\\u00a0 Russia  responds\\t")
        'Russia responds'
    """
    if text.isprintable() and "  " not in text and not text.startswith(" ") and not text.endswith(" "):
        return text  # printable: no whitespace but " " (and no zero-width), so nothing to squeeze
    if _ZERO_WIDTH.search(text):
        text = _ZERO_WIDTH.sub(" ", text)
    return " ".join(text.split())


def _content_span(line: str, start: int = 0) -> tuple[int, int]:
    """Start and end of ``line[start:]`` without edge whitespace (as indices into ``line``)."""
    if start < len(line) and line[start] not in EDGE_CHARS and line[-1] not in EDGE_CHARS:
        return start, len(line)  # the common case: nothing to trim
    content_start = len(line) - len(line[start:].lstrip(EDGE_CHARS))
    return content_start, max(content_start, len(line.rstrip(EDGE_CHARS)))


def classify_line(line: str, *, rules: CleaningRules | None = None) -> Verdict | None:
    """Decide from the line alone whether it is page material; ``None`` means keep it.

    Args:
        line: one raw line (without its newline).
        rules: compiled rules; the shipped rules when ``None``.

    Returns:
        A :class:`Verdict` (rule and detail) or ``None``.

    Example:
        >>> classify_line("Picture: RIA Novosti").rule
        'photo_credit'
        >>> classify_line("Russia responds") is None
        True
    """
    rules = _default_rules() if rules is None else rules
    if line == "":
        return Verdict("blank", "empty line")
    if not _ALNUM.search(line):
        return Verdict("filler", _describe_filler(line))
    start, end = _content_span(line)
    content = line[start:end]
    foreign = _foreign_language(content, rules) if rules.enabled("foreign_language") else None
    if foreign is not None:
        return foreign
    for rule in rules.line_rules:
        if len(content) <= rule.max_chars:
            pattern = _first_full_match(rule, content)
            if pattern is not None:
                return Verdict(rule.name, pattern.detail, pattern.marks_post_above)
    return None


def _first_full_match(rule: LineRule, content: str) -> LinePattern | None:
    """The first pattern of ``rule`` matching the whole of ``content``, or ``None``."""
    if rule.combined is None:
        return next((pattern for pattern in rule.patterns if pattern.regex.fullmatch(content)), None)
    match = rule.combined.fullmatch(content)
    return None if match is None else rule.patterns[match.lastindex - 1]


def _describe_filler(line: str) -> str:
    if squeeze_spaces(line):
        return "no letters or digits"
    return f"only {_code_points(line)}"


def _foreign_language(content: str, rules: CleaningRules) -> Verdict | None:
    """Verdict for a line whose letters are mostly in a non-Latin script."""
    if content.isascii() or _NO_NON_LATIN_LETTER.issuperset(content):
        return None  # most lines: ASCII, or only Latin letters among curly quotes and dashes
    non_latin = _NON_LATIN_LETTER.findall(content)
    if not non_latin:
        return None
    settings = rules.settings["foreign_language"]
    n_letters = len(_LETTER.findall(content))
    share = len(non_latin) / n_letters
    if n_letters < settings["min_letters"] or share < settings["min_non_latin_share"]:
        return None
    script = unicodedata.name(non_latin[0], "UNKNOWN").split(" ")[0]
    return Verdict("foreign_language", f"{share:.0%} of {n_letters} letters non-Latin ({script})")


def find_headline(lines: list[str], headline: str) -> int | None:
    """Index of the first line equal to ``headline`` (whitespace-normalised), or ``None``.

    Args:
        lines: the raw lines.
        headline: the metadata headline; ``"unknown"`` or empty finds nothing.

    Example:
        >>> find_headline(["Contact Us", "", " Talks  end\\u00a0"], "Talks end")
        2
        >>> find_headline(["Talks end"], "unknown") is None
        True
    """
    wanted = squeeze_spaces(headline)
    if wanted in ("", UNKNOWN):
        return None
    return next((number for number, line in enumerate(lines) if squeeze_spaces(line) == wanted), None)


def _above_headline(lines: list[str], aside: dict[int, Verdict], headline_no: int | None,
                    rules: CleaningRules) -> dict[int, Verdict]:
    if headline_no is None or not rules.enabled("above_headline"):
        return {}
    verdict = Verdict("above_headline", f"above the headline in line {headline_no}")
    return {number: verdict for number in range(headline_no) if number not in aside}


def _embedded_post_text(lines: list[str], aside: dict[int, Verdict], headline_no: int | None,
                        rules: CleaningRules) -> dict[int, Verdict]:
    """The short kept line just above a social post attribution is the post itself."""
    if not rules.enabled("embedded_post_text"):
        return {}
    max_chars = rules.settings["embedded_post_text"]["max_chars"]
    found = {}
    for number in sorted(n for n, verdict in aside.items() if verdict.marks_post_above):
        above = number - 1
        while above in aside and aside[above].rule in ("blank", "filler"):
            above -= 1
        if above < 0 or above == headline_no or above in aside:
            continue
        if len(squeeze_spaces(lines[above])) <= max_chars:
            found[above] = Verdict("social_embed", f"post text above the attribution in line {number}")
    return found


def _page_tail(lines: list[str], aside: dict[int, Verdict], headline_no: int | None,
               rules: CleaningRules) -> dict[int, Verdict]:
    """Everything after the first tail heading (comment form, related posts) below article text."""
    first_kept = next((n for n in range(len(lines)) if n not in aside), None)
    markers = [n for n in sorted(aside) if aside[n].rule in rules.tail_rules]
    start = next((n for n in markers if first_kept is not None and n > first_kept), None)
    if start is None:
        return {}
    verdict = Verdict(aside[start].rule, f"page tail after line {start} ({squeeze_spaces(lines[start])!r})")
    return {number: verdict for number in range(start + 1, len(lines)) if number not in aside}


def _repeated_lines(lines: list[str], aside: dict[int, Verdict], headline_no: int | None,
                    rules: CleaningRules) -> dict[int, Verdict]:
    """Lines repeating the headline or an earlier kept line (whitespace-normalised)."""
    min_chars = rules.settings["duplicate_block"]["min_chars"]
    first_seen: dict[str, int] = {}
    if headline_no is not None:
        first_seen[squeeze_spaces(lines[headline_no])] = headline_no
    found = {}
    for number, line in enumerate(lines):
        if number in aside or number == headline_no:
            continue
        key = squeeze_spaces(line)
        first = first_seen.setdefault(key, number)
        if first == number:
            continue
        if first == headline_no and rules.enabled("duplicate_headline"):
            found[number] = Verdict("duplicate_headline", f"repeats the headline (line {first})")
        elif first != headline_no and len(key) >= min_chars and rules.enabled("duplicate_block"):
            found[number] = Verdict("duplicate_block", f"repeats line {first}")
    return found


def _caption_fragments(lines: list[str], aside: dict[int, Verdict], headline_no: int | None,
                       rules: CleaningRules) -> dict[int, Verdict]:
    """Short unpunctuated lines repeated verbatim (as whole words) inside the next kept line."""
    if not rules.enabled("caption_fragment"):
        return {}
    settings = rules.settings["caption_fragment"]
    kept = [number for number in range(len(lines)) if number not in aside]
    found = {}
    for number, following in zip(kept, kept[1:]):
        if number == headline_no or lines[number].rstrip(EDGE_CHARS)[-1:] in _TERMINAL_MARKS:
            continue  # the line's last character (the phrase's last) ends a sentence or clause
        phrase = squeeze_spaces(lines[number])
        n_words = len(phrase.split(" "))
        if settings["min_words"] <= n_words <= settings["max_words"] and _contains_phrase(lines[following], phrase):
            found[number] = Verdict("caption_fragment", f"repeated verbatim inside line {following}")
    return found


def _contains_phrase(text: str, phrase: str) -> bool:
    """Whether ``phrase`` occurs in ``text`` with no letter or digit touching either end."""
    start = text.find(phrase)
    while start >= 0:
        end = start + len(phrase)
        before_ok = start == 0 or not _ALNUM.match(text, start - 1)
        after_ok = end == len(text) or not _ALNUM.match(text, end)
        if before_ok and after_ok:
            return True
        start = text.find(phrase, start + 1)
    return False


_STRUCTURE_STEPS = (_above_headline, _embedded_post_text, _page_tail, _repeated_lines, _caption_fragments)


def _trim_kept_line(number: int, line: str, rules: CleaningRules, *, is_headline: bool) -> tuple[str, list[LogRow]]:
    """Kept text of one line and the partial rows (dateline prefix, edge whitespace) trimmed off.

    Example:
        >>> _trim_kept_line(3, "Talks end\u00a0", load_rules(), is_headline=True)
        ('Talks end', [LogRow(line_no=3, char_start=9, char_end=10, text='\xa0', rule='edge_whitespace', detail='trailing U+00A0')])
    """
    no_dateline = is_headline or rules.dateline_any is not None and not rules.dateline_any.match(line)
    if no_dateline and line[:1] not in EDGE_CHARS and line[-1:] not in EDGE_CHARS:
        return line, []  # the common case: no dateline and no edge character, nothing to trim
    rows = []
    if not is_headline and rules.enabled("dateline_prefix"):
        rows.extend(_dateline_prefix(number, line, rules))
    start = rows[0].char_end if rows else 0
    if not rules.enabled("edge_whitespace"):
        return line[start:], rows
    content_start, content_end = _content_span(line, start)
    for side, left, right in (("leading", start, content_start), ("trailing", content_end, len(line))):
        if right > left:
            rows.append(LogRow(number, left, right, line[left:right], "edge_whitespace",
                               f"{side} {_code_points(line[left:right])}"))
    return line[content_start:content_end], rows


def _dateline_prefix(number: int, line: str, rules: CleaningRules) -> list[LogRow]:
    """The first dateline pattern matching the start of ``line`` and leaving text after it."""
    if rules.dateline_any is not None and not rules.dateline_any.match(line):
        return []  # no pattern matches (the common case)
    for pattern in rules.dateline_patterns:
        match = pattern.regex.match(line)
        if match and _ALNUM.search(line, match.end()):
            return [LogRow(number, 0, match.end(), match.group(), "dateline_prefix", pattern.detail)]
    return []


def _code_points(text: str) -> str:
    """Distinct characters of ``text`` as ``U+XXXX`` codes, in order of first appearance."""
    return " ".join(f"U+{ord(char):04X}" for char in dict.fromkeys(text))


def clean_text(raw_text: str, *, headline: str = UNKNOWN, rules: CleaningRules | None = None) -> CleanedText:
    """Clean one article: keep its text lines, log every line or part of a line set aside.

    Args:
        raw_text: the file exactly as read (lines split on ``"\\n"``).
        headline: the metadata headline; the first line equal to it (whitespace-normalised)
            becomes the first line of the text. ``"unknown"`` finds none.
        rules: compiled rules; the shipped rules when ``None``.

    Returns:
        :class:`CleanedText`: ``text`` (kept lines joined by ``"\\n"``), ``log`` rows sorted
        by ``(line_no, char_start)``, line counts and ``headline_in_text``.

    Example:
        >>> raw = "Talks end\\n\\u00a0\\nTalks end\\n date 2022-01-10 The talks ended."
        >>> cleaned = clean_text(raw, headline="Talks end")
        >>> cleaned.text
        'Talks end\\nThe talks ended.'
        >>> [(row.rule, row.text) for row in cleaned.log]
        [('filler', '\\xa0'), ('duplicate_headline', 'Talks end'), ('dateline_prefix', ' date 2022-01-10 ')]
    """
    rules = _default_rules() if rules is None else rules
    return _clean_lines(raw_text, headline, rules, {})


def article_cleaner(rules: CleaningRules | None = None) -> Callable[..., CleanedText]:
    """:func:`clean_text` for the articles of one corpus or partition, with ``rules`` fixed.

    Page chrome (menus, buttons, footers, bylines) repeats from one article to the next, so
    the cleaner remembers the verdict on each distinct short line and classifies it once.

    Example:
        >>> clean = article_cleaner()
        >>> [clean(raw, headline="Talks end").text for raw in ("Menu\\nTalks end", "Talks end\\nMenu")]
        ['Talks end', 'Talks end']
    """
    rules = _default_rules() if rules is None else rules
    verdicts: dict[str, Verdict | None] = {}

    def clean(raw_text: str, *, headline: str = UNKNOWN) -> CleanedText:
        return _clean_lines(raw_text, headline, rules, verdicts)

    return clean


def _line_verdicts(lines: list[str], headline_no: int | None, rules: CleaningRules,
                   verdicts: dict[str, Verdict | None]) -> dict[int, Verdict]:
    """:func:`classify_line` of every line but the headline; short lines via ``verdicts``."""
    aside = {}
    for number, line in enumerate(lines):
        if number == headline_no:
            continue
        if len(line) > _SHARED_LINE_MAX_CHARS:
            verdict = classify_line(line, rules=rules)
        elif line in verdicts:
            verdict = verdicts[line]
        else:
            verdict = verdicts[line] = classify_line(line, rules=rules)
        if verdict is not None:
            aside[number] = verdict
    return aside


def _clean_lines(raw_text: str, headline: str, rules: CleaningRules,
                 verdicts: dict[str, Verdict | None]) -> CleanedText:
    """:func:`clean_text`, looking up and adding line verdicts in ``verdicts``."""
    lines = raw_text.split("\n")
    headline_no = find_headline(lines, headline)
    aside = _line_verdicts(lines, headline_no, rules, verdicts)
    for step in _STRUCTURE_STEPS:
        aside.update(step(lines, aside, headline_no, rules))
    kept = [number for number in range(len(lines)) if number not in aside]
    rows = [LogRow(number, 0, len(lines[number]), lines[number], verdict.rule, verdict.detail)
            for number, verdict in aside.items()]
    pieces = []
    for number in kept:
        piece, partial_rows = _trim_kept_line(number, lines[number], rules, is_headline=number == headline_no)
        pieces.append(piece)
        rows.extend(partial_rows)
    rows.sort(key=lambda row: (row.line_no, row.char_start))
    return CleanedText("\n".join(pieces), tuple(rows), len(lines), len(kept), headline_no is not None)


def reconstruct_raw(text: str, log_rows: pd.DataFrame | Iterable[LogRow]) -> str:
    """Rebuild the raw file from the cleaned text and its cleaning-log rows.

    Kept lines fill, in order, every raw line that is not set aside as a whole; partial rows
    (``dateline_prefix``, ``edge_whitespace``) go back before or after the kept piece.

    Args:
        text: the cleaned text (kept lines joined by ``"\\n"``).
        log_rows: the article's log rows (a DataFrame slice of the cleaning log, or
            :class:`LogRow` tuples).

    Returns:
        The raw text, identical to the file as read.

    Raises:
        ValueError: text and log do not fit together.

    Example:
        >>> reconstruct_raw("Kept line", [LogRow(0, 0, 3, "WOR", "site_chrome", ""),
        ...                               LogRow(1, 9, 10, " ", "edge_whitespace", "")])
        'WOR\\nKept line '
    """
    rows = log_rows.itertuples(index=False) if isinstance(log_rows, pd.DataFrame) else log_rows
    by_line: dict[int, list[Any]] = {}
    for row in rows:
        by_line.setdefault(int(row.line_no), []).append(row)
    pieces = text.split("\n") if text else []
    lines, next_piece, last_logged = [], 0, max(by_line, default=-1)
    while len(lines) <= last_logged or next_piece < len(pieces):
        line_rows = sorted(by_line.get(len(lines), []), key=lambda row: int(row.char_start))
        if line_rows and line_rows[0].rule not in PARTIAL_RULES:
            lines.append("".join(row.text for row in line_rows))
            continue
        if next_piece == len(pieces):
            raise ValueError(f"raw line {len(lines)} has neither a kept line nor a whole-line log row")
        lines.append(_splice(pieces[next_piece], line_rows))
        next_piece += 1
    return "\n".join(lines)


def _splice(piece: str, partial_rows: list[Any]) -> str:
    """A kept piece with its trimmed prefix and suffix rows put back."""
    parts, position, placed = [], 0, False
    for row in partial_rows:
        if not placed and int(row.char_start) != position:
            parts.append(piece)
            position, placed = position + len(piece), True
        if int(row.char_start) != position:
            raise ValueError(f"log row at line {row.line_no} starts at {row.char_start}, expected {position}")
        parts.append(row.text)
        position = int(row.char_end)
    if not placed:
        parts.append(piece)
    return "".join(parts)

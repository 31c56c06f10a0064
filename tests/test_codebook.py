"""Tests for analysis.codebook: schema validation, pattern semantics, tables for notebooks."""
from __future__ import annotations

import copy
import dataclasses
import re
import sys

import pytest
import yaml

from analysis import paths
from analysis.codebook import (CASE_FOLDING_LETTERS, compile_group, compile_matcher, group_alternatives, load_codebook,
                               phrase_regex, plain_key, word_alternation)
from analysis.codebook import _literal_beginnings
from analysis.errors import CodebookError

MINIMAL = {
    "codebook": {"name": "Test codebook", "version": 1, "language": "en", "description": "For tests."},
    "term_categories": {
        "definition": "Word choices.",
        "contested": {
            "definition": "Contested words.",
            "terms": {
                "invasion": {"definition": "An invasion.", "patterns": ["invasion", "invade", "invaded"]},
                "escalation": {"definition": "Escalation.", "patterns": ["escalation", "de-escalation"]},
            },
        },
    },
    "naming_variants": {
        "definition": "Spellings.",
        "concepts": {"capital": {"definition": "The capital.", "variants": {"Kyiv": ["Kyiv"], "Kiev": ["Kiev"]}}},
    },
    "actors": {
        "definition": "Parties.",
        "sides": {"Russia": "The Russian state.", "United States": "The US government."},
        "entities": {
            "Russia": {"side": "Russia", "kind": "state", "aliases": ["Russia", "Moscow"]},
            "United States": {"side": "United States", "kind": "state",
                              "aliases": [{"pattern": "US", "case_sensitive": True}, "Washington"]},
        },
    },
    "reporting_verbs": {
        "definition": "Verbs of speech.",
        "stances": {
            "neutral": {"definition": "Says it was said.", "verbs": ["said", "told"]},
            "emphatic": {"definition": "Firm.", "verbs": ["stressed"]},
        },
    },
    "facts": {
        "definition": "Key facts.",
        "items": {"long talks": {"definition": "Talks lasted hours.", "patterns": ["regex:\\d+ hours"]}},
    },
}
INVASION = "term_categories.contested.terms.invasion"


def write_codebook(tmp_path, data, name="codebook.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def edited(edit):
    data = copy.deepcopy(MINIMAL)
    edit(data)
    return data


def term(data, name="invasion"):
    return data["term_categories"]["contested"]["terms"][name]


@pytest.fixture(scope="module")
def book():
    return load_codebook()


# --- the study's codebook ----------------------------------------------------------------


def test_default_codebook_loads_from_paths(book):
    assert book.path == str(paths.DEFAULT_CODEBOOK)
    assert [c.name for c in book.term_categories] == ["contested_terms", "distancing_markers"]
    assert [c.name for c in book.naming_concepts] == ["capital of Ukraine", "Ryabkov's first name", "United States"]


def test_codebook_is_frozen(book):
    with pytest.raises(dataclasses.FrozenInstanceError):
        book.name = "changed"


@pytest.mark.parametrize("method, columns", [
    ("terms_table", ["category", "term", "definition", "pattern", "case_sensitive", "regex"]),
    ("naming_table", ["concept", "variant", "pattern", "case_sensitive"]),
    ("actors_table", ["entity", "side", "kind", "role", "alias"]),
    ("verbs_table", ["stance", "verb", "definition"]),
    ("facts_table", ["fact", "definition", "pattern"]),
    ("glossary", ["section", "category", "term", "definition"]),
])
def test_tables_have_their_columns_and_no_empty_cells(book, method, columns):
    table = getattr(book, method)()
    assert list(table.columns) == columns
    assert len(table) > 0
    required = [c for c in columns if c not in ("role", "category", "term")]
    assert not (table[required].astype(str).apply(lambda col: col.str.strip()) == "").any().any()


@pytest.mark.parametrize("entity, side, aliases", [
    ("Sergei Ryabkov", "Russia", ["Sergei Ryabkov", "Sergey Ryabkov", "Ryabkov"]),
    ("Wendy Sherman", "United States", ["Wendy Sherman", "Sherman"]),
    ("Ned Price", "United States", ["Ned Price", "Price"]),
    ("Ukraine", "Ukraine", ["Ukraine", "Kyiv", "Kiev"]),
])
def test_actors_table_maps_aliases_to_entity_and_side(book, entity, side, aliases):
    rows = book.actors_table().query("entity == @entity")
    assert rows.alias.tolist() == aliases
    assert set(rows.side) == {side}


@pytest.mark.parametrize("verb, stance", [("said", "neutral"), ("stressed", "emphatic"),
                                          ("claimed", "distancing"), ("admitted", "concessive"),
                                          ("accused", "evaluative")])
def test_verbs_table_gives_each_verb_one_stance(book, verb, stance):
    assert book.verbs_table().query("verb == @verb").stance.tolist() == [stance]


def test_glossary_defines_every_section_category_and_term(book):
    glossary = book.glossary()
    sections = glossary[(glossary.category == "") & (glossary.term == "")].section.tolist()
    assert sections == ["codebook", "term_categories", "naming_variants", "actors", "reporting_verbs", "facts"]
    terms = set(glossary.loc[glossary.section == "term_categories", "term"]) - {""}
    assert terms == set(book.terms_table().term)
    assert set(glossary.loc[glossary.section == "facts", "term"]) - {""} == set(book.facts_table().fact)
    assert set(glossary.loc[glossary.section == "actors", "category"]) - {""} == {side for side, _ in book.sides}


def test_match_groups_put_all_actors_together_and_each_fact_alone(book):
    assert len(book.match_groups("actors")) == 1
    assert len(book.match_groups("facts")) == len(book.facts)
    with pytest.raises(ValueError, match="unknown codebook section 'verbs'"):
        book.match_groups("verbs")


# --- pattern semantics -------------------------------------------------------------------


@pytest.mark.parametrize("pattern, text, expected", [
    ("attack", "an attack, attacks, ATTACK", ["attack", "ATTACK"]),         # whole words, any case
    ("security guarantees", "security\n  guarantees", ["security\n  guarantees"]),  # any whitespace
    ("security guarantees", "security\u00a0guarantees", ["security\u00a0guarantees"]),  # no-break space
    ("Russia's side", "Russia’s side and Russia's side", ["Russia’s side", "Russia's side"]),  # apostrophes
    ("so-called", 'a so-called "deal"', ["so-called"]),
    ("U.S.", "the U.S. side, U.S.-Russian", ["U.S.", "U.S."]),                 # ends in punctuation
    ("escalation", "de-escalation", ["escalation"]),                          # hyphen is a boundary
    ("Kiev", "Kievan Rus", []),
])
def test_phrase_regex_matches_whole_words_flexibly(pattern, text, expected):
    assert [m.group() for m in re.finditer(phrase_regex(pattern), text, re.IGNORECASE)] == expected


@pytest.mark.parametrize("pattern, case_sensitive, text, expected", [
    ("US", True, "they squeezed us; the US side", ["US"]),
    ("US", False, "they squeezed us; the US side", ["us", "US"]),
    ("regex:reciproc\\w*", False, "Reciprocal steps, reciprocity", ["Reciprocal", "reciprocity"]),
    ("regex:NATO.s doors", False, "close nato’s doors", ["nato’s doors"]),
    ("regex:NATO.s doors", True, "close nato’s doors", []),
])
def test_loaded_patterns_follow_case_and_regex_options(tmp_path, pattern, case_sensitive, text, expected):
    data = edited(lambda d: term(d).update(patterns=[{"pattern": pattern, "case_sensitive": case_sensitive}]))
    loaded = load_codebook(write_codebook(tmp_path, data))
    regex = loaded.term_categories[0].terms[0].patterns[0].regex
    assert [m.group() for m in re.finditer(regex, text)] == expected


def test_term_level_case_sensitive_applies_to_all_its_patterns(tmp_path):
    data = edited(lambda d: term(d).update(case_sensitive=True, patterns=["Price", "Ned"]))
    patterns = load_codebook(write_codebook(tmp_path, data)).term_categories[0].terms[0].patterns
    assert [p.case_sensitive for p in patterns] == [True, True]
    assert not re.search(patterns[0].regex, "the price")


def test_plain_key_normalises_case_apostrophes_and_spaces():
    assert plain_key("  Russia’s\n SIDE ") == "russia's side"


def test_matcher_compiles_all_sections_into_two_scans(book):
    matcher = compile_matcher(book, ("term_categories", "naming_variants", "actors", "facts"))
    assert matcher.plain is not None and matcher.special is not None
    (label,) = matcher.plain_keys["ryabkov"]
    assert matcher.plain_keys["sergei ryabkov"] == (label,)
    assert (matcher.labels[label].section, matcher.labels[label].term) == ("actors", "Sergei Ryabkov")
    washington = {matcher.labels[i].section for i in matcher.plain_keys["washington"]}
    assert washington == {"naming_variants", "actors"}
    assert compile_matcher(book, ("actors",)) is compile_matcher(book, ("actors",))  # cached


@pytest.mark.parametrize("words, other", [
    (["he", "her", "here", "she"], ["h", "hers", "sh", "the"]),
    (["said", "says", "say", "sanctions"], ["sa", "sai", "sayss", "sanction"]),
    (["u", "us", "ukraine"], ["uk", "ukrain", "s"]),
    (["7", "7.5", "a+b"], ["7.", "75", "ab"]),  # characters special in regexes are escaped
])
def test_word_alternation_matches_exactly_its_words(words, other):
    pattern = re.compile(word_alternation(words))
    assert [w for w in words if pattern.fullmatch(w)] == words
    assert not [w for w in other if pattern.fullmatch(w)]


def test_group_alternatives_are_compile_groups_alternatives_in_order(book):
    for section in ("term_categories", "naming_variants", "actors", "facts"):
        for group in book.match_groups(section):
            alternatives = group_alternatives(group)
            assert "|".join(f"(?P<{name}>{p.regex})" for name, p in alternatives) == compile_group(group).pattern
            lengths = [len(p.text) for _, p in alternatives]
            assert lengths == sorted(lengths, reverse=True)


def test_case_folds_to_ascii_lists_every_letter_that_matches_ascii_ignoring_case():
    any_ascii = re.compile(r"(?i)[\x00-\x7f]")
    folding = [chr(c) for c in range(0x80, sys.maxunicode + 1) if any_ascii.fullmatch(chr(c))]
    assert folding == ["\u0130", "\u0131", "\u017f", "\u212a"]  # İ ı ſ K (Kelvin)
    assert all(char in CASE_FOLDING_LETTERS for char in folding)
    assert not any(char in CASE_FOLDING_LETTERS for char in "Kyiv, Ryabkov, Zelenskyy: é ü ß ’ “”")


@pytest.mark.parametrize("source, beginnings", [
    # special patterns of the study's codebook
    (r"(?<!\w)US(?!\w)", {"us"}),
    (r"(?i:U\.S\.(?=\W|$))", {"u.s."}),
    (r"(?i:no progress)", {"no progress"}),
    (r"(?i:\b(?:seven|eight|7|8|7\.5)\s+hours)", {"seven", "eight", "7", "8"}),  # "7" finds 7.5
    (r"(?i:no (?:plans|intention)s?,?(?: no intentions)? (?:of|to) ['‘“]?(?:attack|invad)\w*)",
     {"no plans", "no intention"}),
    (r"(?i:missiles? (?:deployment|in europe))", {"missile"}),
    (r"(?i:what (?:he|she|it|they|[A-Z]\w+) (?:called|calls))", {"what "}),
    (r"(?i:close NATO.s doors)", {"close nato"}),
    # hand-made: no beginning every match has, so the pattern is scanned everywhere
    (r"[A-Z]\w+ said", None),
    (r"(?:talks)?\s+ended", None),
    (r"(?i:a|b?c)", None),
    (r"Kyivé?", {"kyiv"}),
    (r"é\w+", None),
])
def test_special_patterns_are_located_by_their_lower_case_beginnings(source, beginnings):
    assert _literal_beginnings(source) == (None if beginnings is None else frozenset(beginnings))


# --- malformed codebooks -------------------------------------------------------------------


def _set(path, value):
    def edit(data):
        *parents, last = path
        node = data
        for key in parents:
            node = node[key]
        node[last] = value
    return edit


def _delete(path):
    def edit(data):
        *parents, last = path
        node = data
        for key in parents:
            node = node[key]
        del node[last]
    return edit


TERM_PATH = ("term_categories", "contested", "terms", "invasion")
MALFORMED = [
    (_delete(("facts",)), "top level", "missing 'facts'"),
    (_set(("extras",), {}), "top level", "unknown key 'extras'"),
    (_delete(("term_categories", "definition")), "term_categories", "missing 'definition'"),
    (_delete((*TERM_PATH, "definition")), INVASION, "missing 'definition'"),
    (_set((*TERM_PATH, "definition"), "  "), f"{INVASION}.definition", "is empty"),
    (_set((*TERM_PATH, "notes"), "x"), INVASION, "unknown key 'notes'"),
    (_set((*TERM_PATH, "patterns"), []), f"{INVASION}.patterns", "empty list"),
    (_set((*TERM_PATH, "patterns"), "invasion"), f"{INVASION}.patterns", "expected a list, got text"),
    (_set((*TERM_PATH, "patterns"), ["invasion", "invade", "regex:(invad"]), f"{INVASION}.patterns[2]",
     "invalid regular expression '(invad' (missing ), unterminated subpattern at position 0)"),
    (_set((*TERM_PATH, "patterns"), ["regex:a*"]), f"{INVASION}.patterns[0]", "matches empty text"),
    (_set((*TERM_PATH, "patterns"), ["regex:"]), f"{INVASION}.patterns[0]", "empty regular expression"),
    (_set((*TERM_PATH, "patterns"), ["regex:(?P<x>a)"]), f"{INVASION}.patterns[0]", "named group"),
    (_set((*TERM_PATH, "patterns"), ["regex:(a)\\1"]), f"{INVASION}.patterns[0]", "back-reference"),
    (_set((*TERM_PATH, "patterns"), ["invasion", 100]), f"{INVASION}.patterns[1]", "got a number 100"),
    (_set((*TERM_PATH, "patterns"), ["   "]), f"{INVASION}.patterns[0]", "empty pattern"),
    (_set((*TERM_PATH, "patterns"), [{"case_sensitive": True}]), f"{INVASION}.patterns[0]", "missing 'pattern'"),
    (_set((*TERM_PATH, "patterns"), [{"pattern": "US", "case_sensitive": "maybe"}]),
     f"{INVASION}.patterns[0].case_sensitive", "expected true or false, got text"),
    (_set((*TERM_PATH, "patterns"), ["escalation"]), "term_categories.contested.terms",
     "pattern 'escalation' is in both 'invasion' and 'escalation'"),
    (_set(("term_categories", "contested", "terms"), {}), "term_categories.contested.terms", "is empty"),
    (_set(("term_categories",), ["contested"]), "term_categories", "expected a mapping, got a list"),
    (_set(("actors", "entities", "Russia", "side"), "Mars"), "actors.entities.Russia.side",
     "side 'Mars' is not declared in actors.sides"),
    (_set(("actors", "entities", "United States", "aliases"), ["moscow"]),
     "actors.entities.United States.aliases[0]", "alias 'moscow' is already an alias of 'Russia'"),
    (_set(("actors", "sides"), {}), "actors.sides", "is empty"),
    (_delete(("actors", "entities", "Russia", "kind")), "actors.entities.Russia", "missing 'kind'"),
    (_set(("reporting_verbs", "stances", "emphatic", "verbs"), ["Said"]),
     "reporting_verbs.stances.emphatic.verbs[0]", "verb 'Said' is already in stance 'neutral'"),
    (_set(("naming_variants", "concepts", "capital", "variants", "Kyiv"), []),
     "naming_variants.concepts.capital.variants.Kyiv", "empty list"),
    (_set(("facts", "items", "long talks", "patterns"), ["regex:[0-9"]), "facts.items.long talks.patterns[0]",
     "invalid regular expression '[0-9'"),
    (_set(("codebook", "name"), 3), "codebook.name", "expected text, got a number"),
]


@pytest.mark.parametrize("edit, key, problem", MALFORMED)
def test_malformed_codebook_names_file_key_and_problem(tmp_path, edit, key, problem):
    path = write_codebook(tmp_path, edited(edit))
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {key}: ")
    assert problem in message


@pytest.mark.parametrize("text, problem", [
    ("codebook: {name: x}\nfacts: [a, b\n", "not valid YAML at line 3"),
    ("codebook:\n  name: x\n  name: y\n", "not valid YAML at line 3: duplicate key 'name'"),
    ("", "top level: expected a mapping, got nothing"),
    ("- a\n- b\n", "top level: expected a mapping, got a list"),
    ("1: x\n", "top level: key 1 must be text"),
])
def test_unreadable_yaml_names_file_and_line(tmp_path, text, problem):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError, match=re.escape(f"{path}: {problem}")):
        load_codebook(path)


def test_missing_file_and_bad_encoding_are_reported(tmp_path):
    with pytest.raises(CodebookError, match=re.escape(f"{tmp_path / 'none.yaml'}: file not found")):
        load_codebook(tmp_path / "none.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("codebook: {name: Gen\xe8ve}\n".encode("latin-1"))
    with pytest.raises(CodebookError, match="latin.yaml: not UTF-8 text"):
        load_codebook(latin)


def test_minimal_codebook_loads_with_all_its_parts(tmp_path):
    loaded = load_codebook(write_codebook(tmp_path, MINIMAL))
    assert loaded.version == "1"
    assert loaded.actors_table().alias.tolist() == ["Russia", "Moscow", "US", "Washington"]
    assert loaded.facts_table().pattern.tolist() == ["regex:\\d+ hours"]
    assert loaded.definition("term_categories") == "Word choices."


@pytest.mark.parametrize("source, beginnings", [
    (r"(?<!\w)US(?!\w)", {"US"}),
    (r"(?<!\w)Price|NATO", {"Price", "NATO"}),
    (r"US(?i:a)", {"US"}),  # the case-sensitive part is a beginning of every match
    (r"(?i:U\.S\.)", None),
    (r"(?i)US", None),
    (r"(?i:(?-i:US))", {"US"}),
    (r"\bUS|(?i:us)", None),
])
def test_special_patterns_with_case_sensitive_starts_have_exact_case_beginnings(source, beginnings):
    exact = _literal_beginnings(source, exact_case=True)
    assert exact == (None if beginnings is None else frozenset(beginnings))
    for text in ("US", "Usa", "USa", "USA", "Price NATO", "us", "U.S."):  # every match starts with one
        starts = [start for start in range(len(text)) if re.compile(source).match(text, start)]
        assert exact is None or all(text.startswith(tuple(exact), start) for start in starts)


def test_matcher_scans_case_sensitive_patterns_by_exact_case_beginnings(book):
    scans = compile_matcher(book, ("term_categories", "naming_variants", "actors", "facts")).special_scans
    assert any(exact_case and beginnings == {"US"} for beginnings, _, exact_case in scans)
    assert all(not exact_case for beginnings, _, exact_case in scans if "u.s." in beginnings)

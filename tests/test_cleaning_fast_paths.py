"""The faster paths of cleaning give the verdicts of the plain ones: combined rule patterns,
shared line verdicts across articles, the twitter-link pattern and the foreign-script check."""
from __future__ import annotations

import re

import pytest

from analysis import paths
from analysis.cleaning import (
    EDGE_CHARS,
    article_cleaner,
    classify_line,
    clean_text,
    load_rules,
    reconstruct_raw,
)

# The social-post rule as first written (it backtracks over the whole line).
OLD_TWITTER_LINK = re.compile(r".*\b(?:pic\.twitter\.com|t\.co)/\w+.*", re.IGNORECASE)
SEED_RAW = [path.read_bytes().decode("utf-8") for path in sorted((paths.CORPUS_DIR / "raw").glob("*.txt"))]
SEED_LINES = sorted({line for raw in SEED_RAW for line in raw.split("\n")})


def _first_pattern_verdict(line: str, rules) -> tuple[str, str] | None:
    """classify_line's pattern step written as the plain loop over every pattern."""
    content = line.strip(EDGE_CHARS)
    for rule in rules.line_rules:
        if len(content) <= rule.max_chars:
            for pattern in rule.patterns:
                if pattern.regex.fullmatch(content):
                    return rule.name, pattern.detail
    return None


@pytest.mark.parametrize("line", [
    "see pic.twitter.com/abc", "xt.co/a", "T.CO/a end", "a t.co/ b", "(t.co/x)",
    "pic.twitter.com/", "xpic.twitter.com/a", "a/b t.co/Z", "no link here", "https://t.co/8b1pRR7xwC",
])
def test_twitter_link_pattern_sets_aside_the_same_lines(line):
    verdict = classify_line(line)
    found = verdict is not None and verdict.detail == "social post text with a twitter link"
    assert found == bool(OLD_TWITTER_LINK.fullmatch(line))


def test_combined_patterns_give_the_first_matching_pattern_on_every_seed_line():
    rules = load_rules()
    assert all(rule.combined is not None for rule in rules.line_rules)
    for line in SEED_LINES:
        verdict = classify_line(line, rules=rules)
        expected = _first_pattern_verdict(line, rules)
        if verdict is not None and verdict.rule in {rule.name for rule in rules.line_rules}:
            assert (verdict.rule, verdict.detail) == expected


def test_rule_with_groups_falls_back_to_one_pattern_at_a_time(tmp_path):
    extra = tmp_path / "rules.yaml"
    extra.write_text("line_rules:\n  echo:\n    max_chars: 40\n    patterns:\n"
                     "      - {pattern: '(\\w+) \\1', detail: repeated word}\n"
                     "      - {pattern: 'echo .*', detail: echo line}\n", encoding="utf-8")
    rules = load_rules(extra)
    echo = next(rule for rule in rules.line_rules if rule.name == "echo")
    assert echo.combined is None
    assert classify_line("again again", rules=rules).detail == "repeated word"
    assert classify_line("echo one two", rules=rules).detail == "echo line"


def test_article_cleaner_equals_clean_text_on_every_seed_twice():
    clean = article_cleaner()
    for raw in SEED_RAW * 2:  # the second pass reads every short line's verdict back
        shared, alone = clean(raw), clean_text(raw)
        assert shared == alone
        assert reconstruct_raw(shared.text, shared.log) == raw


@pytest.mark.parametrize("line, rule", [
    ("Переговоры в Женеве завершились без прорыва", "foreign_language"),
    ("“Talks” — ended – at 9:00 in Genève", None),
    ("Talks ended in Genève, said Ryabkov (Рябков)", None),
])
def test_foreign_language_check_on_mixed_scripts(line, rule):
    verdict = classify_line(line)
    assert (verdict.rule if verdict else None) == rule

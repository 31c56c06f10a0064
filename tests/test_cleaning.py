"""Cleaning rules on real seed lines and hand-made lines; exact reconstruction of every seed."""
from __future__ import annotations

from collections import Counter

import sys

import pandas as pd
import pytest

from analysis import paths
from analysis.cleaning import (
    EDGE_CHARS,
    PARTIAL_RULES,
    ZERO_WIDTH_CHARS,
    LogRow,
    classify_line,
    clean_text,
    find_headline,
    load_rules,
    reconstruct_raw,
    squeeze_spaces,
)
from analysis.errors import CorpusError

METADATA = pd.read_csv(paths.METADATA_FILE, dtype=str, keep_default_na=False).set_index("id")
SEED_IDS = sorted(METADATA.index)
ARABIC_POST = (
    "محادثات روسية أميركية موسَّعة بشأن الضمانات الأمنية، تفاصيلها يُطلعنا عليها مدير مكتب "
    "#الميادين في #جنيف، موسى عاصي.#روسيا #أميركا @moussaassi pic.twitter.com/8b1pRR7xwC"
)


def seed_raw(article_id: str) -> str:
    return (paths.CORPUS_DIR / METADATA.loc[article_id, "file"]).read_bytes().decode("utf-8")


def seed_cleaned(article_id: str):
    return clean_text(seed_raw(article_id), headline=METADATA.loc[article_id, "headline"])


@pytest.mark.parametrize("line, rule", [
    # real seed lines
    ("Contact Us", "site_chrome"),
    ("Subscribe", "site_chrome"),
    ("Agencies and A News WORLD", "byline"),
    ("Published January 10,2022", "byline"),
    ("Ru-Main, 11.01.2022", "byline"),
    ("Source: RT\u00a0", "byline"),
    ("Picture: RIA Novosti", "photo_credit"),
    ("— قناة الميادين (@AlMayadeenNews) January 10, 2022", "social_embed"),
    (ARABIC_POST, "foreign_language"),
    ("Related Posts", "related_posts"),
    ("Leave a Reply", "comment_form"),
    ("Your email address will not be published. Required fields are marked *", "comment_form"),
    ("", "blank"),
    ("\u00a0", "filler"),
    # hand-made lines
    ("WORLD", "site_chrome"),
    ("Share on Facebook", "site_chrome"),
    ("Read also: Kremlin says the Geneva talks were useful", "site_chrome"),
    ("© 2022 Example News. All rights reserved.", "site_chrome"),
    ("By Jane Doe, Reuters", "byline"),
    ("Monday, January 10, 2022", "byline"),
    ("Updated: 10 January 2022 14:05 GMT", "byline"),
    ("Photo: Denis Balibouse/Reuters", "photo_credit"),
    ("Denis Balibouse/Reuters", "photo_credit"),
    ("— Wendy Sherman (@DepSecState) January 10, 2022", "social_embed"),
    ("Talks are over. pic.twitter.com/AbC123", "social_embed"),
    ("Переговоры в Женеве завершились", "foreign_language"),
    ("12 Comments", "comment_form"),
    ("You may also like", "related_posts"),
    ("* * *", "filler"),
    ("\u200b\ufeff", "filler"),
])
def test_line_rule_fires(line, rule):
    assert classify_line(line).rule == rule


@pytest.mark.parametrize("line", [
    # real article lines: headlines, subheadings and sentences stay
    'Russia-US talks: Washington takes Moscow proposals "very seriously"',
    "Russia responds",
    "Russia denies plans to attack Ukraine",
    'Washington taking proposals "very seriously"',
    "How did you assess the negotiations in the United States?",
    "7.5 hours negotiations between representatives of Russia and the United States in Geneva lasted",
    "The negotiations lasted almost 8 hours",
    "Russia told the U.S. it has no plans to attack Ukraine;",
    "U.S. will continue consultations with allies and partners.",
    'The U.S. side was "firm" in pushing back on proposals that the West says are "non-starters," she said.',
    "Sherman, the No. 2 diplomat at the State Department, will meet with U.S. allies in Brussels ahead of "
    "a NATO-Russia meeting on Wednesday and an Organization for Security and Co-operation in Europe meeting "
    "in Vienna on Thursday.",
    "We are ready to continue discussions with Russia on the bilateral issues that we outlined at today’s "
    "meeting – as long as they are of a practical nature. Ned Price State Department spokesman",
    # hand-made near misses
    "By Monday, Russia had not replied.",
    "Source of the tension: NATO expansion",
    "Ryabkov (Рябков) spoke to reporters in Geneva",
    "Photographs of the delegations were released on Monday.",
    "NATO-Russia Council",
])
def test_line_rules_keep_article_lines(line):
    assert classify_line(line) is None


@pytest.mark.parametrize("line, prefix", [
    (" date 2022-01-10 Russian Deputy Foreign Minister Sergei Ryabkov praised the talks.", " date 2022-01-10 "),
    ("GENEVA, Jan 10 (Reuters) - Russia said talks were difficult.", "GENEVA, Jan 10 (Reuters) - "),
    ("MOSCOW, January 10. /TASS/. Russia said talks were difficult.", "MOSCOW, January 10. /TASS/. "),
    ("2022-01-10 Russia said talks were difficult.", "2022-01-10 "),
    ("January 10 was the day the talks began.", None),
    ("The date 2022-01-10 was fixed in December.", None),
    ("Date night in Geneva ended early.", None),
])
def test_dateline_prefix_is_trimmed_as_partial_row(line, prefix):
    cleaned = clean_text(line)
    trimmed = [row for row in cleaned.log if row.rule == "dateline_prefix"]
    if prefix is None:
        assert trimmed == [] and cleaned.text == line
    else:
        assert [(row.char_start, row.text) for row in trimmed] == [(0, prefix)]
        assert cleaned.text == line[len(prefix):]


@pytest.mark.parametrize("raw, headline, rule, line_no", [
    # stray caption repeated inside the next line (seed 000, lines 4-5)
    ("US Deputy Secretary of State\nEarlier, US Deputy Secretary of State Wendy Sherman said so.",
     "unknown", "caption_fragment", 0),
    ("Teaser of another story here\nTalks end\nThe talks ended.", "Talks end", "above_headline", 0),
    ("The talks ended on Monday.\nRelated Posts\nOther story\nAnother story", "unknown", "related_posts", 3),
    ("The talks ended on Monday.\nWe had a frank discussion today.\n\n"
     "— Wendy Sherman (@DepSecState) January 10, 2022\nMore text.", "unknown", "social_embed", 1),
    ("Talks end\nThe talks ended on Monday.\n Talks  end ", "Talks end", "duplicate_headline", 2),
    ("The talks ended on Monday in Geneva.\nMore text.\nThe talks ended on Monday in  Geneva.",
     "unknown", "duplicate_block", 2),
])
def test_structure_rule_fires(raw, headline, rule, line_no):
    rows = {row.line_no: row.rule for row in clean_text(raw, headline=headline).log}
    assert rows.get(line_no) == rule


@pytest.mark.parametrize("raw, headline, kept", [
    # a real subheading followed by a paragraph that does not repeat it
    ("Russia responds\nMoreover, President Vladimir Putin had said last month that Moscow pursues peace.",
     "unknown", 2),
    # a question subheading (ends with a mark) even if repeated in the next line
    ("How did you assess the negotiations?\nHow did you assess the negotiations? he was asked.", "unknown", 2),
    # short lines repeat without being duplicates (below min_chars)
    ("Key statements:\nThe talks ended.\nKey statements:\nNATO replied.", "unknown", 4),
    # phrase only inside a longer word of the next line
    ("Deputy Secretary of Stat\nDeputy Secretary of Stately homes were visited.", "unknown", 2),
    # a tail heading before any article text does not swallow the article
    ("Related Posts\nThe talks ended on Monday.", "unknown", 1),
    # the headline repeated inside the next line is not a caption
    ("Talks end in Geneva today\nTalks end in Geneva today, officials said.", "Talks end in Geneva today", 2),
])
def test_structure_rules_keep_article_lines(raw, headline, kept):
    cleaned = clean_text(raw, headline=headline)
    assert cleaned.text.split("\n") == raw.split("\n")[-kept:]


@pytest.mark.parametrize("lines, headline, expected", [
    (["Contact Us", "", "Moscow says breakthrough needed"], "Moscow says breakthrough needed", 2),
    (["\ufeff Talks\u00a0 end "], "Talks end", 0),
    (["Talks end"], "unknown", None),
    (["Talks ended"], "Talks end", None),
])
def test_find_headline(lines, headline, expected):
    assert find_headline(lines, headline) == expected


def test_headline_becomes_first_line_of_text():
    cleaned = clean_text("Subscribe\n\nTalks end\nThe talks ended.", headline="Talks end")
    assert cleaned.text.split("\n")[0] == "Talks end" and cleaned.headline_in_text


@pytest.mark.parametrize("article_id", SEED_IDS)
def test_seed_reconstructs_byte_identical(article_id):
    raw_bytes = (paths.CORPUS_DIR / METADATA.loc[article_id, "file"]).read_bytes()
    cleaned = seed_cleaned(article_id)
    assert reconstruct_raw(cleaned.text, cleaned.log).encode("utf-8") == raw_bytes


@pytest.mark.parametrize("article_id", SEED_IDS)
def test_seed_line_counts_add_up(article_id):
    cleaned = seed_cleaned(article_id)
    whole_lines = [row for row in cleaned.log if row.rule not in PARTIAL_RULES]
    assert cleaned.n_kept_lines == len(cleaned.text.split("\n"))
    assert cleaned.n_kept_lines + len(whole_lines) == cleaned.n_raw_lines == len(seed_raw(article_id).split("\n"))
    assert len({row.line_no for row in whole_lines}) == len(whole_lines)


@pytest.mark.parametrize("article_id", SEED_IDS)
def test_seed_log_rows_quote_the_raw_line(article_id):
    raw_lines = seed_raw(article_id).split("\n")
    for row in seed_cleaned(article_id).log:
        assert raw_lines[row.line_no][row.char_start:row.char_end] == row.text


CHROME = [
    "Contact Us", "Subscribe", "WORLD", "Agencies and A News", "Published January 10,2022", "Picture: RIA Novosti",
    "Ru-Main, 11.01.2022", "Source: RT", "Related Posts", "Leave a Reply", "Your email address",
    "@AlMayadeenNews", "pic.twitter.com", " date 2022-01-10", "\u00a0", "\n\n",
]


@pytest.mark.parametrize("article_id", SEED_IDS)
def test_seed_text_has_no_page_material(article_id):
    text = seed_cleaned(article_id).text
    assert [chrome for chrome in CHROME if chrome in text] == []
    assert text == text.strip() and all(line == line.strip() for line in text.split("\n"))


def test_every_chrome_string_was_in_some_raw_seed():
    raw = "".join(seed_raw(article_id) for article_id in SEED_IDS)
    assert [chrome for chrome in CHROME if chrome not in raw] == []


@pytest.mark.parametrize("article_id, headline_first", [
    ("000_a7eefb9413371b4f", True), ("001_de0073bae24aa22f", True), ("002_17a7bf79769edb64", True),
    ("003_aa533c3f44658142", False), ("004_1ac8fcbc1455d090", True),
])
def test_seed_headline(article_id, headline_first):
    cleaned = seed_cleaned(article_id)
    assert cleaned.headline_in_text is headline_first
    assert (cleaned.text.split("\n")[0] == METADATA.loc[article_id, "headline"]) is headline_first


def test_seed_004_body_appears_once():
    raw, text = seed_raw("004_1ac8fcbc1455d090"), seed_cleaned("004_1ac8fcbc1455d090").text
    body_lines = {line.strip("\u00a0 ") for line in raw.split("\n") if len(line.strip("\u00a0 ")) > 20}
    assert all(raw.count(line) == 2 for line in body_lines)
    assert {line: text.count(line) for line in body_lines} == dict.fromkeys(body_lines, 1)


def test_seed_000_arabic_post_is_foreign_language_and_attribution_is_social_embed():
    rules = {row.line_no: (row.rule, row.text) for row in seed_cleaned("000_a7eefb9413371b4f").log}
    assert rules[12] == ("foreign_language", ARABIC_POST)
    assert rules[13][0] == "social_embed"


def test_seed_000_caption_fragment_but_subheadings_kept():
    cleaned = seed_cleaned("000_a7eefb9413371b4f")
    assert {row.line_no: row.rule for row in cleaned.log} == {4: "caption_fragment", 12: "foreign_language",
                                                            13: "social_embed"}
    assert {"Russia responds", "Russia denies plans to attack Ukraine"} <= set(cleaned.text.split("\n"))


def test_seed_003_dateline_is_partial_row_and_subheadings_kept():
    cleaned = seed_cleaned("003_aa533c3f44658142")
    assert Counter(row.rule for row in cleaned.log) == {"blank": 20, "dateline_prefix": 1}
    assert cleaned.text.startswith("Russian Deputy Foreign Minister Sergei Ryabkov praised the talks")
    assert "How did you assess the negotiations in the United States?" in cleaned.text.split("\n")


@pytest.mark.parametrize("raw", [
    "\ufeffTalks end\r\nThe talks ended on Monday.\r\n",
    "\n\n\n",
    "\t The talks ended.\u00a0\u200b\nContact Us\n",
    " date 2022-01-10 The talks ended. \nGENEVA, Jan 10 (Reuters) - More text.\u00a0",
    "The talks ended.\nRelated Posts\nOther story\n\nAnother story",
])
def test_hand_made_raw_reconstructs_exactly(raw):
    cleaned = clean_text(raw, headline="Talks end")
    assert reconstruct_raw(cleaned.text, cleaned.log) == raw
    assert all(line == line.strip(EDGE_CHARS) and line for line in cleaned.text.split("\n") if cleaned.text)


def test_every_rule_in_the_seed_logs_has_a_description():
    descriptions = load_rules().descriptions
    rules_used = {row.rule for article_id in SEED_IDS for row in seed_cleaned(article_id).log}
    assert {rule: descriptions.get(rule, "") for rule in rules_used if not descriptions.get(rule)} == {}


def test_edge_chars_cover_every_whitespace_character():
    whitespace = {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()}
    assert whitespace - set(EDGE_CHARS) == set()


def test_edge_chars_are_whitespace_and_zero_width_characters_only():
    whitespace = {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()}
    assert set(EDGE_CHARS) == whitespace | set(ZERO_WIDTH_CHARS)


@pytest.mark.parametrize("text, expected", [
    ("", ""),
    ("   ", ""),
    ("Russia responds", "Russia responds"),
    ("Russia  responds", "Russia responds"),
    (" Russia responds", "Russia responds"),
    ("Russia responds ", "Russia responds"),
    ("Russia\u00a0responds", "Russia responds"),
    ("Russia\u200bresponds\ufeff", "Russia responds"),
    ("Russia\u2060\u200c\u200dresponds", "Russia responds"),
    ("\tRussia\nresponds\r\x0b\x0c\x1c\x85", "Russia responds"),
    ("Russia\u2028responds\u3000\u202f", "Russia responds"),
    ("“Talks” – end… Genève", "“Talks” – end… Genève"),
    ("محادثات روسية\u00a0 أميركية", "محادثات روسية أميركية"),
])
def test_squeeze_spaces(text, expected):
    assert squeeze_spaces(text) == expected


@pytest.mark.parametrize("seed", SEED_IDS)
def test_squeeze_spaces_of_every_seed_line_is_split_and_join(seed):
    raw = (paths.CORPUS_DIR / METADATA.loc[seed, "file"]).read_text(encoding="utf-8")
    for line in raw.split("\n"):
        plain = " ".join(line.translate(dict.fromkeys(map(ord, ZERO_WIDTH_CHARS), " ")).split())
        assert squeeze_spaces(line) == plain, repr(line)


@pytest.mark.parametrize("first_line, is_caption", [
    ("US Deputy Secretary of State", True),
    ("US Deputy Secretary of State\u00a0", True),
    ("US Deputy Secretary of State \u200b", True),
    ("\u200bUS Deputy  Secretary of State", True),
    ("US Deputy Secretary of State:", False),
    ("US Deputy Secretary of State:\u00a0", False),
    ("US Deputy Secretary of State,\u200b\ufeff", False),
    ("US Deputy Secretary of State”\u2060", False),
    ("Secretary of State", True),
    ("State", False),
])
def test_caption_fragment_looks_at_the_last_visible_character(first_line, is_caption):
    phrase = " ".join(first_line.translate(dict.fromkeys(map(ord, ZERO_WIDTH_CHARS), " ")).split())
    raw = f"{first_line}\nEarlier, {phrase} Wendy Sherman said so."
    rules = {row.line_no: row.rule for row in clean_text(raw).log}
    assert (rules.get(0) == "caption_fragment") == is_caption


@pytest.mark.parametrize("line, rule", [
    ("Russia and the United States ended talks in Geneva on Monday", None),
    ("Zürich, Genève and São Paulo: naïve café talks", None),
    ("Talks in Москва", None),  # too few non-Latin letters
    ("Переговоры в Женеве", "foreign_language"),
    ("Talks end: محادثات روسية أميركية موسَّعة", "foreign_language"),
])
def test_foreign_language_only_for_mostly_non_latin_letters(line, rule):
    verdict = classify_line(line)
    assert (verdict.rule if verdict else None) == rule


def test_reconstruct_raw_accepts_a_log_dataframe():
    raw = "\u00a0 Kept line\u00a0\nContact Us"
    cleaned = clean_text(raw)
    assert reconstruct_raw(cleaned.text, pd.DataFrame(cleaned.log)) == raw


@pytest.mark.parametrize("text, rows", [
    ("", [LogRow(1, 0, 3, "abc", "site_chrome", "")]),
    ("one\ntwo", [LogRow(0, 5, 6, " ", "edge_whitespace", "")]),
])
def test_reconstruct_raw_rejects_a_log_that_does_not_fit(text, rows):
    with pytest.raises(ValueError):
        reconstruct_raw(text, rows)


def write_rules(folder, text: str):
    path = folder / "extra_rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_researcher_rules_extend_and_disable(tmp_path):
    rules = load_rules(write_rules(tmp_path, (
        "line_rules:\n"
        "  site_chrome:\n"
        "    patterns:\n"
        "      - {pattern: 'watch: .{1,80}', detail: video teaser}\n"
        "  newsletter_box:\n"
        "    description: newsletter sign-up box\n"
        "    max_chars: 60\n"
        "    patterns:\n"
        "      - {pattern: 'get our daily briefing'}\n"
        "settings:\n"
        "  duplicate_block: {min_chars: 10}\n"
        "disabled: [caption_fragment]\n"
    )))
    assert classify_line("Watch: Ryabkov speaks", rules=rules).detail == "video teaser"
    assert classify_line("Get our daily briefing", rules=rules).rule == "newsletter_box"
    assert classify_line("Contact Us", rules=rules).rule == "site_chrome"
    assert rules.sources == (str(paths.CLEANING_RULES_FILE), str(tmp_path / "extra_rules.yaml"))
    raw = "US Deputy Secretary of State\nUS Deputy Secretary of State Wendy Sherman said so.\nKey points:\nKey points:"
    assert [row.rule for row in clean_text(raw, rules=rules).log] == ["duplicate_block"]


@pytest.mark.parametrize("text, problem", [
    ("line_rules: [unclosed", "not valid YAML"),
    ("line_rules:\n  site_chrome:\n    patterns:\n      - {pattern: '(unclosed'}\n", "not a valid regular expression"),
    ("line_rules:\n  site_chrome:\n    pattrens: []\n", "unknown key 'pattrens'"),
    ("line_rules:\n  site_chrome:\n    patterns:\n      - {detail: no pattern}\n", "has no 'pattern' key"),
    ("line_rules:\n  site_chrome:\n    patterns:\n      - {pattern: '{{weekdays}}'}\n", "undefined macro"),
    ("disabled: [captions]\n", "unknown"),
    ("disabled: [blank]\n", "cannot be disabled"),
    ("settings:\n  duplicate_block: {min_chars: many}\n", "wrong type"),
    ("partial_rules:\n  suffix_trim: {}\n", "partial rule"),
])
def test_bad_rules_file_raises_corpus_error(tmp_path, text, problem):
    path = write_rules(tmp_path, text)
    with pytest.raises(CorpusError) as error:
        load_rules(path)
    assert str(error.value).startswith(str(path)) and problem in str(error.value)


def test_characters_taken_as_no_non_latin_letter_are_none():
    from analysis import cleaning

    assert not any(cleaning._NON_LATIN_LETTER.match(char) for char in cleaning._NO_NON_LATIN_LETTER)
    assert {"é", "“", "—", "\u00a0"} <= cleaning._NO_NON_LATIN_LETTER
    assert not {"²", "Д", "ب"} & cleaning._NO_NON_LATIN_LETTER  # ² is a word character, not a digit

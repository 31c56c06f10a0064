"""Word tokens: hand-made and real cases, offsets that round-trip on every seed."""
from __future__ import annotations

import re

import pytest

from analysis import paths, tokens
from analysis.corpus import load_corpus
from analysis.tokens import count_words, iter_words, normalise, tokenize, tokens_table

RAW_SEEDS = sorted(paths.RAW_DIR.glob("*.txt"))
# Line 12 of seed 000: an embedded post in Arabic, with vowel marks (موسَّعة) and hashtags.
ARABIC_POST = RAW_SEEDS[0].read_text(encoding="utf-8").split("\n")[12]


@pytest.fixture(scope="module")
def articles():
    return load_corpus(paths.CORPUS_DIR)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", []),
        ("   \n ", []),
        ("Russia's", ["Russia's"]),
        ("Russia’s", ["Russia’s"]),
        ("don't can’t they’ll", ["don't", "can’t", "they’ll"]),
        ("Russians' demands", ["Russians", "'", "demands"]),
        ("“invasion”", ["“", "invasion", "”"]),
        ('"very seriously"', ['"', "very", "seriously", '"']),
        ("'attack' Ukraine", ["'", "attack", "'", "Ukraine"]),
        ("the U.S. and U.N.", ["the", "U.S.", "and", "U.N."]),
        ("U.S.-Russian issues", ["U.S.", "-", "Russian", "issues"]),
        ("at 9 a.m., e.g. now", ["at", "9", "a.m.", ",", "e.g.", "now"]),
        ("about 100,000 troops", ["about", "100,000", "troops"]),
        ("7.5 hours", ["7.5", "hours"]),
        ("4-5 minutes", ["4-5", "minutes"]),
        ("at 9:00 am", ["at", "9:00", "am"]),
        ("up 10%.", ["up", "10%", "."]),
        ("Ru-Main, 11.01.2022", ["Ru-Main", ",", "11.01.2022"]),
        ("January 10th, the 1990s", ["January", "10th", ",", "the", "1990s"]),
        ("a 10-year-old treaty", ["a", "10-year-old", "treaty"]),
        ("de-escalation", ["de-escalation"]),
        ("NATO-Russia meeting", ["NATO-Russia", "meeting"]),
        ("Co-operation in Europe", ["Co-operation", "in", "Europe"]),
        ("said – they", ["said", "–", "they"]),
        ("They [NATO] have", ["They", "[", "NATO", "]", "have"]),
        ("No. 2 diplomat", ["No", ".", "2", "diplomat"]),
        ("Zürich café naïve", ["Zürich", "café", "naïve"]),
        ("محادثات روسية أميركية موسَّعة", ["محادثات", "روسية", "أميركية", "موسَّعة"]),
        ("الضمانات الأمنية، تفاصيلها", ["الضمانات", "الأمنية", "،", "تفاصيلها"]),
        ("#روسيا @moussaassi", ["#", "روسيا", "@", "moussaassi"]),
    ],
)
def test_tokenize(text, expected):
    tokens = tokenize(text)
    assert [token.text for token in tokens] == expected
    assert all(text[token.start:token.end] == token.text for token in tokens)


@pytest.mark.parametrize(
    "text, words",
    [
        ("", 0),
        ("“ ” – ; .", 0),
        ("The U.S. side was “firm”.", 5),
        ('Moscow "explained to our colleagues that we have no plans, no intentions to '
         "'attack' Ukraine.\"", 15),
        ("about 100,000 troops, 7.5 hours, 4-5 minutes", 7),
        (ARABIC_POST, 24),  # 19 Arabic words (vowel marks inside), handle, 4 in the link
    ],
)
def test_count_words(text, words):
    assert count_words(text) == words
    assert len(list(iter_words(text))) == words


@pytest.mark.parametrize(
    "token, options, expected",
    [
        ("Russia’s", {}, "russia's"),
        ("Russia's", {}, "russia's"),
        ("NATO’s", {"lower": False}, "NATO's"),
        ("NATO’s", {"straight_apostrophes": False}, "nato’s"),
        ("Russia’s", {"drop_possessive": True}, "russia"),
        ("Russia’s", {"drop_possessive": True, "straight_apostrophes": False, "lower": False},
         "Russia"),
        ("don’t", {"drop_possessive": True}, "don't"),
        ("U.S.", {}, "u.s."),
        ("“", {}, "“"),
    ],
)
def test_normalise(token, options, expected):
    assert normalise(token, **options) == expected


def check_round_trip(text: str) -> None:
    tokens = tokenize(text)
    assert all(text[token.start:token.end] == token.text for token in tokens)
    assert all(left.end <= right.start for left, right in zip(tokens, tokens[1:]))
    assert "".join(token.text for token in tokens) == re.sub(r"\s+", "", text)


@pytest.mark.parametrize("seed", RAW_SEEDS, ids=lambda path: path.name[:3])
def test_offsets_round_trip_on_raw_seed(seed):
    check_round_trip(seed.read_text(encoding="utf-8"))


def test_offsets_round_trip_on_cleaned_seeds(articles):
    for text in articles["text"]:
        check_round_trip(text)


def test_tokens_table_agrees_with_tokenize(articles):
    text = articles["text"].iloc[2]
    table = tokens_table(text)
    assert list(table.columns) == ["start", "end", "text", "is_word", "norm"]
    assert table[["start", "end", "text"]].values.tolist() == [list(token) for token in tokenize(text)]
    assert table.loc[table["is_word"], "text"].tolist() == [token.text for token in iter_words(text)]
    assert table["norm"].tolist() == [normalise(token) for token in table["text"]]
    assert table["start"].dtype == "int64" and table["is_word"].dtype == bool


def test_tokens_table_of_empty_text():
    table = tokens_table("")
    assert table.empty and list(table.columns) == ["start", "end", "text", "is_word", "norm"]


# The word pattern in its plain form: initialisms, numbers, words, tried in this order at each
# position. tokens.WORD_TOKEN_PATTERN is written for speed and must find exactly these tokens.
_PLAIN_WORD = rf"\w+(?:[{tokens._MARKS}]+\w*)*"
PLAIN_WORD_TOKEN_PATTERN = re.compile(
    rf"""
    (?:[A-Za-z]\.){{2,}}
  | \d+(?:[.,:/-]\d+)*%?(?![\w{tokens._MARKS}]|[-'’]\w)
  | {_PLAIN_WORD}(?:['’]{_PLAIN_WORD})*(?:-{_PLAIN_WORD}(?:['’]{_PLAIN_WORD})*)*
    """,
    re.VERBOSE,
)
PLAIN_TOKEN_PATTERN = re.compile(rf"{PLAIN_WORD_TOKEN_PATTERN.pattern}|\S", re.VERBOSE)


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text)]


@pytest.mark.parametrize(
    "text",
    [
        "", "U.S. U.S.A. a.m. e.g.: U.", "x.y.z a.b", "A.1.", "U.S", "U.S.-Russian",
        "1.a. ü.s. _.a.b. 3.U.S.",
        "1 10 100,000 7.5 9:00 4-5 10% 10th 1990s 10-year-old 5'6 7’s 2022-01-10 1/2 3.",
        "4-5-6 4- 4-a 4_5 ٣٤٥ ٣-٤ 12a 1.2.3.4 1,2,3% 1%2",
        "Russia's Russia’s Russians' don't rock'n'roll de-escalation NATO-Russia a--b a-'b",
        "x-y’z co-op’s re- -re 'quoted' ’tis _under_score_ __ snake_case2",
        "cafe\u0301 e\u0301\u0308x \u0301a موسَّعة مُحَادَثَات \u0651\u0651 a\u0301-b\u0301’c",
        "Zürich naïve ΣΑΣ Москва 北京 한국어 ﬁnance Ǆemal",
        "“invasion,” (see p. 3) — [NATO] #روسيا @moussaassi https://t.co/AbC123",
        "a.\u00a0b\tc\nd.e.\u200bf",
    ],
)
def test_word_pattern_finds_the_tokens_of_its_plain_form(text):
    assert spans(tokens.WORD_TOKEN_PATTERN, text) == spans(PLAIN_WORD_TOKEN_PATTERN, text)
    assert spans(tokens.TOKEN_PATTERN, text) == spans(PLAIN_TOKEN_PATTERN, text)


@pytest.mark.parametrize("seed", RAW_SEEDS, ids=lambda path: path.name[:3])
def test_word_pattern_finds_the_tokens_of_its_plain_form_on_raw_seed(seed):
    text = seed.read_text(encoding="utf-8")
    assert spans(tokens.WORD_TOKEN_PATTERN, text) == spans(PLAIN_WORD_TOKEN_PATTERN, text)
    assert spans(tokens.TOKEN_PATTERN, text) == spans(PLAIN_TOKEN_PATTERN, text)


WORD_COUNT_TEXTS = [
    "", " \n\t", "The U.S. side was “firm”.", "about 100,000 troops, 7.5 hours, 4-5 minutes",
    "5- x 5' y 5’ 5-a 5'b a.m.\u00a0U.S.\u2009x", "cafe\u0301 e\u0301\u0308x \u0301a موسَّعة", ARABIC_POST,
]


def test_word_counts_are_count_words_of_each_text():
    texts = WORD_COUNT_TEXTS + [path.read_text(encoding="utf-8") for path in RAW_SEEDS]
    texts += [line for text in texts for line in text.split("\n")]  # chunks repeat across texts
    counts = tokens.word_counts(texts)
    assert counts.dtype == "int64" and counts.tolist() == [count_words(text) for text in texts]
    assert tokens.word_counts([]).tolist() == []


def test_characters_beyond_ascii_are_distinct_sorted_and_survive_a_lone_surrogate():
    assert tokens.characters_beyond_ascii("plain ASCII, 100%") == []
    assert tokens.characters_beyond_ascii("é–é\u00a0") == ["\u00a0", "é", "–"]
    assert tokens.characters_beyond_ascii("bad \ud800 text") == ["\ud800"]

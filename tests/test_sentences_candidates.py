"""The numpy search for Punkt's candidate sentence ends finds what its pattern finds."""
from __future__ import annotations

import random

import pytest
from pandas.testing import assert_frame_equal

from analysis import sentences
from analysis.corpus import load_corpus
from analysis.errors import CorpusError

_PIECES = [
    "word", "U.S.", "No", "3.5", "x", "É", "😀", ".", "?", "!", "...", "…", " ", "  ", "\n", "\n\n", "\t", "\r",
    "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u1680", "\u2000", "\u2028", "\u3000", "\ufeff",
    ")", "\"", ";", "}", "]", "*", ":", "@", "'", "(", "{", "[", "‘", "’", "“", "”", "«", "»", ",", "-", "—",
]


def _pattern_matches(text: str) -> list[list[int]]:
    """Mark, next token start (-1 for none) and after_tok end of each match of Punkt's pattern."""
    matches = list(sentences._PERIOD_CONTEXT.finditer(text))
    return [[match.start() for match in matches],
            [match.start(sentences._NEXT_TOKEN) for match in matches],
            [match.end(sentences._AFTER_TOKEN) for match in matches]]


def _random_text(generator: random.Random) -> str:
    return "".join(generator.choice(_PIECES) for _ in range(generator.randint(0, 40)))


@pytest.mark.parametrize("seed", range(6))
def test_candidates_are_the_pattern_matches(seed):
    generator = random.Random(seed)
    for _ in range(500):
        text = _random_text(generator)
        found = sentences._candidates(text)
        assert [column.tolist() for column in found[:3]] == _pattern_matches(text), repr(text)


@pytest.mark.parametrize("text", ["", ".", ". ", ".  ", "a.b", "a. b", "a.\u3000\u3000b c", "a.”", "!?!", "a.\x1cb"])
def test_candidates_of_edge_texts(text):
    found = sentences._candidates(text)
    assert [column.tolist() for column in found[:3]] == _pattern_matches(text)


def test_last_blank_before_each_mark_is_punkts_whitespace():
    text = "a.\tb. c\u3000d.\x1ce. \nf.\rg\xa0h. i"
    found = sentences._candidates(text)
    assert found.last_blank.tolist() == [max((index for index, char in enumerate(text[:mark]) if char in " \t\n\r\x0b\x0c"),
                                             default=-1) for mark in found.mark.tolist()]


@pytest.mark.parametrize("seed", range(3))
def test_candidates_of_lines_in_pieces_are_those_inside_each_line(seed, monkeypatch):
    """Pieces of a few lines: the candidates inside a line are those of the line alone."""
    monkeypatch.setattr(sentences, "_CANDIDATE_PIECE_CHARS", 64)
    generator = random.Random(seed)
    lines = [_random_text(generator).replace("\n", " ") for _ in range(300)]
    found = sentences._lines_breaks(lines)
    monkeypatch.setattr(sentences, "_CANDIDATE_PIECE_CHARS", 1 << 30)
    whole = sentences._lines_breaks(lines)
    assert [column.tolist() for column in found[1:]] == [column.tolist() for column in whole[1:]]


def test_table_of_articles_out_of_order_is_sorted_by_article():
    articles = load_corpus()
    in_order = sentences.sentences_table(articles)
    reversed_order = sentences.sentences_table(articles.iloc[::-1].reset_index(drop=True))
    assert not articles["article_id"].iloc[::-1].is_monotonic_increasing
    assert_frame_equal(reversed_order, in_order, check_exact=True)


def test_text_column_of_objects_is_checked_value_by_value():
    articles = load_corpus()
    as_objects = articles.astype({"text": object})
    assert_frame_equal(sentences.sentences_table(as_objects), sentences.sentences_table(articles), check_exact=True)
    with pytest.raises(CorpusError, match="has no cleaned text"):
        sentences.sentences_table(as_objects.assign(text=[1, *as_objects["text"].iloc[1:]]))


def test_plain_context_decisions_with_a_comma_are_punkt_decisions():
    params = sentences._punkt_parameters()
    words = sorted(word for word in params.abbrev_types | params.sent_starters | {"a", "i", "j", "said", "west"}
                   if word.isalpha() and word.isascii())
    forms = sorted({form for word in words for form in (word, word.upper(), word.capitalize())})
    contexts = [f"{before}. {after}," for before in forms for after in random.Random(0).sample(forms, 12)]
    punkt, decide = sentences._punkt(), sentences._is_sentence_break.__wrapped__
    assert len(contexts) > 1000
    assert [decide(context) for context in contexts] == [punkt.text_contains_sentbreak(context) for context in contexts]


_LINE_PIECES = [
    "The", "talks", "ended", "said", "by", "U.S.", "J.", "o'clock", "2", "of", "the", "State", "Minister",
    "Secretary", "spokesman", "Deputy", "Foreign", "Ned", "Price", "Sergey", "Ryabkov", "O’Brien", "José",
    ".", ",", ":", "“", "”", "(", ")", "–", "!", "?", "\n", "Ned Price State Department spokesman",
    "Sergey Ryabkov Deputy Foreign Minister of Russia", "Wendy Sherman First Deputy Secretary of State",
]


@pytest.mark.parametrize("seed", range(4))
def test_attribution_tail_is_the_first_match_of_the_pattern(seed):
    """The searched suffix and its memory change nothing: the pattern's first match in the line."""
    generator = random.Random(seed)
    pattern = sentences._attribution_pattern()
    for _ in range(3000):
        line = " ".join(generator.choice(_LINE_PIECES) for _ in range(generator.randint(1, 16)))
        match = pattern.search(line) if line.rstrip()[-1:].isalpha() else None
        assert sentences.find_attribution_tail(line) == (match.start("tail") if match else None), repr(line)

"""Plain matches found by looking up runs of word characters equal those of the full plain regex."""
import dataclasses
import re

import numpy as np
import pytest

from analysis import codebook, measures
from analysis.codebook import MATCH_SECTIONS, compile_matcher, load_codebook

PIECES = [" ", "  ", "\u00a0", "\u2009", "-", "’", "'", "“", ",", ".", "\x00", "_", "é", "7", "s", "\n"]
KEYS = ["kiev", "kiev-", "so called", "so-called", "russia's side", "russia", "de-escalation", "west bank",
        "build up", "nato’s", "us-", "2022", "a", "é", "u.s.", "u.n", "united states", "united states of america",
        "ned price", "ned"]

NEAR_MISSES = ["united-states", "united,states", "united  states", "united\u00a0states", "united states", "u.s", "u.s,",
               "u,s.", "u.s.a", "U.S.", "x u.s", "ned-price", "ned  price", "de escalation", "de--escalation",
               "de-escalation", "west\nbank", "west-bank", "build,up", "kiev-", "kiev--", "kiev"]


def _random_texts(words, seed, n=300):
    rng = np.random.default_rng(seed)
    single_words = sorted({word for phrase in words for word in re.findall(r"\w+", phrase)})
    vocabulary = list(words) + single_words + ["talks", "Kiev", "RUSSIAN", "soviet", "délégation", "ryabkovs"]
    texts = []
    for _ in range(n):
        parts = rng.choice(len(vocabulary) + len(PIECES), size=rng.integers(0, 14))
        texts.append("".join(vocabulary[p] if p < len(vocabulary) else PIECES[p - len(vocabulary)] for p in parts))
    return texts


def _regex_matches(matcher, lowered):
    return [(m.start(), m.group(m.lastindex)) for m in matcher.plain.finditer(lowered)]


@pytest.fixture(scope="module")
def matcher():
    return compile_matcher(load_codebook(), MATCH_SECTIONS)


def test_word_runs_find_what_the_plain_regex_finds_in_random_text(matcher):
    words = matcher.plain_words.words
    for seed in range(3):
        texts = _random_texts([f"{a} {b}" for a, b in zip(words, words[1:])] + list(words), seed)
        for text in [*texts, "\x00".join(texts)]:
            lowered = text.lower()
            assert measures._plain_matches(lowered, matcher) == _regex_matches(matcher, lowered), text


def test_keys_without_a_second_word_and_with_apostrophes_are_found(matcher):
    keys = [codebook.plain_key(key) for key in KEYS]
    own = dataclasses.replace(matcher, plain=re.compile(codebook._plain_source(keys)), plain_words=codebook.plain_words(keys))
    assert own.plain_words.open_rest[own.plain_words.words.index("kiev")]
    assert set(own.plain_words.two_word_keys) == {"de-escalation", "west bank", "build up", "u.s.", "u.n", "ned price"}
    for text in [*NEAR_MISSES, *_random_texts(KEYS, seed=11, n=500)]:
        lowered = text.lower()
        assert measures._plain_matches(lowered, own) == _regex_matches(own, lowered), text


def test_word_characters_are_what_re_reads_as_word_characters():
    text = "a_Z9 é’ß\u00a0\u0663\u00b2\u2167\u05d0\ud800\x00-"
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    assert measures._word_characters(codes).tolist() == [bool(re.match(r"\w", ch)) for ch in text]


def test_piece_positions_are_where_find_finds_each_piece():
    pieces = ["no ", "no plans", "7", "u.s.", "what ", "a", "s"]
    for text in _random_texts(["no", "plans", "u.s.", "what", "7.5", "US"], seed=5, n=200) + ["", "s", "7"]:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        found = measures._piece_positions(codes, pieces)
        for piece in pieces:
            assert found[piece].tolist() == [i for i in range(len(text)) if text.startswith(piece, i)], (text, piece)


def test_special_candidates_are_what_the_full_special_scan_finds_in_random_text(matcher):
    words = ["what", "he", "called", "us", "US", "U.S.", "Price", "seven", "7.5", "hours", "no", "plans", "of",
             "attack", "troops", "allegedly", "amassed", "missiles", "sanctions", "on", "Russia's", "demands"]
    for text in _random_texts(words, seed=9, n=400):
        lowered = text.lower()
        if len(lowered) != len(text) or measures._folds_to_ascii(text):
            continue
        special = [(m.regs[g][0], m.regs[g][1], label) for m in matcher.special.finditer(text)
                   for g, label in matcher.special_groups if m.regs[g][1] > m.regs[g][0]]
        assert [tuple(span) for span in measures._special_spans(text, lowered, matcher).tolist()] == special, text

"""The batch scorer (``_ExactFastVader.polarity_rows``) gives exactly vaderSentiment 3.3.2's scores.

It splits many texts at once with Arrow, scores in numpy every text whose valences no VADER
rule can change (the "but" rule included) and leaves the others to ``polarity_scores``; every
check compares all four values with exact float equality against the library's own
``SentimentIntensityAnalyzer().polarity_scores``.
"""
from __future__ import annotations

import random

import numpy as np
import pytest
from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SPECIAL_CASES, SentimentIntensityAnalyzer

from analysis import sentiment

VADER = SentimentIntensityAnalyzer()
RULE_WORDS = ["but", "BUT", "But", "kind", "of", "no", "No", "least", "at", "very", "never", "so", "this",
              "without", "doubt", "or", "nor", "isn't", "not", "!", "!!", "?", "??", ":)", "<3", ",", "."]
SPACES = [" ", " ", " ", "  ", "\n", "\t", "\r\n", "\x0b", "\x0c", "\xa0", "\x1c", "\u2003", "\u3000", ", ", ""]


def _library_rows(texts: list[str]) -> np.ndarray:
    return np.array([[VADER.polarity_scores(text)[column] for column in sentiment.SCORE_COLUMNS] for text in texts])


def _assert_same_floats(found: np.ndarray, expected: np.ndarray) -> None:
    assert found.shape == expected.shape
    assert np.array_equal(found, expected)
    assert np.array_equal(np.signbit(found), np.signbit(expected))


def _random_texts(n_texts: int, *, seed: int, rule_weight: int, all_kinds: bool = True) -> list[str]:
    """Random texts of lexicon words, ordinary words, boosters, negations and rule words, with
    ``rule_weight`` setting how often rule words come; ``all_kinds`` adds idiom words, emoji
    and every kind of space (texts numpy leaves to ``polarity_scores``)."""
    rng = random.Random(seed)
    lexicon = rng.sample(sorted(VADER.lexicon), 300)
    plain = ["talks", "Geneva", "NATO", "the", "were", "said", "Moscow", "“lost”", "sanctions.", "US", "é"]
    special = sorted({word for case in SPECIAL_CASES for word in case.split()}) if all_kinds else ["talks"]
    emoji = ["😀", "©", "❤"] if all_kinds else ["talks"]
    pools = [lexicon, plain, sorted(BOOSTER_DICT), NEGATE, RULE_WORDS, special, emoji]
    weights = [6, 8, 1, 1, rule_weight, 1, 1]
    shapes = [str, str, str, str, str.upper, str.capitalize]
    spaces = SPACES if all_kinds else [" ", " ", "  ", "\n", ", "]
    texts = []
    for _ in range(n_texts):
        words = [rng.choice(shapes)(rng.choice(rng.choices(pools, weights)[0])) for _ in range(rng.randint(0, 20))]
        text = "".join(word + rng.choice(spaces) for word in words)
        texts.append(rng.choice(["", " ", "\n", "\xa0"][:4 if all_kinds else 3]) + text
                     + rng.choice(["", ".", "!!!", "??", "?!", " "]))
    return texts


@pytest.mark.parametrize("seed, rule_weight", [(1, 0), (2, 1), (3, 4)])
def test_batch_scores_equal_vader_on_random_texts(seed, rule_weight):
    texts = _random_texts(2000, seed=seed, rule_weight=rule_weight)
    _assert_same_floats(sentiment._ExactFastVader().polarity_rows(texts), _library_rows(texts))


@pytest.mark.parametrize("seed, rule_weight", [(5, 1), (6, 3), (7, 8)])
def test_batch_scores_equal_vader_where_numpy_applies_the_word_rules(seed, rule_weight):
    texts = _random_texts(3000, seed=seed, rule_weight=rule_weight, all_kinds=False)
    scorer = sentiment._ExactFastVader()
    chunks = scorer._text_chunks(texts)
    valence = chunks.distinct.valence[chunks.codes]
    ruled, left = sentiment._word_rules(chunks, valence, np.bincount(chunks.rows, minlength=len(texts)))
    assert (np.bincount(chunks.rows[ruled != valence], minlength=len(texts)) > 0)[~left].sum() > 1000
    _assert_same_floats(scorer.polarity_rows(texts), _library_rows(texts))


def test_batch_scores_equal_vader_where_the_but_rule_finds_an_equal_value_first():
    # VADER changes the first value equal to the one it visits: with x and x / 2 before a
    # "but", or x and x * 1.5 across it, values are changed twice or not at all.
    by_valence = {}
    for word, valence in sorted(VADER.lexicon.items()):
        if word.isalpha() and word not in BOOSTER_DICT:
            by_valence.setdefault(valence, word)
    halves = [(by_valence[v], by_valence[v / 2]) for v in by_valence if v / 2 in by_valence][:20]
    thirds = [(by_valence[v], by_valence[v * 1.5]) for v in by_valence if v * 1.5 in by_valence][:20]
    assert len(halves) >= 5 and len(thirds) >= 5
    texts = [text for big, small in halves for text in
             (f"{big} {small} but talks", f"{small} talks {big} but {big}", f"{big} but {big} {small}")]
    texts += [text for small, big in thirds for text in (f"{small} but {big}", f"{big} {small} but {small} {big}")]
    texts += ["good but good", "bad bad but bad", "good good good but", "but good", "nice BUT nice!"]
    _assert_same_floats(sentiment._ExactFastVader().polarity_rows(texts), _library_rows(texts))


def test_batch_scores_of_texts_without_words():
    texts = ["", " ", "\n\t", "\xa0", "...", "!!!", "??", "😀", "Talks.", "Talks ended in Geneva!!!"]
    _assert_same_floats(sentiment._ExactFastVader().polarity_rows(texts), _library_rows(texts))
    assert sentiment._ExactFastVader().polarity_rows([]).shape == (0, len(sentiment.SCORE_COLUMNS))


def test_only_texts_numpy_cannot_score_are_scored_one_by_one(monkeypatch):
    scorer = sentiment._ExactFastVader()
    one_by_one = []
    scores_one = scorer.polarity_scores
    monkeypatch.setattr(scorer, "polarity_scores", lambda text: one_by_one.append(text) or scores_one(text))
    in_numpy = ["Good talks.", "Talks ended.", "No deal.", "GOOD TALKS!!", "Good, but bad??", "This deal.",
                "Not a deal, but good talks in Geneva today.", "good but good", "Not good.", "No good talks.",
                "GOOD talks.", "It was not very good", "Never so good", "Without doubt good", "at least good",
                "It isn't this good, but NOT VERY bad", "kind words"]
    # "abandoned" is -2.0 and "accusation" -1.0: halved before "but", the first equals the second
    left = ["abandoned accusation but", "It was kind of nice.", "The talks were the bomb.", "good 😀",
            "good\u2003talks", ""]
    rows = scorer.polarity_rows(in_numpy + left)
    assert one_by_one == left
    _assert_same_floats(rows, _library_rows(in_numpy + left))


def test_round_as_python_equals_round_next_to_halves():
    rng = np.random.default_rng(2022)
    near_halves = (np.arange(-1000, 1000) + 0.5) / 1000
    values = np.concatenate([rng.uniform(-1, 1, 20_000), near_halves, np.nextafter(near_halves, 2),
                             np.nextafter(near_halves, -2), [0.0, -0.0, 1.0, -1.0, 0.0285, 1e-9, -1e-9]])
    for digits in (3, 4):
        found = sentiment._round_as_python(values, digits)
        expected = np.array([round(value, digits) for value in values.tolist()])
        _assert_same_floats(found, expected)


def test_batches_of_texts_give_the_scores_of_one_batch(monkeypatch):
    texts = _random_texts(200, seed=4, rule_weight=2)
    whole = sentiment._ExactFastVader().polarity_rows(texts)
    monkeypatch.setattr(sentiment, "_MAX_BATCH_TEXTS", 7)
    _assert_same_floats(sentiment._ExactFastVader().polarity_rows(texts), whole)

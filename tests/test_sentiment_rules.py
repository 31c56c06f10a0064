"""VADER's word rules and scoring, written again in analysis.sentiment, against vaderSentiment 3.3.2.

``_valence_by_rules`` must give bit for bit the value of the library's ``sentiment_valence``
(boosters, negations and "n't", "no", "never so/this", "without doubt", "least", idioms,
"kind of", capitals), and ``_key_scores`` the library's ``score_valence``. Checked on
thousands of seeded sentences dense in those rules, word by word and through whole
``polarity_scores``, and on a sample of the 1k synthetic corpus's sentences when its
tables are cached.
"""
from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SPECIAL_CASES, SentimentIntensityAnalyzer, SentiText

from analysis import paths, sentiment
from analysis.corpus import load_corpus
from analysis.sentences import sentences_table

VADER = SentimentIntensityAnalyzer()
FAST = sentiment._analyzer()

LEXICON_WORDS = ["good", "bad", "great", "hate", "love", "nice", "war", "doubt", "kind", "no", "die", "heart",
                 "beating", "bomb", "shit", "ass", "kiss", "death", "right", "yeah", "stop", "hope", "threat",
                 "peace", "fears", "support", "crisis", "agree", "lost", "win"]
BOOSTERS = sorted(word for word in BOOSTER_DICT if " " not in word)
NEGATIONS = [*NEGATE, "isn't", "wasn't", "couldn't", "Don't", "won't", "ain't", "hasn't", "doesn't", "n't"]
PHRASES = ["never so", "never this", "so", "this", "least", "at least", "very least", "kind of", "sort of",
           "just enough", "without doubt", "without", "no", "or", "nor", "no or", "but", "BUT", "But",
           *[case for case in SPECIAL_CASES if " " in case]]
FILLERS = ["the", "talks", "were", "in", "Geneva", "it", "was", "a", "of", "to", "for", "at", "very", "and"]
PUNCTUATION = ["", "", "", ",", ".", "!", "?", "!!", "??", "?!"]
SHAPES = [str, str, str, str, str.upper, str.capitalize]


def _rule_sentences(n_sentences: int, *, seed: int) -> list[str]:
    """Seeded sentences of 1 to 20 words, dense in VADER's valence changers, in mixed case
    and with punctuation glued to words, some ending in ``!`` or ``?`` marks."""
    rng = random.Random(seed)
    pools = [LEXICON_WORDS, BOOSTERS, NEGATIONS, PHRASES, FILLERS]
    weights = [5, 3, 3, 4, 4]
    sentences = []
    for _ in range(n_sentences):
        shape = rng.choice(SHAPES) if rng.random() < 0.3 else None
        words = []
        for _ in range(rng.randint(1, 20)):
            word = rng.choice(rng.choices(pools, weights)[0])
            words.append((shape or rng.choice(SHAPES))(word) + rng.choice(PUNCTUATION))
        sentences.append(" ".join(words) + rng.choice(["", ".", "!", "!!!!!", "?", "???", "????"]))
    return sentences


RULE_SENTENCES = _rule_sentences(6000, seed=6)


def _library_valences(text: str) -> list:
    """The library's valence of each word of ``text`` before its "but" rule, from its own
    ``sentiment_valence`` (boosters and the "kind" of "kind of" take 0, as in its loop)."""
    sentitext = SentiText(text)
    words = sentitext.words_and_emoticons
    valences = []
    for i, item in enumerate(words):
        if item.lower() in BOOSTER_DICT or (i < len(words) - 1 and item.lower() == "kind" and
                                            words[i + 1].lower() == "of"):
            valences.append(0)
            continue
        VADER.sentiment_valence(0, sentitext, item, i, valences)
    return valences


def _valences_by_rules(text: str) -> list:
    """``_valence_by_rules`` of every lexicon word of ``text`` (the words the library scores
    with its lexicon), the library's own value for every other word."""
    sentitext = SentiText(text)
    lowered = [word.lower() for word in sentitext.words_and_emoticons]
    capitals = [word.isupper() for word in sentitext.words_and_emoticons]
    valences = _library_valences(text)
    for i, word in enumerate(lowered):
        is_kind_of = i < len(lowered) - 1 and word == "kind" and lowered[i + 1] == "of"
        if word in VADER.lexicon and word not in BOOSTER_DICT and not is_kind_of:
            valences[i] = sentiment._valence_by_rules(i, lowered, capitals, sentitext.is_cap_diff, VADER.lexicon)
    return valences


def test_rule_sentences_are_dense_in_rules():
    texts = " ".join(RULE_SENTENCES).lower()
    counts = {marker: texts.count(marker) for marker in
              ["never so", "never this", "least", "kind of", "n't", " but ", "the bomb", "without doubt", " no "]}
    assert min(counts.values()) > 100, counts


def test_valence_by_rules_is_bit_identical_to_sentiment_valence():
    differing = [text for text in RULE_SENTENCES
                 if list(map(repr, _valences_by_rules(text))) != list(map(repr, _library_valences(text)))]
    assert differing == []


def test_fast_scorer_equals_vader_on_sentences_dense_in_rules():
    fast = sentiment._ExactFastVader()
    differing = [text for text in RULE_SENTENCES if fast.polarity_scores(text) != VADER.polarity_scores(text)]
    assert differing == []


def test_scores_of_each_sentence_and_its_lower_and_upper_case_forms_equal_vaders():
    texts = [form for text in RULE_SENTENCES[:1500] for form in (text.lower(), text.upper(), "NOT " + text)]
    assert [FAST.polarity_scores(text) for text in texts] == [VADER.polarity_scores(text) for text in texts]


def test_key_scores_equal_score_valence_on_random_valences_and_marks():
    rng = random.Random(3)
    values = [0, 0, 0.0, -0.0, 3, 1.5, -2, 0.475, 1.9, -1.9, 2.4 * -0.74, 0.293, -0.293, 3.1, -3.4, 1.607]
    for _ in range(5000):
        valences = [rng.choice(values) for _ in range(rng.randint(1, 12))]
        text = "x" + "!" * rng.randint(0, 6) + "?" * rng.randint(0, 5)
        nonzero = tuple(filter(None, valences))
        if not nonzero:
            continue
        key = (nonzero, len(valences) - len(nonzero), text.count("!"), text.count("?"))
        assert sentiment._key_scores(*key) == VADER.score_valence(valences, text), (valences, text)


def test_every_multi_word_idiom_and_booster_phrase_holds_a_phrase_key_word():
    phrases = [phrase for phrase in [*SPECIAL_CASES, *BOOSTER_DICT] if " " in phrase]
    assert [phrase for phrase in phrases if sentiment._PHRASE_KEY_WORDS.isdisjoint(phrase.split())] == []


def _synthetic_sentences(folder: Path, n_articles: int) -> pd.Series:
    """Sentence texts of a synthetic corpus like the benchmarks' (benchmarks/make_corpus.py)."""
    if "make_corpus" not in sys.modules:  # the folder is not a package (as in tests/test_benchmarks.py)
        spec = importlib.util.spec_from_file_location("make_corpus", paths.BENCHMARKS_DIR / "make_corpus.py")
        sys.modules["make_corpus"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules["make_corpus"])
    sys.modules["make_corpus"].make_synthetic_corpus(folder, n_articles)
    return sentences_table(load_corpus(folder))["text"]


def test_fast_scorer_equals_vader_on_a_synthetic_corpus(tmp_path):
    texts = _synthetic_sentences(tmp_path, 200).drop_duplicates().tolist()
    fast = sentiment._ExactFastVader()
    differing = [text for text in texts if fast.polarity_scores(text) != VADER.polarity_scores(text)]
    assert len(texts) > 2000 and differing == []

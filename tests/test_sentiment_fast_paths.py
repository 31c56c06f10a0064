"""The fast scorer's shortcuts (reach of each valence changer, the word "no", the scores kept
per valence key) give exactly vaderSentiment 3.3.2's scores, all four values compared exactly."""
from __future__ import annotations

import random

import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis import sentiment

VADER = SentimentIntensityAnalyzer()

# One word of each kind of changer: booster, dampener, negation, "n't", "no", "never", "without",
# booster-phrase words, next-word-only changers, idiom words, and the words that complete them.
CHANGERS = ["very", "barely", "not", "isn't", "no", "never", "without", "so", "this", "least", "kind", "sort",
            "enough", "just", "of", "bomb", "the", "kiss", "death", "die", "to", "for", "at", "doubt", "or", "nor",
            "yeah", "right", "beating", "heart"]
FILLERS = ["talks", "were", "held", "in", "Geneva"]


def _placements(changer: str) -> list[str]:
    """``changer`` 0 to 4 words before and after a lexicon word, in plain and capital letters."""
    texts = []
    for gap in range(5):
        between = " ".join(FILLERS[:gap])
        for word in ("good", "GOOD", "bad"):
            texts.append(f"{changer} {between} {word} {' '.join(FILLERS)}")
            texts.append(f"{' '.join(FILLERS)} {word} {between} {changer} talks")
            texts.append(f"{changer.upper()} {between} {word} talks")
    return texts


@pytest.mark.parametrize("changer", CHANGERS)
def test_fast_scorer_equals_vader_at_every_distance_from_a_changer(changer):
    fast = sentiment._ExactFastVader()
    texts = _placements(changer)
    assert [fast.polarity_scores(text) for text in texts] == [VADER.polarity_scores(text) for text in texts]


@pytest.mark.parametrize("text", [
    "no", "No.", "no good", "no deal", "no talks", "no very good", "talks no", "NO deal was GOOD", "no no good",
    "There is no hope, no trust and no", "no kind of deal", "no or good", "Talks, no!", "no?? good!!",
])
def test_fast_scorer_equals_vader_on_the_word_no(text):
    assert sentiment._ExactFastVader().polarity_scores(text) == VADER.polarity_scores(text)


def test_texts_sharing_a_valence_key_get_vaders_own_scores_each():
    fast = sentiment._ExactFastVader()
    texts = ["Good talks.", "Talks good.", "GOOD talks.", "Good talks!", "Good talks in Geneva.", "Good, talks",
             "Good, sad talks.", "Sad, good talks.", "good talks?? yes??", "good talks ?", "Kind talks.", "Good"]
    assert [fast.polarity_scores(text) for text in texts] == [VADER.polarity_scores(text) for text in texts]
    assert len(fast._scores_by_key) < len(texts)


def test_kept_scores_are_copies_and_forgotten_past_the_limit(monkeypatch):
    fast = sentiment._ExactFastVader()
    monkeypatch.setattr(sentiment, "_MAX_CACHED_SCORES", 2)
    fast.polarity_scores("Good talks.")["compound"] = 99.0
    assert fast.polarity_scores("Good talks.") == VADER.polarity_scores("Good talks.")
    for text in ["Sad talks.", "Great talks.", "Bad talks."]:
        fast.polarity_scores(text)
    assert len(fast._scores_by_key) == 2  # cleared when "Great talks." came, 2 kept


@pytest.mark.parametrize("text", [
    # no chunk needs a rule: valences taken as they are (capitals of a word without valence change nothing)
    "NATO talks were good.", "The US and the EU welcomed the good news!!", "Good, sad talks??", "UN: good",
    # a lexicon word in capitals, "but" or a changer sends the text to the rules
    "NATO talks were GOOD.", "GOOD news", "Good talks, But sad news.", "good BUT bad", "NATO is not good.",
    "Talks were good, but.", "but", "But good", "good but", "NATO BUT US", "Good but NOT bad, BUT GOOD!",
])
def test_fast_scorer_equals_vader_with_and_without_a_chunk_that_needs_rules(text):
    texts = [text, text.lower(), text.upper(), "x " + text]
    assert [sentiment._ExactFastVader().polarity_scores(t) for t in texts] == [VADER.polarity_scores(t) for t in texts]


def test_weighing_around_but_equals_vaders_but_check_with_repeated_and_zero_valences():
    rng = random.Random(2022)
    values = [0, 0, 0.0, 1.9, -1.3, 0.95, 2.85, -0.65, 1.425, -1.95]  # halves and one-and-a-halves of each other
    for _ in range(3000):
        sentiments = [rng.choice(values) for _ in range(rng.randint(1, 12))]
        but = rng.randrange(len(sentiments))
        words = ["w"] * but + ["but"] + ["w"] * (len(sentiments) - but - 1)
        expected = SentimentIntensityAnalyzer._but_check(words, list(sentiments))
        sentiment._weigh_around_but(sentiments, but)
        assert sentiments == expected


def test_chunk_fields_are_forgotten_past_the_limit(monkeypatch):
    valences = sentiment._ChunkField(sentiment._ChunkFacts(VADER.lexicon), sentiment._valence)
    monkeypatch.setattr(sentiment, "_MAX_CACHED_CHUNKS", 3)
    for chunk in ["good", "bad", "talks", "sad."]:
        valences[chunk]
    assert list(valences) == ["sad."] and valences["sad."] == VADER.lexicon["sad"]


def _seed_sentences_and_quotes():
    from analysis.corpus import load_corpus
    from analysis.quotes import quotes_table
    from analysis.sentences import sentences_table

    articles = load_corpus()
    sentences = sentences_table(articles)
    return sentences, quotes_table(articles, sentences)


def test_voice_tables_are_the_same_from_object_and_default_string_columns():
    sentences, quotes = _seed_sentences_and_quotes()
    as_objects = sentences.astype({column: object for column in ["article_id", "outlet", "text"]})
    pieces = sentiment.split_voices(sentences, quotes)
    pd.testing.assert_frame_equal(sentiment.split_voices(as_objects, quotes), pieces, check_exact=True)
    scored = sentiment.score_sentence_table(sentences)
    voices = sentiment.score_voices(pieces, sentence_scores=scored)
    from_objects = sentiment.score_voices(pieces.astype({"text": object}),
                                          sentence_scores=scored.astype({"text": object}))
    pd.testing.assert_frame_equal(from_objects, voices, check_exact=True)
    assert (pieces["text"] != sentences.set_index(list(sentiment.SENTENCE_KEY)).loc[
        pd.MultiIndex.from_frame(pieces[list(sentiment.SENTENCE_KEY)]), "text"].to_numpy()).any()


def test_a_voice_of_non_ascii_letters_is_scored_and_one_of_marks_only_is_not():
    first, second = "Он сказал «Жуткая».", "«…» и ушёл."
    sentences = pd.DataFrame({"article_id": ["a", "a"], "outlet": ["X", "X"], "sentence_index": [0, 1],
                              "start": [0, 20], "end": [19, 31], "text": [first, second]})
    quotes = pd.DataFrame({"article_id": ["a", "a"], "start": [10, 20], "end": [18, 23],
                           "kind": ["direct", "direct"], "nested": [False, False]})
    voices = sentiment.score_voices(sentiment.split_voices(sentences, quotes))
    assert voices[["sentence_index", "voice", "text"]].values.tolist() == [
        [0, "narrator", "Он сказал  ."], [0, "quoted", "«Жуткая»"], [1, "narrator", " и ушёл."]]

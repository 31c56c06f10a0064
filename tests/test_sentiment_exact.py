"""The fast VADER scorer of analysis.sentiment gives exactly vaderSentiment 3.3.2's scores.

Every check compares all four values (``neg, neu, pos, compound``) with exact float
equality against the library's own ``SentimentIntensityAnalyzer().polarity_scores``.
"""
from __future__ import annotations

import random

import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SPECIAL_CASES, SentimentIntensityAnalyzer

from analysis import sentiment

VADER = SentimentIntensityAnalyzer()
FAST = sentiment._analyzer()

HAND_MADE = {
    # emoji: mixed with text, at start and end, glued to words, repeated, multi-character
    "emoji_in_text": "The talks went well 😀 and ended early.",
    "emoji_at_start": "😀 great talks",
    "emoji_at_end": "The talks failed 😢",
    "emoji_glued_to_words": "great😀talks😢failed",
    "emoji_only": "😀😀😀",
    "emoji_heart_sign": "I ❤ peace",
    "emoji_copyright": "© Reuters 2022: the talks failed.",
    "emoji_with_newline": "Good news\n😀\n",
    # emoticons
    "emoticon_smile": "The talks were fine :)",
    "emoticon_frown": "Talks collapsed :-(",
    "emoticon_heart": "<3 diplomacy",
    "emoticon_grin": "Deal done :D",
    # booster words, "kind of", "sort of"
    "kind_of": "The talks were kind of good.",
    "kind_at_end": "That was kind",
    "kind_of_at_end": "They were kind of",
    "sort_of": "A sort of victory.",
    "boosters": "An extremely bad and very good and slightly nice day.",
    "booster_in_caps": "The talks were VERY good.",
    "booster_dampener": "It was barely acceptable, hardly a success.",
    # negations
    "not_good": "The talks were not good.",
    "isnt": "This isn't good.",
    "dont": "We don't like ultimatums.",
    "never_so": "Relations were never so good.",
    "never_this": "It was never this bad.",
    "without_doubt": "Without doubt a good deal.",
    "not_very_good": "It was not very good.",
    "no_good": "No good will come of it.",
    "no_before_lexicon_word": "There is no hope and no trust.",
    "no_at_end": "The answer was no",
    "no_or": "No threat or danger was found.",
    "least": "This was the least good offer, at least honest, very least kind.",
    "least_at_start": "Least happy of all.",
    # "but"
    "but": "The talks were professional but difficult.",
    "two_buts": "Good but bad but nice.",
    "but_at_start": "But the deal failed.",
    "but_in_caps": "Great progress BUT serious threats remain.",
    # capitals and punctuation emphasis
    "all_caps_word": "The talks were GOOD.",
    "all_caps_sentence": "THE TALKS WERE GOOD.",
    "exclamations": "The talks were good!!!",
    "many_exclamations": "Terrible!!!!!!!",
    "two_questions": "Is this a threat??",
    "many_questions": "Is this war????",
    "mixed_marks": "Really?!?!",
    "no_valence_exclamations": "Talks ended in Geneva!!!",
    "no_valence_questions": "Did the talks end???",
    "valences_cancelling_out": "good bad!!!",
    # idioms
    "the_bomb": "This deal is the bomb.",
    "kiss_of_death": "That vote was the kiss of death for the plan.",
    "to_die_for": "A view to die for.",
    "yeah_right": "Yeah right, peace talks.",
    "bus_stop": "Meet at the bus stop.",
    "beating_heart": "The beating heart of Europe.",
    # whitespace
    "leading_trailing_spaces": "   good talks   ",
    "newlines": "\nThe talks failed.\n",
    "tabs_and_newlines": "\tGood\n\nbad\t",
    "empty": "",
    "only_spaces": "   ",
    "only_punctuation": "...!?,;:",
    "only_exclamations": "!!!",
    # other scripts and characters
    "accented": "Café talks were très bon — good.",
    "arabic": "المحادثات كانت جيدة",
    "arabic_with_english": "قال لافروف إن المحادثات good but tense",
    "cyrillic": "Переговоры были хорошими, great.",
    "curly_quotes": "He called it “a disaster” and ‘lost’ trust.",
    "repeated_word": "good good good good good",
    "repeated_negative_but": "bad bad bad but good good",
    "long_sentence": " ".join(["The talks were good, but the threats were serious and dangerous."] * 8),
}


@pytest.mark.parametrize("text", HAND_MADE.values(), ids=HAND_MADE.keys())
def test_fast_scorer_equals_vader_on_hand_made_cases(text):
    assert FAST.polarity_scores(text) == VADER.polarity_scores(text)


@pytest.mark.parametrize("text", HAND_MADE.values(), ids=HAND_MADE.keys())
def test_score_sentences_equals_vader_on_hand_made_cases(text):
    assert sentiment.score_sentences([text]).iloc[0].to_dict() == VADER.polarity_scores(text)


def _vader_table(texts) -> pd.DataFrame:
    """The library's scores of each text, as float columns in ``SCORE_COLUMNS`` order."""
    rows = [VADER.polarity_scores(text) for text in texts]
    return pd.DataFrame(rows, columns=list(sentiment.SCORE_COLUMNS), dtype="float64")


@pytest.fixture(scope="module")
def seed_tables():
    from analysis.corpus import load_corpus
    from analysis.quotes import quotes_table
    from analysis.sentences import sentences_table

    articles = load_corpus()
    sentences = sentences_table(articles)
    pieces = sentiment.split_voices(sentences, quotes_table(articles, sentences))
    return {"sentences": sentences, "pieces": pieces}


@pytest.mark.parametrize("table", ["sentences", "pieces"])
def test_fast_scorer_equals_vader_on_every_seed_text(seed_tables, table):
    texts = seed_tables[table]["text"].tolist()
    differing = [text for text in texts if FAST.polarity_scores(text) != VADER.polarity_scores(text)]
    assert differing == [] and len(texts) > 100


def test_score_sentence_table_equals_vader_on_every_seed_sentence(seed_tables):
    sentences = seed_tables["sentences"]
    scored = sentiment.score_sentence_table(sentences)[list(sentiment.SCORE_COLUMNS)].reset_index(drop=True)
    pd.testing.assert_frame_equal(scored, _vader_table(sentences["text"]), check_exact=True)


@pytest.mark.parametrize("reuse_sentence_scores", [False, True])
def test_score_voices_equals_vader_on_every_seed_voice(seed_tables, reuse_sentence_scores):
    sentences = seed_tables["sentences"]
    reused = sentiment.score_sentence_table(sentences) if reuse_sentence_scores else None
    voices = sentiment.score_voices(seed_tables["pieces"], sentence_scores=reused)
    expected = _vader_table(voices["text"])
    pd.testing.assert_frame_equal(voices[list(sentiment.SCORE_COLUMNS)], expected, check_exact=True)


def test_repeated_texts_are_scored_once_and_every_row_gets_the_scores(counting_scorer):
    texts = [HAND_MADE["but"], HAND_MADE["not_good"], HAND_MADE["but"], HAND_MADE["empty"], "nan", HAND_MADE["but"]]
    table = pd.DataFrame({"article_id": list("abcdef"), "outlet": list("XYXYXY"), "sentence_index": [0] * 6,
                          "text": texts}, index=[10, 11, 12, 13, 14, 15])
    scored = sentiment.score_sentence_table(table)
    assert counting_scorer.scored == [HAND_MADE["but"], HAND_MADE["not_good"], HAND_MADE["empty"], "nan"]
    expected = _vader_table(texts).set_axis(table.index)
    pd.testing.assert_frame_equal(scored[list(sentiment.SCORE_COLUMNS)], expected, check_exact=True)


@pytest.mark.parametrize("text, by_library", [("Peace 😀 now", True), ("Peace now", False), ("© Reuters", True)])
def test_only_a_text_with_an_emoji_goes_to_the_library_method(monkeypatch, text, by_library):
    expected, calls = VADER.polarity_scores(text), []
    library = sentiment.SentimentIntensityAnalyzer.polarity_scores

    def recording(self, text):
        calls.append(text)
        return library(self, text)

    monkeypatch.setattr(sentiment.SentimentIntensityAnalyzer, "polarity_scores", recording)
    assert FAST.polarity_scores(text) == expected
    assert calls == ([text] if by_library else [])


# ---------------------------------------------------------------- seeded fuzz
SEED_WORDS = sorted({word for text in HAND_MADE.values() for word in text.split()})
RULE_WORDS = ["but", "BUT", "kind", "of", "no", "No", "least", "at", "very", "never", "so", "this", "without",
              "doubt", "or", "nor", "n't", "isn't", "not", "!", "!!", "?", "??", ":)", ":(", "<3", ",", "."]
SPECIAL_WORDS = sorted({word for case in SPECIAL_CASES for word in case.split()})


def _fuzz_sentences(n_sentences: int, *, seed: int) -> list[str]:
    """Random sentences from seed words, lexicon words, boosters, negations, rule words and emoji."""
    rng = random.Random(seed)
    lexicon = rng.sample(sorted(VADER.lexicon), 400)
    emoji = rng.sample(sorted(VADER.emojis), 40) + ["😀", "©", "❤"]
    pools = [SEED_WORDS, lexicon, sorted(BOOSTER_DICT), NEGATE, RULE_WORDS, SPECIAL_WORDS, emoji]
    weights = [4, 6, 2, 2, 3, 1, 1]
    shapes = [str, str, str, str.upper, str.capitalize]
    separators = [" ", " ", " ", "  ", "\n", "", ", "]
    sentences = []
    for _ in range(n_sentences):
        words = [rng.choice(shapes)(rng.choice(rng.choices(pools, weights)[0])) for _ in range(rng.randint(0, 24))]
        text = "".join(word + rng.choice(separators) for word in words)
        sentences.append(rng.choice(["", " ", "\n"]) + text + rng.choice(["", ".", "!!!", "??", " "]))
    return sentences


def test_fast_scorer_equals_vader_on_seeded_fuzz():
    texts = _fuzz_sentences(3000, seed=2022)
    differing = [text for text in texts if FAST.polarity_scores(text) != VADER.polarity_scores(text)]
    assert differing == []
    assert sum(any(character in VADER.emojis for character in text) for text in texts) > 100  # fallback exercised
    assert sum("but" in text.lower().split() for text in texts) > 100


def test_score_sentences_equals_vader_on_seeded_fuzz_with_repeats():
    texts = _fuzz_sentences(500, seed=7) * 2
    table = pd.DataFrame({"article_id": [str(i) for i in range(len(texts))], "outlet": "X", "sentence_index": 0,
                          "text": texts})
    scored = sentiment.score_sentence_table(table)[list(sentiment.SCORE_COLUMNS)]
    pd.testing.assert_frame_equal(scored, _vader_table(texts), check_exact=True)


# ---------------------------------------------------------------- the fast path's parts
def test_vader_tokens_equal_sentitext_on_hand_made_and_fuzz_texts():
    from vaderSentiment.vaderSentiment import SentiText

    texts = [*HAND_MADE.values(), *_fuzz_sentences(500, seed=11)]
    assert [sentiment.vader_tokens(text) for text in texts] == [SentiText(text).words_and_emoticons for text in texts]


def test_every_multi_word_idiom_and_booster_phrase_holds_a_listed_valence_changer():
    phrases = [phrase for phrase in [*SPECIAL_CASES, *BOOSTER_DICT] if " " in phrase]
    assert len(phrases) == 11
    assert [phrase for phrase in phrases if not sentiment._VALENCE_CHANGERS.intersection(phrase.split())] == []


@pytest.mark.parametrize("words, near", [
    (["talks", "were", "good"], []),
    (["not", "good", "talks", "today", "now", "then"], [1, 2, 3]),
    (["a", "b", "c", "d", "e", "f", "isn't"], []),
    (["a", "b", "this", "d", "e", "f", "g"], [3]),
    (["a", "b", "least", "d", "e", "f", "g"], [3]),
    (["a", "b", "so", "d", "e", "f", "g"], [3, 4, 5]),
    (["a", "b", "kind", "d", "e", "f", "g"], [3, 4, 5]),
    (["a", "b", "c", "bomb", "e", "f", "g"], [1, 2, 3, 4, 5, 6]),
])
def test_positions_reached_by_changers(words, near):
    reaches = [FAST._chunk_facts[word][-1] for word in words]
    changers = [j for j, reach in enumerate(reaches) if reach]
    assert sorted(i for i in sentiment._positions_reached(changers, reaches) if 0 <= i < len(words)) == near


def test_no_lexicon_valence_is_zero():
    # The fast scorer tells a lexicon word from any other by its valence not being 0.
    assert 0 not in VADER.lexicon.values() and len(VADER.lexicon) > 7000


def test_chunk_facts_are_forgotten_past_the_limit(monkeypatch):
    facts = sentiment._ChunkFacts(VADER.lexicon)
    monkeypatch.setattr(sentiment, "_MAX_CACHED_CHUNKS", 3)
    for chunk in ["good", "bad", "talks", "ended."]:
        facts[chunk]
    assert list(facts) == ["ended."] and facts["ended."] == ("ended", "ended", False, 0, ())


@pytest.mark.parametrize("text", [
    "They would never so much as call it good.", "It was so good.", "This good deal.", "It is this good.",
    "The talks were the bomb, a good bomb.", "Not at all a good sign.", "Rarely a good sign.",
    "Good, despite everything.", "Just enough good will.", "It was sort of good.", "Least good.",
    "GOOD talks were held.", "No good talks.", "good no", "Talks were good and it wasn't bad.",
])
def test_fast_scorer_equals_vader_where_a_changer_sits_at_the_edge_of_the_neighbourhood(text):
    padded = [text, "one two three " + text, text + " one two three", "x " + text.lower()]
    assert [FAST.polarity_scores(t) for t in padded] == [VADER.polarity_scores(t) for t in padded]

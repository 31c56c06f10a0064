"""Tests for analysis.voices: quoted words per speaker and side, speech acts, verbs per speaker."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis import voices
from analysis.corpus import load_corpus
from analysis.errors import CorpusError
from analysis.quotes import quotes_table
from analysis.sentences import sentences_table
from analysis.stats import proportion_ci

RYABKOV, SHERMAN, PUTIN = "Sergei Ryabkov", "Wendy Sherman", "Vladimir Putin"


@pytest.fixture(scope="module")
def seeds():
    articles = load_corpus()
    sentences = sentences_table(articles)
    return articles, sentences, quotes_table(articles, sentences)


def _sentences(text: str) -> pd.DataFrame:
    articles = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "text": [text], "headline_in_text": [False]})
    return sentences_table(articles)


# --- speech acts ---------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    # real sentences from the seeds (a name earlier in the text where a pronoun needs one)
    ("Ryabkov stressed that Russia has no plans.", [("Ryabkov stressed", RYABKOV, "stressed", "emphatic")]),
    ("The Americans came prepared to listen to Russian proposals, but have failed to understand the gravity of the "
     "situation, Ryabkov noted.", [("Ryabkov noted", RYABKOV, "noted", "neutral")]),
    ("U.S. officials had frank and forthright discussions with the Russian delegation over the course of nearly "
     "eight hours, Sherman said.", [("Sherman said", SHERMAN, "said", "neutral")]),
    ("Sherman met allies. “We need to see if actions are possible on both sides that will increase our security,” "
     "she concluded.", [("she concluded", SHERMAN, "concluded", "neutral")]),
    ("Besides, she mainly focused on Ukraine, which the US has claimed is under threat of a Russian “invasion.”",
     [("US has claimed", "United States", "claimed", "distancing")]),
    ("The Russian Deputy Foreign Minister, Sergey Ryabkov, told reporters he patiently explained to his colleague "
     "that there are no plans to “invade” Ukraine and never have been.",
     [("The Russian Deputy Foreign Minister, Sergey Ryabkov, told", RYABKOV, "told", "neutral"),
      ("he patiently explained", RYABKOV, "explained", "neutral")]),
    ("Vladimir Putin spoke.\n“They have simply driven us to such a state that we have to tell them: stop,” the "
     "President said.", [("Vladimir Putin spoke", PUTIN, "spoke", "neutral"),
                         ("the President said", PUTIN, "said", "neutral")]),
    ("Ryabkov suggested that the possibility of additional talks in future will depend on the outcome.",
     [("Ryabkov suggested", RYABKOV, "suggested", "evaluative")]),
    ("Russia has repeatedly denied the Western allegations of intending to invade its western neighbor.",
     [("Russia has repeatedly denied", "Russia", "denied", "evaluative")]),
    # hand-made edge cases
    ("“We are fed up,” said Ryabkov.", [("said Ryabkov", RYABKOV, "said", "neutral")]),
    ("He said the talks failed.", [("He said", "(unresolved)", "said", "neutral")]),
    ("The United States and Russia have concluded security talks in Geneva.", []),
    ("Ryabkov called on the US to be calm, warning of risks.", []),  # "US ..., warning": not the US speaking
    ("“Sherman said nothing new,” Ryabkov said.", [("Ryabkov said", RYABKOV, "said", "neutral")]),
])
def test_speech_acts(text, expected):
    acts = voices.speech_acts(_sentences(text))
    assert [tuple(r) for r in acts[["match", "speaker", "verb", "stance"]].itertuples(index=False)] == expected


def test_speech_acts_on_the_seeds_are_evidence(seeds):
    articles, sentences, _ = seeds
    acts = voices.speech_acts(sentences)
    assert list(acts.columns) == voices.SPEECH_ACT_COLUMNS
    texts = dict(zip(articles.article_id, articles.text))
    assert all(texts[a][s:e] == m for a, s, e, m in zip(acts.article_id, acts.start, acts.end, acts.match))
    merged = acts.merge(sentences, on=["article_id", "sentence_index"], suffixes=("", "_sentence"))
    assert len(merged) == len(acts) and (merged.sentence == merged.text).all()
    assert ((merged.start_sentence <= merged.start) & (merged.end <= merged.end_sentence)).all()
    assert acts.stance.notna().all() and (acts.speaker != "(unresolved)").all()
    assert acts.equals(voices.speech_acts(sentences.sample(frac=1, random_state=1))), "depends on row order"
    ids = sorted(sentences.article_id.unique())
    in_parts = [voices.speech_acts(sentences[sentences.article_id.isin(ids[i:i + 2])]) for i in range(0, 5, 2)]
    assert acts.equals(pd.concat(in_parts, ignore_index=True)), "depends on how articles are partitioned"


def test_article_texts_are_rebuilt_with_the_offsets_of_the_cleaned_texts(seeds):
    articles, sentences, _ = seeds
    ordered = sentences.sort_values(["article_id", "start"], kind="stable", ignore_index=True)
    texts, first_rows = voices._article_texts(ordered)
    cleaned = dict(zip(articles.article_id, articles.text))
    assert texts == [cleaned[a] for a in ordered.article_id.iloc[first_rows]]  # seeds: nothing lost between sentences


@pytest.mark.parametrize("rows, expected", [
    ([("a", 0, 5, "Talks", 0), ("a", 6, 11, "ended", 0)], ["Talks ended"]),
    ([("a", 2, 7, "Talks", 0), ("a", 10, 15, "ended", 1), ("b", 0, 3, "Yes", 0)], ["  Talks\n  ended", "Yes"]),
    ([("a", 0, 5, "Talks", 0), ("a", 5, 6, ".", 1)], ["Talks."]),  # no gap: no separator, new paragraph or not
])
def test_article_texts_put_sentences_at_their_offsets(rows, expected):
    table = pd.DataFrame(rows, columns=["article_id", "start", "end", "text", "paragraph"])
    texts, first_rows = voices._article_texts(table)
    assert texts == expected
    assert first_rows.tolist() == [i for i, a in enumerate(table.article_id) if i == 0 or a != table.article_id[i - 1]]


def test_speech_acts_with_genders_pooled_from_other_articles():
    sentences = _sentences("Ryabkov met Wendy Sherman. He said no.")
    assert voices.speech_acts(sentences).speaker.tolist() == [SHERMAN]  # nothing here says who "he" is
    assert voices.speech_acts(sentences, genders={RYABKOV: "male"}).speaker.tolist() == [RYABKOV]


@pytest.mark.parametrize("outlet, speaker, stance, verb, count", [
    ("Ru-Main", RYABKOV, "emphatic", "stressed", 1),
    ("Ru-Main", RYABKOV, "neutral", "noted", 1),
    ("Ru-Main", "United States", "distancing", "claimed", 1),
    ("Ru-Main", PUTIN, "neutral", "said", 2),
    ("Pledge Times", SHERMAN, "neutral", "concluded", 1),
    ("Pledge Times", SHERMAN, "emphatic", "stressed", 1),
    ("A News", SHERMAN, "neutral", "said", 4),
    ("A News", RYABKOV, "neutral", "said", 4),
    ("Front News", "Russia", "emphatic", "demands", 1),
])
def test_verbs_by_speaker_on_the_seeds(seeds, outlet, speaker, stance, verb, count):
    table = voices.verbs_by_speaker(voices.speech_acts(seeds[1]))
    row = table.query("outlet == @outlet and speaker == @speaker and stance == @stance and verb == @verb")
    assert row["count"].tolist() == [count]


def test_speech_acts_of_sentences_without_attributions():
    acts = voices.speech_acts(_sentences("Talks ended. Nobody spoke to the press."))
    assert acts.empty and list(acts.columns) == voices.SPEECH_ACT_COLUMNS


def test_speech_acts_need_the_sentences_table():
    with pytest.raises(CorpusError, match="paragraph"):
        voices.speech_acts(pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "sentence_index": [0],
                                         "start": [0], "end": [3], "text": ["Hi."]}))


# --- quoted words --------------------------------------------------------------------


def test_quoted_words_by_speaker_on_the_seeds(seeds):
    table = voices.quoted_words(seeds[2])
    speech = seeds[2].query("kind != 'scare' and not nested")
    assert table.quotes.sum() == len(speech)
    shares = table[table.outlet_words > 0].groupby("outlet").share.sum()
    assert shares.round(6).eq(1).all()
    assert table.query("outlet == 'Front News'").share.isna().all()  # no speech quoted: no share
    pledge = table.query("outlet == 'Pledge Times'").set_index("speaker")
    assert pledge.loc[SHERMAN, ["quotes", "side"]].tolist() == [5, "United States"]
    assert pledge.loc[PUTIN, "quotes"] == 0 and pledge.loc[PUTIN, "share_high"] > 0


def test_quoted_words_by_side_includes_every_codebook_side(seeds):
    table = voices.quoted_words(seeds[2], by="side")
    assert set(table.side) == {"Russia", "United States", "NATO", "Ukraine", "Other"}
    ru_main = table.query("outlet == 'Ru-Main'").set_index("side")
    assert ru_main.loc["Russia", "quotes"] == 5 and ru_main.loc["United States", "quotes"] == 1
    assert ru_main.loc["Russia", "share_low"] < ru_main.loc["Russia", "share"] < ru_main.loc["Russia", "share_high"]


@pytest.mark.parametrize("quotes, expected", [
    # (speaker, side, quotes, words): nested and scare quotations are not voices
    (pd.DataFrame({"outlet": ["X"] * 3, "kind": ["direct", "scare", "partial"], "nested": [False, True, False],
                   "speaker": [RYABKOV, RYABKOV, ""], "text": ["We are not going to attack", "attack", "firm"]}),
     [(RYABKOV, "Russia", 1, 6), ("(unattributed)", "(unknown)", 1, 1)]),
    (pd.DataFrame({"outlet": ["X", "Y"], "kind": ["partial", "scare"], "nested": [False, False],
                   "speaker": [SHERMAN, ""], "text": ["long way to go", "invasion"]}),
     [(SHERMAN, "United States", 1, 4), (SHERMAN, "United States", 0, 0)]),
])
def test_quoted_words_counts(quotes, expected):
    table = voices.quoted_words(quotes)
    assert sorted(map(tuple, table[["speaker", "side", "quotes", "words"]].values.tolist())) == sorted(expected)


def test_quoted_words_rejects_bad_options():
    with pytest.raises(ValueError, match="by must be"):
        voices.quoted_words(pd.DataFrame(), by="outlet")
    with pytest.raises(CorpusError, match="speaker"):
        voices.quoted_words(pd.DataFrame({"outlet": [], "kind": [], "nested": [], "text": []}))


def test_quoted_word_shares_have_intervals_over_the_effective_number_of_quotations():
    quotes = pd.DataFrame({"outlet": ["X"] * 3 + ["Y"] * 4, "kind": "direct", "nested": False,
                           "speaker": ["Ned Price", "Sergei Ryabkov", "Sergei Ryabkov", "Ned Price", "Ned Price",
                                       "Sergei Ryabkov", "Sergei Ryabkov"],
                           "text": ["one two three four five six seven eight nine ten", "yes", "no",
                                    "a b", "c d", "e f", "g h"]})
    table = voices.quoted_words(quotes, by="side").set_index(["outlet", "side"])
    x, y = table.loc[("X", "United States")], table.loc[("Y", "United States")]
    assert x.effective_quotes == pytest.approx(144 / 102) and y.effective_quotes == 4.0
    assert (y.share, y.share_low, y.share_high) == (0.5, proportion_ci(2, 4).low, proportion_ci(2, 4).high)
    # one long statement dominates X: its interval is wider than a word count would suggest
    assert x.share_high - x.share_low > proportion_ci(10, 12).high - proportion_ci(10, 12).low


def _two_quotations_per_article(speakers_by_article: list[tuple[str, str]]) -> pd.DataFrame:
    """Outlet X: per article, two direct quotations of two words by the given speakers."""
    rows = [(f"x{i}", speaker) for i, pair in enumerate(speakers_by_article) for speaker in pair]
    return pd.DataFrame({"article_id": [a for a, _ in rows], "outlet": "X", "kind": "direct", "nested": False,
                         "speaker": [s for _, s in rows], "text": "two words"})


def test_quoted_word_shares_are_widened_when_articles_quote_different_sides():
    # Russia quoted in two articles only, the United States in the other three: all or nothing
    quotes = _two_quotations_per_article([(RYABKOV, RYABKOV)] * 2 + [(SHERMAN, SHERMAN)] * 3)
    russia = voices.quoted_words(quotes, by="side").set_index("side").loc["Russia"]
    # by hand: shares 1,1,0,0,0 of 4 words each, p = 0.4; between-article variance
    # 5/4 * 19.2 / 20^2 = 0.06 against 0.24 / 10 for ten equal quotations: design effect 2.5
    assert (russia.n_articles, russia.effective_quotes, russia.design_effect) == (5, 10.0, 2.5)
    expected = proportion_ci(8, 20, effective_n=4)
    assert (russia.share, russia.share_low, russia.share_high) == (0.4, expected.low, expected.high)


def test_quoted_word_shares_are_not_widened_when_articles_are_alike():
    quotes = _two_quotations_per_article([(RYABKOV, SHERMAN)] * 5)  # every article quotes both sides
    russia = voices.quoted_words(quotes, by="side").set_index("side").loc["Russia"]
    expected = proportion_ci(10, 20, effective_n=10)
    assert (russia.n_articles, russia.design_effect) == (5, 1.0)
    assert (russia.share_low, russia.share_high) == (expected.low, expected.high)


@pytest.mark.parametrize("quotes, n_articles", [
    (_two_quotations_per_article([(RYABKOV, RYABKOV)] * 2 + [(SHERMAN, SHERMAN)] * 2), 4),  # too few articles
    (_two_quotations_per_article([(RYABKOV, RYABKOV)] * 2 + [(SHERMAN, SHERMAN)] * 3).drop(columns="article_id"),
     None),  # no articles to tell apart
])
def test_quoted_word_shares_keep_the_quotation_interval_without_enough_articles(quotes, n_articles):
    table = voices.quoted_words(quotes, by="side").set_index("side")
    assert (table.design_effect == 1.0).all()
    articles = table.loc["Russia", "n_articles"]
    assert (pd.isna(articles) and n_articles is None) or articles == n_articles
    expected = proportion_ci(8, len(quotes) * 2, effective_n=len(quotes))
    assert (table.loc["Russia", "share_low"], table.loc["Russia", "share_high"]) == (expected.low, expected.high)

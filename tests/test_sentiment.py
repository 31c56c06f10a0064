"""Tests for analysis.sentiment: VADER scores unchanged, intervals seeded, voices split right."""
from __future__ import annotations

import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer, SentiText

from analysis import sentiment
from analysis.errors import CorpusError

VADER = SentimentIntensityAnalyzer()

# Sentences copied unchanged from the five raw seeds (curly quotes, capitals, dashes kept).
SEED_SENTENCES = [
    'Russia-US talks: Washington takes Moscow proposals "very seriously"',
    "Ryabkov called on the US to be \"responsible\" in dealing with Russia, warning that the risks "
    "of a growing confrontation \"cannot be underestimated.\"",
    "The U.S. side was \"firm\" in pushing back on proposals that the West says are \"non-starters,\" she said.",
    "\"We will not allow anyone to slam closed NATO's open door policy,\" she said, while insisting that the "
    "United States would not make decisions for other countries without them.",
    "As for sanctions, he said the West has “lost the art of dealmaking” and been reduced to threats of ultimatums.",
    "“We do not trust the other side, so to speak.",
    "It’s over, enough is enough.”",
    "This is a question of Russian national security … The situation is so dangerous that we can no longer "
    "afford to postpone this fundamental issue.",
    "How did you assess the negotiations in the United States?",
    "Russia wants \"ironclad guarantees\" that Ukraine and Georgia will not end up in NATO;",
    "The conversation was difficult, long, very professional, deep and specific.",
]


@pytest.mark.parametrize("text", SEED_SENTENCES)
def test_scores_equal_vader_on_seed_sentences(text):
    scores = sentiment.score_sentences([text]).iloc[0].to_dict()
    assert scores == VADER.polarity_scores(text)


@pytest.mark.parametrize(
    "original, preprocessed",
    [
        ("The talks were GREAT!!!", "the talks were great!!!"),  # lower-casing loses ALL-CAPS emphasis
        ("The talks were GREAT!!!", "The talks were GREAT"),  # stripping loses "!" emphasis
        ("Sherman said talks were good??", "Sherman said talks were good"),
        # straightening curly quotes (a common clean-up) un-hides "lost" from VADER's lexicon
        ("As for sanctions, he said the West has “lost the art of dealmaking” and been reduced to threats of ultimatums.",
         "As for sanctions, he said the West has \"lost the art of dealmaking\" and been reduced to threats of ultimatums."),
    ],
)
def test_original_text_is_scored_not_a_preprocessed_copy(original, preprocessed):
    assert VADER.polarity_scores(original) != VADER.polarity_scores(preprocessed), "case cannot detect preprocessing"
    assert sentiment.score_sentences([original]).iloc[0].to_dict() == VADER.polarity_scores(original)


@pytest.mark.parametrize("bad", [[None], ["fine", float("nan")], [3]])
def test_score_sentences_rejects_non_text(bad):
    with pytest.raises(CorpusError, match="string"):
        sentiment.score_sentences(bad)


def test_score_sentences_keeps_input_order_and_handles_empty():
    assert sentiment.score_sentences(["Bad.", "Good."]).compound.tolist() == [-0.5423, 0.4404]
    assert list(sentiment.score_sentences([]).columns) == ["compound", "pos", "neu", "neg"]


def test_score_sentence_table_aligns_with_a_non_default_index():
    table = pd.DataFrame(
        {"article_id": ["b", "a"], "outlet": ["Y", "X"], "sentence_index": [4, 0], "text": ["Good.", "Bad."]},
        index=[10, 3],
    )
    scored = sentiment.score_sentence_table(table)
    assert scored.loc[10, "compound"] == 0.4404 and scored.loc[3, "compound"] == -0.5423
    assert list(scored.columns) == ["article_id", "outlet", "sentence_index", "text", "compound", "pos", "neu", "neg"]


def test_score_sentence_table_names_a_missing_column():
    with pytest.raises(CorpusError, match=r"the sentences table lacks column\(s\) .*outlet"):
        sentiment.score_sentence_table(pd.DataFrame({"article_id": ["a"], "sentence_index": [0], "text": ["x"]}))


SCORED = pd.DataFrame({
    "article_id": ["a1"] * 5 + ["a2"] * 4 + ["b1"] * 3,
    "outlet": ["X"] * 9 + ["Y"] * 3,
    "compound": [0.05, 0.0499, -0.05, -0.6, 0.8, 0.3, 0.0, -0.0499, 0.4, -0.2, -0.7, 0.1],
})


@pytest.mark.parametrize(
    "by, expected",
    [
        ("outlet", [["X", 9, 4, 2], ["Y", 3, 1, 2]]),
        ("article_id", [["a1", 5, 2, 2], ["a2", 4, 2, 0], ["b1", 3, 1, 2]]),
        (["outlet", "article_id"], [["X", "a1", 5, 2, 2], ["X", "a2", 4, 2, 0], ["Y", "b1", 3, 1, 2]]),
    ],
)
def test_summarise_counts_thresholds_inclusive(by, expected):
    summary = sentiment.summarise(SCORED, by=by)
    keys = [by] if isinstance(by, str) else by
    assert summary[[*keys, "n", "n_positive", "n_negative"]].values.tolist() == expected


def test_summarise_mean_and_intervals_are_those_of_stats():
    row = sentiment.summarise(SCORED, by="outlet").iloc[1]
    assert row["mean_compound"] == pytest.approx(-0.266667)
    assert row["compound_low"] <= row["mean_compound"] <= row["compound_high"]
    assert (row["share_positive"], row["positive_low"], row["positive_high"]) == (0.333333, 0.061, 0.792)


def test_summarise_same_seed_same_table_other_seed_other_bounds():
    first = sentiment.summarise(SCORED, by="outlet", seed=2022)
    pd.testing.assert_frame_equal(first, sentiment.summarise(SCORED, by="outlet", seed=2022))
    other = sentiment.summarise(SCORED, by="outlet", seed=7)
    assert first["mean_compound"].tolist() == other["mean_compound"].tolist()
    assert first[["compound_low", "compound_high"]].values.tolist() != other[["compound_low", "compound_high"]].values.tolist()


def _clustered_scores() -> pd.DataFrame:
    """Outlet Z: six articles, each all positive or all negative (sentences agree within an article)."""
    tones = [0.6, -0.6, 0.6, -0.6, 0.6, 0.6]
    return pd.DataFrame({"outlet": "Z", "article_id": [f"z{i}" for i, tone in enumerate(tones) for _ in range(10)],
                         "compound": [tone for tone in tones for _ in range(10)]})


def test_summarise_counts_articles_and_treats_them_as_the_units_when_there_are_enough():
    scored = _clustered_scores()
    by_article = sentiment.summarise(scored, by="outlet").iloc[0]
    by_sentence = sentiment.summarise(scored.drop(columns="article_id"), by="outlet").iloc[0]
    assert (by_article["n"], by_article["n_articles"]) == (60, 6)
    assert pd.isna(by_sentence["n_articles"])
    assert by_article["mean_compound"] == by_sentence["mean_compound"] == pytest.approx(0.2)
    for low, high in (("compound_low", "compound_high"), ("positive_low", "positive_high")):
        assert by_article[high] - by_article[low] > 2 * (by_sentence[high] - by_sentence[low])
    # every article all or nothing: design effect 6/5 * 10, so 60 sentences count as 5
    assert (by_article["positive_low"], by_article["positive_high"]) == (
        sentiment.proportion_ci(40, 60, effective_n=5).low, sentiment.proportion_ci(40, 60, effective_n=5).high)


def test_summarise_keeps_sentence_intervals_below_the_minimum_of_articles():
    """SCORED has two articles for X: too few to estimate the spread between articles."""
    summary = sentiment.summarise(SCORED, by="outlet")
    plain = sentiment.summarise(SCORED.drop(columns="article_id"), by="outlet")
    assert summary["n_articles"].tolist() == [2, 1]
    pd.testing.assert_frame_equal(summary.drop(columns="n_articles"), plain.drop(columns="n_articles"))


def test_summarise_names_a_missing_group_column():
    with pytest.raises(CorpusError, match=r"lacks column\(s\) .*country"):
        sentiment.summarise(SCORED, by="country")


def _sentences(article_id: str, outlet: str, text: str, pieces: list[str]) -> pd.DataFrame:
    """Sentences table for ``text`` whose sentences are the given substrings, in order."""
    rows, cursor = [], 0
    for index, piece in enumerate(pieces):
        start = text.index(piece, cursor)
        cursor = start + len(piece)
        rows.append({"article_id": article_id, "outlet": outlet, "sentence_index": index,
                     "start": start, "end": cursor, "text": piece})
    return pd.DataFrame(rows)


def _quote(article_id: str, text: str, span: str, kind: str, *, nested: bool = False, after: int = 0) -> dict:
    """One quotation row whose span (marks included) is the first ``span`` in ``text`` after ``after``."""
    start = text.index(span, after)
    return {"article_id": article_id, "start": start, "end": start + len(span), "kind": kind, "nested": nested}


NESTED = ("Ryabkov confirmed to AFP that Washington was taking Russia's proposals \"very seriously\", confirming "
          "that Moscow \"explained to our colleagues that we have no plans, no intentions to 'attack' Ukraine.\"")
SCARE = ("Western countries and Kiev accuse Russia of massing about 100,000 troops at the borders of Ukraine "
         "in preparation for a possible \"invasion.\"")
ACROSS = ("“We are fed up with loose talk,” he said. “We do not trust the other side, so to speak. "
          "It’s over, enough is enough.”")
SCARE_IN_DIRECT_PARTIAL = "Sherman said the “so-called ‘guarantees’ are a non-starter” today."

VOICE_CASES = {
    "partial and nested quotes are quoted voice": (
        NESTED, [NESTED],
        [_quote("a", NESTED, '"very seriously"', "partial"),
         _quote("a", NESTED, "\"explained to our colleagues that we have no plans, no intentions to 'attack' Ukraine.\"",
                "partial"),
         _quote("a", NESTED, "'attack'", "scare", nested=True)],
        [("narrator", "Ryabkov confirmed to AFP that Washington was taking Russia's proposals "),
         ("quoted", '"very seriously"'),
         ("narrator", ", confirming that Moscow "),
         ("quoted", "\"explained to our colleagues that we have no plans, no intentions to 'attack' Ukraine.\"")],
    ),
    "scare quote stays narrator voice": (
        SCARE, [SCARE], [_quote("a", SCARE, '"invasion."', "scare")], [("narrator", SCARE)],
    ),
    "quote over two sentences is cut at the boundary": (
        ACROSS,
        ["“We are fed up with loose talk,” he said.", "“We do not trust the other side, so to speak.",
         "It’s over, enough is enough.”"],
        [_quote("a", ACROSS, "“We are fed up with loose talk,”", "direct"),
         _quote("a", ACROSS, "“We do not trust the other side, so to speak. It’s over, enough is enough.”", "direct")],
        [("quoted", "“We are fed up with loose talk,”"), ("narrator", " he said."),
         ("quoted", "“We do not trust the other side, so to speak."), ("quoted", "It’s over, enough is enough.”")],
    ),
    "scare quote nested in a partial quote belongs to the partial quote": (
        SCARE_IN_DIRECT_PARTIAL, [SCARE_IN_DIRECT_PARTIAL],
        [_quote("a", SCARE_IN_DIRECT_PARTIAL, "“so-called ‘guarantees’ are a non-starter”", "partial"),
         _quote("a", SCARE_IN_DIRECT_PARTIAL, "‘guarantees’", "scare", nested=True)],
        [("narrator", "Sherman said the "), ("quoted", "“so-called ‘guarantees’ are a non-starter”"),
         ("narrator", " today.")],
    ),
    "no quotes: the whole sentence is narrator voice": (
        "Talks lasted nearly eight hours.", ["Talks lasted nearly eight hours."], [],
        [("narrator", "Talks lasted nearly eight hours.")],
    ),
}


@pytest.mark.parametrize("text, sentence_texts, quotes, expected", VOICE_CASES.values(), ids=VOICE_CASES.keys())
def test_split_voices_cases(text, sentence_texts, quotes, expected):
    sentences = _sentences("a", "X", text, sentence_texts)
    quote_table = pd.DataFrame(quotes, columns=["article_id", "start", "end", "kind", "nested"])
    pieces = sentiment.split_voices(sentences, quote_table)
    assert list(zip(pieces["voice"], pieces["text"])) == expected
    assert (pieces["text"] == [text[s:e] for s, e in zip(pieces["start"], pieces["end"])]).all()
    rebuilt = pieces.groupby("sentence_index")["text"].agg("".join).tolist()
    assert rebuilt == sentence_texts


def test_split_voices_keeps_articles_apart_and_ignores_quotes_of_other_articles():
    first = _sentences("a", "X", SCARE, [SCARE])
    second = _sentences("b", "Y", NESTED, [NESTED])
    quotes = pd.DataFrame([
        _quote("b", NESTED, '"very seriously"', "partial"),
        {"article_id": "zzz", "start": 0, "end": 5, "kind": "direct", "nested": False},
    ])
    pieces = sentiment.split_voices(pd.concat([second, first]), quotes)
    assert pieces.loc[pieces["voice"] == "quoted", ["article_id", "text"]].values.tolist() == [["b", '"very seriously"']]
    assert pieces.loc[pieces["article_id"] == "a", "text"].tolist() == [SCARE]


@pytest.mark.parametrize(
    "quotes, message",
    [
        ([{"article_id": "a", "start": 5, "end": 5, "kind": "direct", "nested": False}], "empty or reversed span 5-5"),
        ([{"article_id": "a", "start": 0, "end": 10, "kind": "direct", "nested": False},
          {"article_id": "a", "start": 8, "end": 20, "kind": "partial", "nested": False}], "overlap at offset 8"),
        ([{"article_id": "a", "start": 0, "end": 4}], r"the quotations table lacks column\(s\) .*kind"),
    ],
)
def test_split_voices_rejects_inconsistent_quotes(quotes, message):
    with pytest.raises(CorpusError, match=message):
        sentiment.split_voices(_sentences("a", "X", SCARE, [SCARE]), pd.DataFrame(quotes))


@pytest.mark.parametrize(
    "spans, message",
    [
        ([(0, 20), (15, 40)], "sentence 1 of article a overlaps the previous one"),
        ([(0, 20), (30, 25)], "sentence 1 of article a overlaps the previous one or ends before it starts"),
    ],
)
def test_split_voices_rejects_inconsistent_sentences(spans, message):
    sentences = pd.DataFrame([
        {"article_id": "a", "outlet": "X", "sentence_index": i, "start": start, "end": end, "text": SCARE[start:end]}
        for i, (start, end) in enumerate(spans)
    ])
    quotes = pd.DataFrame(columns=["article_id", "start", "end", "kind", "nested"])
    with pytest.raises(CorpusError, match=message):
        sentiment.split_voices(sentences, quotes)


def test_split_voices_of_no_sentences_is_an_empty_table():
    sentences = _sentences("a", "X", SCARE, [SCARE]).iloc[:0]
    quotes = pd.DataFrame([_quote("a", SCARE, '"invasion."', "direct")])
    pieces = sentiment.split_voices(sentences, quotes)
    assert pieces.empty and list(pieces.columns) == ["article_id", "outlet", "sentence_index", "voice", "start", "end", "text"]


def test_score_voices_joins_pieces_and_skips_voices_without_words():
    text = "“We are fed up with loose talk,” he said."
    sentences = _sentences("a", "X", text, [text])
    quotes = pd.DataFrame([_quote("a", text, "“We are fed up with loose talk,”", "direct")])
    pieces = sentiment.split_voices(sentences, quotes)
    scored = sentiment.score_voices(pieces)
    assert scored[["voice", "text"]].values.tolist() == [["narrator", " he said."], ["quoted", "“We are fed up with loose talk,”"]]
    assert scored["compound"].tolist() == [VADER.polarity_scores(" he said.")["compound"],
                                           VADER.polarity_scores("“We are fed up with loose talk,”")["compound"]]
    only_mark = pieces.assign(text=pieces["text"].where(pieces["voice"] == "quoted", "."))
    assert sentiment.score_voices(only_mark)["voice"].tolist() == ["quoted"]


def test_score_voices_joins_narrator_pieces_with_a_space():
    text = 'He said"bad"good.'
    sentences = _sentences("a", "X", text, [text])
    quotes = pd.DataFrame([_quote("a", text, '"bad"', "direct")])
    scored = sentiment.score_voices(sentiment.split_voices(sentences, quotes))
    assert scored["text"].tolist() == ["He said good.", '"bad"']


def test_voice_sentiment_per_outlet_and_voice():
    sentences = pd.concat([_sentences("a", "X", NESTED, [NESTED]), _sentences("b", "Y", SCARE, [SCARE])])
    quotes = pd.DataFrame([_quote("a", NESTED, '"very seriously"', "partial")])
    summary = sentiment.voice_sentiment(sentences, quotes)
    assert summary[["outlet", "voice", "n"]].values.tolist() == [["X", "narrator", 1], ["X", "quoted", 1], ["Y", "narrator", 1]]
    quoted = summary.loc[summary["voice"] == "quoted", "mean_compound"].item()
    assert quoted == VADER.polarity_scores('"very seriously"')["compound"]


ACTOR_TEXT = 'Ryabkov said "NATO is a threat" and Russia is ready.'


def _actor_tables():
    sentences = _sentences("a", "X", ACTOR_TEXT, [ACTOR_TEXT])
    quotes = pd.DataFrame([_quote("a", ACTOR_TEXT, '"NATO is a threat"', "direct")])
    pieces = sentiment.split_voices(sentences, quotes)
    evidence = pd.DataFrame([
        {"article_id": "a", "outlet": "X", "sentence_index": 0, "start": ACTOR_TEXT.index(name),
         "end": ACTOR_TEXT.index(name) + len(name), "match": name, "term": term}
        for name, term in [("Ryabkov", "Sergei Ryabkov"), ("NATO", "NATO"), ("Russia", "Russia")]
    ])
    return sentences, pieces, evidence


@pytest.mark.parametrize(
    "voice, expected",
    [
        ("all", [("NATO", ACTOR_TEXT), ("Russia", ACTOR_TEXT), ("Sergei Ryabkov", ACTOR_TEXT)]),
        ("narrator", [("Russia", "Ryabkov said   and Russia is ready."), ("Sergei Ryabkov", "Ryabkov said   and Russia is ready.")]),
        ("quoted", [("NATO", '"NATO is a threat"')]),
    ],
)
def test_actor_sentences_by_voice(voice, expected):
    sentences, pieces, evidence = _actor_tables()
    if voice == "all":
        scored = sentiment.score_sentence_table(sentences)
    else:
        scored, evidence = sentiment.score_voices(pieces), sentiment.label_voice(evidence, pieces)
    rows = sentiment.actor_sentences(scored, evidence, voice=voice)
    assert list(zip(rows["actor"], rows["text"])) == expected
    assert rows["compound"].tolist() == [VADER.polarity_scores(text)["compound"] for _, text in expected]


def test_actor_sentiment_counts_a_sentence_once_per_actor():
    scored = pd.DataFrame({"article_id": ["a", "a", "b"], "outlet": ["X", "X", "Y"], "sentence_index": [0, 1, 0],
                           "compound": [-0.4, 0.2, 0.6]})
    evidence = pd.DataFrame({"article_id": ["a", "a", "a", "b"], "sentence_index": [0, 0, 1, 0],
                             "term": ["Russia", "Russia", "Russia", "Ukraine"]})
    summary = sentiment.actor_sentiment(scored, evidence)
    assert summary[["outlet", "actor", "n", "mean_compound"]].values.tolist() == [["X", "Russia", 2, -0.1], ["Y", "Ukraine", 1, 0.6]]
    assert sentiment.actor_sentences(scored, evidence)["n_mentions"].tolist() == [2, 1, 1]


@pytest.mark.parametrize(
    "voice, evidence, message",
    [
        ("everyone", pd.DataFrame({"article_id": ["a"], "sentence_index": [0], "term": ["Russia"]}), "voice must be"),
        ("all", pd.DataFrame({"article_id": ["a"], "sentence_index": [9], "term": ["Russia"]}), "sentence 9 of article a is not in the scored"),
        ("narrator", pd.DataFrame({"article_id": ["a"], "sentence_index": [0], "term": ["Russia"]}), r"the evidence table lacks column\(s\) .*voice"),
    ],
)
def test_actor_sentences_rejects_bad_input(voice, evidence, message):
    scored = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "sentence_index": [0], "voice": ["narrator"], "compound": [0.1]})
    with pytest.raises(CorpusError, match=message):
        sentiment.actor_sentences(scored, evidence, voice=voice)


def test_label_voice_rejects_a_match_outside_its_sentence():
    _, pieces, evidence = _actor_tables()
    with pytest.raises(CorpusError, match="offset 500 of article a lies outside sentence 0"):
        sentiment.label_voice(evidence.assign(start=500, end=504), pieces)


@pytest.mark.parametrize(
    "is_headline, lead_size, expected",
    [
        ([True, False, False, False, False], 2, ["headline", "lead", "lead", "body", "body"]),
        ([False, False, False, False, False], 2, ["lead", "lead", "body", "body", "body"]),
        ([True, False, False, False, False], 1, ["headline", "lead", "body", "body", "body"]),
    ],
)
def test_label_positions(is_headline, lead_size, expected):
    table = pd.DataFrame({"article_id": ["a"] * 5, "sentence_index": [4, 3, 2, 1, 0], "is_headline": is_headline[::-1]})
    assert sentiment.label_positions(table, lead_size=lead_size)["position"].tolist() == expected


def test_position_sentiment_per_outlet_skips_missing_headlines():
    scored = pd.DataFrame({
        "article_id": ["a"] * 4 + ["b"] * 3, "outlet": ["X"] * 4 + ["Y"] * 3,
        "sentence_index": [0, 1, 2, 3, 0, 1, 2], "is_headline": [True, False, False, False, False, False, False],
        "compound": [0.5, 0.1, -0.1, -0.4, 0.2, 0.0, 0.3],
    })
    summary = sentiment.position_sentiment(scored)
    assert summary[["outlet", "position", "n", "mean_compound"]].values.tolist() == [
        ["X", "headline", 1, 0.5], ["X", "lead", 2, 0.0], ["X", "body", 1, -0.4],
        ["Y", "lead", 2, 0.1], ["Y", "body", 1, 0.3],
    ]
    pooled = sentiment.position_sentiment(scored, by=())
    assert pooled[["position", "n"]].values.tolist() == [["headline", 1], ["lead", 4], ["body", 2]]


@pytest.mark.parametrize("text", SEED_SENTENCES)
def test_vader_tokens_are_vaders_own(text):
    assert sentiment.vader_tokens(text) == SentiText(text).words_and_emoticons


@pytest.mark.parametrize(
    "texts, expected",
    [
        # The, talks, were, good, not, a, disaster: "good" and "disaster" have a valence.
        (["The talks were good, not a disaster."], (7, 2, 0.285714, 0)),
        # "“lost”" is hidden from VADER by its curly marks; "“invasion”" has no valence anyway.
        (["Russia fears “invasion” and “lost” trust."], (6, 2, 0.333333, 1)),
        # The dash is not a word token; "Great" counts once however it is cased.
        (["GREAT — great!", "100,000 troops"], (4, 2, 0.5, 0)),
    ],
)
def test_lexicon_coverage_exact_shares(texts, expected):
    table = pd.DataFrame({"outlet": ["X"] * len(texts), "text": texts})
    row = sentiment.lexicon_coverage(table).iloc[0]
    assert (row["n_tokens"], row["n_in_lexicon"], row["share_in_lexicon"], row["n_hidden_by_marks"]) == expected
    assert row["share_low"] < row["share_in_lexicon"] < row["share_high"]


def test_lexicon_coverage_groups_are_sorted():
    table = pd.DataFrame({"outlet": ["Y", "X"], "text": ["Good.", "Plain words here."]})
    assert sentiment.lexicon_coverage(table)[["outlet", "n_in_lexicon"]].values.tolist() == [["X", 0], ["Y", 1]]


@pytest.fixture(scope="module")
def codebook():
    from analysis.codebook import load_codebook

    return load_codebook()


@pytest.fixture(scope="module")
def seed_sentences():
    from analysis.corpus import load_corpus
    from analysis.sentences import sentences_table

    return sentences_table(load_corpus())


@pytest.mark.parametrize(
    "pattern, in_vader, vader_words",
    [
        ("invasion", False, ""),
        ("sanctions", False, ""),
        ("concentration of troops", False, ""),
        ("alleged", False, ""),
        ("security guarantees", True, "security +1.4"),
        ("security guarantee", True, "security +1.4; guarantee +1.0"),
        ("threat", True, "threat -2.4"),
        ("regex:what (?:he|she|it|they|[A-Z]\\w+) (?:called|calls|describes|described|terms|termed)", False, ""),
    ],
)
def test_unknown_codebook_terms_on_the_study_codebook(codebook, pattern, in_vader, vader_words):
    table = sentiment.unknown_codebook_terms(codebook, include_known=True)
    row = table.loc[table["pattern"] == pattern].iloc[0]
    assert (row["in_vader"], row["vader_words"]) == (in_vader, vader_words)
    assert (pattern in sentiment.unknown_codebook_terms(codebook)["pattern"].tolist()) is not in_vader


def test_unknown_codebook_terms_rejects_bad_input(codebook):
    from analysis.errors import CodebookError

    with pytest.raises(CodebookError, match="no term category 'contested'"):
        sentiment.unknown_codebook_terms(codebook, categories=["contested"])
    with pytest.raises(CodebookError, match="expected a Codebook"):
        sentiment.unknown_codebook_terms({"term_categories": {}})


def test_scores_equal_vader_on_every_seed_sentence(seed_sentences):
    scored = sentiment.score_sentence_table(seed_sentences, progress=False)
    expected = pd.DataFrame([VADER.polarity_scores(text) for text in seed_sentences["text"]], index=seed_sentences.index)
    pd.testing.assert_frame_equal(scored[["compound", "pos", "neu", "neg"]], expected[["compound", "pos", "neu", "neg"]])
    assert scored["outlet"].nunique() == 5 and len(scored) == len(seed_sentences)


def test_actor_sentences_on_seeds_use_measures_evidence(seed_sentences, codebook):
    from analysis.measures import find_matches

    scored = sentiment.score_sentence_table(seed_sentences)
    evidence = find_matches(seed_sentences, codebook, sections=("actors", "term_categories"))
    rows = sentiment.actor_sentences(scored, evidence)
    assert set(rows["actor"]) <= set(codebook.actors_table()["entity"])
    lead = rows[(rows["outlet"] == "Al Mayadeen") & (rows["sentence_index"] == 0)]
    assert sorted(lead["actor"]) == ["Russia", "United States"]
    assert lead["compound"].tolist() == [VADER.polarity_scores(lead["text"].iloc[0])["compound"]] * 2
    actor_rows = evidence[evidence["section"] == "actors"]
    assert rows["n_mentions"].sum() == len(actor_rows)


def test_lexicon_coverage_on_seeds_counts_vader_tokens(seed_sentences):
    coverage = sentiment.lexicon_coverage(seed_sentences)
    assert coverage["outlet"].tolist() == sorted(seed_sentences["outlet"].unique())
    lexicon = VADER.lexicon
    tokens = [t for text in seed_sentences["text"] for t in SentiText(text).words_and_emoticons if any(c.isalnum() for c in t)]
    assert coverage["n_tokens"].sum() == len(tokens)
    assert coverage["n_in_lexicon"].sum() == sum(t.lower() in lexicon for t in tokens)


@pytest.fixture(scope="module")
def seed_pieces(seed_sentences):
    from analysis.corpus import load_corpus
    from analysis.quotes import quotes_table

    return sentiment.split_voices(seed_sentences, quotes_table(load_corpus(), seed_sentences))


@pytest.mark.parametrize(
    "outlet, sentence_index, expected",
    [
        # partial quote, then a partial quote holding a nested scare quote ('attack')
        ("Al Mayadeen", 7, [
            ("narrator", "On the other hand, Russian Deputy Foreign Minister Sergei Ryabkov confirmed to AFP that "
                         "Washington was taking Russia's proposals for security guarantees "),
            ("quoted", '"very seriously"'), ("narrator", ", confirming that Moscow "),
            ("quoted", "\"explained to our colleagues that we have no plans, no intentions to 'attack' Ukraine.\"")]),
        # scare quote: the writer's own word
        ("Al Mayadeen", 12, [
            ("narrator", "Western countries and Kiev accuse Russia of massing about 100,000 troops at the borders of "
                         "Ukraine in preparation for a possible \"invasion.\"")]),
        ("Ru-Main", 10, [
            ("narrator", "As for sanctions, he said the West has "), ("quoted", "“lost the art of dealmaking”"),
            ("narrator", " and been reduced to threats of ultimatums.")]),
        # second sentence of a quotation spanning two sentences
        ("Ru-Main", 15, [("quoted", "It’s over, enough is enough.”")]),
        # statement set off without marks, closed by a speaker line
        ("Pledge Times", 4, [("quoted", "The conversation was difficult, long, very professional, deep and specific.")]),
        ("A News", 15, [
            ("quoted", "\"We will not allow anyone to slam closed NATO's open door policy,\""),
            ("narrator", " she said, while insisting that the United States would not make decisions for other "
                         "countries without them.")]),
    ],
)
def test_split_voices_on_seed_sentences(seed_pieces, outlet, sentence_index, expected):
    rows = seed_pieces[(seed_pieces["outlet"] == outlet) & (seed_pieces["sentence_index"] == sentence_index)]
    assert list(zip(rows["voice"], rows["text"])) == expected


def test_split_voices_rebuilds_every_seed_sentence(seed_sentences, seed_pieces):
    rebuilt = seed_pieces.groupby(["article_id", "sentence_index"])["text"].agg("".join)
    original = seed_sentences.set_index(["article_id", "sentence_index"])["text"].sort_index()
    assert rebuilt.sort_index().tolist() == original.tolist()


def test_narrator_actor_mentions_on_seeds_exclude_quoted_words(seed_sentences, seed_pieces, codebook):
    from analysis.measures import find_matches

    evidence = sentiment.label_voice(find_matches(seed_sentences, codebook, sections=("actors",)), seed_pieces)
    voices = sentiment.score_voices(seed_pieces)
    putin = {"outlet": "Ru-Main", "sentence_index": 18}  # "They [NATO] have squeezed us ..." (Putin, quoted)
    found = {}
    for voice in ("narrator", "quoted"):
        rows = sentiment.actor_sentences(voices, evidence, voice=voice)
        found[voice] = rows.loc[(rows["outlet"] == putin["outlet"]) & (rows["sentence_index"] == putin["sentence_index"]), "actor"]
    assert found["narrator"].tolist() == [] and found["quoted"].tolist() == ["NATO"]
    assert evidence["voice"].isin(["narrator", "quoted"]).all() and len(evidence) > 100


# ---------------------------------------------------------------- voice scores reuse sentence scores
def test_voice_scores_reusing_sentence_scores_are_identical_on_seeds(seed_sentences, seed_pieces):
    scored = sentiment.score_sentence_table(seed_sentences)
    pd.testing.assert_frame_equal(sentiment.score_voices(seed_pieces, sentence_scores=scored),
                                  sentiment.score_voices(seed_pieces), check_exact=True)


def test_voice_scores_run_vader_only_on_text_that_is_not_a_whole_sentence(seed_sentences, seed_pieces, counting_scorer):
    scored = sentiment.score_sentence_table(seed_sentences)
    counting_scorer.scored.clear()
    voices = sentiment.score_voices(seed_pieces, sentence_scores=scored)
    whole = voices.merge(seed_sentences[["article_id", "sentence_index", "text"]], on=["article_id", "sentence_index"],
                         suffixes=("", "_sentence"))
    cut = whole.loc[whole["text"] != whole["text_sentence"], "text"].tolist()
    assert sorted(counting_scorer.scored) == sorted(set(cut))  # each distinct cut text scored exactly once
    assert len(set(cut)) < len(cut)  # the seeds repeat a quotation ('"very seriously"'): scored once
    assert 0 < len(cut) < len(voices) / 3  # most seed sentences hold no quotation


@pytest.mark.parametrize(
    "sentence_text, reused",
    [
        ("Talks were professional but difficult.", True),   # the voice is the whole sentence: same string
        ("Talks were professional but difficult!", False),  # a different string is scored by VADER
    ],
)
def test_voice_scores_reuse_only_the_same_string(counting_scorer, sentence_text, reused):
    voice_text = "Talks were professional but difficult."
    pieces = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "sentence_index": [0], "voice": ["narrator"],
                           "start": [0], "end": [len(voice_text)], "text": [voice_text]})
    scores = VADER.polarity_scores(sentence_text)
    scored = pd.DataFrame({"article_id": ["a"], "sentence_index": [0], "text": [sentence_text],
                           **{column: [scores[column]] for column in sentiment.SCORE_COLUMNS}})
    result = sentiment.score_voices(pieces, sentence_scores=scored)
    assert counting_scorer.scored == ([] if reused else [voice_text])
    assert result["compound"].tolist() == [VADER.polarity_scores(voice_text)["compound"]]


@pytest.mark.parametrize(
    "sentence_scores, message",
    [
        (pd.DataFrame({"article_id": ["a"], "sentence_index": [0], "text": ["x"]}), r"the scored table lacks column\(s\) .*compound"),
        (pd.DataFrame({"article_id": ["a", "a"], "sentence_index": [0, 0], "text": ["x", "x"], "compound": [0.0, 0.0],
                       "pos": [0.0, 0.0], "neu": [1.0, 1.0], "neg": [0.0, 0.0]}), "more than once"),
    ],
)
def test_voice_scores_reject_bad_sentence_scores(sentence_scores, message):
    pieces = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "sentence_index": [0], "voice": ["narrator"],
                           "start": [0], "end": [1], "text": ["x"]})
    with pytest.raises(CorpusError, match=message):
        sentiment.score_voices(pieces, sentence_scores=sentence_scores)


def test_score_sentences_of_repeated_sentences_scores_every_row(counting_scorer):
    texts = [SEED_SENTENCES[0], SEED_SENTENCES[0], SEED_SENTENCES[1]]
    scores = sentiment.score_sentences(texts)
    assert counting_scorer.scored == texts  # no caching across rows: the benchmark stays honest
    assert scores["compound"].tolist() == [VADER.polarity_scores(text)["compound"] for text in texts]

"""Tests for analysis.measures: evidence rows, counts with zeros, naming choices, hedges."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import measures, stats
from analysis.codebook import MATCH_SECTIONS, compile_matcher, load_codebook
from analysis.corpus import load_corpus
from analysis.measures import (EVIDENCE_COLUMNS, HEDGED_COLUMNS, count_matches, find_matches,
                               hedged_claims, naming_choices, scan_sentences)
from analysis.sentences import sentences_table
from analysis.tokens import count_words

SENTENCE_COLUMNS = ["article_id", "outlet", "sentence_index", "start", "end", "text", "is_headline",
                    "is_attribution", "paragraph", "n_words"]
TERMS = ("term_categories",)


def make_sentences(*articles: tuple[str, str, list[str]]) -> pd.DataFrame:
    """A sentences table (docs/ARCHITECTURE.md contract) for articles given as
    ``(article_id, outlet, [sentence, ...])``; the article text joins sentences with a space."""
    rows = []
    for article_id, outlet, texts in articles:
        start = 0
        for index, text in enumerate(texts):
            rows.append((article_id, outlet, index, start, start + len(text), text, False, False, 0,
                         count_words(text)))
            start += len(text) + 1
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)


def article_texts(sentences: pd.DataFrame) -> dict[str, str]:
    return {aid: " ".join(group.sort_values("sentence_index").text) for aid, group in sentences.groupby("article_id")}


@pytest.fixture(scope="module")
def book():
    return load_codebook()


@pytest.fixture(scope="module")
def seeds():
    articles = load_corpus()
    sentences = sentences_table(articles)
    return articles, sentences


@pytest.fixture(scope="module")
def seed_evidence(seeds, book):
    return find_matches(seeds[1], book, sections=(*TERMS, "naming_variants", "actors", "facts"))


# --- find_matches on hand-made sentences -------------------------------------------------


@pytest.mark.parametrize("text, sections, expected", [
    ("Calls for de-escalation, not escalation.", TERMS,
     [("de-escalation", "contested_terms", "de-escalation"), ("escalation", "contested_terms", "escalation")]),
    ("Sergei Ryabkov met Ryabkov’s aide.", ("actors",),
     [("Sergei Ryabkov", "Russia", "Sergei Ryabkov"), ("Ryabkov", "Russia", "Sergei Ryabkov")]),
    ("Russia denies invasion plans", (*TERMS, "facts"),  # different groups may share words
     [("denies", "distancing_markers", "denial"),
      ("denies invasion plans", "facts", "Russia denies invasion plans"),
      ("invasion", "contested_terms", "invasion")]),
    ("They squeezed us, the US side said.", ("actors",), [("US", "United States", "United States")]),
    ("The price Price named.", ("actors",), [("Price", "United States", "Ned Price")]),
    ("They will not close NATO’s doors", ("facts",),
     [("close NATO’s doors", "facts", "NATO expansion is a non-starter")]),
    ("Talks on security\u00a0 guarantees", TERMS,
     [("security\u00a0 guarantees", "contested_terms", "security guarantees")]),
    ("KIEV and Kyiv", ("naming_variants",),
     [("KIEV", "capital of Ukraine", "Kiev"), ("Kyiv", "capital of Ukraine", "Kyiv")]),
    ("Troops allegedly amassed", (*TERMS, "facts"),
     [("Troops allegedly amassed", "facts", "about 100,000 troops near Ukraine"),
      ("allegedly", "distancing_markers", "alleged"), ("amassed", "contested_terms", "troop build-up")]),
    ("İstanbul hosted talks on security guarantees", TERMS,  # lower() lengthens İ: offsets still exact
     [("security guarantees", "contested_terms", "security guarantees")]),
    ("Nothing contested here.", TERMS, []),
])
def test_find_matches_finds_each_term_once_per_group(book, text, sections, expected):
    evidence = find_matches(make_sentences(("a", "X", [text])), book, sections=sections)
    assert list(zip(evidence["match"], evidence["category"], evidence["term"])) == expected


@pytest.mark.parametrize("text", [
    # real sentences from the seeds
    "Russia told the U.S. that it has no plans to attack Ukraine, Sergei Ryabkov said after the talks.",
    "The talks lasted nearly eight hours; the US and NATO rejected Russia’s demands to close NATO’s doors.",
    "Russia also demands that NATO withdraw troops and refrain from missile deployment in Europe.",
    "Ned Price State Department spokesman",
    # hand-made: case, overlapping beginnings, words that only start a pattern
    "The Alliance and the alliance, THE ALLIANCE; US, us, Us and U.S. or u.s.",
    "No plans to ‘attack’, no intentions of invading: what they called sanctions on Kyiv for 7.5 hours.",
    "The price Price named; Russian side, Russian delegation, Russian; reciprocal reciprocity.",
    # letters that lower-casing lengthens (İ) or that fold to ASCII ignoring case (ſ, K)
    "İstanbul: the US said no progress",
    "ſanctions on Moſcow, no progreſs; Kiev and Kyiv with K",
    "Ryabkové and Ryabkov’s aide, Zelenskyy, Sherman‘s",
    "", " ", "\x00US\x00us\x00",
])
def test_fast_scans_find_what_the_two_full_scans_find(book, text):
    matcher = compile_matcher(book, MATCH_SECTIONS)
    lowered = text.lower()
    if len(lowered) == len(text):  # otherwise plain_any_case scans the original text whole
        plain = [(m.start(), m.group(m.lastindex)) for m in matcher.plain.finditer(lowered)]
        assert measures._plain_matches(lowered, matcher) == plain
    special = [(m.regs[g][0], m.regs[g][1], label) for m in matcher.special.finditer(text)
               for g, label in matcher.special_groups if m.regs[g][1] > m.regs[g][0]]
    assert [tuple(span) for span in measures._special_spans(text, lowered, matcher).tolist()] == special


def test_overlapping_groups_all_match_but_one_group_never_overlaps(book):
    sentences = make_sentences(("a", "X", ["Sergey Ryabkov said Washington and the US side agreed."]))
    evidence = find_matches(sentences, book, sections=("naming_variants", "actors"))
    actors = evidence[evidence.section == "actors"]
    assert actors["match"].tolist() == ["Sergey Ryabkov", "Washington", "US"]
    naming = evidence[evidence.section == "naming_variants"]
    assert naming["term"].tolist() == ["Sergey", "Washington", "US"]
    for _, rows in evidence.groupby(["section", "category"]):
        assert (rows["start"].to_numpy()[1:] >= rows["end"].to_numpy()[:-1]).all()


def test_offsets_index_the_article_text_and_rows_follow_the_contract(book):
    sentences = make_sentences(("b", "Y", ["Kiev fears an invasion.", "Ryabkov denied it."]),
                               ("a", "X", ["No attack, said Sherman."]))
    evidence = find_matches(sentences, book)
    assert list(evidence.columns) == EVIDENCE_COLUMNS
    texts = article_texts(sentences)
    assert all(texts[a][s:e] == m for a, s, e, m in evidence[["article_id", "start", "end", "match"]].values)
    positions = evidence[["article_id", "start"]].values.tolist()
    assert positions == sorted(positions)
    row = evidence[evidence["match"] == "denied"].iloc[0]
    assert (row.article_id, row.outlet, row.sentence_index, row.start, row.sentence) == (
        "b", "Y", 1, 32, "Ryabkov denied it.")


def test_evidence_does_not_depend_on_row_order_or_index(book, seeds, seed_evidence):
    _, sentences = seeds
    shuffled = sentences.sample(frac=1, random_state=2022).set_index(sentences.index + 7)
    evidence = find_matches(shuffled, book, sections=(*TERMS, "naming_variants", "actors", "facts"))
    pd.testing.assert_frame_equal(evidence, seed_evidence)


def test_a_match_never_spans_two_sentences(book):
    sentences = make_sentences(("a", "X", ["The talks lasted nearly eight", "hours in Geneva."]))
    assert find_matches(sentences, book, sections=("facts",)).empty


def test_find_matches_on_an_empty_table_returns_typed_empty_evidence(book):
    evidence = find_matches(make_sentences(), book)
    assert list(evidence.columns) == EVIDENCE_COLUMNS and evidence.empty
    assert str(evidence["start"].dtype) == "int64"


@pytest.mark.parametrize("sentences, sections, error", [
    (pd.DataFrame({"text": ["x"]}), TERMS,
     "lacks column\\(s\\) article_id, outlet, sentence_index, start, end, n_words"),
    (make_sentences(("a", "X", ["x"])), ("verbs",), "unknown codebook section 'verbs'"),
])
def test_find_matches_rejects_bad_input_clearly(book, sentences, sections, error):
    with pytest.raises(ValueError, match=error):
        find_matches(sentences, book, sections=sections)


def test_find_matches_wants_a_loaded_codebook():
    with pytest.raises(TypeError, match="expected a Codebook from load_codebook, got str"):
        find_matches(make_sentences(("a", "X", ["x"])), "codebook/geneva-2022.yaml")


def test_scan_sentences_maps_regex_hits_to_rows_and_skips_empty_matches():
    sentences = make_sentences(("a", "X", ["Kiev, Kiev.", "Not here", "kiev"]))
    hits = scan_sentences(sentences, re.compile("Kiev|x*"))
    assert hits.values.tolist() == [[0, 0, 4, "Kiev"], [0, 6, 10, "Kiev"]]


# --- counts ---------------------------------------------------------------------------------

COUNT_SENTENCES = make_sentences(
    ("a1", "X", ["An invasion, an invasion and threats.", "Calm words only here now."]),
    ("a2", "X", ["Nothing."]),
    ("b1", "Y", ["Sanctions were threatened."]),
)


@pytest.mark.parametrize("by, level, key, expected", [
    ("outlet", "term", ("X", "contested_terms", "invasion"), (2, 12, 166.667)),
    ("outlet", "term", ("Y", "contested_terms", "invasion"), (0, 3, 0.0)),
    ("outlet", "term", ("Y", "contested_terms", "threat"), (1, 3, 333.333)),
    ("outlet", "category", ("X", "contested_terms"), (3, 12, 250.0)),
    ("outlet", "category", ("Y", "contested_terms"), (2, 3, 666.667)),
    ("outlet", "category", ("Y", "distancing_markers"), (0, 3, 0.0)),
    ("article_id", "term", ("a2", "contested_terms", "invasion"), (0, 1, 0.0)),
    ("article_id", "term", ("a1", "contested_terms", "threat"), (1, 11, 90.909)),
])
def test_count_matches_gives_counts_words_and_rates_with_zeros(book, by, level, key, expected):
    evidence = find_matches(COUNT_SENTENCES, book, sections=TERMS)
    table = count_matches(evidence, COUNT_SENTENCES, by=by, codebook=book, level=level)
    keys = [by, "category"] + (["term"] if level == "term" else [])
    row = table.set_index(keys).loc[key]
    assert (row["count"], row["words"], row["rate_per_1000"]) == expected
    assert row["rate_low"] <= row["rate_per_1000"] <= row["rate_high"]
    n_terms = len(book.terms_table().drop_duplicates(["category", "term"])) if level == "term" else 2
    assert len(table) == COUNT_SENTENCES[by].nunique() * n_terms


def test_count_matches_by_article_adds_outlet_and_sorts(book):
    evidence = find_matches(COUNT_SENTENCES, book, sections=TERMS)
    table = count_matches(evidence, COUNT_SENTENCES, by="article_id", level="category", codebook=book)
    assert list(table.columns) == ["article_id", "outlet", "category", "count", "words", "rate_per_1000",
                                   "rate_low", "rate_high", "n_articles", "design_effect"]
    assert (table["n_articles"] == 1).all() and (table["design_effect"] == 1.0).all()
    assert table[["article_id", "outlet", "count"]].values.tolist() == [
        ["a1", "X", 3], ["a1", "X", 0], ["a2", "X", 0], ["a2", "X", 0], ["b1", "Y", 2], ["b1", "Y", 0]]


def test_count_matches_without_codebook_lists_terms_seen(book):
    evidence = find_matches(COUNT_SENTENCES, book, sections=TERMS)
    table = count_matches(evidence, COUNT_SENTENCES)
    assert sorted(set(table["term"])) == ["invasion", "sanctions", "threat"]
    assert table["count"].sum() == len(evidence)


@pytest.mark.parametrize("kwargs, error", [({"by": "sentence"}, "by must be"), ({"level": "word"}, "level must be")])
def test_count_matches_rejects_unknown_options(book, kwargs, error):
    with pytest.raises(ValueError, match=error):
        count_matches(find_matches(COUNT_SENTENCES, book), COUNT_SENTENCES, **kwargs)


# --- naming choices ---------------------------------------------------------------------------


def test_naming_choices_counts_variants_per_outlet_with_shares(book):
    sentences = make_sentences(("a", "X", ["Kiev and Kiev, Kyiv."]), ("b", "Y", ["Sergey said so."]),
                               ("c", "Z", ["No names."]))
    evidence = find_matches(sentences, book, sections=("naming_variants",))
    table = naming_choices(evidence, sentences=sentences, codebook=book)
    capital = table[table.concept == "capital of Ukraine"].set_index(["outlet", "variant"])
    assert capital.loc[("X", "Kiev"), ["count", "n", "share"]].tolist() == [2, 3, pytest.approx(2 / 3, abs=1e-6)]
    assert capital.loc[("X", "Kiev"), "share_low"] < 2 / 3 < capital.loc[("X", "Kiev"), "share_high"]
    assert capital.loc[("Y", "Kyiv"), "count"] == 0 and pd.isna(capital.loc[("Y", "Kyiv"), "share"])
    assert set(table.outlet) == {"X", "Y", "Z"}
    assert len(table) == 3 * len(book.naming_table().drop_duplicates(["concept", "variant"]))


# --- hedged claims ----------------------------------------------------------------------------

SEED_HEDGES = [  # real seed sentences (after cleaning) and what the marker hedges
    ("Moscow's Foreign Intelligence Service accused the US State Department of spreading false "
     "information about Russia's alleged troop buildup.", "alleged", "troop buildup"),
    ("she also said Russia must withdraw troops allegedly amassed on Ukraine’s border and listed "
     "financial and other sanctions the US is prepared to impose on Russia if an invasion occurs.",
     "allegedly", "amassed on Ukraine’s border"),
    ('U.S. and Russian representatives held talks in Geneva on Monday, January 10, on so-called '
     '"security guarantees" proposed by the Russian side.', "so-called", "security guarantees"),
    ("Sherman told AFP that the US was ready to meet again, but that Russia had not offered assurances "
     "that it will pull back, what he called, troops amassed near Ukraine.", "what he called",
     "troops amassed near Ukraine"),
    ("Russia denies invasion plans and said it is responding to what it calls aggressive and "
     "provocative behavior from the NATO military alliance and Ukraine, which has tilted toward the West.",
     "what it calls", "aggressive and provocative behavior from the NATO military alliance"),
    ("Russia denies invasion plans and said it is responding.", "denies", "invasion plans"),
    ("He claimed that the talks failed.", "claimed", "the talks failed"),
    ("A ‘so-called’ deal was alleged.", "alleged", ""),
]


@pytest.mark.parametrize("text, marker, hedged", SEED_HEDGES)
def test_hedged_claims_finds_the_words_a_marker_modifies(book, text, marker, hedged):
    sentences = make_sentences(("a", "X", ["Lead sentence.", text]))
    evidence = find_matches(sentences, book, sections=TERMS)
    table = hedged_claims(evidence, sentences).set_index("match")
    row = table.loc[marker]
    assert row["hedged"] == hedged
    assert article_texts(sentences)["a"][row["hedged_start"]:row["hedged_end"]] == hedged


def test_hedged_claims_keeps_evidence_columns_and_only_markers(book):
    sentences = make_sentences(("a", "X", ["The alleged invasion and the so-called threat."]))
    table = hedged_claims(find_matches(sentences, book), sentences)
    assert list(table.columns) == HEDGED_COLUMNS
    assert table[["match", "hedged"]].values.tolist() == [["alleged", "invasion"], ["so-called", "threat"]]


# --- the five seed articles --------------------------------------------------------------------


def seed_id(articles: pd.DataFrame, prefix: str) -> str:
    return articles.loc[articles.article_id.str.startswith(prefix), "article_id"].item()


def test_seed_evidence_points_into_the_cleaned_text(seeds, seed_evidence):
    articles, _ = seeds
    texts = dict(zip(articles.article_id, articles.text))
    assert len(seed_evidence) > 0
    assert all(texts[a][s:e] == m for a, s, e, m in seed_evidence[["article_id", "start", "end", "match"]].values)


@pytest.mark.parametrize("prefix, marker, hedged", [
    ("000", "alleged", "troop buildup"),
    ("000", "what he called", "troops amassed near Ukraine"),
    ("002", "allegedly", "amassed on Ukraine’s border"),
    ("004", "so-called", "security guarantees"),
])
def test_seed_hedges(seeds, seed_evidence, prefix, marker, hedged):
    articles, sentences = seeds
    table = hedged_claims(seed_evidence, sentences)
    rows = table[(table.article_id == seed_id(articles, prefix)) & (table["match"] == marker)]
    assert rows["hedged"].tolist() == [hedged]


@pytest.mark.parametrize("section, term, expected", [  # counts read off the seed text
    ("term_categories", "so-called", {"004": 1}),              # the duplicated body is cleaned away
    ("term_categories", "alleged", {"000": 1, "002": 1}),
    ("naming_variants", "Kiev", {"000": 1, "003": 1}),
    ("naming_variants", "Kyiv", {}),
    ("naming_variants", "Sergey", {"002": 1, "003": 3}),
    ("naming_variants", "Sergei", {"000": 3, "001": 2, "003": 2, "004": 1}),
    ("actors", "Sergei Ryabkov", {"000": 5, "001": 5, "002": 3, "003": 8, "004": 1}),
    ("actors", "Wendy Sherman", {"000": 4, "001": 4, "002": 1, "003": 6, "004": 1}),
    ("actors", "Ned Price", {"003": 2}),                       # "the price" is not Ned Price
])
def test_seed_counts_per_article(seed_evidence, section, term, expected):
    rows = seed_evidence[(seed_evidence.section == section) & (seed_evidence.term == term)]
    assert rows.groupby(rows.article_id.str[:3]).size().to_dict() == expected


def test_seed_counts_use_article_word_totals(seeds, seed_evidence, book):
    articles, sentences = seeds
    table = count_matches(seed_evidence, sentences, by="article_id", codebook=book)
    words = table.drop_duplicates("article_id").set_index("article_id")["words"]
    assert words.to_dict() == articles.set_index("article_id")["n_words"].to_dict()
    naming = naming_choices(seed_evidence, sentences=sentences, codebook=book)
    kyiv = naming[naming.variant == "Kyiv"]
    assert kyiv["count"].tolist() == [0] * 5


# --- outlets with many articles: intervals widened by the spread between articles ---------

def _outlet_of_articles(texts: list[str]) -> pd.DataFrame:
    """Outlet X with one article per text."""
    return make_sentences(*[(f"x{i}", "X", [text]) for i, text in enumerate(texts)])


def test_count_matches_widens_the_interval_when_one_article_holds_every_match(book):
    clumped = _outlet_of_articles(["An invasion, an invasion, an invasion of words here."] + ["Calm words only here."] * 5)
    evidence = find_matches(clumped, book, sections=TERMS)
    row = count_matches(evidence, clumped, codebook=book, level="category").set_index("category").loc["contested_terms"]
    plain = stats.rate_per_thousand(3, int(clumped["n_words"].sum()))
    assert (row["count"], row["rate_per_1000"], row["n_articles"]) == (3, plain.rate, 6)
    rate = 3 / 29  # 9 words in the first article, 4 in each of the other five
    by_hand = 6 / 5 * ((3 - 9 * rate) ** 2 + 5 * (4 * rate) ** 2) / 3
    assert row["design_effect"] == pytest.approx(by_hand, abs=1e-6)
    assert row["rate_low"] < plain.low and row["rate_high"] > plain.high


def test_count_matches_keeps_poisson_intervals_when_articles_agree_or_are_too_few(book):
    even = _outlet_of_articles(["An invasion of calm words here."] * 6)
    evidence = find_matches(even, book, sections=TERMS)
    row = count_matches(evidence, even, codebook=book, level="category").set_index("category").loc["contested_terms"]
    plain = stats.rate_per_thousand(6, int(even["n_words"].sum()))
    assert (row["design_effect"], row["rate_low"], row["rate_high"]) == (1.0, plain.low, plain.high)
    few = _outlet_of_articles(["An invasion, an invasion, an invasion of words here."] + ["Calm words only here."] * 3)
    row = count_matches(find_matches(few, book, sections=TERMS), few, codebook=book, level="category")
    assert row.set_index("category").loc["contested_terms", "design_effect"] == 1.0


def test_naming_shares_are_widened_when_each_article_sticks_to_one_variant(book):
    texts = ["Talks in Kiev and Kiev again."] * 3 + ["Talks in Kyiv and Kyiv again."] * 3
    sentences = _outlet_of_articles(texts)
    names = naming_choices(find_matches(sentences, book, sections=("naming_variants",)), sentences=sentences,
                           codebook=book).set_index("variant")
    kiev = names.loc["Kiev"]
    plain = stats.proportion_ci(6, 12)
    effective = stats.proportion_ci(6, 12, effective_n=12 / (6 / 5 * 2))  # all-or-nothing articles of 2 mentions
    assert (kiev["count"], kiev["n"], kiev["n_articles"]) == (6, 12, 6)
    assert (kiev["share_low"], kiev["share_high"]) == (effective.low, effective.high)
    assert kiev["share_low"] < plain.low


def test_main_variants_take_the_most_used_then_the_first_by_name_and_skip_unmentioned_concepts():
    names = pd.DataFrame({"outlet": ["X"] * 4 + ["Y"] * 2, "concept": ["c", "c", "d", "d", "c", "c"],
                          "variant": ["Kiev", "Kyiv", "Sergei", "Sergey", "Kiev", "Kyiv"],
                          "count": [1, 1, 0, 0, 0, 3], "n": [2, 2, 0, 0, 3, 3]})
    main = measures.main_variants(names)
    assert main[["outlet", "concept", "variant"]].values.tolist() == [["X", "c", "Kiev"], ["Y", "c", "Kyiv"]]

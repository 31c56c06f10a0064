"""Sentence splitting: real seed sentences, hand-made edge cases, whole-seed invariants."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import paths, sentences
from analysis.corpus import load_corpus
from analysis.errors import CorpusError, FramingInputError
from analysis.sentences import find_attribution_tail, sentences_table, split_sentences
from analysis.tokens import count_words

# Sentence counts per seed, read sentence by sentence from the printed table.
EXPECTED_SENTENCE_COUNTS = {
    "000_a7eefb9413371b4f": 19,  # one sentence per kept line, headline and 3 subheadings
    "001_de0073bae24aa22f": 18,  # one line holds two sentences
    "002_17a7bf79769edb64": 24,  # quotations spanning sentences, a "?" inside a quotation
    "003_aa533c3f44658142": 47,  # six speaker lines, two headings without a final period
    "004_1ac8fcbc1455d090": 17,  # list items ending in ";" are sentences of their own
}
EXPECTED_ATTRIBUTIONS = {"003_aa533c3f44658142": 6}
SENTENCES_SEEN_TWICE = {"Sergey Ryabkov Deputy Foreign Minister of Russia"}  # closes 2 paragraphs


@pytest.fixture(scope="module")
def articles() -> pd.DataFrame:
    return load_corpus(paths.CORPUS_DIR)


@pytest.fixture(scope="module")
def table(articles) -> pd.DataFrame:
    return sentences_table(articles)


def texts_of(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


# ---------------------------------------------------------------- real seed sentences
@pytest.mark.parametrize(
    "seed, sentence, is_attribution, is_headline",
    [
        # abbreviations, numbers, quotation marks
        ("000", 'Russia-US talks: Washington takes Moscow proposals "very seriously"', False, True),
        ("000", "Russia responds", False, False),
        ("000", "Western countries and Kiev accuse Russia of massing about 100,000 troops at the "
                'borders of Ukraine in preparation for a possible "invasion."', False, False),
        ("001", "The United States and Russia have concluded security talks in Geneva, the U.S. "
                "State Department said on Monday.", False, False),
        ("001", "Sherman, the No. 2 diplomat at the State Department, will meet with U.S. allies in "
                "Brussels ahead of a NATO-Russia meeting on Wednesday and an Organization for "
                "Security and Co-operation in Europe meeting in Vienna on Thursday.", False, False),
        ("001", 'The U.S. side was "firm" in pushing back on proposals that the West says are '
                '"non-starters," she said.', False, False),
        ("002", "The US declared its openness to discuss the placement of its missiles in Europe and "
                "the size and scope of NATO military exercises on the continent, but its side "
                "represented in the lead by the US Deputy Secretary of State, Wendy Sherman, said "
                "that any limits on NATO’s enlargement are a “non-starter”.", False, False),
        ("002", "Besides, she mainly focused on Ukraine, which the US has claimed is under threat of "
                "a Russian “invasion.”", False, False),
        # a quotation spanning sentences stays split; its closing mark stays with its sentence
        ("002", "“We do not trust the other side, so to speak.", False, False),
        ("002", "It’s over, enough is enough.”", False, False),
        ("002", "Where can we move?", False, False),
        ("002", "They have simply driven us to such a state that we have to tell them: stop,” the "
                "President said.", False, False),
        ("002", "Russia is training its troops on its own sovereign territory and there is no basis "
                "for describing that as an “escalation,” he stressed.", False, False),
        # headings without final punctuation, ellipsis inside a quotation, 7.5 and 10th
        ("003", "7.5 hours negotiations between representatives of Russia and the United States in "
                "Geneva lasted", False, False),
        ("003", "The negotiations lasted almost 8 hours", False, False),
        ("003", "How did you assess the negotiations in the United States?", False, False),
        ("003", "This is a question of Russian national security … The situation is so dangerous "
                "that we can no longer afford to postpone this fundamental issue.", False, False),
        ("003", "“The Russian side touched upon the concerns that we have and which led to the "
                "destruction of the treaty on intermediate and shorter-range missiles … These "
                "concerns concerned Russian medium-range missiles, they remain,” she stressed.",
         False, False),
        ("003", "The meeting began on Monday, January 10th at 9:00 am local time.", False, False),
        ("003", "In total, the discussion between the officials of the two countries lasted about "
                "7.5 hours.", False, False),
        # speaker lines closing a paragraph (the seed without quotation marks)
        ("003", "Without trying to embellish something, go around sharp corners", False, False),
        ("003", "Sergey Ryabkov Deputy Foreign Minister of Russia", True, False),
        ("003", "Sergey Ryabkov Deputy Foreign Minister of the Russian Federation", True, False),
        ("003", "Ned Price State Department spokesman", True, False),
        ("003", "Negotiations on complex issues like arms control cannot be completed in a matter of "
                "days or even weeks", False, False),
        ("003", "Wendy Sherman First Under Secretary of State", True, False),
        ("003", "Wendy Sherman First Deputy Secretary of State of the United States", True, False),
        ("003", "State Department spokesman Ned Price announced this at a briefing.", False, False),
        ("003", "This is not the case, because we have no intention of invading Ukraine, and "
                "therefore we have nothing to bargain with.", False, False),
        ("004", "Russia told the U.S. it has no plans to attack Ukraine;", False, False),
        ("004", "According to RBC-Ukraine, the main statements made by the Russian side:", False, False),
    ],
)
def test_seed_sentence_is_a_row(table, seed, sentence, is_attribution, is_headline):
    rows = table[table["article_id"].str.startswith(seed) & (table["text"] == sentence)]
    assert len(rows) == (2 if sentence in SENTENCES_SEEN_TWICE else 1), f"seed {seed}: {sentence!r}"
    assert rows["is_attribution"].tolist() == [is_attribution] * len(rows)
    assert rows["is_headline"].tolist() == [is_headline] * len(rows)


# ---------------------------------------------------------------- hand-made edge cases
@pytest.mark.parametrize(
    "text, expected",
    [
        ("", []),
        ("   \n\n ", []),
        ("Talks end\nRussia responds", ["Talks end", "Russia responds"]),
        ("Sherman, the No. 2 diplomat, left.", ["Sherman, the No. 2 diplomat, left."]),
        ("The U.S. State Department said so.", ["The U.S. State Department said so."]),
        ("The U.N. Security Council met. Russia objected.",
         ["The U.N. Security Council met.", "Russia objected."]),
        ("Talks with the U.S. The meeting was long.",
         ["Talks with the U.S.", "The meeting was long."]),
        ("Mr. Ryabkov met Dr. Smith in St. Petersburg on Jan. 10 at 9 a.m. local time.",
         ["Mr. Ryabkov met Dr. Smith in St. Petersburg on Jan. 10 at 9 a.m. local time."]),
        ("They met at 9 a.m. The talks began at 10.", ["They met at 9 a.m.", "The talks began at 10."]),
        ("He met J. R. Smith today. Then he left.", ["He met J. R. Smith today.", "Then he left."]),
        ("It lasted 7.5 hours. Then it ended.", ["It lasted 7.5 hours.", "Then it ended."]),
        ("Why? Because! Fine.", ["Why?", "Because!", "Fine."]),
        ("“Where can we move?” he asked. Nobody knew.",
         ["“Where can we move?” he asked.", "Nobody knew."]),
        ("“Stop!” She left.", ["“Stop!”", "She left."]),
        ("“It is over,” he said. “We do not trust them. Enough is enough.”",
         ["“It is over,” he said.", "“We do not trust them.", "Enough is enough.”"]),
        ('"We will see," she said. "It is late."', ['"We will see," she said.', '"It is late."']),
        ("“This is dangerous … The situation is bad,” he said.",
         ["“This is dangerous … The situation is bad,” he said."]),
        ("“We waited... The answer never came.” It was late.",
         ["“We waited... The answer never came.”", "It was late."]),
        ("(He left.) Then she did.", ["(He left.)", "Then she did."]),
        ("  The talks ended.  \u00a0 ", ["The talks ended."]),
    ],
)
def test_split_sentences(text, expected):
    assert texts_of(text) == expected


# Lines on which the fast candidate splitter must give nltk's Punkt spans exactly.
PUNKT_EDGE_LINES = [
    "", ".", " . ", "Talks end", "It ended.", "It ended. ", "  It ended.  Then it began.  ",
    "Very bad acting!!! I promise.", "Why? Because! Fine.", "What?! No.", "Wait... what? Yes.",
    "He said.\tThen left.", "He said.\x0bThen left.", "He said.\x0cThen.\rNext one.",
    "He said.\u00a0Then left.", "He said.  Then left.", "(He left.) Then she did.",
    "“Stop!” She left.", "“It is over,” he said. “We do not trust them. Enough.”",
    '"We will see," she said. "It is late."', "He left.)) Then.", "He left.” ” Then.",
    "Talks with the U.S. The meeting was long.", "The U.S. State Department said so.",
    "They met at 9 a.m. The talks began at 10.", "He met J. R. Smith today. Then he left.",
    "It lasted 7.5 hours. Then it ended. 8. Next.", "Sherman, the No. 2 diplomat, left.",
    "Mr. Ryabkov met Dr. Smith in St. Petersburg on Jan. 10.", "e.g.: this. i.e., that.",
    "a. b. c. d.", "end.--Next", "end. -- Next", "end.\u2019 Next", "end.» Next", "x.y.z. Next",
    "He said: “No.”.” Then.", "U.S.-led talks. Russia-US talks.", "word.Next word. Then",
    "ONE. TWO. three. Four.", "Ça va. Été. Über.", "They said so . Then .", "1. 2. 3.",
    "He left.(", "He left.;", "He left!:", " x. Y z. W", "\tx. Y", "x.\t\tY. Z",
    # separators Python's re counts as whitespace and nltk's regex module does not
    "end.\x1c Next", "end. \x1dNext\x1e. Then", "end.\x1f\x1f", "end.\u2028Next. \x85Then.\u3000 x",
    "“No.”\x1c Then. ”) Next", "end.\xa0\u2019 Next",
]


@pytest.mark.parametrize("line", PUNKT_EDGE_LINES)
def test_punkt_patterns_compiled_with_re_match_as_nltk_regex_patterns(line):
    language = sentences._PUNKT_LANGUAGE
    for ours, theirs in [(sentences._PERIOD_CONTEXT, language.period_context_re()._rx),
                         (sentences._BOUNDARY_REALIGNMENT, language.re_boundary_realignment._rx)]:
        for start in range(len(line) + 1):
            found, expected = ours.match(line, start), theirs.match(line, start)
            assert (found and found.regs) == (expected and expected.regs), (line, start)


@pytest.mark.parametrize("line", PUNKT_EDGE_LINES)
def test_candidate_splitter_gives_the_spans_of_nltk_punkt(line):
    assert sentences._punkt_slices(line) == list(sentences._punkt().span_tokenize(line))


@pytest.mark.parametrize("line", PUNKT_EDGE_LINES)
def test_candidate_contexts_are_those_nltk_punkt_decides_on(line):
    expected = [(match.end(), context)
                for match, context in sentences._punkt()._match_potential_end_contexts(line)]
    assert [(end, context) for end, _, context in sentences._end_contexts(line)] == expected


def test_candidate_splitter_gives_the_spans_of_nltk_punkt_on_every_seed_line():
    punkt = sentences._punkt()
    for line in seed_lines():
        assert sentences._punkt_slices(line) == list(punkt.span_tokenize(line)), line


def plain_contexts() -> list[str]:
    """``word. Word`` contexts over abbreviations, sentence starters and ordinary words."""
    params = sentences._punkt_parameters()
    words = sorted(word for word in params.abbrev_types | params.sent_starters | {"a", "i", "j", "said", "west"}
                   if word.isalpha() and word.isascii())
    forms = sorted({form for word in words for form in (word, word.upper(), word.capitalize())})
    return [f"{before}. {after}" for before in forms for after in forms]


@pytest.mark.parametrize(
    "context",
    ["said. The", "said. the", "West. This", "U.S. is", "No. 2", "Ukraine.\"", "said. “We",
     "a. The", "J. Smith", "I. Then", "Mr. Smith", "mr. smith", "Jan. And", "Gen. However",
     "Gov. The", "Sen. this", "no. The", "Ms. It", "etc. The", "Inc. But"],
)
def test_sentence_break_decision_is_punkt_decision(context):
    assert sentences._is_sentence_break.__wrapped__(context) == (
        sentences._punkt().text_contains_sentbreak(context))


def test_plain_context_decisions_are_punkt_decisions():
    punkt, decide = sentences._punkt(), sentences._is_sentence_break.__wrapped__
    contexts = plain_contexts()
    assert len(contexts) > 1000
    assert [decide(context) for context in contexts] == [
        punkt.text_contains_sentbreak(context) for context in contexts]


def read_entries(section: str) -> list[str]:
    lines, current = paths.PACKAGE_DATA_DIR.joinpath("punkt_abbreviations.txt").read_text(
        encoding="utf-8").splitlines(), None
    entries = []
    for line in (line.strip() for line in lines):
        if line.startswith("["):
            current = line
        elif line and not line.startswith("#") and current == f"[{section}]":
            entries.append(line)
    return entries


@pytest.mark.parametrize("abbreviation", read_entries("abbreviations"))
def test_shipped_abbreviation_does_not_end_a_sentence(abbreviation):
    text = f"They talked about {abbreviation} Ryabkov and others."
    assert texts_of(text) == [text]


@pytest.mark.parametrize("starter", read_entries("sentence_starters"))
def test_shipped_sentence_starter_after_abbreviation_starts_a_sentence(starter):
    assert texts_of(f"Talks with the U.S. {starter} talks went on.") == [
        "Talks with the U.S.", f"{starter} talks went on."]


ATTRIBUTION_CASES = [
    ("The conversation was difficult. Without trying to embellish something, go around sharp "
     "corners Sergey Ryabkov Deputy Foreign Minister of Russia",
     "Sergey Ryabkov Deputy Foreign Minister of Russia"),
    ("We have nothing to bargain with. Sergey Ryabkov Deputy Foreign Minister of Russia",
     "Sergey Ryabkov Deputy Foreign Minister of Russia"),
    ("as long as they are of a practical nature. Ned Price State Department spokesman",
     "Ned Price State Department spokesman"),
    ("It is over. Sergey Ryabkov, Deputy Foreign Minister of Russia",
     "Sergey Ryabkov, Deputy Foreign Minister of Russia"),
    ("We have no choice. Maria Zakharova Foreign Ministry spokeswoman",
     "Maria Zakharova Foreign Ministry spokeswoman"),
    ("We will see Linda Thomas-Greenfield US Ambassador to the UN",
     "Linda Thomas-Greenfield US Ambassador to the UN"),
    ("It is over. Antony J. Blinken Secretary of State", "Antony J. Blinken Secretary of State"),
    ("“Enough is enough.” Jens Stoltenberg NATO Secretary General",
     "Jens Stoltenberg NATO Secretary General"),
    # ordinary sentences, headings and attributions tied into the sentence: no speaker line
    ("State Department spokesman Ned Price announced this at a briefing.", None),
    ("It is over. Sergey Ryabkov Deputy Foreign Minister of Russia.", None),
    ("He said so, said Ned Price State Department spokesman", None),
    ("A statement by Sergey Lavrov Foreign Minister", None),
    ("Wendy Sherman Deputy Secretary of State", None),
    ("US Deputy Secretary of State", None),
    ("It was over. The Russian Deputy Foreign Minister", None),
    ("We met the Deputy Foreign Minister", None),
    ("Biden Warns Putin Ahead of Talks With Russian Foreign Minister", None),
    ("7.5 hours negotiations between representatives of Russia and the United States in "
     "Geneva lasted", None),
    ("Russia-US Security Talks Did Not Show Big Results After First Day", None),
    ("", None),
]


@pytest.mark.parametrize("paragraph, tail", ATTRIBUTION_CASES)
def test_find_attribution_tail(paragraph, tail):
    offset = find_attribution_tail(paragraph)
    assert (None if offset is None else paragraph[offset:]) == tail


def seed_lines() -> list[str]:
    """Every line of the raw and the cleaned seeds."""
    raw = [line for path in sorted(paths.RAW_DIR.glob("*.txt"))
           for line in path.read_text(encoding="utf-8").split("\n")]
    return raw + [line for text in load_corpus(paths.CORPUS_DIR)["text"] for line in text.split("\n")]


# The look-aheads sentences._attribution_pattern puts before its word lists and letters only
# speed it up; without them it is the pattern as written in plain form.
SPEED_GUARDS = re.compile(r"\(\?=\(\?i:\[[^\]]*\]\)\)|\(\?=\[A-ZÀ-ÖØ-Þ\]\)|\(\?=\[0-9a-zß-öø-ÿ\]\)")


def test_attribution_pattern_without_its_speed_guards_finds_the_same_tails():
    guarded = sentences._attribution_pattern()
    plain = re.compile(SPEED_GUARDS.sub("", guarded.pattern))
    assert plain.pattern != guarded.pattern
    cases = seed_lines() + [paragraph for paragraph, _ in ATTRIBUTION_CASES]
    found = [(m.start("tail") if (m := guarded.search(line)) else None) for line in cases]
    assert found == [(m.start("tail") if (m := plain.search(line)) else None) for line in cases]
    assert sum(start is not None for start in found) >= 12


def test_attribution_tail_is_split_off_as_its_own_sentence():
    text = "Go around sharp corners Sergey Ryabkov Deputy Foreign Minister of Russia\nNext."
    assert texts_of(text) == ["Go around sharp corners",
                              "Sergey Ryabkov Deputy Foreign Minister of Russia", "Next."]


# ---------------------------------------------------------------- the sentences table
@pytest.mark.parametrize("article_id, count", sorted(EXPECTED_SENTENCE_COUNTS.items()))
def test_seed_sentence_counts(table, article_id, count):
    assert (table["article_id"] == article_id).sum() == count


@pytest.mark.parametrize("article_id", sorted(EXPECTED_SENTENCE_COUNTS))
def test_seed_attribution_counts(table, article_id):
    rows = table[table["article_id"] == article_id]
    assert rows["is_attribution"].sum() == EXPECTED_ATTRIBUTIONS.get(article_id, 0)


def test_table_has_the_contract_columns_and_types(table):
    assert list(table.columns) == sentences.SENTENCE_COLUMNS
    for column in ("sentence_index", "start", "end", "paragraph", "n_words"):
        assert table[column].dtype == "int64"
    assert table["is_headline"].dtype == bool and table["is_attribution"].dtype == bool


@pytest.mark.parametrize("article_id", sorted(EXPECTED_SENTENCE_COUNTS))
def test_seed_sentences_are_spans_of_the_cleaned_text(articles, table, article_id):
    text = articles.set_index("article_id").loc[article_id, "text"]
    rows = table[table["article_id"] == article_id]
    assert rows["sentence_index"].tolist() == list(range(len(rows)))
    assert [text[start:end] for start, end in zip(rows["start"], rows["end"])] == rows["text"].tolist()
    assert (rows["end"] > rows["start"]).all()
    assert (rows["start"].iloc[1:].to_numpy() >= rows["end"].iloc[:-1].to_numpy()).all()
    assert not rows["text"].str.contains("\n").any()
    assert (rows["text"] == rows["text"].str.strip()).all()
    assert rows["paragraph"].tolist() == [text.count("\n", 0, start) for start in rows["start"]]
    assert rows["n_words"].tolist() == [count_words(sentence) for sentence in rows["text"]]


def test_seed_text_outside_sentences_is_whitespace(articles, table):
    for article in articles.itertuples():
        covered = [False] * len(article.text)
        for row in table[table["article_id"] == article.article_id].itertuples():
            covered[row.start:row.end] = [True] * (row.end - row.start)
        left_out = "".join(char for char, used in zip(article.text, covered) if not used)
        assert left_out.strip() == "", article.article_id


def test_headline_flag_follows_headline_in_text(articles, table):
    merged = table.merge(articles[["article_id", "headline_in_text"]], on="article_id")
    expected = merged["headline_in_text"] & (merged["paragraph"] == 0)
    assert merged["is_headline"].tolist() == expected.tolist()
    assert not merged.loc[merged["article_id"].str.startswith("003"), "is_headline"].any()


def test_table_is_sorted_and_deterministic(articles, table):
    shuffled = articles.sample(frac=1, random_state=2022)
    assert sentences_table(shuffled).equals(table)
    assert table[["article_id", "sentence_index"]].equals(
        table[["article_id", "sentence_index"]].sort_values(["article_id", "sentence_index"]))


def test_empty_articles_table_gives_empty_sentences_table(articles):
    empty = sentences_table(articles.iloc[:0])
    assert list(empty.columns) == sentences.SENTENCE_COLUMNS and empty.empty


def make_articles(**changes) -> pd.DataFrame:
    table = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"],
                          "text": ["One. Two.", "Three"], "headline_in_text": [False, True]})
    return table.assign(**changes)


@pytest.mark.parametrize(
    "articles_in, message",
    [
        (make_articles().drop(columns=["headline_in_text"]), "lacks column(s) headline_in_text"),
        (make_articles(text=["One.", None]), "article 'b' has no cleaned text"),
        (make_articles(file=["raw/a.txt", "raw/b.txt"], text=["One.", None]),
         "raw/b.txt: article 'b' has no cleaned text"),
        (make_articles(text=["One.", 3]), "article 'b' has no cleaned text"),
        (make_articles(headline_in_text=[True, None]), "article 'b' has no headline_in_text"),
        (make_articles(article_id=["a", "a"]), "article 'a' appears twice"),
    ],
)
def test_bad_articles_table_raises_corpus_error(articles_in, message):
    with pytest.raises(CorpusError, match=message.replace("(", r"\(").replace(")", r"\)")):
        sentences_table(articles_in)


def test_hand_made_articles_table():
    table = sentences_table(make_articles(), progress=True)
    assert table[["article_id", "text", "is_headline", "paragraph"]].values.tolist() == [
        ["a", "One.", False, 0], ["a", "Two.", False, 0], ["b", "Three", True, 0]]


def test_data_file_entry_before_a_section_is_reported(tmp_path):
    broken = tmp_path / "titles.txt"
    broken.write_text("# comment\nMinister\n[heads]\nSecretary\n", encoding="utf-8")
    with pytest.raises(FramingInputError, match=r"titles\.txt: line 2 \('Minister'\)"):
        sentences._read_sections(broken)


def test_attribution_search_from_the_last_word_no_speaker_line_holds_finds_every_tail():
    pattern = sentences._attribution_pattern()
    cases = seed_lines() + [paragraph for paragraph, _ in ATTRIBUTION_CASES] + [
        "He said: “No.” Antony J. Blinken U.S. Secretary of State",
        "it ended. Sergey Ryabkov, Deputy Foreign Minister of Russia",
        "Talks (in Geneva) ended Ned Price State Department spokesman",
        "First line. Ned Price State Department spokesman\nSecond line. Maria Zakharova Foreign Ministry spokeswoman",
        "Ends here.\n", "x. Ned Price State Department spokesman\n",
    ]
    for paragraph in cases:
        assert 0 <= sentences._tail_search_start(paragraph) <= len(paragraph)
        match = pattern.search(paragraph) if paragraph.rstrip()[-1:].isalpha() else None
        assert find_attribution_tail(paragraph) == (match.start("tail") if match else None), paragraph

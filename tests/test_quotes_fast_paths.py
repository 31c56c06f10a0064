"""The fast paths of analysis.quotes (bytes scan for candidate words, one-word aliases without an
expression, gender scans cut short) find exactly what the plain ways find."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis import paths, quotes
from analysis.codebook import load_codebook
from analysis.corpus import load_corpus

TRICKY = [
    "Russia’s “security guarantees” – said Ryabkov; US officials, the U.S. side and us.",
    "RUSSIA said_ it; _Russia said; Russia2 said; 2Russia said; said\u00a0Ryabkov « Sherman » ·Putin·",
    "Price rose, price fell; PRICE said; Ned Price said; Ned  Price, the State Department spokesman, said",
    "Sergei Ryabkov said, Sergey RYABKOV stressed, the alliance said, The Alliance SAID, North Atlantic Alliance",
    "He said; she told; HE SAID; said he; told reporters she; according to him, According to Her",
    "\n\nWendy Sherman said she\n“Wendy\nSherman” said he…Moscow’s—Kremlin’s—Kiev/Kyiv (Ukraine)",
    "",
    "a",
    "said",
]


@pytest.fixture(scope="module")
def vocab():
    return quotes._vocabulary(quotes._default_codebook())


@pytest.fixture(scope="module")
def texts():
    return [*load_corpus().text, *TRICKY]


def test_bytes_scan_finds_the_candidate_words_the_text_scan_finds(vocab, texts):
    for text in texts:
        assert not quotes._has_letter_beyond_ascii(text)
        expected = quotes._candidates_beyond_ascii(text, vocab)  # no such letters: the plain text scan
        assert quotes._candidates(text, vocab) == expected


@pytest.mark.parametrize("text, beyond", [
    ("Ryabkové said", True), ("Moſcow said", True), ("\u212aremlin said", True), ("Kyiv’s “no” – …", False),
    ("", False), ("İ", True), ("²", True), ("«»\u00a0·", False),
])
def test_letters_beyond_ascii_are_the_non_ascii_word_characters(text, beyond):
    assert quotes._has_letter_beyond_ascii(text) is beyond
    assert any(not c.isascii() and c.isalnum() for c in text) is beyond


def _full_actor_spans(text: str, vocab) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.lastgroup) for m in vocab.actor_re.finditer(text)]


def test_one_word_aliases_are_found_without_an_expression(vocab, texts):
    for text in [*texts, "Ryabkové said; Moſcow and Moscow; İ Russia"]:
        context = quotes._bare_context(text, vocab)
        assert quotes._actor_spans(context) == _full_actor_spans(text, vocab), text


def test_one_word_aliases_of_the_default_codebook(vocab):
    names = quotes.group_term_names(quotes._default_codebook().match_groups("actors")[0])
    one_word = {key: (alias, names[name].name) for key, (alias, name) in vocab.one_word_actors.items()}
    assert one_word["russia"] == (None, "Russia") and one_word["us"] == ("US", "United States")
    assert one_word["price"] == ("Price", "Ned Price")  # case-sensitive: "price" is a common word
    assert not {"the", "sergei", "united", "u", "russian"} & one_word.keys()  # these start several words


def test_one_word_aliases_with_the_mini_codebook():
    book = load_codebook(paths.PROJECT_ROOT / "tests" / "data" / "mini_codebook.yaml")
    vocab = quotes._vocabulary(book)
    assert vocab.one_word_actors
    for text in load_corpus(paths.PROJECT_ROOT / "tests" / "data" / "mini_corpus").text:
        assert quotes._actor_spans(quotes._bare_context(text, vocab)) == _full_actor_spans(text, vocab)


def test_gender_scans_stop_after_the_last_pronoun_a_verb_leads_to(vocab, texts):
    for text in texts:
        context = quotes._bare_context(text, vocab)
        last = quotes._gender_scan_last(context)
        full = [m.start() for m in vocab.gender_re.finditer(text)]
        assert all(start <= last for start in full), text
        scanned = quotes._scan(context, "gender_re", last=last) if last >= 0 else []
        assert [m.start() for m in scanned] == full


def test_sentence_spans_by_article_in_text_order():
    sentences = pd.DataFrame({"article_id": ["b", "a", "b", "c"], "start": [5, 0, 0, 2], "end": [9, 3, 4, 8]})
    assert quotes._sentence_spans_by_article(sentences) == {"a": ([0], [3]), "b": ([0, 5], [4, 9]), "c": ([2], [8])}
    assert quotes._sentence_spans_by_article(sentences.iloc[:0]) == {}

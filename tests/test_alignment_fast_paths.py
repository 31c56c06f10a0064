"""The shortcuts of the corpus-wide stages give what the plain rules give.

- shared_copy prunes pairs with bounds (common shingles as bits, a text's home outlet):
  it must still equal the containment rule applied row by row, on corpora with many
  common shingles, bit clashes, repeated texts within and across outlets, and a reference.
- align_sentences counts candidate pairs per block with a sparse product: it must equal
  the count of cross-outlet sentence pairs sharing an n-gram.
- coded_words cuts texts with pyarrow: every kind of text column gives the tokens of
  tokenising each text whole.
- text_words finds the texts with the same normalised words once (``sequences``) for both
  stages; ``take`` renumbers them as finding them again on the rows taken would, and both
  stages give the same tables with or without them.
- Keys are numbered by marking them in a table (``_number_keys``), equal to pandas' sorted
  factorize; common shingles become bits by one reduction per row (``_common_bits``),
  equal to setting each bit; tokens are keyed a chunk at a time, whatever the chunk.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow
import pytest
from scipy import sparse

from analysis import alignment, findings
from analysis.alignment import align_sentences, ngram_features, shared_copy, tfidf_matrix
from analysis.keyness import coded_words
from analysis.tokens import WORD_TOKEN_PATTERN, normalise

WORDS = ["talks", "troops", "border", "russia", "nato", "said", "the", "of", "in", "geneva"]


def random_sentences(seed: int, n: int = 150) -> pd.DataFrame:
    """Sentences over a tiny vocabulary (so shingles repeat): a quarter repeated verbatim, some
    in capitals (the same words in another text), some extended (containment), some speaker
    lines; three to an article, five outlets."""
    rng = np.random.default_rng(seed)
    texts: list[str] = []
    for _ in range(n):
        draw = rng.random()
        if texts and draw < 0.25:
            texts.append(texts[rng.integers(len(texts))])
        elif texts and draw < 0.4:
            texts.append(texts[rng.integers(len(texts))].upper().rstrip(".") + "!")
        elif texts and draw < 0.5:
            texts.append(texts[rng.integers(len(texts))] + " " + " ".join(rng.choice(WORDS, 3)))
        else:
            texts.append(" ".join(rng.choice(WORDS, rng.integers(1, 14))) + ".")
    return pd.DataFrame({"article_id": [f"a{row // 3}" for row in range(n)], "sentence_index": np.arange(n) % 3,
                         "outlet": rng.choice(["A", "B", "C", "D", "E"], n), "text": texts,
                         "is_attribution": rng.random(n) < 0.15})


def shingle_sets(texts: list[str], shingle: int) -> list[set[str]]:
    features = ngram_features(pd.DataFrame({"text": texts}), ngram_range=(shingle, shingle), stopwords=False)
    sets: list[set[str]] = [set() for _ in texts]
    for row, term in zip(features["row"], features["term"]):
        sets[row].add(term)
    return sets


def shared_copy_oracle(sentences: pd.DataFrame, *, shingle: int, reference: str | None) -> tuple[list, list]:
    """Every pair of rows of different outlets sharing an uncommon shingle, by containment;
    per row the best (ties: the first row, the reference last), or -1 and 0."""
    texts = sentences["text"].tolist() + ([] if reference is None else [reference])
    outlets = sentences["outlet"].tolist() + ([] if reference is None else [None])
    sets = shingle_sets(texts, shingle)
    frequency = pd.Series([term for terms in sets for term in terms], dtype=object).value_counts()
    uncommon = set(frequency.index[frequency <= alignment.MAX_NGRAM_SENTENCES])
    partners, scores = [], []
    for row in range(len(sentences)):
        best, best_score = -1, 0.0
        for other, other_terms in enumerate(sets):
            if outlets[other] != outlets[row] and sets[row] & other_terms & uncommon:
                score = len(sets[row] & other_terms) / min(len(sets[row]), len(other_terms))
                if score > best_score or best < 0:
                    best, best_score = other, score
        partners.append(best)
        scores.append(best_score)
    return partners, scores


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("max_sentences, common_bits, block_rows", [(200, 128, 1024), (3, 128, 16), (4, 64, 7)])
@pytest.mark.parametrize("reference", [None, "Russia said the talks of NATO troops. The border talks said"])
def test_shared_copy_equals_the_rule_with_many_common_shingles(monkeypatch, seed, max_sentences, common_bits,
                                                                block_rows, reference):
    monkeypatch.setattr(alignment, "MAX_NGRAM_SENTENCES", max_sentences)
    monkeypatch.setattr(alignment, "COMMON_BITS", common_bits)
    monkeypatch.setattr(alignment, "BLOCK_ROWS", block_rows)
    sentences = random_sentences(seed)
    result = shared_copy(sentences, shingle=2, reference=reference)
    partners, scores = shared_copy_oracle(sentences, shingle=2, reference=reference)
    keys = list(zip(sentences["article_id"], sentences["sentence_index"])) + [(alignment.REFERENCE_ID, None)]
    expected = [keys[partner] if partner >= 0 else (None, None) for partner in partners]
    found = [(article, None if pd.isna(index) else int(index)) if not pd.isna(article) else (None, None)
             for article, index in zip(result["matched_article_id"], result["matched_sentence_index"])]
    assert found == expected
    assert result["similarity"].tolist() == scores


@pytest.mark.parametrize("common_bits", [64, 128])
def test_common_bits_bound_the_common_shingles_two_texts_share(monkeypatch, common_bits):
    monkeypatch.setattr(alignment, "COMMON_BITS", common_bits)
    rng = np.random.default_rng(7)
    common = sparse.csr_matrix(rng.random((60, 300)) < 0.05)
    bits = alignment._common_bits(common)
    rows_a, rows_b = np.repeat(np.arange(60), 60), np.tile(np.arange(60), 60)
    shared = np.asarray(common.astype("int64") @ common.T.astype("int64").toarray())[rows_a, rows_b]
    bound = alignment._shared_common_bound(bits, rows_a, rows_b)
    assert (bound >= shared).all() and (bound[rows_a == rows_b] == np.diff(common.indptr)).all()


def cross_outlet_pairs_sharing_an_ngram(sentences: pd.DataFrame) -> int:
    outlets = sentences["outlet"].to_numpy()
    max_df = min(max(0.2 * len(sentences), len(set(outlets))), alignment.MAX_NGRAM_SENTENCES)
    matrix = tfidf_matrix(ngram_features(sentences, stem=True), n_rows=len(sentences), max_df=max_df).toarray()
    shares = (matrix > 0).astype(int) @ (matrix > 0).astype(int).T > 0
    return int(np.triu(shares & (outlets[:, None] != outlets[None, :]), k=1).sum())


@pytest.mark.parametrize("seed", [0, 3])
@pytest.mark.parametrize("block_rows", [1024, 5])
def test_candidate_pairs_count_every_cross_outlet_pair_sharing_an_ngram(monkeypatch, seed, block_rows):
    monkeypatch.setattr(alignment, "BLOCK_ROWS", block_rows)
    sentences = random_sentences(seed, n=80).assign(text=lambda table: table["text"] + " Geneva Vienna")
    pairs = align_sentences(sentences)
    assert pairs.attrs["candidate_pairs"] == cross_outlet_pairs_sharing_an_ngram(sentences)


TEXTS = ["Russia’s troops,amassed", None, "", "  U.S.  talks\u00a0end ", "NATO\x1cOSCE  \t", "well-\nknown"]


def text_columns() -> dict[str, object]:
    arrow = pyarrow.chunked_array([pyarrow.array(TEXTS[:2], pyarrow.large_string()),
                                   pyarrow.array(TEXTS[2:], pyarrow.large_string())])
    return {
        "list with non-texts": TEXTS + [float("nan"), 3],
        "lone surrogates": TEXTS + ["Talks\ud800ended \udfffin Geneva\ud800"],
        "object array": np.array(TEXTS + [float("nan")], dtype=object),
        "str series": pd.Series(TEXTS, dtype="str"),
        "python strings": pd.Series(TEXTS, dtype=pd.StringDtype("python")),
        "str index": pd.Index(TEXTS, dtype="str"),
        "chunked arrow": pd.Series(pd.arrays.ArrowStringArray(arrow)),
    }


@pytest.mark.parametrize("kind", list(text_columns()))
@pytest.mark.parametrize("block_size", [1, 4, 50_000])
def test_coded_words_of_every_kind_of_text_column(kind, block_size):
    texts = text_columns()[kind]
    coded = coded_words(texts, block_size=block_size)
    expected = [(row, normalise(token)) for row, text in enumerate(texts) if isinstance(text, str)
                for token in WORD_TOKEN_PATTERN.findall(text)]
    assert list(zip(coded.row.tolist(), coded.vocabulary[coded.code].tolist())) == expected
    assert coded.vocabulary.tolist() == list(dict.fromkeys(word for _, word in expected))
    assert coded.row.dtype == "int32" and coded.code.dtype == "int32"


def sequences_found_again(words: alignment.TextWords) -> np.ndarray:
    return alignment._same_words(words.words, int(words.text_codes.max(initial=-1)) + 1)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sequences_are_those_found_from_the_words(seed):
    words = alignment.text_words(random_sentences(seed)["text"])
    assert words.sequences.tolist() == sequences_found_again(words).tolist()
    assert words.sequences.max() < words.text_codes.max()  # the corpus has texts with the same words


@pytest.mark.parametrize("rows", [None, "ordered", "shuffled"])
def test_taken_sequences_are_those_found_from_the_rows_taken(rows):
    sentences = random_sentences(3)
    rng = np.random.default_rng(5)
    chosen = {None: np.arange(len(sentences)), "ordered": np.flatnonzero(rng.random(len(sentences)) < 0.6),
              "shuffled": rng.permutation(len(sentences))[:90]}[rows]
    taken = alignment.text_words(sentences["text"]).take(chosen)
    assert taken.sequences.tolist() == sequences_found_again(taken).tolist()


@pytest.mark.parametrize("seed", [0, 4])
def test_stages_give_the_same_tables_without_sequences(seed):
    sentences = random_sentences(seed)
    words = alignment.text_words(sentences["text"])
    bare = alignment.TextWords(words.text_codes, words.words)
    pd.testing.assert_frame_equal(alignment.shared_copy(sentences, words=words),
                                  alignment.shared_copy(sentences, words=bare), check_exact=True)
    with_sequences = findings.content_alignment(sentences, words=words)
    without = findings.content_alignment(sentences, words=bare)
    pd.testing.assert_frame_equal(with_sequences, without, check_exact=True)
    assert with_sequences.attrs["candidate_pairs"] == without.attrs["candidate_pairs"]


def test_a_reference_repeating_a_text_joins_its_sequence():
    sentences = random_sentences(6)
    words = alignment.text_words(sentences["text"]).with_text(sentences["text"].iloc[4].upper())
    assert words.sequences is None
    unique, _ = alignment._unique_texts(words)
    assert unique.codes[-1] == unique.codes[4]


@pytest.mark.parametrize("table_limit", [1 << 20, 4])
def test_numbered_keys_equal_sorted_factorize(monkeypatch, table_limit):
    monkeypatch.setattr(alignment, "KEY_CHUNK", table_limit)
    keys = np.random.default_rng(7).integers(0, 50, 400) * 3
    groups, distinct = alignment._number_keys(keys, 150)
    expected_groups, expected_distinct = pd.factorize(keys, sort=True)
    assert groups.tolist() == expected_groups.tolist()
    assert distinct.tolist() == expected_distinct.tolist()


@pytest.mark.parametrize("common_bits", [64, 128])
@pytest.mark.parametrize("chunk", [1 << 20, 128])  # 128: two rows per share, some shares empty
def test_common_bits_set_each_shingles_bit(monkeypatch, common_bits, chunk):
    monkeypatch.setattr(alignment, "COMMON_BITS", common_bits)
    monkeypatch.setattr(alignment, "KEY_CHUNK", chunk)
    rng = np.random.default_rng(8)
    dense = rng.random((9, 300)) < 0.05
    dense[[2, 3, 6]] = False  # rows without common shingles
    bits = alignment._common_bits(sparse.csr_matrix(dense))
    for row, columns in enumerate(dense):
        set_bits = {int(column) % alignment.COMMON_BITS for column in np.flatnonzero(columns)}
        words = [sum(1 << bit - 64 * number for bit in set_bits if bit // 64 == number)
                 for number in range(common_bits // 64)]
        assert [int(word[row]) for word in bits.words] == words
        assert bits.clashes[row] == columns.sum() - len(set_bits)


def test_small_key_chunks_give_the_same_tables(monkeypatch):
    sentences = random_sentences(9)
    expected = (alignment.shared_copy(sentences), findings.content_alignment(sentences))
    monkeypatch.setattr(alignment, "KEY_CHUNK", 64)
    pd.testing.assert_frame_equal(alignment.shared_copy(sentences), expected[0], check_exact=True)
    pd.testing.assert_frame_equal(findings.content_alignment(sentences), expected[1], check_exact=True)


def test_stopwords_before_each_token_are_counted_in_int32():
    words = alignment.text_words(["talks in the border of Geneva", "the of"]).words
    before = alignment._excluded_before(words, stopwords=True)
    assert before.dtype == np.int32
    assert before.tolist() == [0, 0, 1, 2, 2, 3, 3, 4, 5]

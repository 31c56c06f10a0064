"""The shortcuts of the corpus-wide stages give what the plain rules give.

- shared_copy prunes pairs with bounds (common shingles as bits, a text's home outlet):
  it must still equal the containment rule applied row by row, on corpora with many
  common shingles, bit clashes, repeated texts within and across outlets, and a reference.
- align_sentences counts candidate pairs per block with a sparse product: it must equal
  the count of cross-outlet sentence pairs sharing an n-gram.
- coded_words cuts texts with pyarrow: every kind of text column gives the tokens of
  tokenising each text whole.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow
import pytest
from scipy import sparse

from analysis import alignment
from analysis.alignment import align_sentences, ngram_features, shared_copy, tfidf_matrix
from analysis.keyness import coded_words
from analysis.tokens import WORD_TOKEN_PATTERN, normalise

WORDS = ["talks", "troops", "border", "russia", "nato", "said", "the", "of"]


def random_sentences(seed: int, n: int = 120) -> pd.DataFrame:
    """Sentences over a tiny vocabulary (so shingles repeat), a quarter repeated verbatim,
    some in capitals (the same words), some extended (containment), over four outlets."""
    rng = np.random.default_rng(seed)
    texts: list[str] = []
    for _ in range(n):
        draw = rng.random()
        if texts and draw < 0.25:
            texts.append(texts[rng.integers(len(texts))])
        elif texts and draw < 0.35:
            texts.append(texts[rng.integers(len(texts))].upper() + "!")
        elif texts and draw < 0.5:
            texts.append(texts[rng.integers(len(texts))] + " " + " ".join(rng.choice(WORDS, 3)))
        else:
            texts.append(" ".join(rng.choice(WORDS, rng.integers(2, 12))) + ".")
    return pd.DataFrame({"article_id": [f"a{row}" for row in range(n)], "sentence_index": 0,
                         "outlet": rng.choice(["A", "B", "C", "D"], n), "text": texts})


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

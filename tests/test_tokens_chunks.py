"""Word counts from whitespace chunks: whole texts and spans agree with count_words exactly."""
from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from analysis import paths, tokens
from analysis.tokens import count_words, span_word_counts, word_counts

SEED_TEXTS = [path.read_text(encoding="utf-8") for path in sorted(paths.RAW_DIR.glob("*.txt"))]
TRICKY_TEXTS = [
    "", " ", "It ended.Then U.S.-Russia talks", "“Enough.”He left", "a_b 10th 5'b ’Tis players’ —",
    "cafe\u0301 e\u0301x \u0301a موسَّعة", "x\u200by \ufeffz 𝐀𝐁 a𝐀b \ud800q", "¹²³ ½ Ⅻ ² a²", "word" * 40000,
]


@pytest.fixture(autouse=True)
def forget_remembered_batch():
    tokens._remembered.batch = ((), None)
    yield
    tokens._remembered.batch = ((), None)


def test_word_counts_of_tricky_texts_are_count_words():
    assert word_counts(TRICKY_TEXTS).tolist() == [count_words(text) for text in TRICKY_TEXTS]


def test_every_simple_chunk_kind_counts_as_the_pattern_does():
    kinds = tokens._character_kinds()
    letters = [chr(code) for code in np.flatnonzero(kinds == tokens._LETTER)[::97]]
    punctuation = [chr(code) for code in np.flatnonzero(kinds == tokens._PUNCTUATION)]
    chunks = [f"{mark}{letter}{letter}{mark}" for letter, mark in zip(letters * 20, punctuation)] + punctuation
    assert word_counts(chunks).tolist() == [count_words(chunk) for chunk in chunks]


def test_span_word_counts_are_count_words_of_the_spans_cut_anywhere():
    texts = SEED_TEXTS + TRICKY_TEXTS
    rng = random.Random(2022)
    rows, starts, ends = [], [], []
    for row, text in enumerate(texts):
        for _ in range(300):
            start, end = sorted(rng.randint(0, len(text)) for _ in range(2))
            rows.append(row)
            starts.append(start)
            ends.append(end)
    counts = span_word_counts(texts, np.array(rows), np.array(starts), np.array(ends))
    expected = [count_words(texts[row][start:end]) for row, start, end in zip(rows, starts, ends)]
    assert counts.dtype == "int64" and counts.tolist() == expected


def test_spans_of_texts_without_words_count_none():
    assert span_word_counts(["", " \n"], np.array([0, 1, 1]), np.array([0, 0, 1]), np.array([0, 2, 2])).tolist() == [0, 0, 0]


def test_the_last_batch_is_remembered_and_a_large_one_is_not(monkeypatch):
    first = tokens.chunk_words(["Talks end", "It ended."])
    assert tokens.chunk_words(("Talks" + " end", "It ended.")) is first
    monkeypatch.setattr(tokens, "_BATCH_CHARS", 5)
    assert tokens.chunk_words(["Talks end"]) is not tokens.chunk_words(["Talks end"])
    assert tokens._remembered.batch == ((), None)


def test_each_thread_remembers_its_own_batch():
    mine = tokens.chunk_words(["Talks end"])
    with ThreadPoolExecutor(1) as pool:
        theirs = pool.submit(tokens.chunk_words, ["It ended."]).result()
    assert tokens.chunk_words(["Talks end"]) is mine and theirs is not mine


@pytest.mark.parametrize("pass_chars, batch_chars", [(1, 1), (7, 20), (5000, 9000), (1 << 22, 1 << 24)])
def test_counts_are_the_same_in_small_passes_and_batches(monkeypatch, pass_chars, batch_chars):
    texts = SEED_TEXTS + TRICKY_TEXTS
    monkeypatch.setattr(tokens, "_PASS_CHARS", pass_chars)
    monkeypatch.setattr(tokens, "_BATCH_CHARS", batch_chars)
    assert word_counts(texts).tolist() == [count_words(text) for text in texts]
    rows, starts, ends = np.array([7, 0, 2, 0]), np.array([2, 3, 0, 0]), np.array([9, 400, 30, 2])  # any order
    expected = [count_words(texts[row][a:b]) for row, a, b in zip(rows, starts, ends)]
    assert span_word_counts(texts, rows, starts, ends).tolist() == expected


def test_groups_of_texts_by_size():
    assert tokens._firsts_by_size(np.array([], dtype="int64"), 10) == [0]
    assert tokens._firsts_by_size(np.array([30, 1]), 10) == [0, 1, 2]  # a long text alone

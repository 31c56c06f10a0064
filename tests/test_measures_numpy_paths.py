"""Fast paths of codebook matching: numpy lower-casing, byte-table word characters,
special spans as arrays and match texts sliced once per distinct sentence."""
import random
import re

import numpy as np
import pandas as pd
import pytest

from analysis import measures
from analysis.codebook import compile_matcher, load_codebook

_ALPHABET = ("abcXYZ _-.’“”'\"0179\u00a0\u00c9\u00df\u03a3\u03c3\u0130\u0131\u017f\u212a\u01c4\u1e9e"
             "\u2041\u0141\u015f\u0400\u0410\ud800\U00010400\x00")


def _random_texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 25))) for _ in range(n)]


@pytest.fixture(scope="module")
def matcher():
    return compile_matcher(load_codebook(), (*measures.DEFAULT_SECTIONS, "reporting_verbs"))


def test_lowered_is_str_lower_with_its_code_points():
    for text in _random_texts(seed=1, n=3000) + ["ΣΑΣ", "ΟΔΟΣ ΣΑ", "İSTANBUL", "KELVIN", ""]:
        lowered, codes = measures._lowered(text)
        assert lowered == text.lower(), repr(text)
        assert codes.tolist() == [ord(ch) for ch in lowered], repr(text)


def test_word_characters_ignore_the_low_byte_of_characters_beyond_ascii():
    text = "\u2041\u015f\u0141\u2020_\u215f\u0130A\u0100"  # low bytes: A _ A space _ _ 0 A NUL
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    assert measures._word_characters(codes).tolist() == [bool(re.match(r"\w", ch)) for ch in text]


def test_special_spans_are_what_the_full_special_scan_finds(matcher):
    words = ["what he called", "US", "U.S.", "Price", "seven hours", "7.5 hours", "no plans to attack",
             "troops amassed", "sanctions on", "Russia’s", "Kyiv", "İ", "ΣΑΣ", "reciprocal", "\u00a0"]
    rng = random.Random(3)
    for _ in range(400):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 12)))
        text = text.upper() if rng.random() < 0.2 else text
        full = [(m.regs[g][0], m.regs[g][1], label) for m in matcher.special.finditer(text)
                for g, label in matcher.special_groups if m.regs[g][1] > m.regs[g][0]]
        lowered, codes = measures._lowered(text)
        spans = measures._special_spans(text, lowered, matcher, codes=codes)
        assert spans.dtype == np.int64 and spans.shape[1] == 3
        assert list(map(tuple, spans.tolist())) == full, text


def test_matches_are_the_article_text_when_sentences_repeat_across_chunks(monkeypatch):
    monkeypatch.setattr(measures, "CHUNK_ROWS", 3)
    texts = ["Kiev and Kyiv talks.", "Sergei Ryabkov met the U.S. envoy.", "RUSSIA’S demands, NATO.",
             "Kiev and Kyiv talks.", "No plans to attack Ukraine.", "Sergei Ryabkov met the U.S. envoy."] * 3
    starts = np.cumsum([0] + [len(text) + 1 for text in texts[:-1]])
    sentences = pd.DataFrame({"article_id": [f"a{i // 4}" for i in range(len(texts))],
                              "outlet": "X", "sentence_index": np.arange(len(texts)) % 4,
                              "start": starts, "end": starts + [len(text) for text in texts],
                              "text": texts, "n_words": 5})
    evidence = measures.find_matches(sentences, load_codebook())
    assert len(evidence) > 30
    within = evidence.merge(sentences[["article_id", "sentence_index", "start"]],
                            on=["article_id", "sentence_index"], suffixes=("", "_sentence"))
    begins, ends = within["start"] - within["start_sentence"], within["end"] - within["start_sentence"]
    offsets = zip(within["sentence"], begins, ends)
    assert within["match"].tolist() == [text[begin:end] for text, begin, end in offsets]
    monkeypatch.setattr(measures, "CHUNK_ROWS", 20_000)
    pd.testing.assert_frame_equal(evidence, measures.find_matches(sentences, load_codebook()), check_exact=True)

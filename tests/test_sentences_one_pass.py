"""The one-pass splitter of many lines gives, line by line, the spans of the per-line splitter."""
from __future__ import annotations

import random

import numpy as np
import pytest
from pandas.testing import assert_frame_equal

from analysis import sentences
from analysis.corpus import load_corpus

_PIECES = [
    "The", "talks", "ended", "U.S.", "No.", "Jan.", "a.m.", "J.", "e.g.", "Mr.", "it", "Then", "he", "3.5",
    ".", ". ", "? ", "! ", "?!", "...", "…", " … ", "“", "”", "\"", "'", "’", "‘", "(", ")", "[", "]", "«", "»",
    ".” ", "?” ", "!) ", "”--", ".’’ ", ".\" ", "--", ":", ";", ",", " ", " ", "  ", "\t", "\x1c", "\xa0", "\r", "\u2028", "ß", "É",
    "Ned Price State Department spokesman", "Sergey Ryabkov Deputy Foreign Minister of Russia",
]


def _random_lines(seed: int, count: int) -> list[str]:
    generator = random.Random(seed)
    return ["".join(generator.choice(_PIECES) for _ in range(generator.randint(0, 14))) for _ in range(count)]


def _line_sentences(line: str) -> list[list]:
    """The line split alone, as before the one-pass splitter: Punkt up to the speaker line, then it."""
    tail = sentences.find_attribution_tail(line)
    if tail is None:
        return sentences._punkt_spans(line)
    return [*sentences._punkt_spans(line[:tail]), [tail, len(line.rstrip()), True]]


def _per_line(lines: list[str]) -> tuple[np.ndarray, np.ndarray]:
    line_spans = [_line_sentences(line) for line in lines]
    span_line = np.repeat(np.arange(len(lines)), [len(spans) for spans in line_spans])
    return span_line, np.array([span for spans in line_spans for span in spans], dtype="int64").reshape(-1, 3)


@pytest.mark.parametrize("seed", range(8))
def test_one_pass_spans_are_the_spans_of_each_line_alone(seed):
    lines = _random_lines(seed, 2000)
    span_line, spans = sentences._lines_spans(lines)
    expected_line, expected = _per_line(lines)
    assert span_line.tolist() == expected_line.tolist()
    assert spans.tolist() == expected.tolist()


def test_one_pass_spans_of_every_seed_line():
    lines = [line for text in load_corpus()["text"] for line in text.split("\n")]
    span_line, spans = sentences._lines_spans(lines)
    expected_line, expected = _per_line(lines)
    assert (span_line.tolist(), spans.tolist()) == (expected_line.tolist(), expected.tolist())


@pytest.mark.parametrize("lines", [[], [""], ["", " "], ["It ended.”"], ["“Yes.” “No.”", "a. b"]])
def test_one_pass_spans_of_edge_lines(lines):
    span_line, spans = sentences._lines_spans(lines)
    expected_line, expected = _per_line(lines)
    assert (span_line.tolist(), spans.tolist()) == (expected_line.tolist(), expected.tolist())


def test_progress_bar_changes_no_sentence():
    articles = load_corpus()
    assert_frame_equal(sentences.sentences_table(articles, progress=True), sentences.sentences_table(articles),
                       check_exact=True)

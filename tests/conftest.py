"""Fixtures shared by several test modules."""
from __future__ import annotations

import pytest

from analysis import sentiment


class CountingScorer:
    """The package's VADER scorer, counting the strings it is asked to score."""

    def __init__(self, scorer):
        self.scorer = scorer
        self.scored: list[str] = []

    def polarity_scores(self, text):
        self.scored.append(text)
        return self.scorer.polarity_scores(text)

    def polarity_rows(self, texts, **options):
        """The batch scoring the package uses: each text passed counts once."""
        self.scored.extend(texts)
        return self.scorer.polarity_rows(texts, **options)


@pytest.fixture
def counting_scorer(monkeypatch) -> CountingScorer:
    """Every score the sentiment module asks for goes through a :class:`CountingScorer`."""
    counter = CountingScorer(sentiment._analyzer())
    monkeypatch.setattr(sentiment, "_analyzer", lambda: counter)
    return counter

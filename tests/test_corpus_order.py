"""clean_articles sorts by article id whatever the order of the metadata rows."""
from __future__ import annotations

from pandas.testing import assert_frame_equal

from analysis import paths
from analysis.corpus import clean_articles, corpus_rules, read_metadata
from analysis.sentences import sentences_table


def test_metadata_order_does_not_change_the_tables():
    metadata = read_metadata(paths.CORPUS_DIR)
    rules = corpus_rules(paths.CORPUS_DIR)
    in_order = clean_articles(paths.CORPUS_DIR, metadata, rules=rules)
    reversed_rows = clean_articles(paths.CORPUS_DIR, metadata.iloc[::-1], rules=rules)
    assert in_order.articles["article_id"].is_monotonic_increasing
    assert_frame_equal(reversed_rows.articles, in_order.articles, check_exact=True)
    assert_frame_equal(reversed_rows.log, in_order.log, check_exact=True)
    assert_frame_equal(sentences_table(reversed_rows.articles), sentences_table(in_order.articles), check_exact=True)

"""The whole analysis: traceable to the text, independent of partitioning, cached, never stale."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis import cache, paths, pipeline
from analysis.errors import CorpusError


@pytest.fixture(scope="module")
def study():
    return pipeline.run_study(cache=False, write_tables=False)


def test_every_table_is_present_and_keyed_by_article(study):
    for name, table in study.as_dict().items():
        assert "article_id" in table.columns or name in ("alignment", "outlet_counts"), name
        assert set(table.get("article_id", pd.Series(dtype=str))) <= set(study.articles.article_id)


def test_evidence_offsets_point_at_the_matched_text(study):
    table = study.evidence.merge(study.articles[["article_id", "text"]], on="article_id")
    assert len(table) == len(study.evidence) > 100
    assert all(text[start:end] == match for text, start, end, match in zip(table.text, table.start, table.end, table.match))


def test_quotation_spans_hold_the_quoted_words(study):
    table = study.quotes.merge(study.articles[["article_id", "text"]], on="article_id", suffixes=("", "_article"))
    assert all(quoted in article[start:end] for quoted, article, start, end
               in zip(table.text, table.text_article, table.start, table.end))


def test_every_evidence_row_names_an_existing_sentence(study):
    keys = set(zip(study.sentences.article_id, study.sentences.sentence_index))
    for name in ("evidence", "quotes", "speech_acts", "sentence_scores", "voice_scores"):
        table = study.as_dict()[name]
        assert set(zip(table.article_id, table.sentence_index)) <= keys, name


def test_partition_size_does_not_change_any_table(study):
    one_by_one = pipeline.run_study(cache=False, write_tables=False, partition_size=1)
    for name in study.table_names():
        pd.testing.assert_frame_equal(getattr(one_by_one, name), getattr(study, name), check_exact=True, obj=name)


def test_rerun_gives_identical_tables(study):
    again = pipeline.run_study(cache=False, write_tables=False)
    for name in study.table_names():
        pd.testing.assert_frame_equal(getattr(again, name), getattr(study, name), check_exact=True, obj=name)


@pytest.fixture()
def corpus_copy(tmp_path, monkeypatch):
    monkeypatch.setattr(cache.TableCache.__init__, "__defaults__", (tmp_path / "cache",))
    target = tmp_path / "corpus"
    shutil.copytree(paths.CORPUS_DIR, target, ignore=shutil.ignore_patterns("processed"))
    return target


def test_second_run_is_served_from_cache_and_equal(corpus_copy, monkeypatch):
    first = pipeline.run_study(corpus_copy, write_tables=False)
    calls = []
    monkeypatch.setattr(pipeline, "_compute_into", lambda *a, **k: calls.append(1))
    second = pipeline.run_study(corpus_copy, write_tables=False)
    assert calls == []
    for name in first.table_names():
        pd.testing.assert_frame_equal(getattr(second, name), getattr(first, name), check_exact=True, obj=name)


def test_changed_codebook_recomputes(corpus_copy, tmp_path):
    before = pipeline.run_study(corpus_copy, write_tables=False)
    assert "Geneva" not in set(before.evidence.term)
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text(paths.DEFAULT_CODEBOOK.read_text().replace(
        "      sanctions:\n", "      Geneva:\n        definition: The venue.\n        patterns: [Geneva]\n      sanctions:\n"))
    changed = pipeline.run_study(corpus_copy, codebook, write_tables=False)
    assert "Geneva" in set(changed.evidence.term)


def test_changed_raw_file_is_refused_not_served_from_cache(corpus_copy):
    pipeline.run_study(corpus_copy, write_tables=False)
    raw = next((corpus_copy / "raw").glob("*.txt"))
    raw.chmod(0o644)
    raw.write_bytes(raw.read_bytes() + b" changed")
    with pytest.raises(CorpusError, match="checksum"):
        pipeline.run_study(corpus_copy, write_tables=False)


def test_processed_tables_are_written_beside_the_corpus(corpus_copy):
    pipeline.run_study(corpus_copy)
    processed = corpus_copy / "processed"
    for name in ("articles", "cleaning_log", "sentences", "quotes", "evidence", "sentence_scores"):
        assert (processed / f"{name}.csv").is_file(), name
    log = pd.read_csv(processed / "cleaning_log.csv", dtype=str, keep_default_na=False)
    assert set(log.rule) >= {"foreign_language", "duplicate_block", "site_chrome"}


def test_tables_are_read_once_and_only_when_used():
    reads = []
    study = pipeline.StudyResults(lambda name: reads.append(name) or pd.DataFrame({"n": [len(reads)]}))
    assert reads == []
    assert (study.sentences.n[0], study.sentences.n[0], study.quotes.n[0]) == (1, 1, 2)
    assert reads == ["sentences", "quotes"]
    with pytest.raises(KeyError, match="no table 'sentence'"):
        study.table("sentence")


def test_uncached_run_keeps_its_tables_until_the_results_are_dropped(tmp_path, monkeypatch):
    import gc
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    study = pipeline.run_study(cache=False, write_tables=False)
    [folder] = tmp_path.iterdir()
    assert (folder / pipeline.UNCACHED_KEY / "sentences").is_dir()
    assert len(study.sentences) > 100
    del study
    gc.collect()
    assert not folder.exists()


def test_partitions_are_stored_as_parts_in_corpus_order(corpus_copy):
    study = pipeline.run_study(corpus_copy, write_tables=False, partition_size=2)
    entry = cache.TableCache().entry_dir(cache.cache_key(corpus_copy, paths.DEFAULT_CODEBOOK))
    assert sorted(p.name for p in (entry / "sentences").iterdir()) == [
        "part-000000000.parquet", "part-000000002.parquet", "part-000000004.parquet"]
    assert study.articles.article_id.is_monotonic_increasing


def test_outlet_counts_reduced_from_partitions_equal_counts_of_the_whole_run(study):
    whole = pipeline.outlet_counts(study.as_dict())
    pd.testing.assert_frame_equal(study.outlet_counts, whole, check_exact=True)
    one_by_one = pipeline.run_study(cache=False, write_tables=False, partition_size=1)
    pd.testing.assert_frame_equal(one_by_one.outlet_counts, whole, check_exact=True)


@pytest.mark.parametrize("column, table", [
    ("articles", "articles"), ("sentences", "sentences"), ("quotations", "quotes"),
    ("codebook_matches", "evidence"), ("speech_acts", "speech_acts"), ("cleaning_log_rows", "cleaning_log"),
])
def test_outlet_counts_add_up_to_the_tables(study, column, table):
    assert study.outlet_counts[column].sum() == len(study.table(table)) > 0


def test_each_pass_counts_its_own_tables_and_their_sum_is_the_whole(study):
    tables = study.as_dict()
    text_counts = pipeline.outlet_counts({name: tables[name] for name in pipeline.TEXT_TABLES})
    measure_counts = pipeline.outlet_counts({name: tables[name] for name in pipeline.MEASURE_TABLES})
    assert text_counts.columns.tolist() == ["outlet", "articles", "sentences", "words", "headlines", "speaker_lines",
                                            "cleaning_log_rows"]
    assert measure_counts.columns.tolist() == ["outlet", "quotations", "codebook_matches", "speech_acts"]
    pd.testing.assert_frame_equal(pipeline.reduce_outlet_counts([measure_counts, text_counts]),
                                  pipeline.outlet_counts(tables), check_exact=True)


def test_outlet_counts_of_no_countable_table_is_an_error(study):
    with pytest.raises(ValueError, match="nothing to count"):
        pipeline.outlet_counts({"sentence_scores": study.sentence_scores})


def test_measures_pass_reads_the_text_pass_and_equals_measuring_in_memory(tmp_path):
    from analysis.corpus import corpus_rules, read_metadata

    metadata, codebook = read_metadata().iloc[1:3], pipeline.load_codebook()
    text = pipeline.partition_text(metadata, corpus_dir=paths.CORPUS_DIR, rules=corpus_rules(paths.CORPUS_DIR))
    stored = pipeline.store_partition_text(metadata, folder=tmp_path, corpus_dir=paths.CORPUS_DIR,
                                           rules=corpus_rules(paths.CORPUS_DIR))
    pipeline.store_partition_measures(stored.first_row, folder=tmp_path, codebook=codebook)
    assert stored.first_row == 1
    in_memory = pipeline.measure_articles(text["articles"], text["sentences"], codebook)
    for name, table in in_memory.items():
        pd.testing.assert_frame_equal(cache.read_part(tmp_path, name, 1), table, check_exact=True, obj=name)


def test_outlet_counts_of_the_seeds(study):
    counts = study.outlet_counts.set_index("outlet")
    assert counts.loc["Pledge Times", ["articles", "sentences", "speaker_lines"]].tolist() == [1, 47, 6]
    assert counts.loc["Front News", "words"] == study.sentences.query("outlet == 'Front News'").n_words.sum()


def test_a_table_read_without_keeping_is_read_again_next_time():
    reads = []
    study = pipeline.StudyResults(lambda name: reads.append(name) or pd.DataFrame({"n": [1]}))
    study.table("sentences", keep=False)
    study.table("sentences", keep=False)
    assert reads == ["sentences", "sentences"]

"""The benchmark scripts: their docstring examples run, and their result rows hold what they say."""
from __future__ import annotations

import doctest
import re
import importlib.util
import sys

import pandas as pd
import pytest

from analysis import paths

SCRIPTS = ["make_corpus", "run_benchmarks", "alignment_scaling"]
KEY = "0" * 64


def _script(name: str):
    """Import ``benchmarks/<name>.py`` as a module (the folder is not a package)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, paths.BENCHMARKS_DIR / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.mark.parametrize("name", SCRIPTS)
def test_benchmark_docstring_examples(name):
    result = doctest.testmod(_script(name), optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_measurements_a_stage_returns_go_to_its_row_and_tables_to_the_store(monkeypatch, tmp_path):
    bench = _script("run_benchmarks")
    table = pd.DataFrame({"n": [1, 2]})
    stage = bench.Stage("fake", (), ("fake_table",), lambda tables, corpus, codebook:
                        {"fake_table": table, "workers_peak_mb": 321.0}, ())
    monkeypatch.setitem(bench.STAGES, "fake", stage)
    result = bench.run_stage_here("fake", corpus_dir=paths.CORPUS_DIR, codebook_path=paths.DEFAULT_CODEBOOK,
                                  key=KEY, tables_dir=tmp_path)
    assert result["workers_peak_mb"] == 321.0 and result["peak_mb"] >= result["before_mb"] > 0
    pd.testing.assert_frame_equal(bench.TableCache(tmp_path).load(KEY, ["fake_table"])["fake_table"], table)


def test_repeated_runs_keep_the_highest_worker_peak():
    bench = _script("run_benchmarks")
    runs = [{"status": "ok", "seconds": s, "cpu_seconds": 0.1, "peak_mb": 200.0, "before_mb": 100.0,
             "workers_peak_mb": w} for s, w in [(3.0, 900.0), (1.0, 1200.0), (2.0, 1000.0)]]
    row = bench.median_run(runs)
    assert (row["seconds"], row["workers_peak_mb"], row["runs"]) == (2.0, 1200.0, 3)
    without_workers = [{key: value for key, value in run.items() if key != "workers_peak_mb"} for run in runs]
    assert "workers_peak_mb" not in bench.median_run(without_workers)


def test_a_whole_pipeline_row_names_its_corpus_even_when_no_table_is_cached(tmp_path):
    bench = _script("run_benchmarks")
    options = bench.parse_args(["--corpora", str(tmp_path), "--tables", str(tmp_path / "tables")])
    rows = bench.benchmark_size(6, ["pipeline"], options=options)
    assert [row["stage"] for row in rows] == ["load and clean", "sentences", "whole pipeline"]
    assert all(row["status"] == "ok" and row["articles"] == 6 and row["words"] > 1000 and row["sentences"] > 50
               for row in rows)


def test_repeats_run_in_rounds_and_a_failed_stage_is_not_run_again(monkeypatch, tmp_path):
    bench, _ = _script("run_benchmarks"), _script("make_corpus")  # run_benchmarks imports make_corpus by name
    calls = []

    def fake_run(stage_id, **_):
        calls.append(stage_id)
        if stage_id == "quotes":
            return {"status": "failed: boom"}
        return {"status": "ok", "seconds": float(len(calls)), "cpu_seconds": 0.1, "peak_mb": 1.0, "before_mb": 1.0,
                "articles": 6, "words": 60, "sentences": 12}

    monkeypatch.setattr(bench, "run_stage_in_subprocess", fake_run)
    options = bench.parse_args(["--corpora", str(tmp_path), "--tables", str(tmp_path / "tables"), "--repeat", "3"])
    rows = {row["stage"]: row for row in bench.benchmark_size(6, ["vader", "quotes", "pipeline"], options=options)}
    assert calls == ["load", "sentences", "quotes", "vader", "pipeline", "vader", "pipeline", "vader", "pipeline"]
    assert (rows["VADER alone (floor)"]["runs"], rows["VADER alone (floor)"]["seconds"]) == (3, 6.0)
    assert (rows["whole pipeline"]["seconds_min"], rows["whole pipeline"]["seconds_max"]) == (5.0, 9.0)
    assert rows["quotations"]["status"] == "failed: boom" and rows["load and clean"]["runs"] == 1


def test_a_stage_whose_input_failed_is_reported_skipped(monkeypatch, tmp_path):
    bench, _ = _script("run_benchmarks"), _script("make_corpus")
    monkeypatch.setattr(bench, "run_stage_in_subprocess", lambda stage_id, **_: {"status": "failed: no text"})
    options = bench.parse_args(["--corpora", str(tmp_path), "--tables", str(tmp_path / "tables"), "--repeat", "2"])
    rows = bench.benchmark_size(6, ["vader"], options=options)
    assert [(row["stage"], row["status"]) for row in rows] == [
        ("load and clean", "failed: no text"), ("sentences", "skipped: needs load and clean"),
        ("VADER alone (floor)", "skipped: needs sentences")]


def test_disjoint_copies_share_no_word_and_keep_each_text():
    from analysis.corpus import load_corpus
    from analysis.sentences import sentences_table

    scaling = _script("alignment_scaling")
    sentences = sentences_table(load_corpus())
    copies = scaling.disjoint_copies(sentences, 3)
    assert len(copies) == 3 * len(sentences)
    words = []
    for copy in range(3):
        part = copies.iloc[copy * len(sentences):(copy + 1) * len(sentences)]
        mark = scaling.copy_mark(copy)
        assert [text.replace(mark, "") for text in part["text"]] == sentences["text"].tolist()
        assert part["article_id"].str.endswith(f"~{copy}").all() and part["outlet"].str.endswith(f"~{copy}").all()
        words.append({word.casefold() for text in part["text"] for word in re.findall(r"[^\W\d_]+", text)})
    assert not (words[0] & words[1]) and not (words[0] & words[2]) and not (words[1] & words[2])
    with pytest.raises(ValueError, match="copies must be at least 1"):
        scaling.disjoint_copies(sentences, 0)


def test_alignment_scaling_times_both_stages_on_each_number_of_copies(tmp_path):
    _script("run_benchmarks")  # the script imports both by name, as it finds them beside it
    _script("make_corpus")
    scaling = _script("alignment_scaling")
    table = scaling.main(["--size", "6", "--copies", "1", "2", "--corpora", str(tmp_path / "corpora"),
                          "--out", str(tmp_path / "results")])
    assert table[["stage", "copies"]].values.tolist() == [["alignment", 1], ["alignment", 2],
                                                           ["shared copy", 1], ["shared copy", 2]]
    one, two = table[table.copies == 1], table[table.copies == 2]
    assert (two["sentences"].to_numpy() == 2 * one["sentences"].to_numpy()).all()
    shared = table[table.stage == "shared copy"]
    assert (shared["rows"] == shared["sentences"]).all() and (shared["rows_exponent"].dropna() == 1.0).all()
    assert (table["cpu_seconds"] > 0).all() and table["exponent"].notna().sum() == 2
    written = pd.read_csv(tmp_path / "results" / "alignment_scaling.csv")
    assert written["stage"].tolist() == table["stage"].tolist()

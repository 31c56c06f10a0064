"""Cached reruns: keys change with every input, tables round-trip, bad entries recompute."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from analysis import cache as cache_module
from analysis import paths
from analysis.cache import TableCache, cache_key, ensure_entry, package_source_hash, read_table, write_part
from analysis.errors import CodebookError, CorpusError

SEED_SENTENCES = [
    "The U.S. side was \"firm\" in pushing back on proposals that the West says are \"non-starters,\" she said.",
    "The conversation was difficult, long, very professional, deep and specific.",
    "Russia wants \"ironclad guarantees\" that Ukraine and Georgia will not end up in NATO;",
]
SEED_FILE = "raw/003_aa533c3f44658142.txt"
KEY = "0123456789abcdef" * 4


@pytest.fixture
def study_inputs(tmp_path):
    """A copy of the seed corpus and codebook that a test may change."""
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(paths.CORPUS_DIR, corpus_dir, ignore=shutil.ignore_patterns("processed"))
    codebook = tmp_path / "codebook.yaml"
    shutil.copyfile(paths.DEFAULT_CODEBOOK, codebook)
    return corpus_dir, codebook


class CountingCompute:
    """A compute function that writes its tables into the pending entry and counts its calls."""

    def __init__(self, tables):
        self.tables = tables
        self.calls = 0

    def __call__(self, entry):
        self.calls += 1
        for name, table in self.tables.items():
            entry.write(name, table)


def cached(key, names, compute, *, cache):
    """The named tables and whether they were a cache hit (ensure_entry, then load)."""
    hit = ensure_entry(key, names, compute, cache=cache)
    return cache.load(key, names), hit


def sentences_frame(n_rows: int = 3) -> pd.DataFrame:
    """A sentences-like table on real seed sentences, with str, bool, int64 and float64."""
    texts = SEED_SENTENCES[:n_rows]
    return pd.DataFrame({
        "article_id": pd.Series(["003_aa533c3f44658142"] * len(texts), dtype="str"),
        "sentence_index": np.arange(len(texts), dtype="int64"),
        "text": pd.Series(texts, dtype="str"),
        "is_headline": np.zeros(len(texts), dtype="bool"),
        "compound": np.linspace(-0.5, 0.5, len(texts)),
    })


def change_raw_byte(corpus_dir: Path, codebook: Path) -> None:
    path = corpus_dir / SEED_FILE
    data = bytearray(path.read_bytes())
    data[100] = ord("X") if data[100] != ord("X") else ord("Y")
    path.write_bytes(bytes(data))


def change_codebook(corpus_dir: Path, codebook: Path) -> None:
    codebook.write_bytes(codebook.read_bytes() + b"\n# edited\n")


def change_metadata(corpus_dir: Path, codebook: Path) -> None:
    metadata = corpus_dir / "metadata.csv"
    metadata.write_text(metadata.read_text(encoding="utf-8").replace("Pledge Times", "Pledge  Times"),
                        encoding="utf-8")


def rename_raw_file(corpus_dir: Path, codebook: Path) -> None:
    (corpus_dir / SEED_FILE).rename(corpus_dir / "raw" / "renamed.txt")
    metadata = corpus_dir / "metadata.csv"
    metadata.write_text(metadata.read_text(encoding="utf-8").replace(SEED_FILE, "raw/renamed.txt"),
                        encoding="utf-8")


def add_corpus_cleaning_rules(corpus_dir: Path, codebook: Path) -> None:
    (corpus_dir / "cleaning_rules.yaml").write_text("disabled: [byline]\n", encoding="utf-8")


@pytest.mark.parametrize("change", [
    change_raw_byte, change_codebook, change_metadata, rename_raw_file, add_corpus_cleaning_rules,
])
def test_changed_input_changes_key_and_recomputes(study_inputs, tmp_path, change):
    corpus_dir, codebook = study_inputs
    store = TableCache(tmp_path / "cache")
    compute = CountingCompute({"sentences": sentences_frame()})
    before = cache_key(corpus_dir, codebook)
    cached(before, ["sentences"], compute, cache=store)
    change(corpus_dir, codebook)
    after = cache_key(corpus_dir, codebook)
    _, hit = cached(after, ["sentences"], compute, cache=store)
    assert after != before
    assert (hit, compute.calls) == (False, 2)


def test_changed_package_source_changes_key(study_inputs, tmp_path, monkeypatch):
    corpus_dir, codebook = study_inputs
    store = TableCache(tmp_path / "cache")
    compute = CountingCompute({"sentences": sentences_frame()})
    _, first_hit = cached(cache_key(corpus_dir, codebook), ["sentences"], compute, cache=store)
    monkeypatch.setattr(cache_module, "package_source_hash", lambda: "edited source")
    _, second_hit = cached(cache_key(corpus_dir, codebook), ["sentences"], compute, cache=store)
    assert (first_hit, second_hit, compute.calls) == (False, False, 2)


def test_key_does_not_depend_on_where_the_corpus_lives(study_inputs):
    corpus_dir, codebook = study_inputs
    assert cache_key(corpus_dir, codebook) == cache_key(paths.CORPUS_DIR, paths.DEFAULT_CODEBOOK)


def test_second_call_is_a_hit_without_computing(tmp_path):
    store = TableCache(tmp_path)
    compute = CountingCompute({"sentences": sentences_frame(), "empty": sentences_frame(0)})
    fresh, first_hit = cached(KEY, ["sentences", "empty"], compute, cache=store)
    again, second_hit = cached(KEY, ["sentences", "empty"], compute, cache=store)
    assert (first_hit, second_hit, compute.calls) == (False, True, 1)
    for name in ("sentences", "empty"):
        pd.testing.assert_frame_equal(again[name], fresh[name])


@pytest.mark.parametrize("edit, changes", [
    ("cache.py", True),
    ("data/rules.yaml", True),
    ("data/stopwords.txt", True),
    ("styles/paper.mplstyle", True),
    ("notes.md", False),
    ("__pycache__/cache.cpython-311.py", False),
])
def test_package_source_hash_covers_source_and_data_files(tmp_path, edit, changes):
    for name in ("cache.py", "data/rules.yaml", "data/stopwords.txt", "styles/paper.mplstyle",
                 "notes.md", "__pycache__/cache.cpython-311.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("original\n", encoding="utf-8")
    before = package_source_hash(tmp_path)
    (tmp_path / edit).write_text("edited\n", encoding="utf-8")
    assert (package_source_hash(tmp_path) != before) is changes


FRAMES = {
    "str bool int64 float64": sentences_frame(),
    "empty with every dtype": sentences_frame(0),
    "missing values": pd.DataFrame({
        "speaker": pd.Series(["Sergey Ryabkov", None], dtype="str"),
        "score": [0.4404, np.nan],
    }),
    "nullable and categorical": pd.DataFrame({
        "outlet": pd.Categorical(["Pledge Times", "A News"]),
        "parent": pd.array([-1, None], dtype="Int64"),
    }),
    "no columns": pd.DataFrame(),
    "non-range index": sentences_frame().set_index(["article_id", "sentence_index"]),
}


@pytest.mark.parametrize("name", list(FRAMES))
def test_tables_round_trip_exactly(tmp_path, name):
    store = TableCache(tmp_path)
    store.store(KEY, {"table": FRAMES[name]})
    pd.testing.assert_frame_equal(store.load(KEY, ["table"])["table"], FRAMES[name])


def truncate_table(entry: Path) -> None:
    path = entry / "sentences.parquet"
    path.write_bytes(path.read_bytes()[:40])


def empty_table(entry: Path) -> None:
    (entry / "sentences.parquet").write_bytes(b"")


def remove_table(entry: Path) -> None:
    (entry / "sentences.parquet").unlink()


def garble_footer(entry: Path) -> None:
    path = entry / "sentences.parquet"
    path.write_bytes(path.read_bytes()[:-12] + b"not parquet!")


@pytest.mark.parametrize("damage", [truncate_table, empty_table, remove_table, garble_footer])
def test_damaged_entry_is_recomputed(tmp_path, damage):
    store = TableCache(tmp_path)
    compute = CountingCompute({"sentences": sentences_frame(), "empty": sentences_frame(0)})
    cached(KEY, ["sentences", "empty"], compute, cache=store)
    damage(tmp_path / KEY)
    assert store.load(KEY, ["sentences", "empty"]) is None
    tables, hit = cached(KEY, ["sentences", "empty"], compute, cache=store)
    assert (hit, compute.calls) == (False, 2)
    pd.testing.assert_frame_equal(store.load(KEY, ["sentences"])["sentences"], sentences_frame())


def test_failed_store_leaves_no_table_and_no_temporary_file(tmp_path):
    unwritable = pd.DataFrame({"mixed": pd.Series([1, "one"], dtype=object)})
    with pytest.raises(pa.ArrowInvalid):
        TableCache(tmp_path).store(KEY, {"mixed": unwritable})
    assert list((tmp_path / KEY).iterdir()) == []


def test_clear_removes_entries_and_keeps_other_files(tmp_path):
    store = TableCache(tmp_path)
    store.store(KEY, {"sentences": sentences_frame()})
    (tmp_path / "README.md").write_text("not a cache entry\n", encoding="utf-8")
    store.clear()
    assert [p.name for p in tmp_path.iterdir()] == ["README.md"]
    assert store.load(KEY, ["sentences"]) is None


def test_compute_missing_a_table_is_an_error_and_publishes_nothing(tmp_path):
    with pytest.raises(ValueError, match="quotations"):
        cached(KEY, ["sentences", "quotations"], CountingCompute({"sentences": sentences_frame()}),
               cache=TableCache(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_interrupted_computation_leaves_no_entry(tmp_path):
    def fail_halfway(entry):
        entry.write("sentences", sentences_frame())
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ensure_entry(KEY, ["sentences"], fail_halfway, cache=TableCache(tmp_path))
    assert list(tmp_path.iterdir()) == []
    assert not TableCache(tmp_path).complete(KEY, ["sentences"])


def test_parts_written_in_any_order_read_back_in_row_order(tmp_path):
    frame = sentences_frame()
    for first_row in (2, 0, 1):
        write_part(tmp_path, "sentences", first_row, frame.iloc[first_row:first_row + 1])
    pd.testing.assert_frame_equal(read_table(tmp_path, "sentences"), frame)
    assert read_table(tmp_path, "sentences", columns=["text"]).columns.tolist() == ["text"]


def test_damaged_part_makes_the_entry_incomplete(tmp_path):
    store = TableCache(tmp_path)

    def write_parts(entry):
        for first_row in (0, 1):
            write_part(entry.folder, "sentences", first_row, sentences_frame(1))

    ensure_entry(KEY, ["sentences"], write_parts, cache=store)
    part = tmp_path / KEY / "sentences" / "part-000000001.parquet"
    part.write_bytes(part.read_bytes()[:-12] + b"not parquet!")
    assert not store.complete(KEY, ["sentences"])
    assert ensure_entry(KEY, ["sentences"], write_parts, cache=store) is False
    assert len(store.load(KEY, ["sentences"])["sentences"]) == 2


def test_clear_removes_unfinished_entries_too(tmp_path):
    store = TableCache(tmp_path)
    pending = store.begin(KEY)
    pending.write("sentences", sentences_frame())
    store.clear()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("key, name", [
    ("not-a-key", "sentences"),
    (KEY.upper(), "sentences"),
    (KEY, "../outside"),
    (KEY, ""),
])
def test_unsafe_key_or_table_name_is_refused(tmp_path, key, name):
    with pytest.raises(ValueError):
        TableCache(tmp_path).store(key, {name: sentences_frame()})


def remove_metadata(corpus_dir: Path, codebook: Path) -> None:
    (corpus_dir / "metadata.csv").unlink()


def remove_listed_raw_file(corpus_dir: Path, codebook: Path) -> None:
    (corpus_dir / SEED_FILE).unlink()


def drop_file_column(corpus_dir: Path, codebook: Path) -> None:
    metadata = corpus_dir / "metadata.csv"
    metadata.write_text(metadata.read_text(encoding="utf-8").replace("id,file,", "id,path,", 1),
                        encoding="utf-8")


def write_latin1_metadata(corpus_dir: Path, codebook: Path) -> None:
    metadata = corpus_dir / "metadata.csv"
    metadata.write_bytes(metadata.read_bytes() + "Café\n".encode("latin-1"))


def remove_codebook(corpus_dir: Path, codebook: Path) -> None:
    codebook.unlink()


@pytest.mark.parametrize("break_input, error, message", [
    (remove_metadata, CorpusError, "metadata.csv: cannot be read"),
    (remove_listed_raw_file, CorpusError, "lists raw/003_aa533c3f44658142.txt, which cannot be read"),
    (drop_file_column, CorpusError, "no 'file' column"),
    (write_latin1_metadata, CorpusError, "not valid UTF-8"),
    (remove_codebook, CodebookError, "codebook.yaml: cannot be read"),
])
def test_unreadable_input_names_the_file(study_inputs, break_input, error, message):
    corpus_dir, codebook = study_inputs
    break_input(corpus_dir, codebook)
    with pytest.raises(error, match=message):
        cache_key(corpus_dir, codebook)

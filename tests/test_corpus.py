"""Corpus loading on the seed corpus, processed output, and one test per input error."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.cleaning import reconstruct_raw
from analysis.corpus import (
    ARTICLE_COLUMNS,
    LOG_COLUMNS,
    build_corpus,
    build_metadata,
    clean_articles,
    corpus_rules,
    load_cleaning_log,
    load_corpus,
    read_metadata,
    write_processed,
)
from analysis.errors import CorpusError
from analysis.tokens import count_words

SEED_METADATA = pd.read_csv(paths.METADATA_FILE, dtype=str, keep_default_na=False)
BODY = b"Talks end\n\nThe talks in Geneva ended on Monday after eight hours.\n"


@pytest.fixture(scope="module")
def seed_corpus():
    return build_corpus(paths.CORPUS_DIR)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_corpus(folder: Path, articles: dict[str, bytes]) -> Path:
    """A corpus folder with raw/<id>.txt files and a matching metadata.csv."""
    (folder / "raw").mkdir(parents=True)
    rows = []
    for article_id, data in articles.items():
        (folder / "raw" / f"{article_id}.txt").write_bytes(data)
        rows.append({"id": article_id, "file": f"raw/{article_id}.txt", "outlet": "Test Outlet",
                     "headline": "Talks end", "sha256": sha256(data)})
    write_metadata(folder, rows)
    return folder


def write_metadata(folder: Path, rows: list[dict[str, str]]) -> None:
    pd.DataFrame(rows).to_csv(folder / "metadata.csv", index=False, lineterminator="\n")


def edit_metadata(folder: Path, **changes: str) -> None:
    """Set columns of the first metadata row."""
    table = pd.read_csv(folder / "metadata.csv", dtype=str, keep_default_na=False)
    for column, value in changes.items():
        table.loc[0, column] = value
    table.to_csv(folder / "metadata.csv", index=False, lineterminator="\n")


# ---- the seed corpus -------------------------------------------------------------------------

def test_articles_table_follows_the_contract(seed_corpus):
    articles = seed_corpus.articles
    assert list(articles.columns) == list(ARTICLE_COLUMNS)
    assert articles["article_id"].tolist() == sorted(SEED_METADATA["id"])
    assert articles[["headline_in_text"]].dtypes.eq(bool).all()
    assert articles[["n_raw_lines", "n_kept_lines", "n_words"]].dtypes.eq("int64").all()


@pytest.mark.parametrize("row", SEED_METADATA.to_dict("records"), ids=SEED_METADATA["id"].tolist())
def test_article_row_matches_metadata_and_file(seed_corpus, row):
    article = seed_corpus.articles.set_index("article_id").loc[row["id"]]
    raw = (paths.CORPUS_DIR / row["file"]).read_bytes()
    assert article["raw_text"].encode("utf-8") == raw
    assert {column: article[column] for column in ("file", "outlet", "date", "headline", "sha256")} == {
        column: row[column] for column in ("file", "outlet", "date", "headline", "sha256")}
    assert article["n_words"] == count_words(article["text"])
    assert article["n_raw_lines"] == raw.decode("utf-8").count("\n") + 1
    log = seed_corpus.log[seed_corpus.log["article_id"] == row["id"]]
    assert reconstruct_raw(article["text"], log).encode("utf-8") == raw


def test_log_table_follows_the_contract(seed_corpus):
    log = seed_corpus.log
    assert list(log.columns) == list(LOG_COLUMNS)
    assert log[["line_no", "char_start", "char_end"]].dtypes.eq("int64").all()
    assert log.equals(log.sort_values(["article_id", "line_no", "char_start"], ignore_index=True))
    assert set(log["article_id"]) == set(SEED_METADATA["id"])


def test_load_functions_return_the_build_tables(seed_corpus):
    pd.testing.assert_frame_equal(load_corpus(), seed_corpus.articles)
    pd.testing.assert_frame_equal(load_cleaning_log(), seed_corpus.log)


def test_write_processed_is_deterministic_and_complete(seed_corpus, tmp_path):
    first = write_processed(seed_corpus, tmp_path / "one")
    (tmp_path / "two" / "text").mkdir(parents=True)
    (tmp_path / "two" / "text" / "stale_article.txt").write_text("old")
    second = write_processed(seed_corpus, tmp_path / "two")
    assert first["articles"].read_bytes() == second["articles"].read_bytes()
    assert first["cleaning_log"].read_bytes() == second["cleaning_log"].read_bytes()
    assert sorted(p.name for p in second["text"].iterdir()) == [f"{i}.txt" for i in sorted(SEED_METADATA["id"])]
    articles = pd.read_csv(first["articles"], dtype=str, keep_default_na=False)
    assert list(articles.columns) == [c for c in ARTICLE_COLUMNS if c != "raw_text"]
    assert articles["text"].tolist() == seed_corpus.articles["text"].tolist()
    for article_id, text in zip(seed_corpus.articles["article_id"], seed_corpus.articles["text"]):
        assert (first["text"] / f"{article_id}.txt").read_bytes() == text.encode("utf-8")
    log = pd.read_csv(first["cleaning_log"], dtype=str, keep_default_na=False)
    assert log["text"].tolist() == seed_corpus.log["text"].tolist()
    assert b"\r\n" not in first["articles"].read_bytes()


def test_raw_files_still_match_their_checksums_after_everything(seed_corpus, tmp_path):
    write_processed(seed_corpus, tmp_path)
    load_cleaning_log()
    actual = [sha256((paths.CORPUS_DIR / file).read_bytes()) for file in SEED_METADATA["file"]]
    assert actual == SEED_METADATA["sha256"].tolist()


# ---- a researcher's own corpus ---------------------------------------------------------------

def test_build_metadata_writes_a_loadable_template(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "my article 1.txt").write_bytes(BODY)
    path = build_metadata(tmp_path)
    metadata = read_metadata(tmp_path)
    assert path == tmp_path / "metadata.csv"
    assert metadata.iloc[0].to_dict() == {
        "id": "my_article_1", "file": "raw/my article 1.txt", "outlet": "unknown", "country": "unknown",
        "url": "unknown", "date": "unknown", "language": "unknown", "headline": "unknown",
        "sha256": sha256(BODY), "notes": "unknown"}
    assert load_corpus(tmp_path)["headline_in_text"].tolist() == [False]
    with pytest.raises(CorpusError, match="already exists"):
        build_metadata(tmp_path)


def test_optional_columns_default_to_unknown(tmp_path):
    make_corpus(tmp_path, {"a1": BODY})
    article = load_corpus(tmp_path).iloc[0]
    assert article[["country", "url", "date", "language", "notes"]].tolist() == ["unknown"] * 5
    assert article["text"] == "Talks end\nThe talks in Geneva ended on Monday after eight hours."


def test_rules_file_in_corpus_folder_is_used(tmp_path):
    make_corpus(tmp_path, {"a1": BODY + b"Watch: the press conference"})
    (tmp_path / "cleaning_rules.yaml").write_text(
        "line_rules:\n  site_chrome:\n    patterns:\n      - {pattern: 'watch: .{1,80}', detail: video teaser}\n")
    log = load_cleaning_log(tmp_path)
    assert log.loc[log["line_no"] == 3, "detail"].tolist() == ["video teaser"]


def test_links_and_nested_folders_inside_the_corpus_are_read(tmp_path):
    folder = tmp_path / "corpus"
    make_corpus(folder, {"a1": BODY, "a2": BODY.replace(b"Monday", b"Tuesday"), "a3": BODY + b"More."})
    (folder / "raw").rename(folder / "store")
    (folder / "raw").symlink_to(folder / "store", target_is_directory=True)
    (folder / "store" / "2022").mkdir()
    (folder / "store" / "a2.txt").rename(folder / "store" / "2022" / "a2.txt")
    (folder / "store" / "a3.txt").rename(folder / "store" / "kept.txt")
    (folder / "store" / "a3.txt").symlink_to(folder / "store" / "kept.txt")
    table = pd.read_csv(folder / "metadata.csv", dtype=str, keep_default_na=False)
    table.loc[1, "file"] = "raw/2022/a2.txt"
    table.to_csv(folder / "metadata.csv", index=False, lineterminator="\n")
    articles = load_corpus(folder)
    assert articles["raw_text"].tolist() == [BODY.decode(), BODY.decode().replace("Monday", "Tuesday"),
                                             BODY.decode() + "More."]


# ---- one test per input error ----------------------------------------------------------------

def case_metadata_missing(folder):
    (folder / "metadata.csv").unlink()
    return "metadata.csv", ["metadata file not found"]


def case_metadata_unparseable(folder):
    (folder / "metadata.csv").write_text('id,file,outlet,sha256\n"a1,raw/a1.txt,Outlet,abc\n')
    return "metadata.csv", ["cannot be parsed"]


def case_metadata_not_utf8(folder):
    (folder / "metadata.csv").write_bytes("id,file,outlet,sha256\nä1,raw/a1.txt,Out,x\n".encode("cp1252"))
    return "metadata.csv", ["cannot be parsed", "UTF-8"]


def case_metadata_without_rows(folder):
    (folder / "metadata.csv").write_text("id,file,outlet,sha256\n")
    return "metadata.csv", ["no article rows"]


def case_missing_required_column(folder):
    table = pd.read_csv(folder / "metadata.csv", dtype=str, keep_default_na=False)
    table.drop(columns="sha256").to_csv(folder / "metadata.csv", index=False)
    return "metadata.csv", ["missing required column(s) sha256"]


def case_empty_id(folder):
    edit_metadata(folder, id="  ")
    return "metadata.csv", ["row 2 has an empty id"]


def case_empty_outlet(folder):
    edit_metadata(folder, outlet="")
    return "metadata.csv", ["row 2 has an empty outlet"]


def case_duplicate_id(folder):
    edit_metadata(folder, id="a2")
    return "metadata.csv", ["duplicate id 'a2' in rows 2 and 3"]


def case_id_unsafe_for_file_names(folder):
    edit_metadata(folder, id="a/1")
    return "metadata.csv", ["id 'a/1' in row 2", "letters, digits"]


def case_sha256_malformed(folder):
    edit_metadata(folder, sha256="abc123")
    return "metadata.csv", ["sha256 'abc123' in row 2", "64 hexadecimal"]


def case_date_malformed(folder):
    edit_metadata(folder, date="10/01/2022")
    return "metadata.csv", ["date '10/01/2022' in row 2", "YYYY-MM-DD"]


def case_article_file_missing(folder):
    (folder / "raw" / "a1.txt").unlink()
    return "raw/a1.txt", ["article 'a1'", "file not found"]


def case_article_path_is_a_folder(folder):
    (folder / "raw" / "a1.txt").unlink()
    (folder / "raw" / "a1.txt").mkdir()
    return "raw/a1.txt", ["article 'a1'", "not a regular file"]


def case_article_unreadable(folder, monkeypatch):
    real_read_bytes = Path.read_bytes

    def read_bytes(path):
        if path.name == "a1.txt":
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return "raw/a1.txt", ["article 'a1'", "cannot be read (Permission denied)"]


def case_absolute_path(folder):
    edit_metadata(folder, file=str((folder / "raw" / "a1.txt").resolve()))
    return "metadata.csv", ["article 'a1'", "is absolute"]


def case_path_with_parent_folder(folder):
    edit_metadata(folder, file="raw/../../a1.txt")
    return "metadata.csv", ["article 'a1'", "uses '..'"]


def case_symlink_outside(folder):
    outside = folder.parent / "outside.txt"
    outside.write_bytes(BODY)
    (folder / "raw" / "a1.txt").unlink()
    (folder / "raw" / "a1.txt").symlink_to(outside)
    return "metadata.csv", ["article 'a1'", "outside the corpus folder (a symlink?)"]


def case_folder_symlink_outside(folder):
    outside = folder.parent / "elsewhere"
    outside.mkdir()
    (outside / "a1.txt").write_bytes(BODY)
    (folder / "raw" / "linked").symlink_to(outside, target_is_directory=True)
    edit_metadata(folder, file="raw/linked/a1.txt")
    return "metadata.csv", ["article 'a1'", "outside the corpus folder (a symlink?)"]


def case_second_file_symlink_outside(folder):
    outside = folder.parent / "outside.txt"
    outside.write_bytes(BODY.replace(b"Monday", b"Tuesday"))
    (folder / "raw" / "a2.txt").unlink()
    (folder / "raw" / "a2.txt").symlink_to(outside)
    return "metadata.csv", ["article 'a2'", "outside the corpus folder (a symlink?)"]


def case_checksum_mismatch(folder):
    (folder / "raw" / "a1.txt").write_bytes(BODY + b"Changed.")
    expected, actual = sha256(BODY)[:12], sha256(BODY + b"Changed.")[:12]
    return "raw/a1.txt", ["article 'a1'", "checksum mismatch", expected, actual]


def write_article(folder, data: bytes) -> None:
    (folder / "raw" / "a1.txt").write_bytes(data)
    edit_metadata(folder, sha256=sha256(data))


def case_utf16_with_bom(folder):
    write_article(folder, BODY.decode().encode("utf-16"))
    return "raw/a1.txt", ["not UTF-8", "offset 0", "UTF-16 (it starts with a UTF-16 byte-order mark)"]


def case_utf16_without_bom(folder):
    write_article(folder, BODY.decode().encode("utf-16-le"))
    return "raw/a1.txt", ["not UTF-8", "zero byte at offset 1", "UTF-16 without a byte-order mark"]


def case_cp1252(folder):
    write_article(folder, "Talks end\nRussia’s “red lines”.".encode("cp1252"))
    return "raw/a1.txt", ["not UTF-8", "byte 0x92 at offset 16", "Windows-1252"]


def case_latin1(folder):
    write_article(folder, b"Talks end\nGen\xe8ve \x81 talks.")
    return "raw/a1.txt", ["not UTF-8", "byte 0xE8 at offset 13", "Latin-1"]


def case_empty_file(folder):
    write_article(folder, b"")
    return "raw/a1.txt", ["article 'a1'", "file is empty"]


def case_nothing_left_after_cleaning(folder):
    write_article(folder, "Contact Us\n\n\u00a0\nSubscribe".encode())
    return "raw/a1.txt", ["article 'a1'", "no article text left after cleaning", "blank, filler, site_chrome"]


ERROR_CASES = [value for name, value in sorted(globals().items()) if name.startswith("case_")]


@pytest.mark.parametrize("case", ERROR_CASES, ids=[case.__name__[5:] for case in ERROR_CASES])
def test_bad_input_raises_corpus_error_naming_file_and_problem(tmp_path, monkeypatch, case):
    folder = make_corpus(tmp_path / "corpus", {"a1": BODY, "a2": BODY.replace(b"Monday", b"Tuesday")})
    arguments = (folder, monkeypatch) if "monkeypatch" in case.__code__.co_varnames else (folder,)
    file_name, phrases = case(*arguments)
    with pytest.raises(CorpusError) as error:
        load_corpus(folder)
    message = str(error.value)
    assert message.startswith(str(folder / file_name)), message
    assert [phrase for phrase in phrases if phrase not in message] == [], message
    assert "\n" not in message


def test_clean_articles_keeps_metadata_values_and_types_column_by_column():
    meta = read_metadata(paths.CORPUS_DIR)
    articles = clean_articles(paths.CORPUS_DIR, meta.iloc[::-1], rules=corpus_rules(paths.CORPUS_DIR)).articles
    assert articles["article_id"].tolist() == sorted(meta["id"])
    expected_sha256 = meta.set_index("id").loc[articles["article_id"], "sha256"].str.lower()
    assert articles["sha256"].tolist() == expected_sha256.tolist()
    assert articles["n_words"].tolist() == [count_words(text) for text in articles["text"]]
    assert {column: str(articles[column].dtype) for column in ("n_words", "n_raw_lines", "headline_in_text")} == {
        "n_words": "int64", "n_raw_lines": "int64", "headline_in_text": "bool"}

"""Load a corpus folder: validated metadata, checksummed UTF-8 files, cleaned article text.

A corpus folder holds ``metadata.csv`` (one row per article) and the article files it names
(``raw/*.txt`` by convention). :func:`build_corpus` reads and checks everything once and
returns both tables of ``docs/ARCHITECTURE.md``: the articles and the cleaning log. Any
problem raises :class:`analysis.errors.CorpusError` naming the file and the problem.

Example:
    >>> corpus = build_corpus()
    >>> corpus.articles[["article_id", "outlet", "headline_in_text"]].head(2)
                 article_id       outlet  headline_in_text
    0  000_a7eefb9413371b4f  Al Mayadeen              True
    1  001_de0073bae24aa22f       A News              True
    >>> sorted(corpus.log["rule"].unique())[:3]
    ['blank', 'byline', 'caption_fragment']
"""
from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Callable, NamedTuple

import pandas as pd

from analysis import paths
from analysis.cleaning import UNKNOWN, CleanedText, CleaningRules, article_cleaner, load_rules
from analysis.errors import CorpusError
from analysis.tokens import word_counts

METADATA_NAME = "metadata.csv"
CORPUS_RULES_NAME = "cleaning_rules.yaml"
REQUIRED_COLUMNS = ("id", "file", "outlet", "sha256")
OPTIONAL_COLUMNS = ("country", "url", "date", "language", "headline", "notes")
METADATA_COLUMNS = ("id", "file", "outlet", "country", "url", "date", "language", "headline", "sha256", "notes")
ARTICLE_COLUMNS = (
    "article_id", "file", "outlet", "country", "url", "date", "language", "headline", "sha256", "notes",
    "raw_text", "text", "headline_in_text", "n_raw_lines", "n_kept_lines", "n_words",
)
LOG_COLUMNS = ("article_id", "line_no", "char_start", "char_end", "text", "rule", "detail")

_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]*"
_SHA256_PATTERN = r"[0-9a-fA-F]{64}"
_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_CSV_OPTIONS = {"index": False, "lineterminator": "\n", "encoding": "utf-8"}
_ARTICLE_DTYPES = {"headline_in_text": "bool", "n_raw_lines": "int64", "n_kept_lines": "int64", "n_words": "int64"}
_LOG_DTYPES = {"article_id": "str", "line_no": "int64", "char_start": "int64", "char_end": "int64",
               "text": "str", "rule": "str", "detail": "str"}
_LOG_ORDER = ["article_id", "line_no", "char_start"]
# The errors pathlib's ``Path.exists`` reads as "no such file" (it raises any other).
_NOT_FOUND_ERRORS = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)


class _ArticleSource(NamedTuple):
    """The metadata of one article that reading and cleaning it needs."""

    id: str
    file: str
    sha256: str
    headline: str


class CleanedCorpus(NamedTuple):
    """The two tables built from a corpus folder: ``articles`` and the cleaning ``log``."""

    articles: pd.DataFrame
    log: pd.DataFrame


def read_metadata(corpus_dir: str | Path = paths.CORPUS_DIR) -> pd.DataFrame:
    """Read and validate ``<corpus_dir>/metadata.csv``.

    Required columns: ``id, file, outlet, sha256`` (non-empty). Optional columns
    ``country, url, date, language, headline, notes`` default to ``"unknown"`` when absent
    or empty. Extra columns are ignored. Rows are numbered as in a spreadsheet (header = 1).

    Args:
        corpus_dir: the corpus folder.

    Returns:
        The metadata, all columns strings, in :data:`METADATA_COLUMNS` order.

    Raises:
        CorpusError: missing or unparseable file, missing column, empty or duplicate id,
            bad sha256 or date.

    Example:
        >>> read_metadata()["id"].tolist()[:2]
        ['000_a7eefb9413371b4f', '001_de0073bae24aa22f']
    """
    path = Path(corpus_dir) / METADATA_NAME
    if not path.is_file():
        raise CorpusError(path, "metadata file not found; write a template with "
                                "`python -m analysis init-corpus FOLDER`")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", index_col=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as err:
        raise CorpusError(path, f"metadata cannot be parsed as UTF-8 CSV ({' '.join(str(err).split())})") from err
    table.columns = [str(column).strip() for column in table.columns]
    missing = [column for column in REQUIRED_COLUMNS if column not in table.columns]
    if missing:
        raise CorpusError(path, f"missing required column(s) {', '.join(missing)} (found: {', '.join(table.columns)})")
    if table.empty:
        raise CorpusError(path, "metadata has a header but no article rows")
    table = table.reindex(columns=list(METADATA_COLUMNS), fill_value=UNKNOWN)
    table = table.apply(lambda column: column.str.strip())
    table[list(OPTIONAL_COLUMNS)] = table[list(OPTIONAL_COLUMNS)].replace("", UNKNOWN)
    _check_metadata_values(table, path)
    return table


def _check_metadata_values(table: pd.DataFrame, path: Path) -> None:
    """Raise on the first empty required value, bad id, duplicate id, bad sha256 or bad date."""
    empty = table[list(REQUIRED_COLUMNS)].eq("").to_numpy()
    if empty.any():
        row, column = divmod(int(empty.argmax()), len(REQUIRED_COLUMNS))
        raise CorpusError(path, f"row {row + 2} has an empty {REQUIRED_COLUMNS[column]}")
    ids = table["id"]
    _raise_on_first(path, ~ids.str.fullmatch(_ID_PATTERN), ids,
                    "id {value!r} in row {row} may hold only letters, digits, '.', '_' and '-'")
    duplicated = ids[ids.duplicated(keep=False)]
    if not duplicated.empty:
        rows = [str(index + 2) for index in duplicated.index[duplicated == duplicated.iloc[0]]]
        raise CorpusError(path, f"duplicate id {duplicated.iloc[0]!r} in rows {' and '.join(rows)}")
    _raise_on_first(path, ~table["sha256"].str.fullmatch(_SHA256_PATTERN), table["sha256"],
                    "sha256 {value!r} in row {row} is not 64 hexadecimal characters")
    dates = pd.to_datetime(table["date"].where(table["date"] != UNKNOWN), format="%Y-%m-%d", errors="coerce")
    _raise_on_first(path, dates.isna() & (table["date"] != UNKNOWN), table["date"],
                    "date {value!r} in row {row} is not YYYY-MM-DD or 'unknown'")


def _raise_on_first(path: Path, bad: pd.Series, values: pd.Series, message: str) -> None:
    if bad.any():
        index = int(bad.to_numpy().argmax())
        raise CorpusError(path, message.format(value=values.iloc[index], row=index + 2))


def _article_path(corpus_dir: Path, file: str, article_id: str, folders: dict[str, str]) -> str:
    """The article file inside ``corpus_dir``; paths that leave the folder raise CorpusError.

    ``folders`` keeps resolved folders (the corpus folder, the files' folders) from one
    article to the next of the same load, so each file costs one look at its own name. A
    plain relative path (``raw/a1.txt``: no ``\\``, drive, empty, ``.`` or ``..`` part) is
    checked with string operations; any other path, or one that seems to leave the folder,
    goes through :func:`_checked_path` for the verdict and the message.

    Example:
        >>> _article_path(Path("corpus"), "raw/a1.txt", "a1", {"corpus": "/c", "corpus/raw": "/c/raw"})
        'corpus/raw/a1.txt'
    """
    parts = file.split("/")
    if "\\" in file or file[1:2] == ":" or "" in parts or "." in parts or ".." in parts:
        return str(_checked_path(corpus_dir, file, article_id))
    corpus = str(corpus_dir)
    path = file if corpus == "." else f"{corpus.rstrip('/')}/{file}"
    if os.path.islink(path):
        return str(_checked_path(corpus_dir, file, article_id))
    folder, name = os.path.split(path)
    resolved = f"{_resolved_folder(folder or '.', folders).rstrip('/')}/{name}"
    root = _resolved_folder(corpus, folders)
    if resolved != root and not resolved.startswith(root.rstrip("/") + "/"):
        return str(_checked_path(corpus_dir, file, article_id))
    return path


def _checked_path(corpus_dir: Path, file: str, article_id: str) -> Path:
    """:func:`_article_path` for any path, with :mod:`pathlib`: the path, or the CorpusError."""
    metadata = corpus_dir / METADATA_NAME
    relative = PurePosixPath(file.replace("\\", "/"))
    if relative.is_absolute() or PureWindowsPath(file).drive:
        raise CorpusError(metadata, f"article {article_id!r}: file path {file!r} is absolute; "
                                    "give it relative to the corpus folder")
    if ".." in relative.parts:
        raise CorpusError(metadata, f"article {article_id!r}: file path {file!r} uses '..' "
                                    "and leaves the corpus folder")
    path = corpus_dir / relative
    resolved = path.resolve()
    if not resolved.is_relative_to(corpus_dir.resolve()):
        raise CorpusError(metadata, f"article {article_id!r}: file path {file!r} resolves to {resolved}, "
                                    "outside the corpus folder (a symlink?)")
    return path


def _resolved_folder(folder: str, folders: dict[str, str]) -> str:
    """``str(Path(folder).resolve())``, looked up in ``folders`` or added to it."""
    if folder not in folders:
        folders[folder] = str(Path(folder).resolve())
    return folders[folder]


def read_article(corpus_dir: str | Path, file: str, *, sha256: str, article_id: str) -> str:
    """Read one article file: path inside the corpus, non-empty, checksum, strict UTF-8.

    Args:
        corpus_dir: the corpus folder.
        file: the file path from the metadata, relative to ``corpus_dir``.
        sha256: the expected SHA-256 of the file's bytes (hex).
        article_id: the article's id (for messages).

    Returns:
        The file's text exactly (bytes decoded as UTF-8, no newline translation).

    Raises:
        CorpusError: unsafe path, missing or unreadable file, empty file, checksum mismatch
            or text that is not UTF-8.

    Example:
        >>> meta = read_metadata().iloc[0]
        >>> read_article(paths.CORPUS_DIR, meta.file, sha256=meta.sha256, article_id=meta.id)[:17]
        'Russia-US talks: '
    """
    path = _article_path(Path(corpus_dir), file, article_id, {})
    return _verified_text(path, sha256=sha256, article_id=article_id)


def _verified_text(path: str, *, sha256: str, article_id: str) -> str:
    """The text of one article file (see :func:`read_article`) or a CorpusError."""
    mode = _file_mode(path)
    if mode is None:
        raise CorpusError(path, f"article {article_id!r}: file not found (listed in {METADATA_NAME})")
    if not stat.S_ISREG(mode):
        raise CorpusError(path, f"article {article_id!r}: path is not a regular file (a folder?)")
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise CorpusError(path, f"article {article_id!r}: file cannot be read ({err.strerror})") from err
    if not data:
        raise CorpusError(path, f"article {article_id!r}: file is empty (0 bytes)")
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256.lower():
        raise CorpusError(path, f"article {article_id!r}: checksum mismatch, metadata sha256 starts "
                                f"{sha256[:12].lower()} but the file's starts {actual[:12]} "
                                "(file changed or metadata out of date)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise CorpusError(path, f"article {article_id!r}: {_encoding_problem(data, err)}") from err
    if "\x00" in text:
        raise CorpusError(path, f"article {article_id!r}: text is not UTF-8 (zero byte at offset {data.index(0)}; "
                                "it looks like UTF-16 without a byte-order mark); re-save the file as UTF-8")
    return text


def _file_mode(path: str) -> int | None:
    """``os.stat(path).st_mode``, or None where ``Path(path).exists()`` is False (its errors too).

    Example:
        >>> stat.S_ISDIR(_file_mode(".")), _file_mode("no/such/file")
        (True, None)
    """
    try:
        return os.stat(path).st_mode
    except ValueError:
        return None
    except OSError as err:
        if err.errno in _NOT_FOUND_ERRORS:
            return None
        raise


def _encoding_problem(data: bytes, error: UnicodeDecodeError) -> str:
    """Say which encoding a non-UTF-8 file looks like and where the first bad byte is."""
    where = f"byte 0x{data[error.start]:02X} at offset {error.start} is not valid UTF-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        guess = "UTF-16 (it starts with a UTF-16 byte-order mark)"
    elif data.count(0) > len(data) // 4:
        guess = "UTF-16 without a byte-order mark (many zero bytes)"
    else:
        try:
            data.decode("cp1252")
            guess = "Windows-1252 (cp1252)"
        except UnicodeDecodeError:
            guess = "Latin-1 (ISO-8859-1)"
    return f"text is not UTF-8 ({where}; it looks like {guess}); re-save the file as UTF-8"


def _clean_article(corpus_dir: Path, meta: _ArticleSource, clean: Callable[..., CleanedText],
                   folders: dict[str, str]) -> tuple[str, CleanedText]:
    """One article's raw text and its cleaned text (a CorpusError when nothing is left)."""
    path = _article_path(corpus_dir, meta.file, meta.id, folders)
    raw_text = _verified_text(path, sha256=meta.sha256, article_id=meta.id)
    cleaned = clean(raw_text, headline=meta.headline)
    if not cleaned.text:
        rules_used = ", ".join(sorted({row.rule for row in cleaned.log}))
        raise CorpusError(corpus_dir / meta.file, f"article {meta.id!r}: no article text left after cleaning "
                                                  f"(all {cleaned.n_raw_lines} lines set aside by: {rules_used})")
    return raw_text, cleaned


def _articles_frame(metadata: pd.DataFrame, raw_texts: list[str], cleaned: list[CleanedText]) -> pd.DataFrame:
    """The articles table (:data:`ARTICLE_COLUMNS`, in the order of ``metadata``) built column by column."""
    columns: dict[str, Any] = {column: metadata[column].tolist() for column in METADATA_COLUMNS}
    columns["article_id"] = columns.pop("id")
    columns["sha256"] = [sha256.lower() for sha256 in columns["sha256"]]
    texts = [result.text for result in cleaned]
    columns.update(  # long texts typed as given: pandas infers their type slowly
        raw_text=pd.Series(raw_texts, dtype="str"), text=pd.Series(texts, dtype="str"),
        headline_in_text=[result.headline_in_text for result in cleaned],
        n_raw_lines=[result.n_raw_lines for result in cleaned],
        n_kept_lines=[result.n_kept_lines for result in cleaned],
        n_words=word_counts(texts),
    )
    return pd.DataFrame(columns, columns=list(ARTICLE_COLUMNS)).astype(_ARTICLE_DTYPES)


def build_corpus(corpus_dir: str | Path = paths.CORPUS_DIR, *, rules_file: str | Path | None = None) -> CleanedCorpus:
    """Validate, read and clean a whole corpus folder once; return articles and cleaning log.

    Args:
        corpus_dir: folder holding ``metadata.csv`` and the article files.
        rules_file: extra cleaning rules (YAML) extending the shipped ones; when ``None``,
            ``<corpus_dir>/cleaning_rules.yaml`` is used if it exists.

    Returns:
        :class:`CleanedCorpus` with ``articles`` (columns :data:`ARTICLE_COLUMNS`, sorted by
        ``article_id``) and ``log`` (columns :data:`LOG_COLUMNS`, sorted by
        ``article_id, line_no, char_start``).

    Raises:
        CorpusError: any problem with the metadata, a file or the rules (file + problem).

    Example:
        >>> corpus = build_corpus()
        >>> len(corpus.articles), list(corpus.log.columns) == list(LOG_COLUMNS)
        (5, True)
    """
    corpus_dir = Path(corpus_dir)
    return clean_articles(corpus_dir, read_metadata(corpus_dir), rules=corpus_rules(corpus_dir, rules_file))


def corpus_rules(corpus_dir: str | Path, rules_file: str | Path | None = None) -> CleaningRules:
    """Cleaning rules for a corpus: the shipped rules, extended by ``rules_file`` or else by
    ``<corpus_dir>/cleaning_rules.yaml`` when that file exists.

    Example:
        >>> sorted(corpus_rules(paths.CORPUS_DIR).descriptions)[:2]
        ['above_headline', 'blank']
    """
    default_rules_file = Path(corpus_dir) / CORPUS_RULES_NAME
    if rules_file is None and default_rules_file.is_file():
        rules_file = default_rules_file
    return load_rules(rules_file)


def clean_articles(corpus_dir: str | Path, metadata: pd.DataFrame, *, rules: CleaningRules) -> CleanedCorpus:
    """Read, verify and clean the articles listed in (a slice of) validated metadata.

    This is the per-article part of :func:`build_corpus`; the study runs it on partitions of
    the metadata (one process or a Dask cluster), so no article depends on another.

    Args:
        corpus_dir: the corpus folder the metadata's ``file`` paths are relative to.
        metadata: rows of :func:`read_metadata`.
        rules: cleaning rules (:func:`corpus_rules`).

    Returns:
        :class:`CleanedCorpus` of these articles, sorted by ``article_id``.

    Example:
        >>> meta = read_metadata(paths.CORPUS_DIR).head(2)
        >>> clean_articles(paths.CORPUS_DIR, meta, rules=corpus_rules(paths.CORPUS_DIR)).articles.outlet.tolist()
        ['Al Mayadeen', 'A News']
    """
    corpus_dir = Path(corpus_dir)
    raw_texts, cleaned, folders, clean = [], [], {}, article_cleaner(rules)
    for meta in map(_ArticleSource._make, zip(*(metadata[field].tolist() for field in _ArticleSource._fields))):
        raw_text, result = _clean_article(corpus_dir, meta, clean, folders)
        raw_texts.append(raw_text)
        cleaned.append(result)
    # Sorted before the words are counted: sentences_table then meets the same batch of texts
    # and finds its chunks counted (analysis.tokens.chunk_words).
    order = metadata["id"].reset_index(drop=True).sort_values(kind="stable").index.tolist()
    articles = _articles_frame(metadata.iloc[order], [raw_texts[row] for row in order], [cleaned[row] for row in order])
    log = _log_frame(metadata["id"].tolist(), cleaned).sort_values(_LOG_ORDER, kind="stable", ignore_index=True)
    return CleanedCorpus(articles, log)


def _log_frame(article_ids: list[str], cleaned: list[CleanedText]) -> pd.DataFrame:
    """The cleaning log (:data:`LOG_COLUMNS`) of the articles, built column by column.

    Example:
        >>> from analysis.cleaning import clean_text
        >>> log = _log_frame(["a1", "a2"], [clean_text("Menu\\nTalks end"), clean_text("Talks end")])
        >>> log[["article_id", "line_no", "rule"]].to_numpy().tolist(), log["char_end"].dtype
        ([['a1', 0, 'site_chrome']], dtype('int64'))
    """
    rows = [row for result in cleaned for row in result.log]
    ids = [article_id for article_id, result in zip(article_ids, cleaned) for _ in result.log]
    columns = [ids, *(zip(*rows) if rows else [()] * (len(LOG_COLUMNS) - 1))]
    return pd.DataFrame({name: pd.Series(values, dtype=_LOG_DTYPES[name]) for name, values in zip(LOG_COLUMNS, columns)})


def load_corpus(corpus_dir: str | Path = paths.CORPUS_DIR, *,
                rules_file: str | Path | None = None) -> pd.DataFrame:
    """The articles table of a corpus folder (see :func:`build_corpus`; use it for both tables).

    Example:
        >>> articles = load_corpus()
        >>> list(articles.columns) == list(ARTICLE_COLUMNS), articles["n_kept_lines"].tolist()
        (True, [19, 17, 11, 21, 14])
    """
    return build_corpus(corpus_dir, rules_file=rules_file).articles


def load_cleaning_log(corpus_dir: str | Path = paths.CORPUS_DIR, *,
                      rules_file: str | Path | None = None) -> pd.DataFrame:
    """The cleaning log of a corpus folder: every line or part of a line set aside, and why.

    Example:
        >>> log = load_cleaning_log()
        >>> log.loc[log["rule"] == "foreign_language", ["article_id", "line_no"]].to_numpy().tolist()
        [['000_a7eefb9413371b4f', 12]]
    """
    return build_corpus(corpus_dir, rules_file=rules_file).log


def write_processed(corpus: CleanedCorpus, out_dir: str | Path) -> dict[str, Path]:
    """Write ``articles.csv`` (without raw text), ``cleaning_log.csv`` and ``text/<id>.txt``.

    Output is deterministic: tables sorted, UTF-8, ``"\\n"`` line endings; ``.txt`` files in
    ``text/`` that belong to no current article are removed.

    Args:
        corpus: the result of :func:`build_corpus`.
        out_dir: output folder (created if needed), usually ``<corpus>/processed``.

    Returns:
        Paths by name: ``articles``, ``cleaning_log``, ``text`` (the folder of cleaned texts).

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as out:
        ...     written = write_processed(build_corpus(), out)
        ...     sorted(p.name for p in written["text"].iterdir())[0], written["articles"].name
        ('000_a7eefb9413371b4f.txt', 'articles.csv')
    """
    out_dir = Path(out_dir)
    text_dir = out_dir / "text"
    text_dir.mkdir(parents=True, exist_ok=True)
    written = {"articles": out_dir / "articles.csv", "cleaning_log": out_dir / "cleaning_log.csv", "text": text_dir}
    articles = corpus.articles.sort_values("article_id", kind="stable")
    articles.drop(columns="raw_text").to_csv(written["articles"], **_CSV_OPTIONS)
    corpus.log.sort_values(_LOG_ORDER, kind="stable").to_csv(written["cleaning_log"], **_CSV_OPTIONS)
    current = {text_dir / f"{article_id}.txt" for article_id in articles["article_id"]}
    for stale in sorted(set(text_dir.glob("*.txt")) - current):
        stale.unlink()
    for article_id, text in zip(articles["article_id"], articles["text"]):
        (text_dir / f"{article_id}.txt").write_text(text, encoding="utf-8", newline="")
    return written


def build_metadata(corpus_dir: str | Path, *, files: list[str | Path] | None = None, overwrite: bool = False) -> Path:
    """Write a ``metadata.csv`` template for a folder of ``.txt`` files, with their checksums.

    Every article gets ``id`` (file name without ``.txt``), ``file``, ``sha256`` computed
    from its bytes, and ``"unknown"`` in every other column for the researcher to fill in.

    Args:
        corpus_dir: the corpus folder.
        files: article files (relative to ``corpus_dir`` or inside it); default ``raw/*.txt``.
        overwrite: replace an existing ``metadata.csv`` (default False: refuse).

    Returns:
        The path of the written ``metadata.csv``.

    Raises:
        CorpusError: metadata exists and ``overwrite`` is False, no files, or a file outside.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     (Path(folder) / "raw").mkdir()
        ...     _ = (Path(folder) / "raw" / "a1.txt").write_bytes(b"Talks end")
        ...     print(build_metadata(folder).read_text().splitlines()[1])
        a1,raw/a1.txt,unknown,unknown,unknown,unknown,unknown,unknown,6d91d2b52c64af8540b01d5af67c620c0c7da35d1255377fe22613edef1338cd,unknown
    """
    corpus_dir = Path(corpus_dir)
    target = corpus_dir / METADATA_NAME
    if target.exists() and not overwrite:
        raise CorpusError(target, "metadata file already exists; pass overwrite=True to replace it "
                                  "(your edits would be lost)")
    article_files = sorted((corpus_dir / "raw").glob("*.txt")) if files is None else [corpus_dir / f for f in files]
    if not article_files:
        raise CorpusError(corpus_dir / "raw", "no .txt article files to list in the metadata")
    rows = []
    for path in article_files:
        relative = _relative_inside(corpus_dir, path)
        row = dict.fromkeys(METADATA_COLUMNS, UNKNOWN)
        row.update(id=_UNSAFE_ID_CHARS.sub("_", path.stem), file=relative,
                   sha256=hashlib.sha256(path.read_bytes()).hexdigest())
        rows.append(row)
    pd.DataFrame(rows, columns=list(METADATA_COLUMNS)).to_csv(target, **_CSV_OPTIONS)
    return target


def _relative_inside(corpus_dir: Path, path: Path) -> str:
    if not path.is_file():
        raise CorpusError(path, "article file not found")
    if not path.resolve().is_relative_to(corpus_dir.resolve()):
        raise CorpusError(path, f"article file is outside the corpus folder {corpus_dir}")
    return path.resolve().relative_to(corpus_dir.resolve()).as_posix()

"""Cached reruns: tables computed once per corpus, codebook and code version.

A rerun of the study on unchanged inputs reads its tables from Parquet files instead of
recomputing them. The cache key (:func:`cache_key`) is a SHA-256 over everything the
tables depend on: the corpus ``metadata.csv``, the bytes of every raw file it lists, the
corpus's own cleaning rules, the codebook, the package version, the versions of its
runtime dependencies and a hash of the package's own source and data files. Change one
byte of any of these and the key changes, so a stale table is never served.

Tables live under ``<root>/<key>/`` (:class:`TableCache`): ``<name>.parquet``, or a folder
``<name>/`` of parts for tables written partition by partition. A run writes its entry in a
hidden staging folder and renames it to the key when every table is there
(:func:`ensure_entry`, :class:`PendingEntry`), so an interrupted run leaves no entry that
looks complete. An entry that is incomplete or unreadable counts as a miss and is
recomputed.

Example:
    >>> import tempfile
    >>> import pandas as pd
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     store = TableCache(folder)
    ...     compute = lambda entry: entry.write("counts", pd.DataFrame({"n": [1, 2]}))
    ...     first_hit = ensure_entry("f" * 64, ["counts"], compute, cache=store)
    ...     second_hit = ensure_entry("f" * 64, ["counts"], compute, cache=store)
    ...     tables = store.load("f" * 64, ["counts"])
    >>> first_hit, second_hit, tables["counts"].n.tolist()
    (False, True, [1, 2])
"""
from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import analysis
from analysis import paths
from analysis.corpus import CORPUS_RULES_NAME, METADATA_NAME
from analysis.errors import CodebookError, CorpusError, FramingInputError

DISTRIBUTION_NAME = "framing-analysis"
SOURCE_SUFFIXES = (".py", ".yaml", ".txt", ".mplstyle")
READ_CHUNK_BYTES = 1 << 20
TABLE_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
KEY_PATTERN = re.compile(r"^[0-9a-f]{64}$")
PENDING_PATTERN = re.compile(r"^\.[0-9a-f]{64}\.\d+\.[0-9a-f]{32}\.pending$")
PART_NAME = "part-{:09d}.parquet"
PART_GLOB = "part-" + "[0-9]" * 9 + ".parquet"
_REQUIREMENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")
_UNREADABLE_TABLE_ERRORS = (OSError, ValueError, pa.ArrowException)


def package_source_hash(package_dir: Path = paths.PACKAGE_DIR) -> str:
    """SHA-256 over the package's source and data files, in sorted path order.

    Covers ``*.py``, ``*.yaml``, ``*.txt`` and ``*.mplstyle`` anywhere under the package
    (caches such as ``__pycache__`` are skipped), each file's relative path and bytes.

    Args:
        package_dir: the package folder (default: the installed ``analysis`` package).

    Returns:
        A 64-character hex digest.

    Example:
        >>> len(package_source_hash())
        64
    """
    digest = hashlib.sha256()
    root = Path(package_dir)
    files = sorted(
        p for p in root.rglob("*")
        if p.suffix in SOURCE_SUFFIXES and p.is_file() and "__pycache__" not in p.parts
    )
    for file in files:
        _update_with_text(digest, file.relative_to(root).as_posix(), _file_sha256(file))
    return digest.hexdigest()


def dependency_versions() -> dict[str, str]:
    """Installed versions of the package's runtime dependencies (empty when not installed).

    Example:
        >>> "pandas" in dependency_versions()
        True
    """
    try:
        requirements = importlib.metadata.requires(DISTRIBUTION_NAME) or []
    except importlib.metadata.PackageNotFoundError:
        return {}
    names = sorted({
        _REQUIREMENT_NAME.match(r).group() for r in requirements if "extra ==" not in r
    })
    return {name: _installed_version(name) for name in names}


def cache_key(corpus_dir: str | Path, codebook_path: str | Path) -> str:
    """SHA-256 identifying every input a study's tables depend on.

    Hashes the corpus ``metadata.csv``, each raw file it lists (sorted by name, streamed),
    the corpus's own ``cleaning_rules.yaml`` when there is one, the codebook, the package
    version, its dependency versions and :func:`package_source_hash`. About 0.35 s per
    10,000 raw files once they are in the page cache.

    Args:
        corpus_dir: corpus folder holding ``metadata.csv`` and the raw files it lists.
        codebook_path: the codebook YAML file.

    Returns:
        A 64-character hex digest.

    Raises:
        CorpusError: metadata.csv or a raw file it lists cannot be read.
        CodebookError: the codebook cannot be read.

    Example:
        >>> key = cache_key(paths.CORPUS_DIR, paths.DEFAULT_CODEBOOK)
        >>> len(key), key == cache_key(paths.CORPUS_DIR, paths.DEFAULT_CODEBOOK)
        (64, True)
    """
    metadata_path = Path(corpus_dir) / METADATA_NAME
    digest = hashlib.sha256()
    _update_with_text(digest, "metadata", _readable_sha256(metadata_path, CorpusError))
    _update_with_raw_files(digest, metadata_path)
    corpus_rules = Path(corpus_dir) / CORPUS_RULES_NAME
    if corpus_rules.is_file():
        _update_with_text(digest, "corpus-rules", _readable_sha256(corpus_rules, CorpusError))
    _update_with_text(digest, "codebook", _readable_sha256(Path(codebook_path), CodebookError))
    versions = {"analysis": analysis.__version__, **dependency_versions()}
    for name, version in sorted(versions.items()):
        _update_with_text(digest, f"version:{name}", version)
    _update_with_text(digest, "package-source", package_source_hash())
    return digest.hexdigest()


class TableCache:
    """Tables stored as Parquet under ``<root>/<key>/``, one file per table.

    A table written partition by partition (:meth:`PendingEntry.write_part`) is a folder
    ``<name>/`` of parts instead, read back in part order as one table. Dtypes (str, bool,
    int64, float64, nullable and categorical ones) and the index round-trip exactly, empty
    tables included.

    Args:
        root: the cache folder (default ``paths.CACHE_DIR``); created on first store.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     store = TableCache(folder)
        ...     store.store("a" * 64, {"words": pd.DataFrame({"word": ["NATO"]})})
        ...     store.load("a" * 64, ["words"])["words"].word.tolist()
        ['NATO']
    """

    def __init__(self, root: str | Path = paths.CACHE_DIR):
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"TableCache({str(self.root)!r})"

    def entry_dir(self, key: str) -> Path:
        """The folder of entry ``key``.

        Raises:
            ValueError: ``key`` is not a 64-character hex digest.

        Example:
            >>> TableCache("/tmp/cache").entry_dir("a" * 64).name == "a" * 64
            True
        """
        if not KEY_PATTERN.match(key):
            raise ValueError(f"cache key must be 64 lower-case hex characters, got {key!r}")
        return self.root / key

    def table_path(self, key: str, name: str) -> Path:
        """Where table ``name`` of entry ``key`` is (or would be) stored as one file.

        Raises:
            ValueError: ``key`` is not a 64-character hex digest or ``name`` is not a safe file name.

        Example:
            >>> TableCache("/tmp/cache").table_path("a" * 64, "sentences").name
            'sentences.parquet'
        """
        return _table_file(self.entry_dir(key), name)

    def load(self, key: str, names: Iterable[str]) -> dict[str, pd.DataFrame] | None:
        """Every named table of entry ``key``, or None unless all are present and readable.

        Example:
            >>> TableCache("/nonexistent").load("b" * 64, ["words"]) is None
            True
        """
        entry = self.entry_dir(key)
        tables = {}
        for name in names:
            table = read_table(entry, name)
            if table is None:
                return None
            tables[name] = table
        return tables

    def complete(self, key: str, names: Iterable[str]) -> bool:
        """Whether entry ``key`` holds every named table, each file with a readable Parquet
        footer (cheap: the footers are read, not the tables).

        Example:
            >>> TableCache("/nonexistent").complete("b" * 64, ["words"])
            False
        """
        entry = self.entry_dir(key)
        for name in names:
            files = _stored_files(entry, name)
            if not files:
                return False
            try:
                for file in files:
                    pq.read_metadata(file)
            except _UNREADABLE_TABLE_ERRORS:
                return False
        return True

    def store(self, key: str, tables: dict[str, pd.DataFrame]) -> None:
        """Write each table of ``tables`` atomically (temporary file, then rename).

        Example:
            >>> import tempfile
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     TableCache(folder).store("c" * 64, {"empty": pd.DataFrame({"n": []})})
            ...     sorted(p.name for p in (Path(folder) / ("c" * 64)).iterdir())
            ['empty.parquet']
        """
        for name, table in tables.items():
            write_table_file(self.table_path(key, name), table)

    def begin(self, key: str) -> "PendingEntry":
        """Start writing entry ``key`` in a staging folder (see :class:`PendingEntry`).

        Example:
            >>> import tempfile
            >>> with tempfile.TemporaryDirectory() as folder, TableCache(folder).begin("f" * 64) as entry:
            ...     entry.folder.name.startswith(".")
            True
        """
        return PendingEntry(self, key)

    def clear(self) -> None:
        """Delete every cache entry under ``root``, finished or not (other files are left alone).

        Example:
            >>> import tempfile
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     store = TableCache(folder)
            ...     store.store("d" * 64, {"t": pd.DataFrame({"n": [1]})})
            ...     store.clear()
            ...     store.load("d" * 64, ["t"]) is None
            True
        """
        if not self.root.is_dir():
            return
        for entry in self.root.iterdir():
            if entry.is_dir() and (KEY_PATTERN.match(entry.name) or PENDING_PATTERN.match(entry.name)):
                shutil.rmtree(entry)


class PendingEntry:
    """A cache entry being computed: tables go to a hidden staging folder, published at once.

    Partition tasks (possibly on other machines that see the same folder) write their parts
    with :func:`write_part` into :attr:`folder`; :meth:`commit` renames the folder to the
    entry's key, so a reader never sees half an entry and an interrupted run leaves only a
    staging folder (removed by :meth:`TableCache.clear`, or on error by the ``with`` block).

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     store = TableCache(folder)
        ...     with store.begin("e" * 64) as entry:
        ...         _ = write_part(entry.folder, "rows", 0, pd.DataFrame({"n": [1, 2]}))
        ...         _ = write_part(entry.folder, "rows", 2, pd.DataFrame({"n": [3]}))
        ...         entry.commit()
        ...     store.load("e" * 64, ["rows"])["rows"].n.tolist()
        [1, 2, 3]
    """

    def __init__(self, cache: TableCache, key: str):
        self.target = cache.entry_dir(key)
        self.folder = cache.root / f".{key}.{os.getpid()}.{uuid.uuid4().hex}.pending"
        self.folder.mkdir(parents=True)

    def __enter__(self) -> "PendingEntry":
        return self

    def __exit__(self, *exc_info) -> None:
        self.discard()

    def write(self, name: str, table: pd.DataFrame) -> Path:
        """Write a whole table of the entry."""
        return write_table_file(_table_file(self.folder, name), table)

    def read(self, name: str, *, columns: list[str] | None = None) -> pd.DataFrame:
        """Read back a table already written (all parts, in order)."""
        table = read_table(self.folder, name, columns=columns)
        if table is None:
            raise FileNotFoundError(f"table {name!r} was not written to {self.folder}")
        return table

    def commit(self) -> None:
        """Publish the entry under its key (replacing a damaged entry of the same key)."""
        if self.target.exists():
            shutil.rmtree(self.target)
        os.replace(self.folder, self.target)

    def discard(self) -> None:
        """Remove the staging folder if it is still there."""
        shutil.rmtree(self.folder, ignore_errors=True)


def write_table_file(path: Path, table: pd.DataFrame) -> Path:
    """Write ``table`` to ``path`` as Parquet, atomically (temporary file, then rename).

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     write_table_file(Path(folder) / "t.parquet", pd.DataFrame({"n": [1]})).name
        't.parquet'
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
    try:
        table.to_parquet(temporary, engine="pyarrow", write_statistics=False)  # never filtered on; 8% faster
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def write_part(folder: str | Path, name: str, first_row: int, table: pd.DataFrame) -> Path:
    """Write one partition's rows of table ``name``; parts are read back ordered by ``first_row``.

    ``first_row`` is the position of the partition's first input row (e.g. its first
    article), so parts written in any order, by any process, assemble in input order.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     write_part(folder, "sentences", 2000, pd.DataFrame({"n": [1]})).name
        'part-000002000.parquet'
    """
    if first_row < 0:
        raise ValueError(f"first_row must be 0 or more, got {first_row}")
    return write_table_file(_part_dir(Path(folder), name) / PART_NAME.format(first_row), table)


def read_part(folder: str | Path, name: str, first_row: int) -> pd.DataFrame:
    """The part of table ``name`` written by :func:`write_part` for ``first_row``.

    A later stage of the same partition reads its input this way, in whichever process it runs.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     _ = write_part(folder, "sentences", 2000, pd.DataFrame({"n": [1]}))
        ...     read_part(folder, "sentences", 2000).n.tolist()
        [1]
    """
    return pd.read_parquet(_part_dir(Path(folder), name) / PART_NAME.format(first_row), engine="pyarrow")


def read_table(folder: str | Path, name: str, *, columns: list[str] | None = None) -> pd.DataFrame | None:
    """Table ``name`` stored in ``folder`` (one file, or its parts in order), or None if
    it is missing or unreadable.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     _ = write_part(folder, "t", 1, pd.DataFrame({"n": [2], "m": [0]}))
        ...     _ = write_part(folder, "t", 0, pd.DataFrame({"n": [1], "m": [0]}))
        ...     read_table(folder, "t", columns=["n"]).n.tolist()
        [1, 2]
    """
    files = _stored_files(Path(folder), name)
    if not files:
        return None
    try:
        parts = [pd.read_parquet(file, engine="pyarrow", columns=columns) for file in files]
    except _UNREADABLE_TABLE_ERRORS:
        return None
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)


def _stored_files(folder: Path, name: str) -> list[Path]:
    """The file of table ``name`` in ``folder``, or its parts in order, or []."""
    single = _table_file(folder, name)
    return [single] if single.is_file() else _part_files(folder, name)


def _table_file(folder: Path, name: str) -> Path:
    _check_table_name(name)
    return folder / f"{name}.parquet"


def _part_dir(folder: Path, name: str) -> Path:
    _check_table_name(name)
    return folder / name


def _part_files(folder: Path, name: str) -> list[Path]:
    part_dir = _part_dir(folder, name)
    return sorted(part_dir.glob(PART_GLOB)) if part_dir.is_dir() else []


def _check_table_name(name: str) -> None:
    if not TABLE_NAME_PATTERN.match(name):
        raise ValueError(f"table name {name!r} is not a safe file name")


def ensure_entry(
    key: str,
    names: Iterable[str],
    compute_into: Callable[[PendingEntry], None],
    *,
    cache: TableCache | None = None,
) -> bool:
    """Make sure entry ``key`` holds every named table; compute them only if it does not.

    A hit needs every named table present with a readable Parquet footer (a damaged or
    incomplete entry is a miss). On a miss ``compute_into(entry)`` writes the tables into a
    :class:`PendingEntry`, which is then published; read them with :meth:`TableCache.load`
    or :func:`read_table`.

    Args:
        key: a :func:`cache_key`.
        names: the tables wanted.
        compute_into: called with the pending entry on a miss; writes at least the named tables.
        cache: where tables live (default ``TableCache()`` at ``paths.CACHE_DIR``).

    Returns:
        True when the tables were already cached.

    Raises:
        ValueError: ``compute_into`` did not write every named table.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     store = TableCache(folder)
        ...     write = lambda entry: entry.write("t", pd.DataFrame({"n": [1]}))
        ...     hits = [ensure_entry("e" * 64, ["t"], write, cache=store) for _ in range(2)]
        ...     tables = store.load("e" * 64, ["t"])
        >>> hits, tables["t"].n.tolist()
        ([False, True], [1])
    """
    names = list(names)
    cache = TableCache() if cache is None else cache
    if cache.complete(key, names):
        return True
    with cache.begin(key) as entry:
        compute_into(entry)
        missing = [name for name in names if not _stored_files(entry.folder, name)]
        if missing:
            raise ValueError(f"compute_into() did not write the table(s) {', '.join(missing)}")
        entry.commit()
    return False


def _listed_raw_files(metadata_path: Path) -> list[str]:
    """The ``file`` column of a corpus metadata.csv, read as ``analysis.corpus`` reads it."""
    try:
        with open(metadata_path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [column.strip() for column in next(reader, [])]
            if "file" not in header:
                raise CorpusError(metadata_path, "has no 'file' column listing the raw files")
            column = header.index("file")
            return [row[column].strip() for row in reader if len(row) > column]
    except UnicodeDecodeError as error:
        raise CorpusError(metadata_path, f"is not valid UTF-8 ({error.reason})") from error
    except csv.Error as error:
        raise CorpusError(metadata_path, f"cannot be parsed as CSV ({error})") from error


def _update_with_raw_files(digest, metadata_path: Path) -> None:
    """Add the SHA-256 of every raw file listed in metadata.csv, in sorted name order."""
    corpus_dir = os.fspath(metadata_path.parent)
    for name in sorted(_listed_raw_files(metadata_path)):
        try:
            file_hash = _file_sha256(os.path.join(corpus_dir, name))
        except OSError as error:
            raise CorpusError(metadata_path, f"lists {name}, which cannot be read ({error.strerror})") from error
        _update_with_text(digest, f"raw:{name}", file_hash)


def _readable_sha256(path: Path, error_class: type[FramingInputError]) -> str:
    """:func:`_file_sha256`, raising ``error_class`` naming the file when it cannot be read."""
    try:
        return _file_sha256(path)
    except OSError as error:
        raise error_class(path, f"cannot be read ({error.strerror})") from error


def _file_sha256(path: Path | str) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB chunks (raises OSError)."""
    digest = hashlib.sha256()
    with open(path, "rb", buffering=0) as handle:
        while chunk := handle.read(READ_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _update_with_text(digest, label: str, value: str) -> None:
    """Add ``label`` and ``value`` to ``digest`` so that no two pairs can collide."""
    for part in (label, value):
        encoded = part.encode("utf-8")
        digest.update(len(encoded).to_bytes(8, "big"))
        digest.update(encoded)


def _installed_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"

"""Cached reruns: tables computed once per corpus, codebook and code version.

A rerun of the study on unchanged inputs reads its tables from Parquet files instead of
recomputing them. The cache key (:func:`cache_key`) is a SHA-256 over everything the
tables depend on: the corpus ``metadata.csv``, the bytes of every raw file it lists, the
corpus's own cleaning rules, the codebook, the package version, the versions of its
runtime dependencies and a hash of the package's own source and data files. Change one
byte of any of these and the key changes, so a stale table is never served.

Tables live under ``<root>/<key>/<name>.parquet`` (:class:`TableCache`), written to a
temporary file and renamed, so an interrupted run leaves no half-written table. An entry
that is incomplete or unreadable counts as a miss and is recomputed.

Example:
    >>> import tempfile
    >>> import pandas as pd
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     store = TableCache(folder)
    ...     compute = lambda: {"counts": pd.DataFrame({"n": [1, 2]})}
    ...     _, first_hit = cached("f" * 64, ["counts"], compute, cache=store)
    ...     tables, second_hit = cached("f" * 64, ["counts"], compute, cache=store)
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

import analysis
from analysis import paths
from analysis.corpus import CORPUS_RULES_NAME, METADATA_NAME
from analysis.errors import CodebookError, CorpusError, FramingInputError

DISTRIBUTION_NAME = "framing-analysis"
SOURCE_SUFFIXES = (".py", ".yaml", ".txt", ".mplstyle")
READ_CHUNK_BYTES = 1 << 20
TABLE_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
KEY_PATTERN = re.compile(r"^[0-9a-f]{64}$")
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
    """Tables stored as Parquet under ``<root>/<key>/<name>.parquet``.

    Dtypes (str, bool, int64, float64, nullable and categorical ones) and the index
    round-trip exactly, empty tables included.

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

    def table_path(self, key: str, name: str) -> Path:
        """Where table ``name`` of entry ``key`` is (or would be) stored.

        Raises:
            ValueError: ``key`` is not a 64-character hex digest or ``name`` is not a safe file name.

        Example:
            >>> TableCache("/tmp/cache").table_path("a" * 64, "sentences").name
            'sentences.parquet'
        """
        if not KEY_PATTERN.match(key):
            raise ValueError(f"cache key must be 64 lower-case hex characters, got {key!r}")
        if not TABLE_NAME_PATTERN.match(name):
            raise ValueError(f"table name {name!r} is not a safe file name")
        return self.root / key / f"{name}.parquet"

    def load(self, key: str, names: Iterable[str]) -> dict[str, pd.DataFrame] | None:
        """Every named table of entry ``key``, or None unless all are present and readable.

        Example:
            >>> TableCache("/nonexistent").load("b" * 64, ["words"]) is None
            True
        """
        tables = {}
        for name in names:
            path = self.table_path(key, name)
            if not path.is_file():
                return None
            try:
                tables[name] = pd.read_parquet(path, engine="pyarrow")
            except _UNREADABLE_TABLE_ERRORS:
                return None
        return tables

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
            path = self.table_path(key, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
            try:
                table.to_parquet(temporary, engine="pyarrow")
                os.replace(temporary, path)
            finally:
                temporary.unlink(missing_ok=True)

    def clear(self) -> None:
        """Delete every cache entry under ``root`` (other files there are left alone).

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
            if entry.is_dir() and KEY_PATTERN.match(entry.name):
                shutil.rmtree(entry)


def cached(
    key: str,
    names: Iterable[str],
    compute: Callable[[], dict[str, pd.DataFrame]],
    *,
    cache: TableCache | None = None,
) -> tuple[dict[str, pd.DataFrame], bool]:
    """The named tables from the cache, or from ``compute()`` (then stored).

    Args:
        key: a :func:`cache_key`.
        names: the tables wanted; a hit needs every one of them stored.
        compute: called with no arguments on a miss; returns at least the named tables.
        cache: where tables live (default ``TableCache()`` at ``paths.CACHE_DIR``).

    Returns:
        ``(tables, hit)``: the named tables, and True when they came from the cache.

    Raises:
        ValueError: ``compute`` did not return every named table.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     tables, hit = cached("e" * 64, ["t"], lambda: {"t": pd.DataFrame()},
        ...                          cache=TableCache(folder))
        >>> hit, list(tables)
        (False, ['t'])
    """
    names = list(names)
    cache = TableCache() if cache is None else cache
    tables = cache.load(key, names)
    if tables is not None:
        return tables, True
    computed = compute()
    missing = [name for name in names if name not in computed]
    if missing:
        raise ValueError(f"compute() did not return the table(s) {', '.join(missing)}")
    tables = {name: computed[name] for name in names}
    cache.store(key, tables)
    return tables, False


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

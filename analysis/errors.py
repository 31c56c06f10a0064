"""Errors the toolkit raises for bad input.

Each names the file (and where useful the key or line) and the problem in one sentence,
so a researcher sees what to fix instead of a traceback from deep inside pandas.

Example:
    >>> str(CorpusError("corpus/metadata.csv", "duplicate id '001' in rows 2 and 3"))
    "corpus/metadata.csv: duplicate id '001' in rows 2 and 3"
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable


class FramingInputError(ValueError):
    """Bad input to the toolkit: names the file and the problem."""

    def __init__(self, path: str | Path | None, problem: str):
        self.path = None if path is None else str(path)
        self.problem = problem
        super().__init__(problem if path is None else f"{path}: {problem}")


class CorpusError(FramingInputError):
    """A corpus folder, its metadata or one of its article files is unusable."""


class CodebookError(FramingInputError):
    """A codebook file is malformed: names the file, the key and the problem."""


def require_columns(table, columns: Iterable[str], name: str = "input", *, hint: str = "") -> None:
    """Raise :class:`CorpusError` naming the table, the columns it lacks and those it has.

    Every module checks the tables it is given this way, so the messages read alike.

    Args:
        table: the table passed in (a pandas DataFrame).
        columns: the columns it must have.
        name: what the table is, for the message (``"sentences"``, ``"quotations"``).
        hint: what to do about it, added to the message.

    Example:
        >>> import pandas as pd
        >>> require_columns(pd.DataFrame({"text": []}), ["text", "outlet"], "sentences")
        Traceback (most recent call last):
        ...
        analysis.errors.CorpusError: the sentences table lacks column(s) outlet (it has: text)
    """
    if not hasattr(table, "columns"):
        raise CorpusError(None, f"the {name} table must be a pandas DataFrame, got {type(table).__name__}")
    missing = [str(column) for column in columns if column not in table.columns]
    if missing:
        have = ", ".join(map(str, table.columns)) or "no columns"
        raise CorpusError(None, f"the {name} table lacks column(s) {', '.join(missing)} (it has: {have})"
                                + (f"; {hint}" if hint else ""))

"""Errors the toolkit raises for bad input.

Each names the file (and where useful the key or line) and the problem in one sentence,
so a researcher sees what to fix instead of a traceback from deep inside pandas.

Example:
    >>> str(CorpusError("corpus/metadata.csv", "duplicate id '001' in rows 2 and 3"))
    "corpus/metadata.csv: duplicate id '001' in rows 2 and 3"
"""
from __future__ import annotations

from pathlib import Path


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

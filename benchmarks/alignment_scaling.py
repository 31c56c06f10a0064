"""Does alignment's cost grow with the corpus, or with the pairs the corpus holds? Disjoint copies.

The synthetic corpora resample one small pool of seed sentences, so the same wording recurs
in thousands of stories: from 10k to 100k articles the pairs alignment must report grow
much faster than the corpus, and its time with them (``benchmarks.md``'s exponents). Here a
corpus of ``k`` parts is made of ``k`` copies of one synthetic corpus, each copy's words
marked with a suffix of its own and its outlets and articles renamed, so that no copy shares
a word with another: the pairs to find grow about ``k`` times (not exactly: tf-idf weights and
the cut of common n-grams depend on the number of sentences). The time of
``content_alignment`` and ``shared_copy`` on ``k`` copies against one copy then gives the
growth of the methods themselves.

Usage::

    python benchmarks/alignment_scaling.py                     # 10k corpus, 1 and 10 copies
    python benchmarks/alignment_scaling.py --size 1000 --copies 1 4 16

Each (copies, stage) runs in one process after the other, timed by CPU time
(``time.process_time``). Results go to ``benchmarks/results/alignment_scaling.csv`` and ``.md``.

Example:
    >>> sentences = pd.DataFrame({"article_id": ["a"], "sentence_index": [0], "outlet": ["X"],
    ...                           "text": ["Talks in Geneva."], "is_attribution": [False]})
    >>> disjoint_copies(sentences, 2)[["article_id", "outlet", "text"]].values.tolist()
    [['a~0', 'X~0', 'Talksqa inqa Genevaqa.'], ['a~1', 'X~1', 'Talksqb inqb Genevaqb.']]
"""
from __future__ import annotations

import argparse
import gc
import math
import re
import sys
import time
from pathlib import Path

import pandas as pd

DEFAULT_SIZE = 10_000
DEFAULT_COPIES = (1, 10)
STAGE_NAMES = ("alignment", "shared copy")
_LETTERS = re.compile(r"[^\W\d_]+")  # a run of letters: every word the stages can see gets the mark


def copy_mark(copy: int) -> str:
    """Suffix added to every word of copy ``copy``: ``q`` and the copy's number in letters
    (``qa``, ``qb``, ..., ``qba``), so that no two copies share a word.

    Example:
        >>> copy_mark(0), copy_mark(1), copy_mark(26)
        ('qa', 'qb', 'qba')
    """
    digits = ""
    while True:
        copy, digit = divmod(copy, 26)
        digits = chr(ord("a") + digit) + digits
        if copy == 0:
            return "q" + digits


def disjoint_copies(sentences: pd.DataFrame, copies: int) -> pd.DataFrame:
    """``copies`` copies of a sentences table that share no word, outlet or article.

    Copy ``k`` has ``~k`` after its article ids and outlets and :func:`copy_mark` after every
    word, so no sentence of one copy shares a word with a sentence of another.
    """
    if copies < 1:
        raise ValueError(f"copies must be at least 1, got {copies}")
    parts = []
    for copy in range(copies):
        mark = copy_mark(copy)
        parts.append(sentences.assign(
            article_id=sentences["article_id"].astype(str) + f"~{copy}",
            outlet=sentences["outlet"].astype(str) + f"~{copy}",
            text=[_LETTERS.sub(lambda word: word.group() + mark, text) for text in sentences["text"]],
        ))
    return pd.concat(parts, ignore_index=True)


def _stages() -> dict:
    from analysis.alignment import shared_copy
    from analysis.findings import content_alignment

    return {"alignment": content_alignment, "shared copy": shared_copy}


def measure(sentences: pd.DataFrame, copies: int) -> list[dict]:
    """One row per stage: its CPU seconds and output rows on ``copies`` disjoint copies of ``sentences``."""
    table = disjoint_copies(sentences, copies)
    rows = []
    for name, stage in _stages().items():
        gc.collect()
        started = time.process_time()
        result = stage(table)
        seconds = time.process_time() - started
        rows.append({"stage": name, "copies": copies, "sentences": len(table), "rows": len(result),
                     "candidate_pairs": result.attrs.get("candidate_pairs"), "cpu_seconds": round(seconds, 3)})
        print(f"{name:12s} {copies:3d} copies  {len(table):>9,} sentences  {seconds:7.2f} s", file=sys.stderr)
        del result
    return rows


def with_exponents(rows: list[dict]) -> pd.DataFrame:
    """The rows as a table with, per stage, the exponent ``b`` of ``seconds ~ copies^b`` and of
    ``rows ~ copies^b`` against the fewest copies measured (1 is linear).

    Example:
        >>> table = with_exponents([{"stage": "alignment", "copies": 1, "rows": 10, "cpu_seconds": 2.0},
        ...                         {"stage": "alignment", "copies": 10, "rows": 100, "cpu_seconds": 25.0}])
        >>> table[["copies", "rows_exponent", "exponent"]].values.tolist()
        [[1.0, nan, nan], [10.0, 1.0, 1.1]]
    """
    table = pd.DataFrame(rows).sort_values(["stage", "copies"], ignore_index=True)
    first = table.groupby("stage")[["copies", "rows", "cpu_seconds"]].transform("first")
    growth = (table["copies"] / first["copies"]).map(math.log10)
    table["rows_exponent"] = ((table["rows"] / first["rows"]).map(math.log10) / growth).round(2)
    table["exponent"] = ((table["cpu_seconds"] / first["cpu_seconds"]).map(math.log10) / growth).round(2)
    return table


def write_results(table: pd.DataFrame, out_dir: Path, *, size: int) -> list[Path]:
    """Write ``alignment_scaling.csv`` and ``alignment_scaling.md`` to ``out_dir``."""
    from run_benchmarks import markdown_table

    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path, markdown_path = out_dir / "alignment_scaling.csv", out_dir / "alignment_scaling.md"
    table.to_csv(csv_path, index=False, lineterminator="\n", float_format="%.4g")
    markdown_path.write_text(
        f"# Alignment on disjoint copies of the {size:,}-article synthetic corpus\n\n"
        "CPU seconds of each stage on k copies that share no word (`benchmarks/alignment_scaling.py`); "
        "`exponent` is b in seconds ~ copies^b, `rows_exponent` the same for the rows found.\n\n"
        + markdown_table(table) + "\n", encoding="utf-8")
    return [csv_path, markdown_path]


def sentences_of(corpus_dir: Path) -> pd.DataFrame:
    """The sentences table of a corpus folder (cleaned and split as the study does)."""
    from analysis.corpus import build_corpus
    from analysis.sentences import sentences_table

    return sentences_table(build_corpus(corpus_dir).articles)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    from run_benchmarks import CORPORA_DIR, DEFAULT_OUT, DEFAULT_SEED

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="articles of the synthetic corpus copied")
    parser.add_argument("--copies", type=int, nargs="+", default=list(DEFAULT_COPIES), help="numbers of copies to time")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the synthetic corpus")
    parser.add_argument("--corpora", type=Path, default=CORPORA_DIR, help="where synthetic corpora are kept")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for alignment_scaling.csv/.md")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> pd.DataFrame:
    """Time both stages on every number of copies; write and print the table."""
    from run_benchmarks import ensure_corpus

    options = parse_args(argv)
    sentences = sentences_of(ensure_corpus(options.size, seed=options.seed, corpora_dir=options.corpora))
    rows = [row for copies in options.copies for row in measure(sentences, copies)]
    table = with_exponents(rows)
    for path in write_results(table, options.out, size=options.size):
        print(f"wrote {path}", file=sys.stderr)
    print(table.to_string(index=False))
    return table


if __name__ == "__main__":
    main()

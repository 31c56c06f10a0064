"""Command line: ``python -m analysis report --corpus DIR --codebook FILE --out DIR``.

Subcommands:
    report       execute every study notebook on a corpus, write figures/ and reports/
    check        validate a corpus folder and a codebook without running the study
    init-corpus  write a metadata.csv template (with checksums) for a folder of .txt files
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import paths
from analysis.errors import FramingInputError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    report = sub.add_parser("report", help="run the whole study on a corpus")
    check = sub.add_parser("check", help="validate a corpus and a codebook")
    for p in (report, check):
        p.add_argument("--corpus", type=Path, default=paths.CORPUS_DIR, help="corpus folder (default: corpus/)")
        p.add_argument("--codebook", type=Path, default=paths.DEFAULT_CODEBOOK, help="codebook YAML")
    report.add_argument("--out", type=Path, default=paths.PROJECT_ROOT, help="folder for figures/ and reports/")
    report.add_argument("--jobs", type=int, default=2, help="notebooks executed at a time (default 2)")
    init = sub.add_parser("init-corpus", help="write metadata.csv for a folder of .txt files")
    init.add_argument("corpus", type=Path, help="corpus folder holding raw/*.txt")
    return parser


def _check(corpus: Path, codebook: Path) -> None:
    from analysis.codebook import load_codebook
    from analysis.corpus import load_corpus

    articles = load_corpus(corpus)
    load_codebook(codebook)
    print(f"{corpus}: {len(articles)} articles from {articles['outlet'].nunique()} outlets; codebook {codebook} is valid")


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code (1 with a one-line message on bad input)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "report":
            from analysis.report import ReportError, run_report

            try:
                run_report(args.corpus, args.codebook, args.out, jobs=args.jobs)
            except ReportError as err:
                print(f"error: {err}", file=sys.stderr)
                return 1
        elif args.command == "check":
            _check(args.corpus, args.codebook)
        else:
            from analysis.corpus import build_metadata

            print(f"wrote {build_metadata(args.corpus)}")
    except FramingInputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

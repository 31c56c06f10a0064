"""Every path the project uses, in one place.

Example:
    >>> from analysis import paths
    >>> paths.RAW_DIR.name
    'raw'
"""
from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_DATA_DIR = PACKAGE_DIR / "data"
STYLES_DIR = PACKAGE_DIR / "styles"

CORPUS_DIR = PROJECT_ROOT / "corpus"
RAW_DIR = CORPUS_DIR / "raw"
METADATA_FILE = CORPUS_DIR / "metadata.csv"
PROCESSED_DIR = CORPUS_DIR / "processed"

DEFAULT_CODEBOOK = PROJECT_ROOT / "codebook" / "geneva-2022.yaml"
CLEANING_RULES_FILE = PACKAGE_DATA_DIR / "cleaning_rules.yaml"
STOPWORDS_FILE = PACKAGE_DATA_DIR / "stopwords_en.txt"
ABBREVIATIONS_FILE = PACKAGE_DATA_DIR / "punkt_abbreviations.txt"
SPEAKER_TITLES_FILE = PACKAGE_DATA_DIR / "speaker_titles.txt"

NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
FIGURES_DIR = PROJECT_ROOT / "figures"
REPORTS_DIR = PROJECT_ROOT / "reports"
CACHE_DIR = PROJECT_ROOT / ".cache"
BENCHMARKS_DIR = PROJECT_ROOT / "benchmarks"


def processed_dir_for(corpus_dir: Path) -> Path:
    """Folder where processed tables of a corpus are written (beside its raw files).

    Example:
        >>> processed_dir_for(Path("corpus")).as_posix()
        'corpus/processed'
    """
    return Path(corpus_dir) / "processed"

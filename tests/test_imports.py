"""Importing the package stays light: scipy.stats is loaded only when something needs it."""
from __future__ import annotations

import subprocess
import sys

import pytest


def _in_fresh_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_the_pipeline_imports_without_scipy_stats():
    out = _in_fresh_python("import sys, analysis.pipeline, analysis.findings, analysis.stats; "
                           "print('scipy.stats' in sys.modules, 'nltk' in sys.modules)")
    assert out == "False True"


def test_nltk_fisher_test_still_works_after_the_deferred_import():
    out = _in_fresh_python(
        "import analysis.nltk_parts\n"
        "from nltk.metrics.association import BigramAssocMeasures\n"
        "from scipy.stats import fisher_exact\n"
        "print(BigramAssocMeasures.fisher(3, (5, 7), 40) == fisher_exact([[3, 2], [4, 31]], alternative='less')[1])")
    assert out == "True"


@pytest.mark.parametrize("first", ["import nltk", "import scipy.stats"])
def test_nothing_is_held_back_when_nltk_or_scipy_stats_came_first(first):
    out = _in_fresh_python(f"{first}\nimport sys, analysis.nltk_parts, scipy.stats\n"
                           "print(sys.modules['nltk.metrics.association'].fisher_exact is scipy.stats.fisher_exact)")
    assert out == "True"

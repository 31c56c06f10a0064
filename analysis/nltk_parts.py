"""The parts of nltk the package uses, imported without loading ``scipy.stats`` up front.

nltk's package ``__init__`` imports its collocation measures, whose Fisher test imports
``scipy.stats`` at once: about 0.45 s of the package's import time (a third), paid by every
notebook kernel, test run and Dask worker, for a test this package never runs. Here nltk is
imported with ``scipy.stats`` held back, and its Fisher test then imports ``scipy.stats``
on first use: nltk behaves as before, only the import is deferred. When nltk or
``scipy.stats`` is already loaded, nothing is held back.

Modules use nltk through this one: ``from analysis.nltk_parts import PorterStemmer``.

Example:
    >>> PorterStemmer().stem("doors")
    'door'
    >>> from nltk.metrics.association import BigramAssocMeasures
    >>> bool(BigramAssocMeasures.fisher(1, (1, 1), 4) > 0)  # still works: scipy.stats imported on demand
    True
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator


def _fisher_exact(*args, **kwargs):
    """``scipy.stats.fisher_exact``, imported when nltk first calls it."""
    from scipy.stats import fisher_exact
    return fisher_exact(*args, **kwargs)


@contextmanager
def _scipy_stats_held_back() -> Iterator[bool]:
    """Make ``import scipy.stats`` fail inside the block (yields True) unless nltk or scipy.stats
    is already imported (yields False); the module table is restored after it."""
    held = "nltk" not in sys.modules and "scipy.stats" not in sys.modules
    if held:
        sys.modules["scipy.stats"] = None  # an ImportError for `from scipy.stats import ...`
    try:
        yield held
    finally:
        if held and sys.modules.get("scipy.stats", 0) is None:
            del sys.modules["scipy.stats"]


with _scipy_stats_held_back() as _held:
    import nltk  # noqa: F401  (runs nltk's __init__, which imports nltk.metrics.association)
    if _held:
        sys.modules["nltk.metrics.association"].fisher_exact = _fisher_exact

from nltk.stem.porter import PorterStemmer  # noqa: E402  (after nltk is imported above)
from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer  # noqa: E402

__all__ = ["PorterStemmer", "PunktLanguageVars", "PunktParameters", "PunktSentenceTokenizer"]

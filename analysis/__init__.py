"""analysis: a small toolkit for media framing studies.

Modules (import what you need; nothing heavy is imported here):

- ``analysis.corpus``: load a corpus folder with provenance checks and cleaned text
- ``analysis.sentences`` / ``analysis.tokens``: offline sentence and word segmentation
- ``analysis.codebook``: the editable codebook of terms, markers, actors and verbs
- ``analysis.quotes``: quotations, partial quotes and scare quotes
- ``analysis.measures`` / ``analysis.voices``: framing counts and quoted voices, with evidence
- ``analysis.keyness``: distinctive words (log-odds with informative Dirichlet prior)
- ``analysis.concordance``: keyword in context
- ``analysis.alignment``: same event, different words across outlets
- ``analysis.sentiment``: sentence-level VADER by outlet, voice and actor, with intervals
- ``analysis.figures``: journal-ready figures in one style

Example:
    >>> import analysis
    >>> analysis.__version__
    '0.1.0'
"""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("framing-analysis")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.1.0"

__all__ = ["__version__"]

"""Prose that computes its numbers: formatting helpers for notebooks and reports.

Notebooks never type a number into Markdown. They build sentences from results with these
helpers and display them with :func:`show`, so a rerun on another corpus rewrites the prose.
Corpus text placed in prose goes through :func:`escape_markdown` (done by :func:`show` for
every value passed as a keyword), so an article containing ``<script>`` or ``**bold**``
is shown as text.

Example:
    >>> fmt_interval(0.1234, -0.05, 0.3, n=24)
    '0.12 (95% CI −0.05 to 0.30; n = 24)'
"""
from __future__ import annotations

import html
import numbers
import re
from typing import TYPE_CHECKING, Iterable, NamedTuple

if TYPE_CHECKING:
    from analysis.codebook import Codebook
    from analysis.pipeline import StudyResults

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|>~])")


class Safe(str):
    """A string that is already formatted or escaped: :func:`render` leaves it as it is."""


def escape_markdown(text: object) -> str:
    """Escape text so that Markdown and HTML show it literally.

    ``&``, ``<`` and ``>`` become entities, Markdown syntax is backslash-escaped, and only
    then quotes become ``&quot;`` / ``&#x27;`` (escaping the ``#`` of ``&#x27;`` would show
    the entity as text).

    Example:
        >>> escape_markdown("<script>alert(1)</script> **x**")
        '&lt;script&gt;alert\\\\(1\\\\)&lt;/script&gt; \\\\*\\\\*x\\\\*\\\\*'
        >>> escape_markdown("Ryabkov's first name")
        'Ryabkov&#x27;s first name'
    """
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(str(text), quote=False))
    return escaped.replace('"', "&quot;").replace("'", "&#x27;")


def fmt_number(value: float, *, digits: int = 2) -> Safe:
    """A number for prose: thousands separators, a real minus sign, NaN as 'n/a'.

    Example:
        >>> fmt_number(12345), fmt_number(-0.5), fmt_number(float("nan")), fmt_number(0)
        ('12,345', '−0.50', 'n/a', '0')
    """
    if value != value:  # NaN
        return Safe("n/a")
    if isinstance(value, numbers.Integral) or (float(value).is_integer() and abs(value) >= 1):
        text = f"{int(value):,}"
    else:
        text = f"{value:,.{digits}f}"
    return Safe(text.replace("-", "−"))


def fmt_interval(estimate: float, low: float, high: float, *, n: int | None = None, digits: int = 2) -> Safe:
    """An estimate with its 95% interval (and n), the only way the study reports one.

    Example:
        >>> fmt_interval(4.9, 1.0, 14.3, digits=1)
        '4.9 (95% CI 1.0 to 14.3)'
    """
    text = f"{estimate:.{digits}f} (95% CI {low:.{digits}f} to {high:.{digits}f}"
    text = text.replace("-", "−")
    return Safe(text + (f"; n = {n:,})" if n is not None else ")"))


def fmt_rate(count: int, words: int, rate: float, low: float, high: float) -> Safe:
    """A count beside its rate per 1,000 words and interval.

    Example:
        >>> fmt_rate(3, 612, 4.9, 1.01, 14.32)
        '3 in 612 words (4.9 per 1,000 words; 95% CI 1.0 to 14.3)'
    """
    return Safe(f"{count:,} in {words:,} words ({rate:.1f} per 1,000 words; "
                f"95% CI {low:.1f} to {high:.1f})")


def fmt_list(items: Iterable[object], *, conjunction: str = "and") -> Safe:
    """Join items as English prose, escaping each one.

    Example:
        >>> fmt_list(["Al Mayadeen", "A News", "Ru-Main"])
        'Al Mayadeen, A News and Ru-Main'
        >>> fmt_list([])
        'none'
    """
    words = [escape_markdown(item) for item in items]
    if not words:
        return Safe("none")
    if len(words) == 1:
        return Safe(words[0])
    return Safe(f"{', '.join(words[:-1])} {conjunction} {words[-1]}")


def render(template: str, **values: object) -> str:
    """Fill a Markdown template; string values are escaped, numbers formatted.

    Values already formatted by the ``fmt_*`` helpers should be wrapped in :class:`Safe`.

    Example:
        >>> render("{outlet} used *Kiev* {n} times.", outlet="<b>X</b>", n=3)
        '&lt;b&gt;X&lt;/b&gt; used *Kiev* 3 times.'
    """
    prepared = {key: _prepare(value) for key, value in values.items()}
    return template.format(**prepared)


TABLE_DISPLAY_OPTIONS = {
    "display.max_colwidth": None,  # whole sentences and definitions, never cut with "..."
    "display.max_rows": 200,
    "display.max_columns": 40,
    "display.width": 200,
}


def setup_notebook() -> None:
    """Prepare a study notebook: the figure style and table display options.

    Tables show whole cells (a student reads the full evidence sentence) and figures use
    the study's one style (:func:`analysis.figures.use_style`).

    Example:
        >>> import pandas as pd
        >>> setup_notebook()
        >>> pd.get_option("display.max_colwidth") is None
        True
    """
    import pandas as pd

    from analysis import figures

    figures.use_style()
    for option, value in TABLE_DISPLAY_OPTIONS.items():
        pd.set_option(option, value)


class NotebookStart(NamedTuple):
    """What every study notebook starts from: the run's tables, the codebook, outlet colours."""

    study: "StudyResults"
    codebook: "Codebook"
    colours: dict[str, str]


def start_notebook(corpus_dir: str, codebook_path: str) -> NotebookStart:
    """Open a study notebook: set up display, run (or load) the study, fix outlet colours.

    The one opening step of every notebook, so none of them repeats it.

    Example:
        >>> study, codebook, colours = start_notebook("corpus", "codebook/geneva-2022.yaml")  # doctest: +SKIP
        >>> sorted(colours) == sorted(study.articles.outlet)  # doctest: +SKIP
        True
    """
    from analysis import figures, pipeline
    from analysis.codebook import load_codebook

    setup_notebook()
    study = pipeline.run_study(corpus_dir, codebook_path, progress=True)
    return NotebookStart(study, load_codebook(codebook_path), figures.outlet_colours(study.articles.outlet))


def show(template: str, **values: object) -> None:
    """Display a filled Markdown template in a notebook (see :func:`render`).

    Example:
        >>> show("**{n}** articles", n=5)  # doctest: +SKIP
    """
    from IPython.display import Markdown, display

    display(Markdown(render(template, **values)))


def _prepare(value: object) -> str:
    if isinstance(value, Safe):
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return fmt_number(value)
    return escape_markdown(value)

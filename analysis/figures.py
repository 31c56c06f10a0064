"""Journal-ready figures in one style, one fixed colour per outlet, saved reproducibly.

- :func:`use_style` loads ``analysis/styles/paper.mplstyle`` (7-9 pt DejaVu Sans, TrueType
  fonts in PDF, Okabe-Ito colours, 300 dpi); :func:`figure` makes a single (3.5 in) or double
  (7.2 in) column figure with constrained layout.
- :func:`outlet_colours` gives every outlet one colour for the whole study: build the map once
  from all outlets of the corpus and pass it to every plot helper.
- :func:`save_figure` writes ``<name>.pdf``, ``.svg``, ``.png`` and the data behind the figure
  as ``<name>.csv``; rerunning gives byte-identical files (no dates, no version strings).
- Plot helpers take tidy tables: :func:`plot_counts_and_rates`, :func:`plot_interval_dots`,
  :func:`plot_ranked_terms`, :func:`plot_heatmap`, :func:`plot_table_figure`. Long labels are
  wrapped and figure heights follow the number of rows, so no label overlaps or clips.

Example:
    >>> colours = outlet_colours(["Ru-Main", "A News", "Al Mayadeen"])
    >>> colours["A News"], colours["Ru-Main"]
    ('#E69F00', '#009E73')
"""
from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.textpath import TextToPath
from matplotlib.ticker import MaxNLocator

from analysis import paths
from analysis.errors import FramingInputError

SINGLE_COLUMN = 3.5
DOUBLE_COLUMN = 7.2
COLUMN_WIDTHS = {"single": SINGLE_COLUMN, "double": DOUBLE_COLUMN}
STYLE_NAME = "paper"
PNG_DPI = 300
CSV_FLOAT_FORMAT = "%.6g"
SOFTWARE = "framing-analysis"

OKABE_ITO = {
    "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7", "black": "#000000",
}
TOL_MUTED = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933", "#AA4499")
# Yellow is too light on white; black only from the seventh outlet on; then Paul Tol "muted".
OUTLET_PALETTE = (
    *(hex_ for name, hex_ in OKABE_ITO.items() if name not in {"yellow", "black"}),
    OKABE_ITO["black"],
    *TOL_MUTED,
)
HUE_MARKERS = ("o", "s", "^", "D", "v")

FILE_METADATA = {
    "pdf": {"Creator": SOFTWARE, "Producer": SOFTWARE, "CreationDate": None, "ModDate": None},
    "svg": {"Creator": SOFTWARE, "Date": None},
    "png": {"Software": SOFTWARE},
}
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NUMBERED_NAME = re.compile(r"(?:fig|figure|plot|chart|graph|image|img)-?\d*[a-z]?")

_LINE_IN = 0.125  # one 7 pt line at 1.2 spacing, in inches
_ROW_PAD_IN = 0.09  # space between two rows of labels
_CHAR_EM = 0.6  # a conservative average character width of DejaVu Sans, in ems
_TEXT_TO_PATH = TextToPath()


def style_path(name: str = STYLE_NAME) -> Path:
    """Path of a style sheet shipped in ``analysis/styles``.

    Args:
        name: style name without the ``.mplstyle`` suffix.

    Returns:
        The file path; raises FramingInputError naming the available styles if it is missing.

    Example:
        >>> style_path().name
        'paper.mplstyle'
    """
    path = paths.STYLES_DIR / f"{name}.mplstyle"
    if not path.is_file():
        available = sorted(p.stem for p in paths.STYLES_DIR.glob("*.mplstyle"))
        raise FramingInputError(path, f"no style named {name!r}; available: {available}")
    return path


def use_style(name: str = STYLE_NAME) -> Path:
    """Apply the study's figure style (matplotlib.style.use on the shipped file).

    Also turns pyplot's interactive mode off: a notebook then shows each figure once, where
    a cell returns it, and not a second time when the inline backend flushes the figures
    drawn in the cell.

    Args:
        name: style name; ``"paper"`` is the one style for every figure.

    Returns:
        The path of the style file applied.

    Example:
        >>> _ = use_style()
        >>> matplotlib.rcParams["pdf.fonttype"], matplotlib.rcParams["font.size"], matplotlib.is_interactive()
        (42, 8.0, False)
    """
    path = style_path(name)
    matplotlib.style.use(path)
    plt.draw_if_interactive()  # loads the backend now: IPython's inline backend turns interactive mode on as it loads
    matplotlib.interactive(False)
    return path


def figure(*, width: str = "single", height: float | None = None, nrows: int = 1, ncols: int = 1, **subplots_kw):
    """A figure at journal width with constrained layout; applies the study style first.

    Args:
        width: ``"single"`` (3.5 in) or ``"double"`` (7.2 in) column.
        height: height in inches; default 2.4 in per row of panels.
        nrows, ncols: panel grid.
        **subplots_kw: passed to ``matplotlib.pyplot.subplots`` (e.g. ``sharey=True``).

    Returns:
        ``(fig, axes)`` as from ``plt.subplots``.

    Example:
        >>> fig, ax = figure(width="double", height=3)
        >>> fig.get_size_inches().tolist(), fig.get_layout_engine().__class__.__name__
        ([7.2, 3.0], 'ConstrainedLayoutEngine')
        >>> plt.close(fig)
    """
    size = (_width_inches(width), 2.4 * nrows if height is None else height)
    use_style()
    return plt.subplots(nrows, ncols, figsize=size, layout="constrained", **subplots_kw)


def wrap_label(text: str, *, width: int = 22) -> str:
    """Wrap a label onto lines of at most ``width`` characters (words are never split).

    Args:
        text: the label; existing line breaks are kept.
        width: maximum characters per line.

    Returns:
        The wrapped label.

    Example:
        >>> wrap_label("Deputy Foreign Minister Sergei Ryabkov", width=16)
        'Deputy Foreign\\nMinister Sergei\\nRyabkov'
    """
    return "\n".join(
        textwrap.fill(part, width=width, break_long_words=False, break_on_hyphens=False) or part
        for part in str(text).split("\n")
    )


def outlet_colours(outlets: Iterable[str], *, registered: Mapping[str, str] | None = None) -> dict[str, str]:
    """One fixed, colour-blind-safe colour per outlet for every figure of a study.

    Build the map ONCE from all outlets of the corpus (``outlet_colours(articles["outlet"])``)
    and pass it to every plot helper: sorted unique names take Okabe-Ito colours in order
    (no yellow; black only for a seventh outlet; Paul Tol "muted" beyond). With ``registered``,
    the outlets asked for keep the colours of that study-wide map, whatever order or subset.

    Args:
        outlets: outlet names (any order, repeats allowed).
        registered: the study-wide map from an earlier call; outlets missing from it raise.

    Returns:
        ``{outlet: "#RRGGBB"}`` in sorted outlet order.

    Example:
        >>> study = outlet_colours(["Ru-Main", "A News", "Pledge Times"])
        >>> outlet_colours(["Ru-Main"], registered=study) == {"Ru-Main": study["Ru-Main"]}
        True
    """
    names = _sorted_names(outlets, what="outlet")
    if registered is not None:
        missing = [name for name in names if name not in registered]
        if missing:
            raise FramingInputError(
                None, f"outlets {missing} are not in the registered colour map; build it once "
                "from all outlets of the study with outlet_colours(articles['outlet'])")
        return {name: registered[name] for name in names}
    if len(names) > len(OUTLET_PALETTE):
        raise FramingInputError(
            None, f"{len(names)} outlets but only {len(OUTLET_PALETTE)} distinguishable colours; "
            "group the smaller outlets (e.g. as 'other') before plotting")
    return dict(zip(names, OUTLET_PALETTE))


def save_figure(fig: Figure, name: str, *, data: pd.DataFrame | None, out_dir: str | Path = paths.FIGURES_DIR,
                caption: str | None = None) -> dict[str, Path]:
    """Write a figure as PDF, SVG and 300 dpi PNG, and the data behind it as CSV; close it.

    Files hold no dates and no version strings, so a rerun gives byte-identical files.
    Display the figure in a notebook before saving it (saving closes it).

    Args:
        fig: the figure.
        name: content-based kebab-case slug, e.g. ``"scare-quotes-by-outlet"``.
        data: the table plotted (written with ``index=False``; a named index is kept as
            columns; floats to 6 significant digits), or None for a figure without data.
        out_dir: folder for the files (created if missing).
        caption: one-line summary written to ``<name>.txt`` (the reports index shows it).

    Returns:
        ``{"pdf": path, "svg": path, "png": path, "csv": path}`` (no ``"csv"`` without data;
        ``"txt"`` with a caption).

    Example:
        >>> import tempfile
        >>> fig, ax = figure()
        >>> _ = ax.bar(["A News", "Ru-Main"], [3, 5])
        >>> written = save_figure(fig, "quotes-by-outlet", data=pd.DataFrame({"outlet": ["A News", "Ru-Main"], "count": [3, 5]}), out_dir=tempfile.mkdtemp())
        >>> sorted(written), written["csv"].read_text()
        (['csv', 'pdf', 'png', 'svg'], 'outlet,count\\nA News,3\\nRu-Main,5\\n')
    """
    _check_figure_name(name)
    if not isinstance(fig, Figure):
        raise FramingInputError(None, f"save_figure({name!r}) needs a matplotlib Figure, got {type(fig).__name__}")
    if data is not None and not isinstance(data, pd.DataFrame):
        raise FramingInputError(None, f"save_figure({name!r}): data must be a pandas DataFrame or None, got {type(data).__name__}")
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    with matplotlib.style.context(style_path()):
        for suffix, metadata in FILE_METADATA.items():
            written[suffix] = folder / f"{name}.{suffix}"
            fig.savefig(written[suffix], format=suffix, dpi=PNG_DPI, metadata={"Title": name, **metadata})
    plt.close(fig)
    if data is not None:
        written["csv"] = folder / f"{name}.csv"
        table = data.reset_index() if any(level is not None for level in data.index.names) else data
        table.to_csv(written["csv"], index=False, lineterminator="\n", float_format=CSV_FLOAT_FORMAT)
    if caption is not None:
        written["txt"] = folder / f"{name}.txt"
        written["txt"].write_text(" ".join(caption.split()) + "\n", encoding="utf-8")
    return written


def plot_counts_and_rates(table: pd.DataFrame, *, label: str, group: str = "outlet", count: str = "count",
                          rate: str = "rate_per_1000", low: str = "rate_low", high: str = "rate_high",
                          colours: Mapping[str, str] | None = None, order: Sequence[str] | None = None,
                          width: str = "single") -> Figure:
    """Counts (bars) beside rates per 1,000 words with 95% intervals: never rates alone.

    Args:
        table: one row per group with a count, a rate and its interval
            (``stats.add_rate_columns`` gives ``rate_per_1000, rate_low, rate_high``).
        label: what is counted, e.g. ``"Scare quotes"``.
        group, count, rate, low, high: column names.
        colours: the study's outlet colour map (default: built from the groups).
        order: group order top to bottom (default: sorted).
        width: ``"single"`` or ``"double"``.

    Returns:
        The figure: left panel counts, right panel rates (groups share the y axis).

    Example:
        >>> table = pd.DataFrame({"outlet": ["A News", "Ru-Main"], "count": [2, 5],
        ...     "rate_per_1000": [3.2, 9.1], "rate_low": [0.4, 2.9], "rate_high": [11.6, 21.2]})
        >>> fig = plot_counts_and_rates(table, label="Scare quotes")
        >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
        ['A News', 'Ru-Main']
        >>> plt.close(fig)
    """
    helper = "plot_counts_and_rates"
    rows = _rows_in_order(table, [group, count, rate, low, high], keys=[group], order=order, helper=helper)
    _check_intervals(rows, estimate=rate, low=low, high=high, helper=helper)
    if rows[rate].isna().any():
        raise FramingInputError(None, f"{helper}: {rate!r} is missing for {rows.loc[rows[rate].isna(), group].tolist()}; a group without words has no rate")
    palette = outlet_colours(rows[group], registered=colours)
    row_colours = rows[group].map(palette).tolist()
    labels = [wrap_label(g, width=18) for g in rows[group]]
    y = np.arange(len(rows))
    fig, (ax_count, ax_rate) = figure(width=width, height=_rows_height(labels), ncols=2, sharey=True)
    bars = ax_count.barh(y, rows[count], color=row_colours, height=0.6)
    ax_count.bar_label(bars, fmt="{:g}", padding=2, fontsize=7)
    ax_count.set_xlim(0, max(1.0, float(rows[count].max())) * 1.3)
    ax_count.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_rate.hlines(y, rows[low], rows[high], colors=row_colours, linewidth=1.2)
    ax_rate.scatter(rows[rate], y, c=row_colours, s=16, zorder=3)
    right = float(rows[high].max()) * 1.05 or 1.0
    ax_rate.set_xlim(-0.03 * right, right)
    ax_count.set_yticks(y, labels)
    ax_count.set_ylim(len(rows) - 0.5, -0.5)
    panel_chars = _chars_for(_width_inches(width) * 0.4, size=8)
    ax_count.set_xlabel(wrap_label(f"{label} (count)", width=panel_chars))
    ax_rate.set_xlabel(wrap_label(f"{label} per 1,000 words", width=panel_chars) + "\n(95% interval)")
    for ax in (ax_count, ax_rate):
        _value_grid(ax, axis="x")
    return fig


def plot_interval_dots(table: pd.DataFrame, *, label: str, group: str = "outlet", estimate: str = "mean",
                       low: str = "low", high: str = "high", n: str = "n", hue: str | None = None,
                       colours: Mapping[str, str] | None = None, order: Sequence[str] | None = None,
                       reference: float | None = None, width: str = "single") -> Figure:
    """Point estimate with its 95% interval per group, n in the label; optional dodged hue.

    Args:
        table: one row per group (and hue level) with estimate, interval and n
            (``stats.bootstrap_mean_ci`` gives ``mean, low, high, n``). A row with n = 0 and a
            missing estimate is shown as ``n=0`` without a point.
        label: what is estimated, e.g. ``"Sentence sentiment (VADER compound)"``.
        group, estimate, low, high, n: column names.
        hue: optional column drawn as dodged points with their own marker, e.g. ``"voice"``.
        colours: the study's outlet colour map (default: built from the groups).
        order: group order top to bottom (default: sorted).
        reference: x value of a dashed reference line (e.g. 0 for neutral sentiment).
        width: ``"single"`` or ``"double"``.

    Returns:
        The figure.

    Example:
        >>> table = pd.DataFrame({"outlet": ["A News", "A News", "Ru-Main", "Ru-Main"],
        ...     "voice": ["narrator", "quoted", "narrator", "quoted"], "mean": [0.1, -0.2, -0.3, None],
        ...     "low": [-0.1, -0.5, -0.6, None], "high": [0.3, 0.1, 0.0, None], "n": [12, 4, 9, 0]})
        >>> fig = plot_interval_dots(table, label="Sentiment", hue="voice", reference=0)
        >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
        ['A News\\nnarrator n=12, quoted n=4', 'Ru-Main\\nnarrator n=9, quoted n=0']
        >>> plt.close(fig)
    """
    helper = "plot_interval_dots"
    keys = [group] if hue is None else [group, hue]
    rows = _rows_in_order(table, [*keys, estimate, low, high, n], keys=keys, order=order, helper=helper)
    _check_intervals(rows, estimate=estimate, low=low, high=high, helper=helper)
    counts = _check_sample_sizes(rows, estimate=estimate, n=n, helper=helper)
    groups = list(dict.fromkeys(rows[group]))
    levels = [None] if hue is None else _sorted_names(rows[hue], what=hue)
    if len(levels) > len(HUE_MARKERS):
        raise FramingInputError(None, f"{helper}: {len(levels)} levels of {hue!r}; at most {len(HUE_MARKERS)} can be told apart")
    palette = outlet_colours(groups, registered=colours)
    labels = _interval_labels(rows.assign(**{n: counts}), groups=groups, levels=levels, keys=keys, n=n)
    fig, ax = figure(width=width, height=_rows_height(labels, extra=0.75 if hue is None else 0.95))
    positions = rows[group].map({g: i for i, g in enumerate(groups)})
    offsets = np.linspace(-0.15, 0.15, len(levels)) if len(levels) > 1 else [0.0]  # dodge hue levels
    for level, offset, marker in zip(levels, offsets, HUE_MARKERS):
        part = rows if level is None else rows[rows[hue] == level]
        _draw_intervals(ax, part[part[estimate].notna()], y=positions + offset, estimate=estimate, low=low,
                        high=high, colours=rows[group].map(palette), marker=marker)
    if reference is not None:
        ax.axvline(reference, color="0.55", linewidth=0.6, linestyle="--", zorder=1)
    if hue is not None:
        handles = [Line2D([], [], marker=m, color="0.35", linestyle="none", label=str(v)) for v, m in zip(levels, HUE_MARKERS)]
        fig.legend(handles=handles, title=hue, loc="outside upper center", ncols=len(levels))
    ax.set_yticks(range(len(groups)), labels)
    ax.set_ylim(len(groups) - 0.5, -0.5)
    ax.set_xlabel(wrap_label(label, width=_chars_for(_width_inches(width) * 0.55, size=8)) + "\n(point and 95% interval)")
    _value_grid(ax, axis="x")
    return fig


def plot_ranked_terms(table: pd.DataFrame, *, group: str = "outlet", term: str = "term", score: str = "z",
                      k: int = 10, label: str = "z-score", colours: Mapping[str, str] | None = None,
                      order: Sequence[str] | None = None, width: str = "double") -> Figure:
    """Top-k terms per group by score as small multiples of horizontal bars.

    Args:
        table: one row per (group, term) with a numeric score (e.g. log-odds z-score).
        group, term, score: column names.
        k: terms per panel (highest scores; ties broken alphabetically).
        label: x-axis label shared by all panels.
        colours: the study's outlet colour map (default: built from the groups).
        order: panel order (default: sorted groups).
        width: ``"single"`` (2 panels a row) or ``"double"`` (3 panels a row).

    Returns:
        The figure: one panel per group, best term on top, one x scale for all panels.

    Example:
        >>> table = pd.DataFrame({"outlet": ["Ru-Main", "Ru-Main", "Front News"],
        ...     "term": ["allegedly", "non-starter", "ironclad"], "z": [2.1, 1.7, 2.4]})
        >>> fig = plot_ranked_terms(table, k=1)
        >>> [(ax.get_title(loc="left"), [t.get_text() for t in ax.get_yticklabels()]) for ax in fig.axes]
        [('Front News', ['ironclad']), ('Ru-Main', ['allegedly'])]
        >>> plt.close(fig)
    """
    helper = "plot_ranked_terms"
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise FramingInputError(None, f"{helper}: k must be a positive whole number, not {k!r}")
    rows = _rows_in_order(table, [group, term, score], keys=[group, term], order=order, helper=helper)
    scores = _numeric(rows[score], column=score, helper=helper)
    groups = list(dict.fromkeys(rows[group]))
    rank = pd.Series(range(len(groups)), index=groups)
    top = (rows.assign(**{score: scores}, _rank=rows[group].map(rank))
           .sort_values(["_rank", score, term], ascending=[True, False, True], kind="stable")
           .groupby(group, sort=False).head(k))
    palette = outlet_colours(groups, registered=colours)
    ncols = min(len(groups), 3 if width == "double" else 2)
    nrows = math.ceil(len(groups) / ncols)
    term_labels = top[term].map(lambda t: wrap_label(t, width=16))
    lines = int(term_labels.str.count("\n").max()) + 1
    bars = int(top.groupby(group, sort=False).size().max())
    fig, axes = figure(width=width, height=nrows * (0.45 + bars * (_ROW_PAD_IN / 2 + lines * _LINE_IN)) + 0.25,
                       nrows=nrows, ncols=ncols, squeeze=False)
    xlim = (min(0.0, float(top[score].min()) * 1.05), max(0.0, float(top[score].max()) * 1.05) or 1.0)
    for ax, name in zip(axes.flat, groups):
        panel = top[top[group] == name]
        ax.barh(range(len(panel)), panel[score], color=palette[name], height=0.65)
        ax.set_yticks(range(len(panel)), term_labels[panel.index])
        ax.set_ylim(bars - 0.5, -0.5)
        ax.set_xlim(xlim)
        ax.set_title(wrap_label(name, width=_chars_for(_width_inches(width) / ncols, size=8)))
        _value_grid(ax, axis="x")
    for ax in axes.flat[len(groups):]:
        fig.delaxes(ax)
    fig.supxlabel(label)
    return fig


def plot_heatmap(matrix: pd.DataFrame, *, label: str | None = None, value_format: str = "{:g}", cmap: str = "Blues",
                 colours: Mapping[str, str] | None = None, width: str = "double") -> Figure:
    """Annotated heatmap of a small matrix, e.g. facts (rows) by outlets (columns).

    Args:
        matrix: numeric DataFrame; its index labels the rows and its columns the columns.
            Missing cells are drawn blank with a dash.
        label: what the cells hold, shown under the matrix.
        value_format: format of the cell annotations.
        cmap: sequential colour map (the default ``Blues`` is colour-blind safe).
        colours: the study's outlet colour map; when given, column labels take their outlet colour.
        width: ``"single"`` or ``"double"``.

    Returns:
        The figure; column labels on top, wrapped to the cell width and rotated only if they
        would still overlap.

    Example:
        >>> matrix = pd.DataFrame({"A News": [1, 0], "Ru-Main": [1, 1]},
        ...     index=["Talks lasted about eight hours", "Russia denies plans to attack Ukraine"])
        >>> fig = plot_heatmap(matrix, label="Sentences reporting the fact")
        >>> sorted(t.get_text() for t in fig.axes[0].texts)
        ['0', '1', '1', '1']
        >>> plt.close(fig)
    """
    helper = "plot_heatmap"
    values = _numeric_matrix(matrix, helper=helper)
    inches = _width_inches(width)
    row_labels = [wrap_label(r, width=_chars_for(inches * 0.4, size=7)) for r in matrix.index]
    col_labels = [wrap_label(c, width=max(6, _chars_for(inches * 0.55 / values.shape[1], size=7))) for c in matrix.columns]
    col_lines = max(label_.count("\n") + 1 for label_ in col_labels)
    fig, ax = figure(width=width, height=_rows_height(row_labels, extra=0.45 + col_lines * _LINE_IN + 0.2 * bool(label)))
    finite = values[np.isfinite(values)]
    low = min(0.0, float(finite.min())) if finite.size else 0.0
    high = max(float(finite.max()), low + 1.0) if finite.size else 1.0
    # the top of the scale lies beyond the largest value, so no cell is near-black
    image = ax.imshow(np.ma.masked_invalid(values), cmap=matplotlib.colormaps[cmap].with_extremes(bad="#EEEEEE"),
                      vmin=low, vmax=low + (high - low) * 1.3, aspect="auto")
    _annotate_cells(ax, values, image=image, value_format=value_format)
    ax.set_yticks(range(values.shape[0]), row_labels)
    ax.xaxis.tick_top()
    ax.set_xticks(np.arange(values.shape[1] + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(values.shape[0] + 1) - 0.5, minor=True)
    ax.tick_params(which="both", length=0)
    ax.grid(False)
    ax.grid(True, which="minor", color="white", linewidth=1.5)
    ax.spines[:].set_visible(False)
    if label:
        ax.set_xlabel(label)
    _rotate_if_overlapping(fig, ax, col_labels)
    if colours is not None:
        palette = outlet_colours(matrix.columns.astype(str), registered=colours)
        for tick, column in zip(ax.get_xticklabels(), matrix.columns.astype(str)):
            tick.set_color(palette[column])
    return fig


def plot_table_figure(df: pd.DataFrame, *, width: str = "double", colours: Mapping[str, str] | None = None,
                      colour_column: str | None = None, fontsize: float = 7) -> Figure:
    """Render a small text table (e.g. same fact, different words) with wrapped cells.

    Column widths follow the text (each at least its longest word); cells wrap to them, so
    nothing clips at the chosen width, and the height follows the number of lines.

    Args:
        df: the table; column names become the header, missing cells are blank.
        width: ``"single"`` or ``"double"``.
        colours: the study's outlet colour map, used with ``colour_column``.
        colour_column: a column of outlet names written in bold in their outlet colour.
        fontsize: text size in points (7-9).

    Returns:
        The figure (no axes drawn; rules above, below and under the header).

    Example:
        >>> table = pd.DataFrame({"outlet": ["A News", "Ru-Main"], "sentence": [
        ...     "Russia denies invasion plans.", "Russia must withdraw troops allegedly amassed on Ukraine's border."]})
        >>> fig = plot_table_figure(table, colour_column="outlet")
        >>> len(fig.axes[0].texts), fig.get_size_inches()[0].item()
        (6, 7.2)
        >>> plt.close(fig)
    """
    helper = "plot_table_figure"
    cells = _table_cells(df, helper=helper)
    if colour_column is not None:
        _require_columns(df, [colour_column], helper=helper)
        palette = outlet_colours(cells[colour_column], registered=colours)
    margin, gap, pad = 2.0, 8.0, 2.5
    total = _width_inches(width) * 72
    widths = _column_widths(cells, available=total - 2 * margin - gap * (cells.shape[1] - 1), size=fontsize, helper=helper)
    header = [_wrap_points(c, max_pt=w, size=fontsize, weight="bold") for c, w in zip(cells.columns, widths)]
    body = [[_wrap_points(text, max_pt=w, size=fontsize) for text, w in zip(row, widths)] for row in cells.itertuples(index=False)]
    line_pt = 1.2 * fontsize
    heights = [max(c.count("\n") + 1 for c in row) * line_pt + 2 * pad for row in [header, *body]]
    fig = plt.figure(figsize=(_width_inches(width), (sum(heights) + 2 * margin) / 72),
                     layout=PlaceHolderLayoutEngine(adjust_compatible=True, colorbar_gridspec=False))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, total)
    ax.set_ylim(sum(heights) + 2 * margin, 0)
    lefts = margin + np.concatenate([[0.0], np.cumsum(np.asarray(widths) + gap)[:-1]])
    tops = margin + np.concatenate([[0.0], np.cumsum(heights)[:-1]])
    for row_index, (row, top) in enumerate(zip([header, *body], tops)):
        for column, (text, left) in enumerate(zip(row, lefts)):
            style = {"weight": "bold"} if row_index == 0 else {}
            if row_index and cells.columns[column] == colour_column:
                style = {"weight": "bold", "color": palette[cells.iat[row_index - 1, column]]}
            ax.text(left, top + pad, text, va="top", ha="left", fontsize=fontsize, linespacing=1.2, **style)
    rule_ys = [margin, margin + heights[0], margin + sum(heights)]
    ax.hlines(rule_ys, margin, total - margin, colors="black", linewidths=[0.8, 0.5, 0.8])
    return fig


# --- input checks -------------------------------------------------------------------------

def _check_figure_name(name: object) -> None:
    """Raise unless ``name`` is a content-based kebab-case slug (``scare-quotes-by-outlet``)."""
    if not isinstance(name, str) or not _SLUG.fullmatch(name):
        raise FramingInputError(
            None, f"figure name {name!r} is not a kebab-case slug like 'scare-quotes-by-outlet' "
            "(lower-case letters, digits and single hyphens; no spaces or file suffix)")
    if _NUMBERED_NAME.fullmatch(name):
        raise FramingInputError(None, f"figure name {name!r} says where the figure sits, not what it shows; name it by content")


def _width_inches(width: object) -> float:
    if width not in COLUMN_WIDTHS:
        raise FramingInputError(None, f"figure width must be one of {sorted(COLUMN_WIDTHS)}, not {width!r}")
    return COLUMN_WIDTHS[width]


def _require_columns(table: object, columns: Sequence[str], *, helper: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise FramingInputError(None, f"{helper} needs a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise FramingInputError(None, f"{helper}: the table lacks columns {missing}; it has {list(table.columns)}")
    if table.empty:
        raise FramingInputError(None, f"{helper}: the table has no rows; nothing to plot")


def _sorted_names(values: Iterable[object], *, what: str) -> list[str]:
    names = pd.Series(list(values), dtype=object)
    bad = names[~names.map(lambda v: isinstance(v, str) and bool(v.strip()))]
    if not bad.empty:
        raise FramingInputError(None, f"every {what} must be a non-empty name; got {bad.iloc[0]!r}")
    return sorted(names.unique(), key=lambda s: (s.casefold(), s))


def _rows_in_order(table: pd.DataFrame, columns: Sequence[str], *, keys: Sequence[str],
                   order: Sequence[str] | None, helper: str) -> pd.DataFrame:
    """Validated rows sorted by group order (then by the other keys), one row per key."""
    _require_columns(table, columns, helper=helper)
    present = _sorted_names(table[keys[0]], what=keys[0])
    if order is not None:
        unknown = [g for g in present if g not in list(order)]
        if unknown:
            raise FramingInputError(None, f"{helper}: groups {unknown} are not in the order given")
        present = [g for g in dict.fromkeys(order) if g in present]
    duplicated = table.duplicated(list(keys))
    if duplicated.any():
        raise FramingInputError(None, f"{helper}: more than one row for {list(keys)} = {table.loc[duplicated, list(keys)].iloc[0].tolist()}")
    rank = table[keys[0]].map(pd.Series(range(len(present)), index=present))
    return (table.assign(_rank=rank).sort_values(["_rank", *keys[1:]], kind="stable")
            .drop(columns="_rank").reset_index(drop=True))


def _numeric(values: pd.Series, *, column: str, helper: str) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() & values.notna()
    if bad.any():
        raise FramingInputError(None, f"{helper}: column {column!r} holds a non-number: {values[bad].iloc[0]!r}")
    return numbers.astype("float64")


def _check_intervals(rows: pd.DataFrame, *, estimate: str, low: str, high: str, helper: str) -> None:
    """Raise unless low <= estimate <= high wherever the estimate is present (rounding allowed)."""
    point, lower, upper = (_numeric(rows[c], column=c, helper=helper) for c in (estimate, low, high))
    tolerance = 5e-4
    contained = (lower <= point + tolerance) & (point <= upper + tolerance)
    bad = point.notna() & ~contained
    if bad.any():
        first = rows.loc[bad].iloc[0]
        raise FramingInputError(
            None, f"{helper}: interval [{first[low]}, {first[high]}] does not contain the estimate "
            f"{first[estimate]} (row {first.to_dict()}); expected {low} <= {estimate} <= {high}")


def _check_sample_sizes(rows: pd.DataFrame, *, estimate: str, n: str, helper: str) -> pd.Series:
    """Sample sizes as whole numbers; an estimate is missing exactly where n is 0."""
    sizes = _numeric(rows[n], column=n, helper=helper)
    bad = sizes.isna() | (sizes < 0) | (sizes % 1 != 0)
    if bad.any():
        raise FramingInputError(None, f"{helper}: {n!r} must be a whole number >= 0, got {rows.loc[bad, n].iloc[0]!r}")
    missing = rows[estimate].isna() & (sizes > 0)
    if missing.any():
        raise FramingInputError(None, f"{helper}: {estimate!r} is missing although n > 0 in row {rows.loc[missing].iloc[0].to_dict()}")
    return sizes.astype(int)


def _numeric_matrix(matrix: object, *, helper: str) -> np.ndarray:
    if not isinstance(matrix, pd.DataFrame) or matrix.empty:
        raise FramingInputError(None, f"{helper} needs a non-empty pandas DataFrame (rows by columns)")
    return np.column_stack([_numeric(matrix[c], column=str(c), helper=helper).to_numpy() for c in matrix.columns])


def _table_cells(df: object, *, helper: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame) or df.empty or df.shape[1] == 0:
        raise FramingInputError(None, f"{helper} needs a non-empty pandas DataFrame")
    cells = df.astype(object).where(df.notna(), "").map(str)
    cells.columns = [str(c) for c in df.columns]
    return cells.reset_index(drop=True)


# --- layout ---------------------------------------------------------------------------------

def _chars_for(inches: float, *, size: float) -> int:
    """How many characters of ``size`` pt text fit in ``inches`` (conservative)."""
    return max(8, int(inches * 72 / (size * _CHAR_EM)))


def _rows_height(labels: Sequence[str], *, extra: float = 0.75) -> float:
    """Figure height in inches for evenly spaced rows, each tall enough for the longest label."""
    lines = max(label.count("\n") + 1 for label in labels)
    return extra + len(labels) * (_ROW_PAD_IN + lines * _LINE_IN)


def _value_grid(ax: plt.Axes, *, axis: str) -> None:
    """Light grid on the value axis only; no tick marks on the category axis."""
    ax.grid(False)
    ax.grid(True, axis=axis)
    ax.tick_params(axis="y" if axis == "x" else "x", length=0)


def _text_width(text: str, *, size: float, weight: str = "normal") -> float:
    """Width in points of one line of text in the style font (with a small safety margin)."""
    prop = FontProperties(family="DejaVu Sans", size=size, weight=weight)
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)
    return width * 1.04 + 1.0


def _wrap_points(text: str, *, max_pt: float, size: float, weight: str = "normal") -> str:
    """Greedy word wrap so that every line is at most ``max_pt`` points wide."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and _text_width(candidate, size=size, weight=weight) > max_pt:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return "\n".join(lines)


def _column_widths(cells: pd.DataFrame, *, available: float, size: float, helper: str) -> list[float]:
    """Column widths in points: narrow columns keep their full text, wide ones share the rest.

    Max-min fair sharing of ``available``, then every column at least its longest word.
    """
    natural = np.array([max(_text_width(line, size=size, weight="bold")
                            for text in [column, *cells[column]] for line in text.split("\n"))
                        for column in cells.columns])
    minimum = np.array([max((_text_width(word, size=size, weight="bold")
                             for text in [column, *cells[column]] for word in text.split()), default=1.0)
                        for column in cells.columns])
    if minimum.sum() > available:
        raise FramingInputError(None, f"{helper}: the longest words need {minimum.sum() / 72:.1f} in but the table has {available / 72:.1f} in; use width='double' or fewer columns")
    widths, unset, remaining = natural.copy(), np.ones(len(natural), dtype=bool), available
    while unset.any():
        share = remaining / unset.sum()
        fits = unset & (natural <= share)
        if not fits.any():
            widths[unset] = share
            break
        remaining -= natural[fits].sum()
        unset &= ~fits
    widths = np.maximum(widths, minimum)
    slack = widths - minimum
    excess = max(0.0, widths.sum() - available)
    return (widths - slack * excess / max(slack.sum(), 1e-9)).tolist()


def _interval_labels(rows: pd.DataFrame, *, groups: Sequence[str], levels: Sequence[str | None],
                     keys: Sequence[str], n: str) -> list[str]:
    """``"Outlet (n=12)"``, or with a hue ``"Outlet\\nnarrator n=12, quoted n=4"`` (absent rows are n=0)."""
    sizes = rows.set_index(list(keys))[n]
    if levels == [None]:
        return [wrap_label(f"{g} (n={sizes[g]})", width=22) for g in groups]
    return [wrap_label(g, width=22) + "\n" + _join_wrapped(
        [f"{level} n={sizes.get((g, level), 0)}" for level in levels], width=26) for g in groups]


def _join_wrapped(items: Sequence[str], *, width: int) -> str:
    """Join items with ", ", breaking lines only between items, so "quoted n=14" stays whole."""
    lines, line = [], ""
    for item in items:
        candidate = f"{line}, {item}" if line else item
        if line and len(candidate) > width:
            lines.append(line + ",")
            line = item
        else:
            line = candidate
    return "\n".join([*lines, line])


def _draw_intervals(ax: plt.Axes, part: pd.DataFrame, *, y: pd.Series, estimate: str, low: str, high: str,
                    colours: pd.Series, marker: str) -> None:
    """Horizontal interval lines with a point estimate on top, one colour per row."""
    y = y[part.index].to_numpy(dtype=float)
    ax.hlines(y, part[low], part[high], colors=colours[part.index].tolist(), linewidth=1.2)
    ax.scatter(part[estimate], y, c=colours[part.index].tolist(), marker=marker, s=18, zorder=3,
               edgecolors="white", linewidths=0.4)


def _annotate_cells(ax: plt.Axes, values: np.ndarray, *, image, value_format: str) -> None:
    """Write each cell's value in black or white, whichever reads better on its colour."""
    for (row, column), value in np.ndenumerate(values):
        if not np.isfinite(value):
            ax.text(column, row, "–", ha="center", va="center", fontsize=7, color="0.5")
            continue
        red, green, blue, _ = image.cmap(image.norm(value))
        dark = 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.5
        ax.text(column, row, value_format.format(value), ha="center", va="center", fontsize=7,
                color="white" if dark else "black")


def _rotate_if_overlapping(fig: Figure, ax: plt.Axes, labels: Sequence[str]) -> None:
    """Set the x tick labels wrapped; only if they still overlap, on one line at 45 degrees."""
    ax.set_xticks(range(len(labels)), labels)
    fig.draw_without_rendering()
    boxes = sorted((text.get_window_extent() for text in ax.get_xticklabels() if text.get_text()), key=lambda box: box.x0)
    if any(right.x0 < left.x1 for left, right in zip(boxes, boxes[1:])):
        ax.set_xticks(range(len(labels)), [label.replace("\n", " ") for label in labels],
                      rotation=45, ha="left", rotation_mode="anchor")

"""Figures: one style, fixed outlet colours, reproducible files, helpers whose labels fit."""
from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.text import Text
from PIL import Image

from analysis import figures, paths
from analysis.errors import FramingInputError

OUTLETS = ["Al Mayadeen", "A News", "Ru-Main", "Pledge Times", "Front News"]
OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}

# Sentences copied verbatim from the seed articles (checked against corpus/raw below).
SEED_SENTENCES = {
    "A News": "Russia denies invasion plans and said it is responding to what it calls aggressive and "
              "provocative behavior from the NATO military alliance and Ukraine, which has tilted toward "
              "the West and aspires to join NATO.",
    "Ru-Main": "Besides, she mainly focused on Ukraine, which the US has claimed is under threat of a "
               "Russian “invasion.”",
    "Pledge Times": "According to the deputy head of the department, the conversation with the American "
                    "side was difficult.",
    "Front News": "Russia told the U.S. it has no plans to attack Ukraine;",
    "Al Mayadeen": "Ryabkov called on the US to be \"responsible\" in dealing with Russia, warning that the "
                   "risks of a growing confrontation \"cannot be underestimated.\"",
}


@pytest.fixture(autouse=True)
def _restore_matplotlib():
    """Each test starts from the current rcParams and leaves no open figures behind."""
    with matplotlib.rc_context():
        yield
    plt.close("all")


@pytest.fixture(scope="module")
def colours():
    return figures.outlet_colours(OUTLETS)


def rate_table() -> pd.DataFrame:
    return pd.DataFrame({
        "outlet": ["Ru-Main", "A News", "Al Mayadeen", "Pledge Times", "Front News"],
        "count": [5, 0, 2, 3, 4],
        "rate_per_1000": [9.434, 0.0, 4.762, 6.25, 5.714],
        "rate_low": [3.063, 0.0, 0.577, 1.289, 1.557],
        "rate_high": [22.016, 6.047, 17.202, 18.265, 14.631],
    })


def sentiment_table() -> pd.DataFrame:
    return pd.DataFrame({
        "outlet": np.repeat(OUTLETS, 2),
        "voice": ["narrator", "quoted"] * 5,
        "mean": [0.05, -0.21, 0.12, -0.05, -0.18, 0.3, 0.02, np.nan, -0.1, -0.33],
        "low": [-0.1, -0.5, -0.02, -0.3, -0.4, -0.05, -0.2, np.nan, -0.3, -0.7],
        "high": [0.2, 0.1, 0.25, 0.2, 0.05, 0.6, 0.25, np.nan, 0.1, 0.05],
        "n": [14, 6, 18, 5, 11, 7, 12, 0, 20, 3],
    })


def terms_table() -> pd.DataFrame:
    return pd.DataFrame([
        ("Ru-Main", "non-starter", 3.1), ("Ru-Main", "allegedly", 2.7), ("Ru-Main", "invasion", 2.2),
        ("Ru-Main", "deprive NATO's further expansion", 1.2),
        ("Front News", "ironclad guarantees", 3.3), ("Front News", "so-called", 2.9),
        ("A News", "cast-iron guarantee", 2.0), ("A News", "breakthrough", 2.6), ("A News", "compromises", 2.6),
    ], columns=["outlet", "term", "z"])


def coverage_matrix(columns=None) -> pd.DataFrame:
    facts = ["Talks in Geneva lasted about seven to eight hours",
             "Russia says it has no plans to attack Ukraine",
             "US ready to discuss missile deployment and military exercises on a reciprocal basis"]
    columns = sorted(OUTLETS, key=str.casefold) if columns is None else columns
    values = np.array([[1, 1, 1, 1, 1], [1, 1, 0, 1, 1], [1, 0, 1, 0, np.nan]])[:, : len(columns)]
    return pd.DataFrame(values, index=pd.Index(facts, name="fact"), columns=columns)


def quote_table() -> pd.DataFrame:
    return pd.DataFrame({"outlet": list(SEED_SENTENCES), "sentence": list(SEED_SENTENCES.values())})


def draw(fig):
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def drawn_texts(fig) -> list[Text]:
    """Every text the renderer draws (tick labels only for ticks inside the view limits)."""
    draw(fig)
    tick_texts, shown = set(), []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                tick_texts.update((id(tick.label1), id(tick.label2)))
                if low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    shown.extend((tick.label1, tick.label2))
    others = [t for t in fig.findobj(Text) if id(t) not in tick_texts]
    return [t for t in shown + others if t.get_visible() and t.get_text().strip()]


def texts_overlap(a: Text, b: Text) -> bool:
    """Boxes overlap; two labels rotated alike overlap when their baselines are closer than a line."""
    if a.get_rotation() == b.get_rotation() != 0:
        (xa, ya), (xb, yb) = (t.get_transform().transform(t.get_position()) for t in (a, b))
        angle = np.deg2rad(a.get_rotation())
        line = a.get_fontsize() * a.figure.dpi / 72
        return abs((xb - xa) * np.sin(angle) - (yb - ya) * np.cos(angle)) < line
    return a.get_window_extent().overlaps(b.get_window_extent())


# --- style -----------------------------------------------------------------------------------

@pytest.mark.parametrize("key, expected", [
    ("pdf.fonttype", 42),
    ("ps.fonttype", 42),
    ("text.usetex", False),
    ("svg.fonttype", "path"),
    ("svg.hashsalt", "framing-analysis"),
    ("savefig.dpi", 300),
    ("savefig.bbox", "tight"),
    ("axes.spines.top", False),
    ("axes.spines.right", False),
    ("axes.grid.axis", "y"),
    ("figure.constrained_layout.use", True),
    ("font.sans-serif", ["DejaVu Sans"]),
])
def test_use_style_sets(key, expected):
    matplotlib.rcdefaults()
    figures.use_style("paper")
    assert matplotlib.rcParams[key] == expected


@pytest.mark.parametrize("key", ["font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize",
                                 "ytick.labelsize", "legend.fontsize", "figure.titlesize"])
def test_style_font_sizes_are_7_to_9_points(key):
    figures.use_style()
    size = matplotlib.font_manager.FontProperties(size=matplotlib.rcParams[key]).get_size_in_points()
    assert 7 <= size <= 9


def test_style_colour_cycle_is_okabe_ito_without_yellow():
    figures.use_style()
    cycle = [to_hex(c["color"]).upper() for c in matplotlib.rcParams["axes.prop_cycle"]]
    assert set(cycle) <= OKABE_ITO and "#F0E442" not in cycle
    assert cycle == list(figures.OUTLET_PALETTE[: len(cycle)])


def test_style_loads_by_name_from_the_styles_folder():
    assert figures.use_style() == paths.STYLES_DIR / "paper.mplstyle"


def test_unknown_style_name_raises():
    with pytest.raises(FramingInputError, match="no style named 'poster'"):
        figures.use_style("poster")


@pytest.mark.parametrize("width, inches", [("single", 3.5), ("double", 7.2)])
def test_figure_widths(width, inches):
    fig, _ = figures.figure(width=width, height=2)
    assert fig.get_size_inches().tolist() == [inches, 2.0]


@pytest.mark.parametrize("width", ["triple", 3.5, None])
def test_figure_bad_width_raises(width):
    with pytest.raises(FramingInputError, match="figure width must be one of"):
        figures.figure(width=width)


@pytest.mark.parametrize("text, width, expected", [
    ("Al Mayadeen", 22, "Al Mayadeen"),
    ("Deputy Foreign Minister Sergei Ryabkov", 16, "Deputy Foreign\nMinister Sergei\nRyabkov"),
    ("Ru-Main", 3, "Ru-Main"),  # words and hyphenated names are never split
    ("Russia-US talks:\nWashington takes Moscow proposals", 20, "Russia-US talks:\nWashington takes\nMoscow proposals"),
])
def test_wrap_label(text, width, expected):
    assert figures.wrap_label(text, width=width) == expected


# --- outlet colours --------------------------------------------------------------------------

def test_outlet_colours_are_sorted_names_on_the_palette():
    assert figures.outlet_colours(OUTLETS) == {
        "A News": "#E69F00", "Al Mayadeen": "#56B4E9", "Front News": "#009E73",
        "Pledge Times": "#0072B2", "Ru-Main": "#D55E00"}


@pytest.mark.parametrize("outlets", [
    list(reversed(OUTLETS)),
    OUTLETS + OUTLETS,
    pd.Series(OUTLETS[::2] + OUTLETS[1::2]),
])
def test_outlet_colours_do_not_depend_on_order_or_repeats(outlets, colours):
    assert figures.outlet_colours(outlets) == colours


@pytest.mark.parametrize("subset", [["Ru-Main"], ["Ru-Main", "A News"], ["Pledge Times", "Front News", "Al Mayadeen"]])
def test_registered_colours_keep_each_outlet_colour_in_a_subset(subset, colours):
    assert figures.outlet_colours(subset, registered=colours) == {o: colours[o] for o in subset}


def test_unregistered_outlet_raises(colours):
    with pytest.raises(FramingInputError, match=r"\['Reuters'\] are not in the registered colour map"):
        figures.outlet_colours(["Reuters", "A News"], registered=colours)


@pytest.mark.parametrize("n_outlets, last_colour", [(6, "#CC79A7"), (7, "#000000"), (8, "#CC6677"), (16, "#AA4499")])
def test_palette_extends_with_black_then_tol_muted(n_outlets, last_colour):
    mapping = figures.outlet_colours([f"outlet {i:02d}" for i in range(n_outlets)])
    assert list(mapping.values())[-1] == last_colour
    assert len(set(mapping.values())) == n_outlets


def test_palette_is_colour_blind_safe_and_distinct():
    palette = figures.OUTLET_PALETTE
    assert set(palette[:7]) == OKABE_ITO - {"#F0E442"}
    assert palette[7:] == figures.TOL_MUTED
    assert len(set(palette)) == len(palette)


@pytest.mark.parametrize("outlets, message", [
    ([f"outlet {i}" for i in range(17)], "17 outlets but only 16"),
    (["A News", ""], "non-empty name"),
    (["A News", np.nan], "non-empty name"),
])
def test_bad_outlet_lists_raise(outlets, message):
    with pytest.raises(FramingInputError, match=message):
        figures.outlet_colours(outlets)


# --- saving ----------------------------------------------------------------------------------

def small_figure():
    fig, ax = figures.figure()
    ax.bar(["A News", "Ru-Main"], [3, 5])
    ax.set_title("Scare quotes")
    return fig


def test_save_figure_writes_pdf_svg_png_and_csv(tmp_path):
    data = pd.DataFrame({"outlet": ["A News", "Ru-Main"], "count": [3, 5], "share": [1 / 3, 2 / 3]})
    written = figures.save_figure(small_figure(), "scare-quotes-by-outlet", data=data, out_dir=tmp_path)
    assert {k: p.name for k, p in written.items()} == {
        s: f"scare-quotes-by-outlet.{s}" for s in ("pdf", "svg", "png", "csv")}
    pdf = written["pdf"].read_bytes()
    assert pdf.startswith(b"%PDF") and b"/CreationDate" not in pdf and b"/ModDate" not in pdf
    assert b"/Producer (framing-analysis)" in pdf and b"/FontFile2" in pdf  # TrueType, fonttype 42
    svg = ET.parse(written["svg"]).getroot()
    assert svg.tag.endswith("svg") and b"dc:date" not in written["svg"].read_bytes()
    with Image.open(written["png"]) as png:
        assert png.info["dpi"] == pytest.approx((300, 300), abs=0.01)
        assert png.info["Software"] == "framing-analysis"
    assert written["csv"].read_text() == "outlet,count,share\nA News,3,0.333333\nRu-Main,5,0.666667\n"
    pd.testing.assert_frame_equal(pd.read_csv(written["csv"]), data, check_dtype=False, rtol=1e-5)


@pytest.mark.parametrize("suffix", ["pdf", "svg", "png", "csv"])
def test_rerunning_save_figure_gives_identical_bytes(tmp_path, suffix):
    data = rate_table()
    first = figures.save_figure(figures.plot_counts_and_rates(data, label="Scare quotes"),
                                "scare-quotes-by-outlet", data=data, out_dir=tmp_path / "a")
    second = figures.save_figure(figures.plot_counts_and_rates(data, label="Scare quotes"),
                                 "scare-quotes-by-outlet", data=data, out_dir=tmp_path / "b")
    assert first[suffix].read_bytes() == second[suffix].read_bytes()


def test_save_figure_closes_the_figure(tmp_path):
    fig = small_figure()
    figures.save_figure(fig, "quotes-by-outlet", data=None, out_dir=tmp_path)
    assert not plt.fignum_exists(fig.number)


def test_save_figure_without_data_writes_no_csv(tmp_path):
    written = figures.save_figure(small_figure(), "quotes-by-outlet", data=None, out_dir=tmp_path)
    assert sorted(written) == ["pdf", "png", "svg"] and not (tmp_path / "quotes-by-outlet.csv").exists()


def test_save_figure_keeps_a_named_index_in_the_csv(tmp_path):
    written = figures.save_figure(small_figure(), "fact-coverage-by-outlet", data=coverage_matrix(), out_dir=tmp_path)
    table = pd.read_csv(written["csv"])
    assert table.columns[0] == "fact" and table["fact"].tolist() == coverage_matrix().index.tolist()
    assert table["Ru-Main"].isna().tolist() == [False, False, True]


@pytest.mark.parametrize("name", ["Fig 3.pdf", "fig3", "figure-3", "plot", "Scare-Quotes", "scare_quotes",
                                  "scare--quotes", "-scare-quotes", "scare-quotes.pdf", "", None])
def test_bad_figure_names_raise(tmp_path, name):
    with pytest.raises(ValueError, match="figure name"):
        figures.save_figure(small_figure(), name, data=None, out_dir=tmp_path)
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("fig, data, message", [
    ("not a figure", None, "needs a matplotlib Figure"),
    (None, [1, 2], "data must be a pandas DataFrame"),
])
def test_save_figure_bad_arguments_raise(tmp_path, fig, data, message):
    with pytest.raises(FramingInputError, match=message):
        figures.save_figure(small_figure() if fig is None else fig, "quotes-by-outlet", data=data, out_dir=tmp_path)


# --- plot helpers: content -------------------------------------------------------------------

def test_counts_and_rates_draws_counts_beside_rates(colours):
    fig = figures.plot_counts_and_rates(rate_table(), label="Scare quotes", colours=colours)
    ax_count, ax_rate = fig.axes
    names = sorted(OUTLETS, key=str.casefold)
    assert [t.get_text() for t in ax_count.get_yticklabels()] == names
    assert [to_hex(p.get_facecolor()).upper() for p in ax_count.patches] == [colours[o] for o in names]
    assert [t.get_text() for t in ax_count.texts] == ["0", "2", "4", "3", "5"]
    points = ax_rate.collections[-1].get_offsets()
    assert points[:, 0].tolist() == [0.0, 4.762, 5.714, 6.25, 9.434]
    assert " ".join(ax_rate.get_xlabel().split()) == "Scare quotes per 1,000 words (95% interval)"


def test_counts_and_rates_follows_a_given_order():
    order = ["Ru-Main", "Pledge Times", "Front News", "Al Mayadeen", "A News"]
    fig = figures.plot_counts_and_rates(rate_table(), label="Scare quotes", order=order)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == order


@pytest.mark.parametrize("change, message", [
    (lambda t: t.drop(columns="rate_low"), r"lacks columns \['rate_low'\]"),
    (lambda t: t.iloc[0:0], "no rows"),
    (lambda t: t.assign(rate_low=t["rate_high"] + 1), "does not contain the estimate"),
    (lambda t: t.assign(rate_per_1000=np.nan, rate_low=np.nan, rate_high=np.nan), "is missing for"),
    (lambda t: pd.concat([t, t.iloc[:1]]), "more than one row"),
    (lambda t: t.assign(count=["5", "x", "2", "3", "4"]).assign(rate_low="low"), "non-number"),
    (lambda t: t.assign(outlet=["Reuters", *t["outlet"][1:]]), "not in the registered colour map"),
])
def test_counts_and_rates_bad_tables_raise(change, message, colours):
    with pytest.raises(FramingInputError, match=message):
        figures.plot_counts_and_rates(change(rate_table()), label="Scare quotes", colours=colours)


def test_counts_and_rates_order_missing_a_group_raises():
    with pytest.raises(FramingInputError, match=r"groups \['Ru-Main'\] are not in the order"):
        figures.plot_counts_and_rates(rate_table(), label="Scare quotes", order=OUTLETS[:2] + OUTLETS[3:])


def test_interval_dots_with_hue_dodges_points_and_shows_n(colours):
    fig = figures.plot_interval_dots(sentiment_table(), label="Sentiment", hue="voice", colours=colours, reference=0)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[3] == "Pledge Times\nnarrator n=12, quoted n=0"
    narrator, quoted = (c for c in ax.collections if isinstance(c, matplotlib.collections.PathCollection))
    assert narrator.get_offsets()[:, 1].tolist() == pytest.approx([-0.15, 0.85, 1.85, 2.85, 3.85])
    assert quoted.get_offsets()[:, 1].tolist() == pytest.approx([0.15, 1.15, 2.15, 4.15])  # Pledge Times n=0: no point
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["narrator", "quoted"]


def test_interval_dots_without_hue_puts_n_in_the_label():
    table = sentiment_table().query("voice == 'narrator'").drop(columns="voice")
    fig = figures.plot_interval_dots(table, label="Narrator sentiment")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        "A News (n=18)", "Al Mayadeen (n=14)", "Front News (n=20)", "Pledge Times (n=12)", "Ru-Main (n=11)"]
    assert not fig.legends


@pytest.mark.parametrize("change, message", [
    (lambda t: t.assign(n=t["n"].where(t["n"] > 0, 4)), "is missing although n > 0"),
    (lambda t: t.assign(n=-1), "whole number >= 0"),
    (lambda t: t.assign(n=2.5), "whole number >= 0"),
    (lambda t: t.assign(high=t["low"] - 0.1), "does not contain the estimate"),
    (lambda t: t.assign(voice=[f"v{i}" for i in range(10)]), "at most 5 can be told apart"),
])
def test_interval_dots_bad_tables_raise(change, message):
    with pytest.raises(FramingInputError, match=message):
        figures.plot_interval_dots(change(sentiment_table()), label="Sentiment", hue="voice")


def test_ranked_terms_one_panel_per_group_top_k_alphabetical_ties(colours):
    fig = figures.plot_ranked_terms(terms_table(), k=3, colours=colours)
    panels = {ax.get_title(loc="left"): [" ".join(t.get_text().split()) for t in ax.get_yticklabels()] for ax in fig.axes}
    assert panels == {"A News": ["breakthrough", "compromises", "cast-iron guarantee"],
                      "Front News": ["ironclad guarantees", "so-called"],
                      "Ru-Main": ["non-starter", "allegedly", "invasion"]}
    assert [len(ax.patches) for ax in fig.axes] == [3, 2, 3]
    assert {to_hex(ax.patches[0].get_facecolor()).upper() for ax in fig.axes} == {
        colours["A News"], colours["Front News"], colours["Ru-Main"]}
    assert len({ax.get_xlim() for ax in fig.axes}) == 1


@pytest.mark.parametrize("k", [0, -1, 2.5, True])
def test_ranked_terms_bad_k_raises(k):
    with pytest.raises(FramingInputError, match="k must be a positive whole number"):
        figures.plot_ranked_terms(terms_table(), k=k)


def test_ranked_terms_duplicate_term_raises():
    with pytest.raises(FramingInputError, match="more than one row"):
        figures.plot_ranked_terms(pd.concat([terms_table(), terms_table().iloc[:1]]))


def test_heatmap_annotates_every_cell_and_marks_missing_ones(colours):
    fig = figures.plot_heatmap(coverage_matrix(), label="Sentences reporting the fact", colours=colours)
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.texts) == sorted(["1"] * 11 + ["0"] * 3 + ["–"])
    assert [to_hex(t.get_color()).upper() for t in ax.get_xticklabels()] == [
        colours[o] for o in sorted(OUTLETS, key=str.casefold)]


@pytest.mark.parametrize("width, rotation", [("double", 0), ("single", 45)])
def test_heatmap_rotates_column_labels_only_when_needed(width, rotation):
    fig = figures.plot_heatmap(coverage_matrix(), width=width)
    assert {t.get_rotation() for t in fig.axes[0].get_xticklabels()} == {rotation}


def test_heatmap_non_numeric_cells_raise():
    with pytest.raises(FramingInputError, match="non-number: 'yes'"):
        figures.plot_heatmap(coverage_matrix().astype(object).replace({0: "yes"}))


def test_table_figure_writes_every_cell(colours):
    fig = figures.plot_table_figure(quote_table(), colours=colours, colour_column="outlet")
    texts = fig.axes[0].texts
    assert len(texts) == 2 * (len(SEED_SENTENCES) + 1)
    assert [" ".join(t.get_text().split()) for t in texts[3::2]] == list(SEED_SENTENCES.values())
    assert [to_hex(t.get_color()).upper() for t in texts[2::2]] == [colours[o] for o in SEED_SENTENCES]


def test_table_figure_keeps_dollar_signs_and_blanks_missing_cells():
    table = pd.DataFrame({"outlet": ["A News", "Ru-Main"], "amount": ["sanctions of $5bn and $10bn", np.nan]})
    fig = figures.plot_table_figure(table)
    assert [t.get_text() for t in fig.axes[0].texts] == ["outlet", "amount", "A News", "sanctions of $5bn and $10bn", "Ru-Main", ""]
    draw(fig)  # dollar pairs are not parsed as mathtext


def test_table_figure_too_narrow_raises():
    wide = pd.DataFrame({f"column {i}": ["internationally-recognised"] for i in range(8)})
    with pytest.raises(FramingInputError, match="the longest words need"):
        figures.plot_table_figure(wide, width="single")


@pytest.mark.parametrize("outlet", SEED_SENTENCES)
def test_seed_sentences_are_real(outlet):
    raw = "\n".join(p.read_text(encoding="utf-8") for p in sorted(paths.RAW_DIR.glob("*.txt")))
    assert SEED_SENTENCES[outlet] in raw


# --- plot helpers: nothing clips, nothing overlaps ---------------------------------------------

LONG_OUTLETS = ["Al Mayadeen English (Lebanon-based pan-Arab broadcaster)", "A News", "Ru-Main"]

HELPER_CASES = {
    "counts-and-rates": lambda w: figures.plot_counts_and_rates(rate_table(), label="Scare quotes", width=w),
    "counts-and-rates-long-names": lambda w: figures.plot_counts_and_rates(
        rate_table().iloc[:3].assign(outlet=LONG_OUTLETS), label="Quoted words of Russian officials", width=w),
    "interval-dots-hue": lambda w: figures.plot_interval_dots(
        sentiment_table(), label="Sentence sentiment (VADER compound)", hue="voice", reference=0, width=w),
    "interval-dots": lambda w: figures.plot_interval_dots(
        sentiment_table().query("voice == 'quoted'").drop(columns="voice"), label="Quoted sentiment", width=w),
    "ranked-terms": lambda w: figures.plot_ranked_terms(terms_table(), k=4, width=w),
    "heatmap": lambda w: figures.plot_heatmap(coverage_matrix(), label="Sentences reporting the fact", width=w),
    "heatmap-long-columns": lambda w: figures.plot_heatmap(coverage_matrix(LONG_OUTLETS), width=w),
    "table": lambda w: figures.plot_table_figure(quote_table(), colour_column="outlet", width=w),
}


def texts_outside(fig) -> list[str]:
    inside = fig.bbox.padded(0.5)
    return [t.get_text() for t in drawn_texts(fig)
            if not (inside.contains(*t.get_window_extent().p0) and inside.contains(*t.get_window_extent().p1))]


def overlapping_texts(fig) -> list[tuple[str, str]]:
    return [(a.get_text(), b.get_text()) for a, b in itertools.combinations(drawn_texts(fig), 2) if texts_overlap(a, b)]


@pytest.mark.parametrize("case, width", list(itertools.product(HELPER_CASES, ["single", "double"])))
def test_no_text_leaves_the_figure(case, width):
    assert texts_outside(HELPER_CASES[case](width)) == []


@pytest.mark.parametrize("case, width", list(itertools.product(HELPER_CASES, ["single", "double"])))
def test_no_two_texts_overlap(case, width):
    assert overlapping_texts(HELPER_CASES[case](width)) == []


def test_the_layout_checks_catch_clipped_and_crowded_text():
    fig, ax = figures.figure()
    ax.set_xticks(range(6), [f"{outlet} English edition" for outlet in sorted(OUTLETS)] + ["RT"])
    fig.text(0.9, 0.5, "clipped at the right edge")
    assert texts_outside(fig) == ["clipped at the right edge"]
    assert ("A News English edition", "Al Mayadeen English edition") in overlapping_texts(fig)


def test_save_figure_writes_one_line_caption(tmp_path):
    fig, ax = figures.figure()
    ax.plot([0, 1], [0, 1])
    written = figures.save_figure(fig, "caption-check", data=None, out_dir=tmp_path,
                                  caption="Scare quotes per outlet,\n counts and rates.")
    assert written["txt"].read_text(encoding="utf-8") == "Scare quotes per outlet, counts and rates.\n"
    assert "csv" not in written

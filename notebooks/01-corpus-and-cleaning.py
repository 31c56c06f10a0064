# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 1. The corpus and its cleaning
#
# What the captured web pages contain, what was set aside as page material and why, and how
# the cleaned article text was cut into the sentences that every later measure refers to.
#
# **Reads:** `corpus/metadata.csv`, the raw article files, the codebook.
# **Writes:** `corpus/processed/` (cleaned texts, the cleaning log, the sentences table and
# every other table of the study), `figures/cleaning-log-by-rule.*`.

# %% tags=["parameters"]
corpus_dir = "../corpus"
codebook_path = "../codebook/geneva-2022.yaml"
figures_dir = "../figures"
reports_dir = "../reports"

# %%
import pandas as pd

from analysis import cleaning, figures
from analysis.narrative import fmt_list, show, start_notebook

study, codebook, colours = start_notebook(corpus_dir, codebook_path)
articles = study.articles

# %% [markdown]
# ## The articles and what is known about them
#
# Each row is one captured web page. Provenance comes from the pages themselves; where
# something is not established it stays `unknown` rather than being guessed.

# %%
articles[["article_id", "outlet", "country", "date", "language", "headline", "url"]]

# %%
unknown_dates = articles.loc[articles.date == "unknown", "outlet"]
show(
    "The corpus holds **{n}** articles from **{outlets}** outlets ({names}). Every raw file "
    "matched the SHA-256 checksum recorded in the metadata when it was loaded, so the text "
    "analysed is byte for byte the text captured. Publication date unknown for: {unknown}.",
    n=len(articles), outlets=articles.outlet.nunique(), names=fmt_list(sorted(articles.outlet)),
    unknown=fmt_list(unknown_dates),
)

# %% [markdown]
# ## What cleaning set aside, and why
#
# Captured pages mix the article with site navigation, bylines, photo credits, embedded
# social posts, comment forms and repeated blocks. General rules (patterns and page structure,
# kept as data in `analysis/data/cleaning_rules.yaml`) set these lines aside. Nothing is
# dropped silently: every line set aside is a row of the cleaning log, with its rule.

# %%
rules = cleaning.load_rules()
log = study.cleaning_log.merge(articles[["article_id", "outlet"]], on="article_id")
by_rule = pd.crosstab(log.rule, log.outlet)
by_rule.insert(0, "what the rule sets aside", [rules.descriptions.get(r, "") for r in by_rule.index])
by_rule

# %%
fig = figures.plot_heatmap(pd.crosstab(log.rule, log.outlet), label="lines set aside", width="double")
fig

# %%
figures.save_figure(
    fig, "cleaning-log-by-rule", data=by_rule.reset_index(), out_dir=figures_dir,
    caption="Lines of each captured page set aside in cleaning, by rule and outlet.",
)

# %% [markdown]
# Lines set aside other than blank and filler lines (the full log is in
# `corpus/processed/cleaning_log.csv`):

# %%
log.loc[~log.rule.isin(["blank", "filler"]), ["outlet", "line_no", "rule", "text"]]

# %% [markdown]
# ## Nothing lost: raw text = cleaned text + cleaning log
#
# Rebuilding each raw file from its cleaned text and its log rows must give the file back
# exactly; the check below runs on every article.

# %%
rebuilt = {
    row.article_id: cleaning.reconstruct_raw(row.text, study.cleaning_log[study.cleaning_log.article_id == row.article_id]) == row.raw_text
    for row in articles.itertuples()
}
show("Raw files rebuilt exactly from cleaned text and log: **{ok}** of **{n}**.",
     ok=sum(rebuilt.values()), n=len(rebuilt))

# %% [markdown]
# ## Sentences
#
# The cleaned text is cut into sentences offline (no model downloads); every later count and
# score points back to a row of this table by article and sentence index, with character
# offsets into the cleaned text. The counts per outlet below are summed from each partition's
# counts (`study.outlet_counts`), as they would be for a corpus of millions of articles.

# %%
sentences = study.sentences
per_outlet = study.outlet_counts.set_index("outlet")[["articles", "sentences", "words", "headlines", "speaker_lines"]]
per_outlet

# %%
shortest, longest = per_outlet.words.idxmin(), per_outlet.words.idxmax()
show(
    "The articles are short: from **{low}** words ({shortest}) to **{high}** words ({longest}), "
    "**{total}** words in all. Every estimate in the later notebooks rests on a few hundred "
    "words per outlet, so intervals are wide and one sentence can move a rate.",
    low=int(per_outlet.words.min()), shortest=shortest, high=int(per_outlet.words.max()),
    longest=longest, total=int(per_outlet.words.sum()),
)

# %% [markdown]
# The first sentences of each article, as the measures see them:

# %%
sentences.groupby("article_id").head(3)[["outlet", "sentence_index", "is_headline", "text"]]

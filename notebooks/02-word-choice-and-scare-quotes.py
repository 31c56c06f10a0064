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
# # 2. Word choice and scare quotes
#
# Which contested words, hedges, scare quotes and name spellings each outlet uses, and which
# words set one outlet apart from the others, with every count traced to its sentence.
# Counts stand beside rates per 1,000 words and their 95% intervals, because the articles
# are short and a single sentence can move a rate.
#
# **Reads:** `corpus/metadata.csv`, the raw article files, the codebook.
# **Writes:** `figures/framing-markers-by-outlet.*`, `figures/scare-quotes-by-outlet.*`,
# `figures/naming-variants-by-outlet.*`, `figures/distinctive-words-by-outlet.*`.

# %% tags=["parameters"]
corpus_dir = "../corpus"
codebook_path = "../codebook/geneva-2022.yaml"
figures_dir = "../figures"
reports_dir = "../reports"

# %%
from IPython.display import display

from analysis import figures
from analysis.concordance import kwic
from analysis.keyness import DEFAULT_SCALES, log_odds, prior_sensitivity, term_counts, top_terms
from analysis.measures import count_matches, hedged_claims, main_variants, naming_choices
from analysis.narrative import Safe, fmt_list, fmt_number, fmt_rate, show, start_notebook
from analysis.quotes import scare_quoted_terms, with_sentences

study, codebook, colours = start_notebook(corpus_dir, codebook_path)
sentences, evidence = study.sentences, study.evidence
outlets = sorted(study.articles.outlet)

# %% [markdown]
# ## The codebook: what is counted
#
# Every count in this notebook comes from the codebook, a file researchers edit
# (`codebook/*.yaml`). It sorts words into **categories**, each with a definition. A
# **term** is one counted idea ("invasion"); its **word forms** are the spellings that
# count as it ("invade", "invading", ...). Matching is on whole words, ignoring case, and a
# piece of text counts for one term only. The definitions below are the codebook's own.

# %%
glossary = codebook.glossary()
glossary.loc[glossary.section.isin(["term_categories", "naming_variants"]) & (glossary.category != ""),
             ["section", "category", "term", "definition"]]

# %% [markdown]
# The word forms that count for each term:

# %%
codebook.terms_table().groupby(["category", "term"], sort=False).pattern.agg(", ".join).rename("word forms").to_frame()

# %% [markdown]
# ## Contested terms and distancing markers per outlet
#
# A **rate per 1,000 words** puts outlets of different length on one scale: 5 matches in
# 500 words is a rate of 10. The 95% interval (exact Poisson) says how far the rate could be
# from the outlet's underlying habit given so few words; when two outlets' intervals
# overlap widely, the data do not show that they differ. Counts are always shown beside the
# rates: a rate built on two or three matches is fragile.

# %%
by_category = count_matches(evidence, sentences, codebook=codebook, level="category")
by_category

# %% [markdown]
# In the figure each row is one category in one outlet (the category on the first line of
# the label, the outlet on the second); the left panel counts the matches and the right
# panel gives the rate with its interval.

# %%
category_rows = (by_category.assign(row=by_category.category.str.replace("_", " ") + "\n" + by_category.outlet)
                 .sort_values(["category", "outlet"]))
row_colours = dict(zip(category_rows.row, category_rows.outlet.map(colours)))
fig = figures.plot_counts_and_rates(category_rows, group="row", label="Matches", colours=row_colours,
                                    order=category_rows.row.tolist(), width="single")
fig

# %%
figures.save_figure(
    fig, "framing-markers-by-outlet", data=by_category, out_dir=figures_dir,
    caption="Contested terms and distancing markers per outlet: counts and rates per 1,000 words with 95% intervals.",
)

# %%
for category, rows in by_category.groupby("category", sort=False):
    if rows["count"].sum() == 0:
        show("**{category}**: no outlet uses any of its terms.", category=category)
        continue
    most, least = rows.loc[rows.rate_per_1000.idxmax()], rows.loc[rows.rate_per_1000.idxmin()]
    show(
        "**{category}**: most frequent in **{most}**, {most_rate}; least frequent in **{least}**, "
        "{least_rate}. The two intervals {verdict}.",
        category=category, most=most.outlet, least=least.outlet,
        most_rate=fmt_rate(most["count"], most.words, most.rate_per_1000, most.rate_low, most.rate_high),
        least_rate=fmt_rate(least["count"], least.words, least.rate_per_1000, least.rate_low, least.rate_high),
        verdict=Safe("overlap, so even this gap may be chance" if most.rate_low <= least.rate_high
                     else "do not overlap"),
    )

# %% [markdown]
# Which terms make up these counts: the number of matches of each term in each outlet.
# A row of zeros is a codebook term that no outlet used.

# %%
by_term = count_matches(evidence, sentences, codebook=codebook)
by_term.pivot_table(index=["category", "term"], columns="outlet", values="count", aggfunc="sum", sort=False)

# %% [markdown]
# **Evidence.** Where each count comes from: the sentence numbers (`sentence_index`, counted
# from 0 in each article, as in the sentences table of notebook 1) holding each match. The
# full evidence, with character offsets and the sentence text, is `corpus/processed/evidence.csv`.

# %%
term_evidence = evidence[evidence.section == "term_categories"]
term_evidence.groupby(["outlet", "category", "term"]).agg(
    count=("match", "size"), words_matched=("match", lambda m: ", ".join(sorted(set(m)))),
    sentences=("sentence_index", lambda s: ", ".join(map(str, s))),
)

# %% [markdown]
# ## Scare quotes: which words each outlet keeps at a distance
#
# A **scare quote** puts a word in quotation marks not to report someone's speech but to
# keep distance from the word (a possible "invasion"). The quotation finder (notebook 3
# explains it) calls a quotation a scare quote when it is a contested codebook term, follows
# "so-called" or "what he called", or is a short span of at most a few words with no
# speaker. When the marks sit inside someone's quotation, the distance is the speaker's,
# not the writer's: the `speaker` column then names them.

# %%
scare_terms = scare_quoted_terms(study.quotes)
scare_terms

# %%
if scare_terms.empty:
    show("No outlet in this corpus sets a word in scare quotes, so there is no figure to draw.")
    fig = None
else:
    scare_matrix = scare_terms.pivot_table(index="term", columns="outlet", values="count", fill_value=0)
    fig = figures.plot_heatmap(scare_matrix.reindex(columns=outlets, fill_value=0),
                               label="Times set in scare quotes", colours=colours, width="single")
fig

# %%
if fig is not None:
    figures.save_figure(
        fig, "scare-quotes-by-outlet", data=scare_terms, out_dir=figures_dir,
        caption="Words each outlet sets in scare quotes (counts; the speaker's own distance included).",
    )

# %% [markdown]
# **Evidence.** Every scare quote with its sentence and the reason the program gave for
# calling it one; read the sentence to judge it yourself.

# %%
scare_quotes = with_sentences(study.quotes[study.quotes.kind == "scare"], sentences)
scare_quotes[["outlet", "sentence_index", "text", "speaker", "reason", "sentence"]]

# %%
writer_scare = scare_quotes[scare_quotes.speaker == ""]
show(
    "**{n}** scare quotes in all: **{writer}** are the writer's distance, **{speaker}** a quoted "
    "speaker's. Outlets with none: {none}. With so few, these are examples to read, not rates "
    "to compare; notebook 3 gives the rate of scare quotes per outlet with intervals.",
    n=len(scare_quotes), writer=len(writer_scare), speaker=len(scare_quotes) - len(writer_scare),
    none=fmt_list(sorted(set(outlets) - set(scare_quotes.outlet))),
)

# %% [markdown]
# ## Hedged claims: what is called "alleged", "so-called", "what he called"
#
# A distancing marker hedges the words after it: in "the alleged troop buildup" the writer
# does not vouch for the buildup. The `hedged` column shows what each marker hedges,
# found by a simple rule: a quotation right after the marker is taken whole; otherwise the
# following words up to punctuation or a clause word ("which", "that", "but"), within a
# maximum length.
# The rule can cut too early or too late, so the whole sentence is shown beside it. Denials
# and accusations are markers too: they present a claim as one party's word against another's.

# %%
hedged = hedged_claims(evidence, sentences)
hedged[["outlet", "sentence_index", "term", "match", "hedged", "sentence"]]

# %%
if hedged.empty:
    show("No distancing marker occurs in this corpus.")
else:
    per_outlet = hedged.groupby("outlet").size().reindex(outlets, fill_value=0)
    show("Markers of the category {category} per outlet: {counts}. Their rates per 1,000 words, with "
         "intervals, are in the figure above.", category=hedged.category.iloc[0],
         counts=fmt_list(f"{outlet} {count}" for outlet, count in per_outlet.items()))

# %% [markdown]
# ## Naming variants: one thing, several names
#
# The same thing can be named in several ways (Kiev or Kyiv, Sergei or Sergey, the US or
# Washington), and the choice can show a point of view or the language of the source: the
# codebook defines each **concept** and its **variants**.
# The heatmap counts how often each outlet uses each variant; a zero means the outlet named
# the concept another way, or not at all.

# %%
names = naming_choices(evidence, sentences=sentences, codebook=codebook)
name_matrix = (names.assign(row=names.concept + ": " + names.variant)
               .pivot(index="row", columns="outlet", values="count").reindex(columns=outlets))
fig = figures.plot_heatmap(name_matrix, label="Mentions (count)", colours=colours, width="double")
fig

# %%
figures.save_figure(
    fig, "naming-variants-by-outlet", data=names, out_dir=figures_dir,
    caption="How each outlet names the same things: counts of each name variant per outlet.",
)

# %% [markdown]
# Each outlet's most used variant of each concept, with its share of the concept's
# mentions in that outlet (`n`) and a 95% Wilson interval. With a handful of mentions the
# interval is wide: one name used twice out of two is a share of 1 that could well be
# much lower. Concepts an outlet never mentions are left out.

# %%
preferred = main_variants(names)
preferred[["outlet", "concept", "variant", "count", "n", "share", "share_low", "share_high"]]

# %%
mixed = preferred[preferred.share < 1]
show(
    "Outlets that mix variants of one concept: {mixed}. A mix inside one article often comes "
    "from quoting or copying sources that spell the name differently.",
    mixed=fmt_list(sorted(set(mixed.outlet + " (" + mixed.concept + ")"))),
)

# %% [markdown]
# **Evidence.** Each naming match with its sentence:

# %%
naming_evidence = evidence[evidence.section == "naming_variants"]
naming_evidence[["outlet", "sentence_index", "category", "term", "match", "sentence"]]

# %% [markdown]
# ## Distinctive words per outlet
#
# Which words does each outlet use more than the others? For every word we compare the
# outlet with all the other outlets together by the **log-odds ratio** of the word, and
# divide it by its standard error to get a **z-score** (Monroe, Colaresi & Quinn 2008,
# "Fightin' Words"). Before comparing, every count is topped up with pseudo-counts from an
# **informative Dirichlet prior**: the word's frequency in the whole corpus, times a
# **prior scale**. The prior pulls rare words towards "not distinctive", so a word an
# outlet used once is not ranked top just because no one else used it. Words are lower-cased,
# common function words (the stopword list `analysis/data/stopwords_en.txt`) are left out,
# and so are the speaker lines that close some paragraphs, which are page labels, not prose.

# %%
PRIOR_SCALE = 1.0  # the method's default prior strength; the sensitivity table below varies it
word_counts = term_counts(sentences, exclude=sentences.is_attribution.astype(bool))
distinctive = log_odds(word_counts, scale=PRIOR_SCALE)
top_words = top_terms(distinctive, k=10).rename(columns={"group": "outlet"})
fig = figures.plot_ranked_terms(top_words, k=10, label="Log-odds z-score (informative Dirichlet prior)",
                                colours=colours, width="double")
fig

# %%
figures.save_figure(
    fig, "distinctive-words-by-outlet", data=top_words, out_dir=figures_dir,
    caption="Words each outlet uses more than the others: top ten by log-odds z-score "
            "with an informative Dirichlet prior.",
)

# %% [markdown]
# The same words with their counts: `count_group` in the outlet, `count_rest` in all the
# other outlets together. A z-score here ranks words; it is not a test. Thousands of words
# are compared, so some large z-scores arise by chance, and most of these words occur only
# a few times.

# %%
top_words[["outlet", "rank", "term", "count_group", "count_rest", "z"]]

# %% [markdown]
# ### How much the prior decides
#
# With a few short articles the counts are small and the prior scale decides much of the
# ranking. A small scale trusts the counts: words used by one outlet only, even twice, rise
# to the top. A large scale trusts the pooled corpus: only frequent words with clearly
# different shares rise. The table shows the top terms at each scale; the overlap table
# gives, for each pair of scales, how many of the top terms they share and their Jaccard
# index (shared terms / all terms in either list; 1 = the same list).

# %%
sensitivity = prior_sensitivity(word_counts, scales=DEFAULT_SCALES, k=10)
sensitivity.top[sensitivity.top["rank"] <= 5].pivot_table(index=["group", "rank"], columns="scale", values="term",
                                                        aggfunc="first")

# %%
extremes = sensitivity.overlap[(sensitivity.overlap.scale_a == min(DEFAULT_SCALES))
                               & (sensitivity.overlap.scale_b == max(DEFAULT_SCALES))]
extremes

# %%
show(
    "Between the weakest prior (scale {low}) and the strongest (scale {high}) the ten top words "
    "of an outlet share from **{least}** to **{most}** words (mean Jaccard index {jaccard}). "
    "Words that stay in the top ten at every scale are the ones to trust; they are listed below "
    "(an outlet missing from the list has no such word).",
    low=fmt_number(min(DEFAULT_SCALES)), high=fmt_number(max(DEFAULT_SCALES)),
    least=int(extremes.shared.min()), most=int(extremes.shared.max()), jaccard=fmt_number(extremes.jaccard.mean()),
)

# %%
in_every_top = sensitivity.top.groupby(["group", "term"]).size() == len(DEFAULT_SCALES)
robust_words = in_every_top[in_every_top].reset_index().groupby("group").term.agg(", ".join)
robust_words.rename("top ten at every scale").to_frame()

# %% [markdown]
# ## Read it in context: a concordance
#
# Counts hide how a word is used: "attack" in "no plans to attack Ukraine" is a denial, not
# an accusation. A concordance (keyword in context) lists every occurrence with the words
# around it. Below: the term of the codebook's first category (the contested terms) matched
# most often in the corpus, with all its word forms, so you can check how each outlet uses it.

# %%
first_category = codebook.term_categories[0].name
contested = evidence[(evidence.section == "term_categories") & (evidence.category == first_category)]
if contested.empty:
    show("No term of the category {category} occurs in this corpus, so there is no concordance to show.",
         category=first_category)
else:
    keyword = contested.term.value_counts().sort_index().idxmax()
    forms = codebook.terms_table().query("category == @first_category and term == @keyword")
    show("Concordance of **{keyword}** ({category}; word forms: {forms}).", keyword=keyword,
         category=first_category, forms=fmt_list(forms.pattern))
    display(kwic(sentences, "|".join(f"(?:{regex})" for regex in forms.regex), regex=True, window=8)
            [["outlet", "sentence_index", "left", "match", "right"]])

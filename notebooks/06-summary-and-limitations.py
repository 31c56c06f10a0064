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
# # 6. Summary of findings and limitations
#
# What the measures of notebooks 2 to 5 show, outlet by outlet, in one table with counts,
# 95% intervals and pointers to the sentences behind every number, and what a corpus of
# this size can and cannot support.
#
# **Reads:** `corpus/metadata.csv`, the raw article files, the codebook.
# **Writes:** `corpus/processed/key_findings.csv` (the findings table below).

# %% tags=["parameters"]
corpus_dir = "../corpus"
codebook_path = "../codebook/geneva-2022.yaml"
figures_dir = "../figures"
reports_dir = "../reports"

# %%
from pathlib import Path

from IPython.display import display

from analysis import findings, paths
from analysis.narrative import Safe, fmt_list, fmt_number, show, start_notebook

study, codebook, colours = start_notebook(corpus_dir, codebook_path)
table = findings.key_findings(study, codebook)
limits = findings.limits_summary(study, codebook)

# %%
findings_file = paths.processed_dir_for(Path(corpus_dir)) / "key_findings.csv"
findings_file.parent.mkdir(parents=True, exist_ok=True)
table.to_csv(findings_file, index=False, lineterminator="\n", float_format="%.6g")
show("The findings table, **{n}** rows, is written to {file} beside the study's other tables.",
     n=len(table), file=findings_file.name)

# %% [markdown]
# ## How to read the findings table
#
# Each row is one finding for one outlet:
#
# - `measure` and `item` say what is measured: a framing device, a side whose words are
#   quoted, a voice whose sentiment is scored, a name, the facts left out.
# - `finding` states the result in one sentence, with its count, its 95% interval and what
#   the count is out of.
# - `value` with `low` and `high` is the estimate and its 95% interval; `interval` says how
#   the interval was computed (exact Poisson for rates, Wilson for shares, a seeded
#   bootstrap for mean sentiment; a count of facts has none). `n` is what the value rests on
#   and `n_of` what `n` counts (words, sentences, quoted words, mentions, attributions).
# - `all_outlets` is the same measure for all outlets together, and `versus_all` says
#   whether the outlet's interval lies wholly **above** or **below** it, or includes it
#   (**no clear difference**).
# - `evidence` names the study table and the article and sentence numbers behind the value
#   (`s3` is sentence 3 of that article, counted from 0, as in `corpus/processed/sentences.csv`).
#   Read those sentences before you quote the number.
#
# ## At a glance
#
# One row per measure, one column per outlet: the estimate with its 95% interval, ↑ or ↓
# when the interval lies wholly above or below the value for all outlets together. A dash
# means the outlet has no such finding (a name variant that is not its main one, a side it
# was not asked about). "none" means there was nothing to measure (no quotations).

# %%
findings.findings_overview(table)

# %%
compared = table[table.versus_all != ""]
stand_out = compared[compared.versus_all.isin(["above", "below"])]
show(
    "**{k}** of **{n}** outlet findings that can be compared with all outlets together stand out "
    "(interval wholly above or below). Even if outlets did not differ at all, about 1 in 20 intervals "
    "would miss the common value by chance, that is about **{chance}** here, and the comparisons are "
    "not independent (an outlet's shares of quoted words add up to one). Treat them as pointers to read "
    "the evidence, not as tests.",
    k=len(stand_out), n=len(compared), chance=fmt_number(0.05 * len(compared), digits=1),
)

# %%
if stand_out.empty:
    show("No finding stands out from all outlets together, so there is no list to show.")
else:
    display(stand_out[["measure", "item", "outlet", "finding"]])

# %% [markdown]
# ## Which outlet uses which framing devices
#
# Codebook terms (contested words, distancing markers) and scare quotes per 1,000 words,
# and the share of attributions ("X said", "X stressed") whose reporting verb is not neutral.
# Rates of a few matches in a few hundred words have wide intervals: compare the counts too.

# %%
devices = table[table.measure.isin([findings.RATE_MEASURE, findings.VERB_MEASURE])]
devices[["item", "outlet", "finding", "evidence"]]

# %%
rates = devices[devices.measure == findings.RATE_MEASURE]
highest = rates.loc[rates.groupby("item", sort=False).value.idxmax()]
show(
    "Highest rate of each device: {highest}. Outlets standing out from all outlets together: {standing}.",
    highest=fmt_list(f"{row.item}: {row.outlet}, {row.short}" for row in highest.itertuples()),
    standing=fmt_list(f"{row.outlet} ({row.item}, {row.versus_all})" for row in
                      devices[devices.versus_all.isin(["above", "below"])].itertuples()),
)

# %% [markdown]
# ## Whose words each outlet quotes
#
# Each side's share of the outlet's quoted words (direct quotations and partial quotes;
# scare quotes are not speech). A share of 1 from a handful of words is one or two
# quotations.

# %%
sides = table[table.measure == findings.SIDE_MEASURE]
sides[["item", "outlet", "finding", "evidence"]]

# %%
quoted = sides[sides.n > 0]
main_side = quoted.loc[quoted.groupby("outlet").value.idxmax()] if len(quoted) else quoted
show(
    "The side with most of each outlet's quoted words: {main}. No reported speech found: {silent}.",
    main=fmt_list(f"{row.outlet}: {row.item}, {row.short}" for row in main_side.itertuples()),
    silent=fmt_list(sides.loc[sides.n == 0, "outlet"]),
)

# %% [markdown]
# ## Sentiment by voice
#
# Mean VADER compound of whole sentences, of the outlet's own words (narrator) and of the
# words it quotes, with 95% bootstrap intervals and the number of sentences. Notebook 4
# explains the method and lists what VADER cannot see.

# %%
tone = table[table.measure == findings.SENTIMENT_MEASURE]
tone[["item", "outlet", "finding", "evidence"]]

# %%
scored = tone[tone.n > 0]
negative = scored[scored.high < 0]
positive = scored[scored.low > 0]
show(
    "Intervals wholly below neutral: {negative}. Wholly above: {positive}. Every other interval "
    "includes neutral.",
    negative=fmt_list(f"{row.outlet} ({row.item})" for row in negative.itertuples()),
    positive=fmt_list(f"{row.outlet} ({row.item})" for row in positive.itertuples()),
)

# %% [markdown]
# ## Naming choices
#
# For each name in the codebook, each outlet's main variant and its share of the outlet's
# mentions of that name.

# %%
names = table[table.measure == findings.NAMING_MEASURE]
names[["item", "outlet", "finding", "evidence"]]

# %%
by_variant = names.groupby("item", sort=False).outlet.agg(list)
show("Main variants: {variants}.",
     variants=fmt_list(f"{item} ({', '.join(outlets)})" for item, outlets in by_variant.items()))

# %% [markdown]
# ## Facts left out
#
# Of the facts that at least one other outlet reported (codebook facts and facts found by
# aligning sentences, notebook 5), how many each outlet did not report in words the
# methods can see.

# %%
facts = table[table.measure == findings.FACTS_MEASURE]
facts[["outlet", "finding", "evidence"]]

# %%
show(
    "Most facts left out: {most}. Fewest: {fewest}.",
    most=fmt_list(facts.loc[facts.value == facts.value.max(), "outlet"]),
    fewest=fmt_list(facts.loc[facts.value == facts.value.min(), "outlet"]),
)

# %% [markdown]
# ## Limitations
#
# ### Few short articles, one article standing for an outlet

# %%
show(
    "The corpus holds **{articles}** articles from **{outlets}** outlets, at most **{most}** per outlet, "
    "from **{fewest_words}** to **{most_words}** words per outlet. Where an outlet has one article, outlet "
    "and article are confounded: a difference between two outlets may come from the author, the angle, "
    "the time of writing or the length of one article, and says little about how the outlet usually "
    "writes. Intervals take the spread between an outlet's articles into account only where the outlet "
    "has at least **{min_articles}** articles, and **{clustered}** of the **{outlets}** outlets here do; "
    "the other intervals describe the uncertainty of measuring these texts, not of generalising "
    "from them to an outlet, a country or a kind of media.",
    articles=limits["articles"], outlets=limits["outlets"], most=limits["most_articles_per_outlet"],
    fewest_words=limits["fewest_words"], most_words=limits["most_words"],
    min_articles=limits["min_articles_for_article_intervals"], clustered=limits["outlets_with_article_intervals"],
)

# %% [markdown]
# ### Quotations are found by rules

# %%
show(
    "Quotations are found by rules about quotation marks, speaker names and reporting verbs, not by a "
    "trained model: **{speech}** quotations of reported speech, **{unmarked}** of them set off without "
    "quotation marks (a paragraph followed by the speaker's name and title), **{unattributed}** with no "
    "speaker found, and **{problems}** quotation marks that did not pair up. Reported speech without "
    "marks (\"she said Russia would ...\") is not a quotation to these rules, so quoted shares count "
    "marked speech only, and a speaker the rules cannot name is counted as unattributed.",
    speech=limits["reported_speech"], unmarked=limits["unmarked"], unattributed=limits["unattributed"],
    problems=limits["quote_problems"],
)

# %% [markdown]
# ### VADER sees a small part of the text

# %%
show(
    "VADER has a rating for **{known}** of **{tokens}** word tokens ({share}); **{unknown}** of the "
    "codebook's **{terms}** terms are not in its list at all, so the words this study is about barely "
    "move its scores. It cannot tell whom a sentiment is about, reads diplomatic language at face value, "
    "and was built on social media posts and product reviews, not news.",
    known=limits["tokens_in_vader"], tokens=limits["tokens"],
    share=Safe(f"{limits['share_in_vader']:.0%}" if limits["tokens"] else "n/a"),
    unknown=limits["terms_unknown_to_vader"], terms=limits["codebook_terms"],
)

# %% [markdown]
# ### Wire copy and republished text
#
# Outlets reprint agency copy and each other. Sentences shared near-verbatim between
# outlets of the corpus are flagged (notebook 5), but copy from a source outside the
# corpus cannot be seen without that source: an outlet's "word choice" may then be the
# agency's. The metadata notes record what is known about each article's sources.

# %%
show("Sentences flagged as shared near-verbatim copy between outlets of the corpus: **{n}**.",
     n=limits["shared_copy_sentences"])
study.articles[["outlet", "headline", "notes"]]

# %% [markdown]
# ### What these data cannot support
#
# - Claims about an outlet's habits, a country's media or any group of media: each outlet
#   is represented by the few articles of this corpus, about one event.
# - Claims about intent or bias: the measures count words, quotations and scores; why a
#   writer chose them is not in the data.
# - Causal claims (an outlet framed the talks this way *because* of its owner or country).
# - Significance tests across the many comparisons above: the intervals are per finding,
#   and many findings are compared at once.
# - Sentiment as a measure of stance: VADER scores words it knows, sentence by sentence.
#
# What the data do support: a careful, traceable description of how these articles worded
# one event, which words, voices, names and facts each used or left out, with every number
# pointing back to the sentences that a reader can check.

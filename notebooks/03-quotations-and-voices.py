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
# # 3. Quotations and voices
#
# Whose words each outlet quotes, in which form (full statements, fragments, scare quotes)
# and with which reporting verbs, with every quotation listed beside the reason the
# program gave for its kind and speaker. Counts stand beside rates and shares with their
# 95% intervals; a few long quotations can decide a whole outlet's balance of voices.
#
# **Reads:** `corpus/metadata.csv`, the raw article files, the codebook.
# **Writes:** `figures/quotation-kinds-by-outlet.*`, `figures/quoted-voices-by-side.*`,
# `figures/reporting-verbs-by-speaker.*`.

# %% tags=["parameters"]
corpus_dir = "../corpus"
codebook_path = "../codebook/geneva-2022.yaml"
figures_dir = "../figures"
reports_dir = "../reports"

# %%
import pandas as pd
from IPython.display import display

from analysis import figures
from analysis.narrative import fmt_interval, fmt_list, fmt_rate, show, start_notebook
from analysis.quotes import quote_kind_counts, with_sentences
from analysis.stats import MIN_CLUSTERS
from analysis.voices import quoted_words, verbs_by_speaker

study, codebook, colours = start_notebook(corpus_dir, codebook_path)
quotes, sentences = study.quotes, study.sentences
outlets = sorted(study.articles.outlet)

# %% [markdown]
# ## How quotations are found
#
# The program reads each paragraph, pairs its quotation marks (straight `"`, curly `“ ”`,
# single `‘ ’` usually inside double ones; apostrophes as in "Russia's" or "don’t" are told
# apart) and gives every quotation one of three **kinds** (examples from the seed articles):
#
# - **direct**: a full reported statement ("We will not allow anyone to slam closed NATO's
#   open door policy," she said);
# - **partial**: someone's words woven into the writer's own sentence (Ryabkov called on
#   the US to be "responsible");
# - **scare**: a word set in quotes to keep distance from it, not to report speech (a
#   possible "invasion"). Notebook 2 lists which words each outlet treats this way.
#
# The **speaker** is a person or party of the codebook, found from the attribution around
# the quotation: "Ryabkov stressed", ", she said", "the President said", "According to
# him". A pronoun goes to the last person named before it whose gender the texts show
# (from phrases like "Wendy Sherman said she"). The rules are written by hand; there is no
# trained model, and every quotation carries a `reason` saying which rule decided its kind
# and speaker, so each one can be checked against its sentence (the full list closes this
# notebook).
#
# **How good are the rules?** The test suite scores them against hand labels of every
# quotation in the seed articles (labels in `tests/quote_gold.py`, scores in
# `tests/test_quotes.py`): for each kind, the share of the program's labels that are right
# (precision) and the share of hand labels it finds (recall); the same for speakers. Run
# `pytest tests/test_quotes.py -s` to print the current values. They are not recomputed
# here: hand labels exist for the seed articles only, and on any other corpus the program's
# labels are unchecked until someone reads the `reason` column against the text.

# %%
pd.crosstab(quotes.kind, quotes.marks, margins=True, margins_name="all")

# %% [markdown]
# ### Statements without quotation marks
#
# Some pages set statements off without any quotation marks: a paragraph of the speaker's
# words, then a line naming the speaker and their office (in a seed article: "Sergey
# Ryabkov Deputy Foreign Minister of Russia"). The sentence splitter marks such speaker lines
# (`is_attribution` in the sentences table) and the quotation finder takes the paragraph
# before each as a direct quotation of that speaker, with `marks` = `unmarked`. Without
# this rule those statements would be read as the writer's own words.

# %%
unmarked = quotes[quotes.marks == "unmarked"]
speaker_lines = sentences[sentences.is_attribution]
if unmarked.empty:
    show("No article in this corpus sets statements off this way.")
else:
    show("**{n}** statements in {outlets} are set off this way; the corpus has **{lines}** speaker lines:",
         n=len(unmarked), outlets=fmt_list(sorted(unmarked.outlet.unique())), lines=len(speaker_lines))
    display(speaker_lines[["outlet", "sentence_index", "text"]])
    show("The statements before them, as the quotations table records them:")
    display(unmarked[["outlet", "sentence_index", "speaker", "text", "reason"]])

# %% [markdown]
# A quotation mark without its partner is reported, never silently dropped:

# %%
problems = quotes[quotes.problem != ""]
if problems.empty:
    show("Every quotation mark in the corpus has its partner.")
else:
    display(problems[["outlet", "sentence_index", "marks", "text", "problem"]])

# %% [markdown]
# ## Quotation kinds per outlet
#
# How often each outlet quotes, per 1,000 words of its article, with 95% intervals (exact
# Poisson). `quoted_words` counts the words inside the marks: one long statement and one
# quoted word both count as one quotation. In the figure each outlet has one row; its
# label gives the count of each kind (`n`), and the markers show the rates with their
# intervals.

# %%
kinds = quote_kind_counts(quotes, sentences)
kinds

# %%
fig = figures.plot_interval_dots(kinds, label="Quotations per 1,000 words", estimate="rate_per_1000",
                                 low="rate_low", high="rate_high", n="count", hue="kind", colours=colours,
                                 width="single")
fig

# %%
figures.save_figure(
    fig, "quotation-kinds-by-outlet", data=kinds, out_dir=figures_dir,
    caption="Direct, partial and scare quotations per outlet: counts and rates per 1,000 words with 95% intervals.",
)

# %%
for kind, rows in kinds.groupby("kind"):
    if rows["count"].sum() == 0:
        show("**{kind}** quotations: none in any outlet.", kind=kind)
        continue
    most = rows.loc[rows.rate_per_1000.idxmax()]
    show("**{kind}** quotations are most frequent in **{outlet}**: {rate}. Outlets with none: {none}.",
         kind=kind, outlet=most.outlet, none=fmt_list(rows.loc[rows["count"] == 0, "outlet"]),
         rate=fmt_rate(most["count"], most.words, most.rate_per_1000, most.rate_low, most.rate_high))

# %% [markdown]
# With a few hundred words per outlet, a rate rests on a handful of quotations and the
# intervals are wide; a zero count still allows a rate of several per 1,000 words. Read the
# figure as what these articles did, not as each outlet's habit.

# %% [markdown]
# ## Whose voices each outlet quotes
#
# Here only reported speech counts: direct and partial quotations, the outermost ones (a
# quotation nested in another is part of it). Scare quotes are left out, as they report no
# one's speech. A quotation whose speaker was not found counts as `(unattributed)`, and its
# side as `(unknown)`. Each speaker belongs to a **side** in the codebook.
#
# The **share** is the part of the outlet's quoted words spoken by a speaker or side, with
# a 95% Wilson interval. The words of one statement are one speaker's: they come as one
# draw, not many, and one long statement can make a side's share. So the interval is
# computed for the outlet's quotations, not its words: for Kish's effective number of
# quotations (`effective_quotes`, the square of the words quoted over the sum of each
# quotation's words squared), which is the number of quotations when they are of equal
# length and little more than one when a single statement dominates.
#
# An outlet's articles may also differ in whom they quote. Where an outlet has enough
# articles with quotations, the interval is widened by how much the shares differ between
# them (`design_effect`, at least 1, and 1 where there are too few articles to tell).

# %%
by_speaker = quoted_words(quotes, codebook, by="speaker")
show("Outlets with at least **{least}** articles with quotations, whose intervals take the spread "
     "between articles into account: **{clustered}** of **{outlets}**.", least=MIN_CLUSTERS,
     clustered=by_speaker.loc[by_speaker.n_articles >= MIN_CLUSTERS, "outlet"].nunique(),
     outlets=by_speaker.outlet.nunique())
by_speaker[by_speaker.quotes > 0][["outlet", "speaker", "side", "quotes", "words", "outlet_words",
                                   "effective_quotes", "n_articles", "design_effect", "share", "share_low",
                                   "share_high"]]

# %% [markdown]
# Quoted words per speaker (rows) and outlet (columns); a zero means the outlet does not
# quote that speaker, though it may report what they said in its own words (see the
# reporting verbs below).

# %%
by_speaker.pivot_table(index=["side", "speaker"], columns="outlet", values="words", aggfunc="sum")

# %%
by_side = quoted_words(quotes, codebook, by="side")
side_words = by_side.groupby("side").words.sum().sort_values(ascending=False, kind="stable")
plotted_sides = side_words[side_words > 0].index[:5]  # five markers at most can be told apart
by_side[by_side.side.isin(plotted_sides)]

# %% [markdown]
# In the figure each outlet has one row; its label gives the number of quoted words of
# each side (`n`), and the markers show each side's share of the outlet's quoted words
# with its interval. An outlet that quotes no one has no markers.

# %%
if plotted_sides.empty:
    show("No outlet in this corpus quotes anyone, so there is no figure to draw.")
    fig = None
else:
    fig = figures.plot_interval_dots(by_side[by_side.side.isin(plotted_sides)],
                                     label="Share of the outlet's quoted words (n = quoted words)", estimate="share",
                                     low="share_low", high="share_high", n="words", hue="side", colours=colours,
                                     width="single")
fig

# %%
if fig is not None:
    figures.save_figure(
        fig, "quoted-voices-by-side", data=by_side, out_dir=figures_dir,
        caption="Whose words each outlet quotes: quoted words by side, counts beside shares with 95% intervals.",
    )

# %%
show("Sides left out of the figure (never quoted, or beyond the five most quoted): {left}.",
     left=fmt_list(side_words.index.difference(plotted_sides).sort_values()))
for outlet, rows in by_side[by_side.outlet_words > 0].groupby("outlet"):
    top = rows.loc[rows.words.idxmax()]
    show("**{outlet}**: **{words}** quoted words (quotations: **{quotes}**); the side quoted most is **{side}**, "
         "with a share of {share}.", outlet=outlet, words=int(top.outlet_words), quotes=int(rows.quotes.sum()),
         side=top.side, share=fmt_interval(top.share, top.share_low, top.share_high, n=int(top.outlet_words)))
show("Outlets that quote no one: {none}.", none=fmt_list(sorted(set(by_side.loc[by_side.outlet_words == 0, "outlet"]))))

# %% [markdown]
# ## Reporting verbs: who "stressed" and who "claimed"
#
# The verb that introduces someone's words lends them a stance: "Ryabkov said" reports,
# "Ryabkov stressed" makes the speaker firm, "Sherman claimed" casts doubt. The codebook sorts reporting verbs into
# **stances**, defined below. Every "speaker + verb" in the articles is counted here,
# whether it introduces a quotation or the writer's paraphrase ("Russia denies plans to
# attack Ukraine"); attributions inside someone else's quotation are not. Speakers named
# by a pronoun ("she said") are resolved to the person named before, as for quotations;
# `(unresolved)` marks a pronoun with no one to refer to.

# %%
codebook.verbs_table().groupby(["stance", "definition"], sort=False).verb.agg(", ".join).rename("verbs").to_frame()

# %%
verbs = verbs_by_speaker(study.speech_acts)
if verbs.empty:
    show("No reporting verb of the codebook follows a speaker in this corpus, so there is no figure to draw.")
    fig = None
else:
    stance_matrix = (verbs.assign(row=verbs.speaker + ": " + verbs.stance)
                     .pivot_table(index="row", columns="outlet", values="count", aggfunc="sum", fill_value=0)
                     .reindex(columns=outlets, fill_value=0))
    fig = figures.plot_heatmap(stance_matrix, label="Attributions (speaker + reporting verb)", colours=colours,
                               width="double")
fig

# %%
if fig is not None:
    figures.save_figure(
        fig, "reporting-verbs-by-speaker", data=verbs, out_dir=figures_dir,
        caption="How each outlet reports each speaker: attributions by the stance of the reporting verb.",
    )

# %% [markdown]
# The verbs themselves, with how often each outlet uses them for each speaker:

# %%
(verbs.assign(verbs=verbs.verb + " ×" + verbs["count"].astype(str))
 .groupby(["speaker", "stance", "outlet"]).verbs.agg(", ".join).unstack("outlet", fill_value=""))

# %%
first_stance = codebook.stances[0].name if codebook.stances else ""
coloured = study.speech_acts[study.speech_acts.stance != first_stance]
show(
    "**{n}** attributions in all, **{coloured}** of them with a verb of another stance than "
    "*{first}* (the codebook's first stance): {outlets}. With so few attributions per speaker, "
    "a single verb changes the picture; read them in their sentences below.",
    n=len(study.speech_acts), coloured=len(coloured), first=first_stance,
    outlets=fmt_list(f"{outlet} {count}" for outlet, count in
                     coloured.groupby("outlet").size().reindex(outlets, fill_value=0).items()),
)

# %% [markdown]
# **Evidence.** Every attribution with its sentence (`via` says whether the speaker was
# named, referred to by a pronoun, or by a title such as "the President"):

# %%
study.speech_acts.sort_values(["stance", "speaker", "outlet"], kind="stable")[
    ["outlet", "sentence_index", "match", "speaker", "stance", "via", "sentence"]]

# %% [markdown]
# ## Evidence: every quotation and why it got its kind
#
# One row per quotation, in the order of the articles: the quoted words, the kind, the
# speaker and the verb, and the rule that decided (`reason`). Read a few against their
# sentences before trusting the counts above; the full table, with character offsets into
# the cleaned text, is `corpus/processed/quotes.csv`.

# %%
quote_evidence = with_sentences(quotes, sentences)
quote_evidence[["outlet", "sentence_index", "kind", "marks", "speaker", "verb", "text", "reason", "sentence"]]

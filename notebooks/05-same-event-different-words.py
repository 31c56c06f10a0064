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
# # 5. Same event, different words
#
# Sentences of different outlets that report the same thing, set side by side with their
# word-level differences; the copy outlets share near-verbatim; and which key facts each
# outlet reported and which it left out, each traced to its sentences.
#
# **Reads:** `corpus/metadata.csv`, the raw article files, the codebook.
# **Writes:** `figures/same-fact-different-words.*`, `figures/fact-coverage-by-outlet.*`.

# %% tags=["parameters"]
corpus_dir = "../corpus"
codebook_path = "../codebook/geneva-2022.yaml"
figures_dir = "../figures"
reports_dir = "../reports"

# %%
import inspect

from IPython.display import display

from analysis import alignment, figures, findings, stats
from analysis.narrative import fmt_interval, fmt_list, fmt_number, show, start_notebook

study, codebook, colours = start_notebook(corpus_dir, codebook_path)
sentences = study.sentences

# %% [markdown]
# ## Which sentences report the same thing
#
# Two sentences of different outlets are **aligned** when they share enough informative
# words. Each sentence becomes a list of its words and two-word sequences (stemmed, so
# "meeting" meets "meet"; common words such as "the" left out), each weighted by how rare it
# is in the corpus (TF-IDF: a word found in few sentences says more about which sentences
# belong together). The **similarity** of two sentences is the cosine of their weighted
# lists, from 0 (nothing shared) to 1 (the same words). For every sentence and every other
# outlet the most similar sentence is kept when the similarity reaches the threshold below.
#
# Speaker lines (a name and a title under a statement) are left out first: they match each
# other on the name and the title alone. Similar words do not guarantee the same fact:
# two sentences naming the same minister with the same title can align while reporting
# different things. Read each pair.

# %%
min_similarity = inspect.signature(findings.content_alignment).parameters["min_similarity"].default
pairs = study.alignment  # computed once by the pipeline: findings.content_alignment(sentences)
PAIRS_SHOWN = 10
ranked = findings.aligned_pairs_with_diffs(pairs, sentences, k=PAIRS_SHOWN)  # the texts are joined for these only
show(
    "Similarity threshold **{threshold}**: **{n}** aligned pairs between **{links}** pairs of outlets, out of "
    "**{scored}** cross-outlet sentence pairs that shared at least one informative word.",
    threshold=fmt_number(min_similarity), n=len(pairs),
    links=len(pairs[["outlet_a", "outlet_b"]].drop_duplicates()), scored=pairs.attrs.get("candidate_pairs", 0),
)

# %% [markdown]
# ## Same fact, different words
#
# For each pair, the sentence of the first outlet is printed with the words the second
# outlet's sentence lacks in `[-brackets]` and the words it adds in `[+brackets]`; unmarked
# words are shared. The most similar pairs come first.

# %%
if ranked.empty:
    show("No two sentences of different outlets reach the similarity threshold in this corpus, "
         "so there are no aligned pairs to compare and no figure.")
else:
    display(ranked[["outlet_a", "outlet_b", "similarity", "difference"]])

# %%
PAIRS_IN_FIGURE = 5
if ranked.empty:
    fig = None
else:
    top_pairs = ranked.head(PAIRS_IN_FIGURE)
    pair_table = top_pairs[["outlet_a", "outlet_b"]].assign(
        similarity=top_pairs.similarity.map("{:.2f}".format), difference=top_pairs.difference,
    ).rename(columns={"outlet_a": "outlet", "outlet_b": "compared with",
                      "difference": "the outlet's sentence: [-words the other lacks] [+words it adds]"})
    fig = figures.plot_table_figure(pair_table, colours=colours, colour_column="outlet", width="double")
fig

# %%
if fig is not None:
    figures.save_figure(
        fig, "same-fact-different-words", data=top_pairs, out_dir=figures_dir,
        caption="The most similar sentence pairs of different outlets, with the words one drops and the other adds.",
    )

# %% [markdown]
# How the difference is found, on the most similar pair: the two sentences are cut into
# words, compared ignoring case, and the longest runs of shared words are matched
# (Python's `difflib`). Each row is one run: `equal` (shared), `delete` (only in the first
# sentence), `insert` (only in the second) or `replace` (different words in the same place).

# %%
if ranked.empty:
    show("There is no aligned pair to take apart.")
else:
    best = ranked.iloc[0]
    show("**{a}**: {text_a}\n\n**{b}**: {text_b}", a=best.outlet_a, text_a=best.text_a, b=best.outlet_b,
         text_b=best.text_b)
    display(alignment.word_diff(best.text_a, best.text_b)[["op", "text_a", "text_b"]])

# %% [markdown]
# ## Shared near-verbatim copy
#
# Outlets often print the same agency copy. A sentence is flagged as **shared copy** when
# most of its three-word sequences also occur in one sentence of another outlet
# (containment: shared sequences divided by those of the shorter sentence); very short
# sentences are never flagged. Shared copy says nothing about the outlet's own choices, so
# measures can leave it out: `analysis.keyness.term_counts(sentences, exclude=study.shared_copy.is_shared_copy)`
# counts words without it.

# %%
copy_threshold = inspect.signature(alignment.shared_copy).parameters["min_similarity"].default
flagged = study.shared_copy[study.shared_copy.is_shared_copy]
if flagged.empty:
    show("No sentence is shared near-verbatim between outlets (containment of at least **{threshold}**) in "
         "this corpus, so no measure needs to leave any out. Copy taken from a source outside the corpus "
         "(a wire story no other outlet here printed) cannot be found this way; the closest pairs are "
         "below.", threshold=fmt_number(copy_threshold))
else:
    show("**{n}** sentences in **{outlets}** outlets are shared near-verbatim (containment of at least "
         "**{threshold}**): {names}.", n=len(flagged), outlets=flagged.outlet.nunique(),
         threshold=fmt_number(copy_threshold), names=fmt_list(sorted(flagged.outlet.unique())))

# %%
closest = findings.closest_shared_sentences(study.shared_copy, sentences, k=5)
if closest.empty:
    show("No two sentences of different outlets share even one three-word sequence.")
else:
    display(closest[["similarity", "is_shared_copy", "outlet", "text", "matched_outlet", "matched_text"]])

# %% [markdown]
# ## Which facts each outlet reported
#
# Facts come from two places. The codebook lists **key facts** of the event by hand, each
# with the phrases that report it.
# **Aligned facts** come from the pairs above: each is a best-linked sentence and the
# sentences aligned with it, labelled `A<number>:` and the sentence most similar to the rest
# of its group. In
# the matrix each cell counts the outlet's sentences reporting the fact; 0 means the outlet
# did not report it in these words. A codebook fact that no outlet reported is a row of
# zeros.

# %%
matrix, fact_evidence = alignment.fact_coverage(sentences, codebook=codebook, pairs=pairs)
coverage = matrix.droplevel("source")
if coverage.empty:
    show("The codebook lists no facts and no sentences align, so there is no fact matrix to draw.")
    fig = None
else:
    fig = figures.plot_heatmap(coverage, label="Sentences reporting the fact", colours=colours, width="double")
fig

# %%
if fig is not None:
    figures.save_figure(
        fig, "fact-coverage-by-outlet", data=matrix.reset_index(), out_dir=figures_dir,
        caption="Key facts (codebook) and aligned facts reported by each outlet: number of sentences.",
    )

# %%
aligned_sizes = fact_evidence[fact_evidence.source == "alignment"].groupby("term").size()
show(
    "Aligned facts: **{n}**, the largest linking **{largest}** of the **{total}** sentences. Each is a "
    "sentence and those aligned with it directly (a few two links away), so groups stay small however "
    "large the corpus. Connected groups of aligned pairs (`grouping=\"components\"`) chain instead (A is "
    "like B, B like C, ...) until one holds much of a large corpus; `fact_coverage` then warns when one "
    "holds more than {share} of the sentences (and more than {minimum}). Codebook facts do not chain.",
    n=len(aligned_sizes), largest=int(aligned_sizes.max()) if len(aligned_sizes) else 0, total=len(sentences),
    share=f"{alignment.CHAINED_FACT_SHARE:.0%}", minimum=alignment.CHAINED_FACT_MIN_SENTENCES,
)

# %% [markdown]
# **Evidence.** One sentence per fact and outlet (the full list, with character offsets, is
# the `fact_evidence` table); `match` is the phrase that matched a codebook fact, or the
# whole sentence for an aligned fact.

# %%
fact_evidence.drop_duplicates(["fact", "outlet"])[["fact", "outlet", "sentence_index", "match", "sentence"]]

# %% [markdown]
# ## What each outlet left out
#
# A fact is **left out** by an outlet when at least one other outlet reported it and this
# one did not, in the words the codebook or the alignment can see. An outlet may report a
# fact in words neither recognises, so read a gap as "not found", then check the article.

# %%
left_out = findings.facts_left_out(matrix)
left_out[["outlet", "fact", "n_other_outlets", "other_outlets"]]

# %%
per_outlet = left_out.groupby("outlet").size().reindex(sorted(sentences.outlet.unique()), fill_value=0)
nobody = matrix.index[matrix.sum(axis=1) == 0].get_level_values("fact")
articles_per_outlet = study.articles.groupby("outlet").size()
show(
    "Facts left out per outlet: {counts}. Codebook facts no outlet reported: {nobody}. Outlets with a "
    "single article: **{single}** of **{outlets}**. For them a fact left out is that article's choice, "
    "or its length, not the outlet's habit.",
    counts=fmt_list(f"{outlet} {count}" for outlet, count in per_outlet.items()), nobody=fmt_list(nobody),
    single=int((articles_per_outlet == 1).sum()), outlets=len(articles_per_outlet),
)

# %% [markdown]
# ## How often each outlet's articles report each fact
#
# With many articles per outlet, "left out" (no article of the outlet reports the fact)
# says little; the share of the outlet's articles that report a fact says more. Articles are
# the units here (an article reporting a fact in three sentences counts once), and each
# share has a 95% Wilson interval over the outlet's articles.

# %%
fact_shares = findings.fact_article_shares(matrix, fact_evidence, sentences)
none_of_one, one_of_one = stats.proportion_ci(0, 1), stats.proportion_ci(1, 1)
show(
    "Articles per outlet: {counts}. With one article an outlet's share of a fact is {none} when the "
    "article leaves the fact out and {one} when it reports it. Such shares only say something where an "
    "outlet has many articles.",
    counts=fmt_list(f"{outlet} {count}" for outlet, count in articles_per_outlet.items()),
    none=fmt_interval(none_of_one.share, none_of_one.low, none_of_one.high),
    one=fmt_interval(one_of_one.share, one_of_one.low, one_of_one.high),
)
fact_shares[["fact", "outlet", "articles", "reporting", "share", "share_low", "share_high"]]

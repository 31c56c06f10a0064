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
# # 4. Sentiment
#
# How positive or negative each outlet's sentences read to VADER, a word-list sentiment
# scorer, in the outlet's own words and in the words it quotes, about each actor, and in
# headline and lead, beside what the instrument cannot see. Every mean comes with its
# number of sentences and a 95% interval, and the sentences behind the extremes are shown
# for you to judge.
#
# **Reads:** `corpus/metadata.csv`, the raw article files, the codebook.
# **Writes:** `figures/sentiment-by-outlet-and-voice.*`, `figures/sentiment-by-actor.*`.

# %% tags=["parameters"]
corpus_dir = "../corpus"
codebook_path = "../codebook/geneva-2022.yaml"
figures_dir = "../figures"
reports_dir = "../reports"

# %%
import pandas as pd

from analysis import figures, findings, sentiment
from analysis.narrative import Safe, fmt_interval, fmt_list, fmt_number, show, start_notebook

study, codebook, colours = start_notebook(corpus_dir, codebook_path)
scores, voice_scores = study.sentence_scores, study.voice_scores

# %% [markdown]
# ## How sentiment is measured
#
# **VADER** (Hutto & Gilbert 2014) is a list of about 7,500 English words, each rated by
# people from −4 (very negative) to +4 (very positive), plus rules for negation ("not
# good"), intensifiers ("very"), capital letters, exclamation marks and "but". For a piece
# of text it adds up the ratings of the words it knows and squashes the sum into the
# **compound** score, from −1 to +1. VADER's authors call a text positive from +0.05 and
# negative from −0.05; in between it is neutral.
#
# Each **sentence** is scored on its original text, exactly as printed: lower-casing or
# stripping punctuation would change the score, because VADER reads capitals and "!" as
# emphasis. A whole article is never scored at once. The squashing function reaches ±1
# quickly: a long text adds up many small ratings, so its compound drifts to the end of the
# scale whatever its tone, and articles of different length stop being comparable. The
# table shows this on the corpus: the whole article scored at once next to the mean of its
# sentences.

# %%
whole_article = sentiment.score_sentences(study.articles.text)
saturation = study.articles[["article_id", "outlet", "n_words"]].assign(whole_article_compound=whole_article.compound.to_numpy())
saturation = saturation.merge(sentiment.summarise(scores, by="article_id")[["article_id", "n", "mean_compound"]], on="article_id")
saturation = saturation.rename(columns={"n": "sentences", "mean_compound": "mean_sentence_compound"})
saturation

# %%
extreme_articles = (saturation.whole_article_compound.abs() >= 0.9).sum()
show(
    "Scored whole, **{k}** of **{n}** articles land beyond ±0.9, near the end of the scale, while the "
    "mean sentence score of every article lies between **{low}** and **{high}**. The sentence scores "
    "are the ones used below.",
    k=int(extreme_articles), n=len(saturation), low=fmt_number(saturation.mean_sentence_compound.min()),
    high=fmt_number(saturation.mean_sentence_compound.max()),
)

# %% [markdown]
# ## Sentence sentiment per outlet, in the outlet's voice and in quoted voices
#
# Whose sentiment is it? A sentence that quotes a minister carries the minister's words.
# Each sentence is therefore also cut into **narrator** text (the outlet's own words) and
# **quoted** text (inside direct quotations and partial quotes, marks included); each part
# is scored on its own. Scare quotes stay narrator text: the marks are the writer's, and so
# is the choice of word. A sentence without quotations is narrator text only, so the
# narrator n is close to the number of sentences and the quoted n is small. Cutting a
# sentence loses VADER rules that reach across the cut, such as a "not" just before a
# quotation.
#
# The table gives each outlet's mean compound with its 95% bootstrap interval (from
# resampling the outlet's sentences, seeded so reruns agree), the number of sentences `n`,
# and how many of them VADER calls positive and negative.

# %%
whole = sentiment.summarise(scores.assign(voice="whole sentences"), by=["outlet", "voice"])
by_voice = pd.concat([whole, sentiment.summarise(voice_scores, by=["outlet", "voice"])], ignore_index=True)
by_voice[["outlet", "voice", "n", "mean_compound", "compound_low", "compound_high", "n_positive", "n_negative"]]

# %% [markdown]
# In the figure each outlet has one row, with a dot and its interval for whole sentences,
# narrator text and quoted text (markers in the legend); the dashed line is neutral. An
# interval that crosses the line cannot tell the outlet's tone from neutral, and two
# intervals that overlap widely do not show a difference.

# %%
fig = figures.plot_interval_dots(by_voice, label="Mean VADER compound", hue="voice",
                                 estimate="mean_compound", low="compound_low", high="compound_high",
                                 colours=colours, reference=0, width="single")
fig

# %%
figures.save_figure(
    fig, "sentiment-by-outlet-and-voice", data=by_voice, out_dir=figures_dir,
    caption="Mean VADER compound of sentences per outlet: whole sentences, the outlet's own words and quoted words, with 95% bootstrap intervals.",
)

# %%
whole_rows = by_voice[by_voice.voice == "whole sentences"].set_index("outlet")
lowest, highest = whole_rows.mean_compound.idxmin(), whole_rows.mean_compound.idxmax()
below_zero = whole_rows.index[whole_rows.compound_high < 0]
above_zero = whole_rows.index[whole_rows.compound_low > 0]
show(
    "Lowest mean: **{lowest}**, {low}. Highest: **{highest}**, {high}. Outlets whose interval lies wholly "
    "below neutral: {below}; wholly above: {above}. The two extremes' intervals {verdict}.",
    lowest=lowest, highest=highest,
    low=fmt_interval(*whole_rows.loc[lowest, ["mean_compound", "compound_low", "compound_high"]],
                     n=int(whole_rows.loc[lowest, "n"])),
    high=fmt_interval(*whole_rows.loc[highest, ["mean_compound", "compound_low", "compound_high"]],
                      n=int(whole_rows.loc[highest, "n"])),
    below=fmt_list(below_zero), above=fmt_list(above_zero),
    verdict=Safe("overlap, so even this gap may be chance"
                 if whole_rows.loc[lowest, "compound_high"] >= whole_rows.loc[highest, "compound_low"]
                 else "do not overlap"),
)

# %%
quoted_n = (by_voice[by_voice.voice == "quoted"].set_index("outlet").n
            .reindex(sorted(scores.outlet.unique()), fill_value=0))
show(
    "Sentences with quoted words, per outlet: {counts}. Where there are only a few, the quoted mean is "
    "the tone of one or two quotations, not an outlet's habit; read those sentences rather than trust "
    "the mean.",
    counts=fmt_list(f"{outlet} {int(n)}" for outlet, n in quoted_n.items()),
)

# %% [markdown]
# ## Sentiment about each actor
#
# **Actor-targeted sentiment** here is the mean compound of the sentences that mention an
# actor (by any alias in the codebook, such as a capital city standing for its government).
# This is a crude measure: VADER scores the sentence, not what it says about the actor, so
# a sentence in which one party denies planning to attack another is negative for both,
# and a sentence naming two actors counts for both. The figure shows the three actors
# mentioned most often across the corpus (one marker each); the table after it has every actor.

# %%
actor_rows = sentiment.actor_sentences(scores, study.evidence)
by_actor = sentiment.actor_sentiment(scores, study.evidence)
mentions = actor_rows.groupby("actor").size().sort_values(ascending=False, kind="stable")
ACTORS_IN_FIGURE = 3  # more markers per row could no longer be told apart at print size
top_actors = mentions.index[:ACTORS_IN_FIGURE].tolist()
shown_actors = by_actor[by_actor.actor.isin(top_actors)]
if shown_actors.empty:
    show("No codebook actor is mentioned in this corpus, so there is no actor sentiment to show.")
    fig = None
else:
    fig = figures.plot_interval_dots(shown_actors, label="Mean VADER compound",
                                     hue="actor", estimate="mean_compound", low="compound_low",
                                     high="compound_high", colours=colours, reference=0, width="single")
fig

# %%
if fig is not None:
    figures.save_figure(
        fig, "sentiment-by-actor", data=shown_actors, out_dir=figures_dir,
        caption="Mean VADER compound of the sentences mentioning each of the most mentioned actors, per outlet, with 95% bootstrap intervals.",
    )

# %%
by_actor[["outlet", "actor", "n", "mean_compound", "compound_low", "compound_high", "n_positive", "n_negative"]]

# %%
show(
    "Actors shown: {actors}. Most cells rest on a handful of sentences (median n = **{median}**), so "
    "the intervals are wide; an n of 1 is one sentence's score, not a tendency.",
    actors=fmt_list(top_actors), median=fmt_number(float(by_actor.n.median()) if len(by_actor) else float("nan")),
)

# %% [markdown]
# **Evidence.** For each actor in the figure, the most negative and the most positive
# sentence mentioning it (any outlet). Read them: is the sentiment about the actor, or about
# something else in the sentence?

# %%
actor_extremes = findings.extreme_sentences(actor_rows[actor_rows.actor.isin(top_actors)], by="actor")
actor_extremes[["actor", "extreme", "outlet", "sentence_index", "compound", "text"]]

# %% [markdown]
# ## Headline and lead against the rest
#
# Readers who skim see the headline and the first sentences. Is their tone different from
# the body's? **Headline** is the headline sentence, **lead** the first two sentences after
# it, **body** the rest. A headline is one sentence, so its "mean" is that sentence's score
# and its interval has no width; an article whose headline is not in its text has no
# headline row.

# %%
positions = sentiment.position_sentiment(scores)
positions[["outlet", "position", "n", "mean_compound", "compound_low", "compound_high"]]

# %%
position_means = positions.pivot(index="outlet", columns="position", values="mean_compound")
no_headline = sorted(set(scores.outlet) - set(positions.loc[positions.position == "headline", "outlet"]))
lead_vs_body = (position_means["lead"] - position_means["body"]).dropna() if {"lead", "body"} <= set(position_means) else pd.Series(dtype=float)
show(
    "The lead reads more positive than the body in **{up}** of **{n}** outlets and more negative in "
    "**{down}**. With two sentences in a lead, these are differences between single sentences, to read "
    "rather than to generalise. No headline in the text: {none}.",
    up=int((lead_vs_body > 0).sum()), down=int((lead_vs_body < 0).sum()), n=len(lead_vs_body),
    none=fmt_list(no_headline),
)

# %% [markdown]
# ## What VADER can see, and what it cannot
#
# VADER only scores words in its list; every other word counts as neutral. **Lexicon
# coverage** is the share of an outlet's word tokens that VADER has a rating for, with a 95%
# Wilson interval. `n_hidden_by_marks` counts words VADER misses only because a curly quote
# mark is glued to them (“lost” is one token to VADER, not the word lost).

# %%
coverage = sentiment.lexicon_coverage(study.sentences)
coverage.merge(whole.drop(columns="voice")[["outlet", "n", "mean_compound", "compound_low", "compound_high"]], on="outlet")

# %%
overall = coverage[["n_tokens", "n_in_lexicon", "n_hidden_by_marks"]].sum()
show(
    "VADER has a rating for **{k}** of **{n}** word tokens ({share} of the text); the other words count "
    "as neutral. **{hidden}** tokens are hidden from it by a glued quotation mark.",
    k=int(overall.n_in_lexicon), n=int(overall.n_tokens),
    share=Safe(f"{overall.n_in_lexicon / overall.n_tokens:.0%}" if overall.n_tokens else "n/a"),
    hidden=int(overall.n_hidden_by_marks),
)

# %% [markdown]
# The words this study is about are often not in VADER's list. The table gives, for every
# codebook term, whether VADER rates any of its word forms and with which rating
# (`in_vader` False means the term is invisible to the scores). A pattern written as a
# regular expression cannot be looked up and is listed as not in VADER, to check by hand.

# %%
vader_terms = sentiment.unknown_codebook_terms(codebook, include_known=True)
vader_terms.groupby(["category", "term"], sort=False).agg(
    in_vader=("in_vader", "any"),
    vader_words=("vader_words", lambda words: "; ".join(sorted(set(w for w in words if w)))),
).reset_index()

# %%
term_vader = vader_terms.groupby(["category", "term"], sort=False).in_vader.any().reset_index()
show(
    "**{unknown}** of **{total}** codebook terms are invisible to VADER: {names}. A sentence built on "
    "one of them is scored only on its other words.",
    unknown=int((~term_vader.in_vader).sum()), total=len(term_vader),
    names=fmt_list(term_vader.loc[~term_vader.in_vader, "term"]),
)

# %% [markdown]
# What the instrument cannot see, beyond missing words: **whom** a sentiment is about (the
# actor scores above are sentences, not targets); **who** speaks (the voice split relies on
# quotation marks; reported speech without them is narrator text); **irony, diplomatic
# understatement and context** (talks called "frank" usually signal disagreement, yet the
# word is positive to VADER); and words whose rating does not fit the subject (to VADER
# "security" is positive and "attack" negative, whatever the sentence says about them).
# VADER was built on social media posts and product reviews, not on news about diplomacy.
# Read its scores as a rough signal to check against the sentences.

# %% [markdown]
# ## The most negative and most positive sentences of each outlet
#
# The sentences behind the means, for you to check: do you agree with VADER's reading?
# Only sentences VADER calls negative (compound −0.05 or below) or positive (+0.05 or
# above) are listed.

# %%
findings.extreme_sentences(scores)[["outlet", "extreme", "compound", "sentence_index", "text"]]

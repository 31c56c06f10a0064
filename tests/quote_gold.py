"""Hand labels of every quotation in the five seed articles, for tests/test_quotes.py.

Coded by reading the cleaned text of each seed (``analysis.corpus.load_corpus()``; the raw
files are in corpus/raw/). One row per quotation, in text order; a quotation repeated in the
text (a headline and its body sentence) has one row per occurrence. Columns:

- ``text``: the quoted words exactly as between the marks (curly apostrophes kept); for a
  statement set off without marks (Pledge Times), the paragraph before the speaker line;
- ``kind``: ``direct`` (a full reported statement), ``partial`` (someone's words woven into
  the writer's sentence), ``scare`` (a span in quotes to keep distance from a word);
- ``speaker``: the codebook entity whose words (or whose distance) they are, "" for the writer;
- ``reason``: why, in the coder's words.

The labels are the coder's judgement, not the program's output: "ironclad guarantees" is
labelled partial (Russia's own words, listed among the Russian side's statements), where the
program, seeing a contested codebook term, says scare.
"""
from __future__ import annotations

from typing import NamedTuple


class GoldQuote(NamedTuple):
    """One hand-labelled quotation."""

    article_id: str
    text: str
    kind: str
    speaker: str
    reason: str


AL_MAYADEEN = "000_a7eefb9413371b4f"
A_NEWS = "001_de0073bae24aa22f"
RU_MAIN = "002_17a7bf79769edb64"
PLEDGE_TIMES = "003_aa533c3f44658142"
FRONT_NEWS = "004_1ac8fcbc1455d090"

RYABKOV, SHERMAN, PUTIN, PRICE = "Sergei Ryabkov", "Wendy Sherman", "Vladimir Putin", "Ned Price"

GOLD = [
    # Al Mayadeen
    GoldQuote(AL_MAYADEEN, "very seriously", "partial", RYABKOV,
              "headline repeats the words the body quotes from Ryabkov"),
    GoldQuote(AL_MAYADEEN, "very seriously", "partial", RYABKOV,
              "subheading repeats the words the body quotes from Ryabkov"),
    GoldQuote(AL_MAYADEEN, "very seriously", "partial", RYABKOV,
              "Ryabkov 'confirmed to AFP that Washington was taking ... proposals' + his two words"),
    GoldQuote(AL_MAYADEEN, "explained to our colleagues that we have no plans, no intentions to 'attack' Ukraine.",
              "partial", RYABKOV, "starts mid-sentence after 'confirming that Moscow': woven into the writer's sentence"),
    GoldQuote(AL_MAYADEEN, "attack", "scare", RYABKOV,
              "single quotes inside Ryabkov's quotation: his own distance from 'attack'"),
    GoldQuote(AL_MAYADEEN, "responsible", "partial", RYABKOV,
              "one word of Ryabkov's: 'Ryabkov called on the US to be ...'"),
    GoldQuote(AL_MAYADEEN, "cannot be underestimated.", "partial", RYABKOV,
              "end of a clause quoted from Ryabkov ('warning that the risks ...')"),
    GoldQuote(AL_MAYADEEN, "invasion.", "scare", "",
              "'a possible \"invasion\"': the writer keeps the accusers' word at a distance"),
    # A News
    GoldQuote(A_NEWS, "firm", "partial", SHERMAN,
              "'The U.S. side was \"firm\" ..., she said': she = Sherman"),
    GoldQuote(A_NEWS, "non-starters,", "partial", SHERMAN,
              "Sherman's word inside the writer's clause, closed by 'she said'"),
    GoldQuote(A_NEWS, "We will not allow anyone to slam closed NATO's open door policy,", "direct", SHERMAN,
              "full sentence, then ', she said'"),
    # Ru-Main
    GoldQuote(RU_MAIN, "non-starter", "partial", SHERMAN,
              "'Wendy Sherman, said that any limits ... are a \"non-starter\"'"),
    GoldQuote(RU_MAIN, "invasion.", "scare", "",
              "the outlet distances itself from the US word ('which the US has claimed is under threat')"),
    GoldQuote(RU_MAIN, "invade", "scare", "",
              "the contested word set apart inside the report of Ryabkov's denial"),
    GoldQuote(RU_MAIN, "escalation,", "scare", "",
              "a label rejected ('no basis for describing that as an ...')"),
    GoldQuote(RU_MAIN, "lost the art of dealmaking", "partial", RYABKOV,
              "'he said the West has ...': he = Ryabkov"),
    GoldQuote(RU_MAIN, "We are fed up with loose talk, half-promises, misinterpretations of what happened in "
              "different negotiations behind closed doors,", "direct", RYABKOV,
              "full statement, ', he said' (Ryabkov, named in the paragraph before)"),
    GoldQuote(RU_MAIN, "We do not trust the other side, so to speak. It’s over, enough is enough.", "direct", RYABKOV,
              "continues Ryabkov's statement in the same paragraph"),
    GoldQuote(RU_MAIN, "the issue isn’t about the line which we don’t want someone to cross.", "partial", PUTIN,
              "lower-case clause after 'Putin, said ... that': part of the writer's sentence"),
    GoldQuote(RU_MAIN, "The issue is that we have nowhere to fall back to. They [NATO] have squeezed us against such "
              "a line that we can’t move around. I have already said – they’ll put missile systems in Ukraine, "
              "4-5 minutes flight time to Moscow. Where can we move? They have simply driven us to such a state "
              "that we have to tell them: stop,", "direct", PUTIN,
              "full statement, ', the President said' = Putin"),
    # Pledge Times
    GoldQuote(PLEDGE_TIMES, "The conversation was difficult, long, very professional, deep and specific. Without "
              "trying to embellish something, go around sharp corners", "direct", RYABKOV,
              "statement without marks, closed by the line 'Sergey Ryabkov Deputy Foreign Minister of Russia'"),
    GoldQuote(PLEDGE_TIMES, "This is a question of Russian national security … The situation is so dangerous that we "
              "can no longer afford to postpone this fundamental issue.", "direct", RYABKOV,
              "statement without marks, closed by Ryabkov's speaker line"),
    GoldQuote(PLEDGE_TIMES, "serious objections", "partial", RYABKOV,
              "Ryabkov's words in the passage opened by 'According to him'"),
    GoldQuote(PLEDGE_TIMES, "I read with interest an article in the New York Times today, which essentially says that "
              "Russia wants to trade “Russia’s threat to Ukraine” for greater negotiating flexibility from the US "
              "and the West. This is not the case, because we have no intention of invading Ukraine, and therefore "
              "we have nothing to bargain with.", "direct", RYABKOV,
              "statement without marks, closed by Ryabkov's speaker line"),
    GoldQuote(PLEDGE_TIMES, "Russia’s threat to Ukraine", "scare", RYABKOV,
              "inside Ryabkov's statement: he cites the New York Times' phrase to reject it"),
    GoldQuote(PLEDGE_TIMES, "We are ready to continue discussions with Russia on the bilateral issues that we outlined "
              "at today’s meeting – as long as they are of a practical nature.", "direct", PRICE,
              "statement without marks, closed by 'Ned Price State Department spokesman'"),
    GoldQuote(PLEDGE_TIMES, "Negotiations on complex issues like arms control cannot be completed in a matter of days "
              "or even weeks", "direct", SHERMAN,
              "statement without marks, closed by 'Wendy Sherman First Under Secretary of State'"),
    GoldQuote(PLEDGE_TIMES, "The Russian side touched upon the concerns that we have and which led to the destruction "
              "of the treaty on intermediate and shorter-range missiles … These concerns concerned Russian "
              "medium-range missiles, they remain,", "direct", SHERMAN,
              "full statement, ', she stressed' (Sherman named just before)"),
    GoldQuote(PLEDGE_TIMES, "long way to go", "partial", SHERMAN,
              "'She noted that there is still a ...': she = Sherman"),
    GoldQuote(PLEDGE_TIMES, "We need to see if actions are possible on both sides that will increase our security,",
              "direct", SHERMAN, "full statement, ', she concluded'"),
    GoldQuote(PLEDGE_TIMES, "We stand ready, in coordination with our partners and allies, to charge this harsh price. "
              "The price will include financial sanctions. It was reported that these sanctions will affect key "
              "financial institutions, including export controls that target key industries.", "direct", SHERMAN,
              "statement without marks, closed by Sherman's speaker line"),
    # Front News
    GoldQuote(FRONT_NEWS, "security guarantees", "scare", "",
              "headline keeps Russia's name for the agenda at a distance"),
    GoldQuote(FRONT_NEWS, "security guarantees", "scare", "",
              "'so-called \"security guarantees\"'"),
    GoldQuote(FRONT_NEWS, "ironclad guarantees", "partial", "Russia",
              "Russia's own words, in the outlet's list of the Russian side's statements ('Russia wants ...')"),
]

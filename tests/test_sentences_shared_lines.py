"""A paragraph shared by several articles is split once and placed right in each of them."""
from __future__ import annotations

import pandas as pd
from pandas.testing import assert_frame_equal

from analysis.sentences import sentences_table

SHARED = "The U.S. side was firm. Nothing to bargain with. Sergey Ryabkov Deputy Foreign Minister of Russia"
ARTICLES = pd.DataFrame({
    "article_id": ["a", "b", "c"], "outlet": ["X", "Y", "Z"],
    "text": [f"Talks end\n{SHARED}", f"Other headline\nIt said no.\n{SHARED}", SHARED],
    "headline_in_text": [True, True, False],
})


def test_shared_paragraph_gives_the_sentences_of_each_article_alone():
    together = sentences_table(ARTICLES)
    alone = pd.concat([sentences_table(ARTICLES.iloc[[i]]) for i in range(len(ARTICLES))], ignore_index=True)
    assert_frame_equal(together, alone, check_exact=True)
    texts = dict(zip(ARTICLES["article_id"], ARTICLES["text"]))
    assert all(texts[a][s:e] == t for a, s, e, t in together[["article_id", "start", "end", "text"]].values)
    assert together.groupby("article_id")["is_attribution"].sum().tolist() == [1, 1, 1]

"""Word-choice and framing measures, evidence first.

:func:`find_matches` turns a sentences table and a codebook into **evidence**: one row per
match, with the article, sentence, character offsets into the article's cleaned text and
the matched words. Every number is then a groupby over evidence rows, so each count can be
traced back to the sentences that produced it:

- :func:`count_matches`: counts and rates per 1,000 words per outlet or article, with
  exact Poisson intervals and explicit zero counts;
- :func:`naming_choices`: which spelling each outlet uses (Kiev or Kyiv, Sergei or Sergey);
- :func:`hedged_claims`: what each distancing marker hedges ("alleged troop buildup").

Matching runs on sentences joined into large chunks, with numpy over the chunk's code points:
runs of word characters are looked up among the words that begin plain patterns all at once
(:class:`analysis.codebook.PlainWords`; a regex only where the next word may continue a longer
pattern), and the precompiled regex patterns (:func:`analysis.codebook.compile_matcher`) are
tried only where one of their beginnings occurs, found all in one pass. Offsets are mapped back
to sentences with ``np.searchsorted`` and overlaps are resolved within each codebook group with
numpy. It scales to 100k articles (``progress=True`` shows a bar).

Example:
    >>> from analysis.codebook import load_codebook
    >>> sentences = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "sentence_index": [0],
    ...     "start": [0], "end": [43], "text": ["Kiev fears an invasion, Sergei Ryabkov said"],
    ...     "n_words": [7]})
    >>> evidence = find_matches(sentences, load_codebook(), sections=("term_categories",))
    >>> evidence[["start", "end", "match", "term"]].values.tolist()
    [[14, 22, 'invasion', 'invasion']]
"""
from __future__ import annotations

import re
from typing import Iterable

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from tqdm import tqdm

from analysis.codebook import CASE_FOLDING_LETTERS, Codebook, Matcher, PlainWords, compile_matcher, plain_key
from analysis.errors import require_columns
from analysis.stats import add_rate_columns, add_share_columns, rate_design_effects, share_design_effects
from analysis.tokens import owners_and_positions, tokenize

DEFAULT_SECTIONS = ("term_categories", "naming_variants", "actors", "facts")
EVIDENCE_COLUMNS = ["article_id", "outlet", "sentence_index", "start", "end", "match",
                    "category", "term", "sentence", "section"]
SENTENCE_COLUMNS = ("article_id", "outlet", "sentence_index", "start", "end", "text", "n_words")
HEDGED_COLUMNS = [*EVIDENCE_COLUMNS, "hedged", "hedged_start", "hedged_end"]
TABLE_CONTRACTS = "see the table contracts in docs/ARCHITECTURE.md"
CHUNK_ROWS = 20_000
_SEPARATOR = "\x00"  # neither a word character nor whitespace: no pattern spans two sentences
_WORD_CHARACTER = re.compile(r"\w")
_ASCII_WORD = bytes(bool(_WORD_CHARACTER.match(chr(code))) if code < 128 else 0 for code in range(256))  # by low byte
_PREFIX_END = re.compile(r"\w(?!\w)|[^\w\s]")  # where a shorter plain pattern may end
_CAPITAL_SIGMA = 0x3A3  # Σ: ``str.lower`` gives σ, or ς at the end of a word
_OPENING_QUOTES = {'"': '"', "“": "”", "‘": "’", "'": "'", "«": "»"}
_CLAUSE_WORDS = frozenset({"but", "which", "who", "whom", "whose", "that", "while", "because",
                           "although", "though", "if", "when", "where", "since", "whether"})
_COORDINATORS = frozenset({"and", "or"})
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "this", "these",
                          "those", "any", "all", "some"})


def scan_sentences(sentences: pd.DataFrame, regex: re.Pattern, *, progress: bool = False) -> pd.DataFrame:
    """Every match of one regex in every sentence, with offsets into the article text.

    Sentences are joined in chunks with a separator no pattern can cross, the regex runs
    once per chunk, and match positions are mapped back to sentences with ``np.searchsorted``.

    Args:
        sentences: sentences table (``start`` and ``text`` are used).
        regex: a compiled pattern; matches do not overlap, a match spanning two sentences
            is dropped and an empty match is skipped.
        progress: show a tqdm progress bar over chunks.

    Returns:
        Table ``row, start, end, match``: ``row`` is the sentence's position in ``sentences``
        and ``start/end`` are offsets into the article's cleaned text.

    Example:
        >>> sentences = pd.DataFrame({"start": [0, 10], "text": ["Kiev talks", "Kiev again"]})
        >>> scan_sentences(sentences, re.compile("Kiev")).values.tolist()
        [[0, 0, 4, 'Kiev'], [1, 10, 14, 'Kiev']]
    """
    def find(text: str) -> list[tuple[int, int, int]]:
        return [(m.start(), m.end(), 0) for m in regex.finditer(text) if m.end() > m.start()]

    rows, begin, end, _, matches = _scan(sentences, find, progress=progress)
    return _located(sentences, rows, begin, end, matches)


def find_matches(sentences: pd.DataFrame, codebook: Codebook, *,
                 sections: Iterable[str] = DEFAULT_SECTIONS, progress: bool = False) -> pd.DataFrame:
    """Evidence rows: every codebook match in every sentence.

    Within one codebook group (a term category, a naming concept, all actors, all reporting
    verbs, one fact) a piece of text counts once: the leftmost match wins, then the longer
    one, so "de-escalation" is not also "escalation" and "Sergei Ryabkov" is one actor
    mention, not also "Ryabkov". Different groups may match the same words.

    Args:
        sentences: sentences table (``analysis.sentences.sentences_table``).
        codebook: a loaded :class:`~analysis.codebook.Codebook`.
        sections: codebook sections to match (``reporting_verbs`` may be added).
        progress: show a progress bar.

    Returns:
        Evidence table ``article_id, outlet, sentence_index, start, end, match, category,
        term, sentence, section``, sorted by article, offset and section; ``start/end`` index
        the article's cleaned text and ``match == text[start:end]``.

    Example:
        >>> from analysis.codebook import load_codebook
        >>> sentences = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "sentence_index": [3],
        ...     "start": [100], "end": [125], "text": ["Sergey Ryabkov left Kiev."], "n_words": [4]})
        >>> ev = find_matches(sentences, load_codebook(), sections=("actors",))
        >>> ev[["start", "match", "category", "term"]].values.tolist()
        [[100, 'Sergey Ryabkov', 'Russia', 'Sergei Ryabkov'], [120, 'Kiev', 'Ukraine', 'Ukraine']]
    """
    require_columns(sentences, SENTENCE_COLUMNS, "sentences", hint=TABLE_CONTRACTS)
    if not isinstance(codebook, Codebook):
        got = type(codebook).__name__
        raise TypeError(f"find_matches: expected a Codebook from load_codebook, got {got}")
    matcher = compile_matcher(codebook, tuple(sections))
    label_group = np.array([label.group for label in matcher.labels], dtype="int64")
    rows, begin, end, label, matches = _scan(
        sentences, lambda text: _candidates(text, matcher), progress=progress,
        keep=lambda b, e, lab: _leftmost_longest(b, e, label_group[lab]),
    )
    order = _evidence_order(sentences, rows, begin, end, _label_rank(matcher)[label])
    rows, begin, end, label = rows[order], begin[order], end[order], label[order]
    evidence = _located(sentences, rows, begin, end, matches[order])
    for column, source in [("article_id", "article_id"), ("outlet", "outlet"),
                           ("sentence_index", "sentence_index"), ("sentence", "text")]:
        evidence[column] = sentences[source].take(rows).reset_index(drop=True)
    for column in ("section", "category", "term"):
        values = pd.Series([getattr(lab, column) for lab in matcher.labels], dtype="str")
        evidence[column] = values.take(label).reset_index(drop=True)
    return _evidence_frame(evidence)


def _label_rank(matcher: Matcher) -> np.ndarray:
    """Per label, the rank of its ``(section, category, term)`` among the matcher's labels
    (equal labels share a rank): the order :func:`_sort_evidence` gives their rows."""
    keys = [(lab.section, lab.category, lab.term) for lab in matcher.labels]
    rank = {key: position for position, key in enumerate(sorted(set(keys)))}
    return np.array([rank[key] for key in keys], dtype="int64")


def _evidence_order(sentences: pd.DataFrame, rows: np.ndarray, begin: np.ndarray, end: np.ndarray,
                    label_rank: np.ndarray) -> np.ndarray:
    """Stable order of spans as :func:`_sort_evidence` sorts evidence rows, from integer keys:
    article (rank of its id), start and length in the article, then ``label_rank``."""
    article_rank = pd.factorize(sentences["article_id"].astype("str"), sort=True)[0][rows] + 1  # missing: 0
    start = sentences["start"].to_numpy(dtype="int64")[rows] + begin
    return np.lexsort(_packed_keys([article_rank, start, end - begin, label_rank])[::-1])


def _packed_keys(keys: list[np.ndarray]) -> list[np.ndarray]:
    """Non-negative integer sort keys (most significant first) merged into as few int64 keys
    as fit, with the same lexicographic order.

    Example:
        >>> [k.tolist() for k in _packed_keys([np.array([1, 0]), np.array([2, 5])])]
        [[8, 5]]
    """
    packed = [np.asarray(keys[0], dtype="int64")]
    for key in keys[1:]:
        size = int(key.max(initial=0)) + 1
        if int(packed[-1].max(initial=0)) < (2 ** 62) // size:
            packed[-1] = packed[-1] * size + key
        else:
            packed.append(np.asarray(key, dtype="int64"))
    return packed


def count_matches(evidence: pd.DataFrame, sentences: pd.DataFrame, *, by: str = "outlet",
                  section: str = "term_categories", codebook: Codebook | None = None,
                  level: str = "term") -> pd.DataFrame:
    """Counts and rates per 1,000 words for every (group, term) pair, zeros included.

    Args:
        evidence: from :func:`find_matches`.
        sentences: the sentences table the evidence came from (its ``n_words`` are the
            denominators; every outlet or article in it gets a row, even with no match).
        by: ``"outlet"`` or ``"article_id"``.
        section: codebook section to count.
        codebook: when given, every term of the section is listed, even one never matched;
            otherwise the terms seen in the evidence.
        level: ``"term"`` (one row per term) or ``"category"`` (terms of a category summed).

    Returns:
        Table ``<by>, [outlet,] category, [term,] count, words, rate_per_1000, rate_low,
        rate_high, n_articles, design_effect``, sorted. The interval is exact Poisson 95%;
        by outlet, it is widened by the spread between the outlet's articles where it has
        enough of them (:func:`outlet_rate_effects`; ``design_effect`` 1 otherwise, and
        always by article).

    Example:
        >>> sentences = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"],
        ...     "n_words": [500, 250]})
        >>> evidence = pd.DataFrame({"outlet": ["X"], "article_id": ["a"], "section": ["facts"],
        ...     "category": ["facts"], "term": ["talks lasted about eight hours"]})
        >>> table = count_matches(evidence, sentences, section="facts")
        >>> table[["outlet", "count", "words", "rate_per_1000"]].values.tolist()
        [['X', 1, 500, 2.0], ['Y', 0, 250, 0.0]]
    """
    if by not in ("outlet", "article_id"):
        raise ValueError(f"count_matches: by must be 'outlet' or 'article_id', not {by!r}")
    if level not in ("term", "category"):
        raise ValueError(f"count_matches: level must be 'term' or 'category', not {level!r}")
    require_columns(sentences, ("article_id", "outlet", "n_words"), "sentences", hint=TABLE_CONTRACTS)
    require_columns(evidence, ("article_id", "outlet", "section", "category", "term"), "evidence", hint=TABLE_CONTRACTS)
    labels = _section_labels(evidence, section, codebook)
    if level == "category":
        labels = labels[["category"]].drop_duplicates()
    keys = list(labels.columns)
    rows = evidence[evidence["section"] == section]
    counts = rows.groupby([by, *keys]).size().rename("count").reset_index()
    words = sentences.groupby(by)["n_words"].sum().rename("words").reset_index()
    table = words.merge(labels, how="cross").merge(counts, on=[by, *keys], how="left")
    table["count"] = table["count"].fillna(0).astype("int64")
    if by == "outlet":
        table = table.merge(outlet_rate_effects(rows, sentences, labels), on=["outlet", *keys], how="left")
    else:
        table = table.assign(n_articles=1, design_effect=1.0)
    table = table.fillna({"n_articles": 0, "design_effect": 1.0}).astype({"n_articles": "int64"})
    table = _with_rates(table.astype({"words": "int64"}))
    if by == "article_id":
        outlets = sentences.drop_duplicates("article_id").set_index("article_id")["outlet"]
        table.insert(1, "outlet", table["article_id"].map(outlets))
    ordered = [c for c in dict.fromkeys((by, "outlet", *keys)) if c in table.columns]
    columns = ordered + ["count", "words", "rate_per_1000", "rate_low", "rate_high", "n_articles", "design_effect"]
    return table.sort_values(ordered, ignore_index=True)[columns]


def outlet_rate_effects(rows: pd.DataFrame, sentences: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Design effect of each outlet's rate of each label, from its articles' counts and words.

    Args:
        rows: one row per event (a match, a quotation) with ``article_id`` and the label columns.
        sentences: the sentences table (``outlet, article_id, n_words``): every article of an
            outlet counts, those without an event too.
        labels: the labels to count (one column or several, e.g. ``category, term``).

    Returns:
        ``outlet``, the label columns, ``n_articles``, ``design_effect``
        (:func:`analysis.stats.rate_design_effects`).

    Example:
        >>> sentences = pd.DataFrame({"outlet": "X", "article_id": list("abcdef"), "n_words": 100})
        >>> events = pd.DataFrame({"article_id": ["a"] * 6, "kind": "scare"})
        >>> outlet_rate_effects(events, sentences, pd.DataFrame({"kind": ["scare"]})).values.tolist()
        [['X', 'scare', 6, 6.0]]
    """
    keys = list(labels.columns)
    words = sentences.groupby(["outlet", "article_id"], sort=False)["n_words"].sum().rename("words").reset_index()
    counts = rows.groupby(["article_id", *keys], sort=False).size().rename("count").reset_index()
    per_article = words.merge(labels, how="cross").merge(counts, on=["article_id", *keys], how="left")
    return rate_design_effects(per_article.fillna({"count": 0}), by=["outlet", *keys])


def naming_choices(evidence: pd.DataFrame, *, sentences: pd.DataFrame | None = None,
                   codebook: Codebook | None = None) -> pd.DataFrame:
    """Which name variant each outlet uses, with its share of the concept's mentions.

    Args:
        evidence: from :func:`find_matches` (rows of section ``naming_variants`` are used).
        sentences: when given, every outlet in it gets rows (zero counts included).
        codebook: when given, every variant in it gets rows, even one never used.

    Returns:
        Table ``outlet, concept, variant, count, n, n_articles, design_effect, share,
        share_low, share_high``: ``n`` counts the concept's mentions in that outlet (in
        ``n_articles`` articles) and the share has a Wilson 95% interval (NaN when ``n``
        is 0), over the effective number of mentions ``n / design_effect`` where the
        outlet has enough articles (:func:`analysis.stats.share_design_effects`). Pivot it
        for an outlet x variant view.

    Example:
        >>> evidence = pd.DataFrame({"outlet": ["X", "X", "Y"], "article_id": ["a", "a", "b"],
        ...     "section": "naming_variants", "category": "capital of Ukraine",
        ...     "term": ["Kiev", "Kiev", "Kyiv"]})
        >>> table = naming_choices(evidence)
        >>> table.pivot(index="outlet", columns="variant", values="count").values.tolist()
        [[2, 0], [0, 1]]
    """
    require_columns(evidence, ("outlet", "section", "category", "term"), "evidence", hint=TABLE_CONTRACTS)
    labels = _section_labels(evidence, "naming_variants", codebook)
    outlets = sentences["outlet"] if sentences is not None else evidence["outlet"]
    grid = pd.DataFrame({"outlet": sorted(outlets.astype(str).unique())}).merge(labels, how="cross")
    rows = evidence[evidence["section"] == "naming_variants"]
    counts = rows.groupby(["outlet", "category", "term"]).size().rename("count").reset_index()
    table = grid.merge(counts, on=["outlet", "category", "term"], how="left")
    table["count"] = table["count"].fillna(0).astype("int64")
    table["n"] = table.groupby(["outlet", "category"])["count"].transform("sum").astype("int64")
    table = table.merge(_variant_share_effects(rows), on=["outlet", "category", "term"], how="left")
    table = table.fillna({"n_articles": 0, "design_effect": 1.0}).astype({"n_articles": "int64"})
    table = add_share_columns(table.assign(_effective=table["n"] / table["design_effect"]), successes="count", n="n",
                              effective_n="_effective").drop(columns="_effective")
    table = table.rename(columns={"category": "concept", "term": "variant"})
    return table.sort_values(["outlet", "concept", "variant"], ignore_index=True)


def main_variants(names: pd.DataFrame) -> pd.DataFrame:
    """Each outlet's most used variant of each concept it mentions (a tie goes to the variant
    first in alphabetical order), with its share of the concept's mentions.

    Args:
        names: from :func:`naming_choices`.

    Example:
        >>> evidence = pd.DataFrame({"outlet": ["X", "X", "X"], "article_id": "a", "section": "naming_variants",
        ...     "category": "capital of Ukraine", "term": ["Kyiv", "Kiev", "Kyiv"]})
        >>> main_variants(naming_choices(evidence))[["outlet", "variant", "count", "n"]].values.tolist()
        [['X', 'Kyiv', 2, 3]]
    """
    mentioned = names[names["n"] > 0]
    ordered = mentioned.sort_values(["outlet", "concept", "count", "variant"], ascending=[True, True, False, True])
    return ordered.drop_duplicates(["outlet", "concept"]).reset_index(drop=True)


def hedged_claims(evidence: pd.DataFrame, sentences: pd.DataFrame, *,
                  category: str = "distancing_markers", max_words: int = 10) -> pd.DataFrame:
    """For each distancing marker, the words it hedges.

    After the marker, an optional comma or colon and a leading "that" are skipped. A quotation
    right after it is taken whole (so-called "security guarantees" -> security guarantees);
    otherwise the following words up to punctuation, a clause word (which, that, but, ...)
    or an "and"/"or" that starts a new phrase (it continues only a single modifier, as in
    "aggressive and provocative behavior"), at most ``max_words`` ("alleged troop buildup"
    -> "troop buildup"; "troops allegedly amassed on Ukraine's border and listed" ->
    "amassed on Ukraine's border"). A heuristic: read the ``sentence`` column to check it.

    Args:
        evidence: from :func:`find_matches`.
        sentences: the sentences table (for each sentence's offset in the article).
        category: term category of the markers.
        max_words: longest hedged phrase, in words.

    Returns:
        Evidence columns plus ``hedged, hedged_start, hedged_end`` (article offsets; an
        empty ``hedged`` when nothing follows the marker), sorted like the evidence.

    Example:
        >>> sentences = pd.DataFrame({"article_id": ["a"], "sentence_index": [0], "start": [50],
        ...     "text": ["They denied the alleged troop buildup."]})
        >>> evidence = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "sentence_index": [0],
        ...     "start": [66], "end": [73], "match": ["alleged"], "category": ["distancing_markers"],
        ...     "term": ["alleged"], "sentence": ["They denied the alleged troop buildup."],
        ...     "section": ["term_categories"]})
        >>> hedged_claims(evidence, sentences)[["match", "hedged", "hedged_start"]].values.tolist()
        [['alleged', 'troop buildup', 74]]
    """
    require_columns(evidence, EVIDENCE_COLUMNS, "evidence", hint=TABLE_CONTRACTS)
    require_columns(sentences, ("article_id", "sentence_index", "start"), "sentences", hint=TABLE_CONTRACTS)
    markers = evidence[(evidence["section"] == "term_categories") & (evidence["category"] == category)]
    offsets = sentences[["article_id", "sentence_index", "start"]].rename(columns={"start": "sentence_start"})
    markers = markers.merge(offsets, on=["article_id", "sentence_index"], how="left", validate="many_to_one")
    spans = [
        _hedged_span(text, end - first, max_words=max_words)
        for text, end, first in zip(markers["sentence"], markers["end"], markers["sentence_start"])
    ]
    starts = np.array([s[0] for s in spans], dtype="int64").reshape(-1)
    ends = np.array([s[1] for s in spans], dtype="int64").reshape(-1)
    table = markers[EVIDENCE_COLUMNS].copy()
    table["hedged"] = pd.Series([t[a:b] for t, a, b in zip(markers["sentence"], starts, ends)],
                                index=table.index, dtype="str")
    table["hedged_start"] = markers["sentence_start"].to_numpy(dtype="int64") + starts
    table["hedged_end"] = markers["sentence_start"].to_numpy(dtype="int64") + ends
    return _sort_evidence(table)[HEDGED_COLUMNS]


# --- helpers ----------------------------------------------------------------------------


def _scan(sentences: pd.DataFrame, find, *, progress: bool, keep=None) -> tuple[np.ndarray, ...]:
    """Run ``find(joined_text) -> [(begin, end, label)]`` on chunks of joined sentences.

    Each distinct sentence text is scanned once (wire copy repeats across articles) and its
    spans, with the text they cover, are given to every sentence with that text. Returns
    arrays ``row, begin, end, label, match`` with offsets inside each sentence, by row and
    then in the order found; spans that cross a sentence separator are dropped before
    ``keep(begin, end, label) -> mask`` runs.
    """
    codes, distinct = pd.factorize(sentences["text"].astype(str), use_na_sentinel=False)
    texts = distinct.tolist()
    parts = []
    for first in tqdm(range(0, len(texts), CHUNK_ROWS), disable=not progress, desc="matching", unit="chunk"):
        parts.append(_scan_chunk(texts[first:first + CHUNK_ROWS], first, find, keep))
    if not parts:
        return (*(np.zeros(0, dtype="int64") for _ in range(4)), np.zeros(0, dtype=object))
    text_no, begin, end, label, match = (np.concatenate(arrays) for arrays in zip(*parts))
    row, hit = _rows_of_texts(codes, text_no)
    order = np.lexsort((hit, row))
    hit = hit[order]
    return row[order], begin[hit], end[hit], label[hit], match[hit]


def _scan_chunk(chunk: list[str], first: int, find, keep) -> tuple[np.ndarray, ...]:
    """``text number, begin, end, label, match`` of the spans ``find`` gives in one chunk of texts."""
    lengths = np.fromiter(map(len, chunk), dtype="int64", count=len(chunk))
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    joined = _SEPARATOR.join(chunk)
    found = np.array(find(joined), dtype="int64").reshape(-1, 3)
    begin, end, label = found[:, 0], found[:, 1], found[:, 2]
    text_no = np.searchsorted(starts, begin, side="right") - 1
    inside = end <= starts[text_no] + lengths[text_no]
    mask = inside.copy()
    if keep is not None:
        mask[inside] = keep(begin[inside], end[inside], label[inside])
    text_no, begin, end, label = text_no[mask], begin[mask], end[mask], label[mask]
    match = np.empty(len(begin), dtype=object)
    match[:] = [joined[b:e] for b, e in zip(begin.tolist(), end.tolist())]
    return text_no + first, begin - starts[text_no], end - starts[text_no], label, match


def _rows_of_texts(codes: np.ndarray, text_no: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (sentence row, span number) pair where span ``i`` is in text ``text_no[i]`` and
    the sentence's text code is that text (``codes`` from ``pd.factorize``).

    Example:
        >>> [a.tolist() for a in _rows_of_texts(np.array([0, 1, 0]), np.array([0, 0, 1]))]
        [[0, 2, 0, 2, 1], [0, 0, 1, 1, 2]]
    """
    by_text = np.argsort(codes, kind="stable")  # sentence rows grouped by text, in row order
    n_rows = np.bincount(codes, minlength=int(text_no.max(initial=-1)) + 1)
    first_row = np.cumsum(n_rows) - n_rows
    hit, within = owners_and_positions(n_rows[text_no])
    return by_text[first_row[text_no[hit]] + within], hit


def _located(sentences: pd.DataFrame, rows: np.ndarray, begin: np.ndarray, end: np.ndarray,
             matches: np.ndarray) -> pd.DataFrame:
    """Table ``row, start, end, match`` of in-sentence spans and the texts they cover, with article offsets."""
    sentence_start = sentences["start"].to_numpy(dtype="int64")[rows]
    return pd.DataFrame({
        "row": rows.astype("int64"),
        "start": sentence_start + begin,
        "end": sentence_start + end,
        "match": pd.Series(matches, dtype="str"),
    })


def _candidates(text: str, matcher: Matcher) -> np.ndarray:
    """Every (begin, end, label) where a pattern of ``matcher`` matches ``text`` (rows of an array)."""
    lowered, codes = _lowered(text)
    found = [_plain_candidates(text, lowered, matcher, code_points=codes)] if matcher.plain is not None else []
    if matcher.special is not None:
        found.append(_special_spans(text, lowered, matcher, codes=codes))
    return np.concatenate(found) if found else np.zeros((0, 3), dtype="int64")


def _lowered(text: str) -> tuple[str, np.ndarray]:
    """``text.lower()`` and its code points (little-endian ``uint32``), lower-cased with numpy:
    ASCII capitals and each distinct other character mapped once, as ``str.lower`` maps it
    (``str.lower`` itself where a character lowers to several or by context, as Σ does).

    Example:
        >>> lowered, codes = _lowered("Kyiv’s ÉLAN")
        >>> lowered, codes.tolist() == [ord(ch) for ch in lowered]
        ('kyiv’s élan', True)
    """
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    lowered_codes = codes + ((codes >= 65) & (codes <= 90)).view(np.uint8) * np.uint32(32)
    beyond = np.flatnonzero(codes > 127)
    if len(beyond):
        distinct, which = np.unique(codes[beyond], return_inverse=True)
        lowered_beyond = [chr(code).lower() for code in distinct.tolist()]
        if _CAPITAL_SIGMA in distinct or any(len(letter) != 1 for letter in lowered_beyond):
            lowered = text.lower()
            return lowered, np.frombuffer(lowered.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        lowered_codes[beyond] = np.array([ord(letter) for letter in lowered_beyond], dtype="<u4")[which]
    return str(lowered_codes.data, "utf-32-le", "surrogatepass"), lowered_codes


def _special_spans(text: str, lowered: str, matcher: Matcher, *, codes: np.ndarray | None = None) -> np.ndarray:
    """Spans of the regex and case-sensitive patterns (rows ``begin, end, label``), by position
    and then pattern.

    Each pattern is tried only where one of its beginnings occurs in the lower-cased text
    (all found at once, :func:`_piece_positions`), or in the text when they are exact-case
    (:attr:`Matcher.special_scans`); text where that could miss a match (lower-casing changes
    its length, or a letter that folds to ASCII) is scanned whole. ``codes``: the code points
    of ``lowered`` when already known.

    Example:
        >>> from analysis.codebook import load_codebook
        >>> matcher = compile_matcher(load_codebook(), ("naming_variants",))
        >>> text = "The US and the U.S. envoy"
        >>> _special_spans(text, text.lower(), matcher)[:, :2].tolist()
        [[4, 6], [15, 19]]
    """
    if matcher.special_scans is None or len(lowered) != len(text) or _folds_to_ascii(text):
        return np.array([(m.regs[g][0], m.regs[g][1], label) for m in matcher.special.finditer(text)
                         for g, label in matcher.special_groups if m.regs[g][1] > m.regs[g][0]],
                        dtype="int64").reshape(-1, 3)
    pieces = {piece for beginnings, _, exact_case in matcher.special_scans if not exact_case for piece in beginnings}
    if codes is None:
        codes = np.frombuffer(lowered.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    in_lowered = _piece_positions(codes, pieces) if pieces else {}
    found, occurrences, spans = [], {}, {}
    for beginnings, lookahead, exact_case in matcher.special_scans:
        if (beginnings, exact_case) not in occurrences:
            occurrences[beginnings, exact_case] = _occurrences(text, beginnings) if exact_case else \
                np.unique(np.concatenate([in_lowered[piece] for piece in beginnings])).tolist()
        if lookahead.pattern not in spans:  # a pattern listed twice (in two groups) is tried once
            spans[lookahead.pattern] = np.array(  # each match captured from its ``position``
                [(position, match.end(1)) for position in occurrences[beginnings, exact_case]
                 if (match := lookahead.match(text, position)) and match.end(1) > position],
                dtype="int64").reshape(-1, 2)
        found.append(spans[lookahead.pattern])
    pattern = np.repeat(np.arange(len(found)), [len(pattern_spans) for pattern_spans in found])
    found = np.concatenate(found)
    order = np.lexsort((pattern, found[:, 0]))
    labels = np.array([label for _, label in matcher.special_groups], dtype="int64")
    return np.column_stack((found[order], labels[pattern[order]]))


def _folds_to_ascii(text: str) -> bool:
    """True when ``text`` holds a letter that ignoring case matches an ASCII one (İ ı ſ K).

    Example:
        >>> _folds_to_ascii("Kyiv’s"), _folds_to_ascii("Moſcow")
        (False, True)
    """
    return not text.isascii() and any(letter in text for letter in CASE_FOLDING_LETTERS)


def _piece_positions(codes: np.ndarray, pieces: Iterable[str]) -> dict[str, np.ndarray]:
    """Every offset where each of ``pieces`` (ASCII texts) occurs in the text of code points
    ``codes`` (overlaps included): the offsets of their first two characters are found in one
    pass, then the rest of each piece is compared.

    Example:
        >>> codes = np.frombuffer("no plans, no".encode("utf-32-le"), dtype="<u4")
        >>> {piece: found.tolist() for piece, found in _piece_positions(codes, ["no", "o", "plans"]).items()}
        {'no': [0, 10], 'o': [1, 11], 'plans': [3]}
    """
    clipped = np.minimum(codes, 128).astype(np.uint16)  # beyond ASCII: 128
    pairs = clipped * np.uint16(129)  # a character and the next one (128 after the last)
    pairs[:-1] += clipped[1:]
    pairs[-1:] += np.uint16(128)
    wanted = np.zeros(129 * 129, dtype=bool)
    for piece in pieces:
        first = ord(piece[0]) * 129
        if len(piece) == 1:
            wanted[first:first + 129] = True
        else:
            wanted[first + ord(piece[1])] = True
    candidates = np.flatnonzero(wanted.take(pairs))
    by_pair = np.argsort(pairs[candidates], kind="stable")  # candidates by pair, in text order
    sorted_pairs = pairs[candidates[by_pair]]
    found = {}
    for piece in pieces:
        first = ord(piece[0]) * 129
        low, high = (first, first + 129) if len(piece) == 1 else (first + ord(piece[1]), first + ord(piece[1]) + 1)
        in_range = by_pair[np.searchsorted(sorted_pairs, low):np.searchsorted(sorted_pairs, high)]
        positions = np.sort(candidates[in_range])
        positions = positions[positions <= len(codes) - len(piece)]
        for offset in range(2, len(piece)):
            positions = positions[codes[positions + offset] == ord(piece[offset])]
        found[piece] = positions
    return found


def _occurrences(text: str, pieces) -> set[int]:
    """Every offset where one of ``pieces`` occurs in ``text`` (overlaps included)."""
    found = set()
    for piece in pieces:
        position = text.find(piece)
        while position >= 0:
            found.add(position)
            position = text.find(piece, position + 1)
    return found


def _plain_candidates(text: str, lowered: str, matcher: Matcher, *, code_points: np.ndarray) -> np.ndarray:
    """Plain-pattern spans (rows ``begin, end, label``): the longest match at each word start,
    then its shorter prefixes, each distinct match looked up once (``code_points``: those of ``lowered``)."""
    same_length = len(lowered) == len(text)
    if same_length and matcher.plain_words is not None:
        begin, codes, distinct = _plain_word_matches(lowered, matcher.plain_words, codes=code_points)
    else:
        scan = matcher.plain.finditer(lowered) if same_length else matcher.plain_any_case.finditer(text)
        longest_matches = [(m.start(), m.group(m.lastindex)) for m in scan]
        begin = np.array([begin for begin, _ in longest_matches], dtype="int64")
        codes, distinct = pd.factorize(np.array([match for _, match in longest_matches], dtype=object))
    if not len(begin):
        return np.zeros((0, 3), dtype="int64")
    spans = [_prefix_labels(match, matcher.plain_keys, same_length=same_length) for match in distinct]
    n_spans = np.fromiter(map(len, spans), dtype="int64", count=len(spans))
    ends_labels = np.array([span for match_spans in spans for span in match_spans], dtype="int64").reshape(-1, 2)
    hit, within = owners_and_positions(n_spans[codes])
    span_no = (np.cumsum(n_spans) - n_spans)[codes[hit]] + within
    return np.column_stack((begin[hit], begin[hit] + ends_labels[span_no, 0], ends_labels[span_no, 1]))


def _prefix_labels(longest: str, keys: dict, *, same_length: bool) -> list[tuple[int, int]]:
    """``(end, label)`` of the plain keys that ``longest`` (a match) or a prefix of it spells."""
    if same_length and longest.isalnum():  # one lower-case word: it is its own key
        return [(len(longest), label) for label in keys.get(longest, ())]
    return [(end, label) for end in [e.end() for e in _PREFIX_END.finditer(longest)]
            for label in keys.get(plain_key(longest[:end]), ())]


def _plain_matches(lowered: str, matcher: Matcher) -> list[tuple[int, str]]:
    """``(start, longest plain pattern)`` of each match of ``matcher.plain`` in ``lowered``, as
    :func:`_plain_word_matches` finds them (or ``matcher.plain`` itself without plain words).

    Example:
        >>> from analysis.codebook import load_codebook
        >>> _plain_matches("sergei ryabkov, so-called talks", compile_matcher(load_codebook(), ("actors",)))
        [(0, 'sergei ryabkov'), (7, 'ryabkov')]
    """
    if matcher.plain_words is None:
        return [(m.start(), m.group(m.lastindex)) for m in matcher.plain.finditer(lowered)]
    codes = np.frombuffer(lowered.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    begin, numbers, distinct = _plain_word_matches(lowered, matcher.plain_words, codes=codes)
    return [(start, distinct[number]) for start, number in zip(begin.tolist(), numbers.tolist())]


def _plain_word_matches(lowered: str, words: PlainWords, *,
                        codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``begin, code, distinct``: where each longest plain match in ``lowered`` begins (in order)
    and which of ``distinct`` it spells. Runs of word characters are looked up in ``words`` all
    at once; a leading word is its own match unless the next run is the second word of one of its
    longer keys: then the two words of a simple key are compared at once, and only if they differ
    is its regex of rests tried. ``codes``: the code points of ``lowered`` (little-endian ``uint32``)."""
    edges = np.flatnonzero(np.diff(_word_characters(codes).view(np.int8), prepend=np.int8(0), append=np.int8(0)))
    starts, ends = edges[0::2], edges[1::2]  # each run's start, then its end
    numbers = _word_numbers(codes, starts, ends, words)
    runs = np.flatnonzero((numbers >= 0) & (numbers < words.n_leading))
    leading, following = numbers[runs], np.append(numbers[1:], -1)[runs]
    tried = words.open_rest[leading] | ((following >= 0) & words.followers[leading, following])
    own = runs[words.own_key[leading] & ~tried]
    runs, leading, following = runs[tried], leading[tried], following[tried]
    pair_keys = np.where(following >= 0, words.pair_keys[leading, following], -1)  # -1: no next run, or no such key
    spelled = _two_words_spelled(codes, words, starts, ends, runs, pair_keys)
    longer_begin, longer_code, longer = _longer_matches(lowered, words, starts, ends, numbers, runs[~spelled])
    begin = np.concatenate((starts[own], starts[runs[spelled]], longer_begin))
    code = np.concatenate((numbers[own], pair_keys[spelled] + len(words.words),
                           longer_code + len(words.words) + len(words.two_word_keys)))
    order = np.argsort(begin, kind="stable")
    return begin[order], code[order], [*words.words, *words.two_word_keys, *longer]


def _two_words_spelled(codes: np.ndarray, words: PlainWords, starts: np.ndarray, ends: np.ndarray,
                       runs: np.ndarray, pair_keys: np.ndarray) -> np.ndarray:
    """Mask of ``runs`` where the two-word key ``pair_keys`` (-1: none) is written as it is in
    the codebook: its separator between the run and the next one, its tail after that."""
    spelled = np.zeros(len(runs), dtype=bool)
    for separator, tail, key_numbers in words.two_word_forms:
        chosen = np.flatnonzero(np.isin(pair_keys, key_numbers))
        at = runs[chosen]
        same = (starts[at + 1] - ends[at] == len(separator)) & _spells(codes, ends[at], separator) \
            & _spells(codes, ends[at + 1], tail)
        spelled[chosen[same]] = True
    return spelled


def _spells(codes: np.ndarray, positions: np.ndarray, text: str) -> np.ndarray:
    """Mask of ``positions`` where the code points ``codes`` spell ``text``.

    Example:
        >>> _spells(np.frombuffer("u.s. u.n".encode("utf-32-le"), dtype="<u4"), np.array([1, 3, 6, 7]), ".").tolist()
        [True, True, True, False]
    """
    spelled = positions <= len(codes) - len(text)
    for offset, character in enumerate(text):
        spelled[spelled] = codes[positions[spelled] + offset] == ord(character)
    return spelled


def _longer_matches(lowered: str, words: PlainWords, starts: np.ndarray, ends: np.ndarray, numbers: np.ndarray,
                    runs: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``begin, code, distinct`` of the matches of the leading words at ``runs`` with their rests."""
    begin, code, distinct = [], [], {}
    for start, end, number in zip(starts[runs].tolist(), ends[runs].tolist(), numbers[runs].tolist()):
        rest = words.rests[number].match(lowered, end)
        if rest:
            begin.append(start)
            code.append(distinct.setdefault(lowered[start:rest.end()], len(distinct)))
    return np.array(begin, dtype="int64"), np.array(code, dtype="int64"), list(distinct)


def _word_characters(codes: np.ndarray) -> np.ndarray:
    """Per code point, whether ``re`` reads it as a word character (``\\w``).

    Example:
        >>> _word_characters(np.array([ord(ch) for ch in "a-é’_"], dtype=np.uint32)).tolist()
        [True, False, True, False, True]
    """
    low_bytes = codes.astype(np.uint8).tobytes()  # right for ASCII; the rest is set below
    is_word = np.frombuffer(bytearray(low_bytes.translate(_ASCII_WORD)), dtype=bool)
    beyond = np.flatnonzero(codes > 127)
    if len(beyond):
        distinct, which = np.unique(codes[beyond], return_inverse=True)
        is_word[beyond] = np.array([bool(_WORD_CHARACTER.match(chr(code))) for code in distinct.tolist()])[which]
    return is_word


def _word_numbers(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, words: PlainWords) -> np.ndarray:
    """Per run of word characters ``codes[start:end]`` (``codes`` little-endian ``uint32``), its
    number in ``words.words`` (-1: none): runs of a possible shape are compared, as text, with
    the words of their length."""
    lengths = ends - starts
    shape = (np.where(lengths <= words.width, lengths, 0) * 129 + np.minimum(codes[starts], 128)) * 129 \
        + np.minimum(codes[ends - 1], 128)
    runs = np.flatnonzero(words.shapes[shape])
    run_lengths = lengths[runs]
    numbers = np.full(len(starts), -1, dtype="int64")
    for length, texts, text_numbers in words.by_length:
        group = runs[run_lengths == length]
        if not len(group):  # also when the text is shorter than ``length``
            continue
        found = sliding_window_view(codes, length)[starts[group]].view(f"<U{length}").ravel()
        slot = np.minimum(np.searchsorted(texts, found), len(texts) - 1)
        same = texts[slot] == found
        numbers[group[same]] = text_numbers[slot[same]]
    return numbers


def _leftmost_longest(begin: np.ndarray, end: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Mask of spans kept within each group: leftmost first, then the longest; no overlaps."""
    length = end - begin
    order = np.lexsort(_packed_keys([group, begin, length.max(initial=0) - length])[::-1])
    shift = group[order] * (int(end.max(initial=0)) + 1)
    b, e = begin[order] + shift, end[order] + shift
    reach = np.concatenate(([-1], np.maximum.accumulate(e)[:-1]))
    kept = b >= reach
    cluster = np.cumsum(kept)
    crowded = np.flatnonzero(np.bincount(cluster)[cluster] > 1)
    last_end = -1
    for i in crowded.tolist():  # only spans that overlap a neighbour need a sequential pass
        if kept[i]:
            last_end = e[i]
        elif b[i] >= last_end:
            kept[i], last_end = True, e[i]
    mask = np.empty_like(kept)
    mask[order] = kept
    return mask


def _evidence_frame(hits: pd.DataFrame) -> pd.DataFrame:
    evidence = hits[EVIDENCE_COLUMNS].copy()
    types = {"article_id": "str", "outlet": "str", "sentence_index": "int64", "start": "int64",
             "end": "int64", "match": "str", "category": "str", "term": "str", "sentence": "str",
             "section": "str"}
    return evidence.astype(types)


def _sort_evidence(evidence: pd.DataFrame) -> pd.DataFrame:
    keys = ["article_id", "start", "end", "section", "category", "term"]
    return evidence.sort_values(keys, ignore_index=True, kind="stable")


def _section_labels(evidence: pd.DataFrame, section: str, codebook: Codebook | None) -> pd.DataFrame:
    if codebook is not None:
        rows = [(t.category, t.name) for g in codebook.match_groups(section) for t in g.terms]
    else:
        seen = evidence.loc[evidence["section"] == section, ["category", "term"]]
        rows = list(seen.itertuples(index=False, name=None))
    labels = pd.DataFrame(rows, columns=["category", "term"], dtype="str").drop_duplicates()
    return labels.sort_values(["category", "term"], ignore_index=True)


def _with_rates(table: pd.DataFrame) -> pd.DataFrame:
    """Rates with intervals, computed once per distinct ``count, words, design_effect``."""
    keys = ["count", "words", "design_effect"]
    distinct = add_rate_columns(table[keys].drop_duplicates(), design_effect="design_effect")
    return table.merge(distinct, on=keys, how="left")


def _variant_share_effects(rows: pd.DataFrame) -> pd.DataFrame:
    """Design effect of each outlet's share of each variant among its concept's mentions, from
    the articles that mention the concept (:func:`analysis.stats.share_design_effects`)."""
    keys = ["outlet", "category", "term"]
    if "article_id" not in rows.columns:  # no articles to tell apart: independent mentions
        return pd.DataFrame(columns=[*keys, "n_articles", "design_effect"])
    per_article = rows.groupby(["article_id", *keys], sort=False).size().rename("count").reset_index()
    variants = per_article[["category", "term"]].drop_duplicates()
    mentions = per_article.groupby(["article_id", "outlet", "category"], sort=False)["count"].sum().rename("n")
    grid = mentions.reset_index().merge(variants, on="category")
    per_article = grid.merge(per_article, on=["article_id", *keys], how="left").fillna({"count": 0})
    return share_design_effects(per_article, by=keys, successes="count", total="n")


def _hedged_span(sentence: str, offset: int, *, max_words: int) -> tuple[int, int]:
    """Span (in the sentence) of the words hedged by a marker ending at ``offset``."""
    tokens = [t._replace(start=t.start + offset, end=t.end + offset) for t in tokenize(sentence[offset:])]
    while tokens and tokens[0].text in {",", ":"}:
        tokens = tokens[1:]
    if tokens and tokens[0].text.lower() == "that":
        tokens = tokens[1:]
    if not tokens:
        return offset, offset
    if tokens[0].text in _OPENING_QUOTES:
        close = sentence.find(_OPENING_QUOTES[tokens[0].text], tokens[0].end)
        if close > tokens[0].end:
            return tokens[0].end, close
    words = _phrase_words(tokens, max_words=max_words)
    return (words[0].start, words[-1].end) if words else (tokens[0].start, tokens[0].start)


def _phrase_words(tokens: list, *, max_words: int) -> list:
    """Leading word tokens up to punctuation, a clause word or a coordinator that starts a new
    phrase ("and" continues only "aggressive and provocative ..."); quote marks are passed over."""
    words = []
    for position, token in enumerate(tokens):
        lowered = token.text.lower()
        if not token.text[0].isalnum():
            if token.text in _OPENING_QUOTES or token.text in _OPENING_QUOTES.values():
                continue
            break
        if lowered in _CLAUSE_WORDS:
            break
        if lowered in _COORDINATORS:
            following = tokens[position + 1].text.lower() if position + 1 < len(tokens) else ""
            if len(words) != 1 or following in _DETERMINERS:
                break
        words.append(token)
        if len(words) == max_words:
            break
    return words

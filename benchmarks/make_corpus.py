"""Synthetic corpora for the benchmarks, resampled from the seed articles' cleaned sentences.

A synthetic corpus has the layout of ``corpus/``: ``raw/<id>.txt`` files (UTF-8, LF line
endings, no final newline) and a ``metadata.csv`` with their SHA-256, so
``analysis.corpus.load_corpus`` reads it like the real one.

How it is built (all draws from one ``numpy`` generator seeded with ``seed``):

- The units are the seeds' cleaned sentences (headlines apart). A paragraph closed by a
  speaker line in the Pledge Times style (statements, then ``Sergey Ryabkov Deputy Foreign
  Minister of Russia`` without quotation marks) is one unit, so that style survives.
- Articles come in *stories* of 3-8 articles from different outlets on one date. Each story
  has a wire text: seed units with 40% of their lower-case words replaced by words drawn
  from the seeds' own vocabulary (by frequency). An article copies wire units verbatim
  (shared wire copy), rewrites them lightly (near duplicates for the alignment stage), or
  adds a fresh rewrite of any seed unit. Quotation marks, capitals (names, actors, NATO)
  and punctuation are never touched, so quotes and codebook terms keep their seed rates.
- Each article is 300-700 words, in paragraphs of 1-3 units, under a headline; outlets
  (8-20 fictional names) each have a house style: blank lines or not between paragraphs,
  and page chrome above and below the article taken from the lines the seeds' cleaning
  set aside (``Contact Us``, bylines, photo credits, comment forms).

Run ``python benchmarks/make_corpus.py OUT_DIR --articles 1000`` or call
:func:`make_synthetic_corpus`.

Example:
    >>> import tempfile
    >>> from analysis.corpus import load_corpus
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = make_synthetic_corpus(folder, 12)
    ...     articles = load_corpus(folder)
    >>> len(articles), bool(articles.n_words.between(250, 800).all())
    (12, True)
"""
from __future__ import annotations

import argparse
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis import paths
from analysis.corpus import METADATA_COLUMNS, build_corpus
from analysis.sentences import sentences_table

DEFAULT_SEED = 2022
WORDS_PER_ARTICLE = (300, 700)
OUTLETS_PER_CORPUS = (8, 20)
ARTICLES_PER_STORY = (3, 8)
WIRE_UNITS = 40
WIRE_REWRITE_RATE = 0.4
LIGHT_REWRITE_RATE = 0.15
# Share of an article's units: verbatim wire copy, light rewrite of the wire, fresh rewrite.
UNIT_SOURCE_SHARES = (0.35, 0.40, 0.25)
STORY_DATES = pd.date_range("2022-01-09", "2022-01-14").strftime("%Y-%m-%d").tolist()
TOP_CHROME_RULES = ("site_chrome", "byline", "photo_credit")
TAIL_CHROME_RULES = ("related_posts", "comment_form")
OUTLET_PLACES = ("Geneva", "Baltic", "Danube", "Caspian", "Atlantic", "Alpine",
                 "Northern", "Harbour", "Meridian", "Steppe", "Lakeside", "Riverside")
OUTLET_KINDS = ("Herald", "Courier", "Observer", "Dispatch", "Gazette", "Ledger",
                "Monitor", "Wire", "Post", "Times", "Review", "Chronicle")
# A lower-case word of 3+ letters standing alone (not inside Russia's, so-called or U.S.).
REPLACEABLE_WORD = re.compile(r"(?<![\w'’.-])([a-z]{3,})(?![\w'’-])")


class Unit(NamedTuple):
    """A resampling unit: text split into alternating fixed pieces and replaceable words."""

    parts: tuple[str, ...]
    n_words: int
    is_attribution: bool


@dataclass(frozen=True)
class SeedPool:
    """What synthetic articles are made of, all taken from the seed corpus."""

    units: list[Unit]
    headlines: list[Unit]
    vocabulary: np.ndarray
    top_chrome: list[str]
    tail_chrome: list[str]


@dataclass(frozen=True)
class Outlet:
    """A fictional outlet and its house style."""

    name: str
    slug: str
    paragraph_separator: str
    top_chrome: tuple[str, ...]
    tail_chrome: tuple[str, ...]


def split_unit(text: str, *, n_words: int, is_attribution: bool = False) -> Unit:
    """Split ``text`` into fixed pieces and replaceable words (odd positions of ``parts``).

    Example:
        >>> split_unit("Russia's talks ended.", n_words=3).parts
        ("Russia's ", 'talks', ' ', 'ended', '.')
    """
    return Unit(tuple(REPLACEABLE_WORD.split(text)), n_words, is_attribution)


def rewrite(unit: Unit, rng: np.random.Generator, *, rate: float, vocabulary: np.ndarray) -> Unit:
    """Replace each replaceable word of ``unit`` with probability ``rate`` by a vocabulary word.

    Args:
        unit: the unit to rewrite.
        rng: the random generator.
        rate: probability that a word is replaced.
        vocabulary: words to draw from (repeats make frequent words likelier).

    Returns:
        A new :class:`Unit` with the same pieces around the words, so it can be rewritten again.

    Example:
        >>> unit = split_unit("The talks ended.", n_words=3)
        >>> "".join(rewrite(unit, np.random.default_rng(1), rate=1.0, vocabulary=np.array(["vote"])).parts)
        'The vote vote.'
    """
    n_replaceable = len(unit.parts) // 2
    chosen = np.flatnonzero(rng.random(n_replaceable) < rate)
    if not chosen.size:
        return unit
    parts = list(unit.parts)
    for index, word in zip(chosen, vocabulary[rng.integers(len(vocabulary), size=chosen.size)]):
        parts[2 * index + 1] = word
    return unit._replace(parts=tuple(parts))


def seed_pool(corpus_dir: str | Path = paths.CORPUS_DIR) -> SeedPool:
    """Units, headlines, vocabulary and page chrome of the seed corpus.

    Example:
        >>> pool = seed_pool()
        >>> len(pool.units) > 100, any(unit.is_attribution for unit in pool.units)
        (True, True)
    """
    corpus = build_corpus(corpus_dir)
    sentences = sentences_table(corpus.articles)
    headlines = sentences[sentences["is_headline"]]
    body = sentences[~sentences["is_headline"]]
    headline_units = [split_unit(row.text, n_words=row.n_words) for row in headlines.itertuples()]
    vocabulary = np.array(REPLACEABLE_WORD.findall(" ".join(body["text"])), dtype=object)
    log = corpus.log
    return SeedPool(
        units=_body_units(body),
        headlines=headline_units,
        vocabulary=vocabulary,
        top_chrome=log.loc[log["rule"].isin(TOP_CHROME_RULES), "text"].str.strip().tolist(),
        tail_chrome=log.loc[log["rule"].isin(TAIL_CHROME_RULES), "text"].str.strip().tolist(),
    )


def _body_units(body: pd.DataFrame) -> list[Unit]:
    """Units of the seed sentences, in text order.

    A sentence is a unit, except that a quotation running over several sentences stays one
    unit (so its marks stay balanced) and a paragraph closed by a speaker line is one unit.
    """
    units = []
    for _, paragraph in body.groupby(["article_id", "paragraph"], sort=True):
        if paragraph["is_attribution"].any():
            units.append(split_unit(" ".join(paragraph["text"]), n_words=int(paragraph["n_words"].sum()),
                                    is_attribution=True))
            continue
        texts, n_words = [], 0
        for text, words in zip(paragraph["text"], paragraph["n_words"]):
            texts.append(text)
            n_words += int(words)
            if _quotes_balanced(" ".join(texts)):
                units.append(split_unit(" ".join(texts), n_words=n_words))
                texts, n_words = [], 0
        if texts:
            units.append(split_unit(" ".join(texts), n_words=n_words))
    return units


def _quotes_balanced(text: str) -> bool:
    """True when ``text`` closes every double quotation mark it opens (curly or straight)."""
    return text.count("“") == text.count("”") and text.count('"') % 2 == 0


def make_outlets(rng: np.random.Generator, pool: SeedPool) -> list[Outlet]:
    """8-20 fictional outlets, each with a paragraph separator and page chrome.

    Example:
        >>> outlets = make_outlets(np.random.default_rng(2022), seed_pool())
        >>> 8 <= len(outlets) <= 20, len({o.name for o in outlets}) == len(outlets)
        (True, True)
    """
    n_outlets = int(rng.integers(OUTLETS_PER_CORPUS[0], OUTLETS_PER_CORPUS[1] + 1))
    names = [f"{place} {kind}" for place in OUTLET_PLACES for kind in OUTLET_KINDS]
    outlets = []
    for name in rng.choice(names, size=n_outlets, replace=False):
        n_top = min(int(rng.integers(0, 3)), len(pool.top_chrome))
        top = rng.choice(pool.top_chrome, size=n_top, replace=False) if n_top else []
        tail = pool.tail_chrome if rng.random() < 0.3 else []
        outlets.append(Outlet(
            name=str(name), slug=str(name).lower().replace(" ", "-"),
            paragraph_separator="\n\n" if rng.random() < 0.5 else "\n",
            top_chrome=tuple(str(line) for line in top), tail_chrome=tuple(tail),
        ))
    return sorted(outlets, key=lambda outlet: outlet.name)


def article_units(rng: np.random.Generator, wire: list[Unit], pool: SeedPool) -> list[Unit]:
    """Body units of one article until it holds 300-700 words (drawn), mostly from ``wire``.

    Example:
        >>> pool = seed_pool()
        >>> units = article_units(np.random.default_rng(3), pool.units[:40], pool)
        >>> 300 <= sum(unit.n_words for unit in units) <= 760
        True
    """
    target = int(rng.integers(WORDS_PER_ARTICLE[0], WORDS_PER_ARTICLE[1] + 1))
    order = rng.permutation(len(wire))
    sources = rng.choice(len(UNIT_SOURCE_SHARES), size=len(wire), p=UNIT_SOURCE_SHARES)
    units, n_words = [], 0
    for index, source in zip(order, sources):
        if n_words >= target:
            break
        if source == 0:
            unit = wire[index]
        elif source == 1:
            unit = rewrite(wire[index], rng, rate=LIGHT_REWRITE_RATE, vocabulary=pool.vocabulary)
        else:
            fresh = pool.units[int(rng.integers(len(pool.units)))]
            unit = rewrite(fresh, rng, rate=WIRE_REWRITE_RATE, vocabulary=pool.vocabulary)
        units.append(unit)
        n_words += unit.n_words
    return units


def article_text(rng: np.random.Generator, headline: str, units: list[Unit], outlet: Outlet) -> str:
    """The raw page: chrome, headline, paragraphs of 1-3 units, chrome; no final newline.

    A unit closed by a speaker line always ends its paragraph.

    Example:
        >>> outlet = Outlet("Alpine Post", "alpine-post", "\\n", ("Subscribe",), ())
        >>> units = [split_unit(t, n_words=2) for t in ("Talks ended.", "Russia responds.")]
        >>> article_text(np.random.default_rng(0), "Talks", units, outlet).splitlines()[:2]
        ['Subscribe', 'Talks']
    """
    paragraphs, current = [], []
    sizes = iter(rng.integers(1, 4, size=len(units)))
    size = next(sizes, 1)
    for unit in units:
        if unit.is_attribution and current:
            paragraphs.append(" ".join(current))
            current = []
        current.append("".join(unit.parts))
        if unit.is_attribution or len(current) >= size:
            paragraphs.append(" ".join(current))
            current, size = [], next(sizes, 1)
    if current:
        paragraphs.append(" ".join(current))
    lines = [*outlet.top_chrome, headline, *paragraphs, *outlet.tail_chrome]
    return outlet.paragraph_separator.join(lines)


def make_synthetic_corpus(
    out_dir: str | Path, n_articles: int, *, seed: int = DEFAULT_SEED,
    seed_corpus_dir: str | Path = paths.CORPUS_DIR,
) -> Path:
    """Write a synthetic corpus of ``n_articles`` articles (raw files + metadata.csv).

    Args:
        out_dir: the corpus folder to create (``raw/`` inside; existing files overwritten).
        n_articles: how many articles (at least 1).
        seed: seed of every random draw; the same seed gives byte-identical files.
        seed_corpus_dir: the corpus whose cleaned sentences are resampled.

    Returns:
        The path of the written ``metadata.csv``.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        ...     first = make_synthetic_corpus(a, 5).read_bytes()
        ...     first == make_synthetic_corpus(b, 5).read_bytes()
        True
    """
    if n_articles < 1:
        raise ValueError(f"n_articles must be at least 1, got {n_articles}")
    rng = np.random.default_rng(seed)
    pool = seed_pool(seed_corpus_dir)
    outlets = make_outlets(rng, pool)
    raw_dir = Path(out_dir) / "raw"
    raw_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    while len(rows) < n_articles:
        rows.extend(_write_story(rng, pool, outlets, raw_dir, first_index=len(rows),
                                 n_articles=min(n_articles - len(rows), _story_size(rng))))
    metadata_path = Path(out_dir) / "metadata.csv"
    pd.DataFrame(rows, columns=list(METADATA_COLUMNS)).to_csv(
        metadata_path, index=False, lineterminator="\n", encoding="utf-8")
    return metadata_path


def _story_size(rng: np.random.Generator) -> int:
    return int(rng.integers(ARTICLES_PER_STORY[0], ARTICLES_PER_STORY[1] + 1))


def _write_story(rng, pool: SeedPool, outlets: list[Outlet], raw_dir: Path, *,
                 first_index: int, n_articles: int) -> list[dict[str, str]]:
    """Write the articles of one story (one wire text, distinct outlets); their metadata rows."""
    chosen = rng.choice(len(pool.units), size=min(WIRE_UNITS, len(pool.units)), replace=False)
    wire = [rewrite(pool.units[i], rng, rate=WIRE_REWRITE_RATE, vocabulary=pool.vocabulary) for i in chosen]
    story_headline = rewrite(pool.headlines[int(rng.integers(len(pool.headlines)))], rng,
                             rate=WIRE_REWRITE_RATE, vocabulary=pool.vocabulary)
    date = STORY_DATES[int(rng.integers(len(STORY_DATES)))]
    rows = []
    for offset, outlet_index in enumerate(rng.choice(len(outlets), size=n_articles, replace=False)):
        outlet = outlets[outlet_index]
        headline = "".join(rewrite(story_headline, rng, rate=LIGHT_REWRITE_RATE, vocabulary=pool.vocabulary).parts)
        data = article_text(rng, headline, article_units(rng, wire, pool), outlet).encode("utf-8")
        sha256 = hashlib.sha256(data).hexdigest()
        article_id = f"{first_index + offset:06d}_{sha256[:16]}"
        (raw_dir / f"{article_id}.txt").write_bytes(data)
        rows.append({
            "id": article_id, "file": f"raw/{article_id}.txt", "outlet": outlet.name,
            "country": "synthetic", "url": f"https://{outlet.slug}.example/news/{article_id}",
            "date": date, "language": "en", "headline": headline, "sha256": sha256,
            "notes": f"Synthetic benchmark article (story starting at {first_index:06d}), "
                     "resampled from the seed corpus' cleaned sentences.",
        })
    return rows


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python benchmarks/make_corpus.py OUT_DIR --articles N [--seed S]``.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     main([folder, "--articles", "3"])
        wrote 3 articles to ...
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="corpus folder to create")
    parser.add_argument("--articles", type=int, default=1000, help="number of articles (default 1000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 2022)")
    args = parser.parse_args(argv)
    make_synthetic_corpus(args.out_dir, args.articles, seed=args.seed)
    print(f"wrote {args.articles} articles to {args.out_dir}")


if __name__ == "__main__":
    main()

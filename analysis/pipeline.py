"""The whole analysis of one corpus with one codebook, as tables, cached.

:func:`run_study` is what every notebook calls first. It loads and cleans the corpus, then
runs the per-article stages (sentences, quotations, codebook matches, speech acts, sentence
and voice sentiment) over partitions of articles, and the corpus-wide stages (shared copy,
cross-outlet alignment). Results are cached as Parquet, keyed by the corpus, the codebook
and the package source (:mod:`analysis.cache`), so rerunning a notebook does not recompute
unchanged work and any change to an input recomputes.

Every table is traceable: rows carry ``article_id`` and ``sentence_index`` (and offsets
into the cleaned text), so any number derived from them can be checked against the
sentences behind it.

Example:
    >>> study = run_study(paths.CORPUS_DIR, paths.DEFAULT_CODEBOOK, cache=False)
    >>> sorted(study.articles.outlet)
    ['A News', 'Al Mayadeen', 'Front News', 'Pledge Times', 'Ru-Main']
"""
from __future__ import annotations

import gc
import tempfile
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

import pandas as pd
from analysis import alignment, engines, findings, paths, quotes, sentences as sentence_module, sentiment, voices
from analysis.cache import (PendingEntry, TableCache, cache_key, ensure_entry, read_part, read_table, write_part,
                            write_table_file)
from analysis.cleaning import CleaningRules
from analysis.codebook import Codebook, load_codebook
from analysis.corpus import CleanedCorpus, clean_articles, corpus_rules, read_metadata, write_processed
from analysis.measures import find_matches

# Entry name of a run that is not cached (it lives in a temporary folder of its own).
UNCACHED_KEY = "0" * 64


class _Table:
    """A table of :class:`StudyResults`, read from the store the first time it is used."""

    def __init__(self, doc: str):
        self.__doc__ = doc

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, study, owner=None):
        return self if study is None else study.table(self.name)


class StudyResults:
    """Every table of one run. Names say what each row is.

    Tables are read from the run's Parquet store when first used (then kept), so a large
    run costs memory only for the tables a notebook looks at.

    Example:
        >>> study = StudyResults({"sentences": pd.DataFrame({"text": ["Talks ended."]})}.__getitem__)
        >>> study.sentences.text.tolist()
        ['Talks ended.']
    """

    articles = _Table("one row per article with metadata and cleaned text")
    cleaning_log = _Table("one row per line (or part) set aside in cleaning, with its rule")
    sentences = _Table("one row per sentence (offsets into the cleaned text)")
    quotes = _Table("one row per quotation span, with kind, speaker and reason")
    evidence = _Table("one row per codebook match (terms, naming, actors, facts)")
    speech_acts = _Table('one row per "speaker + reporting verb" attribution')
    sentence_scores = _Table("the sentences table with VADER scores")
    voice_scores = _Table("one row per sentence and voice (narrator / quoted) with VADER scores")
    voice_pieces = _Table("the narrator and quoted pieces each sentence was cut into")
    shared_copy = _Table("one row per sentence, whether it is shared near-verbatim with another outlet")
    alignment = _Table("pairs of sentences of different outlets that report the same thing "
                       "(speaker lines left out)")
    outlet_counts = _Table("one row per outlet: articles, sentences, words, quotations, matches, ... "
                           "(summed from each partition's counts)")

    def __init__(self, read: Callable[[str], pd.DataFrame], *, keep_alive: object = None):
        """Args: ``read`` returns a table by name; ``keep_alive`` is held as long as the results
        (e.g. the temporary folder the tables are read from)."""
        self._read = read
        self._loaded: dict[str, pd.DataFrame] = {}
        self._keep_alive = keep_alive

    @classmethod
    def table_names(cls) -> tuple[str, ...]:
        """Names of the tables, in order.

        Example:
            >>> StudyResults.table_names()[:3]
            ('articles', 'cleaning_log', 'sentences')
        """
        return tuple(name for name, value in vars(cls).items() if isinstance(value, _Table))

    def table(self, name: str, *, keep: bool = True) -> pd.DataFrame:
        """Table ``name``, read on first use.

        Args:
            name: one of :meth:`table_names`.
            keep: keep the table for the next use (attribute access does); False reads it
                without keeping it, for one pass over a large run (e.g. writing CSV).

        Example:
            >>> StudyResults({"quotes": pd.DataFrame({"kind": ["scare"]})}.__getitem__).table("quotes").kind[0]
            'scare'
        """
        if name not in self.table_names():
            raise KeyError(f"no table {name!r}; tables: {', '.join(self.table_names())}")
        if name in self._loaded:
            return self._loaded[name]
        table = self._read(name)
        if keep:
            self._loaded[name] = table
        return table

    def as_dict(self) -> dict[str, pd.DataFrame]:
        """The tables by name (reads every table).

        Example:
            >>> study = run_study(cache=False, write_tables=False)
            >>> list(study.as_dict())[:2]
            ['articles', 'cleaning_log']
        """
        return {name: self.table(name) for name in self.table_names()}


# Tables of the per-article stages, in two passes over the same partitions: the text (the
# cleaned articles, their cleaning log, sentences) and the measures read from it.
TEXT_TABLES = ("articles", "cleaning_log", "sentences")
MEASURE_TABLES = ("quotes", "evidence", "speech_acts", "sentence_scores", "voice_scores", "voice_pieces")


def partition_text(metadata: pd.DataFrame, *, corpus_dir: Path, rules: CleaningRules) -> dict[str, pd.DataFrame]:
    """Read, clean and split into sentences the articles of one partition of the metadata.

    Returns:
        The tables named in :data:`TEXT_TABLES`.

    Example:
        >>> from analysis.corpus import corpus_rules, read_metadata
        >>> tables = partition_text(read_metadata().head(1), corpus_dir=paths.CORPUS_DIR,
        ...                         rules=corpus_rules(paths.CORPUS_DIR))
        >>> tables["articles"].outlet.tolist(), len(tables["sentences"]) > 10
        (['Al Mayadeen'], True)
    """
    corpus = clean_articles(corpus_dir, metadata, rules=rules)
    return {"articles": corpus.articles, "cleaning_log": corpus.log,
            "sentences": sentence_module.sentences_table(corpus.articles)}


def measure_articles(articles: pd.DataFrame, sentence_table: pd.DataFrame, codebook: Codebook) -> dict[str, pd.DataFrame]:
    """The per-article measures of some articles and their sentences (no article depends on another).

    Args:
        articles: rows of the articles table (``analysis.corpus.load_corpus``).
        sentence_table: their sentences (``analysis.sentences.sentences_table``).
        codebook: the loaded codebook.

    Returns:
        The tables named in :data:`MEASURE_TABLES`.

    Example:
        >>> from analysis.corpus import load_corpus
        >>> articles = load_corpus().head(1)
        >>> tables = measure_articles(articles, sentence_module.sentences_table(articles), load_codebook())
        >>> sorted(tables) == sorted(MEASURE_TABLES)
        True
    """
    quote_table = quotes.quotes_table(articles, sentence_table, codebook=codebook)
    pieces = sentiment.split_voices(sentence_table, quote_table)
    sentence_scores = sentiment.score_sentence_table(sentence_table)
    return {
        "quotes": quote_table,
        "evidence": find_matches(sentence_table, codebook),
        "speech_acts": voices.speech_acts(sentence_table, codebook),
        "sentence_scores": sentence_scores,
        # a narrator piece that is the whole sentence reuses its score (same string, same value)
        "voice_scores": sentiment.score_voices(pieces, sentence_scores=sentence_scores),
        "voice_pieces": pieces,
    }


# Corpus-wide stages: they compare outlets, so they run on all sentences after the first pass,
# from one tokenisation of the sentences (alignment.text_words). Alignment leaves out speaker
# lines (findings.content_alignment): they match each other on a name and a title alone, not
# on what was reported.
CORPUS_STAGES = {"shared_copy": alignment.shared_copy, "alignment": findings.content_alignment}
# Columns of the sentences table the corpus-wide stages read.
CORPUS_STAGE_COLUMNS = ["article_id", "sentence_index", "outlet", "text", "is_attribution"]


def _outlet_sizes(name: str) -> Callable[[dict[str, pd.DataFrame]], pd.Series]:
    return lambda tables: tables[name].groupby("outlet").size()


def _outlet_sums(name: str, column: str) -> Callable[[dict[str, pd.DataFrame]], pd.Series]:
    return lambda tables: tables[name].groupby("outlet")[column].sum()


def _cleaning_log_rows(tables: dict[str, pd.DataFrame]) -> pd.Series:
    outlet_of_article = tables["articles"].set_index("article_id")["outlet"]
    return tables["cleaning_log"]["article_id"].map(outlet_of_article).value_counts()


# Each per-outlet count: the tables it is counted from, and how.
OUTLET_COUNTERS = {
    "articles": (("articles",), _outlet_sizes("articles")),
    "sentences": (("sentences",), _outlet_sizes("sentences")),
    "words": (("sentences",), _outlet_sums("sentences", "n_words")),
    "headlines": (("sentences",), _outlet_sums("sentences", "is_headline")),
    "speaker_lines": (("sentences",), _outlet_sums("sentences", "is_attribution")),
    "quotations": (("quotes",), _outlet_sizes("quotes")),
    "codebook_matches": (("evidence",), _outlet_sizes("evidence")),
    "speech_acts": (("speech_acts",), _outlet_sizes("speech_acts")),
    "cleaning_log_rows": (("cleaning_log", "articles"), _cleaning_log_rows),
}
OUTLET_COUNT_COLUMNS = tuple(OUTLET_COUNTERS)


def outlet_counts(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per outlet: how many articles, sentences, words, quotations, ... a set of tables holds.

    Counts add up: the counts of a whole run are the sums of its partitions' counts
    (:func:`reduce_outlet_counts`), so they are reduced from partial counts, never from
    every table at once. Each count is made from the tables it needs
    (:data:`OUTLET_COUNTERS`) when ``tables`` has them, so the two passes over a partition
    each count their own tables.

    Args:
        tables: some of ``articles, cleaning_log, sentences, quotes, evidence,
            speech_acts`` of a partition or a run.

    Returns:
        Columns ``outlet`` and the int64 counts that ``tables`` allow, in
        :data:`OUTLET_COUNT_COLUMNS` order, sorted by outlet.

    Example:
        >>> from analysis.corpus import corpus_rules, read_metadata
        >>> tables = partition_text(read_metadata().head(1), corpus_dir=paths.CORPUS_DIR,
        ...                         rules=corpus_rules(paths.CORPUS_DIR))
        >>> outlet_counts(tables)[["outlet", "articles", "sentences", "words"]].values.tolist()
        [['Al Mayadeen', 1, 19, 467]]
    """
    counted = [name for name, (needed, _) in OUTLET_COUNTERS.items() if all(table in tables for table in needed)]
    if not counted:
        raise ValueError(f"nothing to count: give at least one of {', '.join(sorted(TEXT_TABLES + MEASURE_TABLES))}")
    counts = pd.DataFrame({name: OUTLET_COUNTERS[name][1](tables) for name in counted}, columns=counted)
    return _sorted_counts(counts.fillna(0))


def reduce_outlet_counts(partials: list[pd.DataFrame]) -> pd.DataFrame:
    """Sum per-outlet counts of partitions (and of both passes over them) into the run's.

    A count a partial lacks adds nothing.

    Example:
        >>> part = pd.DataFrame({"outlet": ["X"], **{c: [1] for c in OUTLET_COUNT_COLUMNS}})
        >>> quotes_only = pd.DataFrame({"outlet": ["Y"], "quotations": [5]})
        >>> reduce_outlet_counts([part, part, quotes_only])[["outlet", "articles", "quotations"]].values.tolist()
        [['X', 2, 2], ['Y', 0, 5]]
    """
    counts = pd.concat(partials).groupby("outlet").sum(min_count=0)
    return _sorted_counts(counts.reindex(columns=list(OUTLET_COUNT_COLUMNS)).fillna(0))


def _sorted_counts(counts: pd.DataFrame) -> pd.DataFrame:
    counts = counts.astype("int64").rename_axis("outlet").reset_index()
    counts["outlet"] = counts["outlet"].astype("str")
    return counts.sort_values("outlet", kind="stable", ignore_index=True)


# Allocations between young-generation garbage collections while a partition is analysed
# (Python's default is 700): the stages allocate millions of short-lived tuples and lists,
# and collecting them less often saved 3.5% of the per-article time (10k corpus).
YOUNG_COLLECTION_THRESHOLD = 20_000


@contextmanager
def _fewer_young_collections() -> Iterator[None]:
    """Raise the young-generation garbage-collection threshold for the block, then restore it.

    Example:
        >>> before = gc.get_threshold()
        >>> with _fewer_young_collections():
        ...     gc.get_threshold()[0]
        20000
        >>> gc.get_threshold() == before
        True
    """
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], YOUNG_COLLECTION_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


class StoredPartition(NamedTuple):
    """What a stored partition sends back: where its parts are, and its per-outlet counts."""

    first_row: int
    counts: pd.DataFrame


def store_partition_text(metadata: pd.DataFrame, *, folder: Path, corpus_dir: Path,
                         rules: CleaningRules) -> StoredPartition:
    """First pass over a partition: write its :func:`partition_text` tables as parts in ``folder``.

    Parts are named by the partition's first row in the metadata, so the tables read back
    in corpus order whichever process wrote them. Only the partition's per-outlet counts
    (:func:`outlet_counts`) travel back, to be reduced into the run's.

    Example:
        >>> import tempfile
        >>> from analysis.corpus import corpus_rules, read_metadata
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     stored = store_partition_text(read_metadata().head(2), folder=Path(folder),
        ...                                   corpus_dir=paths.CORPUS_DIR, rules=corpus_rules(paths.CORPUS_DIR))
        ...     sorted(p.name for p in Path(folder).iterdir())
        ['articles', 'cleaning_log', 'sentences']
        >>> stored.first_row, stored.counts[["outlet", "articles"]].values.tolist()
        (0, [['A News', 1], ['Al Mayadeen', 1]])
    """
    with _fewer_young_collections():
        tables = partition_text(metadata, corpus_dir=corpus_dir, rules=rules)
    first_row = int(metadata.index[0])
    for name, table in tables.items():
        write_part(folder, name, first_row, table)
    return StoredPartition(first_row, outlet_counts(tables))


def store_partition_measures(first_row: int, *, folder: Path, codebook: Codebook) -> pd.DataFrame:
    """Second pass over a partition: read its articles and sentences from ``folder``, write
    its :func:`measure_articles` tables beside them, return their per-outlet counts.

    Example:
        >>> import tempfile
        >>> from analysis.corpus import corpus_rules, read_metadata
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     stored = store_partition_text(read_metadata().head(2), folder=Path(folder),
        ...                                   corpus_dir=paths.CORPUS_DIR, rules=corpus_rules(paths.CORPUS_DIR))
        ...     counts = store_partition_measures(stored.first_row, folder=Path(folder), codebook=load_codebook())
        ...     sorted(p.name for p in Path(folder).iterdir())[:4]
        ['articles', 'cleaning_log', 'evidence', 'quotes']
        >>> counts.columns.tolist()
        ['outlet', 'quotations', 'codebook_matches', 'speech_acts']
    """
    with _fewer_young_collections():
        tables = measure_articles(read_part(folder, "articles", first_row), read_part(folder, "sentences", first_row),
                                  codebook)
    for name, table in tables.items():
        write_part(folder, name, first_row, table)
    return outlet_counts(tables)


def store_corpus_tables(folder: Path) -> dict[str, int]:
    """Compute the corpus-wide tables (:data:`CORPUS_STAGES`) from the sentences stored in
    ``folder`` and store them; returns their row counts.

    Reads only the columns the stages need (:data:`CORPUS_STAGE_COLUMNS`) and tokenises the
    sentences once for both.

    Example:
        >>> import tempfile
        >>> sentences = pd.DataFrame({"article_id": ["a", "b"], "sentence_index": [0, 0], "outlet": ["X", "Y"],
        ...     "text": ["Talks lasted eight hours.", "Talks lasted eight hours."], "is_attribution": [False, False]})
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     _ = write_part(folder, "sentences", 0, sentences)
        ...     store_corpus_tables(Path(folder))
        {'shared_copy': 2, 'alignment': 1}
    """
    sentence_table = read_table(folder, "sentences", columns=CORPUS_STAGE_COLUMNS)
    words = alignment.text_words(sentence_table["text"])
    rows = {}
    for name, stage in CORPUS_STAGES.items():
        table = stage(sentence_table, words=words)
        write_table_file(Path(folder) / f"{name}.parquet", table)
        rows[name] = len(table)
        del table
    return rows


def _compute_into(entry: PendingEntry, *, corpus_dir: Path, codebook: Codebook, engine: str | None,
                  partition_size: int, progress: bool) -> None:
    """Write every table of the study into ``entry``.

    First the text of every partition (:func:`store_partition_text`); then, all at once,
    the corpus-wide stages (first, as they are the longest task) and the measures of every
    partition, so that with Dask the workers share them out and none waits for the others.
    """
    with engines.open_session(engine, progress=progress) as session:  # first: Dask workers start importing
        metadata = read_metadata(corpus_dir).sort_values("id", kind="stable", ignore_index=True)
        store_text = partial(store_partition_text, folder=entry.folder, corpus_dir=corpus_dir,
                             rules=corpus_rules(corpus_dir))
        stored = session.map_partitions(store_text, metadata, partition_size=partition_size)
        measures = [partial(store_partition_measures, part.first_row, folder=entry.folder, codebook=codebook)
                    for part in stored]
        measure_counts = session.run([partial(store_corpus_tables, entry.folder), *measures],
                                     desc="measures and corpus-wide stages")[1:]
    entry.write("outlet_counts", reduce_outlet_counts([part.counts for part in stored] + measure_counts))


def run_study(
    corpus_dir: str | Path = paths.CORPUS_DIR,
    codebook_path: str | Path = paths.DEFAULT_CODEBOOK,
    *,
    cache: bool = True,
    engine: str | None = None,
    partition_size: int = engines.DEFAULT_PARTITION_SIZE,
    progress: bool = False,
    write_tables: bool = True,
) -> StudyResults:
    """Run (or load from the cache) the whole analysis of a corpus with a codebook.

    Articles are analysed partition by partition and each partition's tables are written to
    Parquet at once, so memory holds one partition at a time, not the whole run; the
    corpus-wide stages then read only the sentence columns they need. The returned
    :class:`StudyResults` reads a table when it is first used.

    Args:
        corpus_dir: corpus folder (``metadata.csv`` + raw files), as ``corpus/``.
        codebook_path: codebook YAML.
        cache: reuse tables cached for the same corpus, codebook and package source (in
            ``paths.CACHE_DIR``); when False, tables go to a temporary folder removed with the results.
        engine: ``"pandas"`` (one process) or ``"dask"`` (partitions run on a Dask cluster);
            default from the ``FRAMING_ENGINE`` environment variable, else pandas. Both give
            identical tables (see :mod:`analysis.engines`).
        partition_size: articles per partition of the per-article stages.
        progress: show progress bars.
        write_tables: write every table as CSV to ``<corpus>/processed`` (cleaned texts,
            cleaning log, sentences, evidence, ...) when computing, or when a cache hit finds
            them missing.

    Returns:
        :class:`StudyResults`.

    Example:
        >>> study = run_study(cache=False, write_tables=False)
        >>> int(study.sentences.groupby("article_id").size().min()) > 10
        True
    """
    corpus_dir, codebook_path = Path(corpus_dir), Path(codebook_path)
    codebook = load_codebook(codebook_path)
    engines.partition_starts(0, partition_size)  # a bad partition size fails before any work
    if cache:
        store, key, keep_alive = TableCache(), cache_key(corpus_dir, codebook_path), None
    else:
        keep_alive = tempfile.TemporaryDirectory(prefix="framing-study-")
        store, key = TableCache(keep_alive.name), UNCACHED_KEY
    compute = partial(_compute_into, corpus_dir=corpus_dir, codebook=codebook, engine=engine,
                      partition_size=partition_size, progress=progress)
    hit = ensure_entry(key, StudyResults.table_names(), compute, cache=store)
    study = StudyResults(partial(_stored_table, store.entry_dir(key)), keep_alive=keep_alive)
    processed = paths.processed_dir_for(corpus_dir)
    if write_tables and not (hit and (processed / "sentences.csv").exists()):
        write_study_tables(study, processed)
    return study


def _stored_table(entry_dir: Path, name: str) -> pd.DataFrame:
    table = read_table(entry_dir, name)
    if table is None:
        raise FileNotFoundError(f"table {name!r} is missing or damaged in {entry_dir} "
                                "(was the cache cleared?): run run_study again")
    return table


def write_study_tables(study: StudyResults, out_dir: str | Path) -> list[Path]:
    """Write every table of a run as CSV (deterministic) under ``out_dir``.

    The cleaned corpus and cleaning log are written by :func:`analysis.corpus.write_processed`
    (``articles.csv``, ``cleaning_log.csv``, ``text/<id>.txt``); the other tables beside them.

    Example:
        >>> import tempfile
        >>> study = run_study(cache=False, write_tables=False)
        >>> names = [p.name for p in write_study_tables(study, tempfile.mkdtemp())]
        >>> "sentences.csv" in names and "cleaning_log.csv" in names
        True
    """
    out_dir = Path(out_dir)
    cleaned = CleanedCorpus(study.table("articles", keep=False), study.table("cleaning_log", keep=False))
    written = list(write_processed(cleaned, out_dir).values())
    for name in StudyResults.table_names():
        if name in ("articles", "cleaning_log"):
            continue
        path = out_dir / f"{name}.csv"
        study.table(name, keep=False).to_csv(path, index=False, lineterminator="\n", float_format="%.6g")
        written.append(path)
    return written

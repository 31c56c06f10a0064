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

from dataclasses import dataclass, fields
from functools import partial
from pathlib import Path

import pandas as pd
from analysis import alignment, engines, findings, paths, quotes, sentences as sentence_module, sentiment, voices
from analysis.cache import TableCache, cache_key, cached
from analysis.cleaning import CleaningRules
from analysis.codebook import Codebook, load_codebook
from analysis.corpus import clean_articles, corpus_rules, read_metadata, write_processed
from analysis.measures import find_matches



@dataclass(frozen=True)
class StudyResults:
    """Every table of one run. Names say what each row is.

    - ``articles``: one row per article with metadata and cleaned text
    - ``cleaning_log``: one row per line (or part) set aside in cleaning, with its rule
    - ``sentences``: one row per sentence (offsets into the cleaned text)
    - ``quotes``: one row per quotation span, with kind, speaker and reason
    - ``evidence``: one row per codebook match (terms, naming, actors, facts)
    - ``speech_acts``: one row per "speaker + reporting verb" attribution
    - ``sentence_scores``: the sentences table with VADER scores
    - ``voice_scores``: one row per sentence and voice (narrator / quoted) with VADER scores
    - ``voice_pieces``: the narrator and quoted pieces each sentence was cut into
    - ``shared_copy``: one row per sentence, whether it is shared near-verbatim with another outlet
    - ``alignment``: pairs of sentences of different outlets that report the same thing
      (speaker lines left out)
    """

    articles: pd.DataFrame
    cleaning_log: pd.DataFrame
    sentences: pd.DataFrame
    quotes: pd.DataFrame
    evidence: pd.DataFrame
    speech_acts: pd.DataFrame
    sentence_scores: pd.DataFrame
    voice_scores: pd.DataFrame
    voice_pieces: pd.DataFrame
    shared_copy: pd.DataFrame
    alignment: pd.DataFrame

    @classmethod
    def table_names(cls) -> tuple[str, ...]:
        """Names of the tables, in order.

        Example:
            >>> StudyResults.table_names()[:3]
            ('articles', 'cleaning_log', 'sentences')
        """
        return tuple(f.name for f in fields(cls))

    def as_dict(self) -> dict[str, pd.DataFrame]:
        """The tables by name.

        Example:
            >>> study = run_study(cache=False, write_tables=False)
            >>> list(study.as_dict())[:2]
            ['articles', 'cleaning_log']
        """
        return {name: getattr(self, name) for name in self.table_names()}


PER_ARTICLE_TABLES = ("sentences", "quotes", "evidence", "speech_acts", "sentence_scores",
                      "voice_scores", "voice_pieces")


def analyse_articles(articles: pd.DataFrame, codebook: Codebook) -> dict[str, pd.DataFrame]:
    """Per-article stages on one partition of articles (no article depends on another).

    Args:
        articles: rows of the articles table (``analysis.corpus.load_corpus``).
        codebook: the loaded codebook.

    Returns:
        The tables named in :data:`PER_ARTICLE_TABLES`.

    Example:
        >>> from analysis.corpus import load_corpus
        >>> tables = analyse_articles(load_corpus().head(1), load_codebook())
        >>> sorted(tables) == sorted(PER_ARTICLE_TABLES)
        True
    """
    sentence_table = sentence_module.sentences_table(articles)
    quote_table = quotes.quotes_table(articles, sentence_table, codebook=codebook)
    pieces = sentiment.split_voices(sentence_table, quote_table)
    sentence_scores = sentiment.score_sentence_table(sentence_table)
    return {
        "sentences": sentence_table,
        "quotes": quote_table,
        "evidence": find_matches(sentence_table, codebook),
        "speech_acts": voices.speech_acts(sentence_table, codebook),
        "sentence_scores": sentence_scores,
        # a narrator piece that is the whole sentence reuses its score (same string, same value)
        "voice_scores": sentiment.score_voices(pieces, sentence_scores=sentence_scores),
        "voice_pieces": pieces,
    }


def analyse_corpus(sentence_table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Corpus-wide stages that compare outlets: shared copy and sentence alignment.

    Alignment leaves out speaker lines (:func:`analysis.findings.content_alignment`): they
    match each other on a name and a title alone, not on what was reported.

    Example:
        >>> s = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"], "sentence_index": [0, 0],
        ...     "start": [0, 0], "end": [30, 30], "is_headline": [False, False], "is_attribution": [False, False],
        ...     "text": ["Talks in Geneva lasted eight hours.", "Talks in Geneva lasted eight hours."]})
        >>> analyse_corpus(s)["shared_copy"].is_shared_copy.tolist()
        [True, True]
    """
    return {
        "shared_copy": alignment.shared_copy(sentence_table),
        "alignment": findings.content_alignment(sentence_table),
    }


def analyse_partition(metadata: pd.DataFrame, *, corpus_dir: Path, rules: CleaningRules,
                      codebook: Codebook) -> dict[str, pd.DataFrame]:
    """Read, clean and analyse the articles of one partition of the metadata.

    Everything here depends on one article at a time, so partitions can run in any process
    (the Dask engine sends this function to its workers).

    Example:
        >>> from analysis.corpus import corpus_rules, read_metadata
        >>> tables = analyse_partition(read_metadata().head(1), corpus_dir=paths.CORPUS_DIR,
        ...                            rules=corpus_rules(paths.CORPUS_DIR), codebook=load_codebook())
        >>> tables["articles"].outlet.tolist(), len(tables["sentences"]) > 10
        (['Al Mayadeen'], True)
    """
    corpus = clean_articles(corpus_dir, metadata, rules=rules)
    return {"articles": corpus.articles, "cleaning_log": corpus.log, **analyse_articles(corpus.articles, codebook)}


def _compute(corpus_dir: Path, codebook: Codebook, *, engine: str | None, partition_size: int,
             progress: bool) -> dict[str, pd.DataFrame]:
    metadata = read_metadata(corpus_dir).sort_values("id", kind="stable", ignore_index=True)
    task = partial(analyse_partition, corpus_dir=corpus_dir, rules=corpus_rules(corpus_dir), codebook=codebook)
    results = engines.map_partitions(task, metadata, engine=engine, partition_size=partition_size,
                                     progress=progress)
    tables = {name: pd.concat([r[name] for r in results], ignore_index=True)
              for name in ("articles", "cleaning_log", *PER_ARTICLE_TABLES)}
    tables.update(analyse_corpus(tables["sentences"]))
    return tables


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

    Args:
        corpus_dir: corpus folder (``metadata.csv`` + raw files), as ``corpus/``.
        codebook_path: codebook YAML.
        cache: reuse tables cached for the same corpus, codebook and package source.
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

    def compute() -> dict[str, pd.DataFrame]:
        tables = _compute(corpus_dir, codebook, engine=engine, partition_size=partition_size, progress=progress)
        if write_tables:
            write_study_tables(StudyResults(**tables), paths.processed_dir_for(corpus_dir))
        return tables

    if not cache:
        return StudyResults(**compute())
    tables, hit = cached(cache_key(corpus_dir, codebook_path), StudyResults.table_names(), compute,
                         cache=TableCache())
    study = StudyResults(**{name: tables[name] for name in StudyResults.table_names()})
    processed = paths.processed_dir_for(corpus_dir)
    if hit and write_tables and not (processed / "sentences.csv").exists():
        write_study_tables(study, processed)
    return study


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
    from analysis.corpus import CleanedCorpus

    out_dir = Path(out_dir)
    written = list(write_processed(CleanedCorpus(study.articles, study.cleaning_log), out_dir).values())
    for name in StudyResults.table_names():
        if name in ("articles", "cleaning_log"):
            continue
        path = out_dir / f"{name}.csv"
        getattr(study, name).to_csv(path, index=False, lineterminator="\n", float_format="%.6g")
        written.append(path)
    return written

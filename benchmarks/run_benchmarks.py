"""Speed and memory of every analysis stage on synthetic corpora of 1k, 10k and 100k articles.

Usage::

    python benchmarks/run_benchmarks.py                       # 1000 10000 100000, every stage
    python benchmarks/run_benchmarks.py --sizes 1000 10000 --stages sentences alignment
    python benchmarks/run_benchmarks.py --sizes 10000 --profile   # + cProfile of each stage

Corpora come from ``benchmarks/make_corpus.py`` and are kept under
``.cache/benchmark-corpora`` (git-ignored); each stage's input tables are kept as Parquet
under ``.cache/benchmark-tables/<corpus>`` (an :class:`analysis.cache.TableCache`, so they
are rebuilt whenever the corpus, codebook or package source changes; older entries of the
same corpus are removed then).

Each (corpus size, stage) runs in a FRESH Python process, which loads the stage's inputs
from Parquet, times the stage call alone (``time.perf_counter``) and reports the process's
peak resident memory (:func:`peak_rss_mb`: ``VmHWM`` on Linux, ``ru_maxrss`` elsewhere):
that peak includes the interpreter, imported libraries and the input tables, so
``before_mb`` (the peak just before the stage call) is reported too. See
``benchmarks/README.md`` for the columns and the goals.

Example:
    >>> [stage.name for stage in STAGES.values()][:3]
    ['load and clean', 'sentences', 'quotations']
    >>> stages_to_run(["keyness"], cached=set())
    ['load', 'sentences', 'keyness']
"""
from __future__ import annotations

import argparse
import cProfile
import hashlib
import importlib
import io
import json
import os
import platform
import pstats
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from analysis import paths
from analysis.cache import TableCache, cache_key

DEFAULT_SIZES = (1_000, 10_000, 100_000)
DEFAULT_SEED = 2022
CORPORA_DIR = paths.CACHE_DIR / "benchmark-corpora"
TABLES_DIR = paths.CACHE_DIR / "benchmark-tables"
DEFAULT_OUT = paths.BENCHMARKS_DIR / "results"
RESULT_COLUMNS = ["size", "stage", "articles", "words", "sentences", "runs", "seconds", "seconds_min", "seconds_max",
                  "cpu_seconds", "words_per_second", "peak_mb", "before_mb", "workers_peak_mb", "status"]
PROFILE_LINES = 12
MARKDOWN_FORMATS = {"seconds": "{:.2f}", "cpu_seconds": "{:.2f}", "words_per_second": "{:,.0f}",
                    "peak_mb": "{:,.0f}", "before_mb": "{:,.0f}", "workers_peak_mb": "{:,.0f}", "ratio": "{:.2f}", "cpu_ratio": "{:.2f}",
                    "exponent": "{:.2f}", "cpu_exponent": "{:.2f}", "seconds_min": "{:.2f}",
                    "seconds_max": "{:.2f}", "whole_seconds": "{:.2f}",
                    "vader_seconds": "{:.2f}", "whole_cpu_seconds": "{:.2f}", "vader_cpu_seconds": "{:.2f}",
                    "dask_seconds": "{:.2f}", "dask_ratio": "{:.2f}", "dask_speedup": "{:.2f}"}
KILOBYTES_PER_MB = 1024
DASK_WORKERS = 2
PROC_STATUS = Path("/proc/self/status")
VM_HWM = re.compile(r"^VmHWM:\s+(\d+)\s+kB", re.MULTILINE)


@dataclass(frozen=True)
class Stage:
    """One benchmarked step: the tables it reads and writes, and how to run it.

    ``run`` returns the stage's output tables; it may add measurements of its own (numbers
    named as result columns, e.g. ``workers_peak_mb``), which go to the result row.
    """

    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    run: Callable[[dict[str, pd.DataFrame], Path, Path], dict[str, pd.DataFrame]]
    modules: tuple[str, ...]


def _load_and_clean(tables, corpus_dir, codebook_path):
    from analysis.corpus import build_corpus
    return {"articles": build_corpus(corpus_dir).articles}


def _sentences(tables, corpus_dir, codebook_path):
    from analysis.sentences import sentences_table
    return {"sentences": sentences_table(tables["articles"])}


def _quotations(tables, corpus_dir, codebook_path):
    from analysis.codebook import load_codebook
    from analysis.quotes import quotes_table
    codebook = load_codebook(codebook_path)
    return {"quotes": quotes_table(tables["articles"], tables["sentences"], codebook=codebook)}


def _measures(tables, corpus_dir, codebook_path):
    from analysis.codebook import load_codebook
    from analysis.measures import find_matches
    return {"evidence": find_matches(tables["sentences"], load_codebook(codebook_path))}


def _keyness(tables, corpus_dir, codebook_path):
    from analysis.keyness import log_odds, term_counts
    return {"keyness": log_odds(term_counts(tables["sentences"]))}


def _alignment(tables, corpus_dir, codebook_path):
    from analysis.findings import content_alignment
    return {"alignment": content_alignment(tables["sentences"])}


def _shared_copy(tables, corpus_dir, codebook_path):
    from analysis.alignment import shared_copy
    return {"shared_copy": shared_copy(tables["sentences"])}


def _sentiment(tables, corpus_dir, codebook_path):
    from analysis.sentiment import score_sentence_table
    return {"sentence_scores": score_sentence_table(tables["sentences"])}


def _voice_sentiment(tables, corpus_dir, codebook_path):
    from analysis.sentiment import score_voices, split_voices
    return {"voice_scores": score_voices(split_voices(tables["sentences"], tables["quotes"]))}


def _vader_alone(tables, corpus_dir, codebook_path):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    polarity = SentimentIntensityAnalyzer().polarity_scores
    for text in tables["sentences"]["text"].tolist():
        polarity(text)
    return {}


def _whole_pipeline(tables, corpus_dir, codebook_path):
    from analysis.pipeline import run_study
    run_study(corpus_dir, codebook_path, cache=False, write_tables=False)
    return {}


def _whole_pipeline_dask(tables, corpus_dir, codebook_path):
    from distributed import Client

    from analysis.engines import local_cluster
    from analysis.pipeline import run_study
    with local_cluster(DASK_WORKERS) as cluster, Client(cluster) as client:
        run_study(corpus_dir, codebook_path, cache=False, write_tables=False, engine="dask")
        workers_peak_mb = max(client.run(peak_rss_mb).values())
    return {"workers_peak_mb": workers_peak_mb}


STAGES = {
    "load": Stage("load and clean", (), ("articles",), _load_and_clean, ("analysis.corpus",)),
    "sentences": Stage("sentences", ("articles",), ("sentences",), _sentences, ("analysis.sentences",)),
    "quotes": Stage("quotations", ("articles", "sentences"), ("quotes",), _quotations,
                    ("analysis.codebook", "analysis.quotes")),
    "measures": Stage("codebook measures", ("sentences",), ("evidence",), _measures,
                      ("analysis.codebook", "analysis.measures")),
    "keyness": Stage("keyness", ("sentences",), ("keyness",), _keyness, ("analysis.keyness",)),
    "alignment": Stage("alignment", ("sentences",), ("alignment",), _alignment, ("analysis.findings",)),
    "shared_copy": Stage("shared copy", ("sentences",), ("shared_copy",), _shared_copy, ("analysis.alignment",)),
    "sentiment": Stage("sentiment", ("sentences",), ("sentence_scores",), _sentiment, ("analysis.sentiment",)),
    "voice_sentiment": Stage("voice sentiment", ("sentences", "quotes"), ("voice_scores",), _voice_sentiment,
                             ("analysis.sentiment",)),
    "vader": Stage("VADER alone (floor)", ("sentences",), (), _vader_alone, ("vaderSentiment.vaderSentiment",)),
    "pipeline": Stage("whole pipeline", (), (), _whole_pipeline, ("analysis.pipeline",)),
    "dask": Stage(f"whole pipeline, Dask {DASK_WORKERS} workers", (), (), _whole_pipeline_dask,
                  ("analysis.pipeline", "distributed")),
}
PRODUCER = {table: stage_id for stage_id, stage in STAGES.items() for table in stage.outputs}


def stages_to_run(requested: list[str], *, cached: set[str]) -> list[str]:
    """Requested stages plus the producers of their inputs that are not cached, in order.

    Args:
        requested: stage ids (keys of :data:`STAGES`).
        cached: names of tables already in the benchmark table cache.

    Returns:
        Stage ids in :data:`STAGES` order.

    Example:
        >>> stages_to_run(["quotes"], cached={"articles"})
        ['sentences', 'quotes']
    """
    needed = set(requested)
    pending = list(requested)
    while pending:
        for table in STAGES[pending.pop()].inputs:
            producer = PRODUCER[table]
            if table not in cached and producer not in needed:
                needed.add(producer)
                pending.append(producer)
    return [stage_id for stage_id in STAGES if stage_id in needed]


def ensure_corpus(size: int, *, seed: int, corpora_dir: Path) -> Path:
    """The synthetic corpus of ``size`` articles, built once and kept (rebuilt if the generator changed).

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     corpus = ensure_corpus(4, seed=1, corpora_dir=Path(folder))
        ...     (corpus / "metadata.csv").is_file(), corpus == ensure_corpus(4, seed=1, corpora_dir=Path(folder))
        (True, True)
    """
    from make_corpus import make_synthetic_corpus

    corpus_dir = Path(corpora_dir) / f"synthetic-{size}-seed{seed}"
    stamp_path = corpus_dir / "generator.json"
    generator = Path(__file__).with_name("make_corpus.py").read_text(encoding="utf-8")
    stamp = {"size": size, "seed": seed, "generator": hashlib.sha256(generator.encode("utf-8")).hexdigest()}
    if stamp_path.is_file() and json.loads(stamp_path.read_text(encoding="utf-8")) == stamp:
        return corpus_dir
    shutil.rmtree(corpus_dir, ignore_errors=True)
    started = time.perf_counter()
    make_synthetic_corpus(corpus_dir, size, seed=seed)
    stamp_path.write_text(json.dumps(stamp), encoding="utf-8")
    print(f"built {corpus_dir} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return corpus_dir


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    On Linux this is ``VmHWM`` of ``/proc/self/status``: ``ru_maxrss`` would not do there,
    because a process started by fork and exec inherits the ``ru_maxrss`` of its parent.
    Elsewhere it is ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (kilobytes, bytes on macOS).

    Example:
        >>> peak_rss_mb() > 10
        True
    """
    if PROC_STATUS.is_file():
        return int(VM_HWM.search(PROC_STATUS.read_text()).group(1)) / KILOBYTES_PER_MB
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / KILOBYTES_PER_MB / (KILOBYTES_PER_MB if sys.platform == "darwin" else 1)


def run_stage_here(stage_id: str, *, corpus_dir: Path, codebook_path: Path, key: str,
                   tables_dir: Path, profile_path: Path | None = None) -> dict:
    """Run one stage in this process: inputs from the table cache, timed call, outputs stored.

    Returns:
        ``seconds`` (wall clock), ``cpu_seconds`` (``time.process_time``: user + system CPU
        of all threads of the process), ``peak_mb``, ``before_mb`` and, for the load and sentences stages,
        ``articles``, ``words`` or ``sentences``.

    Example:
        >>> import tempfile
        >>> from analysis.cache import cache_key
        >>> key = cache_key(paths.CORPUS_DIR, paths.DEFAULT_CODEBOOK)
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     result = run_stage_here("load", corpus_dir=paths.CORPUS_DIR, key=key,
        ...         codebook_path=paths.DEFAULT_CODEBOOK, tables_dir=Path(folder))
        >>> result["articles"], result["words"] > 2000
        (5, True)
    """
    stage = STAGES[stage_id]
    for module in stage.modules:  # imports are not part of a stage's time
        importlib.import_module(module)
    store = TableCache(tables_dir)
    inputs = store.load(key, stage.inputs) if stage.inputs else {}
    if inputs is None:
        raise RuntimeError(f"inputs {', '.join(stage.inputs)} of stage {stage_id!r} are not in {tables_dir}")
    before_mb = peak_rss_mb()
    profiler = cProfile.Profile() if profile_path else None
    started, started_cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    outputs = stage.run(inputs, corpus_dir, codebook_path)
    if profiler:
        profiler.disable()
    result = {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - started_cpu,
              "peak_mb": peak_rss_mb(), "before_mb": before_mb}
    result.update({name: outputs.pop(name) for name in [name for name, value in outputs.items()
                                                        if not isinstance(value, pd.DataFrame)]})
    if profiler:
        write_profile(profiler, profile_path)
    store.store(key, outputs)
    if "articles" in outputs:
        result.update(articles=len(outputs["articles"]), words=int(outputs["articles"]["n_words"].sum()))
    if "sentences" in outputs:
        result["sentences"] = len(outputs["sentences"])
    return result


def write_profile(profiler: cProfile.Profile, profile_path: Path) -> None:
    """Save the raw cProfile stats and a text summary (top functions by own and cumulative time).

    Example:
        >>> import tempfile
        >>> profiler = cProfile.Profile()
        >>> profiler.runcall(sorted, range(1000))[:2]
        [0, 1]
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     write_profile(profiler, Path(folder) / "sort.prof")
        ...     "tottime" in (Path(folder) / "sort.txt").read_text()
        True
    """
    profile_path.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(profile_path)
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).strip_dirs()
    stats.sort_stats("tottime").print_stats(PROFILE_LINES)
    stats.sort_stats("cumulative").print_stats(PROFILE_LINES)
    profile_path.with_suffix(".txt").write_text(text.getvalue(), encoding="utf-8")


def run_stage_in_subprocess(stage_id: str, *, corpus_dir: Path, codebook_path: Path, key: str,
                            tables_dir: Path, timeout: float, memory_limit_mb: int = 0,
                            profile_path: Path | None = None) -> dict:
    """Run :func:`run_stage_here` in a fresh Python process; its result, or ``status`` on failure.

    Example:
        >>> from analysis.cache import cache_key
        >>> key = cache_key(paths.CORPUS_DIR, paths.DEFAULT_CODEBOOK)
        >>> run_stage_in_subprocess("keyness", corpus_dir=paths.CORPUS_DIR, key=key,
        ...     codebook_path=paths.DEFAULT_CODEBOOK, tables_dir=Path("/nonexistent"), timeout=60)["status"]
        "failed: RuntimeError: inputs sentences of stage 'keyness' are not in /nonexistent"
    """
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", stage_id,
               "--corpus", str(corpus_dir), "--codebook", str(codebook_path), "--key", key,
               "--tables", str(tables_dir), "--memory-limit-mb", str(memory_limit_mb)]
    if profile_path:
        command += ["--profile-to", str(profile_path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": f"timeout after {timeout:.0f} s"}
    if done.returncode != 0:
        last_line = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        return {"status": f"failed: {last_line}"}
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "status": "ok"}


def benchmark_size(size: int, stage_ids: list[str], *, options: argparse.Namespace) -> list[dict]:
    """Benchmark the stages on one corpus size; one result row per stage.

    With ``--repeat N`` the requested stages run in N rounds (each stage once a round, in
    order), so a drift in the machine's speed touches them alike and ratios between them
    (the whole pipeline against VADER alone) stay fair; each row holds the median.

    Stages whose inputs are missing from the table cache run first (and get a row too), and
    so do the stages that make the articles and sentences every row counts (a whole-pipeline
    row needs no input table, but names its corpus's articles, words and sentences); a stage
    whose input stage failed is reported as skipped, never left out.

    Args:
        size: number of articles of the synthetic corpus.
        stage_ids: stages to time (keys of :data:`STAGES`).
        options: parsed command-line options (:func:`parse_args`).

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     options = parse_args(["--corpora", folder, "--tables", folder + "/tables"])
        ...     rows = benchmark_size(6, ["keyness"], options=options)
        >>> [(row["stage"], row["status"], row["articles"]) for row in rows]
        [('load and clean', 'ok', 6), ('sentences', 'ok', 6), ('keyness', 'ok', 6)]
    """
    corpus_dir = ensure_corpus(size, seed=options.seed, corpora_dir=options.corpora)
    key = cache_key(corpus_dir, options.codebook)
    tables_dir = options.tables / corpus_dir.name
    store = TableCache(tables_dir)
    if not (tables_dir / key).is_dir():
        store.clear()  # tables of older code or codebook versions
    cached = {table for table in PRODUCER if store.table_path(key, table).is_file()}
    counts = _cached_counts(store, key)
    counted = [PRODUCER[table] for table in ("articles", "sentences") if table not in cached]  # every row's counts
    order = stages_to_run([*counted, *stage_ids], cached=cached)
    runs: dict[str, list[dict]] = {stage_id: [] for stage_id in order}
    for round_no in range(options.repeat):  # in rounds, so that drift in the machine's speed affects every stage alike
        for stage_id in order if round_no == 0 else [s for s in order if s in stage_ids]:
            blocked = [PRODUCER[t] for t in STAGES[stage_id].inputs if PRODUCER[t] in runs and _failed(runs[PRODUCER[t]])]
            if _failed(runs[stage_id]) or blocked:
                runs[stage_id] = runs[stage_id] or [{"status": f"skipped: needs {STAGES[blocked[0]].name}"}]
                continue
            runs[stage_id].append(run_stage_in_subprocess(stage_id, corpus_dir=corpus_dir, codebook_path=options.codebook,
                                                          key=key, tables_dir=tables_dir, timeout=options.timeout,
                                                          memory_limit_mb=options.memory_limit_mb))
            print(_progress_line({"size": size, "stage": STAGES[stage_id].name, **runs[stage_id][-1]}), file=sys.stderr)
    rows = []
    for stage_id in order:
        result = median_run(runs[stage_id])
        counts.update({name: result[name] for name in ("articles", "words", "sentences") if name in result})
        rows.append({"size": size, "stage": STAGES[stage_id].name, **result})
        if options.profile and result["status"] == "ok" and stage_id in stage_ids:
            profiled = run_stage_in_subprocess(
                stage_id, corpus_dir=corpus_dir, codebook_path=options.codebook, key=key,
                tables_dir=tables_dir, timeout=options.timeout, memory_limit_mb=options.memory_limit_mb,
                profile_path=options.out / "profiles" / f"{size}-{stage_id}.prof")
            print(f"{'':>7} {'(profile)':<22} {profiled['status']}", file=sys.stderr)
    return [{**row, **counts} for row in rows]


def _failed(results: list[dict]) -> bool:
    """True when a run of a stage did not succeed (it is then not run again)."""
    return any(result["status"] != "ok" for result in results)


def median_run(results: list[dict]) -> dict:
    """One row for repeated runs of a stage: median seconds and CPU seconds, their range, the
    highest peak memory; a failed run makes the row that failure.

    Example:
        >>> median_run([{"status": "ok", "seconds": s, "cpu_seconds": s, "peak_mb": m, "before_mb": 1.0}
        ...             for s, m in [(3.0, 10.0), (1.0, 12.0), (2.0, 11.0)]])
        {'status': 'ok', 'seconds': 2.0, 'cpu_seconds': 2.0, 'peak_mb': 12.0, 'before_mb': 1.0, 'runs': 3, 'seconds_min': 1.0, 'seconds_max': 3.0}
    """
    failed = [result for result in results if result["status"] != "ok"]
    if failed:
        return {**failed[0], "runs": len(results)}
    seconds = [result["seconds"] for result in results]
    return {**results[0], "seconds": float(np.median(seconds)),
            "cpu_seconds": float(np.median([result["cpu_seconds"] for result in results])),
            "peak_mb": max(result["peak_mb"] for result in results), "runs": len(results),
            "seconds_min": min(seconds), "seconds_max": max(seconds),
            **({"workers_peak_mb": max(result["workers_peak_mb"] for result in results)}
               if "workers_peak_mb" in results[0] else {})}


def merged_with_earlier(table: pd.DataFrame, out_dir: Path) -> pd.DataFrame:
    """``table`` plus the rows of an earlier ``benchmarks.csv`` in ``out_dir`` for the (size,
    stage) pairs this run did not time, in size and stage order.

    Example:
        >>> import tempfile
        >>> earlier = pd.DataFrame({"size": [10, 100], "stage": ["sentences", "sentences"], "seconds": [1.0, 9.0]})
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     earlier.to_csv(Path(folder) / "benchmarks.csv", index=False)
        ...     new = pd.DataFrame({"size": [10], "stage": ["sentences"], "seconds": [0.5]})
        ...     merged_with_earlier(new, Path(folder)).seconds.tolist()
        [0.5, 9.0]
    """
    path = out_dir / "benchmarks.csv"
    if not path.is_file():
        return table
    earlier = pd.read_csv(path)
    done = set(zip(table["size"], table["stage"]))
    kept = earlier[[pair not in done for pair in zip(earlier["size"], earlier["stage"])]]
    merged = pd.concat([table, kept], ignore_index=True) if len(kept) else table
    order = {stage.name: i for i, stage in enumerate(STAGES.values())}
    return merged.sort_values(["size", "stage"], key=lambda c: c.map(order) if c.name == "stage" else c,
                              kind="stable", ignore_index=True)


def _cached_counts(store: TableCache, key: str) -> dict:
    """Articles, words and sentences of a corpus, read from the cached tables' files when present.

    Only the ``n_words`` column and the Parquet row count are read, so the parent process
    stays small however large the corpus is.
    """
    counts = {}
    articles_path, sentences_path = store.table_path(key, "articles"), store.table_path(key, "sentences")
    if articles_path.is_file():
        words = pd.read_parquet(articles_path, columns=["n_words"])["n_words"]
        counts.update(articles=len(words), words=int(words.sum()))
    if sentences_path.is_file():
        counts["sentences"] = pq.ParquetFile(sentences_path).metadata.num_rows
    return counts


def _progress_line(row: dict) -> str:
    if row["status"] != "ok":
        return f"{row['size']:>7} {row['stage']:<22} {row['status']}"
    return (f"{row['size']:>7} {row['stage']:<22} {row['seconds']:9.2f} s  cpu {row['cpu_seconds']:9.2f} s"
            f"  peak {row['peak_mb']:7.0f} MB")


def results_table(rows: list[dict]) -> pd.DataFrame:
    """The benchmark table: one row per size and stage, with words per second.

    Example:
        >>> results_table([{"size": 10, "stage": "sentences", "articles": 10, "words": 5000,
        ...     "sentences": 200, "seconds": 2.0, "cpu_seconds": 1.9, "peak_mb": 150.0, "before_mb": 140.0,
        ...     "status": "ok"}]
        ...     ).words_per_second.tolist()
        [2500.0]
    """
    table = pd.DataFrame(rows).reindex(columns=RESULT_COLUMNS)
    table["words_per_second"] = (table["words"] / table["seconds"]).round(0)
    return table


def floor_ratios(table: pd.DataFrame) -> pd.DataFrame:
    """Per size: whole analysis against VADER alone (goal <= 1.5 at 10k) and the Dask speed-up.

    The whole analysis is the pipeline stage when it ran, else the sum of the stages that ran
    (marked in ``whole_from``). ``ratio`` compares wall-clock seconds, ``cpu_ratio`` CPU
    seconds of the process; ``dask_ratio`` is the Dask run (cluster start included) against
    VADER alone and ``dask_speedup`` the one-process pipeline's seconds over the Dask run's
    (goal >= 1.6 at 10k).

    Example:
        >>> table = pd.DataFrame({"size": [10, 10, 10], "stage": ["sentences", "sentiment", "VADER alone (floor)"],
        ...     "seconds": [1.0, 2.0, 2.0], "cpu_seconds": [1.0, 2.0, 1.0], "status": ["ok", "ok", "ok"]})
        >>> floor_ratios(table)[["whole_seconds", "vader_seconds", "ratio", "cpu_ratio"]].values.tolist()
        [[3.0, 2.0, 1.5, 3.0]]
    """
    rows = []
    pipeline, vader, dask = STAGES["pipeline"].name, STAGES["vader"].name, STAGES["dask"].name
    for size, group in table[table["status"] == "ok"].groupby("size"):
        row = {"size": size}
        for column, prefix in (("seconds", ""), ("cpu_seconds", "cpu_")):
            seconds = dict(zip(group["stage"], group[column]))
            floor = seconds.pop(vader, float("nan"))
            dask_seconds = seconds.pop(dask, float("nan"))
            if pipeline in seconds:
                whole, row["whole_from"] = seconds[pipeline], "pipeline"
            else:
                whole, row["whole_from"] = sum(seconds.values()), "sum of stages"
            row.update({f"whole_{column}": whole, f"vader_{column}": floor, f"{prefix}ratio": round(whole / floor, 2)})
            if column == "seconds":
                row.update(dask_seconds=dask_seconds, dask_ratio=round(dask_seconds / floor, 2),
                           dask_speedup=round(whole / dask_seconds, 2))
        rows.append(row)
    return pd.DataFrame(rows, columns=["size", "whole_from", "whole_seconds", "vader_seconds", "ratio",
                                       "whole_cpu_seconds", "vader_cpu_seconds", "cpu_ratio",
                                       "dask_seconds", "dask_ratio", "dask_speedup"])


def scaling_exponents(table: pd.DataFrame) -> pd.DataFrame:
    """Per stage: ``b`` in ``seconds ~ size**b`` between consecutive sizes (1 = linear), wall and CPU.

    Example:
        >>> table = pd.DataFrame({"size": [1000, 10000], "stage": ["alignment"] * 2,
        ...     "seconds": [1.0, 20.0], "cpu_seconds": [1.0, 10.0], "status": ["ok", "ok"]})
        >>> scaling_exponents(table).values.tolist()
        [['alignment', 1000, 10000, 1.3, 1.0]]
    """
    rows = []
    for stage, group in table[table["status"] == "ok"].sort_values("size").groupby("stage", sort=False):
        sizes = group["size"].to_numpy(dtype="float64")
        for i in range(1, len(sizes)):
            row = {"stage": stage, "from_size": int(sizes[i - 1]), "to_size": int(sizes[i])}
            for column, name in (("seconds", "exponent"), ("cpu_seconds", "cpu_exponent")):
                seconds = group[column].to_numpy(dtype="float64")
                row[name] = round(float(np.log(seconds[i] / seconds[i - 1]) / np.log(sizes[i] / sizes[i - 1])), 2)
            rows.append(row)
    return pd.DataFrame(rows, columns=["stage", "from_size", "to_size", "exponent", "cpu_exponent"])


def write_results(table: pd.DataFrame, out_dir: Path) -> list[Path]:
    """Write ``benchmarks.csv`` and ``benchmarks.md`` (all three tables) to ``out_dir``.

    Example:
        >>> import tempfile
        >>> table = results_table([{"size": 10, "stage": "sentences", "articles": 10, "words": 5000,
        ...     "sentences": 200, "seconds": 2.0, "cpu_seconds": 1.9, "peak_mb": 150.0, "before_mb": 140.0,
        ...     "status": "ok"}])
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     [p.name for p in write_results(table, Path(folder))]
        ['benchmarks.csv', 'benchmarks.md']
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path, markdown_path = out_dir / "benchmarks.csv", out_dir / "benchmarks.md"
    table.to_csv(csv_path, index=False, lineterminator="\n", float_format="%.4g")
    machine = f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
    machine += f"{_cpu_count()} CPUs; {time.strftime('%Y-%m-%d %H:%M')}"
    sections = [
        "# Benchmark results", machine,
        "Peak memory: peak resident set (`VmHWM` on Linux) of a fresh process per size and stage, "
        "including imports and input tables (see README.md).",
        "## Stages", markdown_table(table),
        "## Whole analysis against VADER alone", markdown_table(floor_ratios(table)),
        "## Scaling (seconds ~ size^exponent; 1 is linear)", markdown_table(scaling_exponents(table)),
    ]
    markdown_path.write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    return [csv_path, markdown_path]


def markdown_table(table: pd.DataFrame) -> str:
    """A GitHub Markdown table; numbers formatted per column (:data:`MARKDOWN_FORMATS`), NaN blank.

    Example:
        >>> print(markdown_table(pd.DataFrame({"stage": ["keyness"], "seconds": [1.234], "peak_mb": [float("nan")]})))
        | stage | seconds | peak_mb |
        |---|---:|---:|
        | keyness | 1.23 |  |
    """
    def cell(column: str, value) -> str:
        if pd.isna(value):
            return ""
        if isinstance(value, float):
            return MARKDOWN_FORMATS.get(column, "{:.4g}").format(value)
        return str(value)

    numeric = [pd.api.types.is_numeric_dtype(table[column]) for column in table.columns]
    lines = ["| " + " | ".join(map(str, table.columns)) + " |",
             "|" + "|".join("---:" if is_number else "---" for is_number in numeric) + "|"]
    for row in table.itertuples(index=False):
        lines.append("| " + " | ".join(cell(c, v) for c, v in zip(table.columns, row)) + " |")
    return "\n".join(lines)


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options (``--help`` lists them).

    Example:
        >>> parse_args(["--sizes", "1000", "--stages", "keyness"]).sizes
        [1000]
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="corpus sizes (articles)")
    parser.add_argument("--stages", nargs="+", choices=list(STAGES), default=list(STAGES), help="stages to time")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for benchmarks.csv/.md and profiles")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the synthetic corpora")
    parser.add_argument("--codebook", type=Path, default=paths.DEFAULT_CODEBOOK, help="codebook YAML")
    parser.add_argument("--corpora", type=Path, default=CORPORA_DIR, help="where synthetic corpora are kept")
    parser.add_argument("--tables", type=Path, default=TABLES_DIR, help="where stage input tables are kept")
    parser.add_argument("--timeout", type=float, default=3 * 3600, help="seconds before a stage is stopped")
    parser.add_argument("--memory-limit-mb", type=int, default=0,
                        help="address-space limit of each stage process (0: none); a stage over it fails "
                             "with MemoryError instead of waking the system's out-of-memory killer")
    parser.add_argument("--profile", action="store_true", help="also run each stage under cProfile")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each requested stage (fresh process each); the median is reported")
    parser.add_argument("--merge", action="store_true",
                        help="keep the rows of an earlier benchmarks.csv in --out for sizes and stages not run now")
    parser.add_argument("--worker", choices=list(STAGES), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--key", help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmarks (or, with the hidden ``--worker``, one stage for the parent process).

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     main(["--sizes", "5", "--stages", "sentences", "--corpora", folder,
        ...           "--tables", folder + "/tables", "--out", folder + "/results"])
        ...     sorted(p.name for p in Path(folder, "results").iterdir())
         size           stage  articles ...
        ['benchmarks.csv', 'benchmarks.md']
    """
    options = parse_args(argv)
    if options.worker:
        if options.memory_limit_mb:
            limit = options.memory_limit_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        result = run_stage_here(options.worker, corpus_dir=options.corpus, codebook_path=options.codebook,
                                key=options.key, tables_dir=options.tables, profile_path=options.profile_to)
        print(json.dumps(result))
        return
    rows = [row for size in options.sizes for row in benchmark_size(size, options.stages, options=options)]
    table = results_table(rows)
    if options.merge:
        table = merged_with_earlier(table, options.out)
    for path in write_results(table, options.out):
        print(f"wrote {path}", file=sys.stderr)
    print(table.to_string(index=False))
    print(floor_ratios(table).to_string(index=False))


if __name__ == "__main__":
    main()

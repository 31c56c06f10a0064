"""Where the work runs: one process (pandas) or a Dask cluster.

The study's per-article stages depend on one article at a time, so they map over
partitions of the corpus metadata (with Dask: the partitions of a ``dask.dataframe``);
the corpus-wide stages and the second pass over the partitions are independent tasks
that run side by side. Each task writes
its own tables (see :mod:`analysis.pipeline`), so results never travel back through the
scheduler, and tables are assembled in partition order: the two engines give identical
tables.

The one switch: ``FRAMING_ENGINE=dask`` (or ``run_study(..., engine="dask")``). With Dask,
an already open ``distributed.Client`` is used; else ``FRAMING_DASK_SCHEDULER=tcp://host:8786``
names a cluster to connect to (its workers must see the cache folder, e.g. on a shared file
system); otherwise a ``distributed.LocalCluster`` with one single-threaded worker process per
core (forked from this process on Linux: :data:`WORKER_START_METHOD`) is started for the run
and closed after it. Dask is an optional extra:
``pip install .[dask]``.

Example:
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"id": list("abcde")})
    >>> with open_session("pandas") as session:
    ...     session.map_partitions(len, rows, partition_size=2), session.run([lambda: "alignment"])
    ([2, 2, 1], ['alignment'])
"""
from __future__ import annotations

import importlib
import math
import os
import sys
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

import pandas as pd
from tqdm import tqdm

ENGINES = ("pandas", "dask")
ENGINE_ENV = "FRAMING_ENGINE"
SCHEDULER_ENV = "FRAMING_DASK_SCHEDULER"
# Articles per partition in one process. Each partition costs about 0.1 s whatever its size
# (writing nine Parquet parts, per-call set-up of the stages): partitions of 2,000 ran the
# 10k corpus about 1 s faster than of 1,000 (of 21.7 s), for 130 MB more memory.
DEFAULT_PARTITION_SIZE = 2_000
# With Dask, a corpus is cut finer so that every worker has many partitions and the last
# ones to finish leave the others little idle time (results do not depend on partitioning),
# but into partitions of at least MIN_PARTITION_ROWS articles, below which a task's fixed
# cost shows (on two workers: 10k articles ran 0.5 s faster (of 19) in partitions of 500
# than of 1,000; 1k ran 1 s slower in partitions of 50 than of 125), unless that would
# leave fewer than MIN_PARTITIONS_PER_WORKER per worker.
PARTITIONS_PER_WORKER = 10
MIN_PARTITIONS_PER_WORKER = 4
MIN_PARTITION_ROWS = 125

# Diagnostics that cost the workers of a local cluster (which has no dashboard) CPU time and
# the GIL while they compute: the statistical profiler samples the running task's stack
# every 10 ms, the event loop checks its own health every 20 ms and memory is polled every
# 100 ms. Off or less often, the 10k benchmark ran 1.3 s faster on two workers (of 24 s).
QUIET_WORKER_SETTINGS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.worker.memory.monitor-interval": "500ms",
    "distributed.admin.system-monitor.interval": "2s",
}

# How a local cluster starts its worker processes. On Linux by fork: a worker is a copy of
# this process, which has already imported the analysis, so it needs no imports and exits
# without tearing the interpreter down (the 10k benchmark on two workers ran 13.8 -> 12.5 s:
# 0.3 s less to start the cluster, 0.6 s less before the first task, 0.4 s less to close).
# Elsewhere by spawn, a fresh interpreter that imports the analysis (see open_session): macOS
# cannot fork safely a process that uses its system frameworks, Windows cannot fork at all.
WORKER_START_METHOD = "fork" if sys.platform.startswith("linux") else "spawn"

Result = TypeVar("Result")


def resolve_engine(engine: str | None = None) -> str:
    """The engine to use: the argument, else ``$FRAMING_ENGINE``, else ``"pandas"``.

    Example:
        >>> resolve_engine("dask"), resolve_engine(None) in ENGINES
        ('dask', True)
    """
    chosen = (engine or os.environ.get(ENGINE_ENV) or "pandas").strip().lower()
    if chosen not in ENGINES:
        raise ValueError(f"unknown engine {chosen!r}: use one of {', '.join(ENGINES)} "
                         f"(argument engine= or environment variable {ENGINE_ENV})")
    return chosen


def partition_starts(n_rows: int, partition_size: int) -> list[int]:
    """First row of each partition of ``n_rows`` rows.

    Example:
        >>> partition_starts(5, 2)
        [0, 2, 4]
    """
    if partition_size < 1:
        raise ValueError(f"partition_size must be at least 1, got {partition_size}")
    return list(range(0, n_rows, partition_size))


class LocalSession:
    """Runs tasks one after the other in this process (the pandas engine)."""

    def __init__(self, *, progress: bool = False):
        self.progress = progress

    def map_partitions(self, func: Callable[[pd.DataFrame], Result], table: pd.DataFrame, *,
                       partition_size: int, desc: str = "analysing articles") -> list[Result]:
        """``func`` of each consecutive partition of ``table``, in partition order."""
        starts = partition_starts(len(table), partition_size)
        bar = tqdm(starts, desc=desc, disable=not self.progress or len(starts) < 2)
        return [func(table.iloc[start:start + partition_size]) for start in bar]

    def run(self, tasks: list[Callable[[], Result]], *, desc: str = "tasks") -> list[Result]:
        """Call each task; results in task order."""
        bar = tqdm(tasks, desc=desc, disable=not self.progress or len(tasks) < 2)
        return [task() for task in bar]


class DaskSession:
    """Runs tasks on a ``distributed`` cluster: partitions of a Dask DataFrame, tasks side by side."""

    def __init__(self, client, *, progress: bool = False):
        self.client = client
        self.progress = progress

    def map_partitions(self, func: Callable[[pd.DataFrame], Result], table: pd.DataFrame, *,
                       partition_size: int, desc: str = "analysing articles") -> list[Result]:
        """``func`` of each partition of ``table`` as a Dask DataFrame; results in partition order."""
        import dask
        import dask.dataframe as dd

        partition_size = min(partition_size, self._balanced_partition_size(len(table)))
        starts = partition_starts(len(table), partition_size)
        if not starts:
            return []
        # The rows go to the workers directly, not inside the task graph: the 100k corpus's
        # metadata (45 MB) in the graph made distributed warn of a large graph on every run.
        parts = self.client.scatter([table.iloc[start:start + partition_size] for start in starts], hash=False)
        with dask.config.set({"dataframe.convert-string": False}):
            frame = dd.from_delayed(parts, meta=table.iloc[:0], verify_meta=False)
            tasks = [dask.delayed(func)(part) for part in frame.to_delayed()]
        return self._gather(self.client.compute(tasks), desc=desc)

    def _balanced_partition_size(self, n_rows: int) -> int:
        """Rows per partition that give each worker PARTITIONS_PER_WORKER partitions, or fewer
        of MIN_PARTITION_ROWS rows, but never fewer than MIN_PARTITIONS_PER_WORKER."""
        n_workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        finest = math.ceil(n_rows / (PARTITIONS_PER_WORKER * n_workers))
        coarsest = math.ceil(n_rows / (MIN_PARTITIONS_PER_WORKER * n_workers))
        return max(1, finest, min(MIN_PARTITION_ROWS, coarsest))

    def run(self, tasks: list[Callable[[], Result]], *, desc: str = "tasks") -> list[Result]:
        """Submit every task at once (they run in parallel, earlier tasks started first, so
        put the longest first); results in task order."""
        futures = [self.client.submit(task, pure=False, priority=len(tasks) - position)
                   for position, task in enumerate(tasks)]
        return self._gather(futures, desc=desc)

    def _gather(self, futures: list, *, desc: str) -> list:
        from distributed import as_completed

        if self.progress and len(futures) > 1:
            for _ in tqdm(as_completed(futures), total=len(futures), desc=desc):
                pass
        return list(self.client.gather(futures))


def import_analysis() -> None:
    """Import the modules every task needs (what each Dask worker does first, see :func:`open_session`).

    Example:
        >>> import_analysis()
        >>> import sys; "analysis.pipeline" in sys.modules
        True
    """
    importlib.import_module("analysis.pipeline")


async def _import_analysis_on_worker() -> None:
    """:func:`import_analysis` as a worker runs it without being waited for (a coroutine)."""
    import_analysis()


@contextmanager
def open_session(engine: str | None = None, *, progress: bool = False) -> Iterator[LocalSession | DaskSession]:
    """A session of the chosen engine, open for one run (see the module docstring).

    Example:
        >>> with open_session("pandas") as session:
        ...     type(session).__name__
        'LocalSession'
    """
    if resolve_engine(engine) == "pandas":
        yield LocalSession(progress=progress)
        return
    with _dask_client() as client:
        # Every worker imports the analysis now, while this process prepares the run, rather
        # than when its first task arrives (about 0.8 s per worker, mostly pandas, scipy.sparse
        # and nltk); workers forked from this process (WORKER_START_METHOD) have it already.
        client.run(_import_analysis_on_worker, wait=False)
        yield DaskSession(client, progress=progress)


@contextmanager
def _dask_client():
    from distributed import Client, get_client

    try:  # a client the caller already opened (a notebook, a test, a cluster session)
        yield get_client()
        return
    except ValueError:
        pass
    address = os.environ.get(SCHEDULER_ENV)
    if address:
        with Client(address) as client:
            yield client
        return
    with local_cluster() as cluster, Client(cluster) as client:
        yield client


def local_cluster(n_workers: int | None = None, *, start_method: str | None = None):
    """A ``distributed.LocalCluster`` tuned for this analysis: one single-threaded worker
    process per core (default), no dashboard, workers started by ``start_method`` (``"fork"``,
    ``"spawn"`` or ``"forkserver"``; default :data:`WORKER_START_METHOD`, fork on Linux).

    Dask starts workers with ``MALLOC_TRIM_THRESHOLD_=65536`` so that they hand freed memory
    back to the system at once; for this analysis, which allocates and frees many numpy and
    pandas buffers, that made the corpus-wide stages about 1.5 times slower on a worker than
    in a plain process, so the variable is left at glibc's default here. The workers also
    keep their diagnostics quiet (:data:`QUIET_WORKER_SETTINGS`). Use it as a context
    manager; connect with ``distributed.Client(cluster)``.

    Example:
        >>> with local_cluster(1) as cluster:  # doctest: +SKIP
        ...     len(cluster.workers)
        1
    """
    import dask
    import multiprocessing
    from distributed import LocalCluster

    start_method = start_method or WORKER_START_METHOD
    if start_method not in multiprocessing.get_all_start_methods():
        raise ValueError(f"unknown worker start method {start_method!r}: this system offers "
                         f"{', '.join(multiprocessing.get_all_start_methods())}")
    environ = {name: value for name, value in dask.config.get("distributed.nanny.pre-spawn-environ").items()
               if name != "MALLOC_TRIM_THRESHOLD_"}
    settings = {"distributed.nanny.pre-spawn-environ": environ,
                "distributed.worker.multiprocessing-method": start_method,
                **QUIET_WORKER_SETTINGS}
    with dask.config.set(settings):
        return LocalCluster(n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                            dashboard_address=None)


"""Where the per-article work runs: one process (pandas) or a Dask cluster.

The study's per-article stages depend on one article at a time, so they map over
partitions of the corpus metadata; corpus-wide tables are then reduced from the partial
results in partition order. The two engines therefore give identical tables.

The one switch: ``FRAMING_ENGINE=dask`` (or ``run_study(..., engine="dask")``). With Dask,
an already open ``distributed.Client`` is used; else ``FRAMING_DASK_SCHEDULER=tcp://host:8786``
names a cluster to connect to; otherwise a
``distributed.LocalCluster`` with one single-threaded worker process per core is started for
the run and closed after it. Dask is an optional extra: ``pip install .[dask]``.

Example:
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"id": list("abcde")})
    >>> map_partitions(len, rows, engine="pandas", partition_size=2)
    [2, 2, 1]
"""
from __future__ import annotations

import math
import os
from typing import Callable, TypeVar

import pandas as pd
from tqdm import tqdm

ENGINES = ("pandas", "dask")
ENGINE_ENV = "FRAMING_ENGINE"
SCHEDULER_ENV = "FRAMING_DASK_SCHEDULER"
DEFAULT_PARTITION_SIZE = 2_000

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


def map_partitions(func: Callable[[pd.DataFrame], Result], table: pd.DataFrame, *,
                   engine: str | None = None, partition_size: int = DEFAULT_PARTITION_SIZE,
                   progress: bool = False) -> list[Result]:
    """Apply ``func`` to consecutive partitions of ``table``; results in partition order.

    Args:
        func: a picklable function of one partition (a slice of ``table``).
        table: the rows to partition (for the study: the corpus metadata).
        engine: ``"pandas"`` or ``"dask"`` (see :func:`resolve_engine`).
        partition_size: rows per partition.
        progress: show a progress bar (pandas engine).

    Example:
        >>> map_partitions(lambda part: part.id.tolist(), pd.DataFrame({"id": [1, 2, 3]}),
        ...                engine="pandas", partition_size=2)
        [[1, 2], [3]]
    """
    if partition_size < 1:
        raise ValueError(f"partition_size must be at least 1, got {partition_size}")
    if resolve_engine(engine) == "dask":
        return _dask_map(func, table, partition_size=partition_size)
    parts = [table.iloc[start:start + partition_size] for start in range(0, len(table), partition_size)]
    return [func(part) for part in tqdm(parts, desc="analysing articles", disable=not progress or len(parts) < 2)]


def _dask_map(func: Callable[[pd.DataFrame], Result], table: pd.DataFrame, *, partition_size: int) -> list[Result]:
    import dask
    import dask.dataframe as dd
    from distributed import Client, LocalCluster, get_client

    if table.empty:
        return []
    with dask.config.set({"dataframe.convert-string": False}):
        frame = dd.from_pandas(table, npartitions=math.ceil(len(table) / partition_size), sort=False)
        tasks = [dask.delayed(func)(part) for part in frame.to_delayed()]
    try:  # a client the caller already opened (a notebook, a test, a cluster session)
        return list(get_client().gather(get_client().compute(tasks)))
    except ValueError:
        pass
    address = os.environ.get(SCHEDULER_ENV)
    if address:
        with Client(address) as client:
            return list(client.gather(client.compute(tasks)))
    with LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        return list(client.gather(client.compute(tasks)))

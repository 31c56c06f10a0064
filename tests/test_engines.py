"""The Dask engine gives exactly the pandas engine's tables; the switch is one variable."""
from __future__ import annotations

import os
import sys
import time
import warnings

import pandas as pd
import pytest

from analysis import engines, pipeline

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")


@pytest.mark.dask
def test_dask_on_two_workers_equals_pandas_exactly():
    expected = pipeline.run_study(cache=False, write_tables=False, engine="pandas", partition_size=2)
    with engines.local_cluster(2) as cluster, distributed.Client(cluster) as client:
        got = pipeline.run_study(cache=False, write_tables=False, engine="dask", partition_size=2)
        assert len(client.scheduler_info()["workers"]) == 2
        # workers keep glibc's default malloc trimming (Dask's eager trimming slows the stages)
        assert set(client.run(os.environ.get, "MALLOC_TRIM_THRESHOLD_").values()) == {None}
        # and their diagnostics quiet (the statistical profiler alone cost 3% of a task)
        worker_settings = client.run(lambda: {key: dask.config.get(key) for key in engines.QUIET_WORKER_SETTINGS})
        assert list(worker_settings.values()) == [engines.QUIET_WORKER_SETTINGS] * 2
    for name in expected.table_names():
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name), check_exact=True, obj=name)


# a lambda travels by value: running it does not import this module (and with it the analysis)
_analysis_imported = lambda: "analysis.pipeline" in __import__("sys").modules  # noqa: E731


@pytest.mark.dask
def test_a_dask_session_has_spawned_workers_import_the_analysis_at_once():
    with engines.local_cluster(1, start_method="spawn") as cluster, distributed.Client(cluster) as client:
        assert list(client.run(_analysis_imported).values()) == [False]  # a fresh interpreter
        with engines.open_session("dask"):
            deadline = time.monotonic() + 60
            while not all(client.run(_analysis_imported).values()) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert list(client.run(_analysis_imported).values()) == [True]  # before any task ran


@pytest.mark.dask
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_local_workers_on_linux_are_forked_with_the_analysis_imported():
    assert "analysis.pipeline" in sys.modules  # imported by this test module
    with engines.local_cluster(1) as cluster, distributed.Client(cluster) as client:
        worker_pid = list(client.run(os.getpid).values())[0]
        assert worker_pid != os.getpid()
        assert list(client.run(_analysis_imported).values()) == [True]  # no task and no session yet


@pytest.mark.dask
def test_dask_partitions_reach_the_workers_outside_the_task_graph():
    # 200 kB of rows against a 50 kB warning threshold: inside the graph they would warn
    table = pd.DataFrame({"id": [f"article-{i:05d}" for i in range(2_000)], "notes": ["x" * 80] * 2_000})
    with dask.config.set({"distributed.admin.large-graph-warning-threshold": "50kB"}), \
            engines.local_cluster(1) as cluster, distributed.Client(cluster), \
            engines.open_session("dask") as session, warnings.catch_warnings():
        warnings.simplefilter("error")
        sizes = session.map_partitions(len, table, partition_size=700)
    assert sizes == [200] * 10  # cut finer: PARTITIONS_PER_WORKER on the one worker


def test_an_unknown_worker_start_method_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown worker start method 'clone'"):
        engines.local_cluster(1, start_method="clone")


@pytest.mark.parametrize("argument, env, expected", [
    (None, None, "pandas"),
    (None, "dask", "dask"),
    ("pandas", "dask", "pandas"),
    (None, " DASK ", "dask"),
])
def test_engine_switch(monkeypatch, argument, env, expected):
    if env is None:
        monkeypatch.delenv(engines.ENGINE_ENV, raising=False)
    else:
        monkeypatch.setenv(engines.ENGINE_ENV, env)
    assert engines.resolve_engine(argument) == expected


def test_unknown_engine_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown engine 'spark'.*FRAMING_ENGINE"):
        engines.resolve_engine("spark")


@pytest.mark.parametrize("size, expected", [(1, [[1], [2], [3]]), (2, [[1, 2], [3]]), (5, [[1, 2, 3]])])
def test_partitions_keep_order(size, expected):
    table = pd.DataFrame({"id": [1, 2, 3]})
    with engines.open_session("pandas") as session:
        assert session.map_partitions(lambda p: p.id.tolist(), table, partition_size=size) == expected


def test_partition_size_must_be_positive():
    with pytest.raises(ValueError, match="partition_size"):
        engines.partition_starts(1, 0)


class FakeClient:
    def __init__(self, n_workers):
        self.workers = {f"tcp://worker-{i}": {} for i in range(n_workers)}

    def scheduler_info(self):
        return {"workers": self.workers}


@pytest.mark.parametrize("n_rows, n_workers, asked, expected", [
    (100_000, 2, 1_000, 1_000),  # enough partitions already
    (10_000, 2, 1_000, 500),     # ten per worker: little idle time at the end
    (3_000, 2, 1_000, 150),
    (1_000, 2, 1_000, 125),      # not below 125 rows ...
    (400, 2, 1_000, 50),         # ... unless a worker would get fewer than four
    (5, 2, 1_000, 1),
    (0, 2, 1_000, 1),
])
def test_dask_cuts_small_corpora_finer_so_every_worker_has_work(n_rows, n_workers, asked, expected):
    session = engines.DaskSession(FakeClient(n_workers))
    assert min(asked, session._balanced_partition_size(n_rows)) == expected

"""Which executor parses: a Dask cluster when one is named, this process for zero workers, else a
process pool; and every one of them returns the same ParsedActivity."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from functools import partial

import pytest

from ingest.measure.summary import MetricsProfile
from ingest.pipeline import parse_activity
from ingest.sync.executors import (
    DaskExecutor,
    InlineExecutor,
    capacity,
    executor_factory,
    process_pool,
)
from tests.conftest import SAMPLE_DATA


def sample_fit() -> bytes:
    files = sorted((SAMPLE_DATA / "athlete").glob("*.fit"))
    if not files:
        pytest.skip("sample_data/athlete has no FIT files (generate it first)")
    return files[0].read_bytes()


def test_a_dask_scheduler_address_selects_the_dask_executor_whatever_the_workers():
    factory = executor_factory(workers=3, dask_scheduler="tcp://127.0.0.1:8786")
    assert isinstance(factory, partial)
    assert factory.func is DaskExecutor and factory.args == ("tcp://127.0.0.1:8786",)


def test_zero_workers_parse_in_this_process():
    assert executor_factory(workers=0) is InlineExecutor


def test_otherwise_a_process_pool_of_the_asked_size_parses():
    with executor_factory(workers=2)() as executor:
        assert isinstance(executor, ProcessPoolExecutor)
        assert capacity(executor, 2) == 2


def test_the_inline_executor_runs_at_submit_and_keeps_the_exception_in_the_future():
    calls: list[int] = []
    with InlineExecutor() as executor:
        done = executor.submit(calls.append, 1)
        failed = executor.submit(int, "not a number")
    assert calls == [1] and done.result() is None
    with pytest.raises(ValueError):
        failed.result()
    assert capacity(InlineExecutor()) == 1


def test_a_process_pool_parses_a_file_exactly_as_this_process_does():
    data, profile = sample_fit(), MetricsProfile(timezone="Europe/Zurich")
    here = parse_activity(data, "run.fit", profile)
    with process_pool(1) as pool:
        there = pool.submit(parse_activity, data, "run.fit", profile).result()
    assert there == here

"""MicroBatcher: order, merging of concurrent jobs, error isolation, shutdown."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from asteroid_spectra.api.batching import MicroBatcher


def _run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def test_results_come_back_to_the_right_caller() -> None:
    calls: list[list[int]] = []

    def work(jobs: list[int]) -> list[int]:
        calls.append(list(jobs))
        return [10 * j for j in jobs]

    async def scenario() -> list[int]:
        with ThreadPoolExecutor(1) as pool:
            batcher: MicroBatcher[int, int] = MicroBatcher(work, pool, max_size=100)
            batcher.start()
            results = await asyncio.gather(*(batcher.submit(j) for j in range(20)))
            await batcher.stop()
            return list(results)

    assert _run(scenario()) == [10 * j for j in range(20)]
    # 20 concurrent submissions are classified in far fewer calls than 20.
    assert sum(len(c) for c in calls) == 20
    assert len(calls) <= 2


def test_concurrent_jobs_wait_while_the_worker_is_busy_and_then_go_together() -> None:
    release = threading.Event()
    calls: list[list[int]] = []

    def work(jobs: list[int]) -> list[int]:
        calls.append(list(jobs))
        if jobs == [0]:
            release.wait(5)
        return jobs

    async def scenario() -> None:
        with ThreadPoolExecutor(1) as pool:
            batcher: MicroBatcher[int, int] = MicroBatcher(work, pool)
            batcher.start()
            first = asyncio.ensure_future(batcher.submit(0))
            await asyncio.sleep(0.05)  # the worker is now busy with job 0
            rest = [asyncio.ensure_future(batcher.submit(j)) for j in range(1, 6)]
            await asyncio.sleep(0.05)
            release.set()
            assert await first == 0
            assert await asyncio.gather(*rest) == [1, 2, 3, 4, 5]
            await batcher.stop()

    _run(scenario())
    assert calls == [[0], [1, 2, 3, 4, 5]]


def test_max_size_splits_batches_by_job_size() -> None:
    calls: list[list[int]] = []

    def work(jobs: list[int]) -> list[int]:
        calls.append(list(jobs))
        return jobs

    async def scenario() -> None:
        with ThreadPoolExecutor(1) as pool:
            batcher: MicroBatcher[int, int] = MicroBatcher(work, pool, max_size=10)
            batcher.start()
            await asyncio.gather(*(batcher.submit(j, size=4) for j in range(5)))
            await batcher.stop()

    _run(scenario())
    assert [len(c) for c in calls] == [2, 2, 1]  # 4 + 4 <= 10 < 4 + 4 + 4


def test_a_failing_job_fails_only_its_own_request() -> None:
    def work(jobs: list[int]) -> list[int]:
        if -1 in jobs:
            raise ZeroDivisionError("job -1 is broken")
        return jobs

    async def scenario() -> list[Any]:
        with ThreadPoolExecutor(1) as pool:
            batcher: MicroBatcher[int, int] = MicroBatcher(work, pool)
            batcher.start()
            results = await asyncio.gather(
                *(batcher.submit(j) for j in (1, -1, 2)), return_exceptions=True
            )
            await batcher.stop()
            return list(results)

    one, broken, two = _run(scenario())
    assert (one, two) == (1, 2)
    assert isinstance(broken, ZeroDivisionError)


def test_a_wrong_number_of_results_is_an_error() -> None:
    async def scenario() -> None:
        with ThreadPoolExecutor(1) as pool:
            batcher: MicroBatcher[int, int] = MicroBatcher(lambda jobs: [], pool)
            batcher.start()
            with pytest.raises(ValueError, match="not enough values"):
                await batcher.submit(1)
            await batcher.stop()

    _run(scenario())


def test_submit_before_start_and_double_start_are_refused() -> None:
    async def scenario() -> None:
        with ThreadPoolExecutor(1) as pool:
            batcher: MicroBatcher[int, int] = MicroBatcher(lambda jobs: jobs, pool)
            with pytest.raises(RuntimeError, match="not running; call start"):
                await batcher.submit(1)
            batcher.start()
            with pytest.raises(RuntimeError, match="already running"):
                batcher.start()
            await batcher.stop()

    _run(scenario())


def test_stop_fails_jobs_still_queued() -> None:
    release = threading.Event()

    def work(jobs: list[int]) -> list[int]:
        release.wait(5)
        return jobs

    async def scenario() -> None:
        with ThreadPoolExecutor(1) as pool:
            batcher: MicroBatcher[int, int] = MicroBatcher(work, pool)
            batcher.start()
            busy = asyncio.ensure_future(batcher.submit(0))
            await asyncio.sleep(0.05)
            queued = asyncio.ensure_future(batcher.submit(1))
            await asyncio.sleep(0.01)
            await batcher.stop()
            release.set()
            with pytest.raises(RuntimeError, match="shutting down"):
                await queued
            busy.cancel()

    _run(scenario())
